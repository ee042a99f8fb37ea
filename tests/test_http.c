/*
 * test_http.c — the HTTP API of a live ctgd: routes, the French CSV
 * dialect, errors in JSON with fitting statuses, limits, /metrics, and
 * the same answers as ctg-query.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "harness.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
};

static const char records[] =
"record_id;action;activity;date;commune;structure;category;residence;count;"
"partners;title\n"
";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;46217;4;"
"Mairie de Montcuq;\"Lavoir \"\"du bas\"\"; côté sud\"\n"
";V.B.42;atelier;2024-02-05;46201;conseiller-numerique;adulte;;6;;\n";

static int
setup(void **state)
{
	static struct ctx	 c;
	static const char *const extra[] = { "--http-max-connections", "3",
				    NULL };
	char			 csv[4200];
	const char		*args[] = { "--server", NULL, "-q", "import", csv,
				    NULL };
	FILE			*f;

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), extra);
	tmpdir_path(csv, sizeof(csv), c.dir, "r.csv");
	assert_non_null(f = fopen(csv, "w"));
	fputs(records, f);
	fclose(f);
	args[1] = c.d.server;
	assert_int_equal(tool_run(c.out, "ctg-submit", args), 0);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

struct http_answer {
	int	 status;
	char	*headers;
	char	*body;
};

/* Sends raw bytes to the HTTP port and reads the whole answer. */
static struct http_answer
http_raw(struct ctx *c, const char *request, size_t len)
{
	struct http_answer	 a = { 0 };
	char			*buf = malloc(1 << 20), *sep;
	size_t			 got = 0;
	ssize_t			 n;
	int			 fd = raw_connect(c->d.http_port);

	assert_non_null(buf);
	raw_send(fd, request, len);
	while ((n = recv(fd, buf + got, (1 << 20) - 1 - got, 0)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &a.status) != 1)
		fail_msg("not HTTP: %.200s", buf);
	if ((sep = strstr(buf, "\r\n\r\n")) == NULL)
		fail_msg("no header end: %.200s", buf);
	*sep = '\0';
	a.headers = buf;
	a.body = sep + 4;
	return a;
}

/* A request written out in full, its length counted by the compiler. */
#define HTTP_RAW(c, text)	http_raw((c), (text), sizeof(text) - 1)

static struct http_answer
http_get(struct ctx *c, const char *path)
{
	char	 req[1024];

	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: x\r\n\r\n", path);
	return http_raw(c, req, strlen(req));
}

static void
expect_error(struct ctx *c, const char *path, int status, const char *words)
{
	struct http_answer	 a = http_get(c, path);
	json_object		*o = json_tokener_parse(a.body);

	if (a.status != status || o == NULL ||
	    strstr(json_object_get_string(json_object_object_get(o, "erreur")),
	    words) == NULL)
		fail_msg("%s: %d %s, expected %d with \"%s\"", path, a.status,
		    a.body, status, words);
	assert_non_null(strstr(a.headers, "application/json"));
	json_object_put(o);
	free(a.headers);
}

/* ctg-query --json and GET say the same thing. */
static void
test_same_as_cli(void **state)
{
	struct ctx		*c = *state;
	const char		*args[] = { "--server", c->d.server, "--json",
				    "sheet", "17", "--from", "2024-01", "--to",
				    "2024-12", NULL };
	struct http_answer	 a;
	json_object		*cli, *web;
	char			*text;

	assert_int_equal(tool_run(c->out, "ctg-query", args), 0);
	text = file_read(c->out);
	cli = json_tokener_parse(text);
	free(text);
	a = http_get(c, "/api/v1/sheets/III.A.17?from=2024-01&to=2024-12");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "application/json; charset=utf-8"));
	web = json_tokener_parse(a.body);
	assert_non_null(cli);
	assert_non_null(web);
	assert_true(json_object_equal(cli, web));
	assert_int_equal(json_object_get_int(json_object_object_get(web,
	    "participants")), 4);
	json_object_put(cli);
	json_object_put(web);
	free(a.headers);
	/* The CSV too, byte for byte, and the overview. */
	{
		const char *csvargs[] = { "--server", c->d.server, "--csv",
		    "sheet", "17", "--from", "2024-01", "--to", "2024-12",
		    NULL };
		const char *ovargs[] = { "--server", c->d.server, "--csv",
		    "overview", "--from", "2024-01", "--to", "2024-12", NULL };

		assert_int_equal(tool_run(c->out, "ctg-query", csvargs), 0);
		text = file_read(c->out);
		a = http_get(c, "/api/v1/sheets/17.csv?from=2024-01&to=2024-12");
		assert_string_equal(text, a.body);
		free(text);
		free(a.headers);
		assert_int_equal(tool_run(c->out, "ctg-query", ovargs), 0);
		text = file_read(c->out);
		a = http_get(c, "/api/v1/sheets.csv?from=2024-01&to=2024-12");
		assert_string_equal(text, a.body);
		free(text);
		free(a.headers);
	}
}

