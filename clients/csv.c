/* csv.c — a small state machine over the bytes; no allocation per byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "utf8.h"

struct csv_state {
	struct csv_table	*t;
	size_t			 rowcap;
	char			**fields;	/* fields of the current row */
	size_t			 nfields, fieldcap;
	char			*field;		/* bytes of the current field */
	size_t			 flen, fcap;
	size_t			*blank;		/* blank rows seen, or NULL */
};

static int
csv_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t	 n = *cap ? *cap : 16;
	void	*q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n * size)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int
csv_putc(struct csv_state *s, char c)
{
	if (csv_grow((void **)&s->field, &s->fcap, s->flen + 1, 1) == -1)
		return -1;
	s->field[s->flen++] = c;
	return 0;
}

static int
csv_end_field(struct csv_state *s)
{
	char	*f;

	if ((f = arena_strndup(&s->t->arena, s->field ? s->field : "",
	    s->flen)) == NULL)
		return -1;
	if (csv_grow((void **)&s->fields, &s->fieldcap, s->nfields + 1,
	    sizeof(char *)) == -1)
		return -1;
	s->fields[s->nfields++] = f;
	s->flen = 0;
	return 0;
}

static int
csv_end_row(struct csv_state *s, size_t line)
{
	struct csv_row	*r;

	if (csv_end_field(s) == -1)
		return -1;
	/* A row with one empty field is a blank line. */
	if (s->nfields == 1 && s->fields[0][0] == '\0') {
		s->nfields = 0;
		if (s->blank != NULL)
			(*s->blank)++;
		return 0;
	}
	if (csv_grow((void **)&s->t->rows, &s->rowcap, s->t->nrows + 1,
	    sizeof(*r)) == -1)
		return -1;
	r = &s->t->rows[s->t->nrows++];
	r->line = line;
	r->nfields = s->nfields;
	r->fields = arena_memdup(&s->t->arena, s->fields,
	    s->nfields * sizeof(char *));
	s->nfields = 0;
	return r->fields == NULL ? -1 : 0;
}

static int
csv_parse_sep(const char *buf, size_t len, char sep, struct csv_table *t,
    size_t *blank, char *err, size_t errlen)
{
	struct csv_state	 s = { .t = t, .blank = blank };
	size_t			 i = 0, line = 1, rowline = 1;
	int			 quoted = 0, was_quoted = 0, rc = -1;

	memset(t, 0, sizeof(*t));
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		char	 c = buf[i];

		if (c == '\0') {
			snprintf(err, errlen, "ligne %zu : octet nul : ce "
			    "fichier n'est pas un CSV texte", line);
			goto out;
		}
		if (quoted) {
			if (c == '"' && i + 1 < len && buf[i + 1] == '"') {
				i++;
			} else if (c == '"') {
				quoted = 0;
				continue;
			} else if (c == '\n')
				line++;
			if (csv_putc(&s, c) == -1)
				goto nomem;
			continue;
		}
		if (c == '"' && s.flen == 0 && !was_quoted) {
			quoted = was_quoted = 1;
			continue;
		}
		if (c == sep) {
			if (csv_end_field(&s) == -1)
				goto nomem;
			was_quoted = 0;
			continue;
		}
		if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
			continue;
		if (c == '\n' || c == '\r') {
			if (csv_end_row(&s, rowline) == -1)
				goto nomem;
			was_quoted = 0;
			rowline = ++line;
			continue;
		}
		if (was_quoted) {
			snprintf(err, errlen, "ligne %zu : texte après un champ "
			    "entre guillemets (attendu « %s » ou fin de ligne)",
			    line, sep == '\t' ? "tabulation" : (char[]){ sep, 0 });
			goto out;
		}
		if (csv_putc(&s, c) == -1)
			goto nomem;
	}
	if (quoted) {
		snprintf(err, errlen, "ligne %zu : guillemet ouvert jamais "
		    "refermé", rowline);
		goto out;
	}
	if ((s.flen > 0 || s.nfields > 0 || was_quoted) &&
	    csv_end_row(&s, rowline) == -1)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "mémoire insuffisante pour lire le fichier");
out:
	free(s.fields);
	free(s.field);
	if (rc == -1)
		csv_free(t);
	return rc;
}

void
csv_free(struct csv_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
	arena_free(&t->arena);
}

int
csv_parse(const char *buf, size_t len, struct csv_table *t, char *err,
    size_t errlen)
{
	return csv_parse_sep(buf, len, ';', t, NULL, err, errlen);
}

