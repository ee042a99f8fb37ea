/*
 * test_ingest.c — the real ctgd driven by the real ctg-submit: imports
 * counted exactly once, conflicts refused, nothing acknowledged ever lost
 * across kill -9, SIGTERM that acks what is in flight.
 */
#include <sys/types.h>
#include <signal.h>
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

#include "fixtures.h"
#include "harness.h"
#include "record.h"
#include "tmpdir.h"
#include "uuid.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 csv[4200], out[4200];
};

static int
setup(void **state)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	setenv("CTG_KEY_FILE", "/nonexistent/unused.key", 1);
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), NULL);
	tmpdir_path(c.csv, sizeof(c.csv), c.dir, "import.csv");
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	daemon_finish(&c->d, c->dir);
	return 0;
}

static int
import(struct ctx *c, const char *csv, const char *const *extra)
{
	const char	*args[16] = { "--server", c->d.server, "-q" };
	size_t		 n = 3;

	for (; extra != NULL && *extra != NULL; extra++)
		args[n++] = *extra;
	args[n++] = "import";
	args[n++] = csv;
	args[n] = NULL;
	return tool_run(c->out, "ctg-submit", args);
}

static void
assert_summary(struct ctx *c, const char *expected)
{
	char	 line[256];

	file_last_line(c->out, line, sizeof(line));
	if (strcmp(line, expected) != 0) {
		char *all = file_read(c->out);

		fail_msg("summary \"%s\", expected \"%s\"; output:\n%.2000s",
		    line, expected, all);
	}
}

/* Replaces the first occurrence of from after anchor in the file by to. */
static void
edit_file(const char *path, const char *anchor, const char *from,
    const char *to)
{
	char	*text = file_read(path), *a = strstr(text, anchor), *p;
	FILE	*f;

	assert_non_null(a);
	assert_non_null(p = strstr(a, from));
	assert_non_null(f = fopen(path, "w"));
	fwrite(text, 1, (size_t)(p - text), f);
	fputs(to, f);
	fputs(p + strlen(from), f);
	fclose(f);
	free(text);
}

static void
test_import_counts_once(void **state)
{
	struct ctx	*c = *state;
	long long	 total = csv_write_records(c->csv, 1000, 1), before;
	char		 sql[4096], *out;

	assert_int_equal(import(c, c->csv, NULL), 0);
	assert_summary(c, "accepted=1000 duplicate=0 conflict=0 refused=0");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1000);
	assert_int_equal(db_int(c->d.db,
	    DB_LISTS "SELECT sum(count) FROM groups_of"), total);

	/* The same file again: nothing counts twice. */
	assert_int_equal(import(c, c->csv, NULL), 0);
	assert_summary(c, "accepted=0 duplicate=1000 conflict=0 refused=0");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1000);

	/* One row changed under a known record_id: one conflict, no change. */
	snprintf(sql, sizeof(sql), DB_LISTS "SELECT sum(count) FROM groups_of "
	    "WHERE record = x'0100010000007000800000000000000a' AND "
	    "category = 'parent'");
	before = db_int(c->d.db, sql);
	assert_true(before > 0);
	edit_file(c->csv, "01000100-0000-7000-8000-00000000000a;", ";parent;",
	    ";habitant;");
	assert_int_equal(import(c, c->csv, NULL), 1);
	assert_summary(c, "accepted=0 duplicate=999 conflict=1 refused=0");
	out = file_read(c->out);
	/* The id ends the line, after the status and the reason. */
	assert_non_null(strstr(out, " : en conflit : cet identifiant est déjà "
	    "enregistré"));
	assert_non_null(strstr(out, " — 01000100-0000-7000-8000-"
	    "00000000000a\n"));
	free(out);
	assert_int_equal(db_int(c->d.db, sql), before);
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM "
	    "groups_of WHERE category = 'habitant'"), 0);
	assert_int_equal(db_int(c->d.db,
	    DB_LISTS "SELECT sum(count) FROM groups_of"), total);
}

