/*
 * model_cells.c — the model's cells as the store keeps them: one row per
 * slot and month, its sums packed, and the deltas a transaction adds.
 *
 * A stored cell is a format byte, then its entries in key order, each the
 * gap from the previous key and the sum, as LEB128 varints (the sum
 * zigzagged). Word fields hold the store's word ids, which never change;
 * a model loading a cell maps them to its own. Members (distinct persons)
 * are not in cells: the store keeps them by key, and the model rebuilds
 * its C[m][p] entries from them.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "model_int.h"

#define CELL_FORMAT	1
#define VARINT_MAX	10

struct model *
model_new_delta(const struct catalogue *cat)
{
	struct model	*m = model_new(cat);

	if (m != NULL)
		m->delta = 1;
	return m;
}

void
model_delta_clear(struct model *m)
{
	struct model_cell	**cp;
	size_t			 i;

	for (i = 0; i < m->ntouched; i++) {
		cp = &m->slots[m->touched[i].slot].cells[m->touched[i].month];
		if (*cp != NULL) {
			free((*cp)->v);
			free(*cp);
			*cp = NULL;
		}
	}
	m->ntouched = 0;
}

size_t
model_ntouched(const struct model *m)
{
	return m->ntouched;
}

void
model_touched(const struct model *m, size_t i, int *slot, int *yyyymm)
{
	*slot = m->touched[i].slot;
	*yyyymm = model_yyyymm(m->touched[i].month);
}

const struct catalogue *
model_catalogue(const struct model *m)
{
	return m->cat;
}

long
model_intern(struct model *m, const char *word)
{
	return model_word(m, word);
}

size_t
model_nwords(const struct model *m)
{
	return m->nwords;
}

const char *
model_word_text(const struct model *m, size_t id)
{
	return id < m->nwords ? m->words[id].s : NULL;
}

int
model_slot_named(const struct model *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->nslots; i++)
		if (strcmp(m->slots[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
cell_varint(struct buf *b, uint64_t v)
{
	char	 t[VARINT_MAX];
	size_t	 n = 0;

	do {
		t[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	buf_add(b, t, n);
}

/* One varint from *p (below end); 0, or -1 when it is cut or too long. */
static int
cell_unvarint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	unsigned	 shift = 0;

	*v = 0;
	while (*p < end && shift < 7 * VARINT_MAX) {
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0)
			return 0;
		shift += 7;
	}
	return -1;
}

/* A stored cell's entries in turn: 1 with one, 0 at the end, -1 if bad. */
struct cell_reader {
	const uint8_t	*p, *end;
	uint64_t	 key;
};

static int
cell_reader_start(struct cell_reader *r, const void *blob, size_t len)
{
	r->p = blob;
	r->end = r->p + len;
	r->key = 0;
	if (len == 0)
		return 0;
	return *r->p++ == CELL_FORMAT ? 0 : -1;
}

static int
cell_next(struct cell_reader *r, struct model_entry *e)
{
	uint64_t	 gap, z;
	unsigned	 kind;

	if (r->p == r->end)
		return 0;
	if (cell_unvarint(&r->p, r->end, &gap) == -1 || gap == 0 ||
	    gap > UINT64_MAX - r->key ||
	    cell_unvarint(&r->p, r->end, &z) == -1)
		return -1;
	r->key += gap;
	kind = (unsigned)(r->key >> 56);
	if (kind == 0 || kind >= MK__COUNT || kind == MK_PREV || z == 0)
		return -1;
	e->key = r->key;
	e->n = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
	return 1;
}

static void
cell_put(struct buf *b, uint64_t *prev, uint64_t key, int64_t n)
{
	cell_varint(b, key - *prev);
	cell_varint(b, ((uint64_t)n << 1) ^ (uint64_t)(n >> 63));
	*prev = key;
}

long
model_cell_merge(const struct model *d, int slot, int yyyymm,
    const void *old, size_t oldlen, struct buf *out)
{
	const struct model_cell	*c;
	struct cell_reader	 r;
	struct model_entry	 e;
	uint64_t		 prev = 0;
	uint32_t		 i = 0;
	long			 n = 0;
	int			 more, month = model_month(yyyymm);

	out->len = 0;
	out->failed = 0;
	if (month < 0 || cell_reader_start(&r, old, oldlen) == -1)
		return -2;
	c = d->slots[slot].cells[month];
	buf_add(out, (const char[]){ CELL_FORMAT }, 1);
	more = cell_next(&r, &e);
	while (more == 1 || (c != NULL && i < c->n)) {
		const struct model_entry *x = c != NULL && i < c->n ? &c->v[i] :
		    NULL;

		if (more == 1 && (x == NULL || e.key < x->key)) {
			cell_put(out, &prev, e.key, e.n);
			more = cell_next(&r, &e);
		} else if (more == 1 && e.key == x->key) {
			if (e.n + x->n != 0)
				cell_put(out, &prev, e.key, e.n + x->n);
			else
				n--;
			more = cell_next(&r, &e);
			i++;
		} else {
			if (x->key >> 56 != MK_PREV)
				cell_put(out, &prev, x->key, x->n);
			else
				n--;
			i++;
		}
		n++;
	}
	if (more == -1)
		return -2;
	return out->failed ? -1 : n;
}

