/*
 * book.c — typed tables and their two serialisers: French CSV and xlsx
 * (libxlsxwriter, Debian's libxlsxwriter-dev: the format is a zip of
 * XML parts with shared strings and styles, which a library kept by
 * others writes better than we would).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "book.h"
#include "buf.h"
#include "fr.h"
#include "record.h"

#define BOOK_BOM	"\xef\xbb\xbf"	/* UTF-8, for Excel */

struct table *
book_table(struct book *b, const char *name, const struct table_col *cols,
    size_t ncols)
{
	struct table	*t;

	if (b->failed || b->n == BOOK_TABLES) {
		b->failed = 1;
		return NULL;
	}
	t = &b->tables[b->n++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->cols = cols;
	t->ncols = ncols;
	return t;
}

static struct cell *
table_next(struct book *b, struct table *t)
{
	struct cell	*c;

	if (b->failed || t == NULL)
		return NULL;
	if (t->ncells == t->cap) {
		size_t	 cap = t->cap ? t->cap * 2 : 64 * t->ncols;

		if ((c = realloc(t->cells, cap * sizeof(*c))) == NULL) {
			b->failed = 1;
			return NULL;
		}
		t->cells = c;
		t->cap = cap;
	}
	c = &t->cells[t->ncells++];
	memset(c, 0, sizeof(*c));
	return c;
}

void
table_text(struct book *b, struct table *t, const char *s)
{
	struct cell	*c;

	if ((c = table_next(b, t)) == NULL)
		return;
	if (s == NULL || *s == '\0')
		return;		/* an empty text is an empty cell */
	c->kind = CELL_TEXT;
	if ((c->s = arena_strdup(&b->arena, s)) == NULL)
		b->failed = 1;
}

static void
table_put(struct book *b, struct table *t, enum cell_kind k, double n)
{
	struct cell	*c;

	if ((c = table_next(b, t)) != NULL) {
		c->kind = k;
		c->n = n;
	}
}

void
table_int(struct book *b, struct table *t, long long n)
{
	table_put(b, t, CELL_INT, (double)n);
}

void
table_num(struct book *b, struct table *t, double n)
{
	table_put(b, t, CELL_NUM, n);
}

void
table_number(struct book *b, struct table *t, double n)
{
	table_put(b, t, n == (double)(long long)n ? CELL_INT : CELL_NUM, n);
}

void
table_pct(struct book *b, struct table *t, double ratio)
{
	table_put(b, t, CELL_PCT, ratio);
}

void
table_none(struct book *b, struct table *t)
{
	table_put(b, t, CELL_NONE, 0);
}

void
table_count(struct book *b, struct table *t, long long n, int small)
{
	char	 s[32];

	if (small > 0 && n >= 1 && n < small) {
		snprintf(s, sizeof(s), "< %d", small);
		table_text(b, t, s);
	} else
		table_int(b, t, n);
}

void
table_date(struct book *b, struct table *t, const char *iso, int last)
{
	int	 y, m, d = 0;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) < 2 ||
	    y < 1900 || m < 1 || m > 12) {
		table_text(b, t, iso);
		return;
	}
	if (d == 0)
		d = last ? date_month_days(y, m) : 1;
	table_put(b, t, CELL_DATE, (double)(y * 10000 + m * 100 + d));
}

size_t
table_rows(const struct table *t)
{
	return t->ncols ? t->ncells / t->ncols : 0;
}

/* A field, quoted when it holds ';', '"' or a line break. */
static void
book_csv_field(struct buf *b, const char *s, int last)
{
	const char	*p;

	if (strpbrk(s, ";\"\r\n") == NULL)
		buf_str(b, s);
	else {
		buf_str(b, "\"");
		for (p = s; *p != '\0'; p++)
			buf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
		buf_str(b, "\"");
	}
	buf_str(b, last ? "\r\n" : ";");
}

/* A cell as the CSV dialect writes it. */
static void
book_csv_cell(const struct cell *c, char *out, size_t len)
{
	long	 d = (long)c->n;

	switch (c->kind) {
	case CELL_TEXT:
		/*
		 * A text a person typed that a spreadsheet would run as a
		 * formula (= + - @) is kept as text by a leading apostrophe.
		 */
		snprintf(out, len, "%s%s", strchr("=+-@", c->s[0]) != NULL ?
		    "'" : "", c->s);
		break;
	case CELL_INT:
	case CELL_NUM:
		fr_number(c->n, out, len);
		break;
	case CELL_PCT:
		fr_number((double)(long long)(c->n * 1000 + (c->n >= 0 ? 0.5 :
		    -0.5)) / 10, out, len);
		snprintf(out + strlen(out), len - strlen(out), " %%");
		break;
	case CELL_DATE:
		snprintf(out, len, "%02ld/%02ld/%04ld", d % 100, d / 100 % 100,
		    d / 10000);
		break;
	default:
		out[0] = '\0';
	}
}

