/*
 * indicator.c — from the read model to a sheet's measures, indicator
 * values and statuses.
 *
 * Each indicator reads its own slot (the model folded its filter in at
 * ingest), so evaluating one costs a few small cells per month of the
 * window, whatever the number of records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicator.h"
#include "record.h"

struct ind_ctx {
	const struct ind_input	*in;
	const struct model	*m;
	int			 base;		/* the sheet's own slot */
	const struct model_evidence **ev;	/* the sheet's, up to "to" */
	size_t			 nev;
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

/* A slot's total of a kind over the window; shift -100: a year before. */
static int64_t
ind_total(const struct ind_ctx *x, int slot, enum model_kind k, int shift)
{
	return model_total(x->m, slot, k, x->in->from + shift,
	    x->in->to + shift);
}

json_object *
ind_sums_object(struct model_sum *v, size_t n)
{
	json_object	*o = json_object_new_object();
	size_t		 i;

	for (i = 0; i < n; i++)
		json_object_object_add(o, v[i].key,
		    json_object_new_int64(v[i].n));
	free(v);
	return o;
}

/* word -> sum over the window, in a JSON object sorted by word. */
static json_object *
ind_breakdown(const struct ind_ctx *x, int slot, enum model_kind k)
{
	struct model_sum	*v;
	size_t			 n;

	v = model_sums(x->m, slot, k, NULL, x->in->from, x->in->to, &n);
	return ind_sums_object(v, n);
}

/* The sorted words of a kind seen over the window. */
static json_object *
ind_distinct(const struct ind_ctx *x, int slot, enum model_kind k)
{
	json_object		*a = json_object_new_array();
	struct model_sum	*v;
	size_t			 i, n;

	v = model_sums(x->m, slot, k, NULL, x->in->from, x->in->to, &n);
	for (i = 0; i < n; i++)
		if (v[i].n > 0)
			json_object_array_add(a,
			    json_object_new_string(v[i].key));
	free(v);
	return a;
}

/* The slot an indicator reads. */
static int
ind_slot(const struct ind_ctx *x, const struct cat_indicator *d)
{
	return model_indicator_slot(x->m, (size_t)(d - x->in->cat->indicators));
}

static int64_t
ind_persons(const struct ind_ctx *x, int slot, int shift)
{
	return model_persons(x->m, slot, x->in->from + shift,
	    x->in->to + shift);
}

/* Records per month of the window, every month present ("YYYY-MM"). */
static json_object *
ind_by_month(const struct ind_ctx *x)
{
	json_object	*o = json_object_new_object();
	int		 m;
	char		 key[16];

	for (m = x->in->from; m <= x->in->to; m = m % 100 == 12 ? m + 89 :
	    m + 1) {
		snprintf(key, sizeof(key), "%04d-%02d", m / 100 % 10000,
		    m % 100);
		json_object_object_add(o, key, json_object_new_int64(
		    model_total(x->m, x->base, MK_RECORDS, m, m)));
	}
	return o;
}

