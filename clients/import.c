/*
 * import.c — from spreadsheet rows to records, problems kept per record.
 *
 * Three passes: each row is read on its own into normalised values (words
 * resolved, dates and counts in one spelling), rows are gathered into
 * records, and records without a UUID get an id derived from their
 * normalised content. Nothing of the file's spelling (encoding, separator,
 * header names, column order, date format) reaches an id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "import.h"
#include "lookup.h"
#include "record.h"
#include "utf8.h"
#include "uuid.h"
#include "validate.h"

enum import_col {
	COL_RECORD_ID,
	COL_ACTION,
	COL_ACTIVITY,
	COL_DATE,
	COL_COMMUNE,
	COL_STRUCTURE,
	COL_CATEGORY,
	COL_RESIDENCE,
	COL_COUNT,
	COL_PARTNERS,
	COL_TITLE,
	COL_PERSON,
	COL__COUNT
};

#define IMPORT_MAX_ALIASES	8

/*
 * The columns of format v1 and the names a person gives them, compared
 * folded (utf8_fold: case, accents, spaces and punctuation ignored).
 */
static const struct {
	const char	*name;
	int		 required;
	int		 record_level;	/* must agree across a record's rows */
	const char	*aliases[IMPORT_MAX_ALIASES];
} import_cols[COL__COUNT] = {
	[COL_RECORD_ID] = { "record_id", 0, 0,
	    { "id", "identifiant", "cle", "reference", "numero" } },
	[COL_ACTION] = { "action", 1, 1,
	    { "actions", "fiche", "fiches", "ficheaction", "fichesactions",
	      "fichesaction" } },
	[COL_ACTIVITY] = { "activity", 1, 1,
	    { "activite", "typedactivite", "type" } },
	[COL_DATE] = { "date", 1, 1, { "jour", "datedelactivite" } },
	[COL_COMMUNE] = { "commune", 1, 1,
	    { "lieu", "communedulieu", "communelieu", "communedaccueil" } },
	[COL_STRUCTURE] = { "structure", 1, 1, { "service", "porteur" } },
	[COL_CATEGORY] = { "category", 1, 0,
	    { "categorie", "public", "publics", "categoriedepublic" } },
	[COL_RESIDENCE] = { "residence", 1, 0,
	    { "communederesidence", "origine", "provenance", "habitede" } },
	[COL_COUNT] = { "count", 1, 0,
	    { "effectif", "effectifs", "nombre", "nb", "participants",
	      "nombredeparticipants" } },
	[COL_PARTNERS] = { "partners", 1, 1, { "partenaires", "partenaire" } },
	[COL_TITLE] = { "title", 1, 1, { "titre", "intitule", "libelle" } },
	[COL_PERSON] = { "person", 0, 0,
	    { "personne", "identifiantpersonne" } },
};

/* Residence words that mean "unknown", folded. */
static const char *const import_unknown[] = { "inconnue", "inconnu", "nc" };

/* One data row, read on its own. */
struct import_row {
	size_t		 line;
	const char	*key;		/* record_id as written; "" when none */
	int		 has_uuid;
	uint8_t		 uuid[RECORD_ID_LEN];
	/* Record-level values, normalised where they could be. */
	const char	*level[COL__COUNT];
	const char	**sheets;
	size_t		 nsheets;
	const char	**partners;
	size_t		 npartners;
	struct group	 group;
	const char	*error;		/* its first problem, French */
};

/* Open addressing over byte keys (ids, digests); values are indexes. */
struct import_map {
	const uint8_t	**keys;
	size_t		 *vals;
	size_t		  cap, klen;
};

static int
import_map_init(struct import_map *m, size_t n, size_t klen)
{
	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->klen = klen;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->vals = calloc(m->cap, sizeof(*m->vals));
	return m->keys == NULL || m->vals == NULL ? -1 : 0;
}

static void
import_map_free(struct import_map *m)
{
	free(m->keys);
	free(m->vals);
}

