/* test_validate.c — what a record must look like, and the reasons given. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "record.h"
#include "utf8.h"
#include "validate.h"

static struct validate_ctx	ctx;
static struct arena		arena;

static int
setup(void **state)
{
	(void)state;
	fixture_validate_ctx(&ctx);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

/* Asserts that r is refused with a reason containing each needle. */
static void
refused(struct record *r, const char *needle1, const char *needle2)
{
	const char	*why = validate_record(r, &ctx, &arena);

	assert_non_null(why);
	if (strstr(why, needle1) == NULL || (needle2 != NULL &&
	    strstr(why, needle2) == NULL))
		fail_msg("reason \"%s\" lacks \"%s\" / \"%s\"", why, needle1,
		    needle2 ? needle2 : "");
}

static void
test_valid_record(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	assert_null(validate_record(&f.rec, &ctx, &arena));
	/* Service activity: no sheet, no group, no partner, no title. */
	f.rec.nsheets = f.rec.ngroups = f.rec.npartners = 0;
	f.rec.title = NULL;
	assert_null(validate_record(&f.rec, &ctx, &arena));
}

static void
test_id(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.id = NULL;
	refused(&f.rec, "identifiant", "absent");
	f.rec.id = f.id;
	f.rec.id_len = 15;
	refused(&f.rec, "identifiant", "16 octets");
}

static void
test_dates(void **state)
{
	static const char *const bad[] = { "2024-13-01", "2024-02-30",
	    "2023-02-29", "24-07-10", "2024/07/10", "2024-7-10", "",
	    "2019-12-31", "2025-06-17", "9999-01-01", "2024-07-10x" };
	struct fixture_record	 f;
	size_t			 i;

	(void)state;
	fixture_record_init(&f, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f.rec.date = bad[i];
		refused(&f.rec, "date", bad[i][0] ? bad[i] : "absente");
	}
	f.rec.date = "2024-02-29";	/* a leap day */
	assert_null(validate_record(&f.rec, &ctx, &arena));
	f.rec.date = "2020-01-01";	/* the convention's first day */
	assert_null(validate_record(&f.rec, &ctx, &arena));
	f.rec.date = "2025-06-16";	/* tomorrow: time zones differ */
	assert_null(validate_record(&f.rec, &ctx, &arena));
}

static void
test_counts(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	f.groups[1].count = -3;
	refused(&f.rec, "groupe 2 : effectif", "« -3 » hors limites");
	f.groups[1].count = 100001;
	refused(&f.rec, "groupe 2", "100001");
	f.groups[1].count = 100000;
	assert_null(validate_record(&f.rec, &ctx, &arena));
	f.groups[1].has_count = 0;
	refused(&f.rec, "groupe 2", "effectif absent");
	f.groups[1].has_count = 1;
	f.groups[2].count = 2;		/* a person counts for one */
	refused(&f.rec, "groupe 3", "effectif de 1");
	f.groups[2].count = 1;
	f.groups[2].person_len = 16;
	refused(&f.rec, "groupe 3", "32 octets");
}

static void
test_insee_codes(void **state)
{
	struct fixture_record	 f;

	(void)state;
	assert_true(validate_insee("46201"));
	assert_true(validate_insee("2A004"));
	assert_true(validate_insee("2B033"));
	assert_false(validate_insee("4620"));
	assert_false(validate_insee("2C004"));
	assert_false(validate_insee("46 01"));
	fixture_record_init(&f, 1);
	f.rec.commune = "462O1";
	refused(&f.rec, "commune « 462O1 » invalide", "code INSEE");
	f.rec.commune = "46201";
	f.groups[0].residence = "Montcuq";
	refused(&f.rec, "résidence « Montcuq » invalide", "INSEE");
}

