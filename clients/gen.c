/*
 * gen.c — realistic generated records (see gen.h).
 */
#include <string.h>
#include <sys/time.h>

#include "gen.h"
#include "record.h"
#include "uuid.h"

static const char *const gen_partners[] = { "CAF", "MSA", "Mairie",
    "Département", "Médiathèque", "Collège", "Mission locale" };

/* xorshift64*: fast, and the same sequence for the same seed. */
static uint64_t
gen_rand(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 2685821657736338717ULL;
}

static size_t
gen_pick(struct gen *g, size_t n)
{
	return (size_t)(gen_rand(g) % n);
}

int
gen_init(struct gen *g, const struct catalogue *cat, uint64_t seed,
    int64_t today, int days)
{
	size_t	 i, outside = 0;

	memset(g, 0, sizeof(*g));
	g->cat = cat;
	g->rng = seed * 0x9E3779B97F4A7C15ULL | 1;
	g->today = today;
	g->days = days > 0 ? days : 1;
	for (i = 0; i < cat->nsheets && g->nsheets < 64; i++)
		if (cat->sheets[i].activities != 0)
			g->sheets[g->nsheets++] = &cat->sheets[i];
	/* Every current commune of the CC, and 16 from elsewhere. */
	for (i = 0; i < cat->ncommunes; i++) {
		const struct cat_commune *c = &cat->communes[i];

		if (strcmp(c->type, "COM") != 0 || g->ncommunes == 96 ||
		    (!c->ccqb && outside == 16))
			continue;
		outside += !c->ccqb;
		g->communes[g->ncommunes++] = c->code;
	}
	return g->nsheets > 0 && g->ncommunes > 0 ? 0 : -1;
}

/* A word of a vocabulary; with a mask, one of the words it sets. */
static const char *
gen_word(struct gen *g, enum cat_vocab v, uint64_t mask)
{
	size_t	 n = g->cat->nwords[v], i, k;

	if (mask == 0)
		return g->cat->words[v][gen_pick(g, n)].keyword;
	k = gen_pick(g, (size_t)__builtin_popcountll(mask));
	for (i = 0; i < n; i++)
		if ((mask >> i & 1) && k-- == 0)
			break;
	return g->cat->words[v][i].keyword;
}

static int
gen_id(struct gen *g, uint8_t *id)
{
	uint64_t	 bits[4];
	struct timeval	 tv;
	size_t		 i;

	for (i = 0; i < 4; i++)
		bits[i] = gen_rand(g);
	gettimeofday(&tv, NULL);
	uuid_v7_from_digest((uint64_t)tv.tv_sec * 1000 +
	    (uint64_t)tv.tv_usec / 1000, (const uint8_t *)bits, id);
	return 0;
}

/* The groups: 1 to 3, one in ten records follows one person. */
static int
gen_groups(struct gen *g, struct record *r, struct arena *a)
{
	struct group	*gr;
	uint8_t		*person;
	size_t		 i, who;

	r->ngroups = 1 + gen_pick(g, 3);
	if ((gr = arena_alloc(a, r->ngroups * sizeof(*gr))) == NULL)
		return -1;
	memset(gr, 0, r->ngroups * sizeof(*gr));
	for (i = 0; i < r->ngroups; i++) {
		gr[i].residence = g->communes[gen_pick(g, g->ncommunes)];
		gr[i].count = 1 + (int64_t)gen_pick(g, 20);
		gr[i].has_count = 1;
	}
	if (gen_pick(g, 10) == 0) {
		if ((person = arena_alloc(a, PERSON_TOKEN_LEN)) == NULL)
			return -1;
		memset(person, 0, PERSON_TOKEN_LEN);
		who = gen_pick(g, GEN_PERSONS);
		memcpy(person, &who, sizeof(who));
		gr[0].person = person;
		gr[0].person_len = PERSON_TOKEN_LEN;
		gr[0].count = 1;
	}
	r->groups = gr;
	return 0;
}

/*
 * A sheet's profile, fixed by its number as the plan fixes it in life: its
 * pilot structure (one sheet in three has two), its publics (three
 * categories) and its venues (four communes).
 */
static size_t
gen_of(const struct cat_sheet *s, size_t salt, size_t n)
{
	return ((size_t)s->number * 2654435761u + salt * 40503u) % n;
}

static const char *
gen_structure(struct gen *g, const struct cat_sheet *s)
{
	size_t	 n = g->cat->nwords[VOCAB_STRUCTURE];

	return g->cat->words[VOCAB_STRUCTURE][gen_of(s,
	    s->number % 3 == 0 ? gen_pick(g, 2) : 0, n)].keyword;
}

/*
 * About one record in eight is regular service with no sheet (it takes a
 * sheet's profile all the same); one in four of the others also names a
 * second sheet that accepts its activity.
 */
int
gen_record(struct gen *g, struct record *r, struct arena *a)
{
	const struct cat_sheet	*s, *t;
	const char		**sheets, **partners;
	uint8_t			*id;
	char			*date;
	size_t			 i, n, ncat = g->cat->nwords[VOCAB_CATEGORY];

	memset(r, 0, sizeof(*r));
	if ((id = arena_alloc(a, RECORD_ID_LEN)) == NULL ||
	    (sheets = arena_alloc(a, 2 * sizeof(*sheets))) == NULL ||
	    (partners = arena_alloc(a, 2 * sizeof(*partners))) == NULL ||
	    (date = arena_alloc(a, 11)) == NULL ||
	    gen_id(g, id) == -1 || gen_groups(g, r, a) == -1)
		return -1;
	r->id = id;
	r->id_len = RECORD_ID_LEN;
	s = g->sheets[gen_pick(g, g->nsheets)];
	if (gen_pick(g, 8) == 0) {
		r->activity = "accueil";
	} else {
		sheets[r->nsheets++] = s->code;
		r->activity = gen_word(g, VOCAB_ACTIVITY, s->activities);
		t = g->sheets[gen_pick(g, g->nsheets)];
		if (gen_pick(g, 4) == 0 && t != s &&
		    catalogue_sheet_accepts(t, catalogue_word(g->cat,
		    VOCAB_ACTIVITY, r->activity)))
			sheets[r->nsheets++] = t->code;
	}
	r->sheets = sheets;
	for (i = 0; i < r->ngroups; i++)
		r->groups[i].category =
		    g->cat->words[VOCAB_CATEGORY][gen_of(s, gen_pick(g, 3),
		    ncat)].keyword;
	date_format(g->today - (int64_t)gen_pick(g, (size_t)g->days), date);
	r->date = date;
	r->structure = gen_structure(g, s);
	r->commune = g->communes[gen_of(s, 7 + gen_pick(g, 4), g->ncommunes)];
	n = gen_pick(g, 3);
	for (i = 0; i < n; i++)
		partners[r->npartners++] = gen_partners[gen_pick(g,
		    sizeof(gen_partners) / sizeof(gen_partners[0]))];
	if (n == 2 && partners[0] == partners[1])
		r->npartners = 1;
	r->partners = partners;
	return 0;
}
