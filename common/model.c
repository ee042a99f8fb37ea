/*
 * model.c — the read model's cells, its words and its members.
 *
 * A cell (one slot, one month) is a sorted array of (key, sum): a key packs
 * the kind and up to two word ids, so one kind's entries are contiguous
 * and a lookup is a binary search. Words (activities, structures, commune
 * keys, partners, person tokens) are interned once, with their vocabulary
 * indices, so folding a delta compares no text. Sums that fall to 0 are
 * removed: two models holding the same figures hold the same cells.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "model_int.h"
#include "record.h"

static uint64_t
model_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t
model_bit(int i)
{
	return i >= 0 && i < 64 ? (uint64_t)1 << i : 0;
}

int
model_month(int yyyymm)
{
	int	 i = (yyyymm / 100 - MODEL_FIRST_YEAR) * 12 + yyyymm % 100 - 1;

	return yyyymm % 100 < 1 || yyyymm % 100 > 12 || i < 0 ||
	    i >= MODEL_MONTHS ? -1 : i;
}

int
model_yyyymm(int i)
{
	return (MODEL_FIRST_YEAR + i / 12) * 100 + i % 12 + 1;
}

/* A window's month indices, clamped; 0, or -1 when it holds none. */
static int
model_range(int lo, int hi, int *l, int *h)
{
	int	 first = MODEL_FIRST_YEAR * 100 + 1;
	int	 last = (MODEL_FIRST_YEAR + MODEL_MONTHS / 12 - 1) * 100 + 12;

	if (hi < first || lo > last || lo > hi)
		return -1;
	*l = model_month(lo < first ? first : lo);
	*h = model_month(hi > last ? last : hi);
	return *l < 0 || *h < 0 ? -1 : 0;
}


/* The categories of a comma-joined list, as a vocabulary mask. */
static uint64_t
model_categories(const struct catalogue *c, const char *s)
{
	char		 w[128];
	uint64_t	 m = 0;
	size_t		 n;

	while (*s != '\0') {
		n = strcspn(s, ",");
		if (n < sizeof(w)) {
			memcpy(w, s, n);
			w[n] = '\0';
			m |= model_bit(catalogue_word(c, VOCAB_CATEGORY, w));
		}
		s += n + (s[n] == ',');
	}
	return m;
}

static long
model_word_find(const struct model *m, const char *s, uint64_t h)
{
	size_t		 i = h & (m->wtcap - 1);
	uint32_t	 id;

	for (;; i = (i + 1) & (m->wtcap - 1)) {
		if ((id = m->wtable[i]) == 0)
			return -(long)i - 1;
		if (m->words[id - 1].hash == h &&
		    strcmp(m->words[id - 1].s, s) == 0)
			return (long)id - 1;
	}
}

static int
model_word_grow(struct model *m)
{
	uint32_t	*old = m->wtable, *t;
	size_t		 i, cap = m->wtcap * 2, j;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i < m->nwords; i++) {
		for (j = m->words[i].hash & (cap - 1); t[j] != 0;
		    j = (j + 1) & (cap - 1))
			;
		t[j] = (uint32_t)i + 1;
	}
	m->wtable = t;
	m->wtcap = cap;
	m->bytes += cap * sizeof(*t) / 2;
	free(old);
	return 0;
}

/* A word's id, interned on first sight; -1 when out of memory. */
long
model_word(struct model *m, const char *s)
{
	const struct cat_sheet	*sh;
	struct model_word	*w, *nw;
	uint64_t		 h = model_hash(s);
	long			 f = model_word_find(m, s, h);

	if (f >= 0)
		return f;
	if (m->nwords >= MODEL_ID_MASK)
		return -1;
	if ((m->nwords + 1) * 2 > m->wtcap) {
		if (model_word_grow(m) == -1)
			return -1;
		f = model_word_find(m, s, h);
	}
	if (m->nwords == m->wcap) {
		size_t cap = m->wcap ? m->wcap * 2 : 256;

		if ((nw = realloc(m->words, cap * sizeof(*nw))) == NULL)
			return -1;
		m->bytes += (cap - m->wcap) * sizeof(*nw);
		m->words = nw;
		m->wcap = cap;
	}
	w = &m->words[m->nwords];
	if ((w->s = arena_strdup(&m->arena, s)) == NULL)
		return -1;
	m->bytes += strlen(s) + 1;
	w->hash = h;
	w->act = catalogue_word(m->cat, VOCAB_ACTIVITY, s);
	w->str = catalogue_word(m->cat, VOCAB_STRUCTURE, s);
	w->cat = catalogue_word(m->cat, VOCAB_CATEGORY, s);
	w->cats = model_categories(m->cat, s);
	sh = strcmp(s, AGG_ALL) == 0 ? NULL : catalogue_sheet(m->cat, s);
	w->sheet = sh != NULL ? sh->number - 1 : -1;
	m->wtable[-f - 1] = (uint32_t)m->nwords + 1;
	return (long)m->nwords++;
}

