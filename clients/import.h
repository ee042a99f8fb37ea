/*
 * import.h — import format v1: CSV rows to records (docs/import.md).
 *
 * Rows with the same record_id (a UUID, or any other key of the file) form
 * one record and must agree on the record-level columns; consecutive rows
 * without record_id that agree on them form one record too. Records
 * without a UUID get an id derived from their normalised content and their
 * ordinal among identical records of the file, so that importing a sheet
 * twice, in any flavour, never counts twice. Header names, keywords and
 * communes are read as people write them (see lookup.h). Pure, given the
 * person key.
 */
#ifndef CTG_IMPORT_H
#define CTG_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"
#include "csv.h"
#include "msg.h"
#include "person.h"

struct import_item {
	struct record	 rec;
	uint8_t		 id[RECORD_ID_LEN];
	int		 has_uuid;	/* id given in the file */
	size_t		 line;		/* file line of its first row */
	size_t		 nrows;
	const char	*error;		/* refused before sending, French */
	enum ack_status	 status;	/* 0 until the server answered */
	const char	*reason;	/* the server's, malloc'd */
};

struct import {
	struct import_item	*items;
	size_t			 nitems;
	size_t			*row_item;	/* data row -> item */
	size_t			*row_line;	/* data row -> file line */
	size_t			 nrows;		/* data rows */
	const char		*note;		/* French, once: ignored columns */
	struct arena		 arena;
};

/*
 * Builds the records of a parsed table. Returns 0, or -1 with a French
 * message in err when the file as a whole cannot be read (a missing or
 * unknown column). Row-level problems refuse that row's record only.
 * key may be NULL when the file has no person column. Sheet numbers are
 * written as the catalogue's codes (17 -> III.A.17) before ids are derived,
 * so that both spellings of one activity get one id.
 */
int	import_build(const struct csv_table *, const struct catalogue *,
	    const uint8_t key[PERSON_KEY_LEN], struct import *, char *err,
	    size_t errlen);
void	import_free(struct import *);
/* 1 when the table has a person column (so a person key is needed). */
int	import_needs_key(const struct csv_table *);

#endif
