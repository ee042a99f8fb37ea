/*
 * ctg-query — what the coordinator reads: the catalogue of the plan (the
 * sheets by axis, one sheet in full with how each indicator is computed),
 * where sheets, axes and communes stand, a record's revisions, a
 * structure's latest records and probable duplicates, in French, or as
 * JSON with --json. Sheets, axes, communes and structures are taken as
 * people type them (lookup.c) and sent as the catalogue's codes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "catalogue.h"
#include "client.h"
#include "export.h"
#include "fr.h"
#include "indicator.h"
#include "jdoc.h"
#include "lookup.h"
#include "show.h"
#include "wire.h"

struct opts {
	int		 json;
	int		 csv;
	const char	*server;
	const char	*from, *to;
	const char	*limit;		/* recent: records listed */
};

static const struct {
	const char	*kind;
	const char	*label;		/* "Indicateurs de ..." */
	const char	*word;
} kind_labels[] = {
	{ "real", "Indicateurs de réalisation", "réalisation" },
	{ "res", "Indicateurs de résultat", "résultat" },
	{ "imp", "Indicateurs d'impact", "impact" },
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))


static void
usage(FILE *f)
{
	fprintf(f,
"usage : ctg-query [options] sheets\n"
"        ctg-query [options] plan CODE\n"
"        ctg-query [options] sheet CODE [--from AAAA-MM] [--to AAAA-MM]\n"
"        ctg-query [options] overview [--from AAAA-MM] [--to AAAA-MM]\n"
"        ctg-query [options] axis CODE | commune INSEE | records INDICATEUR\n"
"        ctg-query [options] completeness [SEMAINES]\n"
"        ctg-query [options] revisions UUID\n"
"        ctg-query [options] recent STRUCTURE [--limit N]\n"
"        ctg-query [options] duplicates [--from AAAA-MM] [--to AAAA-MM]\n"
"\n"
"  sheets        les 46 fiches actions du plan, par axe\n"
"  plan CODE     une fiche du plan en entier (III.A.17 ou 17) : pilotes,\n"
"                partenaires, échéance, et chaque indicateur avec son type,\n"
"                son calcul, sa cible et sa référence\n"
"  sheet CODE    où en est la fiche sur la période (par défaut : de janvier\n"
"                au mois en cours) : activités, participants par catégorie et\n"
"                par commune, valeur et état de chaque indicateur (ctgd)\n"
"  overview      où en est chaque fiche sur la période (par défaut :\n"
"                l'année en cours) : activités, participants, état (ctgd)\n"
"  axis CODE     les fiches d'un axe (I à V, ou 1 à 5), comme overview\n"
"                (ctgd)\n"
"  commune NOM   ce qui s'est passé dans la commune et qui en est venu : un\n"
"                code INSEE ou un nom (« Montcuq », « Pern-Lhospitalet »)\n"
"  records ID    les enregistrements qui font la valeur d'un indicateur\n"
"                (III.A.17/res/2) sur la période (ctgd)\n"
"  completeness  les structures muettes depuis SEMAINES (8 par défaut) et\n"
"                les fiches sans activité sur la période (ctgd)\n"
"  revisions ID  toutes les révisions d'un enregistrement (ctgd)\n"
"  recent STRUCTURE\n"
"                les derniers enregistrements d'une structure (« ripe »,\n"
"                « RIPE », « ALSH Jeunes »), les plus récents d'abord, avec\n"
"                leur identifiant pour ctg-submit amend ou void (ctgd)\n"
"  duplicates    les doublons probables sur la période : même structure,\n"
"                date, commune, activité et fiches ; avec les commandes\n"
"                ctg-submit void qui annulent tous sauf le premier (ctgd)\n"
"\n"
"  --json               en JSON\n"
"  --csv                sheet et overview en CSV pour un tableur (UTF-8,\n"
"                       « ; », virgule décimale, dates JJ/MM/AAAA)\n"
"  --from AAAA-MM       premier mois de la période (inclus)\n"
"  --to AAAA-MM         dernier mois de la période (inclus)\n"
"  --limit N            recent : combien d'enregistrements (20 par défaut)\n"
"  --server HOTE:PORT   serveur ctgd (défaut : $CTG_SERVER ou 127.0.0.1:7411)\n"
CLIENT_OPTIONS_HELP);
}

static int
fail(const char *msg)
{
	fprintf(stderr, "ctg-query : %s\n", msg);
	return 2;
}

static const struct cat_axis *
axis_of(const struct catalogue *c, const char *code)
{
	size_t	 i;

	for (i = 0; i < c->naxes; i++)
		if (strcmp(c->axes[i].code, code) == 0)
			return &c->axes[i];
	return NULL;
}

static const struct cat_objective *
objective_of(const struct catalogue *c, const char *code)
{
	size_t	 i;

	for (i = 0; i < c->nobjectives; i++)
		if (strcmp(c->objectives[i].code, code) == 0)
			return &c->objectives[i];
	return NULL;
}

