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
struct bufferevent;
struct evconnlistener;
struct settings;
struct sockaddr;
struct store;
struct writer;

TAILQ_HEAD(conn_list, conn);

/*
 * A connection's share of the memory budget: the bytes it holds in a
 * frame or request still arriving. Embedded in struct conn and struct
 * httpd_conn; shed closes the connection, telling its peer why.
 */
struct server_holder {
	TAILQ_ENTRY(server_holder) entry;
	size_t		 held;
	void		(*shed)(struct server_holder *);
};
TAILQ_HEAD(server_holders, server_holder);
struct httpd_conn;
TAILQ_HEAD(httpd_list, httpd_conn);
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
	struct httpd_list	 http_conns;	/* oldest first */
	size_t			 nhttp;
	struct server_holders	 holders;	/* every connection's share */
	size_t			 held;		/* their sum, in bytes */
	size_t			 held_peak;	/* since memory was last trimmed */
	int			 shedding;	/* inside the shedding loop */
	char			*plan_json;	/* GET /api/v1/plan, made once */
	char			 plan_etag[24];
	struct evconnlistener	*listener;
	struct evconnlistener	*http_listener;
	unsigned long long	 accept_errors;	/* since the last log line */
	long long		 accept_logged;	/* s of the last log line */
	struct event		*sig_term, *sig_int, *accept_retry, *drain_check;
	struct event		*trim;		/* memory back after a burst */
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
/* How long a new connection from addr waits before it is read, in ms. */
int		 server_auth_penalty(struct server *, const char *addr);
/* 1 when a peer "host:port" or "host" is on the loopback. */
int		 server_is_loopback(const char *peer);

/*
 * A connection's bufferevent on fd, TLS when the server has a
 * certificate; NULL (fd left open) on failure.
 */
struct bufferevent *server_bufferevent(struct server *, int fd);
/* "HOST:PORT" ("[::1]:PORT" for IPv6) and the address alone. */
void		 server_peer_name(const struct sockaddr *, unsigned salen,
		    char *peer, size_t peerlen, char *addr, size_t addrlen);
/* A new connection's share (0 bytes); shed closes it, telling why. */
void		 server_holder_add(struct server *, struct server_holder *,
		    void (*shed)(struct server_holder *));
/* A closed connection's share, given back. */
void		 server_holder_remove(struct server *, struct server_holder *);
/*
 * A connection now holds bytes. Past the memory budget the connections
 * holding the most are shed (this one may be among them); after a burst
 * the memory is given back to the system.
 */
void		 server_holder_set(struct server *, struct server_holder *,
		    size_t bytes);

/* After the loop has ended: stops the writer and frees everything. */
void		 server_free(struct server *);

#endif
