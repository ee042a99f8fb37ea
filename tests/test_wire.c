/* test_wire.c — decode and encode of the protocol's messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctg.pb-c.h"	/* the descriptors: to reach every string field */
#include "fixtures.h"
#include "framing.h"
#include "record.h"
#include "utf8.h"
#include "validate.h"
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

/*
 * Strings as sent. Every string field of every message a request can
 * carry is found through the generated descriptors, set to MARK, packed,
 * and MARK's bytes replaced in the packed message by bytes of the same
 * length that are not acceptable text; the lengths stay right.
 */
#define MARK	"@@@@@@@"	/* 7 bytes */

static const struct {
	const char	*bytes;		/* 7 of them */
	const char	*problem;	/* utf8_text_problem's word */
} bad_texts[] = {
	{ "abc\0def", "octet nul" },
	{ "abc\0XYZ", "octet nul" },
	{ "abc\xff" "def", "UTF-8 invalide" },
	{ "abc\xc3" "def", "UTF-8 invalide" },		/* cut character */
	{ "ab\xc0\xaf" "def", "UTF-8 invalide" },	/* overlong '/' */
	{ "a\xed\xa0\x80" "def", "UTF-8 invalide" },	/* surrogate */
	{ "abc\x1b" "def", "caractère de contrôle" },
	{ "abc\t" "def", "caractère de contrôle" },
	{ "abc\x7f" "def", "caractère de contrôle" },
};
#define NBAD	(sizeof(bad_texts) / sizeof(bad_texts[0]))

static struct validate_ctx	 vctx;
static struct arena		 varena;

static int
setup_ctx(void **state)
{
	(void)state;
	fixture_validate_ctx(&vctx);
	return 0;
}

static int
teardown_ctx(void **state)
{
	(void)state;
	arena_free(&varena);
	return 0;
}

/* One string field reached from the request, and how to put it back. */
struct str_field {
	ProtobufCMessage		*m;
	const ProtobufCFieldDescriptor	*fd;
	char				 path[128];	/* "submit.records.title" */
};

#define MAX_STR_FIELDS	64

/*
 * Every string field under m (present or not), in fields[]; of repeated
 * sub-messages the middle element is the one gone into.
 */
static void
str_fields(ProtobufCMessage *m, const char *prefix, struct str_field *fields,
    size_t *n)
{
	const ProtobufCMessageDescriptor	*d = m->descriptor;
	const ProtobufCFieldDescriptor		*fd;
	ProtobufCMessage			*sub;
	char					 path[128];
	size_t					 i, count;

	for (i = 0; i < d->n_fields; i++) {
		fd = &d->fields[i];
		snprintf(path, sizeof(path), "%s%s", prefix, fd->name);
		if (fd->type == PROTOBUF_C_TYPE_STRING) {
			assert_true(*n < MAX_STR_FIELDS);
			fields[*n].m = m;
			fields[*n].fd = fd;
			snprintf(fields[*n].path, sizeof(fields[*n].path),
			    "%s", path);
			(*n)++;
			continue;
		}
		if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			count = *(size_t *)((char *)m + fd->quantifier_offset);
			sub = count == 0 ? NULL : (*(ProtobufCMessage ***)
			    ((char *)m + fd->offset))[count / 2];
		} else
			sub = *(ProtobufCMessage **)((char *)m + fd->offset);
		if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF &&
		    *(uint32_t *)((char *)m + fd->quantifier_offset) !=
		    fd->id)
			sub = NULL;
		if (sub != NULL) {
			strcat(path, ".");
			str_fields(sub, path, fields, n);
		}
	}
}