static void
test_keywords_and_sheets(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.activity = "Chantier";
	refused(&f.rec, "activité « Chantier » inconnue", "accueil, animation");
	f.rec.activity = "kermesse";
	refused(&f.rec, "activité « kermesse » inconnue", "chantier");
	f.rec.activity = "chantier";
	f.rec.structure = NULL;
	refused(&f.rec, "structure absente", NULL);
	f.rec.structure = "mairie";
	refused(&f.rec, "structure « mairie » inconnue", "alsh-montcuq");
	f.rec.structure = "alsh-jeunes";
	f.groups[0].category = "jeune;";
	refused(&f.rec, "groupe 1 : catégorie « jeune; » inconnue", NULL);
	f.groups[0].category = "ados";
	refused(&f.rec, "catégorie « ados » inconnue", "jeune-12-15");
	f.groups[0].category = "jeune-12-15";
	assert_null(validate_record(&f.rec, &ctx, &arena));
	assert_true(validate_sheet("1"));
	assert_true(validate_sheet("46"));
	assert_true(validate_sheet("V.C.46"));
	assert_false(validate_sheet("47"));
	assert_false(validate_sheet("0"));
	assert_false(validate_sheet("017"));
	assert_false(validate_sheet("VI.A.1"));
	assert_false(validate_sheet("III.D.17"));
	f.sheets[1] = "III.A";
	refused(&f.rec, "fiche action « III.A »", "III.A.17");
	/* Well-formed, but not a sheet of the plan. */
	f.sheets[1] = "III.B.17";
	refused(&f.rec, "fiche action « III.B.17 » inconnue", NULL);
}

/* Each sheet says which activities it takes. */
static void
test_sheet_activities(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.activity = "permanence";
	refused(&f.rec, "la fiche III.A.17 n'accepte pas l'activité "
	    "« permanence »", "chantier");
	f.rec.activity = "sejour";
	assert_null(validate_record(&f.rec, &ctx, &arena));
	/* A service record (no sheet) may carry any activity. */
	f.rec.nsheets = 0;
	f.rec.activity = "permanence";
	assert_null(validate_record(&f.rec, &ctx, &arena));
}

/* Numbers become codes, and a sheet named twice counts once. */
static void
test_sheets_canonical(void **state)
{
	struct fixture_record	 f;
	uint8_t			 a[RECORD_DIGEST_LEN], b[RECORD_DIGEST_LEN];

	(void)state;
	fixture_record_init(&f, 1);
	assert_null(validate_record(&f.rec, &ctx, &arena));
	assert_int_equal(f.rec.nsheets, 2);
	assert_string_equal(f.rec.sheets[0], "III.A.17");
	assert_string_equal(f.rec.sheets[1], "III.A.19");
	record_digest(&f.rec, a);
	fixture_record_init(&f, 1);
	f.sheets[0] = "17";
	f.sheets[1] = "III.A.19";
	assert_null(validate_record(&f.rec, &ctx, &arena));
	record_digest(&f.rec, b);
	assert_memory_equal(a, b, sizeof(a));
	fixture_record_init(&f, 1);
	f.sheets[1] = "17";
	assert_null(validate_record(&f.rec, &ctx, &arena));
	assert_int_equal(f.rec.nsheets, 1);
	assert_string_equal(f.rec.sheets[0], "III.A.17");
}

/* Codes must exist; current, delegated and former codes all do. */
static void
test_communes_referential(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.commune = "46999";
	refused(&f.rec, "commune « 46999 » inconnue du référentiel", NULL);
	f.rec.commune = "46217";	/* Pern, now Pern-Lhospitalet */
	assert_null(validate_record(&f.rec, &ctx, &arena));
	f.rec.commune = "46326";	/* Valprionde, former code */
	assert_null(validate_record(&f.rec, &ctx, &arena));
	f.groups[0].residence = "75056";	/* Paris: from outside the CC */
	assert_null(validate_record(&f.rec, &ctx, &arena));
	f.groups[0].residence = "99999";
	refused(&f.rec, "groupe 1 : commune de résidence « 99999 » inconnue",
	    NULL);
}

static void
test_text(void **state)
{
	struct fixture_record	 f;

	(void)state;
	assert_true(validate_text("Café parentalité — « Pti'Déj »", 500));
	assert_false(validate_text("a\nb", 500));
	assert_false(validate_text("\xc3", 500));		/* truncated */
	assert_false(validate_text("\xc0\xaf", 500));		/* overlong */
	assert_false(validate_text("\xed\xa0\x80", 500));	/* surrogate */
	assert_false(validate_text("\x1b[31m", 500));		/* escape */
	fixture_record_init(&f, 1);
	f.partners[0] = "";
	refused(&f.rec, "partenaire", NULL);
	f.partners[0] = "CAF";
	f.rec.title = "ligne 1\r\nligne 2";
	refused(&f.rec, "titre", "contrôle");
}

/* The reason quotes a hostile value without its control bytes. */
static void
test_reason_is_safe(void **state)
{
	struct fixture_record	 f;
	const char		*why;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.activity = "\x1b]0;pwned\x07\n";
	why = validate_record(&f.rec, &ctx, &arena);
	assert_non_null(why);
	assert_null(strchr(why, '\x1b'));
	assert_null(strchr(why, '\n'));
}

