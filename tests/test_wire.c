/* test_wire.c — decode and encode of the protocol's messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "framing.h"
#include "wire.h"

/* Encodes a request and decodes the frame's body again. */
static uint8_t *
encode(const struct request *req, size_t *len)
{
	uint8_t	*frame = wire_encode_request(req, len);
	size_t	 body = 0;

	assert_non_null(frame);
	assert_int_equal(framing_scan(frame, *len, FRAME_MAX_DEFAULT, &body),
	    FRAMING_FRAME);
	assert_int_equal(body + FRAME_HEADER, *len);
	return frame;
}

static void
test_submit_roundtrip(void **state)
{
	struct fixture_record	 f[2];
	struct record		 recs[2];
	struct request		 req = { .seq = 42, .kind = REQUEST_SUBMIT,
				    .records = recs, .nrecords = 2 }, out;
	const struct record	*r;
	const char		*why = NULL;
	uint8_t			*frame;
	size_t			 len;

	(void)state;
	fixture_record_init(&f[0], 1);
	fixture_record_init(&f[1], 2);
	f[1].rec.title = NULL;
	recs[0] = f[0].rec;
	recs[1] = f[1].rec;
	frame = encode(&req, &len);
	assert_int_equal(wire_decode_request(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
	assert_int_equal(out.seq, 42);
	assert_int_equal(out.kind, REQUEST_SUBMIT);
	assert_int_equal(out.nrecords, 2);
	r = &out.records[0];
	assert_int_equal(r->id_len, RECORD_ID_LEN);
	assert_memory_equal(r->id, f[0].id, RECORD_ID_LEN);
	assert_int_equal(r->nsheets, 2);
	assert_string_equal(r->sheets[0], "III.A.17");
	assert_string_equal(r->activity, "chantier");
	assert_string_equal(r->date, "2024-07-10");
	assert_string_equal(r->commune, "46201");
	assert_string_equal(r->structure, "alsh-jeunes");
	assert_int_equal(r->ngroups, 3);
	assert_int_equal(r->groups[0].count, 5);
	assert_true(r->groups[0].has_count);
	assert_null(r->groups[0].person);
	assert_int_equal(r->groups[2].person_len, PERSON_TOKEN_LEN);
	assert_memory_equal(r->groups[2].person, f[0].person,
	    PERSON_TOKEN_LEN);
	assert_int_equal(r->npartners, 2);
	assert_string_equal(r->partners[1], "Association Lézard de la rue");
	assert_string_equal(r->title, "Chantier jeunes : rénovation du lavoir");
	assert_null(out.records[1].title);
	request_free(&out);
	free(frame);
}

/* A record without id decodes (validation refuses it, per record). */
static void
test_absent_fields_stay_absent(void **state)
{
	struct record	 rec = { .activity = "reunion" };
	struct group	 g = { .category = "elu" };	/* no count */
	struct request	 req = { .kind = REQUEST_SUBMIT, .records = &rec,
			    .nrecords = 1 }, out;
	const char	*why;
	uint8_t		*frame;
	size_t		 len;

	(void)state;
	rec.groups = &g;
	rec.ngroups = 1;
	frame = encode(&req, &len);
	assert_int_equal(wire_decode_request(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
	assert_null(out.records[0].id);
	assert_null(out.records[0].date);
	assert_false(out.records[0].groups[0].has_count);
	request_free(&out);
	free(frame);
}

static void
test_garbage_is_refused(void **state)
{
	static const uint8_t	 garbage[] = { 0xff, 0xff, 0xff, 0xff, 0x0f,
				    0x12, 0x34 };
	struct request		 out;
	const char		*why = NULL;

	(void)state;
	assert_int_equal(wire_decode_request(garbage, sizeof(garbage), &out,
	    &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "illisible"));
}

/* A well-formed message with no body says what is missing. */
static void
test_empty_request_is_refused(void **state)
{
	static const uint8_t	 seq_only[] = { 0x08, 0x01 };
	struct request		 out;
	const char		*why = NULL;

	(void)state;
	assert_int_equal(wire_decode_request(seq_only, sizeof(seq_only), &out,
	    &why), -1);
	assert_non_null(strstr(why, "sans contenu"));
}

/* Truncating a valid frame anywhere never decodes into something else. */
static void
test_truncations(void **state)
{
	struct fixture_record	 f;
	struct request		 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 },
				 out;
	const char		*why;
	uint8_t			*frame;
	size_t			 len, cut;

	(void)state;
	fixture_record_init(&f, 3);
	req.records = &f.rec;
	frame = encode(&req, &len);
	for (cut = 1; cut < len - FRAME_HEADER; cut++)
		if (wire_decode_request(frame + FRAME_HEADER, cut, &out,
		    &why) == 0) {
			/* A prefix may still parse; it must not gain records. */
			assert_true(out.nrecords <= 1);
			request_free(&out);
		}
	free(frame);
}

static void
test_reply_roundtrip(void **state)
{
	struct ack	 acks[2] = {
		{ .status = ACK_ACCEPTED, .has_id = 1 },
		{ .status = ACK_REFUSED, .reason = "date « x » invalide" },
	};
	struct counter	 ctr = { "records_accepted", 7, "enregistrements" };
	struct reply	 rep = { .seq = 9, .kind = REPLY_SUBMIT, .acks = acks,
			    .nacks = 2 }, out;
	const char	*why;
	uint8_t		*frame;
	size_t		 len;

	(void)state;
	memset(acks[0].id, 0x11, RECORD_ID_LEN);
	frame = wire_encode_reply(&rep, &len);
	assert_non_null(frame);
	assert_int_equal(wire_decode_reply(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
	assert_int_equal(out.seq, 9);
	assert_int_equal(out.nacks, 2);
	assert_true(out.acks[0].has_id);
	assert_memory_equal(out.acks[0].id, acks[0].id, RECORD_ID_LEN);
	assert_int_equal(out.acks[1].status, ACK_REFUSED);
	assert_string_equal(out.acks[1].reason, "date « x » invalide");
	assert_false(out.acks[1].has_id);
	reply_free(&out);
	free(frame);

	/* Regression: a status this client does not know is a refusal. */
	acks[0].status = (enum ack_status)9;
	frame = wire_encode_reply(&rep, &len);
	assert_int_equal(wire_decode_reply(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
	assert_int_equal(out.acks[0].status, ACK_REFUSED);
	reply_free(&out);
	free(frame);

	rep = (struct reply){ .kind = REPLY_STATS, .counters = &ctr,
	    .ncounters = 1 };
	frame = wire_encode_reply(&rep, &len);
	assert_int_equal(wire_decode_reply(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
	assert_int_equal(out.kind, REPLY_STATS);
	assert_string_equal(out.counters[0].name, "records_accepted");
	assert_int_equal(out.counters[0].value, 7);
	reply_free(&out);
	free(frame);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_roundtrip),
		cmocka_unit_test(test_absent_fields_stay_absent),
		cmocka_unit_test(test_garbage_is_refused),
		cmocka_unit_test(test_empty_request_is_refused),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_reply_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
