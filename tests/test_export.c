/* test_export.c — the French CSV dialect of exported tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "export.h"

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
	    "\"measure\":\"by_residence\",\"value\":{\"46201\":2,\"hors\":1},"
	    "\"target\":null,\"status\":null}]}");
	char		*csv;

	(void)state;
	assert_non_null(o);
	csv = export_sheet_csv(o);
	assert_non_null(csv);
	assert_string_equal(csv, "\xef\xbb\xbf"
	    "Fiche;Du;Au;Indicateur;Type;Libellé;Calcul;Valeur;Cible;Par;"
	    "Référence;État\r\n"
	    "V.B.41;01/02/2024;29/02/2024;V.B.41/res/2;résultat;"
	    "\"Organisation de 4 « Pti'Déj »; dit \"\"petit\"\"\";records;3;4;"
	    "an;12,5;en bonne voie\r\n"
	    "V.B.41;01/02/2024;29/02/2024;V.B.41/res/1;impact;x;by_residence;"
	    "46201 : 2 | hors : 1;;;;\r\n");
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
	assert_non_null(csv = export_commune_csv(o));
	assert_string_equal(csv, "\xef\xbb\xbf"
	    "Commune;Nom;Côté;Par;Clé;Valeur\r\n"
	    "46201;Montcuq-en-Quercy-Blanc;activités accueillies;activité;"
	    "atelier;3\r\n"
	    "46201;Montcuq-en-Quercy-Blanc;participants résidents;catégorie;"
	    "ama;< 5\r\n"
	    "46201;Montcuq-en-Quercy-Blanc;participants résidents;catégorie;"
	    "enfant;5\r\n"
	    "46201;Montcuq-en-Quercy-Blanc;participants résidents;catégorie;"
	    "jeune;0\r\n");
	free(csv);
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_rows),
		cmocka_unit_test(test_commune_secrecy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
