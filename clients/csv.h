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

#endif
