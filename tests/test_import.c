/* test_import.c — import format v1: rows to records, problems per record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "import.h"

#define HEADER	"record_id;action;activity;date;commune;structure;category;" \
		"residence;count;partners;title\n"
#define HEADER_P "record_id;action;activity;date;commune;structure;category;" \
		"residence;count;partners;title;person\n"
#define RID	"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"

static const uint8_t key[PERSON_KEY_LEN] = { 1, 2, 3 };

struct parsed {
	struct csv_table	t;
	struct import		im;
};

static void
build(struct parsed *p, const char *text)
{
	struct csv_info	 info;
	char		 err[512] = "";

	if (csv_read(text, strlen(text), &p->t, &info, err, sizeof(err)) != 0)
		fail_msg("csv: %s", err);
	if (import_build(&p->t, catalogue_builtin(err, sizeof(err)), key,
	    &p->im, err, sizeof(err)) != 0)
		fail_msg("import: %s", err);
}

static void
done(struct parsed *p)
{
	import_free(&p->im);
	csv_free(&p->t);
}

static void
test_rows_with_one_id_form_one_record(void **state)
{
	struct parsed		 p;
	const struct record	*r;

	(void)state;
	build(&p, HEADER
	    RID ";II.A.9,10;atelier;2024-03-01;46063;ripe;parent;46063;4;"
	    "CAF, Médiathèque ;Café\n"
	    ";;accueil;2024-03-02;46201;alsh-montcuq;enfant;;12;;\n"
	    RID ";II.A.9,10;atelier;2024-03-01;46063;ripe;enfant;;6;"
	    "CAF, Médiathèque ;Café\n");
	assert_int_equal(p.im.nitems, 2);
	assert_int_equal(p.im.nrows, 3);
	assert_int_equal(p.im.row_item[0], p.im.row_item[2]);
	assert_int_equal(p.im.row_line[2], 4);
	r = &p.im.items[p.im.row_item[0]].rec;
	assert_null(p.im.items[0].error);
	assert_int_equal(r->ngroups, 2);
	assert_int_equal(r->groups[0].count + r->groups[1].count, 10);
	assert_string_equal(r->groups[1].residence, "");
	assert_int_equal(r->nsheets, 2);
	assert_string_equal(r->sheets[0], "II.A.9");
	assert_string_equal(r->sheets[1], "II.A.10");
	assert_int_equal(r->npartners, 2);
	assert_string_equal(r->partners[1], "Médiathèque");
	assert_string_equal(r->title, "Café");
	r = &p.im.items[p.im.row_item[1]].rec;
	assert_int_equal(r->nsheets, 0);
	assert_null(r->title);
	done(&p);
}

static void
test_disagreeing_rows_refuse_the_record(void **state)
{
	struct parsed	 p;

	(void)state;
	build(&p, HEADER
	    RID ";9;atelier;2024-03-01;46063;ripe;parent;46063;4;;Café\n"
	    RID ";9;atelier;2024-03-08;46063;ripe;enfant;;6;;Café\n");
	assert_int_equal(p.im.nitems, 1);
	assert_non_null(p.im.items[0].error);
	assert_non_null(strstr(p.im.items[0].error, "ligne 3"));
	assert_non_null(strstr(p.im.items[0].error, "« date »"));
	assert_non_null(strstr(p.im.items[0].error, "ligne 2"));
	done(&p);
}

/* Same file, same ids; identical rows get distinct ids, in order. */
static void
test_derived_ids(void **state)
{
	static const char text[] = HEADER
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;A\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;B\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;A\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;6;;B\n";
	struct parsed	 a, b;

	(void)state;
	build(&a, text);
	build(&b, text);
	assert_int_equal(a.im.nitems, 4);
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	assert_memory_equal(a.im.items[2].id, b.im.items[2].id, 16);
	/* The same activity twice in a file: two records, two ids. */
	assert_memory_not_equal(a.im.items[0].id, a.im.items[2].id, 16);
	assert_memory_not_equal(a.im.items[0].id, a.im.items[1].id, 16);
	assert_memory_not_equal(a.im.items[1].id, a.im.items[3].id, 16);
	/* Time-ordered by the activity's date: 2024-07-10 = 1720569600000 ms. */
	assert_int_equal(a.im.items[0].id[0], 0x01);
	assert_int_equal(a.im.items[0].id[1], 0x90);
	assert_int_equal(a.im.items[0].id[6] >> 4, 7);
	done(&a);
	done(&b);
	/* 17 and III.A.17 name one sheet: one id. */
	build(&a, HEADER
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;\n");
	build(&b, HEADER
	    ";III.A.17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;\n");
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&a);
	done(&b);
}