/* A word's id if it was ever seen; -1 otherwise. */
static long
model_word_peek(const struct model *m, const char *s)
{
	long	 f = s == NULL ? -1 : model_word_find(m, s, model_hash(s));

	return f >= 0 ? f : -1;
}

/* The slot of a scope and filter, made on first use; -1 when out of memory. */
static int
model_slot_for(struct model *m, int scope, const struct cat_filter *f,
    const char *name)
{
	struct model_scope	*sc = &m->scopes[scope];
	struct model_slot	*s;
	size_t			 i;
	int			*v;

	for (i = 0; i < sc->n; i++) {
		s = &m->slots[sc->slots[i]];
		if (s->f.act == f->act && s->f.str == f->str &&
		    s->f.cat == f->cat)
			return sc->slots[i];
	}
	if ((v = realloc(sc->slots, (sc->n + 1) * sizeof(*v))) == NULL)
		return -1;
	sc->slots = v;
	s = &m->slots[m->nslots];
	memset(s, 0, sizeof(*s));
	s->scope = scope;
	s->f = *f;
	s->base = f->act == 0 && f->str == 0 && f->cat == 0;
	s->name = name;
	m->bytes += sizeof(*s);
	v[sc->n++] = (int)m->nslots;
	return (int)m->nslots++;
}

struct model *
model_new(const struct catalogue *cat)
{
	struct model		*m = calloc(1, sizeof(*m));
	const struct cat_filter	 none = { 0, 0, 0 };
	size_t			 i, max;

	if (m == NULL)
		return NULL;
	m->cat = cat;
	max = cat->nsheets + 1 + cat->nindicators;
	m->slots = calloc(max, sizeof(*m->slots));
	m->scopes = calloc(cat->nsheets + 1, sizeof(*m->scopes));
	m->indicator_slot = calloc(cat->nindicators + 1, sizeof(int));
	m->evidence = calloc(cat->nsheets + 1, sizeof(*m->evidence));
	m->wtcap = 1024;
	m->wtable = calloc(m->wtcap, sizeof(*m->wtable));
	m->mcap = 1024;
	m->members = calloc(m->mcap, sizeof(*m->members));
	if (m->slots == NULL || m->scopes == NULL ||
	    m->indicator_slot == NULL || m->evidence == NULL ||
	    m->wtable == NULL || m->members == NULL)
		goto fail;
	for (i = 0; i < cat->nsheets; i++)
		if (model_slot_for(m, (int)i, &none, cat->sheets[i].code) == -1)
			goto fail;
	if (model_slot_for(m, (int)cat->nsheets, &none, AGG_ALL) == -1)
		goto fail;
	for (i = 0; i < cat->nindicators; i++) {
		const struct cat_indicator	*d = &cat->indicators[i];
		const struct cat_sheet		*s = catalogue_sheet(cat,
						    d->sheet);
		int				 scope;

		scope = d->all || s == NULL ? (int)cat->nsheets :
		    s->number - 1;
		if ((m->indicator_slot[i] = model_slot_for(m, scope, &d->f,
		    d->id)) == -1)
			goto fail;
	}
	m->bytes += sizeof(*m) + m->wtcap * sizeof(*m->wtable) +
	    m->mcap * sizeof(*m->members);
	return m;
fail:
	model_free(m);
	return NULL;
}

void
model_free(struct model *m)
{
	size_t	 i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nslots; i++)
		for (j = 0; j < MODEL_MONTHS; j++)
			if (m->slots[i].cells[j] != NULL) {
				free(m->slots[i].cells[j]->v);
				free(m->slots[i].cells[j]);
			}
	for (i = 0; m->scopes != NULL && i <= m->cat->nsheets; i++)
		free(m->scopes[i].slots);
	for (i = 0; m->evidence != NULL && i <= m->cat->nsheets; i++)
		free(m->evidence[i].v);
	for (i = 0; m->members != NULL && i < m->mcap; i++)
		free(m->members[i].v);
	free(m->slots);
	free(m->scopes);
	free(m->indicator_slot);
	free(m->evidence);
	free(m->words);
	free(m->wtable);
	free(m->members);
	free(m->touched);
	arena_free(&m->arena);
	free(m);
}

