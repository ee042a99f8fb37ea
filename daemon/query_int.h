/*
 * query_int.h — the read side's insides, shared by query.c,
 * query_commune.c and query_records.c.
 */
#ifndef CTG_QUERY_INT_H
#define CTG_QUERY_INT_H

#include <json-c/json.h>
#include "agg.h"
#include "arena.h"
#include "query.h"
#include "store.h"
#include "view.h"

#define QUERY_MAX_DIFFS		1000	/* differences listed by verify */
#define QUERY_MAX_RECORDS	1000	/* records listed by a drill-down */
#define QUERY_RECENT_DEFAULT	20	/* records listed by recent */

#define QUERY_CACHE	32	/* answers kept */

/* An answer from the model, kept until the model moves. */
struct query_cached {
	char		*key;		/* the question, and the day */
	unsigned long	 version;	/* view_version it was computed at */
	json_object	*answer;
};

struct query_db {
	const struct catalogue	*cat;
	struct view		*view;		/* the model: sheets and the rest */
	struct view		*own_view;	/* without the daemon's */
	char			 error[512];
	int			 status;	/* of the last error */
	int			 small_cells;	/* exports' secrecy threshold */
	struct store		*store;		/* read-only: revisions, drill-down */
	struct query_cached	 cache[QUERY_CACHE];
	size_t			 cache_next;	/* the slot to reuse */
};

/* What went wrong with a question, as HTTP says it. */
enum query_error {
	QUERY_BAD = 400,	/* the question is malformed */
	QUERY_UNKNOWN = 404,	/* it names what does not exist */
	QUERY_BROKEN = 500,	/* the base could not be read */
};

/*
 * Sets the French error (fmt takes one string) and its kind, and returns
 * NULL.
 */
void		*query_fail(struct query_db *, const char **error,
		    enum query_error, const char *fmt, const char *v);
/* The object as compact JSON text (malloc'd); frees the object. */
/*
 * The model to answer from, read-locked until query_model_done; NULL with
 * *error when it was lost.
 */
const struct model *query_model(struct query_db *, const char **error);
void		 query_model_done(struct query_db *);
/* YYYY-MM bounds of a query, checked; 0, or -1 with *error. */
int		 query_window(struct query_db *, const struct query *,
		    int64_t today, int *from, int *to, const char **error);

json_object	*query_commune(struct query_db *, const struct query *,
		    int64_t today, const char **error);
json_object	*query_completeness(struct query_db *, const struct query *,
		    int64_t today, const char **error);
json_object	*query_records(struct query_db *, const struct query *,
		    int64_t today, const char **error);
json_object	*query_revisions(struct query_db *, const struct query *,
		    const char **error);
/* key "structure" or "structure/N" (20 by default); every date unless
 * from or to. */
json_object	*query_recent(struct query_db *, const struct query *,
		    int64_t today, const char **error);
json_object	*query_duplicates(struct query_db *, const struct query *,
		    int64_t today, const char **error);


#endif
