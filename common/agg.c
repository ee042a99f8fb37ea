/*
 * agg.c — a record's contributions to the aggregates, and the in-memory
 * batch that sums them. A key is serialised as its fields separated by
 * NUL bytes; the batch is an open-addressing hash table over those bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "arena.h"

const size_t agg_nkeys[AGG__TABLES] = {
	[AGG_RECORDS] = 4, [AGG_DAYS] = 3, [AGG_GROUPS] = 4, [AGG_PARTNERS] = 3,
	[AGG_PERSONS] = 4,
};

struct agg_entry {
	char		*key;		/* serialised, in the arena */
	size_t		 len;
	uint64_t	 hash;
	int64_t		 sum;
};

/*
 * used lists the slots taken, so that clearing and walking a batch cost
 * what it holds, not what the table once grew to.
 */
struct agg_batch {
	struct agg_entry	*slots;
	size_t			 cap, used;
	size_t			*taken;		/* used slot indices */
	struct arena		 arena;
};

#define AGG_KEY_MAX	8192	/* bytes of a serialised key */

/*
 * Table, sheet, period, keys: byte order is then each table's primary-key
 * order (a NUL ends every field, and periods have a fixed width), so a
 * sorted batch walks each table's B-tree from left to right.
 */
static size_t
agg_serialise(const struct agg_key *k, char *buf)
{
	size_t	 n = 0, i, l;
	int	 w;

	buf[n++] = (char)('0' + k->table);
	l = strlen(k->sheet);
	memcpy(buf + n, k->sheet, l + 1);
	n += l + 1;
	w = snprintf(buf + n, 16, "%d", k->period);
	n += (size_t)w + 1;
	for (i = 0; i < agg_nkeys[k->table]; i++) {
		l = strnlen(k->k[i], 1024);
		memcpy(buf + n, k->k[i], l);
		n += l;
		buf[n++] = '\0';
	}
	return n;
}

static void
agg_deserialise(const char *s, struct agg_key *k)
{
	size_t	 i;

	k->table = (enum agg_table)(s[0] - '0');
	s++;
	k->sheet = s;
	s += strlen(s) + 1;
	k->period = atoi(s);
	s += strlen(s) + 1;
	for (i = 0; i < agg_nkeys[k->table]; i++) {
		k->k[i] = s;
		s += strlen(s) + 1;
	}
}

