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

struct opts {
	int	 json;
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
"usage : ctg-query [--json] sheets\n"
"        ctg-query [--json] sheet CODE\n"
"\n"
"  sheets       les 46 fiches actions du plan, par axe\n"
"  sheet CODE   une fiche en entier (III.A.17 ou 17) : pilotes, partenaires,\n"
"               échéance, et chaque indicateur avec son type, son calcul,\n"
"               sa cible et sa référence\n"
"\n"
"  --json       la même chose en JSON\n"
"  --server HOTE:PORT   accepté pour l'uniformité des outils ; le catalogue\n"
"               est intégré au programme\n");
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

static void
json_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v != NULL && v[0] != '\0' ?
	    json_object_new_string(v) : NULL);
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

	json_str(o, "code", s->code);
	json_object_object_add(o, "number", json_object_new_int(s->number));
	json_str(o, "axis", s->axis);
	json_str(o, "objective", s->objective);
	json_str(o, "title", s->title);
	json_str(o, "pilot_elected", s->pilot_elected);
	json_object_object_add(o, "pilot_structures",
	    json_list(s->pilot_structures, "|"));
	json_object_object_add(o, "partners", json_list(s->partners, ",|"));
	json_str(o, "deadline", s->deadline);
	json_object_object_add(o, "links", json_list(s->links, ","));
	acts = json_object_new_array();
	for (i = 0; i < c->nwords[VOCAB_ACTIVITY]; i++)
		if (catalogue_sheet_accepts(s, (int)i))
			json_object_array_add(acts, json_object_new_string(
			    c->words[VOCAB_ACTIVITY][i].keyword));
	json_object_object_add(o, "activities", acts);
	json_str(o, "place_of_residents", s->place_of_residents);
	inds = json_object_new_array();
	for (i = s->first; i < s->first + s->count; i++) {
		const struct cat_indicator	*d = &c->indicators[i];
		json_object			*io = json_object_new_object();

		json_str(io, "id", d->id);
		json_str(io, "kind", d->kind);
		json_str(io, "label", d->label);
		json_str(io, "measure", d->measure);
		json_str(io, "scope", d->scope);
		json_str(io, "filter", d->filter);
		json_str(io, "basis", d->basis);
		json_num(io, "target", d->target);
		json_str(io, "target_per", d->target_per);
		json_num(io, "baseline", d->baseline);
		json_num(io, "baseline_year", d->baseline_year);
		json_str(io, "note", d->note);
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
				json_str(ax, "code", a->code);
				json_str(ax, "title", a->title);
				json_object_object_add(ax, "sheets",
				    list = json_object_new_array());
				json_object_array_add(axes, ax);
			} else
				printf("%sAxe %s : %s\n", i ? "\n" : "",
				    a->code, a->title);
		}
		if (o->json) {
			json_object *so = json_object_new_object();

			json_str(so, "code", s->code);
			json_object_object_add(so, "number",
			    json_object_new_int(s->number));
			json_str(so, "title", s->title);
			json_str(so, "deadline", s->deadline);
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
cmd_sheet(const struct catalogue *c, const struct opts *o, const char *code)
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

int
main(int argc, char **argv)
{
	const struct catalogue	*c;
	struct opts		 o = { 0 };
	char			 err[512];
	int			 i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0)
			o.json = 1;
		else if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			i++;
		else {
			snprintf(err, sizeof(err), "option inconnue « %s » (voir "
			    "ctg-query --help)", argv[i]);
			return fail(err);
		}
	}
	if ((c = catalogue_builtin(err, sizeof(err))) == NULL)
		return fail(err);
	if (i + 1 == argc && strcmp(argv[i], "sheets") == 0)
		return cmd_sheets(c, &o);
	if (i + 2 == argc && strcmp(argv[i], "sheet") == 0)
		return cmd_sheet(c, &o, argv[i + 1]);
	usage(stderr);
	return 2;
}
