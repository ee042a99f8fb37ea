/*
 * query_records.c — records themselves: a record's revisions, the
 * drill-down from an indicator to the records that make its value, a
 * structure's latest records, and probable duplicates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "catalogue.h"
#include "lookup.h"
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

/* A record's id as the UUID text. */
static json_object *
query_uuid(const uint8_t *id)
{
	char	 text[UUID_TEXT_LEN + 1];

	uuid_format(id, text);
	return json_object_new_string(text);
}

/*
 * Every revision of a record, read with the store's own reader (a
 * connection of its own, opened once) inside one read transaction.
 */
json_object *
query_revisions(struct query_db *q, const struct query *qu,
    const char **error)
{
	uint8_t			 id[RECORD_ID_LEN];
	struct store		*s = q->store;
	struct store_revision	 v;
	struct record		 r;
	struct arena		 a = { 0 };
	json_object		*o, *list;
	int			 rev, found = 0, w;

	if (qu->key == NULL || uuid_parse(qu->key, id) == -1)
		return query_fail(q, error, QUERY_BAD,
		    "identifiant « %s » invalide : "
		    "attendu un UUID", qu->key);
	if (store_read_begin(s) == -1)
		return query_fail(q, error, QUERY_BROKEN,
		    "lecture impossible : %s",
		    store_errmsg(s));
	o = json_object_new_object();
	json_object_object_add(o, "id", query_uuid(id));
	list = json_object_new_array();
	for (rev = 1; store_get(s, id, rev, &a, &r, &v) == 1; rev++) {
		found = 1;
		json_object_object_add(o, "voided",
		    json_object_new_boolean(v.voided));
		json_object_array_add(list, query_record_json(&r, &v));
		/* Another structure's record is not told to exist. */
		w = catalogue_word(q->cat, VOCAB_STRUCTURE, r.structure);
		if (qu->only != 0)
			found = w >= 0 && w < 64 && (qu->only >> w & 1);
		arena_free(&a);
	}
	arena_free(&a);
	store_read_end(s);
	json_object_object_add(o, "revisions", list);
	if (!found) {
		json_object_put(o);
		return query_fail(q, error, QUERY_UNKNOWN,
		    "enregistrement %s inconnu",
		    qu->key);
	}
	return o;
}


/* "a,b" of sheets as submitted (III.A.17 or 17) to codes in plan order. */
static json_object *
query_sheet_codes(const struct catalogue *c, const char *list)
{
	json_object		*a = json_object_new_array();
	const struct cat_sheet	*s;
	char			 buf[1024], *tok, *save;
	uint64_t		 seen = 0;
	size_t			 i;

	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if ((s = catalogue_sheet(c, tok)) != NULL && s->number <= 64)
			seen |= (uint64_t)1 << (s->number - 1);
	for (i = 0; i < c->nsheets && i < 64; i++)
		if (seen >> i & 1)
			json_object_array_add(a,
			    json_object_new_string(c->sheets[i].code));
	return a;
}


/* What a list shows of each record, in its order (the JSON's keys). */
enum query_field {
	QF_UUID,	/* "id": the UUID text */
	QF_DATE,
	QF_ACTIVITY,
	QF_SHEETS,	/* codes, in plan order */
	QF_COMMUNE,
	QF_STRUCTURE,
	QF_TITLE,	/* null when none */
	QF_PARTICIPANTS,
	QF_VOIDED,
	QF_REV,
	QF_RECEIVED,	/* "received_ms" */
	QF_PARTNERS,	/* a list of texts */
	QF_END
};

static const char *const query_field_names[QF_END] = {
	[QF_UUID] = "id", [QF_DATE] = "date",
	[QF_ACTIVITY] = "activity", [QF_SHEETS] = "sheets",
	[QF_COMMUNE] = "commune", [QF_STRUCTURE] = "structure",
	[QF_TITLE] = "title", [QF_PARTICIPANTS] = "participants",
	[QF_VOIDED] = "voided", [QF_REV] = "rev", [QF_RECEIVED] = "received_ms",
	[QF_PARTNERS] = "partners",
};

/* The texts of s joined by sep, as a JSON array ("" or NULL: none). */
static json_object *
query_split(const char *s, char sep)
{
	json_object	*a = json_object_new_array();
	const char	*end;

	while (s != NULL && *s != '\0') {
		end = strchr(s, sep);
		json_object_array_add(a, json_object_new_string_len(s,
		    end != NULL ? (int)(end - s) : (int)strlen(s)));
		s = end != NULL ? end + 1 : NULL;
	}
	return a;
}

