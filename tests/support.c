/*
 * support.c — what the unit and integration tests share: a valid record to
 * start from, and temporary directories for tests on real files.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"
#include "record.h"
#include "validate.h"
#include "tmpdir.h"

void
fixture_record_init(struct fixture_record *f, uint8_t idbyte)
{
	memset(f, 0, sizeof(*f));
	memset(f->id, idbyte, sizeof(f->id));
	f->id[6] = 0x70;
	memset(f->person, 0xab, sizeof(f->person));
	f->sheets[0] = "III.A.17";
	f->sheets[1] = "III.A.19";
	f->groups[0] = (struct group){ "jeune", "46201", 5, 1, NULL, 0 };
	f->groups[1] = (struct group){ "jeune", "", 2, 1, NULL, 0 };
	f->groups[2] = (struct group){ "jeune", "46217", 1, 1, f->person,
	    sizeof(f->person) };
	f->partners[0] = "Mairie de Montcuq";
	f->partners[1] = "Association Lézard de la rue";
	f->rec = (struct record){
		.id = f->id, .id_len = sizeof(f->id),
		.sheets = f->sheets, .nsheets = 2,
		.activity = "chantier", .date = "2024-07-10",
		.commune = "46201", .structure = "alsh-jeunes",
		.groups = f->groups, .ngroups = 3,
		.partners = f->partners, .npartners = 2,
		.title = "Chantier jeunes : rénovation du lavoir",
	};
}

void
fixture_validate_ctx(struct validate_ctx *ctx)
{
	const struct catalogue	*cat;
	char			 err[512];
	int64_t			 today;

	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL)
		fail_msg("catalogue: %s", err);
	assert_int_equal(date_parse("2025-06-15", &today), 0);
	validate_ctx_init(ctx, cat, today);
}

const char *
tmpdir_make(void)
{
	static char	 path[4096];
	const char	*base = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/ctg-test-XXXXXX",
	    base && *base ? base : "/tmp");
	/* No directory, no test: fail here rather than later. */
	assert_non_null(mkdtemp(path));
	return path;
}

const char *
tmpdir_path(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

static int
tmpdir_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

void
tmpdir_remove(const char *dir)
{
	if (dir != NULL)
		nftw(dir, tmpdir_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *const design_activities[DESIGN_ACTIVITIES] = { "accueil",
    "animation", "reunion", "formation", "atelier", "evenement", "chantier",
    "sejour", "permanence", "visite", "communication" };
const char *const design_categories[DESIGN_CATEGORIES] = { "parent",
    "enfant", "ama", "jeune", "professionnel", "elu", "benevole",
    "habitant" };
const char *const design_structures[DESIGN_STRUCTURES] = { "ripe",
    "alsh-montcuq", "alsh-castelnau", "alsh-lhospitalet", "alsh-jeunes",
    "evs-3e-lieu", "france-services", "conseiller-numerique", "ccqb" };

size_t
corpus_each(const char *dir, void (*fn)(const uint8_t *, size_t, void *),
    void *arg)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	char		 path[4096];
	uint8_t		*buf = malloc(1 << 21);
	size_t		 n, files = 0;
	FILE		*f;

	assert_non_null(d);
	assert_non_null(buf);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_non_null(f = fopen(path, "rb"));
		n = fread(buf, 1, 1 << 21, f);
		fclose(f);
		fn(buf, n, arg);
		files++;
	}
	closedir(d);
	free(buf);
	return files;
}