int
model_sheet_slot(const struct model *m, size_t sheet)
{
	return m->scopes[sheet].slots[0];
}

int
model_all_slot(const struct model *m)
{
	return m->scopes[m->cat->nsheets].slots[0];
}

int
model_indicator_slot(const struct model *m, size_t indicator)
{
	return m->indicator_slot[indicator];
}

const char *
model_slot_name(const struct model *m, int slot)
{
	return m->slots[slot].name;
}

size_t
model_bytes(const struct model *m)
{
	return m->bytes;
}

/* The first entry of c whose key is not below key. */
uint32_t
model_lower(const struct model_cell *c, uint64_t key)
{
	uint32_t	 lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct model_cell *
model_cell_new(struct model *m, int slot, int month)
{
	struct model_cell	*c;
	struct model_place	*t;
	size_t			 cap;

	if (m->delta && m->ntouched == m->tcap) {
		cap = m->tcap ? m->tcap * 2 : 64;
		if ((t = realloc(m->touched, cap * sizeof(*t))) == NULL)
			return NULL;
		m->touched = t;
		m->tcap = cap;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	m->slots[slot].cells[month] = c;
	m->bytes += sizeof(*c);
	if (m->delta)
		m->touched[m->ntouched++] = (struct model_place){ slot, month };
	return c;
}

/* Adds d to a cell's key; a sum that falls to 0 is removed. 0 or -1. */
int
model_add(struct model *m, int slot, int month, uint64_t key, int64_t d)
{
	struct model_cell	*c = m->slots[slot].cells[month];
	struct model_entry	*v;
	uint32_t		 i;

	if (d == 0)
		return 0;
	if (c == NULL && (c = model_cell_new(m, slot, month)) == NULL)
		return -1;
	i = model_lower(c, key);
	if (i < c->n && c->v[i].key == key) {
		if ((c->v[i].n += d) == 0) {
			memmove(&c->v[i], &c->v[i + 1], (c->n - i - 1) *
			    sizeof(*c->v));
			c->n--;
		}
		return 0;
	}
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 8;

		if ((v = realloc(c->v, cap * sizeof(*v))) == NULL)
			return -1;
		m->bytes += (cap - c->cap) * sizeof(*v);
		c->v = v;
		c->cap = cap;
	}
	memmove(&c->v[i + 1], &c->v[i], (c->n - i) * sizeof(*c->v));
	c->v[i].key = key;
	c->v[i].n = d;
	c->n++;
	return 0;
}

static struct model_member *
model_member_find(const struct model *m, uint64_t key)
{
	size_t	 i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (m->mcap - 1);

	while (m->members[i].key != 0 && m->members[i].key != key)
		i = (i + 1) & (m->mcap - 1);
	return &m->members[i];
}

static int
model_member_grow(struct model *m)
{
	struct model_member	*old = m->members, *e;
	size_t			 i, cap = m->mcap;

	if ((m->members = calloc(cap * 2, sizeof(*m->members))) == NULL) {
		m->members = old;
		return -1;
	}
	m->mcap = cap * 2;
	m->bytes += cap * sizeof(*old);
	for (i = 0; i < cap; i++)
		if (old[i].key != 0) {
			e = model_member_find(m, old[i].key);
			*e = old[i];
		}
	free(old);
	return 0;
}

/*
 * A member's count in a month changes by d: when it appears or vanishes
 * there, the C[m][p] cells of that month and of its next month move.
 */
static int
model_person(struct model *m, int slot, long word, int month, int64_t d)
{
	uint64_t		 key = (uint64_t)(slot + 1) << 32 | (uint64_t)word;
	struct model_member	*e;
	struct model_presence	*v;
	uint32_t		 i, prev, next;
	int64_t			 before, after;
	int			 rc = 0;

	if ((m->nmembers + 1) * 2 > m->mcap && model_member_grow(m) == -1)
		return -1;
	if ((e = model_member_find(m, key))->key == 0) {
		e->key = key;
		m->nmembers++;
	}
	for (i = 0; i < e->n && e->v[i].month < month; i++)
		;
	before = i < e->n && e->v[i].month == month ? e->v[i].n : 0;
	after = before + d;
	if (before == 0) {
		if (e->n == e->cap) {
			uint16_t cap = e->cap ? e->cap * 2 : 4;

			if (cap <= e->cap ||
			    (v = realloc(e->v, cap * sizeof(*v))) == NULL)
				return -1;
			m->bytes += (size_t)(cap - e->cap) * sizeof(*v);
			e->v = v;
			e->cap = cap;
		}
		memmove(&e->v[i + 1], &e->v[i], (e->n - i) * sizeof(*e->v));
		e->v[i].month = (uint16_t)month;
		e->n++;
	}
	e->v[i].n = (int32_t)after;
	if ((before > 0) == (after > 0))
		return 0;
	prev = i > 0 ? e->v[i - 1].month + 1u : 0;
	next = i + 1 < e->n ? e->v[i + 1].month : UINT32_MAX;
	d = after > 0 ? 1 : -1;
	rc |= model_add(m, slot, month, model_key(MK_PREV, prev, 0), d);
	if (next != UINT32_MAX) {
		rc |= model_add(m, slot, (int)next, model_key(MK_PREV, prev, 0),
		    -d);
		rc |= model_add(m, slot, (int)next, model_key(MK_PREV,
		    (uint32_t)month + 1, 0), d);
	}
	if (after <= 0) {
		memmove(&e->v[i], &e->v[i + 1], (e->n - i - 1) * sizeof(*e->v));
		e->n--;
	}
	return rc;
}

/* The words of a key, interned: w[i] for k[i]. */
static int
model_key_words(struct model *m, const struct agg_key *k, long w[AGG_MAX_KEYS])
{
	size_t	 i;

	for (i = 0; i < agg_nkeys[k->table]; i++)
		if ((w[i] = model_word(m, k->k[i])) < 0)
			return -1;
	return 0;
}

/* What one aggregate delta adds to one slot that selects it. */
static int
model_fold_slot(struct model *m, int slot, const struct agg_key *k,
    const long w[AGG_MAX_KEYS], int month, int64_t d)
{
	int	 all = m->slots[slot].base &&
		    m->slots[slot].scope == (int)m->cat->nsheets, rc = 0;
	uint32_t a0 = (uint32_t)w[0], a1 = (uint32_t)w[1];
	uint32_t a2 = (uint32_t)w[2], a3 = (uint32_t)w[3];

	switch (k->table) {
	case AGG_RECORDS:
		rc |= model_add(m, slot, month, model_key(MK_RECORDS, 0, 0), d);
		rc |= model_add(m, slot, month, model_key(MK_ACTIVITY, a0, 0),
		    d);
		rc |= model_add(m, slot, month, model_key(MK_VENUE, a2, 0), d);
		if (all) {
			rc |= model_add(m, slot, month,
			    model_key(MK_VENUE_ACTIVITY, a2, a0), d);
			rc |= model_add(m, slot, month,
			    model_key(MK_VENUE_STRUCTURE, a2, a1), d);
		}
		break;
	case AGG_DAYS:
		rc |= model_add(m, slot, month, model_key(MK_DAY,
		    (uint32_t)(k->period % 100), 0), d);
		if (all)
			rc |= model_add(m, slot, month, model_key(
			    MK_STRUCTURE_DAY, a1, (uint32_t)(k->period % 100)),
			    d);
		break;
	case AGG_GROUPS:
		rc |= model_add(m, slot, month, model_key(MK_PARTICIPANTS, 0,
		    0), d);
		rc |= model_add(m, slot, month, model_key(MK_CATEGORY, a2, 0),
		    d);
		rc |= model_add(m, slot, month, model_key(MK_RESIDENCE, a3, 0),
		    d);
		if (all) {
			rc |= model_add(m, slot, month,
			    model_key(MK_RESIDENCE_ACTIVITY, a3, a0), d);
			rc |= model_add(m, slot, month,
			    model_key(MK_RESIDENCE_CATEGORY, a3, a2), d);
		}
		break;
	case AGG_PARTNERS:
		rc |= model_add(m, slot, month, model_key(MK_PARTNER, a2, 0), d);
		break;
	case AGG_PERSONS:
		rc |= model_person(m, slot, w[3], month, d);
		break;
	default:
		break;
	}
	return rc;
}

int
model_fold(struct model *m, const struct agg_key *k, int64_t d)
{
	const struct model_scope	*sc;
	const struct model_word		*t;
	long				 w[AGG_MAX_KEYS] = { 0 }, sw;
	uint64_t			 cats;
	size_t				 i;
	int				 month, scope;

	if (m->delta && k->table == AGG_PERSONS)
		return 0;	/* members are stored by key, not in cells */
	month = model_month(k->table == AGG_DAYS ? k->period / 100 : k->period);
	if (month < 0 || (sw = model_word(m, k->sheet)) < 0 ||
	    model_key_words(m, k, w) == -1)
		return -1;
	if (strcmp(k->sheet, AGG_ALL) == 0)
		scope = (int)m->cat->nsheets;
	else if ((scope = m->words[sw].sheet) < 0)
		return 0;	/* a sheet the plan does not have counts nowhere */
	/* The categories a filter sees (ind_match): per table. */
	switch (k->table) {
	case AGG_RECORDS:
		cats = m->words[w[3]].cats;
		break;
	case AGG_DAYS:
		cats = m->words[w[2]].cats;
		break;
	case AGG_PARTNERS:
		cats = UINT64_MAX;	/* a category does not narrow them */
		break;
	default:
		cats = model_bit(m->words[w[2]].cat);
		break;
	}
	sc = &m->scopes[scope];
	for (i = 0; i < sc->n; i++) {
		const struct model_slot *s = &m->slots[sc->slots[i]];

		t = &m->words[w[0]];
		if (!s->base && !catalogue_filter_selects(&s->f, t->act,
		    m->words[w[1]].str, cats))
			continue;
		if (model_fold_slot(m, sc->slots[i], k, w, month, d) == -1)
			return -1;
	}
	return 0;
}

struct model_fold_ctx {
	struct model	*m;
	int		 failed;
};

static void
model_fold_one(void *arg, const struct agg_key *k, int64_t d)
{
	struct model_fold_ctx	*c = arg;

	if (!c->failed && model_fold(c->m, k, d) == -1)
		c->failed = 1;
}

int
model_fold_batch(struct model *m, const struct agg_batch *b)
{
	struct model_fold_ctx	 c = { m, 0 };

	agg_batch_each(b, model_fold_one, &c);
	return c.failed ? -1 : 0;
}

static int64_t
model_cell_get(const struct model_cell *c, uint64_t key)
{
	uint32_t	 i;

	if (c == NULL)
		return 0;
	i = model_lower(c, key);
	return i < c->n && c->v[i].key == key ? c->v[i].n : 0;
}

int64_t
model_total(const struct model *m, int slot, enum model_kind k, int lo,
    int hi)
{
	int64_t	 n = 0;
	int	 l, h, i;

	if (model_range(lo, hi, &l, &h) == -1)
		return 0;
	for (i = l; i <= h; i++)
		n += model_cell_get(m->slots[slot].cells[i], model_key(k, 0, 0));
	return n;
}

const struct model_kind_spec model_kinds[MK__COUNT] = {
	[MK_RECORDS] = { "records", MF_NONE, MF_NONE },
	[MK_PARTICIPANTS] = { "participants", MF_NONE, MF_NONE },
	[MK_CATEGORY] = { "by_category", MF_WORD, MF_NONE },
	[MK_RESIDENCE] = { "by_residence", MF_WORD, MF_NONE },
	[MK_ACTIVITY] = { "by_activity", MF_WORD, MF_NONE },
	[MK_VENUE] = { "venues", MF_WORD, MF_NONE },
	[MK_PARTNER] = { "partners", MF_WORD, MF_NONE },
	[MK_DAY] = { "days", MF_NUMBER, MF_NONE },
	[MK_PREV] = { "persons_by_previous_month", MF_NUMBER, MF_NONE },
	[MK_VENUE_ACTIVITY] = { "venue_activity", MF_WORD, MF_WORD },
	[MK_VENUE_STRUCTURE] = { "venue_structure", MF_WORD, MF_WORD },
	[MK_RESIDENCE_ACTIVITY] = { "residence_activity", MF_WORD, MF_WORD },
	[MK_RESIDENCE_CATEGORY] = { "residence_category", MF_WORD, MF_WORD },
	[MK_STRUCTURE_DAY] = { "structure_day", MF_WORD, MF_NUMBER },
};

/* The [first, last) keys of a kind, or of a pair kind under one word. */
static void
model_bounds(enum model_kind k, long within, uint64_t *first, uint64_t *last)
{
	if (within >= 0) {
		*first = model_key(k, (uint32_t)within, 0);
		*last = model_key(k, (uint32_t)within, MODEL_ID_MASK) + 1;
	} else {
		*first = (uint64_t)k << 56;
		*last = (uint64_t)(k + 1) << 56;
	}
}

static int
model_sum_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct model_sum *)a)->key,
	    ((const struct model_sum *)b)->key);
}

