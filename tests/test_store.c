/* test_store.c — the SQLite store on real files: exactly once, durable. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "agg.h"
#include "catalogue.h"
#include "fixtures.h"
#include "model.h"
#include "schema.h"
#include "store.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	char		 db[4096];
};

static int
setup(void **state)
{
	static struct ctx	 c;

	assert_non_null(c.dir = tmpdir_make());
	tmpdir_path(c.db, sizeof(c.db), c.dir, "ctgd.db");
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	tmpdir_remove(c->dir);
	return 0;
}

static struct store *
open_store(const struct ctx *c)
{
	struct store_options	 o = { 1, catalogue_builtin(NULL, 0), 0, 1, 0,
				    0 };
	char			 err[512] = "";
	struct store		*s = store_open(c->db, &o, err, sizeof(err));

	if (s == NULL)
		fail_msg("store_open: %s", err);
	return s;
}

/* One integer from the database file, read by a separate connection. */
static long long
query_int(const struct ctx *c, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	long long	 v = -1;

	assert_int_equal(sqlite3_open_v2(c->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
no_diff(void *arg, const char *slot, int month, enum model_kind k,
    const char *w1, const char *w2, int64_t a, int64_t b)
{
	(void)arg;
	(void)slot;
	(void)month;
	(void)k;
	(void)w1;
	(void)w2;
	(void)a;
	(void)b;
}
#define NULL_DIFF	no_diff

/* One submit in a transaction of its own, aggregates included. */
static int
put(struct store *s, const struct record *r)
{
	struct agg_batch	*b = agg_batch_new();
	uint8_t			 d[RECORD_DIGEST_LEN];
	int			 st;

	record_digest(r, d);
	assert_int_equal(store_begin(s), 0);
	st = store_put(s, r, d, 1700000000000LL, b);
	assert_int_equal(store_apply(s, b), 0);
	assert_int_equal(store_commit(s), 0);
	agg_batch_free(b);
	return st;
}

static void
test_migrations_applied(void **state)
{
	struct ctx	*c = *state;
	struct store	*s = open_store(c);

	assert_int_equal(store_version(s), (int)schema_nmigrations);
	store_close(s);
	/* Opening again applies nothing twice. */
	s = open_store(c);
	assert_int_equal(store_version(s), (int)schema_nmigrations);
	store_close(s);
	assert_int_equal(query_int(c, "PRAGMA user_version"),
	    (long long)schema_nmigrations);
}

static void
test_accept_duplicate_conflict(void **state)
{
	struct ctx		*c = *state;
	struct store		*s = open_store(c);
	struct fixture_record	 f;

	fixture_record_init(&f, 7);
	assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
	assert_int_equal(put(s, &f.rec), ACK_DUPLICATE);
	f.groups[0].count = 6;
	assert_int_equal(put(s, &f.rec), ACK_CONFLICT);
	store_close(s);

	assert_int_equal(query_int(c, "SELECT count(*) FROM record"), 1);
	assert_int_equal(query_int(c, "SELECT count(*) FROM revision"), 1);
	assert_int_equal(query_int(c,
	    DB_LISTS "SELECT count(*) FROM groups_of"), 3);
	/* The conflict changed nothing: the first content stays. */
	assert_int_equal(query_int(c,
	    DB_LISTS "SELECT sum(count) FROM groups_of"), 8);
	assert_int_equal(query_int(c, DB_LISTS "SELECT count(*) FROM sheets_of"),
	    2);
	assert_int_equal(query_int(c,
	    DB_LISTS "SELECT count(*) FROM partners_of"), 2);
	assert_int_equal(query_int(c, DB_LISTS "SELECT count(*) FROM groups_of "
	    "WHERE person IS NOT NULL AND length(person) = 64"), 1);
}

/* A rolled back transaction leaves nothing, and the id stays free. */
static void
test_rollback_leaves_nothing(void **state)
{
	struct ctx		*c = *state;
	struct store		*s = open_store(c);
	struct fixture_record	 f;
	struct agg_batch	*b = agg_batch_new();
	uint8_t			 d[RECORD_DIGEST_LEN];

	fixture_record_init(&f, 9);
	record_digest(&f.rec, d);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_put(s, &f.rec, d, 1, b), ACK_ACCEPTED);
	assert_int_equal(store_apply(s, b), 0);
	store_rollback(s);
	agg_batch_free(b);
	assert_int_equal(query_int(c, "SELECT count(*) FROM agg_cell"), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM agg_word"), 0);
	assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
	store_close(s);
	assert_int_equal(query_int(c, "SELECT count(*) FROM record"), 1);
}

/* Committed data survives closing and reopening the file. */
static void
test_durable_across_reopen(void **state)
{
	struct ctx		*c = *state;
	struct store		*s = open_store(c);
	struct fixture_record	 f;
	int			 i;

	for (i = 0; i < 100; i++) {
		fixture_record_init(&f, 0);
		f.id[15] = (uint8_t)i;
		assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
	}
	store_close(s);
	s = open_store(c);
	fixture_record_init(&f, 0);
	f.id[15] = 42;
	assert_int_equal(put(s, &f.rec), ACK_DUPLICATE);
	store_close(s);
	assert_int_equal(query_int(c, "SELECT count(*) FROM record"), 100);
	assert_int_equal(query_int(c, "SELECT count(*) FROM pragma_journal_mode "
	    "WHERE journal_mode = 'wal'"), 1);
}

/* The built-in catalogue lands in its tables once, and again on change. */
static void
test_catalogue_loaded(void **state)
{
	struct ctx		*c = *state;
	struct store		*s = open_store(c);
	struct data_file	 files[16];
	char			 err[512] = "";
	size_t			 n = catalogue_files_n;

	if (store_load_catalogue(s, catalogue_files, n, err, sizeof(err)) != 0)
		fail_msg("load: %s", err);
	store_close(s);
	assert_int_equal(query_int(c, "SELECT count(*) FROM catalogue_sheets"),
	    46);
	assert_int_equal(query_int(c,
	    "SELECT count(*) FROM catalogue_indicators"), 374);
	assert_int_equal(query_int(c, "SELECT count(*) FROM catalogue_measures "
	    "WHERE measure IS NOT NULL"), 374);
	assert_int_equal(query_int(c, "SELECT count(*) FROM communes WHERE "
	    "ccqb = 1 AND type = 'COM'"), 9);
	assert_int_equal(query_int(c, "SELECT count(*) FROM communes WHERE "
	    "code = '46217' AND current = '46172'"), 1);
	assert_int_equal(query_int(c, "SELECT count(*) FROM communes WHERE "
	    "population IS NULL AND type = 'COM' AND code LIKE '46%'"), 0);

	/* Same data: nothing rewritten (a local edit survives). */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE catalogue_axes SET number = "
	    "99 WHERE code = 'I'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	s = open_store(c);
	assert_int_equal(store_load_catalogue(s, catalogue_files, n, err,
	    sizeof(err)), 0);
	assert_int_equal(query_int(c, "SELECT number FROM catalogue_axes "
	    "WHERE code = 'I'"), 99);
	/* Other data (an upgrade): replaced whole. */
	memcpy(files, catalogue_files, n * sizeof(*files));
	files[0].len--;		/* the last axis line loses its newline */
	assert_int_equal(store_load_catalogue(s, files, n, err, sizeof(err)),
	    0);
	store_close(s);
	assert_int_equal(query_int(c, "SELECT number FROM catalogue_axes "
	    "WHERE code = 'I'"), 1);
	assert_int_equal(query_int(c, "SELECT count(*) FROM catalogue_axes"),
	    5);
}

/* Regression: a new catalogue (a commune moving) rebuilds the aggregates. */
static void
test_catalogue_change_rebuilds_aggregates(void **state)
{
	struct ctx		*c = *state;
	struct store		*s = open_store(c);
	struct fixture_record	 f;
	struct data_file	 files[16];
	char			 err[512];
	long			 records;
	sqlite3			*db;
	size_t			 n = catalogue_files_n;

	assert_int_equal(store_load_catalogue(s, catalogue_files, n, err,
	    sizeof(err)), 0);
	fixture_record_init(&f, 3);
	assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_fold_deltas(s), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM agg_delta"), 0);
	/* Damage the aggregates: the "all" base's cells lost. */
	assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM agg_cell WHERE slot = "
	    "'*'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_true(store_verify(s, NULL_DIFF, NULL, &records, NULL, NULL) > 0);
	memcpy(files, catalogue_files, n * sizeof(*files));
	files[0].len--;		/* other data: another digest */
	assert_int_equal(store_load_catalogue(s, files, n, err, sizeof(err)),
	    0);
	assert_int_equal(store_verify(s, NULL_DIFF, NULL, &records, NULL, NULL), 0);
	assert_int_equal(records, 1);
	assert_int_equal(query_int(c, "SELECT count(*) FROM rollup_dirty "
	    "WHERE month = '2024-07'"), 1);
	store_close(s);
}

/* A file that is not SQLite is refused with a message, not a crash. */
/* r stored as schema 6 did, revision 1, with SQL of that time. */
static void
old_put(sqlite3 *db, const struct record *r)
{
	char	 sql[8192], id[33], person[65];
	size_t	 i, n;

	agg_hex(r->id, RECORD_ID_LEN, id);
	n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO record (id, digest, "
	    "rev, received) VALUES (x'%s', zeroblob(32), 1, 1);"
	    "INSERT INTO revision (record, rev, date, activity, structure, "
	    "commune, title, kind, received, digest) VALUES (x'%s', 1, '%s', "
	    "'%s', '%s', '%s', 'titre', 'submit', 1, zeroblob(32));", id, id,
	    r->date, r->activity, r->structure, r->commune);
	for (i = 0; i < r->nsheets; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "INSERT INTO "
		    "revision_sheet VALUES (x'%s', 1, '%s');", id, r->sheets[i]);
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = &r->groups[i];

		person[0] = '\0';
		if (g->person != NULL)
			agg_hex(g->person, g->person_len, person);
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "INSERT INTO "
		    "revision_group VALUES (x'%s', 1, %zu, '%s', '%s', %lld, "
		    "%s%s%s);", id, i, g->category, g->residence, (long long)
		    g->count, person[0] ? "x'" : "NULL", person,
		    person[0] ? "'" : "");
	}
	for (i = 0; i < r->npartners; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "INSERT INTO "
		    "revision_partner VALUES (x'%s', 1, %zu, '%s');", id, i,
		    r->partners[i]);
	assert_true(n < sizeof(sql));
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/*
 * A base of schema 6 (the cross-product aggregates, a row per sheet, group
 * and partner of a revision) opened by today's store: its revisions are
 * packed into one row each (008), its aggregates become cells rebuilt from
 * the records (007), and it then holds the same figures and the same
 * records as a base made by today's store from the same records.
 */
static void
test_migration_from_schema_6(void **state)
{
	static const char *const dates[] = { "2023-01-31", "2023-02-01",
		"2024-07-10", "2024-12-31", "2025-06-15" };
	struct ctx		*c = *state;
	struct store		*s;
	struct store_options	 o = { 1, catalogue_builtin(NULL, 0), 0, 1, 0,
				    0 };
	struct fixture_record	 f;
	struct model		*today, *migrated;
	struct arena		 a = { 0 };
	struct record		 r;
	char			 err[512], ref[4200];
	long			 records;
	sqlite3			*db;
	size_t			 i;

	tmpdir_path(ref, sizeof(ref), c->dir, "today.db");
	assert_non_null(s = store_open(ref, &o, err, sizeof(err)));
	assert_int_equal(store_load_catalogue(s, catalogue_files,
	    catalogue_files_n, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
	for (i = 0; i < 6; i++)
		assert_int_equal(sqlite3_exec(db, schema_migrations[i].sql, NULL,
		    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 6", NULL, NULL,
	    NULL), SQLITE_OK);
	for (i = 0; i < 25; i++) {
		fixture_record_init(&f, (uint8_t)(i + 1));
		f.rec.date = dates[i % 5];
		f.groups[0].count = (int64_t)i + 1;
		f.rec.nsheets = 1 + i % 2;
		f.rec.title = "titre";
		assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
		old_put(db, &f.rec);
	}
	sqlite3_close(db);
	assert_non_null(today = model_new(catalogue_builtin(NULL, 0)));
	assert_true(store_model_load(s, today) > 0);
	store_close(s);

	s = open_store(c);
	assert_int_equal(store_version(s), (int)schema_nmigrations);
	assert_int_equal(store_load_catalogue(s, catalogue_files,
	    catalogue_files_n, err, sizeof(err)), 0);
	assert_true(query_int(c, "SELECT count(*) FROM agg_cell") > 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('agg_records', 'revision_group')"), 0);
	assert_int_equal(store_verify(s, NULL_DIFF, NULL, &records, NULL,
	    NULL), 0);
	assert_int_equal(records, 25);
	assert_non_null(migrated = model_new(catalogue_builtin(NULL, 0)));
	assert_true(store_model_load(s, migrated) > 0);
	assert_int_equal(model_compare(today, migrated, NULL, NULL), 0);
	assert_int_equal(model_persons(migrated, model_all_slot(migrated),
	    202301, 202512), 1);
	assert_int_equal(query_int(c, "SELECT count(*) FROM rollup_dirty"), 5);
	/* A record read back whole: lists in order, the person's token. */
	fixture_record_init(&f, 2);
	assert_int_equal(store_get(s, f.id, 0, &a, &r, NULL), 1);
	assert_int_equal(r.nsheets, 2);
	assert_string_equal(r.sheets[0], "III.A.17");
	assert_string_equal(r.sheets[1], "III.A.19");
	assert_int_equal(r.ngroups, 3);
	assert_int_equal(r.groups[0].count, 2);
	assert_string_equal(r.groups[1].residence, "");
	assert_int_equal(r.groups[2].person_len, sizeof(f.person));
	assert_memory_equal(r.groups[2].person, f.person, sizeof(f.person));
	assert_int_equal(r.npartners, 2);
	assert_string_equal(r.partners[1], "Association Lézard de la rue");
	assert_int_equal(query_int(c, "SELECT participants FROM revision "
	    "WHERE record = x'02020202020270020202020202020202'"), 5);
	arena_free(&a);
	model_free(today);
	model_free(migrated);
	store_close(s);
}

static void
test_not_a_database(void **state)
{
	struct ctx		*c = *state;
	struct store_options	 o = { 1, NULL, 0, 1, 0, 0 };
	char			 err[512] = "", path[4096];
	FILE			*f;

	tmpdir_path(path, sizeof(path), c->dir, "junk.db");
	assert_non_null(f = fopen(path, "w"));
	fputs("ceci n'est pas une base SQLite, mais un texte assez long pour "
	    "occuper un en-tête entier de cent octets au moins, voilà.\n", f);
	fclose(f);
	assert_null(store_open(path, &o, err, sizeof(err)));
	assert_non_null(strstr(err, path));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations_applied, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_accept_duplicate_conflict,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_durable_across_reopen,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_catalogue_loaded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_catalogue_change_rebuilds_aggregates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_from_schema_6,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
