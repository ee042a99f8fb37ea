/*
 * test_protocol.c — bytes no client would send, against a live ctgd: each
 * gets a clear refusal, nothing of it is stored, and every other
 * connection carries on.
 */
#include <sys/socket.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "framing.h"
#include "fixtures.h"
#include "harness.h"
#include "tmpdir.h"
#include "wire.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	int		 bystander;	/* a connection that must keep working */
};

static int
start(void **state, const char *const *extra)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	assert_non_null(c.dir = tmpdir_make());
	daemon_start(&c.d, c.dir, extra);
	c.bystander = raw_connect(c.d.port);
	*state = &c;
	return 0;
}

static int
setup(void **state)
{
	return start(state, NULL);
}

static int
setup_slow(void **state)
{
	static const char *const extra[] = { "--frame-timeout", "1", NULL };

	return start(state, extra);
}

static int
setup_capped(void **state)
{
	static const char *const extra[] = { "--max-connections", "3", NULL };

	return start(state, extra);
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	close(c->bystander);
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* The bystander connection and a new one both still answer. */
static void
assert_still_serving(struct ctx *c)
{
	static uint64_t	 nonce = 100;
	struct request	 req = { .seq = ++nonce, .kind = REQUEST_PING,
			    .nonce = nonce };
	struct reply	 rep;

	raw_send_request(c->bystander, &req);
	assert_int_equal(raw_recv(c->bystander, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_PONG);
	assert_int_equal(rep.nonce, nonce);
	reply_free(&rep);
	assert_true(daemon_answers_ping(&c->d));
}

/* Sends bytes on a new connection; expects an error frame, then a close. */
static void
expect_frame_error(struct ctx *c, const void *bytes, size_t len,
    const char *code, const char *words)
{
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port);

	raw_send(fd, bytes, len);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_ERROR);
	assert_string_equal(rep.error_code, code);
	if (strstr(rep.error_message, words) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", rep.error_message, words);
	reply_free(&rep);
	assert_true(raw_wait_eof(fd, 5000));
	close(fd);
	assert_still_serving(c);
}

static void
test_empty_frame(void **state)
{
	static const uint8_t	 zero[4] = { 0, 0, 0, 0 };

	expect_frame_error(*state, zero, sizeof(zero), "empty_frame",
	    "trame vide");
}

/* Refused from the header alone: the body is never waited for. */
static void
test_frame_too_large(void **state)
{
	static const uint8_t	 big[4] = { 0x00, 0x10, 0x00, 0x01 };
	static const uint8_t	 huge[4] = { 0xff, 0xff, 0xff, 0xff };

	expect_frame_error(*state, big, sizeof(big), "frame_too_large",
	    "1048577 octets annoncés, 1048576 au plus");
	expect_frame_error(*state, huge, sizeof(huge), "frame_too_large",
	    "trame trop grande");
}

static void
test_garbage_message(void **state)
{
	static const uint8_t	 junk[] = { 0, 0, 0, 6, 0xff, 0xff, 0xff,
				    0xff, 0xff, 0x01 };
	static const uint8_t	 http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

	expect_frame_error(*state, junk, sizeof(junk), "bad_message",
	    "illisible");
	/* An HTTP request on the record port reads as a huge length. */
	expect_frame_error(*state, http, sizeof(http) - 1, "frame_too_large",
	    "trame trop grande");
}

/* A frame cut short by the peer stores nothing and harms no one. */
static void
test_truncated_frame(void **state)
{
	struct ctx	*c = *state;
	static const uint8_t	 part[] = { 0, 0, 0, 100, 0x12, 0x05 };
	int		 fd = raw_connect(c->d.port);

	raw_send(fd, part, sizeof(part));
	shutdown(fd, SHUT_WR);
	assert_true(raw_wait_eof(fd, 5000));
	close(fd);
	assert_still_serving(c);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 0);
	file_expect(c->d.log, "reason=eof_in_frame");
}

static void
base_record(struct record *r, struct group *g, uint8_t *id, uint8_t idbyte)
{
	memset(id, idbyte, 16);
	id[6] = 0x70;
	*g = (struct group){ .category = "parent", .residence = "46063",
	    .count = 3, .has_count = 1 };
	*r = (struct record){ .id = id, .id_len = 16, .activity = "atelier",
	    .date = "2024-03-01", .commune = "46063", .structure = "ripe",
	    .groups = g, .ngroups = 1 };
}