void
model_sums_sort(struct model_sum *v, size_t n)
{
	qsort(v, n, sizeof(*v), model_sum_key_cmp);
}

/*
 * Every entry of a kind over the months, summed by its first word (a pair
 * kind: by its second, under the first word `within`), into a malloc'd
 * array sorted by id. Each month's entries come sorted by id already, so
 * they are merged month by month into the running sums.
 */
static struct model_entry *
model_gather(const struct model *m, int slot, enum model_kind k, long within,
    int l, int h, size_t *n)
{
	struct model_entry	*acc = NULL, *out = NULL, *t;
	const struct model_cell	*c;
	uint64_t		 first, last, id;
	size_t			 cap = 0, o, j;
	uint32_t		 i, end;
	int			 mo;

	*n = 0;
	model_bounds(k, within, &first, &last);
	for (mo = l; mo <= h; mo++) {
		if ((c = m->slots[slot].cells[mo]) == NULL)
			continue;
		i = model_lower(c, first);
		end = model_lower(c, last);
		if (i == end)
			continue;
		if (*n + (end - i) > cap) {
			cap = (*n + (end - i)) * 2;
			if ((t = realloc(out, cap * sizeof(*t))) == NULL)
				goto fail;
			out = t;
			if ((t = realloc(acc, cap * sizeof(*t))) == NULL)
				goto fail;
			acc = t;
		}
		/* acc (the sums so far) and this month, merged into out. */
		for (j = 0, o = 0; j < *n || i < end; o++) {
			id = i < end ? (within >= 0 ? c->v[i].key &
			    MODEL_ID_MASK : c->v[i].key >> MODEL_ID_BITS &
			    MODEL_ID_MASK) : UINT64_MAX;
			if (j < *n && acc[j].key < id)
				out[o] = acc[j++];
			else if (j < *n && acc[j].key == id) {
				out[o] = (struct model_entry){ id,
				    acc[j++].n + c->v[i++].n };
			} else
				out[o] = (struct model_entry){ id, c->v[i++].n };
			/* A pair kind read without `within`: an id again. */
			if (o > 0 && out[o - 1].key == out[o].key) {
				out[o - 1].n += out[o].n;
				o--;
			}
		}
		t = acc;
		acc = out;
		out = t;
		*n = o;
	}
	free(out);
	if (*n == 0) {
		free(acc);
		return NULL;
	}
	return acc;
fail:
	free(out);
	free(acc);
	*n = 0;
	return NULL;
}

