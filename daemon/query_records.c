/*
 * query_records.c — records themselves: a record's revisions, and the
 * drill-down from an indicator to the records that make its value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "query_int.h"
#include "record.h"
#include "store.h"
#include "uuid.h"

/* A record as JSON: its content, as stored in one revision. */
static json_object *
query_record_json(const struct record *r, const struct store_revision *v)
{
	json_object	*o = json_object_new_object(), *a, *g;
	char		 hex[2 * PERSON_TOKEN_LEN + 1];
	size_t		 i, k;

	json_object_object_add(o, "rev", json_object_new_int(v->rev));
	json_object_object_add(o, "kind", json_object_new_string(v->kind));
	json_object_object_add(o, "received_ms",
	    json_object_new_int64(v->received));
	if (v->reason != NULL)
		json_object_object_add(o, "reason",
		    json_object_new_string(v->reason));
	a = json_object_new_array();
	for (i = 0; i < r->nsheets; i++)
		json_object_array_add(a, json_object_new_string(r->sheets[i]));
	json_object_object_add(o, "sheets", a);
	json_object_object_add(o, "activity",
	    json_object_new_string(r->activity));
	json_object_object_add(o, "date", json_object_new_string(r->date));
	json_object_object_add(o, "commune", json_object_new_string(r->commune));
	json_object_object_add(o, "structure",
	    json_object_new_string(r->structure));
	a = json_object_new_array();
	for (i = 0; i < r->ngroups; i++) {
		g = json_object_new_object();
		json_object_object_add(g, "category",
		    json_object_new_string(r->groups[i].category));
		json_object_object_add(g, "residence",
		    json_object_new_string(r->groups[i].residence));
		json_object_object_add(g, "count",
		    json_object_new_int64(r->groups[i].count));
		if (r->groups[i].person != NULL) {
			for (k = 0; k < r->groups[i].person_len &&
			    k < PERSON_TOKEN_LEN; k++)
				snprintf(hex + 2 * k, 3, "%02x",
				    r->groups[i].person[k]);
			json_object_object_add(g, "person",
			    json_object_new_string(hex));
		}
		json_object_array_add(a, g);
	}
	json_object_object_add(o, "groups", a);
	a = json_object_new_array();
	for (i = 0; i < r->npartners; i++)
		json_object_array_add(a,
		    json_object_new_string(r->partners[i]));
	json_object_object_add(o, "partners", a);
	json_object_object_add(o, "title", r->title ?
	    json_object_new_string(r->title) : NULL);
	return o;
}

/*
 * Every revision of a record, read with the store's own reader (a
 * connection of its own, opened once) inside one read transaction.
 */
char *
query_revisions(struct query_db *q, const struct query *qu,
    const char **error)
{
	uint8_t			 id[RECORD_ID_LEN];
	struct store		*s = q->store;
	struct store_revision	 v;
	struct record		 r;
	struct arena		 a = { 0 };
	json_object		*o, *list;
	int			 rev, found = 0;

	if (qu->key == NULL || uuid_parse(qu->key, id) == -1)
		return query_fail(q, error, "identifiant « %s » invalide : "
		    "attendu un UUID", qu->key);
	if (store_read_begin(s) == -1)
		return query_fail(q, error, "lecture impossible : %s",
		    store_errmsg(s));
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(qu->key));
	list = json_object_new_array();
	for (rev = 1; store_get(s, id, rev, &a, &r, &v) == 1; rev++) {
		found = 1;
		json_object_object_add(o, "voided",
		    json_object_new_boolean(v.voided));
		json_object_array_add(list, query_record_json(&r, &v));
		arena_free(&a);
	}
	arena_free(&a);
	store_read_end(s);
	json_object_object_add(o, "revisions", list);
	if (!found) {
		json_object_put(o);
		return query_fail(q, error, "enregistrement %s inconnu",
		    qu->key);
	}
	return query_json(o);
}


/* A filter's values for one key as a JSON array text, categories widened to
 * their children; NULL when the filter does not name the key. */
