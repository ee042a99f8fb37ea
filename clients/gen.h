/*
 * gen.h — realistic generated records, for the load generator and the
 * benchmark's preload: all the sheets that take records, with the
 * activities each accepts; the CC's communes and some from elsewhere; one
 * to three participant groups of the plan's categories, sometimes one
 * followed person; partners; UUIDv7 ids; dates over the last days.
 * Deterministic for a seed (but for the ids' time field).
 */
#ifndef CTG_GEN_H
#define CTG_GEN_H

#include <stdint.h>

#include "arena.h"
#include "catalogue.h"
#include "msg.h"

#define GEN_PERSONS	5000	/* distinct followed participants */

struct gen {
	const struct catalogue	*cat;
	const struct cat_sheet	*sheets[64];
	size_t			 nsheets;
	const char		*communes[96];
	size_t			 ncommunes;
	uint64_t		 rng;
	int64_t			 today;		/* days since 1970-01-01 */
	int			 days;		/* dates over the last N days */
};

/* 0, or -1 when the catalogue has no sheet or commune to draw from. */
int	gen_init(struct gen *, const struct catalogue *, uint64_t seed,
	    int64_t today, int days);
/* One record; every string and array in the arena. 0 or -1 (memory). */
int	gen_record(struct gen *, struct record *, struct arena *);

#endif
