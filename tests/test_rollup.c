/*
 * test_rollup.c — monthly rollups under a clock the test controls
 * ($CTG_CLOCK_FILE): months close by themselves, months missed while the
 * daemon was stopped are caught up, a late record makes revision 2 marked
 * « révisé »; ctg-rollup writes the same files; the HTML renders in
 * headless Chromium and the screenshot is not blank.
 */
#include <sys/stat.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <zlib.h>

#include "harness.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 clock[4200], reports[4200], out[4200], csv[4200];
	char		 flags_reports[4300];
	const char	*extra[6];
};

static void
set_clock(struct ctx *c, const char *when)
{
	FILE	*f = fopen(c->clock, "w");

	assert_non_null(f);
	fprintf(f, "%s\n", when);
	fclose(f);
}

/* Waits up to 20 s for a report file; fails the test otherwise. */
static void
wait_file(struct ctx *c, const char *name)
{
	struct timespec	 ts = { 0, 20 * 1000000L };
	char		 path[4400];
	int		 i;

	snprintf(path, sizeof(path), "%s/%s", c->reports, name);
	for (i = 0; i < 1000; i++) {
		if (access(path, R_OK) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	fail_msg("%s never written; ctgd log:\n%s", name, file_read(c->d.log));
}

static int
exists(struct ctx *c, const char *name)
{
	char	 path[4400];

	snprintf(path, sizeof(path), "%s/%s", c->reports, name);
	return access(path, R_OK) == 0;
}

static void
import(struct ctx *c, const char *rows)
{
	const char	*args[] = { "--server", c->d.server, "-q", "import",
			    c->csv, NULL };
	FILE		*f = fopen(c->csv, "w");

	assert_non_null(f);
	fprintf(f, "record_id;action;activity;date;commune;structure;category;"
	    "residence;count;partners;title\n%s", rows);
	fclose(f);
	assert_int_equal(tool_run(c->out, "ctg-submit", args), 0);
}

static json_object *
read_json(struct ctx *c, const char *name)
{
	char		 path[4400], *text;
	json_object	*o;

	snprintf(path, sizeof(path), "%s/%s", c->reports, name);
	text = file_read(path);
	o = json_tokener_parse(text);
	free(text);
	assert_non_null(o);
	return o;
}

static int
setup(void **state)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	assert_non_null(c.dir = tmpdir_make());
	snprintf(c.clock, sizeof(c.clock), "%s/clock", c.dir);
	snprintf(c.reports, sizeof(c.reports), "%s/reports", c.dir);
	snprintf(c.out, sizeof(c.out), "%s/out.txt", c.dir);
	snprintf(c.csv, sizeof(c.csv), "%s/r.csv", c.dir);
	c.extra[0] = "--reports";
	c.extra[1] = c.reports;
	c.extra[2] = "--rollup-interval";
	c.extra[3] = "50";
	c.extra[4] = NULL;
	setenv("CTG_CLOCK_FILE", c.clock, 1);
	set_clock(&c, "2024-03-15T10:00");
	daemon_start(&c.d, c.dir, c.extra);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;
	unsetenv("CTG_CLOCK_FILE");
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* True when the PNG's pixels are not all one colour. */
static int
png_has_content(const char *path)
{
	FILE		*f = fopen(path, "rb");
	unsigned char	*png, *idat = NULL, *raw;
	long		 n;
	size_t		 pos = 8, nidat = 0, i, distinct = 0;
	uLongf		 rawlen;
	uint32_t	 w = 0, h = 0;
	int		 seen[256] = { 0 };

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	png = malloc((size_t)n);
	assert_int_equal(fread(png, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	while (pos + 8 <= (size_t)n) {
		uint32_t len = (uint32_t)png[pos] << 24 | png[pos + 1] << 16 |
		    png[pos + 2] << 8 | png[pos + 3];

		if (memcmp(png + pos + 4, "IHDR", 4) == 0) {
			w = (uint32_t)png[pos + 8] << 24 | png[pos + 9] << 16 |
			    png[pos + 10] << 8 | png[pos + 11];
			h = (uint32_t)png[pos + 12] << 24 | png[pos + 13] << 16 |
			    png[pos + 14] << 8 | png[pos + 15];
		} else if (memcmp(png + pos + 4, "IDAT", 4) == 0) {
			idat = realloc(idat, nidat + len);
			memcpy(idat + nidat, png + pos + 8, len);
			nidat += len;
		}
		pos += 12 + len;
	}
	assert_true(w > 100 && h > 100);
	rawlen = (uLongf)(h * (w * 4 + 1));
	raw = malloc(rawlen);
	assert_int_equal(uncompress(raw, &rawlen, idat, nidat), Z_OK);
	/* Filtered scanlines of a one-colour image hold a handful of values. */
	for (i = 0; i < rawlen; i++)
		if (!seen[raw[i]]++)
			distinct++;
	free(png);
	free(idat);
	free(raw);
	return distinct > 32;
}

static void
test_months_close_by_themselves(void **state)
{
	struct ctx	*c = *state;
	json_object	*o;

	import(c, ";17;chantier;2024-01-10;46063;alsh-jeunes;jeune;46201;4;;\n"
	    ";17;chantier;2024-02-10;46201;alsh-jeunes;jeune;46201;2;;\n"
	    ";17;chantier;2024-03-05;46201;alsh-jeunes;jeune;46201;1;;\n");
	/* 15 March: January and February are due, March is not. */
	wait_file(c, "bilan-2024-02.json");
	assert_true(exists(c, "bilan-2024-01.html"));
	assert_true(exists(c, "bilan-2024-01.csv"));
	assert_false(exists(c, "bilan-2024-03.json"));
	o = read_json(c, "bilan-2024-02.json");
	assert_int_equal(json_object_get_int(json_object_object_get(o,
	    "revision")), 1);
	assert_int_equal(json_object_array_length(json_object_object_get(o,
	    "sheets")), 46);
	json_object_put(o);
	/* 1 April, 01:59: not yet; 02:00 Europe/Paris: March closes. */
	set_clock(c, "2024-04-01T01:59");
	usleep(300000);
	assert_false(exists(c, "bilan-2024-03.json"));
	set_clock(c, "2024-04-01T02:00");
	wait_file(c, "bilan-2024-03.json");
}

/* Stopped from April to June: April and May are closed at restart. */
static void
test_catch_up(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(daemon_stop(&c->d), 0);
	set_clock(c, "2024-06-03T09:00");
	daemon_start(&c->d, c->dir, c->extra);
	wait_file(c, "bilan-2024-05.json");
	assert_true(exists(c, "bilan-2024-04.html"));
	assert_false(exists(c, "bilan-2024-06.json"));
}

/* The change of a revision whose sentence is text, or NULL. */
static json_object *
change_said(json_object *doc, const char *text)
{
	json_object	*ch = json_object_object_get(doc, "changes");
	size_t		 i;

	for (i = 0; i < json_object_array_length(ch); i++)
		if (strcmp(json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(ch, i), "text")), text) == 0)
			return json_object_array_get_idx(ch, i);
	return NULL;
}

/*
 * A record that arrives late for February (clock in June): February is
 * revised, and so is every closed month after it in 2024, their year to
 * date having changed; each revision says what changed in French.
 */
static void
test_late_record_revises(void **state)
{
	struct ctx	*c = *state;
	static const char *const later[] = { "2024-03", "2024-04", "2024-05" };
	json_object	*o;
	char		*html;
	char		 path[4400], name[64], want[256];
	size_t		 i;

	import(c, ";17;chantier;2024-02-20;46201;alsh-jeunes;jeune;46172;3;;\n");
	wait_file(c, "bilan-2024-02-r2.json");
	o = read_json(c, "bilan-2024-02.json");
	assert_int_equal(json_object_get_int(json_object_object_get(o,
	    "revision")), 2);
	assert_true(json_object_get_boolean(json_object_object_get(o,
	    "revised")));
	assert_non_null(change_said(o, "III.A.17 — activités (février 2024) : "
	    "1 → 2"));
	assert_non_null(change_said(o, "III.A.17 — participants (février "
	    "2024) : 2 → 5"));
	/* A commune's count of persons stays secret in the sentence too. */
	assert_non_null(change_said(o, "III.A.17 — « Origine géographique des "
	    "jeunes », Pern-Lhospitalet (février 2024) : 0 → < 5"));
	/* Stamped with its offset. */
	assert_non_null(strstr(json_object_get_string(json_object_object_get(
	    o, "generated")), "+02:00"));
	json_object_put(o);
	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		snprintf(name, sizeof(name), "bilan-%s-r2.json", later[i]);
		wait_file(c, name);
		snprintf(name, sizeof(name), "bilan-%s.json", later[i]);
		o = read_json(c, name);
		assert_int_equal(json_object_get_int(json_object_object_get(o,
		    "revision")), 2);
		snprintf(want, sizeof(want), "III.A.17 — activités (janvier à "
		    "%s 2024) : %d → %d", (const char *[]){ "mars", "avril",
		    "mai" }[i], 3, 4);
		if (change_said(o, want) == NULL)
			fail_msg("%s: no change « %s »: %s", name, want,
			    json_object_to_json_string(json_object_object_get(o,
			    "changes")));
		json_object_put(o);
	}
	/* June is not closed: nothing to revise. */
	assert_false(exists(c, "bilan-2024-06.json"));
	snprintf(path, sizeof(path), "%s/bilan-2024-02.html", c->reports);
	html = file_read(path);
	assert_non_null(strstr(html, "Bilan révisé"));
	assert_non_null(strstr(html, "Révision 2, établie le 3 juin 2024 à"));
	assert_non_null(strstr(html, "III.A.17 — activités (février 2024) : "
	    "1 → 2"));
	/* Small cells: 3 participants from Pern-Lhospitalet show as < 5. */
	assert_non_null(strstr(html, "Pern-Lhospitalet &lt; 5"));
	assert_null(strstr(html, "46172"));
	free(html);
	/* The first revision stays. */
	assert_true(exists(c, "bilan-2024-02-r1.json"));
	/* Files lost (a full disk, a hand) are written again from the base. */
	snprintf(path, sizeof(path), "%s/bilan-2024-02.json", c->reports);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/bilan-2024-02.html", c->reports);
	assert_int_equal(unlink(path), 0);
	wait_file(c, "bilan-2024-02.json");
	assert_true(exists(c, "bilan-2024-02.html"));
	o = read_json(c, "bilan-2024-02.json");
	assert_int_equal(json_object_get_int(json_object_object_get(o,
	    "revision")), 2);
	json_object_put(o);
}

/* ctg-rollup writes the very files of the timer. */
static void
test_ctg_rollup_same_files(void **state)
{
	struct ctx	*c = *state;
	char		 dir[4400], a[4500], b[4500], *x, *y;
	const char	*args[] = { "--server", c->d.server, "--month",
			    "2024-02", "--out", dir, NULL };
	static const char *const ext[] = { "html", "csv", "json" };
	size_t		 i;

	snprintf(dir, sizeof(dir), "%s/ondemand", c->dir);
	assert_int_equal(tool_run(c->out, "ctg-rollup", args), 0);
	snprintf(a, sizeof(a), "%s/bilan-2024-02.xlsx", dir);
	assert_true(access(a, R_OK) == 0);
	for (i = 0; i < 3; i++) {
		snprintf(a, sizeof(a), "%s/bilan-2024-02.%s", dir, ext[i]);
		snprintf(b, sizeof(b), "%s/bilan-2024-02.%s", c->reports,
		    ext[i]);
		x = file_read(a);
		y = file_read(b);
		if (strcmp(x, y) != 0)
			fail_msg("%s differs from %s", a, b);
		free(x);
		free(y);
	}
}

/* The yearly COPIL report: every sheet on the 2022-2024 schedule. */
static void
test_copil(void **state)
{
	struct ctx	*c = *state;
	char		 dir[4400], path[4500], *html;
	const char	*args[] = { "--server", c->d.server, "--year", "2024",
			    "--out", dir, NULL };

	snprintf(dir, sizeof(dir), "%s/copil", c->dir);
	assert_int_equal(tool_run(c->out, "ctg-rollup", args), 0);
	snprintf(path, sizeof(path), "%s/copil-2024.html", dir);
	html = file_read(path);
	assert_non_null(strstr(html, "Comité de pilotage 2024"));
	assert_non_null(strstr(html, "<td>III.A.17</td>"));
	/* The years side by side, and a chart per indicator with a target. */
	assert_non_null(strstr(html, "<th class=\"n\">Activités 2024</th>"));
	assert_non_null(strstr(html, "<svg"));
	free(html);
	snprintf(path, sizeof(path), "%s/copil-2024.csv", dir);
	html = file_read(path);
	assert_non_null(strstr(html, "III;III.A.17;"));
	free(html);
}

/* The printable report renders in headless Chromium, not blank. */
static void
test_html_renders(void **state)
{
	struct ctx	*c = *state;
	char		 png[4400], profile[4400], cmd[16384];

	snprintf(png, sizeof(png), "%s/bilan.png", c->dir);
	snprintf(profile, sizeof(profile), "%s/chromium", c->dir);
	snprintf(cmd, sizeof(cmd), "chromium --headless --no-sandbox "
	    "--disable-gpu --disable-dev-shm-usage --no-first-run "
	    "--disable-background-networking --disable-component-update "
	    "--disable-sync --user-data-dir=%s --window-size=1000,1400 "
	    "--screenshot=%s file://%s/bilan-2024-02.html > %s/chromium.log "
	    "2>&1", profile, png, c->reports, c->dir);
	if (system(cmd) != 0)
		fail_msg("chromium failed: %s", cmd);
	assert_true(png_has_content(png));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_months_close_by_themselves),
		cmocka_unit_test(test_catch_up),
		cmocka_unit_test(test_late_record_revises),
		cmocka_unit_test(test_ctg_rollup_same_files),
		cmocka_unit_test(test_copil),
		cmocka_unit_test(test_html_renders),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
