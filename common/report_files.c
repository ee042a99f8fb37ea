/* report_files.c — the bilan's files on disk, for ctgd and ctg-rollup. */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "report.h"

static int
report_write_one(const char *dir, const char *name, const char *text,
    char *err, size_t errlen)
{
	char	 path[4096], tmp[4200];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL ||
	    fwrite(text, 1, strlen(text), f) != strlen(text) ||
	    fclose(f) != 0 || rename(tmp, path) == -1) {
		snprintf(err, errlen, "écriture de %s impossible : %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
report_mkdir(const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "création du dossier %s impossible : %s",
		    dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
report_write_copil(const struct catalogue *c, json_object *overview,
    int year, const char *dir, char *err, size_t errlen)
{
	char	*text[3], name[64];
	static const char *const ext[3] = { "html", "csv", "json" };
	int	 i, rc = 0;

	if (report_mkdir(dir, err, errlen) == -1)
		return -1;
	text[0] = report_copil_html(c, overview, year);
	text[1] = export_overview_csv(overview);
	text[2] = strdup(json_object_to_json_string_ext(overview,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	for (i = 0; i < 3 && rc == 0; i++) {
		snprintf(name, sizeof(name), "copil-%d.%s", year, ext[i]);
		if (text[i] == NULL) {
			snprintf(err, errlen, "mémoire insuffisante");
			rc = -1;
		} else
			rc = report_write_one(dir, name, text[i], err, errlen);
	}
	for (i = 0; i < 3; i++)
		free(text[i]);
	return rc;
}

int
report_write_files(const struct catalogue *c, json_object *rollup,
    const char *dir, int rev, char *err, size_t errlen)
{
	const char	*month = json_object_get_string(
			    json_object_object_get(rollup, "month"));
	char		*text[3], name[64], suffix[16] = "";
	static const char *const ext[3] = { "html", "csv", "json" };
	int		 i, rc = 0, k;

	if (report_mkdir(dir, err, errlen) == -1)
		return -1;
	text[0] = report_html(c, rollup);
	text[1] = report_csv(rollup);
	text[2] = strdup(json_object_to_json_string_ext(rollup,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	if (rev > 0)
		snprintf(suffix, sizeof(suffix), "-r%d", rev);
	for (k = 0; k < (rev > 0 ? 2 : 1) && rc == 0; k++)
		for (i = 0; i < 3 && rc == 0; i++) {
			if (text[i] == NULL) {
				snprintf(err, errlen, "mémoire insuffisante");
				rc = -1;
				break;
			}
			snprintf(name, sizeof(name), "bilan-%.7s%s.%s", month,
			    k == 0 ? "" : suffix, ext[i]);
			rc = report_write_one(dir, name, text[i], err, errlen);
		}
	for (i = 0; i < 3; i++)
		free(text[i]);
	return rc;
}
