/* export.c — the daemon's JSON documents as typed tables (export.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "jdoc.h"
#include "report.h"
#include "fr.h"

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

int
export_small_cells(json_object *doc)
{
	return json_object_get_int(jdoc_get(doc, "small_cells"));
}

/* A JSON number as a typed cell; null or absent as an empty cell. */
static void
export_json_number(struct book *b, struct table *t, json_object *v)
{
	if (v == NULL || (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double)))
		table_none(b, t);
	else
		table_number(b, t, json_object_get_double(v));
}

/*
 * The lines an indicator's value makes, one value each: the figure
 * itself, then one per key of a breakdown or element of a list, and for
 * a trend the year before and the change. A line is known by its tag and
 * key, so that a month's line is found beside the year's.
 */
enum export_tag { EL_MAIN, EL_KEY, EL_ITEM, EL_PREVIOUS, EL_CHANGE,
	EL_EVIDENCE };

struct export_line {
	enum export_tag	 tag;
	const char	*key;		/* EL_KEY, EL_ITEM, EL_EVIDENCE */
	const char	*detail;	/* in words */
	const char	*insee;
	enum cell_kind	 kind;
	double		 n;
	const char	*state;		/* EL_EVIDENCE: its state */
	int		 secret;	/* a count of persons by commune */
};

#define EXPORT_LINES	256

/* Adds one line, unless the array is full; the new count. */
static size_t
export_push(struct export_line *l, size_t n, struct export_line one)
{
	if (n == EXPORT_LINES)
		return n;
	if (one.insee == NULL)
		one.insee = "";
	l[n] = one;
	return n + 1;
}

static size_t
export_lines(const struct catalogue *cat, json_object *io,
    struct export_line *l)
{
	const char	*measure = jdoc_str(io, "measure");
	enum fr_keys	 keys = fr_measure_keys(measure);
	json_object	*v = jdoc_get(io, "value"), *list, *x;
	size_t		 n = 0, i;

	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, c)
			n = export_push(l, n, (struct export_line){
			    .tag = EL_KEY, .key = k,
			    .detail = fr_key(cat, keys, k),
			    .insee = keys == FR_COMMUNE ? fr_insee(k) : "",
			    .kind = CELL_INT,
			    .n = (double)json_object_get_int64(c),
			    .secret = keys == FR_COMMUNE &&
			    strcmp(measure, "by_residence") == 0 });
		/* An empty breakdown still has its row: nobody, 0. */
		return n > 0 ? n : export_push(l, 0, (struct export_line){
		    .tag = EL_MAIN, .detail = "", .kind = CELL_INT });
	}
	n = export_push(l, n, (struct export_line){ .tag = EL_MAIN,
	    .detail = "", .kind = v == NULL ? CELL_NONE :
	    json_object_is_type(v, json_type_double) ? CELL_NUM : CELL_INT,
	    .n = json_object_get_double(v) });
	if ((x = jdoc_get(io, "previous")) != NULL) {
		n = export_push(l, n, (struct export_line){
		    .tag = EL_PREVIOUS, .detail = "un an plus tôt",
		    .kind = CELL_INT, .n = json_object_get_double(x) });
		x = jdoc_get(io, "ratio");
		n = export_push(l, n, (struct export_line){ .tag = EL_CHANGE,
		    .detail = "évolution sur un an", .kind = x != NULL ?
		    CELL_PCT : CELL_NONE, .n = json_object_get_double(x) - 1 });
	}
	list = jdoc_get(io, "list") != NULL ? jdoc_get(io, "list") :
	    jdoc_get(io, "covered");
	for (i = 0; i < jdoc_len(list); i++) {
		const char *k = json_object_get_string(
		    json_object_array_get_idx(list, i));

		n = export_push(l, n, (struct export_line){ .tag = EL_ITEM,
		    .key = k, .detail = fr_key(cat, keys, k),
		    .insee = keys == FR_COMMUNE ? fr_insee(k) : "",
		    .kind = CELL_NONE });
	}
	list = jdoc_get(io, "evidence");
	for (i = 0; i < jdoc_len(list); i++) {
		json_object *e = json_object_array_get_idx(list, i);

		n = export_push(l, n, (struct export_line){
		    .tag = EL_EVIDENCE, .key = jdoc_str(e, "id"),
		    .detail = jdoc_str(e, "text"), .kind = CELL_TEXT,
		    .state = jdoc_str(e, "state") });
	}
	return n;
}