struct model_sum *
model_sums(const struct model *m, int slot, enum model_kind k,
    const char *within, int lo, int hi, size_t *n)
{
	struct model_entry	*v;
	struct model_sum	*out;
	size_t			 i, c, o = 0;
	long			 w = -1;
	int			 l, h;

	*n = 0;
	if (within != NULL && (w = model_word_peek(m, within)) < 0)
		return NULL;
	if (model_range(lo, hi, &l, &h) == -1 ||
	    (v = model_gather(m, slot, k, w, l, h, &c)) == NULL)
		return NULL;
	if ((out = calloc(c + 1, sizeof(*out))) != NULL) {
		for (i = 0; i < c; i++)
			if (v[i].n != 0 && v[i].key < m->nwords)
				out[o++] = (struct model_sum){
				    m->words[v[i].key].s, v[i].n };
		model_sums_sort(out, o);
		*n = o;
	}
	free(v);
	return out;
}

int64_t
model_value(const struct model *m, int slot, enum model_kind k,
    const char *key, int lo, int hi)
{
	long	 w = model_word_peek(m, key);
	int64_t	 n = 0;
	int	 l, h, i;

	if (w < 0 || model_range(lo, hi, &l, &h) == -1)
		return 0;
	for (i = l; i <= h; i++)
		n += model_cell_get(m->slots[slot].cells[i],
		    model_key(k, (uint32_t)w, 0));
	return n;
}

