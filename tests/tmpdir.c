/* tmpdir.c — temporary directories for tests on real files. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tmpdir.h"

const char *
tmpdir_make(void)
{
	static char	 path[4096];
	const char	*base = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/ctg-test-XXXXXX",
	    base && *base ? base : "/tmp");
	return mkdtemp(path);
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
