/*
 * conn.c — a connection of the record protocol.
 *
 * Bytes come in through a bufferevent; whole frames are decoded, checked,
 * and their records handed to the writer; acks go back when the writer has
 * committed. A connection stops taking frames while max-inflight of its
 * requests are at the writer, or while its peer leaves replies unread; the
 * read high-watermark then stops the socket reads too, so a connection holds
 * at most one frame of input.
 *
 * A connection is freed when its socket is closed (conn_close, the only
 * close path) and no job of it is still at the writer (refs).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "auth.h"
#include "conn.h"
#include "framing.h"
#include "intake.h"
#include "log.h"
#include "query.h"
#include "server.h"
#include "settings.h"
#include "stats.h"
#include "validate.h"
#include "wire.h"
#include "writer.h"

#define CONN_OUT_MAX	(1024 * 1024)	/* bytes of unread replies before pausing */

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct server		*srv;
	struct bufferevent	*bev;		/* NULL once closed */
	uint64_t		 id;
	unsigned		 inflight;	/* requests at the writer */
	unsigned		 refs;		/* the socket + one per job */
	int			 closing;	/* reading stopped, flushing */
	struct event		*deadline;	/* to complete the started frame */
	struct event		*penalty;	/* bad tokens: reading resumes */
	int			 authed;	/* has done what a token allows */
	int			 held;		/* frames wait for the penalty */
	char			 peer[64];	/* HOST:PORT */
	char			 addr[48];	/* HOST: what per-address counts */
	struct server_holder	 hold;		/* its input, in the budget */
};

static void	conn_process(struct conn *);
static void	conn_close(struct conn *, const char *);
static void	conn_shed(struct server_holder *);

