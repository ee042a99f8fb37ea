/*
 * submit.h — sending records and collecting their acks, pipelined: batches
 * of records per request, a window of requests in flight; and what the
 * submitting commands check and say about a record before and after
 * (validation against the built-in catalogue, the indicators a regular
 * service activity counts on, the French report lines).
 */
#ifndef CTG_SUBMIT_H
#define CTG_SUBMIT_H

#include <stddef.h>

#include "catalogue.h"
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

/*
 * Checks every item without an error against the catalogue as ctgd will
 * (validate_record, today being a day number since 1970), so that an
 * invalid record is refused at once and never kept: sets its error
 * (allocated in a). Returns how many were refused.
 */
size_t	submit_validate(struct import_item *, size_t n,
	    const struct catalogue *, int64_t today, struct arena *a);

/*
 * The indicators of scope "all" whose filters select this record (its
 * activity, its structure, a category of one of its groups or a parent of
 * it): regular service activity counts there even without a sheet. Writes
 * at most max of them into out, in plan order; returns how many match.
 */
size_t	submit_service(const struct catalogue *, const struct record *,
	    const struct cat_indicator **out, size_t max);

/* An ack's status as the reports print it: accepté, déjà enregistré... */
const char *submit_status_label(enum ack_status);

/*
 * One report line for an item: "WHERE : accepté — UUID", with the reason
 * before the id when there is one, and the id only when it is known.
 */
void	submit_line(char *buf, size_t len, const char *where,
	    const struct import_item *);

/* Statuses counted over items; refused includes refusals before sending. */
struct submit_counts {
	size_t	 n[ACK_REFUSED + 1];	/* by enum ack_status */
	size_t	 unanswered;		/* kept, no answer (yet) */
	size_t	 total;
};

void	submit_count(const struct import_item *, size_t n,
	    struct submit_counts *);
/* 1 when one was refused or in conflict, else 0. */
int	submit_counts_bad(const struct submit_counts *);
/*
 * The two summary lines, each ending in '\n': a French one, then the
 * DESIGN interface line "accepted=N duplicate=N conflict=N refused=N".
 */
void	submit_summary(char *buf, size_t len, const struct submit_counts *);

#endif
