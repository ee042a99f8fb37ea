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
#include <unistd.h>

#include "export.h"
#include "report.h"

#define REPORT_FILES	4

static int
report_write_one(const char *dir, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	char	 path[4096], tmp[4200];
	FILE	*f;
	int	 ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(err, errlen, "écriture de %s impossible : %s", path,
		    strerror(errno));
		return -1;
	}
	ok = fwrite(text, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) == -1) {
		snprintf(err, errlen, "écriture de %s impossible : %s", path,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Keeps the first error in err; returns -1. */
static int
report_first(char *err, size_t errlen, int rc, const char *why)
{
	if (rc == 0)
		snprintf(err, errlen, "%s", why);
	return -1;
}

/*
 * Writes DIR/BASE.{html,csv,xlsx,json}, and with rev > 0 the same as
 * BASE-rREV.* for the history. Each file on its own: one that cannot be
 * made does not keep the others back. 0, or -1 with the first error.
 */
static int
report_write(const struct catalogue *c, json_object *doc, const char *dir,
    const char *base, int rev, char *(*html)(const struct catalogue *,
    json_object *), export_fn *book, char *err, size_t errlen)
{
	static const char *const ext[REPORT_FILES] = { "html", "csv", "xlsx",
	    "json" };
	char		*text[REPORT_FILES] = { NULL }, name[128], why[4400];
	size_t		 len[REPORT_FILES] = { 0 };
	int		 i, k, rc = 0;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "création du dossier %s impossible : %s",
		    dir, strerror(errno));
		return -1;
	}
	text[0] = html(c, doc);
	text[1] = export_csv(book, c, doc);
	if (export_xlsx(book, c, doc, &text[2], &len[2], why,
	    sizeof(why)) == -1)
		rc = report_first(err, errlen, rc, why);
	text[3] = strdup(json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	for (i = 0; i < REPORT_FILES; i++) {
		if (text[i] == NULL) {
			if (i != 2)
				rc = report_first(err, errlen, rc,
				    "mémoire insuffisante");
			continue;
		}
		if (i != 2)
			len[i] = strlen(text[i]);
		for (k = 0; k < (rev > 0 ? 2 : 1); k++) {
			if (k == 0)
				snprintf(name, sizeof(name), "%s.%s", base,
				    ext[i]);
			else
				snprintf(name, sizeof(name), "%s-r%d.%s", base,
				    rev, ext[i]);
			if (report_write_one(dir, name, text[i], len[i], why,
			    sizeof(why)) == -1)
				rc = report_first(err, errlen, rc, why);
		}
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