/* UTF-8 with BOM, ';', CRLF, quotes doubled, dates JJ/MM/AAAA. */
static void
test_csv_dialect(void **state)
{
	struct ctx		*c = *state;
	struct http_answer	 a = http_get(c,
				    "/api/v1/sheets/17.csv?from=2024-02&to=2024-12");

	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "text/csv; charset=utf-8"));
	assert_memory_equal(a.body, "\xef\xbb\xbf" "Fiche;Du;Au;", 15);
	/* A measure in words, its unit; a covered commune by name, a row. */
	assert_non_null(strstr(a.body, "\r\nIII.A.17;01/02/2024;31/12/2024;"
	    "III.A.17/real/1;réalisation;Des chantiers jeunes organisés sur "
	    "l'ensemble des communes du territoire;communes de la CC ayant "
	    "accueilli une activité;;;1;communes;9;convention;;;en retard\r\n"
	    "III.A.17;01/02/2024;31/12/2024;III.A.17/real/1;réalisation;"
	    "Des chantiers jeunes organisés sur l'ensemble des communes du "
	    "territoire;communes de la CC ayant accueilli une activité;"
	    "Montcuq-en-Quercy-Blanc;46201;;;9;convention;;;\r\n"));
	free(a.headers);
	/* The overview: one row per sheet, 46 rows and a header. */
	a = http_get(c, "/api/v1/sheets.csv?from=2024-01&to=2024-12");
	assert_int_equal(a.status, 200);
	{
		size_t	 rows = 0;
		char	*p;

		for (p = a.body; (p = strstr(p, "\r\n")) != NULL; p += 2)
			rows++;
		assert_int_equal(rows, 47);
	}
	assert_non_null(strstr(a.body, "\r\nV;V.B.42;"));
	free(a.headers);
}

static void
test_errors(void **state)
{
	struct ctx		*c = *state;
	struct http_answer	 a;
	char			*big;
	size_t			 n = 64 * 1024;

	expect_error(c, "/api/v1/sheets/47", 404, "fiche « 47 » inconnue");
	expect_error(c, "/api/v1/sheets/17?from=2024-13", 400,
	    "début « 2024-13 » invalide");
	expect_error(c, "/api/v1/sheets/17?from=2024-06&to=2024-01", 400,
	    "période inversée");
	expect_error(c, "/api/v1/sheets/17?to=2999-01", 400, "futur");
	expect_error(c, "/api/v1/records/pas-un-uuid", 400, "UUID");
	expect_error(c, "/api/v1/records/01901111-0000-7000-8000-000000000009",
	    404, "inconnu");
	expect_error(c, "/api/v2/rien", 404, "route inconnue");
	expect_error(c, "/api/v1/communes/99999", 404, "inconnue");
	expect_error(c, "/api/v1/records/x.csv", 404, "route inconnue");
	expect_error(c, "/api/v1/axes/VI", 404, "axe « VI » inconnu");
	expect_error(c, "/api/v1/indicators/III.A.17/res/2", 404,
	    "route inconnue");
	expect_error(c, "/api/v1/indicators/III.A.17/res/99/records", 404,
	    "indicateur « III.A.17/res/99 » inconnu");
	a = HTTP_RAW(c, "DELETE /api/v1/sheets HTTP/1.0\r\n\r\n");
	assert_int_equal(a.status, 405);
	free(a.headers);
	/* Over the header limit: refused, and the daemon carries on. */
	assert_non_null(big = malloc(n + 64));
	memcpy(big, "GET /metrics HTTP/1.0\r\nX-Big: ", 30);
	memset(big + 30, 'a', n);
	memcpy(big + 30 + n, "\r\n\r\n", 5);
	{
		int	 fd = raw_connect(c->d.http_port);
		char	 buf[512];
		ssize_t	 r;

		send(fd, big, n + 34, MSG_NOSIGNAL);
		r = recv(fd, buf, sizeof(buf) - 1, 0);
		buf[r > 0 ? r : 0] = '\0';
		assert_true(r <= 0 || strstr(buf, "200 OK") == NULL);
		close(fd);
	}
	free(big);
	a = http_get(c, "/metrics");
	assert_int_equal(a.status, 200);
	free(a.headers);
	assert_true(daemon_answers_ping(&c->d));
}

