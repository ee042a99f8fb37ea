/*
 * indicator.c — from aggregate rows to a sheet's measures, indicator
 * values and statuses.
 *
 * Each row is first tagged with the vocabulary indices of its activity,
 * structure and categories; an indicator's filter is three bit masks, so a
 * row matches with three ANDs. Every measure walks the rows once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicator.h"
#include "record.h"

/* A row's vocabulary indices, computed once. */
struct ind_tag {
	int		 act, str;
	uint64_t	 cats;
};

struct ind_ctx {
	const struct ind_input	*in;
	struct ind_tag		*tags;
	size_t			 lo[AGG__TABLES][2];	/* where each table's */
	size_t			 hi[AGG__TABLES][2];	/* rows lie, by scope */
	int64_t			 first_day, last_day;	/* the window's */
	double			 elapsed;	/* of the window, 0..1 */
};

int
ind_month_parse(const char *s)
{
	int	 y, m;

	size_t	 i;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	if (y < 1900 || m < 1 || m > 12)
		return -1;
	return y * 100 + m;
}

static uint64_t
ind_bit(int i)
{
	return i >= 0 && i < 64 ? (uint64_t)1 << i : 0;
}

/*
 * The last value looked up and its answer: rows come in key order, so a
 * row mostly repeats the words of the row before it.
 */
struct ind_memo {
	const char	*s;
	uint64_t	 v;
};

static uint64_t
ind_categories(const struct catalogue *c, const char *cats)
{
	char		 buf[1024], *w, *save;
	uint64_t	 m = 0;

	snprintf(buf, sizeof(buf), "%s", cats);
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save))
		m |= ind_bit(catalogue_word(c, VOCAB_CATEGORY, w));
	return m;
}

/* A word's index (cats 0) or a categories list's mask (cats 1), memoised. */
static uint64_t
ind_lookup(const struct catalogue *c, enum cat_vocab v, int cats,
    const char *s, struct ind_memo *m)
{
	if (s == NULL)
		return cats ? 0 : (uint64_t)(int64_t)-1;	/* no word */
	if (m->s != s && (m->s == NULL || strcmp(m->s, s) != 0)) {
		m->s = s;
		m->v = cats ? ind_categories(c, s) :
		    (uint64_t)(int64_t)catalogue_word(c, v, s);
	}
	return m->v;
}

/*
 * Tags every row, and notes where each table's rows lie by scope (a first
 * and a last index: every walk is then over its table's rows alone, which
 * the read side appends table by table).
 */
static void
ind_tag_rows(struct ind_ctx *x)
{
	const struct catalogue	*c = x->in->cat;
	struct ind_memo		 memo[4] = { { 0 } };
	size_t			 i;

	for (i = 0; i < AGG__TABLES * 2; i++)
		x->lo[i / 2][i % 2] = SIZE_MAX;
	for (i = 0; i < x->in->nrows; i++) {
		const struct ind_row	*r = &x->in->rows[i];
		struct ind_tag		*t = &x->tags[i];
		size_t			*lo = &x->lo[r->table][r->all != 0];

		*lo = *lo < i ? *lo : i;
		x->hi[r->table][r->all != 0] = i + 1;
		t->act = (int)ind_lookup(c, VOCAB_ACTIVITY, 0, r->k[0], &memo[0]);
		t->str = (int)ind_lookup(c, VOCAB_STRUCTURE, 0, r->k[1],
		    &memo[1]);
		if (r->table == AGG_GROUPS || r->table == AGG_PERSONS)
			t->cats = ind_bit((int)ind_lookup(c, VOCAB_CATEGORY, 0,
			    r->k[2], &memo[2]));
		else if (r->table == AGG_RECORDS || r->table == AGG_DAYS)
			t->cats = ind_lookup(c, VOCAB_CATEGORY, 1, r->k[
			    r->table == AGG_RECORDS ? 3 : 2], &memo[3]);
	}
}

