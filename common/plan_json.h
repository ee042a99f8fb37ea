/*
 * plan_json.h — the plan as a data entry form needs it, in one JSON
 * document: sheets with the activities each accepts, the vocabularies
 * and the measures with their French labels, the communes with their
 * names and codes.
 * Pure: built once from the catalogue.
 */
#ifndef CTG_PLAN_JSON_H
#define CTG_PLAN_JSON_H

struct catalogue;

/*
 * The document (malloc'd compact JSON), or NULL out of memory. Communes:
 * every code of the CC's communes (current, delegated, former), and the
 * current communes of the departments they lie in and of those listed in
 * PLAN_JSON_NEIGHBOURS; any other is still accepted by its INSEE code.
 */
#define PLAN_JSON_NEIGHBOURS	"82"	/* Tarn-et-Garonne */
char	*plan_json(const struct catalogue *);

#endif