static uint64_t
agg_hash(const char *p, size_t n)
{
	uint64_t	 h = 1469598103934665603ULL;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

struct agg_batch *
agg_batch_new(void)
{
	struct agg_batch	*b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->cap = 1024;
	b->slots = calloc(b->cap, sizeof(*b->slots));
	b->taken = calloc(b->cap, sizeof(*b->taken));
	if (b->slots == NULL || b->taken == NULL) {
		free(b->slots);
		free(b->taken);
		free(b);
		return NULL;
	}
	return b;
}

void
agg_batch_free(struct agg_batch *b)
{
	if (b == NULL)
		return;
	arena_free(&b->arena);
	free(b->slots);
	free(b->taken);
	free(b);
}

void
agg_batch_clear(struct agg_batch *b)
{
	size_t	 i;

	for (i = 0; i < b->used; i++)
		memset(&b->slots[b->taken[i]], 0, sizeof(*b->slots));
	b->used = 0;
	arena_free(&b->arena);
}

static struct agg_entry *
agg_find(const struct agg_batch *b, const char *key, size_t len,
    uint64_t h)
{
	size_t			 i = h & (b->cap - 1);
	struct agg_entry	*e;

	for (;; i = (i + 1) & (b->cap - 1)) {
		e = &b->slots[i];
		if (e->key == NULL || (e->hash == h && e->len == len &&
		    memcmp(e->key, key, len) == 0))
			return e;
	}
}

static int
agg_grow(struct agg_batch *b)
{
	struct agg_entry	*old = b->slots, *e;
	size_t			*taken, i;

	if ((taken = calloc(b->cap * 2, sizeof(*taken))) == NULL)
		return -1;
	if ((b->slots = calloc(b->cap * 2, sizeof(*b->slots))) == NULL) {
		b->slots = old;
		free(taken);
		return -1;
	}
	b->cap *= 2;
	for (i = 0; i < b->used; i++) {
		struct agg_entry *o = &old[b->taken[i]];

		e = agg_find(b, o->key, o->len, o->hash);
		*e = *o;
		taken[i] = (size_t)(e - b->slots);
	}
	free(old);
	free(b->taken);
	b->taken = taken;
	return 0;
}

int
agg_batch_add(struct agg_batch *b, const struct agg_key *k, int64_t delta)
{
	char			 buf[AGG_KEY_MAX];
	size_t			 len = agg_serialise(k, buf);
	uint64_t		 h = agg_hash(buf, len);
	struct agg_entry	*e;

	if ((b->used + 1) * 4 > b->cap * 3 && agg_grow(b) == -1)
		return -1;
	e = agg_find(b, buf, len, h);
	if (e->key == NULL) {
		if ((e->key = arena_memdup(&b->arena, buf, len)) == NULL)
			return -1;
		e->len = len;
		e->hash = h;
		b->taken[b->used++] = (size_t)(e - b->slots);
	}
	e->sum += delta;
	return 0;
}

int64_t
agg_batch_get(const struct agg_batch *b, const struct agg_key *k)
{
	char			 buf[AGG_KEY_MAX];
	size_t			 len = agg_serialise(k, buf);
	struct agg_entry	*e = agg_find(b, buf, len, agg_hash(buf, len));

	return e->key == NULL ? 0 : e->sum;
}

static int
agg_entry_cmp(const void *x, const void *y, void *slots)
{
	const struct agg_entry	*a = (const struct agg_entry *)slots +
				    *(const size_t *)x;
	const struct agg_entry	*b = (const struct agg_entry *)slots +
				    *(const size_t *)y;
	int			 c = memcmp(a->key, b->key,
				    a->len < b->len ? a->len : b->len);

	return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

void
agg_batch_sort(struct agg_batch *b)
{
	qsort_r(b->taken, b->used, sizeof(*b->taken), agg_entry_cmp, b->slots);
}

size_t
agg_batch_each(const struct agg_batch *b,
    void (*fn)(void *, const struct agg_key *, int64_t), void *arg)
{
	const struct agg_entry	*e;
	struct agg_key		 k;
	size_t			 i, n = 0;

	for (i = 0; i < b->used; i++) {
		e = &b->slots[b->taken[i]];
		if (e->sum == 0)
			continue;
		agg_deserialise(e->key, &k);
		fn(arg, &k, e->sum);
		n++;
	}
	return n;
}

const char *
agg_commune_key(const struct catalogue *cat, const char *code)
{
	const struct cat_commune	*c;

	if (code == NULL || code[0] == '\0')
		return "inconnue";
	if ((c = catalogue_commune(cat, code)) == NULL)
		return "inconnue";
	return c->ccqb ? c->current : "hors";
}

static int
agg_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The record's categories, sorted, once each, comma-joined. */
static void
agg_categories(const struct record *r, char *out, size_t len)
{
	const char	*v[64];
	size_t		 n = 0, i, j, o = 0;

	for (i = 0; i < r->ngroups && n < 64; i++) {
		for (j = 0; j < n && strcmp(v[j], r->groups[i].category); j++)
			;
		if (j == n)
			v[n++] = r->groups[i].category;
	}
	qsort(v, n, sizeof(*v), agg_cmp);
	out[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? "," : "",
		    v[i]);
}

void
agg_hex(const uint8_t *p, size_t n, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

int
agg_batch_sink(void *b, const struct agg_key *k, int64_t delta)
{
	return agg_batch_add(b, k, delta);
}

/* Everything one record adds to one sheet. */
static int
agg_record_sheet(const struct agg_sink *b, const struct catalogue *cat,
    const struct record *r, const char *sheet, const char *cats, int sign)
{
	struct agg_key	 k = { .sheet = sheet };
	int		 month, day;
	size_t		 i, j;
	char		 person[2 * PERSON_TOKEN_LEN + 1];

	day = atoi(r->date) * 10000 + atoi(r->date + 5) * 100 +
	    atoi(r->date + 8);
	month = day / 100;
	k.table = AGG_RECORDS;
	k.period = month;
	k.k[0] = r->activity;
	k.k[1] = r->structure;
	k.k[2] = agg_commune_key(cat, r->commune);
	k.k[3] = cats;
	if (b->add(b->arg, &k, sign) == -1)
		return -1;
	k.table = AGG_DAYS;
	k.period = day;
	k.k[2] = cats;
	if (b->add(b->arg, &k, sign) == -1)
		return -1;
	k.period = month;
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = &r->groups[i];

		k.table = AGG_GROUPS;
		k.k[2] = g->category;
		k.k[3] = agg_commune_key(cat, g->residence);
		if (b->add(b->arg, &k, sign * g->count) == -1)
			return -1;
		if (g->person == NULL)
			continue;
		agg_hex(g->person, g->person_len < PERSON_TOKEN_LEN ?
		    g->person_len : PERSON_TOKEN_LEN, person);
		k.table = AGG_PERSONS;
		k.k[3] = person;
		if (b->add(b->arg, &k, sign) == -1)
			return -1;
	}
	k.table = AGG_PARTNERS;
	for (i = 0; i < r->npartners; i++) {
		for (j = 0; j < i && strcmp(r->partners[j], r->partners[i]);
		    j++)
			;
		if (j < i)
			continue;	/* named twice, counted once */
		k.k[2] = r->partners[i];
		if (b->add(b->arg, &k, sign) == -1)
			return -1;
	}
	return 0;
}

int
agg_record(const struct agg_sink *b, const struct catalogue *cat,
    const struct record *r, int sign)
{
	char	 cats[1024];
	size_t	 i;

	agg_categories(r, cats, sizeof(cats));
	for (i = 0; i < r->nsheets; i++)
		if (agg_record_sheet(b, cat, r, r->sheets[i], cats, sign) == -1)
			return -1;
	return agg_record_sheet(b, cat, r, AGG_ALL, cats, sign);
}
