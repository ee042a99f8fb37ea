/*
 * query_commune.c — places and gaps: one commune (everything that happened
 * there, everyone who came from there), and completeness (structures
 * silent for weeks, sheets without activity), from the aggregates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "catalogue.h"
#include "query_int.h"
#include "record.h"

static void
query_bump(json_object *o, const char *key, int64_t n)
{
	json_object	*v;

	if (json_object_object_get_ex(o, key, &v))
		json_object_set_int64(v, json_object_get_int64(v) + n);
	else
		json_object_object_add(o, key, json_object_new_int64(n));
}

/*
 * One side of the view: rows of a table whose key column is the commune;
 * the AGG_ALL rows give totals and breakdowns, the others the sheets.
 */
static int
query_commune_side(struct query_db *q, const char *sql, const char *key,
    int from, int to, const char *total, const char *by2, json_object *side)
{
	sqlite3_stmt	*st;
	json_object	*sheets = json_object_new_object();
	json_object	*acts = json_object_new_object();
	json_object	*other = json_object_new_object();
	int64_t		 sum = 0;
	int		 rc;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, from);
	sqlite3_bind_int(st, 3, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char	*sheet = (const char *)sqlite3_column_text(st, 0);
		int64_t		 n = sqlite3_column_int64(st, 3);

		if (strcmp(sheet, AGG_ALL) != 0) {
			query_bump(sheets, sheet, n);
			continue;
		}
		sum += n;
		query_bump(acts, (const char *)sqlite3_column_text(st, 1), n);
		query_bump(other, (const char *)sqlite3_column_text(st, 2), n);
	}
	sqlite3_finalize(st);
	json_object_object_add(side, total, json_object_new_int64(sum));
	json_object_object_add(side, "by_sheet", sheets);
	json_object_object_add(side, "by_activity", acts);
	json_object_object_add(side, by2, other);
	return rc == SQLITE_DONE ? 0 : -1;
}

char *
query_commune(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct cat_commune	*c = catalogue_commune(q->cat, qu->key);
	const struct cat_commune	*cur;
	json_object			*o, *hosted, *residents;
	const char			*key;
	int				 from, to;

	if (c == NULL)
		return query_fail(q, error, QUERY_UNKNOWN,
		    "commune « %s » inconnue : "
		    "attendu un code INSEE comme 46201", qu->key);
	if (!c->ccqb)
		return query_fail(q, error, QUERY_BAD,
		    "commune « %s » hors de la CC du "
		    "Quercy Blanc : ses habitants sont comptés sous « hors »",
		    qu->key);
	if (query_window(q, qu, today, &from, &to, error) == -1)
		return NULL;
	key = c->current;
	cur = catalogue_commune(q->cat, key);
	o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_string(key));
	json_object_object_add(o, "name", json_object_new_string(cur->name));
	json_object_object_add(o, "population",
	    json_object_new_int(cur->population));
	hosted = json_object_new_object();
	residents = json_object_new_object();
	if (query_commune_side(q, "SELECT sheet, activity, structure, n FROM "
	    "agg_records WHERE venue = ?1 AND month BETWEEN ?2 AND ?3", key,
	    from, to, "records", "by_structure", hosted) == -1 ||
	    query_commune_side(q, "SELECT sheet, activity, category, n FROM "
	    "agg_groups WHERE residence = ?1 AND month BETWEEN ?2 AND ?3", key,
	    from, to, "participants", "by_category", residents) == -1) {
		json_object_put(hosted);
		json_object_put(residents);
		json_object_put(o);
		return query_fail(q, error, QUERY_BROKEN,
		    "lecture de la base impossible%s",
		    "");
	}
	json_object_object_add(o, "hosted", hosted);
	json_object_object_add(o, "residents", residents);
	return query_json(o);
}