/* Bad records in one submit are refused one by one, with reasons. */
static void
test_bad_records(void **state)
{
	struct ctx	*c = *state;
	struct record	 r[7];
	struct group	 g[7];
	uint8_t		 ids[7][16];
	struct request	 req = { .seq = 5, .kind = REQUEST_SUBMIT,
			    .records = r, .nrecords = 7 };
	struct reply	 rep;
	static const char *const why[7] = { NULL, "identifiant",
	    "« -2 » hors limites", "« 100001 » hors limites",
	    "date « 2024-3-01 » invalide", "commune « 4606 » invalide",
	    "résidence « ABCDE » invalide" };
	int		 fd = raw_connect(c->d.port), i;

	for (i = 0; i < 7; i++)
		base_record(&r[i], &g[i], ids[i], (uint8_t)(i + 1));
	r[1].id = NULL;
	g[2].count = -2;
	g[3].count = 100001;
	r[4].date = "2024-3-01";
	r[5].commune = "4606";
	g[6].residence = "ABCDE";
	raw_send_request(fd, &req);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_SUBMIT);
	assert_int_equal(rep.seq, 5);
	assert_int_equal(rep.nacks, 7);
	assert_int_equal(rep.acks[0].status, ACK_ACCEPTED);
	assert_memory_equal(rep.acks[0].id, ids[0], 16);
	for (i = 1; i < 7; i++) {
		assert_int_equal(rep.acks[i].status, ACK_REFUSED);
		if (strstr(rep.acks[i].reason, why[i]) == NULL)
			fail_msg("ack %d: \"%s\" lacks \"%s\"", i,
			    rep.acks[i].reason, why[i]);
	}
	reply_free(&rep);
	/* The same connection goes on working after refusals. */
	req.nrecords = 1;
	req.records = &r[0];
	raw_send_request(fd, &req);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.acks[0].status, ACK_DUPLICATE);
	reply_free(&rep);
	close(fd);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1);
	assert_still_serving(c);
}

/* Pipelined requests on one connection are all answered, matched by seq. */
static void
test_pipelined_submits(void **state)
{
	struct ctx	*c = *state;
	struct record	 r;
	struct group	 g;
	uint8_t		 id[16];
	struct request	 req = { .kind = REQUEST_SUBMIT, .records = &r,
			    .nrecords = 1 };
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port), i, seen[200] = { 0 };

	for (i = 0; i < 200; i++) {
		base_record(&r, &g, id, 0x40);
		id[14] = (uint8_t)(i >> 8);
		id[15] = (uint8_t)i;
		req.seq = (uint64_t)i + 1;
		raw_send_request(fd, &req);
	}
	for (i = 0; i < 200; i++) {
		assert_int_equal(raw_recv(fd, &rep, 10000), 0);
		assert_int_equal(rep.kind, REPLY_SUBMIT);
		assert_true(rep.seq >= 1 && rep.seq <= 200);
		assert_int_equal(rep.acks[0].status, ACK_ACCEPTED);
		seen[rep.seq - 1]++;
		reply_free(&rep);
	}
	for (i = 0; i < 200; i++)
		assert_int_equal(seen[i], 1);
	close(fd);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 200);
}

/* Regression: a 1 MiB frame of empty records used to cost 280 MB. */
static void
test_too_many_records_in_one_request(void **state)
{
	struct ctx	*c = *state;
	struct record	*r = calloc(10001, sizeof(*r));
	struct request	 req = { .seq = 1, .kind = REQUEST_SUBMIT, .records = r,
			    .nrecords = 10001 };
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port);

	assert_non_null(r);
	raw_send_request(fd, &req);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_ERROR);
	assert_non_null(strstr(rep.error_message, "trop d'enregistrements"));
	reply_free(&rep);
	close(fd);
	free(r);
	assert_still_serving(c);
}

/* Regression: a client that half-closes after sending still gets its acks. */
static void
test_half_closed_connection_gets_its_acks(void **state)
{
	struct ctx	*c = *state;
	struct record	 r;
	struct group	 g;
	uint8_t		 id[16];
	struct request	 req = { .seq = 3, .kind = REQUEST_SUBMIT, .records = &r,
			    .nrecords = 1 };
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port);

	base_record(&r, &g, id, 0x77);
	raw_send_request(fd, &req);
	shutdown(fd, SHUT_WR);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_SUBMIT);
	assert_int_equal(rep.acks[0].status, ACK_ACCEPTED);
	reply_free(&rep);
	assert_true(raw_wait_eof(fd, 5000));
	close(fd);
}

