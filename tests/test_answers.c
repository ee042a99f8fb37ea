/*
 * test_answers.c — the answers users rely on, kept value for value.
 *
 * A fixed rich database is made through the real ctgd: 20,000 generated
 * records over 2021–2024 (every sheet that takes records, records on two
 * sheets and on none, followed persons, partners), then amends and voids.
 * Every sheet over four windows (the whole convention, a year, a window
 * across a year boundary, one month), the overview and the axes, the
 * communes, the records behind indicators, and the French CSV of sheets,
 * overview and communes are asked, and compared with the answers saved in
 * tests/answers/answers.txt.gz before any redesign of the read side.
 *
 * CTG_ANSWERS_WRITE=FILE writes the answers there instead (gzip), to save
 * them anew once a change of answer has been explained.
 */
#include <sys/socket.h>
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
#include <openssl/evp.h>
#include <zlib.h>

#include "catalogue.h"
#include "gen.h"
#include "harness.h"
#include "record.h"
#include "tmpdir.h"
#include "uuid.h"
#include "wire.h"

#define ANSWERS		CTG_SOURCE_DIR "/tests/answers/answers.txt.gz"
#define NRECORDS	20000
#define BATCH		500
#define SEED		20261202

static const char *const windows[][2] = {
	{ "2020-01", "2024-12" },	/* the whole convention */
	{ "2023-01", "2023-12" },	/* a year */
	{ "2023-11", "2024-02" },	/* across a year boundary */
	{ "2024-03", "2024-03" },	/* one month */
};

struct answers {
	char	*text;
	size_t	 len;
	FILE	*f;
};

/* Sends one request and waits for its reply; fails the test otherwise. */
static void
exchange(int fd, struct request *req, struct reply *rep)
{
	raw_send_request(fd, req);
	if (raw_recv(fd, rep, 60000) != 0)
		fail_msg("no reply to request kind %d", req->kind);
}

static void
expect_acks(const struct reply *rep, size_t n)
{
	size_t	 i;

	assert_int_equal(rep->kind, REPLY_SUBMIT);
	assert_int_equal(rep->nacks, n);
	for (i = 0; i < n; i++)
		if (rep->acks[i].status != ACK_ACCEPTED)
			fail_msg("ack %zu: %d %s", i, rep->acks[i].status,
			    rep->acks[i].reason ? rep->acks[i].reason : "");
}

/* A time-ordered id from the record's date and its number: reproducible. */
static uint8_t *
fixed_id(struct arena *a, const char *date, unsigned n)
{
	uint8_t		 digest[32], *id = arena_alloc(a, RECORD_ID_LEN);
	int64_t		 day = 0;

	assert_non_null(id);
	EVP_Digest(&n, sizeof(n), digest, NULL, EVP_sha256(), NULL);
	date_parse(date, &day);
	uuid_v7_from_digest((uint64_t)day * 86400000 + n % 86400000, digest, id);
	return id;
}

/* The fixed database: records, then every 50th amended, every 70th voided. */
static void
fill(const struct daemon *d)
{
	const struct catalogue	*cat;
	struct gen		 g;
	struct request		 req;
	struct reply		 rep;
	struct record		*kept;
	struct arena		 keep = { 0 };
	char			 err[256];
	int64_t			 today;
	unsigned		 n, i;
	int			 fd = raw_connect(d->port);

	assert_non_null(cat = catalogue_builtin(err, sizeof(err)));
	assert_int_equal(date_parse("2024-12-31", &today), 0);
	assert_int_equal(gen_init(&g, cat, SEED, today, 4 * 365), 0);
	assert_non_null(kept = calloc(NRECORDS, sizeof(*kept)));
	for (n = 0; n < NRECORDS; n += BATCH) {
		memset(&req, 0, sizeof(req));
		req.kind = REQUEST_SUBMIT;
		req.seq = n;
		req.nrecords = BATCH;
		req.records = &kept[n];
		for (i = 0; i < BATCH; i++) {
			assert_int_equal(gen_record(&g, &kept[n + i], &keep), 0);
			kept[n + i].id = fixed_id(&keep, kept[n + i].date, n + i);
		}
		exchange(fd, &req, &rep);
		expect_acks(&rep, BATCH);
		reply_free(&rep);
	}
	for (n = 0; n < NRECORDS; n += 50) {
		struct record	 r = kept[n];
		struct group	*gr = arena_memdup(&keep, r.groups,
				    r.ngroups * sizeof(*gr));
		size_t		 k;

		/* One more participant in a group without a person, or a
		 * corrected title. */
		for (k = 0; k < r.ngroups && gr[k].person != NULL; k++)
			;
		if (k < r.ngroups)
			gr[k].count += 1 + n % 7;
		else
			r.title = "titre corrigé";
		r.groups = gr;
		memset(&req, 0, sizeof(req));
		req.kind = REQUEST_AMEND;
		req.seq = n;
		req.nrecords = 1;
		req.records = &r;
		exchange(fd, &req, &rep);
		expect_acks(&rep, 1);
		reply_free(&rep);
	}
	for (n = 35; n < NRECORDS; n += 70) {
		memset(&req, 0, sizeof(req));
		req.kind = REQUEST_VOID;
		req.seq = n;
		req.void_id = kept[n].id;
		req.void_id_len = RECORD_ID_LEN;
		req.reason = "saisi deux fois";
		exchange(fd, &req, &rep);
		expect_acks(&rep, 1);
		reply_free(&rep);
	}
	close(fd);
	free(kept);
	arena_free(&keep);
}