/* 0: this window; -100: the same window a year before. */
static int
ind_in_window(const struct ind_ctx *x, const struct ind_row *r, int shift)
{
	int	 month = r->table == AGG_DAYS ? r->period / 100 : r->period;

	return month >= x->in->from + shift && month <= x->in->to + shift;
}

/*
 * The rows an indicator reads: its table, its scope, its window, its
 * filter. The partners table has no categories: a category filter does
 * not narrow it.
 */
static int
ind_match(const struct ind_ctx *x, size_t i, enum agg_table table, int all,
    const struct cat_filter *f, int shift)
{
	const struct ind_row	*r = &x->in->rows[i];
	const struct ind_tag	*t = &x->tags[i];

	if (r->table != table || r->all != all || !ind_in_window(x, r, shift))
		return 0;
	/* Partners are named per record: a category does not narrow them. */
	return f == NULL || catalogue_filter_selects(f, t->act, t->str,
	    table == AGG_PARTNERS ? UINT64_MAX : t->cats);
}

static int64_t
ind_sum(const struct ind_ctx *x, enum agg_table table, int all,
    const struct cat_filter *f, int shift)
{
	int64_t	 n = 0;
	size_t	 i;

	for (i = x->lo[table][all]; i < x->hi[table][all]; i++)
		if (ind_match(x, i, table, all, f, shift))
			n += x->in->rows[i].n;
	return n;
}

struct ind_pair {
	const char	*key;
	int64_t		 sum;
};

static int
ind_paircmp(const void *a, const void *b)
{
	return strcmp(((const struct ind_pair *)a)->key,
	    ((const struct ind_pair *)b)->key);
}

/* key -> sum of n over matching rows, in a JSON object sorted by key. */
static json_object *
ind_breakdown(const struct ind_ctx *x, enum agg_table table, int key,
    int all, const struct cat_filter *f)
{
	json_object	*o = json_object_new_object();
	struct ind_pair	*p = calloc(x->in->nrows + 1, sizeof(*p));
	size_t		 i, j, n = 0;

	if (p == NULL)
		return o;
	for (i = x->lo[table][all]; i < x->hi[table][all]; i++) {
		const struct ind_row *r = &x->in->rows[i];

		if (!ind_match(x, i, table, all, f, 0))
			continue;
		for (j = 0; j < n && strcmp(p[j].key, r->k[key]) != 0; j++)
			;
		if (j == n)
			p[n++].key = r->k[key];
		p[j].sum += r->n;
	}
	qsort(p, n, sizeof(*p), ind_paircmp);
	for (i = 0; i < n; i++)
		if (p[i].sum != 0)
			json_object_object_add(o, p[i].key,
			    json_object_new_int64(p[i].sum));
	free(p);
	return o;
}

static int
ind_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted distinct values of a key over matching rows. */
static json_object *
ind_distinct(const struct ind_ctx *x, enum agg_table table, int key,
    int all, const struct cat_filter *f, int shift)
{
	json_object	*a = json_object_new_array();
	const char	**v = calloc(x->in->nrows + 1, sizeof(*v));
	size_t		 i, n = 0;

	if (v == NULL)
		return a;
	for (i = x->lo[table][all]; i < x->hi[table][all]; i++)
		if (ind_match(x, i, table, all, f, shift) &&
		    x->in->rows[i].n > 0)
			v[n++] = x->in->rows[i].k[key];
	qsort(v, n, sizeof(*v), ind_strcmp);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			json_object_array_add(a, json_object_new_string(v[i]));
	free(v);
	return a;
}

static int64_t
ind_count_distinct(const struct ind_ctx *x, enum agg_table table, int key,
    int all, const struct cat_filter *f, int shift)
{
	json_object	*a = ind_distinct(x, table, key, all, f, shift);
	int64_t		 n = (int64_t)json_object_array_length(a);

	json_object_put(a);
	return n;
}

