/*
 * test_aggregate.c — the property the aggregates must keep: after any
 * history of submits, duplicates, conflicts, amends and voids, verify
 * finds no difference, every sheet's base measures equal a plain
 * recomputation from this test's own model of the history, and the read
 * model folded commit by commit equals the one loaded from the stored
 * rows and the recomputation over random windows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "catalogue.h"
#include "model.h"
#include "query.h"
#include "record.h"
#include "store.h"
#include "tmpdir.h"

#define OPS		2500	/* per seed; 4 seeds */
#define POOL		800	/* record ids */
#define BATCH		50	/* operations per transaction */

static const char *const sheet_sets[][2] = {
	{ NULL, NULL }, { "III.A.17", NULL }, { "III.A.17", "III.A.19" },
	{ "III.A.19", NULL }, { "II.A.9", NULL },
};
static const char *const activities[] = { "chantier", "sejour", "chantier",
	"sejour", "atelier" };
static const char *const communes[] = { "46201", "46063", "46217", "46326",
	"82121", "31555" };
static const char *const residences[] = { "46201", "46172", "46217",
	"46014", "82121", "" };
static const char *const categories[] = { "jeune", "parent", "enfant-0-6",
	"jeune-12-15", "ama" };
static const char *const partners[] = { "CAF", "Mairie", "MSA" };
static const char *const structures[] = { "alsh-jeunes", "ripe", "ccqb" };

/* How this test maps a commune code to its report key, by hand. */
static const char *
key_of(const char *code)
{
	static const char *const map[][2] = {
		{ "46201", "46201" }, { "46063", "46063" }, { "46217", "46172" },
		{ "46326", "46201" }, { "46172", "46172" }, { "46014", "46263" },
		{ "82121", "hors" }, { "31555", "hors" }, { "", "inconnue" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], code) == 0)
			return map[i][1];
	fail_msg("no key for %s", code);
	return NULL;
}

/* Content slots: 0 the first submitted, 1 the current, 2 scratch. */
struct model_rec {
	int		 used, voided;
	uint8_t		 id[16];
	struct record	 rec[3];
	const char	*sheets[3][2];
	struct group	 groups[3][3];
	const char	*partners[3][2];
	char		 date[3][11];
	uint8_t		 persons[3][3][32];
};

static struct model_rec	 model[POOL];
static int		 seen[6];	/* operations of each kind done */

/* Random content into slot w of m. */
static void
random_content(struct model_rec *m, int w)
{
	struct record	*r = &m->rec[w];
	int		 s = rand() % 5, i;

	memset(r, 0, sizeof(*r));
	r->id = m->id;
	r->id_len = 16;
	m->sheets[w][0] = sheet_sets[s][0];
	m->sheets[w][1] = sheet_sets[s][1];
	r->sheets = m->sheets[w];
	r->nsheets = sheet_sets[s][0] == NULL ? 0 :
	    sheet_sets[s][1] == NULL ? 1 : 2;
	r->activity = activities[s];
	date_format(19358 + rand() % (3 * 365), m->date[w]);	/* 2023-2025 */
	r->date = m->date[w];
	r->commune = communes[rand() % 6];
	r->structure = structures[rand() % 3];
	r->groups = m->groups[w];
	r->ngroups = (size_t)(rand() % 4);
	for (i = 0; i < (int)r->ngroups; i++) {
		struct group *g = &m->groups[w][i];

		memset(g, 0, sizeof(*g));
		g->category = categories[rand() % 5];
		g->residence = residences[rand() % 6];
		g->has_count = 1;
		g->count = rand() % 21;
		if (rand() % 4 == 0) {
			memset(m->persons[w][i], 0, 32);
			m->persons[w][i][0] = (uint8_t)(rand() % 20);
			g->person = m->persons[w][i];
			g->person_len = 32;
			g->count = 1;
		}
	}
	r->partners = m->partners[w];
	r->npartners = (size_t)(rand() % 3);
	m->partners[w][0] = partners[rand() % 3];
	m->partners[w][1] = partners[rand() % 3];
	r->title = rand() % 2 ? "Atelier" : NULL;
}

