/* csv.c — a small state machine over the bytes; no allocation per byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

struct csv_state {
	struct csv_table	*t;
	size_t			 rowcap;
	char			**fields;	/* fields of the current row */
	size_t			 nfields, fieldcap;
	char			*field;		/* bytes of the current field */
	size_t			 flen, fcap;
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

int
csv_parse(const char *buf, size_t len, struct csv_table *t, char *err,
    size_t errlen)
{
	struct csv_state	 s = { .t = t };
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
		if (c == ';') {
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
			    "entre guillemets (attendu « ; » ou fin de ligne)",
			    line);
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
csv_read(const char *buf, size_t len, struct csv_table *t,
    struct csv_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof(*info));
	info->separator = ';';
	return csv_parse(buf, len, t, err, errlen);
}

int
csv_info_describe(const struct csv_info *info, char *buf, size_t len)
{
	(void)info;
	if (len > 0)
		buf[0] = '\0';
	return 0;
}