/* A sender too slow to finish its frame is told so and closed. */
static void
test_slow_sender(void **state)
{
	struct ctx	*c = *state;
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port), i;

	/* One byte a quarter second: the read timeout never fires. */
	for (i = 0; i < 3; i++) {
		raw_send(fd, "\0", 1);
		usleep(250000);
	}
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_ERROR);
	assert_string_equal(rep.error_code, "frame_timeout");
	assert_non_null(strstr(rep.error_message, "trame incomplète après 1 s"));
	reply_free(&rep);
	assert_true(raw_wait_eof(fd, 5000));
	close(fd);
	/* A frame sent in two halves within the deadline is fine. */
	{
		struct request	 req = { .seq = 9, .kind = REQUEST_PING,
				    .nonce = 3 };
		uint8_t		*frame;
		size_t		 len;

		fd = raw_connect(c->d.port);
		assert_non_null(frame = wire_encode_request(&req, &len));
		raw_send(fd, frame, 3);
		usleep(300000);
		raw_send(fd, frame + 3, len - 3);
		free(frame);
		assert_int_equal(raw_recv(fd, &rep, 5000), 0);
		assert_int_equal(rep.kind, REPLY_PONG);
		reply_free(&rep);
		close(fd);
	}
	assert_still_serving(c);
}

/* An ack lost with its connection: the resend is a duplicate, stored once. */
static void
test_lost_ack_then_resend(void **state)
{
	struct ctx	*c = *state;
	struct record	 r;
	struct group	 g;
	uint8_t		 id[16];
	struct request	 req = { .seq = 1, .kind = REQUEST_SUBMIT, .records = &r,
			    .nrecords = 1 };
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port), i;

	base_record(&r, &g, id, 0x55);
	raw_send_request(fd, &req);
	close(fd);		/* gone before its ack */
	for (i = 0; i < 100 && db_int(c->d.db,
	    "SELECT count(*) FROM record") == 0; i++)
		usleep(20000);
	fd = raw_connect(c->d.port);
	raw_send_request(fd, &req);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.acks[0].status, ACK_DUPLICATE);
	reply_free(&rep);
	close(fd);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1);
}

/* The same record on 50 connections at once: stored once, 1 accepted. */
static void
test_same_id_on_fifty_connections(void **state)
{
	struct ctx	*c = *state;
	struct record	 r;
	struct group	 g;
	uint8_t		 id[16];
	struct request	 req = { .seq = 1, .kind = REQUEST_SUBMIT, .records = &r,
			    .nrecords = 1 };
	struct reply	 rep;
	int		 fd[50], i, accepted = 0, dup = 0;

	base_record(&r, &g, id, 0x66);
	for (i = 0; i < 50; i++)
		fd[i] = raw_connect(c->d.port);
	for (i = 0; i < 50; i++)
		raw_send_request(fd[i], &req);
	for (i = 0; i < 50; i++) {
		assert_int_equal(raw_recv(fd[i], &rep, 5000), 0);
		accepted += rep.acks[0].status == ACK_ACCEPTED;
		dup += rep.acks[0].status == ACK_DUPLICATE;
		reply_free(&rep);
		close(fd[i]);
	}
	assert_int_equal(accepted, 1);
	assert_int_equal(dup, 49);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1);
	/* Its aggregates counted it once: verify agrees with the records. */
	{
		const char	*args[] = { "--server", c->d.server, "verify",
				    NULL };
		char		 out[4200], line[256];

		snprintf(out, sizeof(out), "%s/verify.out", c->dir);
		assert_int_equal(tool_run(out, "ctg-admin", args), 0);
		assert_string_equal(file_last_line(out, line, sizeof(line)),
		    "vérification : 1 enregistrements, 0 écart(s)");
	}
}

