/*
 * test_words.c — words as people type them, through the real ctgd and
 * clients: an axis as « 2 », a commune by name, a structure's latest
 * records with their ids (latest first), probable duplicates with the
 * void commands that clear them, and a record's revisions as a French
 * table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
};

/* Two rows of one meeting stored as two records (the old import rule). */
#define R_FIRST		"01902222-0000-7000-8000-000000000001"
#define R_SECOND	"01902222-0000-7000-8000-000000000002"
#define R_LATER		"01902222-0000-7000-8000-000000000003"
#define R_RIPE		"01902222-0000-7000-8000-000000000004"

static void
submit(struct ctx *c, const char *id, const char *date, const char *commune,
    const char *group, const char *title)
{
	const char	*args[] = { "--server", c->d.server, "add", "--id", id,
			    "--action", "III.A.17", "--activity", "chantier",
			    "--date", date, "--commune", commune, "--structure",
			    "alsh-jeunes", "--group", group, "--partner",
			    "Mairie de Montcuq", "--title", title, NULL };

	if (tool_run(c->out, "ctg-submit", args) != 0)
		fail_msg("%s", file_read(c->out));
}

static int
setup(void **state)
{
	static struct ctx	 c;
	const char		*ripe[] = { "--server", NULL, "add", "--id",
				    R_RIPE, "--action", "I.A.2", "--activity",
				    "reunion", "--date", "2024-03-05",
				    "--commune", "46201", "--structure", "ripe",
				    "--group", "ama:6:46201", "--partner",
				    "PMI", "--title", "Réunion des AMA", NULL };
	const char		*amend[] = { "--server", NULL, "amend", "--id",
				    R_RIPE, "--action", "I.A.2", "--activity",
				    "reunion", "--date", "2024-03-05",
				    "--commune", "46201", "--structure", "ripe",
				    "--group", "ama:6:46201", "--group",
				    "parent:2:46172", "--partner", "PMI",
				    "--title", "Réunion des AMA", NULL };
	const char		*voidit[] = { "--server", NULL, "void", "--id",
				    R_RIPE, "--reason", "saisi deux fois",
				    NULL };

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), NULL);
	submit(&c, R_FIRST, "2024-07-10", "46201", "jeune:5:46201",
	    "Chantier jeunes : lavoir");
	submit(&c, R_SECOND, "2024-07-10", "46201", "jeune:3:46172",
	    "Chantier jeunes : lavoir");
	submit(&c, R_LATER, "2024-08-01", "46172", "jeune:4:46172",
	    "Chantier jeunes : muret");
	ripe[1] = amend[1] = voidit[1] = c.d.server;
	assert_int_equal(tool_run(c.out, "ctg-submit", ripe), 0);
	assert_int_equal(tool_run(c.out, "ctg-submit", amend), 0);
	assert_int_equal(tool_run(c.out, "ctg-submit", voidit), 0);
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

/* ctg-query with up to six words; its exit status. */
static int
query(struct ctx *c, const char *a, const char *b, const char *d,
    const char *e, const char *f, const char *g)
{
	const char	*args[] = { "--server", c->d.server, a, b, d, e, f, g,
			    NULL };

	return tool_run(c->out, "ctg-query", args);
}

/* Where needle first is in the output, failing when absent. */
static size_t
at(struct ctx *c, const char *needle)
{
	char		*text = file_read(c->out);
	const char	*p = strstr(text, needle);
	size_t		 off;

	if (p == NULL)
		fail_msg("« %s » absent de :\n%s", needle, text);
	off = (size_t)(p - text);
	free(text);
	return off;
}

static void
absent(struct ctx *c, const char *needle)
{
	char	*text = file_read(c->out);

	if (strstr(text, needle) != NULL)
		fail_msg("« %s » présent dans :\n%s", needle, text);
	free(text);
}

static void
test_axis_as_typed(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(query(c, "axis", "2", NULL, NULL, NULL, NULL), 0);
	at(c, "Axe II : ");
	absent(c, "Axe III");
	assert_int_equal(query(c, "axis", "ii", NULL, NULL, NULL, NULL), 0);
	at(c, "Axe II : ");
	assert_int_equal(query(c, "axis", "9", NULL, NULL, NULL, NULL), 2);
	at(c, "axe « 9 » inconnu : attendu I, II, III, IV, V");
	assert_int_equal(query(c, "sheet", "iii.a.17", "--from", "2024-01",
	    "--to", "2024-12"), 0);
	at(c, "Fiche III.A.17");
	assert_int_equal(query(c, "plan", " 17 ", NULL, NULL, NULL, NULL), 0);
	at(c, "Fiche III.A.17");
}

static void
test_commune_by_name(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(query(c, "commune", "Montcuq", "--from", "2024-01",
	    "--to", "2024-12"), 0);
	at(c, "Commune 46201 — Montcuq-en-Quercy-Blanc");
	assert_int_equal(query(c, "commune", "Lhospitalet", "--from",
	    "2024-01", "--to", "2024-12"), 0);
	at(c, "Commune 46172 — Pern-Lhospitalet");
	assert_int_equal(query(c, "commune", "Saint", NULL, NULL, NULL, NULL),
	    2);
	at(c, "« Saint » est ambigu (commune) : ");
	at(c, "Saint-Paul-Flaugnac (46103)");
}

