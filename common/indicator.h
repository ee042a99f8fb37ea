/*
 * indicator.h — a sheet's measures and indicators over a window of months,
 * computed from aggregate rows as the catalogue declares them
 * (schema/catalogue/MEASURES.md). Pure: rows and evidence come in, JSON
 * objects (json-c) come out.
 */
#ifndef CTG_INDICATOR_H
#define CTG_INDICATOR_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "agg.h"
#include "catalogue.h"

/* One row of an aggregate table, for the sheet or for AGG_ALL. */
struct ind_row {
	enum agg_table	 table;
	int		 all;		/* from the AGG_ALL sheet */
	int		 period;	/* YYYYMM, or YYYYMMDD for AGG_DAYS */
	const char	*k[AGG_MAX_KEYS];
	int64_t		 n;
};

struct ind_evidence {
	const char	*indicator, *date, *state, *text, *reference, *id;
};

struct ind_input {
	const struct catalogue	*cat;
	const struct cat_sheet	*sheet;
	int			 from, to;	/* YYYYMM, inclusive */
	int64_t			 today;		/* days since 1970 */
	const struct ind_row	*rows;		/* months from - 100 to to */
	size_t			 nrows;
	const struct ind_evidence *evidence;	/* the sheet's, up to "to" */
	size_t			 nevidence;
};

/*
 * What evaluating a sheet reads, by table and scope ([t][0]: the sheet's
 * own rows, [t][1]: AGG_ALL's): whether at all, from which month (the
 * window's first, or a year before it for trends), and for AGG_ALL rows
 * the vocabulary masks (0 = any) that the union of the filters of the
 * indicators reading them allows. Rows outside the plan change no value.
 */
struct ind_need {
	int		 need;
	int		 lo;		/* 0, or -100: from a year before */
	uint64_t	 act, str, cat;
};

void	ind_plan(const struct catalogue *, const struct cat_sheet *,
	    struct ind_need plan[AGG__TABLES][2]);

/* Adds key: v to o, or key: null when v is NULL or empty. */
void	ind_add_str(json_object *o, const char *key, const char *v);

/* The four statuses, as the reports print them. */
#define IND_ATTEINT		"atteint"
#define IND_EN_BONNE_VOIE	"en bonne voie"
#define IND_EN_RETARD		"en retard"
#define IND_NON_COMMENCE	"non commencé"

/*
 * The sheet JSON (docs/sheet-json.md): the sheet, its base measures over the
 * window, each indicator with its value, target and status, the sheet's
 * status. The caller owns the object (json_object_put).
 */
json_object	*ind_sheet(const struct ind_input *);
/* YYYY-MM to YYYYMM; -1 when the text is not such a month. */
int		 ind_month_parse(const char *);

#endif
