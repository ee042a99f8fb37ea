/*
 * httpd.h — the HTTP port's connections: accepted under caps, requests
 * read within a deadline and the memory budget, answers written. What a
 * request asks is http.c's business; this module only carries it.
 */
#ifndef CTG_HTTPD_H
#define CTG_HTTPD_H

#include <sys/socket.h>
#include <stddef.h>

#include <event2/util.h>

struct server;
struct httpd_req;

/* Takes over fd (the HTTP listener's accept); on failure closes it. */
void		 httpd_accept(struct server *, evutil_socket_t fd,
		    const struct sockaddr *, socklen_t);

/* What a request carries; valid until httpd_send. */
int		 httpd_method(const struct httpd_req *);
const char	*httpd_target(const struct httpd_req *);
/* A header field of the request (any case), or NULL. */
const char	*httpd_header(const struct httpd_req *, const char *name);
/* The body, NUL-terminated after its len bytes. */
const char	*httpd_body(const struct httpd_req *, size_t *len);
/*
 * The peer's address without its port ("192.0.2.7", "::1"); "?" once
 * the connection went away.
 */
const char	*httpd_peer(const struct httpd_req *);

/* A header field of the answer; one whose name is already set is kept. */
void		 httpd_add_header(struct httpd_req *, const char *name,
		    const char *value);
int		 httpd_has_header(const struct httpd_req *, const char *name);
/*
 * The request showed a valid token: its connection leaves the
 * unauthenticated budget (never evicted to make room, usual idle time).
 */
void		 httpd_authenticated(struct httpd_req *);
/*
 * Answers: status, the headers added, Content-Length, then len bytes of
 * body (none for HEAD and 304). Exactly once per request, which it
 * frees; when its connection went away meanwhile, only frees it. A
 * "Connection: close" header closes the connection once written.
 */
void		 httpd_send(struct httpd_req *, int status, const char *body,
		    size_t len);
/* Frees a request never answered (shutdown, after the threads stopped). */
void		 httpd_abandon(struct httpd_req *);

/* Shutdown: no new request is read; idle connections are closed. */
void		 httpd_stop_reading_all(struct server *);
/* Shutdown: 1 when every answer due has been written. */
int		 httpd_all_flushed(struct server *);
/* Closes every connection (end of shutdown). */
void		 httpd_close_all(struct server *);

#endif
