/*
 * show.h — records and words as the command-line tools show them, in
 * French, over fr.h (dates JJ/MM/AAAA, commune names): times, short
 * labels, categories after a number, a record in one phrase. Pure.
 */
#ifndef CTG_SHOW_H
#define CTG_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"
#include "msg.h"

/* ms since 1970 as JJ/MM/AAAA HH:MM, local time; « — » for none. */
const char	*show_time(int64_t ms, char out[32]);
/* A word's label as a short name: before « ( », else the keyword. */
const char	*show_word(const struct catalogue *, enum cat_vocab,
		    const char *kw, char *buf, size_t len);
/*
 * A category as it reads after a number: its abbreviation (« AMA »), else
 * its label with a small first letter (« jeunes », « élus »).
 */
const char	*show_category(const struct catalogue *, const char *kw,
		    char *buf, size_t len);
/* A record in one phrase: « 06/11/2026, Réunion à Montcuq-… (RIPE) ». */
const char	*show_record(const struct catalogue *, const struct record *,
		    char *buf, size_t len);

#endif