/* A closing connection goes once its replies are written and none is due. */
static void
conn_finish_if_done(struct conn *c, const char *reason)
{
	if (c->bev != NULL && c->closing && c->inflight == 0 &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		conn_close(c, reason);
}

static void
conn_unref(struct conn *c)
{
	if (--c->refs == 0)
		free(c);
}

/* The one close path: logs why, frees the socket side. */
static void
conn_close(struct conn *c, const char *reason)
{
	struct server	*srv = c->srv;

	if (c->bev == NULL)
		return;
	log_info("event=conn_close conn=%llu peer=%s reason=%s inflight=%u",
	    (unsigned long long)c->id, c->peer, reason, c->inflight);
	if (c->deadline != NULL) {
		event_free(c->deadline);
		c->deadline = NULL;
	}
	if (c->penalty != NULL) {
		event_free(c->penalty);
		c->penalty = NULL;
	}
	bufferevent_free(c->bev);
	c->bev = NULL;
	server_holder_remove(srv, &c->hold);
	TAILQ_REMOVE(&srv->conns, c, entry);
	srv->nconns--;
	STATS_SUB(connections_current, 1);
	conn_unref(c);
}

static void
conn_send(struct conn *c, const struct reply *rep)
{
	uint8_t	*frame;
	size_t	 len;

	if (c->bev == NULL)
		return;
	if ((frame = wire_encode_reply(rep, &len)) == NULL) {
		conn_close(c, "reply_encode_failed");
		return;
	}
	bufferevent_write(c->bev, frame, len);
	STATS_ADD(bytes_out, len);
	free(frame);
}

/* A frame we cannot take: say why, then close once the reply is out. */
static void
conn_fail(struct conn *c, const char *code, const char *message)
{
	struct reply	 rep = { .kind = REPLY_ERROR, .error_code = code,
			    .error_message = message };
	char		 esc[256];

	STATS_ADD(frame_errors, 1);
	log_info("event=frame_error conn=%llu peer=%s code=%s reason=\"%s\"",
	    (unsigned long long)c->id, c->peer, code,
	    log_escape(esc, sizeof(esc), message));
	conn_send(c, &rep);
	c->closing = 1;
	if (c->bev != NULL)
		bufferevent_disable(c->bev, EV_READ);
	conn_finish_if_done(c, code);
}

static void
conn_fail_nomem(struct conn *c)
{
	conn_fail(c, "out_of_memory", "mémoire insuffisante sur le serveur : "
	    "renvoyez plus tard");
}

static void
conn_reply_acks(struct conn *c, uint64_t seq, struct ack *acks, size_t n)
{
	struct reply	 rep = { .seq = seq, .kind = REPLY_SUBMIT,
			    .acks = acks, .nacks = n };

	intake_count(acks, n);
	conn_send(c, &rep);
}

static void
conn_reply_document(struct conn *c, uint64_t seq, const char *json,
    const char *error)
{
	struct reply	 rep = { .seq = seq, .kind = REPLY_DOCUMENT,
			    .json = json, .document_error = error };

	conn_send(c, &rep);
}

void
conn_job_done(struct writer_job *j, void *arg)
{
	struct conn	*c = j->owner;

	(void)arg;
	c->inflight--;
	if (j->req.kind == REQUEST_QUERY)
		conn_reply_document(c, j->req.seq, j->document,
		    j->document != NULL ? NULL : j->error != NULL ? j->error :
		    "question sans réponse : erreur de la base (voir le journal "
		    "de ctgd)");
	else
		conn_reply_acks(c, j->req.seq, j->acks, j->req.nrecords ?
		    j->req.nrecords : 1);
	writer_job_free(j);
	conn_process(c);
	conn_finish_if_done(c, "closed_after_replies");
	conn_unref(c);
}

/* Hands a job to a writer, or answers at once when nothing is left to do. */
static void
conn_push(struct conn *c, struct writer *w, struct writer_job *j,
    size_t todo)
{
	if (todo == 0) {
		conn_reply_acks(c, j->req.seq, j->acks, j->req.nrecords ?
		    j->req.nrecords : 1);
		writer_job_free(j);
		return;
	}
	c->inflight++;
	c->refs++;
	writer_push(w, j);
}

/*
 * Checks what a write request carries; what may be stored goes to the
 * writer, what may not is acked refused with its reason.
 */
static void
conn_write_request(struct conn *c, struct request *req, uint64_t allowed)
{
	struct writer_job	*j;

	if ((j = writer_job_new(req, c)) == NULL) {
		request_free(req);
		conn_fail_nomem(c);
		return;
	}
	conn_push(c, c->srv->writer, j, intake_check(j, c->srv->catalogue,
	    allowed));
}

/*
 * A question whose strings are not as sent (a NUL, not UTF-8, a control
 * character) is answered with why, and freed: 1. Else 0.
 */
static int
conn_bad_text(struct conn *c, struct request *req)
{
	if (req->bad_field == NULL)
		return 0;
	conn_reply_document(c, req->seq, NULL, validate_bad_text(
	    req->bad_field, req->bad_text, &req->arena));
	request_free(req);
	return 1;
}

/*
 * A query, answered on another thread: verify and backup on the
 * verifier's, every other on the reader's; the loop goes on meanwhile.
 */
static void
conn_query(struct conn *c, struct request *req)
{
	struct writer_job	*j;

	if ((j = writer_job_new(req, c)) == NULL) {
		request_free(req);
		conn_fail_nomem(c);
		return;
	}
	conn_push(c, query_is_long(&req->query) ? c->srv->verifier :
	    c->srv->reader, j, 1);
}

static void
conn_stats_emit(void *arg, const char *name, uint64_t value,
    const char *help)
{
	struct reply	*rep = arg;
	struct counter	*ctr = &rep->counters[rep->ncounters++];

	ctr->name = name;
	ctr->value = value;
	ctr->help = help;
}

static void
conn_penalty_over(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)what;
	c->held = 0;
	if (c->bev != NULL && !c->closing)
		conn_process(c);
}

/*
 * Holds c's frames for ms: an address that failed tokens waits. The
 * socket is still read, so that a peer that gives up is seen at once and
 * its slot freed.
 */
static void
conn_hold(struct conn *c, int ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (ms <= 0 || c->bev == NULL || (c->penalty == NULL && (c->penalty =
	    evtimer_new(c->srv->base, conn_penalty_over, c)) == NULL))
		return;
	c->held = 1;
	evtimer_add(c->penalty, &tv);
}

/*
 * Refused by the policy: said in French. A missing or bad token closes
 * the connection once the refusal is out, and counts against its
 * address, whose next connections then wait longer and longer before
 * they are read (a fresh connection per try gains nothing); a valid
 * token whose role does not allow the request keeps its connection.
 */