/* Records per month of the window, every month present ("YYYY-MM"). */
static json_object *
ind_by_month(const struct ind_ctx *x)
{
	json_object	*o = json_object_new_object();
	int64_t		*n;
	size_t		 i;
	int		 m, k, count = 0;
	char		 key[16];

	for (m = x->in->from; m <= x->in->to; m = m % 100 == 12 ? m + 89 :
	    m + 1)
		count++;
	if ((n = calloc((size_t)count + 1, sizeof(*n))) == NULL)
		return o;
	for (i = x->lo[AGG_RECORDS][0]; i < x->hi[AGG_RECORDS][0]; i++) {
		const struct ind_row *r = &x->in->rows[i];

		if (!ind_match(x, i, AGG_RECORDS, 0, NULL, 0))
			continue;
		k = (r->period / 100 - x->in->from / 100) * 12 +
		    (r->period % 100 - x->in->from % 100);
		if (k >= 0 && k < count)
			n[k] += r->n;
	}
	for (m = x->in->from, k = 0; k < count; k++,
	    m = m % 100 == 12 ? m + 89 : m + 1) {
		snprintf(key, sizeof(key), "%04d-%02d", m / 100 % 10000,
		    m % 100);
		json_object_object_add(o, key, json_object_new_int64(n[k]));
	}
	free(n);
	return o;
}

/* The sheet's base measures (docs/sheet-json.md), into o. */
static void
ind_base(const struct ind_ctx *x, json_object *o)
{
	json_object_object_add(o, "records", json_object_new_int64(
	    ind_sum(x, AGG_RECORDS, 0, NULL, 0)));
	json_object_object_add(o, "participants", json_object_new_int64(
	    ind_sum(x, AGG_GROUPS, 0, NULL, 0)));
	json_object_object_add(o, "by_category",
	    ind_breakdown(x, AGG_GROUPS, 2, 0, NULL));
	json_object_object_add(o, "by_residence",
	    ind_breakdown(x, AGG_GROUPS, 3, 0, NULL));
	json_object_object_add(o, "by_activity",
	    ind_breakdown(x, AGG_RECORDS, 0, 0, NULL));
	json_object_object_add(o, "communes_hosting",
	    ind_distinct(x, AGG_RECORDS, 2, 0, NULL, 0));
	json_object_object_add(o, "partners",
	    ind_distinct(x, AGG_PARTNERS, 2, 0, NULL, 0));
	json_object_object_add(o, "distinct_participants",
	    json_object_new_int64(ind_count_distinct(x, AGG_PERSONS, 3, 0,
	    NULL, 0)));
	json_object_object_add(o, "by_month", ind_by_month(x));
}

/* Status of a count against the indicator's target, given the time elapsed. */
static const char *
ind_status_count(const struct ind_ctx *x, double value,
    const struct cat_indicator *d)
{
	double	 months = (x->in->to / 100 - x->in->from / 100) * 12 +
		    (x->in->to % 100 - x->in->from % 100) + 1;
	double	 want = d->per_year ? d->target_v * months / 12 : d->target_v;

	if (value >= want)
		return IND_ATTEINT;
	if (value <= 0)
		return x->elapsed >= 0.5 ? IND_EN_RETARD : IND_NON_COMMENCE;
	return value >= want * x->elapsed ? IND_EN_BONNE_VOIE : IND_EN_RETARD;
}

static void
ind_date(int yyyymmdd, char out[11])
{
	unsigned	 v = (unsigned)yyyymmdd;

	snprintf(out, 11, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100,
	    v % 100);
}