/* Packs m with field f set to MARK, then MARK replaced by bytes. */
static uint8_t *
pack_with(ProtobufCMessage *m, const struct str_field *f, const char *bytes,
    size_t *len)
{
	char		*one[1] = { (char *)MARK }, *saved = NULL;
	char		**saved_arr = NULL;
	char		*at = (char *)f->m + f->fd->offset;
	size_t		*count = (size_t *)((char *)f->m +
			    f->fd->quantifier_offset), saved_n = 0;
	uint8_t		*buf, *p;

	if (f->fd->label == PROTOBUF_C_LABEL_REPEATED) {
		saved_n = *count;
		saved_arr = *(char ***)at;
		*count = 1;
		*(char ***)at = one;
	} else {
		saved = *(char **)at;
		*(char **)at = (char *)MARK;
	}
	*len = protobuf_c_message_get_packed_size(m);
	assert_non_null(buf = malloc(*len));
	protobuf_c_message_pack(m, buf);
	if (f->fd->label == PROTOBUF_C_LABEL_REPEATED) {
		*count = saved_n;
		*(char ***)at = saved_arr;
	} else
		*(char **)at = saved;
	assert_non_null(p = memmem(buf, *len, MARK, 7));
	assert_null(memmem(p + 7, *len - (size_t)(p + 7 - buf), MARK, 7));
	memcpy(p, bytes, 7);
	return buf;
}

/* A request of each kind that carries strings, every string set. */
static void
string_requests(struct request *reqs, size_t *n, struct fixture_record *f)
{
	static const uint8_t	 id[16] = { 1, 2, 3, 4, 5, 6, 0x70, 8 };
	static const char	*structures[] = { "ripe" };
	struct record		*recs = calloc(3, sizeof(*recs));
	size_t			 i;

	assert_non_null(recs);
	for (i = 0; i < 3; i++) {
		fixture_record_init(&f[i], (uint8_t)(i + 1));
		recs[i] = f[i].rec;
	}
	*n = 0;
	reqs[(*n)++] = (struct request){ .kind = REQUEST_SUBMIT,
	    .records = recs, .nrecords = 3 };
	reqs[(*n)++] = (struct request){ .kind = REQUEST_AMEND,
	    .records = recs, .nrecords = 1 };
	reqs[(*n)++] = (struct request){ .kind = REQUEST_VOID, .void_id = id,
	    .void_id_len = 16, .reason = "doublon" };
	reqs[(*n)++] = (struct request){ .kind = REQUEST_EVIDENCE,
	    .evidence = { id, 16, "I.B.6/res/2", "2024-05-02", "en cours",
	    "Comité réuni", "CR du 2 mai" } };
	reqs[(*n)++] = (struct request){ .kind = REQUEST_QUERY,
	    .query = { "sheet", "17", "2024-01", "2024-06" } };
	reqs[(*n)++] = (struct request){ .kind = REQUEST_TOKEN,
	    .tokens = { "create", "submitter", structures, 1, "Lucie", 0 } };
}

/* The record part of a path under a submit or an amend, or NULL. */
static const char *
record_part(const char *path)
{
	const char	*p;

	if ((p = strstr(path, "records.")) != NULL)
		return p + strlen("records.");
	if ((p = strstr(path, "record.")) != NULL)
		return p + strlen("record.");
	return NULL;
}

/* One field set to one bad text: the refusal is where it belongs. */
static void
check_bad_text(ProtobufCMessage *m, const struct str_field *f, size_t b)
{
	struct request	 out;
	const char	*why, *rel = record_part(f->path);
	uint8_t		*buf;
	size_t		 len, bad, k;
	char		 want[160];

	buf = pack_with(m, f, bad_texts[b].bytes, &len);
	assert_int_equal(wire_decode_request(buf, len, &out, &why), 0);
	if (rel == NULL) {
		/* Outside the records: the request says where. */
		if (out.bad_field == NULL)
			fail_msg("%s: not marked", f->path);
		assert_string_equal(out.bad_field, f->path);
		assert_string_equal(out.bad_text, bad_texts[b].problem);
		why = validate_bad_text(out.bad_field, out.bad_text, &varena);
		assert_non_null(strstr(why, "attendu un texte UTF-8"));
	} else {
		assert_null(out.bad_field);
		bad = out.nrecords / 2;		/* the one str_fields went into */
		snprintf(want, sizeof(want), "champ %s : %s", rel,
		    bad_texts[b].problem);
		why = validate_record(&out.records[bad], &vctx, &varena);
		if (why == NULL || strstr(why, want) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", f->path,
			    why ? why : "(accepted)", want);
		for (k = 0; k < out.nrecords; k++)
			if (k != bad)
				assert_null(validate_record(&out.records[k],
				    &vctx, &varena));
	}
	assert_true(utf8_valid(why, strlen(why)));
	request_free(&out);
	free(buf);
}