/* The other views answer 200 with JSON (or CSV where they have one). */
static void
test_views(void **state)
{
	struct ctx		*c = *state;
	static const char	*paths[] = {
		"/api/v1/axes/III?from=2024-01&to=2024-12",
		"/api/v1/axes/III.csv?from=2024-01&to=2024-12",
		"/api/v1/communes/46217?from=2024-01&to=2024-12",
		"/api/v1/indicators/III.A.17/res/2/records?from=2024-01",
		"/api/v1/completeness?weeks=4",
		"/api/v1/completeness.csv",
		"/api/v1/communes/46201.csv?from=2024-01",
		"/api/v1/rollups/2024-07",
	};
	struct http_answer	 a;
	size_t			 i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		a = http_get(c, paths[i]);
		if (a.status != 200)
			fail_msg("%s: %d %s", paths[i], a.status, a.body);
		free(a.headers);
	}
	a = http_get(c, "/api/v1/communes/46217?from=2024-01&to=2024-12");
	assert_non_null(strstr(a.body, "\"code\":\"46172\""));
	assert_non_null(strstr(a.body, "\"participants\":4"));
	free(a.headers);
	/* Drill-down as CSV: dates JJ/MM/AAAA, the title's ';' quoted. */
	a = http_get(c, "/api/v1/indicators/III.A.17/res/2/records.csv"
	    "?from=2024-01&to=2024-12");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, ";08/07/2024;Chantier jeunes;"
	    "Montcuq-en-Quercy-Blanc;46201;ALSH Jeunes;\"Lavoir \"\"du bas\"\"; "
	    "côté sud\";4\r\n"));
	free(a.headers);
}

/* Past --http-max-connections (3 here) a client gets a JSON 503. */
static void
test_http_connection_cap(void **state)
{
	struct ctx		*c = *state;
	static const char	 get[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	char			 buf[8192];
	int			 fd[4], i;
	ssize_t			 n;

	for (i = 0; i < 4; i++) {
		fd[i] = raw_connect(c->d.http_port);
		raw_send(fd[i], get, sizeof(get) - 1);
		n = recv(fd[i], buf, sizeof(buf) - 1, 0);
		assert_true(n > 0);
		buf[n] = '\0';
		if (i < 3)
			assert_non_null(strstr(buf, "HTTP/1.1 200"));
		else {
			assert_non_null(strstr(buf, "HTTP/1.1 503"));
			assert_non_null(strstr(buf, "trop de connexions HTTP"));
		}
	}
	for (i = 0; i < 4; i++)
		close(fd[i]);
	usleep(200000);
	/* Closed connections free their places. */
	{
		struct http_answer a = http_get(c, "/metrics");

		assert_int_equal(a.status, 200);
		free(a.headers);
	}
}

static void
test_metrics(void **state)
{
	struct http_answer	 a = http_get(*state, "/metrics");

	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "text/plain; version=0.0.4"));
	assert_non_null(strstr(a.body, "# TYPE ctgd_records_accepted_total counter\n"
	    "ctgd_records_accepted_total 2\n"));
	assert_non_null(strstr(a.body, "# TYPE ctgd_connections_current "
	    "gauge\n"));
	assert_non_null(strstr(a.body, "ctgd_http_requests_total "));
	free(a.headers);
}

