/* stats.c — the counters and their one dump function. */
#include "stats.h"

struct stats	stats;

void
stats_dump(void (*emit)(void *, const char *, uint64_t, const char *),
    void *arg)
{
#define STATS_EMIT(name, help)						\
	emit(arg, #name, atomic_load_explicit(&stats.name,		\
	    memory_order_relaxed), help);
	STATS_COUNTERS(STATS_EMIT)
#undef STATS_EMIT
}