int64_t
model_persons(const struct model *m, int slot, int lo, int hi)
{
	const struct model_cell	*c;
	uint64_t		 first = model_key(MK_PREV, 0, 0), last;
	int64_t			 n = 0;
	uint32_t		 i;
	int			 l, h, mo;

	if (model_range(lo, hi, &l, &h) == -1)
		return 0;
	/* Previous appearance before the window: p + 1 <= l. */
	last = model_key(MK_PREV, (uint32_t)l + 1, 0);
	for (mo = l; mo <= h; mo++) {
		if ((c = m->slots[slot].cells[mo]) == NULL)
			continue;
		for (i = model_lower(c, first); i < c->n && c->v[i].key < last;
		    i++)
			n += c->v[i].n;
	}
	return n;
}

int *
model_days(const struct model *m, int slot, int lo, int hi, size_t *n)
{
	const struct model_cell	*c;
	uint64_t		 first = model_key(MK_DAY, 0, 0);
	uint64_t		 last = model_key(MK_DAY + 1, 0, 0);
	int			*v = NULL, *nv;
	size_t			 cap = 0;
	uint32_t		 i;
	int			 l, h, mo;

	*n = 0;
	if (model_range(lo, hi, &l, &h) == -1)
		return calloc(1, sizeof(int));
	for (mo = l; mo <= h; mo++) {
		if ((c = m->slots[slot].cells[mo]) == NULL)
			continue;
		for (i = model_lower(c, first); i < c->n && c->v[i].key < last;
		    i++) {
			if (c->v[i].n <= 0)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 32;
				if ((nv = realloc(v, cap * sizeof(*v))) ==
				    NULL) {
					free(v);
					*n = 0;
					return NULL;
				}
				v = nv;
			}
			v[(*n)++] = model_yyyymm(mo) * 100 +
			    (int)(c->v[i].key >> MODEL_ID_BITS & MODEL_ID_MASK);
		}
	}
	return v != NULL ? v : calloc(1, sizeof(int));
}

