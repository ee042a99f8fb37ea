/*
 * httpd.c — HTTP/1.1 connections on bufferevents, in the manner of
 * conn.c, so that every limit is ours and every refusal is JSON.
 *
 * A connection is counted from accept, under a global cap and a cap per
 * address; when either is reached the oldest connection that never showed
 * a valid token (and waits for nothing) makes room, so a token holder
 * always gets in. A request must be whole — head and body — within
 * --frame-timeout of its first byte, a clock that no trickle restarts; a
 * connection that has shown no token may stay idle --auth-timeout
 * seconds, one that has, --http-idle-timeout. Requests are read one at a
 * time: the next is parsed once the answer to this one is written.
 *
 * Bytes held in partial requests count against the server's memory
 * budget (server_holder_set); past it the largest holders are closed.
 */
#include <sys/queue.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "auth.h"
#include "buf.h"
#include "http.h"
#include "http_parse.h"
#include "httpd.h"
#include "log.h"
#include "server.h"
#include "settings.h"
#include "stats.h"

#define HTTPD_HEAD_MAX	(16 * 1024)	/* bytes of a request head */
#define HTTPD_BODY_MAX	(1024 * 1024)	/* bytes of a request body */
#define HTTPD_READ_MAX	(64 * 1024)	/* bytes read ahead of the parser */

enum httpd_state {
	HTTPD_IDLE,	/* between requests */
	HTTPD_HEAD,	/* a head is arriving */
	HTTPD_BODY,	/* its body is arriving */
	HTTPD_BUSY,	/* with http.c, its answer not yet sent */
};

struct httpd_conn {
	TAILQ_ENTRY(httpd_conn)	 entry;		/* oldest first */
	struct server		*srv;
	struct bufferevent	*bev;
	uint64_t		 id;
	enum httpd_state	 state;
	int			 authed;	/* showed a valid token */
	int			 closing;	/* closes once written */
	int			 dead;		/* closes at the next turn */
	int			 processing;	/* inside httpd_process */
	struct event		*timer;		/* idle or request deadline */
	struct httpd_req	*req;		/* the request of this turn */
	struct server_holder	 hold;		/* its input, in the budget */
	char			 peer[64];	/* for the log */
	char			 addr[48];	/* what per-address counts */
};

struct httpd_req {
	struct httpd_conn	*conn;		/* NULL once it went away */
	char			*raw;		/* the head's bytes, parsed */
	struct http_head	 head;
	struct http_chunked	 chunked;
	struct buf		 body;
	struct buf		 out;		/* "Name: value\r\n" lines */
};

static void	httpd_process(struct httpd_conn *);
static void	httpd_shed(struct server_holder *);

static struct httpd_list *
httpd_conns(struct server *srv)
{
	return &srv->http_conns;
}

static void
httpd_req_free(struct httpd_req *r)
{
	if (r == NULL)
		return;
	free(r->raw);
	free(r->body.p);
	free(r->out.p);
	free(r);
}

/* What c holds in partial requests, told to the server's budget. */
static void
httpd_count_held(struct httpd_conn *c)
{
	size_t	 now = evbuffer_get_length(bufferevent_get_input(c->bev));

	/* A request with http.c is the writer's to bound, not ours. */
	if (c->req != NULL && c->state != HTTPD_BUSY)
		now += c->req->body.cap;
	server_holder_set(c->srv, &c->hold, now);
}

/* The one close path: logs why, frees the socket side. */
static void
httpd_close(struct httpd_conn *c, const char *reason)
{
	struct server	*srv = c->srv;

	/* A browser's every page opens and closes some: only -v tells those. */
	if (strcmp(reason, "eof") == 0 ||
	    strcmp(reason, "closed_after_answer") == 0)
		log_debug("event=http_close conn=%llu peer=%s reason=%s",
		    (unsigned long long)c->id, c->peer, reason);
	else
		log_info("event=http_close conn=%llu peer=%s reason=%s",
		    (unsigned long long)c->id, c->peer, reason);
	if (c->timer != NULL)
		event_free(c->timer);
	bufferevent_free(c->bev);
	c->bev = NULL;
	if (c->req != NULL && c->state == HTTPD_BUSY)
		c->req->conn = NULL;	/* answered into the void, then freed */
	else
		httpd_req_free(c->req);
	c->req = NULL;
	server_holder_remove(srv, &c->hold);
	TAILQ_REMOVE(httpd_conns(srv), c, entry);
	srv->nhttp--;
	STATS_SUB(http_connections_current, 1);
	free(c);
}

