/* test_import.c — import format v1: rows to records, problems per record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import.h"
#include "record.h"

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
	    "Activité;Fiche; Record ID ;Partenaires;;\n"
	    "Lavoir;1 200;46201;jeune;alsh-jeunes;46201;6/7/2024 00:00;chantier;"
	    "17;;\n"
	    ";;;;;;;;;;\n");
	assert_int_equal(b.im.nitems, 1);
	assert_null(b.im.items[0].error);
	assert_string_equal(b.im.items[0].rec.date, "2024-07-06");
	assert_int_equal(b.im.items[0].rec.groups[0].count, 1200);
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&b);
	/* A French LibreOffice's short date; a month-first one is refused. */
	build(&b, HEADER
	    ";17;chantier;06/07/24;46201;alsh-jeunes;jeune;46201;1200;;Lavoir\n");
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&b);
	build(&b, HEADER
	    ";17;chantier;06/07/24;46201;alsh-jeunes;jeune;46201;1200;;Lavoir\n"
	    ";17;chantier;07/13/24;46201;alsh-jeunes;jeune;46201;1200;;Lavoir\n");
	assert_non_null(strstr(b.im.items[1].error, "« 07/13/24 » : ce fichier "
	    "écrit ses dates le mois d'abord (voir la ligne 3)"));
	/* Then no slashed date of that file is trusted, not even 06/07/24. */
	assert_non_null(strstr(b.im.items[0].error, "« 06/07/24 » : ce fichier "
	    "écrit ses dates le mois d'abord"));
	done(&b);
	/* With day-first dates beside it, 07/13/24 is a slip of its own. */
	build(&b, HEADER
	    ";17;chantier;07/13/24;46201;alsh-jeunes;jeune;46201;1200;;Lavoir\n"
	    ";17;chantier;26/07/24;46201;alsh-jeunes;jeune;46201;1200;;Lavoir\n");
	assert_non_null(strstr(b.im.items[0].error, "« 07/13/24 » n'est pas une "
	    "date : il n'y a pas de mois au-delà de 12"));
	assert_null(b.im.items[1].error);
	done(&b);
	build(&b, HEADER
	    ";17;chantier;31/12/2019;46201;alsh-jeunes;jeune;46201;12;;Lavoir\n"
	    ";17;chantier;01/01/2099;46201;alsh-jeunes;jeune;46201;12;;Lavoir\n");
	assert_non_null(strstr(b.im.items[0].error, "colonne « date » : "
	    "« 31/12/2019 » : avant le début de la convention"));
	assert_non_null(strstr(b.im.items[1].error, "« 01/01/2099 » : dans le "
	    "futur"));
	done(&b);
	/* A no-break space between digit groups, as LibreOffice writes. */
	build(&b, HEADER
	    ";17;chantier;06/07/2024;46201;alsh-jeunes;jeune;46201;1\xc2\xa0"
	    "200;;Lavoir\n");
	assert_int_equal(b.im.items[0].rec.groups[0].count, 1200);
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&b);
	done(&a);
}

