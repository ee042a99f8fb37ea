/*
 * http.h — the coordinator's HTTP API on evhttp: JSON and French CSV under
 * /api/v1/, /metrics for Prometheus. Errors are JSON with a fitting
 * status and a French message.
 */
#ifndef CTG_HTTP_H
#define CTG_HTTP_H

struct evhttp_request;

struct server;

/* The evhttp general callback; arg is the struct server. */
void	http_request(struct evhttp_request *, void *arg);
/*
 * Frees the answers still awaited from the reader, once it has stopped
 * (their connections are gone with evhttp_free).
 */
void	http_pending_free(struct server *);
/* Every method evhttp knows: all reach http_request, to be told in JSON. */
int	http_all_methods(void);

#endif