/* Arms the connection's one timer for secs from now. */
static void
httpd_arm(struct httpd_conn *c, long long secs)
{
	struct timeval	 tv = { (time_t)secs, 0 };

	evtimer_add(c->timer, &tv);
}

static void
httpd_idle(struct httpd_conn *c)
{
	const struct settings	*set = c->srv->settings;

	c->state = HTTPD_IDLE;
	httpd_arm(c, c->authed ? set->http_idle_timeout : set->auth_timeout);
}

static struct httpd_req *
httpd_req_new(struct httpd_conn *c)
{
	struct httpd_req	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->conn = c;
	return r;
}

/*
 * A request refused before it reached a route: answered in JSON by
 * http.c, and the connection closed once the answer is out, since what
 * follows cannot be trusted to start a request.
 */
static void
httpd_refuse(struct httpd_conn *c, int status, const char *why)
{
	char	 esc[256];

	log_info("event=http_refused conn=%llu peer=%s status=%d reason=\"%s\"",
	    (unsigned long long)c->id, c->peer, status,
	    log_escape(esc, sizeof(esc), why));
	bufferevent_disable(c->bev, EV_READ);
	if (c->req == NULL && (c->req = httpd_req_new(c)) == NULL) {
		/* Closed by the timer: the caller still holds c. */
		c->dead = 1;
		c->state = HTTPD_IDLE;
		httpd_arm(c, 0);
		return;
	}
	/* A head that was not read says nothing of HEAD: the body goes. */
	if (c->state != HTTPD_BODY)
		c->req->head.method = HTTP_GET;
	c->closing = 1;
	c->state = HTTPD_BUSY;
	http_refused(c->srv, c->req, status, why);
}

static void
httpd_timer(evutil_socket_t fd, short what, void *arg)
{
	struct httpd_conn	*c = arg;
	char			 msg[160];

	(void)fd;
	(void)what;
	if (c->dead) {
		httpd_close(c, "out_of_memory");
		return;
	}
	switch (c->state) {
	case HTTPD_HEAD:
	case HTTPD_BODY:
		snprintf(msg, sizeof(msg), "requête incomplète après %lld s : "
		    "envoi trop lent, connexion fermée",
		    c->srv->settings->frame_timeout);
		httpd_refuse(c, 408, msg);
		return;
	case HTTPD_IDLE:
		httpd_close(c, c->authed ? "idle_timeout" : "auth_timeout");
		return;
	case HTTPD_BUSY:
		return;
	}
}

/* The head, when it has come: 0 to go on, -1 to wait or when refused. */
static int
httpd_read_head(struct httpd_conn *c, struct evbuffer *in)
{
	struct httpd_req	*r = c->req;
	struct http_refusal	 why;
	size_t			 n = evbuffer_get_length(in), used;
	char			*raw;

	if (n > HTTPD_HEAD_MAX + 4)
		n = HTTPD_HEAD_MAX + 4;
	if ((raw = realloc(r->raw, n + 1)) == NULL) {
		httpd_refuse(c, 503, "mémoire insuffisante");
		return -1;
	}
	r->raw = raw;
	evbuffer_copyout(in, raw, n);
	raw[n] = '\0';
	switch (http_parse_head(raw, n, HTTPD_HEAD_MAX, &r->head, &used,
	    &why)) {
	case HTTP_PARSE_MORE:
		return -1;
	case HTTP_PARSE_BAD:
		httpd_refuse(c, why.status, why.why);
		return -1;
	case HTTP_PARSE_DONE:
		break;
	}
	evbuffer_drain(in, used);
	STATS_ADD(bytes_in, used);
	if (r->head.length > HTTPD_BODY_MAX) {
		httpd_refuse(c, 413, "corps de requête trop grand : 1 Mio au "
		    "plus");
		return -1;
	}
	c->state = HTTPD_BODY;
	return 0;
}

