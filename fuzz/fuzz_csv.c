/*
 * fuzz_csv.c — the fuzz target of the import reader: a file as a
 * spreadsheet may write it, through the flavour detection (encoding,
 * separator), the CSV parser and the building of records, as
 * ctg-submit import reads it before anything is sent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "catalogue.h"
#include "csv.h"
#include "import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct catalogue	*cat;
	static const uint8_t		 key[PERSON_KEY_LEN] = { 1, 2, 3 };
	struct csv_table		 t;
	struct csv_info			 info;
	struct import			 im;
	char				 err[512], lines[512];

	if (cat == NULL && (cat = catalogue_builtin(NULL, 0)) == NULL)
		abort();
	if (csv_read((const char *)data, size, &t, &info, err,
	    sizeof(err)) == -1)
		return 0;
	(void)csv_info_describe(&info, lines, sizeof(lines));
	if (import_build(&t, cat, key, &im, err, sizeof(err)) == 0)
		import_free(&im);
	csv_free(&t);
	return 0;
}
