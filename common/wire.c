/*
 * wire.c — conversions between ctg.proto messages and the native structs.
 *
 * Unpacking allocates from the message's own arena (a ProtobufCAllocator over
 * arena_alloc), so the native structs point at the unpacked strings without
 * copying them and the whole message goes away with one arena_free.
 *
 * Strings as sent: protobuf-c NUL-terminates the strings it unpacks and
 * does not check UTF-8, so "abc\0def" would arrive as "abc". After a
 * successful unpack the raw bytes are walked once more with the generated
 * descriptors and every string field's bytes are checked whole; a record
 * with a bad one is marked (bad_field, bad_text) for validate to refuse it
 * alone, a bad string outside the records marks the request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctg.pb-c.h"
#include "framing.h"
#include "utf8.h"
#include "wire.h"

#define WIRE_MAX_DEPTH	8	/* nested messages; ctg.proto goes 4 deep */
#define WIRE_MAX_FIELDS	32	/* fields of one message tracked one by one */
#define WIRE_MAX_ONEOFS	4	/* oneofs in one message */

static void *
wire_arena_alloc(void *data, size_t len)
{
	return arena_alloc(data, len);
}

static void
wire_arena_noop(void *data, void *p)
{
	(void)data;
	(void)p;
}

#define WIRE_ALLOCATOR(a) { wire_arena_alloc, wire_arena_noop, (a) }

static const char *
wire_str(const char *s)
{
	return s;
}

/* Why len bytes may not be a string of ours, or NULL. */
typedef const char	*(*wire_check_fn)(const char *, size_t);

/* What a walk looks for, and what it found first. */
struct wire_text {
	wire_check_fn			 check;
	const ProtobufCMessageDescriptor *skip;	/* not descended into */
	char				 field[128];	/* "groups.category" */
	size_t				 prefix;	/* the parents' part */
	const char			*problem;
};

/* One field as the wire format has it. */
struct wire_field {
	uint32_t	 number;
	unsigned	 type;		/* ProtobufCWireType */
	const uint8_t	*data;		/* length-prefixed: the payload */
	size_t		 len;
};

/* A varint at p (n bytes there): its length, 0 when cut or too long. */
static size_t
wire_varint(const uint8_t *p, size_t n, uint64_t *v)
{
	size_t	 i;

	*v = 0;
	for (i = 0; i < n && i < 10; i++) {
		*v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0)
			return i + 1;
	}
	return 0;
}

/* The field at *off, moving past it: 1, 0 at the end, -1 when malformed. */
static int
wire_next(const uint8_t *buf, size_t len, size_t *off, struct wire_field *f)
{
	static const size_t	 fixed[] = {
		[PROTOBUF_C_WIRE_TYPE_64BIT] = 8,
		[PROTOBUF_C_WIRE_TYPE_32BIT] = 4,
	};
	uint64_t		 key, v;
	size_t			 n;

	if (*off >= len)
		return 0;
	if ((n = wire_varint(buf + *off, len - *off, &key)) == 0 ||
	    key >> 3 == 0 || key >> 3 > UINT32_MAX)
		return -1;
	*off += n;
	f->number = (uint32_t)(key >> 3);
	f->type = (unsigned)(key & 7);
	f->data = NULL;
	f->len = 0;
	switch (f->type) {
	case PROTOBUF_C_WIRE_TYPE_VARINT:
		if ((n = wire_varint(buf + *off, len - *off, &v)) == 0)
			return -1;
		*off += n;
		return 1;
	case PROTOBUF_C_WIRE_TYPE_64BIT:
	case PROTOBUF_C_WIRE_TYPE_32BIT:
		if (len - *off < fixed[f->type])
			return -1;
		*off += fixed[f->type];
		return 1;
	case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
		if ((n = wire_varint(buf + *off, len - *off, &v)) == 0 ||
		    v > len - *off - n)
			return -1;
		f->data = buf + *off + n;
		f->len = (size_t)v;
		*off += n + (size_t)v;
		return 1;
	default:
		return -1;	/* groups: protobuf-c does not take them */
	}
}

