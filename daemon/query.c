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
#include "jdoc.h"
#include "log.h"
#include "lookup.h"
#include "query_int.h"
#include "record.h"
#include "store.h"
#include "utf8.h"
#include "uuid.h"
#include "writer.h"

#define QUERY_SHOWN	160	/* bytes of a caller's value quoted back */

struct query_db *
query_open(const char *path, const struct catalogue *cat, int small_cells,
    struct view *view, char *err, size_t errlen)
{
	struct query_db		*q = calloc(1, sizeof(*q));
	struct store_options	 so = { 0, cat, 0, 0, 1, 0 };

	if (q == NULL)
		return NULL;
	q->cat = cat;
	q->small_cells = small_cells;
	if ((q->store = store_open(path, &so, err, errlen)) == NULL)
		goto out;
	/* Without the daemon's model (tools, tests): one of its own. */
	if ((q->view = view) == NULL && (q->view = q->own_view =
	    view_load(cat, q->store, err, errlen)) == NULL)
		goto out;
	return q;
out:
	query_close(q);
	return NULL;
}

void
query_close(struct query_db *q)
{
	size_t	 i;

	if (q == NULL)
		return;
	view_free(q->own_view);
	store_close(q->store);
	for (i = 0; i < QUERY_CACHE; i++) {
		free(q->cache[i].key);
		json_object_put(q->cache[i].answer);
	}
	free(q);
}

const struct model *
query_model(struct query_db *q, const char **error)
{
	const struct model	*m = view_read(q->view);

	if (m == NULL) {
		query_fail(q, error, QUERY_BROKEN, "indicateurs indisponibles : "
		    "%s", view_lost(q->view));
		view_done(q->view);
	}
	return m;
}

