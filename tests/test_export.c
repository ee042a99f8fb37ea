/*
 * test_export.c — the tables a file leaves with: the French CSV dialect,
 * names where a person reads (communes, categories, measures), one value
 * per cell, and small counts of persons kept secret.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "catalogue.h"
#include "export.h"
#include "fr.h"
#include "report.h"

static const struct catalogue *cat;

static void
test_sheet_rows(void **state)
{
	json_object	*o = json_tokener_parse("{\"code\":\"V.B.41\","
	    "\"from\":\"2024-02\",\"to\":\"2024-02\",\"indicators\":["
	    "{\"id\":\"V.B.41/res/2\",\"kind\":\"res\",\"label\":"
	    "\"Organisation de 4 « Pti'Déj »; dit \\\"petit\\\"\",\"measure\":"
	    "\"records\",\"value\":3,\"target\":4,\"target_per\":\"an\","
	    "\"baseline\":12.5,\"status\":\"en bonne voie\"},"
	    "{\"id\":\"V.B.41/res/1\",\"kind\":\"imp\",\"label\":\"x\","
	    "\"measure\":\"by_residence\",\"value\":{\"46201\":2,\"hors\":7},"
	    "\"target\":null,\"status\":null}],\"small_cells\":5}");
	char		*csv;

	(void)state;
	assert_non_null(o);
	csv = export_csv(export_sheet, cat, o);
	assert_non_null(csv);
	assert_string_equal(csv, "\xef\xbb\xbf"
	    "Fiche;Du;Au;Indicateur;Type;Libellé;Mesure;Détail;Code INSEE;"
	    "Valeur;Unité;Cible;Cible par;Référence;Année de référence;État\r\n"
	    "V.B.41;01/02/2024;29/02/2024;V.B.41/res/2;résultat;"
	    "\"Organisation de 4 « Pti'Déj »; dit \"\"petit\"\"\";"
	    "nombre d'activités enregistrées;;;3;activités;4;an;12,5;;"
	    "en bonne voie\r\n"
	    "V.B.41;01/02/2024;29/02/2024;V.B.41/res/1;impact;x;"
	    "participants par commune de résidence;Montcuq-en-Quercy-Blanc;"
	    "46201;< 5;participants;;;;;\r\n"
	    "V.B.41;01/02/2024;29/02/2024;V.B.41/res/1;impact;x;"
	    "participants par commune de résidence;hors CC;;7;participants;;;;;"
	    "\r\n");
	free(csv);
	json_object_put(o);
}

/*
 * A commune's residents are persons: a published count of 1 to 4 reads
 * « < 5 » (0 and 5 as they are); activities hosted are no persons.
 */
static void
test_commune_secrecy(void **state)
{
	json_object	*o = json_tokener_parse("{\"code\":\"46201\",\"name\":"
	    "\"Montcuq-en-Quercy-Blanc\",\"small_cells\":5,\"hosted\":{"
	    "\"records\":3,\"by_activity\":{\"atelier\":3}},\"residents\":{"
	    "\"participants\":9,\"by_category\":{\"ama\":4,\"enfant\":5,"
	    "\"jeune\":0}}}");
	char		*csv;

	(void)state;
	assert_non_null(o);
	assert_non_null(csv = export_csv(export_commune, cat, o));
	assert_string_equal(csv, "\xef\xbb\xbf"
	    "Commune;Code INSEE;Côté;Par;Clé;Valeur\r\n"
	    "Montcuq-en-Quercy-Blanc;46201;activités accueillies;activité;"
	    "Atelier (café parentalité, atelier numérique, cuisine);3\r\n"
	    "Montcuq-en-Quercy-Blanc;46201;participants résidents;catégorie;"
	    "Assistantes maternelles agréées (AMA);< 5\r\n"
	    "Montcuq-en-Quercy-Blanc;46201;participants résidents;catégorie;"
	    "Enfants;5\r\n"
	    "Montcuq-en-Quercy-Blanc;46201;participants résidents;catégorie;"
	    "Jeunes;0\r\n");
	free(csv);
	json_object_put(o);
}

/*
 * The same document as a workbook: a zip holding a sheet and its shared
 * strings (openpyxl reads it back in tests/browser/test_reports.py).
 */