static int
ind_intcmp(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * The dates of matching activities and the gaps between them, the window's
 * start and its end (or today) included: the longest gap is the value.
 */
static const char *
ind_cadence(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	const struct cat_filter	*f = &d->f;
	int			 all = d->all;
	json_object	*dates = json_object_new_array(), *gaps;
	int		*days = calloc(x->in->nrows + 2, sizeof(*days));
	int64_t		 prev = x->first_day, end, gap, longest = 0;
	int64_t		 lfrom = 0, lto = 0, max = (int64_t)d->target_v;
	size_t		 i, n = 0;
	char		 s[11];

	gaps = json_object_new_array();
	for (i = x->lo[AGG_DAYS][all]; days != NULL && i < x->hi[AGG_DAYS][all];
	    i++)
		if (ind_match(x, i, AGG_DAYS, all, f, 0) &&
		    x->in->rows[i].n > 0)
			days[n++] = x->in->rows[i].period;
	if (days != NULL)
		qsort(days, n, sizeof(*days), ind_intcmp);
	end = x->last_day < x->in->today ? x->last_day : x->in->today;
	for (i = 0; i <= n; i++) {
		int64_t	 day;

		if (i < n && i > 0 && days[i] == days[i - 1])
			continue;
		day = i < n ? date_from_ymd(days[i]) : end;
		if (i < n) {
			ind_date(days[i], s);
			json_object_array_add(dates, json_object_new_string(s));
		}
		gap = day - prev;
		if (gap > longest) {
			longest = gap;
			lfrom = prev;
			lto = day;
		}
		if (max > 0 && gap > max) {
			json_object	*g = json_object_new_object();

			date_format(prev, s);
			json_object_object_add(g, "from",
			    json_object_new_string(s));
			date_format(day, s);
			json_object_object_add(g, "to",
			    json_object_new_string(s));
			json_object_object_add(g, "days",
			    json_object_new_int64(gap));
			json_object_array_add(gaps, g);
		}
		prev = day;
	}
	free(days);
	json_object_object_add(io, "value", json_object_new_int64(longest));
	json_object_object_add(io, "dates", dates);
	date_format(lfrom, s);
	json_object_object_add(io, "longest_gap_from", json_object_new_string(s));
	date_format(lto, s);
	json_object_object_add(io, "longest_gap_to", json_object_new_string(s));
	json_object_object_add(io, "gaps_over_target", gaps);
	if (max <= 0)
		return NULL;
	json_object_object_add(io, "held",
	    json_object_new_boolean(n > 0 && longest <= max));
	if (n == 0)
		return IND_NON_COMMENCE;
	return longest <= max ? IND_ATTEINT : IND_EN_RETARD;
}

static int64_t
ind_basis(const struct ind_ctx *x, const struct cat_indicator *d, int shift)
{
	if (d->basis_m == MEASURE_PARTICIPANTS)
		return ind_sum(x, AGG_GROUPS, d->all, &d->f, shift);
	if (d->basis_m == MEASURE_DISTINCT_PERSONS)
		return ind_count_distinct(x, AGG_PERSONS, 3, d->all, &d->f,
		    shift);
	return ind_sum(x, AGG_RECORDS, d->all, &d->f, shift);
}

static const char *
ind_trend(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	int64_t	 now = ind_basis(x, d, 0);
	int64_t	 before = ind_basis(x, d, -100);
	double	 ratio = before > 0 ? (double)now / (double)before : 0;

	json_object_object_add(io, "value", json_object_new_int64(now));
	json_object_object_add(io, "previous", json_object_new_int64(before));
	json_object_object_add(io, "ratio", before > 0 ?
	    json_object_new_double((double)(int64_t)(ratio * 1000) / 1000) :
	    NULL);
	if (d->has_baseline && d->baseline_v > 0)
		json_object_object_add(io, "ratio_to_baseline",
		    json_object_new_double((double)(int64_t)(now * 1000 /
		    d->baseline_v) / 1000));
	if (!d->has_target)
		return NULL;
	if (now == 0)
		return IND_NON_COMMENCE;
	if (before == 0)
		return IND_EN_BONNE_VOIE;
	return ratio >= d->target_v ? IND_ATTEINT : IND_EN_RETARD;
}

/* The CC's communes that hosted a matching activity, and those not yet. */
static int64_t
ind_coverage(const struct ind_ctx *x, int all, const struct cat_filter *f,
    json_object *io)
{
	const struct catalogue	*c = x->in->cat;
	json_object		*venues = ind_distinct(x, AGG_RECORDS, 2, all,
				    f, 0), *covered, *missing;
	size_t			 i, j, n = json_object_array_length(venues);
	int64_t			 count = 0;

	covered = json_object_new_array();
	missing = json_object_new_array();
	for (i = 0; i < c->ncommunes; i++) {
		const struct cat_commune *m = &c->communes[i];

		if (!m->ccqb || strcmp(m->type, "COM") != 0)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(json_object_get_string(
			    json_object_array_get_idx(venues, j)), m->code) == 0)
				break;
		json_object_array_add(j < n ? covered : missing,
		    json_object_new_string(m->code));
		count += j < n;
	}
	json_object_put(venues);
	json_object_object_add(io, "covered", covered);
	json_object_object_add(io, "missing", missing);
	return count;
}