static void
print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* A number when the text is one (targets, baselines), else null. */
static void
json_num(json_object *o, const char *key, const char *v)
{
	char	*end;
	double	 d;

	if (v == NULL || v[0] == '\0') {
		json_object_object_add(o, key, NULL);
		return;
	}
	d = strtod(v, &end);
	json_object_object_add(o, key, *end == '\0' ?
	    json_object_new_double(d) : json_object_new_string(v));
}

static json_object *
json_list(const char *s, const char *sep)
{
	json_object	*a = json_object_new_array();
	char		*copy = strdup(s ? s : ""), *tok, *save;

	for (tok = strtok_r(copy, sep, &save); tok != NULL;
	    tok = strtok_r(NULL, sep, &save)) {
		while (*tok == ' ')
			tok++;
		json_object_array_add(a, json_object_new_string(tok));
	}
	free(copy);
	return a;
}

static json_object *
sheet_json(const struct catalogue *c, const struct cat_sheet *s)
{
	json_object	*o = json_object_new_object(), *inds, *acts;
	size_t		 i;

	ind_add_str(o, "code", s->code);
	json_object_object_add(o, "number", json_object_new_int(s->number));
	ind_add_str(o, "axis", s->axis);
	ind_add_str(o, "objective", s->objective);
	ind_add_str(o, "title", s->title);
	ind_add_str(o, "pilot_elected", s->pilot_elected);
	json_object_object_add(o, "pilot_structures",
	    json_list(s->pilot_structures, "|"));
	json_object_object_add(o, "partners", json_list(s->partners, ",|"));
	ind_add_str(o, "deadline", s->deadline);
	json_object_object_add(o, "links", json_list(s->links, ","));
	acts = json_object_new_array();
	for (i = 0; i < c->nwords[VOCAB_ACTIVITY]; i++)
		if (catalogue_sheet_accepts(s, (int)i))
			json_object_array_add(acts, json_object_new_string(
			    c->words[VOCAB_ACTIVITY][i].keyword));
	json_object_object_add(o, "activities", acts);
	ind_add_str(o, "place_of_residents", s->place_of_residents);
	inds = json_object_new_array();
	for (i = s->first; i < s->first + s->count; i++) {
		const struct cat_indicator	*d = &c->indicators[i];
		json_object			*io = json_object_new_object();

		ind_add_str(io, "id", d->id);
		ind_add_str(io, "kind", d->kind);
		ind_add_str(io, "label", d->label);
		ind_add_str(io, "measure", d->measure);
		ind_add_str(io, "scope", d->scope);
		ind_add_str(io, "filter", d->filter);
		ind_add_str(io, "basis", d->basis);
		json_num(io, "target", d->target);
		ind_add_str(io, "target_per", d->target_per);
		json_num(io, "baseline", d->baseline);
		json_num(io, "baseline_year", d->baseline_year);
		ind_add_str(io, "note", d->note);
		json_object_array_add(inds, io);
	}
	json_object_object_add(o, "indicators", inds);
	return o;
}

static int
cmd_sheets(const struct catalogue *c, const struct opts *o)
{
	json_object	*root, *axes = NULL, *ax = NULL, *list = NULL;
	const char	*cur = "";
	size_t		 i;

	root = json_object_new_object();
	if (o->json)
		json_object_object_add(root, "axes",
		    axes = json_object_new_array());
	for (i = 0; i < c->nsheets; i++) {
		const struct cat_sheet *s = &c->sheets[i];

		if (strcmp(s->axis, cur) != 0) {
			const struct cat_axis *a = axis_of(c, s->axis);

			cur = s->axis;
			if (o->json) {
				ax = json_object_new_object();
				ind_add_str(ax, "code", a->code);
				ind_add_str(ax, "title", a->title);
				json_object_object_add(ax, "sheets",
				    list = json_object_new_array());
				json_object_array_add(axes, ax);
			} else
				printf("%sAxe %s : %s\n", i ? "\n" : "",
				    a->code, a->title);
		}
		if (o->json) {
			json_object *so = json_object_new_object();

			ind_add_str(so, "code", s->code);
			json_object_object_add(so, "number",
			    json_object_new_int(s->number));
			ind_add_str(so, "title", s->title);
			ind_add_str(so, "deadline", s->deadline);
			json_object_object_add(so, "indicators",
			    json_object_new_int((int)s->count));
			json_object_array_add(list, so);
		} else {
			char	 dl[256];

			printf("  %-9s %s (échéance %s, %zu indicateurs)\n",
			    s->code, s->title, fr_deadline(s->deadline, dl,
			    sizeof(dl)), s->count);
		}
	}
	if (o->json)
		print_json(root);
	else
		json_object_put(root);
	return 0;
}