/* A line's value as a cell; a secret count as "< n". */
static void
export_line_cell(struct book *b, struct table *t,
    const struct export_line *l, int small)
{
	switch (l == NULL ? CELL_NONE : l->kind) {
	case CELL_INT:
		table_count(b, t, (long long)l->n, l->secret ? small : 0);
		break;
	case CELL_NUM:
		table_num(b, t, l->n);
		break;
	case CELL_PCT:
		table_pct(b, t, l->n);
		break;
	case CELL_TEXT:		/* evidence: its state */
		table_text(b, t, l->state);
		break;
	default:
		table_none(b, t);
	}
}

static const struct export_line *
export_find(const struct export_line *l, size_t n,
    const struct export_line *want)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (l[i].tag == want->tag && (want->key == NULL ||
		    (l[i].key != NULL && strcmp(l[i].key, want->key) == 0)))
			return &l[i];
	return NULL;
}

/* The unit a line's value counts, in words. */
static const char *
export_unit(const char *measure, const struct export_line *l)
{
	if (l->tag == EL_CHANGE)
		return "%";
	if (l->tag == EL_ITEM || l->tag == EL_EVIDENCE)
		return "";
	return fr_unit(measure);
}

/* Indicateur, Type, Libellé, Mesure, Détail, Code INSEE of one line. */
static void
export_indicator_cells(struct book *b, struct table *t, json_object *io,
    const struct export_line *l)
{
	table_text(b, t, jdoc_str(io, "id"));
	table_text(b, t, fr_kind(jdoc_str(io, "kind")));
	table_text(b, t, jdoc_str(io, "label"));
	table_text(b, t, fr_measure(jdoc_str(io, "measure")));
	table_text(b, t, l->detail);
	table_text(b, t, l->insee);
}

static const struct table_col sheet_cols[] = {
	{ "Fiche", 9 }, { "Du", 11 }, { "Au", 11 }, { "Indicateur", 15 },
	{ "Type", 11 }, { "Libellé", 60 }, { "Mesure", 30 },
	{ "Détail", 28 }, { "Code INSEE", 10 }, { "Valeur", 10 },
	{ "Unité", 12 }, { "Cible", 8 }, { "Cible par", 12 },
	{ "Référence", 10 }, { "Année de référence", 10 }, { "État", 14 },
};

/* "an" -> "an", "convention" -> "convention", else empty. */
static const char *
export_per(json_object *io)
{
	const char	*per = jdoc_str(io, "target_per");

	return strcmp(per, "an") == 0 ? "an" : strcmp(per, "convention") ==
	    0 ? "convention" : "";
}

void
export_sheet(const struct catalogue *cat, json_object *sheet, struct book *b)
{
	struct table		*t = book_table(b, "Indicateurs", sheet_cols,
				    NCOLS(sheet_cols));
	json_object		*inds = jdoc_get(sheet, "indicators"), *io;
	struct export_line	*l = malloc(EXPORT_LINES * sizeof(*l));
	int			 small = export_small_cells(sheet);
	size_t			 i, k, n;

	if (l == NULL) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < jdoc_len(inds); i++) {
		io = json_object_array_get_idx(inds, i);
		n = export_lines(cat, io, l);
		for (k = 0; k < n; k++) {
			table_text(b, t, jdoc_str(sheet, "code"));
			table_date(b, t, jdoc_str(sheet, "from"), 0);
			table_date(b, t, jdoc_str(sheet, "to"), 1);
			export_indicator_cells(b, t, io, &l[k]);
			export_line_cell(b, t, &l[k], small);
			table_text(b, t, export_unit(jdoc_str(io, "measure"),
			    &l[k]));
			export_json_number(b, t, jdoc_get(io, "target"));
			table_text(b, t, export_per(io));
			export_json_number(b, t, jdoc_get(io, "baseline"));
			table_text(b, t, jdoc_str(io, "baseline_year"));
			table_text(b, t, l[k].tag == EL_MAIN ? jdoc_str(io,
			    "status") : "");
		}
	}
	free(l);
}

