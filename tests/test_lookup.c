/*
 * test_lookup.c — words as people type them: vocabulary keywords and
 * labels, sheet codes, axes and communes, resolved or refused with a
 * message that names the value and the candidates; the communes' index
 * built once even when several threads ask at the same time.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "catalogue.h"
#include "lookup.h"

static const struct catalogue	*cat;

static int
setup(void **state)
{
	char	 err[512];

	(void)state;
	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/* The keyword text resolves to, or "" with err in *msg. */
static const char *
word(enum cat_vocab v, const char *text, char *err, size_t len)
{
	int	 w;

	err[0] = '\0';
	w = lookup_word(cat, v, text, err, len);
	if (w < 0) {
		assert_true(err[0] != '\0');
		return "";
	}
	return cat->words[v][w].keyword;
}

static const struct {
	enum cat_vocab	 v;
	const char	*text;
	const char	*keyword;
} word_cases[] = {
	{ VOCAB_ACTIVITY, "reunion", "reunion" },
	{ VOCAB_CATEGORY, "Enfants 7-11", "enfant-7-11" },
	{ VOCAB_CATEGORY, "Jeunes 12-15", "jeune-12-15" },
	{ VOCAB_ACTIVITY, "Ateliers", "atelier" },
	{ VOCAB_ACTIVITY, "réunion", "reunion" },
	{ VOCAB_ACTIVITY, "Réunion", "reunion" },
	{ VOCAB_ACTIVITY, "RÉUNION", "reunion" },
	{ VOCAB_ACTIVITY, "  Réunion ", "reunion" },
	{ VOCAB_ACTIVITY, "Réunion (rencontre entre acteurs, comité, "
	    "commission)", "reunion" },
	{ VOCAB_ACTIVITY, "Chantier jeunes", "chantier" },
	{ VOCAB_ACTIVITY, "chant", "chantier" },
	{ VOCAB_ACTIVITY, "Événement", "evenement" },
	{ VOCAB_ACTIVITY, "Temps d'information", "information" },
	{ VOCAB_ACTIVITY, "Étude ou diagnostic", "etude" },
	{ VOCAB_ACTIVITY, "Séjour", "sejour" },
	{ VOCAB_CATEGORY, "AMA", "ama" },
	{ VOCAB_CATEGORY, "Ama", "ama" },
	{ VOCAB_CATEGORY, "Assistantes maternelles", "ama" },
	{ VOCAB_CATEGORY, "assistantes maternelles agréées", "ama" },
	{ VOCAB_CATEGORY, "Enfants", "enfant" },
	{ VOCAB_CATEGORY, "Enfants de 0 à 6 ans", "enfant-0-6" },
	{ VOCAB_CATEGORY, "enfant 0-6", "enfant-0-6" },
	{ VOCAB_CATEGORY, "ENFANT_7_11", "enfant-7-11" },
	{ VOCAB_CATEGORY, "jeune 16", "jeune-16-18" },
	{ VOCAB_CATEGORY, "Élus", "elu" },
	{ VOCAB_CATEGORY, "élu", "elu" },
	{ VOCAB_CATEGORY, "Habitants", "habitant" },
	{ VOCAB_CATEGORY, "Nouveaux habitants", "nouvel-habitant" },
	{ VOCAB_CATEGORY, "Bénévoles", "benevole" },
	{ VOCAB_STRUCTURE, "RIPE", "ripe" },
	{ VOCAB_STRUCTURE, "Relais Intercommunal Petite Enfance", "ripe" },
	{ VOCAB_STRUCTURE, "relais", "ripe" },
	{ VOCAB_STRUCTURE, "Montcuq", "alsh-montcuq" },
	{ VOCAB_STRUCTURE, "ALSH de Castelnau-Montratier", "alsh-castelnau" },
	{ VOCAB_STRUCTURE, "Lou Pichou", "creche-lou-pichou" },
	{ VOCAB_STRUCTURE, "Farandole", "creche-farandole" },
	{ VOCAB_STRUCTURE, "France Services", "france-services" },
	{ VOCAB_STRUCTURE, "médiathèques", "mediatheques" },
	{ VOCAB_STRUCTURE, "3e lieu", "evs-3e-lieu" },
	{ VOCAB_STRUCTURE, "alsh jeunes", "alsh-jeunes" },
};