/* Slot from becomes slot to, pointers and all. */
static void
copy_slot(struct model_rec *m, int from, int to)
{
	size_t	 i;

	memcpy(m->sheets[to], m->sheets[from], sizeof(m->sheets[0]));
	memcpy(m->groups[to], m->groups[from], sizeof(m->groups[0]));
	memcpy(m->partners[to], m->partners[from], sizeof(m->partners[0]));
	memcpy(m->date[to], m->date[from], sizeof(m->date[0]));
	memcpy(m->persons[to], m->persons[from], sizeof(m->persons[0]));
	m->rec[to] = m->rec[from];
	m->rec[to].sheets = m->sheets[to];
	m->rec[to].groups = m->groups[to];
	m->rec[to].partners = m->partners[to];
	m->rec[to].date = m->date[to];
	for (i = 0; i < m->rec[to].ngroups; i++)
		if (m->groups[to][i].person != NULL)
			m->groups[to][i].person = m->persons[to][i];
}

static int
same_content(const struct record *a, const struct record *b)
{
	uint8_t	 x[RECORD_DIGEST_LEN], y[RECORD_DIGEST_LEN];

	record_digest(a, x);
	record_digest(b, y);
	return memcmp(x, y, sizeof(x)) == 0;
}

/* One random operation; 1 when the store answered as the model says. */
static int
one_op(struct store *s, struct agg_batch *b, int op)
{
	struct model_rec	*m = &model[rand() % POOL];
	uint8_t			 d[RECORD_DIGEST_LEN];
	const char		*why;
	int			 got, want, when = op;

	if (!m->used) {
		m->used = 1;
		m->id[0] = 0x01;
		m->id[6] = 0x70;
		m->id[12] = (uint8_t)((m - model) >> 8);
		m->id[13] = (uint8_t)(m - model);
		random_content(m, 0);
		copy_slot(m, 0, 1);
		record_digest(&m->rec[0], d);
		return store_put(s, &m->rec[0], d, when, b) == ACK_ACCEPTED;
	}
	op = rand() % 6;
	seen[op]++;
	switch (op) {
	case 0:		/* the same submit again */
		record_digest(&m->rec[0], d);
		return store_put(s, &m->rec[0], d, when, b) == ACK_DUPLICATE;
	case 1:		/* the same id, other content */
		random_content(m, 2);
		record_digest(&m->rec[2], d);
		want = same_content(&m->rec[0], &m->rec[2]) ? ACK_DUPLICATE :
		    ACK_CONFLICT;
		return store_put(s, &m->rec[2], d, when, b) == want;
	case 2:
	case 3:		/* amend */
		random_content(m, 2);
		record_digest(&m->rec[2], d);
		got = store_amend(s, &m->rec[2], d, when, b, &why);
		if (m->voided)
			return got == ACK_REFUSED;
		if (same_content(&m->rec[1], &m->rec[2]))
			return got == ACK_DUPLICATE;
		copy_slot(m, 2, 1);
		return got == ACK_ACCEPTED;
	default:	/* void */
		got = store_void(s, m->id, "essai", when, b, &why);
		want = m->voided ? ACK_DUPLICATE : ACK_ACCEPTED;
		m->voided = 1;
		return got == want;
	}
}

/* The plain recomputation: one sheet, one window, from the model. */
struct expect {
	long long	 records, participants;
	json_object	*by_category, *by_residence, *by_activity;
	json_object	*hosting, *partners, *persons;
};

static void
bump(json_object *o, const char *key, long long n)
{
	json_object	*v;

	if (json_object_object_get_ex(o, key, &v))
		json_object_set_int64(v, json_object_get_int64(v) + n);
	else if (n != 0)	/* a group of 0 shows nowhere */
		json_object_object_add(o, key, json_object_new_int64(n));
}