static long
rss_kb(pid_t pid)
{
	char	 path[64], line[256];
	long	 kb = -1;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * A client that sends and never reads its acks: the daemon stops taking
 * its frames once its unread replies pass the limit, holds little memory,
 * and serves the others meanwhile.
 */
static void
test_client_that_never_reads(void **state)
{
	struct ctx	*c = *state;
	struct record	*r = calloc(100, sizeof(*r));
	struct group	 g[100];
	uint8_t		 ids[100][16];
	struct request	 req = { .kind = REQUEST_SUBMIT, .records = r,
			    .nrecords = 100 };
	long		 before = rss_kb(c->d.pid), after;
	int		 fd = raw_connect(c->d.port), i, k, flags;
	uint8_t		*frame;
	size_t		 len, off;
	ssize_t		 n;

	assert_non_null(r);
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	/* Up to 3,000 frames of 100 records, as fast as the socket takes them. */
	for (i = 0; i < 3000; i++) {
		for (k = 0; k < 100; k++) {
			base_record(&r[k], &g[k], ids[k], 0x10);
			ids[k][12] = (uint8_t)(i >> 8);
			ids[k][13] = (uint8_t)i;
			ids[k][14] = (uint8_t)k;
		}
		req.seq = (uint64_t)i + 1;
		assert_non_null(frame = wire_encode_request(&req, &len));
		for (off = 0; off < len; off += (size_t)n)
			if ((n = send(fd, frame + off, len - off,
			    MSG_NOSIGNAL)) <= 0)
				break;
		free(frame);
		if (off < len)
			break;	/* the daemon stopped reading: good */
	}
	assert_true(i < 3000);
	assert_true(daemon_answers_ping(&c->d));
	after = rss_kb(c->d.pid);
	print_message("stopped reading after %d frames; RSS %ld -> %ld KiB\n",
	    i, before, after);
	/*
	 * Under valgrind the RSS is valgrind's, under ASan it holds the
	 * quarantine of freed memory: there only the stop itself is checked.
	 */
#ifndef __SANITIZE_ADDRESS__
	if (getenv("CTG_DAEMON_WRAPPER") == NULL)
		assert_true(after - before < 32 * 1024);
#endif
	close(fd);
	free(r);
}

/*
 * Sends req with the bytes of marker (a string of one of its fields)
 * replaced by bytes of the same length: what no client built with the
 * wire module would send, a NUL or invalid UTF-8 inside a string.
 */
static void
send_patched(int fd, struct request *req, const char *marker,
    const char *bytes)
{
	uint8_t	*frame, *at;
	size_t	 len, n = strlen(marker);

	assert_non_null(frame = wire_encode_request(req, &len));
	assert_non_null(at = memmem(frame, len, marker, n));
	memcpy(at, bytes, n);
	raw_send(fd, frame, len);
	free(frame);
}

/* One ack back, of this status, its reason holding words (or no reason). */
static void
expect_ack(int fd, enum ack_status status, const char *words)
{
	struct reply	 rep;

	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_SUBMIT);
	assert_int_equal(rep.nacks, 1);
	if (rep.acks[0].status != status)
		fail_msg("ack %s (%s), expected %s",
		    ack_status_name(rep.acks[0].status),
		    rep.acks[0].reason ? rep.acks[0].reason : "",
		    ack_status_name(status));
	if (words != NULL && (rep.acks[0].reason == NULL ||
	    strstr(rep.acks[0].reason, words) == NULL))
		fail_msg("\"%s\" lacks \"%s\"", rep.acks[0].reason ?
		    rep.acks[0].reason : "", words);
	reply_free(&rep);
}

/*
 * Regression: "abc\0def" was stored as "abc", and the same id with
 * "abc\0XYZ" answered duplicate (protobuf-c NUL-terminates strings).
 * Strings are taken exactly as sent or not at all.
 */
static void
test_strings_exactly_as_sent(void **state)
{
	struct ctx	*c = *state;
	struct record	 r[2];
	struct group	 g[2];
	uint8_t		 ids[2][16];
	struct request	 req = { .seq = 11, .kind = REQUEST_SUBMIT,
			    .records = r, .nrecords = 1 };
	struct reply	 rep;
	int		 fd = raw_connect(c->d.port);

	base_record(&r[0], &g[0], ids[0], 0x51);
	r[0].title = "@@@@@@@";
	send_patched(fd, &req, "@@@@@@@", "abc\0def");
	expect_ack(fd, ACK_REFUSED, "champ title : octet nul");
	assert_false(db_has_record(c->d.db, ids[0]));
	r[0].title = "abc";
	raw_send_request(fd, &req);
	expect_ack(fd, ACK_ACCEPTED, NULL);
	r[0].title = "@@@@@@@";
	send_patched(fd, &req, "@@@@@@@", "abc\0XYZ");
	expect_ack(fd, ACK_REFUSED, "champ title : octet nul");
	send_patched(fd, &req, "@@@@@@@", "abc\xff" "XYZ");
	expect_ack(fd, ACK_REFUSED, "champ title : UTF-8 invalide");
	send_patched(fd, &req, "@@@@@@@", "abc\x1b" "XYZ");
	expect_ack(fd, ACK_REFUSED, "champ title : caractère de contrôle");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM revision "
	    "WHERE title = 'abc'"), 1);

	/* A bad commune refuses its record; the other of the submit goes. */
	base_record(&r[0], &g[0], ids[0], 0x52);
	base_record(&r[1], &g[1], ids[1], 0x53);
	r[0].commune = "##########";
	req.nrecords = 2;
	send_patched(fd, &req, "##########", "46201\0junk");
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.nacks, 2);
	assert_int_equal(rep.acks[0].status, ACK_REFUSED);
	assert_non_null(strstr(rep.acks[0].reason, "champ commune : octet nul"));
	assert_int_equal(rep.acks[1].status, ACK_ACCEPTED);
	reply_free(&rep);
	assert_false(db_has_record(c->d.db, ids[0]));
	assert_true(db_has_record(c->d.db, ids[1]));

	/* Outside records: a void's reason, a query's key. */
	req = (struct request){ .seq = 12, .kind = REQUEST_VOID,
	    .void_id = ids[1], .void_id_len = 16, .reason = "@@@@@@@" };
	send_patched(fd, &req, "@@@@@@@", "erreur\0");
	expect_ack(fd, ACK_REFUSED, "champ void.reason : octet nul");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record "
	    "WHERE voided != 0"), 0);
	req = (struct request){ .seq = 13, .kind = REQUEST_QUERY,
	    .query = { "sheet", "@@@@@@@", NULL, NULL } };
	send_patched(fd, &req, "@@@@@@@", "17\xc0\xaf" "abc");
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_DOCUMENT);
	assert_null(rep.json);
	assert_non_null(strstr(rep.document_error,
	    "champ query.key : UTF-8 invalide"));
	reply_free(&rep);
	close(fd);
	assert_still_serving(c);
}