/* A listed record as JSON: the fields, in order, up to QF_END. */
static json_object *
query_row_json(const struct catalogue *cat, const struct store_row *r,
    const enum query_field *f)
{
	json_object	*o = json_object_new_object(), *v;

	for (; *f != QF_END; f++) {
		switch (*f) {
		case QF_UUID:
			v = query_uuid(r->id);
			break;
		case QF_DATE:
			v = json_object_new_string(r->date);
			break;
		case QF_ACTIVITY:
			v = json_object_new_string(r->activity);
			break;
		case QF_SHEETS:
			v = query_sheet_codes(cat, r->sheets);
			break;
		case QF_COMMUNE:
			v = json_object_new_string(r->commune);
			break;
		case QF_STRUCTURE:
			v = json_object_new_string(r->structure);
			break;
		case QF_TITLE:
			v = r->title != NULL ? json_object_new_string(r->title) :
			    NULL;
			break;
		case QF_PARTICIPANTS:
			v = json_object_new_int64(r->participants);
			break;
		case QF_VOIDED:
			v = json_object_new_boolean(r->voided);
			break;
		case QF_REV:
			v = json_object_new_int(r->rev);
			break;
		case QF_PARTNERS:
			v = query_split(r->partners, '\x1f');
			break;
		default:
			v = json_object_new_int64(r->received);
			break;
		}
		json_object_object_add(o, query_field_names[*f], v);
	}
	return o;
}

/* One record of a drill-down, into the list (arg). */
static int
query_matching_row(void *arg, const struct store_row *r)
{
	static const enum query_field f[] = { QF_UUID, QF_DATE, QF_ACTIVITY,
	    QF_COMMUNE, QF_STRUCTURE, QF_TITLE, QF_PARTICIPANTS, QF_END };
	json_object	*list = arg;

	json_object_array_add(list, query_row_json(NULL, r, f));
	return 0;
}

/* The records an indicator reads in the window, as its declaration says. */
json_object *
query_records(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct cat_indicator	*d = NULL;
	struct store_selection		 sel = { 0 };
	json_object			*o, *list;
	char				 lo[16], hi[16];
	size_t				 i, n;
	int				 from, to;

	for (i = 0; qu->key != NULL && i < q->cat->nindicators; i++)
		if (strcmp(q->cat->indicators[i].id, qu->key) == 0)
			d = &q->cat->indicators[i];
	if (d == NULL)
		return query_fail(q, error, QUERY_UNKNOWN,
		    "indicateur « %s » inconnu : "
		    "attendu un identifiant comme III.A.17/res/2", qu->key);
	if (query_window(q, qu, today, &from, &to, error) == -1)
		return NULL;
	snprintf(lo, sizeof(lo), "%04d-%02d-01", from / 100 % 10000,
	    from % 100);
	snprintf(hi, sizeof(hi), "%04d-%02d-31", to / 100 % 10000, to % 100);
	sel = (struct store_selection){ lo, hi, d->all ? NULL : d->sheet,
	    &d->f, NULL, QUERY_MAX_RECORDS + 1 };
	list = json_object_new_array();
	if (store_list(q->store, STORE_MATCHING, &sel, query_matching_row,
	    list) < 0) {
		json_object_put(list);
		return query_fail(q, error, QUERY_BROKEN, "lecture de la base "
		    "impossible : %s", store_errmsg(q->store));
	}
	/* One more than shown says that there are more. */
	if ((n = json_object_array_length(list)) > QUERY_MAX_RECORDS)
		json_object_array_del_idx(list, QUERY_MAX_RECORDS,
		    n - QUERY_MAX_RECORDS);
	o = json_object_new_object();
	json_object_object_add(o, "indicator", json_object_new_string(d->id));
	json_object_object_add(o, "label", json_object_new_string(d->label));
	json_object_object_add(o, "from", json_object_new_string(lo));
	json_object_object_add(o, "to", json_object_new_string(hi));
	json_object_object_add(o, "truncated",
	    json_object_new_boolean(n > QUERY_MAX_RECORDS));
	json_object_object_add(o, "records", list);
	return o;
}

/* What query_recent_row fills. */
struct query_recent_ctx {
	const struct catalogue	*cat;
	json_object		*list;
	int			 n, limit;
};


/*
 * "structure" or "structure/N": the structure (as a person writes it) and
 * how many records to list; -1 with *error.
 */
static int
query_recent_key(struct query_db *q, const char *key, int *structure,
    int *limit, const char **error)
{
	char	 word[128], err[512], *slash, *end;
	long	 n = QUERY_RECENT_DEFAULT;

	snprintf(word, sizeof(word), "%s", key ? key : "");
	if ((slash = strrchr(word, '/')) != NULL) {
		*slash++ = '\0';
		n = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || n < 1 ||
		    n > QUERY_MAX_RECORDS) {
			snprintf(err, sizeof(err), "nombre « %s » invalide : "
			    "attendu de 1 à %d", slash, QUERY_MAX_RECORDS);
			query_fail(q, error, QUERY_BAD, "%s", err);
			return -1;
		}
	}
	if ((*structure = lookup_word(q->cat, VOCAB_STRUCTURE, word, err,
	    sizeof(err))) < 0) {
		query_fail(q, error, *structure == LOOKUP_AMBIGUOUS ?
		    QUERY_BAD : QUERY_UNKNOWN, "%s", err);
		return -1;
	}
	*limit = (int)n;
	return 0;
}