static void
test_words(void **state)
{
	char	 err[1024];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(word_cases) / sizeof(word_cases[0]); i++) {
		const char *k = word(word_cases[i].v, word_cases[i].text, err,
		    sizeof(err));

		if (strcmp(k, word_cases[i].keyword) != 0)
			fail_msg("« %s » : « %s » (%s), attendu « %s »",
			    word_cases[i].text, k, err, word_cases[i].keyword);
	}
}

static void
test_every_keyword_and_label(void **state)
{
	char	 err[1024];
	size_t	 i;
	int	 v;

	(void)state;
	for (v = 0; v < VOCAB__COUNT; v++)
		for (i = 0; i < cat->nwords[v]; i++) {
			const struct cat_word *w = &cat->words[v][i];

			assert_int_equal(lookup_word(cat, v, w->keyword, err,
			    sizeof(err)), (int)i);
			if (w->label[0] != '\0' && lookup_word(cat, v,
			    w->label, err, sizeof(err)) != (int)i)
				fail_msg("label « %s » : %s", w->label, err);
		}
}

static void
test_words_ambiguous(void **state)
{
	char	 err[1024];

	(void)state;
	assert_int_equal(lookup_word(cat, VOCAB_CATEGORY, "enf", err,
	    sizeof(err)), LOOKUP_AMBIGUOUS);
	assert_string_equal(word(VOCAB_CATEGORY, "enf", err, sizeof(err)), "");
	assert_string_equal(err, "« enf » est ambigu (catégorie) : enfant, "
	    "enfant-0-6, enfant-7-11");
	assert_string_equal(word(VOCAB_STRUCTURE, "alsh", err, sizeof(err)),
	    "");
	assert_string_equal(err, "« alsh » est ambigu (structure) : "
	    "alsh-montcuq, alsh-castelnau, alsh-lhospitalet, alsh-jeunes");
	assert_string_equal(word(VOCAB_STRUCTURE, "Crèche", err, sizeof(err)),
	    "");
	assert_non_null(strstr(err, "creche-farandole, creche-lou-pichou, "
	    "creche-ile-aux-enfants"));
	assert_string_equal(word(VOCAB_ACTIVITY, "a", err, sizeof(err)), "");
	assert_non_null(strstr(err, "« a » est ambigu (activité) : accueil, "
	    "animation, atelier"));
}

static void
test_words_unknown(void **state)
{
	char	 err[1024];

	(void)state;
	assert_string_equal(word(VOCAB_ACTIVITY, "pique-nique", err,
	    sizeof(err)), "");
	assert_non_null(strstr(err, "activité « pique-nique » inconnue : "
	    "attendu accueil, animation, reunion"));
	assert_string_equal(word(VOCAB_CATEGORY, "", err, sizeof(err)), "");
	assert_non_null(strstr(err, "catégorie «  » inconnue : attendu parent, "
	    "enfant"));
	assert_string_equal(word(VOCAB_STRUCTURE, "---", err, sizeof(err)), "");
	assert_non_null(strstr(err, "structure « --- » inconnue"));
	assert_string_equal(word(VOCAB_STRUCTURE, NULL, err, sizeof(err)), "");
	/* A small buffer: cut, still terminated. */
	assert_int_equal(lookup_word(cat, VOCAB_ACTIVITY, "zz", err, 16),
	    LOOKUP_UNKNOWN);
	assert_true(strlen(err) < 16);
}

