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
struct auth;
struct ssl_ctx_st;
struct query_db;
struct rollup;

#define SERVER_AUTH_SLOTS	64	/* addresses remembered for bad tokens */

/* Bad tokens from one address: counted per window, logged once per window. */
struct auth_failures {
	char		 addr[48];
	unsigned	 count;
	long long	 since;		/* s, start of the window */
	int		 logged;
};
struct event;
struct event_base;
struct evconnlistener;
struct evhttp;
struct settings;
struct store;
struct writer;

TAILQ_HEAD(conn_list, conn);
struct http_pending;
TAILQ_HEAD(http_pending_list, http_pending);

struct server {
	struct event_base	*base;
	const struct settings	*settings;
	const struct catalogue	*catalogue;
	struct writer		*writer;
	struct writer		*verifier;	/* verify, on its own connection */
	struct store		*verify_store;
	struct writer		*reader;	/* every other question */
	struct query_db		*query;		/* read-only, the reader's only */
	struct view		*view;		/* the read model */
	const char		*hold_reads;	/* $CTG_HOLD_READS, for tests */
	struct http_pending_list http_pending;	/* asked, not yet answered */
	struct rollup		*rollup;
	struct auth		*auth;
	struct ssl_ctx_st	*tls;		/* NULL: plain TCP */
	struct auth_failures	 failures[SERVER_AUTH_SLOTS];
	void			**http_conns;	/* evhttp connections seen */
	size_t			 nhttp;
	char			*plan_json;	/* GET /api/v1/plan, made once */
	char			 plan_etag[24];
	struct evconnlistener	*listener;
	struct evhttp		*http;
	struct evconnlistener	*http_listener;	/* evhttp's, not ours */
	unsigned long long	 accept_errors;	/* since the last log line */
	long long		 accept_logged;	/* s of the last log line */
	struct event		*sig_term, *sig_int, *accept_retry, *drain_check;
	struct conn_list	 conns;
	size_t			 nconns;
	uint64_t		 next_conn_id;
	int			 draining;
	int			 checking;	/* the start's quick_check runs */
	char			 damaged[1024];	/* why writes are refused */
	int			 listen_port, http_port;
};

/*
 * Binds the ports, writes the port file and starts the writer on store.
 * Returns NULL after logging why.
 */
struct server	*server_start(struct event_base *, const struct settings *,
		    const struct catalogue *, struct store *);
/*
 * A bad or missing token from addr: counted, logged once per minute per
 * address. Returns how long the caller should be slowed down, in ms.
 */
int		 server_auth_failed(struct server *, const char *addr);
/* The address of a peer "HOST:PORT" (the port cut). */
void		 server_peer_address(const char *peer, char *addr, size_t len);
/* How long a new connection from addr waits before it is read, in ms. */
int		 server_auth_penalty(struct server *, const char *addr);
/* 1 when a peer "host:port" or "host" is on the loopback. */
int		 server_is_loopback(const char *peer);

/* After the loop has ended: stops the writer and frees everything. */
void		 server_free(struct server *);

#endif
