/*
 * store.h — the SQLite edge: opening and migrating the database, and
 * putting records in it exactly once. One store is used by one thread.
 */
#ifndef CTG_STORE_H
#define CTG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"
#include "msg.h"
#include "record.h"

struct store;

struct store_options {
	int	synchronous_full;	/* 1: FULL, survives power loss */
};

/*
 * Opens (creating if needed) and migrates the database at path. Returns
 * NULL with a French message in err on failure.
 */
struct store	*store_open(const char *path, const struct store_options *,
		    char *err, size_t errlen);
void		 store_close(struct store *);

/* Write transactions: BEGIN IMMEDIATE ... COMMIT. Return 0 or -1. */
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);

/*
 * Within a transaction: stores r as revision 1 unless its id is known.
 * Returns ACK_ACCEPTED, ACK_DUPLICATE (same id, same digest), ACK_CONFLICT
 * (same id, other digest; nothing written), or -1 on a database error.
 */
int		 store_put(struct store *, const struct record *,
		    const uint8_t digest[RECORD_DIGEST_LEN], int64_t now_ms);
/*
 * Loads the built-in catalogue files into their tables (catalogue/x.tsv
 * into catalogue_x, communes.tsv into communes) in one transaction, unless
 * the database already holds this very data. 0, or -1 with err.
 */
int		 store_load_catalogue(struct store *, const struct data_file *,
		    size_t nfiles, char *err, size_t errlen);
/* The last database error, in SQLite's words. */
const char	*store_errmsg(struct store *);
/* The number of migrations applied (PRAGMA user_version). */
int		 store_version(struct store *);

#endif
