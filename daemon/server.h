/*
 * server.h — the daemon's network side: the listener, the connections, the
 * HTTP port, signals and the orderly shutdown.
 */
#ifndef CTG_SERVER_H
#define CTG_SERVER_H

#include <sys/queue.h>
#include <stddef.h>
#include <stdint.h>

struct catalogue;
struct conn;
struct query_db;
struct rollup;
struct event;
struct event_base;
struct evconnlistener;
struct evhttp;
struct settings;
struct store;
struct writer;

TAILQ_HEAD(conn_list, conn);

struct server {
	struct event_base	*base;
	const struct settings	*settings;
	const struct catalogue	*catalogue;
	struct writer		*writer;
	struct writer		*verifier;	/* verify, on its own connection */
	struct store		*verify_store;
	struct query_db		*query;		/* read-only, on the loop */
	struct rollup		*rollup;
	void			**http_conns;	/* evhttp connections seen */
	size_t			 nhttp;
	struct evconnlistener	*listener;
	struct evhttp		*http;
	struct event		*sig_term, *sig_int, *accept_retry, *drain_check;
	struct conn_list	 conns;
	size_t			 nconns;
	uint64_t		 next_conn_id;
	int			 draining;
	int			 listen_port, http_port;
};

/*
 * Binds the ports, writes the port file and starts the writer on store.
 * Returns NULL after logging why.
 */
struct server	*server_start(struct event_base *, const struct settings *,
		    const struct catalogue *, struct store *);
/* After the loop has ended: stops the writer and frees everything. */
void		 server_free(struct server *);

#endif