static void
expect_compute(const char *sheet, int from, int to, struct expect *e)
{
	size_t	 i, k;
	char	 hex[65];

	memset(e, 0, sizeof(*e));
	e->by_category = json_object_new_object();
	e->by_residence = json_object_new_object();
	e->by_activity = json_object_new_object();
	e->hosting = json_object_new_object();
	e->partners = json_object_new_object();
	e->persons = json_object_new_object();
	for (i = 0; i < POOL; i++) {
		const struct record	*r = &model[i].rec[1];
		int			 month, tagged = 0;

		if (!model[i].used || model[i].voided)
			continue;
		month = atoi(r->date) * 100 + atoi(r->date + 5);
		for (k = 0; k < r->nsheets; k++)
			tagged |= strcmp(r->sheets[k], sheet) == 0;
		if (!tagged || month < from || month > to)
			continue;
		e->records++;
		bump(e->by_activity, r->activity, 1);
		bump(e->hosting, key_of(r->commune), 1);
		for (k = 0; k < r->npartners; k++)
			bump(e->partners, r->partners[k], 1);
		for (k = 0; k < r->ngroups; k++) {
			const struct group *g = &r->groups[k];

			e->participants += g->count;
			bump(e->by_category, g->category, g->count);
			bump(e->by_residence, key_of(g->residence), g->count);
			if (g->person != NULL) {
				snprintf(hex, sizeof(hex), "%02x", g->person[0]);
				bump(e->persons, hex, 1);
			}
		}
	}
}

static void
expect_free(struct expect *e)
{
	json_object_put(e->by_category);
	json_object_put(e->by_residence);
	json_object_put(e->by_activity);
	json_object_put(e->hosting);
	json_object_put(e->partners);
	json_object_put(e->persons);
}

/* Every key of want holds the same number in got, and nothing else. */
static void
same_counts(const char *what, json_object *got, json_object *want)
{
	json_object	*v;

	if (json_object_object_length(got) != json_object_object_length(want))
		fail_msg("%s: %s, expected %s", what,
		    json_object_to_json_string(got),
		    json_object_to_json_string(want));
	json_object_object_foreach(want, k, w) {
		if (!json_object_object_get_ex(got, k, &v) ||
		    json_object_get_int64(v) != json_object_get_int64(w))
			fail_msg("%s[%s]: %s, expected %s", what, k,
			    json_object_to_json_string(got),
			    json_object_to_json_string(want));
	}
}

/* A sorted list has as many items as the distinct keys expected. */
static void
same_set(const char *what, json_object *list, json_object *want)
{
	size_t	 i;

	if (json_object_array_length(list) !=
	    (size_t)json_object_object_length(want))
		fail_msg("%s: %s, expected keys of %s", what,
		    json_object_to_json_string(list),
		    json_object_to_json_string(want));
	for (i = 0; i < json_object_array_length(list); i++)
		if (!json_object_object_get_ex(want, json_object_get_string(
		    json_object_array_get_idx(list, i)), NULL))
			fail_msg("%s: unexpected %s", what,
			    json_object_get_string(
			    json_object_array_get_idx(list, i)));
}

static void
check_sheet(struct query_db *q, const char *sheet, const char *from,
    const char *to)
{
	struct query	 qu = { "sheet", sheet, from, to, 0 };
	struct expect	 e;
	const char	*error = NULL;
	json_object	*doc = query_answer(q, &qu, date_today(), &error);

	if (doc == NULL)
		fail_msg("query %s: %s", sheet, error);
	expect_compute(sheet, atoi(from) * 100 + atoi(from + 5),
	    atoi(to) * 100 + atoi(to + 5), &e);
	assert_int_equal(json_object_get_int64(json_object_object_get(doc,
	    "records")), e.records);
	assert_int_equal(json_object_get_int64(json_object_object_get(doc,
	    "participants")), e.participants);
	same_counts("by_category", json_object_object_get(doc, "by_category"),
	    e.by_category);
	same_counts("by_residence", json_object_object_get(doc,
	    "by_residence"), e.by_residence);
	same_counts("by_activity", json_object_object_get(doc, "by_activity"),
	    e.by_activity);
	same_set("communes_hosting", json_object_object_get(doc,
	    "communes_hosting"), e.hosting);
	same_set("partners", json_object_object_get(doc, "partners"),
	    e.partners);
	assert_int_equal(json_object_get_int64(json_object_object_get(doc,
	    "distinct_participants")), json_object_object_length(e.persons));
	expect_free(&e);
	json_object_put(doc);
}

static void
diff_fail(void *arg, const char *slot, int month, enum model_kind k,
    const char *a, const char *b, int64_t x, int64_t y)
{
	print_message("difference (%s) %s %d %s %s %s: %lld against %lld\n",
	    (const char *)arg, slot, month, model_kind_name(k), a, b,
	    (long long)x, (long long)y);
}

