/*
 * catalogue.c — the plan's TSV files to structs, by column tables, and the
 * lookups validation and reports need.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "tsv.h"

enum col_type {
	COL_STR,
	COL_INT,
};

struct cat_column {
	const char	*name;
	size_t		 offset;
	enum col_type	 type;
};

struct cat_table {
	const char		*file;
	const struct cat_column	*cols;
	size_t			 ncols;
	size_t			 stride;
};

#define COL(s, f, t)	{ #f, offsetof(struct s, f), t }
#define TABLE(file, s, cols) \
	{ file, cols, sizeof(cols) / sizeof(cols[0]), sizeof(struct s) }

static const struct cat_column axis_cols[] = {
	COL(cat_axis, code, COL_STR),
	COL(cat_axis, number, COL_INT),
	COL(cat_axis, title, COL_STR),
};

static const struct cat_column objective_cols[] = {
	COL(cat_objective, code, COL_STR),
	COL(cat_objective, axis, COL_STR),
	COL(cat_objective, title, COL_STR),
};

static const struct cat_column sheet_cols[] = {
	COL(cat_sheet, code, COL_STR),
	COL(cat_sheet, number, COL_INT),
	COL(cat_sheet, axis, COL_STR),
	COL(cat_sheet, objective, COL_STR),
	COL(cat_sheet, title, COL_STR),
	COL(cat_sheet, pilot_elected, COL_STR),
	COL(cat_sheet, pilot_structures, COL_STR),
	COL(cat_sheet, partners, COL_STR),
	COL(cat_sheet, deadline, COL_STR),
	COL(cat_sheet, links, COL_STR),
	{ "place_of_residents", offsetof(struct cat_sheet, place_of_residents),
	  COL_STR },
};

static const struct cat_column indicator_cols[] = {
	{ "id", offsetof(struct cat_indicator, id), COL_STR },
	{ "sheet", offsetof(struct cat_indicator, sheet), COL_STR },
	{ "ord", offsetof(struct cat_indicator, ord), COL_INT },
	{ "kind", offsetof(struct cat_indicator, kind), COL_STR },
	{ "label", offsetof(struct cat_indicator, label), COL_STR },
};

static const struct cat_column measure_cols[] = {
	COL(cat_indicator, id, COL_STR),
	COL(cat_indicator, measure, COL_STR),
	COL(cat_indicator, scope, COL_STR),
	COL(cat_indicator, filter, COL_STR),
	COL(cat_indicator, basis, COL_STR),
	COL(cat_indicator, target, COL_STR),
	COL(cat_indicator, target_per, COL_STR),
	COL(cat_indicator, baseline, COL_STR),
	COL(cat_indicator, baseline_year, COL_STR),
	COL(cat_indicator, note, COL_STR),
};

struct cat_vocab_row {
	const char	*kind, *keyword, *parent, *label;
};

static const struct cat_column vocab_cols[] = {
	COL(cat_vocab_row, kind, COL_STR),
	COL(cat_vocab_row, keyword, COL_STR),
	COL(cat_vocab_row, parent, COL_STR),
	COL(cat_vocab_row, label, COL_STR),
};

struct cat_sheet_activities {
	const char	*sheet, *activities;
};

static const struct cat_column sheet_activity_cols[] = {
	COL(cat_sheet_activities, sheet, COL_STR),
	COL(cat_sheet_activities, activities, COL_STR),
};

static const struct cat_column commune_cols[] = {
	COL(cat_commune, code, COL_STR),
	COL(cat_commune, type, COL_STR),
	COL(cat_commune, name, COL_STR),
	COL(cat_commune, current, COL_STR),
	COL(cat_commune, population, COL_INT),
	COL(cat_commune, ccqb, COL_INT),
};

enum cat_file {
	FILE_AXES,
	FILE_OBJECTIVES,
	FILE_SHEETS,
	FILE_INDICATORS,
	FILE_MEASURES,
	FILE_VOCABULARY,
	FILE_SHEET_ACTIVITIES,
	FILE_COMMUNES,
	FILE__COUNT
};

static const struct cat_table cat_tables[FILE__COUNT] = {
	[FILE_AXES] = TABLE("catalogue/axes.tsv", cat_axis, axis_cols),
	[FILE_OBJECTIVES] = TABLE("catalogue/objectives.tsv", cat_objective,
	    objective_cols),
	[FILE_SHEETS] = TABLE("catalogue/sheets.tsv", cat_sheet, sheet_cols),
	[FILE_INDICATORS] = TABLE("catalogue/indicators.tsv", cat_indicator,
	    indicator_cols),
	[FILE_MEASURES] = TABLE("catalogue/measures.tsv", cat_indicator,
	    measure_cols),
	[FILE_VOCABULARY] = TABLE("catalogue/vocabulary.tsv", cat_vocab_row,
	    vocab_cols),
	[FILE_SHEET_ACTIVITIES] = TABLE("catalogue/sheet_activities.tsv",
	    cat_sheet_activities, sheet_activity_cols),
	[FILE_COMMUNES] = TABLE("communes.tsv", cat_commune, commune_cols),
};

#define FAIL(...)	do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* Reads one file into an array of structs, column by column name. */
static int
cat_bind(struct catalogue *c, const struct data_file *files, size_t nfiles,
    enum cat_file which, void **out, size_t *n, char *err, size_t errlen)
{
	const struct cat_table	*t = &cat_tables[which];
	const struct data_file	*f = NULL;
	struct tsv		 tsv;
	char			*base, *end;
	size_t			 i, r;
	int			 col[16];

	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, t->file) == 0)
			f = &files[i];
	if (f == NULL)
		FAIL("catalogue : fichier %s absent", t->file);
	if (tsv_parse(t->file, f->text, f->len, &c->arena, &tsv, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < t->ncols; i++)
		if ((col[i] = tsv_col(&tsv, t->cols[i].name)) == -1)
			FAIL("%s : colonne « %s » absente", t->file,
			    t->cols[i].name);
	if ((base = arena_alloc(&c->arena, (tsv.nrows + 1) * t->stride)) ==
	    NULL)
		FAIL("catalogue : mémoire insuffisante");
	for (r = 0; r < tsv.nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			char	*v = tsv.rows[r][col[i]];
			char	*at = base + r * t->stride + t->cols[i].offset;

			if (t->cols[i].type == COL_STR) {
				*(const char **)at = v;
				continue;
			}
			*(int *)at = (int)strtol(v, &end, 10);
			if (*end != '\0')
				FAIL("%s ligne %zu : « %s » n'est pas un nombre "
				    "(colonne %s)", t->file, r + 2, v,
				    t->cols[i].name);
		}
	*out = base;
	*n = tsv.nrows;
	return 0;
}