/* Notes the first problem found, at field name under the current parents. */
static int
wire_text_found(struct wire_text *t, const char *name, const char *problem)
{
	snprintf(t->field + t->prefix, sizeof(t->field) - t->prefix, "%s",
	    name);
	t->problem = problem;
	return 1;
}

static int	wire_walk(const ProtobufCMessageDescriptor *, const uint8_t *,
		    size_t, struct wire_text *, int);

/* One occurrence of a string or message field, checked or walked into. */
static int
wire_walk_field(const ProtobufCFieldDescriptor *fd,
    const struct wire_field *f, struct wire_text *t, int depth)
{
	const char	*why;
	size_t		 parent = t->prefix;
	int		 rc;

	if (fd->type == PROTOBUF_C_TYPE_STRING)
		return (why = t->check((const char *)f->data, f->len)) == NULL ?
		    0 : wire_text_found(t, fd->name, why);
	t->prefix += (size_t)snprintf(t->field + t->prefix,
	    sizeof(t->field) - t->prefix, "%s.", fd->name);
	if (t->prefix >= sizeof(t->field))
		t->prefix = sizeof(t->field) - 1;
	if ((rc = wire_walk(fd->descriptor, f->data, f->len, t, depth + 1)) ==
	    0)
		t->prefix = parent;
	return rc;
}

/*
 * Walks a message's bytes with its descriptor: 0 when every string in it
 * passes t->check, 1 with t->field and t->problem at one that does not,
 * -1 when the bytes are malformed. Follows what protobuf-c keeps: of a
 * singular string, or of a oneof, the last occurrence only; of repeated
 * fields and of merged sub-messages, every occurrence. Unknown fields and
 * wire types that do not match the descriptor are skipped (unpack has
 * refused the latter already).
 */
static int
wire_walk(const ProtobufCMessageDescriptor *d, const uint8_t *buf,
    size_t len, struct wire_text *t, int depth)
{
	const ProtobufCFieldDescriptor	*fd, *oneof_fd[WIRE_MAX_ONEOFS];
	struct wire_field		 f, oneof_last[WIRE_MAX_ONEOFS];
	const char			*last[WIRE_MAX_FIELDS] = { NULL };
	size_t				 off = 0, i, noneofs = 0;
	int				 rc;

	if (depth > WIRE_MAX_DEPTH)
		return -1;
	while ((rc = wire_next(buf, len, &off, &f)) == 1) {
		if ((fd = protobuf_c_message_descriptor_get_field(d,
		    f.number)) == NULL ||
		    f.type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED ||
		    (fd->type != PROTOBUF_C_TYPE_STRING &&
		    fd->type != PROTOBUF_C_TYPE_MESSAGE) ||
		    (fd->type == PROTOBUF_C_TYPE_MESSAGE &&
		    fd->descriptor == t->skip))
			continue;
		i = (size_t)(fd - d->fields);
		if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			/* Only the last member seen stays: walked below. */
			for (i = 0; i < noneofs && oneof_fd[i]->
			    quantifier_offset != fd->quantifier_offset; i++)
				;
			if (i == WIRE_MAX_ONEOFS)
				return -1;
			noneofs += i == noneofs;
			oneof_fd[i] = fd;
			oneof_last[i] = f;
		} else if (fd->type == PROTOBUF_C_TYPE_STRING &&
		    fd->label != PROTOBUF_C_LABEL_REPEATED &&
		    i < WIRE_MAX_FIELDS)
			last[i] = t->check((const char *)f.data, f.len);
		else if ((rc = wire_walk_field(fd, &f, t, depth)) != 0)
			return rc;
	}
	if (rc == -1)
		return -1;
	for (i = 0; i < noneofs; i++)
		if ((rc = wire_walk_field(oneof_fd[i], &oneof_last[i], t,
		    depth)) != 0)
			return rc;
	for (i = 0; i < d->n_fields && i < WIRE_MAX_FIELDS; i++)
		if (last[i] != NULL)
			return wire_text_found(t, d->fields[i].name, last[i]);
	return 0;
}

