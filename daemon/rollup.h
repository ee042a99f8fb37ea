/*
 * rollup.h — monthly rollups, by themselves: a thread that watches the
 * clock, closes each month (by default the 1st of the next at 02:00
 * Europe/Paris), catches up months missed while stopped, and writes a new
 * revision when records change a closed month.
 */
#ifndef CTG_ROLLUP_H
#define CTG_ROLLUP_H

#include <stddef.h>

struct catalogue;
struct rollup;
struct settings;
struct view;

/*
 * Starts the thread on its own connections to the database, its figures
 * from view. The clock is
 * the system's, or, when $CTG_CLOCK_FILE names a file, the local time
 * written in it as YYYY-MM-DDTHH:MM (for tests). NULL with err.
 */
struct rollup	*rollup_start(const struct settings *,
		    const struct catalogue *, struct view *, char *err,
		    size_t errlen);
/* Finishes the month being closed, then joins the thread. */
void		 rollup_stop(struct rollup *);

#endif
