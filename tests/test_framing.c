/* test_framing.c — length-prefixed frames: whole, partial, empty, too large. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "framing.h"

static void
test_whole_frame(void **state)
{
	uint8_t	 buf[16] = { 0, 0, 0, 3, 'a', 'b', 'c', 0xff };
	size_t	 len = 0;

	(void)state;
	assert_int_equal(framing_scan(buf, 7, 100, &len), FRAMING_FRAME);
	assert_int_equal(len, 3);
	/* Bytes after the frame belong to the next one and change nothing. */
	assert_int_equal(framing_scan(buf, 8, 100, &len), FRAMING_FRAME);
	assert_int_equal(len, 3);
}

static void
test_partial_frame(void **state)
{
	uint8_t	 buf[8] = { 0, 0, 1, 0, 'x' };
	size_t	 len = 0, i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(framing_scan(buf, i, 1000, &len),
		    FRAMING_NEED_MORE);
	assert_int_equal(framing_scan(buf, 5, 1000, &len), FRAMING_NEED_MORE);
	assert_int_equal(len, 256);
}

static void
test_empty_frame(void **state)
{
	uint8_t	 buf[4] = { 0, 0, 0, 0 };
	size_t	 len = 99;

	(void)state;
	assert_int_equal(framing_scan(buf, 4, 1000, &len), FRAMING_EMPTY);
	assert_int_equal(len, 0);
}

/* The maximum is checked from the header alone, before any body arrives. */
static void
test_too_large(void **state)
{
	uint8_t	 buf[4] = { 0x00, 0x10, 0x00, 0x01 };	/* 1 MiB + 1 */
	uint8_t	 huge[4] = { 0xff, 0xff, 0xff, 0xff };
	size_t	 len = 0;

	(void)state;
	assert_int_equal(framing_scan(buf, 4, FRAME_MAX_DEFAULT, &len),
	    FRAMING_TOO_LARGE);
	assert_int_equal(len, FRAME_MAX_DEFAULT + 1);
	assert_int_equal(framing_scan(huge, 4, FRAME_MAX_DEFAULT, &len),
	    FRAMING_TOO_LARGE);
	assert_int_equal(len, 0xffffffffu);
}

static void
test_exact_max(void **state)
{
	uint8_t	 buf[4] = { 0x00, 0x10, 0x00, 0x00 };	/* 1 MiB */
	size_t	 len = 0;

	(void)state;
	assert_int_equal(framing_scan(buf, 4, FRAME_MAX_DEFAULT, &len),
	    FRAMING_NEED_MORE);
	assert_int_equal(framing_scan(buf, 4 + FRAME_MAX_DEFAULT,
	    FRAME_MAX_DEFAULT, &len), FRAMING_FRAME);
}

static void
test_header_roundtrip(void **state)
{
	uint8_t	 hdr[4];
	size_t	 len = 0;

	(void)state;
	framing_put_header(hdr, 0x01020304);
	assert_int_equal(hdr[0], 1);
	assert_int_equal(hdr[3], 4);
	assert_int_equal(framing_scan(hdr, 4, 0xffffffffu, &len),
	    FRAMING_NEED_MORE);
	assert_int_equal(len, 0x01020304);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_frame),
		cmocka_unit_test(test_partial_frame),
		cmocka_unit_test(test_empty_frame),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_exact_max),
		cmocka_unit_test(test_header_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
