/*
 * store_agg.c — the aggregates on disk: the read model's cells, one row
 * per slot and month (agg_cell, words by id in agg_word); each commit's
 * changes to them as one row (agg_delta), folded into the cells every
 * STORE_DELTAS_MAX commits or STORE_DELTA_BYTES of such rows; distinct persons' members by key
 * (agg_persons). Loading them into a model at start, verify, which
 * recomputes everything from the records and compares, and the rebuild.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "model.h"
#include "store_int.h"

enum {
	AGG_CELL_GET,
	AGG_CELL_PUT,
	AGG_CELL_DEL,
	AGG_WORD_PUT,
	AGG_PERSON_ADD,
	AGG_PERSON_PRUNE,
	AGG_DELTA_PUT,
	AGG_DELTA_EACH,
	AGG_DELTA_CLEAR,
	AGG__STMTS
};

static const char *const agg_sql[] = {
	[AGG_CELL_GET] = "SELECT data FROM agg_cell WHERE slot = ?1 AND "
	    "month = ?2",
	[AGG_CELL_PUT] = "INSERT OR REPLACE INTO agg_cell (slot, month, data) "
	    "VALUES (?1, ?2, ?3)",
	[AGG_CELL_DEL] = "DELETE FROM agg_cell WHERE slot = ?1 AND month = ?2",
	[AGG_WORD_PUT] = "INSERT OR REPLACE INTO agg_word (id, word) "
	    "VALUES (?1, ?2)",
	[AGG_PERSON_ADD] = "INSERT INTO agg_persons (sheet, month, activity, "
	    "structure, category, person, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7) ON CONFLICT DO UPDATE SET n = n + excluded.n",
	[AGG_PERSON_PRUNE] = "DELETE FROM agg_persons WHERE sheet = ?1 AND "
	    "month = ?2 AND activity = ?3 AND structure = ?4 AND category = ?5 "
	    "AND person = ?6 AND n = 0",
	[AGG_DELTA_PUT] = "INSERT INTO agg_delta (data) VALUES (?1)",
	[AGG_DELTA_EACH] = "SELECT data FROM agg_delta ORDER BY seq",
	[AGG_DELTA_CLEAR] = "DELETE FROM agg_delta",
};

int
store_agg_prepare(struct store *s)
{
	return store_prepare_each(s, agg_sql, AGG__STMTS, s->agg);
}

void
store_agg_finalize(struct store *s)
{
	store_finalize_each(s->agg, AGG__STMTS);
	model_free(s->cells);
	s->cells = NULL;
}

void
store_agg_committed(struct store *s)
{
	if (s->cells != NULL)
		s->words_stored = model_nwords(s->cells);
}

void
store_agg_rolled_back(struct store *s)
{
	/* Its words may not be those of agg_word now: read them again. */
	model_free(s->cells);
	s->cells = NULL;
}

/*
 * agg_word's words interned into m in id order; *map (malloc'd) gives each
 * stored id's id in m. 0, -2 when the ids do not run from 0, or -1.
 */
static int
store_words(struct store *s, struct model *m, long **map, size_t *nmap)
{
	sqlite3_stmt	*st;
	long		*nm;
	int		 rc;

	*map = NULL;
	*nmap = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT id, word FROM agg_word ORDER BY "
	    "id", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != (sqlite3_int64)*nmap) {
			rc = SQLITE_CORRUPT;
			break;
		}
		if ((nm = realloc(*map, (*nmap + 1) * sizeof(*nm))) == NULL ||
		    (nm[*nmap] = model_intern(m, (const char *)
		    sqlite3_column_text(st, 1))) < 0) {
			*map = nm != NULL ? nm : *map;
			rc = SQLITE_NOMEM;
			break;
		}
		*map = nm;
		(*nmap)++;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(*map);
	*map = NULL;
	return rc == SQLITE_CORRUPT ? -2 : -1;
}