int
model_last_day(const struct model *m, int slot, enum model_kind k,
    const char *within)
{
	const struct model_cell	*c;
	uint64_t		 first, last;
	long			 w = -1;
	uint32_t		 i;
	int			 mo, day = 0;

	if (within != NULL && (w = model_word_peek(m, within)) < 0)
		return 0;
	model_bounds(k, w, &first, &last);
	for (mo = MODEL_MONTHS - 1; mo >= 0 && day == 0; mo--) {
		if ((c = m->slots[slot].cells[mo]) == NULL)
			continue;
		for (i = model_lower(c, first); i < c->n && c->v[i].key < last;
		    i++)
			if (c->v[i].n > 0) {
				uint32_t d = (uint32_t)(c->v[i].key &
				    MODEL_ID_MASK);

				if (w < 0)
					d = (uint32_t)(c->v[i].key >>
					    MODEL_ID_BITS & MODEL_ID_MASK);
				if ((int)d > day)
					day = (int)d;
			}
		if (day != 0)
			day += model_yyyymm(mo) * 100;
	}
	return day;
}

static int
model_evidence_cmp(const struct model_evidence *a,
    const struct model_evidence *b)
{
	int	 c = strcmp(a->date, b->date);

	return c != 0 ? c : strcmp(a->id, b->id);
}

