/*
 * ctg-load — load generator for ctgd: many connections, each keeping a
 * window of submit requests in flight, of realistic generated records
 * (gen.h). Flat out, or at a fixed rate of records per second. Measures
 * the time from sending a request (in fixed-rate mode: from when it was
 * due, so that a stalled server shows in the latency) to its
 * acknowledgement, and counts every record not accepted as an error.
 *
 * One event loop over nonblocking sockets; connections are opened by the
 * clients' own connect (token, TLS), then driven by bufferevents.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/ssl.h>

#include "catalogue.h"
#include "client.h"
#include "framing.h"
#include "gen.h"
#include "record.h"
#include "wire.h"

#define LOAD_WINDOW_MAX	256	/* requests in flight on one connection */
#define LOAD_TICK_US	1000	/* the fixed-rate pacer's period */
#define LOAD_DRAIN_S	30.0	/* wait for the last acks at most this long */

struct load_sent {
	double		 at;		/* s, monotonic: sent, or due */
	uint32_t	 nrecords;
};

struct load_conn {
	struct load		*l;
	struct client		 cl;
	struct bufferevent	*bev;
	uint64_t		 seq;
	int			 inflight;
	int			 dead;
	struct load_sent	 sent[LOAD_WINDOW_MAX];	/* by seq % max */
};

/* One request's latency, counted once per record it carried. */
struct load_sample {
	uint32_t	 us;
	uint32_t	 nrecords;
};

struct load {
	struct event_base	*base;
	struct event		*tick;
	struct load_conn	*conns;
	int			 nconns, batch, window;
	double			 rate, seconds;	/* rate 0: flat out */
	double			 t0, tend, tlast;
	uint64_t		 due;		/* records due so far (fixed rate) */
	uint64_t		 sent, acked, errors, late;
	int			 open, next;	/* connections open; round robin */
	struct load_sample	*samples;
	size_t			 nsamples, cap;
	struct gen		 gen;
	const char		*first_error;
	char			 errbuf[512];
};

static void
load_fail(struct load *l, const char *why)
{
	if (l->first_error == NULL) {
		snprintf(l->errbuf, sizeof(l->errbuf), "%s", why);
		l->first_error = l->errbuf;
	}
}

/* Sends one request of batch records; due is when it was due, or 0. */
static int
load_send(struct load_conn *c, double due)
{
	struct load		*l = c->l;
	struct request		 req;
	struct load_sent	*s;
	uint8_t			*frame;
	size_t			 len, i;
	int			 rc = -1;

	memset(&req, 0, sizeof(req));
	req.kind = REQUEST_SUBMIT;
	req.seq = ++c->seq;
	if (c->cl.token_len > 0) {
		req.token = c->cl.token;
		req.token_len = c->cl.token_len;
	}
	if ((req.records = arena_alloc(&req.arena, (size_t)l->batch *
	    sizeof(*req.records))) == NULL)
		goto out;
	for (i = 0; i < (size_t)l->batch; i++)
		if (gen_record(&l->gen, &req.records[i], &req.arena) == -1)
			goto out;
	req.nrecords = (size_t)l->batch;
	if ((frame = wire_encode_request(&req, &len)) == NULL)
		goto out;
	s = &c->sent[req.seq % LOAD_WINDOW_MAX];
	s->at = due > 0 ? due : client_clock();
	s->nrecords = (uint32_t)l->batch;
	rc = bufferevent_write(c->bev, frame, len);
	free(frame);
	if (rc == 0) {
		c->inflight++;
		l->sent += (uint64_t)l->batch;
	}
out:
	arena_free(&req.arena);
	return rc;
}

static int
load_sending(const struct load *l)
{
	return l->tend == 0 || client_clock() < l->tend;
}

static void
load_fill(struct load_conn *c)
{
	while (!c->dead && c->inflight < c->l->window && load_sending(c->l))
		if (load_send(c, 0) == -1) {
			load_fail(c->l, "requête impossible à construire "
			    "(mémoire insuffisante)");
			break;
		}
}

static void
load_sample(struct load *l, double latency, uint32_t nrecords)
{
	struct load_sample	*n;

	if (l->nsamples == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 65536;
		if ((n = realloc(l->samples, l->cap * sizeof(*n))) == NULL) {
			load_fail(l, "mémoire insuffisante pour les mesures");
			return;
		}
		l->samples = n;
	}
	l->samples[l->nsamples++] = (struct load_sample){
	    latency < 0 ? 0 : (uint32_t)(latency * 1e6), nrecords };
}

