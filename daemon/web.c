/* web.c — the web app's files, as ctgd serves them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "web.h"

extern const struct data_file	web_files[];
extern const size_t		web_files_n;

/* Media types by ending; what is not listed is not served. */
static const struct {
	const char	*ending, *type;
} web_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".webmanifest", "application/manifest+json" },
};

#define WEB_MAX	64

static struct web_asset	web_table[WEB_MAX];
static size_t		web_n;
static int		web_ready;

void
web_etag(const char *body, size_t len, char out[WEB_ETAG_LEN])
{
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)body[i]) * 0x100000001b3ULL;
	snprintf(out, WEB_ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
}

static const char *
web_type(const char *name)
{
	size_t	 i, n = strlen(name), m;

	for (i = 0; i < sizeof(web_types) / sizeof(web_types[0]); i++) {
		m = strlen(web_types[i].ending);
		if (n > m && strcmp(name + n - m, web_types[i].ending) == 0)
			return web_types[i].type;
	}
	return NULL;
}

static void
web_init(void)
{
	static char		 paths[WEB_MAX][128];
	struct web_asset	*a;
	const char		*type;
	size_t			 i;

	for (i = 0; i < web_files_n && web_n < WEB_MAX; i++) {
		if ((type = web_type(web_files[i].name)) == NULL)
			continue;
		a = &web_table[web_n];
		snprintf(paths[web_n], sizeof(paths[web_n]), "/%s",
		    strcmp(web_files[i].name, "index.html") == 0 ? "" :
		    web_files[i].name);
		a->path = paths[web_n];
		a->type = type;
		a->body = web_files[i].text;
		a->len = web_files[i].len;
		web_etag(a->body, a->len, a->etag);
		web_n++;
	}
	web_ready = 1;
}

const struct web_asset *
web_asset(const char *path)
{
	size_t	 i;

	if (!web_ready)
		web_init();
	for (i = 0; i < web_n; i++)
		if (strcmp(web_table[i].path, path) == 0)
			return &web_table[i];
	return NULL;
}
