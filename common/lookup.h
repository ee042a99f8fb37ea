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

#define LOOKUP_UNKNOWN		(-1)
#define LOOKUP_AMBIGUOUS	(-2)

/*
 * The index of the vocabulary word that text names, or LOOKUP_UNKNOWN with
 * a French message in err that names the value and what was expected, or
 * LOOKUP_AMBIGUOUS with the candidates when several words match. By steps, the first that finds
 * something deciding: the keyword exactly; the folded keyword; a folded
 * form of the label (whole, before « ( », or the abbreviation in
 * parentheses: « AMA », « RIPE »); the beginning of the keyword or of a
 * form; the beginning of a later word of one (« Montcuq » for
 * alsh-montcuq).
 */
int			 lookup_word(const struct catalogue *, enum cat_vocab,
			    const char *text, char *err, size_t errlen);
/*
 * The sheet text names (number, code in any case or folded: « 17 »,
 * « iii.a.17 », « III A 17 »), spaces around ignored; NULL with err.
 */
const struct cat_sheet	*lookup_sheet(const struct catalogue *,
			    const char *text, char *err, size_t errlen);
/*
 * The commune text names: an INSEE code of any type (COM, COMD, COMA,
 * ANC), answered as that very entry; or a name as a person writes it
 * (current, delegated or former; accents, case, spaces, hyphens and
 * apostrophes ignored), answered as the current commune it belongs to:
 * the whole name, else its beginning (« Montcuq »), else the beginning
 * of a later word of it (« Lhospitalet » for Pern-Lhospitalet); searched
 * in the CC's communes first, then the Lot, then all of France. NULL
 * with err naming the candidates, « Nom (code) », when ambiguous. The
 * first lookup by name builds an index in the catalogue's arena, once,
 * under a lock: safe from several threads.
 */
const struct cat_commune *lookup_commune(const struct catalogue *,
			    const char *text, char *err, size_t errlen);
/* The axis text names ("II", "ii", "2"); NULL with err. */
const struct cat_axis	*lookup_axis(const struct catalogue *,
			    const char *text, char *err, size_t errlen);

#endif