static void
test_recent_latest_first(void **state)
{
	struct ctx	*c = *state;
	size_t		 later, first, second;

	assert_int_equal(query(c, "recent", "ALSH Jeunes", NULL, NULL, NULL,
	    NULL), 0);
	at(c, "Derniers enregistrements de ALSH Jeunes (alsh-jeunes) : 3");
	later = at(c, "id " R_LATER);
	second = at(c, "id " R_SECOND);
	first = at(c, "id " R_FIRST);
	/* By date, then the latest stored first. */
	assert_true(later < second);
	assert_true(second < first);
	at(c, "01/08/2024  Chantier jeunes");
	at(c, "Pern-Lhospitalet");
	at(c, "Chantier jeunes : muret");
	at(c, "Annuler : ctg-submit void --id ID");
	absent(c, R_RIPE);

	assert_int_equal(query(c, "recent", "alsh-jeunes", "--limit", "1",
	    NULL, NULL), 0);
	at(c, R_LATER);
	absent(c, R_FIRST);
	at(c, "… et d'autres");

	assert_int_equal(query(c, "recent", "alsh-jeunes", "--from", "2024-07",
	    "--to", "2024-07"), 0);
	at(c, R_FIRST);
	absent(c, R_LATER);

	assert_int_equal(query(c, "recent", "RIPE", NULL, NULL, NULL, NULL), 0);
	at(c, "id " R_RIPE "  ANNULÉ");

	assert_int_equal(query(c, "--json", "recent", "ripe", NULL, NULL,
	    NULL), 0);
	at(c, "\"voided\":true");

	assert_int_equal(query(c, "recent", "alsh", NULL, NULL, NULL, NULL), 2);
	at(c, "« alsh » est ambigu (structure) : alsh-montcuq");
	assert_int_equal(query(c, "recent", "ripe", "--limit", "0", NULL,
	    NULL), 2);
	at(c, "--limit « 0 » invalide");
}

static void
test_duplicates_and_their_voids(void **state)
{
	struct ctx	*c = *state;
	const char	*voidit[] = { "--server", c->d.server, "void", "--id",
			    R_SECOND, "--reason", "doublon de " R_FIRST, NULL };

	assert_int_equal(query(c, "duplicates", "--from", "2024-01", "--to",
	    "2024-12", NULL), 0);
	at(c, "Doublons probables du 01/01/2024 au 31/12/2024 : 1 groupe");
	at(c, "1. ALSH Jeunes, 10/07/2024, Chantier jeunes, III.A.17, "
	    "Montcuq-en-Quercy-Blanc");
	at(c, "garder  " R_FIRST "     5 part.");
	at(c, "doublon " R_SECOND "     3 part.");
	at(c, "ctg-submit void --id " R_SECOND " --reason \"doublon de "
	    R_FIRST "\"");
	absent(c, R_LATER);
	absent(c, R_RIPE);	/* voided */

	/* The printed command, run as printed, clears the group. */
	assert_int_equal(tool_run(c->out, "ctg-submit", voidit), 0);
	assert_int_equal(query(c, "duplicates", "--from", "2024-01", "--to",
	    "2024-12", NULL), 0);
	at(c, ": 0 groupe");
	assert_int_equal(query(c, "--json", "duplicates", "--from", "2024-01",
	    "--to", "2024-12"), 0);
	at(c, "\"groups\":[");
	absent(c, R_SECOND);
}

static void
test_revisions_in_french(void **state)
{
	struct ctx	*c = *state;
	char		*text;
	const char	*p;

	assert_int_equal(query(c, "revisions", R_RIPE, NULL, NULL, NULL, NULL),
	    0);
	at(c, "Enregistrement " R_RIPE " — ANNULÉ");
	at(c, "rév.  enregistrée le");
	at(c, "annulation : saisi deux fois");
	at(c, "Révision 1 (saisie, enregistrée le ");
	at(c, "Révision 2 (correction, enregistrée le ");
	at(c, "Date                   05/03/2024");
	at(c, "Activité               Réunion (reunion)");
	at(c, "Lieu                   Montcuq-en-Quercy-Blanc (46201)");
	at(c, "Structure              Relais Intercommunal Petite Enfance "
	    "(ripe)");
	at(c, "Titre                  Réunion des AMA");
	at(c, "Participants           6 AMA de Montcuq-en-Quercy-Blanc\n");
	at(c, "6 AMA de Montcuq-en-Quercy-Blanc, 2 parents de "
	    "Pern-Lhospitalet");
	at(c, "Partenaires            PMI");
	at(c, "Motif                  saisi deux fois");
	/* Stored at JJ/MM/AAAA HH:MM. */
	text = file_read(c->out);
	p = strstr(text, "(saisie, enregistrée le ") +
	    strlen("(saisie, enregistrée le ");
	assert_true(p[2] == '/' && p[5] == '/' && p[10] == ' ' && p[13] == ':');
	free(text);

	assert_int_equal(query(c, "--json", "revisions", R_RIPE, NULL, NULL,
	    NULL), 0);
	at(c, "\"revisions\"");
	at(c, "\"received_ms\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axis_as_typed),
		cmocka_unit_test(test_commune_by_name),
		cmocka_unit_test(test_recent_latest_first),
		cmocka_unit_test(test_duplicates_and_their_voids),
		cmocka_unit_test(test_revisions_in_french),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
