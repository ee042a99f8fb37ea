/*
 * indicator.h — a sheet's measures and indicators over a window of months,
 * computed from the read model (model.h) as the catalogue declares them
 * (schema/catalogue/MEASURES.md). Pure: the model is read, JSON objects
 * (json-c) come out.
 */
#ifndef CTG_INDICATOR_H
#define CTG_INDICATOR_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "catalogue.h"
#include "model.h"

struct ind_input {
	const struct catalogue	*cat;
	const struct model	*model;		/* read, never changed */
	const struct cat_sheet	*sheet;
	int			 from, to;	/* YYYYMM, inclusive */
	int64_t			 today;		/* days since 1970 */
	int			 summary;	/* the overview's: no breakdowns */
};

/* Sums as a JSON object of word: n, in their order; frees v. */
json_object	*ind_sums_object(struct model_sum *v, size_t n);
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
 * status. The caller owns the object (json_object_put). With summary, the
 * base measures are records and participants only (the overview's line).
 */
json_object	*ind_sheet(const struct ind_input *);
/* YYYY-MM to YYYYMM; -1 when the text is not such a month. */
int		 ind_month_parse(const char *);

#endif