static const struct table_col overview_cols[] = {
	{ "Axe", 5 }, { "Fiche", 9 }, { "Intitulé", 60 }, { "Échéance", 24 },
	{ "Du", 11 }, { "Au", 11 }, { "Activités", 10 },
	{ "Participants", 12 }, { "État", 14 },
};

void
export_overview(const struct catalogue *cat, json_object *overview,
    struct book *b)
{
	struct table	*t = book_table(b, "Fiches", overview_cols,
			    NCOLS(overview_cols));
	json_object	*axes = jdoc_get(overview, "axes"), *ax, *sheets, *s;
	char		 dl[256];
	size_t		 i, j;

	(void)cat;
	for (i = 0; i < jdoc_len(axes); i++) {
		ax = json_object_array_get_idx(axes, i);
		sheets = jdoc_get(ax, "sheets");
		for (j = 0; j < jdoc_len(sheets); j++) {
			s = json_object_array_get_idx(sheets, j);
			table_text(b, t, jdoc_str(ax, "code"));
			table_text(b, t, jdoc_str(s, "code"));
			table_text(b, t, jdoc_str(s, "title"));
			fr_deadline(jdoc_str(s, "deadline"), dl, sizeof(dl));
			table_text(b, t, dl);
			table_date(b, t, jdoc_str(overview, "from"), 0);
			table_date(b, t, jdoc_str(overview, "to"), 1);
			export_json_number(b, t, jdoc_get(s, "records"));
			export_json_number(b, t, jdoc_get(s, "participants"));
			table_text(b, t, jdoc_str(s, "status"));
		}
	}
}

static const struct table_col records_cols[] = {
	{ "Indicateur", 15 }, { "Identifiant", 38 }, { "Date", 11 },
	{ "Activité", 24 }, { "Commune", 24 }, { "Code INSEE", 10 },
	{ "Structure", 24 }, { "Intitulé", 40 }, { "Participants", 12 },
};

void
export_records(const struct catalogue *cat, json_object *doc, struct book *b)
{
	struct table	*t = book_table(b, "Enregistrements", records_cols,
			    NCOLS(records_cols));
	json_object	*list = jdoc_get(doc, "records"), *r;
	size_t		 i;

	for (i = 0; i < jdoc_len(list); i++) {
		r = json_object_array_get_idx(list, i);
		table_text(b, t, jdoc_str(doc, "indicator"));
		table_text(b, t, jdoc_str(r, "id"));
		table_date(b, t, jdoc_str(r, "date"), 0);
		table_text(b, t, fr_key(cat, FR_ACTIVITY, jdoc_str(r,
		    "activity")));
		table_text(b, t, fr_key(cat, FR_COMMUNE, jdoc_str(r,
		    "commune")));
		table_text(b, t, fr_insee(jdoc_str(r, "commune")));
		table_text(b, t, fr_key(cat, FR_STRUCTURE, jdoc_str(r,
		    "structure")));
		table_text(b, t, jdoc_str(r, "title"));
		export_json_number(b, t, jdoc_get(r, "participants"));
	}
}

static const struct table_col commune_cols[] = {
	{ "Commune", 24 }, { "Code INSEE", 10 }, { "Côté", 22 },
	{ "Par", 12 }, { "Clé", 40 }, { "Valeur", 10 },
};