/* The per-row report: every row of the file, in order, with its status. */
static void
test_import_report(void **state)
{
	struct ctx	*c = *state;
	const char	*args[] = { "--server", c->d.server, "import", c->csv,
			    NULL };
	char		*out;
	FILE		*f = fopen(c->csv, "w");

	assert_non_null(f);
	fputs("record_id;action;activity;date;commune;structure;category;"
	    "residence;count;partners;title\n"
	    /* Titles differ: agreeing rows that follow each other are one. */
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;Lavoir\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;-5;;Pont\n"
	    ";17;chantier;2024-02-30;46201;alsh-jeunes;jeune;46201;5;;Mur\n"
	    ";17;chantier;2024-07-10;4620;alsh-jeunes;jeune;46201;5;;Four\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;100001;;L\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;deux;;M\n",
	    f);
	fclose(f);
	assert_int_equal(tool_run(c->out, "ctg-submit", args), 1);
	out = file_read(c->out);
	assert_non_null(strstr(out, "ligne 2 : accepté — "));
	assert_non_null(strstr(out, "ligne 3 : refusé"));
	assert_non_null(strstr(out, "« -5 » hors limites"));
	assert_non_null(strstr(out, "ligne 4 : refusé"));
	assert_non_null(strstr(out, "« 2024-02-30 » n'est pas une date"));
	assert_non_null(strstr(out, "ligne 5 : refusé"));
	assert_non_null(strstr(out, "commune « 4620 » inconnue"));
	assert_non_null(strstr(out, "ligne 6 : refusé"));
	assert_non_null(strstr(out, "« 100001 »"));
	assert_non_null(strstr(out, "ligne 7 : refusé"));
	assert_non_null(strstr(out, "« deux » n'est pas un effectif"));
	/* A French summary, then the interface line. */
	assert_non_null(strstr(out, "6 enregistrements : 1 accepté, 0 déjà "
	    "enregistré, 0 en conflit, 5 refusés\n"));
	free(out);
	assert_summary(c, "accepted=1 duplicate=0 conflict=0 refused=5");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1);
}

/*
 * Collects the ids the client reported acknowledged ("accepté — uuid"),
 * once per record (a record's rows are adjacent in the test files).
 */
static size_t
acked_ids(const char *out, uint8_t (*ids)[16], size_t max)
{
	char		*text = file_read(out), *p = text;
	char		 uuid[UUID_TEXT_LEN + 1];
	size_t		 n = 0;

	while ((p = strstr(p, ": accepté — ")) != NULL && n < max) {
		p += strlen(": accepté — ");
		memcpy(uuid, p, UUID_TEXT_LEN);
		uuid[UUID_TEXT_LEN] = '\0';
		assert_int_equal(uuid_parse(uuid, ids[n]), 0);
		if (n == 0 || memcmp(ids[n], ids[n - 1], 16) != 0)
			n++;
	}
	free(text);
	return n;
}