/* Frees the bufferevent, and with it the socket and the TLS session. */
static void
load_release(struct load_conn *c)
{
	if (c->bev == NULL)
		return;
	bufferevent_free(c->bev);
	c->bev = NULL;
	c->cl.ssl = NULL;
	c->cl.fd = -1;
}

static void
load_done_conn(struct load_conn *c)
{
	struct load	*l = c->l;

	if (c->dead)
		return;
	c->dead = 1;
	load_release(c);
	if (--l->open == 0)
		event_base_loopexit(l->base, NULL);
}

/* Counts a reply's records: accepted, or errors (with the first reason). */
static void
load_reply(struct load_conn *c, const struct reply *rep)
{
	struct load		*l = c->l;
	struct load_sent	*s = &c->sent[rep->seq % LOAD_WINDOW_MAX];
	double			 t = client_clock();
	size_t			 i;

	if (rep->seq == 0 || rep->seq > c->seq || c->inflight == 0) {
		load_fail(l, "réponse à une requête jamais envoyée");
		l->errors++;
		return;
	}
	c->inflight--;
	l->tlast = t;
	load_sample(l, t - s->at, s->nrecords);
	if (rep->kind != REPLY_SUBMIT) {
		l->errors += s->nrecords;
		load_fail(l, rep->error_message != NULL ? rep->error_message :
		    "réponse inattendue à un envoi");
		return;
	}
	for (i = 0; i < rep->nacks; i++) {
		if (rep->acks[i].status == ACK_ACCEPTED) {
			l->acked++;
			continue;
		}
		l->errors++;
		load_fail(l, rep->acks[i].reason != NULL ?
		    rep->acks[i].reason : ack_status_label(rep->acks[i].status));
	}
	if (rep->nacks < s->nrecords)
		l->errors += s->nrecords - rep->nacks;
}

static void
load_read_cb(struct bufferevent *bev, void *arg)
{
	struct load_conn	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct reply		 rep;
	const char		*why;
	uint8_t			*p;
	size_t			 len, avail;

	while ((avail = evbuffer_get_length(in)) >= FRAME_HEADER) {
		p = evbuffer_pullup(in, FRAME_HEADER);
		switch (framing_scan(p, avail, CLIENT_FRAME_MAX, &len)) {
		case FRAMING_NEED_MORE:
			goto more;
		case FRAMING_FRAME:
			break;
		default:
			why = "trame de réponse vide ou trop grande";
			goto fail;
		}
		p = evbuffer_pullup(in, (ssize_t)(FRAME_HEADER + len));
		if (wire_decode_reply(p + FRAME_HEADER, len, &rep, &why) == -1)
			goto fail;
		load_reply(c, &rep);
		reply_free(&rep);
		evbuffer_drain(in, FRAME_HEADER + len);
	}
more:
	if (c->l->rate == 0)
		load_fill(c);
	if (!load_sending(c->l) && c->inflight == 0)
		load_done_conn(c);
	return;
fail:
	load_fail(c->l, why);
	c->l->errors += (uint64_t)c->inflight * (uint64_t)c->l->batch;
	load_done_conn(c);
}

static void
load_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct load_conn	*c = arg;

	(void)bev;
	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	load_fail(c->l, what & BEV_EVENT_EOF ? "connexion fermée par le "
	    "serveur" : strerror(EVUTIL_SOCKET_ERROR()));
	c->l->errors += (uint64_t)c->inflight * (uint64_t)c->l->batch;
	load_done_conn(c);
}

/*
 * The pacer (fixed rate) and the clock: sends what is due, spread over the
 * connections that have room; what finds no room waits, and its latency
 * still counts from when it was due.
 */
static void
load_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct load	*l = arg;
	struct load_conn *c = NULL;
	double		 t = client_clock(), due;
	int		 i, tried;

	(void)fd;
	(void)what;
	if (!load_sending(l)) {
		for (i = 0; i < l->nconns; i++)
			if (!l->conns[i].dead && l->conns[i].inflight == 0)
				load_done_conn(&l->conns[i]);
		if (t > l->tend + LOAD_DRAIN_S) {
			load_fail(l, "accusés de réception toujours attendus "
			    "après 30 s");
			for (i = 0; i < l->nconns; i++)
				if (!l->conns[i].dead) {
					l->errors += (uint64_t)l->conns[i].inflight
					    * (uint64_t)l->batch;
					load_done_conn(&l->conns[i]);
				}
		}
		return;
	}
	if (l->rate == 0)
		return;
	while ((double)(l->due + (uint64_t)l->batch) <= l->rate * (t - l->t0)) {
		due = l->t0 + (double)(l->due + (uint64_t)l->batch) / l->rate;
		for (tried = 0; tried < l->nconns; tried++) {
			c = &l->conns[l->next];
			l->next = (l->next + 1) % l->nconns;
			if (!c->dead && c->inflight < l->window)
				break;
		}
		if (tried == l->nconns) {
			l->late++;	/* every window full: the server lags */
			break;
		}
		if (load_send(c, due) == -1)
			break;
		l->due += (uint64_t)l->batch;
	}
}

