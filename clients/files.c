/* files.c — local file locations for the clients. */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

const char *
files_path(const char *flag, const char *env, const char *relative,
    char *buf, size_t len)
{
	const char	*v, *home;

	if (flag != NULL)
		return flag;
	if ((v = getenv(env)) != NULL && *v != '\0')
		return v;
	home = getenv("HOME");
	snprintf(buf, len, "%s/%s", home && *home ? home : ".", relative);
	return buf;
}

void
files_mkdirs(const char *path)
{
	char	 dir[4096], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((p = strrchr(dir, '/')) == NULL)
		return;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
}
