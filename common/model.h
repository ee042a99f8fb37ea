/*
 * model.h — the read model: every figure the sheets, the overview, the
 * communes and the rollups show, kept in memory as marginals per slot and
 * month, so that a question over a window reads a few small cells per
 * month and never a record.
 *
 * A slot is what an indicator counts: a sheet's own records with no
 * filter (its base), every record with no filter (the "all" base), or a
 * scope and a compiled filter that the plan asks for (one slot per
 * distinct pair). A record's deltas (agg.h) are folded into cells: the
 * store keeps those cells (model_cells.c), the daemon's model is loaded
 * from them at start and adds the cells each commit changed, so the two
 * agree by construction and verify can compare them cell by cell.
 *
 * Distinct persons over any window are exact: each cell counts, for the
 * month m, the members whose previous appearance in the slot was month p
 * (C[m][p], p = none included), kept under late, amended and voided
 * records from each member's months; distinct(l..r) is then the sum over
 * m in l..r of C[m][p] for p < l.
 *
 * Pure and single-threaded: the daemon publishes it under a lock.
 */
#ifndef CTG_MODEL_H
#define CTG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "catalogue.h"

#define MODEL_FIRST_YEAR	2000
#define MODEL_MONTHS		1200	/* 2000-01 to 2099-12 */

/* What a cell counts, by key. */
enum model_kind {
	MK_RECORDS = 1,		/* records */
	MK_PARTICIPANTS,	/* sum of group counts */
	MK_CATEGORY,		/* participants by category */
	MK_RESIDENCE,		/* participants by residence key */
	MK_ACTIVITY,		/* records by activity */
	MK_VENUE,		/* records by venue key */
	MK_PARTNER,		/* records naming the partner */
	MK_DAY,			/* records by day of the month */
	MK_PREV,		/* members by previous month + 1 (0: none) */
	/* The "all" base only, for the commune view and completeness. */
	MK_VENUE_ACTIVITY,	/* records by venue, activity */
	MK_VENUE_STRUCTURE,	/* records by venue, structure */
	MK_RESIDENCE_ACTIVITY,	/* participants by residence, activity */
	MK_RESIDENCE_CATEGORY,	/* participants by residence, category */
	MK_STRUCTURE_DAY,	/* records by structure, day of the month */
	MK__COUNT
};

/* A key's word and its sum over a window. */
struct model_sum {
	const char	*key;
	int64_t		 n;
};

/* An evidence entry, as the read side shows it. */
struct model_evidence {
	const char	*indicator, *date, *state, *text, *reference, *id;
};

struct model;

/* An empty model for the plan; NULL when out of memory. */
struct model	*model_new(const struct catalogue *);
void		 model_free(struct model *);

/*
 * Adds delta to every cell the aggregate key feeds: its scope's base and
 * each slot of that scope whose filter selects it. 0, or -1 when out of
 * memory (the model is then incomplete: rebuild it).
 */
int	model_fold(struct model *, const struct agg_key *, int64_t delta);
/* Folds every sum of a batch (after a commit: its members); 0 or -1. */
int	model_fold_batch(struct model *, const struct agg_batch *);
/* Adds an evidence entry (copied); 0 or -1. */
int	model_add_evidence(struct model *, const struct model_evidence *);

/* Slots. */
int	model_sheet_slot(const struct model *, size_t sheet);	/* index */
int	model_all_slot(const struct model *);
int	model_indicator_slot(const struct model *, size_t indicator);

/* YYYYMM to a month index; -1 outside MODEL_MONTHS. */
int	model_month(int yyyymm);

/*
 * The sum of a kind without key (MK_RECORDS, MK_PARTICIPANTS) over the
 * months lo..hi (YYYYMM, inclusive).
 */
int64_t	model_total(const struct model *, int slot, enum model_kind,
	    int lo, int hi);
/*
 * A kind's keys with a sum other than 0 over lo..hi, sorted by word: a
 * malloc'd array (free it) and its length in *n; NULL with *n 0 when
 * there is none or memory ran out. A pair kind is read under one first
 * word, within (the second words under it); other kinds take NULL.
 */
