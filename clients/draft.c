/*
 * draft.c — a record from the command line's flags (ctg-submit add and
 * amend), its words resolved as people type them (lookup.h). A word that
 * names nothing refuses the record; a malformed flag is a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draft.h"
#include "lookup.h"
#include "uuid.h"

/* The first usage error wins; the parse then stops. */
static void
draft_usage(struct draft *dr, const char *msg)
{
	const char	*copy;

	if (dr->usage != NULL)
		return;
	copy = arena_strdup(&dr->a, msg);
	dr->usage = copy != NULL ? copy : "mémoire insuffisante";
}

/* "inconnue", or nothing: a residence nobody knows. */
static int
draft_unknown_residence(const char *v)
{
	static const char *const words[] = { "", "inconnue", "inconnu", "?" };
	size_t	 i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(v, words[i]) == 0)
			return 1;
	return 0;
}

static void
draft_refuse(struct draft *dr, const char *flag, const char *why)
{
	char	 msg[700];

	if (dr->refusal != NULL)
		return;
	snprintf(msg, sizeof(msg), "%s : %s", flag, why);
	dr->refusal = arena_strdup(&dr->a, msg);
}

/* A vocabulary word as typed, stored as its keyword. */
static const char *
draft_word(struct draft *dr, const char *flag, enum cat_vocab v,
    const char *text)
{
	const struct catalogue	*c = dr->cat;
	char			 err[600];
	int			 w;

	if (text[0] == '\0')
		return text;	/* validation says it is missing */
	if ((w = lookup_word(c, v, text, err, sizeof(err))) < 0) {
		draft_refuse(dr, flag, err);
		return text;
	}
	return c->words[v][w].keyword;
}

/* A commune as typed (code or name), stored as its INSEE code. */
static const char *
draft_commune(struct draft *dr, const char *flag, const char *text)
{
	const struct cat_commune	*m;
	char				 err[600];

	if (text[0] == '\0')
		return text;
	if ((m = lookup_commune(dr->cat, text, err, sizeof(err))) == NULL) {
		draft_refuse(dr, flag, err);
		return text;
	}
	return m->code;
}

/* CAT:N[:COMMUNE] or, for a person, CAT:ID[:COMMUNE]. */
static void
draft_group(struct draft *dr, const char *flag, const char *v,
    const uint8_t *key, struct group *g)
{
	char	*copy = arena_strdup(&dr->a, v), *p, *q, *end, msg[300];
	uint8_t	*tok;

	if (copy == NULL || (p = strchr(copy, ':')) == NULL) {
		snprintf(msg, sizeof(msg), "groupe « %s » invalide : attendu "
		    "CATEGORIE:%s[:COMMUNE]", v, key ? "IDENTIFIANT" :
		    "EFFECTIF");
		draft_usage(dr, msg);
		return;
	}
	*p++ = '\0';
	if ((q = strchr(p, ':')) != NULL)
		*q++ = '\0';
	g->category = draft_word(dr, flag, VOCAB_CATEGORY, copy);
	g->residence = q == NULL || draft_unknown_residence(q) ? NULL :
	    draft_commune(dr, flag, q);
	g->has_count = 1;
	if (key != NULL) {
		if ((tok = arena_alloc(&dr->a, PERSON_TOKEN_LEN)) == NULL) {
			draft_usage(dr, "mémoire insuffisante");
			return;
		}
		person_token(key, p, tok);
		g->person = tok;
		g->person_len = PERSON_TOKEN_LEN;
		g->count = 1;
		return;
	}
	g->count = strtoll(p, &end, 10);
	if (*p == '\0' || *end != '\0') {
		snprintf(msg, sizeof(msg), "effectif « %s » invalide dans "
		    "« %s » : attendu un nombre entier", p, v);
		draft_usage(dr, msg);
	}
}

/* One flag of a record; v is NULL for --service, which takes no value. */
struct draft_flag {
	const char	*name;
	int		 takes_value;
	void		(*apply)(struct draft *, const char *, const char *);
};

static void
draft_id(struct draft *dr, const char *f, const char *v)
{
	char	 err[300];

	dr->have_id = 1;
	if (uuid_parse(v, dr->it.id) == -1) {
		snprintf(err, sizeof(err), "%s « %s » invalide : attendu un "
		    "UUID", f, v);
		draft_usage(dr, err);
	}
}

static void
draft_action(struct draft *dr, const char *f, const char *v)
{
	const struct cat_sheet	*s;
	struct record		*r = &dr->it.rec;
	char			 err[600];

	if ((s = lookup_sheet(dr->cat, v, err, sizeof(err))) == NULL)
		draft_refuse(dr, f, err);
	r->sheets[r->nsheets++] = s != NULL ? s->code : v;
}

