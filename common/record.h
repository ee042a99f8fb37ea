/* record.h — pure helpers over one record: dates and the content digest. */
#ifndef CTG_RECORD_H
#define CTG_RECORD_H

#include <stdint.h>

#include "msg.h"

#define RECORD_DIGEST_LEN	32	/* bytes, SHA-256 */

/*
 * Parses a strict YYYY-MM-DD calendar date into days since 1970-01-01.
 * Returns 0, or -1 when the text is not such a date.
 */
int	date_parse(const char *, int64_t *days);
/* The days of month m (1 to 12) of year y: 28 to 31. */
int	date_month_days(int y, int m);
/* A YYYYMMDD integer (as in agg_days) to days since 1970-01-01. */
int64_t	date_from_ymd(int yyyymmdd);
/* Today's date where the daemon runs, in days since 1970-01-01. */
int64_t	date_today(void);
/* Days since 1970-01-01 to the civil date, written as YYYY-MM-DD. */
void	date_format(int64_t days, char out[11]);

/*
 * SHA-256 of the record's content in a canonical form (every field but the
 * id, each with its length). Two records say the same thing exactly when
 * their digests are equal: that is what tells a duplicate from a conflict.
 */
void	record_digest(const struct record *, uint8_t out[RECORD_DIGEST_LEN]);

#endif
