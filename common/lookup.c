/* lookup.c — resolving typed words against the catalogue (first cut: exact). */
#include <stdio.h>
#include <string.h>

#include "lookup.h"

int
lookup_word(const struct catalogue *c, enum cat_vocab v, const char *text,
    char *err, size_t errlen)
{
	int	 w = catalogue_word(c, v, text);

	if (w == -1)
		snprintf(err, errlen, "« %s » inconnu", text);
	return w;
}

const struct cat_sheet *
lookup_sheet(const struct catalogue *c, const char *text, char *err,
    size_t errlen)
{
	const struct cat_sheet	*s = catalogue_sheet(c, text);

	if (s == NULL)
		snprintf(err, errlen, "fiche « %s » inconnue", text);
	return s;
}

const struct cat_commune *
lookup_commune(const struct catalogue *c, const char *text, char *err,
    size_t errlen)
{
	const struct cat_commune	*m = catalogue_commune(c, text);

	if (m == NULL)
		snprintf(err, errlen, "commune « %s » inconnue", text);
	return m;
}

const struct cat_axis *
lookup_axis(const struct catalogue *c, const char *text, char *err,
    size_t errlen)
{
	size_t	 i;

	for (i = 0; i < c->naxes; i++)
		if (strcmp(c->axes[i].code, text) == 0)
			return &c->axes[i];
	snprintf(err, errlen, "axe « %s » inconnu", text);
	return NULL;
}