/*
 * NUL, invalid UTF-8 and control characters in every string field: a
 * record's refuse that record alone, naming the field, and the others of
 * the same submit carry on; any other's mark the request.
 */
static void
test_every_string_field_as_sent(void **state)
{
	struct fixture_record	 f[3];
	struct request		 reqs[8];
	struct str_field	 fields[MAX_STR_FIELDS];
	Ctg__V1__Request	*m;
	uint8_t			*frame;
	size_t			 nreqs, nfields, r, i, b, flen, tested = 0;

	(void)state;
	string_requests(reqs, &nreqs, f);
	for (r = 0; r < nreqs; r++) {
		frame = encode(&reqs[r], &flen);
		assert_non_null(m = ctg__v1__request__unpack(NULL,
		    flen - FRAME_HEADER, frame + FRAME_HEADER));
		nfields = 0;
		str_fields(&m->base, "", fields, &nfields);
		for (i = 0; i < nfields; i++, tested++)
			for (b = 0; b < NBAD; b++)
				check_bad_text(&m->base, &fields[i], b);
		protobuf_c_message_free_unpacked(&m->base, NULL);
		free(frame);
	}
	free(reqs[0].records);
	/* Record 7 and group 2, in a submit and in an amend; void 1,
	 * evidence 5, query 4, token admin 4. */
	assert_true(tested >= 2 * (7 + 2) + 1 + 5 + 4 + 4);
}

/* Appends field number's tag (length-prefixed) and n bytes at out. */
static size_t
put_bytes(uint8_t *out, unsigned number, const void *data, size_t n)
{
	size_t	 o = 0, v;

	out[o++] = (uint8_t)(number << 3 | 2);
	for (v = n; v >= 0x80; v >>= 7)
		out[o++] = (uint8_t)(v | 0x80);
	out[o++] = (uint8_t)v;
	memcpy(out + o, data, n);
	return o + n;
}

/* A submit of one record whose title is sent twice, a then b. */
static size_t
title_twice(uint8_t *out, const char *a, const char *b)
{
	struct fixture_record	 f;
	struct request		 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 };
	Ctg__V1__Request	*m;
	uint8_t			*frame, rec[1024], submit[1100];
	size_t			 len, n, ns;

	fixture_record_init(&f, 4);
	f.rec.title = NULL;
	req.records = &f.rec;
	frame = encode(&req, &len);
	assert_non_null(m = ctg__v1__request__unpack(NULL, len - FRAME_HEADER,
	    frame + FRAME_HEADER));
	n = ctg__v1__record__pack(m->submit->records[0], rec);
	n += put_bytes(rec + n, 9, a, 7);
	n += put_bytes(rec + n, 9, b, 7);
	ns = put_bytes(submit, 1, rec, n);
	protobuf_c_message_free_unpacked(&m->base, NULL);
	free(frame);
	return put_bytes(out, 2, submit, ns);
}

/*
 * The walk keeps what protobuf-c keeps: of a string sent twice the last,
 * of two bodies the last (records and all).
 */
