/*
 * book.h — the tables a file leaves with: typed cells (text, counts,
 * decimals, percentages, dates) in named tables of a book, serialised in
 * one place, to French CSV (one table) or to an xlsx workbook (a sheet per
 * table). Numbers stay numbers and dates stay dates until the serialiser
 * writes them as each format wants. Pure but for book_xlsx's temp file.
 *
 * The CSV dialect is a French office's: UTF-8 with a BOM, ';' between
 * fields, CRLF, decimal comma, dates JJ/MM/AAAA, percentages "12 %",
 * one value per cell.
 */
#ifndef CTG_BOOK_H
#define CTG_BOOK_H

#include <stddef.h>

#include "arena.h"

enum cell_kind {
	CELL_NONE,	/* empty */
	CELL_TEXT,
	CELL_INT,
	CELL_NUM,	/* a decimal */
	CELL_PCT,	/* a ratio: 0.25 is 25 % */
	CELL_DATE,	/* n is YYYYMMDD */
};

struct cell {
	enum cell_kind	 kind;
	double		 n;
	const char	*s;	/* CELL_TEXT, in the book's arena */
};

/* A column: its French header, its width in characters (xlsx). */
struct table_col {
	const char	*head;
	int		 width;
};

struct table {
	const char		*name;	/* the xlsx sheet's name, <= 31 chars */
	const struct table_col	*cols;
	size_t			 ncols;
	struct cell		*cells;	/* row-major, ncols a row */
	size_t			 ncells, cap;
};

#define BOOK_TABLES	8

struct book {
	struct table	 tables[BOOK_TABLES];
	size_t		 n;
	int		 failed;	/* out of memory: unusable */
	struct arena	 arena;
};

/*
 * A new table in the book (static name and columns); NULL when the book
 * is full or failed. Cells are then added row by row, left to right.
 */
struct table	*book_table(struct book *, const char *name,
		    const struct table_col *cols, size_t ncols);
void		 table_text(struct book *, struct table *, const char *);
void		 table_int(struct book *, struct table *, long long);
void		 table_num(struct book *, struct table *, double);
void		 table_pct(struct book *, struct table *, double ratio);
/* "YYYY-MM-DD" or "YYYY-MM" (its first day; last with last set). */
void		 table_date(struct book *, struct table *, const char *iso,
		    int last);
void		 table_none(struct book *, struct table *);
/* A count of persons: 1 to small - 1 is published "< small" (a text). */
void		 table_count(struct book *, struct table *, long long n,
		    int small);
/* Any number: an integer when it is one, else a decimal. */
void		 table_number(struct book *, struct table *, double);
size_t		 table_rows(const struct table *);

/* Table i of the book as CSV; malloc'd, or NULL. */
char		*book_csv(const struct book *, size_t i);
/*
 * The whole book as an xlsx workbook: a sheet per table, bold frozen
 * header row, the columns' widths, numbers, dates and percentages typed.
 * malloc'd into *out (*len bytes); 0, or -1 with a French message in err.
 */
int		 book_xlsx(const struct book *, char **out, size_t *len,
		    char *err, size_t errlen);
void		 book_free(struct book *);

#endif