/* What a record JSON holds of the server's clock does not count. */
static void
strip_clock(json_object *o)
{
	size_t	 i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			strip_clock(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_del(o, "received_ms");
	json_object_object_foreach(o, k, v) {
		(void)k;
		strip_clock(v);
	}
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* JSON with sorted keys, one member or element a line: diffs read well. */
static void
emit(FILE *f, json_object *o, int depth)
{
	const char	**keys;
	size_t		  n = 0, i;

	if (json_object_is_type(o, json_type_array) &&
	    json_object_array_length(o) > 0) {
		fputs("[\n", f);
		for (i = 0; i < json_object_array_length(o); i++) {
			fprintf(f, "%*s", 2 * (depth + 1), "");
			emit(f, json_object_array_get_idx(o, i), depth + 1);
			fputs(i + 1 < json_object_array_length(o) ? ",\n" : "\n",
			    f);
		}
		fprintf(f, "%*s]", 2 * depth, "");
		return;
	}
	if (!json_object_is_type(o, json_type_object) ||
	    json_object_object_length(o) == 0) {
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		    f);
		return;
	}
	keys = calloc((size_t)json_object_object_length(o), sizeof(*keys));
	assert_non_null(keys);
	json_object_object_foreach(o, k, v) {
		(void)v;
		keys[n++] = k;
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	fputs("{\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%*s\"%s\": ", 2 * (depth + 1), "", keys[i]);
		emit(f, json_object_object_get(o, keys[i]), depth + 1);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fprintf(f, "%*s}", 2 * depth, "");
	free(keys);
}

static void
ask(struct answers *a, int fd, const char *kind, const char *key,
    const char *from, const char *to)
{
	struct request	 req = { .kind = REQUEST_QUERY, .seq = 1,
			    .query = { kind, key, from, to } };
	struct reply	 rep;
	json_object	*o;

	exchange(fd, &req, &rep);
	assert_int_equal(rep.kind, REPLY_DOCUMENT);
	fprintf(a->f, "== %s %s %s %s\n", kind, key ? key : "-",
	    from ? from : "-", to ? to : "-");
	if (rep.json == NULL)
		fprintf(a->f, "erreur : %s\n", rep.document_error ?
		    rep.document_error : "");
	else {
		assert_non_null(o = json_tokener_parse(rep.json));
		strip_clock(o);
		emit(a->f, o, 0);
		fputc('\n', a->f);
		json_object_put(o);
	}
	reply_free(&rep);
}

/* An HTTP answer's body, as a spreadsheet would receive it. */
static void
ask_http(struct answers *a, const struct daemon *d, const char *path)
{
	char	 req[512], *buf = malloc(1 << 22), *body;
	size_t	 got = 0;
	ssize_t	 n;
	int	 fd = raw_connect(d->http_port);

	assert_non_null(buf);
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: x\r\n\r\n", path);
	raw_send(fd, req, strlen(req));
	while (got < (1 << 22) - 1 &&
	    (n = recv(fd, buf + got, (1 << 22) - 1 - got, 0)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	assert_non_null(body = strstr(buf, "\r\n\r\n"));
	fprintf(a->f, "== GET %s\n%.3s %s\n", path, buf + 9, body + 4);
	free(buf);
}

static void
ask_everything(struct answers *a, const struct daemon *d)
{
	const struct catalogue	*cat;
	char			 err[256], path[256];
	size_t			 s, w, i;
	int			 fd = raw_connect(d->port);
	static const char *const axes[] = { "I", "II", "III", "IV", "V" };
	static const char *const communes[] = { "46033", "46063", "46069",
	    "46103", "46172", "46201", "46206", "46262", "46263", "46014",
	    "82121" };

	assert_non_null(cat = catalogue_builtin(err, sizeof(err)));
	for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		ask(a, fd, "overview", NULL, windows[w][0], windows[w][1]);
		for (s = 0; s < cat->nsheets; s++)
			ask(a, fd, "sheet", cat->sheets[s].code, windows[w][0],
			    windows[w][1]);
	}
	for (i = 0; i < sizeof(axes) / sizeof(axes[0]); i++)
		ask(a, fd, "axis", axes[i], "2024-01", "2024-12");
	for (i = 0; i < sizeof(communes) / sizeof(communes[0]); i++)
		ask(a, fd, "commune", communes[i], "2023-01", "2024-12");
	/* The records behind one indicator of each sheet, a month's worth. */
	for (s = 0; s < cat->nsheets; s++)
		ask(a, fd, "records",
		    cat->indicators[cat->sheets[s].first].id, "2024-03",
		    "2024-03");
	close(fd);
	ask_http(a, d, "/api/v1/sheets.csv?from=2024-01&to=2024-12");
	for (s = 0; s < cat->nsheets; s++) {
		snprintf(path, sizeof(path), "/api/v1/sheets/%s.csv?from=2023-01"
		    "&to=2024-12", cat->sheets[s].code);
		ask_http(a, d, path);
	}
	for (i = 0; i < sizeof(communes) / sizeof(communes[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/communes/%s.csv?from="
		    "2023-01&to=2024-12", communes[i]);
		ask_http(a, d, path);
	}
}

static char *
gz_read(const char *path, size_t *len)
{
	gzFile	 gz = gzopen(path, "rb");
	char	*buf = NULL;
	size_t	 cap = 0;
	int	 n;

	*len = 0;
	if (gz == NULL)
		return NULL;
	do {
		if (*len + 65536 + 1 > cap) {
			cap = (cap + 65536) * 2;
			assert_non_null(buf = realloc(buf, cap));
		}
		n = gzread(gz, buf + *len, 65536);
		*len += n > 0 ? (size_t)n : 0;
	} while (n > 0);
	gzclose(gz);
	buf[*len] = '\0';
	return buf;
}

/* The query header above the first line where two texts differ. */
static void
report_first_difference(const char *want, const char *got)
{
	const char	*w = want, *g = got, *hdr = "";
	size_t		 line = 1;

	while (*w != '\0' && *w == *g) {
		if (*w == '\n') {
			line++;
			if (strncmp(w + 1, "== ", 3) == 0)
				hdr = w + 1;
		}
		w++;
		g++;
	}
	while (w > want && w[-1] != '\n')
		w--;
	while (g > got && g[-1] != '\n')
		g--;
	fail_msg("answers differ at line %zu, under « %.*s »:\n- %.*s\n+ %.*s",
	    line, (int)strcspn(hdr, "\n"), hdr, (int)strcspn(w, "\n"), w,
	    (int)strcspn(g, "\n"), g);
}

static void
test_answers_unchanged(void **state)
{
	struct daemon	 d;
	struct answers	 a = { 0 };
	char		 out[4200];
	const char	*dir, *write = getenv("CTG_ANSWERS_WRITE");
	char		*want;
	size_t		 wantlen;

	(void)state;
	dir = daemon_ground(&d, out, sizeof(out), NULL);
	fill(&d);
	assert_non_null(a.f = open_memstream(&a.text, &a.len));
	ask_everything(&a, &d);
	fclose(a.f);
	assert_int_equal(daemon_finish(&d, dir), 0);
	if (write != NULL) {
		gzFile gz = gzopen(write, "wb9");

		assert_non_null(gz);
		assert_int_equal(gzwrite(gz, a.text, (unsigned)a.len),
		    (int)a.len);
		gzclose(gz);
		printf("answers written to %s (%zu bytes)\n", write, a.len);
	} else {
		if ((want = gz_read(ANSWERS, &wantlen)) == NULL)
			fail_msg("%s unreadable", ANSWERS);
		if (wantlen != a.len || memcmp(want, a.text, a.len) != 0)
			report_first_difference(want, a.text);
		free(want);
	}
	free(a.text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
