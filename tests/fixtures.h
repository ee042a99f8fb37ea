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

/*
 * SQL that reads the lists packed in revision rows (migration 008) as
 * tables, for the checks tests make on a base: put it before a SELECT
 * on sheets_of(record, rev, sheet), partners_of(record, rev, name) or
 * groups_of(record, rev, category, residence, count, person), person in
 * hex or NULL.
 */
#define DB_SPLIT(name, col, sep) \
	name "(record, rev, rest, item) AS (SELECT record, rev, " col \
	" || char(" sep "), NULL FROM revision WHERE " col " != '' " \
	"UNION ALL SELECT record, rev, substr(rest, instr(rest, char(" sep \
	")) + 1), substr(rest, 1, instr(rest, char(" sep ")) - 1) FROM " \
	name " WHERE rest != ''), "
#define DB_FIELD(from, rest) \
	"substr(" rest ", 1, instr(" rest ", char(31)) - 1)"
#define DB_LISTS \
	"WITH RECURSIVE " DB_SPLIT("sp", "sheets", "31") \
	DB_SPLIT("pp", "partners", "31") DB_SPLIT("gp", "groups", "30") \
	"sheets_of(record, rev, sheet) AS (SELECT record, rev, item FROM sp " \
	"WHERE item IS NOT NULL), " \
	"partners_of(record, rev, name) AS (SELECT record, rev, item FROM pp " \
	"WHERE item IS NOT NULL), " \
	"ga AS (SELECT record, rev, " DB_FIELD("gp", "item") " AS category, " \
	"substr(item, instr(item, char(31)) + 1) AS r1 FROM gp WHERE item IS " \
	"NOT NULL), " \
	"gb AS (SELECT record, rev, category, " DB_FIELD("ga", "r1") \
	" AS residence, substr(r1, instr(r1, char(31)) + 1) AS r2 FROM ga), " \
	"groups_of(record, rev, category, residence, count, person) AS " \
	"(SELECT record, rev, category, residence, CAST(" DB_FIELD("gb", "r2") \
	" AS INTEGER), nullif(substr(r2, instr(r2, char(31)) + 1), '') " \
	"FROM gb) "

#endif
