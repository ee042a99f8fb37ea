/*
 * record_json.c — the write API's JSON bodies into the native request.
 *
 * Each record object is read field by field from a table; what cannot be
 * read as sent (a field of the wrong type, an unknown one, a bad id)
 * becomes the record's refusal, so that one bad record in a body never
 * stops the others. Only a body that is not JSON of the expected shape
 * is refused as a whole.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "record_json.h"
#include "wire.h"
#include "utf8.h"
#include "uuid.h"

enum jfield {
	JF_ID,
	JF_TEXT,
	JF_SHEETS,
	JF_GROUPS,
	JF_PARTNERS,
};

static const struct jfield_rule {
	const char	*name;
	enum jfield	 kind;
	size_t		 off;		/* JF_TEXT: where in struct record */
	const char	*expected;
} record_fields[] = {
	{ "id", JF_ID, 0, "un UUID comme 0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b" },
	{ "sheets", JF_SHEETS, 0, "une liste de codes de fiches comme "
	  "[\"III.A.17\"] ou de numéros comme [17]" },
	{ "activity", JF_TEXT, offsetof(struct record, activity),
	  "un mot-clé d'activité comme atelier" },
	{ "date", JF_TEXT, offsetof(struct record, date),
	  "une date AAAA-MM-JJ" },
	{ "commune", JF_TEXT, offsetof(struct record, commune),
	  "un code INSEE comme 46201" },
	{ "structure", JF_TEXT, offsetof(struct record, structure),
	  "un mot-clé de structure comme ripe" },
	{ "groups", JF_GROUPS, 0, "une liste de groupes {\"category\", "
	  "\"residence\", \"count\", \"person\"}" },
	{ "partners", JF_PARTNERS, 0, "une liste de textes" },
	{ "title", JF_TEXT, offsetof(struct record, title), "un texte" },
};
#define NFIELDS	(sizeof(record_fields) / sizeof(record_fields[0]))

static const char group_fields[] = "category, residence, count, person";

/* Why s (a JSON string) cannot be taken as text, or NULL. */
static const char *
json_text_problem(json_object *s)
{
	return utf8_text_problem(json_object_get_string(s),
	    (size_t)json_object_get_string_len(s));
}

/* The string, copied, or NULL with *bad set to its field's name. */
static const char *
json_text(struct request *req, struct record *r, const char *field,
    json_object *s)
{
	const char	*why;

	if ((why = json_text_problem(s)) != NULL) {
		if (r->bad_field == NULL) {
			r->bad_field = arena_strdup(&req->arena, field);
			r->bad_text = why;
		}
		return "";
	}
	return arena_strndup(&req->arena, json_object_get_string(s),
	    (size_t)json_object_get_string_len(s));
}

static int
json_refuse(struct request *req, struct record *r, const char *fmt,
    const char *a, const char *b)
{
	if (r->refusal == NULL)
		r->refusal = arena_printf(&req->arena, fmt, a, b);
	return -1;
}

static int
json_id(struct request *req, json_object *v, const uint8_t **id,
    size_t *len)
{
	uint8_t		*out;

	if (!json_object_is_type(v, json_type_string) ||
	    (out = arena_alloc(&req->arena, RECORD_ID_LEN)) == NULL ||
	    uuid_parse(json_object_get_string(v), out) == -1)
		return -1;
	*id = out;
	*len = RECORD_ID_LEN;
	return 0;
}

/* A list of strings (or, for sheets, numbers), into *list. */
static int
json_list(struct request *req, struct record *r, const char *field,
    json_object *v, int numbers, const char ***list, size_t *n)
{
	json_object	*e;
	size_t		 i, len;

	if (!json_object_is_type(v, json_type_array))
		return -1;
	len = json_object_array_length(v);
	if ((*list = arena_alloc(&req->arena, (len + 1) *
	    sizeof(**list))) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(v, i);
		if (json_object_is_type(e, json_type_string))
			(*list)[i] = json_text(req, r, field, e);
		else if (numbers && json_object_is_type(e, json_type_int))
			(*list)[i] = arena_printf(&req->arena, "%lld",
			    (long long)json_object_get_int64(e));
		else
			return -1;
	}
	*n = len;
	return 0;
}