int
catalogue_word(const struct catalogue *c, enum cat_vocab v, const char *kw)
{
	size_t	 i;

	for (i = 0; kw != NULL && i < c->nwords[v]; i++)
		if (strcmp(c->words[v][i].keyword, kw) == 0)
			return (int)i;
	return -1;
}

static const char *const cat_vocab_names[VOCAB__COUNT] = {
	[VOCAB_ACTIVITY] = "activity",
	[VOCAB_CATEGORY] = "category",
	[VOCAB_STRUCTURE] = "structure",
};

static int
cat_vocabulary(struct catalogue *c, const struct cat_vocab_row *rows,
    size_t n, char *err, size_t errlen)
{
	size_t	 i;
	int	 v, p;

	for (v = 0; v < VOCAB__COUNT; v++)
		if ((c->words[v] = arena_alloc(&c->arena, (n + 1) *
		    sizeof(struct cat_word))) == NULL)
			FAIL("catalogue : mémoire insuffisante");
	for (i = 0; i < n; i++) {
		for (v = 0; v < VOCAB__COUNT; v++)
			if (strcmp(rows[i].kind, cat_vocab_names[v]) == 0)
				break;
		if (v == VOCAB__COUNT)
			FAIL("vocabulary.tsv : type « %s » inconnu",
			    rows[i].kind);
		if (catalogue_word(c, v, rows[i].keyword) != -1)
			FAIL("vocabulary.tsv : « %s » en double",
			    rows[i].keyword);
		p = -1;
		if (rows[i].parent[0] != '\0' &&
		    (p = catalogue_word(c, v, rows[i].parent)) == -1)
			FAIL("vocabulary.tsv : parent « %s » de « %s » inconnu "
			    "(les parents viennent avant)", rows[i].parent,
			    rows[i].keyword);
		c->words[v][c->nwords[v]++] = (struct cat_word){
		    rows[i].keyword, rows[i].label, p };
	}
	if (c->nwords[VOCAB_ACTIVITY] > 64)
		FAIL("vocabulary.tsv : 64 activités au plus");
	return 0;
}