void
export_commune(const struct catalogue *cat, json_object *doc, struct book *b)
{
	static const struct { const char *key, *label; } sides[] = {
		{ "hosted", "activités accueillies" },
		{ "residents", "participants résidents" } };
	static const struct { const char *key, *label; enum fr_keys keys; }
	    dims[] = {
		{ "by_sheet", "fiche", FR_SHEET },
		{ "by_activity", "activité", FR_ACTIVITY },
		{ "by_structure", "structure", FR_STRUCTURE },
		{ "by_category", "catégorie", FR_CATEGORY } };
	struct table	*t = book_table(b, "Commune", commune_cols,
			    NCOLS(commune_cols));
	json_object	*side, *by;
	size_t		 i, k;
	int		 small = export_small_cells(doc);

	for (i = 0; i < NCOLS(sides); i++) {
		side = jdoc_get(doc, sides[i].key);
		for (k = 0; k < NCOLS(dims); k++) {
			if ((by = jdoc_get(side, dims[k].key)) == NULL)
				continue;
			json_object_object_foreach(by, key, v) {
				table_text(b, t, jdoc_str(doc, "name"));
				table_text(b, t, jdoc_str(doc, "code"));
				table_text(b, t, sides[i].label);
				table_text(b, t, dims[k].label);
				table_text(b, t, fr_key(cat, dims[k].keys,
				    key));
				/* Residents are persons: few of them, « < 5 ». */
				table_count(b, t, json_object_get_int64(v),
				    i == 1 ? small : 0);
			}
		}
	}
}

static const struct table_col completeness_cols[] = {
	{ "Type", 20 }, { "Clé", 12 }, { "Libellé", 50 },
	{ "Dernier enregistrement", 14 }, { "Semaines sans enregistrement",
	    14 },
};

void
export_completeness(const struct catalogue *cat, json_object *doc,
    struct book *b)
{
	static const struct { const char *key, *label, *id; } lists[] = {
		{ "silent_structures", "structure muette", "structure" },
		{ "silent_sheets", "fiche muette", "sheet" } };
	struct table	*t = book_table(b, "Complétude", completeness_cols,
			    NCOLS(completeness_cols));
	json_object	*list, *e;
	const struct cat_sheet *s;
	size_t		 i, k;

	for (k = 0; k < NCOLS(lists); k++) {
		list = jdoc_get(doc, lists[k].key);
		for (i = 0; i < jdoc_len(list); i++) {
			e = json_object_array_get_idx(list, i);
			table_text(b, t, lists[k].label);
			table_text(b, t, jdoc_str(e, lists[k].id));
			table_text(b, t, jdoc_str(e, "label"));
			table_date(b, t, jdoc_str(e, "last"), 0);
			export_json_number(b, t, jdoc_get(e, "silent_weeks"));
		}
	}
	list = jdoc_get(doc, "sheets_without_activity");
	for (i = 0; i < jdoc_len(list); i++) {
		const char *code = json_object_get_string(
		    json_object_array_get_idx(list, i));

		s = cat != NULL ? catalogue_sheet(cat, code) : NULL;
		table_text(b, t, "fiche sans activité");
		table_text(b, t, code);
		table_text(b, t, s != NULL ? s->title : "");
		table_none(b, t);
		table_none(b, t);
	}
}

static const struct table_col rollup_sheet_cols[] = {
	{ "Axe", 5 }, { "Fiche", 9 }, { "Intitulé", 60 }, { "Mois", 11 },
	{ "Activités du mois", 10 }, { "Participants du mois", 12 },
	{ "Activités depuis janvier", 12 },
	{ "Participants depuis janvier", 12 }, { "État depuis janvier", 14 },
	{ "Échéance", 24 },
};

static const struct table_col rollup_ind_cols[] = {
	{ "Fiche", 9 }, { "Mois", 11 }, { "Indicateur", 15 }, { "Type", 11 },
	{ "Libellé", 60 }, { "Mesure", 30 }, { "Détail", 28 },
	{ "Code INSEE", 10 }, { "Valeur du mois", 10 },
	{ "Valeur depuis janvier", 12 }, { "Unité", 12 }, { "Cible", 8 },
	{ "Cible par", 12 }, { "État depuis janvier", 14 },
};

