/*
 * query.c — the read side: aggregate rows and evidence of a sheet into
 * indicator.c, the table of questions it answers, and verify's report,
 * as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "arena.h"
#include "indicator.h"
#include "log.h"
#include "lookup.h"
#include "query_int.h"
#include "record.h"
#include "store.h"
#include "utf8.h"
#include "uuid.h"

#define QUERY_SHOWN	160	/* bytes of a caller's value quoted back */

struct query_db *
query_open(const char *path, const struct catalogue *cat, int small_cells,
    char *err, size_t errlen)
{
	struct query_db	*q = calloc(1, sizeof(*q));
	char		 sql[512];
	size_t		 i, k, o;

	if (q == NULL)
		return NULL;
	q->cat = cat;
	q->small_cells = small_cells;
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(q->db, 5000);
	/* Reads straight from the mapped file, no copy per page. */
	if (sqlite3_exec(q->db, "PRAGMA mmap_size = 17179869184;"
	    "PRAGMA cache_size = -32768;", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	{
		struct store_options so = { 0, cat, 0, 0 };

		if ((q->store = store_open(path, &so, err, errlen)) == NULL) {
			query_close(q);
			return NULL;
		}
	}
	for (i = 0; i < AGG__TABLES; i++) {
		const struct agg_table_spec *t = &agg_tables[i];

		o = (size_t)snprintf(sql, sizeof(sql), "SELECT sheet = '*', %s",
		    t->period);
		for (k = 0; k < t->nkeys; k++)
			o += (size_t)snprintf(sql + o, sizeof(sql) - o, ", %s",
			    t->keys[k]);
		snprintf(sql + o, sizeof(sql) - o, ", n FROM %s WHERE sheet "
		    "= ?3 AND %s BETWEEN ?1 AND ?2", t->name, t->period);
		if (sqlite3_prepare_v3(q->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &q->rows[i], NULL) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_prepare_v3(q->db, "SELECT indicator, date, state, text, "
	    "reference, lower(hex(id)) FROM evidence WHERE indicator > ?1 || '/' "
	    "AND indicator < ?1 || '0' AND date <= ?2 ORDER BY date, id", -1,
	    SQLITE_PREPARE_PERSISTENT, &q->evidence, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(q->db, "SELECT rev FROM revision WHERE "
	    "record = ?1 ORDER BY rev", -1, SQLITE_PREPARE_PERSISTENT,
	    &q->revisions, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(q->db, query_recent_sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &q->recent, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(q->db, query_duplicates_sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &q->duplicates, NULL) != SQLITE_OK)
		goto fail;
	return q;
fail:
	snprintf(err, errlen, "lecture de %s impossible : %s", path,
	    q->db ? sqlite3_errmsg(q->db) : "mémoire insuffisante");
	query_close(q);
	return NULL;
}

void
query_close(struct query_db *q)
{
	size_t	 i, k;

	if (q == NULL)
		return;
	for (i = 0; i < AGG__TABLES; i++) {
		sqlite3_finalize(q->rows[i]);
		for (k = 0; k < QUERY_SHEETS_MAX; k++)
			sqlite3_finalize(q->all[k][i]);
	}
	sqlite3_finalize(q->evidence);
	sqlite3_finalize(q->revisions);
	sqlite3_finalize(q->recent);
	sqlite3_finalize(q->duplicates);
	store_close(q->store);
	sqlite3_close(q->db);
	free(q);
}

const char *
query_col(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : arena_strdup(a, (const char *)t);
}

/* " AND column IN ('a', 'b')" for a vocabulary mask; nothing for 0. */
static size_t
query_in(const struct catalogue *c, enum cat_vocab v, const char *column,
    uint64_t mask, char *sql, size_t len)
{
	size_t	 o = 0, i;

	if (mask == 0)
		return 0;
	o += (size_t)snprintf(sql + o, len - o, " AND %s IN (", column);
	for (i = 0; i < c->nwords[v] && i < 64; i++)
		if (mask >> i & 1) {
			sqlite3_snprintf((int)(len - o), sql + o, "%s%Q",
			    sql[o - 1] == '(' ? "" : ", ",
			    c->words[v][i].keyword);
			o += strlen(sql + o);
		}
	return o + (size_t)snprintf(sql + o, len - o, ")");
}

/* " AND (instr(...) OR ...)": a categories list holding any of a mask's. */
static size_t
query_any_category(const struct catalogue *c, uint64_t mask, char *sql,
    size_t len)
{
	char	 word[128];
	size_t	 o = 0, i;

	if (mask == 0)
		return 0;
	o += (size_t)snprintf(sql, len, " AND (0");
	for (i = 0; i < c->nwords[VOCAB_CATEGORY] && i < 64; i++)
		if (mask >> i & 1) {
			snprintf(word, sizeof(word), ",%s,",
			    c->words[VOCAB_CATEGORY][i].keyword);
			sqlite3_snprintf((int)(len - o), sql + o, " OR instr(',' "
			    "|| categories || ',', %Q)", word);
			o += strlen(sql + o);
		}
	return o + (size_t)snprintf(sql + o, len - o, ")");
}

/*
 * The statement that reads, for a sheet, the AGG_ALL rows of one table
 * that its plan (ind_plan) selects: prepared on first use, kept.
 */
static sqlite3_stmt *
query_all_stmt(struct query_db *q, const struct cat_sheet *s,
    enum agg_table t, const struct ind_need *need)
{
	const struct agg_table_spec	*ts = &agg_tables[t];
	sqlite3_stmt			**st;
	char				 sql[4096];
	size_t				 o, k;

	if (s->number < 1 || s->number > QUERY_SHEETS_MAX)
		return NULL;	/* a catalogue larger than the cache */
	if (*(st = &q->all[s->number - 1][t]) != NULL)
		return *st;
	o = (size_t)snprintf(sql, sizeof(sql), "SELECT 1, %s", ts->period);
	for (k = 0; k < ts->nkeys; k++)
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, ", %s",
		    ts->keys[k]);
	o += (size_t)snprintf(sql + o, sizeof(sql) - o, ", n FROM %s WHERE "
	    "sheet = '%s' AND %s BETWEEN ?1 AND ?2", ts->name, AGG_ALL,
	    ts->period);
	o += query_in(q->cat, VOCAB_ACTIVITY, "activity", need->act, sql + o,
	    sizeof(sql) - o);
	o += query_in(q->cat, VOCAB_STRUCTURE, "structure", need->str,
	    sql + o, sizeof(sql) - o);
	if (t == AGG_GROUPS || t == AGG_PERSONS)
		query_in(q->cat, VOCAB_CATEGORY, "category", need->cat,
		    sql + o, sizeof(sql) - o);
	else if (t == AGG_RECORDS || t == AGG_DAYS)
		query_any_category(q->cat, need->cat, sql + o,
		    sizeof(sql) - o);
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK)
		*st = NULL;
	return *st;
}

/* Appends the rows a statement reads between lo and hi; 0 or -1. */
static int
query_rows(sqlite3_stmt *st, enum agg_table t, const char *sheet, int lo,
    int hi, struct arena *a, struct ind_row **v, size_t *n, size_t *cap)
{
	struct ind_row	*r, *nv, *prev;
	size_t		 k, first = *n;
	int		 rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, lo);
	sqlite3_bind_int(st, 2, hi);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_text(st, 3, sheet, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			if ((nv = realloc(*v, *cap * sizeof(**v))) == NULL)
				break;
			*v = nv;
		}
		prev = *n > first ? &(*v)[*n - 1] : NULL;
		r = &(*v)[(*n)++];
		r->table = t;
		r->all = sqlite3_column_int(st, 0);
		r->period = sqlite3_column_int(st, 1);
		for (k = 0; k < agg_tables[t].nkeys; k++) {
			const char *c = (const char *)sqlite3_column_text(st,
			    (int)k + 2);

			/* Rows come in key order: share a repeated value. */
			r->k[k] = prev != NULL && c != NULL && prev->k[k] !=
			    NULL && strcmp(prev->k[k], c) == 0 ? prev->k[k] :
			    query_col(a, st, (int)k + 2);
		}
		r->n = sqlite3_column_int64(st, (int)agg_tables[t].nkeys + 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
query_evidence(struct query_db *q, const char *sheet, int to,
    struct arena *a, struct ind_evidence **v, size_t *n)
{
	sqlite3_stmt	*st = q->evidence;
	char		 last[32];
	size_t		 cap = 0;
	struct ind_evidence *nv;
	int		 rc;

	snprintf(last, sizeof(last), "%04d-%02d-31", to / 100, to % 100);
	sqlite3_bind_text(st, 1, sheet, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(*v, cap * sizeof(**v))) == NULL)
				break;
			*v = nv;
		}
		(*v)[*n] = (struct ind_evidence){ query_col(a, st, 0),
		    query_col(a, st, 1), query_col(a, st, 2),
		    query_col(a, st, 3), query_col(a, st, 4),
		    query_col(a, st, 5) };
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Sets the French error and returns NULL, for any pointer type. v, the
 * caller's value, is quoted sanitized and cut on a character boundary.
 */
void *
query_fail(struct query_db *q, const char **error, enum query_error kind,
    const char *fmt, const char *v)
{
	char	 shown[QUERY_SHOWN + 4];

	utf8_excerpt(v ? v : "", v ? strlen(v) : 0, shown, sizeof(shown));
	snprintf(q->error, sizeof(q->error), fmt, shown);
	*error = q->error;
	q->status = (int)kind;
	return NULL;
}

int
query_status(const struct query_db *q)
{
	return q->status;
}

char *
query_json(json_object *o)
{
	char	*s = strdup(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

int
query_window(struct query_db *q, const struct query *qu, int64_t today,
    int *from, int *to, const char **error)
{
	char	 now[11];
	int	 cur;

	date_format(today, now);
	cur = atoi(now) * 100 + atoi(now + 5);
	*from = qu->from && *qu->from ? ind_month_parse(qu->from) :
	    cur / 100 * 100 + 1;
	*to = qu->to && *qu->to ? ind_month_parse(qu->to) : cur;
	if (*from < 0)
		return query_fail(q, error, QUERY_BAD,
		    "début « %s » invalide : attendu "
		    "un mois AAAA-MM", qu->from), -1;
	if (*to < 0)
		return query_fail(q, error, QUERY_BAD,
		    "fin « %s » invalide : attendu un "
		    "mois AAAA-MM", qu->to), -1;
	if (*from > *to)
		return query_fail(q, error, QUERY_BAD,
		    "période inversée : le début "
		    "(%s) vient après la fin", qu->from), -1;
	if (*to > cur)
		return query_fail(q, error, QUERY_BAD,
		    "fin « %s » dans le futur : "
		    "attendu au plus le mois en cours", qu->to), -1;
	return 0;
}

/* One sheet's JSON over the window; NULL with *error. */
static json_object *
query_sheet_json(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	struct ind_input	 in = { .cat = q->cat, .today = today };
	struct ind_row		*rows = NULL;
	struct ind_evidence	*ev = NULL;
	struct arena		 a = { 0 };
	size_t			 n = 0, cap = 0, nev = 0;
	struct ind_need		 plan[AGG__TABLES][2];
	int			 all, ok = 1, t;
	json_object		*json = NULL;

	if ((in.sheet = catalogue_sheet(q->cat, qu->key)) == NULL)
		return query_fail(q, error, QUERY_UNKNOWN,
		    "fiche « %s » inconnue : attendu un "
		    "code comme III.A.17 ou un numéro de 1 à 46", qu->key);
	if (query_window(q, qu, today, &in.from, &in.to, error) == -1)
		return NULL;
	ind_plan(q->cat, in.sheet, plan);
	for (t = 0; t < AGG__TABLES && ok; t++) {
		for (all = 0; all < 2 && ok; all++) {
			const struct ind_need *need = &plan[t][all];
			int lo = in.from + need->lo, hi = in.to;

			if (!need->need)
				continue;
			if (t == AGG_DAYS) {
				lo *= 100;
				hi = hi * 100 + 99;
			}
			ok = query_rows(all ? query_all_stmt(q, in.sheet,
			    (enum agg_table)t, need) : q->rows[t],
			    (enum agg_table)t, in.sheet->code, lo, hi, &a,
			    &rows, &n, &cap) == 0;
		}
	}
	if (ok)
		ok = query_evidence(q, in.sheet->code, in.to, &a, &ev,
		    &nev) == 0;
	if (!ok) {
		query_fail(q, error, QUERY_BROKEN,
		    "lecture de la base impossible : %s",
		    sqlite3_errmsg(q->db));
		goto out;
	}
	in.rows = rows;
	in.nrows = n;
	in.evidence = ev;
	in.nevidence = nev;
	if ((json = ind_sheet(&in)) != NULL)
		json_object_object_add(json, "small_cells",
		    json_object_new_int(q->small_cells));
out:
	free(rows);
	free(ev);
	arena_free(&a);
	return json;
}

static char *
query_sheet(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	json_object	*o = query_sheet_json(q, qu, today, error);

	return o == NULL ? NULL : query_json(o);
}

/*
 * Where every sheet stands over the window, by axis; with a key, one axis
 * only.
 */
static char *
query_overview(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	json_object	*o = json_object_new_object(), *axes, *ax = NULL;
	json_object	*list = NULL, *doc, *so;
	struct query	 one = *qu;
	const char	*axis = "", *keys[] = { "code", "number", "title",
			    "deadline", "records", "participants", "status" };
	const struct cat_axis *only = NULL;
	char		 err[256];
	size_t		 i, k;

	/* « II », « ii » or « 2 ». */
	if (qu->key != NULL && (only = lookup_axis(q->cat, qu->key, err,
	    sizeof(err))) == NULL) {
		json_object_put(o);
		query_fail(q, error, QUERY_UNKNOWN, "%s", err);
		return NULL;
	}
	json_object_object_add(o, "axes", axes = json_object_new_array());
	for (i = 0; i < q->cat->nsheets; i++) {
		if (only != NULL &&
		    strcmp(q->cat->sheets[i].axis, only->code) != 0)
			continue;
		one.key = q->cat->sheets[i].code;
		if ((doc = query_sheet_json(q, &one, today, error)) == NULL) {
			json_object_put(o);
			return NULL;
		}
		if (json_object_object_get(o, "from") == NULL) {
			json_object_object_add(o, "from", json_object_get(
			    json_object_object_get(doc, "from")));
			json_object_object_add(o, "to", json_object_get(
			    json_object_object_get(doc, "to")));
		}
		if (strcmp(q->cat->sheets[i].axis, axis) != 0) {
			axis = q->cat->sheets[i].axis;
			ax = json_object_new_object();
			for (k = 0; k < q->cat->naxes; k++)
				if (strcmp(q->cat->axes[k].code, axis) == 0)
					json_object_object_add(ax, "title",
					    json_object_new_string(
					    q->cat->axes[k].title));
			json_object_object_add(ax, "code",
			    json_object_new_string(axis));
			json_object_object_add(ax, "sheets",
			    list = json_object_new_array());
			json_object_array_add(axes, ax);
		}
		so = json_object_new_object();
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			json_object_object_add(so, keys[k], json_object_get(
			    json_object_object_get(doc, keys[k])));
		json_object_array_add(list, so);
		json_object_put(doc);
	}
	return query_json(o);
}

json_object *
query_rollup_doc(struct query_db *q, const char *month, int64_t today,
    const char **error)
{
	json_object	*o, *list, *s, *m, *y;
	struct query	 one = { "sheet", NULL, month, month };
	char		 jan[8];
	size_t		 i;

	if (ind_month_parse(month) < 0)
		return query_fail(q, error, QUERY_BAD,
		    "mois « %s » invalide : attendu "
		    "AAAA-MM", month);
	snprintf(jan, sizeof(jan), "%.4s-01", month);
	o = json_object_new_object();
	json_object_object_add(o, "month", json_object_new_string(month));
	json_object_object_add(o, "small_cells",
	    json_object_new_int(q->small_cells));
	json_object_object_add(o, "sheets", list = json_object_new_array());
	for (i = 0; i < q->cat->nsheets; i++) {
		one.key = q->cat->sheets[i].code;
		one.from = month;
		if ((m = query_sheet_json(q, &one, today, error)) == NULL) {
			json_object_put(o);
			return NULL;
		}
		one.from = jan;
		if ((y = query_sheet_json(q, &one, today, error)) == NULL) {
			json_object_put(m);
			json_object_put(o);
			return NULL;
		}
		s = json_object_new_object();
		json_object_object_add(s, "code", json_object_new_string(
		    q->cat->sheets[i].code));
		json_object_object_add(s, "month", m);
		json_object_object_add(s, "year_to_date", y);
		json_object_array_add(list, s);
	}
	return o;
}

/* The latest stored revision of a month's rollup, else provisional figures. */
static char *
query_rollup(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	sqlite3_stmt	*st;
	json_object	*o;
	char		*json = NULL;

	if (qu->key == NULL || ind_month_parse(qu->key) < 0)
		return query_fail(q, error, QUERY_BAD,
		    "mois « %s » invalide : attendu "
		    "AAAA-MM", qu->key);
	if (sqlite3_prepare_v2(q->db, "SELECT json FROM rollup WHERE month = "
	    "?1 ORDER BY rev DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return query_fail(q, error, QUERY_BROKEN,
		    "lecture de la base impossible%s",
		    "");
	sqlite3_bind_text(st, 1, qu->key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		json = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (json != NULL)
		return json;
	if ((o = query_rollup_doc(q, qu->key, today, error)) == NULL)
		return NULL;
	json_object_object_add(o, "revision", json_object_new_int(0));
	json_object_object_add(o, "provisional", json_object_new_boolean(1));
	return query_json(o);
}

static char *
query_kind_revisions(struct query_db *q, const struct query *qu,
    int64_t today, const char **error)
{
	(void)today;
	return query_revisions(q, qu, error);
}

static char *
query_kind_overview(struct query_db *q, const struct query *qu,
    int64_t today, const char **error)
{
	return query_overview(q, &(struct query){ qu->kind,
	    strcmp(qu->kind, "axis") == 0 ? qu->key : NULL, qu->from, qu->to },
	    today, error);
}

/*
 * The questions the read side answers (verify and backup: query_verify);
 * own: about one structure's records, named by the key's first word.
 */
static const struct {
	const char	*kind;
	char		*(*answer)(struct query_db *, const struct query *,
			    int64_t, const char **);
	int		 own;
} query_kinds[] = {
	{ "sheet", query_sheet, 0 },
	{ "overview", query_kind_overview, 0 },
	{ "axis", query_kind_overview, 0 },
	{ "commune", query_commune, 0 },
	{ "records", query_records, 0 },
	{ "recent", query_recent, 1 },
	{ "duplicates", query_duplicates, 0 },
	{ "rollup", query_rollup, 0 },
	{ "completeness", query_completeness, 0 },
	{ "revisions", query_kind_revisions, 0 },
};

int
query_is_own(const struct query *qu)
{
	size_t	 i;

	for (i = 0; qu->kind != NULL && i < sizeof(query_kinds) /
	    sizeof(query_kinds[0]); i++)
		if (strcmp(query_kinds[i].kind, qu->kind) == 0)
			return query_kinds[i].own;
	return 0;
}

char *
query_answer(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	size_t	 i;

	*error = NULL;
	for (i = 0; qu->kind != NULL && i < sizeof(query_kinds) /
	    sizeof(query_kinds[0]); i++)
		if (strcmp(query_kinds[i].kind, qu->kind) == 0)
			return query_kinds[i].answer(q, qu, today, error);
	return query_fail(q, error, QUERY_UNKNOWN,
	    "question « %s » inconnue : attendu "
	    "sheet, overview, axis, commune, records, recent, duplicates, "
	    "rollup, completeness, revisions ou verify", qu->kind);
}

struct query_diffs {
	json_object	*list;
	long		 n;
};

static void
query_diff(void *arg, const struct agg_key *k, int64_t stored,
    int64_t expected)
{
	struct query_diffs	*d = arg;
	json_object		*o, *keys;
	size_t			 i;

	if (++d->n > QUERY_MAX_DIFFS)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "table",
	    json_object_new_string(agg_tables[k->table].name));
	json_object_object_add(o, "sheet", json_object_new_string(k->sheet));
	json_object_object_add(o, "period", json_object_new_int(k->period));
	keys = json_object_new_array();
	for (i = 0; i < agg_tables[k->table].nkeys; i++)
		json_object_array_add(keys, json_object_new_string(k->k[i]));
	json_object_object_add(o, "keys", keys);
	json_object_object_add(o, "stored", json_object_new_int64(stored));
	json_object_object_add(o, "expected", json_object_new_int64(expected));
	json_object_array_add(d->list, o);
}

int
query_is_long(const struct query *q)
{
	return q->kind != NULL && (strcmp(q->kind, "verify") == 0 ||
	    strcmp(q->kind, "backup") == 0);
}

/* An online backup into qu->key, a new file on the daemon's machine. */
static char *
query_backup(struct store *s, const struct query *qu)
{
	json_object	*o = json_object_new_object();
	char		 err[512];
	long		 pages;

	if (qu->key == NULL || qu->key[0] == '\0')
		snprintf(err, sizeof(err), "chemin de la sauvegarde absent");
	if (qu->key == NULL || qu->key[0] == '\0' ||
	    (pages = store_backup(s, qu->key, err, sizeof(err))) < 0) {
		log_warn("event=backup_failed reason=\"%s\"", err);
		json_object_object_add(o, "erreur", json_object_new_string(err));
		return query_json(o);
	}
	log_info("event=backup pages=%ld", pages);
	json_object_object_add(o, "backup", json_object_new_string(qu->key));
	json_object_object_add(o, "pages", json_object_new_int64(pages));
	return query_json(o);
}

char *
query_verify(struct store *s, const struct query *qu, void *arg)
{
	struct query_diffs	 d = { json_object_new_array(), 0 };
	json_object		*o;
	long			 n, records = 0;

	(void)arg;
	if (qu->kind != NULL && strcmp(qu->kind, "backup") == 0) {
		json_object_put(d.list);
		return query_backup(s, qu);
	}
	if ((n = store_verify(s, query_diff, &d, &records)) < 0) {
		log_warn("event=verify_failed reason=\"%s\"", store_errmsg(s));
		json_object_put(d.list);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "records", json_object_new_int64(records));
	json_object_object_add(o, "differences", json_object_new_int64(n));
	json_object_object_add(o, "rows", d.list);
	return query_json(o);
}
