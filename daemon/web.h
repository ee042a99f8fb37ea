/*
 * web.h — the web app's files, built into ctgd (cmake/data.cmake from
 * web/), each with its media type and entity tag.
 */
#ifndef CTG_WEB_H
#define CTG_WEB_H

#include <stddef.h>

#define WEB_ETAG_LEN	20	/* "…": 16 hex digits in quotes, NUL */

struct web_asset {
	const char	*path;		/* "/app.js"; "/" is index.html */
	const char	*type;		/* Content-Type */
	const char	*body;
	size_t		 len;
	char		 etag[WEB_ETAG_LEN];
};

/* The file served at path, or NULL. Call from the loop's thread only. */
const struct web_asset	*web_asset(const char *path);
/* A strong entity tag of len bytes at body, quoted. */
void			 web_etag(const char *body, size_t len,
			    char out[WEB_ETAG_LEN]);

#endif