/* The writer's delta model, its words those of agg_word; 0 or -1. */
static int
store_cells(struct store *s)
{
	sqlite3_stmt	*st;
	long		*map;
	size_t		 nmap;

	if (s->cells != NULL)
		return 0;
	if (s->cat == NULL || (s->cells = model_new_delta(s->cat)) == NULL)
		return -1;
	if (store_words(s, s->cells, &map, &nmap) != 0)
		goto fail;
	free(map);	/* the same ids: the model was empty */
	if (sqlite3_prepare_v2(s->db, "SELECT count(*), coalesce(sum(length("
	    "data)), 0) FROM agg_delta", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->ndeltas = sqlite3_column_int64(st, 0);
		s->delta_bytes = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	s->words_stored = model_nwords(s->cells);
	return 0;
fail:
	model_free(s->cells);
	s->cells = NULL;
	return -1;
}

static void
store_bind_cell(sqlite3_stmt *st, const char *slot, int month)
{
	sqlite3_bind_text(st, 1, slot, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, month);
}

/* One cell of a delta, merged with its stored row and written. */
static int
store_cell_write(struct store *s, const struct model *d, int slot, int month,
    struct buf *out)
{
	const char	*name = model_slot_name(d, slot);
	sqlite3_stmt	*get = s->agg[AGG_CELL_GET], *st;
	long		 n;
	int		 rc;

	store_bind_cell(get, name, month);
	rc = sqlite3_step(get);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(get);
		return -1;
	}
	n = model_cell_merge(d, slot, month, rc == SQLITE_ROW ?
	    sqlite3_column_blob(get, 0) : NULL, rc == SQLITE_ROW ?
	    (size_t)sqlite3_column_bytes(get, 0) : 0, out);
	sqlite3_reset(get);
	if (n < 0)
		return -1;
	st = s->agg[n > 0 ? AGG_CELL_PUT : AGG_CELL_DEL];
	store_bind_cell(st, name, month);
	if (n > 0)
		sqlite3_bind_blob(st, 3, out->p, (int)out->len, SQLITE_STATIC);
	return store_exec(s, st);
}

struct store_sink_ctx {
	struct store		*s;
	struct agg_batch	*b;
};

static int
store_sink_add(void *arg, const struct agg_key *k, int64_t d)
{
	struct store_sink_ctx	*c = arg;

	return k->table == AGG_PERSONS ? agg_batch_add(c->b, k, d) :
	    model_fold(c->s->cells, k, d);
}

int
store_agg_record(struct store *s, struct agg_batch *b,
    const struct record *r, int sign)
{
	struct store_sink_ctx	 c = { s, b };
	struct agg_sink		 sink = { store_sink_add, &c };

	if (store_cells(s) == -1)
		return -1;
	if (s->applied) {	/* what the last store_apply wrote */
		model_delta_clear(s->cells);
		s->applied = 0;
	}
	return agg_record(&sink, s->cat, r, sign);
}

void
store_agg_begin(struct store *s)
{
	if (s->cells != NULL)
		model_delta_clear(s->cells);
	s->applied = 0;
}

struct store_persons_ctx {
	struct store	*s;
	int		 failed;
};

static void
store_bind_person(sqlite3_stmt *st, const struct agg_key *k)
{
	size_t	 i;

	sqlite3_bind_text(st, 1, k->sheet, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, k->period);
	for (i = 0; i < 4; i++)
		sqlite3_bind_text(st, (int)i + 3, k->k[i], -1, SQLITE_STATIC);
}

static void
store_person(void *arg, const struct agg_key *k, int64_t delta)
{
	struct store_persons_ctx	*c = arg;
	sqlite3_stmt			*st = c->s->agg[AGG_PERSON_ADD];

	if (c->failed || k->table != AGG_PERSONS)
		return;
	store_bind_person(st, k);
	sqlite3_bind_int64(st, 7, delta);
	if (store_exec(c->s, st) == -1 || (delta < 0 && (store_bind_person(
	    st = c->s->agg[AGG_PERSON_PRUNE], k), store_exec(c->s, st)) == -1))
		c->failed = 1;
}

/* A little-endian 32-bit field of a delta row. */
static void
store_u32(struct buf *b, uint32_t v)
{
	char	 t[4] = { (char)(v & 0xff), (char)(v >> 8 & 0xff),
		    (char)(v >> 16 & 0xff), (char)(v >> 24 & 0xff) };

	buf_add(b, t, 4);
}

static uint32_t
store_get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * Every cell of a delta row (agg_delta, 007_cells.sql) to fn: the slot's
 * name, the month, the packed changes. 0, or -1 when the row is damaged
 * or fn failed.
 */
static int
store_delta_cells(const void *row, size_t len, int (*fn)(void *, const char *,
    int, const void *, size_t), void *arg)
{
	const unsigned char	*p = row, *end = p + len, *nul;
	uint32_t		 month, n;

	while (p < end) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL ||
		    (size_t)(end - nul - 1) < 8)
			return -1;
		month = store_get_u32(nul + 1);
		n = store_get_u32(nul + 5);
		if ((size_t)(end - nul - 9) < n ||
		    fn(arg, (const char *)p, (int)month, nul + 9, n) == -1)
			return -1;
		p = nul + 9 + n;
	}
	return 0;
}

