/*
 * test_abuse.c — a live ctgd under abuse from clients without a token,
 * on loopback and bounded in count and time: every refusal of the HTTP
 * transport is JSON and counted; a trickled request is cut at its
 * deadline whatever the trickle; idle connections without a token never
 * keep a token holder out; partial frames and bodies stay within the
 * memory budget and the memory comes back. Meanwhile a valid client is
 * served within a bound.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "harness.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
	char		 admin[65];
	char		 submitter[65];	/* of alsh-jeunes */
};

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
start(void **state, const char *const *extra)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), extra);
	/* Out of protected mode: loopback clients must show a token too. */
	unsetenv("CTG_TOKEN");
	token_create(&c.d, c.out, "admin", NULL, c.admin);
	setenv("CTG_TOKEN", c.admin, 1);
	token_create(&c.d, c.out, "submitter", "alsh-jeunes", c.submitter);
	unsetenv("CTG_TOKEN");
	*state = &c;
	return 0;
}

static int
setup_default(void **state)
{
	return start(state, NULL);
}

static int
setup_slow(void **state)
{
	static const char *const extra[] = { "--frame-timeout", "2",
	    "--auth-timeout", "2", "--http-max-connections", "40",
	    "--http-max-connections-per-address", "20", NULL };

	return start(state, extra);
}

static int
setup_budget(void **state)
{
	static const char *const extra[] = { "--memory-budget", "16",
	    "--frame-timeout", "60", "--auth-timeout", "60", NULL };

	return start(state, extra);
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* Sends what it can without waiting; a refused peer is no failure here. */
static void
send_some(int fd, const void *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n <= 0)
			return;
		p = (const char *)p + n;
		len -= (size_t)n;
	}
}