/* Regression: a value was quoted cut at 40 bytes inside a character. */
static void
test_reason_cut_on_a_character(void **state)
{
	struct fixture_record	 f;
	char			 title[1024];
	const char		*why, *q;
	size_t			 i, o = 0;

	(void)state;
	fixture_record_init(&f, 1);
	title[o++] = 'x';		/* so that byte 40 falls inside an é */
	for (i = 0; i < 300; i++) {
		memcpy(title + o, "\xc3\xa9", 2);
		o += 2;
	}
	title[o] = '\0';
	f.rec.title = title;
	why = validate_record(&f.rec, &ctx, &arena);
	assert_non_null(why);
	assert_true(utf8_valid(why, strlen(why)));
	assert_non_null(q = strstr(why, "titre « x\xc3\xa9"));
	/* The quote: 19 whole é after the x (39 bytes), then "…". */
	assert_non_null(strstr(q, "\xc3\xa9\xe2\x80\xa6 »"));
	assert_null(strstr(why, "\xc3\xe2"));
	/* An invalid date beside it: the date is quoted, whole. */
	f.rec.title = title + 1;
	f.rec.date = "\xc3\xa9\xc3\xa9-07-10";
	why = validate_record(&f.rec, &ctx, &arena);
	assert_true(utf8_valid(why, strlen(why)));
	assert_non_null(strstr(why,
	    "date « \xc3\xa9\xc3\xa9-07-10 » invalide"));
}

/* What a client checks before sending may be anything: quoted sanitized. */
static void
test_reason_sanitized(void **state)
{
	struct fixture_record	 f;
	const char		*why;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.activity = "caf\xe9";
	why = validate_record(&f.rec, &ctx, &arena);
	assert_non_null(why);
	assert_true(utf8_valid(why, strlen(why)));
	assert_non_null(strstr(why, "« caf\xef\xbf\xbd »"));
	/* A long list of what was expected is cut on a character too. */
	f.rec.activity = "chantier";
	f.groups[0].category = "\xff\xfe";
	why = validate_record(&f.rec, &ctx, &arena);
	assert_true(utf8_valid(why, strlen(why)));
	assert_true(strlen(why) < 1024);
}

/* A record wire marked (a string not as sent) is refused, naming it. */
static void
test_bad_text_refused_first(void **state)
{
	struct fixture_record	 f;

	(void)state;
	fixture_record_init(&f, 1);
	f.rec.title = "abc";		/* what "abc\0def" unpacks to */
	f.rec.bad_field = "title";
	f.rec.bad_text = "octet nul";
	refused(&f.rec, "champ title : octet nul : attendu un texte UTF-8 "
	    "sans octet nul ni caractère de contrôle", NULL);
	f.rec.id = NULL;		/* said before anything else */
	refused(&f.rec, "champ title", NULL);
	assert_non_null(strstr(validate_bad_text("query.key", "UTF-8 invalide",
	    &arena), "champ query.key : UTF-8 invalide"));
}

/* utf8_excerpt: whole when it fits, else cut on a character with "…". */
static void
test_excerpt(void **state)
{
	char	 out[8], big[16];

	(void)state;
	assert_int_equal(utf8_excerpt("abcdefg", 7, out, sizeof(out)), 7);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(utf8_excerpt("abcdefgh", 8, out, sizeof(out)), 7);
	assert_string_equal(out, "abcd\xe2\x80\xa6");
	utf8_excerpt("a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 9, out, sizeof(out));
	assert_string_equal(out, "a\xc3\xa9\xe2\x80\xa6");
	utf8_excerpt("a\nb\xff", 4, big, sizeof(big));
	assert_string_equal(big, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	utf8_excerpt("a\nb\xff", 4, out, sizeof(out));
	assert_string_equal(out, "a\xef\xbf\xbd\xe2\x80\xa6");
	utf8_excerpt("a\nb\xff", 4, out, 4);
	assert_string_equal(out, "\xe2\x80\xa6");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_record),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_insee_codes),
		cmocka_unit_test(test_keywords_and_sheets),
		cmocka_unit_test(test_sheet_activities),
		cmocka_unit_test(test_sheets_canonical),
		cmocka_unit_test(test_communes_referential),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_reason_is_safe),
		cmocka_unit_test(test_reason_cut_on_a_character),
		cmocka_unit_test(test_reason_sanitized),
		cmocka_unit_test(test_bad_text_refused_first),
		cmocka_unit_test(test_excerpt),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