static void
conn_deny(struct conn *c, struct request *req,
    const struct auth_caller *caller)
{
	struct reply	 rep = { .seq = req->seq, .kind = REPLY_ERROR,
			    .error_code = "forbidden" };
	int		 bad = !caller->presented || caller->role == AUTH_NONE;

	if (bad) {
		rep.error_message = caller->presented ? "accès refusé : jeton "
		    "inconnu ou révoqué" : "accès refusé : ce serveur demande "
		    "un jeton (--token ou $CTG_TOKEN)";
		server_auth_failed(c->srv, c->addr);
	} else
		rep.error_message = "accès refusé : le rôle de votre jeton ne "
		    "permet pas cette opération";
	request_free(req);
	conn_send(c, &rep);
	if (!bad || c->bev == NULL)
		return;
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	conn_finish_if_done(c, "auth_failed");
}

/* The first request a valid token allows: the usual idle time from now. */
static void
conn_authed(struct conn *c)
{
	const struct settings	*set = c->srv->settings;
	struct timeval		 rt = { set->idle_timeout, 0 };
	struct timeval		 wt = { set->write_timeout, 0 };

	if (c->authed || c->bev == NULL)
		return;
	c->authed = 1;
	bufferevent_set_timeouts(c->bev, &rt, &wt);
}

int
conn_evict_unauthenticated(struct server *srv, const char *addr,
    const struct conn *except)
{
	struct conn	*c;

	TAILQ_FOREACH(c, &srv->conns, entry)
		if (!c->authed && c->inflight == 0 && c != except &&
		    (addr == NULL || strcmp(c->addr, addr) == 0)) {
			conn_close(c, "evicted_unauthenticated");
			return 1;
		}
	return 0;
}

static void
conn_frame(struct conn *c, const uint8_t *buf, size_t len)
{
	struct auth_caller caller;
	struct request	 req;
	struct reply	 rep = { 0 };
	struct counter	 counters[64];
	const char	*why;

	STATS_ADD(frames_in, 1);
	if (wire_decode_request(buf, len, &req, &why) == -1) {
		conn_fail(c, "bad_message", why);
		return;
	}
	rep.seq = req.seq;
	auth_identify(c->srv->auth, req.token, req.token_len, &caller);
	if (!auth_allows(c->srv->auth, &caller, auth_op_of(&req))) {
		conn_deny(c, &req, &caller);
		return;
	}
	conn_authed(c);
	if (!auth_take(c->srv->auth, &caller, req.nrecords ? req.nrecords : 1,
	    c->srv->settings->rate_limit)) {
		struct reply	 slow = { .seq = req.seq, .kind = REPLY_ERROR,
				    .error_code = "rate_limited",
				    .error_message = "trop d'enregistrements à "
				    "la fois pour ce jeton : ralentissez et "
				    "renvoyez (rien n'a été stocké)" };

		request_free(&req);
		conn_send(c, &slow);
		return;
	}
	switch (req.kind) {
	case REQUEST_SUBMIT:
	case REQUEST_AMEND:
	case REQUEST_VOID:
	case REQUEST_EVIDENCE:
		conn_write_request(c, &req, auth_protected(c->srv->auth) ? 0 :
		    caller.structures);
		return;
	case REQUEST_TOKEN: {
		const char	*error = NULL;
		char		*json;

		if (conn_bad_text(c, &req))
			return;
		json = auth_manage(c->srv->auth, &req.tokens, &error);
		conn_reply_document(c, req.seq, json, error);
		free(json);
		request_free(&req);
		return;
	}
	case REQUEST_QUERY:
		if (conn_bad_text(c, &req))
			return;
		/* A submitter reads only its own structures' records. */
		if (caller.role == AUTH_SUBMITTER && !auth_protected(c->srv->auth) &&
		    !intake_reads_own(c->srv->catalogue, &req.query,
		    caller.structures)) {
			conn_reply_document(c, req.seq, NULL,
			    intake_not_yours_read);
			request_free(&req);
			return;
		}
		conn_query(c, &req);
		return;
	case REQUEST_PING:
		rep.kind = REPLY_PONG;
		rep.nonce = req.nonce;
		break;
	case REQUEST_STATS:
		rep.kind = REPLY_STATS;
		rep.counters = counters;
		stats_dump(conn_stats_emit, &rep);
		break;
	}
	request_free(&req);
	conn_send(c, &rep);
}