/* A POST of body to path (protected mode: no token needed locally). */
static struct http_answer
http_post(struct ctx *c, const char *path, const char *type, const char *body)
{
	char	*req = malloc(strlen(body) + 1024);
	struct http_answer a;

	assert_non_null(req);
	sprintf(req, "POST %s HTTP/1.0\r\nHost: x\r\n%s%s%sContent-Length: "
	    "%zu\r\n\r\n%s", path, type ? "Content-Type: " : "", type ? type :
	    "", type ? "\r\n" : "", strlen(body), body);
	a = http_raw(c, req, strlen(req));
	free(req);
	return a;
}

#define WRITE_ID	"01904444-0000-7000-8000-000000000001"
#define WRITE_RECORD(id, count)						\
	"{\"id\": \"" id "\", \"sheets\": [\"III.A.17\"], \"activity\": "	\
	"\"chantier\", \"date\": \"2024-07-09\", \"commune\": \"46201\", "	\
	"\"structure\": \"alsh-jeunes\", \"groups\": [{\"category\": "	\
	"\"jeune\", \"residence\": \"46217\", \"count\": " count "}], "	\
	"\"partners\": [\"Mairie\"], \"title\": \"Chantier\"}"

static void
expect_ack(struct http_answer a, const char *status, const char *words)
{
	json_object	*o = json_tokener_parse(a.body), *ack;
	const char	*got, *why;

	if (a.status != 200 || o == NULL)
		fail_msg("write: %d %s", a.status, a.body);
	ack = json_object_array_get_idx(json_object_object_get(o, "acks"), 0);
	got = json_object_get_string(json_object_object_get(ack, "status"));
	why = json_object_get_string(json_object_object_get(ack, "reason"));
	if (got == NULL || strcmp(got, status) != 0 || (words != NULL &&
	    (why == NULL || strstr(why, words) == NULL)))
		fail_msg("ack %s (%s), expected %s with \"%s\"", got, why ? why :
		    "", status, words ? words : "");
	json_object_put(o);
	free(a.headers);
}

