/*
 * http.h — the coordinator's HTTP API on evhttp: JSON and French CSV under
 * /api/v1/, /metrics for Prometheus. Errors are JSON with a fitting
 * status and a French message.
 */
#ifndef CTG_HTTP_H
#define CTG_HTTP_H

struct evhttp_request;

/* The evhttp general callback; arg is the struct server. */
void	http_request(struct evhttp_request *, void *arg);

#endif