/* label, padded to 24 characters (not bytes), then value. */
static void
print_line(const char *label, const char *value)
{
	size_t	 i, width = 0;

	if (value == NULL || value[0] == '\0')
		return;
	for (i = 0; label[i] != '\0'; i++)
		width += ((unsigned char)label[i] & 0xc0) != 0x80;
	printf("%s%*s %s\n", label, width < 24 ? (int)(24 - width) : 0, "",
	    value);
}

static void
print_indicator(const struct cat_indicator *d, int n)
{
	printf("  %2d. %s\n", n, d->label);
	printf("      calcul : %s", cat_measures[d->m].label);
	if (d->filter[0] != '\0')
		printf(" [%s]", d->filter);
	if (strcmp(d->scope, "all") == 0)
		printf(", toutes fiches confondues");
	printf("\n");
	if (d->target[0] != '\0')
		printf("      cible : %s%s\n", d->target,
		    strcmp(d->target_per, "an") == 0 ? " par an" :
		    strcmp(d->target_per, "convention") == 0 ?
		    " sur la convention" : "");
	if (d->baseline[0] != '\0')
		printf("      référence : %s%s%s\n", d->baseline,
		    d->baseline_year[0] ? " en " : "", d->baseline_year);
	if (d->note[0] != '\0')
		printf("      %s\n", d->note);
}

static int
cmd_plan(const struct catalogue *c, const struct opts *o, const char *code)
{
	const struct cat_sheet		*s;
	const struct cat_axis		*a;
	const struct cat_objective	*ob;
	char				 buf[512], msg[600];
	size_t				 k, i;
	int				 n;

	if ((s = lookup_sheet(c, code, msg, sizeof(msg))) == NULL)
		return fail(msg);
	if (o->json) {
		print_json(sheet_json(c, s));
		return 0;
	}
	a = axis_of(c, s->axis);
	ob = objective_of(c, s->objective);
	printf("Fiche %s — %s\n\n", s->code, s->title);
	snprintf(buf, sizeof(buf), "%s : %s", a->code, a->title);
	print_line("Axe", buf);
	snprintf(buf, sizeof(buf), "%s : %s", ob->code, ob->title);
	print_line("Objectif", buf);
	print_line("Élu·e pilote", s->pilot_elected);
	print_line("Structure(s) pilote(s)", s->pilot_structures);
	print_line("Partenaires", s->partners);
	print_line("Échéance", fr_deadline(s->deadline, buf, sizeof(buf)));
	print_line("Fiches liées", s->links);
	print_line("Activités acceptées", catalogue_words_list(c,
	    VOCAB_ACTIVITY, s->activities, buf, sizeof(buf)));
	print_line("Place des habitants", s->place_of_residents);
	for (k = 0; k < NITEMS(kind_labels); k++) {
		n = 0;
		for (i = s->first; i < s->first + s->count; i++) {
			if (strcmp(c->indicators[i].kind,
			    kind_labels[k].kind) != 0)
				continue;
			if (n == 0)
				printf("\n%s\n", kind_labels[k].label);
			print_indicator(&c->indicators[i], ++n);
		}
	}
	return 0;
}

/* Asks ctgd; returns the parsed JSON document, or NULL after saying why. */
static json_object *
ask(const struct opts *o, const char *kind, const char *key)
{
	struct request	 req = { .kind = REQUEST_QUERY };
	struct client	 cl;
	struct reply	 rep;
	json_object	*doc = NULL;
	char		 err[600];

	req.query = (struct query){ kind, key, o->from, o->to, 0 };
	if (client_connect(&cl, o->server, err, sizeof(err)) == -1 ||
	    client_send(&cl, &req, err, sizeof(err)) == -1 ||
	    client_recv(&cl, &rep, err, sizeof(err)) == -1) {
		client_close(&cl);
		fail(err);
		return NULL;
	}
	client_close(&cl);
	if (rep.kind == REPLY_DOCUMENT && rep.json != NULL)
		doc = json_tokener_parse(rep.json);
	if (doc == NULL)
		fail(rep.kind == REPLY_DOCUMENT && rep.document_error ?
		    rep.document_error : rep.kind == REPLY_ERROR &&
		    rep.error_message ? rep.error_message :
		    "réponse du serveur inattendue");
	reply_free(&rep);
	return doc;
}

/* --json or --csv output of a document; frees it. */
static int
print_doc(const struct catalogue *c, const struct opts *o, json_object *doc,
    export_fn *csv)
{
	char	*text;

	if (!o->csv || csv == NULL) {
		if (o->csv)
			fprintf(stderr, "ctg-query : pas de CSV pour cette vue, "
			    "voici le JSON\n");
		print_json(doc);
		return 0;
	}
	text = export_csv(csv, c, doc);
	json_object_put(doc);
	if (text == NULL)
		return fail("export CSV impossible (mémoire insuffisante)");
	fputs(text, stdout);
	free(text);
	return 0;
}