static const struct table_col rollup_change_cols[] = {
	{ "Changement", 100 },
};

/* Every indicator of one sheet, the month's value beside the year's. */
static void
export_rollup_sheet(const struct catalogue *cat, json_object *s,
    const char *month, int small, struct book *b, struct table *t,
    struct export_line *ml, struct export_line *yl)
{
	json_object	*m = jdoc_get(s, "month"), *y = jdoc_get(s,
	    "year_to_date");
	json_object	*mi = jdoc_get(m, "indicators"), *yi = jdoc_get(y,
	    "indicators");
	size_t		 i, k, mn, yn;

	for (i = 0; i < jdoc_len(yi); i++) {
		json_object *yo = json_object_array_get_idx(yi, i);

		yn = export_lines(cat, yo, yl);
		mn = export_lines(cat, json_object_array_get_idx(mi, i), ml);
		for (k = 0; k < yn; k++) {
			table_text(b, t, jdoc_str(s, "code"));
			table_date(b, t, month, 0);
			export_indicator_cells(b, t, yo, &yl[k]);
			export_line_cell(b, t, export_find(ml, mn, &yl[k]),
			    small);
			export_line_cell(b, t, &yl[k], small);
			table_text(b, t, export_unit(jdoc_str(yo, "measure"),
			    &yl[k]));
			export_json_number(b, t, jdoc_get(yo, "target"));
			table_text(b, t, export_per(yo));
			table_text(b, t, yl[k].tag == EL_MAIN ? jdoc_str(yo,
			    "status") : "");
		}
	}
}

void
export_rollup(const struct catalogue *cat, json_object *doc, struct book *b)
{
	struct table		*ti, *ts, *tc;
	json_object		*sheets = jdoc_get(doc, "sheets"), *s, *m, *y;
	struct export_line	*l = malloc(2 * EXPORT_LINES * sizeof(*l));
	const char		*month = jdoc_str(doc, "month");
	int			 small = export_small_cells(doc);
	char			 dl[256];
	size_t			 i;

	/* The CSV is the first table: every indicator, the fullest. */
	ti = book_table(b, "Indicateurs", rollup_ind_cols,
	    NCOLS(rollup_ind_cols));
	ts = book_table(b, "Fiches", rollup_sheet_cols,
	    NCOLS(rollup_sheet_cols));
	tc = book_table(b, "Changements", rollup_change_cols,
	    NCOLS(rollup_change_cols));
	if (l == NULL) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < jdoc_len(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		m = jdoc_get(s, "month");
		y = jdoc_get(s, "year_to_date");
		export_rollup_sheet(cat, s, month, small, b, ti, l,
		    l + EXPORT_LINES);
		table_text(b, ts, jdoc_str(m, "axis"));
		table_text(b, ts, jdoc_str(s, "code"));
		table_text(b, ts, jdoc_str(m, "title"));
		table_date(b, ts, month, 0);
		export_json_number(b, ts, jdoc_get(m, "records"));
		export_json_number(b, ts, jdoc_get(m, "participants"));
		export_json_number(b, ts, jdoc_get(y, "records"));
		export_json_number(b, ts, jdoc_get(y, "participants"));
		table_text(b, ts, jdoc_str(y, "status"));
		fr_deadline(jdoc_str(m, "deadline"), dl, sizeof(dl));
		table_text(b, ts, dl);
	}
	for (i = 0; i < jdoc_len(jdoc_get(doc, "changes")); i++)
		table_text(b, tc, report_change_words(json_object_array_get_idx(
		    jdoc_get(doc, "changes"), i)));
	free(l);
}

static const struct table_col copil_cols[] = {
	{ "Axe", 5 }, { "Fiche", 9 }, { "Indicateur", 15 }, { "Type", 11 },
	{ "Libellé", 60 }, { "Mesure", 30 }, { "Année", 7 }, { "Valeur", 10 },
	{ "Unité", 12 }, { "Cible", 8 }, { "Cible par", 12 },
	{ "Référence", 10 }, { "Année de référence", 10 }, { "État", 14 },
};