/* Every answer of the write API: an ack per record, in order. */
static void
test_write_api(void **state)
{
	struct ctx		*c = *state;
	struct http_answer	 a;
	json_object		*o;
	const char		*json = "application/json";

	expect_ack(http_post(c, "/api/v1/records", json,
	    WRITE_RECORD(WRITE_ID, "5")), "accepted", NULL);
	expect_ack(http_post(c, "/api/v1/records", json,
	    WRITE_RECORD(WRITE_ID, "5")), "duplicate", NULL);
	expect_ack(http_post(c, "/api/v1/records", json,
	    WRITE_RECORD(WRITE_ID, "6")), "conflict", NULL);
	expect_ack(http_post(c, "/api/v1/records", json,
	    WRITE_RECORD("01904444-0000-7000-8000-000000000002", "-1")),
	    "refused", "effectif « -1 » hors limites");
	expect_ack(http_post(c, "/api/v1/records", json, "{\"id\": \"0190"
	    "4444-0000-7000-8000-000000000003\", \"commnue\": \"46201\"}"),
	    "refused", "champ « commnue » inconnu");
	/* One bad record in a list does not stop the others. */
	a = http_post(c, "/api/v1/records", json, "{\"records\": ["
	    WRITE_RECORD("01904444-0000-7000-8000-000000000004", "2") ", "
	    "{\"id\": 7}, "
	    WRITE_RECORD("01904444-0000-7000-8000-000000000005", "3") "]}");
	assert_int_equal(a.status, 200);
	assert_non_null(o = json_tokener_parse(a.body));
	assert_string_equal(json_object_to_json_string_ext(json_object_object_get(
	    o, "acks"), JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	    "[{\"id\":\"01904444-0000-7000-8000-000000000004\",\"status\":"
	    "\"accepted\"},{\"id\":null,\"status\":\"refused\",\"reason\":"
	    "\"champ « id » invalide : attendu un UUID comme "
	    "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b\"},{\"id\":"
	    "\"01904444-0000-7000-8000-000000000005\",\"status\":\"accepted\"}]");
	json_object_put(o);
	free(a.headers);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record WHERE "
	    "hex(id) LIKE '01904444%'"), 3);
	/* Amend and void, the id in the path (with or without dashes). */
	expect_ack(http_post(c, "/api/v1/records/019044440000700080000000"
	    "00000001/amend", json, WRITE_RECORD(WRITE_ID, "8")), "accepted",
	    NULL);
	expect_ack(http_post(c, "/api/v1/records/" WRITE_ID "/void", json,
	    "{\"reason\": \"saisi deux fois\"}"), "accepted", NULL);
	expect_ack(http_post(c, "/api/v1/records/" WRITE_ID "/void", json,
	    "{}"), "refused", "motif d'annulation absent");
	/* Bodies that are not such JSON: 400, 415; nothing stored. */
	a = http_post(c, "/api/v1/records", json, "{\"id\": ");
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "document incomplet"));
	free(a.headers);
	a = http_post(c, "/api/v1/records", json, "[1, 2]");
	assert_int_equal(a.status, 400);
	free(a.headers);
	a = http_post(c, "/api/v1/records", "text/plain", "{}");
	assert_int_equal(a.status, 415);
	assert_non_null(strstr(a.body, "application/json"));
	free(a.headers);
	a = http_post(c, "/api/v1/records/pas-un-id/amend", json, "{}");
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "UUID"));
	free(a.headers);
	/* The ids the drill-down prints are what /records/{id} takes. */
	a = http_get(c, "/api/v1/indicators/III.A.17/real/1/records?from=2024-07"
	    "&to=2024-07");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\"id\":\"01904444-0000-7000-8000-"
	    "000000000004\""));
	free(a.headers);
	a = http_get(c, "/api/v1/records/01904444000070008000000000000004");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\"id\":\"01904444-0000-7000-8000-"
	    "000000000004\""));
	free(a.headers);
}