static void
conn_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;
	char		 msg[128];

	(void)fd;
	(void)what;
	snprintf(msg, sizeof(msg), "trame incomplète après %lld s : envoi "
	    "trop lent, connexion fermée", c->srv->settings->frame_timeout);
	conn_fail(c, "frame_timeout", msg);
}

/*
 * A started frame must be whole within --frame-timeout: the clock starts
 * with its first byte and stops when it is taken, so a slow sender cannot
 * hold a connection one byte at a time.
 */
static void
conn_watch_frame(struct conn *c, int started)
{
	struct timeval	 tv = { c->srv->settings->frame_timeout, 0 };

	if (c->bev == NULL || c->closing)
		return;
	if (!started) {
		if (c->deadline != NULL)
			evtimer_del(c->deadline);
		return;
	}
	if (c->deadline == NULL && (c->deadline = evtimer_new(c->srv->base,
	    conn_deadline, c)) == NULL)
		return;
	if (!evtimer_pending(c->deadline, NULL))
		evtimer_add(c->deadline, &tv);
}

/* Takes whole frames from the input while the connection may. */
static void
conn_process(struct conn *c)
{
	struct evbuffer	*in, *out;
	uint8_t		 hdr[FRAME_HEADER], *data;
	size_t		 avail, len;
	long long	 max = c->srv->settings->max_frame;
	char		 msg[160];

	c->refs++;	/* conn_fail may close it under us */
	while (c->bev != NULL && !c->closing && !c->held &&
	    c->inflight < c->srv->settings->max_inflight) {
		in = bufferevent_get_input(c->bev);
		out = bufferevent_get_output(c->bev);
		if (evbuffer_get_length(out) > CONN_OUT_MAX)
			break;		/* resumed by conn_write */
		avail = evbuffer_get_length(in);
		if (evbuffer_copyout(in, hdr, sizeof(hdr)) <
		    (ssize_t)sizeof(hdr))
			break;
		switch (framing_scan(hdr, avail, (size_t)max, &len)) {
		case FRAMING_NEED_MORE:
			goto out;
		case FRAMING_EMPTY:
			conn_fail(c, "empty_frame", "trame vide : la longueur "
			    "annoncée est 0");
			goto out;
		case FRAMING_TOO_LARGE:
			snprintf(msg, sizeof(msg), "trame trop grande : %zu "
			    "octets annoncés, %lld au plus ; envoyez moins "
			    "d'enregistrements par requête", len, max);
			conn_fail(c, "frame_too_large", msg);
			goto out;
		case FRAMING_FRAME:
			break;
		}
		if ((data = evbuffer_pullup(in, (ssize_t)(FRAME_HEADER +
		    len))) == NULL) {
			conn_fail_nomem(c);
			goto out;
		}
		STATS_ADD(bytes_in, FRAME_HEADER + len);
		conn_watch_frame(c, 0);
		conn_frame(c, data + FRAME_HEADER, len);
		if (c->bev != NULL)
			evbuffer_drain(in, FRAME_HEADER + len);
	}
out:
	/* Only a frame still arriving runs against the clock. */
	if (c->bev != NULL) {
		in = bufferevent_get_input(c->bev);
		avail = evbuffer_get_length(in);
		evbuffer_copyout(in, hdr, sizeof(hdr));
		conn_watch_frame(c, avail > 0 && framing_scan(hdr, avail,
		    (size_t)max, &len) == FRAMING_NEED_MORE);
		server_holder_set(c->srv, &c->hold, avail);
	}
	conn_unref(c);
}

static void
conn_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	conn_process(arg);
}

static void
conn_write(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	(void)bev;
	if (c->closing)
		conn_finish_if_done(c, "closed_after_replies");
	else
		conn_process(c);
}

static void
conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;
	size_t		 left;

	if (what & BEV_EVENT_CONNECTED)
		return;		/* a TLS handshake completed */
	if (what & BEV_EVENT_EOF) {
		left = evbuffer_get_length(bufferevent_get_input(bev));
		if (left > 0 && !c->closing)
			STATS_ADD(frame_errors, 1);
		/* Half-closed: acks still due are written before closing. */
		c->closing = 1;
		bufferevent_disable(bev, EV_READ);
		if (c->inflight == 0 &&
		    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_close(c, left > 0 ? "eof_in_frame" : "eof");
	} else if (what & BEV_EVENT_TIMEOUT)
		conn_close(c, what & BEV_EVENT_READING ? "idle_timeout" :
		    "write_timeout");
	else
		conn_close(c, "socket_error");
}

