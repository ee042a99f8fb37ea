/*
 * test_indicators.c — golden tests: a small history imported with the real
 * ctg-submit into the real ctgd, sheets read back with the real ctg-query,
 * every figure computed by hand beforehand (in the comments).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "harness.h"
#include "tmpdir.h"

#define R1 "01901111-0000-7000-8000-000000000001"
#define R2 "01901111-0000-7000-8000-000000000002"
#define R8 "01901111-0000-7000-8000-000000000008"

/*
 * R1  III.A.17, chantier 2024-07-08 at Montcuq (46201): jeunes from 46201
 *     (4), Pern 46217 -> 46172 (2), Montauban (1, hors), unknown (1), and
 *     two persons, Léa (46201) and Tom (46063).
 * R2  III.A.17 and III.A.19, chantier 2024-08-05 at Bagat 46014 -> 46263:
 *     3 jeunes-12-15 from 46263, and Léa again.
 * R3  no sheet, accueil 2024-07-10 at the ALSH of Castelnau: 12 enfants.
 * R4-R7  III.C.25, reunions on 2024-01-15, 03-10, 07-20, 09-15.
 * R8  no sheet, chantier 2024-10-14 at Valprionde 46326 -> 46201: Noé
 *     (46172) and 2 jeunes from 46201.
 * R9  III.A.17, chantier 2023-07-10 at 46201: 5 jeunes (the year before).
 * R10, R11  V.B.42, ateliers on 2024-02-05 and 2024-05-06.
 */
static const char history[] =
"record_id;action;activity;date;commune;structure;category;residence;count;"
"partners;title;person\n"
R1 ";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;46201;4;"
"Mairie de Montcuq;Lavoir;\n"
R1 ";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;46217;2;"
"Mairie de Montcuq;Lavoir;\n"
R1 ";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;82121;1;"
"Mairie de Montcuq;Lavoir;\n"
R1 ";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;;1;"
"Mairie de Montcuq;Lavoir;\n"
R1 ";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;46201;;"
"Mairie de Montcuq;Lavoir;Léa\n"
R1 ";III.A.17;chantier;2024-07-08;46201;alsh-jeunes;jeune;46063;;"
"Mairie de Montcuq;Lavoir;Tom\n"
R2 ";17,19;chantier;2024-08-05;46014;alsh-jeunes;jeune-12-15;46263;3;"
"Mairie de Barguelonne,Lézard de la rue;Sentier;\n"
R2 ";17,19;chantier;2024-08-05;46014;alsh-jeunes;jeune;46201;;"
"Mairie de Barguelonne,Lézard de la rue;Sentier;Léa\n"
";;accueil;2024-07-10;46063;alsh-castelnau;enfant;46063;12;;;\n"
";III.C.25;reunion;2024-01-15;46063;ccqb;professionnel;;3;;;\n"
";III.C.25;reunion;2024-03-10;46063;ccqb;professionnel;;3;;;\n"
";III.C.25;reunion;2024-07-20;46063;ccqb;professionnel;;3;;;\n"
";III.C.25;reunion;2024-09-15;46063;ccqb;professionnel;;3;;;\n"
R8 ";;chantier;2024-10-14;46326;alsh-jeunes;jeune;46172;;CAF;;Noé\n"
R8 ";;chantier;2024-10-14;46326;alsh-jeunes;jeune;46201;2;CAF;;\n"
";17;chantier;2023-07-10;46201;alsh-jeunes;jeune;46201;5;;;\n"
";V.B.42;atelier;2024-02-05;46201;conseiller-numerique;adulte;46201;6;;;\n"
";V.B.42;atelier;2024-05-06;46063;conseiller-numerique;adulte;;4;;;\n";

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
};

