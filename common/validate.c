/*
 * validate.c — what a record must look like before it is stored.
 *
 * The record-level fields are checked by walking one table; groups, sheets
 * and partners by short loops over the same field checks. Keywords and
 * communes are checked against the catalogue.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "utf8.h"
#include "validate.h"

#define VALIDATE_SHOWN	40	/* bytes of an offending value quoted back */

enum field_kind {
	FIELD_KEYWORD,
	FIELD_COMMUNE,
	FIELD_DATE,
	FIELD_TEXT,
};

struct field_rule {
	const char	*label;		/* French, as the user knows the field */
	size_t		 offset;
	enum field_kind	 kind;
	enum cat_vocab	 vocab;		/* FIELD_KEYWORD */
	int		 required;
	size_t		 maxlen;
	const char	*expected;	/* French */
};

static const struct field_rule validate_fields[] = {
	{ "activité", offsetof(struct record, activity), FIELD_KEYWORD,
	  VOCAB_ACTIVITY, 1, 40, "un mot-clé comme accueil, atelier ou "
	  "chantier" },
	{ "date", offsetof(struct record, date), FIELD_DATE, 0, 1, 10,
	  "une date AAAA-MM-JJ réelle, entre le début de la convention "
	  "(2020-01-01) et demain" },
	{ "commune", offsetof(struct record, commune), FIELD_COMMUNE, 0, 1, 5,
	  "un code INSEE à 5 caractères comme 46201" },
	{ "structure", offsetof(struct record, structure), FIELD_KEYWORD,
	  VOCAB_STRUCTURE, 1, 40, "un mot-clé comme ripe ou alsh-montcuq" },
	{ "titre", offsetof(struct record, title), FIELD_TEXT, 0, 0, 500,
	  "un texte d'au plus 500 octets, sans caractère de contrôle" },
};

static const char *const vocab_words[VOCAB__COUNT] = {
	[VOCAB_ACTIVITY] = "activités",
	[VOCAB_CATEGORY] = "catégories",
	[VOCAB_STRUCTURE] = "structures",
};