static int
json_group(struct request *req, struct record *r, json_object *o,
    struct group *g, size_t n)
{
	char		 field[32];
	uint8_t		*tok;
	const char	*hex;
	unsigned	 byte;
	size_t		 i;

	if (!json_object_is_type(o, json_type_object))
		return json_refuse(req, r, "groupe %s invalide : attendu un "
		    "objet avec %s", arena_printf(&req->arena, "%zu", n + 1),
		    group_fields);
	json_object_object_foreach(o, key, v) {
		snprintf(field, sizeof(field), "groups.%s", key);
		if (strcmp(key, "category") == 0 &&
		    json_object_is_type(v, json_type_string))
			g->category = json_text(req, r, field, v);
		else if (strcmp(key, "residence") == 0 &&
		    (json_object_is_type(v, json_type_string) || v == NULL))
			g->residence = v != NULL ? json_text(req, r, field, v) :
			    NULL;
		else if (strcmp(key, "count") == 0 &&
		    json_object_is_type(v, json_type_int)) {
			g->count = json_object_get_int64(v);
			g->has_count = 1;
		} else if (strcmp(key, "person") == 0 && v == NULL)
			continue;
		else if (strcmp(key, "person") == 0 &&
		    json_object_is_type(v, json_type_string) &&
		    json_object_get_string_len(v) == 2 * PERSON_TOKEN_LEN) {
			hex = json_object_get_string(v);
			if ((tok = arena_alloc(&req->arena,
			    PERSON_TOKEN_LEN)) == NULL)
				return -1;
			for (i = 0; i < PERSON_TOKEN_LEN; i++) {
				if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
					return json_refuse(req, r, "groupe %s : "
					    "personne invalide : attendu %s",
					    arena_printf(&req->arena, "%zu",
					    n + 1), "64 chiffres hexadécimaux "
					    "(HMAC-SHA256)");
				tok[i] = (uint8_t)byte;
			}
			g->person = tok;
			g->person_len = PERSON_TOKEN_LEN;
		} else
			return json_refuse(req, r, "groupe %s : champ « %s » "
			    "invalide ou inconnu : attendu category (texte), "
			    "residence (texte ou null), count (entier), person "
			    "(64 chiffres hexadécimaux)", arena_printf(
			    &req->arena, "%zu", n + 1), key);
	}
	return 0;
}

static int
json_groups(struct request *req, struct record *r, json_object *v)
{
	size_t	 i, n;

	if (!json_object_is_type(v, json_type_array))
		return -1;
	n = json_object_array_length(v);
	if ((r->groups = arena_alloc(&req->arena, (n + 1) *
	    sizeof(*r->groups))) == NULL)
		return -1;
	r->ngroups = n;
	for (i = 0; i < n; i++)
		if (json_group(req, r, json_object_array_get_idx(v, i),
		    &r->groups[i], i) == -1)
			return 0;	/* its refusal says it */
	return 0;
}

static const struct jfield_rule *
json_rule(const char *name)
{
	size_t	 i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(record_fields[i].name, name) == 0)
			return &record_fields[i];
	return NULL;
}

static int
json_field(struct request *req, struct record *r,
    const struct jfield_rule *f, json_object *v)
{
	switch (f->kind) {
	case JF_ID:
		return json_id(req, v, &r->id, &r->id_len);
	case JF_TEXT:
		if (v == NULL)
			return 0;	/* null: absent */
		if (!json_object_is_type(v, json_type_string))
			return -1;
		*(const char **)((char *)r + f->off) = json_text(req, r,
		    f->name, v);
		return 0;
	case JF_SHEETS:
		return json_list(req, r, f->name, v, 1, &r->sheets,
		    &r->nsheets);
	case JF_GROUPS:
		return json_groups(req, r, v);
	case JF_PARTNERS:
		return json_list(req, r, f->name, v, 0, &r->partners,
		    &r->npartners);
	}
	return -1;
}

