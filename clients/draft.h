/*
 * draft.h — a record from the command line's flags (ctg-submit add and
 * amend): --id, --action, --service, --activity, --date, --commune,
 * --structure, --group CAT:N[:COMMUNE], --person CAT:ID[:COMMUNE],
 * --partner, --title; words resolved to the plan's keywords and INSEE
 * codes (lookup.h), persons turned into tokens under the local key.
 */
#ifndef CTG_DRAFT_H
#define CTG_DRAFT_H

#include <stdint.h>

#include "catalogue.h"
#include "import.h"
#include "person.h"

struct draft {
	struct import_item	 it;		/* the record, a fresh UUIDv7 */
	struct arena		 a;		/* everything it points to */
	const struct catalogue	*cat;
	const char		*key_flag;	/* --key, or NULL */
	const char		*refusal;	/* a word naming nothing, French */
	const char		*usage;		/* a malformed flag, French */
	int			 have_id;	/* --id given */
	int			 service;	/* --service given */
	uint8_t			 key[PERSON_KEY_LEN];
	int			 have_key;
};

/*
 * Builds the record argv describes into dr. Returns 0 (dr->refusal set
 * when a word names nothing: the record is then refused, as validation
 * would), or -1 with dr->usage on a malformed flag. Free with draft_free
 * in both cases.
 */
int	draft_parse(struct draft *, const struct catalogue *,
	    const char *key_flag, int argc, char **argv);
void	draft_free(struct draft *);

#endif
