/*
 * export.h — tables for a French spreadsheet (Excel, LibreOffice): UTF-8
 * with a BOM, ';' between fields, CRLF, decimal comma, dates JJ/MM/AAAA.
 * Pure: JSON documents of the daemon in, CSV text out.
 */
#ifndef CTG_EXPORT_H
#define CTG_EXPORT_H

#include <json-c/json.h>

/*
 * Published tables keep statistical secrecy: a count of 1 to n - 1 for one
 * commune shows as "< n", n being the document's "small_cells" (0: off).
 */
int	 export_small_cells(json_object *doc);
/* One row per indicator of a sheet JSON (ind_sheet); malloc'd, or NULL. */
char	*export_sheet_csv(json_object *sheet);
/* One row per record of a drill-down (query "records"); malloc'd, or NULL. */
char	*export_records_csv(json_object *records);
/* One row per figure of a commune view (query "commune"). */
char	*export_commune_csv(json_object *commune);
/* One row per silent structure, then per sheet without activity. */
char	*export_completeness_csv(json_object *completeness);
/* One row per sheet of an overview JSON; malloc'd, or NULL. */
char	*export_overview_csv(json_object *overview);

#endif