/* The body, as it comes: 0 once whole, -1 to wait or when refused. */
static int
httpd_read_body(struct httpd_conn *c, struct evbuffer *in)
{
	struct httpd_req	*r = c->req;
	struct http_refusal	 why;
	size_t			 n = evbuffer_get_length(in), used;
	const char		*p;

	if (r->head.chunked) {
		if ((p = (const char *)evbuffer_pullup(in, -1)) == NULL && n) {
			httpd_refuse(c, 503, "mémoire insuffisante");
			return -1;
		}
		switch (http_chunked_feed(&r->chunked, p, n, HTTPD_BODY_MAX,
		    &r->body, &used, &why)) {
		case HTTP_PARSE_BAD:
			httpd_refuse(c, why.status, why.why);
			return -1;
		case HTTP_PARSE_MORE:
			evbuffer_drain(in, used);
			STATS_ADD(bytes_in, used);
			return -1;
		case HTTP_PARSE_DONE:
			evbuffer_drain(in, used);
			STATS_ADD(bytes_in, used);
			return 0;
		}
	}
	if (r->head.length > 0) {
		used = (size_t)r->head.length - r->body.len;
		if (used > n)
			used = n;
		if (r->body.cap == 0) {
			/* One allocation of the announced size. */
			if ((r->body.p = malloc((size_t)r->head.length + 1)) !=
			    NULL) {
				r->body.cap = (size_t)r->head.length + 1;
				r->body.p[0] = '\0';
			} else
				r->body.failed = 1;
		}
		p = (const char *)evbuffer_pullup(in, (ssize_t)used);
		buf_add(&r->body, p, used);
		evbuffer_drain(in, used);
		STATS_ADD(bytes_in, used);
		if (r->body.failed) {
			httpd_refuse(c, 503, "mémoire insuffisante");
			return -1;
		}
		if (r->body.len < (size_t)r->head.length)
			return -1;
	}
	return 0;
}

/* Reads what has come, up to one whole request, which goes to http.c. */
static void
httpd_process(struct httpd_conn *c)
{
	struct evbuffer	*in;

	if (c->processing)
		return;		/* an answer sent from within: the loop goes on */
	c->processing = 1;
	while (!c->closing && c->state != HTTPD_BUSY) {
		in = bufferevent_get_input(c->bev);
		if (c->state == HTTPD_IDLE) {
			if (evbuffer_get_length(in) == 0)
				break;
			if ((c->req = httpd_req_new(c)) == NULL) {
				c->processing = 0;
				httpd_close(c, "out_of_memory");
				return;
			}
			c->state = HTTPD_HEAD;
			/* From the first byte: no trickle restarts it. */
			httpd_arm(c, c->srv->settings->frame_timeout);
		}
		if (c->state == HTTPD_HEAD && httpd_read_head(c, in) == -1)
			break;
		if (c->state == HTTPD_BODY && httpd_read_body(c, in) == -1)
			break;
		if (c->state != HTTPD_BODY)
			break;
		evtimer_del(c->timer);
		c->state = HTTPD_BUSY;
		buf_add(&c->req->body, "", 0);	/* NUL-terminated, even empty */
		if (!c->req->head.keep_alive)
			c->closing = 1;
		STATS_ADD(http_requests, 1);
		http_request(c->srv, c->req);
	}
	c->processing = 0;
	httpd_count_held(c);
}

static void
httpd_on_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	httpd_process(arg);
}

static void
httpd_on_write(struct bufferevent *bev, void *arg)
{
	struct httpd_conn	*c = arg;

	(void)bev;
	if (c->closing && c->state != HTTPD_BUSY)
		httpd_close(c, "closed_after_answer");
}

static void
httpd_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct httpd_conn	*c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;		/* a TLS handshake completed */
	if ((what & BEV_EVENT_EOF) && c->state == HTTPD_BUSY) {
		/* Half-closed after its request: the answer still goes. */
		c->closing = 1;
		bufferevent_disable(c->bev, EV_READ);
		return;
	}
	httpd_close(c, what & BEV_EVENT_EOF ? (c->state == HTTPD_IDLE ?
	    "eof" : "eof_in_request") : what & BEV_EVENT_TIMEOUT ?
	    "write_timeout" : "socket_error");
}

/*
 * Makes room for a new connection from addr (NULL: from anyone): closes
 * the oldest one that has not shown a token and waits for nothing. 1
 * when one was closed.
 */