/* A value as one line: a number, "k v, k v", or "a, b"; keys named. */
static void
print_value(const struct catalogue *c, enum fr_keys keys, json_object *v)
{
	size_t	 i, n;
	int	 first = 1;

	if (v == NULL) {
		printf("—");
		return;
	}
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, x) {
			printf("%s%s %s", first ? "" : ", ", fr_key(c, keys, k),
			    json_object_get_string(x));
			first = 0;
		}
		if (first)
			printf("—");
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			printf("%s%s", i ? ", " : "", fr_key(c, keys,
			    json_object_get_string(json_object_array_get_idx(v,
			    i))));
		if (n == 0)
			printf("—");
		return;
	}
	printf("%s", json_object_get_string(v));
}

static void
print_measure(const struct catalogue *c, const char *label, json_object *doc,
    const char *key, enum fr_keys keys)
{
	json_object	*v = NULL;
	size_t		 i, width = 0;

	json_object_object_get_ex(doc, key, &v);
	for (i = 0; label[i] != '\0'; i++)
		width += ((unsigned char)label[i] & 0xc0) != 0x80;
	printf("%s%*s ", label, width < 26 ? (int)(26 - width) : 0, "");
	print_value(c, keys, v);
	printf("\n");
}

static int
cmd_sheet(const struct catalogue *c, const struct opts *o, const char *code)
{
	const struct cat_sheet	*s;
	json_object		*doc, *inds, *io, *v;
	char			 err[512], from[64], to[64], dl[256];
	size_t			 i, k;
	int			 n, m;

	if ((s = lookup_sheet(c, code, err, sizeof(err))) == NULL)
		return fail(err);
	if ((doc = ask(o, "sheet", s->code)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, export_sheet);
	printf("Fiche %s — %s\n", jdoc_str(doc, "code"), jdoc_str(doc,
	    "title"));
	fr_month(jdoc_str(doc, "from"), from, sizeof(from));
	fr_month(jdoc_str(doc, "to"), to, sizeof(to));
	fr_deadline(jdoc_str(doc, "deadline"), dl, sizeof(dl));
	printf("Période de %s à %s — état : %s (échéance %s)\n\n", from, to,
	    jdoc_str(doc, "status"), dl);
	print_measure(c, "Activités", doc, "records", FR_TEXT);
	print_measure(c, "Participants", doc, "participants", FR_TEXT);
	print_measure(c, "Personnes distinctes", doc, "distinct_participants",
	    FR_TEXT);
	print_measure(c, "Par catégorie", doc, "by_category", FR_CATEGORY);
	print_measure(c, "Par commune de résidence", doc, "by_residence",
	    FR_COMMUNE);
	print_measure(c, "Par type d'activité", doc, "by_activity",
	    FR_ACTIVITY);
	print_measure(c, "Communes d'accueil", doc, "communes_hosting",
	    FR_COMMUNE);
	print_measure(c, "Partenaires", doc, "partners", FR_TEXT);
	json_object_object_get_ex(doc, "indicators", &inds);
	for (k = 0; k < NITEMS(kind_labels); k++) {
		n = 0;
		for (i = 0; i < json_object_array_length(inds); i++) {
			io = json_object_array_get_idx(inds, i);
			if (strcmp(jdoc_str(io, "kind"),
			    kind_labels[k].kind) != 0)
				continue;
			if (n++ == 0)
				printf("\n%s\n", kind_labels[k].label);
			m = catalogue_measure(jdoc_str(io, "measure"));
			printf("  %2d. %s\n      %s : ", n, jdoc_str(io,
			    "label"),
			    m >= 0 ? cat_measures[m].label : jdoc_str(io,
			    "measure"));
			v = NULL;
			json_object_object_get_ex(io, "value", &v);
			print_value(c, fr_measure_keys(jdoc_str(io, "measure")),
			    v);
			if (*jdoc_str(io, "target"))
				printf(" — cible %s%s", jdoc_str(io, "target"),
				    strcmp(jdoc_str(io, "target_per"),
				    "an") == 0 ?
				    " par an" : "");
			if (*jdoc_str(io, "status"))
				printf(" — %s", jdoc_str(io, "status"));
			printf("\n");
			if (json_object_object_get_ex(io, "longest_gap_from",
			    &v))
				printf("      plus long écart : du %s au %s\n",
				    fr_date(jdoc_str(io, "longest_gap_from"),
				    from, sizeof(from)), fr_date(jdoc_str(io,
				    "longest_gap_to"), to, sizeof(to)));
			if (json_object_object_get_ex(io, "missing", &v) &&
			    json_object_array_length(v) > 0) {
				printf("      pas encore : ");
				print_value(c, FR_COMMUNE, v);
				printf("\n");
			}
		}
	}
	json_object_put(doc);
	return 0;
}

/* overview, or axis with a code: sheets with their figures, by axis. */
static int
cmd_overview(const struct catalogue *c, const struct opts *o,
    const char *axis)
{
	const struct cat_axis	*a = NULL;
	json_object		*doc, *axes, *ax, *sheets, *s;
	char			 err[512], from[64], to[64];
	size_t			 i, j;

	if (axis != NULL && (a = lookup_axis(c, axis, err, sizeof(err))) ==
	    NULL)
		return fail(err);
	if ((doc = ask(o, a ? "axis" : "overview", a ? a->code : NULL)) ==
	    NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, export_overview);
	printf("Où en est chaque fiche, de %s à %s\n", fr_month(jdoc_str(doc,
	    "from"), from, sizeof(from)), fr_month(jdoc_str(doc, "to"), to,
	    sizeof(to)));
	json_object_object_get_ex(doc, "axes", &axes);
	for (i = 0; i < json_object_array_length(axes); i++) {
		ax = json_object_array_get_idx(axes, i);
		printf("\nAxe %s : %s\n", jdoc_str(ax, "code"), jdoc_str(ax,
		    "title"));
		printf("  %-9s %10s %13s  %s\n", "fiche", "activités",
		    "participants", "état");
		json_object_object_get_ex(ax, "sheets", &sheets);
		for (j = 0; j < json_object_array_length(sheets); j++) {
			s = json_object_array_get_idx(sheets, j);
			printf("  %-9s %10s %12s  %s\n", jdoc_str(s, "code"),
			    jdoc_str(s, "records"), jdoc_str(s, "participants"),
			    jdoc_str(s, "status"));
		}
	}
	json_object_put(doc);
	return 0;
}

static int
cmd_commune(const struct catalogue *c, const struct opts *o,
    const char *name)
{
	const struct cat_commune *m;
	json_object	*doc, *side;
	const char	*sides[][3] = {
		{ "hosted", "Activités accueillies", "records" },
		{ "residents", "Participants qui y résident", "participants" },
	};
	char		 err[1024];
	size_t		 i;

	if ((m = lookup_commune(c, name, err, sizeof(err))) == NULL)
		return fail(err);
	if ((doc = ask(o, "commune", m->code)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, export_commune);
	printf("Commune %s — %s (%s habitants)\n", jdoc_str(doc, "code"),
	    jdoc_str(doc, "name"), jdoc_str(doc, "population"));
	for (i = 0; i < 2; i++) {
		side = json_object_object_get(doc, sides[i][0]);
		printf("\n%s : %s\n", sides[i][1], jdoc_str(side, sides[i][2]));
		print_measure(c, "  par fiche", side, "by_sheet", FR_SHEET);
		print_measure(c, "  par type d'activité", side, "by_activity",
		    FR_ACTIVITY);
		print_measure(c, i == 0 ? "  par structure" : "  par catégorie",
		    side, i == 0 ? "by_structure" : "by_category", i == 0 ?
		    FR_STRUCTURE : FR_CATEGORY);
	}
	json_object_put(doc);
	return 0;
}

static int
cmd_records(const struct catalogue *c, const struct opts *o, const char *id)
{
	json_object	*doc, *list, *r;
	char		 from[64], to[64];
	size_t		 i;

	if ((doc = ask(o, "records", id)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, export_records);
	printf("%s — %s\nenregistrements de %s à %s :\n", jdoc_str(doc,
	    "indicator"), jdoc_str(doc, "label"), fr_month(jdoc_str(doc,
	    "from"), from, sizeof(from)), fr_month(jdoc_str(doc, "to"), to,
	    sizeof(to)));
	list = json_object_object_get(doc, "records");
	for (i = 0; i < json_object_array_length(list); i++) {
		r = json_object_array_get_idx(list, i);
		printf("  %s  %-13s %-5s %-20s %4s  %s\n", jdoc_str(r, "date"),
		    jdoc_str(r, "activity"), jdoc_str(r, "commune"),
		    jdoc_str(r, "structure"), jdoc_str(r, "participants"),
		    jdoc_str(r, "title"));
	}
	if (strcmp(jdoc_str(doc, "truncated"), "true") == 0)
		printf("  … liste tronquée\n");
	json_object_put(doc);
	return 0;
}

static int
cmd_completeness(const struct catalogue *c, const struct opts *o,
    const char *weeks)
{
	json_object	*doc, *list, *e;
	size_t		 i;

	(void)c;
	if ((doc = ask(o, "completeness", weeks)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, export_completeness);
	printf("Structures sans enregistrement depuis %s semaines ou plus :\n",
	    jdoc_str(doc, "weeks"));
	list = json_object_object_get(doc, "silent_structures");
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (*jdoc_str(e, "last"))
			printf("  %-22s dernier le %s (%s semaines)\n",
			    jdoc_str(e, "structure"), jdoc_str(e, "last"),
			    jdoc_str(e, "silent_weeks"));
		else
			printf("  %-22s jamais\n", jdoc_str(e, "structure"));
	}
	list = json_object_object_get(doc, "silent_sheets");
	printf("Fiches sans enregistrement depuis %s semaines ou plus : %zu\n",
	    jdoc_str(doc, "weeks"), json_object_array_length(list));
	printf("Fiches sans activité sur la période : ");
	print_value(c, FR_SHEET, json_object_object_get(doc,
	    "sheets_without_activity"));
	printf("\n");
	json_object_put(doc);
	return 0;
}

/* ---- records: revisions, recent, duplicates -------------------------- */

/* « 6 AMA de Montcuq-en-Quercy-Blanc » for each group, ", "-joined. */
static void
print_groups(const struct catalogue *c, json_object *groups)
{
	json_object	*g;
	const char	*res;
	char		 cat[128];
	size_t		 i, n = json_object_array_length(groups);

	for (i = 0; i < n; i++) {
		g = json_object_array_get_idx(groups, i);
		res = jdoc_str(g, "residence");
		printf("%s%s %s", i ? ", " : "", jdoc_str(g, "count"),
		    show_category(c, jdoc_str(g, "category"), cat,
		    sizeof(cat)));
		if (*res)
			printf(" de %s", fr_key(c, FR_COMMUNE, res));
		else
			printf(" (commune de résidence inconnue)");
		if (*jdoc_str(g, "person"))
			printf(" (personne suivie)");
	}
	if (n == 0)
		printf("—");
}

static const struct {
	const char	*kind;
	const char	*label;
} revision_kinds[] = {
	{ "submit", "saisie" },
	{ "amend", "correction" },
	{ "void", "annulation" },
};

static const char *
revision_kind(const char *kind)
{
	size_t	 i;

	for (i = 0; i < NITEMS(revision_kinds); i++)
		if (strcmp(revision_kinds[i].kind, kind) == 0)
			return revision_kinds[i].label;
	return kind;
}

/* Every revision of a record: a summary table, then each in full. */
static int
cmd_revisions(const struct catalogue *c, const struct opts *o,
    const char *id)
{
	json_object	*doc, *revs, *r;
	char		 d[16], t[32], lab[128], buf[256];
	size_t		 i, n;

	if ((doc = ask(o, "revisions", id)) == NULL)
		return 2;
	if (o->json) {
		print_json(doc);
		return 0;
	}
	json_object_object_get_ex(doc, "revisions", &revs);
	n = json_object_array_length(revs);
	printf("Enregistrement %s — %s\n\n", jdoc_str(doc, "id"),
	    strcmp(jdoc_str(doc, "voided"), "true") == 0 ? "ANNULÉ"
	    : "en vigueur");
	printf("  rév.  enregistrée le    nature\n");
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(revs, i);
		printf("  %-4s  %-16s  %s%s%s\n", jdoc_str(r, "rev"),
		    show_time(json_object_get_int64(json_object_object_get(r,
		    "received_ms")), t), revision_kind(jdoc_str(r, "kind")),
		    *jdoc_str(r, "reason") ? " : " : "", jdoc_str(r, "reason"));
	}
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(revs, i);
		printf("\nRévision %s (%s, enregistrée le %s)\n",
		    jdoc_str(r, "rev"), revision_kind(jdoc_str(r, "kind")),
		    show_time(json_object_get_int64(json_object_object_get(r,
		    "received_ms")), t));
		print_line("  Date", fr_date(jdoc_str(r, "date"), d,
		    sizeof(d)));
		snprintf(buf, sizeof(buf), "%s (%s)", show_word(c,
		    VOCAB_ACTIVITY, jdoc_str(r, "activity"), lab, sizeof(lab)),
		    jdoc_str(r, "activity"));
		print_line("  Activité", buf);
		printf("  Fiches                 ");
		print_value(c, FR_SHEET, json_object_object_get(r, "sheets"));
		printf("\n");
		snprintf(buf, sizeof(buf), "%s (%s)", fr_key(c, FR_COMMUNE,
		    jdoc_str(r, "commune")), jdoc_str(r, "commune"));
		print_line("  Lieu", buf);
		snprintf(buf, sizeof(buf), "%s (%s)", show_word(c,
		    VOCAB_STRUCTURE, jdoc_str(r, "structure"), lab,
		    sizeof(lab)), jdoc_str(r, "structure"));
		print_line("  Structure", buf);
		print_line("  Titre", *jdoc_str(r, "title") ? jdoc_str(r,
		    "title") :
		    "—");
		printf("  Participants           ");
		print_groups(c, json_object_object_get(r, "groups"));
		printf("\n  Partenaires            ");
		print_value(c, FR_TEXT, json_object_object_get(r, "partners"));
		printf("\n");
		if (*jdoc_str(r, "reason"))
			print_line("  Motif", jdoc_str(r, "reason"));
	}
	json_object_put(doc);
	return 0;
}

/* s, then spaces up to width characters (not bytes); cut when longer. */
static void
print_cell(const char *s, size_t width)
{
	size_t	 i, n = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == width)
			break;
	}
	if (n > width) {
		/* Cut one character early, for the ellipsis. */
		for (i = 0, n = 0; s[i] != '\0'; i++)
			if (((unsigned char)s[i] & 0xc0) != 0x80 &&
			    n++ == width - 1)
				break;
		printf("%.*s…", (int)i, s);
		n = width;
	} else
		printf("%s", s);
	printf("%*s", (int)(width - n) + 1, "");
}

