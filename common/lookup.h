/*
 * lookup.h — words as people type them, resolved against the catalogue:
 * vocabulary keywords (activity, category, structure) and sheet codes
 * without regard to case, accents or spaces, and by their French labels;
 * communes by INSEE code or by name (current, delegated or former); axes
 * as "2" or "II". Pure. The clients resolve what a person typed into the
 * canonical keywords and codes before anything is sent or any id derived,
 * so that "Réunion" and "reunion" make one record.
 */
#ifndef CTG_LOOKUP_H
#define CTG_LOOKUP_H

#include <stddef.h>

#include "catalogue.h"

/*
 * The index of the vocabulary word that text names, or -1 with a French
 * message in err that names the value and what was expected (or, when
 * several words match, the candidates).
 */
int			 lookup_word(const struct catalogue *, enum cat_vocab,
			    const char *text, char *err, size_t errlen);
/* The sheet text names (code, number, a code in any case); NULL with err. */
const struct cat_sheet	*lookup_sheet(const struct catalogue *,
			    const char *text, char *err, size_t errlen);
/*
 * The commune text names: an INSEE code, or a name as a person writes it
 * (accents, case, spaces and hyphens ignored; an unambiguous prefix), the
 * CC's communes first. NULL with err naming the candidates when ambiguous.
 */
const struct cat_commune *lookup_commune(const struct catalogue *,
			    const char *text, char *err, size_t errlen);
/* The axis text names ("II", "ii", "2"); NULL with err. */
const struct cat_axis	*lookup_axis(const struct catalogue *,
			    const char *text, char *err, size_t errlen);

#endif
