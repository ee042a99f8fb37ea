/*
 * stats.h — the daemon's counters, one X-macro list. The same list serves
 * ctg-admin stats, the logs and (later) /metrics.
 */
#ifndef CTG_STATS_H
#define CTG_STATS_H

#include <stdatomic.h>
#include <stdint.h>

/* name, Prometheus type, French help */
#define STATS_COUNTERS(X)						\
	X(records_accepted, counter, "enregistrements acceptés (envois, "\
	    "révisions, annulations, éléments)")				\
	X(records_duplicate, counter, "doublons (déjà enregistrés, "	\
	    "comptés une fois)")					\
	X(records_conflict, counter, "conflits (même identifiant, autre "\
	    "contenu)")							\
	X(records_refused, counter, "enregistrements refusés")		\
	X(frames_in, counter, "trames reçues")				\
	X(frame_errors, counter, "trames rejetées (connexion fermée)")	\
	X(bytes_in, counter, "octets reçus")				\
	X(bytes_out, counter, "octets envoyés")				\
	X(connections_accepted, counter, "connexions acceptées")	\
	X(connections_current, gauge, "connexions ouvertes")		\
	X(connections_refused, counter, "connexions refusées (plafond "	\
	    "atteint)")							\
	X(commits, counter, "transactions validées")			\
	X(commit_records, counter, "enregistrements passés par une "	\
	    "transaction")						\
	X(commit_errors, counter, "transactions en échec (rien n'a été "\
	    "acquitté)")						\
	X(store_failing, gauge, "1 tant que les écritures échouent (disque "\
	    "plein, erreur d'entrée-sortie), sinon 0")			\
	X(http_requests, counter, "requêtes HTTP reçues")		\
	X(http_errors, counter, "requêtes HTTP en erreur")		\
	X(http_connections_accepted, counter, "connexions HTTP "	\
	    "acceptées")						\
	X(http_connections_current, gauge, "connexions HTTP ouvertes")	\
	X(memory_held, gauge, "octets de trames et de requêtes "	\
	    "partielles en mémoire")					\
	X(memory_sheds, counter, "connexions fermées pour tenir le "	\
	    "budget de mémoire")

struct stats {
#define STATS_FIELD(name, type, help) _Atomic uint64_t name;
	STATS_COUNTERS(STATS_FIELD)
#undef STATS_FIELD
};

extern struct stats stats;

#define STATS_ADD(name, n)						\
	atomic_fetch_add_explicit(&stats.name, (n), memory_order_relaxed)
#define STATS_SET(name, n)						\
	atomic_store_explicit(&stats.name, (n), memory_order_relaxed)
#define STATS_SUB(name, n)						\
	atomic_fetch_sub_explicit(&stats.name, (n), memory_order_relaxed)

/* Calls emit once per counter, in list order. */
void	stats_dump(void (*emit)(void *, const char *name, uint64_t value,
	    const char *help), void *arg);
/* The Prometheus type of a counter: "counter" or "gauge". */
const char *stats_type(const char *name);

#endif
