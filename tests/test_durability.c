/*
 * test_durability.c — backup and restore through the real programs while
 * records keep arriving, and a damaged database found at start: served,
 * every write refused.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
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
#include "tmpdir.h"
#include "uuid.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 csv[4200], out[4200], backup[4200];
};

static int
setup(void **state)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), NULL);
	tmpdir_path(c.csv, sizeof(c.csv), c.dir, "import.csv");
	tmpdir_path(c.backup, sizeof(c.backup), c.dir, "sauvegarde.db");
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;
	daemon_finish(&c->d, c->dir);
	return 0;
}

static void
copy_file(const char *from, const char *to)
{
	char	*buf;
	FILE	*in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t	 n;

	assert_non_null(in);
	assert_non_null(out);
	assert_non_null(buf = malloc(1 << 16));
	while ((n = fread(buf, 1, 1 << 16, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	free(buf);
	fclose(in);
	fclose(out);
}

/* An online backup during an import, restored and verified. */
static void
test_backup_during_import(void **state)
{
	struct ctx	*c = *state;
	const char	*imp[] = { "--server", c->d.server, "--batch", "20",
			    "--window", "1", "-q", "import", c->csv, NULL };
	const char	*bak[] = { "--server", c->d.server, "backup", c->backup,
			    NULL };
	const char	*again[] = { "--server", c->d.server, "backup",
			    c->backup, NULL };
	const char	*verify[] = { "--server", NULL, "verify", NULL };
	char		 restored[4300], db[4400], out2[4400];
	struct timespec	 ms = { 0, 2000000L };
	struct daemon	 r;
	long long	 at_backup, in_backup;
	pid_t		 client;
	int		 i;

	csv_write_records(c->csv, 6000, 9);
	client = tool_spawn(c->out, "ctg-submit", imp);
	for (i = 0; i < 5000 && db_int(c->d.db,
	    "SELECT count(*) FROM record") < 500; i++)
		nanosleep(&ms, NULL);
	at_backup = db_int(c->d.db, "SELECT count(*) FROM record");
	snprintf(out2, sizeof(out2), "%s/backup.txt", c->dir);
	assert_int_equal(tool_run(out2, "ctg-admin", bak), 0);
	file_expect(out2, "sauvegarde écrite");
	assert_int_equal(tool_wait(client), 0);
	/* Never over an existing file. */
	assert_int_equal(tool_run(out2, "ctg-admin", again), 2);
	file_expect(out2, "existe déjà");

	/* Restore: the copy becomes the database of a new daemon. */
	snprintf(restored, sizeof(restored), "%s/restauree", c->dir);
	assert_int_equal(mkdir_p(restored), 0);
	snprintf(db, sizeof(db), "%s/ctgd.db", restored);
	copy_file(c->backup, db);
	daemon_start(&r, restored, NULL);
	in_backup = db_int(r.db, "SELECT count(*) FROM record");
	print_message("backup taken with %lld records stored, holds %lld\n",
	    at_backup, in_backup);
	assert_true(in_backup >= at_backup);
	assert_true(in_backup <= 6000);
	assert_int_equal(db_int(r.db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
	verify[1] = r.server;
	assert_int_equal(tool_run(out2, "ctg-admin", verify), 0);
	file_expect(out2, " 0 écart(s)");
	assert_int_equal(daemon_stop(&r), 0);
}

/* Ids the client reported acknowledged ("accepté — uuid"), appended. */
static size_t
acked(const char *out, uint8_t (*ids)[16], size_t n, size_t max)
{
	char	*text = file_read(out), *p = text, uuid[40];

	while ((p = strstr(p, ": accepté — ")) != NULL && n < max) {
		p += strlen(": accepté — ");
		memcpy(uuid, p, 36);
		uuid[36] = '\0';
		if (uuid_parse(uuid, ids[n]) == 0 &&
		    (n == 0 || memcmp(ids[n], ids[n - 1], 16) != 0))
			n++;
	}
	free(text);
	return n;
}

/*
 * kill -9 at random moments of a loaded import, $CTG_KILL_ROUNDS times (10
 * by default; scripts/soak runs 100): nothing acknowledged is ever lost,
 * nothing counts twice, verify is clean after each restart (the stored
 * aggregates against the records, the model rebuilt at start against the
 * stored aggregates), the file is whole.
 */
static void
test_kill9_rounds(void **state)
{
	struct ctx	*c = *state;
	const char	*env = getenv("CTG_KILL_ROUNDS");
	int		 rounds = env ? atoi(env) : 10, r, k;
	long long	 total = csv_write_records(c->csv, 8000, 11);
	uint8_t		(*ids)[16] = calloc(8000, 16);
	size_t		 n = 0, i;
	const char	*verify[] = { "--server", NULL, "verify", NULL };
	char		 line[256];

	assert_non_null(ids);
	srand(12345);
	for (r = 0; r < rounds; r++) {
		const char *imp[] = { "--server", c->d.server, "--batch", "20",
		    "--window", "2", "import", c->csv, NULL };
		struct timespec ts = { 0, (long)(20 + rand() % 400) * 1000000L };
		pid_t client;

		(void)unlink(c->out);	/* the wait below sees this run's only */
		client = tool_spawn(c->out, "ctg-submit", imp);

		/*
		 * The kill falls a random while after the first answers, not
		 * after the start: on a slow build (ASan, valgrind) the
		 * client may need longer than the whole range to connect.
		 */
		file_wait_nonempty(c->out, 30);
		nanosleep(&ts, NULL);
		daemon_kill9(&c->d);
		tool_wait(client);
		n = acked(c->out, ids, n, 8000);
		daemon_start(&c->d, c->dir, NULL);
		for (i = 0; i < n; i++)
			if (!db_has_record(c->d.db, ids[i]))
				fail_msg("round %d: acknowledged record lost", r);
		/* The model rebuilt at start equals a recomputation. */
		verify[1] = c->d.server;
		assert_int_equal(tool_run(c->out, "ctg-admin", verify), 0);
		file_expect(c->out, "indicateurs en mémoire comparés aux "
		    "agrégats stockés : 0 écart(s)");
		file_expect(c->out, " 0 écart(s)");
	}
	/* Finish the import: every record once, the sums exact. */
	{
		const char *imp[] = { "--server", c->d.server, "-q", "import",
		    c->csv, NULL };

		assert_int_equal(tool_run(c->out, "ctg-submit", imp), 0);
		file_last_line(c->out, line, sizeof(line));
		assert_non_null(strstr(line, "conflict=0 refused=0"));
	}
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 8000);
	assert_int_equal(db_int(c->d.db,
	    DB_LISTS "SELECT sum(count) FROM groups_of"), total);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
	verify[1] = c->d.server;
	assert_int_equal(tool_run(c->out, "ctg-admin", verify), 0);
	file_expect(c->out, "vérification : 8000 enregistrements, 0 écart(s)");
	k = (int)n;
	assert_true(k > 0);	/* the rounds checked something */
	print_message("%d rounds of kill -9, %d acknowledged ids checked\n",
	    rounds, k);
	free(ids);
}

/*
 * The disk fills up (a file-size limit on ctgd): the records that cannot
 * be written are refused, none acknowledged falsely; when space returns
 * (the limit lifted) ctgd carries on.
 */
/* How many lines of the log hold words. */
static int
log_count(const char *log, const char *words)
{
	char	*text = file_read(log), *p;
	int	 n = 0;

	for (p = text; p != NULL && (p = strstr(p, words)) != NULL; p++)
		n++;
	free(text);
	return n;
}

static void
test_disk_full(void **state)
{
	struct ctx	*c = *state;
	const char	*imp[] = { "--server", NULL, "--batch", "50", "import",
			    c->csv, NULL };
	const char	*verify[] = { "--server", NULL, "verify", NULL };
	const char	*stats[] = { "--server", NULL, "stats", NULL };
	struct rlimit	 lift = { RLIM_INFINITY, RLIM_INFINITY };
	struct stat	 st;
	char		 size[32], line[256], wal[4300], *out, *p;
	int		 begins, ends;
	long		 acc = -1, dup = -1, conf = -1, ref = -1, acked = 0;
	long long	 before;

	/* Some records first, then a limit a little above the file. */
	csv_write_records(c->csv, 200, 31);
	imp[1] = c->d.server;
	assert_int_equal(tool_run(c->out, "ctg-submit", imp), 0);
	assert_int_equal(daemon_stop(&c->d), 0);
	assert_int_equal(stat(c->d.db, &st), 0);
	snprintf(size, sizeof(size), "%lld", (long long)st.st_size + 200000);
	setenv("CTG_TEST_FSIZE", size, 1);
	daemon_start(&c->d, c->dir, NULL);
	unsetenv("CTG_TEST_FSIZE");
	before = db_int(c->d.db, "SELECT count(*) FROM record");

	csv_write_records(c->csv, 5000, 32);
	imp[1] = c->d.server;
	stats[1] = c->d.server;
	assert_int_equal(tool_run(c->out, "ctg-submit", imp), 1);
	file_last_line(c->out, line, sizeof(line));
	assert_int_equal(sscanf(line, "accepted=%ld duplicate=%ld "
	    "conflict=%ld refused=%ld", &acc, &dup, &conf, &ref), 4);
	print_message("disk full: %ld accepted, %ld refused\n", acc, ref);
	assert_true(ref > 0);
	assert_int_equal(acc + dup + conf + ref, 5000);
	file_expect(c->out, "erreur d'écriture dans la base");
	/* No false ack: exactly what was acknowledged is stored. */
	out = file_read(c->out);
	for (p = out; (p = strstr(p, ": accepté — ")) != NULL; p++)
		acked++;
	free(out);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record") -
	    before, acc);
	assert_true(acked >= acc);

	/*
	 * Seen: said as it began, not once per failed commit. Near the limit
	 * a small commit may still go through between two failures (each
	 * failure gives the WAL's space back), ending one run and starting
	 * the next; the import's last commit may be such a one. The gauge
	 * says whether the last run is still going: 1 exactly when it has
	 * not ended.
	 */
	begins = log_count(c->d.log, "event=store_error state=begin");
	ends = log_count(c->d.log, "event=store_error state=end");
	print_message("disk full: %d runs of failures logged, %d ended\n",
	    begins, ends);
	assert_true(begins >= 1 && begins <= 10);
	assert_true(ends == begins - 1 || ends == begins);
	assert_int_equal(tool_run(c->out, "ctg-admin", stats), 0);
	out = file_read(c->out);
	p = strstr(out, "\nstore_failing ");
	assert_non_null(p);
	assert_int_equal(strtol(p + strlen("\nstore_failing "), NULL, 10),
	    begins - ends);
	free(out);
	/* What the failed transactions wrote to the WAL was given back. */
	snprintf(wal, sizeof(wal), "%s-wal", c->d.db);
	print_message("disk full: WAL %lld bytes after the failures\n",
	    stat(wal, &st) == 0 ? (long long)st.st_size : -1LL);

	/* Space returns: the same import completes. */
	assert_int_equal(prlimit(c->d.pid, RLIMIT_FSIZE, &lift, NULL), 0);
	assert_int_equal(tool_run(c->out, "ctg-submit", imp), 0);
	file_last_line(c->out, line, sizeof(line));
	assert_non_null(strstr(line, "conflict=0 refused=0"));
	assert_int_equal(log_count(c->d.log, "event=store_error state=end "
	    "failed_commits="), begins);
	assert_int_equal(log_count(c->d.log, "event=store_error state=begin"),
	    begins);
	/* Rows whose content matched one of the first 200 were duplicates. */
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record") -
	    before, 5000 - dup);
	verify[1] = c->d.server;
	assert_int_equal(tool_run(c->out, "ctg-admin", verify), 0);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

