/* test_store.c — the SQLite store on real files: exactly once, durable. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

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
	struct store_options	 o = { 1, catalogue_builtin(NULL, 0), 0, 1, 0 };
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
	    "SELECT count(*) FROM revision_group"), 3);
	/* The conflict changed nothing: the first content stays. */
	assert_int_equal(query_int(c,
	    "SELECT sum(count) FROM revision_group"), 8);
	assert_int_equal(query_int(c, "SELECT count(*) FROM revision_sheet"),
	    2);
	assert_int_equal(query_int(c,
	    "SELECT count(*) FROM revision_partner"), 2);
	assert_int_equal(query_int(c, "SELECT count(*) FROM revision_group "
	    "WHERE person IS NOT NULL AND length(person) = 32"), 1);
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
	size_t			 n = catalogue_nfiles;

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
	size_t			 n = catalogue_nfiles;

	assert_int_equal(store_load_catalogue(s, catalogue_files, n, err,
	    sizeof(err)), 0);
	fixture_record_init(&f, 3);
	assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
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
/*
 * A base of the schema before the cells (migration 007): its aggregate
 * tables go, and opening it rebuilds every cell from the records, with
 * the same figures as before.
 */
static void
test_migration_rebuilds_cells(void **state)
{
	static const char *const dates[] = { "2023-01-31", "2023-02-01",
		"2024-07-10", "2024-12-31", "2025-06-15" };
	struct ctx		*c = *state;
	struct store		*s = open_store(c);
	struct fixture_record	 f;
	struct model		*before, *after;
	char			 err[512];
	long			 records;
	sqlite3			*db;
	int			 i;

	assert_int_equal(store_load_catalogue(s, catalogue_files,
	    catalogue_nfiles, err, sizeof(err)), 0);
	for (i = 0; i < 25; i++) {
		fixture_record_init(&f, (uint8_t)(i + 1));
		f.rec.date = dates[i % 5];
		f.groups[0].count = i + 1;
		f.rec.nsheets = 1 + i % 2;
		assert_int_equal(put(s, &f.rec), ACK_ACCEPTED);
	}
	assert_non_null(before = model_new(catalogue_builtin(NULL, 0)));
	assert_true(store_model_load(s, before) > 0);
	store_close(s);
	/* Back to schema 6: the cross-product tables, empty, no cells. */
	assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE agg_cell; DROP TABLE "
	    "agg_word; CREATE TABLE agg_records (n); CREATE TABLE agg_days (n);"
	    "CREATE TABLE agg_groups (n); CREATE TABLE agg_partners (n);"
	    "DELETE FROM rollup_dirty; PRAGMA user_version = 6", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	s = open_store(c);
	assert_int_equal(store_version(s), (int)schema_nmigrations);
	assert_int_equal(store_load_catalogue(s, catalogue_files,
	    catalogue_nfiles, err, sizeof(err)), 0);
	assert_true(query_int(c, "SELECT count(*) FROM agg_cell") > 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'agg_records'"), 0);
	assert_int_equal(store_verify(s, NULL_DIFF, NULL, &records, NULL,
	    NULL), 0);
	assert_int_equal(records, 25);
	assert_non_null(after = model_new(catalogue_builtin(NULL, 0)));
	assert_true(store_model_load(s, after) > 0);
	assert_int_equal(model_compare(before, after, NULL, NULL), 0);
	assert_int_equal(model_persons(after, model_all_slot(after), 202301,
	    202512), 1);
	assert_int_equal(query_int(c, "SELECT count(*) FROM rollup_dirty"), 5);
	model_free(before);
	model_free(after);
	store_close(s);
}

static void
test_not_a_database(void **state)
{
	struct ctx		*c = *state;
	struct store_options	 o = { 1, NULL, 0, 1, 0 };
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
		cmocka_unit_test_setup_teardown(test_migration_rebuilds_cells,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