static void
sleep_ms(int ms)
{
	struct timespec	 ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * kill -9 in the middle of a 20,000-record import: after a restart every
 * record acknowledged before the kill is there, and importing the file
 * again stores every record exactly once.
 */
static void
test_kill9_mid_import(void **state)
{
	struct ctx	*c = *state;
	long long	 total = csv_write_records(c->csv, 20000, 2);
	const char	*args[] = { "--server", c->d.server, "--batch", "20",
			    "--window", "2", "import", c->csv, NULL };
	uint8_t		(*ids)[16] = calloc(20000, 16);
	long long	 stored = 0;
	size_t		 nacked, i;
	pid_t		 client;
	int		 tries;

	assert_non_null(ids);
	client = tool_spawn(c->out, "ctg-submit", args);
	for (tries = 0; tries < 30000 && stored < 4000; tries++) {
		sleep_ms(1);
		stored = db_int(c->d.db, "SELECT count(*) FROM record");
	}
	daemon_kill9(&c->d);
	/* The client loses its server mid-import and says so. */
	assert_int_equal(tool_wait(client), 2);
	file_expect(c->out, "sans acquittement");
	nacked = acked_ids(c->out, ids, 20000);
	print_message("kill -9 after %zu of 20000 records acknowledged\n",
	    nacked);
	assert_true(nacked > 0);
	assert_true(nacked < 20000);

	daemon_start(&c->d, c->dir, NULL);
	for (i = 0; i < nacked; i++)
		if (!db_has_record(c->d.db, ids[i]))
			fail_msg("acknowledged record %zu of %zu lost", i,
			    nacked);
	assert_int_equal(import(c, c->csv, NULL), 0);
	{
		char	 line[256];
		long	 acc, dup;

		file_last_line(c->out, line, sizeof(line));
		assert_int_equal(sscanf(line, "accepted=%ld duplicate=%ld",
		    &acc, &dup), 2);
		assert_int_equal(acc + dup, 20000);
		assert_true((size_t)dup >= nacked);
		assert_non_null(strstr(line, "conflict=0 refused=0"));
	}
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"),
	    20000);
	assert_int_equal(db_int(c->d.db,
	    DB_LISTS "SELECT sum(count) FROM groups_of"), total);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM revision"),
	    20000);
	free(ids);
}

/* SIGTERM during an import: what was acknowledged is stored, exit 0. */
static void
test_sigterm_drains(void **state)
{
	struct ctx	*c = *state;
	const char	*args[] = { "--server", c->d.server, "--batch", "50",
			    "import", c->csv, NULL };
	uint8_t		(*ids)[16] = calloc(5000, 16);
	size_t		 nacked, i;
	pid_t		 client;
	int		 tries;

	assert_non_null(ids);
	csv_write_records(c->csv, 5000, 3);
	client = tool_spawn(c->out, "ctg-submit", args);
	for (tries = 0; tries < 30000; tries++) {
		sleep_ms(1);
		if (db_int(c->d.db, "SELECT count(*) FROM record") > 500)
			break;
	}
	assert_int_equal(daemon_stop(&c->d), 0);
	tool_wait(client);
	nacked = acked_ids(c->out, ids, 5000);
	assert_true(nacked > 0);
	for (i = 0; i < nacked; i++)
		assert_true(db_has_record(c->d.db, ids[i]));
	file_expect(c->d.log, "event=shutdown_done");
	free(ids);
}

static void
test_admin_stats(void **state)
{
	struct ctx	*c = *state;
	const char	*args[] = { "--server", c->d.server, "stats", NULL };
	const char	*ping[] = { "--server", c->d.server, "ping", NULL };
	char		*out;

	csv_write_records(c->csv, 300, 4);
	assert_int_equal(import(c, c->csv, NULL), 0);
	assert_int_equal(import(c, c->csv, NULL), 0);
	assert_int_equal(tool_run(c->out, "ctg-admin", args), 0);
	out = file_read(c->out);
	assert_non_null(strstr(out, "records_accepted"));
	assert_non_null(strstr(out, "enregistrements acceptés"));
	if (strstr(out, "records_accepted                    300") == NULL ||
	    strstr(out, "records_duplicate                   300") == NULL)
		fail_msg("stats:\n%s", out);
	assert_non_null(strstr(out, "records_per_commit"));
	free(out);
	assert_int_equal(tool_run(c->out, "ctg-admin", ping), 0);
	file_expect(c->out, "ctgd répond");
}

/*
 * Every keyword of DESIGN.md validates; what is not in the catalogue is
 * refused with a reason naming the value and what was expected.
 */
