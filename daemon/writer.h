/*
 * writer.h — the writer thread. The event loop hands it jobs (the checked
 * records of one submit request); it commits whatever has queued up in one
 * transaction (group commit) and hands the jobs back to the loop, with
 * their acks, only after COMMIT returned.
 */
#ifndef CTG_WRITER_H
#define CTG_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "record.h"

struct event_base;
struct store;
struct writer;

/*
 * A submit (its records), an amend, a void or an evidence entry (one ack
 * each), or a verify (a JSON document). Submits, amends, voids and evidence
 * share transactions; a verify runs alone, between them.
 */
struct writer_job {
	struct writer_job	*next;
	struct request		 req;	/* owns the records and everything below */
	struct ack		*acks;	/* max(1, nrecords); decided: a status */
	uint8_t			(*digests)[RECORD_DIGEST_LEN];
	char			*document;	/* verify: malloc'd JSON */
	uint64_t		 allowed;	/* structures it may touch; 0: any */
	void			*owner;	/* the connection, for the done callback */
};

typedef void	(*writer_done_cb)(struct writer_job *, void *arg);
/* Answers a query job on the writer's thread: malloc'd JSON, or NULL. */
typedef char	*(*writer_query_cb)(struct store *, const struct query *,
		    void *arg);

/* Creates a job for req (taken over on success); NULL when out of memory. */
struct writer_job	*writer_job_new(struct request *req, void *owner);
void			 writer_job_free(struct writer_job *);

/*
 * Starts the thread. done runs on the loop's thread, once per job, in the
 * order the jobs were pushed. Returns NULL on failure.
 */
struct writer	*writer_start(struct event_base *, struct store *,
		    size_t batch_max, writer_done_cb done, writer_query_cb query,
		    void *arg);
void		 writer_push(struct writer *, struct writer_job *);
/* Jobs pushed whose done callback has not run yet. */
size_t		 writer_pending(struct writer *);
/* Commits what is queued, joins the thread, frees it; undelivered jobs are freed. */
void		 writer_stop(struct writer *);

#endif