/* Every stored delta row's cells to fn, in commit order; 0 or -1. */
static int
store_deltas_each(struct store *s, int (*fn)(void *, const char *, int,
    const void *, size_t), void *arg)
{
	sqlite3_stmt	*st = s->agg[AGG_DELTA_EACH];
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (store_delta_cells(sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), fn, arg) == -1) {
			log_warn("event=aggregates_damaged table=agg_delta");
			rc = SQLITE_CORRUPT;
			break;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* What a stored delta's cells are added to, and how its words map. */
struct store_delta_load {
	struct model	*m;
	const long	*map;
	size_t		 nmap;
	const char	*table;		/* for the log */
	int		 slot;
	char		 last[128];
};

static int
store_delta_load_cell(void *arg, const char *name, int month,
    const void *blob, size_t len)
{
	struct store_delta_load	*c = arg;

	if (strcmp(name, c->last) != 0) {
		c->slot = model_slot_named(c->m, name);
		snprintf(c->last, sizeof(c->last), "%s", name);
	}
	if (c->slot < 0 || model_cell_load(c->m, c->slot, month, blob, len,
	    c->map, c->nmap) != 0) {
		log_warn("event=aggregates_damaged slot=\"%s\" month=%d "
		    "table=%s", name, month, c->table);
		return -1;
	}
	return 0;
}

/*
 * Folds every stored delta row into the cells: each cell they touch is
 * rewritten once, and the rows go. Inside a transaction; 0 or -1.
 */
static int
store_compact(struct store *s)
{
	struct store_delta_load	 c = { .table = "agg_delta", .slot = -1 };
	struct buf		 out = { 0 };
	long			*map;
	size_t			 i, n = model_nwords(s->cells);
	int			 slot, month, rc = -1;

	if ((c.m = model_new_delta(s->cat)) == NULL ||
	    (map = calloc(n + 1, sizeof(*map))) == NULL) {
		model_free(c.m);
		return -1;
	}
	for (i = 0; i < n; i++)	/* the store's own ids */
		map[i] = (long)i;
	c.map = map;
	c.nmap = n;
	if (store_deltas_each(s, store_delta_load_cell, &c) == -1)
		goto out;
	for (i = 0; i < model_ntouched(c.m); i++) {
		model_touched(c.m, i, &slot, &month);
		if (store_cell_write(s, c.m, slot, month, &out) == -1)
			goto out;
	}
	if (store_exec(s, s->agg[AGG_DELTA_CLEAR]) == -1)
		goto out;
	s->ndeltas = 0;
	s->delta_bytes = 0;
	rc = 0;
out:
	free(out.p);
	free(map);
	model_free(c.m);
	return rc;
}

/*
 * The delta's cells as one delta row: for each, the slot's name, NUL, the
 * month and the length of its packed changes, then them.
 */
static int
store_delta_row(const struct model *d, struct buf *row, struct buf *cell)
{
	const char	*name;
	size_t		 i;
	long		 n;
	int		 slot, month;

	row->len = 0;
	for (i = 0; i < model_ntouched(d); i++) {
		model_touched(d, i, &slot, &month);
		if ((n = model_cell_merge(d, slot, month, NULL, 0, cell)) < 0)
			return -1;
		if (n == 0)
			continue;	/* its changes cancel out */
		name = model_slot_name(d, slot);
		buf_add(row, name, strlen(name) + 1);
		store_u32(row, (uint32_t)month);
		store_u32(row, (uint32_t)cell->len);
		buf_add(row, cell->p, cell->len);
	}
	return row->failed || cell->failed ? -1 : 0;
}

int
store_apply(struct store *s, struct agg_batch *b)
{
	struct store_persons_ctx	 c = { s, 0 };
	struct buf			 row = { 0 }, cell = { 0 };
	sqlite3_stmt			*st = s->agg[AGG_WORD_PUT];
	size_t				 i;
	int				 rc = -1;

	if (store_cells(s) == -1)
		return -1;
	s->applied = 1;
	for (i = s->words_stored; i < model_nwords(s->cells); i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		sqlite3_bind_text(st, 2, model_word_text(s->cells, i), -1,
		    SQLITE_STATIC);
		if (store_exec(s, st) == -1)
			goto out;
	}
	if (store_delta_row(s->cells, &row, &cell) == -1)
		goto out;
	if (row.len > 0) {
		st = s->agg[AGG_DELTA_PUT];
		sqlite3_bind_blob(st, 1, row.p, (int)row.len, SQLITE_STATIC);
		if (store_exec(s, st) == -1)
			goto out;
		s->delta_bytes += (long)row.len;
		if ((++s->ndeltas >= s->deltas_max ||
		    s->delta_bytes >= STORE_DELTA_BYTES) &&
		    store_compact(s) == -1)
			goto out;
	}
	agg_batch_each(b, store_person, &c);
	rc = c.failed ? -1 : 0;
out:
	free(row.p);
	free(cell.p);
	return rc;
}

int
store_fold_deltas(struct store *s)
{
	return store_cells(s) == -1 ? -1 : store_compact(s);
}

const struct model *
store_delta(const struct store *s)
{
	return s->cells;
}

/*
 * Every stored aggregate, into m: the words, the cells through them, the
 * members of distinct persons. The rows read, or -1 (-2: a damaged cell,
 * or one of a slot the plan does not have).
 */
static long
store_agg_load(struct store *s, struct model *m)
{
	struct store_delta_load	 d = { m, NULL, 0, "agg_cell", -1, "" };
	sqlite3_stmt		*st = NULL;
	struct agg_key		 k = { .table = AGG_PERSONS };
	long			*map, n = 0;
	size_t			 j;
	int			 rc;

	if ((rc = store_words(s, m, &map, &d.nmap)) != 0)
		return rc;
	d.map = map;
	n = (long)d.nmap;
	if (sqlite3_prepare_v2(s->db, "SELECT slot, month, data FROM agg_cell",
	    -1, &st, NULL) != SQLITE_OK) {
		free(map);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (store_delta_load_cell(&d, (const char *)
		    sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
		    sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2)) == -1) {
			rc = SQLITE_CORRUPT;
			break;
		}
		n++;
	}
	sqlite3_finalize(st);
	d.table = "agg_delta";	/* the commits not folded in yet */
	if (rc == SQLITE_DONE && store_deltas_each(s, store_delta_load_cell,
	    &d) == -1)
		rc = SQLITE_CORRUPT;
	free(map);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_CORRUPT ? -2 : -1;
	if (sqlite3_prepare_v2(s->db, "SELECT sheet, month, activity, "
	    "structure, category, person, n FROM agg_persons", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k.sheet = (const char *)sqlite3_column_text(st, 0);
		k.period = sqlite3_column_int(st, 1);
		for (j = 0; j < 4; j++)
			k.k[j] = (const char *)sqlite3_column_text(st,
			    (int)j + 2);
		if (model_fold(m, &k, sqlite3_column_int64(st, 6)) == -1)
			break;
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : -1;
}

long
store_model_load(struct store *s, struct model *m)
{
	struct model_evidence	 e;
	sqlite3_stmt		*st = NULL;
	long			 n = -1;
	int			 rc;

	if (store_read_begin(s) == -1)
		return -1;
	if ((n = store_agg_load(s, m)) == -2)
		goto out;
	if (n < 0 ||
	    sqlite3_prepare_v2(s->db, "SELECT indicator, date, state, text, "
	    "reference, lower(hex(id)) FROM evidence", -1, &st, NULL) !=
	    SQLITE_OK) {
		n = -1;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e.indicator = (const char *)sqlite3_column_text(st, 0);
		e.date = (const char *)sqlite3_column_text(st, 1);
		e.state = (const char *)sqlite3_column_text(st, 2);
		e.text = (const char *)sqlite3_column_text(st, 3);
		e.reference = (const char *)sqlite3_column_text(st, 4);
		e.id = (const char *)sqlite3_column_text(st, 5);
		if (model_add_evidence(m, &e) == -1)
			break;
	}
	if (rc != SQLITE_DONE)
		n = -1;
out:
	sqlite3_finalize(st);
	store_read_end(s);
	return n;
}

#define STORE_CHUNK	20000	/* records between two flushes */

/*
 * Every current revision of a record not voided, to each; every
 * STORE_CHUNK records and at the end, flush when not NULL; every 100,000
 * records a progress line when log_every is set. 0 or -1.
 */
static int
store_agg_recompute(struct store *s, long *records, int (*each)(void *,
    const struct record *), int (*flush)(void *), void *arg, int log_every)
{
	sqlite3_stmt	*st;
	struct arena	 a = { 0 };
	struct record	 r;
	long		 total = 0;
	int		 rc;

	*records = 0;
	if (log_every && sqlite3_prepare_v2(s->db, "SELECT count(*) FROM record "
	    "WHERE voided = 0", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			total = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (total > 0)
			log_info("event=aggregates_rebuild records=%ld", total);
	}
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM record WHERE voided = 0",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != RECORD_ID_LEN ||
		    store_get(s, sqlite3_column_blob(st, 0), 0, &a, &r,
		    NULL) != 1 || each(arg, &r) == -1)
			break;
		arena_free(&a);
		if (++*records % STORE_CHUNK == 0 && flush != NULL &&
		    flush(arg) == -1)
			break;
		if (log_every && *records % 100000 == 0 && total > 0)
			log_info("event=aggregates_rebuild done=%ld of=%ld",
			    *records, total);
	}
	arena_free(&a);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && flush != NULL && flush(arg) == -1)
		rc = SQLITE_ERROR;
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
store_model_sink(void *m, const struct agg_key *k, int64_t d)
{
	return model_fold(m, k, d);
}

/* A record into a model of its own (verify's recomputation). */
static int
store_each_model(void *m, const struct record *r)
{
	struct agg_sink	 sink = { store_model_sink, m };

	return agg_record(&sink, model_catalogue(m), r, +1);
}

/* A record into the tables (the rebuild), flushed chunk by chunk. */
struct store_rebuild {
	struct store		*s;
	struct agg_batch	*b;
};

static int
store_each_table(void *arg, const struct record *r)
{
	struct store_rebuild	*c = arg;

	return store_agg_record(c->s, c->b, r, +1);
}

static int
store_flush_tables(void *arg)
{
	struct store_rebuild	*c = arg;
	int			 rc = store_apply(c->s, c->b);

	agg_batch_clear(c->b);
	return rc;
}

long
store_verify(struct store *s, void (*diff)(void *, const char *, int,
    enum model_kind, const char *, const char *, int64_t, int64_t),
    void *arg, long *records,
    long (*stored_fn)(void *, const struct model *), void *stored_arg)
{
	struct model	*stored = model_new(s->cat), *expected = model_new(s->cat);
	long		 rc = -1, more = 0;

	*records = 0;
	if (stored == NULL || expected == NULL || store_read_begin(s) == -1)
		goto out;
	/* The stored rows first: the snapshot starts there. */
	if ((rc = store_agg_load(s, stored)) >= 0 &&
	    (stored_fn == NULL || (more = stored_fn(stored_arg, stored)) >= 0) &&
	    store_agg_recompute(s, records, store_each_model, NULL, expected,
	    0) == 0)
		rc = model_compare(stored, expected, diff, arg) + more;
	else if (rc >= 0)
		rc = -1;
	store_read_end(s);
out:
	model_free(stored);
	model_free(expected);
	return rc;
}

int
store_agg_rebuild(struct store *s)
{
	struct store_rebuild	 c = { s, agg_batch_new() };
	long			 records;
	int			 rc = -1;

	model_free(s->cells);
	s->cells = NULL;
	s->words_stored = 0;
	if (c.b == NULL)
		return -1;
	if (sqlite3_exec(s->db, "DELETE FROM agg_cell; DELETE FROM agg_word; "
	    "DELETE FROM agg_delta; DELETE FROM agg_persons", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    store_agg_recompute(s, &records, store_each_table,
	    store_flush_tables, &c, 1) == -1 || store_fold_deltas(s) == -1 ||
	    sqlite3_exec(s->db, "INSERT OR IGNORE INTO rollup_dirty (month) "
	    "SELECT DISTINCT substr(date, 1, 7) FROM revision", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto out;
	if (records > 0)
		log_info("event=aggregates_rebuilt records=%ld", records);
	rc = 0;
out:
	agg_batch_free(c.b);
	return rc;
}