void
query_model_done(struct query_db *q)
{
	view_done(q->view);
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

/*
 * One sheet's JSON over the window, from the model (summary: the
 * overview's line, without breakdowns); NULL with *error.
 */
static json_object *
query_sheet_json(struct query_db *q, const struct model *m,
    const struct query *qu, int64_t today, int summary, const char **error)
{
	struct ind_input	 in = { .cat = q->cat, .model = m,
				    .today = today, .summary = summary };
	json_object		*json;

	if ((in.sheet = catalogue_sheet(q->cat, qu->key)) == NULL)
		return query_fail(q, error, QUERY_UNKNOWN,
		    "fiche « %s » inconnue : attendu un "
		    "code comme III.A.17 ou un numéro de 1 à 46", qu->key);
	if (query_window(q, qu, today, &in.from, &in.to, error) == -1)
		return NULL;
	if ((json = ind_sheet(&in)) != NULL)
		json_object_object_add(json, "small_cells",
		    json_object_new_int(q->small_cells));
	return json;
}

static json_object *
query_sheet(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct model	*m = query_model(q, error);
	json_object		*o;

	if (m == NULL)
		return NULL;
	o = query_sheet_json(q, m, qu, today, 0, error);
	query_model_done(q);
	return o;
}

/*
 * Where every sheet stands over the window, by axis; with a key, one axis
 * only.
 */
static json_object *
query_overview(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	json_object	*o = json_object_new_object(), *axes, *ax = NULL;
	json_object	*list = NULL, *doc, *so;
	struct query	 one = *qu;
	const char	*axis = "", *keys[] = { "code", "number", "title",
			    "deadline", "records", "participants", "status" };
	const struct cat_axis *only = NULL;
	const struct model *m;
	char		 err[256];
	size_t		 i, k;

	/* « II », « ii » or « 2 ». */
	if (qu->key != NULL && (only = lookup_axis(q->cat, qu->key, err,
	    sizeof(err))) == NULL) {
		json_object_put(o);
		query_fail(q, error, QUERY_UNKNOWN, "%s", err);
		return NULL;
	}
	if ((m = query_model(q, error)) == NULL) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "axes", axes = json_object_new_array());
	for (i = 0; i < q->cat->nsheets; i++) {
		if (only != NULL &&
		    strcmp(q->cat->sheets[i].axis, only->code) != 0)
			continue;
		one.key = q->cat->sheets[i].code;
		if ((doc = query_sheet_json(q, m, &one, today, 1, error)) ==
		    NULL) {
			query_model_done(q);
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
	query_model_done(q);
	return o;
}

/* A member as text, or NULL when missing (a status may be null). */
static const char *
query_str_or_null(json_object *o, const char *key)
{
	json_object	*v = jdoc_get(o, key);

	return v != NULL ? json_object_get_string(v) : NULL;
}

/* One status that moved: the sheet's (io NULL) or an indicator's. */
static void
query_status_change(json_object *list, json_object *sheet, json_object *io,
    const char *before, const char *after)
{
	json_object	*c;

	if (before == NULL || after == NULL || strcmp(before, after) == 0)
		return;
	c = json_object_new_object();
	json_object_object_add(c, "sheet", json_object_new_string(
	    query_str_or_null(sheet, "code")));
	json_object_object_add(c, "indicator", io != NULL ?
	    json_object_new_string(query_str_or_null(io, "id")) : NULL);
	json_object_object_add(c, "label", json_object_new_string(
	    query_str_or_null(io != NULL ? io : sheet, io != NULL ? "label" :
	    "title")));
	json_object_object_add(c, "before", json_object_new_string(before));
	json_object_object_add(c, "after", json_object_new_string(after));
	json_object_array_add(list, c);
}

/* The statuses the month moved: year to date before it, and after. */
static void
query_status_changes(json_object *list, json_object *before,
    json_object *after)
{
	json_object	*bi = jdoc_get(before, "indicators");
	json_object	*ai = jdoc_get(after, "indicators");
	size_t		 i;

	query_status_change(list, after, NULL, query_str_or_null(before,
	    "status"), query_str_or_null(after, "status"));
	for (i = 0; i < json_object_array_length(ai); i++) {
		json_object *a = json_object_array_get_idx(ai, i);

		query_status_change(list, after, a, query_str_or_null(
		    json_object_array_get_idx(bi, i), "status"),
		    query_str_or_null(a, "status"));
	}
}

json_object *
query_rollup_doc(struct query_db *q, const char *month, int64_t today,
    const char **error)
{
	json_object	*o, *list, *s, *m, *y, *p, *moved;
	struct query	 one = { "sheet", NULL, month, month, 0 };
	const struct model *model;
	char		 jan[8], prev[24];
	size_t		 i;
	int		 mm = atoi(month + 5);

	if (ind_month_parse(month) < 0)
		return query_fail(q, error, QUERY_BAD,
		    "mois « %s » invalide : attendu "
		    "AAAA-MM", month);
	snprintf(jan, sizeof(jan), "%.4s-01", month);
	snprintf(prev, sizeof(prev), "%.4s-%02d", month, (mm > 1 && mm <= 12 ?
	    mm - 1 : 1));
	if ((model = query_model(q, error)) == NULL)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "month", json_object_new_string(month));
	json_object_object_add(o, "small_cells",
	    json_object_new_int(q->small_cells));
	json_object_object_add(o, "sheets", list = json_object_new_array());
	/* January starts a year: nothing to compare with. */
	json_object_object_add(o, "status_changes", moved =
	    json_object_new_array());
	for (i = 0; i < q->cat->nsheets; i++) {
		one.key = q->cat->sheets[i].code;
		one.from = month;
		if ((m = query_sheet_json(q, model, &one, today, 0, error)) ==
		    NULL) {
			query_model_done(q);
			json_object_put(o);
			return NULL;
		}
		one.from = jan;
		if ((y = query_sheet_json(q, model, &one, today, 0, error)) ==
		    NULL) {
			query_model_done(q);
			json_object_put(m);
			json_object_put(o);
			return NULL;
		}
		if (mm > 1) {
			one.to = prev;
			p = query_sheet_json(q, model, &one, today, 0, error);
			one.to = month;
			if (p == NULL) {
				query_model_done(q);
				json_object_put(m);
				json_object_put(y);
				json_object_put(o);
				return NULL;
			}
			query_status_changes(moved, p, y);
			json_object_put(p);
		}
		s = json_object_new_object();
		json_object_object_add(s, "code", json_object_new_string(
		    q->cat->sheets[i].code));
		json_object_object_add(s, "month", m);
		json_object_object_add(s, "year_to_date", y);
		json_object_array_add(list, s);
	}
	query_model_done(q);
	return o;
}

#define QUERY_COPIL_YEARS	6	/* a convention and the year before */

/* An indicator's figure for a year: a number, or null for breakdowns. */
static json_object *
query_copil_value(json_object *io)
{
	json_object	*v = jdoc_get(io, "value");

	return json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double) ? json_object_get(v) :
	    NULL;
}

