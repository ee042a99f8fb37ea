/*
 * csv.h — the CSV dialect of French spreadsheets: UTF-8 (BOM allowed),
 * ';' between fields, '"' quoting with "" inside, CRLF or LF. Pure.
 */
#ifndef CTG_CSV_H
#define CTG_CSV_H

#include <stddef.h>

#include "arena.h"

struct csv_row {
	char		**fields;
	size_t		  nfields;
	size_t		  line;		/* 1-based line where the row starts */
};

struct csv_table {
	struct csv_row	*rows;		/* rows[0] is the header row */
	size_t		 nrows;
	struct arena	 arena;
};

/*
 * Parses buf. Returns 0, or -1 with a French message naming the line in
 * err. Blank lines are skipped. Free the table with csv_free.
 */
int	csv_parse(const char *buf, size_t len, struct csv_table *,
	    char *err, size_t errlen);
void	csv_free(struct csv_table *);

/* How a file was actually written, as csv_read found out. */
enum csv_encoding {
	CSV_UTF8,		/* with or without BOM */
	CSV_UTF16,		/* with BOM, either byte order (Excel « Texte Unicode ») */
	CSV_CP1252,		/* not valid UTF-8: read as Windows-1252 */
};

struct csv_info {
	enum csv_encoding	 encoding;
	char			 separator;	/* ';', ',' or '\t' */
	size_t			 skipped;	/* blank rows, rows of separators only */
};

/*
 * Reads a spreadsheet export in whatever flavour it came: decodes it to
 * UTF-8 (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252),
 * picks the separator from the header row (';', or ',' or tab when the
 * header splits only on that), then parses as csv_parse does and drops
 * blank rows and rows holding only separators, counted in info->skipped.
 * Returns 0, or -1 with a French message in err.
 */
int	csv_read(const char *buf, size_t len, struct csv_table *,
	    struct csv_info *, char *err, size_t errlen);
/*
 * French lines (each ending in '\n') saying how the file was read where it
 * was not the plain v1 dialect (encoding, separator, skipped rows), for the
 * import report to print once. Returns how many lines were written.
 */
int	csv_info_describe(const struct csv_info *, char *buf, size_t len);

#endif