/* "a,b,c" of words of vocabulary v; each must exist. */
static int
cat_word_list(const struct catalogue *c, enum cat_vocab v, const char *list,
    uint64_t *mask, const char *where, char *err, size_t errlen)
{
	char	 buf[1024], *tok, *save;
	int	 w;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((w = catalogue_word(c, v, tok)) == -1)
			FAIL("%s : « %s » absent du vocabulaire (%s)", where,
			    tok, cat_vocab_names[v]);
		if (mask != NULL)
			*mask |= (uint64_t)1 << w;
	}
	return 0;
}

/* The last year a sheet's deadline names ("2022:0-6 ans|2023:…"), or 0. */
static int
cat_deadline_year(const char *d)
{
	int	 y = 0;

	for (; d != NULL && *d != '\0'; d++)
		if (d[0] >= '1' && d[0] <= '2' && atoi(d) > 2000) {
			y = atoi(d) > y ? atoi(d) : y;
			d += 3;
		}
	return y;
}

static int
cat_sheets(struct catalogue *c, const struct cat_sheet_activities *acts,
    size_t nacts, char *err, size_t errlen)
{
	struct cat_sheet	*s;
	size_t			 i, j;

	for (i = 0; i < c->nsheets; i++) {
		if (c->sheets[i].number != (int)i + 1)
			FAIL("sheets.tsv : la ligne %zu porte la fiche %d, "
			    "attendu %zu", i + 2, c->sheets[i].number, i + 1);
		c->sheets[i].deadline_year = cat_deadline_year(
		    c->sheets[i].deadline);
	}
	for (i = 0; i < nacts; i++) {
		if ((s = (struct cat_sheet *)catalogue_sheet(c,
		    acts[i].sheet)) == NULL)
			FAIL("sheet_activities.tsv : fiche « %s » inconnue",
			    acts[i].sheet);
		if (cat_word_list(c, VOCAB_ACTIVITY, acts[i].activities,
		    &s->activities, acts[i].sheet, err, errlen) == -1)
			return -1;
	}
	for (i = 0, j = 0; i < c->nsheets; i++) {
		s = &c->sheets[i];
		s->first = j;
		while (j < c->nindicators &&
		    strcmp(c->indicators[j].sheet, s->code) == 0)
			j++;
		s->count = j - s->first;
	}
	if (j != c->nindicators)
		FAIL("indicators.tsv : indicateur %s hors de l'ordre des fiches",
		    c->indicators[j].id);
	return 0;
}

/* Measures come in the indicators' order, one row each. */
const struct cat_measure_spec cat_measures[MEASURE__COUNT] = {
	[MEASURE_RECORDS] = { "records", "nombre d'activités enregistrées" },
	[MEASURE_PARTICIPANTS] = { "participants",
	    "nombre de participants (somme des effectifs)" },
	[MEASURE_DISTINCT_PERSONS] = { "distinct_persons",
	    "nombre de personnes distinctes" },
	[MEASURE_BY_CATEGORY] = { "by_category", "participants par catégorie" },
	[MEASURE_BY_RESIDENCE] = { "by_residence",
	    "participants par commune de résidence" },
	[MEASURE_BY_ACTIVITY] = { "by_activity", "activités par type" },
	[MEASURE_VENUES] = { "venues", "communes où les activités ont eu lieu" },
	[MEASURE_COVERAGE] = { "coverage",
	    "communes de la CC ayant accueilli une activité" },
	[MEASURE_PARTNERS] = { "partners", "partenaires distincts" },
	[MEASURE_CADENCE] = { "cadence",
	    "plus long écart entre deux activités (jours)" },
	[MEASURE_TREND] = { "trend", "évolution sur un an" },
	[MEASURE_QUALITATIVE] = { "qualitative",
	    "suivi qualitatif (éléments datés)" },
};

static uint64_t
cat_bit(int i)
{
	return i >= 0 && i < 64 ? (uint64_t)1 << i : 0;
}