/* Days of the last record of each structure (sheet '*') or each sheet. */
static int
query_last_days(struct query_db *q, const char *sql, enum cat_vocab v,
    int64_t *last)
{
	sqlite3_stmt	*st;
	const char	*key;
	int		 rc, w;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(st, 0);
		if (v == VOCAB__COUNT) {
			const struct cat_sheet *s = catalogue_sheet(q->cat, key);

			w = s != NULL ? s->number - 1 : -1;
		} else
			w = catalogue_word(q->cat, v, key);
		if (w >= 0)
			last[w] = date_from_ymd(sqlite3_column_int(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Who has been silent for `weeks`: last record, weeks since, or never. */
static json_object *
query_silent(const int64_t *last, size_t n, const char *const *keys,
    const char *const *labels, const char *what, long weeks, int64_t today)
{
	json_object	*list = json_object_new_array(), *e;
	char		 date[11];
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (last[i] != 0 && today - last[i] < weeks * 7)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, what, json_object_new_string(keys[i]));
		json_object_object_add(e, "label",
		    json_object_new_string(labels[i]));
		if (last[i] != 0) {
			date_format(last[i], date);
			json_object_object_add(e, "last",
			    json_object_new_string(date));
			json_object_object_add(e, "silent_weeks",
			    json_object_new_int64((today - last[i]) / 7));
		} else
			json_object_object_add(e, "last", NULL);
		json_object_array_add(list, e);
	}
	return list;
}

/*
 * Completeness: the structures and the sheets whose last record is older
 * than `weeks` (key, default 8) before today, or that never had one, and
 * the sheets without any activity in the window.
 */
char *
query_completeness(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct catalogue	*c = q->cat;
	sqlite3_stmt		*st;
	json_object		*idle, *o;
	char			*out = NULL;
	const char		**keys = NULL, **labels = NULL;
	char			*end;
	int64_t			*last = NULL, *slast = NULL;
	size_t			 i, n;
	long			 weeks = 8;
	int			 from, to, *active = NULL;

	if (qu->key != NULL && *qu->key != '\0') {
		weeks = strtol(qu->key, &end, 10);
		if (*end != '\0' || weeks < 1 || weeks > 520)
			return query_fail(q, error, QUERY_BAD,
			    "nombre de semaines « %s » "
			    "invalide : attendu de 1 à 520", qu->key);
	}
	if (query_window(q, qu, today, &from, &to, error) == -1)
		return NULL;
	n = c->nwords[VOCAB_STRUCTURE];
	last = calloc(n + 1, sizeof(*last));
	slast = calloc(c->nsheets + 1, sizeof(*slast));
	active = calloc(c->nsheets + 1, sizeof(*active));
	keys = calloc(n + c->nsheets + 1, sizeof(*keys));
	labels = calloc(n + c->nsheets + 1, sizeof(*labels));
	if (last == NULL || slast == NULL || active == NULL || keys == NULL ||
	    labels == NULL || query_last_days(q, "SELECT structure, max(day) "
	    "FROM agg_days WHERE sheet = '*' GROUP BY structure",
	    VOCAB_STRUCTURE, last) == -1 || query_last_days(q, "SELECT sheet, "
	    "max(day) FROM agg_days WHERE sheet != '*' GROUP BY sheet",
	    VOCAB__COUNT, slast) == -1 ||
	    sqlite3_prepare_v2(q->db, "SELECT DISTINCT sheet FROM agg_records "
	    "WHERE sheet != '*' AND month BETWEEN ?1 AND ?2", -1, &st, NULL) !=
	    SQLITE_OK) {
		out = query_fail(q, error, QUERY_BROKEN,
		    "lecture de la base impossible%s",
		    "");
		goto out;
	}
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct cat_sheet *s = catalogue_sheet(c,
		    (const char *)sqlite3_column_text(st, 0));

		if (s != NULL)
			active[s->number - 1] = 1;
	}
	sqlite3_finalize(st);
	o = json_object_new_object();
	json_object_object_add(o, "weeks", json_object_new_int((int)weeks));
	for (i = 0; i < n; i++) {
		keys[i] = c->words[VOCAB_STRUCTURE][i].keyword;
		labels[i] = c->words[VOCAB_STRUCTURE][i].label;
	}
	json_object_object_add(o, "silent_structures", query_silent(last, n,
	    keys, labels, "structure", weeks, today));
	for (i = 0; i < c->nsheets; i++) {
		keys[i] = c->sheets[i].code;
		labels[i] = c->sheets[i].title;
	}
	json_object_object_add(o, "silent_sheets", query_silent(slast,
	    c->nsheets, keys, labels, "sheet", weeks, today));
	idle = json_object_new_array();
	for (i = 0; i < c->nsheets; i++)
		if (!active[i])
			json_object_array_add(idle, json_object_new_string(
			    c->sheets[i].code));
	json_object_object_add(o, "sheets_without_activity", idle);
	out = query_json(o);
out:
	free(last);
	free(slast);
	free(active);
	free(keys);
	free(labels);
	return out;
}