/*
 * Marks what protobuf-c has unpacked from buf: each record (the Submit's
 * records in order, or the Amend's one) with its first bad string, and
 * the request with a bad string outside the records. 0, -1 when the
 * bytes do not walk as they unpacked, -2 when out of memory.
 */
static int
wire_check_request(const uint8_t *buf, size_t len, struct request *req)
{
	const ProtobufCMessageDescriptor *rd = &ctg__v1__record__descriptor;
	const ProtobufCFieldDescriptor	*fd, *body = NULL;
	struct wire_text		 t = { .check = utf8_text_problem,
					    .skip = rd };
	struct wire_field		 f, last = { 0 };
	size_t				 off = 0, k = 0, i;
	int				 rc;

	if ((rc = wire_walk(&ctg__v1__request__descriptor, buf, len, &t,
	    0)) == -1)
		return -1;
	if (rc == 1) {
		if ((req->bad_field = arena_strdup(&req->arena, t.field)) ==
		    NULL)
			return -2;
		req->bad_text = t.problem;
	}
	/* The body protobuf-c kept: the last member of the oneof. */
	while ((rc = wire_next(buf, len, &off, &f)) == 1)
		if ((fd = protobuf_c_message_descriptor_get_field(
		    &ctg__v1__request__descriptor, f.number)) != NULL &&
		    (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
			body = fd;
			last = f;
		}
	if (rc == -1 || req->nrecords == 0 || body == NULL)
		return rc;
	if (body->type != PROTOBUF_C_TYPE_MESSAGE ||
	    last.type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
		return -1;
	for (off = 0; (rc = wire_next(last.data, last.len, &off, &f)) == 1;) {
		if ((fd = protobuf_c_message_descriptor_get_field(
		    body->descriptor, f.number)) == NULL ||
		    fd->type != PROTOBUF_C_TYPE_MESSAGE ||
		    fd->descriptor != rd ||
		    f.type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
			continue;
		/* Repeated: one record each; singular: merged into one. */
		i = fd->label == PROTOBUF_C_LABEL_REPEATED ? k++ : 0;
		if (i >= req->nrecords)
			return -1;
		memset(&t, 0, sizeof(t));
		t.check = utf8_text_problem;
		if ((rc = wire_walk(rd, f.data, f.len, &t, 0)) == -1)
			return -1;
		if (rc == 1 && req->records[i].bad_field == NULL) {
			if ((req->records[i].bad_field = arena_strdup(
			    &req->arena, t.field)) == NULL)
				return -2;
			req->records[i].bad_text = t.problem;
		}
	}
	return rc == -1 || (k != 0 && k != req->nrecords) ? -1 : 0;
}

static void
wire_decode_record(struct arena *a, const Ctg__V1__Record *m,
    struct record *r)
{
	size_t	 i;

	if (m->has_id) {
		r->id = m->id.data;
		r->id_len = m->id.len;
	}
	r->sheets = (const char **)m->sheets;
	r->nsheets = m->n_sheets;
	r->activity = wire_str(m->activity);
	r->date = wire_str(m->date);
	r->commune = wire_str(m->commune);
	r->structure = wire_str(m->structure);
	r->partners = (const char **)m->partners;
	r->npartners = m->n_partners;
	r->title = wire_str(m->title);
	r->ngroups = m->n_groups;
	if (m->n_groups == 0)
		return;
	r->groups = arena_alloc(a, m->n_groups * sizeof(*r->groups));
	if (r->groups == NULL) {
		r->ngroups = 0;
		return;
	}
	for (i = 0; i < m->n_groups; i++) {
		const Ctg__V1__Group	*g = m->groups[i];
		struct group		*out = &r->groups[i];

		out->category = g->category;
		out->residence = g->residence;
		out->has_count = g->has_count;
		out->count = g->count;
		if (g->has_person) {
			out->person = g->person.data;
			out->person_len = g->person.len;
		}
	}
}

int
wire_decode_request(const uint8_t *buf, size_t len, struct request *req,
    const char **why)
{
	ProtobufCAllocator	 alloc;
	Ctg__V1__Request	*m;
	size_t			 i;

	memset(req, 0, sizeof(*req));
	alloc = (ProtobufCAllocator)WIRE_ALLOCATOR(&req->arena);
	if ((m = ctg__v1__request__unpack(&alloc, len, buf)) == NULL) {
		*why = "message illisible : ce n'est pas une requête ctg.v1";
		goto fail;
	}
	req->seq = m->seq;
	if (m->has_token) {
		req->token = m->token.data;
		req->token_len = m->token.len;
	}
	switch (m->body_case) {
	case CTG__V1__REQUEST__BODY_SUBMIT:
		req->kind = REQUEST_SUBMIT;
		req->nrecords = m->submit->n_records;
		if (req->nrecords == 0) {
			*why = "envoi vide : aucun enregistrement dans la requête";
			goto fail;
		}
		if (req->nrecords > WIRE_MAX_RECORDS) {
			*why = "trop d'enregistrements dans une requête (10000 "
			    "au plus) : envoyez-les en plusieurs fois";
			goto fail;
		}
		req->records = arena_alloc(&req->arena,
		    req->nrecords * sizeof(*req->records));
		if (req->records == NULL) {
			*why = "mémoire insuffisante pour décoder la requête";
			goto fail;
		}
		for (i = 0; i < req->nrecords; i++)
			wire_decode_record(&req->arena, m->submit->records[i],
			    &req->records[i]);
		break;
	case CTG__V1__REQUEST__BODY_PING:
		req->kind = REQUEST_PING;
		req->nonce = m->ping->nonce;
		break;
	case CTG__V1__REQUEST__BODY_STATS:
		req->kind = REQUEST_STATS;
		break;
	case CTG__V1__REQUEST__BODY_AMEND:
		req->kind = REQUEST_AMEND;
		if (m->amend->record == NULL) {
			*why = "correction sans enregistrement";
			goto fail;
		}
		req->nrecords = 1;
		if ((req->records = arena_alloc(&req->arena,
		    sizeof(*req->records))) == NULL) {
			*why = "mémoire insuffisante pour décoder la requête";
			goto fail;
		}
		wire_decode_record(&req->arena, m->amend->record, req->records);
		break;
	case CTG__V1__REQUEST__BODY_VOID:
		req->kind = REQUEST_VOID;
		if (m->void_->has_id) {
			req->void_id = m->void_->id.data;
			req->void_id_len = m->void_->id.len;
		}
		req->reason = m->void_->reason;
		break;
	case CTG__V1__REQUEST__BODY_EVIDENCE:
		req->kind = REQUEST_EVIDENCE;
		if (m->evidence->has_id) {
			req->evidence.id = m->evidence->id.data;
			req->evidence.id_len = m->evidence->id.len;
		}
		req->evidence.indicator = m->evidence->indicator;
		req->evidence.date = m->evidence->date;
		req->evidence.state = m->evidence->state;
		req->evidence.text = m->evidence->text;
		req->evidence.reference = m->evidence->reference;
		break;
	case CTG__V1__REQUEST__BODY_QUERY:
		req->kind = REQUEST_QUERY;
		req->query.kind = m->query->kind;
		req->query.key = m->query->key;
		req->query.from = m->query->from;
		req->query.to = m->query->to;
		break;
	case CTG__V1__REQUEST__BODY_TOKEN_ADMIN:
		req->kind = REQUEST_TOKEN;
		req->tokens.action = m->token_admin->action;
		req->tokens.role = m->token_admin->role;
		req->tokens.structures =
		    (const char **)m->token_admin->structures;
		req->tokens.nstructures = m->token_admin->n_structures;
		req->tokens.label = m->token_admin->label;
		req->tokens.id = m->token_admin->id;
		break;
	default:
		*why = "requête sans contenu : attendu un envoi, une correction, "
		    "une annulation, une preuve, une question, une gestion de "
		    "jetons, des statistiques ou un ping";
		goto fail;
	}
	switch (wire_check_request(buf, len, req)) {
	case -1:
		*why = "message illisible : ce n'est pas une requête ctg.v1";
		goto fail;
	case -2:
		*why = "mémoire insuffisante pour décoder la requête";
		goto fail;
	}
	return 0;
fail:
	arena_free(&req->arena);
	return -1;
}

/* What protobuf's runtimes ask of a string: UTF-8, controls allowed. */
static const char *
wire_utf8_problem(const char *s, size_t len)
{
	return utf8_valid(s, len) ? NULL : "UTF-8 invalide";
}

int
wire_decode_reply(const uint8_t *buf, size_t len, struct reply *rep,
    const char **why)
{
	ProtobufCAllocator	 alloc;
	Ctg__V1__Reply		*m;
	struct wire_text	 t = { .check = wire_utf8_problem };
	size_t			 i;

	memset(rep, 0, sizeof(*rep));
	alloc = (ProtobufCAllocator)WIRE_ALLOCATOR(&rep->arena);
	if ((m = ctg__v1__reply__unpack(&alloc, len, buf)) == NULL) {
		*why = "réponse illisible du serveur";
		goto fail;
	}
	/* As protobuf's other runtimes do, a reply's strings must be UTF-8. */
	if (wire_walk(&ctg__v1__reply__descriptor, buf, len, &t, 0) != 0) {
		*why = "réponse illisible du serveur : texte qui n'est pas du "
		    "UTF-8 valide";
		goto fail;
	}
	rep->seq = m->seq;
	switch (m->body_case) {
	case CTG__V1__REPLY__BODY_SUBMIT:
		rep->kind = REPLY_SUBMIT;
		rep->nacks = m->submit->n_acks;
		rep->acks = arena_alloc(&rep->arena,
		    (rep->nacks + 1) * sizeof(*rep->acks));
		if (rep->acks == NULL) {
			*why = "mémoire insuffisante";
			goto fail;
		}
		for (i = 0; i < rep->nacks; i++) {
			const Ctg__V1__Ack	*a = m->submit->acks[i];

			if (a->has_id && a->id.len == RECORD_ID_LEN) {
				memcpy(rep->acks[i].id, a->id.data,
				    RECORD_ID_LEN);
				rep->acks[i].has_id = 1;
			}
			/* A status this client does not know is no success. */
			rep->acks[i].status = a->has_status &&
			    (int)a->status >= ACK_ACCEPTED && (int)a->status <=
			    ACK_REFUSED ? (enum ack_status)a->status :
			    ACK_REFUSED;
			rep->acks[i].reason = a->reason;
		}
		break;
	case CTG__V1__REPLY__BODY_PONG:
		rep->kind = REPLY_PONG;
		rep->nonce = m->pong->nonce;
		break;
	case CTG__V1__REPLY__BODY_STATS:
		rep->kind = REPLY_STATS;
		rep->ncounters = m->stats->n_counters;
		rep->counters = arena_alloc(&rep->arena,
		    (rep->ncounters + 1) * sizeof(*rep->counters));
		if (rep->counters == NULL) {
			*why = "mémoire insuffisante";
			goto fail;
		}
		for (i = 0; i < rep->ncounters; i++) {
			rep->counters[i].name = m->stats->counters[i]->name;
			rep->counters[i].value = m->stats->counters[i]->value;
			rep->counters[i].help = m->stats->counters[i]->help;
		}
		break;
	case CTG__V1__REPLY__BODY_ERROR:
		rep->kind = REPLY_ERROR;
		rep->error_code = m->error->code;
		rep->error_message = m->error->message;
		break;
	case CTG__V1__REPLY__BODY_DOCUMENT:
		rep->kind = REPLY_DOCUMENT;
		rep->json = m->document->json;
		rep->document_error = m->document->error;
		break;
	default:
		*why = "réponse du serveur sans contenu";
		goto fail;
	}
	return 0;
fail:
	arena_free(&rep->arena);
	return -1;
}

/* Packs any message behind a frame header into one malloc'd buffer. */
static uint8_t *
wire_frame(const ProtobufCMessage *m, size_t *framelen)
{
	size_t	 len = protobuf_c_message_get_packed_size(m);
	uint8_t	*buf;

	if (len == 0 || len > UINT32_MAX)
		return NULL;
	if ((buf = malloc(FRAME_HEADER + len)) == NULL)
		return NULL;
	framing_put_header(buf, (uint32_t)len);
	protobuf_c_message_pack(m, buf + FRAME_HEADER);
	*framelen = FRAME_HEADER + len;
	return buf;
}

static void
wire_encode_record(struct arena *a, const struct record *r,
    Ctg__V1__Record *m)
{
	size_t	 i;

	ctg__v1__record__init(m);
	if (r->id != NULL) {
		m->has_id = 1;
		m->id.data = (uint8_t *)r->id;
		m->id.len = r->id_len;
	}
	m->n_sheets = r->nsheets;
	m->sheets = (char **)r->sheets;
	m->activity = (char *)r->activity;
	m->date = (char *)r->date;
	m->commune = (char *)r->commune;
	m->structure = (char *)r->structure;
	m->n_partners = r->npartners;
	m->partners = (char **)r->partners;
	m->title = (char *)r->title;
	m->n_groups = r->ngroups;
	m->groups = arena_alloc(a, (r->ngroups + 1) * sizeof(*m->groups));
	if (m->groups == NULL) {
		m->n_groups = 0;
		return;
	}
	for (i = 0; i < r->ngroups; i++) {
		const struct group	*g = &r->groups[i];
		Ctg__V1__Group		*mg;

		if ((mg = arena_alloc(a, sizeof(*mg))) == NULL) {
			m->n_groups = i;
			return;
		}
		ctg__v1__group__init(mg);
		mg->category = (char *)g->category;
		mg->residence = (char *)g->residence;
		mg->has_count = g->has_count;
		mg->count = g->count;
		if (g->person != NULL) {
			mg->has_person = 1;
			mg->person.data = (uint8_t *)g->person;
			mg->person.len = g->person_len;
		}
		m->groups[i] = mg;
	}
}

uint8_t *
wire_encode_request(const struct request *req, size_t *framelen)
{
	Ctg__V1__Request	 m = CTG__V1__REQUEST__INIT;
	Ctg__V1__Submit		 submit = CTG__V1__SUBMIT__INIT;
	Ctg__V1__Ping		 ping = CTG__V1__PING__INIT;
	Ctg__V1__StatsRequest	 stats = CTG__V1__STATS_REQUEST__INIT;
	Ctg__V1__Amend		 amend = CTG__V1__AMEND__INIT;
	Ctg__V1__Void		 vd = CTG__V1__VOID__INIT;
	Ctg__V1__Evidence	 ev = CTG__V1__EVIDENCE__INIT;
	Ctg__V1__Query		 q = CTG__V1__QUERY__INIT;
	Ctg__V1__TokenAdmin	 ta = CTG__V1__TOKEN_ADMIN__INIT;
	Ctg__V1__Record		 one;
	struct arena		 a = { 0 };
	Ctg__V1__Record		*recs;
	uint8_t			*frame = NULL;
	size_t			 i;

	m.has_seq = 1;
	m.seq = req->seq;
	if (req->token != NULL) {
		m.has_token = 1;
		m.token.data = (uint8_t *)req->token;
		m.token.len = req->token_len;
	}
	switch (req->kind) {
	case REQUEST_SUBMIT:
		recs = arena_alloc(&a, (req->nrecords + 1) * sizeof(*recs));
		submit.records = arena_alloc(&a,
		    (req->nrecords + 1) * sizeof(*submit.records));
		if (recs == NULL || submit.records == NULL)
			goto out;
		for (i = 0; i < req->nrecords; i++) {
			wire_encode_record(&a, &req->records[i], &recs[i]);
			submit.records[i] = &recs[i];
		}
		submit.n_records = req->nrecords;
		m.body_case = CTG__V1__REQUEST__BODY_SUBMIT;
		m.submit = &submit;
		break;
	case REQUEST_PING:
		ping.has_nonce = 1;
		ping.nonce = req->nonce;
		m.body_case = CTG__V1__REQUEST__BODY_PING;
		m.ping = &ping;
		break;
	case REQUEST_STATS:
		m.body_case = CTG__V1__REQUEST__BODY_STATS;
		m.stats = &stats;
		break;
	case REQUEST_AMEND:
		wire_encode_record(&a, &req->records[0], &one);
		amend.record = &one;
		m.body_case = CTG__V1__REQUEST__BODY_AMEND;
		m.amend = &amend;
		break;
	case REQUEST_VOID:
		if (req->void_id != NULL) {
			vd.has_id = 1;
			vd.id.data = (uint8_t *)req->void_id;
			vd.id.len = req->void_id_len;
		}
		vd.reason = (char *)req->reason;
		m.body_case = CTG__V1__REQUEST__BODY_VOID;
		m.void_ = &vd;
		break;
	case REQUEST_EVIDENCE:
		if (req->evidence.id != NULL) {
			ev.has_id = 1;
			ev.id.data = (uint8_t *)req->evidence.id;
			ev.id.len = req->evidence.id_len;
		}
		ev.indicator = (char *)req->evidence.indicator;
		ev.date = (char *)req->evidence.date;
		ev.state = (char *)req->evidence.state;
		ev.text = (char *)req->evidence.text;
		ev.reference = (char *)req->evidence.reference;
		m.body_case = CTG__V1__REQUEST__BODY_EVIDENCE;
		m.evidence = &ev;
		break;
	case REQUEST_QUERY:
		q.kind = (char *)req->query.kind;
		q.key = (char *)req->query.key;
		q.from = (char *)req->query.from;
		q.to = (char *)req->query.to;
		m.body_case = CTG__V1__REQUEST__BODY_QUERY;
		m.query = &q;
		break;
	case REQUEST_TOKEN:
		ta.action = (char *)req->tokens.action;
		ta.role = (char *)req->tokens.role;
		ta.structures = (char **)req->tokens.structures;
		ta.n_structures = req->tokens.nstructures;
		ta.label = (char *)req->tokens.label;
		ta.has_id = req->tokens.id != 0;
		ta.id = req->tokens.id;
		m.body_case = CTG__V1__REQUEST__BODY_TOKEN_ADMIN;
		m.token_admin = &ta;
		break;
	}
	frame = wire_frame(&m.base, framelen);
out:
	arena_free(&a);
	return frame;
}

/*
 * A string as a reply carries it: itself when it is valid UTF-8 (all the
 * daemon builds is), else a sanitized copy in a, so that no slip upstream
 * makes a reply that protobuf's other runtimes refuse to parse.
 */
static char *
wire_utf8(struct arena *a, const char *s)
{
	size_t	 len;
	char	*out;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (utf8_valid(s, len))
		return (char *)s;
	if ((out = arena_alloc(a, len * 3 + 1)) != NULL)
		utf8_sanitize(s, len, out, len * 3 + 1);
	return out;
}

uint8_t *
wire_encode_reply(const struct reply *rep, size_t *framelen)
{
	Ctg__V1__Reply		 m = CTG__V1__REPLY__INIT;
	Ctg__V1__SubmitReply	 submit = CTG__V1__SUBMIT_REPLY__INIT;
	Ctg__V1__Pong		 pong = CTG__V1__PONG__INIT;
	Ctg__V1__Stats		 stats = CTG__V1__STATS__INIT;
	Ctg__V1__Error		 error = CTG__V1__ERROR__INIT;
	Ctg__V1__Document	 doc = CTG__V1__DOCUMENT__INIT;
	struct arena		 a = { 0 };
	Ctg__V1__Ack		*acks;
	Ctg__V1__Counter	*ctrs;
	uint8_t			*frame = NULL;
	size_t			 i;

	m.has_seq = 1;
	m.seq = rep->seq;
	switch (rep->kind) {
	case REPLY_SUBMIT:
		acks = arena_alloc(&a, (rep->nacks + 1) * sizeof(*acks));
		submit.acks = arena_alloc(&a,
		    (rep->nacks + 1) * sizeof(*submit.acks));
		if (acks == NULL || submit.acks == NULL)
			goto out;
		for (i = 0; i < rep->nacks; i++) {
			ctg__v1__ack__init(&acks[i]);
			if (rep->acks[i].has_id) {
				acks[i].has_id = 1;
				acks[i].id.data = (uint8_t *)rep->acks[i].id;
				acks[i].id.len = RECORD_ID_LEN;
			}
			acks[i].has_status = 1;
			acks[i].status = (Ctg__V1__Ack__Status)
			    rep->acks[i].status;
			acks[i].reason = wire_utf8(&a, rep->acks[i].reason);
			submit.acks[i] = &acks[i];
		}
		submit.n_acks = rep->nacks;
		m.body_case = CTG__V1__REPLY__BODY_SUBMIT;
		m.submit = &submit;
		break;
	case REPLY_PONG:
		pong.has_nonce = 1;
		pong.nonce = rep->nonce;
		m.body_case = CTG__V1__REPLY__BODY_PONG;
		m.pong = &pong;
		break;
	case REPLY_STATS:
		ctrs = arena_alloc(&a, (rep->ncounters + 1) * sizeof(*ctrs));
		stats.counters = arena_alloc(&a,
		    (rep->ncounters + 1) * sizeof(*stats.counters));
		if (ctrs == NULL || stats.counters == NULL)
			goto out;
		for (i = 0; i < rep->ncounters; i++) {
			ctg__v1__counter__init(&ctrs[i]);
			ctrs[i].name = wire_utf8(&a, rep->counters[i].name);
			ctrs[i].has_value = 1;
			ctrs[i].value = rep->counters[i].value;
			ctrs[i].help = wire_utf8(&a, rep->counters[i].help);
			stats.counters[i] = &ctrs[i];
		}
		stats.n_counters = rep->ncounters;
		m.body_case = CTG__V1__REPLY__BODY_STATS;
		m.stats = &stats;
		break;
	case REPLY_ERROR:
		error.code = wire_utf8(&a, rep->error_code);
		error.message = wire_utf8(&a, rep->error_message);
		m.body_case = CTG__V1__REPLY__BODY_ERROR;
		m.error = &error;
		break;
	case REPLY_DOCUMENT:
		doc.json = wire_utf8(&a, rep->json);
		doc.error = wire_utf8(&a, rep->document_error);
		m.body_case = CTG__V1__REPLY__BODY_DOCUMENT;
		m.document = &doc;
		break;
	}
	frame = wire_frame(&m.base, framelen);
out:
	arena_free(&a);
	return frame;
}

void
request_free(struct request *req)
{
	if (req != NULL)
		arena_free(&req->arena);
}

void
reply_free(struct reply *rep)
{
	if (rep != NULL)
		arena_free(&rep->arena);
}

const char *
ack_status_name(enum ack_status s)
{
	static const char *const names[] = {
		[ACK_ACCEPTED] = "accepted",
		[ACK_DUPLICATE] = "duplicate",
		[ACK_CONFLICT] = "conflict",
		[ACK_REFUSED] = "refused",
	};

	return s >= ACK_ACCEPTED && s <= ACK_REFUSED ? names[s] : "unknown";
}

const char *
ack_status_label(enum ack_status s)
{
	static const char *const labels[] = {
		[ACK_ACCEPTED] = "accepté",
		[ACK_DUPLICATE] = "doublon",
		[ACK_CONFLICT] = "conflit",
		[ACK_REFUSED] = "refusé",
	};

	return s >= ACK_ACCEPTED && s <= ACK_REFUSED ? labels[s] : "inconnu";
}
