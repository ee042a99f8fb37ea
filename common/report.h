/*
 * report.h — the monthly report (bilan) from a rollup document: a printable
 * HTML page per axis with a section per sheet (activity over the months,
 * participants by commune, target progress as inline SVG, the indicators
 * in a table), and the same figures as French CSV. Pure.
 */
#ifndef CTG_REPORT_H
#define CTG_REPORT_H

#include <stddef.h>

#include <json-c/json.h>

#include "catalogue.h"

/* malloc'd HTML, or NULL when out of memory. */
char	*report_html(const struct catalogue *, json_object *rollup);
/* malloc'd CSV (export.h's dialect), or NULL. */
char	*report_csv(json_object *rollup);

/*
 * The yearly COPIL report from an overview over the year: every axis with
 * its sheets, their deadlines placed on the 2022-2024 schedule, their
 * activity and status. malloc'd HTML, or NULL.
 */
char	*report_copil_html(const struct catalogue *, json_object *overview,
	    int year);
/* Writes DIR/copil-YYYY.{html,csv,json}; 0, or -1 with err. */
int	report_write_copil(const struct catalogue *, json_object *overview,
	    int year, const char *dir, char *err, size_t errlen);
/*
 * Writes DIR/bilan-YYYY-MM.{html,csv,json} (and, with rev > 0, the same
 * files named bilan-YYYY-MM-rN.* for the history), each whole then renamed.
 * DIR is created when missing. 0, or -1 with a French message in err.
 */
int	report_write_files(const struct catalogue *, json_object *rollup,
	    const char *dir, int rev, char *err, size_t errlen);

#endif
