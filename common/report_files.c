/*
 * report_files.c — a report's files on disk, for ctgd and ctg-rollup:
 * the page to print (.html), the spreadsheet tables (.csv, .xlsx) and the
 * document itself (.json), each written whole then renamed.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "report.h"

#define REPORT_FILES	4

static int
report_write_one(const char *dir, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	char	 path[4096], tmp[4200];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(err, errlen, "écriture de %s impossible : %s", path,
		    strerror(errno));
		return -1;
	}
	if (fwrite(text, 1, len, f) != len || fclose(f) != 0 ||
	    rename(tmp, path) == -1) {
		snprintf(err, errlen, "écriture de %s impossible : %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Writes DIR/BASE.{html,csv,xlsx,json}, and with rev > 0 the same as
 * BASE-rREV.* for the history.
 */
static int
report_write(const struct catalogue *c, json_object *doc, const char *dir,
    const char *base, int rev, char *(*html)(const struct catalogue *,
    json_object *), export_fn *book, char *err, size_t errlen)
{
	static const char *const ext[REPORT_FILES] = { "html", "csv", "xlsx",
	    "json" };
	char		*text[REPORT_FILES] = { NULL }, name[128];
	size_t		 len[REPORT_FILES] = { 0 };
	int		 i, k, rc = 0;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "création du dossier %s impossible : %s",
		    dir, strerror(errno));
		return -1;
	}
	text[0] = html(c, doc);
	text[1] = export_csv(book, c, doc);
	if (export_xlsx(book, c, doc, &text[2], &len[2], err, errlen) == -1)
		rc = -1;
	text[3] = strdup(json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	for (i = 0; i < REPORT_FILES && rc == 0; i++) {
		if (text[i] == NULL) {
			snprintf(err, errlen, "mémoire insuffisante");
			rc = -1;
		} else if (i != 2)
			len[i] = strlen(text[i]);
	}
	for (k = 0; k < (rev > 0 ? 2 : 1) && rc == 0; k++)
		for (i = 0; i < REPORT_FILES && rc == 0; i++) {
			if (k == 0)
				snprintf(name, sizeof(name), "%s.%s", base,
				    ext[i]);
			else
				snprintf(name, sizeof(name), "%s-r%d.%s", base,
				    rev, ext[i]);
			rc = report_write_one(dir, name, text[i], len[i], err,
			    errlen);
		}
	for (i = 0; i < REPORT_FILES; i++)
		free(text[i]);
	return rc;
}

int
report_write_copil(const struct catalogue *c, json_object *copil,
    const char *dir, char *err, size_t errlen)
{
	char	 base[32];

	snprintf(base, sizeof(base), "copil-%d", json_object_get_int(
	    json_object_object_get(copil, "year")));
	return report_write(c, copil, dir, base, 0, report_copil_html,
	    export_copil, err, errlen);
}

int
report_write_files(const struct catalogue *c, json_object *rollup,
    const char *dir, int rev, char *err, size_t errlen)
{
	char	 base[32];

	snprintf(base, sizeof(base), "bilan-%.7s", json_object_get_string(
	    json_object_object_get(rollup, "month")));
	return report_write(c, rollup, dir, base, rev, report_html,
	    export_rollup, err, errlen);
}
