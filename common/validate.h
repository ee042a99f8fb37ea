/*
 * validate.h — structural validation of a record at capture. Pure: the
 * clock comes in through the context.
 */
#ifndef CTG_VALIDATE_H
#define CTG_VALIDATE_H

#include <stdint.h>

#include "arena.h"
#include "catalogue.h"
#include "msg.h"

#define VALIDATE_MAX_COUNT	100000	/* participants in one group */
#define VALIDATE_MAX_GROUPS	1000
#define VALIDATE_MAX_SHEETS	16
#define VALIDATE_MAX_PARTNERS	64
#define VALIDATE_FIRST_DAY	"2020-01-01"	/* the convention's start */

struct validate_ctx {
	const struct catalogue	*cat;
	int64_t			 first_day;	/* days since 1970-01-01 */
	int64_t			 last_day;	/* inclusive: tomorrow */
};

/* first_day is the convention's start, last_day today + 1. */
void		 validate_ctx_init(struct validate_ctx *,
		    const struct catalogue *, int64_t today);
/*
 * Checks a record against the structure of the protocol and against the
 * catalogue (sheets, vocabularies, the activities each sheet accepts, the
 * communes referential). Returns NULL when the record may be stored, or a
 * French reason naming the offending value and what was expected,
 * allocated in the arena (valid UTF-8, values quoted cut on a character
 * boundary and sanitized). A record wire marked bad_field is refused.
 * A valid record's sheets are rewritten to their codes (17 -> III.A.17),
 * once each, so that equal content digests equal.
 */
const char	*validate_record(struct record *,
		    const struct validate_ctx *, struct arena *);
/*
 * The reason a string as sent is refused (wire's bad_field, bad_text):
 * « champ title : octet nul : attendu un texte UTF-8 ... », in the arena.
 */
const char	*validate_bad_text(const char *field, const char *problem,
		    struct arena *);
/* A void: a 16-byte id and a reason. NULL or the French reason it is refused. */
const char	*validate_void(const uint8_t *id, size_t idlen,
		    const char *reason, struct arena *);
/* An evidence entry: a known indicator, a date, a state, a text. */
const char	*validate_evidence(const struct evidence *,
		    const struct validate_ctx *, struct arena *);
/* The states an evidence entry may have. */
#define EVIDENCE_STATES	"en cours, réalisé"
/* A sheet list rewritten to codes, once each; -1 at the first unknown. */
int		 validate_sheets(const struct catalogue *, const char **,
		    size_t *n, size_t *bad);
/* The single-field checks, for clients that check before sending. */
int		 validate_keyword(const char *);
int		 validate_insee(const char *);
int		 validate_sheet(const char *);
int		 validate_text(const char *, size_t maxlen);

#endif
