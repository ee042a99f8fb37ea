/*
 * intake.h — what a write request must pass before the writer sees it,
 * the same for the record protocol and for HTTP: each record, void or
 * evidence entry checked against the plan and the caller's structures.
 */
#ifndef CTG_INTAKE_H
#define CTG_INTAKE_H

#include <stddef.h>
#include <stdint.h>

struct catalogue;
struct writer_job;

/*
 * Checks the job's writes: each one refused is acked so with its French
 * reason, each other has its digest made. allowed: the structures it may
 * write for (bit i: structure word i), 0 for any. Returns how many are
 * left for the writer; with none, the acks are the whole answer.
 */
size_t	intake_check(struct writer_job *, const struct catalogue *,
	    uint64_t allowed);

/*
 * 1 when a question about one structure's own records (its key's first
 * word, "ripe/20", as a person writes it) names one of allowed's.
 */
struct query;
int	intake_reads_own(const struct catalogue *, const struct query *,
	    uint64_t allowed);
/* What a submitter asking of another structure's records is told. */
extern const char intake_not_yours_read[];

/* Counts the acks by status (stats.h), as they go out. */
struct ack;
void	intake_count(const struct ack *, size_t n);

#endif
