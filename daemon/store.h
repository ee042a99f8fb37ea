/*
 * store.h — the SQLite edge: opening and migrating the database, records
 * stored exactly once, their revisions (amend, void), evidence entries,
 * and the aggregates that follow them in the same transaction. One store
 * is used by one thread.
 */
#ifndef CTG_STORE_H
#define CTG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "catalogue.h"
#include "model.h"
#include "msg.h"
#include "record.h"

struct store;

struct store_options {
	int			 synchronous_full;	/* 1: survives power loss */
	const struct catalogue	*cat;
	int			 no_aggregates;	/* benchmarks only: records alone */
	int			 integrity_check;	/* PRAGMA quick_check at open */
	int			 read_only;	/* no migration, no write: the readers' */
	int			 deltas_max;	/* commits kept as delta rows
						   before they are folded into
						   the cells; 0: 256 */
};

/* What a revision is, besides its content. */
struct store_revision {
	int		 rev;		/* from 1 */
	int		 current;	/* the record's current revision */
	int		 voided;	/* the record is voided */
	const char	*kind;		/* submit, amend, void */
	const char	*reason;	/* for a void */
	int64_t		 received;	/* ms since 1970 */
};

/*
 * Opens (creating if needed) and migrates the database at path. Returns
 * NULL with a French message in err on failure.
 */
struct store	*store_open(const char *path, const struct store_options *,
		    char *err, size_t errlen);
void		 store_close(struct store *);
/*
 * PRAGMA quick_check of the file at path: 0 when it is sound, else -1 with
 * a French message in err saying it is damaged and what to do.
 */
int		 store_check(struct store *, const char *path, char *err,
		    size_t errlen);
/* Stops what the connection runs, from any thread (SQLITE_INTERRUPT). */
void		 store_interrupt(struct store *);

/* Read transactions, for a consistent snapshot. 0 or -1. */
int		 store_read_begin(struct store *);
void		 store_read_end(struct store *);
/* Write transactions: BEGIN IMMEDIATE ... COMMIT. Return 0 or -1. */
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
/* Checkpoints the WAL and truncates it, when no reader holds it back. */
void		 store_checkpoint(struct store *);

/*
 * The operations below run inside a transaction; each adds what it changes
 * in the aggregates to the store's delta cells (store_delta) and, for
 * distinct persons, its members to the batch; store_apply writes both
 * before COMMIT.
 *
 * store_put: stores r as revision 1 unless its id is known. Returns
 * ACK_ACCEPTED, ACK_DUPLICATE (same id, same first content), ACK_CONFLICT
 * (same id, other content; nothing written), or -1 on a database error.
 */
int		 store_put(struct store *, const struct record *,
		    const uint8_t digest[RECORD_DIGEST_LEN], int64_t now_ms,
		    struct agg_batch *);
/*
 * store_amend: r, whole, becomes the record's next revision. ACK_ACCEPTED,
 * ACK_DUPLICATE (r is the current revision already), ACK_REFUSED with a
 * French *why (unknown or voided record), or -1.
 */
int		 store_amend(struct store *, const struct record *,
		    const uint8_t digest[RECORD_DIGEST_LEN], int64_t now_ms,
		    struct agg_batch *, const char **why);
/* store_void: the record stops counting; ACK_DUPLICATE if it already had. */
int		 store_void(struct store *, const uint8_t id[RECORD_ID_LEN],
		    const char *reason, int64_t now_ms, struct agg_batch *,
		    const char **why);
/* Where a record stands against a set of structures. */
enum store_owner {
	STORE_NONE,	/* no record has the id */
	STORE_IN,	/* its current structure is one of them */
	STORE_OTHER,	/* another structure's */
};
/*
 * The record's store_owner against mask (bits of the structure
 * vocabulary), or -1 on a database error.
 */
int		 store_structure_in(struct store *, const uint8_t *id,
		    uint64_t mask);
/* store_evidence: ACK_ACCEPTED, ACK_DUPLICATE, ACK_CONFLICT or -1. */
int		 store_evidence(struct store *, const struct evidence *,
		    int64_t now_ms);
/* Writes the delta cells and the batch's members into the tables; 0 or -1. */
int		 store_apply(struct store *, struct agg_batch *);
/*
 * Inside a transaction: folds the changes of the last commits, kept as
 * rows, into the stored cells (store_apply does it every few hundred
 * commits). 0 or -1.
 */
