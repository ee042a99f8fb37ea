/*
 * validate.c — what a record must look like before it is stored.
 *
 * The record-level text fields are checked by walking one table; groups,
 * sheets and partners by short loops over the same field checks.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "validate.h"

#define VALIDATE_SHOWN	40	/* bytes of an offending value quoted back */

enum field_kind {
	FIELD_KEYWORD,
	FIELD_INSEE,
	FIELD_DATE,
	FIELD_TEXT,
};

struct field_rule {
	const char	*label;		/* French, as the user knows the field */
	size_t		 offset;
	enum field_kind	 kind;
	int		 required;
	size_t		 maxlen;
	const char	*expected;	/* French */
};

static const struct field_rule validate_fields[] = {
	{ "activité", offsetof(struct record, activity), FIELD_KEYWORD, 1, 40,
	  "un mot-clé comme accueil, atelier ou chantier" },
	{ "date", offsetof(struct record, date), FIELD_DATE, 1, 10,
	  "une date AAAA-MM-JJ" },
	{ "commune", offsetof(struct record, commune), FIELD_INSEE, 1, 5,
	  "un code INSEE à 5 caractères comme 46201" },
	{ "structure", offsetof(struct record, structure), FIELD_KEYWORD, 1, 40,
	  "un mot-clé comme ripe ou alsh-montcuq" },
	{ "titre", offsetof(struct record, title), FIELD_TEXT, 0, 500,
	  "un texte d'au plus 500 octets, sans caractère de contrôle" },
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

/* The value as it may be quoted back: short, printable ASCII or UTF-8. */
static void
validate_quote(const char *s, char *out, size_t outlen)
{
	size_t	 i, o = 0;

	for (i = 0; s[i] != '\0' && o + 4 < outlen && i < VALIDATE_SHOWN; i++)
		out[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    '?' : s[i];
	if (s[i] != '\0' && o + 4 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static const char *
validate_fail(struct arena *a, const char *fmt, const char *label,
    const char *value, const char *expected)
{
	char	 shown[VALIDATE_SHOWN * 2 + 8], buf[512];

	validate_quote(value == NULL ? "" : value, shown, sizeof(shown));
	snprintf(buf, sizeof(buf), fmt, label, shown, expected);
	return arena_strdup(a, buf);
}

static int
validate_field(const struct field_rule *f, const char *s,
    const struct validate_ctx *ctx)
{
	int64_t	 day;

	switch (f->kind) {
	case FIELD_KEYWORD:
		return validate_keyword(s);
	case FIELD_INSEE:
		return validate_insee(s);
	case FIELD_DATE:
		return date_parse(s, &day) == 0 && day >= ctx->first_day &&
		    day <= ctx->last_day;
	case FIELD_TEXT:
		return validate_text(s, f->maxlen);
	}
	return 0;
}

static const char *
validate_group(const struct group *g, size_t n, struct arena *a)
{
	char	 label[64];

	snprintf(label, sizeof(label), "groupe %zu", n + 1);
	if (g->category == NULL || !validate_keyword(g->category))
		return validate_fail(a, "%s : catégorie « %s » invalide : "
		    "attendu %s", label, g->category,
		    "un mot-clé comme parent, enfant, ama ou jeune");
	if (g->residence != NULL && g->residence[0] != '\0' &&
	    !validate_insee(g->residence))
		return validate_fail(a, "%s : commune de résidence « %s » "
		    "invalide : attendu %s", label, g->residence,
		    "un code INSEE à 5 caractères, ou rien si inconnue");
	if (!g->has_count)
		return validate_fail(a, "%s : effectif absent%s : attendu %s",
		    label, "", "un nombre entier de 0 à 100000");
	if (g->count < 0 || g->count > VALIDATE_MAX_COUNT) {
		char	 num[32];

		snprintf(num, sizeof(num), "%lld", (long long)g->count);
		return validate_fail(a, "%s : effectif « %s » hors limites : "
		    "attendu %s", label, num,
		    "un nombre entier de 0 à 100000");
	}
	if (g->person != NULL && g->person_len != PERSON_TOKEN_LEN)
		return validate_fail(a, "%s : jeton de personne invalide%s : "
		    "attendu %s", label, "", "32 octets (HMAC-SHA256)");
	if (g->person != NULL && g->count != 1)
		return validate_fail(a, "%s : une personne identifiée%s compte "
		    "pour %s", label, "", "un effectif de 1");
	return NULL;
}

const char *
validate_record(const struct record *r, const struct validate_ctx *ctx,
    struct arena *a)
{
	const struct field_rule	*f;
	const char		*s, *why;
	size_t			 i;

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
		if (!validate_field(f, s, ctx))
			return validate_fail(a, "%s « %s » invalide : "
			    "attendu %s", f->label, s, f->kind == FIELD_DATE ?
			    "une date AAAA-MM-JJ réelle, entre le début de la "
			    "convention (2020-01-01) et demain" : f->expected);
	}
	if (r->nsheets > VALIDATE_MAX_SHEETS)
		return "trop de fiches actions pour un enregistrement "
		    "(16 au plus)";
	for (i = 0; i < r->nsheets; i++)
		if (r->sheets[i] == NULL || !validate_sheet(r->sheets[i]))
			return validate_fail(a, "%s « %s » invalide : "
			    "attendu %s", "fiche action", r->sheets[i],
			    "un code comme III.A.17 ou un numéro de 1 à 46");
	if (r->ngroups > VALIDATE_MAX_GROUPS)
		return "trop de groupes de participants (1000 au plus)";
	for (i = 0; i < r->ngroups; i++)
		if ((why = validate_group(&r->groups[i], i, a)) != NULL)
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
validate_ctx_init(struct validate_ctx *ctx, int64_t today)
{
	date_parse(VALIDATE_FIRST_DAY, &ctx->first_day);
	ctx->last_day = today + 1;
}