static int
setup(void **state)
{
	static struct ctx	 c;
	char			 csv[4200], key[4200];
	const char		*args[] = { "--server", NULL, "import", csv,
				    NULL };
	FILE			*f;

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), NULL);
	tmpdir_path(csv, sizeof(csv), c.dir, "history.csv");
	tmpdir_path(key, sizeof(key), c.dir, "personnes.key");
	setenv("CTG_KEY_FILE", key, 1);
	assert_non_null(f = fopen(csv, "w"));
	fputs(history, f);
	fclose(f);
	args[1] = c.d.server;
	assert_int_equal(tool_run(c.out, "ctg-submit", args), 0);
	file_expect(c.out, "accepted=11 duplicate=0 conflict=0 refused=0");
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;	/* setup failed */
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* ctg-query --json sheet CODE --from --to, parsed. */
static json_object *
sheet(struct ctx *c, const char *code, const char *from, const char *to)
{
	const char	*args[] = { "--server", c->d.server, "--json", "sheet",
			    code, "--from", from, "--to", to, NULL };
	json_object	*doc;
	char		*text;

	assert_int_equal(tool_run(c->out, "ctg-query", args), 0);
	text = file_read(c->out);
	if ((doc = json_tokener_parse(text)) == NULL)
		fail_msg("not JSON: %s", text);
	free(text);
	return doc;
}