/* HEAD, 405 with Allow, ETag and 304, Host, the app's files. */
static void
test_conformance(void **state)
{
	struct ctx		*c = *state;
	static const struct {
		const char	*request, *allow;
	} wrong[] = {
		{ "PUT /api/v1/sheets HTTP/1.0\r\n\r\n", "Allow: GET, HEAD\r\n" },
		{ "OPTIONS /api/v1/records HTTP/1.0\r\n\r\n", "Allow: POST\r\n" },
		{ "PATCH /api/v1/records/x HTTP/1.0\r\n\r\n",
		  "Allow: GET, HEAD\r\n" },
		{ "GET /api/v1/records/x/amend HTTP/1.0\r\n\r\n",
		  "Allow: POST\r\n" },
		{ "POST /app.js HTTP/1.0\r\n\r\n", "Allow: GET, HEAD\r\n" },
	};
	struct http_answer	 a, b;
	char			 req[512], etag[64] = "", *p;
	size_t			 i;

	a = HTTP_RAW(c, "HEAD /api/v1/sheets HTTP/1.0\r\n\r\n");
	assert_int_equal(a.status, 200);
	b = http_get(c, "/api/v1/sheets");
	assert_string_equal(a.body, "");
	snprintf(req, sizeof(req), "Content-Length: %zu", strlen(b.body));
	assert_non_null(p = strstr(a.headers, req));
	assert_true(p[strlen(req)] == '\r' || p[strlen(req)] == '\0');
	free(a.headers);
	assert_non_null(p = strstr(b.headers, "ETag: "));
	sscanf(p + 6, "%63[^\r]", etag);
	free(b.headers);
	snprintf(req, sizeof(req), "GET /api/v1/sheets HTTP/1.1\r\nHost: x\r\n"
	    "If-None-Match: %s\r\nConnection: close\r\n\r\n", etag);
	a = http_raw(c, req, strlen(req));
	assert_int_equal(a.status, 304);
	assert_string_equal(a.body, "");
	free(a.headers);
	/* A workbook made twice is the same bytes: its tag holds too. */
	a = http_get(c, "/api/v1/sheets.xlsx?from=2024-01&to=2024-12");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "spreadsheetml.sheet"));
	assert_non_null(p = strstr(a.headers, "ETag: "));
	sscanf(p + 6, "%63[^\r]", etag);
	free(a.headers);
	snprintf(req, sizeof(req), "GET /api/v1/sheets.xlsx?from=2024-01&"
	    "to=2024-12 HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n"
	    "Connection: close\r\n\r\n", etag);
	a = http_raw(c, req, strlen(req));
	assert_int_equal(a.status, 304);
	free(a.headers);
	a = HTTP_RAW(c, "GET /api/v1/sheets HTTP/1.1\r\nConnection: close\r\n"
	    "\r\n");
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "en-tête Host absent"));
	free(a.headers);
	/* A path that takes other methods: 405 in JSON, with Allow. */
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		a = http_raw(c, wrong[i].request, strlen(wrong[i].request));
		assert_int_equal(a.status, 405);
		assert_non_null(strstr(a.headers, wrong[i].allow));
		assert_non_null(strstr(a.body, "\"statut\":405"));
		free(a.headers);
	}
	/* The app: no token, its own security headers, cached by tag. */
	a = http_get(c, "/");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "<html lang=\"fr\">"));
	assert_non_null(strstr(a.headers, "Content-Security-Policy: "
	    "default-src 'self'"));
	assert_non_null(strstr(a.headers, "X-Content-Type-Options: nosniff"));
	assert_non_null(strstr(a.headers, "Cache-Control: no-cache"));
	assert_non_null(strstr(a.headers, "ETag: \""));
	free(a.headers);
	a = http_get(c, "/sw.js");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "text/javascript"));
	free(a.headers);
	/* Every file of the app is kept by the service worker for offline use. */
	{
		DIR		*dir = opendir(CTG_SOURCE_DIR "/web");
		struct dirent	*e;
		char		 quoted[300];

		assert_non_null(dir);
		a = http_get(c, "/sw.js");
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.' || strcmp(e->d_name, "sw.js") == 0 ||
			    strcmp(e->d_name, "index.html") == 0)
				continue;
			snprintf(quoted, sizeof(quoted), "'/%s'", e->d_name);
			if (strstr(a.body, quoted) == NULL)
				fail_msg("web/%s is not in sw.js's SHELL: the app "
				    "would not open offline", e->d_name);
		}
		closedir(dir);
		free(a.headers);
	}
	/* The home-screen icons: PNG, as phones want them. */
	a = http_get(c, "/icon-512.png");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "Content-Type: image/png"));
	assert_memory_equal(a.body, "\x89PNG", 4);
	free(a.headers);
	a = http_get(c, "/manifest.webmanifest");
	assert_non_null(strstr(a.headers, "application/manifest+json"));
	assert_non_null(strstr(a.body, "\"lang\": \"fr\""));
	free(a.headers);
	/* What a form checks against: sheets, words, communes by name. */
	a = http_get(c, "/api/v1/plan");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "{\"code\":\"46201\",\"name\":"
	    "\"Montcuq-en-Quercy-Blanc\",\"cc\":true}"));
	assert_non_null(strstr(a.body, "\"code\":\"III.A.17\""));
	free(a.headers);
	/* A printable bilan and COPIL report. */
	a = http_get(c, "/api/v1/copil/2024.html");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.headers, "text/html"));
	assert_non_null(strstr(a.body, "COPIL"));
	free(a.headers);
	a = http_get(c, "/api/v1/rollups/2024-07.html");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "III.A.17"));
	/* One policy, the report's: its inline styles apply. */
	assert_non_null(p = strstr(a.headers, "Content-Security-Policy: "
	    "default-src 'none'; style-src 'unsafe-inline'"));
	assert_null(strstr(p + 1, "Content-Security-Policy"));
	free(a.headers);
}

/* Times an answer's status line is in what came back. */
static int
http_answers_in(struct http_answer a)
{
	const char	*p;
	int		 n = 1;

	for (p = a.body; (p = strstr(p, "HTTP/1.1 ")) != NULL; p++)
		n++;
	return n;
}

