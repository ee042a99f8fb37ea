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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