/* Regression: one meeting written as two rows was stored as two activities. */
static void
test_rows_without_id_form_one_activity(void **state)
{
	struct parsed	 p, q;

	(void)state;
	build(&p, HEADER
	    ";II.A.13;information;2024-05-02;46201;ripe;parent;46201;5;;Réunion\n"
	    ";II.A.13;information;2024-05-02;46201;ripe;parent;46063;3;;Réunion\n"
	    ";II.A.13;information;2024-05-02;46201;ripe;parent;46063;3;;Autre\n");
	assert_int_equal(p.im.nitems, 2);
	assert_int_equal(p.im.items[0].nrows, 2);
	assert_int_equal(p.im.items[0].rec.ngroups, 2);
	assert_int_equal(p.im.items[0].line, 2);
	assert_int_equal(p.im.items[1].line, 4);
	assert_int_equal(p.im.row_item[1], 0);
	assert_null(p.im.items[0].error);
	/* A key of the user's own gathers rows wherever they are... */
	build(&q, HEADER
	    "1;II.A.13;information;2024-05-02;46201;ripe;parent;46201;5;;Réunion\n"
	    "2;II.A.13;information;2024-05-02;46201;ripe;parent;46063;3;;Autre\n"
	    "1;II.A.13;information;2024-05-02;46201;ripe;parent;46063;3;;Réunion\n");
	assert_int_equal(q.im.nitems, 2);
	assert_int_equal(q.im.items[0].rec.ngroups, 2);
	assert_null(q.im.items[0].error);
	/* ...and the id comes from the content, not from the key. */
	assert_memory_equal(p.im.items[0].id, q.im.items[0].id, 16);
	assert_memory_equal(p.im.items[1].id, q.im.items[1].id, 16);
	done(&p);
	done(&q);
	/* Rows of one key that disagree refuse the record, naming both. */
	build(&q, HEADER
	    "a;II.A.13;information;2024-05-02;46201;ripe;parent;46201;5;;R\n"
	    "a;II.A.13;information;2024-05-03;46201;ripe;parent;46063;3;;R\n");
	assert_int_equal(q.im.nitems, 1);
	assert_non_null(strstr(q.im.items[0].error, "ligne 3 : la colonne "
	    "« date » diffère de la ligne 2"));
	done(&q);
}

static void
test_row_problems(void **state)
{
	struct parsed	 p;

	(void)state;
	build(&p, HEADER
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;cinq;;\n"
	    "clé-1;17;chantier;2024-07-10;46201;alsh-jeunes;jeune;;1;;\n"
	    ";17;chantier;2024-07-10\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;-4;;\n"
	    ";17;chantier;31/02/2024;46201;alsh-jeunes;jeune;46201;4;;\n");
	assert_int_equal(p.im.nitems, 5);
	assert_non_null(strstr(p.im.items[0].error,
	    "ligne 2, colonne « count » : « cinq » n'est pas un effectif"));
	assert_null(p.im.items[1].error);
	assert_non_null(strstr(p.im.items[2].error, "colonnes au lieu des 11"));
	/* A negative count is the server's to refuse, with its reason. */
	assert_null(p.im.items[3].error);
	assert_int_equal(p.im.items[3].rec.groups[0].count, -4);
	assert_non_null(strstr(p.im.items[4].error,
	    "« 31/02/2024 » n'est pas une date : attendu JJ/MM/AAAA"));
	done(&p);
}

/* Dates, counts and header names as French spreadsheets write them. */
static void
test_spreadsheet_spellings(void **state)
{
	struct parsed	 a, b;

	(void)state;
	build(&a, HEADER
	    ";17;chantier;2024-07-06;46201;alsh-jeunes;jeune;46201;1200;;Lavoir\n");
	build(&b, "Titre;Effectif;Résidence;Public;Structure;Lieu;Date;"
	    "Activité;Fiche; Record ID ;Partenaires\n"
	    "Lavoir;1 200;46201;jeune;alsh-jeunes;46201;6/7/2024 00:00;chantier;"
	    "17;;\n"
	    ";;;;;;;;;;\n");
	assert_int_equal(b.im.nitems, 1);
	assert_null(b.im.items[0].error);
	assert_string_equal(b.im.items[0].rec.date, "2024-07-06");
	assert_int_equal(b.im.items[0].rec.groups[0].count, 1200);
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&a);
	done(&b);
	/* A no-break space between digit groups, as LibreOffice writes. */
	build(&b, HEADER
	    ";17;chantier;06/07/2024;46201;alsh-jeunes;jeune;46201;1\xc2\xa0"
	    "200;;Lavoir\n");
	assert_int_equal(b.im.items[0].rec.groups[0].count, 1200);
	assert_memory_equal(b.im.items[0].id, b.im.items[0].id, 16);
	done(&b);
}