/* A new sheet of the COPIL document: what the plan says of it. */
static json_object *
query_copil_sheet(json_object *sy)
{
	static const char *const keep[] = { "code", "axis", "title",
	    "deadline" };
	static const char *const ikeep[] = { "id", "kind", "label", "measure",
	    "target", "target_per", "baseline", "baseline_year" };
	json_object	*s = json_object_new_object(), *inds, *io, *c;
	size_t		 i, k;

	for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
		json_object_object_add(s, keep[k], json_object_get(
		    jdoc_get(sy, keep[k])));
	json_object_object_add(s, "per_year", json_object_new_array());
	json_object_object_add(s, "indicators", inds = json_object_new_array());
	for (i = 0; i < json_object_array_length(jdoc_get(sy,
	    "indicators")); i++) {
		io = json_object_array_get_idx(jdoc_get(sy, "indicators"), i);
		c = json_object_new_object();
		for (k = 0; k < sizeof(ikeep) / sizeof(ikeep[0]); k++)
			json_object_object_add(c, ikeep[k], json_object_get(
			    jdoc_get(io, ikeep[k])));
		json_object_object_add(c, "values", json_object_new_array());
		json_object_object_add(c, "statuses", json_object_new_array());
		json_object_array_add(inds, c);
	}
	return s;
}

/* One year's figures added to a COPIL sheet. */
static void
query_copil_year(json_object *s, json_object *sy)
{
	json_object	*py = json_object_new_object(), *inds, *io, *c;
	size_t		 i;

	json_object_object_add(py, "records", json_object_get(jdoc_get(sy,
	    "records")));
	json_object_object_add(py, "participants", json_object_get(
	    jdoc_get(sy, "participants")));
	json_object_object_add(py, "status", json_object_get(jdoc_get(sy,
	    "status")));
	json_object_array_add(jdoc_get(s, "per_year"), py);
	json_object_object_add(s, "status", json_object_get(jdoc_get(sy,
	    "status")));
	inds = jdoc_get(sy, "indicators");
	for (i = 0; i < json_object_array_length(inds); i++) {
		io = json_object_array_get_idx(inds, i);
		c = json_object_array_get_idx(jdoc_get(s, "indicators"), i);
		json_object_array_add(jdoc_get(c, "values"),
		    query_copil_value(io));
		json_object_array_add(jdoc_get(c, "statuses"),
		    json_object_get(jdoc_get(io, "status")));
		json_object_object_add(c, "status", json_object_get(
		    jdoc_get(io, "status")));
	}
}

/*
 * The COPIL document of a year: every sheet and indicator year by year,
 * from the first year with a record (at most QUERY_COPIL_YEARS back), the
 * plan's baselines and targets beside them.
 */
static json_object *
query_copil(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct model	*model;
	json_object		*o, *sheets, *years, *sy, *all;
	struct query		 one = { "sheet", NULL, NULL, NULL, 0 };
	char			 from[8], to[8];
	int			 year, y, any;
	size_t			 i;

	if (qu->key == NULL || strlen(qu->key) != 4 ||
	    strspn(qu->key, "0123456789") != 4 || (year = atoi(qu->key)) < 2000)
		return query_fail(q, error, QUERY_BAD,
		    "année « %s » invalide : "
		    "attendu AAAA, comme 2024", qu->key ? qu->key : "");
	if ((model = query_model(q, error)) == NULL)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "year", json_object_new_int(year));
	json_object_object_add(o, "small_cells",
	    json_object_new_int(q->small_cells));
	json_object_object_add(o, "years", years = json_object_new_array());
	json_object_object_add(o, "sheets", sheets = json_object_new_array());
	one.from = from;
	one.to = to;
	for (y = year - QUERY_COPIL_YEARS + 1; y <= year; y++) {
		snprintf(from, sizeof(from), "%04d-01", y % 10000);
		snprintf(to, sizeof(to), "%04d-12", y % 10000);
		all = json_object_new_array();
		for (i = any = 0; i < q->cat->nsheets; i++) {
			one.key = q->cat->sheets[i].code;
			if ((sy = query_sheet_json(q, model, &one, today, 0,
			    error)) == NULL) {
				query_model_done(q);
				json_object_put(all);
				json_object_put(o);
				return NULL;
			}
			any |= json_object_get_int(jdoc_get(sy, "records")) > 0;
			json_object_array_add(all, sy);
		}
		/* Years before the first record are left out. */
		if (any || y == year || json_object_array_length(years) > 0) {
			json_object_array_add(years, json_object_new_int(y));
			for (i = 0; i < q->cat->nsheets; i++) {
				sy = json_object_array_get_idx(all, i);
				if (json_object_array_length(sheets) <= i)
					json_object_array_add(sheets,
					    query_copil_sheet(sy));
				query_copil_year(json_object_array_get_idx(
				    sheets, i), sy);
			}
		}
		json_object_put(all);
	}
	query_model_done(q);
	return o;
}