int		 store_fold_deltas(struct store *);
/*
 * The cells the last store_apply changed, as a delta model (model.h) in
 * the store's word ids, which stay those of the committed words; valid
 * until the next store_apply or rollback. For the read model, after
 * COMMIT: model_merge_delta, with the batch's model_fold_members.
 */
const struct model *store_delta(const struct store *);

/*
 * Loads revision rev (0: the current one) of a record, its memory in the
 * arena. 1 when found, 0 when there is no such record or revision, -1.
 */
int		 store_get(struct store *, const uint8_t id[RECORD_ID_LEN],
		    int rev, struct arena *, struct record *,
		    struct store_revision *);
/*
 * Recomputes every aggregate from the current revisions of the records
 * that are not voided and compares with the stored ones, in one read
 * transaction; diff is called for each cell entry that differs (slot,
 * month YYYYMM, kind, words, stored, expected). stored_fn, when not NULL,
 * is given the stored aggregates, loaded into a model, as soon as they
 * are read (the first read of the snapshot) and returns its own
 * differences, or -1. Returns the number of differences, -2 when a
 * stored cell is damaged, or -1 on a database error.
 */
long		 store_verify(struct store *, void (*diff)(void *,
		    const char *slot, int month, enum model_kind,
		    const char *a, const char *b, int64_t stored,
		    int64_t expected), void *arg, long *records,
		    long (*stored_fn)(void *, const struct model *),
		    void *stored_arg);

/*
 * Loads the built-in catalogue files into their tables (catalogue/x.tsv
 * into catalogue_x, communes.tsv into communes) in one transaction, unless
 * the database already holds this very data. 0, or -1 with err.
 */
int		 store_load_catalogue(struct store *, const struct data_file *,
		    size_t nfiles, char *err, size_t errlen);
/*
 * A consistent copy of the whole base into a new file at path, while
 * records keep arriving (SQLite's online backup from a read snapshot).
 * Returns the pages copied, or -1 with a French message in err.
 */
long		 store_backup(struct store *, const char *path, char *err,
		    size_t errlen);
/*
 * Feeds the model every stored aggregate (words, cells, members) and
 * evidence entry, in one read transaction: the read model at start.
 * Returns the rows read, -2 when a stored cell is damaged, or -1 on a
 * database error or when memory ran out.
 */
long		 store_model_load(struct store *, struct model *);

/*
 * Records as lists show them (store_lists.c): the current revision of
 * each, its strings valid during the callback only.
 */
struct store_row {
	const uint8_t	*id;		/* RECORD_ID_LEN bytes */
	const char	*date, *activity, *structure;
	const char	*commune;	/* STORE_SAME_DAY: its current commune */
	const char	*title;		/* NULL: none */
	const char	*sheets;	/* codes, comma-joined */
	const char	*partners;	/* joined by the unit separator (31) */
	int64_t		 participants, received;
	int		 rev, voided;
};

enum store_list {
	STORE_MATCHING,	/* not voided, in lo..hi, on sheet, through filter:
			   by date then id, at most limit */
	STORE_RECENT,	/* structure's, voided too, in lo..hi: latest first,
			   at most limit */
	STORE_SAME_DAY,	/* structure's, not voided, in lo..hi, that share a
			   date, venue and activity with another: by those */
	STORE__LISTS
};

struct store_selection {
	const char		*lo, *hi;	/* YYYY-MM-DD, inclusive */
	const char		*sheet;		/* NULL: any (MATCHING) */
	const struct cat_filter	*filter;	/* NULL: none (MATCHING) */
	const char		*structure;	/* RECENT, SAME_DAY */
	long			 limit;
};

/*
 * Calls fn for each row of the list, in its order, until fn returns 1
 * (enough) or -1 (failed). Returns the rows given, or -1 on a database
 * error or when fn failed.
 */
long		 store_list(struct store *, enum store_list,
		    const struct store_selection *,
		    int (*fn)(void *, const struct store_row *), void *arg);
/*
 * A month's latest stored rollup document (malloc'd JSON text), NULL when
 * there is none; *failed is set on a database error.
 */
char		*store_rollup_json(struct store *, const char *month,
		    int *failed);

/* The plan the store was opened with. */
const struct catalogue *store_catalogue(const struct store *);
/* The last database error, in SQLite's words. */
const char	*store_errmsg(struct store *);
/* The number of migrations applied (PRAGMA user_version). */
int		 store_version(struct store *);

#endif