static void
test_strings_as_protobuf_c_keeps_them(void **state)
{
	struct fixture_record	 f[2];
	struct request		 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 },
				 out;
	const char		*why;
	uint8_t			 buf[4096], *one, *two;
	size_t			 n, n1, n2;

	(void)state;
	n = title_twice(buf, "abc\0def", "Lavoirs");
	assert_int_equal(wire_decode_request(buf, n, &out, &why), 0);
	assert_string_equal(out.records[0].title, "Lavoirs");
	assert_null(out.records[0].bad_field);
	request_free(&out);
	n = title_twice(buf, "Lavoirs", "abc\0def");
	assert_int_equal(wire_decode_request(buf, n, &out, &why), 0);
	assert_string_equal(out.records[0].title, "abc");
	assert_string_equal(out.records[0].bad_field, "title");
	request_free(&out);

	/* Two submits in one message: protobuf-c keeps the last only. */
	fixture_record_init(&f[0], 5);
	fixture_record_init(&f[1], 6);
	f[0].rec.title = MARK;
	req.records = &f[0].rec;
	one = encode(&req, &n1);
	memcpy(memmem(one, n1, MARK, 7), "abc\0def", 7);
	req.records = &f[1].rec;
	two = encode(&req, &n2);
	memcpy(buf, one + FRAME_HEADER, n1 - FRAME_HEADER);
	memcpy(buf + n1 - FRAME_HEADER, two + FRAME_HEADER, n2 - FRAME_HEADER);
	n = n1 + n2 - 2 * FRAME_HEADER;
	assert_int_equal(wire_decode_request(buf, n, &out, &why), 0);
	assert_int_equal(out.nrecords, 1);
	assert_memory_equal(out.records[0].id, f[1].id, RECORD_ID_LEN);
	assert_null(out.records[0].bad_field);
	request_free(&out);
	memcpy(buf, two + FRAME_HEADER, n2 - FRAME_HEADER);
	memcpy(buf + n2 - FRAME_HEADER, one + FRAME_HEADER, n1 - FRAME_HEADER);
	assert_int_equal(wire_decode_request(buf, n, &out, &why), 0);
	assert_int_equal(out.nrecords, 1);
	assert_memory_equal(out.records[0].id, f[0].id, RECORD_ID_LEN);
	assert_string_equal(out.records[0].bad_field, "title");
	request_free(&out);
	free(one);
	free(two);
}

/* A bad string's bytes cut short, or its length past the end: refused. */
static void
test_bad_string_truncated(void **state)
{
	struct fixture_record	 f;
	struct request		 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 },
				 out;
	const char		*why;
	uint8_t			*frame;
	size_t			 len, cut;

	(void)state;
	fixture_record_init(&f, 7);
	f.rec.title = MARK;
	req.records = &f.rec;
	frame = encode(&req, &len);
	memcpy(memmem(frame, len, MARK, 7), "ab\0\xff\x1b\xc3", 7);
	for (cut = 1; cut < len - FRAME_HEADER; cut++)
		if (wire_decode_request(frame + FRAME_HEADER, cut, &out,
		    &why) == 0) {
			/* What still parses is marked where it must be. */
			if (out.nrecords == 1 && out.records[0].title != NULL)
				assert_string_equal(
				    out.records[0].bad_field, "title");
			request_free(&out);
		}
	free(frame);
}

/*
 * Replies: what ctgd builds goes out as valid UTF-8 whatever slipped in,
 * and a reply that is not is refused as protobuf's other runtimes do.
 */
static void
test_reply_strings_utf8(void **state)
{
	struct ack	 ack = { .status = ACK_REFUSED,
			    .reason = "titre « caf\xe9 » invalide" };
	struct reply	 rep = { .seq = 3, .kind = REPLY_SUBMIT, .acks = &ack,
			    .nacks = 1 }, out;
	const char	*why = NULL;
	uint8_t		*frame;
	size_t		 len;

	(void)state;
	frame = wire_encode_reply(&rep, &len);
	assert_non_null(frame);
	assert_int_equal(wire_decode_reply(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
	assert_string_equal(out.acks[0].reason,
	    "titre « caf\xef\xbf\xbd » invalide");
	reply_free(&out);
	free(frame);

	rep = (struct reply){ .kind = REPLY_DOCUMENT, .json = "{\"k\":\""
	    MARK "\"}" };
	frame = wire_encode_reply(&rep, &len);
	memcpy(memmem(frame, len, MARK, 7), "abc\xff" "def", 7);
	assert_int_equal(wire_decode_reply(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), -1);
	assert_non_null(strstr(why, "UTF-8"));
	/* Controls are no business of the reply's check. */
	memcpy(memmem(frame, len, "abc\xff" "def", 7), "abc\n" "def", 7);
	assert_int_equal(wire_decode_reply(frame + FRAME_HEADER,
	    len - FRAME_HEADER, &out, &why), 0);
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
		cmocka_unit_test(test_every_string_field_as_sent),
		cmocka_unit_test(test_strings_as_protobuf_c_keeps_them),
		cmocka_unit_test(test_bad_string_truncated),
		cmocka_unit_test(test_reply_strings_utf8),
	};

	return cmocka_run_group_tests(tests, setup_ctx, teardown_ctx);
}