static int
percentile_cmp(const void *a, const void *b)
{
	uint32_t	 x = ((const struct load_sample *)a)->us;
	uint32_t	 y = ((const struct load_sample *)b)->us;

	return x < y ? -1 : x > y;
}

/* The latency under which fraction q of the acknowledged records fall. */
static double
load_percentile(const struct load *l, uint64_t total, double q)
{
	uint64_t	 want = (uint64_t)ceil(q * (double)total), seen = 0;
	size_t		 i;

	for (i = 0; i < l->nsamples; i++) {
		seen += l->samples[i].nrecords;
		if (seen >= want)
			return l->samples[i].us / 1000.0;
	}
	return l->nsamples ? l->samples[l->nsamples - 1].us / 1000.0 : 0;
}

static void
load_report(struct load *l)
{
	uint64_t	 total = 0;
	double		 elapsed = (l->tlast > l->t0 ? l->tlast : client_clock()) - l->t0;
	size_t		 i;

	qsort(l->samples, l->nsamples, sizeof(*l->samples), percentile_cmp);
	for (i = 0; i < l->nsamples; i++)
		total += l->samples[i].nrecords;
	if (l->first_error != NULL)
		fprintf(stderr, "ctg-load : première erreur : %s\n",
		    l->first_error);
	printf("connections=%d batch=%d window=%d mode=%s seconds=%.2f "
	    "sent=%" PRIu64 " acked=%" PRIu64 " late_ticks=%" PRIu64
	    " ack_p999_ms=%.2f ack_max_ms=%.2f\n", l->nconns, l->batch,
	    l->window, l->rate > 0 ? "rate" : "flat-out", elapsed, l->sent,
	    l->acked, l->late, load_percentile(l, total, 0.999),
	    load_percentile(l, total, 1.0));
	printf("records_per_s=%.0f ack_p50_ms=%.2f ack_p99_ms=%.2f "
	    "errors=%" PRIu64 "\n", elapsed > 0 ? (double)l->acked / elapsed : 0,
	    load_percentile(l, total, 0.5), load_percentile(l, total, 0.99),
	    l->errors);
}

static int
load_open(struct load *l, const char *server)
{
	char	 err[512];
	int	 i;

	if ((l->conns = calloc((size_t)l->nconns, sizeof(*l->conns))) == NULL)
		return -1;
	for (i = 0; i < l->nconns; i++)
		l->conns[i].cl.fd = -1;		/* none open yet */
	for (i = 0; i < l->nconns; i++) {
		struct load_conn *c = &l->conns[i];

		c->l = l;
		if (client_connect(&c->cl, server, err, sizeof(err)) == -1) {
			fprintf(stderr, "ctg-load : connexion %d : %s\n", i + 1,
			    err);
			return -1;
		}
		evutil_make_socket_nonblocking(c->cl.fd);
		c->bev = c->cl.ssl != NULL ?
		    bufferevent_openssl_socket_new(l->base, c->cl.fd,
		    c->cl.ssl, BUFFEREVENT_SSL_OPEN, BEV_OPT_CLOSE_ON_FREE) :
		    bufferevent_socket_new(l->base, c->cl.fd,
		    BEV_OPT_CLOSE_ON_FREE);
		if (c->bev == NULL)
			return -1;
		bufferevent_setcb(c->bev, load_read_cb, NULL, load_event_cb, c);
		bufferevent_enable(c->bev, EV_READ | EV_WRITE);
		l->open++;
	}
	return 0;
}

static void
load_close(struct load *l)
{
	int	 i;

	for (i = 0; l->conns != NULL && i < l->nconns; i++) {
		load_release(&l->conns[i]);
		client_close(&l->conns[i].cl);
	}
	free(l->conns);
	free(l->samples);
	if (l->tick != NULL)
		event_free(l->tick);
	if (l->base != NULL)
		event_base_free(l->base);
}