static char *
query_filter_list(const struct catalogue *c, const char *filter,
    const char *key, enum cat_vocab v)
{
	json_object	*a = NULL;
	char		 buf[512], *part, *save, *w, *save2, *eq, *out;
	size_t		 i;
	int		 p, idx;

	snprintf(buf, sizeof(buf), "%s", filter ? filter : "");
	for (part = strtok_r(buf, ";", &save); part != NULL;
	    part = strtok_r(NULL, ";", &save)) {
		if ((eq = strchr(part, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if (strcmp(part, key) != 0)
			continue;
		a = json_object_new_array();
		for (w = strtok_r(eq, ",", &save2); w != NULL;
		    w = strtok_r(NULL, ",", &save2)) {
			idx = catalogue_word(c, v, w);
			for (i = 0; i < c->nwords[v]; i++)
				for (p = (int)i; p != -1;
				    p = c->words[v][p].parent)
					if (p == idx) {
						json_object_array_add(a,
						    json_object_new_string(
						    c->words[v][i].keyword));
						break;
					}
		}
	}
	if (a == NULL)
		return NULL;
	out = strdup(json_object_to_json_string(a));
	json_object_put(a);
	return out;
}

static const char query_records_sql[] =
    "SELECT lower(hex(r.id)), v.date, v.activity, v.commune, v.structure, "
    "v.title, (SELECT coalesce(sum(g.count), 0) FROM revision_group g "
    "WHERE g.record = r.id AND g.rev = r.rev) "
    "FROM record r JOIN revision v ON v.record = r.id AND v.rev = r.rev "
    "WHERE r.voided = 0 AND v.date BETWEEN ?1 AND ?2 "
    "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM revision_sheet s WHERE "
    "s.record = r.id AND s.rev = r.rev AND s.sheet = ?3)) "
    "AND (?4 IS NULL OR v.activity IN (SELECT value FROM json_each(?4))) "
    "AND (?5 IS NULL OR v.structure IN (SELECT value FROM json_each(?5))) "
    "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM revision_group g WHERE "
    "g.record = r.id AND g.rev = r.rev AND g.category IN "
    "(SELECT value FROM json_each(?6)))) "
    "ORDER BY v.date, r.id LIMIT ?7";

/* The records an indicator reads in the window, as its declaration says. */
char *
query_records(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct cat_indicator	*d = NULL;
	sqlite3_stmt			*st = NULL;
	json_object			*o, *list, *r;
	struct arena			 a = { 0 };
	char				*lists[3] = { NULL, NULL, NULL };
	char				 lo[16], hi[16];
	size_t				 i;
	int				 from, to, rc, n = 0;

	for (i = 0; qu->key != NULL && i < q->cat->nindicators; i++)
		if (strcmp(q->cat->indicators[i].id, qu->key) == 0)
			d = &q->cat->indicators[i];
	if (d == NULL)
		return query_fail(q, error, "indicateur « %s » inconnu : "
		    "attendu un identifiant comme III.A.17/res/2", qu->key);
	if (query_window(q, qu, today, &from, &to, error) == -1)
		return NULL;
	if (sqlite3_prepare_v2(q->db, query_records_sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return query_fail(q, error, "lecture de la base impossible : "
		    "%s", sqlite3_errmsg(q->db));
	snprintf(lo, sizeof(lo), "%04d-%02d-01", from / 100 % 10000,
	    from % 100);
	snprintf(hi, sizeof(hi), "%04d-%02d-31", to / 100 % 10000, to % 100);
	lists[0] = query_filter_list(q->cat, d->filter, "activity",
	    VOCAB_ACTIVITY);
	lists[1] = query_filter_list(q->cat, d->filter, "structure",
	    VOCAB_STRUCTURE);
	lists[2] = query_filter_list(q->cat, d->filter, "category",
	    VOCAB_CATEGORY);
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	if (strcmp(d->scope, "all") != 0)
		sqlite3_bind_text(st, 3, d->sheet, -1, SQLITE_STATIC);
	for (i = 0; i < 3; i++)
		if (lists[i] != NULL)
			sqlite3_bind_text(st, (int)i + 4, lists[i], -1,
			    SQLITE_STATIC);
	sqlite3_bind_int(st, 7, QUERY_MAX_RECORDS + 1);
	o = json_object_new_object();
	json_object_object_add(o, "indicator", json_object_new_string(d->id));
	json_object_object_add(o, "label", json_object_new_string(d->label));
	json_object_object_add(o, "from", json_object_new_string(lo));
	json_object_object_add(o, "to", json_object_new_string(hi));
	list = json_object_new_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    n++ < QUERY_MAX_RECORDS) {
		static const char *const keys[] = { "id", "date", "activity",
		    "commune", "structure", "title" };

		r = json_object_new_object();
		for (i = 0; i < 6; i++) {
			const char *v = query_col(&a, st, (int)i);

			json_object_object_add(r, keys[i], v ?
			    json_object_new_string(v) : NULL);
		}
		json_object_object_add(r, "participants",
		    json_object_new_int64(sqlite3_column_int64(st, 6)));
		json_object_array_add(list, r);
	}
	json_object_object_add(o, "truncated",
	    json_object_new_boolean(n > QUERY_MAX_RECORDS));
	json_object_object_add(o, "records", list);
	sqlite3_finalize(st);
	arena_free(&a);
	for (i = 0; i < 3; i++)
		free(lists[i]);
	return query_json(o);
}