static int
httpd_evict(struct server *srv, const char *addr)
{
	struct httpd_conn	*c;

	TAILQ_FOREACH(c, httpd_conns(srv), entry)
		if (!c->authed && c->state != HTTPD_BUSY && (addr == NULL ||
		    strcmp(c->addr, addr) == 0)) {
			httpd_close(c, "evicted_unauthenticated");
			return 1;
		}
	return 0;
}

static size_t
httpd_count_from(struct server *srv, const char *addr)
{
	struct httpd_conn	*c;
	size_t			 n = 0;

	TAILQ_FOREACH(c, httpd_conns(srv), entry)
		n += strcmp(c->addr, addr) == 0;
	return n;
}

void
httpd_accept(struct server *srv, evutil_socket_t fd,
    const struct sockaddr *sa, socklen_t salen)
{
	const struct settings	*set = srv->settings;
	struct timeval		 wt = { (time_t)set->write_timeout, 0 };
	struct httpd_conn	*c;
	const char		*full = NULL;
	char			 addr[48];

	if (srv->draining) {
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	server_peer_name(sa, salen, c->peer, sizeof(c->peer), c->addr,
	    sizeof(c->addr));
	memcpy(addr, c->addr, sizeof(addr));
	/* Full: a connection that never showed a token makes room. */
	if (srv->nhttp >= (size_t)set->http_max_connections &&
	    !httpd_evict(srv, NULL))
		full = "trop de connexions HTTP ouvertes : réessayez dans un "
		    "moment";
	else if (httpd_count_from(srv, addr) >=
	    (size_t)set->http_max_per_address && !httpd_evict(srv, addr))
		full = "trop de connexions HTTP ouvertes depuis votre adresse : "
		    "fermez-en, ou réessayez dans un moment";
	if ((c->bev = server_bufferevent(srv, fd)) == NULL ||
	    (c->timer = evtimer_new(srv->base, httpd_timer, c)) == NULL) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		free(c);
		return;
	}
	c->srv = srv;
	c->id = ++srv->next_conn_id;
	TAILQ_INSERT_TAIL(httpd_conns(srv), c, entry);
	server_holder_add(srv, &c->hold, httpd_shed);
	srv->nhttp++;
	STATS_ADD(http_connections_accepted, 1);
	STATS_ADD(http_connections_current, 1);
	bufferevent_setcb(c->bev, httpd_on_read, httpd_on_write,
	    httpd_on_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, HTTPD_READ_MAX);
	bufferevent_set_timeouts(c->bev, NULL, &wt);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (full != NULL) {
		STATS_ADD(connections_refused, 1);
		httpd_refuse(c, 503, full);
		return;
	}
	/* In protected mode a local client has nothing to show. */
	c->authed = server_is_loopback(c->addr) && auth_protected(srv->auth);
	httpd_idle(c);
	log_debug("event=http_open conn=%llu peer=%s",
	    (unsigned long long)c->id, c->peer);
}

int
httpd_method(const struct httpd_req *r)
{
	return r->head.method;
}

const char *
httpd_target(const struct httpd_req *r)
{
	return r->head.target != NULL ? r->head.target : "/";
}

const char *
httpd_header(const struct httpd_req *r, const char *name)
{
	return http_field(&r->head, name);
}

const char *
httpd_body(const struct httpd_req *r, size_t *len)
{
	*len = r->body.len;
	return r->body.p != NULL ? r->body.p : "";
}

const char *
httpd_peer(const struct httpd_req *r)
{
	return r->conn != NULL ? r->conn->addr : "?";
}

int
httpd_has_header(const struct httpd_req *r, const char *name)
{
	const char	*p = r->out.p;
	size_t		 n = strlen(name);

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n') + 1)
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return 1;
	return 0;
}

void
httpd_add_header(struct httpd_req *r, const char *name, const char *value)
{
	if (!httpd_has_header(r, name))
		buf_printf(&r->out, "%s: %s\r\n", name, value);
}

void
httpd_authenticated(struct httpd_req *r)
{
	if (r->conn != NULL)
		r->conn->authed = 1;
}