static const struct table_col copil_sheet_cols[] = {
	{ "Axe", 5 }, { "Fiche", 9 }, { "Intitulé", 60 }, { "Échéance", 24 },
	{ "Année", 7 }, { "Activités", 10 }, { "Participants", 12 },
	{ "État", 14 },
};

void
export_copil(const struct catalogue *cat, json_object *doc, struct book *b)
{
	struct table	*ti = book_table(b, "Indicateurs", copil_cols,
			    NCOLS(copil_cols));
	struct table	*ts = book_table(b, "Fiches", copil_sheet_cols,
			    NCOLS(copil_sheet_cols));
	json_object	*years = jdoc_get(doc, "years"), *sheets = jdoc_get(doc,
			    "sheets"), *s, *io, *per;
	struct export_line one;
	char		 dl[256];
	size_t		 i, j, k, ny = jdoc_len(years);

	(void)cat;
	for (i = 0; i < jdoc_len(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		fr_deadline(jdoc_str(s, "deadline"), dl, sizeof(dl));
		per = jdoc_get(s, "per_year");
		for (k = 0; k < ny; k++) {
			json_object *py = json_object_array_get_idx(per, k);

			table_text(b, ts, jdoc_str(s, "axis"));
			table_text(b, ts, jdoc_str(s, "code"));
			table_text(b, ts, jdoc_str(s, "title"));
			table_text(b, ts, dl);
			table_int(b, ts, json_object_get_int(
			    json_object_array_get_idx(years, k)));
			export_json_number(b, ts, jdoc_get(py, "records"));
			export_json_number(b, ts, jdoc_get(py, "participants"));
			table_text(b, ts, jdoc_str(py, "status"));
		}
		for (j = 0; j < jdoc_len(jdoc_get(s,
		    "indicators")); j++) {
			io = json_object_array_get_idx(jdoc_get(s,
			    "indicators"), j);
			memset(&one, 0, sizeof(one));
			for (k = 0; k < ny; k++) {
				json_object *v = json_object_array_get_idx(
				    jdoc_get(io, "values"), k);

				table_text(b, ti, jdoc_str(s, "axis"));
				table_text(b, ti, jdoc_str(s, "code"));
				table_text(b, ti, jdoc_str(io, "id"));
				table_text(b, ti, fr_kind(jdoc_str(io,
				    "kind")));
				table_text(b, ti, jdoc_str(io, "label"));
				table_text(b, ti, fr_measure(jdoc_str(io,
				    "measure")));
				table_int(b, ti, json_object_get_int(
				    json_object_array_get_idx(years, k)));
				export_json_number(b, ti, v);
				table_text(b, ti, v != NULL ? export_unit(
				    jdoc_str(io, "measure"), &one) : "");
				export_json_number(b, ti, jdoc_get(io,
				    "target"));
				table_text(b, ti, export_per(io));
				export_json_number(b, ti, jdoc_get(io,
				    "baseline"));
				table_text(b, ti, jdoc_str(io,
				    "baseline_year"));
				table_text(b, ti, json_object_get_string(
				    json_object_array_get_idx(jdoc_get(io,
				    "statuses"), k)));
			}
		}
	}
}

char *
export_csv(export_fn *fn, const struct catalogue *cat, json_object *doc)
{
	struct book	 b = { 0 };
	char		*csv;

	fn(cat, doc, &b);
	csv = book_csv(&b, 0);
	book_free(&b);
	return csv;
}

int
export_xlsx(export_fn *fn, const struct catalogue *cat, json_object *doc,
    char **out, size_t *len, char *err, size_t errlen)
{
	struct book	 b = { 0 };
	int		 rc;

	fn(cat, doc, &b);
	rc = book_xlsx(&b, out, len, err, errlen);
	book_free(&b);
	return rc;
}
