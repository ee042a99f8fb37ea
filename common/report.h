/*
 * report.h — the reports a person prints: the month's bilan from a rollup
 * document (a summary page, then the sheets with activity, the silent
 * ones in one table, the revision's changes), and the year's COPIL report
 * from a COPIL document (a page per axis, the years side by side against
 * the plan's baselines, targets as progress). HTML that stands alone:
 * styles inline, charts as titled SVG, A4 pages. Their tables go out
 * through export.h. Pure.
 */
#ifndef CTG_REPORT_H
#define CTG_REPORT_H

#include <stddef.h>

#include <json-c/json.h>

#include "catalogue.h"

/* malloc'd HTML, or NULL when out of memory. */
char	*report_html(const struct catalogue *, json_object *rollup);
char	*report_copil_html(const struct catalogue *, json_object *copil);
/*
 * A revision's changes in French sentences: what differs between the
 * rollup documents old and new, as an array of objects (sheet, what,
 * window, before, after, text); at most max.
 */
json_object *report_changes(const struct catalogue *, json_object *old,
	    json_object *new, size_t max);
/*
 * A change of such an array as it is published: its sentence; for a
 * change stored before sentences were kept, what changed only (its old
 * values were raw, unpublishable documents).
 */
const char *report_change_words(json_object *change);
/* Writes DIR/copil-YYYY.{html,csv,xlsx,json}; 0, or -1 with err. */
int	report_write_copil(const struct catalogue *, json_object *copil,
	    const char *dir, char *err, size_t errlen);
/*
 * Writes DIR/bilan-YYYY-MM.{html,csv,xlsx,json} (and, with rev > 0, the
 * same files named bilan-YYYY-MM-rN.* for the history), each whole then
 * renamed. DIR is created when missing. 0, or -1 with a French message.
 */
int	report_write_files(const struct catalogue *, json_object *rollup,
	    const char *dir, int rev, char *err, size_t errlen);

#endif
