/*
 * lookup.c — words as people type them, resolved against the catalogue.
 * Everything compares folded forms (utf8_fold: lower case, no accents, no
 * spaces or punctuation), by steps from the strictest to the loosest; the
 * first step that finds something decides, and finding two different
 * things there is an ambiguity to report, never a guess. The communes'
 * folded names (~39,000, and the name from each word on, so that
 * « Lhospitalet » finds Pern-Lhospitalet) are sorted once, on the first
 * lookup by name, into the catalogue's arena.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lookup.h"
#include "utf8.h"

#define LOOKUP_FOLD_MAX		256	/* bytes of a folded word */
#define LOOKUP_SHOWN		8	/* candidates named in a message */
#define LOOKUP_KEPT		16	/* distinct candidates remembered */

/* The text without its surrounding spaces, into buf. */
static const char *
lookup_trim(const char *text, char *buf, size_t len)
{
	size_t	 n;

	if (text == NULL)
		text = "";
	while (*text == ' ' || *text == '\t')
		text++;
	n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
	    text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

/* Appends ", item" (or "item" first) to a message, cut on overflow. */
static void
lookup_append(char *buf, size_t len, const char *item)
{
	size_t	 o = strlen(buf);

	if (o < len)
		snprintf(buf + o, len - o, "%s%s", o ? ", " : "", item);
}

/* ---- vocabulary words ------------------------------------------------ */

static const char *const lookup_vocab_names[VOCAB__COUNT] = {
	[VOCAB_ACTIVITY] = "activité",
	[VOCAB_CATEGORY] = "catégorie",
	[VOCAB_STRUCTURE] = "structure",
};

/* How a word's forms meet the folded text, strictest first. */
enum lookup_step {
	STEP_LABEL,		/* a form of the label, whole */
	STEP_PREFIX,		/* the beginning of the keyword or a form */
	STEP_WORD,		/* the beginning of a later word of one */
	STEP__COUNT
};

/*
 * The forms a word is known by, folded: the keyword, the whole label, the
 * label before « ( », and what the parentheses hold when it is one word
 * (« (AMA) », « (RIPE) »). Returns how many were written.
 */
static size_t
lookup_forms(const struct cat_word *w, char forms[4][LOOKUP_FOLD_MAX],
    const char *raw[4], char rawbuf[3][LOOKUP_FOLD_MAX])
{
	const char	*open, *close;
	size_t		 n = 0, k;

	raw[n] = w->keyword;
	utf8_fold(w->keyword, forms[n++], LOOKUP_FOLD_MAX);
	if (w->label == NULL || w->label[0] == '\0')
		return n;
	raw[n] = w->label;
	utf8_fold(w->label, forms[n++], LOOKUP_FOLD_MAX);
	if ((open = strstr(w->label, " (")) == NULL ||
	    (close = strchr(open, ')')) == NULL)
		return n;
	k = (size_t)(open - w->label);
	snprintf(rawbuf[0], LOOKUP_FOLD_MAX, "%.*s", (int)k, w->label);
	raw[n] = rawbuf[0];
	utf8_fold(rawbuf[0], forms[n++], LOOKUP_FOLD_MAX);
	k = (size_t)(close - open - 2);
	snprintf(rawbuf[1], LOOKUP_FOLD_MAX, "%.*s", (int)k, open + 2);
	if (strpbrk(rawbuf[1], " ,'") == NULL) {
		raw[n] = rawbuf[1];
		utf8_fold(rawbuf[1], forms[n++], LOOKUP_FOLD_MAX);
	}
	return n;
}

/* 1 when f begins a word of raw after its first (after ' ', '-', '\''). */
static int
lookup_begins_word(const char *raw, const char *f, size_t flen)
{
	char		 sub[LOOKUP_FOLD_MAX];
	const char	*p;

	for (p = raw + 1; *p != '\0'; p++) {
		if (strchr(" -'", p[-1]) == NULL || strchr(" -'", *p) != NULL)
			continue;
		utf8_fold(p, sub, sizeof(sub));
		if (strncmp(sub, f, flen) == 0)
			return 1;
	}
	return 0;
}

/* The strictest step at which word w meets f, or STEP__COUNT. */
static enum lookup_step
lookup_word_step(const struct cat_word *w, const char *f, size_t flen)
{
	char		 forms[4][LOOKUP_FOLD_MAX], rawbuf[3][LOOKUP_FOLD_MAX];
	const char	*raw[4];
	enum lookup_step best = STEP__COUNT;
	size_t		 n, i;

	n = lookup_forms(w, forms, raw, rawbuf);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(forms[i], f) == 0)
			return STEP_LABEL;
		if (strncmp(forms[i], f, flen) == 0)
			best = STEP_PREFIX;
		else if (best == STEP__COUNT &&
		    lookup_begins_word(raw[i], f, flen))
			best = STEP_WORD;
	}
	return best;
}

