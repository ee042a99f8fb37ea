/* plan_json.c — the plan for a data entry form (plan_json.h). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "catalogue.h"
#include "plan_json.h"

static void
plan_add(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s != NULL ? json_object_new_string(s) :
	    NULL);
}

static json_object *
plan_words(const struct catalogue *c, enum cat_vocab v)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	for (i = 0; i < c->nwords[v]; i++) {
		o = json_object_new_object();
		plan_add(o, "keyword", c->words[v][i].keyword);
		plan_add(o, "label", c->words[v][i].label);
		if (c->words[v][i].parent >= 0)
			plan_add(o, "parent",
			    c->words[v][c->words[v][i].parent].keyword);
		json_object_array_add(a, o);
	}
	return a;
}

/* 1 when one of the sheet's indicators counts distinct persons. */
static int
plan_counts_persons(const struct catalogue *c, const struct cat_sheet *s)
{
	size_t	 i;

	for (i = s->first; i < s->first + s->count; i++)
		if (c->indicators[i].m == MEASURE_DISTINCT_PERSONS)
			return 1;
	return 0;
}

static json_object *
plan_sheets(const struct catalogue *c)
{
	json_object		*a = json_object_new_array(), *o, *acts;
	const struct cat_sheet	*s;
	size_t			 i, w;

	for (i = 0; i < c->nsheets; i++) {
		s = &c->sheets[i];
		o = json_object_new_object();
		plan_add(o, "code", s->code);
		json_object_object_add(o, "number",
		    json_object_new_int(s->number));
		plan_add(o, "axis", s->axis);
		plan_add(o, "objective", s->objective);
		plan_add(o, "title", s->title);
		plan_add(o, "pilots", s->pilot_structures);
		acts = json_object_new_array();
		for (w = 0; w < c->nwords[VOCAB_ACTIVITY] && w < 64; w++)
			if (s->activities >> w & 1)
				json_object_array_add(acts,
				    json_object_new_string(
				    c->words[VOCAB_ACTIVITY][w].keyword));
		json_object_object_add(o, "activities", acts);
		json_object_object_add(o, "persons", json_object_new_boolean(
		    plan_counts_persons(c, s)));
		json_object_array_add(a, o);
	}
	return a;
}

/* The department of an INSEE code: "46", "2A", "971". */
static size_t
plan_dept(const char *code)
{
	return strncmp(code, "97", 2) == 0 ? 3 : 2;
}

static int
plan_dept_in(const char *code, const char *list, size_t listlen)
{
	size_t	 n = plan_dept(code), i;

	for (i = 0; i + n <= listlen; i += n + 1)
		if (strncmp(list + i, code, n) == 0 && (list[i + n] == ',' ||
		    list[i + n] == '\0'))
			return 1;
	return 0;
}

static json_object *
plan_communes(const struct catalogue *c)
{
	json_object			*a = json_object_new_array(), *o;
	const struct cat_commune	*m;
	char				 depts[256] = PLAN_JSON_NEIGHBOURS;
	size_t				 i, len = strlen(depts);

	/* The departments the CC lies in, beside the neighbours. */
	for (i = 0; i < c->ncommunes; i++) {
		m = &c->communes[i];
		if (m->ccqb && !plan_dept_in(m->code, depts, len) &&
		    len + 5 < sizeof(depts)) {
			depts[len++] = ',';
			memcpy(depts + len, m->code, plan_dept(m->code));
			len += plan_dept(m->code);
			depts[len] = '\0';
		}
	}
	for (i = 0; i < c->ncommunes; i++) {
		m = &c->communes[i];
		if (!m->ccqb && (strcmp(m->type, "COM") != 0 ||
		    !plan_dept_in(m->code, depts, len)))
			continue;
		o = json_object_new_object();
		plan_add(o, "code", m->code);
		plan_add(o, "name", m->name);
		if (strcmp(m->current, m->code) != 0)
			plan_add(o, "current", m->current);
		json_object_object_add(o, "cc", json_object_new_boolean(
		    m->ccqb));
		json_object_array_add(a, o);
	}
	return a;
}

char *
plan_json(const struct catalogue *c)
{
	json_object	*doc = json_object_new_object(), *a, *o;
	char		*text;
	size_t		 i;

	if (doc == NULL)
		return NULL;
	a = json_object_new_array();
	for (i = 0; i < c->naxes; i++) {
		o = json_object_new_object();
		plan_add(o, "code", c->axes[i].code);
		plan_add(o, "title", c->axes[i].title);
		json_object_array_add(a, o);
	}
	json_object_object_add(doc, "axes", a);
	json_object_object_add(doc, "sheets", plan_sheets(c));
	json_object_object_add(doc, "activities", plan_words(c,
	    VOCAB_ACTIVITY));
	json_object_object_add(doc, "categories", plan_words(c,
	    VOCAB_CATEGORY));
	json_object_object_add(doc, "structures", plan_words(c,
	    VOCAB_STRUCTURE));
	json_object_object_add(doc, "communes", plan_communes(c));
	a = json_object_new_array();
	for (i = 0; i < MEASURE__COUNT; i++) {
		o = json_object_new_object();
		plan_add(o, "name", cat_measures[i].name);
		plan_add(o, "label", cat_measures[i].label);
		json_object_array_add(a, o);
	}
	json_object_object_add(doc, "measures", a);
	text = strdup(json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return text;
}
