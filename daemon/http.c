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
#include <event2/http.h>		/* its URI and query helpers only */
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>

#include "auth.h"
#include "catalogue.h"
#include "export.h"
#include "intake.h"
#include "http.h"
#include "http_parse.h"
#include "httpd.h"
#include "log.h"
#include "plan_json.h"
#include "query.h"
#include "report.h"
#include "record.h"
#include "record_json.h"
#include "server.h"
#include "settings.h"
#include "stats.h"
#include "utf8.h"
#include "web.h"
#include "wire.h"
#include "writer.h"

enum http_format {
	HTTP_JSON,
	HTTP_CSV,	/* NAME.csv */
	HTTP_XLSX,	/* NAME.xlsx: a workbook */
	HTTP_HTML,	/* NAME.html: a page to print */
	HTTP__FORMATS
};

/* Each format: the path's ending, how it is sent. */
static const struct {
	const char	*ending;		/* NULL: JSON, no ending */
	const char	*type;
	int		 text;			/* checked to be UTF-8 */
	int		 attachment;		/* a file to keep */
	const char	*policy;		/* its own CSP header */
} http_formats[HTTP__FORMATS] = {
	[HTTP_JSON] = { NULL, "application/json; charset=utf-8", 1, 0, NULL },
	[HTTP_CSV] = { ".csv", "text/csv; charset=utf-8", 1, 1, NULL },
	[HTTP_XLSX] = { ".xlsx", "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", 0, 1, NULL },
	/* A report styles itself inline, and runs nothing. */
	[HTTP_HTML] = { ".html", "text/html; charset=utf-8", 1, 0,
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:" },
};

#define HTTP_READ	(HTTP_GET | HTTP_HEAD)

/* What a route does. */
enum http_action {
	HA_QUERY,	/* asks query.c: kind, key, window */
	HA_METRICS,
	HA_WRITE,	/* records, amend, void, evidence: to the writer */
	HA_PLAN,	/* what a form validates against */
	HA_SESSION,	/* who the token is */
};

struct http_call {
	struct server		*srv;
	struct httpd_req	*req;
	enum http_format	 format;
	struct evkeyvalq	 params;
	struct auth_caller	 caller;
	uint64_t		 allowed;	/* structures it writes; 0: any */
};

/*
 * A question handed to the reader, or writes to the writer. Its request
 * stays valid until answered, even when its connection went away
 * (httpd_send then only frees it).
 */
struct http_pending {
	TAILQ_ENTRY(http_pending) entry;
	struct server		*srv;
	struct httpd_req	*req;
	enum http_format	 format;
};

/*
 * The routes, first match wins: a path with a suffix (…/amend) before
 * the bare prefix. Routes a path matches but whose methods differ make
 * the 405's Allow. Where book is set, "NAME.csv" answers its first table
 * in CSV and "NAME.xlsx" all its tables as a workbook; where html is,
 * "NAME.html" a page to print.
 */
static const struct http_route {
	const char		*prefix;
	int			 exact;		/* the whole path, not a prefix */
	const char		*suffix;	/* required after the key */
	int			 methods;
	enum auth_op		 op;
	enum http_action	 action;
	const char		*kind;		/* HA_QUERY */
	enum request_kind	 write;		/* HA_WRITE */
	export_fn		*book;
	char			*(*html)(const struct catalogue *,
				    json_object *);
} http_routes[] = {
	{ "/api/v1/records", 1, NULL, HTTP_POST, AUTH_OP_WRITE, HA_WRITE,
	  NULL, REQUEST_SUBMIT, NULL, NULL },
	{ "/api/v1/records/", 0, "/amend", HTTP_POST, AUTH_OP_WRITE,
	  HA_WRITE, NULL, REQUEST_AMEND, NULL, NULL },
	{ "/api/v1/records/", 0, "/void", HTTP_POST, AUTH_OP_WRITE, HA_WRITE,
	  NULL, REQUEST_VOID, NULL, NULL },
	{ "/api/v1/evidence", 1, NULL, HTTP_POST, AUTH_OP_EVIDENCE, HA_WRITE,
	  NULL, REQUEST_EVIDENCE, NULL, NULL },
	{ "/api/v1/records/", 0, NULL, HTTP_READ, AUTH_OP_READ_OWN, HA_QUERY,
	  "revisions", 0, NULL, NULL },
	{ "/api/v1/structures/", 0, "/records", HTTP_READ, AUTH_OP_READ_OWN,
	  HA_QUERY, "recent", 0, NULL, NULL },
	{ "/api/v1/plan", 1, NULL, HTTP_READ, AUTH_OP_READ_OWN, HA_PLAN,
	  NULL, 0, NULL, NULL },
	{ "/api/v1/session", 1, NULL, HTTP_READ, AUTH_OP_PING, HA_SESSION,
	  NULL, 0, NULL, NULL },
	{ "/api/v1/sheets", 1, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "overview", 0, export_overview, NULL },
	{ "/api/v1/sheets/", 0, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "sheet", 0, export_sheet, NULL },
	{ "/api/v1/axes/", 0, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "axis", 0, export_overview, NULL },
	{ "/api/v1/communes/", 0, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "commune", 0, export_commune, NULL },
	{ "/api/v1/indicators/", 0, "/records", HTTP_READ, AUTH_OP_READ,
	  HA_QUERY, "records", 0, export_records, NULL },
	{ "/api/v1/rollups/", 0, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "rollup", 0, export_rollup, report_html },
	{ "/api/v1/copil/", 0, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "copil", 0, export_copil, report_copil_html },
	{ "/api/v1/completeness", 1, NULL, HTTP_READ, AUTH_OP_READ, HA_QUERY,
	  "completeness", 0, export_completeness, NULL },
	{ "/metrics", 1, NULL, HTTP_READ, AUTH_OP_READ, HA_METRICS, NULL, 0,
	  NULL, NULL },
};

/* The headers every answer carries. */
static void
http_common_headers(struct httpd_req *req)
{
	httpd_add_header(req, "X-Content-Type-Options", "nosniff");
	/* A printed report brings its own (inline styles, nothing else). */
	httpd_add_header(req, "Content-Security-Policy", "default-src 'self'; "
	    "frame-ancestors 'none'");
	httpd_add_header(req, "Referrer-Policy", "no-referrer");
}

/* Sends len bytes of body with status (a HEAD's length is the GET's). */
static void
http_reply(struct httpd_req *req, int status, const char *type,
    const char *body, size_t len)
{
	http_common_headers(req);
	if (type != NULL)
		httpd_add_header(req, "Content-Type", type);
	httpd_send(req, status, body, len);
}

/*
 * Sends body as it is when it is valid UTF-8 (all we build is); else, so
 * that a slip upstream still gives text a client can read, sanitized and
 * logged.
 */
static void
http_send(struct http_call *c, int status, const char *type,
    const char *body)
{
	size_t		 len = strlen(body);
	char		*clean = NULL;

	if (!utf8_valid(body, len)) {
		log_warn("event=http_invalid_utf8 status=%d bytes=%zu", status,
		    len);
		if ((clean = malloc(len * 3 + 1)) != NULL)
			len = utf8_sanitize(body, len, clean, len * 3 + 1);
		body = clean != NULL ? clean : "";
		len = clean != NULL ? len : 0;
	}
	http_reply(c->req, status, type, body, len);
	free(clean);
}

static void
http_error(struct http_call *c, int status, const char *message)
{
	json_object	*o = json_object_new_object();

	STATS_ADD(http_errors, 1);
	json_object_object_add(o, "erreur", json_object_new_string(message));
	json_object_object_add(o, "statut", json_object_new_int(status));
	httpd_add_header(c->req, "Cache-Control", "no-store");
	http_send(c, status, "application/json; charset=utf-8",
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/*
 * A read's answer with its entity tag: 304 and no body when the client
 * holds it already. Private: a cache between must not keep it.
 */
static void
http_tagged(struct http_call *c, enum http_format f, const char *body,
    size_t len, const char *etag)
{
	const char	*type = http_formats[f].type;
	const char	*held = httpd_header(c->req, "If-None-Match");
	char		 tag[WEB_ETAG_LEN];

	if (etag == NULL) {
		web_etag(body, len, tag);
		etag = tag;
	}
	httpd_add_header(c->req, "ETag", etag);
	httpd_add_header(c->req, "Cache-Control", "private, no-cache");
	if (held != NULL && (strcmp(held, etag) == 0 || strcmp(held, "*") ==
	    0)) {
		http_reply(c->req, 304, NULL, NULL, 0);
		return;
	}
	/* Text is checked to be UTF-8; a workbook is bytes. */
	if (!http_formats[f].text || utf8_valid(body, len))
		http_reply(c->req, 200, type, body, len);
	else
		http_send(c, 200, type, body);
}

/* The answer of query.c, in JSON, or as a file or page the reader made. */
static void
http_answer(struct http_call *c, const char *text, size_t len)
{
	if (http_formats[c->format].attachment)
		httpd_add_header(c->req, "Content-Disposition", "attachment");
	if (http_formats[c->format].policy != NULL)
		httpd_add_header(c->req, "Content-Security-Policy",
		    http_formats[c->format].policy);
	http_tagged(c, c->format, text, len, NULL);
}

/* Keeps p until its job is done; NULL out of memory. */
static struct http_pending *
http_pending_new(struct http_call *c)
{
	struct http_pending	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	*p = (struct http_pending){ .srv = c->srv, .req = c->req,
	    .format = c->format };
	TAILQ_INSERT_TAIL(&c->srv->http_pending, p, entry);
	return p;
}

static void
http_pending_done(struct http_pending *p, struct writer_job *j)
{
	TAILQ_REMOVE(&p->srv->http_pending, p, entry);
	free(p);
	writer_job_free(j);
}

/* On the loop, once the reader has answered: to the client, if still there. */
static void
http_answered(struct writer_job *j, void *arg)
{
	struct http_pending	*p = j->owner;
	struct http_call	 c = { .srv = arg, .req = p->req,
				    .format = p->format };

	if (j->document != NULL)
		http_answer(&c, j->document, j->document_len);
	else
		http_error(&c, j->status ? j->status : 500, j->error ?
		    j->error : "question sans réponse");
	http_pending_done(p, j);
}

/* The acks of a write job, as the write API answers them. */
static void
http_acks(struct http_call *c, struct writer_job *j)
{
	size_t	 n = j->req.nrecords ? j->req.nrecords : 1;
	char	*text = record_json_acks(j->acks, n);

	intake_count(j->acks, n);
	if (text == NULL) {
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	httpd_add_header(c->req, "Cache-Control", "no-store");
	http_send(c, 200, "application/json; charset=utf-8", text);
	free(text);
}

/* On the loop, once the writer has committed: the acks, if still there. */
static void
http_written(struct writer_job *j, void *arg)
{
	struct http_pending	*p = j->owner;
	struct http_call	 c = { .srv = arg, .req = p->req };

	http_acks(&c, j);
	http_pending_done(p, j);
}

/* Hands j to thread w; done answers once it has run. */
static void
http_hand(struct http_call *c, struct writer_job *j, struct writer *w,
    writer_done_cb done)
{
	struct http_pending	*p;

	if ((p = http_pending_new(c)) == NULL) {
		writer_job_free(j);
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	j->owner = p;
	j->done = done;
	writer_push(w, j);
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
    const struct http_route *r)
{
	struct request		 rq = { .kind = REQUEST_QUERY };
	struct writer_job	*j = NULL;

	rq.query.kind = http_strdup(&rq.arena, q->kind);
	rq.query.key = http_strdup(&rq.arena, q->key);
	rq.query.from = http_strdup(&rq.arena, q->from);
	rq.query.to = http_strdup(&rq.arena, q->to);
	rq.query.only = q->only;
	if (rq.query.kind == NULL || (j = writer_job_new(&rq, NULL)) == NULL) {
		request_free(&rq);
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	/* The table or page is made on the reader's thread. */
	j->book = c->format == HTTP_CSV || c->format == HTTP_XLSX ? r->book :
	    NULL;
	j->xlsx = c->format == HTTP_XLSX;
	j->html = c->format == HTTP_HTML ? r->html : NULL;
	http_hand(c, j, c->srv->reader, http_answered);
}

/* The body of a write, as bytes; -1 when refused (answered). */
static int
http_body(struct http_call *c, const char **body, size_t *len)
{
	const char	*type = httpd_header(c->req, "Content-Type");

	if (type != NULL && strncmp(type, "application/json", 16) != 0) {
		http_error(c, 415, "type de contenu non pris en charge : "
		    "attendu Content-Type: application/json");
		return -1;
	}
	*body = httpd_body(c->req, len);
	return 0;
}

/*
 * A write through the API: read from JSON, checked as the record
 * protocol checks it (intake.c), committed by the same writer; the acks
 * go out once COMMIT has returned.
 */
static void
http_write(struct http_call *c, const struct http_route *r, const char *key)
{
	struct request		 rq;
	struct writer_job	*j;
	const char		*body;
	char			 err[512];
	size_t			 len;

	if (http_body(c, &body, &len) == -1)
		return;
	if (record_json_request(body, len, r->write, key,
	    &rq, err, sizeof(err)) == -1) {
		http_error(c, 400, err);
		return;
	}
	if (!auth_take(c->srv->auth, &c->caller, rq.nrecords ? rq.nrecords :
	    1, c->srv->settings->rate_limit)) {
		request_free(&rq);
		httpd_add_header(c->req, "Retry-After", "1");
		http_error(c, 429, "trop d'enregistrements à la fois pour ce "
		    "jeton : ralentissez et renvoyez (rien n'a été stocké)");
		return;
	}
	if ((j = writer_job_new(&rq, NULL)) == NULL) {
		request_free(&rq);
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	if (intake_check(j, c->srv->catalogue, c->allowed) == 0) {
		http_acks(c, j);
		writer_job_free(j);
		return;
	}
	http_hand(c, j, c->srv->writer, http_written);
}

void
http_pending_free(struct server *srv)
{
	struct http_pending	*p;

	while ((p = TAILQ_FIRST(&srv->http_pending)) != NULL) {
		TAILQ_REMOVE(&srv->http_pending, p, entry);
		httpd_abandon(p->req);
		free(p);
	}
}

static void
http_metric(void *arg, const char *name, uint64_t value, const char *help)
{
	struct evbuffer	*b = arg;
	const char	*type = stats_type(name);
	const char	*total = strcmp(type, "counter") == 0 ? "_total" : "";

	evbuffer_add_printf(b, "# HELP ctgd_%s%s %s\n# TYPE ctgd_%s%s %s\n"
	    "ctgd_%s%s %llu\n", name, total, help, name, total, type, name,
	    total, (unsigned long long)value);
}

static void
http_metrics(struct http_call *c)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 len;

	if (b == NULL) {
		http_error(c, 503, "mémoire insuffisante");
		return;
	}
	stats_dump(http_metric, b);
	len = evbuffer_get_length(b);
	httpd_add_header(c->req, "Cache-Control", "no-store");
	http_reply(c->req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    (const char *)evbuffer_pullup(b, -1), len);
	evbuffer_free(b);
}

/* The plan a form validates against: built once, tagged once. */
static void
http_plan(struct http_call *c)
{
	struct server	*srv = c->srv;

	if (srv->plan_json == NULL) {
		if ((srv->plan_json = plan_json(srv->catalogue)) == NULL) {
			http_error(c, 503, "mémoire insuffisante");
			return;
		}
		web_etag(srv->plan_json, strlen(srv->plan_json),
		    srv->plan_etag);
	}
	http_tagged(c, HTTP_JSON, srv->plan_json, strlen(srv->plan_json),
	    srv->plan_etag);
}

/* Who the token is: its role and its structures, for a page to adapt. */
static void
http_session(struct http_call *c)
{
	const struct catalogue	*cat = c->srv->catalogue;
	json_object		*o = json_object_new_object(), *a;
	const char		*text, *role;
	size_t			 i;
	int			 prot = auth_protected(c->srv->auth);

	json_object_object_add(o, "protected", json_object_new_boolean(prot));
	/* In protected mode a local client may do everything. */
	if ((role = auth_role_name(prot ? AUTH_ADMIN : c->caller.role)) != NULL)
		json_object_object_add(o, "role", json_object_new_string(role));
	a = json_object_new_array();
	for (i = 0; i < cat->nwords[VOCAB_STRUCTURE] && i < 64; i++)
		if (c->caller.role == AUTH_SUBMITTER && !prot &&
		    (c->caller.structures >> i & 1))
			json_object_array_add(a, json_object_new_string(
			    cat->words[VOCAB_STRUCTURE][i].keyword));
	json_object_object_add(o, "structures", a);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	http_tagged(c, HTTP_JSON, text, strlen(text), NULL);
	json_object_put(o);
}

/* "Authorization: Bearer HEX" into a secret; its length, or 0. */
static size_t
http_bearer(struct httpd_req *req, uint8_t *secret, size_t max)
{
	const char	*h = httpd_header(req, "Authorization");
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

/* What an operation is, in the words of a refusal. */
static const char *const http_op_words[] = {
	[AUTH_OP_PING] = "de se connecter",
	[AUTH_OP_WRITE] = "d'enregistrer des activités",
	[AUTH_OP_EVIDENCE] = "d'enregistrer des éléments de preuve",
	[AUTH_OP_READ] = "de lire les indicateurs",
	[AUTH_OP_READ_OWN] = "de lire les enregistrements de sa structure",
	[AUTH_OP_ADMIN] = "d'administrer",
};

/*
 * May the caller do op? Its token comes in the Authorization header only
 * (no cookie: a page of another site cannot act in a user's name). In
 * protected mode (no token at all) only local clients are served. 1 when
 * allowed, with c->caller and c->allowed set.
 */
static int
http_allowed(struct http_call *c, enum auth_op op)
{
	const char	*host = httpd_peer(c->req);
	uint8_t		 secret[64];
	char		 msg[256];
	size_t		 n;

	n = http_bearer(c->req, secret, sizeof(secret));
	auth_identify(c->srv->auth, n ? secret : NULL, n, &c->caller);
	if (auth_protected(c->srv->auth)) {
		c->allowed = 0;
		if (server_is_loopback(host))
			return 1;
		http_error(c, 403, "mode protégé : aucun jeton n'est configuré "
		    "sur ce serveur, seules les connexions locales sont "
		    "acceptées");
		return 0;
	}
	c->allowed = c->caller.role == AUTH_SUBMITTER ? c->caller.structures :
	    0;
	if (c->caller.role != AUTH_NONE)
		httpd_authenticated(c->req);
	if (auth_allows(c->srv->auth, &c->caller, op))
		return 1;
	if (c->caller.role == AUTH_NONE) {
		server_auth_failed(c->srv, host);
		httpd_add_header(c->req, "WWW-Authenticate", "Bearer");
		/* A failed token does not keep its connection. */
		httpd_add_header(c->req, "Connection", "close");
		http_error(c, 401, n ? "accès refusé : jeton inconnu ou "
		    "révoqué" : "accès refusé : ce serveur demande un jeton "
		    "(en-tête Authorization: Bearer JETON)");
	} else {
		snprintf(msg, sizeof(msg), "accès refusé : le rôle de votre "
		    "jeton ne permet pas %s", http_op_words[op]);
		http_error(c, 403, msg);
	}
	return 0;
}

/*
 * A submitter reads only its own structures: the key's first word names
 * the structure (recent), or the answer is limited to them (revisions).
 * 1 when it may go on.
 */
static int
http_own(struct http_call *c, struct query *q)
{
	if (c->allowed == 0)
		return 1;
	if (strcmp(q->kind, "revisions") == 0) {
		q->only = c->allowed;
		return 1;
	}
	if (intake_reads_own(c->srv->catalogue, q, c->allowed))
		return 1;
	http_error(c, 403, intake_not_yours_read);
	return 0;
}

/* Cuts a ".csv", ".xlsx" or ".html" ending off path: the format it asks. */
static enum http_format
http_cut_format(char *path)
{
	size_t	 n = strlen(path), m;
	int	 f;

	for (f = 0; f < HTTP__FORMATS; f++) {
		if (http_formats[f].ending == NULL)
			continue;
		m = strlen(http_formats[f].ending);
		if (n > m && strcmp(path + n - m, http_formats[f].ending) ==
		    0) {
			path[n - m] = '\0';
			return (enum http_format)f;
		}
	}
	return HTTP_JSON;
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

/* 1 when r is for path; *key is what follows its prefix, less the suffix. */
static int
http_route_matches(const struct http_route *r, const char *path,
    char *key, size_t keylen)
{
	size_t	 n = strlen(r->prefix), m, k = r->suffix ? strlen(r->suffix) : 0;

	if (r->exact) {
		key[0] = '\0';
		return strcmp(path, r->prefix) == 0;
	}
	if (strncmp(path, r->prefix, n) != 0 || path[n] == '\0')
		return 0;
	m = strlen(path + n);
	if (k != 0 && (m <= k || strcmp(path + n + m - k, r->suffix) != 0))
		return 0;
	if (k == 0 && r->kind != NULL && strcmp(r->kind, "revisions") == 0 &&
	    strchr(path + n, '/') != NULL)
		return 0;	/* /records/{id}/… is another route's */
	snprintf(key, keylen, "%.*s", (int)(m - k), path + n);
	return 1;
}

/*
 * The route for path and method, its key in key; NULL when there is
 * none, *allow then naming the methods the path takes (0: no route).
 */
static const struct http_route *
http_route(const char *path, int method, char *key, size_t keylen,
    int *allow)
{
	const struct http_route	*r;
	size_t			 i;

	*allow = 0;
	for (i = 0; i < sizeof(http_routes) / sizeof(http_routes[0]); i++) {
		r = &http_routes[i];
		if (!http_route_matches(r, path, key, keylen))
			continue;
		if (r->methods & method)
			return r;
		*allow |= r->methods;
	}
	return NULL;
}

static void
http_not_allowed(struct http_call *c, int allow)
{
	char	 list[128], msg[256];

	http_methods_list(allow, list, sizeof(list));
	httpd_add_header(c->req, "Allow", list);
	snprintf(msg, sizeof(msg), "méthode non prise en charge à cette "
	    "adresse : attendu %s", list);
	http_error(c, 405, msg);
}

/* A file of the web app: no token needed, it holds no data. */
static void
http_asset(struct http_call *c, const struct web_asset *a)
{
	const char	*held = httpd_header(c->req, "If-None-Match");

	if (!(httpd_method(c->req) & HTTP_READ)) {
		http_not_allowed(c, HTTP_READ);
		return;
	}
	httpd_add_header(c->req, "ETag", a->etag);
	/* Checked each time it is online: a new ctgd's page is seen at once. */
	httpd_add_header(c->req, "Cache-Control", "no-cache");
	if (strcmp(a->path, "/sw.js") == 0)
		httpd_add_header(c->req, "Service-Worker-Allowed", "/");
	if (held != NULL && strcmp(held, a->etag) == 0) {
		http_reply(c->req, 304, NULL, NULL, 0);
		return;
	}
	http_reply(c->req, 200, a->type, a->body, a->len);
}

static const char http_routes_list[] = "route inconnue : voir /api/v1/sheets, "
    "/api/v1/sheets/{code}, /api/v1/axes/{code}, /api/v1/communes/{code}, "
    "/api/v1/indicators/{id}/records, /api/v1/records/{id}, "
    "/api/v1/rollups/{AAAA-MM}, /api/v1/copil/{AAAA}, "
    "/api/v1/completeness, /api/v1/plan, "
    "/api/v1/session, /api/v1/structures/{structure}/records, "
    "POST /api/v1/records, /metrics ; .csv ou .xlsx pour un tableur, "
    ".html pour "
    "une page à imprimer";

static void
http_route_call(struct http_call *c, const struct http_route *r,
    const char *key)
{
	struct query	 q;
	switch (r->action) {
	case HA_METRICS:
		http_metrics(c);
		return;
	case HA_WRITE:
		http_write(c, r, key[0] != '\0' ? key : NULL);
		return;
	case HA_PLAN:
		http_plan(c);
		return;
	case HA_SESSION:
		http_session(c);
		return;
	case HA_QUERY:
		break;
	}
	q = (struct query){ r->kind, key[0] != '\0' ? key :
	    evhttp_find_header(&c->params, "weeks"),
	    evhttp_find_header(&c->params, "from"),
	    evhttp_find_header(&c->params, "to"), 0 };
	if (http_own(c, &q))
		http_document(c, &q, r);
}

void
http_refused(struct server *srv, struct httpd_req *req, int status,
    const char *why)
{
	struct http_call	 c = { .srv = srv, .req = req };

	http_error(&c, status, why);
}

const char *
http_target_read(const char *target, char **path, struct evkeyvalq *params,
    char *buf, size_t buflen)
{
	struct evhttp_uri	*uri = evhttp_uri_parse_with_flags(target, 0);
	const char		*query, *why = NULL;
	char			*decoded;
	size_t			 len;

	*path = NULL;
	if (uri == NULL || evhttp_uri_get_path(uri) == NULL ||
	    (*path = evhttp_uridecode(evhttp_uri_get_path(uri), 0, &len)) ==
	    NULL) {
		why = "adresse illisible";
		goto out;
	}
	why = http_text_problem("adresse", *path, len, buf, buflen);
	query = evhttp_uri_get_query(uri);
	if (why == NULL && query != NULL) {
		/* Decoding is byte by byte: the whole holds every value. */
		if ((decoded = evhttp_uridecode(query, 1, &len)) == NULL) {
			why = "paramètres illisibles";
			goto out;
		}
		why = http_text_problem("paramètres", decoded, len, buf,
		    buflen);
		free(decoded);
	}
	if (why == NULL && query != NULL &&
	    evhttp_parse_query_str(query, params) == -1)
		why = "paramètres illisibles : attendu ?from=AAAA-MM&to=AAAA-MM";
out:
	if (uri != NULL)
		evhttp_uri_free(uri);
	if (why != NULL) {
		free(*path);
		*path = NULL;
	}
	return why;
}

void
http_request(struct server *srv, struct httpd_req *req)
{
	struct http_call	 c = { .srv = srv, .req = req };
	const struct http_route	*r;
	const struct web_asset	*asset;
	const char		*why;
	char			*path = NULL, esc[256], key[512], msg[256];
	enum http_format	 format;
	int			 allow;

	TAILQ_INIT(&c.params);
	if ((why = http_target_read(httpd_target(req), &path, &c.params, msg,
	    sizeof(msg))) != NULL)
		http_error(&c, 400, why);
	else if ((asset = web_asset(path)) != NULL)
		http_asset(&c, asset);
	else {
		log_debug("event=http_request path=%s", log_escape(esc,
		    sizeof(esc), path));
		format = http_cut_format(path);
		r = http_route(path, httpd_method(req), key, sizeof(key),
		    &allow);
		if (r == NULL && allow != 0)
			http_not_allowed(&c, allow);
		else if (r == NULL || ((format == HTTP_CSV ||
		    format == HTTP_XLSX) && r->book == NULL) ||
		    (format == HTTP_HTML && r->html == NULL))
			http_error(&c, 404, http_routes_list);
		else if (http_allowed(&c, r->op)) {
			c.format = format;
			http_route_call(&c, r, key);
		}
	}
	evhttp_clear_headers(&c.params);
	free(path);
}