static void
json_record(struct request *req, json_object *o, struct record *r)
{
	const struct jfield_rule	*f;

	if (!json_object_is_type(o, json_type_object)) {
		json_refuse(req, r, "enregistrement invalide%s%s : attendu un "
		    "objet JSON {\"id\": …, \"activity\": …}", "", "");
		return;
	}
	json_object_object_foreach(o, key, v) {
		if ((f = json_rule(key)) == NULL)
			json_refuse(req, r, "champ « %s » inconnu : attendu %s",
			    key, "id, sheets, activity, date, commune, "
			    "structure, groups, partners, title");
		else if (json_field(req, r, f, v) == -1)
			json_refuse(req, r, "champ « %s » invalide : attendu %s",
			    key, f->expected);
	}
}

static int
json_fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* The records of a submit: one object, or {"records": [...]}. */
static int
json_submit(json_object *doc, struct request *req, char *err, size_t errlen)
{
	json_object	*list = NULL, *one = doc;
	size_t		 i, n = 1;

	if (json_object_object_get_ex(doc, "records", &list)) {
		if (!json_object_is_type(list, json_type_array) ||
		    json_object_object_length(doc) != 1)
			return json_fail(err, errlen, "corps invalide : attendu "
			    "{\"records\": [ … ]} et rien d'autre");
		n = json_object_array_length(list);
	}
	if (n == 0 || n > RECORD_JSON_MAX)
		return json_fail(err, errlen, "corps invalide : attendu de 1 à "
		    "1000 enregistrements");
	if ((req->records = arena_alloc(&req->arena, n *
	    sizeof(*req->records))) == NULL)
		return json_fail(err, errlen, "mémoire insuffisante");
	req->nrecords = n;
	for (i = 0; i < n; i++) {
		if (list != NULL)
			one = json_object_array_get_idx(list, i);
		json_record(req, one, &req->records[i]);
	}
	return 0;
}

static int
json_amend(json_object *doc, const uint8_t *id, struct request *req,
    char *err, size_t errlen)
{
	struct record	*r;

	if (json_submit(doc, req, err, errlen) == -1)
		return -1;
	if (req->nrecords != 1)
		return json_fail(err, errlen, "corps invalide : une correction "
		    "porte un seul enregistrement");
	r = &req->records[0];
	if (r->id != NULL && memcmp(r->id, id, RECORD_ID_LEN) != 0)
		json_refuse(req, r, "identifiant du corps différent de celui "
		    "de l'adresse%s%s : attendu le même, ou aucun", "", "");
	r->id = id;
	r->id_len = RECORD_ID_LEN;
	return 0;
}