/*
 * Replies that quote long multi-byte values (300 « é », a date of them)
 * and hostile bytes, parsed by protobuf's pure-Python runtime, which
 * refuses a string that is not UTF-8; and the HTTP API's JSON errors for
 * hostile paths. tests/strict_client.py does the asking.
 */
static void
test_replies_parse_in_pure_python(void **state)
{
	struct ctx	*c = *state;
	char		 cmd[8192], out[4200];
	int		 rc;

	tmpdir_path(out, sizeof(out), c->dir, "strict_client.txt");
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s/tests/"
	    "strict_client.py' '%s/proto' %d %d >'%s' 2>&1",
	    CTG_SOURCE_DIR, CTG_SOURCE_DIR, c->d.port, c->d.http_port, out);
	rc = system(cmd);
	if (rc != 0) {
		char *text = file_read(out);

		fail_msg("strict_client.py: status %d\n%s", rc, text);
	}
	file_expect(out, "toutes les réponses sont lisibles");
	assert_still_serving(c);
}

/* One corpus input on a connection of its own, then the write side shut. */
static void
send_alone(const uint8_t *buf, size_t n, void *arg)
{
	int	 fd = raw_connect(*(const int *)arg);

	if (n > 0)
		send(fd, buf, n, MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
	raw_wait_eof(fd, 5000);
	close(fd);
}

/*
 * The fuzz corpus (fuzz/corpus/: valid, malformed and odd frames) sent
 * to the live daemon, each on a connection of its own: it answers what it
 * can, closes what it must, and keeps serving.
 */
static void
test_corpus_against_live_daemon(void **state)
{
	struct ctx	*c = *state;

	assert_true(corpus_each(CTG_CORPUS_DIR, send_alone, &c->d.port) >=
	    20);
	assert_still_serving(c);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

/* Past the cap a client is told why; the others keep their connection. */
static void
test_connection_cap(void **state)
{
	struct ctx	*c = *state;
	struct reply	 rep;
	int		 a = raw_connect(c->d.port), b = raw_connect(c->d.port);
	int		 over;

	/* bystander + a + b = 3, the cap. */
	assert_true(daemon_answers_ping(&c->d) == 0);
	over = raw_connect(c->d.port);
	assert_int_equal(raw_recv(over, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_ERROR);
	assert_string_equal(rep.error_code, "too_many_connections");
	assert_non_null(strstr(rep.error_message, "trop de connexions"));
	reply_free(&rep);
	close(over);
	close(b);
	close(a);
	usleep(100000);
	assert_still_serving(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_frame, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_frame_too_large, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbage_message, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_truncated_frame, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_records, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_submits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_too_many_records_in_one_request, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_half_closed_connection_gets_its_acks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_sender, setup_slow,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lost_ack_then_resend,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_same_id_on_fifty_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_that_never_reads,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_corpus_against_live_daemon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connection_cap,
		    setup_capped, teardown),
		cmocka_unit_test_setup_teardown(test_strings_exactly_as_sent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_replies_parse_in_pure_python, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