/* RFC 9110 §5.6.7's date, in English whatever the process's locale. */
static void
httpd_date(const struct tm *tm, char *buf, size_t len)
{
	static const char	 days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
				    "Fri", "Sat" };
	static const char	 months[][4] = { "Jan", "Feb", "Mar", "Apr",
				    "May", "Jun", "Jul", "Aug", "Sep", "Oct",
				    "Nov", "Dec" };

	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm->tm_wday % 7], tm->tm_mday, months[tm->tm_mon % 12],
	    tm->tm_year + 1900, tm->tm_hour, tm->tm_min, tm->tm_sec);
}

void
httpd_send(struct httpd_req *r, int status, const char *body, size_t len)
{
	struct httpd_conn	*c = r->conn;
	struct evbuffer		*out;
	char			 date[64];
	struct tm		 tm;
	time_t			 now = time(NULL);
	int			 nobody = status == 304 ||
				    r->head.method == HTTP_HEAD;

	if (c == NULL || c->bev == NULL) {
		httpd_req_free(r);
		return;
	}
	if (httpd_has_header(r, "Connection"))
		c->closing = 1;		/* http.c says close: it says nothing else */
	out = bufferevent_get_output(c->bev);
	gmtime_r(&now, &tm);
	httpd_date(&tm, date, sizeof(date));
	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\n", status,
	    http_status_phrase(status), date);
	if (status != 304)
		evbuffer_add_printf(out, "Content-Length: %zu\r\n", len);
	if (r->out.p != NULL)
		evbuffer_add(out, r->out.p, r->out.len);
	if (c->closing && !httpd_has_header(r, "Connection"))
		evbuffer_add_printf(out, "Connection: close\r\n");
	evbuffer_add(out, "\r\n", 2);
	if (!nobody)
		evbuffer_add(out, body, len);
	STATS_ADD(bytes_out, evbuffer_get_length(out));
	httpd_req_free(r);
	c->req = NULL;
	if (c->closing) {
		c->state = HTTPD_IDLE;
		evtimer_del(c->timer);
		bufferevent_disable(c->bev, EV_READ);
		return;		/* closed by httpd_on_write once written */
	}
	httpd_idle(c);
	httpd_process(c);	/* a request that came meanwhile */
}

void
httpd_abandon(struct httpd_req *r)
{
	if (r->conn != NULL && r->conn->req == r)
		r->conn->req = NULL;
	httpd_req_free(r);
}

/* The memory budget is spent: what c held goes, and c is told why. */
static void
httpd_shed(struct server_holder *h)
{
	struct httpd_conn	*c = (struct httpd_conn *)((char *)h -
				    offsetof(struct httpd_conn, hold));
	struct evbuffer		*in = bufferevent_get_input(c->bev);

	evbuffer_drain(in, evbuffer_get_length(in));
	if (c->state == HTTPD_BUSY) {
		/* Its answer is due: the connection goes after it. */
		c->closing = 1;
		bufferevent_disable(c->bev, EV_READ);
		return;
	}
	if (c->req != NULL) {
		free(c->req->body.p);
		memset(&c->req->body, 0, sizeof(c->req->body));
	}
	httpd_refuse(c, 503, "serveur saturé : trop de requêtes partielles "
	    "en mémoire ; renvoyez dans un moment");
}

void
httpd_stop_reading_all(struct server *srv)
{
	struct httpd_conn	*c, *next;

	for (c = TAILQ_FIRST(httpd_conns(srv)); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == HTTPD_BUSY) {
			c->closing = 1;
			bufferevent_disable(c->bev, EV_READ);
		} else if (evbuffer_get_length(bufferevent_get_output(c->bev)) ==
		    0)
			httpd_close(c, "shutdown");
		else {
			c->closing = 1;
			bufferevent_disable(c->bev, EV_READ);
		}
	}
}

int
httpd_all_flushed(struct server *srv)
{
	struct httpd_conn	*c;

	TAILQ_FOREACH(c, httpd_conns(srv), entry)
		if (c->state == HTTPD_BUSY || evbuffer_get_length(
		    bufferevent_get_output(c->bev)) > 0)
			return 0;
	return 1;
}

void
httpd_close_all(struct server *srv)
{
	while (!TAILQ_EMPTY(httpd_conns(srv)))
		httpd_close(TAILQ_FIRST(httpd_conns(srv)), "shutdown");
}
