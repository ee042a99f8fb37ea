/*
 * http.c — routes of the HTTP API, walked as a table. Every answer is
 * built by the same query code as the record protocol's (query.c), so
 * that ctg-query --json and GET /api/v1/... say the same thing.
 */
#include <sys/queue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>

#include "catalogue.h"
#include "export.h"
#include "http.h"
#include "log.h"
#include "query.h"
#include "record.h"
#include "server.h"
#include "stats.h"

enum http_format {
	HTTP_JSON,
	HTTP_CSV,
};

struct http_call {
	struct server		*srv;
	struct evhttp_request	*req;
	const char		*rest;		/* path after the route's prefix */
	enum http_format	 format;
	struct evkeyvalq	 params;
};

typedef void	(*http_fn)(struct http_call *);

static void	http_sheets(struct http_call *);
static void	http_sheet(struct http_call *);
static void	http_record(struct http_call *);
static void	http_metrics(struct http_call *);

static const struct http_route {
	const char	*prefix;
	int		 exact;		/* the whole path, not a prefix */
	http_fn		 fn;
} http_routes[] = {
	{ "/api/v1/sheets", 1, http_sheets },
	{ "/api/v1/sheets.csv", 1, http_sheets },
	{ "/api/v1/sheets/", 0, http_sheet },
	{ "/api/v1/records/", 0, http_record },
	{ "/metrics", 1, http_metrics },
};

static void
http_send(struct http_call *c, int status, const char *type,
    const char *body)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL) {
		evhttp_send_error(c->req, 503, NULL);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Content-Type", type);
	evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(c->req, status, status == 200 ? "OK" : "Erreur", b);
	evbuffer_free(b);
}

static void
http_error(struct http_call *c, int status, const char *message)
{
	json_object	*o = json_object_new_object();

	STATS_ADD(http_errors, 1);
	json_object_object_add(o, "erreur", json_object_new_string(message));
	json_object_object_add(o, "statut", json_object_new_int(status));
	http_send(c, status, "application/json; charset=utf-8",
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Asks query.c, then answers in JSON, or in CSV through export. */
static void
http_document(struct http_call *c, const struct query *q,
    char *(*csv)(json_object *))
{
	const char	*error = NULL;
	char		*json = query_answer(c->srv->query, q, date_today(),
			    &error), *text;
	json_object	*o;

	if (json == NULL) {
		http_error(c, query_status(c->srv->query), error);
		return;
	}
	if (c->format == HTTP_JSON || csv == NULL) {
		http_send(c, 200, "application/json; charset=utf-8", json);
		free(json);
		return;
	}
	o = json_tokener_parse(json);
	free(json);
	if (o == NULL || (text = csv(o)) == NULL) {
		json_object_put(o);
		http_error(c, 500, "export CSV impossible");
		return;
	}
	json_object_put(o);
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Content-Disposition", "attachment");
	http_send(c, 200, "text/csv; charset=utf-8", text);
	free(text);
}

static void
http_window(struct http_call *c, struct query *q)
{
	q->from = evhttp_find_header(&c->params, "from");
	q->to = evhttp_find_header(&c->params, "to");
}

static void
http_sheets(struct http_call *c)
{
	struct query	 q = { .kind = "overview" };

	http_window(c, &q);
	http_document(c, &q, export_overview_csv);
}

static void
http_sheet(struct http_call *c)
{
	struct query	 q = { .kind = "sheet", .key = c->rest };

	http_window(c, &q);
	http_document(c, &q, export_sheet_csv);
}

static void
http_record(struct http_call *c)
{
	struct query	 q = { .kind = "revisions", .key = c->rest };

	http_document(c, &q, NULL);
}

static void
http_metric(void *arg, const char *name, uint64_t value, const char *help)
{
	struct evbuffer	*b = arg;

	evbuffer_add_printf(b, "# HELP ctgd_%s %s\n# TYPE ctgd_%s %s\n"
	    "ctgd_%s %llu\n", name, help, name, stats_type(name), name,
	    (unsigned long long)value);
}

static void
http_metrics(struct http_call *c)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL) {
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	stats_dump(http_metric, b);
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evhttp_send_reply(c->req, 200, "OK", b);
	evbuffer_free(b);
}

/* "/x.csv" asks for CSV: the suffix goes, the format stays. */
static enum http_format
http_format(char *path)
{
	size_t	 n = strlen(path);

	if (n > 4 && strcmp(path + n - 4, ".csv") == 0) {
		path[n - 4] = '\0';
		return HTTP_CSV;
	}
	return HTTP_JSON;
}

void
http_request(struct evhttp_request *req, void *arg)
{
	struct http_call		 c = { .srv = arg, .req = req };
	const struct evhttp_uri		*uri = evhttp_request_get_evhttp_uri(req);
	const struct http_route		*r;
	const char			*query;
	char				*path, esc[256];
	size_t				 i, n;

	STATS_ADD(http_requests, 1);
	TAILQ_INIT(&c.params);
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		http_error(&c, 405, "méthode non prise en charge : l'API se "
		    "consulte en GET");
		return;
	}
	if (uri == NULL || evhttp_uri_get_path(uri) == NULL ||
	    (path = evhttp_uridecode(evhttp_uri_get_path(uri), 0, NULL)) ==
	    NULL) {
		http_error(&c, 400, "adresse illisible");
		return;
	}
	if ((query = evhttp_uri_get_query(uri)) != NULL &&
	    evhttp_parse_query_str(query, &c.params) == -1) {
		http_error(&c, 400, "paramètres illisibles : attendu "
		    "?from=AAAA-MM&to=AAAA-MM");
		free(path);
		return;
	}
	log_debug("event=http_request path=%s", log_escape(esc, sizeof(esc),
	    path));
	for (i = 0; i < sizeof(http_routes) / sizeof(http_routes[0]); i++) {
		r = &http_routes[i];
		n = strlen(r->prefix);
		if (r->exact ? strcmp(path, r->prefix) != 0 :
		    strncmp(path, r->prefix, n) != 0 || path[n] == '\0')
			continue;
		c.rest = path + n;
		c.format = http_format(path + (r->exact ? 0 : n));
		if (r->exact && c.format == HTTP_CSV)
			c.rest = path;
		r->fn(&c);
		goto out;
	}
	http_error(&c, 404, "route inconnue : voir /api/v1/sheets, "
	    "/api/v1/sheets/{code}, /api/v1/records/{id}, /metrics");
out:
	evhttp_clear_headers(&c.params);
	free(path);
}