/* The latest stored revision of a month's rollup, else provisional figures. */
static json_object *
query_rollup(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	json_object	*o;
	char		*json;
	int		 failed;

	if (qu->key == NULL || ind_month_parse(qu->key) < 0)
		return query_fail(q, error, QUERY_BAD,
		    "mois « %s » invalide : attendu "
		    "AAAA-MM", qu->key);
	json = store_rollup_json(q->store, qu->key, &failed);
	if (failed)
		return query_fail(q, error, QUERY_BROKEN,
		    "lecture de la base impossible%s", "");
	if (json != NULL) {	/* as it was stored */
		o = json_tokener_parse(json);
		free(json);
		return o != NULL ? o : query_fail(q, error, QUERY_BROKEN,
		    "bilan stocké illisible%s", "");
	}
	if ((o = query_rollup_doc(q, qu->key, today, error)) == NULL)
		return NULL;
	json_object_object_add(o, "revision", json_object_new_int(0));
	json_object_object_add(o, "provisional", json_object_new_boolean(1));
	return o;
}

static json_object *
query_kind_revisions(struct query_db *q, const struct query *qu,
    int64_t today, const char **error)
{
	(void)today;
	return query_revisions(q, qu, error);
}

static json_object *
query_kind_overview(struct query_db *q, const struct query *qu,
    int64_t today, const char **error)
{
	return query_overview(q, &(struct query){ qu->kind,
	    strcmp(qu->kind, "axis") == 0 ? qu->key : NULL, qu->from, qu->to, 0 },
	    today, error);
}

typedef json_object *query_fn(struct query_db *, const struct query *,
    int64_t, const char **);

/*
 * The questions the read side answers (verify and backup: query_verify);
 * own: about one structure's records, named by the key's first word;
 * model: answered from the model alone, so kept until it moves.
 */
static const struct {
	const char	*kind;
	query_fn	*answer;
	int		 own, model;
} query_kinds[] = {
	{ "sheet", query_sheet, 0, 1 },
	{ "overview", query_kind_overview, 0, 1 },
	{ "axis", query_kind_overview, 0, 1 },
	{ "commune", query_commune, 0, 1 },
	{ "records", query_records, 0, 0 },
	{ "recent", query_recent, 1, 0 },
	{ "duplicates", query_duplicates, 0, 0 },
	{ "rollup", query_rollup, 0, 0 },
	{ "copil", query_copil, 0, 1 },
	{ "completeness", query_completeness, 0, 1 },
	{ "revisions", query_kind_revisions, 0, 0 },
};

/*
 * A question answered from the daemon's model: the answer kept for the
 * same question on the same day is given again while no commit has come
 * since (a dashboard polling the overview computes it once per commit).
 * Without the daemon (tools, ctg-probe) every answer is computed. The
 * version is read before the answer is computed, so a kept answer is
 * never older than its version.
 */
static json_object *
query_from_model(struct query_db *q, query_fn *fn, const struct query *qu,
    int64_t today, const char **error)
{
	struct query_cached	*c = NULL;
	unsigned long		 version = view_version(q->view);
	char			 key[1024];
	json_object		*answer;
	size_t			 i;

	snprintf(key, sizeof(key), "%s\037%s\037%s\037%s\037%lld", qu->kind,
	    qu->key ? qu->key : "", qu->from ? qu->from : "",
	    qu->to ? qu->to : "", (long long)today);
	for (i = 0; i < QUERY_CACHE && c == NULL; i++)
		if (q->cache[i].key != NULL && strcmp(q->cache[i].key, key) == 0)
			c = &q->cache[i];
	if (c != NULL && c->version == version)
		return json_object_get(c->answer);
	if ((answer = fn(q, qu, today, error)) == NULL)
		return NULL;
	if (c == NULL) {
		c = &q->cache[q->cache_next];
		q->cache_next = (q->cache_next + 1) % QUERY_CACHE;
		free(c->key);
		c->key = strdup(key);
	}
	json_object_put(c->answer);
	c->version = version;
	c->answer = c->key != NULL ? json_object_get(answer) : NULL;
	return answer;
}

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

