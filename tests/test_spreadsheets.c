/*
 * test_spreadsheets.c — one day's activity sheet as LibreOffice Calc itself
 * writes it, in every CSV flavour a French office meets, imported by the
 * real ctg-submit into the real ctgd: one record per activity, and every
 * further import of the same sheet, in any flavour, only duplicates.
 * The committed exports (tests/fixtures/import/, made by its `make`) are
 * imported, and the same exports made afresh by soffice here.
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

#define FIXTURES	CTG_SOURCE_DIR "/tests/fixtures/import"

/* The sheet: a RIPE meeting (2 rows), an ALSH day (3 rows), a chantier
 * under a key of the file (2 rows), a fête (1 row); one blank row. */
#define RECORDS		4
#define PARTICIPANTS	(4 + 2 + 18 + 3 + 1 + 5 + 3 + 1200)

static const char *const flavours[] = {
	"libreoffice-utf8.csv",		/* « CSV » UTF-8, ';' */
	"libreoffice-cp1252.csv",	/* « CSV » Windows-1252, ';' */
	"libreoffice-virgule.csv",	/* UTF-8, ',' */
	"libreoffice-unicode.txt",	/* « Texte Unicode »: UTF-16, tabs */
};

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
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

	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

static int
import(struct ctx *c, const char *path)
{
	char		 outbox[4200];
	const char	*args[] = { "--server", c->d.server, "--outbox",
			    tmpdir_path(outbox, sizeof(outbox), c->dir,
			    "outbox.db"), "import", path, NULL };

	return tool_run(c->out, "ctg-submit", args);
}

static void
expect_summary(struct ctx *c, const char *path, int rc_expected,
    const char *summary)
{
	char	 last[256];
	int	 rc = import(c, path);

	file_last_line(c->out, last, sizeof(last));
	if (rc != rc_expected || strcmp(last, summary) != 0) {
		char *text = file_read(c->out);

		fail_msg("%s: rc=%d, last line « %s », expected « %s »\n%s",
		    path, rc, last, summary, text);
	}
}

static void
expect_stored(struct ctx *c)
{
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"),
	    RECORDS);
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT sum(count) "
	    "FROM groups_of"), PARTICIPANTS);
	/* The meeting written as two rows is one activity of 6 AMA. */
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM groups_of g "
	    "JOIN revision r ON r.record = g.record WHERE r.activity = "
	    "'reunion' AND g.category = 'ama'"), 2);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM revision WHERE "
	    "activity = 'reunion' AND date = '2026-11-06' AND commune = "
	    "'46201' AND structure = 'ripe'"), 1);
}

static void
test_every_flavour_counts_once(void **state)
{
	struct ctx	*c = *state;
	char		 path[4400];
	size_t		 i;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, flavours[0]);
	expect_summary(c, path, 0, "accepted=4 duplicate=0 conflict=0 refused=0");
	file_expect(c->out, "1 ligne vide ignorée");
	expect_stored(c);
	for (i = 1; i < sizeof(flavours) / sizeof(flavours[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", FIXTURES, flavours[i]);
		expect_summary(c, path, 0,
		    "accepted=0 duplicate=4 conflict=0 refused=0");
	}
	/* The flavour is said once, in French. */
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, flavours[1]);
	import(c, path);
	file_expect(c->out, "Windows-1252");
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, flavours[2]);
	import(c, path);
	file_expect(c->out, "séparateur « , »");
	/* The hand-written source, in its own spelling, is the same sheet. */
	snprintf(path, sizeof(path), "%s/activites.csv", FIXTURES);
	expect_summary(c, path, 0, "accepted=0 duplicate=4 conflict=0 refused=0");
	expect_stored(c);
}

/* The same exports made here by LibreOffice: still the same records. */
static void
test_fresh_libreoffice_exports(void **state)
{
	struct ctx	*c = *state;
	char		 dir[4200], log[4300], cmd[9000], path[4400];
	size_t		 i;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, flavours[0]);
	import(c, path);
	tmpdir_path(dir, sizeof(dir), c->dir, "soffice");
	assert_int_equal(mkdir_p(dir), 0);
	snprintf(log, sizeof(log), "%s/make.log", dir);
	snprintf(cmd, sizeof(cmd), "%s/make %s >%s 2>&1", FIXTURES, dir, log);
	if (system(cmd) != 0)
		fail_msg("%s failed: %s", cmd, file_read(log));
	for (i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, flavours[i]);
		expect_summary(c, path, 0,
		    "accepted=0 duplicate=4 conflict=0 refused=0");
	}
	expect_stored(c);
}

/* One bad row refuses its activity only; the report names row and value. */
static void
test_bad_rows_harm_nothing_else(void **state)
{
	struct ctx	*c = *state;
	char		 path[4200];
	FILE		*f;

	tmpdir_path(path, sizeof(path), c->dir, "mixte.csv");
	assert_non_null(f = fopen(path, "w"));
	fputs("Fiche;Activité;Date;Lieu;Structure;Public;Résidence;Effectif;"
	    "Partenaires;Titre;Identifiant\n"
	    "9;Réunion;12/11/2026;Montcuq;RIPE;AMA;Montcuq;4;;Réunion AMA;\n"
	    "9;Réunion;12/11/2026;Montcuq;RIPE;AMA;Cézac;quatre;;Réunion AMA;\n"
	    "9;Atelier;13/11/2026;Montcuq;RIPE;Parent;;3;;Café des parents;\n"
	    ";;;;;;;;;;\n", f);
	fclose(f);
	expect_summary(c, path, 1, "accepted=1 duplicate=0 conflict=0 refused=1");
	file_expect(c->out, "ligne 3, colonne « Effectif » : « quatre » n'est "
	    "pas un effectif");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1);
	/* Nothing of the refused meeting went in, not even its good row. */
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM revision WHERE "
	    "activity = 'reunion'"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_flavour_counts_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fresh_libreoffice_exports,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rows_harm_nothing_else,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
