/*
 * test_http_parse.c — request heads and chunked bodies from bytes: what
 * is taken, and every refusal with its status (RFC 9112's framing rules).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http_parse.h"

/* Parses text (copied: the parser writes in place). */
static enum http_parse
parse(const char *text, struct http_head *h, size_t *used,
    struct http_refusal *r)
{
	static char	 buf[32768];
	size_t		 n = strlen(text);

	assert_true(n < sizeof(buf));
	memcpy(buf, text, n + 1);
	return http_parse_head(buf, n, 16384, h, used, r);
}

static void
test_head(void **state)
{
	static const char req[] = "\r\nPOST /api/v1/records?x=1 HTTP/1.1\r\n"
	    "Host: ctgd\r\ncontent-length:  12 \r\nX-Empty:\r\n"
	    "Connection: keep-alive, Close\r\n\r\n{\"records\"";
	struct http_head	 h;
	struct http_refusal	 r;
	size_t			 used;
	char			 name[32];

	(void)state;
	assert_int_equal(parse(req, &h, &used, &r), HTTP_PARSE_DONE);
	assert_int_equal(h.method, HTTP_POST);
	assert_string_equal(h.target, "/api/v1/records?x=1");
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.length, 12);
	assert_false(h.chunked);
	assert_false(h.keep_alive);	/* "close" among the tokens */
	assert_string_equal(http_field(&h, "CONTENT-LENGTH"), "12");
	assert_string_equal(http_field(&h, "x-empty"), "");
	assert_null(http_field(&h, "Cookie"));
	assert_int_equal(used, strlen(req) - strlen("{\"records\""));
	/* Lone LFs end lines too; HTTP/1.0 closes unless asked. */
	assert_int_equal(parse("GET / HTTP/1.0\n\n", &h, &used, &r),
	    HTTP_PARSE_DONE);
	assert_int_equal(h.minor, 0);
	assert_false(h.keep_alive);
	assert_int_equal(h.length, -1);
	assert_int_equal(parse("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", &h,
	    &used, &r), HTTP_PARSE_DONE);
	assert_true(h.keep_alive);
	http_methods_list(h.method, name, sizeof(name));
	assert_string_equal(name, "HEAD");
}

static void
test_more(void **state)
{
	static const char whole[] = "GET /api/v1/sheets HTTP/1.1\r\nHost: x\r\n"
	    "\r\n";
	struct http_head	 h;
	struct http_refusal	 r;
	char			 part[sizeof(whole)];
	size_t			 n, used;

	(void)state;
	/* Every prefix waits; only the whole head is taken. */
	for (n = 0; n < sizeof(whole) - 1; n++) {
		memcpy(part, whole, n);
		part[n] = '\0';
		assert_int_equal(parse(part, &h, &used, &r), HTTP_PARSE_MORE);
	}
	assert_int_equal(parse(whole, &h, &used, &r), HTTP_PARSE_DONE);
}

