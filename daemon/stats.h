/*
 * stats.h — the daemon's counters, one X-macro list. The same list serves
 * ctg-admin stats, the logs and (later) /metrics.
 */
#ifndef CTG_STATS_H
#define CTG_STATS_H

#include <stdatomic.h>
#include <stdint.h>

#define STATS_COUNTERS(X)						\
	X(records_accepted, "enregistrements acceptés")			\
	X(records_duplicate, "doublons (déjà enregistrés, comptés une fois)") \
	X(records_conflict, "conflits (même identifiant, autre contenu)") \
	X(records_refused, "enregistrements refusés")			\
	X(frames_in, "trames reçues")					\
	X(frame_errors, "trames rejetées (connexion fermée)")		\
	X(bytes_in, "octets reçus")					\
	X(bytes_out, "octets envoyés")					\
	X(connections_accepted, "connexions acceptées")			\
	X(connections_current, "connexions ouvertes")			\
	X(connections_refused, "connexions refusées (plafond atteint)")	\
	X(commits, "transactions validées")				\
	X(commit_records, "enregistrements passés par une transaction")	\
	X(commit_errors, "transactions en échec (rien n'a été acquitté)")

struct stats {
#define STATS_FIELD(name, help) _Atomic uint64_t name;
	STATS_COUNTERS(STATS_FIELD)
#undef STATS_FIELD
};

extern struct stats stats;

#define STATS_ADD(name, n)						\
	atomic_fetch_add_explicit(&stats.name, (n), memory_order_relaxed)
#define STATS_SUB(name, n)						\
	atomic_fetch_sub_explicit(&stats.name, (n), memory_order_relaxed)

/* Calls emit once per counter, in list order. */
void	stats_dump(void (*emit)(void *, const char *name, uint64_t value,
	    const char *help), void *arg);

#endif