char *
book_csv(const struct book *bk, size_t i)
{
	const struct table	*t = i < bk->n ? &bk->tables[i] : NULL;
	struct buf		 b = { 0 };
	char			*cell;
	size_t			 k;

	if (bk->failed || t == NULL || (cell = malloc(65536)) == NULL)
		return NULL;
	buf_str(&b, BOOK_BOM);
	for (k = 0; k < t->ncols; k++)
		book_csv_field(&b, t->cols[k].head, k + 1 == t->ncols);
	for (k = 0; k < t->ncells; k++) {
		book_csv_cell(&t->cells[k], cell, 65536);
		book_csv_field(&b, cell, (k + 1) % t->ncols == 0);
	}
	free(cell);
	return buf_done(&b);
}

/* The workbook's formats, made once per book. */
struct book_formats {
	lxw_format	*head, *date, *pct, *num;
};

static void
book_xlsx_sheet(lxw_workbook *wb, const struct table *t,
    const struct book_formats *f)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, t->name);
	size_t		 k, rows = table_rows(t);

	if (ws == NULL)
		return;
	for (k = 0; k < t->ncols; k++) {
		const unsigned char *h = (const unsigned char *)t->cols[k].head;
		int	 w = 2;

		/* At least as wide as its header: characters, not bytes. */
		for (; *h != '\0'; h++)
			w += (*h & 0xc0) != 0x80;
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
		    t->cols[k].width > w ? t->cols[k].width : w, NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)k, t->cols[k].head,
		    f->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	/* Printed: A4 landscape, one page wide, the header on every page. */
	worksheet_set_paper(ws, 9);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	if (rows > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows,
		    (lxw_col_t)(t->ncols - 1));
	for (k = 0; k < t->ncells; k++) {
		const struct cell	*c = &t->cells[k];
		lxw_row_t		 r = (lxw_row_t)(k / t->ncols + 1);
		lxw_col_t		 col = (lxw_col_t)(k % t->ncols);
		long			 d = (long)c->n;
		lxw_datetime		 dt = { 0 };

		switch (c->kind) {
		case CELL_TEXT:
			worksheet_write_string(ws, r, col, c->s, NULL);
			break;
		case CELL_INT:
			worksheet_write_number(ws, r, col, c->n, NULL);
			break;
		case CELL_NUM:
			worksheet_write_number(ws, r, col, c->n, f->num);
			break;
		case CELL_PCT:
			worksheet_write_number(ws, r, col, c->n, f->pct);
			break;
		case CELL_DATE:
			dt.year = (int)(d / 10000);
			dt.month = (int)(d / 100 % 100);
			dt.day = (int)(d % 100);
			worksheet_write_datetime(ws, r, col, &dt, f->date);
			break;
		default:
			break;
		}
	}
}

/* The file libxlsxwriter wrote, read back whole. */
static int
book_slurp(const char *path, char **out, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	long	 n;

	*out = NULL;
	if (fp == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (*out = malloc((size_t)n)) != NULL &&
	    fread(*out, 1, (size_t)n, fp) == (size_t)n) {
		*len = (size_t)n;
		fclose(fp);
		return 0;
	}
	free(*out);
	*out = NULL;
	fclose(fp);
	return -1;
}

int
book_xlsx(const struct book *bk, char **out, size_t *len, char *err,
    size_t errlen)
{
	const char		*tmp = getenv("TMPDIR");
	char			 path[4096];
	lxw_workbook		*wb;
	lxw_workbook_options	 opt = { 0 };
	lxw_doc_properties	 props = { 0 };
	struct book_formats	 f;
	lxw_error		 e;
	size_t			 i;
	int			 fd;

	*out = NULL;
	*len = 0;
	if (bk->failed) {
		snprintf(err, errlen, "mémoire insuffisante");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/ctg-xlsx-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((fd = mkstemp(path)) == -1) {
		snprintf(err, errlen, "fichier temporaire impossible : %s",
		    strerror(errno));
		return -1;
	}
	close(fd);
	opt.tmpdir = tmp != NULL && *tmp != '\0' ? (char *)tmp : "/tmp";
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		unlink(path);
		snprintf(err, errlen, "classeur impossible à créer");
		return -1;
	}
	/*
	 * The creation time it records is the day's: the same document
	 * makes the same bytes, so its ETag holds (the default, now, would
	 * change every second).
	 */
	props.created = time(NULL) / 86400 * 86400;
	workbook_set_properties(wb, &props);
	f.head = workbook_add_format(wb);
	format_set_bold(f.head);
	format_set_bg_color(f.head, 0xEDF2F7);
	f.date = workbook_add_format(wb);
	format_set_num_format(f.date, "dd/mm/yyyy");
	f.pct = workbook_add_format(wb);
	format_set_num_format(f.pct, "0%");
	f.num = workbook_add_format(wb);
	format_set_num_format(f.num, "0.0##");
	for (i = 0; i < bk->n; i++)
		book_xlsx_sheet(wb, &bk->tables[i], &f);
	if ((e = workbook_close(wb)) != LXW_NO_ERROR ||
	    book_slurp(path, out, len) == -1) {
		unlink(path);
		snprintf(err, errlen, "classeur impossible à écrire : %s",
		    e != LXW_NO_ERROR ? lxw_strerror(e) : strerror(errno));
		return -1;
	}
	unlink(path);
	return 0;
}

void
book_free(struct book *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		free(b->tables[i].cells);
	arena_free(&b->arena);
	memset(b, 0, sizeof(*b));
}