static json_object *
get(json_object *o, const char *key)
{
	json_object	*v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static json_object *
indicator(json_object *doc, const char *id)
{
	json_object	*inds = get(doc, "indicators");
	size_t		 i;

	for (i = 0; i < json_object_array_length(inds); i++)
		if (strcmp(json_object_get_string(get(json_object_array_get_idx(
		    inds, i), "id")), id) == 0)
			return json_object_array_get_idx(inds, i);
	fail_msg("no indicator %s", id);
	return NULL;
}

static void
expect_int(json_object *o, const char *key, int64_t want)
{
	int64_t	 got = json_object_get_int64(get(o, key));

	if (got != want)
		fail_msg("%s = %lld, expected %lld in %s", key, (long long)got,
		    (long long)want, json_object_to_json_string(o));
}

static void
expect_str(json_object *o, const char *key, const char *want)
{
	const char	*got = json_object_get_string(get(o, key));

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s = %s, expected %s", key, got ? got : "null", want);
}

/* The value as compact JSON text, for objects and arrays. */
static void
expect_json(json_object *o, const char *key, const char *want)
{
	const char	*got = json_object_to_json_string_ext(get(o, key),
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE);

	if (strcmp(got, want) != 0)
		fail_msg("%s = %s, expected %s", key, got, want);
}

/* III.A.17 over 2024: R1 and R2 only (R8 has no sheet, R9 is 2023). */
static void
test_base_measures(void **state)
{
	json_object	*doc = sheet(*state, "III.A.17", "2024-01", "2024-12");

	expect_int(doc, "records", 2);
	expect_int(doc, "participants", 14);		/* 10 + 4 */
	expect_json(doc, "by_category", "{\"jeune\":11,\"jeune-12-15\":3}");
	/* Pern is reported under Pern-Lhospitalet, Bagat under Barguelonne. */
	expect_json(doc, "by_residence", "{\"46063\":1,\"46172\":2,"
	    "\"46201\":6,\"46263\":3,\"hors\":1,\"inconnue\":1}");
	expect_json(doc, "by_activity", "{\"chantier\":2}");
	expect_json(doc, "communes_hosting", "[\"46201\",\"46263\"]");
	expect_json(doc, "partners", "[\"Lézard de la rue\","
	    "\"Mairie de Barguelonne\",\"Mairie de Montcuq\"]");
	expect_int(doc, "distinct_participants", 2);	/* Léa, Tom */
	expect_str(doc, "status", "en retard");		/* deadline 2022 */
	json_object_put(doc);
	/* R2 serves two sheets: it counts once in each. */
	doc = sheet(*state, "19", "2024-01", "2024-12");
	expect_int(doc, "records", 1);
	expect_int(doc, "participants", 4);
	json_object_put(doc);
	/* A window of one month, bounds included. */
	doc = sheet(*state, "III.C.25", "2024-03", "2024-03");
	expect_int(doc, "records", 1);
	expect_int(doc, "participants", 3);
	expect_json(doc, "by_residence", "{\"inconnue\":3}");
	json_object_put(doc);
}

/* Indicators across sheets: R8, without a sheet, counts where scope=all. */
static void
test_indicators_across_sheets(void **state)
{
	json_object	*doc = sheet(*state, "III.A.17", "2024-01", "2024-12");
	json_object	*d;

	expect_int(indicator(doc, "III.A.17/res/2"), "value", 3);
	d = indicator(doc, "III.A.17/real/1");		/* coverage, 9 */
	expect_int(d, "value", 2);
	expect_json(d, "covered", "[\"46201\",\"46263\"]");
	expect_json(d, "missing", "[\"46033\",\"46063\",\"46069\",\"46103\","
	    "\"46172\",\"46206\",\"46262\"]");
	expect_str(d, "status", "en retard");
	/* Léa came twice: one person. */
	expect_int(indicator(doc, "III.A.17/res/3"), "value", 3);
	expect_json(indicator(doc, "III.A.17/res/4"), "value",
	    "{\"46063\":1,\"46172\":3,\"46201\":8,\"46263\":3,\"hors\":1,"
	    "\"inconnue\":1}");
	expect_int(indicator(doc, "III.A.17/res/7"), "value", 4);
	d = indicator(doc, "III.A.17/imp/1");		/* trend vs 2023 */
	expect_int(d, "value", 17);
	expect_int(d, "previous", 5);
	if (json_object_get_double(get(d, "ratio")) != 3.4)
		fail_msg("ratio %s", json_object_get_string(get(d, "ratio")));
	if (json_object_get_double(get(d, "ratio_to_baseline")) != 0.548)
		fail_msg("ratio to the baseline of 31: %s",
		    json_object_get_string(get(d, "ratio_to_baseline")));
	/* No séjour in 2024 against 1 a year: late. */
	d = indicator(doc, "III.A.17/real/2");
	expect_int(d, "value", 0);
	expect_str(d, "status", "en retard");
	json_object_put(doc);
	/* The ALSH accueil of R3 has no sheet: it counts in III.C.25's trend. */
	doc = sheet(*state, "III.C.25", "2024-01", "2024-12");
	expect_int(indicator(doc, "III.C.25/imp/2"), "value", 12);
	expect_int(doc, "participants", 12);		/* 4 reunions x 3 */
	json_object_put(doc);
}

/* Meetings every two months: a gap of 132 days breaks it. */
static void
test_cadence(void **state)
{
	json_object	*doc = sheet(*state, "III.C.25", "2024-01", "2024-09");
	json_object	*d = indicator(doc, "III.C.25/real/1");

	expect_int(d, "value", 132);
	expect_str(d, "longest_gap_from", "2024-03-10");
	expect_str(d, "longest_gap_to", "2024-07-20");
	expect_json(d, "dates", "[\"2024-01-15\",\"2024-03-10\","
	    "\"2024-07-20\",\"2024-09-15\"]");
	expect_json(d, "gaps_over_target", "[{\"from\":\"2024-03-10\","
	    "\"to\":\"2024-07-20\",\"days\":132}]");
	expect_json(d, "held", "false");
	expect_str(d, "status", "en retard");
	json_object_put(doc);
	/* July to September: 19, 57 and 15 days, all within 61. */
	doc = sheet(*state, "III.C.25", "2024-07", "2024-09");
	d = indicator(doc, "III.C.25/real/1");
	expect_int(d, "value", 57);
	expect_json(d, "held", "true");
	expect_str(d, "status", "atteint");
	json_object_put(doc);
}

/* Two ateliers in 2024 against "at least 2 a year": met; none in 2025. */
static void
test_targets(void **state)
{
	json_object	*doc = sheet(*state, "V.B.42", "2024-01", "2024-12");
	json_object	*d = indicator(doc, "V.B.42/res/1");

	expect_int(d, "value", 2);
	expect_int(d, "target", 2);
	expect_str(d, "status", "atteint");
	expect_int(indicator(doc, "V.B.42/res/2"), "value", 10);
	json_object_put(doc);
	doc = sheet(*state, "V.B.42", "2025-01", "2025-06");
	d = indicator(doc, "V.B.42/res/1");
	expect_int(d, "value", 0);
	expect_str(d, "status", "en retard");
	json_object_put(doc);
}

/* ctg-query --json KIND KEY --from --to, parsed; NULL args end early. */
static json_object *
ask(struct ctx *c, const char *kind, const char *key)
{
	const char	*args[] = { "--server", c->d.server, "--json", kind,
			    key, "--from", "2024-01", "--to", "2024-12", NULL };
	json_object	*doc;
	char		*text;

	assert_int_equal(tool_run(c->out, "ctg-query", args), 0);
	text = file_read(c->out);
	if ((doc = json_tokener_parse(text)) == NULL)
		fail_msg("not JSON: %s", text);
	free(text);
	return doc;
}

/* A commune: what it hosted, who came from it; former codes map. */
static void
test_communes_and_drill_down(void **state)
{
	struct ctx	*c = *state;
	json_object	*doc = ask(c, "commune", "46201"), *side;
	const char	*hors[] = { "--server", c->d.server, "commune", "82121",
			    NULL };

	/* Hosted in 2024: R1, R8 (Valprionde is Montcuq now), R10. */
	side = get(doc, "hosted");
	expect_int(side, "records", 3);
	expect_json(side, "by_sheet", "{\"III.A.17\":1,\"V.B.42\":1}");
	/* Residents: R1 4 + Léa, R2 Léa, R8 2, R10 6. */
	side = get(doc, "residents");
	expect_int(side, "participants", 14);
	expect_json(side, "by_sheet", "{\"III.A.17\":6,\"III.A.19\":1,"
	    "\"V.B.42\":6}");
	json_object_put(doc);
	doc = ask(c, "commune", "46217");	/* Pern */
	expect_str(doc, "code", "46172");
	expect_str(doc, "name", "Pern-Lhospitalet");
	expect_int(get(doc, "residents"), "participants", 3);
	json_object_put(doc);
	assert_int_equal(tool_run(c->out, "ctg-query", hors), 2);
	file_expect(c->out, "hors de la CC du Quercy Blanc");
	/* The records behind III.A.17/res/2 (chantiers, all sheets). */
	doc = ask(c, "records", "III.A.17/res/2");
	assert_int_equal(json_object_array_length(get(doc, "records")), 3);
	expect_str(json_object_array_get_idx(get(doc, "records"), 0), "date",
	    "2024-07-08");
	expect_str(json_object_array_get_idx(get(doc, "records"), 2), "id",
	    "01901111-0000-7000-8000-000000000008");
	expect_int(json_object_array_get_idx(get(doc, "records"), 0),
	    "participants", 10);
	json_object_put(doc);
	/* Completeness: over ten years only the silent structures remain. */
	doc = ask(c, "completeness", "520");
	{
		json_object	*silent = get(doc, "silent_structures");
		size_t		 i, ripe = 0, jeunes = 0;

		for (i = 0; i < json_object_array_length(silent); i++) {
			const char *s = json_object_get_string(get(
			    json_object_array_get_idx(silent, i), "structure"));

			ripe += strcmp(s, "ripe") == 0;
			jeunes += strcmp(s, "alsh-jeunes") == 0;
		}
		assert_int_equal(ripe, 1);
		assert_int_equal(jeunes, 0);
		/* Sheets: the four with records are not silent over ten years. */
		assert_int_equal(json_object_array_length(get(doc,
		    "silent_sheets")), 42);
		/* 46 sheets less III.A.17, III.A.19, III.C.25 and V.B.42. */
		assert_int_equal(json_object_array_length(get(doc,
		    "sheets_without_activity")), 42);
	}
	json_object_put(doc);
	/* An axis: its sheets only. */
	doc = ask(c, "axis", "III");
	assert_int_equal(json_object_array_length(get(json_object_array_get_idx(
	    get(doc, "axes"), 0), "sheets")), 10);
	json_object_put(doc);
}

/* Evidence, amend and void through the real clients; verify stays clean. */
static void
test_corrections_and_evidence(void **state)
{
	struct ctx	*c = *state;
	const char	*ev1[] = { "--server", c->d.server, "evidence",
			    "--indicator", "III.A.17/imp/2", "--date",
			    "2024-03-01", "--state", "en cours", "--text",
			    "Conseil des jeunes en préparation", NULL };
	const char	*ev2[] = { "--server", c->d.server, "evidence",
			    "--indicator", "III.A.17/imp/2", "--date",
			    "2024-09-01", "--state", "réalisé", "--text",
			    "Conseil des jeunes installé", "--reference",
			    "CR du 01/09/2024", NULL };
	const char	*amend[] = { "--server", c->d.server, "amend", "--id",
			    R2, "--action", "III.A.17", "--action", "19",
			    "--activity", "chantier", "--date", "2024-08-05",
			    "--commune", "46033", "--structure", "alsh-jeunes",
			    "--group", "jeune-12-15:3:46263", NULL };
	const char	*voidr8[] = { "--server", c->d.server, "void", "--id",
			    R8, "--reason", "saisi deux fois", NULL };
	const char	*verify[] = { "--server", c->d.server, "verify", NULL };
	const char	*revs[] = { "--server", c->d.server, "--json",
			    "revisions", R2, NULL };
	json_object	*doc, *d;

	assert_int_equal(tool_run(c->out, "ctg-submit", ev1), 0);
	assert_int_equal(tool_run(c->out, "ctg-submit", ev2), 0);
	doc = sheet(c, "III.A.17", "2024-01", "2024-12");
	d = indicator(doc, "III.A.17/imp/2");
	expect_int(d, "value", 1);
	expect_str(d, "status", "atteint");
	assert_int_equal(json_object_array_length(get(d, "evidence")), 2);
	json_object_put(doc);
	/* Before September the latest entry is "en cours". */
	doc = sheet(c, "III.A.17", "2024-01", "2024-06");
	expect_str(indicator(doc, "III.A.17/imp/2"), "status",
	    "en bonne voie");
	json_object_put(doc);

	assert_int_equal(tool_run(c->out, "ctg-submit", amend), 0);
	file_expect(c->out, "révision : accepté");
	assert_int_equal(tool_run(c->out, "ctg-submit", voidr8), 0);
	file_expect(c->out, "annulation : accepté");
	doc = sheet(c, "III.A.17", "2024-01", "2024-12");
	/* R2 now at Porte-du-Quercy, without Léa; R8 voided. */
	expect_int(doc, "participants", 13);
	expect_json(doc, "communes_hosting", "[\"46033\",\"46201\"]");
	expect_int(indicator(doc, "III.A.17/res/2"), "value", 2);
	expect_json(indicator(doc, "III.A.17/real/1"), "covered",
	    "[\"46033\",\"46201\"]");
	expect_int(indicator(doc, "III.A.17/res/3"), "value", 2);
	json_object_put(doc);

	assert_int_equal(tool_run(c->out, "ctg-admin", verify), 0);
	file_expect(c->out, "vérification : 10 enregistrements, 0 écart(s)");
	assert_int_equal(tool_run(c->out, "ctg-query", revs), 0);
	file_expect(c->out, "\"kind\":\"amend\"");
	file_expect(c->out, "\"commune\":\"46014\"");
	file_expect(c->out, "\"commune\":\"46033\"");
}

/* Bad questions get a French error and a non-zero status. */
static void
test_bad_queries(void **state)
{
	struct ctx	*c = *state;
	const char	*unknown[] = { "--server", c->d.server, "sheet", "47",
			    NULL };
	const char	*inverted[] = { "--server", c->d.server, "sheet", "17",
			    "--from", "2024-06", "--to", "2024-01", NULL };
	const char	*future[] = { "--server", c->d.server, "sheet", "17",
			    "--to", "2999-01", NULL };

	assert_int_equal(tool_run(c->out, "ctg-query", unknown), 2);
	file_expect(c->out, "fiche « 47 » inconnue");
	assert_int_equal(tool_run(c->out, "ctg-query", inverted), 2);
	file_expect(c->out, "période inversée");
	assert_int_equal(tool_run(c->out, "ctg-query", future), 2);
	file_expect(c->out, "dans le futur");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_measures),
		cmocka_unit_test(test_indicators_across_sheets),
		cmocka_unit_test(test_cadence),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_communes_and_drill_down),
		cmocka_unit_test(test_corrections_and_evidence),
		cmocka_unit_test(test_bad_queries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