/*
 * The model folded commit by commit equals one loaded from the stored
 * rows, and its figures over random windows (distinct persons across
 * month boundaries above all) equal the plain recomputation.
 */
static void
check_live(struct store *s, const struct model *live, int windows)
{
	static const char *const sheets[] = { "III.A.17", "III.A.19",
		"II.A.9" };
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct model		*m = model_new(cat);
	struct expect		 e;
	int			 i, from, to, slot;
	const char		*sheet;
	static unsigned		 r = 1;	/* its own: histories stay the same */

	assert_non_null(m);
	assert_true(store_model_load(s, m) >= 0);
	assert_int_equal(model_compare(live, m, diff_fail, "live, stored"), 0);
	model_free(m);
	for (i = 0; i < windows; i++) {
		sheet = sheets[rand_r(&r) % 3];
		from = rand_r(&r) % 36;
		to = from + rand_r(&r) % (36 - from);
		from = (2023 + from / 12) * 100 + from % 12 + 1;
		to = (2023 + to / 12) * 100 + to % 12 + 1;
		slot = model_sheet_slot(live, (size_t)catalogue_sheet(cat,
		    sheet)->number - 1);
		expect_compute(sheet, from, to, &e);
		assert_int_equal(model_total(live, slot, MK_RECORDS, from, to),
		    e.records);
		assert_int_equal(model_total(live, slot, MK_PARTICIPANTS, from,
		    to), e.participants);
		if (model_persons(live, slot, from, to) !=
		    json_object_object_length(e.persons))
			fail_msg("%s %d-%d: %lld distinct persons, expected %d",
			    sheet, from, to, (long long)model_persons(live,
			    slot, from, to), json_object_object_length(
			    e.persons));
		expect_free(&e);
	}
}

