/*
 * agg.h — what one record adds to (or, voided, takes from) the aggregates,
 * as keyed deltas: the read model folds them into its cells (model.h),
 * and a batch sums those of distinct persons for the store's member rows.
 * Pure.
 */
#ifndef CTG_AGG_H
#define CTG_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"
#include "msg.h"

#define AGG_ALL		"*"	/* the sheet where every record counts once */
#define AGG_MAX_KEYS	4

/* What a delta counts, and its period and keys. */
enum agg_table {
	AGG_RECORDS,		/* month, activity, structure, venue, categories */
	AGG_DAYS,		/* day, activity, structure, categories */
	AGG_GROUPS,		/* month, activity, structure, category, residence */
	AGG_PARTNERS,		/* month, activity, structure, partner */
	AGG_PERSONS,		/* month, activity, structure, category, person */
	AGG__TABLES
};

/* How many keys each kind of delta has. */
extern const size_t	agg_nkeys[AGG__TABLES];

struct agg_key {
	enum agg_table	 table;
	const char	*sheet;
	int		 period;		/* YYYYMM or YYYYMMDD */
	const char	*k[AGG_MAX_KEYS];
};

struct agg_batch;

struct agg_batch	*agg_batch_new(void);
void			 agg_batch_free(struct agg_batch *);
/* Forgets every delta; the memory is kept for the next batch. */
void			 agg_batch_clear(struct agg_batch *);
/* Adds delta to the key's sum. 0, or -1 when out of memory. */
int			 agg_batch_add(struct agg_batch *, const struct agg_key *,
			    int64_t delta);
/* The sum for a key, 0 when absent. */
int64_t			 agg_batch_get(const struct agg_batch *,
			    const struct agg_key *);
/* Orders the batch by key, as each table's primary key orders its rows. */
void			 agg_batch_sort(struct agg_batch *);
/*
 * Calls fn for every key whose sum is not 0, in the order keys were first
 * added, or in key order after agg_batch_sort; returns how many.
 */
size_t			 agg_batch_each(const struct agg_batch *,
			    void (*fn)(void *, const struct agg_key *, int64_t),
			    void *arg);

/* Where a record's deltas go: add returns 0, or -1 when out of memory. */
struct agg_sink {
	int	(*add)(void *arg, const struct agg_key *, int64_t delta);
	void	*arg;
};

/* A sink's add for a batch (arg: the agg_batch). */
int	agg_batch_sink(void *, const struct agg_key *, int64_t delta);
/*
 * Gives the sink sign times the record's contributions: to each of its
 * sheets and to AGG_ALL, one record, its participants by category and
 * residence, its day, each partner once, each person. The record must be
 * valid (its sheets as codes). 0, or -1 when out of memory.
 */
int	agg_record(const struct agg_sink *, const struct catalogue *,
	    const struct record *, int sign);
/* n bytes as 2n lowercase hex digits and a NUL, as keys and ids are shown. */
void	agg_hex(const uint8_t *, size_t n, char *out);
/* The key a commune code is reported under: current CC code, hors, inconnue. */
const char *agg_commune_key(const struct catalogue *, const char *code);

#endif