/* The slot of key: holding it, or empty where it would go. */
static size_t
import_map_slot(const struct import_map *m, const uint8_t *key)
{
	uint64_t	 h = 1469598103934665603ULL;
	size_t		 i;

	for (i = 0; i < m->klen; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	for (i = h & (m->cap - 1); m->keys[i] != NULL &&
	    memcmp(m->keys[i], key, m->klen) != 0; i = (i + 1) & (m->cap - 1))
		;
	return i;
}

static char *
import_trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* A value of the file quoted in a message: cleaned, cut on a character. */
static const char *
import_quote(char out[64], const char *v)
{
	utf8_excerpt(v, strlen(v), out, 64);
	return out;
}

#define IMPORT_QUOTE(v)	import_quote((char[64]){ 0 }, (v))

/* The column a header name stands for, or -1. */
static int
import_column(const char *name)
{
	char	 folded[128], alias[128];
	int	 c, k;

	utf8_fold(name, folded, sizeof(folded));
	for (c = 0; c < COL__COUNT; c++) {
		utf8_fold(import_cols[c].name, alias, sizeof(alias));
		if (strcmp(folded, alias) == 0)
			return c;
		for (k = 0; k < IMPORT_MAX_ALIASES &&
		    import_cols[c].aliases[k] != NULL; k++)
			if (strcmp(folded, import_cols[c].aliases[k]) == 0)
				return c;
	}
	return -1;
}

#define IMPORT_FORMAT	"(format d'import v1, séparé par « ; » : record_id;" \
	"action;activity;date;commune;structure;category;residence;count;" \
	"partners;title;person — ou leurs noms français : identifiant, fiche, " \
	"activité, date, lieu, structure, public, résidence, effectif, " \
	"partenaires, titre, personne ; identifiant et personne peuvent " \
	"manquer)"

/*
 * Maps the header's names to columns; *ncols is how many columns the rows
 * have, trailing nameless ones (as spreadsheets leave) aside.
 */
static int
import_header(struct import *im, const struct csv_row *h,
    int cols[COL__COUNT], const char *names[COL__COUNT], size_t *ncols,
    char *err, size_t errlen)
{
	char	 ignored[600] = "";
	size_t	 i, o = 0, nignored = 0;
	int	 c;

	for (c = 0; c < COL__COUNT; c++) {
		cols[c] = -1;
		names[c] = import_cols[c].name;
	}
	for (*ncols = h->nfields; *ncols > 0 &&
	    import_trim(h->fields[*ncols - 1])[0] == '\0'; (*ncols)--)
		;
	for (i = 0; i < *ncols; i++) {
		const char *name = import_trim(h->fields[i]);

		if (name[0] == '\0') {
			snprintf(err, errlen, "ligne 1 : la colonne %zu n'a pas de "
			    "nom %s", i + 1, IMPORT_FORMAT);
			return -1;
		}
		if ((c = import_column(name)) == -1) {
			/* A column of the user's own (remarks...): said, left. */
			if (o < sizeof(ignored))
				o += (size_t)snprintf(ignored + o,
				    sizeof(ignored) - o, "%s« %s »",
				    nignored ? ", " : "", IMPORT_QUOTE(name));
			nignored++;
			continue;
		}
		if (cols[c] != -1) {
			snprintf(err, errlen, "ligne 1 : colonne « %s » présente "
			    "deux fois (« %s » et « %s »)", import_cols[c].name,
			    names[c], IMPORT_QUOTE(name));
			return -1;
		}
		cols[c] = (int)i;
		names[c] = name;
	}
	for (c = 0; c < COL__COUNT; c++)
		if (cols[c] == -1 && import_cols[c].required) {
			snprintf(err, errlen, "ligne 1 : colonne « %s » absente%s%s"
			    "%s %s", import_cols[c].name, nignored ? " (colonnes "
			    "non reconnues : " : "", nignored ? ignored : "",
			    nignored ? ")" : "", IMPORT_FORMAT);
			return -1;
		}
	if (nignored > 0)
		im->note = arena_printf(&im->arena, "colonne%s ignorée%s, hors du "
		    "format d'import : %s\n", nignored > 1 ? "s" : "",
		    nignored > 1 ? "s" : "", ignored);
	return 0;
}

int
import_needs_key(const struct csv_table *t)
{
	size_t	 i;

	for (i = 0; t->nrows > 0 && i < t->rows[0].nfields; i++)
		if (import_column(t->rows[0].fields[i]) == COL_PERSON)
			return 1;
	return 0;
}

static const char *
import_field(const struct csv_row *r, const int cols[COL__COUNT],
    enum import_col c)
{
	if (cols[c] == -1 || (size_t)cols[c] >= r->nfields)
		return "";
	return import_trim(r->fields[cols[c]]);
}

/* Splits a comma-separated list into the arena; empty items are dropped. */
static const char **
import_list(struct arena *a, const char *s, size_t *n)
{
	const char	**v;
	char		 *copy, *p, *tok;
	size_t		  max = 1;

	for (p = (char *)s; *p != '\0'; p++)
		max += *p == ',';
	*n = 0;
	if ((v = arena_alloc(a, max * sizeof(*v))) == NULL ||
	    (copy = arena_strdup(a, s)) == NULL)
		return NULL;
	for (tok = strtok_r(copy, ",", &p); tok != NULL;
	    tok = strtok_r(NULL, ",", &p))
		if (*(tok = import_trim(tok)) != '\0')
			v[(*n)++] = tok;
	return v;
}

/* "ligne N, colonne « Name » : <why>" into the arena. */
static const char *
import_problem(struct arena *a, size_t line, const char *column,
    const char *why)
{
	char	 buf[600];

	snprintf(buf, sizeof(buf), "ligne %zu, colonne « %s » : %s", line,
	    column, why);
	return arena_strdup(a, buf);
}

/*
 * A date as spreadsheets write it — AAAA-MM-JJ, JJ/MM/AAAA, J/M/AAAA or
 * JJ/MM/AA (a French LibreOffice's short date; years 20AA), optionally
 * followed by a time of day that does not count — written as YYYY-MM-DD
 * into out. Returns 0, or -1 with *why when it is no calendar date.
 */
static int
import_date(const char *s, char out[11], const char **why)
{
	unsigned	 d, m, y;
	int		 n = 0;
	int64_t		 days;
	char		 iso[32];

	*why = "attendu JJ/MM/AAAA (06/11/2026), JJ/MM/AA ou AAAA-MM-JJ";
	if (strlen(s) >= 10 && s[4] == '-' && (s[10] == '\0' || s[10] == ' ' ||
	    s[10] == 'T')) {
		memcpy(iso, s, 10);
		iso[10] = '\0';
	} else if (sscanf(s, "%2u/%2u/%4u%n", &d, &m, &y, &n) == 3 &&
	    (s[n] == '\0' || s[n] == ' ') && s[0] >= '0' && s[0] <= '9' &&
	    (s[n - 3] == '/' || s[n - 5] == '/')) {
		if (s[n - 3] == '/')
			y += 2000;
		if (m > 12) {
			*why = "il n'y a pas de mois au-delà de 12 : attendu "
			    "JJ/MM/AAAA";
			return -1;
		}
		snprintf(iso, sizeof(iso), "%04u-%02u-%02u", y, m, d);
	} else
		return -1;
	if (date_parse(iso, &days) == -1)
		return -1;
	memcpy(out, iso, 11);
	return 0;
}

/*
 * Why a real date cannot be an activity's, or NULL: before the convention,
 * or after tomorrow (activities are recorded once they took place).
 */
static const char *
import_date_outside(const char *iso, int64_t today)
{
	int64_t	 d, first;

	if (date_parse(iso, &d) == -1 ||
	    date_parse(VALIDATE_FIRST_DAY, &first) == -1)
		return NULL;
	if (d < first)
		return "avant le début de la convention (01/01/2020)";
	if (d > today + 1)
		return "dans le futur : une activité s'enregistre une fois "
		    "passée (au plus tard le lendemain)";
	return NULL;
}

/*
 * The line of the first date of the file that can only be month first
 * (« 11/15/26 »: no 15th month), or 0. A spreadsheet set in English
 * writes every date so; read day first, the others would be wrong. A file
 * that also holds a date only day first can be (« 15/11/26 ») is not
 * month first: its odd date is a slip, refused on its own.
 */
static size_t
import_month_first(const struct csv_table *t, const int cols[COL__COUNT])
{
	unsigned	 a, b, y;
	size_t		 i, first = 0;

	if (cols[COL_DATE] == -1)
		return 0;
	for (i = 1; i < t->nrows; i++) {
		const struct csv_row	*r = &t->rows[i];
		const char		*s;

		if ((size_t)cols[COL_DATE] >= r->nfields)
			continue;
		s = r->fields[cols[COL_DATE]];
		while (*s == ' ')
			s++;
		if (sscanf(s, "%2u/%2u/%4u", &a, &b, &y) != 3)
			continue;
		if (a > 12 && a <= 31 && b >= 1 && b <= 12)
			return 0;
		if (first == 0 && a >= 1 && a <= 12 && b > 12 && b <= 31)
			first = r->line;
	}
	return first;
}

/*
 * A whole number as a person writes it: "12", "1 200" (with spaces or the
 * no-break spaces of French number formats between digit groups), "-3".
 */
static int
import_count(const char *s, int64_t *out)
{
	static const char *const gaps[] = { " ", "\xc2\xa0", "\xe2\x80\xaf" };
	char		 digits[32], *end;
	size_t		 o = 0, g, glen;
	int		 gap;

	while (*s != '\0') {
		for (g = 0, gap = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
			glen = strlen(gaps[g]);
			if (o > 0 && strncmp(s, gaps[g], glen) == 0) {
				s += glen;
				gap = 1;
				break;
			}
		}
		if (gap)
			continue;
		if (o + 1 >= sizeof(digits))
			return -1;
		digits[o++] = *s++;
	}
	digits[o] = '\0';
	if (o == 0)
		return -1;
	*out = strtoll(digits, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/*
 * Resolves one word column of a row through lookup; returns the canonical
 * keyword, or the text as written with *why set.
 */
static const char *
import_word(struct import *im, const struct catalogue *cat, enum cat_vocab v,
    const char *text, const char **why)
{
	char	 err[400];
	int	 w;

	if (cat == NULL || text[0] == '\0')
		return text;
	if ((w = lookup_word(cat, v, text, err, sizeof(err))) < 0) {
		if (*why == NULL)
			*why = arena_strdup(&im->arena, err);
		return text;
	}
	return cat->words[v][w].keyword;
}

/* A commune column: "" stays "", a name or code becomes the code. */
static const char *
import_commune(struct import *im, const struct catalogue *cat,
    const char *text, int residence, const char **why)
{
	const struct cat_commune	*m;
	char				 folded[64], err[400];
	size_t				 i;

	if (residence) {
		utf8_fold(text, folded, sizeof(folded));
		for (i = 0; i < sizeof(import_unknown) /
		    sizeof(import_unknown[0]); i++)
			if (strcmp(folded, import_unknown[i]) == 0)
				return "";
	}
	if (cat == NULL || text[0] == '\0')
		return text;
	if ((m = lookup_commune(cat, text, err, sizeof(err))) == NULL) {
		if (*why == NULL)
			*why = arena_strdup(&im->arena, err);
		return text;
	}
	return m->code;
}

/* Reads one data row on its own: every value normalised, or the problem. */
static void
import_read_row(struct import *im, const struct catalogue *cat,
    const struct csv_row *r, const int cols[COL__COUNT],
    const char *names[COL__COUNT], size_t ncols, const uint8_t *key,
    size_t month_first, int64_t today, struct import_row *row)
{
	const char		*why = NULL, *count, *person, *date, *expected;
	const struct cat_sheet	*s;
	char			 iso[11], err[400];
	size_t			 i;
	int			 c, bad = -1;

	row->line = r->line;
	row->key = import_field(r, cols, COL_RECORD_ID);
	row->has_uuid = row->key[0] != '\0' &&
	    uuid_parse(row->key, row->uuid) == 0;
	for (c = 0; c < COL__COUNT; c++)
		row->level[c] = import_field(r, cols, c);
	if (r->nfields < ncols) {
		row->error = arena_printf(&im->arena, "ligne %zu : %zu colonnes "
		    "au lieu des %zu de l'en-tête (un « ; » manque ou est en "
		    "trop ?)", r->line, r->nfields, ncols);
		return;
	}
	for (i = ncols; i < r->nfields; i++)
		if (import_trim(r->fields[i])[0] != '\0') {
			row->error = arena_printf(&im->arena, "ligne %zu : %zu "
			    "colonnes au lieu des %zu de l'en-tête (un « ; » "
			    "dans un texte ? mettez-le entre guillemets)",
			    r->line, r->nfields, ncols);
			return;
		}

	/* Record-level values. */
	row->sheets = import_list(&im->arena, row->level[COL_ACTION],
	    &row->nsheets);
	for (i = 0; cat != NULL && row->sheets != NULL && i < row->nsheets;
	    i++) {
		if ((s = lookup_sheet(cat, row->sheets[i], err,
		    sizeof(err))) != NULL)
			row->sheets[i] = s->code;
		else if (why == NULL) {
			why = arena_strdup(&im->arena, err);
			bad = COL_ACTION;
		}
	}
	row->level[COL_ACTIVITY] = import_word(im, cat, VOCAB_ACTIVITY,
	    row->level[COL_ACTIVITY], &why);
	if (why != NULL && bad == -1)
		bad = COL_ACTIVITY;
	date = row->level[COL_DATE];
	if (month_first > 0 && strchr(date, '/') != NULL && why == NULL) {
		why = arena_printf(&im->arena, "« %s » : ce fichier écrit ses "
		    "dates le mois d'abord (voir la ligne %zu), cette date "
		    "serait donc lue à tort ; réglez la langue du tableur sur "
		    "le français et exportez à nouveau, ou écrivez les dates "
		    "AAAA-MM-JJ", IMPORT_QUOTE(date), month_first);
		bad = COL_DATE;
	} else if (import_date(date, iso, &expected) == 0) {
		row->level[COL_DATE] = arena_strdup(&im->arena, iso);
		if (why == NULL && (expected = import_date_outside(iso,
		    today)) != NULL) {
			why = arena_printf(&im->arena, "« %s » : %s",
			    IMPORT_QUOTE(date), expected);
			bad = COL_DATE;
		}
	} else if (why == NULL) {
		why = arena_printf(&im->arena, "« %s » n'est pas une date : %s",
		    IMPORT_QUOTE(date), expected);
		bad = COL_DATE;
	}
	row->level[COL_COMMUNE] = import_commune(im, cat,
	    row->level[COL_COMMUNE], 0, &why);
	if (why != NULL && bad == -1)
		bad = COL_COMMUNE;
	row->level[COL_STRUCTURE] = import_word(im, cat, VOCAB_STRUCTURE,
	    row->level[COL_STRUCTURE], &why);
	if (why != NULL && bad == -1)
		bad = COL_STRUCTURE;
	row->partners = import_list(&im->arena, row->level[COL_PARTNERS],
	    &row->npartners);

	/* The participant group. */
	row->group.category = import_word(im, cat, VOCAB_CATEGORY,
	    import_field(r, cols, COL_CATEGORY), &why);
	if (why != NULL && bad == -1)
		bad = COL_CATEGORY;
	row->group.residence = import_commune(im, cat,
	    import_field(r, cols, COL_RESIDENCE), 1, &why);
	if (why != NULL && bad == -1)
		bad = COL_RESIDENCE;
	count = import_field(r, cols, COL_COUNT);
	person = import_field(r, cols, COL_PERSON);
	row->group.has_count = 1;
	if (count[0] == '\0' && person[0] != '\0')
		row->group.count = 1;
	else if (import_count(count, &row->group.count) == -1 && why == NULL) {
		why = arena_printf(&im->arena, "« %s » n'est pas un effectif : "
		    "attendu un nombre entier (12, 1 200)",
		    IMPORT_QUOTE(count));
		bad = COL_COUNT;
	}
	if (person[0] != '\0' && why == NULL) {
		uint8_t	*tok;

		if (key == NULL) {
			why = "clé de pseudonymisation absente";
			bad = COL_PERSON;
		} else if (row->group.count != 1) {
			why = arena_printf(&im->arena, "une ligne avec une "
			    "personne compte pour 1, pas « %s »",
			    IMPORT_QUOTE(count));
			bad = COL_COUNT;
		} else if ((tok = arena_alloc(&im->arena,
		    PERSON_TOKEN_LEN)) != NULL) {
			person_token(key, person, tok);
			row->group.person = tok;
			row->group.person_len = PERSON_TOKEN_LEN;
		}
	}
	if (why != NULL)
		row->error = import_problem(&im->arena, r->line, names[bad], why);
}

/*
 * The first record-level column on which two rows disagree, compared on
 * their normalised values (so 06/11/2026 and 2026-11-06 agree), or -1.
 */
static int
import_disagree(const struct import_row *a, const struct import_row *b)
{
	size_t	 i;
	int	 c;

	if (a->nsheets != b->nsheets)
		return COL_ACTION;
	for (i = 0; i < a->nsheets; i++)
		if (strcmp(a->sheets[i], b->sheets[i]) != 0)
			return COL_ACTION;
	if (a->npartners != b->npartners)
		return COL_PARTNERS;
	for (i = 0; i < a->npartners; i++)
		if (strcmp(a->partners[i], b->partners[i]) != 0)
			return COL_PARTNERS;
	for (c = 0; c < COL__COUNT; c++)
		if (import_cols[c].record_level && c != COL_ACTION &&
		    c != COL_PARTNERS && strcmp(a->level[c], b->level[c]) != 0)
			return c;
	return -1;
}

/* A 32-byte map key for a record_id that is not a UUID. */
static const uint8_t *
import_key_digest(struct arena *a, const char *key)
{
	uint8_t	*d;

	if ((d = arena_alloc(a, RECORD_DIGEST_LEN)) != NULL)
		EVP_Digest(key, strlen(key), d, NULL, EVP_sha256(), NULL);
	return d;
}

/*
 * Pass 2: which item each row belongs to. A UUID or a key of the file
 * gathers its rows wherever they stand; rows without one gather while
 * they follow each other and agree on the record-level columns.
 */
static int
import_assign(struct import *im, const struct import_row *rows)
{
	struct import_map	 ids, keys;
	struct import_map	*m;
	const uint8_t		*k;
	size_t			 i, slot;
	int			 rc = -1;

	if (import_map_init(&ids, im->nrows, RECORD_ID_LEN) == -1 ||
	    import_map_init(&keys, im->nrows, RECORD_DIGEST_LEN) == -1)
		goto out;
	for (i = 0; i < im->nrows; i++) {
		const struct import_row	*r = &rows[i];

		im->row_line[i] = r->line;
		if (r->key[0] == '\0') {
			if (i > 0 && rows[i - 1].key[0] == '\0' &&
			    import_disagree(r, &rows[i - 1]) == -1) {
				im->row_item[i] = im->row_item[i - 1];
				im->items[im->row_item[i]].nrows++;
				continue;
			}
		} else {
			m = r->has_uuid ? &ids : &keys;
			k = r->has_uuid ? r->uuid :
			    import_key_digest(&im->arena, r->key);
			if (k == NULL)
				goto out;
			slot = import_map_slot(m, k);
			if (m->keys[slot] != NULL) {
				im->row_item[i] = m->vals[slot];
				im->items[m->vals[slot]].nrows++;
				continue;
			}
			m->keys[slot] = k;
			m->vals[slot] = im->nitems;
		}
		im->items[im->nitems].nrows = 1;
		im->items[im->nitems].line = r->line;
		im->items[im->nitems].has_uuid = r->has_uuid;
		if (r->has_uuid)
			memcpy(im->items[im->nitems].id, r->uuid, RECORD_ID_LEN);
		im->row_item[i] = im->nitems++;
	}
	rc = 0;
out:
	import_map_free(&ids);
	import_map_free(&keys);
	return rc;
}

/*
 * Pass 3: record fields from each item's first row, groups from all; the
 * first problem of any row refuses its whole record.
 */
static int
import_fill(struct import *im, const struct import_row *rows,
    const char *names[COL__COUNT])
{
	size_t	*first, i;
	int	 c;

	if ((first = calloc(im->nitems, sizeof(*first))) == NULL)
		return -1;
	for (i = 0; i < im->nitems; i++) {
		if ((im->items[i].rec.groups = arena_alloc(&im->arena,
		    im->items[i].nrows * sizeof(struct group))) == NULL) {
			free(first);
			return -1;
		}
		first[i] = SIZE_MAX;
	}
	for (i = 0; i < im->nrows; i++) {
		struct import_item	*it = &im->items[im->row_item[i]];
		const struct import_row	*r = &rows[i];
		struct record		*rec = &it->rec;

		if (it->error != NULL)
			continue;
		if (r->error != NULL) {
			it->error = r->error;
			continue;
		}
		if (first[im->row_item[i]] == SIZE_MAX) {
			first[im->row_item[i]] = i;
			rec->id = it->id;
			rec->id_len = RECORD_ID_LEN;
			rec->sheets = r->sheets;
			rec->nsheets = r->nsheets;
			rec->activity = r->level[COL_ACTIVITY];
			rec->date = r->level[COL_DATE];
			rec->commune = r->level[COL_COMMUNE];
			rec->structure = r->level[COL_STRUCTURE];
			rec->partners = r->partners;
			rec->npartners = r->npartners;
			rec->title = r->level[COL_TITLE][0] != '\0' ?
			    r->level[COL_TITLE] : NULL;
		} else if ((c = import_disagree(r,
		    &rows[first[im->row_item[i]]])) != -1) {
			it->error = arena_printf(&im->arena, "ligne %zu : la "
			    "colonne « %s » diffère de la ligne %zu pour le même "
			    "identifiant « %s » (les lignes d'une même activité "
			    "doivent s'accorder sur fiche, activité, date, lieu, "
			    "structure, partenaires et titre)", r->line, names[c],
			    rows[first[im->row_item[i]]].line,
			    IMPORT_QUOTE(r->key));
			continue;
		}
		rec->groups[rec->ngroups++] = r->group;
	}
	free(first);
	return 0;
}

/*
 * Pass 4: ids for records without a UUID, from their normalised content
 * and their ordinal among identical records of the file.
 */
static int
import_derive_ids(struct import *im)
{
	struct import_map	 seen;
	size_t			 i, slot;
	uint8_t			*digest, buf[RECORD_DIGEST_LEN + 8];
	uint8_t			 final[RECORD_DIGEST_LEN];
	int64_t			 day;
	int			 b;

	if (import_map_init(&seen, im->nitems, RECORD_DIGEST_LEN) == -1)
		return -1;
	for (i = 0; i < im->nitems; i++) {
		struct import_item	*it = &im->items[i];
		uint64_t		 occ;

		if (it->has_uuid || it->error != NULL)
			continue;
		if ((digest = arena_alloc(&im->arena,
		    RECORD_DIGEST_LEN)) == NULL)
			break;
		record_digest(&it->rec, digest);
		slot = import_map_slot(&seen, digest);
		if (seen.keys[slot] == NULL) {
			seen.keys[slot] = digest;
			seen.vals[slot] = 0;
		}
		occ = seen.vals[slot]++;
		memcpy(buf, digest, RECORD_DIGEST_LEN);
		for (b = 0; b < 8; b++)
			buf[RECORD_DIGEST_LEN + b] = (uint8_t)(occ >> (56 - 8 * b));
		EVP_Digest(buf, sizeof(buf), final, NULL, EVP_sha256(), NULL);
		if (date_parse(it->rec.date, &day) == -1)
			day = 0;
		uuid_v7_from_digest((uint64_t)day * 86400000, final, it->id);
	}
	import_map_free(&seen);
	return 0;
}

int
import_build(const struct csv_table *t, const struct catalogue *cat,
    const uint8_t key[PERSON_KEY_LEN], struct import *im, char *err,
    size_t errlen)
{
	struct import_row	*rows = NULL;
	const char		*names[COL__COUNT];
	int			 cols[COL__COUNT];
	size_t			 i, ncols, month_first;
	int64_t			 today = date_today();

	memset(im, 0, sizeof(*im));
	if (t->nrows == 0) {
		snprintf(err, errlen, "fichier vide : attendu une ligne d'en-tête "
		    "puis une ligne par groupe de participants");
		return -1;
	}
	if (import_header(im, &t->rows[0], cols, names, &ncols, err,
	    errlen) == -1) {
		arena_free(&im->arena);
		return -1;
	}
	month_first = import_month_first(t, cols);
	im->nrows = t->nrows - 1;
	rows = calloc(im->nrows + 1, sizeof(*rows));
	im->items = calloc(im->nrows + 1, sizeof(*im->items));
	im->row_item = calloc(im->nrows + 1, sizeof(*im->row_item));
	im->row_line = calloc(im->nrows + 1, sizeof(*im->row_line));
	if (rows == NULL || im->items == NULL || im->row_item == NULL ||
	    im->row_line == NULL)
		goto nomem;
	for (i = 0; i < im->nrows; i++)
		import_read_row(im, cat, &t->rows[i + 1], cols, names, ncols,
		    key, month_first, today, &rows[i]);
	if (import_assign(im, rows) == -1 || import_fill(im, rows, names) == -1 ||
	    import_derive_ids(im) == -1)
		goto nomem;
	free(rows);
	return 0;
nomem:
	snprintf(err, errlen, "mémoire insuffisante pour l'import");
	free(rows);
	import_free(im);
	return -1;
}

void
import_free(struct import *im)
{
	size_t	 i;

	for (i = 0; im->items != NULL && i < im->nitems; i++)
		free((char *)im->items[i].reason);
	free(im->items);
	free(im->row_item);
	free(im->row_line);
	arena_free(&im->arena);
	memset(im, 0, sizeof(*im));
}
