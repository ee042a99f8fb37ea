/*
 * fr.h — how a person reads the daemon's figures in French: months in
 * words, dates JJ/MM/AAAA, timestamps in words, deadlines, a breakdown's
 * keys by name (a commune's name, not its INSEE code; a category's label,
 * not its keyword) and a measure's figure with its unit. Pure; every
 * report, table and change list says things through here.
 */
#ifndef CTG_FR_H
#define CTG_FR_H

#include <stddef.h>

#include "catalogue.h"

/* "2026-07" -> "juillet 2026"; anything else copied. Returns out. */
const char	*fr_month(const char *ym, char *out, size_t len);
/* "de mars 2024", "d'octobre 2026": the month after « bilan ». Returns out. */
const char	*fr_of_month(const char *ym, char *out, size_t len);
/* An integer with its thousands apart: 24407 -> "24 407". Returns out. */
const char	*fr_int(long long n, char *out, size_t len);
/* "2026-07-14" (or "2026-07") -> "14/07/2026" ("01/07/2026"); out. */
const char	*fr_date(const char *iso, char *out, size_t len);
/* "2026-12-02T06:54:19+01:00" -> "2 décembre 2026 à 6 h 54". */
void		 fr_stamp(const char *iso, char *out, size_t len);
/* "2022:0-6 ans|2023:7-18 ans" -> "2022 (0–6 ans), 2023 (7–18 ans)"; out. */
const char	*fr_deadline(const char *deadline, char *out, size_t len);
/* "real" -> "réalisation", "res" -> "résultat", "imp" -> "impact". */
const char	*fr_kind(const char *kind);
/* A measure's French name, from its keyword ("by_residence"). */
const char	*fr_measure(const char *measure);

/* What the keys of a breakdown or list are. */
enum fr_keys {
	FR_COMMUNE,	/* INSEE codes, "hors", "inconnue" */
	FR_CATEGORY,
	FR_ACTIVITY,
	FR_STRUCTURE,
	FR_SHEET,
	FR_TEXT,	/* names already (partners) */
};
/* The keys a measure's breakdown or list holds. */
enum fr_keys	 fr_measure_keys(const char *measure);
/*
 * A key in words: a commune's name, a vocabulary word's label, a sheet's
 * code; the key itself when unknown. Points into the catalogue or at key.
 */
const char	*fr_key(const struct catalogue *, enum fr_keys,
    const char *key);
/*
 * A label's first words, before « ( »: "Animation (matinée…)" ->
 * "Animation".
 */
const char	*fr_short(const char *label, char *buf, size_t len);
/* The INSEE code a commune key stands for, or "" (hors, inconnue). */
const char	*fr_insee(const char *key);

/*
 * A count with its unit for a measure: "12 activités", "1 participant",
 * "45 jours". With small > 0, 1 to small - 1 reads "< small".
 */
void		 fr_count(const char *measure, long long n, int small,
		    char *out, size_t len);
/* A measure's unit, plural: "activités"; "" when it has none. */
const char	*fr_unit(const char *measure);
/* A ratio as a signed change: 1.99 -> "+99 %", 0.5 -> "−50 %". */
void		 fr_change(double ratio, char *out, size_t len);
/* A decimal the French way: 12.5 -> "12,5"; integers stay integers. */
void		 fr_number(double d, char *out, size_t len);

#endif