/* A column of the user's own is left aside and said; no id column is fine. */
static void
test_columns_of_ones_own(void **state)
{
	struct parsed	 a, b;

	(void)state;
	build(&a, HEADER
	    ";17;chantier;2024-07-06;46201;alsh-jeunes;jeune;46201;12;;Lavoir\n");
	build(&b, "Fiche;Activité;Date;Lieu;Structure;Public;Résidence;Effectif;"
	    "Partenaires;Titre;Remarques;Animateur\n"
	    "17;chantier;06/07/2024;46201;alsh-jeunes;jeune;46201;12;;Lavoir;"
	    "pluie;Paul\n");
	assert_null(a.im.note);
	assert_non_null(b.im.note);
	assert_string_equal(b.im.note, "colonnes ignorées, hors du format "
	    "d'import : « Remarques », « Animateur »\n");
	assert_null(b.im.items[0].error);
	assert_memory_equal(a.im.items[0].id, b.im.items[0].id, 16);
	done(&a);
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
		{ "action;activity;date;commune;structure;category;"
		  "residence;count;partners;title\n", NULL },
		{ "record_id,action,activity,date,commune,structure,category,"
		  "residence,count,partners,title\n", "séparé par « ; »" },
		{ "Fiche;Activité;Date;Lieu;Structure;Public;Résidence;"
		  "Effectif;Partenaires;Titre;Identifiant;Personne\n", NULL },
		{ "id;fiche;activité;date;lieu;structure;public;résidence;"
		  "effectif;partenaires;titre;Fiche\n", "deux fois" },
		{ "id;fiche;activité;date;;lieu;structure;public;résidence;"
		  "effectif;partenaires;titre\n", "la colonne 5 n'a pas de nom" },
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

/*
 * Property: random activities written as rows in random spreadsheet
 * flavours (encoding, separator, quoting, line ends, header spelling and
 * order, date format, words and communes as typed, blank rows) import to
 * the same ids and the same content as their plain v1 spelling.
 */
enum { F_ID, F_ACTION, F_ACTIVITY, F_DATE, F_COMMUNE, F_STRUCTURE,
    F_CATEGORY, F_RESIDENCE, F_COUNT, F_PARTNERS, F_TITLE, F__COUNT };

/* Each column's spellings; [0] is the plain v1 one. */
static const char *const flav_headers[F__COUNT][4] = {
	{ "record_id", "Record ID", "Identifiant", "ID" },
	{ "action", "Fiche", "FICHE ACTION", "fiches" },
	{ "activity", "Activité", "ACTIVITE", "Type d'activité" },
	{ "date", "Date", "DATE", "Jour" },
	{ "commune", "Lieu", "Commune", "commune du lieu" },
	{ "structure", "Structure", "STRUCTURE", "Service" },
	{ "category", "Public", "Catégorie", "CATEGORIE" },
	{ "residence", "Résidence", "Commune de résidence", "Origine" },
	{ "count", "Effectif", "Nombre", "nb" },
	{ "partners", "Partenaires", "PARTENAIRES", "partenaire" },
	{ "title", "Titre", "Intitulé", "LIBELLE" },
};

/* Words: { keyword, another spelling a person types }. */
static const char *const flav_sheets[][3] = {
	{ "III.A.17", "17", "iii.a.17" }, { "II.A.9", "9", "ii.a.9" },
	{ "I.B.6", "6", "i.b.6" }, { "", "", "" },
};
static const char *const flav_activities[][2] = {
	{ "reunion", "Réunion" }, { "atelier", "ATELIER" },
	{ "evenement", "Événement" }, { "chantier", "Chantier" },
};
static const char *const flav_structures[][2] = {
	{ "ripe", "RIPE" }, { "alsh-jeunes", "ALSH-Jeunes" },
	{ "evs-3e-lieu", "EVS-3E-LIEU" },
};
static const char *const flav_categories[][2] = {
	{ "parent", "Parent" }, { "ama", "AMA" }, { "jeune", "JEUNE" },
	{ "enfant-0-6", "Enfant-0-6" },
};
static const char *const flav_communes[][2] = {
	{ "46201", "Montcuq-en-Quercy-Blanc" }, { "46063", "castelnau montratier" },
	{ "46172", "PERN-LHOSPITALET" }, { "46033", "Porte-du-Quercy" },
};
static const char *const flav_partners[] = {
	"CAF", "Mairie de Montcuq", "Médiathèque « Lire »",
};
static const char *const flav_titles[] = {
	"Réunion d'été", "Café ; thé", "Dit \"oui\"", "Œuvre à 5 €",
	"L’atelier, deux", "",
};

struct flav_group {
	int	 cat, res;		/* res -1: unknown */
	int	 count;
};

struct flav_record {
	int			 idstyle;	/* 0 none, 1 key, 2 UUID */
	int			 sheets[2], nsheets;
	int			 act, str, com, title, partners;
	int			 day;		/* of 2024, 1..28 of month m */
	int			 month;
	struct flav_group	 groups[3];
	int			 ngroups;
};

struct flavour {
	int	 encoding;	/* 0 UTF-8, 1 BOM, 2 cp1252, 3 UTF-16LE, 4 BE */
	char	 sep;
	int	 crlf, quote_all, spelled, dates, blanks;
	int	 order[F__COUNT];
	int	 header[F__COUNT];
};

static unsigned
flav_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static void
flav_field(FILE *f, const struct flavour *fl, const char *v)
{
	const char	*p;
	int		 q = fl->quote_all || strchr(v, fl->sep) != NULL ||
			    strchr(v, '"') != NULL;

	if (!q) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (p = v; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* One row's values, in column order F_*. */
static void
flav_values(const struct flav_record *r, int g, int n, const struct flavour *fl,
    char vals[F__COUNT][128])
{
	const struct flav_group	*gr = &r->groups[g];
	int			 sp = fl->spelled, i;

	if (r->idstyle == 1)
		snprintf(vals[F_ID], 128, "k%d", n);
	else if (r->idstyle == 2)
		snprintf(vals[F_ID], 128, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f%04x", n);
	else
		vals[F_ID][0] = '\0';
	vals[F_ACTION][0] = '\0';
	for (i = 0; i < r->nsheets; i++)
		snprintf(vals[F_ACTION] + strlen(vals[F_ACTION]),
		    128 - strlen(vals[F_ACTION]), "%s%s", i ? "," : "",
		    flav_sheets[r->sheets[i]][sp ? 1 + (n + i) % 2 : 0]);
	snprintf(vals[F_ACTIVITY], 128, "%s", flav_activities[r->act][sp]);
	if (fl->dates == 0)
		snprintf(vals[F_DATE], 128, "2024-%02d-%02d", r->month, r->day);
	else if (fl->dates == 1)
		snprintf(vals[F_DATE], 128, "%02d/%02d/2024", r->day, r->month);
	else
		snprintf(vals[F_DATE], 128, "%d/%d/2024", r->day, r->month);
	snprintf(vals[F_COMMUNE], 128, "%s", flav_communes[r->com][sp]);
	snprintf(vals[F_STRUCTURE], 128, "%s", flav_structures[r->str][sp]);
	snprintf(vals[F_CATEGORY], 128, "%s", flav_categories[gr->cat][sp]);
	snprintf(vals[F_RESIDENCE], 128, "%s", gr->res < 0 ?
	    (sp ? "inconnue" : "") : flav_communes[gr->res][sp]);
	if (sp && gr->count >= 1000)
		snprintf(vals[F_COUNT], 128, "%d%s%03d", gr->count / 1000,
		    fl->encoding == 2 ? "\xc2\xa0" : " ", gr->count % 1000);
	else
		snprintf(vals[F_COUNT], 128, "%d", gr->count);
	vals[F_PARTNERS][0] = '\0';
	for (i = 0; i < 3; i++)
		if (r->partners & (1 << i))
			snprintf(vals[F_PARTNERS] + strlen(vals[F_PARTNERS]),
			    128 - strlen(vals[F_PARTNERS]), "%s%s",
			    vals[F_PARTNERS][0] ? ", " : "", flav_partners[i]);
	snprintf(vals[F_TITLE], 128, "%s%s%d", flav_titles[r->title],
	    flav_titles[r->title][0] ? " " : "", n);
}

/* UTF-8 text to the flavour's encoding. */
static char *
flav_encode(const char *u8, size_t len, int encoding, size_t *outlen)
{
	static const struct { uint32_t cp; uint8_t b; } high[] = {
		{ 0x20ac, 0x80 }, { 0x2019, 0x92 }, { 0x0153, 0x9c },
		{ 0x0152, 0x8c },
	};
	const uint8_t	*p = (const uint8_t *)u8;
	uint8_t		*out = malloc(len * 2 + 4);
	size_t		 i = 0, o = 0, k;
	uint32_t	 cp;

	if (encoding == 1) {
		memcpy(out, "\xef\xbb\xbf", 3);
		o = 3;
	} else if (encoding == 3 || encoding == 4) {
		out[o++] = encoding == 3 ? 0xff : 0xfe;
		out[o++] = encoding == 3 ? 0xfe : 0xff;
	}
	while (i < len) {
		if (p[i] < 0x80)
			cp = p[i++];
		else if (p[i] < 0xe0) {
			cp = (uint32_t)(p[i] & 0x1f) << 6 | (p[i + 1] & 0x3f);
			i += 2;
		} else {
			cp = (uint32_t)(p[i] & 0x0f) << 12 |
			    (uint32_t)(p[i + 1] & 0x3f) << 6 | (p[i + 2] & 0x3f);
			i += 3;
		}
		if (encoding <= 1) {
			memcpy(out + o, u8 + i - (cp < 0x80 ? 1 : cp < 0x800 ?
			    2 : 3), cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3);
			o += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
		} else if (encoding == 2) {
			if (cp < 0x100)
				out[o++] = (uint8_t)cp;
			else {
				for (k = 0; k < sizeof(high) / sizeof(high[0]) &&
				    high[k].cp != cp; k++)
					;
				assert_true(k < sizeof(high) / sizeof(high[0]));
				out[o++] = high[k].b;
			}
		} else {
			out[o++] = (uint8_t)(encoding == 3 ? cp : cp >> 8);
			out[o++] = (uint8_t)(encoding == 3 ? cp >> 8 : cp);
		}
	}
	*outlen = o;
	return (char *)out;
}

/* The file of records rs in flavour fl; malloc'd bytes. */
static char *
flav_file(const struct flav_record *rs, size_t n, const struct flavour *fl,
    size_t *len)
{
	char	*u8 = NULL, vals[F__COUNT][128], *out;
	size_t	 u8len = 0, i;
	FILE	*f = open_memstream(&u8, &u8len);
	int	 c, g, row = 0;
	const char *eol = fl->crlf ? "\r\n" : "\n";

	for (c = 0; c < F__COUNT; c++) {
		if (c > 0)
			fputc(fl->sep, f);
		flav_field(f, fl, flav_headers[fl->order[c]][fl->header[c]]);
	}
	fputs(eol, f);
	for (i = 0; i < n; i++)
		for (g = 0; g < rs[i].ngroups; g++) {
			if (fl->blanks && (row++ % 3) == 1) {
				for (c = 1; c < F__COUNT && row % 2; c++)
					fputc(fl->sep, f);
				fputs(eol, f);
			}
			flav_values(&rs[i], g, (int)i, fl, vals);
			for (c = 0; c < F__COUNT; c++) {
				if (c > 0)
					fputc(fl->sep, f);
				flav_field(f, fl, vals[fl->order[c]]);
			}
			fputs(eol, f);
		}
	fclose(f);
	out = flav_encode(u8, u8len, fl->encoding, len);
	free(u8);
	return out;
}

static void
flav_import(const char *bytes, size_t len, struct parsed *p)
{
	struct csv_info	 info;
	char		 err[512] = "";

	if (csv_read(bytes, len, &p->t, &info, err, sizeof(err)) != 0)
		fail_msg("csv_read: %s", err);
	if (import_build(&p->t, catalogue_builtin(err, sizeof(err)), key,
	    &p->im, err, sizeof(err)) != 0)
		fail_msg("import: %s", err);
}

static void
test_property_flavours(void **state)
{
	static const char	 seps[] = { ';', ',', '\t' };
	unsigned		 seed = 20261202;
	int			 round, c, k, t;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct flav_record	 rs[6];
		struct flavour		 plain = { .sep = ';' }, fl;
		struct parsed		 a, b;
		size_t			 n = 1 + flav_rand(&seed) % 6, i, la, lb;
		char			*fa, *fb;
		uint8_t			 da[32], db[32];

		memset(rs, 0, sizeof(rs));
		for (i = 0; i < n; i++) {
			struct flav_record *r = &rs[i];

			r->idstyle = (int)(flav_rand(&seed) % 3);
			r->nsheets = (int)(flav_rand(&seed) % 3);
			r->sheets[0] = (int)(flav_rand(&seed) % 3);
			r->sheets[1] = (r->sheets[0] + 1) % 3;
			r->act = (int)(flav_rand(&seed) % 4);
			r->str = (int)(flav_rand(&seed) % 3);
			r->com = (int)(flav_rand(&seed) % 4);
			r->title = (int)(flav_rand(&seed) % 6);
			r->partners = (int)(flav_rand(&seed) % 8);
			r->month = 1 + (int)(flav_rand(&seed) % 12);
			r->day = 1 + (int)(flav_rand(&seed) % 28);
			r->ngroups = 1 + (int)(flav_rand(&seed) % 3);
			for (k = 0; k < r->ngroups; k++) {
				r->groups[k].cat = (int)(flav_rand(&seed) % 4);
				r->groups[k].res = (int)(flav_rand(&seed) % 5) - 1;
				r->groups[k].count = flav_rand(&seed) % 4 == 0 ?
				    1000 + (int)(flav_rand(&seed) % 9000) :
				    1 + (int)(flav_rand(&seed) % 40);
			}
		}
		for (c = 0; c < F__COUNT; c++)
			plain.order[c] = c;
		fl = plain;
		fl.encoding = (int)(flav_rand(&seed) % 5);
		fl.sep = seps[flav_rand(&seed) % 3];
		fl.crlf = (int)(flav_rand(&seed) % 2);
		fl.quote_all = (int)(flav_rand(&seed) % 4 == 0);
		fl.spelled = (int)(flav_rand(&seed) % 2);
		fl.dates = (int)(flav_rand(&seed) % 3);
		fl.blanks = (int)(flav_rand(&seed) % 2);
		for (c = F__COUNT - 1; c > 0; c--) {
			k = (int)(flav_rand(&seed) % (unsigned)(c + 1));
			t = fl.order[c];
			fl.order[c] = fl.order[k];
			fl.order[k] = t;
		}
		for (c = 0; c < F__COUNT; c++)
			fl.header[c] = (int)(flav_rand(&seed) % 4);
		fa = flav_file(rs, n, &plain, &la);
		fb = flav_file(rs, n, &fl, &lb);
		flav_import(fa, la, &a);
		flav_import(fb, lb, &b);
		if (a.im.nitems != n || b.im.nitems != n)
			fail_msg("round %d: %zu and %zu records for %zu\n%.*s", round,
			    a.im.nitems, b.im.nitems, n, (int)lb, fb);
		for (i = 0; i < n; i++) {
			if (a.im.items[i].error != NULL ||
			    b.im.items[i].error != NULL)
				fail_msg("round %d record %zu: %s / %s\n%.*s", round,
				    i, a.im.items[i].error, b.im.items[i].error,
				    (int)lb, fb);
			record_digest(&a.im.items[i].rec, da);
			record_digest(&b.im.items[i].rec, db);
			if (memcmp(da, db, 32) != 0 ||
			    memcmp(a.im.items[i].id, b.im.items[i].id, 16) != 0)
				fail_msg("round %d record %zu differs\n%.*s", round,
				    i, (int)lb, fb);
		}
		done(&a);
		done(&b);
		free(fa);
		free(fb);
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
		cmocka_unit_test(test_columns_of_ones_own),
		cmocka_unit_test(test_wrong_column_row_refuses_its_record),
		cmocka_unit_test(test_person_tokens),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_property_flavours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
