/*
 * submit.h — sending records and collecting their acks, pipelined: batches
 * of records per request, a window of requests in flight.
 */
#ifndef CTG_SUBMIT_H
#define CTG_SUBMIT_H

#include <stddef.h>

#include "client.h"
#include "import.h"

struct submit_options {
	size_t	 batch;		/* records per request */
	size_t	 window;	/* requests in flight */
	/* Called with each batch as soon as ctgd answered it (may be NULL). */
	void	(*answered)(void *, struct import_item **, size_t);
	void	*arg;
};

/*
 * Sends every item without an error and sets its status and reason from
 * the server's ack. Returns 0, or -1 with a French message in err when the
 * connection failed (items not answered keep status 0).
 */
int	submit_items(struct client *, struct import_item *, size_t n,
	    const struct submit_options *, char *err, size_t errlen);

#endif