static int
usage(FILE *f, int rc)
{
	fprintf(f,
"usage : ctg-load [--server HOTE:PORT] [--connections N] [--seconds S]\n"
"                 [--rate R] [--batch B] [--window W] [--days J] [--seed G]\n"
"Envoie à ctgd des enregistrements réalistes générés (les 46 fiches, les\n"
"communes de la CC et d'ailleurs, des groupes de participants, des ids\n"
"UUIDv7) et mesure le débit accusé et la latence des accusés de réception.\n"
"  --server HOTE:PORT   serveur ctgd (défaut : $CTG_SERVER ou 127.0.0.1:7411)\n"
"  --connections N      connexions simultanées (défaut : 1)\n"
"  --seconds S          durée de l'envoi (défaut : 10)\n"
"  --rate R             enregistrements par seconde, en tout ; 0 = au plus\n"
"                       vite (défaut : 0)\n"
"  --batch B            enregistrements par requête (défaut : 10)\n"
"  --window W           requêtes en vol par connexion, 1 à 256 (défaut : 8)\n"
"  --days J             dates tirées sur les J derniers jours (défaut : 60)\n"
"  --seed G             graine du générateur (défaut : l'heure)\n"
CLIENT_OPTIONS_HELP
"Dernière ligne : records_per_s=… ack_p50_ms=… ack_p99_ms=… errors=…\n"
"(errors : enregistrements non acceptés). Sortie 0 sans erreur, 1 sinon,\n"
"2 si la commande est mal formée.\n");
	return rc;
}

static int
load_number(const char *flag, const char *v, double lo, double hi,
    double *out)
{
	char	*end;

	errno = 0;
	*out = v != NULL ? strtod(v, &end) : 0;
	if (v == NULL || errno != 0 || end == v || *end != '\0' ||
	    !(*out >= lo && *out <= hi)) {
		fprintf(stderr, "ctg-load : %s attend un nombre entre %g et %g "
		    "(reçu « %s »)\n", flag, lo, hi, v != NULL ? v : "");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*flag;
		double		 lo, hi;
	} opts[] = {
		{ "--connections", 1, 10000 }, { "--seconds", 0.01, 86400 },
		{ "--rate", 0, 1e7 }, { "--batch", 1, 10000 },
		{ "--window", 1, LOAD_WINDOW_MAX }, { "--days", 1, 365 },
		{ "--seed", 0, 1e15 },
	};
	double		 v[7] = { 1, 10, 0, 10, 8, 60, 0 };
	struct load	 l = { 0 };
	const struct catalogue *cat;
	struct timeval	 tv = { 0, LOAD_TICK_US };
	const char	*server = NULL;
	char		 err[512];
	size_t		 k;
	int		 i, rc = 1;

	v[6] = (double)time(NULL);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return usage(stdout, 0);
		if (client_option(argc, argv, &i))
			continue;
		if (strcmp(argv[i], "--server") == 0 && i + 1 < argc) {
			server = argv[++i];
			continue;
		}
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strcmp(argv[i], opts[k].flag) == 0)
				break;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			fprintf(stderr, "ctg-load : option inconnue « %s »\n",
			    argv[i]);
			return usage(stderr, 2);
		}
		if (load_number(opts[k].flag, i + 1 < argc ? argv[++i] : NULL,
		    opts[k].lo, opts[k].hi, &v[k]) == -1)
			return 2;
	}
	l.nconns = (int)v[0];
	l.seconds = v[1];
	l.rate = v[2];
	l.batch = (int)v[3];
	l.window = (int)v[4];
	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL ||
	    gen_init(&l.gen, cat, (uint64_t)v[6], date_today(), (int)v[5]) ==
	    -1) {
		fprintf(stderr, "ctg-load : catalogue intégré illisible\n");
		return 1;
	}
	if ((l.base = event_base_new()) == NULL ||
	    (l.tick = event_new(l.base, -1, EV_PERSIST, load_tick_cb,
	    &l)) == NULL || load_open(&l, client_server(server)) == -1)
		goto out;
	l.t0 = client_clock();
	l.tend = l.t0 + l.seconds;
	event_add(l.tick, &tv);
	if (l.rate == 0)
		for (i = 0; i < l.nconns; i++)
			load_fill(&l.conns[i]);
	event_base_dispatch(l.base);
	load_report(&l);
	rc = l.errors == 0 && l.acked > 0 ? 0 : 1;
out:
	load_close(&l);
	return rc;
}
