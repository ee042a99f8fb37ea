/*
 * outbox.h — the client's outbox: every record to submit is first kept in
 * a local SQLite file, and leaves it only when ctgd has accepted it (or
 * already had it). Records kept while ctgd was unreachable (or the client
 * died mid-send) are pending: they go with the next submit or
 * `ctg-submit flush`; their ids make any resend a duplicate, never a
 * second count. A record ctgd refused or found in conflict is held, with
 * ctgd's reason, until the user corrects it (an accepted amend or a new
 * submit with the same id) or discards it: the outbox never drops one.
 */
#ifndef CTG_OUTBOX_H
#define CTG_OUTBOX_H

#include <stddef.h>

#include "import.h"
#include "msg.h"

struct outbox;

/* Which records a listing wants. */
enum outbox_which {
	OUTBOX_PENDING,		/* waiting to be sent */
	OUTBOX_HELD,		/* refused or in conflict, waiting for the user */
	OUTBOX_ALL,		/* both, pending first */
};

/*
 * A listing: items[i].status is 0 for a pending record, ACK_CONFLICT or
 * ACK_REFUSED for a held one (with ctgd's reason, malloc'd, in .reason).
 */
struct outbox_pending {
	struct import_item	*items;
	size_t			 n;
	struct request		*reqs;		/* own the items' records */
};

/* The outbox file: the flag, else $CTG_OUTBOX, else ~/.local/share/ctg/outbox.db. */
const char	*outbox_path(const char *flag, char *buf, size_t len);
/*
 * Opens (creating it, or upgrading a file of an earlier version, in
 * place). NULL with a French message in err.
 */
struct outbox	*outbox_open(const char *path, char *err, size_t errlen);
void		 outbox_close(struct outbox *);
/*
 * Keeps the items without an error as pending, durably (synchronous=FULL).
 * An item whose id is already kept replaces it: the latest content is the
 * one to send, and a held record is pending again. 0 or -1 with err.
 */
int		 outbox_keep(struct outbox *, const struct import_item *,
		    size_t n, char *err, size_t errlen);
/*
 * Records ctgd's answers: accepted and duplicate items leave the outbox,
 * conflicting and refused ones are held with their reason; unanswered
 * items (status 0) stay as they are.
 */
void		 outbox_settle(struct outbox *, struct import_item **, size_t n);
/* The records of one kind, oldest first. 0 or -1 with err. */
int		 outbox_list(struct outbox *, enum outbox_which,
		    struct outbox_pending *, char *err, size_t errlen);
void		 outbox_pending_free(struct outbox_pending *);
/* How many records of one kind are kept; -1 when unreadable. */
long		 outbox_count(struct outbox *, enum outbox_which);
/*
 * A record's state: 0 pending, ACK_CONFLICT or ACK_REFUSED held, -1 when
 * the outbox does not hold it (or is unreadable).
 */
int		 outbox_state(struct outbox *, const uint8_t id[RECORD_ID_LEN]);
/* Removes one record, durably. 1 removed, 0 not there, -1 with err. */
int		 outbox_remove(struct outbox *, const uint8_t id[RECORD_ID_LEN],
		    char *err, size_t errlen);

#endif
