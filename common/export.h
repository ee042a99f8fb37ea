/*
 * export.h — the daemon's JSON documents as the tables a file leaves with
 * (book.h): French headers, a commune's name beside its INSEE code,
 * vocabulary labels rather than keywords, measures named in French, one
 * value per cell (a breakdown as one row per key: long format). Pure: a
 * document and the catalogue in, a book out; book.c writes CSV or xlsx.
 *
 * Published tables keep statistical secrecy: a count of persons of 1 to
 * n - 1 for one commune shows as "< n", n being the document's
 * "small_cells" (0: off).
 */
#ifndef CTG_EXPORT_H
#define CTG_EXPORT_H

#include <stddef.h>

#include <json-c/json.h>

#include "book.h"
#include "catalogue.h"

typedef void	 export_fn(const struct catalogue *, json_object *doc,
		    struct book *);

int		 export_small_cells(json_object *doc);
/* Each indicator of a sheet JSON (ind_sheet), a row per key. */
export_fn	 export_sheet;
/* The records behind an indicator (query "records"). */
export_fn	 export_records;
/* A commune's figures (query "commune"). */
export_fn	 export_commune;
/* Silent structures and sheets (query "completeness"). */
export_fn	 export_completeness;
/* One row per sheet of an overview or an axis. */
export_fn	 export_overview;
/*
 * A month's rollup: the sheets (activities and participants, the month's
 * and the year's to date), then every indicator, month beside year to
 * date, then the revision's changes.
 */
export_fn	 export_rollup;
/* The COPIL document (query "copil"): sheets and indicators year by year. */
export_fn	 export_copil;

/* The document's first table as CSV; malloc'd, or NULL. */
char		*export_csv(export_fn *, const struct catalogue *,
		    json_object *doc);
/* The document's book as xlsx; 0, or -1 with err (book_xlsx). */
int		 export_xlsx(export_fn *, const struct catalogue *,
		    json_object *doc, char **out, size_t *len, char *err,
		    size_t errlen);

#endif
