/* test_csv.c — the French spreadsheet CSV dialect. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "csv.h"

static struct csv_table
parse_ok(const char *text)
{
	struct csv_table	 t;
	char			 err[256] = "";

	if (csv_parse(text, strlen(text), &t, err, sizeof(err)) != 0)
		fail_msg("csv_parse: %s", err);
	return t;
}

static void
test_bom_crlf_and_blank_lines(void **state)
{
	struct csv_table t = parse_ok("\xef\xbb\xbf" "a;b\r\n\r\n1;2\r\n3;\r\n");

	(void)state;
	assert_int_equal(t.nrows, 3);
	assert_string_equal(t.rows[0].fields[0], "a");
	assert_int_equal(t.rows[1].line, 3);
	assert_string_equal(t.rows[1].fields[1], "2");
	assert_int_equal(t.rows[2].nfields, 2);
	assert_string_equal(t.rows[2].fields[1], "");
	csv_free(&t);
}

static void
test_quotes(void **state)
{
	struct csv_table t = parse_ok("x;y\n\"a;b\";\"il a dit \"\"oui\"\"\"\n"
	    "\"sur\ndeux lignes\";z\nfin;\"\"\n");

	(void)state;
	assert_int_equal(t.nrows, 4);
	assert_string_equal(t.rows[1].fields[0], "a;b");
	assert_string_equal(t.rows[1].fields[1], "il a dit \"oui\"");
	assert_string_equal(t.rows[2].fields[0], "sur\ndeux lignes");
	assert_int_equal(t.rows[3].line, 5);
	assert_string_equal(t.rows[3].fields[1], "");
	csv_free(&t);
}

static void
test_last_line_without_newline(void **state)
{
	struct csv_table t = parse_ok("a;b\n1;2");

	(void)state;
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[1].fields[1], "2");
	csv_free(&t);
}

static void
test_errors_name_the_line(void **state)
{
	struct csv_table	 t;
	char			 err[256];

	(void)state;
	assert_int_equal(csv_parse("a;b\n1;\"open\n", 12, &t, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "ligne 2"));
	assert_non_null(strstr(err, "guillemet"));
	assert_int_equal(csv_parse("a\n\"x\"y\n", 7, &t, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "ligne 2"));
	assert_int_equal(csv_parse("a\nb\0c\n", 6, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "octet nul"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom_crlf_and_blank_lines),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_errors_name_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
