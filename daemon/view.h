/*
 * view.h — the read model as the daemon shares it: built from the stored
 * aggregate rows at start, folded by the writer after each COMMIT (before
 * the acks go out, so a client reads what it was told is stored), read by
 * any thread. A reader sees a commit whole or not at all: folding takes
 * the write lock for the time of an in-memory fold, never for a disk
 * write, so reads never wait for the disk.
 */
#ifndef CTG_VIEW_H
#define CTG_VIEW_H

#include <stddef.h>

#include "agg.h"
#include "model.h"

struct store;
struct view;

/*
 * An empty view, filled by view_fill; readers wait until it is. NULL when
 * out of memory.
 */
struct view		*view_new(const struct catalogue *);
/*
 * The model of what store holds, read on the calling thread (the
 * writer's, before its first transaction, so that ctgd serves at once);
 * logs its size and the time it took. 0, or -1 with a French err (the view
 * then answers nothing).
 */
int			 view_fill(struct view *, struct store *, char *err,
			    size_t errlen);
/* view_new and view_fill at once; NULL with a French err. */
struct view		*view_load(const struct catalogue *, struct store *,
			    char *err, size_t errlen);
void			 view_free(struct view *);
/*
 * The model to read, until view_done; NULL when it was lost (view_lost
 * says why, until view_done).
 */
const struct model	*view_read(struct view *);
void			 view_done(struct view *);
/* Why there is no model, in French; NULL while there is one. */
const char		*view_lost(struct view *);
/*
 * How many commits the model holds: an answer computed from it stays
 * right until the number moves.
 */
unsigned long		 view_version(struct view *);
/*
 * The writer, just before COMMIT: a commit is under way. Every
 * view_begin is followed by one view_publish (after a failed COMMIT, with
 * nothing), so that view_sync can wait for what was committed.
 */
void			 view_begin(struct view *);
/*
 * After COMMIT: the cells the store changed (store_delta), the batch's
 * members and its accepted evidence entries, added whole under the write
 * lock. NULL view: nothing.
 */
void			 view_publish(struct view *, const struct model *delta,
			    const struct agg_batch *,
			    const struct model_evidence *, size_t nev);

/*
 * Waits until every commit begun before the call is in the model: for a
 * reader that read the base (the rollup's dirty months) and must find the
 * same in the model.
 */
void			 view_sync(struct view *);

#endif