static int
cell_entry_cmp(const void *a, const void *b)
{
	const struct model_entry *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* A stored word field in the model's ids; 0, or -1 when it is unknown. */
static int
cell_map(enum model_field f, uint32_t *v, const long *map, size_t nmap)
{
	if (f != MF_WORD)
		return 0;
	if (*v >= nmap || map[*v] < 0)
		return -1;
	*v = (uint32_t)map[*v];
	return 0;
}

int
model_cell_load(struct model *m, int slot, int yyyymm, const void *blob,
    size_t len, const long *map, size_t nmap)
{
	struct model_cell	*c;
	struct model_entry	*v = NULL, *nv, e;
	struct cell_reader	 r;
	size_t			 n = 0, cap = 0, i, o;
	uint32_t		 a, b;
	int			 rc, month = model_month(yyyymm), sorted = 1;

	if (month < 0 || slot < 0 || (size_t)slot >= m->nslots ||
	    cell_reader_start(&r, blob, len) == -1)
		return -2;
	while ((rc = cell_next(&r, &e)) == 1) {
		enum model_kind k = (enum model_kind)(e.key >> 56);

		a = (uint32_t)(e.key >> MODEL_ID_BITS & MODEL_ID_MASK);
		b = (uint32_t)(e.key & MODEL_ID_MASK);
		if (cell_map(model_kinds[k].a, &a, map, nmap) == -1 ||
		    cell_map(model_kinds[k].b, &b, map, nmap) == -1) {
			rc = -1;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				return -1;
			}
			v = nv;
		}
		v[n].key = model_key(k, a, b);
		v[n].n = e.n;
		if (n > 0 && v[n].key <= v[n - 1].key)
			sorted = 0;
		n++;
	}
	if (rc == -1 || n > UINT32_MAX / 2) {
		free(v);
		return -2;
	}
	if (!sorted)
		qsort(v, n, sizeof(*v), cell_entry_cmp);
	if (m->slots[slot].cells[month] != NULL || n == 0) {	/* add to it */
		for (i = 0, rc = 0; i < n; i++)
			rc |= model_add(m, slot, month, v[i].key, v[i].n);
		free(v);
		return rc;
	}
	if ((c = model_cell_new(m, slot, month)) == NULL) {
		free(v);
		return -1;
	}
	for (i = 0, o = 0; i < n; i++)	/* a word mapped twice: one entry */
		if (o > 0 && v[o - 1].key == v[i].key)
			v[o - 1].n += v[i].n;
		else
			v[o++] = v[i];
	c->v = v;
	c->n = c->cap = (uint32_t)o;
	m->bytes += cap * sizeof(*v);
	return 0;
}

int
model_merge_delta(struct model *m, const struct model *d, long **map,
    size_t *nmap)
{
	const struct model_cell	*c;
	long			*nm;
	size_t			 i;
	uint32_t		 j, a, b;
	int			 rc = 0, slot, month;

	if (*nmap < d->nwords) {	/* the words first seen since */
		if ((nm = realloc(*map, d->nwords * sizeof(*nm))) == NULL)
			return -1;
		*map = nm;
		for (; *nmap < d->nwords; (*nmap)++)
			if ((nm[*nmap] = model_word(m, d->words[*nmap].s)) < 0)
				return -1;
	}
	for (i = 0; i < d->ntouched; i++) {
		slot = d->touched[i].slot;
		month = d->touched[i].month;
		if ((c = d->slots[slot].cells[month]) == NULL)
			continue;
		for (j = 0; j < c->n; j++) {
			enum model_kind k = (enum model_kind)(c->v[j].key >> 56);

			a = (uint32_t)(c->v[j].key >> MODEL_ID_BITS &
			    MODEL_ID_MASK);
			b = (uint32_t)(c->v[j].key & MODEL_ID_MASK);
			if (cell_map(model_kinds[k].a, &a, *map, *nmap) == -1 ||
			    cell_map(model_kinds[k].b, &b, *map, *nmap) == -1)
				return -1;
			rc |= model_add(m, slot, month, model_key(k, a, b),
			    c->v[j].n);
		}
	}
	return rc;
}