/* Evidence entries of one indicator; the latest decides the status. */
static const char *
ind_qualitative(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object	*list = json_object_new_array();
	const char	*latest = NULL, *latest_date = "";
	int64_t		 done = 0;
	size_t		 i;

	for (i = 0; i < x->in->nevidence; i++) {
		const struct ind_evidence	*e = &x->in->evidence[i];
		json_object			*eo;

		if (strcmp(e->indicator, d->id) != 0)
			continue;
		eo = json_object_new_object();
		json_object_object_add(eo, "id", json_object_new_string(e->id));
		json_object_object_add(eo, "date",
		    json_object_new_string(e->date));
		json_object_object_add(eo, "state",
		    json_object_new_string(e->state));
		json_object_object_add(eo, "text",
		    json_object_new_string(e->text));
		json_object_object_add(eo, "reference", e->reference ?
		    json_object_new_string(e->reference) : NULL);
		json_object_array_add(list, eo);
		done += strcmp(e->state, "réalisé") == 0;
		if (strcmp(e->date, latest_date) >= 0) {
			latest_date = e->date;
			latest = e->state;
		}
	}
	json_object_object_add(io, "value", json_object_new_int64(done));
	json_object_object_add(io, "evidence", list);
	if (d->has_target)
		return ind_status_count(x, (double)done, d);
	if (latest == NULL)
		return IND_NON_COMMENCE;
	return strcmp(latest, "réalisé") == 0 ? IND_ATTEINT : IND_EN_BONNE_VOIE;
}

/* A count's value, and its status when the line has a target. */
static const char *
ind_counted(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io, int64_t v)
{
	json_object_object_add(io, "value", json_object_new_int64(v));
	return d->has_target ? ind_status_count(x, (double)v, d) : NULL;
}

static const char *
ind_eval_records(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_sum(x, AGG_RECORDS, d->all, &d->f, 0));
}

static const char *
ind_eval_participants(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_sum(x, AGG_GROUPS, d->all, &d->f, 0));
}

static const char *
ind_eval_persons(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_count_distinct(x, AGG_PERSONS, 3,
	    d->all, &d->f, 0));
}

/* Breakdowns take no target: no status. */
static const char *
ind_eval_by_category(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object_object_add(io, "value", ind_breakdown(x, AGG_GROUPS, 2,
	    d->all, &d->f));
	return NULL;
}

static const char *
ind_eval_by_residence(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object_object_add(io, "value", ind_breakdown(x, AGG_GROUPS, 3,
	    d->all, &d->f));
	return NULL;
}

static const char *
ind_eval_by_activity(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object_object_add(io, "value", ind_breakdown(x, AGG_RECORDS, 0,
	    d->all, &d->f));
	return NULL;
}

/* Distinct values of one key, counted, and listed. */
static const char *
ind_listed(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io, enum agg_table table)
{
	json_object	*list = ind_distinct(x, table, 2, d->all, &d->f, 0);
	int64_t		 v = (int64_t)json_object_array_length(list);

	json_object_object_add(io, "list", list);
	return ind_counted(x, d, io, v);
}

static const char *
ind_eval_venues(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_listed(x, d, io, AGG_RECORDS);
}

static const char *
ind_eval_partners(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_listed(x, d, io, AGG_PARTNERS);
}