/* The sheets of a record as "III.A.17, II.B.15". */
static const char *
sheets_text(json_object *a, char *buf, size_t len)
{
	size_t	 i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < json_object_array_length(a) && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
		    json_object_get_string(json_object_array_get_idx(a, i)));
	return buf;
}

/* A structure's latest records, with the ids to amend or void one. */
static int
cmd_recent(const struct catalogue *c, const struct opts *o,
    const char *structure)
{
	json_object	*doc, *list, *r;
	char		 err[1024], key[160], d[16], act[128], sh[256];
	char		*end;
	size_t		 i, n;
	long		 limit = 20;
	int		 w;

	if ((w = lookup_word(c, VOCAB_STRUCTURE, structure, err,
	    sizeof(err))) < 0)
		return fail(err);
	if (o->limit != NULL && ((limit = strtol(o->limit, &end, 10)) < 1 ||
	    limit > 1000 || *end != '\0' || o->limit[0] == '\0')) {
		snprintf(err, sizeof(err), "--limit « %s » invalide : attendu "
		    "un nombre de 1 à 1000", o->limit);
		return fail(err);
	}
	snprintf(key, sizeof(key), "%s/%ld", c->words[VOCAB_STRUCTURE][w].
	    keyword, limit);
	if ((doc = ask(o, "recent", key)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, NULL);
	list = json_object_object_get(doc, "records");
	n = json_object_array_length(list);
	printf("Derniers enregistrements de %s (%s)", jdoc_str(doc, "label"),
	    jdoc_str(doc, "structure"));
	if (*jdoc_str(doc, "from"))
		printf(", du %s", fr_date(jdoc_str(doc, "from"), d, sizeof(d)));
	if (*jdoc_str(doc, "to"))
		printf(" au %s", fr_date(jdoc_str(doc, "to"), d, sizeof(d)));
	printf(" : %zu, les plus récents d'abord\n\n", n);
	if (n == 0) {
		printf("  aucun\n");
		json_object_put(doc);
		return 0;
	}
	printf("  %-10s  ", "date");
	print_cell("activité", 22);
	print_cell("fiches", 18);
	print_cell("commune", 24);
	printf("%5s  %s\n", "part.", "titre");
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(list, i);
		printf("  %-10s  ", fr_date(jdoc_str(r, "date"), d, sizeof(d)));
		print_cell(show_word(c, VOCAB_ACTIVITY, jdoc_str(r, "activity"),
		    act, sizeof(act)), 22);
		print_cell(sheets_text(json_object_object_get(r, "sheets"), sh,
		    sizeof(sh)), 18);
		print_cell(fr_key(c, FR_COMMUNE, jdoc_str(r, "commune")), 24);
		printf("%5s  %s\n", jdoc_str(r, "participants"),
		    *jdoc_str(r, "title") ? jdoc_str(r, "title") : "—");
		printf("  %-10s  id %s%s\n", "", jdoc_str(r, "id"),
		    strcmp(jdoc_str(r, "voided"), "true") == 0 ? "  ANNULÉ" :
		    strcmp(jdoc_str(r, "rev"), "1") != 0 ? "  (corrigé)" : "");
	}
	if (strcmp(jdoc_str(doc, "truncated"), "true") == 0)
		printf("  … et d'autres (--limit, --from, --to)\n");
	printf("\nCorriger : ctg-submit amend --id ID … (l'enregistrement "
	    "entier)\nAnnuler : ctg-submit void --id ID --reason \"…\"\n"
	    "Historique : ctg-query revisions ID\n");
	json_object_put(doc);
	return 0;
}

