/*
 * probe.c — ctg-probe, the benchmark's measuring instrument (not a test):
 *   ctg-probe bare DB N [--batch B]
 *     the bare SQLite single-writer limit: N record inserts (time-ordered
 *     16-byte keys) each with one aggregate upsert, in transactions of B
 *     (default 1000), WAL, synchronous=FULL, 64 MB cache. No ctg code.
 *   ctg-probe ingest DB N [--no-aggregates] [--batch B] [--days J] [--normal]
 *     stores N generated records (gen.h, dates over the last J days) through
 *     the daemon's store, in transactions of B, as the writer does; with
 *     --normal and a large B it is the benchmark's fast preload
 *     (synchronous=NORMAL: nothing here is acknowledged to anyone).
 *   ctg-probe query DB SHEET|all FROM TO N
 *     answers the same sheet query N times (every sheet N times for all);
 *     prints p50 and p99 in ms, and the slowest sheet's p99.
 *   ctg-probe idle HOST:PORT N SECONDS
 *     opens N connections and holds them idle, then closes them.
 *   ctg-probe poll HOST:PORT N SECONDS PATH
 *     N clients each asking GET PATH of ctgd's HTTP port again and again,
 *     as dashboards do, for SECONDS; prints how many answers and their
 *     p50 and p99 in ms.
 */
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sqlite3.h>

#include "addr.h"
#include "catalogue.h"
#include "client.h"
#include "gen.h"
#include "query.h"
#include "record.h"
#include "store.h"

static int
usage(void)
{
	fprintf(stderr,
"usage : ctg-probe bare BASE N [--batch B]\n"
"        ctg-probe ingest BASE N [--no-aggregates] [--batch B] [--days J]\n"
"                         [--normal]\n"
"        ctg-probe query BASE FICHE|all DE A N\n"
"        ctg-probe idle HOTE:PORT N SECONDES\n"
"        ctg-probe poll HOTE:PORT N SECONDES CHEMIN\n");
	return 2;
}

