/* test_utf8.c — strict checks, cuts, conversions and folding of text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static void
test_text_problem(void **state)
{
	(void)state;
	assert_null(utf8_text_problem("Réunion d'été", strlen("Réunion d'été")));
	assert_string_equal(utf8_text_problem("abc\0def", 7), "octet nul");
	assert_string_equal(utf8_text_problem("a\nb", 3), "caractère de contrôle");
	assert_string_equal(utf8_text_problem("a\x7f", 2), "caractère de contrôle");
	assert_string_equal(utf8_text_problem("a\xc2\x85", 3),
	    "caractère de contrôle");	/* C1: NEL */
	assert_string_equal(utf8_text_problem("a\xe2\x80\xa8" "b", 5),
	    "caractère de contrôle");	/* U+2028 */
	assert_null(utf8_text_problem("\xc2\xa0", 2));	/* no-break space */
	assert_string_equal(utf8_text_problem("R\xe9union", 7), "UTF-8 invalide");
	/* Overlong '/', a surrogate, beyond U+10FFFF, a cut character. */
	assert_string_equal(utf8_text_problem("\xc0\xaf", 2), "UTF-8 invalide");
	assert_string_equal(utf8_text_problem("\xed\xa0\x80", 3), "UTF-8 invalide");
	assert_string_equal(utf8_text_problem("\xf4\x90\x80\x80", 4),
	    "UTF-8 invalide");
	assert_string_equal(utf8_text_problem("\xc3", 1), "UTF-8 invalide");
	assert_true(utf8_valid("a\nb", 3));
	assert_false(utf8_valid("\xff", 1));
}

static void
test_cut_on_boundary(void **state)
{
	(void)state;
	/* "été" is c3 a9 74 c3 a9. */
	assert_int_equal(utf8_cut("été", 1), 0);
	assert_int_equal(utf8_cut("été", 2), 2);
	assert_int_equal(utf8_cut("été", 4), 3);
	assert_int_equal(utf8_cut("été", 40), 5);
	assert_int_equal(utf8_cut("\xff\xff", 1), 1);
}

static void
test_sanitize(void **state)
{
	char	 out[32];

	(void)state;
	assert_int_equal(utf8_sanitize("a\xffz", 3, out, sizeof(out)), 5);
	assert_string_equal(out, "a\xef\xbf\xbdz");
	utf8_sanitize("l\x1b[2Jx", 6, out, sizeof(out));
	assert_string_equal(out, "l\xef\xbf\xbd[2Jx");
	/* Too small: cut before a character that does not fit. */
	assert_int_equal(utf8_sanitize("ééé", 6, out, 4), 2);
	assert_string_equal(out, "é");
}

static void
test_cp1252(void **state)
{
	size_t	 n;
	char	*s = utf8_from_cp1252("R\xe9union d'\xe9t\xe9 \x80 \x9c", 17, &n);

	(void)state;
	assert_non_null(s);
	assert_string_equal(s, "Réunion d'été € œ");
	assert_int_equal(n, strlen(s));
	free(s);
}

static void
test_utf16(void **state)
{
	static const char	 le[] = "R\0\xe9\0" "\x00\xd8\x00\xdf";	/* R é U+10300 */
	static const char	 be[] = "\0R\0\xe9";
	size_t			 n;
	char			*s;

	(void)state;
	s = utf8_from_utf16(le, 8, 0, &n);
	assert_non_null(s);
	assert_string_equal(s, "Ré\xf0\x90\x8c\x80");
	free(s);
	s = utf8_from_utf16(be, 4, 1, &n);
	assert_string_equal(s, "Ré");
	free(s);
	assert_null(utf8_from_utf16("\x00\xdc", 2, 0, &n));	/* lone low */
	assert_null(utf8_from_utf16("abc", 3, 0, &n));		/* odd */
}

static void
test_fold(void **state)
{
	char	 out[64];

	(void)state;
	utf8_fold("Record ID", out, sizeof(out));
	assert_string_equal(out, "recordid");
	utf8_fold("record_id", out, sizeof(out));
	assert_string_equal(out, "recordid");
	utf8_fold("Activité", out, sizeof(out));
	assert_string_equal(out, "activite");
	utf8_fold("RÉUNION", out, sizeof(out));
	assert_string_equal(out, "reunion");
	utf8_fold("Œuvre – Saint-Matré", out, sizeof(out));
	assert_string_equal(out, "oeuvresaintmatre");
	utf8_fold("L'Hospitalet", out, sizeof(out));
	assert_string_equal(out, "lhospitalet");
	assert_int_equal(utf8_fold("abcdef", out, 4), 3);
	assert_string_equal(out, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_problem),
		cmocka_unit_test(test_cut_on_boundary),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
