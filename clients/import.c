/* import.c — from spreadsheet rows to records, row problems kept per record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "import.h"
#include "record.h"
#include "uuid.h"

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

static const struct {
	const char	*name;
	int		 required;
	int		 record_level;	/* must agree across a record's rows */
} import_cols[COL__COUNT] = {
	[COL_RECORD_ID] = { "record_id", 1, 0 },
	[COL_ACTION] = { "action", 1, 1 },
	[COL_ACTIVITY] = { "activity", 1, 1 },
	[COL_DATE] = { "date", 1, 1 },
	[COL_COMMUNE] = { "commune", 1, 1 },
	[COL_STRUCTURE] = { "structure", 1, 1 },
	[COL_CATEGORY] = { "category", 1, 0 },
	[COL_RESIDENCE] = { "residence", 1, 0 },
	[COL_COUNT] = { "count", 1, 0 },
	[COL_PARTNERS] = { "partners", 1, 1 },
	[COL_TITLE] = { "title", 1, 1 },
	[COL_PERSON] = { "person", 0, 0 },
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

static int
import_header(const struct csv_row *h, int cols[COL__COUNT], char *err,
    size_t errlen)
{
	size_t	 i;
	int	 c, found;

	for (c = 0; c < COL__COUNT; c++)
		cols[c] = -1;
	for (i = 0; i < h->nfields; i++) {
		const char *name = import_trim(h->fields[i]);

		for (c = 0, found = 0; c < COL__COUNT; c++) {
			if (strcmp(name, import_cols[c].name) != 0)
				continue;
			if (cols[c] != -1) {
				snprintf(err, errlen, "ligne 1 : colonne « %s » "
				    "présente deux fois", name);
				return -1;
			}
			cols[c] = (int)i;
			found = 1;
		}
		if (!found) {
			snprintf(err, errlen, "ligne 1 : colonne inconnue « %.60s » "
			    "(format d'import v1 : record_id;action;activity;"
			    "date;commune;structure;category;residence;count;"
			    "partners;title;person)", name);
			return -1;
		}
	}
	for (c = 0; c < COL__COUNT; c++)
		if (cols[c] == -1 && import_cols[c].required) {
			snprintf(err, errlen, "ligne 1 : colonne « %s » absente "
			    "(format d'import v1 : record_id;action;activity;"
			    "date;commune;structure;category;residence;count;"
			    "partners;title;person)", import_cols[c].name);
			return -1;
		}
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

static const char *
import_errorf(struct arena *a, const char *fmt, size_t line, const char *v)
{
	char	 buf[300];

	snprintf(buf, sizeof(buf), fmt, line, v);
	return arena_strdup(a, buf);
}

/* Fills the record-level fields of an item from its first row. */
static void
import_record_fields(struct import *im, const struct catalogue *cat,
    struct import_item *it, const struct csv_row *r,
    const int cols[COL__COUNT])
{
	struct record		*rec = &it->rec;
	const char		*title = import_field(r, cols, COL_TITLE);
	const struct cat_sheet	*s;
	size_t			 i;

	rec->id = it->id;
	rec->id_len = RECORD_ID_LEN;
	rec->sheets = import_list(&im->arena, import_field(r, cols,
	    COL_ACTION), &rec->nsheets);
	for (i = 0; cat != NULL && rec->sheets != NULL && i < rec->nsheets;
	    i++)
		if ((s = catalogue_sheet(cat, rec->sheets[i])) != NULL)
			rec->sheets[i] = s->code;
	rec->activity = import_field(r, cols, COL_ACTIVITY);
	rec->date = import_field(r, cols, COL_DATE);
	rec->commune = import_field(r, cols, COL_COMMUNE);
	rec->structure = import_field(r, cols, COL_STRUCTURE);
	rec->partners = import_list(&im->arena, import_field(r, cols,
	    COL_PARTNERS), &rec->npartners);
	rec->title = title[0] != '\0' ? title : NULL;
}

/* One row's participant group; NULL or the French reason it is refused. */
static const char *
import_group(struct import *im, const struct csv_row *r,
    const int cols[COL__COUNT], const uint8_t *key, struct group *g)
{
	const char	*count = import_field(r, cols, COL_COUNT);
	const char	*person = import_field(r, cols, COL_PERSON);
	char		*end;
	uint8_t		*tok;

	g->category = import_field(r, cols, COL_CATEGORY);
	g->residence = import_field(r, cols, COL_RESIDENCE);
	g->has_count = 1;
	if (count[0] == '\0' && person[0] != '\0')
		g->count = 1;
	else {
		g->count = strtoll(count, &end, 10);
		if (count[0] == '\0' || *end != '\0')
			return import_errorf(&im->arena, "ligne %zu : effectif "
			    "« %.40s » invalide : attendu un nombre entier",
			    r->line, count);
	}
	if (person[0] == '\0')
		return NULL;
	if (key == NULL)
		return import_errorf(&im->arena, "ligne %zu : clé de "
		    "pseudonymisation absente%s", r->line, "");
	if (g->count != 1)
		return import_errorf(&im->arena, "ligne %zu : une ligne avec "
		    "une personne (colonne person) compte pour 1, pas "
		    "« %.40s »", r->line, count);
	if ((tok = arena_alloc(&im->arena, PERSON_TOKEN_LEN)) == NULL)
		return "mémoire insuffisante";
	person_token(key, person, tok);
	g->person = tok;
	g->person_len = PERSON_TOKEN_LEN;
	return NULL;
}

/* Pass 1: which item each row belongs to. */
static int
import_assign(struct import *im, const struct csv_table *t,
    const int cols[COL__COUNT], size_t ncols)
{
	struct import_map	 ids;
	size_t			 i, slot;
	uint8_t			*id;

	if (import_map_init(&ids, im->nrows, RECORD_ID_LEN) == -1)
		return -1;
	for (i = 0; i < im->nrows; i++) {
		const struct csv_row	*r = &t->rows[i + 1];
		const char		*rid = import_field(r, cols,
					    COL_RECORD_ID);
		struct import_item	*it;

		im->row_line[i] = r->line;
		/* A short or long row still joins its record, refusing it. */
		if (rid[0] != '\0' &&
		    (id = arena_alloc(&im->arena, RECORD_ID_LEN)) != NULL &&
		    uuid_parse(rid, id) == 0) {
			slot = import_map_slot(&ids, id);
			if (ids.keys[slot] != NULL) {
				im->row_item[i] = ids.vals[slot];
				im->items[ids.vals[slot]].nrows++;
				if (r->nfields != ncols)
					im->items[ids.vals[slot]].error =
					    import_errorf(&im->arena, "ligne %zu :"
					    " nombre de colonnes différent de "
					    "l'en-tête%s", r->line, "");
				continue;
			}
			ids.keys[slot] = id;
			ids.vals[slot] = im->nitems;
		}
		it = &im->items[im->nitems];
		im->row_item[i] = im->nitems++;
		it->nrows = 1;
		if (r->nfields != ncols)
			it->error = import_errorf(&im->arena, "ligne %zu : "
			    "nombre de colonnes différent de l'en-tête%s",
			    r->line, "");
		else if (rid[0] != '\0' && uuid_parse(rid, it->id) == -1)
			it->error = import_errorf(&im->arena, "ligne %zu : "
			    "record_id « %.40s » invalide : attendu un UUID "
			    "comme 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
			    r->line, rid);
		else if (rid[0] != '\0')
			uuid_parse(rid, it->id);
	}
	import_map_free(&ids);
	return 0;
}

/* Pass 2: record fields from each item's first row, groups from all. */
static int
import_fill(struct import *im, const struct csv_table *t,
    const struct catalogue *cat, const int cols[COL__COUNT],
    const uint8_t *key)
{
	size_t		*first, i, c;
	const char	*why;

	if ((first = calloc(im->nitems, sizeof(*first))) == NULL)
		return -1;
	for (i = 0; i < im->nitems; i++) {
		im->items[i].rec.groups = arena_alloc(&im->arena,
		    im->items[i].nrows * sizeof(struct group));
		first[i] = SIZE_MAX;
	}
	for (i = 0; i < im->nrows; i++) {
		struct import_item	*it = &im->items[im->row_item[i]];
		const struct csv_row	*r = &t->rows[i + 1];

		if (it->error != NULL)
			continue;
		if (first[im->row_item[i]] == SIZE_MAX) {
			first[im->row_item[i]] = i;
			import_record_fields(im, cat, it, r, cols);
		} else {
			const struct csv_row *f =
			    &t->rows[first[im->row_item[i]] + 1];

			for (c = 0; c < COL__COUNT; c++)
				if (import_cols[c].record_level &&
				    strcmp(import_field(r, cols, c),
				    import_field(f, cols, c)) != 0) {
					char	 msg[200];

					snprintf(msg, sizeof(msg), "ligne %zu : "
					    "la colonne « %s » diffère de la "
					    "ligne %zu pour le même record_id",
					    r->line, import_cols[c].name,
					    f->line);
					it->error = arena_strdup(&im->arena,
					    msg);
					break;
				}
			if (it->error != NULL)
				continue;
		}
		why = import_group(im, r, cols, key,
		    &it->rec.groups[it->rec.ngroups]);
		if (why != NULL)
			it->error = why;
		else
			it->rec.ngroups++;
	}
	free(first);
	return 0;
}

/* Pass 3: ids for rows without record_id, from their content. */
static int
import_derive_ids(struct import *im, const struct csv_table *t,
    const int cols[COL__COUNT])
{
	struct import_map	 seen;
	size_t			 i, slot;
	uint8_t			*digest, buf[RECORD_DIGEST_LEN + 8];
	uint8_t			 final[RECORD_DIGEST_LEN];
	int64_t			 day;
	int			 b;

	if (import_map_init(&seen, im->nitems, RECORD_DIGEST_LEN) == -1)
		return -1;
	for (i = 0; i < im->nrows; i++) {
		struct import_item	*it = &im->items[im->row_item[i]];
		uint64_t		 occ;

		if (import_field(&t->rows[i + 1], cols, COL_RECORD_ID)[0] !=
		    '\0' || it->error != NULL)
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
	int	 cols[COL__COUNT];

	memset(im, 0, sizeof(*im));
	if (t->nrows == 0) {
		snprintf(err, errlen, "fichier vide : attendu une ligne d'en-tête "
		    "puis une ligne par groupe de participants");
		return -1;
	}
	if (import_header(&t->rows[0], cols, err, errlen) == -1)
		return -1;
	im->nrows = t->nrows - 1;
	im->items = calloc(im->nrows + 1, sizeof(*im->items));
	im->row_item = calloc(im->nrows + 1, sizeof(*im->row_item));
	im->row_line = calloc(im->nrows + 1, sizeof(*im->row_line));
	if (im->items == NULL || im->row_item == NULL || im->row_line == NULL ||
	    import_assign(im, t, cols, t->rows[0].nfields) == -1 ||
	    import_fill(im, t, cat, cols, key) == -1 ||
	    import_derive_ids(im, t, cols) == -1) {
		snprintf(err, errlen, "mémoire insuffisante pour l'import");
		import_free(im);
		return -1;
	}
	return 0;
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