/* Words as people type them: resolved before the id is derived. */
static void
test_words_as_typed(void **state)
{
	struct parsed	 a, b;

	(void)state;
	build(&a, HEADER
	    ";ii.a.9;reunion;2024-03-01;46201;ripe;ama;46172;6;;Réunion AMA\n");
	build(&b, HEADER
	    ";II.A.9;Réunion;01/03/2024;Montcuq;RIPE;AMA;Lhospitalet;6;;"
	    "Réunion AMA\n");
	assert_null(a.im.items[0].error);
	assert_null(b.im.items[0].error);
	assert_string_equal(b.im.items[0].rec.activity, "reunion");
	assert_string_equal(b.im.items[0].rec.commune, "46201");
	assert_string_equal(b.im.items[0].rec.groups[0].category, "ama");
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&a);
	done(&b);
	build(&b, HEADER
	    ";9;danse;2024-03-01;46201;ripe;ama;inconnue;6;;\n");
	assert_non_null(strstr(b.im.items[0].error,
	    "ligne 2, colonne « activity » : "));
	assert_non_null(strstr(b.im.items[0].error, "danse"));
	done(&b);
}
/* Regression: a row with a stray ';' split its record in two. */
static void
test_wrong_column_row_refuses_its_record(void **state)
{
	struct parsed	 p;

	(void)state;
	build(&p, HEADER
	    RID ";9;atelier;2024-03-01;46063;ripe;parent;46063;4;;Café\n"
	    RID ";9;atelier;2024-03-01;46063;ripe;enfant;;6;;Café; thé\n"
	    RID ";9;atelier;2024-03-01;46063;ripe;ama;;1;;Café\n");
	assert_int_equal(p.im.nitems, 1);
	assert_int_equal(p.im.items[0].nrows, 3);
	assert_non_null(p.im.items[0].error);
	assert_non_null(strstr(p.im.items[0].error, "ligne 3"));
	done(&p);
}

static void
test_person_tokens(void **state)
{
	struct parsed		 p;
	const struct group	*g0, *g1, *g2;

	(void)state;
	build(&p, HEADER_P
	    RID ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;;;;"
	    "Léa M.\n"
	    RID ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;1;;;"
	    " Léa M. \n"
	    RID ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46172;;;;"
	    "Tom B.\n"
	    ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46172;3;;;"
	    "Tom B.\n");
	assert_null(p.im.items[0].error);
	g0 = &p.im.items[0].rec.groups[0];
	g1 = &p.im.items[0].rec.groups[1];
	g2 = &p.im.items[0].rec.groups[2];
	assert_int_equal(g0->count, 1);
	assert_int_equal(g0->person_len, PERSON_TOKEN_LEN);
	assert_memory_equal(g0->person, g1->person, PERSON_TOKEN_LEN);
	assert_memory_not_equal(g0->person, g2->person, PERSON_TOKEN_LEN);
	/* The local identifier itself is nowhere in the record. */
	assert_null(memmem(g0->person, PERSON_TOKEN_LEN, "Léa", 4));
	assert_non_null(strstr(p.im.items[1].error, "compte pour 1"));
	done(&p);
}

static void
test_header_errors(void **state)
{
	struct csv_table	 t;
	struct import		 im;
	char			 err[512];
	static const char	*bad[][2] = {
		{ "record_id;action;activity\n", "« date » absente" },
		{ HEADER_P, NULL },
		{ "record_id;action;activity;date;commune;structure;category;"
		  "residence;count;partners;title;age\n", "inconnue « age »" },
		{ "record_id,action,activity,date,commune,structure,category,"
		  "residence,count,partners,title\n", "séparé par « ; »" },
		{ "Fiche;Activité;Date;Lieu;Structure;Public;Résidence;"
		  "Effectif;Partenaires;Titre;Identifiant;Personne\n", NULL },
		{ "id;fiche;activité;date;lieu;structure;public;résidence;"
		  "effectif;partenaires;titre;Fiche\n", "deux fois" },
		{ "record_id;record_id;action;activity;date;commune;structure;"
		  "category;residence;count;partners;title\n", "deux fois" },
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(csv_parse(bad[i][0], strlen(bad[i][0]), &t,
		    err, sizeof(err)), 0);
		if (bad[i][1] == NULL) {
			assert_int_equal(import_build(&t, NULL, key, &im, err,
			    sizeof(err)), 0);
			import_free(&im);
		} else {
			assert_int_equal(import_build(&t, NULL, key, &im, err,
			    sizeof(err)), -1);
			if (strstr(err, bad[i][1]) == NULL)
				fail_msg("\"%s\" lacks \"%s\"", err, bad[i][1]);
		}
		csv_free(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_with_one_id_form_one_record),
		cmocka_unit_test(test_disagreeing_rows_refuse_the_record),
		cmocka_unit_test(test_derived_ids),
		cmocka_unit_test(test_rows_without_id_form_one_activity),
		cmocka_unit_test(test_row_problems),
		cmocka_unit_test(test_spreadsheet_spellings),
		cmocka_unit_test(test_words_as_typed),
		cmocka_unit_test(test_wrong_column_row_refuses_its_record),
		cmocka_unit_test(test_person_tokens),
		cmocka_unit_test(test_header_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