/*
 * A damaged file: ctgd serves at once (its quick_check runs meanwhile,
 * whatever the size of the base), then refuses every write with a message
 * that says so and what to do, and logs it; it still stops cleanly.
 */
static void
test_damaged_file_refuses_writes(void **state)
{
	struct ctx	*c = *state;
	struct timespec	 ms = { 0, 20000000L };
	FILE		*f;
	char		*text = NULL;
	int		 i, rc = 0;
	unsigned char	 junk[4096];

	csv_write_records(c->csv, 3000, 4);
	{
		const char *imp[] = { "--server", c->d.server, "-q", "import",
		    c->csv, NULL };

		assert_int_equal(tool_run(c->out, "ctg-submit", imp), 0);
	}
	assert_int_equal(daemon_stop(&c->d), 0);
	/* Scribble over pages in the middle of the file. */
	memset(junk, 0x55, sizeof(junk));
	assert_non_null(f = fopen(c->d.db, "r+b"));
	fseek(f, 0, SEEK_END);
	fseek(f, ftell(f) / 2 / 4096 * 4096, SEEK_SET);
	for (i = 0; i < 4; i++)
		fwrite(junk, 1, sizeof(junk), f);
	fclose(f);
	daemon_start(&c->d, c->dir, NULL);
	assert_true(daemon_answers_ping(&c->d));
	for (i = 0; i < 500; i++) {
		free(text);
		text = file_read(c->d.log);
		if (strstr(text, "event=integrity_failed") != NULL)
			break;
		nanosleep(&ms, NULL);
	}
	if (i == 500)
		fail_msg("no integrity_failed in the log:\n%s", text);
	free(text);
	file_expect(c->d.log, "endommagée");
	file_expect(c->d.log, "restaurez la dernière sauvegarde");
	{
		const char *add[] = { "--server", c->d.server, "add",
		    "--service", "--activity", "accueil", "--date",
		    "2024-03-02", "--commune", "46201", "--structure",
		    "alsh-montcuq", "--group", "enfant:12:46201", NULL };

		rc = tool_run(c->out, "ctg-submit", add);
	}
	assert_int_equal(rc, 1);
	file_expect(c->out, "refusé : ");
	file_expect(c->out, "est endommagée");
	file_expect(c->out, "restaurez la dernière sauvegarde");
	assert_true(daemon_answers_ping(&c->d));
	assert_int_equal(daemon_stop(&c->d), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_during_import,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill9_rounds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disk_full, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_damaged_file_refuses_writes,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
