/* fr.c — the daemon's figures in French words (fr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr.h"

static const char *const fr_months[] = { "janvier", "février", "mars",
	"avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
	"novembre", "décembre" };

/* Each measure's unit, singular and plural, and what its keys are. */
static const struct {
	const char	*one, *many;
	enum fr_keys	 keys;
} fr_units[MEASURE__COUNT] = {
	[MEASURE_RECORDS] = { "activité", "activités", FR_TEXT },
	[MEASURE_PARTICIPANTS] = { "participant", "participants", FR_TEXT },
	[MEASURE_DISTINCT_PERSONS] = { "personne", "personnes", FR_TEXT },
	[MEASURE_BY_CATEGORY] = { "participant", "participants", FR_CATEGORY },
	[MEASURE_BY_RESIDENCE] = { "participant", "participants", FR_COMMUNE },
	[MEASURE_BY_ACTIVITY] = { "activité", "activités", FR_ACTIVITY },
	[MEASURE_VENUES] = { "commune", "communes", FR_COMMUNE },
	[MEASURE_COVERAGE] = { "commune", "communes", FR_COMMUNE },
	[MEASURE_PARTNERS] = { "partenaire", "partenaires", FR_TEXT },
	[MEASURE_CADENCE] = { "jour", "jours", FR_TEXT },
	[MEASURE_TREND] = { "", "", FR_TEXT },
	[MEASURE_QUALITATIVE] = { "élément réalisé", "éléments réalisés",
	    FR_TEXT },
};

static int
fr_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

const char *
fr_month(const char *ym, char *out, size_t len)
{
	int	 m;

	if (ym == NULL || strlen(ym) < 7 || !fr_digits(ym, 4) ||
	    ym[4] != '-' || !fr_digits(ym + 5, 2) ||
	    (m = atoi(ym + 5)) < 1 || m > 12) {
		snprintf(out, len, "%s", ym != NULL ? ym : "");
		return out;
	}
	snprintf(out, len, "%s %.4s", fr_months[m - 1], ym);
	return out;
}

const char *
fr_of_month(const char *ym, char *out, size_t len)
{
	char	 m[64];

	fr_month(ym, m, sizeof(m));
	/* avril, août, octobre: « d'avril » */
	snprintf(out, len, "%s%s", strchr("aeiou", m[0]) != NULL && m[0] !=
	    '\0' ? "d'" : "de ", m);
	return out;
}

const char *
fr_int(long long n, char *out, size_t len)
{
	char		 digits[32];
	size_t		 i, k, o = 0, nd;

	snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n);
	nd = strlen(digits);
	if (n < 0 && o + 1 < len)
		out[o++] = '-';
	for (i = 0; i < nd; i++) {
		/* A narrow no-break space between groups of three. */
		if (i > 0 && (nd - i) % 3 == 0)
			for (k = 0; k < 3 && o + 1 < len; k++)
				out[o++] = "\xe2\x80\xaf"[k];
		if (o + 1 < len)
			out[o++] = digits[i];
	}
	if (len > 0)
		out[o < len ? o : len - 1] = '\0';
	return out;
}

const char *
fr_date(const char *iso, char *out, size_t len)
{
	size_t	 n = iso != NULL ? strlen(iso) : 0;

	if (n >= 10 && fr_digits(iso, 4) && iso[4] == '-' && iso[7] == '-' &&
	    fr_digits(iso + 5, 2) && fr_digits(iso + 8, 2))
		snprintf(out, len, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else if (n == 7 && fr_digits(iso, 4) && iso[4] == '-' &&
	    fr_digits(iso + 5, 2))
		snprintf(out, len, "01/%.2s/%.4s", iso + 5, iso);
	else
		snprintf(out, len, "%s", iso != NULL ? iso : "");
	return out;
}

void
fr_stamp(const char *iso, char *out, size_t len)
{
	int	 y, mo, d, h, mi;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h,
	    &mi) != 5 || mo < 1 || mo > 12) {
		snprintf(out, len, "%s", iso != NULL ? iso : "");
		return;
	}
	snprintf(out, len, "%d%s %s %d à %d h %02d", d, d == 1 ? "er" : "",
	    fr_months[mo - 1], y, h, mi);
}

const char *
fr_deadline(const char *dl, char *out, size_t len)
{
	size_t	 o = 0;
	const char *p, *bar, *colon;

	out[0] = '\0';
	for (p = dl; p != NULL && *p != '\0' && o < len; p = bar ? bar + 1 :
	    NULL) {
		int	 n;

		bar = strchr(p, '|');
		n = bar ? (int)(bar - p) : (int)strlen(p);
		colon = memchr(p, ':', (size_t)n);
		if (colon != NULL) {
			int	 k = (int)(colon - p), i;
			char	 pub[64];

			/* "0-6 ans" reads with an en dash: "0–6 ans". */
			snprintf(pub, sizeof(pub), "%.*s", n - k - 1,
			    colon + 1);
			o += (size_t)snprintf(out + o, len - o, "%s%.*s (",
			    o ? ", " : "", k, p);
			for (i = 0; pub[i] != '\0' && o < len; i++)
				o += pub[i] == '-' ? (size_t)snprintf(out + o,
				    len - o, "–") : (size_t)snprintf(out + o,
				    len - o, "%c", pub[i]);
			if (o < len)
				o += (size_t)snprintf(out + o, len - o, ")");
		} else
			o += (size_t)snprintf(out + o, len - o, "%s%.*s",
			    o ? ", " : "", n, p);
	}
	return out;
}

