/* stats.c — the counters and their one dump function. */
#include <string.h>

#include "stats.h"

struct stats	stats;

void
stats_dump(void (*emit)(void *, const char *, uint64_t, const char *),
    void *arg)
{
#define STATS_EMIT(name, type, help)					\
	emit(arg, #name, atomic_load_explicit(&stats.name,		\
	    memory_order_relaxed), help);
	STATS_COUNTERS(STATS_EMIT)
#undef STATS_EMIT
}

const char *
stats_type(const char *name)
{
#define STATS_TYPE(n, type, help)					\
	if (strcmp(name, #n) == 0)					\
		return #type;
	STATS_COUNTERS(STATS_TYPE)
#undef STATS_TYPE
	return "untyped";
}
