/*
 * wire.c — conversions between ctg.proto messages and the native structs.
 *
 * Unpacking allocates from the message's own arena (a ProtobufCAllocator over
 * arena_alloc), so the native structs point at the unpacked strings without
 * copying them and the whole message goes away with one arena_free.
 */
#include <stdlib.h>
#include <string.h>

#include "ctg.pb-c.h"
#include "framing.h"
#include "wire.h"

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
		*why = "requête sans contenu : ni envoi, ni ping, ni statistiques";
		goto fail;
	}
	return 0;
fail:
	arena_free(&req->arena);
	return -1;
}

int
wire_decode_reply(const uint8_t *buf, size_t len, struct reply *rep,
    const char **why)
{
	ProtobufCAllocator	 alloc;
	Ctg__V1__Reply		*m;
	size_t			 i;

	memset(rep, 0, sizeof(*rep));
	alloc = (ProtobufCAllocator)WIRE_ALLOCATOR(&rep->arena);
	if ((m = ctg__v1__reply__unpack(&alloc, len, buf)) == NULL) {
		*why = "réponse illisible du serveur";
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
			acks[i].reason = (char *)rep->acks[i].reason;
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
			ctrs[i].name = (char *)rep->counters[i].name;
			ctrs[i].has_value = 1;
			ctrs[i].value = rep->counters[i].value;
			ctrs[i].help = (char *)rep->counters[i].help;
			stats.counters[i] = &ctrs[i];
		}
		stats.n_counters = rep->ncounters;
		m.body_case = CTG__V1__REPLY__BODY_STATS;
		m.stats = &stats;
		break;
	case REPLY_ERROR:
		error.code = (char *)rep->error_code;
		error.message = (char *)rep->error_message;
		m.body_case = CTG__V1__REPLY__BODY_ERROR;
		m.error = &error;
		break;
	case REPLY_DOCUMENT:
		doc.json = (char *)rep->json;
		doc.error = (char *)rep->document_error;
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