/*
 * text with the plural « s » or « x » of its words of four letters or more
 * dropped, into out; 1 when that changed anything.
 */
static int
lookup_singular(const char *text, char *out, size_t len)
{
	size_t	 i, o = 0, word = 0;
	int	 changed = 0;

	for (i = 0; text[i] != '\0' && o + 1 < len; i++) {
		char	 ch = text[i], next = text[i + 1];
		int	 end = next == '\0' || next == ' ' || next == '-';

		word = ch == ' ' || ch == '-' ? 0 : word + 1;
		if (end && word >= 4 && (ch == 's' || ch == 'x')) {
			changed = 1;
			continue;
		}
		out[o++] = ch;
	}
	out[o] = '\0';
	return changed;
}

int
lookup_word(const struct catalogue *c, enum cat_vocab v, const char *text,
    char *err, size_t errlen)
{
	char		 t[LOOKUP_FOLD_MAX], f[LOOKUP_FOLD_MAX];
	char		 kf[LOOKUP_FOLD_MAX], list[1024];
	int		 found[STEP__COUNT], count[STEP__COUNT];
	enum lookup_step s;
	size_t		 i, flen;
	int		 w;

	lookup_trim(text, t, sizeof(t));
	if ((w = catalogue_word(c, v, t)) != -1)
		return w;
	flen = utf8_fold(t, f, sizeof(f));
	for (i = 0; flen > 0 && i < c->nwords[v]; i++) {
		utf8_fold(c->words[v][i].keyword, kf, sizeof(kf));
		if (strcmp(kf, f) == 0)
			return (int)i;
	}
	for (s = 0; s < STEP__COUNT; s++)
		count[s] = 0, found[s] = -1;
	for (i = 0; flen > 0 && i < c->nwords[v]; i++)
		if ((s = lookup_word_step(&c->words[v][i], f, flen)) <
		    STEP__COUNT && count[s]++ == 0)
			found[s] = (int)i;
	for (s = 0; s < STEP__COUNT; s++) {
		if (count[s] == 1)
			return found[s];
		if (count[s] == 0)
			continue;
		list[0] = '\0';
		for (i = 0; i < c->nwords[v]; i++)
			if (lookup_word_step(&c->words[v][i], f, flen) == s)
				lookup_append(list, sizeof(list),
				    c->words[v][i].keyword);
		snprintf(err, errlen, "« %s » est ambigu (%s) : %s", t,
		    lookup_vocab_names[v], list);
		return LOOKUP_AMBIGUOUS;
	}
	/* « Enfants 7-11 »: the same words in the singular. */
	if (lookup_singular(t, f, sizeof(f)) &&
	    (w = lookup_word(c, v, f, list, sizeof(list))) >= 0)
		return w;
	snprintf(err, errlen, "%s « %s » inconnue : attendu %s",
	    lookup_vocab_names[v], t, catalogue_words_list(c, v, 0, list,
	    sizeof(list)));
	return LOOKUP_UNKNOWN;
}