static const char *
ind_eval_coverage(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_coverage(x, d->all, &d->f, io));
}

/*
 * Each measure: the aggregate table it reads (-1: none, or for a trend its
 * basis's) and its evaluator, which adds "value" and what else the measure
 * shows to io and returns the status, or NULL when there is none to judge.
 * Names and French labels: cat_measures in catalogue.c.
 */
static const struct {
	int		 table;
	const char	*(*eval)(const struct ind_ctx *,
			    const struct cat_indicator *, json_object *);
} ind_measures[MEASURE__COUNT] = {
	[MEASURE_RECORDS] = { AGG_RECORDS, ind_eval_records },
	[MEASURE_PARTICIPANTS] = { AGG_GROUPS, ind_eval_participants },
	[MEASURE_DISTINCT_PERSONS] = { AGG_PERSONS, ind_eval_persons },
	[MEASURE_BY_CATEGORY] = { AGG_GROUPS, ind_eval_by_category },
	[MEASURE_BY_RESIDENCE] = { AGG_GROUPS, ind_eval_by_residence },
	[MEASURE_BY_ACTIVITY] = { AGG_RECORDS, ind_eval_by_activity },
	[MEASURE_VENUES] = { AGG_RECORDS, ind_eval_venues },
	[MEASURE_COVERAGE] = { AGG_RECORDS, ind_eval_coverage },
	[MEASURE_PARTNERS] = { AGG_PARTNERS, ind_eval_partners },
	[MEASURE_CADENCE] = { AGG_DAYS, ind_cadence },
	[MEASURE_TREND] = { -1, ind_trend },
	[MEASURE_QUALITATIVE] = { -1, ind_qualitative },
};

/* The table a measure reads (a trend: its basis's); -1 for none. */
static int
ind_table(const struct cat_indicator *d)
{
	return ind_measures[d->m == MEASURE_TREND ? d->basis_m : d->m].table;
}

void
ind_plan(const struct catalogue *c, const struct cat_sheet *s,
    struct ind_need plan[AGG__TABLES][2])
{
	const struct cat_filter	*f;
	struct ind_need		*n;
	uint64_t		 any[AGG__TABLES] = { 0 };	/* bits: act, str, cat */
	size_t			 i;
	int			 t, all;

	memset(plan, 0, sizeof(struct ind_need) * AGG__TABLES * 2);
	/* The sheet's base measures. */
	plan[AGG_RECORDS][0].need = plan[AGG_GROUPS][0].need = 1;
	plan[AGG_PARTNERS][0].need = plan[AGG_PERSONS][0].need = 1;
	for (i = s->first; i < s->first + s->count; i++) {
		const struct cat_indicator *d = &c->indicators[i];

		if ((t = ind_table(d)) == -1)
			continue;
		all = d->all;
		n = &plan[t][all];
		n->need = 1;
		if (d->m == MEASURE_TREND)
			n->lo = -100;
		if (!all)
			continue;
		f = &d->f;
		any[t] |= (f->act == 0) | (f->str == 0) << 1 |
		    (uint64_t)(f->cat == 0) << 2;
		n->act |= f->act;
		n->str |= f->str;
		n->cat |= f->cat;
	}
	for (t = 0; t < AGG__TABLES; t++) {
		n = &plan[t][1];
		n->act = any[t] & 1 ? 0 : n->act;
		n->str = any[t] & 2 ? 0 : n->str;
		/* ind_match: a category filter does not narrow partners. */
		n->cat = any[t] & 4 || t == AGG_PARTNERS ? 0 : n->cat;
	}
}

/* A target or baseline: an integer when it is one, else a decimal. */
static json_object *
ind_number_or_null(int has, double d)
{
	if (!has)
		return NULL;
	if (d == (double)(int64_t)d)
		return json_object_new_int64((int64_t)d);
	return json_object_new_double(d);
}

