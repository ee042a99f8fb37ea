/*
 * server.c — listener, HTTP port, signals and shutdown.
 *
 * The accept path caps connections (the excess gets an error frame and is
 * closed) and backs off for a second when the process runs out of file
 * descriptors. SIGTERM and SIGINT stop the accepts and the reads, let the
 * writer commit and the connections write every ack, then end the loop.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "addr.h"
#include "auth.h"
#include "conn.h"
#include "http.h"
#include "httpd.h"
#include "log.h"
#include "query.h"
#include "record.h"
#include "rollup.h"
#include "server.h"
#include "settings.h"
#include "stats.h"
#include "store.h"
#include "view.h"
#include "wire.h"
#include "writer.h"

#define SERVER_DRAIN_TICK	50	/* ms between shutdown checks */
#define SERVER_TRIM_PEAK	(4 * 1024 * 1024)	/* bytes: a burst */
#define SERVER_TRIM_LOW		(64 * 1024)	/* bytes: the burst is over */
#define SERVER_TRIM_DELAY	100	/* ms */

static int
server_bound_port(evutil_socket_t fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	char			 serv[NI_MAXSERV];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    getnameinfo((struct sockaddr *)&ss, len, NULL, 0, serv,
	    sizeof(serv), NI_NUMERICSERV) != 0)
		return -1;
	return atoi(serv);
}

/* Refuses a connection over the cap with a frame that says why. */
static void
server_refuse(evutil_socket_t fd)
{
	struct reply	 rep = { .kind = REPLY_ERROR,
			    .error_code = "too_many_connections",
			    .error_message = "trop de connexions ouvertes sur "
			    "le serveur : réessayez dans un moment" };
	uint8_t		*frame;
	size_t		 len;

	STATS_ADD(connections_refused, 1);
	if ((frame = wire_encode_reply(&rep, &len)) != NULL) {
		if (send(fd, frame, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			log_debug("event=refuse_send_failed errno=%d", errno);
		free(frame);
	}
	evutil_closesocket(fd);
}

static void
server_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct server	*srv = arg;

	(void)l;
	if (srv->draining) {
		evutil_closesocket(fd);
		return;
	}
	/* Full: a connection that never showed a valid token makes room. */
	if (srv->nconns >= (size_t)srv->settings->max_connections &&
	    !conn_evict_unauthenticated(srv, NULL, NULL)) {
		log_info("event=conn_refused reason=too_many_connections "
		    "open=%zu", srv->nconns);
		server_refuse(fd);
		return;
	}
	conn_accept(srv, fd, sa, (socklen_t)salen);
}

static void
server_http_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	(void)l;
	httpd_accept(arg, fd, sa, (socklen_t)salen);
}

static void
server_accept_retry(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;

	(void)fd;
	(void)what;
	if (srv->draining)
		return;
	if (srv->listener != NULL)
		evconnlistener_enable(srv->listener);
	if (srv->http_listener != NULL)
		evconnlistener_enable(srv->http_listener);
}

/*
 * accept() failed, on either port. Out of descriptors or memory, the port
 * rests a second rather than failing again at once; the log says it at
 * most once a second, with how many failed since.
 */
static void
server_accept_error(struct evconnlistener *l, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 tv = { 1, 0 };
	int		 err = EVUTIL_SOCKET_ERROR();
	long long	 now = (long long)time(NULL);

	srv->accept_errors++;
	if (now != srv->accept_logged) {
		log_warn("event=accept_error errno=%d count=%llu reason=\"%s\"",
		    err, srv->accept_errors, evutil_socket_error_to_string(err));
		srv->accept_logged = now;
		srv->accept_errors = 0;
	}
	if (err == EMFILE || err == ENFILE || err == ENOBUFS ||
	    err == ENOMEM) {
		evconnlistener_disable(l);
		evtimer_add(srv->accept_retry, &tv);
	}
}

static void
server_drain_check(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 tv = { 0, SERVER_DRAIN_TICK * 1000 };

	(void)fd;
	(void)what;
	if (writer_pending(srv->writer) == 0 &&
	    writer_pending(srv->verifier) == 0 &&
	    writer_pending(srv->reader) == 0 && conn_all_flushed(srv) &&
	    httpd_all_flushed(srv)) {
		log_info("event=shutdown_done records_accepted=%llu",
		    (unsigned long long)stats.records_accepted);
		event_base_loopexit(srv->base, NULL);
		return;
	}
	evtimer_add(srv->drain_check, &tv);
}

