/*
 * http.h — the HTTP API: the web app's files, JSON and French CSV under
 * /api/v1/, /metrics for Prometheus. Errors are JSON with a fitting
 * status and a French message, those of the transport (httpd.c) too.
 */
#ifndef CTG_HTTP_H
#define CTG_HTTP_H

#include <stddef.h>

struct evkeyvalq;
struct httpd_req;
struct server;

/* A whole request from httpd.c: routed, and answered once. */
void	http_request(struct server *, struct httpd_req *);
/* A request httpd.c refuses (framing, limits, time): JSON with why. */
void	http_refused(struct server *, struct httpd_req *, int status,
	    const char *why);
/*
 * Reads a request-target: its path, decoded (malloc'd, into *path), and
 * its parameters. NULL, or why it cannot be read (French; may be buf's):
 * a 400. Pure.
 */
const char *http_target_read(const char *target, char **path,
	    struct evkeyvalq *params, char *buf, size_t buflen);
/*
 * Frees the answers still awaited from the reader and the writer, once
 * they have stopped, with their requests.
 */
void	http_pending_free(struct server *);

#endif