static void
test_sheet_xlsx(void **state)
{
	json_object	*o = json_tokener_parse("{\"code\":\"V.B.41\","
	    "\"from\":\"2024-02\",\"to\":\"2024-02\",\"small_cells\":5,"
	    "\"indicators\":[{\"id\":\"V.B.41/res/1\",\"kind\":\"imp\","
	    "\"label\":\"x\",\"measure\":\"by_residence\",\"value\":"
	    "{\"46201\":2,\"hors\":7}}]}");
	char		*x, err[256];
	size_t		 len;

	(void)state;
	assert_int_equal(export_xlsx(export_sheet, cat, o, &x, &len, err,
	    sizeof(err)), 0);
	assert_true(len > 1000);
	assert_memory_equal(x, "PK\x03\x04", 4);
	assert_non_null(memmem(x, len, "xl/worksheets/sheet1.xml", 24));
	assert_non_null(memmem(x, len, "xl/sharedStrings.xml", 20));
	free(x);
	json_object_put(o);
}

/* A text a spreadsheet would run as a formula stays text. */
static void
test_formula_kept_text(void **state)
{
	json_object	*o = json_tokener_parse("{\"indicator\":"
	    "\"I.A.1/real/1\",\"records\":[{\"id\":\"u\",\"date\":"
	    "\"2024-02-03\",\"activity\":\"reunion\",\"commune\":\"46201\","
	    "\"structure\":\"ripe\","
	    "\"title\":\"=HYPERLINK(\\\"http://x\\\")\",\"participants\":3}]}");
	char		*csv;

	(void)state;
	assert_non_null(o);
	assert_non_null(csv = export_csv(export_records, cat, o));
	assert_non_null(strstr(csv,
	    ";\"'=HYPERLINK(\"\"http://x\"\")\";3\r\n"));
	assert_non_null(strstr(csv, ";03/02/2024;"));
	free(csv);
	json_object_put(o);
}

static void
test_numbers(void **state)
{
	char	 s[32];

	(void)state;
	fr_number(12.5, s, sizeof(s));
	assert_string_equal(s, "12,5");
	fr_number(2.0004, s, sizeof(s));
	assert_string_equal(s, "2");
	fr_number(-0.0001, s, sizeof(s));
	assert_string_equal(s, "0");
	fr_change(1.99, s, sizeof(s));
	assert_string_equal(s, "+99 %");
}

/* A sheet's figures in two revisions of March 2024's rollup. */
#define CHANGE_SHEET(code, rec, part, status, res)		\
	"{\"code\":\"" code "\",\"month\":{\"records\":" rec ","	\
	"\"participants\":" part status ",\"indicators\":"	\
	"[{\"id\":\"" code "/res/4\",\"label\":\"Origine\","	\
	"\"measure\":\"by_residence\",\"value\":" res "}]}}"

/*
 * A revision's changes in sentences: sheets matched by code, whatever
 * their order; a missing status « — »; a commune's small count secret,
 * and a change from one secret count to another left out.
 */
static void
test_change_sentences(void **state)
{
	json_object	*old = json_tokener_parse("{\"month\":\"2024-03\","
	    "\"small_cells\":5,\"sheets\":["
	    CHANGE_SHEET("I.A.1", "0", "0", "", "{}") ","
	    CHANGE_SHEET("III.A.17", "1", "2", ",\"status\":\"en retard\"",
	    "{\"46172\":2}") "]}");
	json_object	*new = json_tokener_parse("{\"month\":\"2024-03\","
	    "\"small_cells\":5,\"sheets\":["
	    CHANGE_SHEET("III.A.17", "2", "5", "", "{\"46172\":3,"
	    "\"46201\":7}") ","
	    CHANGE_SHEET("I.A.1", "0", "0", "", "{}") "]}");
	static const char *const want[] = {
		"III.A.17 — activités (mars 2024) : 1 → 2",
		"III.A.17 — participants (mars 2024) : 2 → 5",
		"III.A.17 — état (mars 2024) : en retard → —",
		"III.A.17 — « Origine », Montcuq-en-Quercy-Blanc (mars 2024) : "
		    "0 → 7",
	};
	json_object	*list;
	size_t		 i;

	(void)state;
	assert_non_null(old);
	assert_non_null(new);
	list = report_changes(cat, old, new, 100);
	assert_int_equal(json_object_array_length(list), 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(report_change_words(
		    json_object_array_get_idx(list, i)), want[i]);
	json_object_put(list);
	json_object_put(old);
	json_object_put(new);
}

int
main(void)
{
	char	 err[256];

	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_rows),
		cmocka_unit_test(test_commune_secrecy),
		cmocka_unit_test(test_sheet_xlsx),
		cmocka_unit_test(test_formula_kept_text),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_change_sentences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