/* A string member of an object outside the records, or NULL. */
static int
json_member(struct request *req, json_object *doc, const char *name,
    const char *field, const char **out)
{
	json_object	*v;
	const char	*why;

	if (!json_object_object_get_ex(doc, name, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	if ((why = json_text_problem(v)) != NULL && req->bad_field == NULL) {
		req->bad_field = field;
		req->bad_text = why;
	}
	*out = arena_strndup(&req->arena, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
	return 0;
}

static int
json_only(json_object *doc, const char *const *names)
{
	size_t	 i;
	int	 known;

	json_object_object_foreach(doc, key, v) {
		(void)v;
		for (i = 0, known = 0; names[i] != NULL; i++)
			known |= strcmp(key, names[i]) == 0;
		if (!known)
			return -1;
	}
	return 0;
}

static int
json_void(json_object *doc, const uint8_t *id, struct request *req,
    char *err, size_t errlen)
{
	static const char *const names[] = { "reason", NULL };

	req->void_id = id;
	req->void_id_len = RECORD_ID_LEN;
	if (json_only(doc, names) == -1 ||
	    json_member(req, doc, "reason", "void.reason", &req->reason) == -1)
		return json_fail(err, errlen, "corps invalide : attendu "
		    "{\"reason\": \"pourquoi l'enregistrement est annulé\"}");
	return 0;
}

static int
json_evidence(json_object *doc, struct request *req, char *err,
    size_t errlen)
{
	static const char *const names[] = { "id", "indicator", "date",
	    "state", "text", "reference", NULL };
	struct evidence	*e = &req->evidence;
	json_object	*v;

	if (json_only(doc, names) == -1 ||
	    json_member(req, doc, "indicator", "evidence.indicator",
	    &e->indicator) == -1 ||
	    json_member(req, doc, "date", "evidence.date", &e->date) == -1 ||
	    json_member(req, doc, "state", "evidence.state", &e->state) == -1 ||
	    json_member(req, doc, "text", "evidence.text", &e->text) == -1 ||
	    json_member(req, doc, "reference", "evidence.reference",
	    &e->reference) == -1 ||
	    (json_object_object_get_ex(doc, "id", &v) &&
	    json_id(req, v, &e->id, &e->id_len) == -1))
		return json_fail(err, errlen, "corps invalide : attendu "
		    "{\"id\": UUID, \"indicator\": \"III.A.17/res/2\", \"date\": "
		    "\"AAAA-MM-JJ\", \"state\": \"en cours\" ou \"réalisé\", "
		    "\"text\": …, \"reference\": …}");
	return 0;
}

int
record_json_request(const char *body, size_t len, enum request_kind kind,
    const char *id, struct request *req, char *err, size_t errlen)
{
	struct json_tokener	*tok;
	json_object		*doc = NULL;
	uint8_t			*rid = NULL;
	int			 rc = -1;

	*req = (struct request){ .kind = kind };
	if ((tok = json_tokener_new()) == NULL)
		return json_fail(err, errlen, "mémoire insuffisante");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tok, body, (int)len);
	if (doc == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		snprintf(err, errlen, "corps illisible : attendu un document "
		    "JSON en UTF-8 (%s, à l'octet %zu)", doc == NULL ?
		    json_tokener_get_error(tok) == json_tokener_continue ?
		    "document incomplet" : "syntaxe JSON invalide" :
		    "texte après le document",
		    json_tokener_get_parse_end(tok));
		goto done;
	}
	if (!json_object_is_type(doc, json_type_object)) {
		json_fail(err, errlen, "corps invalide : attendu un objet JSON");
		goto done;
	}
	if (id != NULL && ((rid = arena_alloc(&req->arena, RECORD_ID_LEN)) ==
	    NULL || uuid_parse(id, rid) == -1)) {
		snprintf(err, errlen, "identifiant « %.40s » invalide dans "
		    "l'adresse : attendu un UUID", id);
		goto done;
	}
	switch (kind) {
	case REQUEST_SUBMIT:
		rc = json_submit(doc, req, err, errlen);
		break;
	case REQUEST_AMEND:
		rc = json_amend(doc, rid, req, err, errlen);
		break;
	case REQUEST_VOID:
		rc = json_void(doc, rid, req, err, errlen);
		break;
	case REQUEST_EVIDENCE:
		rc = json_evidence(doc, req, err, errlen);
		break;
	default:
		json_fail(err, errlen, "requête inconnue");
	}
done:
	json_object_put(doc);
	json_tokener_free(tok);
	if (rc == -1)
		request_free(req);
	return rc;
}

char *
record_json_acks(const struct ack *acks, size_t n)
{
	json_object	*doc = json_object_new_object(), *list, *o;
	char		 id[UUID_TEXT_LEN + 1];
	char		*text;
	size_t		 i;

	if (doc == NULL)
		return NULL;
	list = json_object_new_array_ext((int)n);
	json_object_object_add(doc, "acks", list);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		if (acks[i].has_id) {
			uuid_format(acks[i].id, id);
			json_object_object_add(o, "id",
			    json_object_new_string(id));
		} else
			json_object_object_add(o, "id", NULL);
		json_object_object_add(o, "status", json_object_new_string(
		    ack_status_name(acks[i].status)));
		if (acks[i].reason != NULL)
			json_object_object_add(o, "reason",
			    json_object_new_string(acks[i].reason));
		json_object_array_add(list, o);
	}
	text = strdup(json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return text;
}
