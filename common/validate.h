/*
 * validate.h — structural validation of a record at capture. Pure: the
 * clock comes in through the context.
 */
#ifndef CTG_VALIDATE_H
#define CTG_VALIDATE_H

#include <stdint.h>

#include "arena.h"
#include "msg.h"

#define VALIDATE_MAX_COUNT	100000	/* participants in one group */
#define VALIDATE_MAX_GROUPS	1000
#define VALIDATE_MAX_SHEETS	16
#define VALIDATE_MAX_PARTNERS	64
#define VALIDATE_FIRST_DAY	"2020-01-01"	/* the convention's start */

struct validate_ctx {
	int64_t	first_day;	/* days since 1970-01-01, inclusive */
	int64_t	last_day;	/* inclusive; tomorrow for live capture */
};

/* Sets first_day to the convention's start and last_day to today + 1. */
void		 validate_ctx_init(struct validate_ctx *, int64_t today);
/*
 * Returns NULL when the record may be stored, or a French reason naming the
 * offending value and what was expected, allocated in the arena.
 */
const char	*validate_record(const struct record *,
		    const struct validate_ctx *, struct arena *);
/* The single-field checks, for clients that check before sending. */
int		 validate_keyword(const char *);
int		 validate_insee(const char *);
int		 validate_sheet(const char *);
int		 validate_text(const char *, size_t maxlen);

#endif
