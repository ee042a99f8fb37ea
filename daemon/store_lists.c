/*
 * store_lists.c — records read as lists, for the read side: the records
 * behind an indicator, a structure's latest records, one structure's
 * candidate duplicates, and a month's stored rollup. The SQL of those
 * reads is here only, prepared once with the store's other statements.
 * Every list gives the same row (struct store_row), so a store of another
 * kind answers the read side by giving the same rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store_int.h"

/* The columns of every list, in struct store_row's order. */
#define STORE_ROW_COLUMNS(venue) \
	"SELECT r.id, v.date, v.activity, " venue ", v.structure, v.title, " \
	"v.participants, replace(v.sheets, char(31), ','), r.rev, r.voided, " \
	"r.received, v.partners "

static const char *const store_list_sql[STORE__LISTS] = {
	/*
	 * A sheet's code or a category in a revision's packed lists
	 * (008_packed_revisions.sql): between separators, so "I.A.1" is
	 * not found in "I.A.10".
	 */
	[STORE_MATCHING] = STORE_ROW_COLUMNS("v.commune")
	    "FROM record r JOIN revision v ON v.record = r.id AND v.rev = r.rev "
	    "WHERE r.voided = 0 AND v.date BETWEEN ?1 AND ?2 "
	    "AND (?3 IS NULL OR instr(char(31) || v.sheets || char(31), "
	    "char(31) || ?3 || char(31)) > 0) "
	    "AND (?4 IS NULL OR v.activity IN (SELECT value FROM json_each(?4))) "
	    "AND (?5 IS NULL OR v.structure IN (SELECT value FROM "
	    "json_each(?5))) "
	    "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(?6) WHERE "
	    "instr(char(30) || v.groups, char(30) || value || char(31)) > 0)) "
	    "ORDER BY v.date, r.id LIMIT ?7",
	/* Through revision_by_structure (006_recent.sql). */
	[STORE_RECENT] = STORE_ROW_COLUMNS("v.commune")
	    "FROM revision v JOIN record r ON r.id = v.record AND r.rev = v.rev "
	    "WHERE v.structure = ?1 AND v.date BETWEEN ?2 AND ?3 "
	    "ORDER BY v.date DESC, r.received DESC, r.id DESC LIMIT ?7",
	/* Blocks of one date, venue (its current commune) and activity. */
	[STORE_SAME_DAY] = "WITH cur AS (" STORE_ROW_COLUMNS(
	    "coalesce(m.current, v.commune) AS venue")
	    "FROM revision v JOIN record r ON r.id = v.record AND r.rev = v.rev "
	    "LEFT JOIN communes m ON m.code = v.commune "
	    "WHERE v.structure = ?1 AND v.date BETWEEN ?2 AND ?3 AND "
	    "r.voided = 0) "
	    "SELECT * FROM cur c WHERE (c.date, c.venue, c.activity) IN "
	    "(SELECT date, venue, activity FROM cur GROUP BY 1, 2, 3 HAVING "
	    "count(*) > 1) ORDER BY c.date, c.venue, c.activity, c.received, "
	    "c.id",
};

static const char *const store_rollup_sql[] = {
	"SELECT json FROM rollup WHERE month = ?1 ORDER BY rev DESC LIMIT 1",
};

int
store_lists_prepare(struct store *s)
{
	return store_prepare_each(s, store_list_sql, STORE__LISTS, s->list) ==
	    -1 ? -1 : store_prepare_each(s, store_rollup_sql, 1,
	    &s->rollup_get);
}

void
store_lists_finalize(struct store *s)
{
	store_finalize_each(s->list, STORE__LISTS);
	store_finalize_each(&s->rollup_get, 1);
}

/*
 * The words of a compiled filter mask as a JSON array text, for SQL's
 * json_each; NULL when the mask is 0 (any word).
 */
static char *
store_filter_list(const struct catalogue *c, uint64_t mask, enum cat_vocab v)
{
	json_object	*a;
	char		*out;
	size_t		 i;

	if (mask == 0)
		return NULL;
	a = json_object_new_array();
	for (i = 0; i < c->nwords[v] && i < 64; i++)
		if (mask & ((uint64_t)1 << i))
			json_object_array_add(a, json_object_new_string(
			    c->words[v][i].keyword));
	out = strdup(json_object_to_json_string(a));
	json_object_put(a);
	return out;
}

static const char *
store_list_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

long
store_list(struct store *s, enum store_list which,
    const struct store_selection *sel,
    int (*fn)(void *, const struct store_row *), void *arg)
{
	sqlite3_stmt	*st = s->list[which];
	struct store_row row;
	char		*lists[3] = { NULL, NULL, NULL };
	static const enum cat_vocab vocab[3] = { VOCAB_ACTIVITY,
			    VOCAB_STRUCTURE, VOCAB_CATEGORY };
	long		 n = 0;
	int		 rc = SQLITE_DONE, i, stop = 0;

	if (which == STORE_MATCHING) {
		sqlite3_bind_text(st, 1, sel->lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sel->hi, -1, SQLITE_STATIC);
		if (sel->sheet != NULL)
			sqlite3_bind_text(st, 3, sel->sheet, -1, SQLITE_STATIC);
		for (i = 0; sel->filter != NULL && i < 3; i++) {
			uint64_t m = i == 0 ? sel->filter->act : i == 1 ?
			    sel->filter->str : sel->filter->cat;

			if ((lists[i] = store_filter_list(s->cat, m,
			    vocab[i])) != NULL)
				sqlite3_bind_text(st, i + 4, lists[i], -1,
				    SQLITE_STATIC);
		}
	} else {
		sqlite3_bind_text(st, 1, sel->structure, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sel->lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sel->hi, -1, SQLITE_STATIC);
	}
	if (which != STORE_SAME_DAY)
		sqlite3_bind_int64(st, 7, sel->limit);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != RECORD_ID_LEN)
			continue;
		row = (struct store_row){
			.id = sqlite3_column_blob(st, 0),
			.date = store_list_text(st, 1),
			.activity = store_list_text(st, 2),
			.commune = store_list_text(st, 3),
			.structure = store_list_text(st, 4),
			.title = store_list_text(st, 5),
			.participants = sqlite3_column_int64(st, 6),
			.sheets = store_list_text(st, 7),
			.rev = sqlite3_column_int(st, 8),
			.voided = sqlite3_column_int(st, 9),
			.received = sqlite3_column_int64(st, 10),
			.partners = store_list_text(st, 11),
		};
		if ((stop = fn(arg, &row)) == -1)
			break;
		n++;
	}
	if (stop == 0 && rc != SQLITE_DONE)
		n = -1;
	if (stop == -1)
		n = -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (i = 0; i < 3; i++)
		free(lists[i]);
	return n;
}

char *
store_rollup_json(struct store *s, const char *month, int *failed)
{
	sqlite3_stmt	*st = s->rollup_get;
	char		*json = NULL;
	int		 rc;

	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json = strdup(store_list_text(st, 0));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	*failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
	return json;
}
