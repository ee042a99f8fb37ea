/*
 * catalogue.h — the CTG action plan as data: axes, objectives, the 46
 * sheets, their 374 indicators and how each is computed, the vocabularies
 * of records, and the communes referential. Parsed from the TSV files
 * under schema/ (built into the programs); pure lookups afterwards.
 */
#ifndef CTG_CATALOGUE_H
#define CTG_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct lookup_names;

/* One file of data, as built in from schema/ or read for tests. */
struct data_file {
	const char	*name;		/* "catalogue/sheets.tsv" */
	const char	*text;
	size_t		 len;
};

enum cat_vocab {
	VOCAB_ACTIVITY,
	VOCAB_CATEGORY,
	VOCAB_STRUCTURE,
	VOCAB__COUNT
};

struct cat_word {
	const char	*keyword;
	const char	*label;		/* French */
	int		 parent;	/* index in the same vocabulary, or -1 */
};

struct cat_axis {
	const char	*code;		/* I .. V */
	const char	*title;
	int		 number;
};

struct cat_objective {
	const char	*code;		/* I.A */
	const char	*axis;
	const char	*title;
};

struct cat_sheet {
	const char	*code;		/* III.A.17 */
	int		 number;	/* 17 */
	const char	*axis, *objective, *title;
	const char	*pilot_elected, *pilot_structures, *partners;
	const char	*deadline;	/* "2023", or "2022:0-6 ans|2023:7-18 ans" */
	int		 deadline_year;	/* its last year, 0: none */
	const char	*links;		/* codes, comma-separated */
	const char	*place_of_residents;
	uint64_t	 activities;	/* bit i: activity word i accepted */
	size_t		 first;		/* its indicators, in plan order */
	size_t		 count;
};

/* How an indicator is computed (schema/catalogue/MEASURES.md). */
enum cat_measure {
	MEASURE_RECORDS,
	MEASURE_PARTICIPANTS,
	MEASURE_DISTINCT_PERSONS,
	MEASURE_BY_CATEGORY,
	MEASURE_BY_RESIDENCE,
	MEASURE_BY_ACTIVITY,
	MEASURE_VENUES,
	MEASURE_COVERAGE,
	MEASURE_PARTNERS,
	MEASURE_CADENCE,
	MEASURE_TREND,
	MEASURE_QUALITATIVE,
	MEASURE__COUNT
};

/* Each measure's name in measures.tsv and its French label. */
struct cat_measure_spec {
	const char	*name;
	const char	*label;
};
extern const struct cat_measure_spec	cat_measures[MEASURE__COUNT];
/* The measure a name (as the sheet JSON prints it) stands for, or -1. */
int	catalogue_measure(const char *name);

/*
 * A filter as compiled at load: a bit mask of vocabulary words per key
 * (0: any), categories widened to their children.
 */
struct cat_filter {
	uint64_t	 act, str, cat;
};

/*
 * 1 when f selects a record of activity word act and structure word str
 * (indices, -1: none) whose groups' categories make the mask cats: keys
 * combine with AND, the words of one key with OR.
 */
int	catalogue_filter_selects(const struct cat_filter *f, int act, int str,
	    uint64_t cats);

struct cat_indicator {
	const char	*id;		/* III.A.17/res/2 */
	const char	*sheet;
	int		 ord;
	const char	*kind;		/* real | res | imp */
	const char	*label;		/* exact French text of the plan */
	/* How it is computed (schema/catalogue/MEASURES.md). */
	const char	*measure, *scope, *filter, *basis;
	const char	*target, *target_per, *baseline, *baseline_year;
	const char	*note;
	/* The same, compiled at load: nothing after it reads the text. */
	enum cat_measure m;
	enum cat_measure basis_m;	/* trend: what it compares */
	int		 all;		/* scope all: records of any sheet */
	struct cat_filter f;
	int		 has_target, per_year;
	double		 target_v;
	int		 has_baseline;
	double		 baseline_v;
};

struct cat_commune {
	const char	*code;		/* INSEE code */
	const char	*type;		/* COM, COMD, COMA, ANC */
	const char	*name;
	const char	*current;	/* the current commune it belongs to */
	int		 population;
	int		 ccqb;		/* its current commune is in the CC */
};

struct catalogue {
	struct cat_axis		*axes;
	size_t			 naxes;
	struct cat_objective	*objectives;
	size_t			 nobjectives;
	struct cat_sheet	*sheets;	/* by number: sheets[n - 1] */
	size_t			 nsheets;
	struct cat_indicator	*indicators;
	size_t			 nindicators;
	struct cat_word		*words[VOCAB__COUNT];
	size_t			 nwords[VOCAB__COUNT];
	struct cat_commune	*communes;	/* sorted by code */
	size_t			 ncommunes;
	struct arena		 arena;
	/*
	 * The communes' folded names, sorted: built in the arena on the first
	 * lookup by name (lookup.c, under its lock), published once.
	 */
	struct lookup_names *_Atomic names;
};

/* The files built into the programs (catalogue_data.c, generated). */
extern const struct data_file	catalogue_files[];
extern const size_t		catalogue_files_n;

/*
 * Parses the files and checks them against each other (every indicator
 * of a known sheet, every measure of a known indicator, filters and sheet
 * activities from the vocabularies, communes sorted). Returns 0, or -1
 * with a French message in err. Free with catalogue_free.
 */
int	catalogue_load(struct catalogue *, const struct data_file *, size_t,
	    char *err, size_t errlen);
/* The built-in catalogue, loaded once; NULL with err on failure. */
const struct catalogue *catalogue_builtin(char *err, size_t errlen);
void	catalogue_free(struct catalogue *);

/* A sheet by code (III.A.17) or number (17); NULL when unknown. */
const struct cat_sheet	*catalogue_sheet(const struct catalogue *,
			    const char *);
/* A vocabulary word's index, or -1. */
int			 catalogue_word(const struct catalogue *,
			    enum cat_vocab, const char *keyword);
/* The keywords of a vocabulary (or of a sheet's activities), ", "-joined. */
const char		*catalogue_words_list(const struct catalogue *,
			    enum cat_vocab, uint64_t mask, char *buf,
			    size_t len);
int			 catalogue_sheet_accepts(const struct cat_sheet *,
			    int activity);
const struct cat_commune *catalogue_commune(const struct catalogue *,
			    const char *code);

#endif
