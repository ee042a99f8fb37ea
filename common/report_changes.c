/*
 * report_changes.c — what a revision changed, in French sentences: « III.A.17
 * — participants (janvier à octobre 2026) : 12 → 19 » (report.h).
 */
#include <stdio.h>
#include <string.h>

#include "fr.h"
#include "jdoc.h"
#include "report.h"

/* What a figure of a window is called in a change sentence. */
static const struct {
	const char	*key, *words;
} report_figures[] = {
	{ "records", "activités" }, { "participants", "participants" },
	{ "status", "état" },
};

const char *
report_change_words(json_object *change)
{
	return jdoc_get(change, "text") != NULL ? jdoc_str(change, "text") :
	    jdoc_str(change, "what");
}

/* A count in a sentence: a commune's small count kept secret. */
static void
report_change_count(char *out, size_t len, json_object *v, int secret,
    int small, const char *none)
{
	long long	 n = (long long)json_object_get_int64(v);

	if (v == NULL)
		snprintf(out, len, "%s", none);
	else if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		snprintf(out, len, "%s", json_object_get_string(v));
	else if (secret && small > 0 && n >= 1 && n < small)
		snprintf(out, len, "< %d", small);
	else
		fr_number(json_object_get_double(v), out, len);
}

/* One change, if before and after differ, as data and as a sentence. */
static void
report_change(json_object *list, size_t max, const char *sheet,
    const char *what, const char *window, json_object *before,
    json_object *after, int secret, int small)
{
	char		 x[64], y[64], text[1024];
	json_object	*c;
	/* A status missing is none; a count missing is 0. */
	const char	*none = json_object_is_type(before != NULL ? before :
			    after, json_type_string) ? "—" : "0";

	report_change_count(x, sizeof(x), before, secret, small, none);
	report_change_count(y, sizeof(y), after, secret, small, none);
	/* « < 5 → < 5 » says nothing a reader may know: left out. */
	if (jdoc_len(list) >= max || strcmp(x, y) == 0)
		return;
	snprintf(text, sizeof(text), "%s — %s (%s) : %s → %s", sheet, what,
	    window, x, y);
	c = json_object_new_object();
	json_object_object_add(c, "sheet", json_object_new_string(sheet));
	json_object_object_add(c, "what", json_object_new_string(what));
	json_object_object_add(c, "window", json_object_new_string(window));
	json_object_object_add(c, "before", json_object_get(before));
	json_object_object_add(c, "after", json_object_get(after));
	json_object_object_add(c, "text", json_object_new_string(text));
	json_object_array_add(list, c);
}

/* The element of array a whose member key is value, or NULL. */
static json_object *
report_find(json_object *a, const char *key, const char *value)
{
	size_t	 i;

	for (i = 0; i < jdoc_len(a); i++)
		if (strcmp(jdoc_str(json_object_array_get_idx(a, i), key),
		    value) == 0)
			return json_object_array_get_idx(a, i);
	return NULL;
}

/* The changes of one indicator: its value, or each key of a breakdown. */
static void
report_change_indicator(const struct catalogue *c, json_object *list,
    size_t max, const char *sheet, const char *window, json_object *o,
    json_object *n, int small)
{
	json_object	*ov = jdoc_get(o, "value"), *nv = jdoc_get(n, "value");
	const char	*measure = jdoc_str(n, "measure");
	enum fr_keys	 keys = fr_measure_keys(measure);
	int		 secret = strcmp(measure, "by_residence") == 0;
	char		 what[1024];
	json_object	*zero;

	if (!json_object_is_type(nv, json_type_object)) {
		snprintf(what, sizeof(what), "« %s »", jdoc_str(n, "label"));
		report_change(list, max, sheet, what, window, ov, nv, 0, small);
		return;
	}
	json_object_object_foreach(nv, k, v) {
		snprintf(what, sizeof(what), "« %s », %s", jdoc_str(n, "label"),
		    fr_key(c, keys, k));
		report_change(list, max, sheet, what, window, jdoc_get(ov, k),
		    v, secret, small);
	}
	zero = json_object_new_int(0);
	json_object_object_foreach(ov, k2, v2) {
		if (jdoc_get(nv, k2) != NULL)
			continue;
		snprintf(what, sizeof(what), "« %s », %s", jdoc_str(n, "label"),
		    fr_key(c, keys, k2));
		report_change(list, max, sheet, what, window, v2, zero, secret,
		    small);
	}
	json_object_put(zero);
}

json_object *
report_changes(const struct catalogue *c, json_object *old, json_object *new,
    size_t max)
{
	json_object	*list = json_object_new_array();
	json_object	*os = jdoc_get(old, "sheets");
	json_object	*ns = jdoc_get(new, "sheets");
	const char	*month = jdoc_str(new, "month");
	char		 windows[2][96], mw[64];
	int		 small = (int)jdoc_int(new, "small_cells");
	/* January's year to date is its month: said once. */
	size_t		 i, w, f, k, nwindows = strlen(month) >= 7 &&
			    strcmp(month + 4, "-01") == 0 ? 1 : 2;
	static const char *const keys[2] = { "month", "year_to_date" };

	fr_month(month, mw, sizeof(mw));
	snprintf(windows[0], sizeof(windows[0]), "%s", mw);
	snprintf(windows[1], sizeof(windows[1]), "janvier à %s", mw);
	/* Sheets matched by code, indicators by id: the plan may change. */
	for (i = 0; i < jdoc_len(ns); i++) {
		json_object *n1 = json_object_array_get_idx(ns, i);
		const char *sheet = jdoc_str(n1, "code");
		json_object *o1 = report_find(os, "code", sheet);

		for (w = 0; w < nwindows; w++) {
			json_object *ow = jdoc_get(o1, keys[w]);
			json_object *nw = jdoc_get(n1, keys[w]);
			json_object *ni = jdoc_get(nw, "indicators");

			for (f = 0; f < 3; f++)
				report_change(list, max, sheet,
				    report_figures[f].words, windows[w],
				    jdoc_get(ow, report_figures[f].key),
				    jdoc_get(nw,
				    report_figures[f].key), 0, small);
			for (k = 0; k < jdoc_len(ni); k++) {
				json_object *n2 = json_object_array_get_idx(ni,
				    k);

				report_change_indicator(c, list, max, sheet,
				    windows[w], report_find(jdoc_get(ow,
				    "indicators"), "id", jdoc_str(n2, "id")),
				    n2, small);
			}
		}
	}
	return list;
}