void
conn_accept(struct server *srv, evutil_socket_t fd,
    const struct sockaddr *sa, socklen_t salen)
{
	const struct settings	*set = srv->settings;
	/* Until a valid token is seen, seconds only (--auth-timeout). */
	struct timeval		 rt = { set->auth_timeout < set->idle_timeout ?
				    set->auth_timeout : set->idle_timeout, 0 };
	struct timeval		 wt = { set->write_timeout, 0 };
	struct conn		*c, *o;
	long long		 same = 0;
	int			 hold;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	if ((c->bev = server_bufferevent(srv, fd)) == NULL) {
		evutil_closesocket(fd);
		free(c);
		return;
	}
	c->srv = srv;
	c->id = ++srv->next_conn_id;
	c->refs = 1;
	server_peer_name(sa, salen, c->peer, sizeof(c->peer), c->addr,
	    sizeof(c->addr));
	TAILQ_INSERT_TAIL(&srv->conns, c, entry);
	server_holder_add(srv, &c->hold, conn_shed);
	srv->nconns++;
	if (auth_protected(srv->auth) && !server_is_loopback(c->peer)) {
		STATS_ADD(connections_accepted, 1);
		STATS_ADD(connections_current, 1);
		bufferevent_setcb(c->bev, conn_read, conn_write, conn_event, c);
		bufferevent_enable(c->bev, EV_WRITE);
		conn_fail(c, "protected_mode", "mode protégé : aucun jeton n'est "
		    "configuré sur ce serveur, seules les connexions locales "
		    "sont acceptées");
		return;
	}
	STATS_ADD(connections_accepted, 1);
	STATS_ADD(connections_current, 1);
	bufferevent_setcb(c->bev, conn_read, conn_write, conn_event, c);
	/*
	 * One address takes at most its share of the table; there too the
	 * oldest connection that showed no token makes room, so that a
	 * token holder behind the same address (an office's router) gets in.
	 */
	TAILQ_FOREACH(o, &srv->conns, entry)
		same += strcmp(c->addr, o->addr) == 0;
	if (same > set->max_per_address &&
	    !conn_evict_unauthenticated(srv, c->addr, c)) {
		bufferevent_enable(c->bev, EV_WRITE);
		conn_fail(c, "too_many_connections", "trop de connexions "
		    "ouvertes depuis votre adresse : fermez-en, ou réessayez "
		    "dans un moment");
		return;
	}
	c->authed = auth_protected(srv->auth);	/* local: nothing to show */
	if (c->authed)
		rt.tv_sec = set->idle_timeout;
	/* An address that failed tokens waits; its time to show one, after. */
	hold = server_auth_penalty(srv, c->addr);
	rt.tv_sec += (hold + 999) / 1000;
	bufferevent_setwatermark(c->bev, EV_READ, 0,
	    (size_t)set->max_frame + FRAME_HEADER);
	bufferevent_set_timeouts(c->bev, &rt, &wt);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	conn_hold(c, hold);
	log_info("event=conn_open conn=%llu peer=%s", (unsigned long long)c->id,
	    c->peer);
}

/* The memory budget is spent: what c held goes, and c with it. */
static void
conn_shed(struct server_holder *h)
{
	struct conn	*c = (struct conn *)((char *)h -
			    offsetof(struct conn, hold));
	struct evbuffer	*in = bufferevent_get_input(c->bev);

	evbuffer_drain(in, evbuffer_get_length(in));
	conn_fail(c, "server_busy", "serveur saturé : trop de trames "
	    "partielles en mémoire ; renvoyez dans un moment");
}

void
conn_stop_reading_all(struct server *srv)
{
	struct conn	*c;

	TAILQ_FOREACH(c, &srv->conns, entry) {
		c->closing = 1;
		bufferevent_disable(c->bev, EV_READ);
	}
}

int
conn_all_flushed(struct server *srv)
{
	struct conn	*c;

	TAILQ_FOREACH(c, &srv->conns, entry)
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
			return 0;
	return 1;
}

void
conn_close_all(struct server *srv)
{
	while (!TAILQ_EMPTY(&srv->conns))
		conn_close(TAILQ_FIRST(&srv->conns), "shutdown");
}
