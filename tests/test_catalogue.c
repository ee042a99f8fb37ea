/*
 * test_catalogue.c — the plan as data: every sheet's indicator counts by
 * kind (counted independently from the seed), exact labels, targets, the
 * vocabularies, and the communes referential.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "catalogue.h"
#include "fixtures.h"

static const struct catalogue	*cat;

static int
setup(void **state)
{
	char	 err[512];

	(void)state;
	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL)
		fail_msg("catalogue: %s", err);
	return 0;
}

/* réalisation / résultat / impact lines of sheets 1..46, as in the plan. */
static const int expected_counts[46][3] = {
	{ 2, 5, 2 }, { 2, 8, 4 }, { 1, 5, 4 }, { 2, 4, 5 }, { 3, 4, 4 },
	{ 1, 2, 1 }, { 2, 6, 4 }, { 2, 3, 4 }, { 2, 4, 5 }, { 3, 7, 5 },
	{ 1, 2, 2 }, { 1, 3, 6 }, { 2, 5, 5 }, { 2, 2, 3 }, { 3, 7, 2 },
	{ 1, 3, 1 }, { 3, 7, 5 }, { 2, 7, 4 }, { 3, 4, 2 }, { 2, 5, 3 },
	{ 2, 7, 2 }, { 1, 3, 4 }, { 1, 3, 2 }, { 1, 4, 2 }, { 2, 5, 3 },
	{ 1, 5, 3 }, { 2, 2, 1 }, { 2, 3, 2 }, { 2, 2, 2 }, { 2, 2, 1 },
	{ 3, 2, 2 }, { 3, 2, 2 }, { 3, 2, 2 }, { 3, 1, 2 }, { 1, 2, 1 },
	{ 2, 2, 1 }, { 2, 2, 1 }, { 1, 2, 2 }, { 2, 3, 2 }, { 3, 1, 3 },
	{ 1, 2, 3 }, { 2, 2, 2 }, { 2, 3, 1 }, { 2, 1, 1 }, { 2, 2, 1 },
	{ 2, 4, 3 },
};

static const char *const kinds[3] = { "real", "res", "imp" };

static void
test_counts_per_sheet(void **state)
{
	int	 totals[3] = { 0 }, n[3];
	size_t	 s, i, k;

	(void)state;
	assert_int_equal(cat->naxes, 5);
	assert_int_equal(cat->nobjectives, 14);
	assert_int_equal(cat->nsheets, 46);
	assert_int_equal(cat->nindicators, 374);
	for (s = 0; s < 46; s++) {
		const struct cat_sheet *sh = &cat->sheets[s];

		memset(n, 0, sizeof(n));
		for (i = sh->first; i < sh->first + sh->count; i++) {
			for (k = 0; k < 3; k++)
				if (strcmp(cat->indicators[i].kind,
				    kinds[k]) == 0)
					n[k]++;
			assert_string_equal(cat->indicators[i].sheet, sh->code);
		}
		for (k = 0; k < 3; k++) {
			if (n[k] != expected_counts[s][k])
				fail_msg("sheet %s: %d %s lines, plan has %d",
				    sh->code, n[k], kinds[k],
				    expected_counts[s][k]);
			totals[k] += n[k];
		}
		assert_int_equal(sh->count, (size_t)(n[0] + n[1] + n[2]));
	}
	assert_int_equal(totals[0], 90);
	assert_int_equal(totals[1], 162);
	assert_int_equal(totals[2], 122);
	assert_int_equal(catalogue_sheet(cat, "17")->count, 15);
	assert_int_equal(catalogue_sheet(cat, "I.B.6")->count, 4);
}

static const struct cat_indicator *
indicator(const char *id)
{
	size_t	 i;

	for (i = 0; i < cat->nindicators; i++)
		if (strcmp(cat->indicators[i].id, id) == 0)
			return &cat->indicators[i];
	fail_msg("no indicator %s", id);
	return NULL;
}

