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

#include "export.h"
#include "msg.h"
#include "record.h"

struct event_base;
struct store;
struct writer;

struct writer_job;

typedef void	(*writer_done_cb)(struct writer_job *, void *arg);
/*
 * Answers a query job on the thread's own: sets its document (malloc'd
 * JSON), or its error (malloc'd French message) and status.
 */
typedef void	(*writer_query_cb)(struct store *, struct writer_job *,
		    void *arg);

/*
 * A submit (its records), an amend, a void or an evidence entry (one ack
 * each), or a query (a JSON document). Submits, amends, voids and evidence
 * share transactions; a query runs alone, between them. The same thread
 * and queue serve the readers (queries only, on a read connection).
 */
struct catalogue;
struct json_object;

struct writer_job {
	struct writer_job	*next;
	struct request		 req;	/* owns the records and everything below */
	struct ack		*acks;	/* max(1, nrecords); decided: a status */
	uint8_t			(*digests)[RECORD_DIGEST_LEN];
	char			*document;	/* query: malloc'd answer */
	size_t			 document_len;
	/* query: its tables (export.c) as CSV, or as xlsx with xlsx set */
	export_fn		*book;
	int			 xlsx;
	/* query: a printable page of the document, instead of JSON */
	char			*(*html)(const struct catalogue *,
				    struct json_object *);
	char			*error;		/* query: malloc'd, or NULL */
	int			 status;	/* query: HTTP-like, with error */
	uint64_t		 allowed;	/* structures it may touch; 0: any */
	void			*owner;	/* the connection, for the done callback */
	writer_done_cb		 done;	/* its own delivery; NULL: the writer's */
};

/* Creates a job for req (taken over on success); NULL when out of memory. */
struct writer_job	*writer_job_new(struct request *req, void *owner);
void			 writer_job_free(struct writer_job *);

/*
 * Starts the thread. done runs on the loop's thread, once per job, in the
 * order the jobs were pushed. Returns NULL on failure.
 */
struct view;
struct writer	*writer_start(struct event_base *, struct store *,
		    struct view *, size_t batch_max, writer_done_cb done,
		    writer_query_cb query, void *arg);
void		 writer_push(struct writer *, struct writer_job *);
/*
 * Holds the thread between two transactions (returns once the one under
 * way, if any, is committed and folded), until writer_resume: verify
 * then compares the model with a base that does not move.
 */
void		 writer_pause(struct writer *);
void		 writer_resume(struct writer *);

/*
 * From now on, every write job is refused with reason (static storage):
 * the base was found damaged. Queries still run.
 */
void		 writer_refuse_all(struct writer *, const char *reason);
/* Jobs pushed whose done callback has not run yet. */
size_t		 writer_pending(struct writer *);
/*
 * For tests that must catch a thread in the middle of its work: waits while
 * the file at path exists (path NULL: returns at once). $CTG_HOLD_COMMITS
 * holds the writer just before COMMIT, $CTG_HOLD_READS the reader before
 * it answers.
 */
void		 writer_hold(const char *path);
/* Commits what is queued, joins the thread, frees it; undelivered jobs are freed. */
void		 writer_stop(struct writer *);

#endif