static int
probe_sql(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	fprintf(stderr, "ctg-probe : %s\n", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

/* The floor under everything: SQLite alone, as the project's targets measure it. */
static int
probe_bare(const char *path, long n, long batch)
{
	static const char *const names[] = { "III.A.17", "II.A.9", "V.B.42",
	    "III.C.25", "I.A.2", "III.A.19", "*", "I.A.1" };
	sqlite3		*db;
	sqlite3_stmt	*ins, *up;
	uint8_t		 id[16] = { 0x01, 0x90 }, payload[96];
	char		 key[64];
	double		 t0;
	long		 i;
	int		 j;

	memset(payload, 'x', sizeof(payload));
	if (sqlite3_open(path, &db) != SQLITE_OK || probe_sql(db,
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA cache_size=-65536;"
	    "CREATE TABLE IF NOT EXISTS rec (id BLOB PRIMARY KEY, day INTEGER,"
	    " payload BLOB) WITHOUT ROWID;"
	    "CREATE TABLE IF NOT EXISTS agg (sheet TEXT, month INTEGER, "
	    "k TEXT, n INTEGER, PRIMARY KEY (sheet, month, k)) WITHOUT ROWID")
	    == -1 || sqlite3_prepare_v2(db, "INSERT INTO rec VALUES (?1, ?2, "
	    "?3)", -1, &ins, NULL) != SQLITE_OK || sqlite3_prepare_v2(db,
	    "INSERT INTO agg VALUES (?1, ?2, ?3, 1) ON CONFLICT DO UPDATE SET "
	    "n = n + 1", -1, &up, NULL) != SQLITE_OK) {
		fprintf(stderr, "ctg-probe : %s\n", sqlite3_errmsg(db));
		return 1;
	}
	t0 = client_clock();
	for (i = 0; i < n; i++) {
		if (i % batch == 0 && probe_sql(db, "BEGIN") == -1)
			return 1;
		for (j = 0; j < 8; j++)
			id[15 - j] = (uint8_t)(i >> (8 * j));
		sqlite3_bind_blob(ins, 1, id, 16, SQLITE_STATIC);
		sqlite3_bind_int(ins, 2, (int)(i % 1095));
		sqlite3_bind_blob(ins, 3, payload, sizeof(payload),
		    SQLITE_STATIC);
		snprintf(key, sizeof(key), "atelier\037ccqb\037%ld", i % 97);
		sqlite3_bind_text(up, 1, names[i % 8], -1, SQLITE_STATIC);
		sqlite3_bind_int(up, 2, 202301 + (int)(i / 7 % 36));
		sqlite3_bind_text(up, 3, key, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE ||
		    sqlite3_step(up) != SQLITE_DONE) {
			fprintf(stderr, "ctg-probe : %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(ins);
		sqlite3_reset(up);
		if ((i % batch == batch - 1 || i == n - 1) &&
		    probe_sql(db, "COMMIT") == -1)
			return 1;
	}
	printf("bare_rows=%ld batch=%ld rows_per_s=%.0f\n", n, batch,
	    (double)n / (client_clock() - t0));
	sqlite3_finalize(ins);
	sqlite3_finalize(up);
	sqlite3_close(db);
	return 0;
}

static int
probe_ingest(const char *db, long n, int noagg, long batch, int days,
    int normal)
{
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct store_options	 so = { !normal, cat, noagg, 0, 0, 0 };
	struct agg_batch	*b = agg_batch_new();
	struct arena		 a = { 0 };
	struct store		*s;
	struct record		 r;
	struct gen		 g;
	uint8_t			 d[RECORD_DIGEST_LEN];
	char			 err[512];
	double			 t0;
	long			 i;

	snprintf(err, sizeof(err), "catalogue intégré illisible");
	if (b == NULL || cat == NULL || gen_init(&g, cat, 42, date_today(),
	    days) == -1 || (s = store_open(db, &so, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "ctg-probe : %s\n", err);
		return 1;
	}
	/* The plan's tables, as ctgd loads them: it starts on this base as is. */
	if (store_load_catalogue(s, catalogue_files, catalogue_files_n, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "ctg-probe : %s\n", err);
		return 1;
	}
	t0 = client_clock();
	for (i = 0; i < n; i++) {
		if (i % batch == 0) {
			agg_batch_clear(b);
			store_begin(s);
		}
		if (gen_record(&g, &r, &a) == -1)
			return 1;
		record_digest(&r, d);
		if (store_put(s, &r, d, 0, b) != ACK_ACCEPTED) {
			fprintf(stderr, "ctg-probe : %s\n", store_errmsg(s));
			return 1;
		}
		arena_free(&a);
		if ((i % batch == batch - 1 || i == n - 1) &&
		    (store_apply(s, b) == -1 || store_commit(s) == -1)) {
			fprintf(stderr, "ctg-probe : %s\n", store_errmsg(s));
			return 1;
		}
	}
	printf("records=%ld aggregates=%s batch=%ld records_per_s=%.0f\n", n,
	    noagg ? "off" : "on", batch, (double)n / (client_clock() - t0));
	store_close(s);
	agg_batch_free(b);
	return 0;
}

static int
dblcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Times n answers of one sheet's query into t; 0 or -1. */
static int
probe_sheet(struct query_db *qd, const char *sheet, const char *from,
    const char *to, long n, double *t)
{
	struct query	 q = { "sheet", sheet, from, to, 0 };
	const char	*error = "mémoire insuffisante";
	json_object	*doc;
	char		*json;
	double		 t0;
	long		 i;

	for (i = 0; i < n; i++) {
		t0 = client_clock();
		if ((doc = query_answer(qd, &q, date_today(), &error)) ==
		    NULL || (json = query_json(doc)) == NULL) {
			fprintf(stderr, "ctg-probe : %s : %s\n", sheet, error);
			return -1;
		}
		t[i] = (client_clock() - t0) * 1000;
		free(json);
	}
	qsort(t, (size_t)n, sizeof(*t), dblcmp);
	return 0;
}

static int
probe_query(const char *db, const char *sheet, const char *from,
    const char *to, long n)
{
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct query_db		*qd;
	size_t			 k, nsheets = strcmp(sheet, "all") ? 1 :
				    cat->nsheets;
	double			*t = calloc(nsheets * (size_t)n, sizeof(*t));
	double			 worst = 0, p99;
	const char		*code, *worst_code = sheet;
	char			 err[512];

	if (t == NULL || (qd = query_open(db, cat, 5, NULL, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "ctg-probe : %s\n", t ? err : "mémoire");
		return 1;
	}
	for (k = 0; k < nsheets; k++) {
		code = nsheets == 1 ? sheet : cat->sheets[k].code;
		if (probe_sheet(qd, code, from, to, n, t + k * (size_t)n) == -1)
			return 1;
		if ((p99 = t[k * (size_t)n + (size_t)(n * 99) / 100]) > worst) {
			worst = p99;
			worst_code = code;
		}
	}
	qsort(t, nsheets * (size_t)n, sizeof(*t), dblcmp);
	n *= (long)nsheets;
	printf("sheets=%zu from=%s to=%s queries=%ld query_p50_ms=%.3f "
	    "query_p99_ms=%.3f worst_sheet=%s worst_p99_ms=%.3f\n", nsheets,
	    from, to, n, t[n / 2], t[(n * 99) / 100], worst_code, worst);
	query_close(qd);
	free(t);
	return 0;
}

/* N idle connections held for a while, to weigh what each costs ctgd. */
static int
probe_idle(const char *server, long n, long seconds)
{
	struct addrinfo	 hints = { .ai_socktype = SOCK_STREAM }, *res;
	struct rlimit	 rl;
	char		 host[256], port[16];
	int		*fd = calloc((size_t)n, sizeof(*fd));
	long		 i;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (fd == NULL || addr_split(server, host, sizeof(host), port,
	    sizeof(port)) == -1 || getaddrinfo(host, port, &hints, &res) != 0) {
		fprintf(stderr, "ctg-probe : serveur %s introuvable\n", server);
		return 1;
	}
	for (i = 0; i < n; i++)
		if ((fd[i] = socket(res->ai_family, SOCK_STREAM, 0)) == -1 ||
		    connect(fd[i], res->ai_addr, res->ai_addrlen) == -1) {
			fprintf(stderr, "ctg-probe : connexion %ld impossible\n",
			    i + 1);
			return 1;
		}
	printf("idle_connections=%ld\n", n);
	fflush(stdout);
	sleep((unsigned)seconds);
	for (i = 0; i < n; i++)
		close(fd[i]);
	freeaddrinfo(res);
	free(fd);
	return 0;
}

#define PROBE_POLL_MAX	100000	/* answers kept per poller */

struct probe_poller {
	pthread_t	 thread;
	struct addrinfo	*ai;
	const char	*host, *path;
	double		 until;
	double		*ms;
	size_t		 n;
	long		 failures;
};

/* One GET on a fresh connection (HTTP/1.0); 0 when answered 200. */
static int
probe_get(struct probe_poller *p)
{
	char	 req[600], buf[65536];
	ssize_t	 n;
	int	 fd, ok = 0, first = 1;

	if ((fd = socket(p->ai->ai_family, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, p->ai->ai_addr, p->ai->ai_addrlen) == -1) {
		close(fd);
		return -1;
	}
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
	    p->path, p->host);
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		if (first) {
			buf[n] = '\0';
			ok = strncmp(buf, "HTTP/1.1 200", 12) == 0 ||
			    strncmp(buf, "HTTP/1.0 200", 12) == 0;
			first = 0;
		}
	}
	close(fd);
	return ok ? 0 : -1;
}

static void *
probe_poll_run(void *arg)
{
	struct probe_poller	*p = arg;
	double			 t;

	while ((t = client_clock()) < p->until && p->n < PROBE_POLL_MAX) {
		if (probe_get(p) == 0)
			p->ms[p->n++] = (client_clock() - t) * 1000.0;
		else
			p->failures++;
	}
	return NULL;
}

static int
probe_cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Dashboards: n clients polling path on the HTTP port for a while. */
static int
probe_poll(const char *server, long n, long seconds, const char *path)
{
	struct addrinfo		 hints = { .ai_socktype = SOCK_STREAM }, *res;
	struct probe_poller	*p = calloc((size_t)n, sizeof(*p));
	char			 host[256], port[16];
	double			*all;
	size_t			 total = 0, k;
	long			 i, failures = 0;

	if (p == NULL || n <= 0 || addr_split(server, host, sizeof(host), port,
	    sizeof(port)) == -1 || getaddrinfo(host, port, &hints, &res) != 0) {
		fprintf(stderr, "ctg-probe : serveur %s introuvable\n", server);
		return 1;
	}
	for (i = 0; i < n; i++) {
		p[i] = (struct probe_poller){ .ai = res, .host = host,
		    .path = path, .until = client_clock() + (double)seconds,
		    .ms = malloc(PROBE_POLL_MAX * sizeof(double)) };
		if (p[i].ms == NULL || pthread_create(&p[i].thread, NULL,
		    probe_poll_run, &p[i]) != 0) {
			fprintf(stderr, "ctg-probe : mémoire insuffisante\n");
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		pthread_join(p[i].thread, NULL);
		total += p[i].n;
		failures += p[i].failures;
	}
	if ((all = malloc((total + 1) * sizeof(*all))) == NULL)
		return 1;
	for (i = 0, k = 0; i < n; i++) {
		memcpy(all + k, p[i].ms, p[i].n * sizeof(double));
		k += p[i].n;
		free(p[i].ms);
	}
	qsort(all, total, sizeof(*all), probe_cmp_double);
	printf("polls=%zu poll_p50_ms=%.2f poll_p99_ms=%.2f failures=%ld\n",
	    total, total ? all[total / 2] : 0.0,
	    total ? all[(size_t)((double)total * 0.99)] : 0.0, failures);
	freeaddrinfo(res);
	free(all);
	free(p);
	return total > 0 && failures == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	long	 batch = 1000, days = 1095;
	int	 noagg = 0, normal = 0, i;

	if (argc == 6 && strcmp(argv[1], "poll") == 0)
		return probe_poll(argv[2], atol(argv[3]), atol(argv[4]), argv[5]);
	if (argc == 5 && strcmp(argv[1], "idle") == 0)
		return probe_idle(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 7 && strcmp(argv[1], "query") == 0)
		return probe_query(argv[2], argv[3], argv[4], argv[5],
		    atol(argv[6]) > 0 ? atol(argv[6]) : 1);
	if (argc < 4 || (strcmp(argv[1], "ingest") && strcmp(argv[1], "bare")))
		return usage();
	for (i = 4; i < argc; i++)
		if (strcmp(argv[i], "--no-aggregates") == 0)
			noagg = 1;
		else if (strcmp(argv[i], "--normal") == 0)
			normal = 1;
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch = atol(argv[++i]);
		else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc)
			days = atol(argv[++i]);
		else
			return usage();
	if (batch <= 0 || atol(argv[3]) <= 0)
		return usage();
	if (argv[1][0] == 'b')
		return probe_bare(argv[2], atol(argv[3]), batch);
	return probe_ingest(argv[2], atol(argv[3]), noagg, batch, (int)days,
	    normal);
}