static void
draft_service(struct draft *dr, const char *f, const char *v)
{
	(void)f;
	(void)v;
	dr->service = 1;
}

static void
draft_activity(struct draft *dr, const char *f, const char *v)
{
	dr->it.rec.activity = draft_word(dr, f, VOCAB_ACTIVITY, v);
}

static void
draft_structure(struct draft *dr, const char *f, const char *v)
{
	dr->it.rec.structure = draft_word(dr, f, VOCAB_STRUCTURE, v);
}

static void
draft_commune_flag(struct draft *dr, const char *f, const char *v)
{
	dr->it.rec.commune = draft_commune(dr, f, v);
}

static void
draft_date(struct draft *dr, const char *f, const char *v)
{
	(void)f;
	dr->it.rec.date = v;
}

static void
draft_partner(struct draft *dr, const char *f, const char *v)
{
	(void)f;
	dr->it.rec.partners[dr->it.rec.npartners++] = v;
}

static void
draft_title(struct draft *dr, const char *f, const char *v)
{
	(void)f;
	dr->it.rec.title = v;
}

static void
draft_group_flag(struct draft *dr, const char *f, const char *v)
{
	draft_group(dr, f, v, NULL, &dr->it.rec.groups[dr->it.rec.ngroups++]);
}

static void
draft_person(struct draft *dr, const char *f, const char *v)
{
	char	 err[600], kbuf[4096];

	if (!dr->have_key && person_key_load(person_key_path(dr->key_flag,
	    kbuf, sizeof(kbuf)), dr->key, err, sizeof(err)) == -1) {
		draft_usage(dr, err);
		return;
	}
	dr->have_key = 1;
	draft_group(dr, f, v, dr->key, &dr->it.rec.groups[dr->it.rec.ngroups++]);
}

static const struct draft_flag draft_flags[] = {
	{ "--id", 1, draft_id },
	{ "--action", 1, draft_action },
	{ "--service", 0, draft_service },
	{ "--activity", 1, draft_activity },
	{ "--date", 1, draft_date },
	{ "--commune", 1, draft_commune_flag },
	{ "--structure", 1, draft_structure },
	{ "--group", 1, draft_group_flag },
	{ "--person", 1, draft_person },
	{ "--partner", 1, draft_partner },
	{ "--title", 1, draft_title },
};

int
draft_parse(struct draft *dr, const struct catalogue *cat,
    const char *key_flag, int argc, char **argv)
{
	struct record	*r = &dr->it.rec;
	char		 err[300];
	size_t		 k;
	int		 i;

	memset(dr, 0, sizeof(*dr));
	dr->cat = cat;
	dr->key_flag = key_flag;
	r->sheets = arena_alloc(&dr->a, ((size_t)argc + 1) * sizeof(*r->sheets));
	r->partners = arena_alloc(&dr->a, ((size_t)argc + 1) *
	    sizeof(*r->partners));
	r->groups = arena_alloc(&dr->a, ((size_t)argc + 1) * sizeof(*r->groups));
	if (r->sheets == NULL || r->partners == NULL || r->groups == NULL ||
	    uuid_v7(dr->it.id) == -1) {
		draft_usage(dr, "mémoire insuffisante");
		return -1;
	}
	for (i = 0; i < argc && dr->usage == NULL; i++) {
		for (k = 0; k < sizeof(draft_flags) / sizeof(draft_flags[0]) &&
		    strcmp(argv[i], draft_flags[k].name) != 0; k++)
			;
		if (k == sizeof(draft_flags) / sizeof(draft_flags[0])) {
			snprintf(err, sizeof(err), "option inconnue « %s » "
			    "(voir ctg-submit --help)", argv[i]);
			draft_usage(dr, err);
			break;
		}
		if (draft_flags[k].takes_value && i + 1 >= argc) {
			snprintf(err, sizeof(err), "%s attend une valeur (voir "
			    "ctg-submit --help)", argv[i]);
			draft_usage(dr, err);
			break;
		}
		draft_flags[k].apply(dr, argv[i], draft_flags[k].takes_value ?
		    argv[i + 1] : NULL);
		i += draft_flags[k].takes_value;
	}
	r->id = dr->it.id;
	r->id_len = RECORD_ID_LEN;
	return dr->usage != NULL ? -1 : 0;
}

void
draft_free(struct draft *dr)
{
	arena_free(&dr->a);
}