struct model_sum *model_sums(const struct model *, int slot, enum model_kind,
	    const char *within, int lo, int hi, size_t *n);
/* Sorts sums by word, as model_sums returns them. */
void	model_sums_sort(struct model_sum *, size_t);
/* The sum of one key of a kind over lo..hi. */
int64_t	model_value(const struct model *, int slot, enum model_kind,
	    const char *key, int lo, int hi);
/* Distinct persons of a slot over lo..hi, exact. */
int64_t	model_persons(const struct model *, int slot, int lo, int hi);
/*
 * The days (YYYYMMDD, ascending) with a record in lo..hi: malloc'd, count
 * in *n.
 */
int	*model_days(const struct model *, int slot, int lo, int hi, size_t *n);
/*
 * The last day (YYYYMMDD) with a record of the slot (MK_DAY), or with
 * pair kind MK_STRUCTURE_DAY of the structure `within`; 0: none.
 */
int	model_last_day(const struct model *, int slot, enum model_kind,
	    const char *within);
/*
 * A sheet's evidence dated up to `last` (YYYY-MM-DD), by date then id:
 * a malloc'd array of pointers into the model, count in *n.
 */
const struct model_evidence **model_evidence(const struct model *,
	    size_t sheet, const char *last, size_t *n);

/*
 * Compares two models of the same plan cell by cell; calls diff for each
 * cell that differs (slot name, month YYYYMM, kind, words, the two sums)
 * and returns how many differ.
 */
long	model_compare(const struct model *, const struct model *,
	    void (*diff)(void *, const char *slot, int month, enum model_kind,
	    const char *a, const char *b, int64_t, int64_t), void *arg);
/*
 * Cells as the store keeps them (model_cells.c). A delta model counts
 * cells only (members are ignored: the store keeps them by key) and
 * lists the cells it made, so that a transaction rewrites each once.
 */
struct buf;
struct model	*model_new_delta(const struct catalogue *);
/* Forgets a delta's cells; its words stay, with their ids. */
void		 model_delta_clear(struct model *);
size_t		 model_ntouched(const struct model *);
/* The i-th cell a delta made: its slot and month (YYYYMM). */
void		 model_touched(const struct model *, size_t i, int *slot,
		    int *yyyymm);
/* The plan the model counts for. */
const struct catalogue *model_catalogue(const struct model *);
/* A word's id (interned on first sight), or -1 when out of memory. */
long		 model_intern(struct model *, const char *);
size_t		 model_nwords(const struct model *);
/* The word of an id, NULL when there is none. */
const char	*model_word_text(const struct model *, size_t id);
/* The slot of that name, -1 when the plan has none. */
int		 model_slot_named(const struct model *, const char *);
/*
 * The stored cell old (len 0: none) plus the delta's cell of that slot and
 * month, packed into out (in the delta's word ids). Returns its entries
 * (0: the row goes), -1 when out of memory, -2 when old is not a cell.
 */
long		 model_cell_merge(const struct model *delta, int slot,
		    int yyyymm, const void *old, size_t oldlen, struct buf *out);
/*
 * Adds a stored cell to the model, its word ids through map (stored id to
 * model id, nmap of them). 0, -1 when out of memory, -2 when the cell is
 * damaged or names a word the map lacks.
 */
int		 model_cell_load(struct model *, int slot, int yyyymm,
		    const void *blob, size_t len, const long *map, size_t nmap);
/*
 * Adds a delta's cells to a model of the same plan: its words through map
 * (delta id to model id), which the call extends to the delta's new words
 * (the caller keeps it between calls and frees it). 0, or -1 when out of
 * memory (the model is then incomplete).
 */
int		 model_merge_delta(struct model *, const struct model *delta,
		    long **map, size_t *nmap);

/* A slot's name for reports: the sheet code, "*", or the indicator id. */
const char *model_slot_name(const struct model *, int slot);
/* The name of a kind, for verify's report. */
const char *model_kind_name(enum model_kind);
/* Bytes held, roughly. */
size_t	model_bytes(const struct model *);

#endif