/*
 * The separator of the header row: ';' when it holds one, else ',' or tab
 * when only that one splits it (quoted text aside), else ';'.
 */
static char
csv_sniff(const char *buf, size_t len)
{
	size_t	 i, semi = 0, comma = 0, tab = 0;
	int	 quoted = 0;

	for (i = 0; i < len && (quoted || (buf[i] != '\n' && buf[i] != '\r'));
	    i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (!quoted) {
			semi += buf[i] == ';';
			comma += buf[i] == ',';
			tab += buf[i] == '\t';
		}
	}
	if (semi == 0 && comma > 0 && tab == 0)
		return ',';
	if (semi == 0 && tab > 0 && comma == 0)
		return '\t';
	return ';';
}

/* 1 when every field of the row is empty or spaces. */
static int
csv_row_empty(const struct csv_row *r)
{
	size_t		 i;
	const char	*p;

	for (i = 0; i < r->nfields; i++)
		for (p = r->fields[i]; *p != '\0'; p++)
			if (*p != ' ' && *p != '\t')
				return 0;
	return 1;
}

int
csv_read(const char *buf, size_t len, struct csv_table *t,
    struct csv_info *info, char *err, size_t errlen)
{
	const unsigned char	*u = (const unsigned char *)buf;
	char			*conv = NULL;
	size_t			 clen, i, o;
	int			 rc;

	memset(info, 0, sizeof(*info));
	info->encoding = CSV_UTF8;
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	    (u[0] == 0xfe && u[1] == 0xff))) {
		info->encoding = CSV_UTF16;
		if ((conv = utf8_from_utf16(buf + 2, len - 2, u[0] == 0xfe,
		    &clen)) == NULL) {
			memset(t, 0, sizeof(*t));
			snprintf(err, errlen, "fichier UTF-16 illisible (longueur "
			    "impaire ou caractère coupé) : réenregistrez-le en "
			    "« CSV UTF-8 »");
			return -1;
		}
	} else if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	} else if (!utf8_valid(buf, len)) {
		info->encoding = CSV_CP1252;
		if ((conv = utf8_from_cp1252(buf, len, &clen)) == NULL) {
			memset(t, 0, sizeof(*t));
			snprintf(err, errlen, "mémoire insuffisante pour lire le "
			    "fichier");
			return -1;
		}
	}
	if (conv != NULL) {
		buf = conv;
		len = clen;
	}
	info->separator = csv_sniff(buf, len);
	rc = csv_parse_sep(buf, len, info->separator, t, &info->skipped, err,
	    errlen);
	free(conv);
	if (rc == -1)
		return -1;
	/* Rows of separators only, as spreadsheets leave below the data. */
	for (i = o = 0; i < t->nrows; i++) {
		if (csv_row_empty(&t->rows[i])) {
			info->skipped++;
			continue;
		}
		t->rows[o++] = t->rows[i];
	}
	t->nrows = o;
	return 0;
}

int
csv_info_describe(const struct csv_info *info, char *buf, size_t len)
{
	static const char *const encodings[] = {
		[CSV_UTF8] = NULL,
		[CSV_UTF16] = "fichier lu en UTF-16 (« Texte Unicode ») et "
		    "converti en UTF-8",
		[CSV_CP1252] = "fichier lu en Windows-1252 (il n'est pas en "
		    "UTF-8) et converti : vérifiez les accents dans le "
		    "rapport ; enregistrez-le de préférence en « CSV UTF-8 »",
	};
	size_t	 o = 0;
	int	 n = 0;

	buf[0] = '\0';
#define CSV_LINE(...) do {						\
	if (o < len) {							\
		int w_ = snprintf(buf + o, len - o, __VA_ARGS__);	\
		o += w_ > 0 ? (size_t)w_ : 0;				\
		n++;							\
	}								\
} while (0)
	if (encodings[info->encoding] != NULL)
		CSV_LINE("%s\n", encodings[info->encoding]);
	if (info->separator != ';')
		CSV_LINE("séparateur « %s » reconnu (le format d'import attend "
		    "« ; » ; les deux sont lus)\n",
		    info->separator == ',' ? "," : "tabulation");
	if (info->skipped > 0)
		CSV_LINE("%zu ligne%s vide%s ignorée%s\n", info->skipped,
		    info->skipped > 1 ? "s" : "", info->skipped > 1 ? "s" : "",
		    info->skipped > 1 ? "s" : "");
#undef CSV_LINE
	return n;
}
