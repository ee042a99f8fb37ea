/* show.c — records and words as a person reads them, in French. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fr.h"
#include "show.h"

/* ms since 1970 as JJ/MM/AAAA HH:MM, local time. */
const char *
show_time(int64_t ms, char out[32])
{
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL)
		snprintf(out, 32, "—");
	else
		strftime(out, 32, "%d/%m/%Y %H:%M", &tm);
	return out;
}

/* A word's label as a short name: before « ( », else the keyword. */
const char *
show_word(const struct catalogue *c, enum cat_vocab v, const char *kw,
    char *buf, size_t len)
{
	const char	*label;
	int		 w = catalogue_word(c, v, kw);

	if (w == -1 || (label = c->words[v][w].label) == NULL ||
	    label[0] == '\0')
		return kw;
	return fr_short(label, buf, len);
}

/*
 * A category as it reads after a number: the abbreviation when the label
 * ends with one (« AMA »), else the label with a small first letter
 * (« jeunes », « élus »).
 */
const char *
show_category(const struct catalogue *c, const char *kw, char *buf,
    size_t len)
{
	const char	*label, *open, *close;
	unsigned char	*u = (unsigned char *)buf;
	int		 w = catalogue_word(c, VOCAB_CATEGORY, kw);

	if (w == -1 || (label = c->words[VOCAB_CATEGORY][w].label) == NULL ||
	    label[0] == '\0') {
		snprintf(buf, len, "%s", kw);
		return buf;
	}
	if ((open = strstr(label, " (")) != NULL &&
	    (close = strchr(open, ')')) != NULL &&
	    memchr(open + 2, ' ', (size_t)(close - open - 2)) == NULL) {
		snprintf(buf, len, "%.*s", (int)(close - open - 2), open + 2);
		return buf;
	}
	snprintf(buf, len, "%s", label);
	if (u[0] >= 'A' && u[0] <= 'Z')
		u[0] = (unsigned char)(u[0] - 'A' + 'a');
	else if (u[0] == 0xc3 && u[1] >= 0x80 && u[1] <= 0x9e && u[1] != 0x97)
		u[1] = (unsigned char)(u[1] + 0x20);	/* É -> é */
	return buf;
}

/* "06/11/2026, Réunion à Montcuq-en-Quercy-Blanc (RIPE)" */
const char *
show_record(const struct catalogue *c, const struct record *r, char *buf,
    size_t len)
{
	char	 d[16], act[128], str[128];

	fr_date(r->date, d, sizeof(d));
	snprintf(buf, len, "%s, %s à %s (%s)", d,
	    r->activity ? show_word(c, VOCAB_ACTIVITY, r->activity, act,
	    sizeof(act)) : "?", r->commune ? fr_key(c, FR_COMMUNE, r->commune) :
	    "?",
	    r->structure ? show_word(c, VOCAB_STRUCTURE, r->structure, str,
	    sizeof(str)) : "?");
	return buf;
}