const char *
fr_kind(const char *kind)
{
	static const char *const kinds[][2] = {
		{ "real", "réalisation" }, { "res", "résultat" },
		{ "imp", "impact" } };
	size_t	 i;

	for (i = 0; kind != NULL && i < 3; i++)
		if (strcmp(kinds[i][0], kind) == 0)
			return kinds[i][1];
	return "";
}

const char *
fr_measure(const char *measure)
{
	int	 m = measure != NULL ? catalogue_measure(measure) : -1;

	return m >= 0 ? cat_measures[m].label : "";
}

enum fr_keys
fr_measure_keys(const char *measure)
{
	int	 m = measure != NULL ? catalogue_measure(measure) : -1;

	return m >= 0 ? fr_units[m].keys : FR_TEXT;
}

const char *
fr_key(const struct catalogue *c, enum fr_keys keys, const char *key)
{
	static const enum cat_vocab vocab[] = {
		[FR_CATEGORY] = VOCAB_CATEGORY, [FR_ACTIVITY] = VOCAB_ACTIVITY,
		[FR_STRUCTURE] = VOCAB_STRUCTURE };
	const struct cat_commune *m = NULL;
	int			 w;

	if (key == NULL)
		return "";
	switch (keys) {
	case FR_COMMUNE:
		if (strcmp(key, "hors") == 0)
			return "hors CC";
		if (strcmp(key, "inconnue") == 0)
			return "commune inconnue";
		/* A former code without a name reads as its current commune. */
		if (c != NULL && (m = catalogue_commune(c, key)) != NULL &&
		    (m->name == NULL || *m->name == '\0'))
			m = catalogue_commune(c, m->current);
		return m != NULL && m->name != NULL && *m->name != '\0' ?
		    m->name : key;
	case FR_CATEGORY:
	case FR_ACTIVITY:
	case FR_STRUCTURE:
		return c != NULL && (w = catalogue_word(c, vocab[keys], key)) >=
		    0 ? c->words[vocab[keys]][w].label : key;
	default:
		return key;
	}
}

const char *
fr_short(const char *label, char *buf, size_t len)
{
	const char	*open;

	if (label == NULL)
		label = "";
	open = strstr(label, " (");
	snprintf(buf, len, "%.*s", open != NULL ? (int)(open - label) :
	    (int)strlen(label), label);
	return buf;
}

const char *
fr_insee(const char *key)
{
	return key != NULL && strlen(key) == 5 && (fr_digits(key, 5) ||
	    (fr_digits(key, 1) && (key[1] == 'A' || key[1] == 'B') &&
	    fr_digits(key + 2, 3))) ? key : "";
}

void
fr_count(const char *measure, long long n, int small, char *out, size_t len)
{
	int	 m = measure != NULL ? catalogue_measure(measure) : -1;
	const char *unit = m >= 0 ? (n > 1 || n < -1 ? fr_units[m].many :
		    fr_units[m].one) : "";
	char	 num[48];

	if (small > 0 && n >= 1 && n < small)
		snprintf(out, len, "< %d%s%s", small, *unit ? " " : "",
		    m >= 0 ? fr_units[m].many : "");
	else
		snprintf(out, len, "%s%s%s", fr_int(n, num, sizeof(num)),
		    *unit ? " " : "", unit);
}

const char *
fr_unit(const char *measure)
{
	int	 m = measure != NULL ? catalogue_measure(measure) : -1;

	return m >= 0 ? fr_units[m].many : "";
}

void
fr_change(double ratio, char *out, size_t len)
{
	long	 pct = (long)(ratio * 100 + (ratio >= 0 ? 0.5 : -0.5)) - 100;

	snprintf(out, len, "%s%ld %%", pct > 0 ? "+" : pct < 0 ? "−" : "",
	    labs(pct));
}

void
fr_number(double d, char *out, size_t len)
{
	char	*dot;
	size_t	 n;

	if (d == (double)(long long)d) {
		snprintf(out, len, "%lld", (long long)d);
		return;
	}
	snprintf(out, len, "%.3f", d);
	while ((n = strlen(out)) > 0 && out[n - 1] == '0')
		out[n - 1] = '\0';
	if ((n = strlen(out)) > 0 && out[n - 1] == '.')
		out[n - 1] = '\0';	/* 2.0004: "2" */
	if (strcmp(out, "-0") == 0)
		snprintf(out, len, "0");
	if ((dot = strchr(out, '.')) != NULL)
		*dot = ',';
}