/* ---- sheets and axes ------------------------------------------------- */

/* The number text holds (digits only, 1 .. max), or 0. */
static int
lookup_number(const char *t, size_t max)
{
	char	*end;
	long	 n;

	if (t[0] < '0' || t[0] > '9')
		return 0;
	n = strtol(t, &end, 10);
	return *end == '\0' && n >= 1 && (size_t)n <= max ? (int)n : 0;
}

const struct cat_sheet *
lookup_sheet(const struct catalogue *c, const char *text, char *err,
    size_t errlen)
{
	char	 t[LOOKUP_FOLD_MAX], f[LOOKUP_FOLD_MAX], cf[LOOKUP_FOLD_MAX];
	size_t	 i;
	int	 n;

	lookup_trim(text, t, sizeof(t));
	if ((n = lookup_number(t, c->nsheets)) > 0)
		return &c->sheets[n - 1];
	for (i = 0; i < c->nsheets; i++)
		if (strcasecmp(c->sheets[i].code, t) == 0)
			return &c->sheets[i];
	/* « III A 17 », « iii-a-17 »: codes stay distinct once folded. */
	if (utf8_fold(t, f, sizeof(f)) > 0)
		for (i = 0; i < c->nsheets; i++) {
			utf8_fold(c->sheets[i].code, cf, sizeof(cf));
			if (strcmp(cf, f) == 0)
				return &c->sheets[i];
		}
	snprintf(err, errlen, "fiche « %s » inconnue : attendu un code comme "
	    "III.A.17 ou un numéro de 1 à %zu (voir ctg-query sheets)", t,
	    c->nsheets);
	return NULL;
}

const struct cat_axis *
lookup_axis(const struct catalogue *c, const char *text, char *err,
    size_t errlen)
{
	char	 t[64], list[256] = "";
	size_t	 i;
	int	 n;

	lookup_trim(text, t, sizeof(t));
	n = lookup_number(t, 99);
	for (i = 0; i < c->naxes; i++)
		if (strcasecmp(c->axes[i].code, t) == 0 ||
		    (n > 0 && c->axes[i].number == n))
			return &c->axes[i];
	for (i = 0; i < c->naxes; i++)
		lookup_append(list, sizeof(list), c->axes[i].code);
	snprintf(err, errlen, "axe « %s » inconnu : attendu %s (ou leur "
	    "numéro, de 1 à %zu)", t, list, c->naxes);
	return NULL;
}

/* ---- communes -------------------------------------------------------- */

/* One folded name, or the folded name from one of its later words on. */
struct lookup_name {
	const char	*fold;
	uint32_t	 commune;	/* index in c->communes */
	uint32_t	 later;		/* 1: from a later word */
};

struct lookup_names {
	struct lookup_name	*v;
	size_t			 n;
};

static pthread_mutex_t	lookup_lock = PTHREAD_MUTEX_INITIALIZER;

static int
lookup_name_cmp(const void *a, const void *b)
{
	const struct lookup_name *x = a, *y = b;
	int			 d = strcmp(x->fold, y->fold);

	if (d != 0)
		return d;
	return x->commune < y->commune ? -1 : x->commune > y->commune;
}