static void
test_sheets(void **state)
{
	static const struct {
		const char	*text;
		const char	*code;
	} cases[] = {
		{ "I.A.2", "I.A.2" }, { "i.a.2", "I.A.2" },
		{ "III.a.17", "III.A.17" }, { "iii.a.17", "III.A.17" },
		{ "17", "III.A.17" }, { " 17 ", "III.A.17" },
		{ "  III.A.17\t", "III.A.17" }, { "III A 17", "III.A.17" },
		{ "iii-a-17", "III.A.17" }, { "1", "I.A.1" }, { "46", "V.C.46" },
		{ "017", "III.A.17" },
	};
	const struct cat_sheet	*s;
	char			 err[512];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if ((s = lookup_sheet(cat, cases[i].text, err,
		    sizeof(err))) == NULL)
			fail_msg("« %s » : %s", cases[i].text, err);
		assert_string_equal(s->code, cases[i].code);
	}
	for (i = 0; i < cat->nsheets; i++)
		assert_ptr_equal(lookup_sheet(cat, cat->sheets[i].code, err,
		    sizeof(err)), &cat->sheets[i]);
	assert_null(lookup_sheet(cat, "47", err, sizeof(err)));
	assert_string_equal(err, "fiche « 47 » inconnue : attendu un code "
	    "comme III.A.17 ou un numéro de 1 à 46 (voir ctg-query sheets)");
	assert_null(lookup_sheet(cat, "0", err, sizeof(err)));
	assert_null(lookup_sheet(cat, "I.A.17", err, sizeof(err)));
	assert_null(lookup_sheet(cat, "", err, sizeof(err)));
	assert_non_null(strstr(err, "fiche «  » inconnue"));
	assert_null(lookup_sheet(cat, "-3", err, sizeof(err)));
}

static void
test_axes(void **state)
{
	static const struct {
		const char	*text;
		const char	*code;
	} cases[] = {
		{ "II", "II" }, { "ii", "II" }, { "2", "II" }, { " 2 ", "II" },
		{ "iii", "III" }, { "1", "I" }, { "V", "V" }, { "5", "V" },
		{ "Iv", "IV" },
	};
	const struct cat_axis	*a;
	char			 err[512];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if ((a = lookup_axis(cat, cases[i].text, err,
		    sizeof(err))) == NULL)
			fail_msg("« %s » : %s", cases[i].text, err);
		assert_string_equal(a->code, cases[i].code);
	}
	assert_null(lookup_axis(cat, "6", err, sizeof(err)));
	assert_string_equal(err, "axe « 6 » inconnu : attendu I, II, III, IV, "
	    "V (ou leur numéro, de 1 à 5)");
	assert_null(lookup_axis(cat, "VI", err, sizeof(err)));
	assert_null(lookup_axis(cat, "0", err, sizeof(err)));
	assert_null(lookup_axis(cat, "", err, sizeof(err)));
}

static const struct {
	const char	*text;
	const char	*code;
} commune_cases[] = {
	/* Codes, of every type, answered as that very entry. */
	{ "46201", "46201" }, { " 46201 ", "46201" },
	{ "46217", "46217" },		/* COMD Pern */
	{ "46025", "46025" },		/* ANC of Montcuq-en-Quercy-Blanc */
	{ "2A004", "2A004" }, { "2a004", "2A004" },
	/* Names: the current commune. */
	{ "Montcuq-en-Quercy-Blanc", "46201" },
	{ "montcuq en quercy blanc", "46201" },
	{ "MONTCUQ", "46201" }, { "Montcuq", "46201" }, { "montc", "46201" },
	{ "Pern-Lhospitalet", "46172" }, { "Pern", "46172" },
	{ "Lhospitalet", "46172" }, { "L'Hospitalet", "46172" },
	{ "pern lhospitalet", "46172" },
	{ "Saux", "46033" }, { "Saint-Matré", "46033" },
	{ "saint matre", "46033" }, { "Fargues", "46033" },
	{ "Bagat", "46263" }, { "Castelnau", "46063" },
	{ "Cézac", "46069" },		/* the CC's, not the Gironde's */
	{ "cezac", "46069" }, { "Saint-Paul", "46103" },
	{ "Lendou", "46262" }, { "Lascabanes", "46262" },
	{ "Cahors", "46042" },		/* the Lot */
	{ "Figeac", "46102" },
	{ "Sainte-Colombe", "46260" },	/* the Lot's, of fifteen */
	{ "Toulouse", "31555" }, { "Paris", "75056" }, { "Lyon", "69123" },
	{ "Ajaccio", "2A004" },
};