json_object *
query_answer(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	size_t	 i;

	*error = NULL;
	for (i = 0; qu->kind != NULL && i < sizeof(query_kinds) /
	    sizeof(query_kinds[0]); i++)
		if (strcmp(query_kinds[i].kind, qu->kind) == 0)
			return query_kinds[i].model && q->own_view == NULL ?
			    query_from_model(q,
			    query_kinds[i].answer, qu, today, error) :
			    query_kinds[i].answer(q, qu, today, error);
	return query_fail(q, error, QUERY_UNKNOWN,
	    "question « %s » inconnue : attendu "
	    "sheet, overview, axis, commune, records, recent, duplicates, "
	    "rollup, copil, completeness, revisions ou verify", qu->kind);
}

struct query_diffs {
	json_object		*list;
	long			 n;
	const char		*what;		/* the side compared */
	long			 nmodel;	/* the model's differences */
};

/* One difference: where, which key, the value held and the one expected. */
static void
query_diff(void *arg, const char *slot, int month, enum model_kind k,
    const char *a, const char *b, int64_t held, int64_t expected)
{
	struct query_diffs	*d = arg;
	json_object		*o, *keys;
	char			 name[64];

	if (++d->n > QUERY_MAX_DIFFS)
		return;
	o = json_object_new_object();
	snprintf(name, sizeof(name), "%s:%s", d->what, model_kind_name(k));
	json_object_object_add(o, "table", json_object_new_string(name));
	json_object_object_add(o, "sheet", json_object_new_string(slot));
	json_object_object_add(o, "period", json_object_new_int(month));
	keys = json_object_new_array();
	if (*a != '\0')
		json_object_array_add(keys, json_object_new_string(a));
	if (*b != '\0')
		json_object_array_add(keys, json_object_new_string(b));
	json_object_object_add(o, "keys", keys);
	json_object_object_add(o, "stored", json_object_new_int64(held));
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

/* What verify's comparison of the model needs. */
struct query_verify_model {
	struct query_diffs	*d;
	struct view		*view;
	struct writer		*writer;	/* held until the model is compared */
	int			 held;
};

/*
 * The model in memory against the stored rows just read, folded into a
 * model of their own: the writer, held since before the snapshot began,
 * is let go once they are compared, so both hold the same commits. Its
 * differences, or -1.
 */
static long
query_verify_model(void *arg, const struct model *stored)
{
	struct query_verify_model	*c = arg;
	const struct model		*live;
	long				 n = -1;

	if ((live = view_read(c->view)) != NULL) {
		c->d->what = "modèle";
		n = model_compare(live, stored, query_diff, c->d);
		c->d->nmodel = n;
	}
	view_done(c->view);
	/* Compared: the records' recomputation runs with the writer going. */
	writer_resume(c->writer);
	c->held = 0;
	c->d->what = "agrégats";
	return n;
}

char *
query_verify(struct store *s, const struct query *qu, struct view *v,
    struct writer *w)
{
	struct query_diffs	 d = { json_object_new_array(), 0, "agrégats",
				    0 };
	struct query_verify_model c = { &d, v, w, 0 };
	json_object		*o;
	long			 n, records = 0;

	if (qu->kind != NULL && strcmp(qu->kind, "backup") == 0) {
		json_object_put(d.list);
		return query_backup(s, qu);
	}
	if (v != NULL) {
		writer_pause(w);
		c.held = 1;
	}
	n = store_verify(s, query_diff, &d, &records, v != NULL ?
	    query_verify_model : NULL, &c);
	if (c.held)
		writer_resume(w);
	if (n < 0) {
		log_warn("event=verify_failed reason=\"%s\"", n == -2 ?
		    "agrégats endommagés : une cellule stockée est illisible" :
		    store_errmsg(s));
		json_object_put(d.list);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "records", json_object_new_int64(records));
	json_object_object_add(o, "differences", json_object_new_int64(n));
	json_object_object_add(o, "model_differences",
	    json_object_new_int64(d.nmodel));
	json_object_object_add(o, "rows", d.list);
	return query_json(o);
}
