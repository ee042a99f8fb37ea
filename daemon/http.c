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

#include "auth.h"
#include "catalogue.h"
#include "export.h"
#include "http.h"
#include "log.h"
#include "query.h"
#include "report.h"
#include "record.h"
#include "server.h"
#include "settings.h"
#include "stats.h"
#include "utf8.h"
#include "wire.h"
#include "writer.h"

enum http_format {
	HTTP_JSON,
	HTTP_CSV,
};

struct http_call {
	struct server		*srv;
	struct evhttp_request	*req;
	enum http_format	 format;
	struct evkeyvalq	 params;
};

/*
 * A question handed to the reader; req is NULL once its connection went
 * away (http_closed), and the answer is then dropped.
 */
struct http_pending {
	TAILQ_ENTRY(http_pending) entry;
	struct server		*srv;
	struct evhttp_request	*req;
	struct evhttp_connection *ec;
	enum http_format	 format;
};

/*
 * Every route but /metrics asks query.c one question: kind, with the path's
 * rest as key (less a suffix the route requires), and the window from
 * ?from=&to=. Where csv is set, "NAME.csv" answers in CSV.
 */
static const struct http_route {
	const char	*prefix;
	int		 exact;		/* the whole path, not a prefix */
	const char	*kind;		/* NULL: /metrics */
	const char	*suffix;	/* required after the key */
	char		*(*csv)(json_object *);
} http_routes[] = {
	{ "/api/v1/sheets", 1, "overview", NULL, export_overview_csv },
	{ "/api/v1/sheets/", 0, "sheet", NULL, export_sheet_csv },
	{ "/api/v1/axes/", 0, "axis", NULL, export_overview_csv },
	{ "/api/v1/communes/", 0, "commune", NULL, export_commune_csv },
	{ "/api/v1/indicators/", 0, "records", "/records",
	  export_records_csv },
	{ "/api/v1/records/", 0, "revisions", NULL, NULL },
	{ "/api/v1/rollups/", 0, "rollup", NULL, report_csv },
	{ "/api/v1/completeness", 1, "completeness", NULL,
	  export_completeness_csv },
	{ "/metrics", 1, NULL, NULL, NULL },
};

/*
 * Sends body as it is when it is valid UTF-8 (all we build is); else, so
 * that a slip upstream still gives text a client can read, sanitized and
 * logged.
 */
static void
http_send(struct http_call *c, int status, const char *type,
    const char *body)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 len = strlen(body);
	char		*clean = NULL;

	if (b == NULL) {
		evhttp_send_error(c->req, 503, NULL);
		return;
	}
	if (!utf8_valid(body, len)) {
		log_warn("event=http_invalid_utf8 status=%d bytes=%zu", status,
		    len);
		if ((clean = malloc(len * 3 + 1)) != NULL)
			len = utf8_sanitize(body, len, clean, len * 3 + 1);
		body = clean != NULL ? clean : "";
		len = clean != NULL ? len : 0;
	}
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Content-Type", type);
	evbuffer_add(b, body, len);
	evhttp_send_reply(c->req, status, status == 200 ? "OK" : "Erreur", b);
	evbuffer_free(b);
	free(clean);
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

/* The answer of query.c, in JSON, or in CSV made by the reader. */
static void
http_answer(struct http_call *c, const char *text, int csv)
{
	if (!csv) {
		http_send(c, 200, "application/json; charset=utf-8", text);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Content-Disposition", "attachment");
	http_send(c, 200, "text/csv; charset=utf-8", text);
}

/* On the loop, once the reader has answered: to the client, if still there. */
static void
http_answered(struct writer_job *j, void *arg)
{
	struct http_pending	*p = j->owner;
	struct http_call	 c = { .srv = arg, .req = p->req,
				    .format = p->format };

	if (p->req != NULL && j->document != NULL)
		http_answer(&c, j->document, j->csv != NULL);
	else if (p->req != NULL)
		http_error(&c, j->status ? j->status : 500, j->error ?
		    j->error : "question sans réponse");
	TAILQ_REMOVE(&p->srv->http_pending, p, entry);
	free(p);
	writer_job_free(j);
}

static const char *
http_strdup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strdup(a, s) : NULL;
}

/*
 * Hands the question to the reader; the answer goes out from
 * http_answered. The query's strings are copied: the request's own go
 * when this callback returns.
 */
