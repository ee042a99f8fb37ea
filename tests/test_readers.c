/*
 * test_readers.c — readers never hold the writers up, writers never hold
 * the readers up. Test hooks catch each thread in the middle of its work
 * ($CTG_HOLD_READS: the reader waits before answering while a file
 * exists; $CTG_HOLD_COMMITS: the writer waits just before COMMIT), and the
 * other side must be served meanwhile, by the real ctgd.
 */
#include <sys/socket.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"
#include "harness.h"
#include "tmpdir.h"
#include "wire.h"

#define WAIT_MS	10000	/* for what must come: a bound, not a speed */

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200], hold[4200];
};

static void
hold(const char *path)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
}

static int
setup_hold(void **state, const char *var)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	/* The hold file's place is known before ctgd starts. */
	assert_non_null(c.dir = tmpdir_make());
	tmpdir_path(c.hold, sizeof(c.hold), c.dir, "hold");
	setenv(var, c.hold, 1);
	tmpdir_path(c.out, sizeof(c.out), c.dir, "out.txt");
	daemon_start(&c.d, c.dir, NULL);
	unsetenv(var);
	*state = &c;
	return 0;
}

static int
setup_reads(void **state)
{
	return setup_hold(state, "CTG_HOLD_READS");
}

static int
setup_commits(void **state)
{
	return setup_hold(state, "CTG_HOLD_COMMITS");
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	unlink(c->hold);
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* One record of the fixture, with its own id byte. */
static void
submit(int fd, uint8_t idbyte, uint64_t seq)
{
	struct fixture_record	 f;
	struct request		 req = { .seq = seq, .kind = REQUEST_SUBMIT };

	fixture_record_init(&f, idbyte);
	req.records = &f.rec;
	req.nrecords = 1;
	raw_send_request(fd, &req);
}

static void
expect_accepted(int fd, uint64_t seq)
{
	struct reply	 rep;

	assert_int_equal(raw_recv(fd, &rep, WAIT_MS), 0);
	assert_int_equal(rep.kind, REPLY_SUBMIT);
	assert_int_equal(rep.seq, seq);
	assert_int_equal(rep.nacks, 1);
	assert_int_equal(rep.acks[0].status, ACK_ACCEPTED);
	reply_free(&rep);
}

/* 1 when something can be read on fd within ms. */
static int
readable(int fd, int ms)
{
	struct pollfd	 p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static int
http_ask(const struct daemon *d, const char *path)
{
	char	 req[512];
	int	 fd = raw_connect(d->http_port);

	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: x\r\n\r\n", path);
	raw_send(fd, req, strlen(req));
	return fd;
}

/* 1 when an HTTP answer's status is 200. */
static int
http_ok(const char *answer)
{
	return strncmp(answer, "HTTP/1.", 7) == 0 &&
	    strncmp(answer + 8, " 200 ", 5) == 0;
}

static char *
http_read_all(int fd)
{
	char	*buf = malloc(1 << 20);
	size_t	 got = 0;
	ssize_t	 n;

	assert_non_null(buf);
	while (readable(fd, WAIT_MS) &&
	    (n = recv(fd, buf + got, (1 << 20) - 1 - got, 0)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fd);
	return buf;
}

/*
 * While the reader is held inside a question from a dashboard, records
 * are acknowledged and pings answered; the dashboard gets its answer
 * once the reader goes on, with those records in it.
 */
static void
test_reads_never_hold_the_writer(void **state)
{
	struct ctx	*c = *state;
	int		 web, fd, gone;
	char		*body;

	hold(c->hold);
	web = http_ask(&c->d, "/api/v1/sheets/III.A.17?from=2024-01&to=2024-12");
	/* A second reader, gone before its answer: nothing may break. */
	gone = http_ask(&c->d, "/api/v1/sheets?from=2024-01&to=2024-12");
	close(gone);
	fd = raw_connect(c->d.port);
	submit(fd, 1, 1);
	expect_accepted(fd, 1);
	submit(fd, 2, 2);
	expect_accepted(fd, 2);
	assert_true(daemon_answers_ping(&c->d));
	/* The question itself is still held. */
	assert_false(readable(web, 200));
	unlink(c->hold);
	body = http_read_all(web);
	if (!http_ok(body) ||
	    strstr(body, "\"records\":2") == NULL)
		fail_msg("answer after the hold: %.400s", body);
	free(body);
	close(fd);
	/* And the reader goes on answering. */
	body = http_read_all(http_ask(&c->d, "/api/v1/sheets?from=2024-01&"
	    "to=2024-12"));
	assert_true(http_ok(body));
	free(body);
}

/* The same over the record protocol: a query waits, a submit does not. */
static void
test_protocol_query_held_submit_served(void **state)
{
	struct ctx	*c = *state;
	struct request	 q = { .seq = 9, .kind = REQUEST_QUERY,
			    .query = { "sheet", "III.A.17", "2024-01", "2024-12" } };
	struct reply	 rep;
	int		 asker, fd;

	hold(c->hold);
	asker = raw_connect(c->d.port);
	raw_send_request(asker, &q);
	fd = raw_connect(c->d.port);
	submit(fd, 3, 1);
	expect_accepted(fd, 1);
	assert_false(readable(asker, 200));
	unlink(c->hold);
	assert_int_equal(raw_recv(asker, &rep, WAIT_MS), 0);
	assert_int_equal(rep.kind, REPLY_DOCUMENT);
	assert_int_equal(rep.seq, 9);
	assert_non_null(rep.json);
	assert_non_null(strstr(rep.json, "\"records\":1"));
	reply_free(&rep);
	close(asker);
	close(fd);
}

/*
 * While the writer is held just before COMMIT, questions are answered
 * (from what was committed before), and the record's ack waits for the
 * commit: nothing is acknowledged before it is stored.
 */
static void
test_commits_never_hold_the_readers(void **state)
{
	struct ctx	*c = *state;
	struct request	 q = { .seq = 5, .kind = REQUEST_QUERY,
			    .query = { "sheet", "III.A.17", "2024-01", "2024-12" } };
	struct reply	 rep;
	int		 fd, asker;
	char		*body;

	fd = raw_connect(c->d.port);
	submit(fd, 4, 1);
	expect_accepted(fd, 1);
	hold(c->hold);
	submit(fd, 5, 2);
	asker = raw_connect(c->d.port);
	raw_send_request(asker, &q);
	assert_int_equal(raw_recv(asker, &rep, WAIT_MS), 0);
	assert_int_equal(rep.kind, REPLY_DOCUMENT);
	assert_non_null(rep.json);
	assert_non_null(strstr(rep.json, "\"records\":1"));
	reply_free(&rep);
	body = http_read_all(http_ask(&c->d, "/api/v1/sheets?from=2024-01&"
	    "to=2024-12"));
	assert_true(http_ok(body));
	free(body);
	assert_false(readable(fd, 200));
	unlink(c->hold);
	expect_accepted(fd, 2);
	close(asker);
	close(fd);
}

/* III.A.17's record count in an overview's answer, -1 when absent. */
static int
overview_records(const char *answer)
{
	const char	*p = strstr(answer, "\"code\":\"III.A.17\"");
	int		 n = -1;

	if (p != NULL && (p = strstr(p, "\"records\":")) != NULL)
		n = atoi(p + strlen("\"records\":"));
	return n;
}

/*
 * Answers from the model are kept between commits and never outlive one:
 * the same question asked again gives the same answer, and once a record
 * is acknowledged every answer holds it.
 */
static void
test_answers_follow_each_commit(void **state)
{
	static const char *const path = "/api/v1/sheets?from=2024-01&to=2024-12";
	struct ctx	*c = *state;
	char		*a, *b;
	int		 fd = raw_connect(c->d.port), i;

	for (i = 0; i < 3; i++) {
		a = http_read_all(http_ask(&c->d, path));
		b = http_read_all(http_ask(&c->d, path));
		assert_true(http_ok(a));
		assert_int_equal(overview_records(a), i);
		assert_string_equal(strstr(a, "\r\n\r\n"),
		    strstr(b, "\r\n\r\n"));
		free(a);
		free(b);
		submit(fd, (uint8_t)(20 + i), (uint64_t)i + 1);
		expect_accepted(fd, (uint64_t)i + 1);
	}
	a = http_read_all(http_ask(&c->d, path));
	assert_int_equal(overview_records(a), 3);
	free(a);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_never_hold_the_writer,
		    setup_reads, teardown),
		cmocka_unit_test_setup_teardown(
		    test_protocol_query_held_submit_served, setup_reads,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_commits_never_hold_the_readers, setup_commits,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_answers_follow_each_commit, setup_commits, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