static void
test_catalogue_validation(void **state)
{
	struct ctx	*c = *state;
	const char	*args[] = { "--server", c->d.server, "import", c->csv,
			    NULL };
	char		 later[11];
	FILE		*f = fopen(c->csv, "w");
	size_t		 i;

	assert_non_null(f);
	/* Three days on: after tomorrow in ctgd's time zone, whatever ours. */
	date_format(date_today() + 3, later);
	fputs("record_id;action;activity;date;commune;structure;category;"
	    "residence;count;partners;title\n", f);
	for (i = 0; i < DESIGN_ACTIVITIES; i++)
		fprintf(f, ";;%s;2024-05-%02zu;46201;%s;%s;46217;%zu;;"
		    "vocabulaire\n", design_activities[i], i + 1,
		    design_structures[i % DESIGN_STRUCTURES],
		    design_categories[i % DESIGN_CATEGORIES], i + 1);
	fprintf(f,	/* lines 13 to 19: refused */
	    ";III.B.17;chantier;2024-07-10;46201;alsh-jeunes;jeune;;5;;\n"
	    ";17;permanence;2024-07-10;46201;alsh-jeunes;jeune;;5;;\n"
	    ";;accueil;2024-07-10;46999;alsh-montcuq;enfant;;5;;\n"
	    ";;accueil;2024-07-10;46201;mairie;enfant;;5;;\n"
	    ";;accueil;2024-07-10;46201;alsh-montcuq;ado;;5;;\n"
	    ";;accueil;%s;46201;alsh-montcuq;enfant;;5;;\n"
	    ";;accueil;2019-12-31;46201;alsh-montcuq;enfant;99999;5;;\n"
	    /* line 20: sheets by number, codes of former communes */
	    ";17,III.A.19;chantier;2024-07-10;46326;alsh-jeunes;jeune-12-15;"
	    "46014;5;;\n", later);
	fclose(f);
	assert_int_equal(tool_run(c->out, "ctg-submit", args), 1);
	assert_summary(c, "accepted=12 duplicate=0 conflict=0 refused=7");
	file_expect(c->out, "ligne 13 : refusé");
	file_expect(c->out, "fiche « III.B.17 » inconnue");
	file_expect(c->out, "la fiche III.A.17 n'accepte pas l'activité "
	    "« permanence » : attendu l'une de ");
	file_expect(c->out, "commune « 46999 » inconnue");
	file_expect(c->out, "structure « mairie » inconnue : attendu ripe,");
	file_expect(c->out, "catégorie « ado » inconnue");
	file_expect(c->out, "ligne 19 : refusé : colonne « date » : "
	    "« 2019-12-31 » : avant le début de la convention (01/01/2020)");
	file_expect(c->out, "ligne 18 : refusé : colonne « date » : ");
	file_expect(c->out, "dans le futur : une activité s'enregistre une "
	    "fois passée");
	file_expect(c->out, "ligne 20 : accepté");
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM "
	    "sheets_of WHERE sheet IN ('III.A.17', 'III.A.19')"), 2);
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM "
	    "sheets_of WHERE sheet = '17'"), 0);
	/* The daemon loaded the plan into its database at start. */
	assert_int_equal(db_int(c->d.db,
	    "SELECT count(*) FROM catalogue_indicators"), 374);
}

static long
pending(struct ctx *c)
{
	const char	*args[] = { "status", NULL };
	char		*text;
	long		 n = -1;

	assert_int_equal(tool_run(c->out, "ctg-submit", args), 0);
	text = file_read(c->out);
	sscanf(text, "%ld enregistrement", &n);
	free(text);
	return n;
}