/* The first and last day of the window, or every day when none is given. */
static int
query_days(struct query_db *q, const struct query *qu, int64_t today,
    char lo[16], char hi[16], const char **error)
{
	int	 from, to;

	if ((qu->from == NULL || *qu->from == '\0') &&
	    (qu->to == NULL || *qu->to == '\0') && strcmp(qu->kind,
	    "recent") == 0) {
		snprintf(lo, 16, "0000-00-00");
		snprintf(hi, 16, "9999-99-99");
		return 0;
	}
	if (query_window(q, qu, today, &from, &to, error) == -1)
		return -1;
	snprintf(lo, 16, "%04d-%02d-01", from / 100 % 10000, from % 100);
	snprintf(hi, 16, "%04d-%02d-31", to / 100 % 10000, to % 100);
	return 0;
}

/* One of a structure's latest records, into the list. */
static int
query_recent_row(void *arg, const struct store_row *r)
{
	static const enum query_field f[] = { QF_UUID, QF_DATE, QF_ACTIVITY,
	    QF_SHEETS, QF_COMMUNE, QF_PARTICIPANTS, QF_TITLE, QF_PARTNERS,
	    QF_VOIDED, QF_REV, QF_RECEIVED, QF_END };
	struct query_recent_ctx	*c = arg;

	if (++c->n > c->limit)
		return 1;	/* one more: there are more */
	json_object_array_add(c->list, query_row_json(c->cat, r, f));
	return 0;
}

/*
 * A structure's latest records, by activity date then storage, voided
 * ones too (marked): what a person needs to amend or void one.
 */
json_object *
query_recent(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	struct query_recent_ctx	 c = { q->cat, NULL, 0, 0 };
	struct store_selection	 sel = { 0 };
	json_object		*o;
	const char		*kw;
	char			 lo[16], hi[16];
	int			 w, limit;

	if (query_recent_key(q, qu->key, &w, &limit, error) == -1 ||
	    query_days(q, qu, today, lo, hi, error) == -1)
		return NULL;
	kw = q->cat->words[VOCAB_STRUCTURE][w].keyword;
	sel = (struct store_selection){ lo, hi, NULL, NULL, kw, limit + 1 };
	c.list = json_object_new_array();
	c.limit = limit;
	if (store_list(q->store, STORE_RECENT, &sel, query_recent_row, &c) <
	    0) {
		json_object_put(c.list);
		return query_fail(q, error, QUERY_BROKEN, "lecture de la base "
		    "impossible : %s", store_errmsg(q->store));
	}
	o = json_object_new_object();
	json_object_object_add(o, "structure", json_object_new_string(kw));
	json_object_object_add(o, "label", json_object_new_string(
	    q->cat->words[VOCAB_STRUCTURE][w].label));
	json_object_object_add(o, "from", qu->from && *qu->from ?
	    json_object_new_string(lo) : NULL);
	json_object_object_add(o, "to", qu->to && *qu->to ?
	    json_object_new_string(hi) : NULL);
	json_object_object_add(o, "limit", json_object_new_int(limit));
	json_object_object_add(o, "truncated",
	    json_object_new_boolean(c.n > limit));
	json_object_object_add(o, "records", c.list);
	return o;
}

/* One row of the duplicates' scan. */
struct query_dup {
	json_object	*rec;		/* id, title, participants, received */
	json_object	*sheets;
	const char	*key;		/* date, venue, activity: one block */
	int		 taken;
};

/*
 * Splits one block (same structure, date, venue, activity) by sheets:
 * every set of two or more is a group, the first stored first.
 */
