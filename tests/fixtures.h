/* fixtures.h — a valid record to start each test from, and helpers. */
#ifndef CTG_TEST_FIXTURES_H
#define CTG_TEST_FIXTURES_H

#include "msg.h"

struct fixture_record {
	struct record	 rec;
	uint8_t		 id[RECORD_ID_LEN];
	const char	*sheets[2];
	struct group	 groups[3];
	const char	*partners[2];
	uint8_t		 person[PERSON_TOKEN_LEN];
};

/* A chantier jeunes in Montcuq, tagged III.A.17 and 19, three groups
 * (one a person from Pern, a former commune), two partners. */
void	fixture_record_init(struct fixture_record *, uint8_t idbyte);

struct validate_ctx;
/* A validation context on the built-in catalogue, "today" 2025-06-15. */
void	fixture_validate_ctx(struct validate_ctx *);

/* The keywords docs/import.md documents (activities, categories, structures). */
#define DESIGN_ACTIVITIES	11
#define DESIGN_CATEGORIES	8
#define DESIGN_STRUCTURES	9
extern const char *const design_activities[DESIGN_ACTIVITIES];
extern const char *const design_categories[DESIGN_CATEGORIES];
extern const char *const design_structures[DESIGN_STRUCTURES];

/*
 * Calls fn with the bytes of every file of a corpus directory (fuzz/corpus),
 * at most 2 MiB each; returns how many. Fails the test on a read error.
 */
size_t	corpus_each(const char *dir, void (*fn)(const uint8_t *, size_t,
	    void *), void *arg);

#endif