int
model_add_evidence(struct model *m, const struct model_evidence *e)
{
	const struct cat_sheet		*s;
	struct model_sheet_evidence	*l;
	struct model_evidence		 c, *v;
	char				 code[64];
	size_t				 n = strcspn(e->indicator, "/"), i;

	if (n >= sizeof(code))
		return 0;
	memcpy(code, e->indicator, n);
	code[n] = '\0';
	if ((s = catalogue_sheet(m->cat, code)) == NULL ||
	    strcmp(s->code, code) != 0)
		return 0;	/* no sheet shows it */
	l = &m->evidence[s->number - 1];
	c.indicator = arena_strdup(&m->arena, e->indicator);
	c.date = arena_strdup(&m->arena, e->date);
	c.state = arena_strdup(&m->arena, e->state);
	c.text = arena_strdup(&m->arena, e->text);
	c.reference = arena_strdup(&m->arena, e->reference);
	c.id = arena_strdup(&m->arena, e->id);
	if (c.indicator == NULL || c.date == NULL || c.state == NULL ||
	    c.text == NULL || c.id == NULL ||
	    (e->reference != NULL && c.reference == NULL))
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;

		if ((v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	for (i = l->n; i > 0 && model_evidence_cmp(&l->v[i - 1], &c) > 0; i--)
		l->v[i] = l->v[i - 1];
	l->v[i] = c;
	l->n++;
	m->bytes += sizeof(c) + strlen(c.text) + 64;
	return 0;
}

const struct model_evidence **
model_evidence(const struct model *m, size_t sheet, const char *last,
    size_t *n)
{
	const struct model_sheet_evidence	*l = &m->evidence[sheet];
	const struct model_evidence		**v;
	size_t					 i;

	*n = 0;
	if ((v = calloc(l->n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].date, last) <= 0)
			v[(*n)++] = &l->v[i];
	return v;
}

const char *
model_kind_name(enum model_kind k)
{
	return k > 0 && k < MK__COUNT ? model_kinds[k].name : "?";
}

/* The words of a key, as text (days and months as numbers). */
static void
model_key_text(const struct model *m, uint64_t key, const char **a,
    const char **b, char buf[2][16])
{
	enum model_kind	 k = (enum model_kind)(key >> 56);
	uint32_t	 v[2] = { (uint32_t)(key >> MODEL_ID_BITS & MODEL_ID_MASK),
			    (uint32_t)(key & MODEL_ID_MASK) };
	enum model_field f[2] = { model_kinds[k].a, model_kinds[k].b };
	const char	**out[2] = { a, b };
	int		 i;

	for (i = 0; i < 2; i++) {
		snprintf(buf[i], 16, "%u", v[i]);
		*out[i] = f[i] == MF_NONE ? "" : f[i] == MF_WORD &&
		    v[i] < m->nwords ? m->words[v[i]].s : buf[i];
	}
}

/*
 * The same key in another model's ids: words are looked up by text (ids
 * depend on the order words were first seen). 0 when a word is unknown
 * there, so the other model's sum is 0.
 */
static int
model_translate(const struct model *from, const struct model *to,
    uint64_t key, uint64_t *out)
{
	enum model_kind	 k = (enum model_kind)(key >> 56);
	uint32_t	 v[2] = { (uint32_t)(key >> MODEL_ID_BITS & MODEL_ID_MASK),
			    (uint32_t)(key & MODEL_ID_MASK) };
	enum model_field f[2] = { model_kinds[k].a, model_kinds[k].b };
	long		 w;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (f[i] != MF_WORD)
			continue;
		if ((w = model_word_peek(to, from->words[v[i]].s)) < 0)
			return 0;
		v[i] = (uint32_t)w;
	}
	*out = model_key(k, v[0], v[1]);
	return 1;
}

long
model_compare(const struct model *x, const struct model *y,
    void (*diff)(void *, const char *, int, enum model_kind, const char *,
    const char *, int64_t, int64_t), void *arg)
{
	const struct model	*p[2] = { x, y };
	const struct model_cell	*a, *b;
	const char		*w1, *w2;
	char			 buf[2][16];
	uint64_t		 key;
	int64_t			 other;
	uint32_t		 i;
	size_t			 s;
	long			 n = 0;
	int			 mo, side;

	/* Each side's entries looked up in the other; the second side
	 * reports only what the first could not see. */
	for (s = 0; s < x->nslots && s < y->nslots; s++)
		for (mo = 0; mo < MODEL_MONTHS; mo++)
			for (side = 0; side < 2; side++) {
				a = p[side]->slots[s].cells[mo];
				b = p[!side]->slots[s].cells[mo];
				for (i = 0; a != NULL && i < a->n; i++) {
					other = model_translate(p[side],
					    p[!side], a->v[i].key, &key) ?
					    model_cell_get(b, key) : 0;
					if (other == a->v[i].n ||
					    (side == 1 && other != 0))
						continue;
					n++;
					if (diff == NULL)
						continue;
					model_key_text(p[side], a->v[i].key,
					    &w1, &w2, buf);
					diff(arg, x->slots[s].name,
					    model_yyyymm(mo),
					    (enum model_kind)(a->v[i].key >> 56),
					    w1, w2, side == 0 ? a->v[i].n : other,
					    side == 0 ? other : a->v[i].n);
				}
			}
	return n;
}