/*
 * Framing that evhttp would read loosely (a blank before a colon, two
 * lengths, an unknown coding): refused, and the request hidden in the
 * body never runs. Two honest pipelined requests get two answers.
 */
static void
test_framing(void **state)
{
	struct ctx		*c = *state;
	static const char	 hidden[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
				    "Connection: close\r\n\r\n";
	static const struct {
		const char	*head;
		int		 answers;
	} cases[] = {
		{ "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: "
		  "application/json\r\nContent-Length : %zu\r\n\r\n", 1 },
		{ "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Length: "
		  "0\r\nContent-Length: %zu\r\n\r\n", 1 },
		{ "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:"
		  " gzip\r\nContent-Length: %zu\r\n\r\n", 1 },
		{ "GET /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Length: %zu"
		  "\r\n\r\n", 2 },
	};
	struct http_answer	 a;
	char			 req[1024];
	size_t			 i;
	long long		 before = db_int(c->d.db,
				    "SELECT count(*) FROM record");

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(req, sizeof(req), cases[i].head, strlen(hidden));
		strcat(req, hidden);
		a = http_raw(c, req, strlen(req));
		if (http_answers_in(a) != cases[i].answers)
			fail_msg("case %zu: %d answers, expected %d: %s %s", i,
			    http_answers_in(a), cases[i].answers, a.headers,
			    a.body);
		if (cases[i].answers == 1)
			assert_int_equal(a.status, 400);
		free(a.headers);
	}
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"),
	    before);
	assert_true(daemon_answers_ping(&c->d));
}

/* Descriptors ctgd holds open. */
static int
open_fds(pid_t pid)
{
	char		 path[64];
	DIR		*d;
	int		 n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 2;
}

/*
 * Out of descriptors: accept() fails on the HTTP port; the port rests a
 * second between tries and the log says it at most once a second with a
 * count (libevent alone retried at once and logged every failure), and
 * ctgd serves again as soon as descriptors are free.
 */
static void
test_out_of_descriptors(void **state)
{
	struct ctx		*c = *state;
	struct rlimit		 low, old;
	struct http_answer	 a;
	char			*log, *p;
	int			 fd[64], i, lines = 0;

	assert_int_equal(prlimit(c->d.pid, RLIMIT_NOFILE, NULL, &old), 0);
	low.rlim_cur = (rlim_t)open_fds(c->d.pid) + 8;
	low.rlim_max = old.rlim_max;
	assert_int_equal(prlimit(c->d.pid, RLIMIT_NOFILE, &low, NULL), 0);
	for (i = 0; i < 64; i++)
		fd[i] = raw_connect(c->d.http_port);
	sleep(3);
	log = file_read(c->d.log);
	for (p = log; (p = strstr(p, "event=accept_error")) != NULL; p++)
		lines++;
	assert_null(strstr(log, "Error from accept"));
	free(log);
	print_message("out of descriptors: %d log lines in 3 s\n", lines);
	assert_true(lines >= 1 && lines <= 5);
	for (i = 0; i < 64; i++)
		close(fd[i]);
	assert_int_equal(prlimit(c->d.pid, RLIMIT_NOFILE, &old, NULL), 0);
	sleep(2);	/* the port's rest */
	a = http_get(c, "/api/v1/session");
	assert_int_equal(a.status, 200);
	free(a.headers);
	assert_true(daemon_answers_ping(&c->d));
}

/* Prometheus's own checker finds nothing to say of /metrics. */
static void
test_promtool(void **state)
{
	struct ctx		*c = *state;
	struct http_answer	 a = http_get(c, "/metrics");
	char			 path[4200], cmd[8600];
	FILE			*f;

	tmpdir_path(path, sizeof(path), c->dir, "metrics.txt");
	assert_non_null(f = fopen(path, "w"));
	fputs(a.body, f);
	fclose(f);
	free(a.headers);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' > '%s.out' "
	    "2>&1", path, path);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "%s.out", path);
		fail_msg("promtool check metrics: %s", file_read(cmd));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_cli),
		cmocka_unit_test(test_csv_dialect),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_write_api),
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_promtool),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_out_of_descriptors),
		cmocka_unit_test(test_http_connection_cap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
