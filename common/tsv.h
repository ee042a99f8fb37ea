/*
 * tsv.h — the catalogue's TSV files: UTF-8, a header row, tab-separated,
 * no quoting (tabs and newlines never occur in values). Pure.
 */
#ifndef CTG_TSV_H
#define CTG_TSV_H

#include <stddef.h>

#include "arena.h"

struct tsv {
	char		**header;
	size_t		  ncols;
	char		***rows;	/* rows[i][j], every row has ncols fields */
	size_t		  nrows;
};

/*
 * Parses text (copied into the arena). Returns 0, or -1 with a message
 * naming the file and line in err.
 */
int	tsv_parse(const char *name, const char *text, size_t len,
	    struct arena *, struct tsv *, char *err, size_t errlen);
/* The index of a column by name, or -1. */
int	tsv_col(const struct tsv *, const char *name);

#endif