int
catalogue_filter_selects(const struct cat_filter *f, int act, int str,
    uint64_t cats)
{
	return (f->act == 0 || (f->act & cat_bit(act)) != 0) &&
	    (f->str == 0 || (f->str & cat_bit(str)) != 0) &&
	    (f->cat == 0 || (f->cat & cats) != 0);
}

int
catalogue_measure(const char *name)
{
	int	 m;

	for (m = 0; m < MEASURE__COUNT; m++)
		if (strcmp(cat_measures[m].name, name) == 0)
			return m;
	return -1;
}

/* The mask of a category and of every category under it. */
static uint64_t
cat_category_mask(const struct catalogue *c, int w)
{
	uint64_t	 m = 0;
	size_t		 i;
	int		 p;

	for (i = 0; i < c->nwords[VOCAB_CATEGORY] && i < 64; i++)
		for (p = (int)i; p != -1; p = c->words[VOCAB_CATEGORY][p].parent)
			if (p == w)
				m |= cat_bit((int)i);
	return m;
}

/*
 * An indicator's declaration compiled once: its measure and basis as
 * enums, its filter as masks, its target and baseline as numbers.
 */
static int
cat_compile(struct catalogue *c, struct cat_indicator *ind, char *err,
    size_t errlen)
{
	char		 filter[512], *tok, *save, *eq, *w, *save2;
	uint64_t	*mask;
	int		 v, m, b, k;

	if ((m = catalogue_measure(ind->measure)) == -1)
		FAIL("measures.tsv : mesure « %s » de %s inconnue", ind->measure,
		    ind->id);
	ind->m = (enum cat_measure)m;
	b = ind->basis[0] != '\0' ? catalogue_measure(ind->basis) : -1;
	ind->basis_m = b == MEASURE_PARTICIPANTS ||
	    b == MEASURE_DISTINCT_PERSONS ? (enum cat_measure)b :
	    MEASURE_RECORDS;
	ind->all = strcmp(ind->scope, "all") == 0;
	ind->has_target = ind->target[0] != '\0';
	ind->target_v = ind->has_target ? atof(ind->target) : 0;
	ind->per_year = strcmp(ind->target_per, "an") == 0;
	ind->has_baseline = ind->baseline[0] != '\0';
	ind->baseline_v = ind->has_baseline ? atof(ind->baseline) : 0;
	memset(&ind->f, 0, sizeof(ind->f));
	snprintf(filter, sizeof(filter), "%s", ind->filter);
	for (tok = strtok_r(filter, ";", &save); tok != NULL;
	    tok = strtok_r(NULL, ";", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			FAIL("measures.tsv : filtre « %s » de %s illisible", tok,
			    ind->id);
		*eq++ = '\0';
		for (v = 0; v < VOCAB__COUNT; v++)
			if (strcmp(tok, cat_vocab_names[v]) == 0)
				break;
		if (v == VOCAB__COUNT)
			FAIL("measures.tsv : filtre « %s » de %s inconnu", tok,
			    ind->id);
		if (cat_word_list(c, v, eq, NULL, ind->id, err, errlen) == -1)
			return -1;
		mask = v == VOCAB_ACTIVITY ? &ind->f.act : v == VOCAB_STRUCTURE ?
		    &ind->f.str : &ind->f.cat;
		for (w = strtok_r(eq, ",", &save2); w != NULL;
		    w = strtok_r(NULL, ",", &save2)) {
			k = catalogue_word(c, v, w);
			*mask |= v == VOCAB_CATEGORY ? cat_category_mask(c, k) :
			    cat_bit(k);
		}
	}
	return 0;
}

static int
cat_bind_measures(struct catalogue *c, const struct cat_indicator *m, size_t n,
    char *err, size_t errlen)
{
	struct cat_indicator	*ind;
	size_t			 i;

	if (n != c->nindicators)
		FAIL("measures.tsv : %zu lignes pour %zu indicateurs", n,
		    c->nindicators);
	for (i = 0; i < n; i++) {
		ind = &c->indicators[i];
		if (strcmp(m[i].id, ind->id) != 0)
			FAIL("measures.tsv ligne %zu : « %s », attendu « %s »",
			    i + 2, m[i].id, ind->id);
		ind->measure = m[i].measure;
		ind->scope = m[i].scope;
		ind->filter = m[i].filter;
		ind->basis = m[i].basis;
		ind->target = m[i].target;
		ind->target_per = m[i].target_per;
		ind->baseline = m[i].baseline;
		ind->baseline_year = m[i].baseline_year;
		ind->note = m[i].note;
		if (cat_compile(c, ind, err, errlen) == -1)
			return -1;
	}
	return 0;
}

static int
cat_communes(const struct catalogue *c, char *err, size_t errlen)
{
	size_t	 i;

	for (i = 1; i < c->ncommunes; i++)
		if (strcmp(c->communes[i - 1].code, c->communes[i].code) >= 0)
			FAIL("communes.tsv : %s n'est pas trié après %s",
			    c->communes[i].code, c->communes[i - 1].code);
	for (i = 0; i < c->ncommunes; i++)
		if (catalogue_commune(c, c->communes[i].current) == NULL)
			FAIL("communes.tsv : %s renvoie à %s, inconnue",
			    c->communes[i].code, c->communes[i].current);
	return 0;
}

int
catalogue_load(struct catalogue *c, const struct data_file *files,
    size_t nfiles, char *err, size_t errlen)
{
	struct cat_indicator		*measures;
	struct cat_vocab_row		*vocab;
	struct cat_sheet_activities	*acts;
	size_t				 nmeasures, nvocab, nacts;

	memset(c, 0, sizeof(*c));
	if (cat_bind(c, files, nfiles, FILE_AXES, (void **)&c->axes,
	    &c->naxes, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_OBJECTIVES,
	    (void **)&c->objectives, &c->nobjectives, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_SHEETS, (void **)&c->sheets,
	    &c->nsheets, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_INDICATORS,
	    (void **)&c->indicators, &c->nindicators, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_MEASURES, (void **)&measures,
	    &nmeasures, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_VOCABULARY, (void **)&vocab,
	    &nvocab, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_SHEET_ACTIVITIES, (void **)&acts,
	    &nacts, err, errlen) == -1 ||
	    cat_bind(c, files, nfiles, FILE_COMMUNES, (void **)&c->communes,
	    &c->ncommunes, err, errlen) == -1 ||
	    cat_vocabulary(c, vocab, nvocab, err, errlen) == -1 ||
	    cat_sheets(c, acts, nacts, err, errlen) == -1 ||
	    cat_bind_measures(c, measures, nmeasures, err, errlen) == -1 ||
	    cat_communes(c, err, errlen) == -1) {
		catalogue_free(c);
		return -1;
	}
	return 0;
}

const struct catalogue *
catalogue_builtin(char *err, size_t errlen)
{
	static struct catalogue	 c;
	static int		 loaded;

	if (!loaded) {
		if (catalogue_load(&c, catalogue_files, catalogue_files_n, err,
		    errlen) == -1)
			return NULL;
		loaded = 1;
	}
	return &c;
}

void
catalogue_free(struct catalogue *c)
{
	arena_free(&c->arena);
	memset(c, 0, sizeof(*c));
}

const struct cat_sheet *
catalogue_sheet(const struct catalogue *c, const char *s)
{
	char	*end;
	long	 n;
	size_t	 i;

	if (s == NULL || *s == '\0')
		return NULL;
	n = strtol(s, &end, 10);
	if (*end == '\0' && s[0] != '0' && n >= 1 && (size_t)n <= c->nsheets)
		return &c->sheets[n - 1];
	for (i = 0; i < c->nsheets; i++)
		if (strcmp(c->sheets[i].code, s) == 0)
			return &c->sheets[i];
	return NULL;
}

int
catalogue_sheet_accepts(const struct cat_sheet *s, int activity)
{
	return activity >= 0 && activity < 64 &&
	    (s->activities & ((uint64_t)1 << activity)) != 0;
}

const char *
catalogue_words_list(const struct catalogue *c, enum cat_vocab v,
    uint64_t mask, char *buf, size_t len)
{
	size_t	 i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < c->nwords[v] && o < len; i++) {
		if (mask != 0 && (i >= 64 || !(mask & ((uint64_t)1 << i))))
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s",
		    o ? ", " : "", c->words[v][i].keyword);
	}
	return buf;
}

static int
cat_commune_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cat_commune *)elem)->code);
}

const struct cat_commune *
catalogue_commune(const struct catalogue *c, const char *code)
{
	if (code == NULL)
		return NULL;
	return bsearch(code, c->communes, c->ncommunes, sizeof(*c->communes),
	    cat_commune_cmp);
}