static void
test_communes(void **state)
{
	const struct cat_commune	*m;
	char				 err[1024];
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof(commune_cases) / sizeof(commune_cases[0]);
	    i++) {
		if ((m = lookup_commune(cat, commune_cases[i].text, err,
		    sizeof(err))) == NULL)
			fail_msg("« %s » : %s", commune_cases[i].text, err);
		if (strcmp(m->code, commune_cases[i].code) != 0)
			fail_msg("« %s » : %s %s, attendu %s",
			    commune_cases[i].text, m->code, m->name,
			    commune_cases[i].code);
	}
}

static void
test_communes_refused(void **state)
{
	char	 err[1024];

	(void)state;
	assert_null(lookup_commune(cat, "Saint", err, sizeof(err)));
	assert_non_null(strstr(err, "« Saint » est ambigu (commune) : "));
	assert_non_null(strstr(err, "Saint-Paul-Flaugnac (46103)"));
	assert_non_null(strstr(err, "Saint-Matré (46278 → Porte-du-Quercy)"));
	assert_non_null(strstr(err, "précisez le nom ou donnez le code INSEE"));
	assert_null(lookup_commune(cat, "Amance", err, sizeof(err)));
	assert_string_equal(err, "« Amance » est ambigu (commune) : Amance "
	    "(10005), Amance (54012), Amance (70012) ; précisez le nom ou "
	    "donnez le code INSEE");
	assert_null(lookup_commune(cat, "Montcuqville", err, sizeof(err)));
	assert_string_equal(err, "commune « Montcuqville » inconnue : attendu "
	    "un code INSEE (46201) ou un nom (Montcuq-en-Quercy-Blanc, "
	    "Pern-Lhospitalet)");
	assert_null(lookup_commune(cat, "99999", err, sizeof(err)));
	assert_non_null(strstr(err, "commune « 99999 » inconnue"));
	assert_null(lookup_commune(cat, " - ", err, sizeof(err)));
	assert_non_null(strstr(err, "illisible"));
	assert_null(lookup_commune(cat, NULL, err, sizeof(err)));
	/* Many candidates: a few named, then « … ». */
	assert_null(lookup_commune(cat, "Beaulieu", err, sizeof(err)));
	assert_non_null(strstr(err, "Beaulieu (07028), Beaulieu (14052 → "
	    "Souleuvre en Bocage)"));
	assert_non_null(strstr(err, ", …"));
	assert_null(lookup_commune(cat, "Saint", err, 40));
	assert_true(strlen(err) < 40);
}

/* The index built by whichever of several threads comes first. */
struct racer {
	const struct catalogue	*c;
	int			 ok;
};

static void *
race(void *arg)
{
	struct racer			*r = arg;
	const struct cat_commune	*m;
	char				 err[512];
	int				 i;

	r->ok = 1;
	for (i = 0; i < 50; i++) {
		m = lookup_commune(r->c, i % 2 ? "Montcuq" : "Lhospitalet", err,
		    sizeof(err));
		if (m == NULL || strcmp(m->code, i % 2 ? "46201" : "46172"))
			r->ok = 0;
	}
	return NULL;
}

static void
test_communes_threads(void **state)
{
	struct catalogue	 c;
	struct racer		 r[4];
	pthread_t		 t[4];
	char			 err[512];
	size_t			 i;

	(void)state;
	assert_int_equal(catalogue_load(&c, catalogue_files, catalogue_files_n,
	    err, sizeof(err)), 0);
	assert_null(c.names);
	for (i = 0; i < 4; i++) {
		r[i].c = &c;
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(r[i].ok);
	}
	assert_non_null(c.names);
	catalogue_free(&c);	/* the index goes with the arena */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_every_keyword_and_label),
		cmocka_unit_test(test_words_ambiguous),
		cmocka_unit_test(test_words_unknown),
		cmocka_unit_test(test_sheets),
		cmocka_unit_test(test_axes),
		cmocka_unit_test(test_communes),
		cmocka_unit_test(test_communes_refused),
		cmocka_unit_test(test_communes_threads),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