/* Builds the index in the catalogue's arena; NULL when out of memory. */
static struct lookup_names *
lookup_names_build(struct catalogue *c)
{
	struct lookup_names	*ix;
	char			 f[LOOKUP_FOLD_MAX], sub[LOOKUP_FOLD_MAX];
	const char		*name, *p;
	char			*text, *whole;
	size_t			 i, cap = 0, bytes = 0, len, sublen;

	/* A fold is never longer than its UTF-8: one block holds them all. */
	for (i = 0; i < c->ncommunes; i++) {
		name = c->communes[i].name;
		for (p = name; name != NULL && *p != '\0'; p++)
			cap += p == name || (strchr(" -'", p[-1]) != NULL &&
			    strchr(" -'", *p) == NULL);
		bytes += name != NULL ? strlen(name) + 1 : 0;
	}
	if ((ix = arena_alloc(&c->arena, sizeof(*ix))) == NULL ||
	    (ix->v = arena_alloc(&c->arena, (cap + 1) *
	    sizeof(*ix->v))) == NULL ||
	    (text = arena_alloc(&c->arena, bytes + 1)) == NULL)
		return NULL;
	for (i = 0; i < c->ncommunes; i++) {
		if ((name = c->communes[i].name) == NULL || *name == '\0')
			continue;	/* former codes carry no name */
		if ((len = utf8_fold(name, f, sizeof(f))) == 0)
			continue;
		whole = memcpy(text, f, len + 1);
		text += len + 1;
		ix->v[ix->n++] = (struct lookup_name){ whole, (uint32_t)i, 0 };
		/* A later word's fold is the tail of the whole fold. */
		for (p = name + 1; *p != '\0' && ix->n < cap; p++) {
			if (strchr(" -'", p[-1]) == NULL ||
			    strchr(" -'", *p) != NULL)
				continue;
			if ((sublen = utf8_fold(p, sub, sizeof(sub))) == 0 ||
			    sublen > len)
				continue;
			ix->v[ix->n++] = (struct lookup_name){
			    whole + len - sublen, (uint32_t)i, 1 };
		}
	}
	qsort(ix->v, ix->n, sizeof(*ix->v), lookup_name_cmp);
	return ix;
}

/* The index, built once whichever thread asks first. */
static const struct lookup_names *
lookup_names(const struct catalogue *cc)
{
	struct catalogue	*c = (struct catalogue *)cc;
	struct lookup_names	*ix;

	if ((ix = atomic_load_explicit(&c->names, memory_order_acquire)) !=
	    NULL)
		return ix;
	pthread_mutex_lock(&lookup_lock);
	if ((ix = atomic_load_explicit(&c->names, memory_order_relaxed)) ==
	    NULL && (ix = lookup_names_build(c)) != NULL)
		atomic_store_explicit(&c->names, ix, memory_order_release);
	pthread_mutex_unlock(&lookup_lock);
	return ix;
}

/* The CC first, then the Lot, then all of France. */
static int
lookup_in_cc(const struct cat_commune *m)
{
	return m->ccqb;
}

static int
lookup_in_lot(const struct cat_commune *m)
{
	return strncmp(m->code, "46", 2) == 0;
}

static int
lookup_in_france(const struct cat_commune *m)
{
	(void)m;
	return 1;
}

static int (*const lookup_scopes[])(const struct cat_commune *) = {
	lookup_in_cc, lookup_in_lot, lookup_in_france,
};

/* How a name meets the folded text, strictest first. */
enum lookup_name_step {
	NAME_EXACT,		/* the whole name */
	NAME_PREFIX,		/* its beginning */
	NAME_WORD,		/* the beginning of a later word */
	NAME__NONE
};

/* The distinct current communes met at the strictest step of a scope. */
struct lookup_hits {
	enum lookup_name_step	 step;
	const struct cat_commune *first[LOOKUP_KEPT];	/* as named */
	size_t			 n;
	int			 more;		/* beyond LOOKUP_KEPT */
};

static void
lookup_hit(struct lookup_hits *h, enum lookup_name_step step,
    const struct cat_commune *m)
{
	size_t	 i;

	if (step > h->step)
		return;
	if (step < h->step) {
		h->step = step;
		h->n = 0;
		h->more = 0;
	}
	for (i = 0; i < h->n; i++)
		if (strcmp(h->first[i]->current, m->current) == 0) {
			/* Show the commune itself rather than a part. */
			if (strcmp(m->code, m->current) == 0)
				h->first[i] = m;
			return;
		}
	if (h->n < LOOKUP_KEPT)
		h->first[h->n++] = m;
	else
		h->more = 1;
}