static void
query_dup_block(struct query_dup *v, size_t n, const char *structure,
    json_object *groups, long *listed)
{
	json_object	*g, *recs;
	const char	*sheets;
	size_t		 i, j, k;

	for (i = 0; i < n && *listed <= QUERY_MAX_RECORDS; i++) {
		if (v[i].taken)
			continue;
		sheets = json_object_to_json_string(v[i].sheets);
		for (j = i + 1, k = 1; j < n; j++)
			k += !v[j].taken && strcmp(sheets,
			    json_object_to_json_string(v[j].sheets)) == 0;
		if (k < 2)
			continue;
		if (*listed + (long)k > QUERY_MAX_RECORDS) {
			*listed = QUERY_MAX_RECORDS + 1L;	/* truncated */
			return;
		}
		g = json_object_new_object();
		json_object_object_add(g, "structure",
		    json_object_new_string(structure));
		json_object_object_add(g, "date", json_object_get(
		    json_object_object_get(v[i].rec, "date")));
		json_object_object_add(g, "commune", json_object_get(
		    json_object_object_get(v[i].rec, "commune")));
		json_object_object_add(g, "activity", json_object_get(
		    json_object_object_get(v[i].rec, "activity")));
		json_object_object_add(g, "sheets",
		    json_object_get(v[i].sheets));
		recs = json_object_new_array();
		for (j = i; j < n; j++)
			if (!v[j].taken && strcmp(sheets,
			    json_object_to_json_string(v[j].sheets)) == 0) {
				json_object_array_add(recs,
				    json_object_get(v[j].rec));
				v[j].taken = 1;
			}
		json_object_object_add(g, "records", recs);
		json_object_array_add(groups, g);
		*listed += (long)k;
	}
}

static void
query_dup_free(struct query_dup *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		json_object_put(v[i].rec);
		json_object_put(v[i].sheets);
	}
}

/* What query_dup_row gathers for one structure. */
struct query_dup_scan {
	const struct catalogue	*cat;
	const char		*structure;
	json_object		*groups;
	long			*listed;
	struct query_dup	*v;
	size_t			 n, cap, first;
	struct arena		 a;
};

static int
query_dup_row(void *arg, const struct store_row *r)
{
	static const enum query_field f[] = { QF_UUID, QF_DATE, QF_COMMUNE,
	    QF_ACTIVITY, QF_TITLE, QF_PARTICIPANTS, QF_RECEIVED, QF_END };
	struct query_dup_scan	*c = arg;
	struct query_dup	*nv;
	json_object		*o;
	const char		*key;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		if ((nv = realloc(c->v, c->cap * sizeof(*nv))) == NULL)
			return -1;
		c->v = nv;
	}
	if ((key = arena_printf(&c->a, "%s|%s|%s", r->date, r->commune,
	    r->activity)) == NULL)
		return -1;
	o = query_row_json(c->cat, r, f);
	c->v[c->n] = (struct query_dup){ o, query_sheet_codes(c->cat,
	    r->sheets), key, 0 };
	/* Rows come by block: close the previous one on a new key. */
	if (c->n > c->first && strcmp(c->v[c->first].key, key) != 0) {
		query_dup_block(c->v + c->first, c->n - c->first, c->structure,
		    c->groups, c->listed);
		c->first = c->n;
	}
	c->n++;
	return 0;
}

/* Reads one structure's candidates and groups them; 0, or -1 (the base). */
static int
query_dup_structure(struct query_db *q, const char *structure,
    const char *lo, const char *hi, json_object *groups, long *listed)
{
	struct query_dup_scan	 c = { .cat = q->cat, .structure = structure,
				    .groups = groups, .listed = listed };
	struct store_selection	 sel = { lo, hi, NULL, NULL, structure, 0 };
	long			 rc;

	rc = store_list(q->store, STORE_SAME_DAY, &sel, query_dup_row, &c);
	if (c.n > c.first)
		query_dup_block(c.v + c.first, c.n - c.first, structure, groups,
		    listed);
	query_dup_free(c.v, c.n);
	free(c.v);
	arena_free(&c.a);
	return rc < 0 ? -1 : 0;
}

/*
 * Probable duplicates: records not voided of one structure, on one date,
 * at one venue (its current commune), of one activity and the same
 * sheets — what the old import rule made of one activity written as
 * several rows. Read structure by structure, through the index.
 */
json_object *
query_duplicates(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	json_object	*o, *groups;
	char		 lo[16], hi[16];
	size_t		 i;
	long		 listed = 0;

	if (query_days(q, qu, today, lo, hi, error) == -1)
		return NULL;
	groups = json_object_new_array();
	for (i = 0; i < q->cat->nwords[VOCAB_STRUCTURE]; i++)
		if (query_dup_structure(q, q->cat->words[VOCAB_STRUCTURE][i].
		    keyword, lo, hi, groups, &listed) == -1) {
			json_object_put(groups);
			return query_fail(q, error, QUERY_BROKEN,
			    "lecture de la base "
			    "impossible : %s", store_errmsg(q->store));
		}
	o = json_object_new_object();
	json_object_object_add(o, "from", json_object_new_string(lo));
	json_object_object_add(o, "to", json_object_new_string(hi));
	json_object_object_add(o, "truncated",
	    json_object_new_boolean(listed > QUERY_MAX_RECORDS));
	json_object_object_add(o, "groups", groups);
	return o;
}
