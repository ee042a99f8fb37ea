/* tsv.c — splitting tab-separated text in place, in an arena. */
#include <stdio.h>
#include <string.h>

#include "tsv.h"

/* Splits one line in place into at most max fields; returns how many. */
static size_t
tsv_split(char *line, char **fields, size_t max)
{
	size_t	 n = 0;
	char	*p = line;

	for (;;) {
		if (n < max)
			fields[n] = p;
		n++;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

int
tsv_parse(const char *name, const char *text, size_t len, struct arena *a,
    struct tsv *t, char *err, size_t errlen)
{
	char	*copy, *line, *next;
	size_t	 nlines = 0, i, n, lineno = 0;

	memset(t, 0, sizeof(*t));
	if ((copy = arena_strndup(a, text, len)) == NULL)
		goto nomem;
	for (i = 0; i < len; i++)
		nlines += copy[i] == '\n';
	if ((t->rows = arena_alloc(a, (nlines + 1) * sizeof(*t->rows))) ==
	    NULL)
		goto nomem;
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '\0')
			continue;
		if (t->header == NULL) {
			for (t->ncols = 1, i = 0; line[i] != '\0'; i++)
				t->ncols += line[i] == '\t';
			if ((t->header = arena_alloc(a, t->ncols *
			    sizeof(char *))) == NULL)
				goto nomem;
			tsv_split(line, t->header, t->ncols);
			continue;
		}
		if ((t->rows[t->nrows] = arena_alloc(a, t->ncols *
		    sizeof(char *))) == NULL)
			goto nomem;
		if ((n = tsv_split(line, t->rows[t->nrows], t->ncols)) !=
		    t->ncols) {
			snprintf(err, errlen, "%s ligne %zu : %zu champs au lieu "
			    "de %zu", name, lineno, n, t->ncols);
			return -1;
		}
		t->nrows++;
	}
	if (t->header == NULL) {
		snprintf(err, errlen, "%s : fichier vide", name);
		return -1;
	}
	return 0;
nomem:
	snprintf(err, errlen, "%s : mémoire insuffisante", name);
	return -1;
}

int
tsv_col(const struct tsv *t, const char *name)
{
	size_t	 i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}