static void
test_exact_labels(void **state)
{
	static const char *const samples[][2] = {
		{ "I.A.1/real/1", "Campagne de communication" },
		{ "I.A.1/res/5", "Le nombre de personnes ayant participé à ces "
		  "actions" },
		{ "I.B.6/res/2", "Création ou non d'une MAM" },
		{ "I.C.8/real/2", "La charte des bonnes pratiques" },
		{ "III.A.17/res/1", "Commune des chantiers jeunes" },
		{ "III.A.17/res/4", "Origine géographique des jeunes" },
		{ "III.C.25/real/1", "Organisation de réunions tous les deux "
		  "mois entre les responsables d'ALSH" },
		{ "V.B.41/res/2", "Organisation de 4 « Pti'Déj » entre les "
		  "travailleurs sociaux" },
		{ "V.B.42/res/1", "Mise en place d'au moins 2 ateliers "
		  "annuels" },
		{ "III.B.23/real/1", "Campagne de communication" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		assert_string_equal(indicator(samples[i][0])->label,
		    samples[i][1]);
	assert_string_equal(catalogue_sheet(cat, "III.A.17")->title,
	    "Développement des chantiers jeunes 10-15 ans");
	assert_string_equal(catalogue_sheet(cat, "10")->deadline,
	    "2022:0-6 ans|2023:7-18 ans");
	assert_string_equal(catalogue_sheet(cat, "1")->pilot_elected,
	    "Mme SABEL");
}

/* Targets and baselines stated in the plan sit on their indicators. */
static void
test_targets_and_baselines(void **state)
{
	const struct cat_indicator	*d;

	(void)state;
	d = indicator("III.A.17/real/1");
	assert_string_equal(d->measure, "coverage");
	assert_string_equal(d->target, "9");
	d = indicator("III.C.25/real/1");
	assert_string_equal(d->measure, "cadence");
	assert_string_equal(d->target, "61");
	d = indicator("V.B.41/res/2");
	assert_string_equal(d->target, "4");
	assert_string_equal(d->target_per, "an");
	d = indicator("V.B.42/res/1");
	assert_string_equal(d->target, "2");
	d = indicator("I.A.2/real/1");
	assert_string_equal(d->target, "3");
	d = indicator("III.A.17/imp/1");
	assert_string_equal(d->baseline, "31");
	assert_string_equal(d->baseline_year, "2021");
	d = indicator("I.B.4/imp/4");
	assert_string_equal(d->baseline, "20");
	assert_string_equal(d->measure, "trend");
	d = indicator("I.B.6/res/2");
	assert_string_equal(d->measure, "qualitative");
}

/* The documented keywords validate; age bands hang under their category. */
static void
test_vocabularies(void **state)
{
	size_t	 i;
	int	 w;

	(void)state;
	for (i = 0; i < DESIGN_ACTIVITIES; i++)
		assert_true(catalogue_word(cat, VOCAB_ACTIVITY,
		    design_activities[i]) >= 0);
	for (i = 0; i < DESIGN_CATEGORIES; i++)
		assert_true(catalogue_word(cat, VOCAB_CATEGORY,
		    design_categories[i]) >= 0);
	for (i = 0; i < DESIGN_STRUCTURES; i++)
		assert_true(catalogue_word(cat, VOCAB_STRUCTURE,
		    design_structures[i]) >= 0);
	w = catalogue_word(cat, VOCAB_CATEGORY, "jeune-12-15");
	assert_true(w >= 0);
	assert_int_equal(cat->words[VOCAB_CATEGORY][w].parent,
	    catalogue_word(cat, VOCAB_CATEGORY, "jeune"));
	assert_int_equal(catalogue_word(cat, VOCAB_ACTIVITY, "kermesse"), -1);
	/* Every sheet accepts at least one activity. */
	for (i = 0; i < cat->nsheets; i++)
		assert_true(cat->sheets[i].activities != 0);
}

static void
test_communes(void **state)
{
	static const char *const members[] = { "46033", "46063", "46069",
	    "46103", "46172", "46201", "46206", "46262", "46263" };
	const struct cat_commune	*c;
	size_t				 i, n = 0;

	(void)state;
	c = catalogue_commune(cat, "46217");	/* Pern */
	assert_non_null(c);
	assert_string_equal(c->current, "46172");
	c = catalogue_commune(cat, "46326");	/* Valprionde */
	assert_non_null(c);
	assert_string_equal(c->current, "46201");
	assert_true(c->ccqb);
	c = catalogue_commune(cat, "46014");	/* Bagat-en-Quercy */
	assert_string_equal(c->current, "46263");
	c = catalogue_commune(cat, "46201");
	assert_string_equal(c->name, "Montcuq-en-Quercy-Blanc");
	assert_true(c->population > 1000);
	for (i = 0; i < cat->ncommunes; i++)
		if (strcmp(cat->communes[i].type, "COM") == 0 &&
		    cat->communes[i].ccqb)
			n++;
	assert_int_equal(n, 9);
	for (i = 0; i < 9; i++)
		assert_true(catalogue_commune(cat, members[i])->ccqb);
	assert_false(catalogue_commune(cat, "75056")->ccqb);
	assert_null(catalogue_commune(cat, "46999"));
	assert_true(cat->ncommunes > 34000);
}

/* Broken data is refused with a message naming the file. */
static void
test_broken_data(void **state)
{
	struct data_file	 files[16];
	struct catalogue	 c;
	char			 err[512], *bad;
	size_t			 i, n = catalogue_files_n;

	(void)state;
	memcpy(files, catalogue_files, n * sizeof(*files));
	for (i = 0; i < n; i++)
		if (strcmp(files[i].name, "catalogue/measures.tsv") == 0)
			break;
	assert_true(i < n);
	bad = strdup(files[i].text);
	/* An unknown activity in a filter. */
	memcpy(strstr(bad, "activity=chantier"), "activity=chantiez", 17);
	files[i].text = bad;
	assert_int_equal(catalogue_load(&c, files, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "« chantiez » absent du vocabulaire"));
	free(bad);
	/* A missing file. */
	memcpy(files, catalogue_files, n * sizeof(*files));
	assert_int_equal(catalogue_load(&c, files, n - 1, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "absent"));
	/* The real thing loads. */
	assert_int_equal(catalogue_load(&c, files, n, err, sizeof(err)), 0);
	catalogue_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_per_sheet),
		cmocka_unit_test(test_exact_labels),
		cmocka_unit_test(test_targets_and_baselines),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_communes),
		cmocka_unit_test(test_broken_data),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