/* « Nom (code) », « Nom (code → Commune actuelle) » for a part. */
static void
lookup_commune_name(const struct catalogue *c, const struct cat_commune *m,
    char *buf, size_t len)
{
	const struct cat_commune *cur = catalogue_commune(c, m->current);

	if (cur == NULL || cur == m)
		snprintf(buf, len, "%s (%s)", m->name, m->code);
	else
		snprintf(buf, len, "%s (%s → %s)", m->name, m->code, cur->name);
}

/* 1 when text is shaped like an INSEE code: 46201, 2A004. */
static int
lookup_is_code(const char *t)
{
	size_t	 i;

	if (strlen(t) != 5)
		return 0;
	for (i = 0; i < 5; i++)
		if (!(t[i] >= '0' && t[i] <= '9') && !(i == 1 &&
		    strchr("AaBb", t[i]) != NULL && t[0] == '2'))
			return 0;
	return 1;
}

const struct cat_commune *
lookup_commune(const struct catalogue *c, const char *text, char *err,
    size_t errlen)
{
	const struct lookup_names	*ix;
	const struct lookup_name	*e;
	const struct cat_commune	*m;
	struct lookup_hits		 h;
	char				 t[LOOKUP_FOLD_MAX], f[LOOKUP_FOLD_MAX];
	char				 list[1024], one[256];
	size_t				 flen, lo, hi, mid, s, i;

	lookup_trim(text, t, sizeof(t));
	if (lookup_is_code(t)) {
		t[1] = t[1] == 'a' ? 'A' : t[1] == 'b' ? 'B' : t[1];
		if ((m = catalogue_commune(c, t)) != NULL)
			return m;
		snprintf(err, errlen, "commune « %s » inconnue : aucun code "
		    "INSEE ne s'écrit ainsi (voir schema/communes.tsv)", t);
		return NULL;
	}
	if ((flen = utf8_fold(t, f, sizeof(f))) == 0) {
		snprintf(err, errlen, "commune « %s » illisible : attendu un "
		    "code INSEE (46201) ou un nom (Montcuq-en-Quercy-Blanc)",
		    t);
		return NULL;
	}
	if ((ix = lookup_names(c)) == NULL) {
		snprintf(err, errlen, "recherche de la commune « %s » "
		    "impossible : mémoire insuffisante", t);
		return NULL;
	}
	/* The first name not before f: names beginning with f follow it. */
	for (lo = 0, hi = ix->n; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->v[mid].fold, f) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (s = 0; s < sizeof(lookup_scopes) / sizeof(lookup_scopes[0]);
	    s++) {
		memset(&h, 0, sizeof(h));
		h.step = NAME__NONE;
		for (i = lo; i < ix->n && strncmp(ix->v[i].fold, f, flen) == 0;
		    i++) {
			e = &ix->v[i];
			m = &c->communes[e->commune];
			if (!lookup_scopes[s](m))
				continue;
			lookup_hit(&h, e->later ? NAME_WORD :
			    e->fold[flen] == '\0' ? NAME_EXACT : NAME_PREFIX,
			    m);
		}
		if (h.n == 1)
			return catalogue_commune(c, h.first[0]->current);
		if (h.n == 0)
			continue;
		list[0] = '\0';
		for (i = 0; i < h.n && i < LOOKUP_SHOWN; i++) {
			lookup_commune_name(c, h.first[i], one, sizeof(one));
			lookup_append(list, sizeof(list), one);
		}
		if (h.n > LOOKUP_SHOWN || h.more)
			lookup_append(list, sizeof(list), "…");
		snprintf(err, errlen, "« %s » est ambigu (commune) : %s ; "
		    "précisez le nom ou donnez le code INSEE", t, list);
		return NULL;
	}
	snprintf(err, errlen, "commune « %s » inconnue : attendu un code INSEE "
	    "(46201) ou un nom (Montcuq-en-Quercy-Blanc, Pern-Lhospitalet)", t);
	return NULL;
}