/* The sheet's base measures (docs/sheet-json.md), into o. */
static void
ind_base(const struct ind_ctx *x, json_object *o)
{
	json_object_object_add(o, "records", json_object_new_int64(
	    ind_total(x, x->base, MK_RECORDS, 0)));
	json_object_object_add(o, "participants", json_object_new_int64(
	    ind_total(x, x->base, MK_PARTICIPANTS, 0)));
	if (x->in->summary)
		return;
	json_object_object_add(o, "by_category",
	    ind_breakdown(x, x->base, MK_CATEGORY));
	json_object_object_add(o, "by_residence",
	    ind_breakdown(x, x->base, MK_RESIDENCE));
	json_object_object_add(o, "by_activity",
	    ind_breakdown(x, x->base, MK_ACTIVITY));
	json_object_object_add(o, "communes_hosting",
	    ind_distinct(x, x->base, MK_VENUE));
	json_object_object_add(o, "partners",
	    ind_distinct(x, x->base, MK_PARTNER));
	json_object_object_add(o, "distinct_participants",
	    json_object_new_int64(ind_persons(x, x->base, 0)));
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

/*
 * The dates of matching activities and the gaps between them, the window's
 * start and its end (or today) included: the longest gap is the value.
 */
static const char *
ind_cadence(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object	*dates = json_object_new_array(), *gaps;
	int		*days;
	int64_t		 prev = x->first_day, end, gap, longest = 0;
	int64_t		 lfrom = 0, lto = 0, max = (int64_t)d->target_v;
	size_t		 i, n = 0;
	char		 s[11];

	gaps = json_object_new_array();
	days = model_days(x->m, ind_slot(x, d), x->in->from, x->in->to, &n);
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
		return ind_total(x, ind_slot(x, d), MK_PARTICIPANTS, shift);
	if (d->basis_m == MEASURE_DISTINCT_PERSONS)
		return ind_persons(x, ind_slot(x, d), shift);
	return ind_total(x, ind_slot(x, d), MK_RECORDS, shift);
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
ind_coverage(const struct ind_ctx *x, int slot, json_object *io)
{
	const struct catalogue	*c = x->in->cat;
	json_object		*venues = ind_distinct(x, slot, MK_VENUE);
	json_object		*covered, *missing;
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

	for (i = 0; i < x->nev; i++) {
		const struct model_evidence	*e = x->ev[i];
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
	return ind_counted(x, d, io, ind_total(x, ind_slot(x, d),
	    MK_RECORDS, 0));
}

static const char *
ind_eval_participants(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_total(x, ind_slot(x, d),
	    MK_PARTICIPANTS, 0));
}

static const char *
ind_eval_persons(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_persons(x, ind_slot(x, d), 0));
}

/* Breakdowns take no target: no status. */
static const char *
ind_eval_by_category(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object_object_add(io, "value", ind_breakdown(x, ind_slot(x, d),
	    MK_CATEGORY));
	return NULL;
}

static const char *
ind_eval_by_residence(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object_object_add(io, "value", ind_breakdown(x, ind_slot(x, d),
	    MK_RESIDENCE));
	return NULL;
}

static const char *
ind_eval_by_activity(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	json_object_object_add(io, "value", ind_breakdown(x, ind_slot(x, d),
	    MK_ACTIVITY));
	return NULL;
}

/* Distinct values of one key, counted, and listed. */
static const char *
ind_listed(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io, enum model_kind k)
{
	json_object	*list = ind_distinct(x, ind_slot(x, d), k);
	int64_t		 v = (int64_t)json_object_array_length(list);

	json_object_object_add(io, "list", list);
	return ind_counted(x, d, io, v);
}

static const char *
ind_eval_venues(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_listed(x, d, io, MK_VENUE);
}

static const char *
ind_eval_partners(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_listed(x, d, io, MK_PARTNER);
}

static const char *
ind_eval_coverage(const struct ind_ctx *x, const struct cat_indicator *d,
    json_object *io)
{
	return ind_counted(x, d, io, ind_coverage(x, ind_slot(x, d), io));
}

/*
 * Each measure's evaluator: it adds "value" and what else the measure
 * shows to io, reading the indicator's slot of the model, and returns the
 * status, or NULL when there is none to judge. Names and French labels:
 * cat_measures in catalogue.c.
 */
static const char *(*const ind_measures[MEASURE__COUNT])(
    const struct ind_ctx *, const struct cat_indicator *, json_object *) = {
	[MEASURE_RECORDS] = ind_eval_records,
	[MEASURE_PARTICIPANTS] = ind_eval_participants,
	[MEASURE_DISTINCT_PERSONS] = ind_eval_persons,
	[MEASURE_BY_CATEGORY] = ind_eval_by_category,
	[MEASURE_BY_RESIDENCE] = ind_eval_by_residence,
	[MEASURE_BY_ACTIVITY] = ind_eval_by_activity,
	[MEASURE_VENUES] = ind_eval_venues,
	[MEASURE_COVERAGE] = ind_eval_coverage,
	[MEASURE_PARTNERS] = ind_eval_partners,
	[MEASURE_CADENCE] = ind_cadence,
	[MEASURE_TREND] = ind_trend,
	[MEASURE_QUALITATIVE] = ind_qualitative,
};

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

	x.m = in->model;
	x.base = model_sheet_slot(in->model, (size_t)s->number - 1);
	snprintf(to, sizeof(to), "%04d-%02d-31", in->to / 100, in->to % 100);
	x.ev = model_evidence(in->model, (size_t)s->number - 1, to, &x.nev);
	if ((st = calloc(s->count + 1, sizeof(*st))) == NULL ||
	    x.ev == NULL) {
		free(st);
		free(x.ev);
		json_object_put(o);
		return NULL;
	}
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
		st[i] = ind_measures[d->m](&x, d, io);
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
	    ind_sheet_status(&x, st, s->count, ind_total(&x, x.base,
	    MK_RECORDS, 0))));
	json_object_object_add(o, "indicators", inds);
	free(st);
	free(x.ev);
	return o;
}
