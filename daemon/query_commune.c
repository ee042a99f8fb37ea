/*
 * query_commune.c — places and gaps: one commune (everything that happened
 * there, everyone who came from there), and completeness (structures
 * silent for weeks, sheets without activity), from the read model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "catalogue.h"
#include "indicator.h"
#include "query_int.h"
#include "record.h"

/*
 * One side of the view: the "all" base's total for the commune's key, its
 * two breakdowns (pair kinds under the key), and each sheet's own figure.
 */
static void
query_commune_side(struct query_db *q, const struct model *m,
    const char *key, int from, int to, enum model_kind single,
    enum model_kind by_activity, enum model_kind other, const char *total,
    const char *by2, json_object *side)
{
	struct model_sum *v;
	size_t		 i, n = 0;
	int		 all = model_all_slot(m);

	json_object_object_add(side, total, json_object_new_int64(
	    model_value(m, all, single, key, from, to)));
	/* Sheets by code, as every breakdown is by word. */
	if ((v = calloc(q->cat->nsheets + 1, sizeof(*v))) != NULL)
		for (i = 0; i < q->cat->nsheets; i++)
			if ((v[n].n = model_value(m, model_sheet_slot(m, i),
			    single, key, from, to)) != 0)
				v[n++].key = q->cat->sheets[i].code;
	model_sums_sort(v, n);
	json_object_object_add(side, "by_sheet", ind_sums_object(v, n));
	v = model_sums(m, all, by_activity, key, from, to, &n);
	json_object_object_add(side, "by_activity", ind_sums_object(v, n));
	v = model_sums(m, all, other, key, from, to, &n);
	json_object_object_add(side, by2, ind_sums_object(v, n));
}

json_object *
query_commune(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct cat_commune	*c = catalogue_commune(q->cat, qu->key);
	const struct cat_commune	*cur;
	json_object			*o, *hosted, *residents;
	const struct model		*m;
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
	/* The exports' secrecy threshold; this JSON keeps exact counts. */
	json_object_object_add(o, "small_cells",
	    json_object_new_int(q->small_cells));
	if ((m = query_model(q, error)) == NULL) {
		json_object_put(o);
		return NULL;
	}
	hosted = json_object_new_object();
	residents = json_object_new_object();
	query_commune_side(q, m, key, from, to, MK_VENUE, MK_VENUE_ACTIVITY,
	    MK_VENUE_STRUCTURE, "records", "by_structure", hosted);
	query_commune_side(q, m, key, from, to, MK_RESIDENCE,
	    MK_RESIDENCE_ACTIVITY, MK_RESIDENCE_CATEGORY, "participants",
	    "by_category", residents);
	query_model_done(q);
	json_object_object_add(o, "hosted", hosted);
	json_object_object_add(o, "residents", residents);
	return o;
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
json_object *
query_completeness(struct query_db *q, const struct query *qu, int64_t today,
    const char **error)
{
	const struct catalogue	*c = q->cat;
	const struct model	*m = NULL;
	json_object		*idle, *o, *out = NULL;
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
	    labels == NULL) {
		out = query_fail(q, error, QUERY_BROKEN,
		    "mémoire insuffisante%s", "");
		goto out;
	}
	if ((m = query_model(q, error)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		int d = model_last_day(m, model_all_slot(m), MK_STRUCTURE_DAY,
		    c->words[VOCAB_STRUCTURE][i].keyword);

		last[i] = d != 0 ? date_from_ymd(d) : 0;
	}
	for (i = 0; i < c->nsheets; i++) {
		int s = model_sheet_slot(m, i);
		int d = model_last_day(m, s, MK_DAY, NULL);

		slast[i] = d != 0 ? date_from_ymd(d) : 0;
		active[i] = model_total(m, s, MK_RECORDS, from, to) != 0;
	}
	query_model_done(q);
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
	out = o;
out:
	free(last);
	free(slast);
	free(active);
	free(keys);
	free(labels);
	return out;
}
