/*
 * outbox.h — the client's outbox: every record to submit is first kept in
 * a local SQLite file, and leaves it only when ctgd has answered for it.
 * Records kept while ctgd was unreachable (or the client died mid-send)
 * go with the next submit or `ctg-submit flush`; their ids make any resend
 * a duplicate, never a second count.
 */
#ifndef CTG_OUTBOX_H
#define CTG_OUTBOX_H

#include <stddef.h>

#include "import.h"
#include "msg.h"

struct outbox;

struct outbox_pending {
	struct import_item	*items;
	size_t			 n;
	struct request		*reqs;		/* own the items' records */
};

/* The outbox file: the flag, else $CTG_OUTBOX, else ~/.local/share/ctg/outbox.db. */
const char	*outbox_path(const char *flag, char *buf, size_t len);
struct outbox	*outbox_open(const char *path, char *err, size_t errlen);
void		 outbox_close(struct outbox *);
/* Keeps the items that can be sent, durably (synchronous=FULL). 0 or -1. */
int		 outbox_keep(struct outbox *, const struct import_item *,
		    size_t n, char *err, size_t errlen);
/* Forgets the items ctgd answered for. */
void		 outbox_settle(struct outbox *, struct import_item **, size_t n);
/* The records still waiting, oldest first. 0 or -1. */
int		 outbox_pending(struct outbox *, struct outbox_pending *,
		    char *err, size_t errlen);
void		 outbox_pending_free(struct outbox_pending *);

#endif