static void
server_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;

	(void)what;
	if (srv->draining)
		return;
	log_info("event=shutdown signal=%d pending_jobs=%zu", (int)sig,
	    writer_pending(srv->writer));
	srv->draining = 1;
	/* A long quick_check need not finish for ctgd to stop. */
	if (srv->checking)
		store_interrupt(srv->verify_store);
	if (srv->listener != NULL) {
		evconnlistener_free(srv->listener);
		srv->listener = NULL;
	}
	if (srv->http_listener != NULL) {
		evconnlistener_free(srv->http_listener);
		srv->http_listener = NULL;
	}
	conn_stop_reading_all(srv);
	httpd_stop_reading_all(srv);
	server_drain_check(-1, 0, srv);
}

/*
 * Binds addr ("HOST:PORT") for cb: the listener, its port in *port; 0, or
 * -1 after logging.
 */
static int
server_bind(struct server *srv, const char *addr, evconnlistener_cb cb,
    struct evconnlistener **l, int *port)
{
	struct evutil_addrinfo	 hints, *ai = NULL;
	char			 host[256], serv[16];
	int			 err;

	addr_split(addr, host, sizeof(host), serv, sizeof(serv));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE;
	if ((err = evutil_getaddrinfo(host, serv, &hints, &ai)) != 0) {
		log_warn("event=bind_failed addr=%s reason=\"%s\"", addr,
		    evutil_gai_strerror(err));
		return -1;
	}
	*l = evconnlistener_new_bind(srv->base, cb, srv,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024, ai->ai_addr,
	    (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	if (*l == NULL) {
		log_warn("event=bind_failed addr=%s reason=\"%s\"", addr,
		    strerror(errno));
		return -1;
	}
	evconnlistener_set_error_cb(*l, server_accept_error);
	*port = server_bound_port(evconnlistener_get_fd(*l));
	return 0;
}

/* TLS for both ports when a certificate is set; 0, or -1 after logging. */
static int
server_tls(struct server *srv)
{
	const struct settings	*set = srv->settings;
	SSL_CTX			*ctx;

	if (set->tls_cert[0] == '\0' && set->tls_key[0] == '\0')
		return 0;
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_use_certificate_chain_file(ctx, set->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, set->tls_key,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		log_warn("event=tls_failed cert=%s key=%s reason=\"certificat "
		    "ou clé illisible, ou qui ne vont pas ensemble\"",
		    set->tls_cert, set->tls_key);
		SSL_CTX_free(ctx);
		return -1;
	}
	srv->tls = ctx;
	return 0;
}

struct bufferevent *
server_bufferevent(struct server *srv, int fd)
{
	struct bufferevent	*bev;
	SSL			*ssl;

	if (srv->tls == NULL)
		return bufferevent_socket_new(srv->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
	if ((ssl = SSL_new(srv->tls)) == NULL)
		return NULL;
	if ((bev = bufferevent_openssl_socket_new(srv->base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		SSL_free(ssl);
		return NULL;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

void
server_peer_name(const struct sockaddr *sa, unsigned salen, char *peer,
    size_t peerlen, char *addr, size_t addrlen)
{
	char	 host[INET6_ADDRSTRLEN], serv[8];

	if (getnameinfo(sa, salen, host, sizeof(host), serv, sizeof(serv),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(peer, peerlen, "?");
		snprintf(addr, addrlen, "?");
		return;
	}
	snprintf(peer, peerlen, strchr(host, ':') != NULL ? "[%s]:%s" :
	    "%s:%s", host, serv);
	snprintf(addr, addrlen, "%s", host);
}

static void
server_trim(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;

	(void)fd;
	(void)what;
	malloc_trim(0);
	log_info("event=memory_trimmed peak=%zu held=%zu", srv->held_peak,
	    srv->held);
	srv->held_peak = srv->held;
}

void
server_holder_add(struct server *srv, struct server_holder *h,
    void (*shed)(struct server_holder *))
{
	h->held = 0;
	h->shed = shed;
	TAILQ_INSERT_TAIL(&srv->holders, h, entry);
}

void
server_holder_remove(struct server *srv, struct server_holder *h)
{
	server_holder_set(srv, h, 0);
	TAILQ_REMOVE(&srv->holders, h, entry);
}

/* The connection holding the most, or NULL when none holds anything. */
static struct server_holder *
server_largest_holder(struct server *srv)
{
	struct server_holder	*h, *big = NULL;

	TAILQ_FOREACH(h, &srv->holders, entry)
		if (h->held > 0 && (big == NULL || h->held > big->held))
			big = h;
	return big;
}

void
server_holder_set(struct server *srv, struct server_holder *h, size_t bytes)
{
	struct server_holder	*big;
	int			 n;

	srv->held = srv->held - h->held + bytes;
	h->held = bytes;
	if (srv->held > srv->held_peak)
		srv->held_peak = srv->held;
	/* Over the budget: the largest holders go, whichever port. */
	for (n = 0; !srv->shedding && n < 1024 && srv->held >
	    (size_t)srv->settings->memory_budget << 20 &&
	    (big = server_largest_holder(srv)) != NULL; n++) {
		log_warn("event=memory_budget held=%zu budget_mb=%lld "
		    "shed_bytes=%zu", srv->held, srv->settings->memory_budget,
		    big->held);
		STATS_ADD(memory_sheds, 1);
		srv->shedding = 1;
		/* Its bytes are gone once it is told: counted out now. */
		srv->held -= big->held;
		big->held = 0;
		big->shed(big);
		srv->shedding = 0;
	}
	STATS_SET(memory_held, srv->held);
	/*
	 * After a burst, what was freed goes back to the system: on the
	 * next turn of the loop, once libevent has freed the closed
	 * connections' buffers.
	 */
	if (srv->held_peak > SERVER_TRIM_PEAK && srv->held < SERVER_TRIM_LOW &&
	    srv->trim != NULL && !evtimer_pending(srv->trim, NULL)) {
		struct timeval	 tv = { 0, SERVER_TRIM_DELAY * 1000 };

		evtimer_add(srv->trim, &tv);
	}
}

/* Written whole then renamed, so that a reader never sees half a file. */
static int
server_write_port_file(struct server *srv)
{
	const char	*path = srv->settings->port_file;
	char		 tmp[4096];
	FILE		*f;

	if (path[0] == '\0')
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(f, "listen %d\nhttp %d\n", srv->listen_port, srv->http_port);
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		return -1;
	return 0;
}

int
server_is_loopback(const char *peer)
{
	return strncmp(peer, "127.", 4) == 0 || strncmp(peer, "::1", 3) == 0 ||
	    strncmp(peer, "[::1]", 5) == 0 ||
	    strncmp(peer, "::ffff:127.", 11) == 0;
}

/* ms after count failures: nothing at first, then more and more, 3 s at most. */
static int
server_auth_delay(unsigned count)
{
	return count <= 3 ? 0 : (int)(count < 33 ? (count - 3) * 100 : 3000);
}

int
server_auth_failed(struct server *srv, const char *addr)
{
	struct auth_failures	*f = NULL, *oldest = &srv->failures[0];
	long long		 now = (long long)time(NULL);
	size_t			 i;

	for (i = 0; i < SERVER_AUTH_SLOTS; i++) {
		if (strcmp(srv->failures[i].addr, addr) == 0) {
			f = &srv->failures[i];
			break;
		}
		if (srv->failures[i].since < oldest->since)
			oldest = &srv->failures[i];
	}
	if (f == NULL) {
		f = oldest;
		memset(f, 0, sizeof(*f));
		snprintf(f->addr, sizeof(f->addr), "%s", addr);
		f->since = now;
	}
	if (now - f->since >= 60) {	/* s: a new window */
		if (f->count > 1)
			log_warn("event=auth_failed addr=%s count=%u "
			    "window_s=60", f->addr, f->count);
		f->count = 0;
		f->since = now;
		f->logged = 0;
	}
	f->count++;
	if (!f->logged) {
		log_warn("event=auth_failed addr=%s count=1 reason=\"jeton "
		    "absent, inconnu ou révoqué\"", f->addr);
		f->logged = 1;
	}
	return server_auth_delay(f->count);
}

int
server_auth_penalty(struct server *srv, const char *addr)
{
	size_t	 i;

	for (i = 0; i < SERVER_AUTH_SLOTS; i++)
		if (strcmp(srv->failures[i].addr, addr) == 0)
			return (long long)time(NULL) - srv->failures[i].since >=
			    60 ? 0 : server_auth_delay(srv->failures[i].count);
	return 0;
}

/* The start's integrity check, asked by the server itself. */
static const char server_integrity[] = "integrity";

/*
 * verify and backup, on the verifier's own connection; and first of all
 * the start's quick_check, so that ctgd serves at once whatever the size
 * of the base.
 */
static void
server_verify(struct store *s, struct writer_job *j, void *arg)
{
	struct server	*srv = arg;
	char		 err[1024];

	if (j->req.query.kind == server_integrity) {
		if (store_check(s, srv->settings->db, err, sizeof(err)) == -1)
			j->error = strdup(err);
		else
			j->document = strdup("{}");
		return;
	}
	if ((j->document = query_verify(s, &j->req.query, srv->view,
	    srv->writer)) == NULL)
		j->error = strdup("vérification impossible : erreur de la base "
		    "(voir le journal de ctgd)");
}

/* On the loop: a damaged base takes no more writes, and the log says so. */
static void
server_integrity_done(struct writer_job *j, void *arg)
{
	struct server	*srv = arg;
	char		*p;

	srv->checking = 0;
	if (j->error == NULL)
		log_info("event=integrity_ok db=%s", srv->settings->db);
	else if (srv->draining)
		log_info("event=integrity_interrupted db=%s", srv->settings->db);
	else {
		/* SQLite's report spans lines: one line here and in acks. */
		snprintf(srv->damaged, sizeof(srv->damaged), "%s", j->error);
		for (p = srv->damaged; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '"')
				*p = *p == '"' ? '\'' : ' ';
		writer_refuse_all(srv->writer, srv->damaged);
		log_warn("event=integrity_failed db=%s reason=\"%s\"",
		    srv->settings->db, srv->damaged);
	}
	writer_job_free(j);
}

/* Starts the quick_check on the verifier: 0, or -1 when out of memory. */
static int
server_check_integrity(struct server *srv)
{
	struct request		 rq = { .kind = REQUEST_QUERY,
				    .query = { .kind = server_integrity } };
	struct writer_job	*j;

	if ((j = writer_job_new(&rq, srv)) == NULL)
		return -1;
	j->done = server_integrity_done;
	srv->checking = 1;
	writer_push(srv->verifier, j);
	return 0;
}

/*
 * Every other question, on the reader's thread: the event loop never waits
 * for a read, so acks flow whatever the dashboards ask.
 */
static void
server_read(struct store *s, struct writer_job *j, void *arg)
{
	struct server	*srv = arg;
	const char	*error = NULL;

	json_object	*doc;
	char		 err[256];

	(void)s;
	writer_hold(srv->hold_reads);
	if ((doc = query_answer(srv->query, &j->req.query, date_today(),
	    &error)) == NULL) {
		j->status = query_status(srv->query);
		j->error = strdup(error != NULL ? error :
		    "question sans réponse");
		return;
	}
	if (j->html != NULL)
		j->document = j->html(srv->catalogue, doc);
	else if (j->book != NULL && j->xlsx) {
		if (export_xlsx(j->book, srv->catalogue, doc, &j->document,
		    &j->document_len, err, sizeof(err)) == -1)
			log_warn("event=xlsx_failed reason=\"%s\"", err);
	} else if (j->book != NULL)
		j->document = export_csv(j->book, srv->catalogue, doc);
	else {
		j->document = query_json(doc);
		doc = NULL;
	}
	json_object_put(doc);
	if (j->document != NULL && !j->xlsx)
		j->document_len = strlen(j->document);
	if (j->document == NULL) {
		j->status = 500;
		j->error = strdup("document impossible à établir (mémoire "
		    "ou disque insuffisant)");
	}
}

struct server *
server_start(struct event_base *base, const struct settings *set,
    const struct catalogue *cat, struct store *store)
{
	struct server	*srv;
	char		 err[512];

	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return NULL;
	srv->base = base;
	srv->settings = set;
	srv->catalogue = cat;
	TAILQ_INIT(&srv->conns);
	TAILQ_INIT(&srv->http_conns);
	TAILQ_INIT(&srv->holders);
	TAILQ_INIT(&srv->http_pending);
	srv->hold_reads = getenv("CTG_HOLD_READS");
	struct store_options so = { set->synchronous[0] == 'f', cat, 0, 0, 0,
	    0 };

	/* Filled by the writer's thread: ctgd serves while it loads. */
	if ((srv->view = view_new(cat)) == NULL)
		log_warn("event=start_failed reason=\"mémoire insuffisante\"");
	srv->writer = writer_start(base, store, srv->view,
	    (size_t)set->batch_max, conn_job_done, server_verify, srv);
	/* verify reads the whole base: never on the writer's thread. */
	if ((srv->verify_store = store_open(set->db, &so, err,
	    sizeof(err))) != NULL)
		srv->verifier = writer_start(base, srv->verify_store, NULL, 1,
		    conn_job_done, server_verify, srv);
	if (srv->view == NULL || (srv->query = query_open(set->db, cat,
	    (int)set->small_cells, srv->view, err, sizeof(err))) == NULL ||
	    (srv->rollup = rollup_start(set, cat, srv->view, err,
	    sizeof(err))) == NULL)
		log_warn("event=start_failed reason=\"%s\"", err);
	else
		srv->reader = writer_start(base, NULL, NULL, 1, conn_job_done,
		    server_read, srv);
	srv->sig_term = evsignal_new(base, SIGTERM, server_signal, srv);
	srv->sig_int = evsignal_new(base, SIGINT, server_signal, srv);
	srv->accept_retry = evtimer_new(base, server_accept_retry, srv);
	srv->drain_check = evtimer_new(base, server_drain_check, srv);
	srv->trim = evtimer_new(base, server_trim, srv);
	if ((srv->auth = auth_open(set->db, cat, err, sizeof(err))) == NULL)
		log_warn("event=start_failed reason=\"%s\"", err);
	else if (auth_protected(srv->auth))
		log_warn("event=protected_mode reason=\"aucun jeton configuré : "
		    "seules les connexions locales sont acceptées (ctg-admin "
		    "token create --role admin)\"");
	if (srv->auth == NULL || srv->writer == NULL || srv->verifier == NULL ||
	    srv->query == NULL || srv->reader == NULL ||
	    srv->rollup == NULL ||
	    srv->sig_term == NULL ||
	    srv->sig_int == NULL || srv->accept_retry == NULL ||
	    srv->drain_check == NULL || srv->trim == NULL)
		goto fail;
	/*
	 * Stopping is handled before anyone can know the ports: a SIGTERM
	 * sent as soon as the port file appears stops ctgd cleanly, never
	 * by the default action.
	 */
	evsignal_add(srv->sig_term, NULL);
	evsignal_add(srv->sig_int, NULL);
	if (server_tls(srv) == -1 || server_bind(srv, set->listen,
	    server_accept, &srv->listener, &srv->listen_port) == -1 ||
	    server_bind(srv, set->http, server_http_accept,
	    &srv->http_listener, &srv->http_port) == -1)
		goto fail;
	if (server_write_port_file(srv) == -1) {
		log_warn("event=port_file_failed path=%s reason=\"%s\"",
		    set->port_file, strerror(errno));
		goto fail;
	}
	if (set->integrity_check && server_check_integrity(srv) == -1)
		goto fail;
	return srv;
fail:
	server_free(srv);
	return NULL;
}

void
server_free(struct server *srv)
{
	if (srv == NULL)
		return;
	if (srv->listener != NULL)
		evconnlistener_free(srv->listener);
	if (srv->http_listener != NULL)
		evconnlistener_free(srv->http_listener);
	rollup_stop(srv->rollup);
	writer_stop(srv->reader);
	http_pending_free(srv);
	writer_stop(srv->verifier);
	store_close(srv->verify_store);
	writer_stop(srv->writer);
	conn_close_all(srv);
	httpd_close_all(srv);
	query_close(srv->query);
	view_free(srv->view);
	auth_close(srv->auth);
	if (srv->sig_term != NULL)
		event_free(srv->sig_term);
	if (srv->sig_int != NULL)
		event_free(srv->sig_int);
	if (srv->accept_retry != NULL)
		event_free(srv->accept_retry);
	if (srv->drain_check != NULL)
		event_free(srv->drain_check);
	if (srv->trim != NULL)
		event_free(srv->trim);
	free(srv->plan_json);
	SSL_CTX_free(srv->tls);
	free(srv);
}