/* Reads until the peer closes or timeout_ms; what came, NUL-terminated. */
static size_t
read_all(int fd, char *buf, size_t len, int timeout_ms)
{
	struct pollfd	 p = { .fd = fd, .events = POLLIN };
	long long	 end = now_ms() + timeout_ms;
	size_t		 got = 0;
	ssize_t		 n;

	while (got < len - 1 && now_ms() < end && poll(&p, 1,
	    (int)(end - now_ms())) == 1) {
		if ((n = recv(fd, buf + got, len - 1 - got, 0)) <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

/* A request on a new connection: its status, the answer's body in buf. */
static int
http_once(struct ctx *c, const char *request, size_t len, char *buf,
    size_t buflen)
{
	int	 fd = raw_connect(c->d.http_port), status = 0;
	char	*end;

	send_some(fd, request, len);
	read_all(fd, buf, buflen, 10000);
	close(fd);
	sscanf(buf, "HTTP/1.1 %d", &status);
	if ((end = strstr(buf, "\r\n\r\n")) != NULL)
		memmove(buf, end + 4, strlen(end + 4) + 1);
	return status;
}

/* GET path with the admin token; the status. */
static int
get_as_admin(struct ctx *c, const char *path, char *buf, size_t buflen)
{
	char	 req[512];

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n"
	    "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", path,
	    c->admin);
	return http_once(c, req, strlen(req), buf, buflen);
}

/* One value of /metrics. */
static long long
metric(struct ctx *c, const char *name)
{
	static char	 buf[65536];
	char		 key[128], *p;

	assert_int_equal(get_as_admin(c, "/metrics", buf, sizeof(buf)), 200);
	snprintf(key, sizeof(key), "\nctgd_%s ", name);
	assert_non_null(p = strstr(buf, key));
	return atoll(p + strlen(key));
}

/* The token holder is served: 200 within ms. */
static void
expect_served(struct ctx *c, int ms)
{
	char		 buf[8192];
	long long	 t0 = now_ms(), took;

	assert_int_equal(get_as_admin(c, "/api/v1/session", buf,
	    sizeof(buf)), 200);
	took = now_ms() - t0;
	if (took > ms)
		fail_msg("a valid token waited %lld ms (bound %d)", took, ms);
}

/*
 * n records of alsh-jeunes imported by ctg-submit as the submitter, while
 * the abuse goes on: every one acknowledged, and stored.
 */
static void
expect_import(struct ctx *c, int n, int first)
{
	const char	*args[] = { "--server", c->d.server, "import", NULL,
			    NULL };
	char		 path[4200], line[512], want[64];
	long long	 before = db_int(c->d.db, "SELECT count(*) FROM record");
	FILE		*f;
	int		 i;

	tmpdir_path(path, sizeof(path), c->dir, "pendant.csv");
	assert_non_null(f = fopen(path, "w"));
	fputs("record_id;action;activity;date;commune;structure;category;"
	    "residence;count;partners;title\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, ";III.A.17;chantier;2024-07-%02d;46201;alsh-jeunes;"
		    "jeune;46217;%d;;chantier n° %d\n", 1 + i % 28, 1 + i % 7,
		    first + i);
	fclose(f);
	args[3] = path;
	setenv("CTG_TOKEN", c->submitter, 1);
	assert_int_equal(tool_run(c->out, "ctg-submit", args), 0);
	unsetenv("CTG_TOKEN");
	file_last_line(c->out, line, sizeof(line));
	snprintf(want, sizeof(want), "accepted=%d duplicate=0 conflict=0 "
	    "refused=0", n);
	if (strstr(line, want) == NULL)
		fail_msg("import during the abuse: « %s », expected « %s »",
		    line, want);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"),
	    before + n);
}

/* The body is JSON whose "erreur" holds words, and "statut" is status. */
static void
expect_json_error(const char *body, int status, const char *words)
{
	json_object	*o = json_tokener_parse(body), *e, *s;

	if (o == NULL || !json_object_object_get_ex(o, "erreur", &e) ||
	    !json_object_object_get_ex(o, "statut", &s) ||
	    json_object_get_int(s) != status ||
	    strstr(json_object_get_string(e), words) == NULL)
		fail_msg("expected JSON error %d with « %s », got: %s", status,
		    words, body);
	json_object_put(o);
}

/*
 * What libevent used to answer by itself in HTML, uncounted — heads too
 * long, addresses too long, bad chunking, unknown methods, bodies too
 * large, a request cut by its deadline — is JSON in French, and counted.
 */
static void
test_transport_errors(void **state)
{
	struct ctx	*c = *state;
	static char	 req[40000], buf[65536];
	static const char chunked[] = "POST /api/v1/records HTTP/1.1\r\n"
	    "Host: x\r\nContent-Type: application/json\r\n"
	    "Transfer-Encoding: chunked\r\nAuthorization: Bearer %s\r\n\r\n"
	    "%s";
	static const char record[] = "{\"id\":\"01937a00-0000-7000-8000-0000000000"
	    "01\",\"sheets\":[\"III.A.17\"],\"activity\":\"chantier\",\"date\":"
	    "\"2024-07-08\",\"commune\":\"46201\",\"structure\":\"alsh-jeunes\","
	    "\"groups\":[{\"category\":\"jeune\",\"residence\":\"46217\","
	    "\"count\":4}]}";
	char		 body[2048];
	long long	 errors = metric(c, "http_errors_total");
	int		 n;

	/* A head over 16 KiB. */
	n = snprintf(req, sizeof(req), "GET /api/v1/sheets HTTP/1.1\r\nHost: x"
	    "\r\nX-Big: ");
	memset(req + n, 'a', 17000);
	strcpy(req + n + 17000, "\r\n\r\n");
	assert_int_equal(http_once(c, req, strlen(req), buf, sizeof(buf)),
	    431);
	expect_json_error(buf, 431, "en-têtes trop longs");
	/* An address over 8 KiB. */
	n = snprintf(req, sizeof(req), "GET /");
	memset(req + n, 'x', 9000);
	strcpy(req + n + 9000, " HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(http_once(c, req, strlen(req), buf, sizeof(buf)),
	    414);
	expect_json_error(buf, 414, "adresse trop longue");
	/* Chunks that are not. */
	n = snprintf(req, sizeof(req), chunked, c->admin, "zz\r\nhello\r\n");
	assert_int_equal(http_once(c, req, (size_t)n, buf, sizeof(buf)), 400);
	expect_json_error(buf, 400, "corps découpé illisible");
	/* A method nobody knows. */
	n = snprintf(req, sizeof(req), "BREW /api/v1/sheets HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	assert_int_equal(http_once(c, req, (size_t)n, buf, sizeof(buf)), 501);
	expect_json_error(buf, 501, "méthode inconnue");
	/* A body over 1 MiB, refused from its announced length. */
	n = snprintf(req, sizeof(req), "POST /api/v1/records HTTP/1.1\r\n"
	    "Host: x\r\nContent-Length: 2000000\r\n\r\n");
	assert_int_equal(http_once(c, req, (size_t)n, buf, sizeof(buf)), 413);
	expect_json_error(buf, 413, "1 Mio au plus");
	/* A version we do not speak. */
	n = snprintf(req, sizeof(req), "GET / HTTP/3.0\r\nHost: x\r\n\r\n");
	assert_int_equal(http_once(c, req, (size_t)n, buf, sizeof(buf)), 505);
	expect_json_error(buf, 505, "HTTP/1.1");
	/* A valid chunked write is taken, in pieces of any size. */
	snprintf(body, sizeof(body), "%zx\r\n%.*s\r\n%zx\r\n%s\r\n0\r\n\r\n",
	    (size_t)10, 10, record, strlen(record) - 10, record + 10);
	n = snprintf(req, sizeof(req), chunked, c->submitter, body);
	assert_int_equal(http_once(c, req, (size_t)n, buf, sizeof(buf)), 200);
	assert_non_null(strstr(buf, "\"status\":\"accepted\""));
	/* Six refusals above, each counted. */
	assert_int_equal(metric(c, "http_errors_total"), errors + 6);
	assert_true(daemon_answers_ping_as(&c->d, c->admin));
}

/*
 * Slowloris: connections trickling a request one byte at a time are cut
 * at --frame-timeout from their first byte (408 in JSON), since no byte
 * restarts the clock; past the per-address cap the oldest make room; a
 * token holder is served within a bound all along, and an import made
 * meanwhile is acknowledged and stored whole.
 */
static void
test_slowloris(void **state)
{
	struct ctx		*c = *state;
	static const char	 slow[] = "GET /api/v1/sheets HTTP/1.1\r\n"
				    "Host: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa"
				    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	enum { N = 60 };
	int			 fd[N], i, open = N, timed_out = 0, step;
	long long		 t0 = now_ms(), worst = 0, t;
	char			 buf[4096];

	for (i = 0; i < N; i++)
		fd[i] = raw_connect(c->d.http_port);
	/* A byte every 100 ms on each, for up to 6 s. */
	for (step = 0; step < 60 && open > 0; step++) {
		for (i = 0; i < N; i++)
			if (fd[i] != -1)
				send_some(fd[i], slow + step % (sizeof(slow) - 1),
				    1);
		usleep(100 * 1000);
		t = now_ms();
		if (step == 3)
			expect_import(c, 50, 0);
		if (step % 10 == 5) {
			expect_served(c, 1000);
			if (now_ms() - t > worst)
				worst = now_ms() - t;
		}
		for (i = 0; i < N; i++) {
			struct pollfd p = { .fd = fd[i], .events = POLLIN };

			if (fd[i] == -1 || poll(&p, 1, 0) != 1)
				continue;
			read_all(fd[i], buf, sizeof(buf), 1000);
			timed_out += strstr(buf, "HTTP/1.1 408") != NULL;
			if (strstr(buf, "HTTP/1.1 408") != NULL)
				expect_json_error(strstr(buf, "\r\n\r\n") + 4,
				    408, "requête incomplète après 2 s");
			close(fd[i]);
			fd[i] = -1;
			open--;
		}
	}
	print_message("slowloris: %d connections, %d cut at the deadline with "
	    "408, the others made room; all closed after %lld ms; a token "
	    "served in %lld ms at worst\n", N, timed_out, now_ms() - t0, worst);
	/* Every trickle ended, well before the trickle would have. */
	assert_int_equal(open, 0);
	assert_true(now_ms() - t0 < 5000);
	assert_true(timed_out >= 10);	/* most of the per-address cap */
	assert_true(metric(c, "http_connections_current") <= 2);
}

/*
 * Idle connections without a token, far past both caps, never keep a
 * token out; a connection that showed one is never the one evicted.
 */
static void
test_idle_flood(void **state)
{
	struct ctx	*c = *state;
	enum { N = 100 };
	int		 fd[N], keep, i;
	char		 req[512], buf[8192];
	size_t		 n;

	/* A token holder's keep-alive connection, authenticated once. */
	keep = raw_connect(c->d.http_port);
	n = (size_t)snprintf(req, sizeof(req), "GET /api/v1/session HTTP/1.1"
	    "\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", c->admin);
	send_some(keep, req, n);
	usleep(200 * 1000);
	assert_true(read_all(keep, buf, sizeof(buf), 300) > 0);
	assert_non_null(strstr(buf, "HTTP/1.1 200"));
	for (i = 0; i < N; i++)
		fd[i] = raw_connect(c->d.http_port);
	usleep(300 * 1000);
	expect_served(c, 1000);
	assert_true(metric(c, "http_connections_current") <= 20);
	/* The held connection still serves. */
	send_some(keep, req, n);
	usleep(200 * 1000);
	assert_true(read_all(keep, buf, sizeof(buf), 300) > 0);
	assert_non_null(strstr(buf, "HTTP/1.1 200"));
	close(keep);
	for (i = 0; i < N; i++)
		close(fd[i]);
}

/* ctgd's resident memory, in KiB. */
static long
rss_kib(pid_t pid)
{
	char	 path[64], line[256];
	long	 kib = -1;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	assert_true(kib > 0);
	return kib;
}

/*
 * Partial frames of 1 MiB on the record port and partial bodies of 1 MiB
 * on the HTTP port, from many connections: the bytes held stay within
 * --memory-budget (16 MiB here), the largest holders are closed with a
 * reason, a valid client is served meanwhile and an import acknowledged
 * and stored whole, and the memory is given back once they are gone.
 */
static void
test_memory_budget(void **state)
{
	struct ctx	*c = *state;
	enum { NREC = 40, NHTTP = 20, CHUNK = 900 * 1024 };
	static char	 junk[CHUNK];
	static const uint8_t hdr[4] = { 0x00, 0x10, 0x00, 0x00 };	/* 1 MiB */
	int		 rec[NREC], web[NHTTP], i;
	long		 before, during, after;
	long long	 held, sheds = metric(c, "memory_sheds_total");
	char		 req[512];
	size_t		 n;

	memset(junk, 'x', sizeof(junk));
	before = rss_kib(c->d.pid);
	for (i = 0; i < NREC; i++) {
		rec[i] = raw_connect(c->d.port);
		send_some(rec[i], hdr, sizeof(hdr));
		send_some(rec[i], junk, sizeof(junk));
	}
	n = (size_t)snprintf(req, sizeof(req), "POST /api/v1/records HTTP/1.1"
	    "\r\nHost: x\r\nContent-Type: application/json\r\n"
	    "Content-Length: 1000000\r\n\r\n");
	for (i = 0; i < NHTTP; i++) {
		web[i] = raw_connect(c->d.http_port);
		send_some(web[i], req, n);
		send_some(web[i], junk, sizeof(junk));
	}
	sleep(1);
	expect_served(c, 1000);
	assert_true(daemon_answers_ping_as(&c->d, c->admin));
	expect_import(c, 200, 1000);
	held = metric(c, "memory_held");
	during = rss_kib(c->d.pid);
	print_message("memory budget 16 MiB: %d partial 1 MiB frames and %d "
	    "partial bodies sent; held %lld KiB; %lld connections shed; RSS "
	    "%ld KiB before, %ld during\n", NREC, NHTTP, held / 1024,
	    metric(c, "memory_sheds_total") - sheds, before, during);
	assert_true(held <= 16LL << 20);
	assert_true(metric(c, "memory_sheds_total") - sheds >= 10);
	for (i = 0; i < NREC; i++)
		close(rec[i]);
	for (i = 0; i < NHTTP; i++)
		close(web[i]);
	sleep(1);
	assert_int_equal(metric(c, "memory_held"), 0);
	after = rss_kib(c->d.pid);
	print_message("RSS after they closed: %ld KiB\n", after);
#if !defined(__SANITIZE_ADDRESS__)
	/* ASan keeps freed memory in quarantine: release builds only. */
	assert_true(during - before < 48 * 1024);
	assert_true(after - before < 4 * 1024);
#endif
	assert_true(daemon_answers_ping_as(&c->d, c->admin));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transport_errors,
		    setup_default, teardown),
		cmocka_unit_test_setup_teardown(test_slowloris, setup_slow,
		    teardown),
		cmocka_unit_test_setup_teardown(test_idle_flood, setup_slow,
		    teardown),
		cmocka_unit_test_setup_teardown(test_memory_budget,
		    setup_budget, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
