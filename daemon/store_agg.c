/*
 * store_agg.c — the aggregate tables: a batch of deltas written once per
 * touched row (rows that fall to 0 are deleted), and verify, which
 * recomputes every row from the records and compares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "store_int.h"

int
store_agg_prepare(struct store *s)
{
	const struct agg_table_spec	*t;
	char				 up[512], del[512];
	size_t				 i, k, u, d;

	for (i = 0; i < AGG__TABLES; i++) {
		t = &agg_tables[i];
		u = (size_t)snprintf(up, sizeof(up), "INSERT INTO %s (sheet, %s",
		    t->name, t->period);
		d = (size_t)snprintf(del, sizeof(del), "DELETE FROM %s WHERE "
		    "sheet = ?1 AND %s = ?2", t->name, t->period);
		for (k = 0; k < t->nkeys; k++) {
			u += (size_t)snprintf(up + u, sizeof(up) - u, ", %s",
			    t->keys[k]);
			d += (size_t)snprintf(del + d, sizeof(del) - d,
			    " AND %s = ?%zu", t->keys[k], k + 3);
		}
		u += (size_t)snprintf(up + u, sizeof(up) - u, ", n) VALUES "
		    "(?1, ?2");
		for (k = 0; k <= t->nkeys; k++)
			u += (size_t)snprintf(up + u, sizeof(up) - u, ", ?%zu",
			    k + 3);
		snprintf(up + u, sizeof(up) - u, ") ON CONFLICT DO UPDATE SET "
		    "n = n + excluded.n");
		snprintf(del + d, sizeof(del) - d, " AND n = 0");
		if (sqlite3_prepare_v3(s->db, up, -1, SQLITE_PREPARE_PERSISTENT,
		    &s->upsert[i], NULL) != SQLITE_OK ||
		    sqlite3_prepare_v3(s->db, del, -1,
		    SQLITE_PREPARE_PERSISTENT, &s->prune[i], NULL) != SQLITE_OK)
			return -1;
	}
	return 0;
}

void
store_agg_finalize(struct store *s)
{
	size_t	 i;

	for (i = 0; i < AGG__TABLES; i++) {
		sqlite3_finalize(s->upsert[i]);
		sqlite3_finalize(s->prune[i]);
	}
}

static void
store_agg_bind_key(sqlite3_stmt *st, const struct agg_key *k)
{
	size_t	 i;

	sqlite3_bind_text(st, 1, k->sheet, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, k->period);
	for (i = 0; i < agg_tables[k->table].nkeys; i++)
		sqlite3_bind_text(st, (int)i + 3, k->k[i], -1, SQLITE_STATIC);
}

struct store_apply_ctx {
	struct store	*s;
	int		 failed;
};

static void
store_apply_one(void *arg, const struct agg_key *k, int64_t delta)
{
	struct store_apply_ctx	*c = arg;
	sqlite3_stmt		*st = c->s->upsert[k->table];

	if (c->failed)
		return;
	store_agg_bind_key(st, k);
	sqlite3_bind_int64(st, (int)agg_tables[k->table].nkeys + 3, delta);
	if (store_exec(c->s, st) == -1) {
		c->failed = 1;
		return;
	}
	if (delta > 0)
		return;
	st = c->s->prune[k->table];
	store_agg_bind_key(st, k);
	if (store_exec(c->s, st) == -1)
		c->failed = 1;
}

int
store_apply(struct store *s, struct agg_batch *b)
{
	struct store_apply_ctx	 c = { s, 0 };

	agg_batch_sort(b);
	agg_batch_each(b, store_apply_one, &c);
	return c.failed ? -1 : 0;
}

/* Every row of every aggregate table, to fn; the rows read, or -1. */
static long
store_agg_each(struct store *s, int (*fn)(void *, const struct agg_key *,
    int64_t), void *arg)
{
	const struct agg_table_spec	*t;
	sqlite3_stmt			*st;
	struct agg_key			 k;
	char				 sql[512];
	size_t				 i, j, o;
	long				 n = 0;
	int				 rc;

	for (i = 0; i < AGG__TABLES; i++) {
		t = &agg_tables[i];
		o = (size_t)snprintf(sql, sizeof(sql), "SELECT sheet, %s",
		    t->period);
		for (j = 0; j < t->nkeys; j++)
			o += (size_t)snprintf(sql + o, sizeof(sql) - o, ", %s",
			    t->keys[j]);
		snprintf(sql + o, sizeof(sql) - o, ", n FROM %s", t->name);
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
			return -1;
		k.table = (enum agg_table)i;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			k.sheet = (const char *)sqlite3_column_text(st, 0);
			k.period = sqlite3_column_int(st, 1);
			for (j = 0; j < t->nkeys; j++)
				k.k[j] = (const char *)sqlite3_column_text(st,
				    (int)j + 2);
			if (fn(arg, &k, sqlite3_column_int64(st,
			    (int)t->nkeys + 2)) == -1)
				break;
			n++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return n;
}

static int
store_agg_to_batch(void *arg, const struct agg_key *k, int64_t n)
{
	return agg_batch_add(arg, k, n);
}

static int
store_agg_to_model(void *arg, const struct agg_key *k, int64_t n)
{
	return model_fold(arg, k, n);
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
	if ((n = store_agg_each(s, store_agg_to_model, m)) < 0 ||
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

/* Every current revision of a record not voided, into a batch. */
static int
store_agg_recompute(struct store *s, struct agg_batch *b, long *records)
{
	sqlite3_stmt	*st;
	struct arena	 a = { 0 };
	struct record	 r;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, "SELECT id FROM record WHERE voided = 0",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	*records = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != RECORD_ID_LEN ||
		    store_get(s, sqlite3_column_blob(st, 0), 0, &a, &r,
		    NULL) != 1 || agg_record(b, s->cat, &r, +1) == -1)
			break;
		arena_free(&a);
		(*records)++;
	}
	arena_free(&a);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct store_verify_ctx {
	const struct agg_batch	*other;
	int			 stored_side;
	void			(*diff)(void *, const struct agg_key *,
				    int64_t, int64_t);
	void			*arg;
	long			 n;
};

static void
store_verify_one(void *arg, const struct agg_key *k, int64_t v)
{
	struct store_verify_ctx	*c = arg;
	int64_t			 w = agg_batch_get(c->other, k);

	if (c->stored_side) {
		if (w == 0) {	/* a stored row nothing accounts for */
			c->diff(c->arg, k, v, 0);
			c->n++;
		}
	} else if (w != v) {
		c->diff(c->arg, k, w, v);
		c->n++;
	}
}

long
store_verify(struct store *s, void (*diff)(void *, const struct agg_key *,
    int64_t, int64_t), void *arg, long *records,
    long (*stored_fn)(void *, const struct agg_batch *), void *stored_arg)
{
	struct agg_batch	*expected = agg_batch_new(), *stored = agg_batch_new();
	struct store_verify_ctx	 c = { .diff = diff, .arg = arg };
	long			 rc = -1, more = 0;

	if (expected == NULL || stored == NULL || store_read_begin(s) == -1)
		goto out;
	/* The stored rows first: the snapshot starts there. */
	if (store_agg_each(s, store_agg_to_batch, stored) >= 0 &&
	    (stored_fn == NULL || (more = stored_fn(stored_arg, stored)) >= 0) &&
	    store_agg_recompute(s, expected, records) == 0) {
		c.other = stored;
		agg_batch_each(expected, store_verify_one, &c);
		c.other = expected;
		c.stored_side = 1;
		agg_batch_each(stored, store_verify_one, &c);
		rc = c.n + more;
	}
	store_read_end(s);
out:
	agg_batch_free(expected);
	agg_batch_free(stored);
	return rc;
}

int
store_agg_rebuild(struct store *s)
{
	struct agg_batch	*b = agg_batch_new();
	char			 sql[128];
	long			 records;
	size_t			 i;
	int			 rc = -1;

	if (b == NULL)
		return -1;
	for (i = 0; i < AGG__TABLES; i++) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s", agg_tables[i].name);
		if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto out;
	}
	if (store_agg_recompute(s, b, &records) == -1 ||
	    store_apply(s, b) == -1 ||
	    sqlite3_exec(s->db, "INSERT OR IGNORE INTO rollup_dirty (month) "
	    "SELECT DISTINCT substr(date, 1, 7) FROM revision", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	agg_batch_free(b);
	return rc;
}
