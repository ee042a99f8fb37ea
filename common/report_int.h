/*
 * report_int.h — the pieces the printed reports share (report_page.c):
 * HTML text, the page's head, statuses, targets, progress and charts.
 */
#ifndef CTG_REPORT_INT_H
#define CTG_REPORT_INT_H

#include <stddef.h>

#include <json-c/json.h>

struct buf;

/* Text into HTML: & < > " ' escaped. */
void	report_text(struct buf *, const char *);
/* <!DOCTYPE html> to <body>: the title, the A4 style. */
void	report_head(struct buf *, const char *title);
/* A status in its colour and in words; "—" when there is none. */
void	report_status(struct buf *, const char *status);
/* An indicator's target in words: "4 par an", "+10 % sur un an". */
void	report_target(struct buf *, json_object *indicator);
/* Its value against its target: a titled bar and a percentage, or nothing. */
void	report_progress(struct buf *, json_object *indicator);
/*
 * Horizontal bars, one per label; a secret count (1 to small - 1) a short
 * hatched bar marked "< small". id names the figure, unique in the page.
 */
void	report_bars(struct buf *, const char *id, const char *title,
	    const char *const *labels, const long long *values, size_t n,
	    int small);
/* Columns, one per label (months). */
void	report_columns(struct buf *, const char *id, const char *title,
	    const char *const *labels, const long long *values, size_t n);
/* Columns per year, the baseline (or NULL) as a dashed line. */
void	report_years_chart(struct buf *, const char *title,
	    json_object *years, json_object *values, json_object *baseline);

#endif
