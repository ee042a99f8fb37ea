/*
 * import.h — import format v1: CSV rows to records (see DESIGN.md).
 *
 * Rows with the same record_id form one record and must agree on the
 * record-level columns. A row without record_id is a record of its own,
 * whose id is derived from its content (and from how many identical rows
 * came before it in the file), so that importing a file twice never counts
 * twice. Pure, given the person key.
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

#endif
