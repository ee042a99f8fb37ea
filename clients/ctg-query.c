/*
 * ctg-query — what the coordinator reads: the catalogue of the plan (the
 * sheets by axis, one sheet in full with how each indicator is computed),
 * in French, or as JSON with --json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "catalogue.h"
#include "client.h"
#include "export.h"
#include "indicator.h"
#include "wire.h"

struct opts {
	int		 json;
	int		 csv;
	const char	*server;
	const char	*from, *to;
};

/* What each measure of schema/catalogue/MEASURES.md means, in French. */
static const struct {
	const char	*measure;
	const char	*label;
} measure_labels[] = {
	{ "records", "nombre d'activités enregistrées" },
	{ "participants", "nombre de participants (somme des effectifs)" },
	{ "distinct_persons", "nombre de personnes distinctes" },
	{ "by_category", "participants par catégorie" },
	{ "by_residence", "participants par commune de résidence" },
	{ "by_activity", "activités par type" },
	{ "venues", "communes où les activités ont eu lieu" },
	{ "coverage", "communes de la CC ayant accueilli une activité" },
	{ "partners", "partenaires distincts" },
	{ "cadence", "plus long écart entre deux activités (jours)" },
	{ "trend", "évolution sur un an" },
	{ "qualitative", "suivi qualitatif (éléments datés)" },
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

static const char *
measure_label(const char *m)
{
	size_t	 i;

	for (i = 0; i < NITEMS(measure_labels); i++)
		if (strcmp(measure_labels[i].measure, m) == 0)
			return measure_labels[i].label;
	return m;
}

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
"  axis CODE     les fiches d'un axe (I à V), comme overview (ctgd)\n"
"  commune INSEE ce qui s'est passé dans la commune et qui en est venu\n"
"  records ID    les enregistrements qui font la valeur d'un indicateur\n"
"                (III.A.17/res/2) sur la période (ctgd)\n"
"  completeness  les structures muettes depuis SEMAINES (8 par défaut) et\n"
"                les fiches sans activité sur la période (ctgd)\n"
"  revisions ID  toutes les révisions d'un enregistrement (ctgd)\n"
"\n"
"  --json               en JSON\n"
"  --csv                sheet et overview en CSV pour un tableur (UTF-8,\n"
"                       « ; », virgule décimale, dates JJ/MM/AAAA)\n"
"  --from AAAA-MM       premier mois de la période (inclus)\n"
"  --to AAAA-MM         dernier mois de la période (inclus)\n"
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
		} else
			printf("  %-9s %s (échéance %s, %zu indicateurs)\n",
			    s->code, s->title, s->deadline, s->count);
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
	printf("      calcul : %s", measure_label(d->measure));
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
	const struct cat_sheet		*s = catalogue_sheet(c, code);
	const struct cat_axis		*a;
	const struct cat_objective	*ob;
	char				 buf[512], msg[600];
	size_t				 k, i;
	int				 n;

	if (s == NULL) {
		snprintf(msg, sizeof(msg), "fiche « %s » inconnue : attendu un "
		    "code comme III.A.17 ou un numéro de 1 à 46 (voir "
		    "ctg-query sheets)", code);
		return fail(msg);
	}
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
	print_line("Échéance", s->deadline);
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

	req.query = (struct query){ kind, key, o->from, o->to };
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
print_doc(const struct opts *o, json_object *doc,
    char *(*csv)(json_object *))
{
	char	*text;

	if (!o->csv || csv == NULL) {
		if (o->csv)
			fprintf(stderr, "ctg-query : pas de CSV pour cette vue, "
			    "voici le JSON\n");
		print_json(doc);
		return 0;
	}
	text = csv(doc);
	json_object_put(doc);
	if (text == NULL)
		return fail("export CSV impossible (mémoire insuffisante)");
	fputs(text, stdout);
	free(text);
	return 0;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

/* A value as one line: a number, "k v, k v", or "a, b". */
static void
print_value(json_object *v)
{
	size_t	 i, n;
	int	 first = 1;

	if (v == NULL) {
		printf("—");
		return;
	}
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, x) {
			printf("%s%s %s", first ? "" : ", ", k,
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
			printf("%s%s", i ? ", " : "", json_object_get_string(
			    json_object_array_get_idx(v, i)));
		if (n == 0)
			printf("—");
		return;
	}
	printf("%s", json_object_get_string(v));
}

static void
print_measure(const char *label, json_object *doc, const char *key)
{
	json_object	*v = NULL;
	size_t		 i, width = 0;

	json_object_object_get_ex(doc, key, &v);
	for (i = 0; label[i] != '\0'; i++)
		width += ((unsigned char)label[i] & 0xc0) != 0x80;
	printf("%s%*s ", label, width < 26 ? (int)(26 - width) : 0, "");
	print_value(v);
	printf("\n");
}

static int
cmd_sheet(const struct catalogue *c, const struct opts *o, const char *code)
{
	json_object	*doc, *inds, *io, *v;
	size_t		 i, k;
	int		 n;

	(void)c;
	if ((doc = ask(o, "sheet", code)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(o, doc, export_sheet_csv);
	printf("Fiche %s — %s\n", jstr(doc, "code"), jstr(doc, "title"));
	printf("Période de %s à %s — état : %s (échéance %s)\n\n",
	    jstr(doc, "from"), jstr(doc, "to"), jstr(doc, "status"),
	    jstr(doc, "deadline"));
	print_measure("Activités", doc, "records");
	print_measure("Participants", doc, "participants");
	print_measure("Personnes distinctes", doc, "distinct_participants");
	print_measure("Par catégorie", doc, "by_category");
	print_measure("Par commune de résidence", doc, "by_residence");
	print_measure("Par type d'activité", doc, "by_activity");
	print_measure("Communes d'accueil", doc, "communes_hosting");
	print_measure("Partenaires", doc, "partners");
	json_object_object_get_ex(doc, "indicators", &inds);
	for (k = 0; k < NITEMS(kind_labels); k++) {
		n = 0;
		for (i = 0; i < json_object_array_length(inds); i++) {
			io = json_object_array_get_idx(inds, i);
			if (strcmp(jstr(io, "kind"), kind_labels[k].kind) != 0)
				continue;
			if (n++ == 0)
				printf("\n%s\n", kind_labels[k].label);
			printf("  %2d. %s\n      %s : ", n, jstr(io, "label"),
			    measure_label(jstr(io, "measure")));
			v = NULL;
			json_object_object_get_ex(io, "value", &v);
			print_value(v);
			if (*jstr(io, "target"))
				printf(" — cible %s%s", jstr(io, "target"),
				    strcmp(jstr(io, "target_per"), "an") == 0 ?
				    " par an" : "");
			if (*jstr(io, "status"))
				printf(" — %s", jstr(io, "status"));
			printf("\n");
			if (json_object_object_get_ex(io, "longest_gap_from",
			    &v))
				printf("      plus long écart : du %s au %s\n",
				    jstr(io, "longest_gap_from"),
				    jstr(io, "longest_gap_to"));
			if (json_object_object_get_ex(io, "missing", &v) &&
			    json_object_array_length(v) > 0) {
				printf("      pas encore : ");
				print_value(v);
				printf("\n");
			}
		}
	}
	json_object_put(doc);
	return 0;
}

/* overview, or axis with a code: sheets with their figures, by axis. */
static int
cmd_overview(const struct opts *o, const char *axis)
{
	json_object	*doc, *axes, *ax, *sheets, *s;
	size_t		 i, j;

	if ((doc = ask(o, axis ? "axis" : "overview", axis)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(o, doc, export_overview_csv);
	printf("Où en est chaque fiche, de %s à %s\n", jstr(doc, "from"),
	    jstr(doc, "to"));
	json_object_object_get_ex(doc, "axes", &axes);
	for (i = 0; i < json_object_array_length(axes); i++) {
		ax = json_object_array_get_idx(axes, i);
		printf("\nAxe %s : %s\n", jstr(ax, "code"), jstr(ax, "title"));
		printf("  %-9s %10s %13s  %s\n", "fiche", "activités",
		    "participants", "état");
		json_object_object_get_ex(ax, "sheets", &sheets);
		for (j = 0; j < json_object_array_length(sheets); j++) {
			s = json_object_array_get_idx(sheets, j);
			printf("  %-9s %10s %12s  %s\n", jstr(s, "code"),
			    jstr(s, "records"), jstr(s, "participants"),
			    jstr(s, "status"));
		}
	}
	json_object_put(doc);
	return 0;
}

static int
cmd_commune(const struct opts *o, const char *code)
{
	json_object	*doc, *side;
	const char	*sides[][3] = {
		{ "hosted", "Activités accueillies", "records" },
		{ "residents", "Participants qui y résident", "participants" },
	};
	size_t		 i;

	if ((doc = ask(o, "commune", code)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(o, doc, export_commune_csv);
	printf("Commune %s — %s (%s habitants)\n", jstr(doc, "code"),
	    jstr(doc, "name"), jstr(doc, "population"));
	for (i = 0; i < 2; i++) {
		side = json_object_object_get(doc, sides[i][0]);
		printf("\n%s : %s\n", sides[i][1], jstr(side, sides[i][2]));
		print_measure("  par fiche", side, "by_sheet");
		print_measure("  par type d'activité", side, "by_activity");
		print_measure(i == 0 ? "  par structure" : "  par catégorie",
		    side, i == 0 ? "by_structure" : "by_category");
	}
	json_object_put(doc);
	return 0;
}

static int
cmd_records(const struct opts *o, const char *id)
{
	json_object	*doc, *list, *r;
	size_t		 i;

	if ((doc = ask(o, "records", id)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(o, doc, export_records_csv);
	printf("%s — %s\nenregistrements du %s au %s :\n", jstr(doc,
	    "indicator"), jstr(doc, "label"), jstr(doc, "from"),
	    jstr(doc, "to"));
	list = json_object_object_get(doc, "records");
	for (i = 0; i < json_object_array_length(list); i++) {
		r = json_object_array_get_idx(list, i);
		printf("  %s  %-13s %-5s %-20s %4s  %s\n", jstr(r, "date"),
		    jstr(r, "activity"), jstr(r, "commune"),
		    jstr(r, "structure"), jstr(r, "participants"),
		    jstr(r, "title"));
	}
	if (strcmp(jstr(doc, "truncated"), "true") == 0)
		printf("  … liste tronquée\n");
	json_object_put(doc);
	return 0;
}

static int
cmd_completeness(const struct opts *o, const char *weeks)
{
	json_object	*doc, *list, *e;
	size_t		 i;

	if ((doc = ask(o, "completeness", weeks)) == NULL)
		return 2;
	if (o->json || o->csv)
		return print_doc(o, doc, export_completeness_csv);
	printf("Structures sans enregistrement depuis %s semaines ou plus :\n",
	    jstr(doc, "weeks"));
	list = json_object_object_get(doc, "silent_structures");
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (*jstr(e, "last"))
			printf("  %-22s dernier le %s (%s semaines)\n",
			    jstr(e, "structure"), jstr(e, "last"),
			    jstr(e, "silent_weeks"));
		else
			printf("  %-22s jamais\n", jstr(e, "structure"));
	}
	list = json_object_object_get(doc, "silent_sheets");
	printf("Fiches sans enregistrement depuis %s semaines ou plus : %zu\n",
	    jstr(doc, "weeks"), json_object_array_length(list));
	printf("Fiches sans activité sur la période : ");
	print_value(json_object_object_get(doc, "sheets_without_activity"));
	printf("\n");
	json_object_put(doc);
	return 0;
}

static int
cmd_revisions(const struct opts *o, const char *id)
{
	json_object	*doc, *revs, *r;
	size_t		 i;

	if ((doc = ask(o, "revisions", id)) == NULL)
		return 2;
	if (o->json) {
		print_json(doc);
		return 0;
	}
	printf("Enregistrement %s%s\n", jstr(doc, "id"),
	    strcmp(jstr(doc, "voided"), "true") == 0 ? " (annulé)" : "");
	json_object_object_get_ex(doc, "revisions", &revs);
	for (i = 0; i < json_object_array_length(revs); i++) {
		r = json_object_array_get_idx(revs, i);
		printf("\nrévision %s (%s)%s%s\n", jstr(r, "rev"),
		    jstr(r, "kind"), *jstr(r, "reason") ? " : " : "",
		    jstr(r, "reason"));
		printf("  %s, %s à %s, %s — fiches ", jstr(r, "date"),
		    jstr(r, "activity"), jstr(r, "commune"),
		    jstr(r, "structure"));
		print_value(json_object_object_get(r, "sheets"));
		printf("\n  groupes : %s\n", json_object_to_json_string_ext(
		    json_object_object_get(r, "groups"),
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(doc);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct catalogue	*c;
	struct opts		 o = { 0 };
	const char		*cmd[3];
	char			 err[512];
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
		else {
			snprintf(err, sizeof(err), "option inconnue « %s » (voir "
			    "ctg-query --help)", argv[i]);
			return fail(err);
		}
	}
	o.server = client_server(o.server);
	if ((c = catalogue_builtin(err, sizeof(err))) == NULL)
		return fail(err);
	if (ncmd == 1 && strcmp(cmd[0], "sheets") == 0)
		return cmd_sheets(c, &o);
	if (ncmd == 2 && strcmp(cmd[0], "plan") == 0)
		return cmd_plan(c, &o, cmd[1]);
	if (ncmd == 2 && strcmp(cmd[0], "sheet") == 0)
		return cmd_sheet(c, &o, cmd[1]);
	if (ncmd == 1 && strcmp(cmd[0], "overview") == 0)
		return cmd_overview(&o, NULL);
	if (ncmd == 2 && strcmp(cmd[0], "axis") == 0)
		return cmd_overview(&o, cmd[1]);
	if (ncmd == 2 && strcmp(cmd[0], "commune") == 0)
		return cmd_commune(&o, cmd[1]);
	if (ncmd == 2 && strcmp(cmd[0], "records") == 0)
		return cmd_records(&o, cmd[1]);
	if ((ncmd == 1 || ncmd == 2) && strcmp(cmd[0], "completeness") == 0)
		return cmd_completeness(&o, ncmd == 2 ? cmd[1] : NULL);
	if (ncmd == 2 && strcmp(cmd[0], "revisions") == 0)
		return cmd_revisions(&o, cmd[1]);
	usage(stderr);
	return 2;
}