/* The sheet's own status, from its indicators' and its deadline. */
static const char *
ind_sheet_status(const struct ind_ctx *x, const char **st, size_t n,
    int64_t records)
{
	size_t	 i, atteint = 0, retard = 0, rien = 0, judged = 0;
	int	 deadline = x->in->sheet->deadline_year;
	int	 year = (int)(x->in->to / 100);

	for (i = 0; i < n; i++) {
		if (st[i] == NULL)
			continue;
		judged++;
		atteint += strcmp(st[i], IND_ATTEINT) == 0;
		retard += strcmp(st[i], IND_EN_RETARD) == 0;
		rien += strcmp(st[i], IND_NON_COMMENCE) == 0;
	}
	if (judged > 0 && atteint == judged)
		return IND_ATTEINT;
	if (retard > 0 || (deadline > 0 && year > deadline))
		return IND_EN_RETARD;
	if ((judged == 0 || rien == judged) && records == 0)
		return IND_NON_COMMENCE;
	return IND_EN_BONNE_VOIE;
}

void
ind_add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v != NULL && v[0] != '\0' ?
	    json_object_new_string(v) : NULL);
}

json_object *
ind_sheet(const struct ind_input *in)
{
	const struct cat_sheet	*s = in->sheet;
	struct ind_ctx		 x = { .in = in };
	json_object		*o = json_object_new_object(), *inds;
	const char		**st;
	char			 from[24], to[24];
	size_t			 i;
	int64_t			 span;

	x.tags = calloc(in->nrows + 1, sizeof(*x.tags));
	st = calloc(s->count + 1, sizeof(*st));
	if (x.tags == NULL || st == NULL) {
		free(x.tags);
		free(st);
		json_object_put(o);
		return NULL;
	}
	ind_tag_rows(&x);
	ind_date(in->from * 100 + 1, from);
	date_parse(from, &x.first_day);
	ind_date((in->to % 100 == 12 ? in->to + 89 : in->to + 1) * 100 + 1,
	    to);
	date_parse(to, &x.last_day);
	x.last_day--;
	span = x.last_day - x.first_day + 1;
	x.elapsed = (double)(in->today - x.first_day + 1) / (double)span;
	x.elapsed = x.elapsed < 0 ? 0 : x.elapsed > 1 ? 1 : x.elapsed;

	ind_add_str(o, "code", s->code);
	json_object_object_add(o, "number", json_object_new_int(s->number));
	ind_add_str(o, "title", s->title);
	ind_add_str(o, "axis", s->axis);
	ind_add_str(o, "objective", s->objective);
	ind_add_str(o, "deadline", s->deadline);
	snprintf(from, sizeof(from), "%04d-%02d", in->from / 100,
	    in->from % 100);
	snprintf(to, sizeof(to), "%04d-%02d", in->to / 100, in->to % 100);
	ind_add_str(o, "from", from);
	ind_add_str(o, "to", to);
	ind_base(&x, o);
	inds = json_object_new_array();
	for (i = 0; i < s->count; i++) {
		const struct cat_indicator	*d = &in->cat->indicators[
						    s->first + i];
		json_object			*io = json_object_new_object();

		ind_add_str(io, "id", d->id);
		ind_add_str(io, "kind", d->kind);
		ind_add_str(io, "label", d->label);
		ind_add_str(io, "measure", cat_measures[d->m].name);
		st[i] = ind_measures[d->m].eval(&x, d, io);
		json_object_object_add(io, "target",
		    ind_number_or_null(d->has_target, d->target_v));
		ind_add_str(io, "target_per", d->target_per);
		json_object_object_add(io, "baseline",
		    ind_number_or_null(d->has_baseline, d->baseline_v));
		ind_add_str(io, "baseline_year", d->baseline_year);
		ind_add_str(io, "status", st[i]);
		json_object_array_add(inds, io);
	}
	json_object_object_add(o, "status", json_object_new_string(
	    ind_sheet_status(&x, st, s->count, ind_sum(&x, AGG_RECORDS, 0,
	    NULL, 0))));
	json_object_object_add(o, "indicators", inds);
	free(x.tags);
	free(st);
	return o;
}