static void
http_document(struct http_call *c, const struct query *q,
    char *(*csv)(json_object *))
{
	struct request		 rq = { .kind = REQUEST_QUERY };
	struct http_pending	*p;
	struct writer_job	*j = NULL;

	rq.query.kind = http_strdup(&rq.arena, q->kind);
	rq.query.key = http_strdup(&rq.arena, q->key);
	rq.query.from = http_strdup(&rq.arena, q->from);
	rq.query.to = http_strdup(&rq.arena, q->to);
	if (rq.query.kind == NULL || (p = calloc(1, sizeof(*p))) == NULL) {
		request_free(&rq);
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	if ((j = writer_job_new(&rq, p)) == NULL) {
		request_free(&rq);
		free(p);
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	*p = (struct http_pending){ .srv = c->srv, .req = c->req,
	    .ec = evhttp_request_get_connection(c->req), .format = c->format };
	j->done = http_answered;
	/* The table is made on the reader's thread, from the document. */
	j->csv = c->format == HTTP_CSV ? csv : NULL;
	TAILQ_INSERT_TAIL(&c->srv->http_pending, p, entry);
	writer_push(c->srv->reader, j);
}

void
http_pending_free(struct server *srv)
{
	struct http_pending	*p;

	while ((p = TAILQ_FIRST(&srv->http_pending)) != NULL) {
		TAILQ_REMOVE(&srv->http_pending, p, entry);
		free(p);
	}
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

static void
http_closed(struct evhttp_connection *ec, void *arg)
{
	struct server		*srv = arg;
	struct http_pending	*p;
	size_t			 i;

	/* Its requests go with it: their answers will have nowhere to go. */
	TAILQ_FOREACH(p, &srv->http_pending, entry)
		if (p->ec == ec)
			p->req = NULL;
	for (i = 0; i < srv->nhttp; i++)
		if (srv->http_conns[i] == ec) {
			srv->http_conns[i] = srv->http_conns[--srv->nhttp];
			return;
		}
}

/*
 * evhttp in libevent 2.1 has no connection cap: connections are counted
 * from their first request to their close, and one over the cap is told
 * so and closed. 1 when the request may go on.
 */
static int
http_admit(struct http_call *c)
{
	struct evhttp_connection	*ec = evhttp_request_get_connection(c->req);
	struct server			*srv = c->srv;
	size_t				 i;

	for (i = 0; i < srv->nhttp; i++)
		if (srv->http_conns[i] == ec)
			return 1;
	if (srv->nhttp >= (size_t)srv->settings->http_max_connections) {
		evhttp_add_header(evhttp_request_get_output_headers(c->req),
		    "Connection", "close");
		http_error(c, 503, "trop de connexions HTTP ouvertes : "
		    "réessayez dans un moment");
		return 0;
	}
	if (srv->nhttp % 64 == 0) {
		void **v = realloc(srv->http_conns, (srv->nhttp + 64) *
		    sizeof(*v));

		if (v == NULL) {
			http_error(c, 503, "mémoire insuffisante");
			return 0;
		}
		srv->http_conns = v;
	}
	srv->http_conns[srv->nhttp++] = ec;
	evhttp_connection_set_closecb(ec, http_closed, srv);
	return 1;
}

/* "Authorization: Bearer HEX" into a secret; its length, or 0. */
static size_t
http_bearer(struct evhttp_request *req, uint8_t *secret, size_t max)
{
	const char	*h = evhttp_find_header(
			    evhttp_request_get_input_headers(req),
			    "Authorization");
	size_t		 n = 0;
	unsigned	 byte;

	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return 0;
	for (h += 7; h[0] != '\0' && h[1] != '\0' && n < max; h += 2) {
		if (sscanf(h, "%2x", &byte) != 1)
			return 0;
		secret[n++] = (uint8_t)byte;
	}
	return h[0] == '\0' ? n : 0;
}

/*
 * Reading needs the coordinator's or the admin's token; in protected mode
 * (no token at all) only local clients are served. 1 when allowed.
 */
static int
http_allowed(struct http_call *c)
{
	struct evhttp_connection	*ec = evhttp_request_get_connection(c->req);
	struct auth_caller		 caller;
	uint8_t				 secret[64];
	char				*host = NULL;
	ev_uint16_t			 port;
	size_t				 n;

	evhttp_connection_get_peer(ec, &host, &port);
	if (auth_protected(c->srv->auth)) {
		if (host != NULL && server_is_loopback(host))
			return 1;
		http_error(c, 403, "mode protégé : aucun jeton n'est configuré "
		    "sur ce serveur, seules les connexions locales sont "
		    "acceptées");
		return 0;
	}
	n = http_bearer(c->req, secret, sizeof(secret));
	auth_identify(c->srv->auth, n ? secret : NULL, n, &caller);
	if (auth_allows(c->srv->auth, &caller, AUTH_OP_READ))
		return 1;
	if (caller.role == AUTH_NONE) {
		server_auth_failed(c->srv, host ? host : "?");
		evhttp_add_header(evhttp_request_get_output_headers(c->req),
		    "WWW-Authenticate", "Bearer");
		http_error(c, 401, n ? "accès refusé : jeton inconnu ou "
		    "révoqué" : "accès refusé : ce serveur demande un jeton "
		    "(en-tête Authorization: Bearer JETON)");
	} else
		http_error(c, 403, "accès refusé : le rôle de votre jeton ne "
		    "permet pas de lire les indicateurs");
	return 0;
}

/* Cuts a ".csv" ending off path; 1 when there was one. */
static int
http_cut_csv(char *path)
{
	size_t	 n = strlen(path);

	if (n > 4 && strcmp(path + n - 4, ".csv") == 0) {
		path[n - 4] = '\0';
		return 1;
	}
	return 0;
}

/*
 * Why the decoded path or query string (len bytes at s) cannot be taken:
 * a French message in buf, or NULL. A NUL would cut what query.c sees,
 * and what is not UTF-8 could not be quoted back in a JSON answer.
 */
static const char *
http_text_problem(const char *what, const char *s, size_t len, char *buf,
    size_t buflen)
{
	const char	*why;

	if ((why = utf8_text_problem(s, len)) == NULL)
		return NULL;
	snprintf(buf, buflen, "%s invalide (%s) : attendu un texte UTF-8 sans "
	    "octet nul ni caractère de contrôle, encodé en %%XX", what, why);
	return buf;
}

/* The route for path; *key is what follows its prefix (suffix cut). */
static const struct http_route *
http_route(char *path, const char **key)
{
	const struct http_route	*r;
	size_t			 i, n, m;

	for (i = 0; i < sizeof(http_routes) / sizeof(http_routes[0]); i++) {
		r = &http_routes[i];
		n = strlen(r->prefix);
		if (r->exact ? strcmp(path, r->prefix) != 0 :
		    strncmp(path, r->prefix, n) != 0 || path[n] == '\0')
			continue;
		*key = r->exact ? NULL : path + n;
		if (r->suffix == NULL)
			return r;
		m = strlen(path + n);
		if (m <= strlen(r->suffix) || strcmp(path + n + m -
		    strlen(r->suffix), r->suffix) != 0)
			continue;
		path[n + m - strlen(r->suffix)] = '\0';
		return r;
	}
	return NULL;
}

void
http_request(struct evhttp_request *req, void *arg)
{
	struct http_call		 c = { .srv = arg, .req = req };
	const struct evhttp_uri		*uri = evhttp_request_get_evhttp_uri(req);
	const struct http_route		*r;
	const char			*query, *key = NULL, *why = NULL;
	struct query			 q;
	char				*path, *decoded, esc[256], msg[256];
	size_t				 len;
	int				 csv;

	STATS_ADD(http_requests, 1);
	TAILQ_INIT(&c.params);
	if (!http_admit(&c) || !http_allowed(&c))
		return;
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		http_error(&c, 405, "méthode non prise en charge : l'API se "
		    "consulte en GET");
		return;
	}
	if (uri == NULL || evhttp_uri_get_path(uri) == NULL ||
	    (path = evhttp_uridecode(evhttp_uri_get_path(uri), 0, &len)) ==
	    NULL) {
		http_error(&c, 400, "adresse illisible");
		return;
	}
	why = http_text_problem("adresse", path, len, msg, sizeof(msg));
	query = evhttp_uri_get_query(uri);
	if (why == NULL && query != NULL) {
		/* Decoding is byte by byte: the whole holds every value. */
		if ((decoded = evhttp_uridecode(query, 1, &len)) == NULL) {
			free(path);
			http_error(&c, 503, "mémoire insuffisante");
			return;
		}
		why = http_text_problem("paramètres", decoded, len, msg,
		    sizeof(msg));
		free(decoded);
	}
	if (why != NULL) {
		http_error(&c, 400, why);
		free(path);
		return;
	}
	if (query != NULL && evhttp_parse_query_str(query, &c.params) == -1) {
		http_error(&c, 400, "paramètres illisibles : attendu "
		    "?from=AAAA-MM&to=AAAA-MM");
		free(path);
		return;
	}
	log_debug("event=http_request path=%s", log_escape(esc, sizeof(esc),
	    path));
	csv = http_cut_csv(path);
	if ((r = http_route(path, &key)) == NULL || (csv && r->csv == NULL))
		http_error(&c, 404, "route inconnue : voir /api/v1/sheets, "
		    "/api/v1/sheets/{code}, /api/v1/axes/{code}, "
		    "/api/v1/communes/{code}, /api/v1/indicators/{id}/records, "
		    "/api/v1/records/{id}, /api/v1/rollups/{AAAA-MM}, "
		    "/api/v1/completeness, /metrics ; .csv pour un tableur");
	else if (r->kind == NULL)
		http_metrics(&c);
	else {
		c.format = csv ? HTTP_CSV : HTTP_JSON;
		q = (struct query){ r->kind, key != NULL ? key :
		    evhttp_find_header(&c.params, "weeks"),
		    evhttp_find_header(&c.params, "from"),
		    evhttp_find_header(&c.params, "to") };
		http_document(&c, &q, r->csv);
	}
	evhttp_clear_headers(&c.params);
	free(path);
}