/* The outbox across a daemon down/up cycle: kept, listed, sent once. */
static void
test_outbox_across_restart(void **state)
{
	struct ctx	*c = *state;
	const char	*add[] = { "--server", c->d.server, "add", "--action",
			    "17", "--activity", "chantier", "--date",
			    "2024-07-10", "--commune", "46201", "--structure",
			    "alsh-jeunes", "--group", "jeune:5:46201", NULL };
	const char	*imp[] = { "--server", c->d.server, "-q", "import",
			    c->csv, NULL };
	const char	*flush[] = { "--server", NULL, "flush", NULL };

	csv_write_records(c->csv, 500, 21);
	assert_int_equal(daemon_stop(&c->d), 0);
	assert_int_equal(tool_run(c->out, "ctg-submit", add), 3);
	assert_int_equal(tool_run(c->out, "ctg-submit", imp), 3);
	file_expect(c->out, "500 enregistrements gardés");
	assert_int_equal(pending(c), 501);
	daemon_start(&c->d, c->dir, NULL);
	flush[1] = c->d.server;
	assert_int_equal(tool_run(c->out, "ctg-submit", flush), 0);
	assert_summary(c, "accepted=501 duplicate=0 conflict=0 refused=0");
	assert_int_equal(pending(c), 0);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 501);
	/* Nothing left: a second flush sends nothing. */
	assert_int_equal(tool_run(c->out, "ctg-submit", flush), 0);
	file_expect(c->out, "boîte d'envoi vide");
}

/* A client killed mid-send: the next flush completes it, exactly once. */
static void
test_outbox_client_killed(void **state)
{
	struct ctx	*c = *state;
	long long	 total = csv_write_records(c->csv, 20000, 22);
	const char	*imp[] = { "--server", c->d.server, "--batch", "20",
			    "--window", "1", "-q", "import", c->csv, NULL };
	const char	*flush[] = { "--server", c->d.server, "flush", NULL };
	struct timespec	 ms = { 0, 1000000L };
	pid_t		 client = tool_spawn(c->out, "ctg-submit", imp);
	long long	 stored = 0;
	int		 i;

	for (i = 0; i < 20000 && stored < 3000; i++) {
		nanosleep(&ms, NULL);
		stored = db_int(c->d.db, "SELECT count(*) FROM record");
	}
	kill(client, SIGKILL);
	tool_wait(client);
	stored = db_int(c->d.db, "SELECT count(*) FROM record");
	assert_true(stored < 20000);
	assert_true(pending(c) > 0);
	assert_int_equal(tool_run(c->out, "ctg-submit", flush), 0);
	assert_int_equal(pending(c), 0);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 20000);
	assert_int_equal(db_int(c->d.db,
	    DB_LISTS "SELECT sum(count) FROM groups_of"), total);
}

/* Errors in plain words and a non-zero status. */
static void
test_client_errors(void **state)
{
	struct ctx	*c = *state;
	const char	*nofile[] = { "--server", c->d.server, "import",
			    "/nonexistent.csv", NULL };
	const char	*noserver[] = { "--server", "127.0.0.1:1", "add",
			    "--service", "--activity", "reunion", "--date",
			    "2024-01-10", "--commune", "46201", "--structure",
			    "ccqb", NULL };
	const char	*badflag[] = { "--frobnicate", "1", NULL };
	const char	*emptychoice[] = { "--synchronous=", "-n", NULL };

	assert_int_equal(tool_run(c->out, "ctg-submit", nofile), 2);
	file_expect(c->out, "lecture de "
	    "/nonexistent.csv impossible");
	/* Unreachable: said so, and the record kept for later (exit 3). */
	assert_int_equal(tool_run(c->out, "ctg-submit", noserver), 3);
	file_expect(c->out, "connexion au serveur "
	    "127.0.0.1:1 impossible : connexion refusée : ctgd n'écoute pas "
	    "à cette adresse");
	file_expect(c->out, "1 enregistrement gardé dans la boîte "
	    "d'envoi");
	assert_int_equal(tool_run(c->out, "ctg-submit", badflag), 2);
	file_expect(c->out, "option inconnue");
	assert_int_equal(tool_run(c->out, "ctgd", badflag), 2);
	file_expect(c->out, "option inconnue "
	    "« --frobnicate »");
	/* Regression: an empty choice used to loop forever. */
	assert_int_equal(tool_run(c->out, "ctgd", emptychoice), 2);
	file_expect(c->out, "--synchronous «  » invalide");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_counts_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_report, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kill9_mid_import, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_drains, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_admin_stats, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_catalogue_validation,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_across_restart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_client_killed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_errors, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
