/*
 * test_load.c — ctg-load against the real ctgd: what it reports is what the
 * daemon stored, its generated records pass validation across many sheets,
 * the fixed-rate pacer never sends ahead of time, refusals are counted as
 * errors with their reason, and a malformed command says what is wrong.
 * No figure of speed is asserted: that is bench/run's job.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "harness.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
};

/* The summary and detail lines of a ctg-load run. */
struct load_result {
	double			 rate, p50, p99, p999;
	unsigned long long	 errors, sent, acked;
};

static int
setup(void **state)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), NULL);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;
	unsetenv("CTG_TOKEN");
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* Parses ctg-load's output; fails the test unless both lines are there. */
static void
load_parse(const char *path, struct load_result *r)
{
	char		*text = file_read(path), *p;

	memset(r, 0, sizeof(*r));
	assert_non_null(p = strstr(text, " sent="));
	assert_int_equal(sscanf(p, " sent=%llu acked=%llu", &r->sent,
	    &r->acked), 2);
	assert_non_null(p = strstr(text, " ack_p999_ms="));
	assert_int_equal(sscanf(p, " ack_p999_ms=%lf", &r->p999), 1);
	assert_non_null(p = strstr(text, "\nrecords_per_s="));
	assert_int_equal(sscanf(p, "\nrecords_per_s=%lf ack_p50_ms=%lf "
	    "ack_p99_ms=%lf errors=%llu", &r->rate, &r->p50, &r->p99,
	    &r->errors), 4);
	free(text);
}

/* Flat out: every acked record is stored, across many sheets, verified. */
static void
test_flat_out(void **state)
{
	struct ctx		*c = *state;
	const char		*args[] = { "--server", c->d.server,
				    "--connections", "4", "--seconds", "2",
				    "--batch", "5", "--window", "4", "--seed",
				    "7", NULL };
	const char		*verify[] = { "--server", c->d.server,
				    "verify", NULL };
	struct load_result	 r;
	char			 line[512];

	assert_int_equal(tool_run(c->out, "ctg-load", args), 0);
	load_parse(c->out, &r);
	assert_int_equal(r.errors, 0);
	assert_true(r.acked > 0);
	assert_int_equal(r.acked, r.sent);
	assert_true(r.rate > 0);
	assert_true(r.p50 <= r.p99 && r.p99 <= r.p999);
	/* The last line is the documented contract's, nothing after it. */
	file_last_line(c->out, line, sizeof(line));
	assert_int_equal(strncmp(line, "records_per_s=", 14), 0);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"),
	    (long long)r.acked);
	/* Realistic records: many sheets, groups, communes of the CC. */
	assert_true(db_int(c->d.db, DB_LISTS "SELECT count(DISTINCT sheet) "
	    "FROM sheets_of") >= 10);
	assert_true(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM groups_of") >
	    (long long)r.acked);
	assert_true(db_int(c->d.db, "SELECT count(DISTINCT structure) FROM "
	    "revision") >= 3);
	assert_int_equal(tool_run(c->out, "ctg-admin", verify), 0);
	file_expect(c->out, " 0 écart(s)");
}

/* Fixed rate: the pacer sends what is due, never more. */
static void
test_fixed_rate(void **state)
{
	struct ctx		*c = *state;
	const char		*args[] = { "--server", c->d.server,
				    "--connections", "2", "--seconds", "1",
				    "--rate", "400", "--batch", "4", NULL };
	struct load_result	 r;

	assert_int_equal(tool_run(c->out, "ctg-load", args), 0);
	file_expect(c->out, "mode=rate");
	load_parse(c->out, &r);
	assert_int_equal(r.errors, 0);
	assert_true(r.acked > 0);
	assert_true(r.sent <= 400 + 4);
	assert_int_equal(r.acked, r.sent);
}

/* A protected daemon refuses records without a token: counted, explained. */
static void
test_refused(void **state)
{
	struct ctx		*c = *state;
	const char		*admin[] = { "--server", c->d.server, "token",
				    "create", "--role", "admin", NULL };
	const char		*args[] = { "--server", c->d.server,
				    "--seconds", "0.5", NULL };
	struct load_result	 r;

	unsetenv("CTG_TOKEN");
	assert_int_equal(tool_run(c->out, "ctg-admin", admin), 0);
	assert_int_equal(tool_run(c->out, "ctg-load", args), 1);
	load_parse(c->out, &r);
	assert_true(r.errors > 0);
	assert_int_equal(r.acked, 0);
	file_expect(c->out, "ctg-load : première erreur : ");
	file_expect(c->out, "jeton");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 0);
}

static void
test_usage(void **state)
{
	struct ctx	*c = *state;
	const char	*zero[] = { "--server", c->d.server, "--connections",
			    "0", NULL };
	const char	*unknown[] = { "--vite", NULL };
	const char	*help[] = { "--help", NULL };
	const char	*nowhere[] = { "--server", "127.0.0.1:1", "--seconds",
			    "1", NULL };

	assert_int_equal(tool_run(c->out, "ctg-load", zero), 2);
	file_expect(c->out, "--connections attend un nombre entre 1 et 10000 "
	    "(reçu « 0 »)");
	assert_int_equal(tool_run(c->out, "ctg-load", unknown), 2);
	file_expect(c->out, "option inconnue « --vite »");
	assert_int_equal(tool_run(c->out, "ctg-load", help), 0);
	file_expect(c->out, "records_per_s=");
	assert_int_equal(tool_run(c->out, "ctg-load", nowhere), 1);
	file_expect(c->out, "connexion au serveur 127.0.0.1:1 impossible");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flat_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixed_rate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
