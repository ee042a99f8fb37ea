/*
 * query.h — questions answered with JSON documents: a sheet over a window,
 * the overview, a commune, completeness and rollups from the read model
 * (model.h); a record's revisions and the records behind an indicator
 * from a read-only connection; verify and backup on a thread of their own.
 */
#ifndef CTG_QUERY_H
#define CTG_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"
#include "msg.h"

#include <json-c/json.h>

struct query_db;
struct store;

/*
 * A read-only connection to the database, answering from view (the
 * daemon's model), or without one from a model loaded from the file.
 * NULL with err on failure.
 */
struct view;
struct query_db	*query_open(const char *path, const struct catalogue *,
		    int small_cells, struct view *, char *err, size_t errlen);
void		 query_close(struct query_db *);
/*
 * Answers a question: its document (the caller puts it), or NULL with a
 * French *error (valid until the next call) saying what was wrong.
 */
json_object	*query_answer(struct query_db *, const struct query *,
		    int64_t today, const char **error);
/* A document as compact JSON (malloc'd, or NULL); o is put. */
char		*query_json(json_object *o);
/*
 * A month's rollup figures: every sheet over the month and over the year
 * to date. NULL with *error. The caller owns the object.
 */
json_object	*query_rollup_doc(struct query_db *, const char *month,
		    int64_t today, const char **error);
/* The HTTP status that fits the last error: 400 or 404 (500: the base). */
int		 query_status(const struct query_db *);
/* 1 for verify and backup: they run on the verifier, and need the admin. */
int		 query_is_long(const struct query *);
/*
 * 1 for the questions about one structure's own records (recent): a
 * submitter may ask them for its structures, named by the key's first word.
 */
int		 query_is_own(const struct query *);
/*
 * The long reads, on a connection and thread of their own: verify (JSON
 * of the differences: the stored aggregates against the records, then,
 * with the writer held a moment, the model in view against the stored
 * aggregates) and backup (an online copy into qu->key). malloc'd JSON,
 * NULL on a database error.
 */
struct writer;
char		*query_verify(struct store *, const struct query *,
		    struct view *, struct writer *);

#endif