int
validate_keyword(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > 40 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

int
validate_insee(const char *s)
{
	size_t	 i;

	if (strlen(s) != 5)
		return 0;
	if (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
		i = 2;
	else
		i = 0;
	for (; i < 5; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
validate_number(const char *s, int lo, int hi)
{
	int	 n = 0;

	if (*s == '\0' || strlen(s) > 3 || *s == '0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n >= lo && n <= hi;
}

/* "17" or "III.A.17": an axis I-V, an objective letter A-C, a sheet 1-46. */
int
validate_sheet(const char *s)
{
	static const char *const axes[] = { "I.", "II.", "III.", "IV.", "V." };
	size_t			 i, n;

	if (validate_number(s, 1, 46))
		return 1;
	for (i = 0; i < sizeof(axes) / sizeof(axes[0]); i++) {
		n = strlen(axes[i]);
		if (strncmp(s, axes[i], n) == 0 && s[n] >= 'A' &&
		    s[n] <= 'C' && s[n + 1] == '.')
			return validate_number(s + n + 2, 1, 46);
	}
	return 0;
}

/* Well-formed UTF-8 (no overlongs, no surrogates), no control characters. */
int
validate_text(const char *s, size_t maxlen)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, k, n;
	unsigned		 cp;

	if (len > maxlen)
		return 0;
	while (i < len) {
		unsigned char c = p[i];

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp < 0xa0))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* fmt takes three strings: the field's label, the value, what was expected. */
static const char *
validate_fail(struct arena *a, const char *fmt, const char *label,
    const char *value, const char *expected)
{
	char	 shown[VALIDATE_SHOWN + 4], buf[2048], out[1024];

	/* The value sanitized and cut on a character, the whole on one too. */
	value = value == NULL ? "" : value;
	utf8_excerpt(value, strlen(value), shown, sizeof(shown));
	snprintf(buf, sizeof(buf), fmt, label, shown, expected);
	utf8_excerpt(buf, strlen(buf), out, sizeof(out));
	/* NULL would say "valid": out of memory, the record is still refused. */
	if ((value = arena_strdup(a, out)) == NULL)
		return "refusé : mémoire insuffisante pour en dire la raison";
	return value;
}

const char *
validate_bad_text(const char *field, const char *problem, struct arena *a)
{
	return validate_fail(a, "champ %s : %s : attendu %s", field, problem,
	    "un texte UTF-8 sans octet nul ni caractère de contrôle");
}

/* A keyword of a vocabulary, or the reason it is not. */
static const char *
validate_word(const struct validate_ctx *ctx, enum cat_vocab v,
    const char *label, const char *s, struct arena *a)
{
	char	 list[1024];

	if (validate_keyword(s) && catalogue_word(ctx->cat, v, s) != -1)
		return NULL;
	snprintf(list, sizeof(list), "l'une des %s du plan : ", vocab_words[v]);
	catalogue_words_list(ctx->cat, v, 0, list + strlen(list),
	    sizeof(list) - strlen(list));
	return validate_fail(a, "%s « %s » inconnue : attendu %s", label, s,
	    list);
}

/* A code of the communes referential, or the reason it is not. */
static const char *
validate_commune(const struct validate_ctx *ctx, const char *label,
    const char *s, struct arena *a)
{
	if (!validate_insee(s))
		return validate_fail(a, "%s « %s » invalide : attendu %s",
		    label, s, "un code INSEE à 5 caractères comme 46201");
	if (catalogue_commune(ctx->cat, s) == NULL)
		return validate_fail(a, "%s « %s » inconnue du référentiel "
		    "des communes : attendu %s", label, s, "un code INSEE "
		    "officiel, actuel ou ancien, comme 46201 pour "
		    "Montcuq-en-Quercy-Blanc");
	return NULL;
}

static const char *
validate_field(const struct field_rule *f, const char *s,
    const struct validate_ctx *ctx, struct arena *a)
{
	int64_t	 day;

	switch (f->kind) {
	case FIELD_KEYWORD:
		return validate_word(ctx, f->vocab, f->label, s, a);
	case FIELD_COMMUNE:
		return validate_commune(ctx, f->label, s, a);
	case FIELD_DATE:
		if (date_parse(s, &day) == 0 && day >= ctx->first_day &&
		    day <= ctx->last_day)
			return NULL;
		break;
	case FIELD_TEXT:
		if (validate_text(s, f->maxlen))
			return NULL;
		break;
	}
	return validate_fail(a, "%s « %s » invalide : attendu %s", f->label,
	    s, f->expected);
}

static const char *
validate_group(const struct group *g, size_t n,
    const struct validate_ctx *ctx, struct arena *a)
{
	const char	*why;
	char		 label[64], num[32];

	snprintf(label, sizeof(label), "groupe %zu : catégorie", n + 1);
	if (g->category == NULL || g->category[0] == '\0')
		return validate_fail(a, "%s absente%s : attendu %s", label, "",
		    "un mot-clé comme parent, enfant, ama ou jeune");
	if ((why = validate_word(ctx, VOCAB_CATEGORY, label, g->category,
	    a)) != NULL)
		return why;
	snprintf(label, sizeof(label), "groupe %zu : commune de résidence",
	    n + 1);
	if (g->residence != NULL && g->residence[0] != '\0' &&
	    (why = validate_commune(ctx, label, g->residence, a)) != NULL)
		return why;
	snprintf(label, sizeof(label), "groupe %zu : effectif", n + 1);
	if (!g->has_count)
		return validate_fail(a, "%s absent%s : attendu %s", label, "",
		    "un nombre entier de 0 à 100000");
	if (g->count < 0 || g->count > VALIDATE_MAX_COUNT) {
		snprintf(num, sizeof(num), "%lld", (long long)g->count);
		return validate_fail(a, "%s « %s » hors limites : attendu %s",
		    label, num, "un nombre entier de 0 à 100000");
	}
	snprintf(label, sizeof(label), "groupe %zu : personne", n + 1);
	if (g->person != NULL && g->person_len != PERSON_TOKEN_LEN)
		return validate_fail(a, "%s : jeton invalide%s : attendu %s",
		    label, "", "32 octets (HMAC-SHA256)");
	if (g->person != NULL && g->count != 1)
		return validate_fail(a, "%s : une personne identifiée%s compte "
		    "pour %s", label, "", "un effectif de 1");
	return NULL;
}

int
validate_sheets(const struct catalogue *cat, const char **sheets,
    size_t *n, size_t *bad)
{
	const struct cat_sheet	*s;
	size_t			 i, j, out = 0;

	for (i = 0; i < *n; i++) {
		if (sheets[i] == NULL || !validate_sheet(sheets[i]) ||
		    (s = catalogue_sheet(cat, sheets[i])) == NULL) {
			*bad = i;
			return -1;
		}
		for (j = 0; j < out && sheets[j] != s->code; j++)
			;
		if (j == out)
			sheets[out++] = s->code;
	}
	*n = out;
	return 0;
}

static const char *
validate_record_sheets(struct record *r, const struct validate_ctx *ctx,
    struct arena *a)
{
	const struct cat_sheet	*s;
	char			 list[512], label[64];
	size_t			 i, bad;
	int			 act;

	if (r->nsheets > VALIDATE_MAX_SHEETS)
		return "trop de fiches actions pour un enregistrement "
		    "(16 au plus)";
	if (validate_sheets(ctx->cat, r->sheets, &r->nsheets, &bad) == -1)
		return validate_fail(a, "%s « %s » inconnue : attendu %s",
		    "fiche action", r->sheets[bad], "un code du plan comme "
		    "III.A.17 ou un numéro de 1 à 46");
	act = catalogue_word(ctx->cat, VOCAB_ACTIVITY, r->activity);
	for (i = 0; i < r->nsheets; i++) {
		s = catalogue_sheet(ctx->cat, r->sheets[i]);
		if (catalogue_sheet_accepts(s, act))
			continue;
		snprintf(label, sizeof(label), "la fiche %s", s->code);
		catalogue_words_list(ctx->cat, VOCAB_ACTIVITY, s->activities,
		    list, sizeof(list));
		return validate_fail(a, "%s n'accepte pas l'activité « %s » : "
		    "attendu l'une de %s", label, r->activity, list);
	}
	return NULL;
}

const char *
validate_record(struct record *r, const struct validate_ctx *ctx,
    struct arena *a)
{
	const struct field_rule	*f;
	const char		*s, *why;
	size_t			 i;

	/* It is not what was sent: nothing else is worth saying. */
	if (r->refusal != NULL)
		return r->refusal;
	if (r->bad_field != NULL)
		return validate_bad_text(r->bad_field, r->bad_text, a);
	if (r->id == NULL)
		return "identifiant d'enregistrement absent : chaque "
		    "enregistrement porte un identifiant de 16 octets";
	if (r->id_len != RECORD_ID_LEN)
		return "identifiant d'enregistrement invalide : attendu "
		    "16 octets (UUID)";
	for (i = 0; i < sizeof(validate_fields) / sizeof(*f); i++) {
		f = &validate_fields[i];
		s = *(const char *const *)((const char *)r + f->offset);
		if (s == NULL || s[0] == '\0') {
			if (!f->required)
				continue;
			return validate_fail(a, "%s absente%s : attendu %s",
			    f->label, "", f->expected);
		}
		if ((why = validate_field(f, s, ctx, a)) != NULL)
			return why;
	}
	if ((why = validate_record_sheets(r, ctx, a)) != NULL)
		return why;
	if (r->ngroups > VALIDATE_MAX_GROUPS)
		return "trop de groupes de participants (1000 au plus)";
	for (i = 0; i < r->ngroups; i++)
		if ((why = validate_group(&r->groups[i], i, ctx, a)) != NULL)
			return why;
	if (r->npartners > VALIDATE_MAX_PARTNERS)
		return "trop de partenaires (64 au plus)";
	for (i = 0; i < r->npartners; i++)
		if (r->partners[i] == NULL || r->partners[i][0] == '\0' ||
		    !validate_text(r->partners[i], 200))
			return validate_fail(a, "%s « %s » invalide : "
			    "attendu %s", "partenaire", r->partners[i],
			    "un nom d'au plus 200 octets");
	return NULL;
}

void
validate_ctx_init(struct validate_ctx *ctx, const struct catalogue *cat,
    int64_t today)
{
	ctx->cat = cat;
	date_parse(VALIDATE_FIRST_DAY, &ctx->first_day);
	ctx->last_day = today + 1;
}

const char *
validate_void(const uint8_t *id, size_t idlen, const char *reason,
    struct arena *a)
{
	if (id == NULL || idlen != RECORD_ID_LEN)
		return "identifiant d'enregistrement absent ou invalide : "
		    "attendu 16 octets (UUID)";
	if (reason == NULL || reason[0] == '\0')
		return "motif d'annulation absent : dites pourquoi "
		    "l'enregistrement est annulé";
	if (!validate_text(reason, 500))
		return validate_fail(a, "%s « %s » invalide : attendu %s",
		    "motif", reason, "un texte d'au plus 500 octets, sans "
		    "caractère de contrôle");
	return NULL;
}

const char *
validate_evidence(const struct evidence *e, const struct validate_ctx *ctx,
    struct arena *a)
{
	int64_t	 day;
	size_t	 i;

	if (e->id == NULL || e->id_len != RECORD_ID_LEN)
		return "identifiant de l'élément absent ou invalide : attendu "
		    "16 octets (UUID)";
	for (i = 0; e->indicator != NULL && i < ctx->cat->nindicators; i++)
		if (strcmp(ctx->cat->indicators[i].id, e->indicator) == 0)
			break;
	if (e->indicator == NULL || i == ctx->cat->nindicators)
		return validate_fail(a, "%s « %s » inconnu : attendu %s",
		    "indicateur", e->indicator, "un identifiant du catalogue "
		    "comme I.B.6/res/2 (voir ctg-query sheet)");
	if (e->date == NULL || date_parse(e->date, &day) == -1 ||
	    day < ctx->first_day || day > ctx->last_day)
		return validate_fail(a, "%s « %s » invalide : attendu %s",
		    "date", e->date, "une date AAAA-MM-JJ réelle, entre le "
		    "début de la convention (2020-01-01) et demain");
	if (e->state == NULL || (strcmp(e->state, "en cours") != 0 &&
	    strcmp(e->state, "réalisé") != 0))
		return validate_fail(a, "%s « %s » invalide : attendu %s",
		    "état", e->state, EVIDENCE_STATES);
	if (e->text == NULL || e->text[0] == '\0' ||
	    !validate_text(e->text, 2000))
		return validate_fail(a, "%s « %s » invalide : attendu %s",
		    "texte", e->text, "un texte de 1 à 2000 octets, sans "
		    "caractère de contrôle");
	if (e->reference != NULL && !validate_text(e->reference, 500))
		return validate_fail(a, "%s « %s » invalide : attendu %s",
		    "référence", e->reference, "un texte d'au plus 500 "
		    "octets");
	return NULL;
}
