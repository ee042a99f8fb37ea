/*
 * store_int.h — the store's insides, shared by store.c, store_agg.c and
 * store_catalogue.c: the connection and its prepared statements.
 */
#ifndef CTG_STORE_INT_H
#define CTG_STORE_INT_H

#include <sqlite3.h>

#include "agg.h"
#include "store.h"

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_RECORD_INSERT,
	STMT_RECORD_GET,
	STMT_RECORD_SET_REV,
	STMT_REVISION_INSERT,
	STMT_REVISION_GET,
	STMT_EVIDENCE_INSERT,
	STMT_EVIDENCE_GET,
	STMT_DIRTY,
	STMT_STRUCTURE,
	STMT__COUNT
};

struct store {
	sqlite3			*db;
	const struct catalogue	*cat;
	int			 no_aggregates;
	sqlite3_stmt		*stmt[STMT__COUNT];
	sqlite3_stmt		*agg[9];	/* store_agg.c's statements */
	sqlite3_stmt		*list[STORE__LISTS];	/* store_lists.c's */
	sqlite3_stmt		*rollup_get;
	/*
	 * The writer's cells: a delta model in the word ids of agg_word,
	 * made on the first store_apply; words_stored of its words are in
	 * agg_word as of the last COMMIT.
	 */
	struct model		*cells;
	size_t			 words_stored;
	int			 applied;	/* cells written: start anew */
	long			 ndeltas;	/* rows in agg_delta */
	long			 delta_bytes;	/* and their bytes */
	long			 deltas_max;	/* then they are folded */
};

/*
 * Commits whose changes are kept as rows before they go into the cells,
 * and the bytes of such rows (large transactions: imports, the rebuild)
 * that fold them sooner.
 */
#define STORE_DELTAS_MAX	256
#define STORE_DELTA_BYTES	(4L << 20)

/* Prepares n statements, each once for the store's life; 0 or -1. */
int	store_prepare_each(struct store *, const char *const *sql, size_t n,
	    sqlite3_stmt **);
void	store_finalize_each(sqlite3_stmt **, size_t n);
/* Runs a prepared statement that returns no row, then resets it; 0 or -1. */
int	store_exec(struct store *, sqlite3_stmt *);
/* Prepares the lists' statements (store_lists.c); 0 or -1. */
int	store_lists_prepare(struct store *);
void	store_lists_finalize(struct store *);
/* Prepares the aggregate statements (store_agg.c); 0 or -1. */
int	store_agg_prepare(struct store *);
void	store_agg_finalize(struct store *);
/*
 * A record's deltas, sign times: its cells into the store's delta model,
 * its members (distinct persons) into the batch. 0 or -1.
 */
int	store_agg_record(struct store *, struct agg_batch *,
	    const struct record *, int sign);
/* A transaction begins: the delta model starts empty. */
void	store_agg_begin(struct store *);
/* After a COMMIT: the words written are now stored. */
void	store_agg_committed(struct store *);
/* After a ROLLBACK: the words are read again from agg_word. */
void	store_agg_rolled_back(struct store *);
/*
 * Inside a transaction: forgets every aggregate row and recomputes them
 * from the records (after the catalogue, and so the communes referential,
 * changed, or the format of the aggregates), its progress in the log;
 * marks every month for its rollup again. 0 or -1.
 */
int	store_agg_rebuild(struct store *);

#endif
