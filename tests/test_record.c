/* test_record.c — dates and the content digest that tells duplicate from conflict. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "record.h"
#include "uuid.h"

static void
test_dates_roundtrip(void **state)
{
	char	 out[11];
	int64_t	 d, prev = 0;
	int64_t	 day;

	(void)state;
	assert_int_equal(date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(d, 19782);
	/* Every day from 2019 to 2031 formats back to itself, in order. */
	assert_int_equal(date_parse("2019-01-01", &day), 0);
	for (; day < 19000 + 4500; day++) {
		date_format(day, out);
		assert_int_equal(date_parse(out, &d), 0);
		assert_int_equal(d, day);
		assert_true(prev == 0 || d == prev + 1);
		prev = d;
	}
	assert_int_equal(date_parse("2100-02-29", &d), -1);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
}

static void
test_digest_sees_every_field(void **state)
{
	struct fixture_record	 f;
	uint8_t			 base[RECORD_DIGEST_LEN], d[RECORD_DIGEST_LEN];

	(void)state;
	fixture_record_init(&f, 1);
	record_digest(&f.rec, base);
#define CHANGED(stmt) do {						\
		fixture_record_init(&f, 1);				\
		stmt;							\
		record_digest(&f.rec, d);				\
		if (memcmp(d, base, sizeof(d)) == 0)			\
			fail_msg("digest blind to: %s", #stmt);		\
	} while (0)
	CHANGED(f.sheets[1] = "18");
	CHANGED(f.rec.nsheets = 1);
	CHANGED(f.rec.activity = "atelier");
	CHANGED(f.rec.date = "2024-07-11");
	CHANGED(f.rec.commune = "46063");
	CHANGED(f.rec.structure = "ripe");
	CHANGED(f.groups[0].category = "parent");
	CHANGED(f.groups[0].residence = "46063");
	CHANGED(f.groups[0].count = 6);
	CHANGED(f.person[0] ^= 1);
	CHANGED(f.rec.ngroups = 2);
	CHANGED(f.partners[0] = "CAF");
	CHANGED(f.rec.title = NULL);
	/* Field boundaries count: moving a byte across fields is a change. */
	CHANGED((f.rec.activity = "chantie", f.rec.date = "r2024-07-10"));
#undef CHANGED
	/* The id is not content: the same content under another id matches. */
	fixture_record_init(&f, 2);
	record_digest(&f.rec, d);
	assert_memory_equal(d, base, sizeof(d));
}

static void
test_uuid_text(void **state)
{
	uint8_t	 id[16], back[16];
	char	 text[UUID_TEXT_LEN + 1];

	(void)state;
	assert_int_equal(uuid_parse("0190A1B2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
	    id), 0);
	uuid_format(id, text);
	assert_string_equal(text, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
	/* The 32 hex digits the drill-downs print name the same id. */
	memset(id, 0, sizeof(id));
	assert_int_equal(uuid_parse("0190A1B2c3d47e5f8a9b0c1d2e3f4a5b", id), 0);
	uuid_format(id, text);
	assert_string_equal(text, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
	assert_int_equal(uuid_parse("0190a1b2c3d47e5f8a9b0c1d2e3f4a5", id), -1);
	assert_int_equal(uuid_parse("0190a1b2-c3d47e5f8a9b0c1d2e3f4a5b", id),
	    -1);
	assert_int_equal(uuid_parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g",
	    id), -1);
	assert_int_equal(uuid_v7(id), 0);
	assert_int_equal(id[6] >> 4, 7);
	assert_int_equal(id[8] >> 6, 2);
	uuid_format(id, text);
	assert_int_equal(uuid_parse(text, back), 0);
	assert_memory_equal(id, back, 16);
}

/* Content-derived ids are stable and ordered by their time field. */
static void
test_uuid_from_digest(void **state)
{
	uint8_t	 digest[32], a[16], b[16], c[16];

	(void)state;
	memset(digest, 0x5a, sizeof(digest));
	uuid_v7_from_digest(1720569600000ULL, digest, a);
	uuid_v7_from_digest(1720569600000ULL, digest, b);
	uuid_v7_from_digest(1720656000000ULL, digest, c);
	assert_memory_equal(a, b, 16);
	assert_true(memcmp(a, c, 16) < 0);
	assert_int_equal(a[6] >> 4, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_roundtrip),
		cmocka_unit_test(test_digest_sees_every_field),
		cmocka_unit_test(test_uuid_text),
		cmocka_unit_test(test_uuid_from_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
