/*
 * probe.c — ctg-probe, the benchmark's measuring instrument (not a test):
 *   ctg-probe ingest DB N [--no-aggregates] [--batch B]
 *     stores N generated records in transactions of B (default 1000), as
 *     the writer does, synchronous=FULL; prints records_per_s.
 *   ctg-probe query DB SHEET FROM TO N
 *     answers the same sheet query N times; prints p50 and p99 in ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalogue.h"
#include "query.h"
#include "record.h"
#include "store.h"

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
usage(void)
{
	fprintf(stderr, "usage : ctg-probe ingest BASE N [--no-aggregates] "
	    "[--batch B]\n        ctg-probe query BASE FICHE DE A N\n");
	return 2;
}

/* Realistic records: 46 sheets, 36 months, the CC's communes and others. */
static void
make_record(long i, struct record *r, uint8_t id[16], const char **sheet,
    struct group g[3], char date[11], const char **partner)
{
	static const char *const communes[] = { "46201", "46063", "46172",
	    "46217", "46263", "46033", "46069", "82121", "31555", "46103" };
	static const char *const cats[] = { "parent", "enfant", "jeune",
	    "ama", "professionnel" };
	static const char *const partners[] = { "CAF", "MSA", "Mairie" };
	static const struct { const char *sheet, *activity; } kinds[] = {
		{ "III.A.17", "chantier" }, { "II.A.9", "atelier" },
		{ "V.B.42", "atelier" }, { "III.C.25", "reunion" },
		{ "I.A.2", "evenement" }, { "III.A.19", "sejour" },
		{ NULL, "accueil" }, { "I.A.1", "communication" },
	};
	int	 k = (int)(i % 8), j;

	memset(id, 0, 16);
	id[0] = 0x01;
	id[6] = 0x70;
	for (j = 0; j < 6; j++)
		id[15 - j] = (uint8_t)(i >> (8 * j));
	date_format(19358 + (i * 7919) % (3 * 365), date);	/* 2023-2025 */
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->id_len = 16;
	*sheet = kinds[k].sheet;
	r->sheets = sheet;
	r->nsheets = kinds[k].sheet != NULL;
	r->activity = kinds[k].activity;
	r->date = date;
	r->commune = communes[i % 10];
	r->structure = k == 6 ? "alsh-montcuq" : "ccqb";
	for (j = 0; j < 2; j++)
		g[j] = (struct group){ cats[(i + j) % 5],
		    communes[(i / 3 + j) % 10], 1 + (i + j) % 12, 1, NULL, 0 };
	r->groups = g;
	r->ngroups = 2;
	*partner = partners[i % 3];
	r->partners = partner;
	r->npartners = 1;
}

static int
probe_ingest(const char *db, long n, int noagg, long batch)
{
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct store_options	 so = { 1, cat, noagg, 0 };
	struct agg_batch	*b = agg_batch_new();
	struct store		*s;
	struct record		 r;
	struct group		 g[3];
	const char		*sheet, *partner;
	uint8_t			 id[16], d[RECORD_DIGEST_LEN];
	char			 date[11], err[512];
	double			 t0;
	long			 i;

	if ((s = store_open(db, &so, err, sizeof(err))) == NULL) {
		fprintf(stderr, "ctg-probe : %s\n", err);
		return 1;
	}
	t0 = now_s();
	for (i = 0; i < n; i++) {
		if (i % batch == 0) {
			agg_batch_clear(b);
			store_begin(s);
		}
		make_record(i, &r, id, &sheet, g, date, &partner);
		record_digest(&r, d);
		if (store_put(s, &r, d, 0, b) != ACK_ACCEPTED) {
			fprintf(stderr, "ctg-probe : %s\n", store_errmsg(s));
			return 1;
		}
		if (i % batch == batch - 1 || i == n - 1) {
			store_apply(s, b);
			store_commit(s);
		}
	}
	printf("records=%ld aggregates=%s records_per_s=%.0f\n", n,
	    noagg ? "off" : "on", (double)n / (now_s() - t0));
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

static int
probe_query(const char *db, const char *sheet, const char *from,
    const char *to, long n)
{
	const struct catalogue	*cat = catalogue_builtin(NULL, 0);
	struct query		 q = { "sheet", sheet, from, to };
	struct query_db		*qd;
	const char		*error;
	double			*t = calloc((size_t)n, sizeof(*t)), t0;
	char			 err[512], *json;
	long			 i;

	if (t == NULL || (qd = query_open(db, cat, 5, err, sizeof(err))) == NULL) {
		fprintf(stderr, "ctg-probe : %s\n", t ? err : "mémoire");
		return 1;
	}
	for (i = 0; i < n; i++) {
		t0 = now_s();
		if ((json = query_answer(qd, &q, date_today(), &error)) ==
		    NULL) {
			fprintf(stderr, "ctg-probe : %s\n", error);
			return 1;
		}
		t[i] = (now_s() - t0) * 1000;
		free(json);
	}
	qsort(t, (size_t)n, sizeof(*t), dblcmp);
	printf("sheet=%s from=%s to=%s queries=%ld query_p50_ms=%.3f "
	    "query_p99_ms=%.3f\n", sheet, from, to, n, t[n / 2],
	    t[(n * 99) / 100]);
	query_close(qd);
	free(t);
	return 0;
}

int
main(int argc, char **argv)
{
	long	 batch = 1000;
	int	 noagg = 0, i;

	if (argc >= 4 && strcmp(argv[1], "ingest") == 0) {
		for (i = 4; i < argc; i++)
			if (strcmp(argv[i], "--no-aggregates") == 0)
				noagg = 1;
			else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
				batch = atol(argv[++i]);
			else
				return usage();
		return probe_ingest(argv[2], atol(argv[3]), noagg,
		    batch > 0 ? batch : 1000);
	}
	if (argc == 7 && strcmp(argv[1], "query") == 0)
		return probe_query(argv[2], argv[3], argv[4], argv[5],
		    atol(argv[6]) > 0 ? atol(argv[6]) : 1);
	return usage();
}