static void
run_seed(unsigned seed)
{
	struct model		*live = model_new(catalogue_builtin(NULL, 0));
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct store_options	 so = { 0, cat, 0, 0, 0, 0 };
	long			*map = NULL;
	size_t			 nmap = 0;
	const char		*dir = tmpdir_make();
	struct agg_batch	*b = agg_batch_new();
	struct query_db		*q;
	struct store		*s;
	char			 db[4200], err[512];
	long			 records = 0;
	int			 op, bad = 0;

	memset(model, 0, sizeof(model));
	srand(seed);
	snprintf(db, sizeof(db), "%s/ctgd.db", dir);
	/* Changes folded into the cells every 7 commits: both states seen. */
	so.deltas_max = 7;
	if ((s = store_open(db, &so, err, sizeof(err))) == NULL)
		fail_msg("store: %s", err);
	for (op = 0; op < OPS; op++) {
		if (op % BATCH == 0) {
			agg_batch_clear(b);
			assert_int_equal(store_begin(s), 0);
		}
		if (!one_op(s, b, op))
			bad++;
		if (op % BATCH == BATCH - 1 || op == OPS - 1) {
			assert_int_equal(store_apply(s, b), 0);
			assert_int_equal(store_commit(s), 0);
			/*
			 * As the writer does, after COMMIT: the cells the
			 * store changed, and the batch's members.
			 */
			assert_int_equal(model_merge_delta(live,
			    store_delta(s), &map, &nmap), 0);
			assert_int_equal(model_fold_batch(live, b), 0);
			if (op / BATCH % 10 == 9 || op == OPS - 1)
				check_live(s, live, 20);
		}
	}
	assert_int_equal(bad, 0);
	assert_int_equal(store_verify(s, diff_fail, "stored, expected", &records, NULL, NULL), 0);
	assert_true(records > 0);
	if ((q = query_open(db, cat, 5, NULL, err, sizeof(err))) == NULL)
		fail_msg("query: %s", err);
	check_sheet(q, "III.A.17", "2023-01", "2025-12");
	check_sheet(q, "III.A.19", "2024-03", "2024-09");
	check_sheet(q, "II.A.9", "2025-01", "2025-12");
	check_sheet(q, "III.A.17", "2024-12", "2024-12");
	query_close(q);
	/* Commits were folded into the cells, the last ones still rows. */
	{
		sqlite3		*h;
		sqlite3_stmt	*st;

		assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(h, "SELECT (SELECT count(*) "
		    "FROM agg_delta), (SELECT count(*) FROM agg_cell)", -1, &st,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_true(sqlite3_column_int(st, 0) < 7);
		assert_true(sqlite3_column_int(st, 1) > 0);
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	/* The comparison can fail: one delta more, one difference at least. */
	{
		struct model	*m = model_new(catalogue_builtin(NULL, 0));
		struct agg_key	 k = { AGG_RECORDS, "III.A.17", 202402,
				    { "chantier", "ripe", "46201", "jeune" } };

		assert_true(store_model_load(s, m) >= 0);
		assert_int_equal(model_compare(live, m, NULL, NULL), 0);
		assert_int_equal(model_fold(live, &k, 1), 0);
		assert_true(model_compare(live, m, NULL, NULL) >= 3);
		model_free(m);
	}
	model_free(live);
	free(map);
	store_close(s);
	agg_batch_free(b);
	tmpdir_remove(dir);
}

static void
test_random_histories(void **state)
{
	static const unsigned seeds[] = { 1, 42, 2024, 31337 };
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		run_seed(seeds[i]);
	/* Duplicates, conflicts, amends and voids all happened, often. */
	for (i = 0; i < 6; i++)
		if (seen[i] < 300)
			fail_msg("operation %zu done %d times only", i, seen[i]);
	print_message("%d operations: %d new, %d duplicate, %d conflict, "
	    "%d amend, %d void\n", OPS * 4, OPS * 4 - seen[0] - seen[1] -
	    seen[2] - seen[3] - seen[4] - seen[5], seen[0], seen[1],
	    seen[2] + seen[3], seen[4] + seen[5]);
}

/* verify sees a tampered row, in both directions. */
static void
test_verify_sees_tampering(void **state)
{
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct store_options	 so = { 0, cat, 0, 0, 0, 0 };
	const char		*dir = tmpdir_make();
	struct agg_batch	*b = agg_batch_new();
	struct store		*s;
	sqlite3			*h;
	char			 db[4200], err[512];
	long			 records;
	int			 op;

	(void)state;
	memset(model, 0, sizeof(model));
	srand(7);
	snprintf(db, sizeof(db), "%s/ctgd.db", dir);
	assert_non_null(s = store_open(db, &so, err, sizeof(err)));
	assert_int_equal(store_begin(s), 0);
	for (op = 0; op < 200; op++)
		one_op(s, b, op);
	assert_int_equal(store_apply(s, b), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_verify(s, diff_fail, "stored, expected",
	    &records, NULL, NULL), 0);
	/* The commit's changes, in the cells. */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_fold_deltas(s), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_verify(s, NULL, NULL, &records, NULL, NULL), 0);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	/* A cell holding another's sums, a cell gone. */
	assert_int_equal(sqlite3_exec(h, "UPDATE agg_cell SET data = (SELECT "
	    "data FROM agg_cell WHERE slot = 'III.A.17' ORDER BY month LIMIT 1) "
	    "WHERE slot = '*' AND month = (SELECT min(month) FROM agg_cell "
	    "WHERE slot = '*')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(h), 1);
	assert_int_equal(sqlite3_exec(h, "DELETE FROM agg_cell WHERE slot = "
	    "'II.A.9' AND month = (SELECT max(month) FROM agg_cell WHERE slot = "
	    "'II.A.9')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(h), 1);
	assert_true(store_verify(s, NULL, NULL, &records, NULL, NULL) >= 2);
	/* Bytes that are not a cell: neither verify nor a load accept them. */
	assert_int_equal(sqlite3_exec(h, "UPDATE agg_cell SET data = x'01ff' "
	    "WHERE slot = 'III.A.17'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_true(store_verify(s, NULL, NULL, &records, NULL, NULL) < 0);
	{
		struct model *m = model_new(cat);

		assert_true(store_model_load(s, m) < 0);
		model_free(m);
	}
	store_close(s);
	agg_batch_free(b);
	tmpdir_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_histories),
		cmocka_unit_test(test_verify_sees_tampering),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