/*
 * Probable duplicates by group, the first kept; and the void commands
 * for the others, to run with the structure's own token.
 */
static int
cmd_duplicates(const struct catalogue *c, const struct opts *o,
    const char *unused)
{
	json_object	*doc, *groups, *g, *recs, *r;
	char		 d[16], f[16], act[128], str[128], sh[256];
	size_t		 i, j, n, k;

	(void)unused;
	if ((doc = ask(o, "duplicates", NULL)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(c, o, doc, NULL);
	groups = json_object_object_get(doc, "groups");
	n = json_object_array_length(groups);
	printf("Doublons probables du %s au %s : %zu groupe%s\n",
	    fr_date(jdoc_str(doc, "from"), f, sizeof(f)), fr_date(jdoc_str(doc,
	    "to"), d, sizeof(d)), n,
	    n > 1 ? "s" : "");
	printf("(enregistrements non annulés de même structure, date, commune "
	    "d'accueil, activité et fiches)\n");
	for (i = 0; i < n; i++) {
		g = json_object_array_get_idx(groups, i);
		recs = json_object_object_get(g, "records");
		k = json_object_array_length(recs);
		printf("\n%zu. %s, %s, %s, %s, %s\n", i + 1, show_word(c,
		    VOCAB_STRUCTURE, jdoc_str(g, "structure"), str,
		    sizeof(str)),
		    fr_date(jdoc_str(g, "date"), d, sizeof(d)), show_word(c,
		    VOCAB_ACTIVITY,
		    jdoc_str(g, "activity"), act, sizeof(act)), sheets_text(
		    json_object_object_get(g, "sheets"), sh, sizeof(sh)),
		    fr_key(c, FR_COMMUNE, jdoc_str(g, "commune")));
		for (j = 0; j < k; j++) {
			r = json_object_array_get_idx(recs, j);
			printf("   %-7s %s %5s part.  %s\n", j ? "doublon" :
			    "garder", jdoc_str(r, "id"), jdoc_str(r,
			    "participants"),
			    *jdoc_str(r, "title") ? jdoc_str(r, "title") : "—");
		}
		for (j = 1; j < k; j++)
			printf("   ctg-submit void --id %s --reason "
			    "\"doublon de %s\"\n",
			    jdoc_str(json_object_array_get_idx(recs, j),
			    "id"), jdoc_str(json_object_array_get_idx(recs, 0),
			    "id"));
	}
	if (strcmp(jdoc_str(doc, "truncated"), "true") == 0)
		printf("\n… liste tronquée : réduisez la période (--from, "
		    "--to)\n");
	if (n > 0)
		printf("\nAvant d'annuler : vérifiez chaque groupe (ctg-query "
		    "revisions ID). Si les doublons\nportent d'autres "
		    "participants (une ligne par commune de résidence), "
		    "corrigez\nd'abord celui qu'on garde avec tous les groupes "
		    "(ctg-submit amend), puis annulez\nles autres. Les "
		    "annulations se font avec le jeton de la structure.\n");
	json_object_put(doc);
	return 0;
}

static int
cmd_sheets_arg(const struct catalogue *c, const struct opts *o,
    const char *unused)
{
	(void)unused;
	return cmd_sheets(c, o);
}

/* The commands: name, how many words after it, what does it. */
static const struct {
	const char	*name;
	int		 min, max;
	int		(*run)(const struct catalogue *, const struct opts *,
			    const char *);
} commands[] = {
	{ "sheets", 0, 0, cmd_sheets_arg },
	{ "plan", 1, 1, cmd_plan },
	{ "sheet", 1, 1, cmd_sheet },
	{ "overview", 0, 0, cmd_overview },
	{ "axis", 1, 1, cmd_overview },
	{ "commune", 1, 1, cmd_commune },
	{ "records", 1, 1, cmd_records },
	{ "completeness", 0, 1, cmd_completeness },
	{ "revisions", 1, 1, cmd_revisions },
	{ "recent", 1, 1, cmd_recent },
	{ "duplicates", 0, 0, cmd_duplicates },
};

int
main(int argc, char **argv)
{
	const struct catalogue	*c;
	struct opts		 o = { 0 };
	const char		*cmd[3];
	char			 err[512];
	size_t			 k;
	int			 i, ncmd = 0;

	/* Options may come before or after the command. */
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			if (ncmd < 3)
				cmd[ncmd++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0)
			o.json = 1;
		else if (strcmp(argv[i], "--csv") == 0)
			o.csv = 1;
		else if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			o.server = argv[++i];
		else if (client_option(argc, argv, &i))
			continue;
		else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			o.from = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			o.to = argv[++i];
		else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
			o.limit = argv[++i];
		else {
			snprintf(err, sizeof(err), "option inconnue « %s » (voir "
			    "ctg-query --help)", argv[i]);
			return fail(err);
		}
	}
	o.server = client_server(o.server);
	if ((c = catalogue_builtin(err, sizeof(err))) == NULL)
		return fail(err);
	for (k = 0; ncmd > 0 && k < NITEMS(commands); k++)
		if (strcmp(cmd[0], commands[k].name) == 0 &&
		    ncmd - 1 >= commands[k].min && ncmd - 1 <= commands[k].max)
			return commands[k].run(c, &o, ncmd > 1 ? cmd[1] : NULL);
	usage(stderr);
	return 2;
}