static void
test_refusals(void **state)
{
	static const struct {
		const char	*text;
		int		 status;
		const char	*words;
	} cases[] = {
		{ "GET /\r\n\r\n", 400, "ligne de requête" },
		{ "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "ligne de requête" },
		{ "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "méthode illisible" },
		{ "BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "méthode inconnue" },
		{ "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "version" },
		{ "GET / FTP/1.1\r\nHost: x\r\n\r\n", 400, "ligne de requête" },
		{ "GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "adresse" },
		{ "GET / HTTP/1.1\r\n\r\n", 400, "Host absent" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
		  "Host répété" },
		{ "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\n", 400,
		  "ni espace" },
		{ "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400,
		  "repliée" },
		{ "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400,
		  "Nom: valeur" },
		{ "GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n", 400,
		  "contrôle" },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
		  "Content-Length: 1\r\n\r\n", 400, "Content-Length répété" },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
		  400, "Content-Length invalide" },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n",
		  400, "Content-Length invalide" },
		{ "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
		  "\r\n", 400, "Transfer-Encoding non pris" },
		{ "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
		  "Transfer-Encoding: chunked\r\n\r\n", 400, "répété" },
		{ "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
		  "Content-Length: 3\r\n\r\n", 400, "ensemble" },
		{ "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
		  "Transfer-Encoding non pris" },
	};
	struct http_head	 h;
	struct http_refusal	 r;
	size_t			 i, used;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.status = 0;
		if (parse(cases[i].text, &h, &used, &r) != HTTP_PARSE_BAD ||
		    r.status != cases[i].status ||
		    strstr(r.why, cases[i].words) == NULL)
			fail_msg("case %zu: %d « %s », expected %d « %s »", i,
			    r.status, r.status ? r.why : "", cases[i].status,
			    cases[i].words);
	}
}

static void
test_limits(void **state)
{
	struct http_head	 h;
	struct http_refusal	 r;
	size_t			 used, n;
	char			*big = malloc(20000);

	(void)state;
	assert_non_null(big);
	/* A head that never ends is refused at the limit, not waited on. */
	memset(big, 'a', 19999);
	big[19999] = '\0';
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(parse(big, &h, &used, &r), HTTP_PARSE_BAD);
	assert_int_equal(r.status, 431);
	/* So is an endless run of blank lines. */
	memset(big, '\n', 19999);
	assert_int_equal(parse(big, &h, &used, &r), HTTP_PARSE_BAD);
	assert_int_equal(r.status, 431);
	/* A target over 8 KiB: 414. */
	n = (size_t)snprintf(big, 20000, "GET /");
	memset(big + n, 'x', 9000);
	strcpy(big + n + 9000, " HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(parse(big, &h, &used, &r), HTTP_PARSE_BAD);
	assert_int_equal(r.status, 414);
	/* 65 fields: 431. */
	n = (size_t)snprintf(big, 20000, "GET / HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(big + n, 20000 - n, "F%d: v\r\n", i);
	strcpy(big + n, "\r\n");
	assert_int_equal(parse(big, &h, &used, &r), HTTP_PARSE_BAD);
	assert_int_equal(r.status, 431);
	free(big);
}

/* Feeds text to a chunked body n bytes at a time. */
static enum http_parse
chunked(const char *text, size_t step, size_t max, struct buf *out,
    size_t *rest, struct http_refusal *r)
{
	struct http_chunked	 st = { 0 };
	size_t			 len = strlen(text), at = 0, n, used;
	enum http_parse		 res = HTTP_PARSE_MORE;

	while (at < len && res == HTTP_PARSE_MORE) {
		n = len - at < step ? len - at : step;
		res = http_chunked_feed(&st, text + at, n, max, out, &used, r);
		at += used;
		if (res == HTTP_PARSE_MORE)
			assert_int_equal(used, n);
	}
	*rest = len - at;
	return res;
}

static void
test_chunked(void **state)
{
	static const char body[] = "5;name=v\r\nhello\r\n1A\r\n"
	    "abcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\nGET /";
	static const struct {
		const char	*text;
		int		 status;
	} bad[] = {
		{ "x\r\n", 400 }, { "5\r\nhelloX\r\n", 400 },
		{ "ffffffffffffffff\r\n", 413 }, { "401\r\n", 413 },
	};
	struct http_refusal	 r;
	struct buf		 out;
	size_t			 step, rest, i;

	(void)state;
	/* Whatever the pieces it comes in, the same data, the rest left. */
	for (step = 1; step <= sizeof(body); step++) {
		memset(&out, 0, sizeof(out));
		assert_int_equal(chunked(body, step, 1024, &out, &rest, &r),
		    HTTP_PARSE_DONE);
		assert_string_equal(out.p, "helloabcdefghijklmnopqrstuvwxyz");
		assert_int_equal(rest, 5);
		free(out.p);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&out, 0, sizeof(out));
		r.status = 0;
		assert_int_equal(chunked(bad[i].text, 3, 1024, &out, &rest, &r),
		    HTTP_PARSE_BAD);
		assert_int_equal(r.status, bad[i].status);
		free(out.p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_more),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_chunked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
