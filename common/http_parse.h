/*
 * http_parse.h — HTTP/1.1 requests read from bytes (RFC 9112): the head
 * (request line and header fields, with the framing they imply) and
 * chunked bodies, fed as they arrive. Pure: no socket, no clock; the
 * transport (httpd.c) and the fuzz target share it.
 */
#ifndef CTG_HTTP_PARSE_H
#define CTG_HTTP_PARSE_H

#include <stddef.h>

#include "buf.h"

#define HTTP_FIELDS_MAX		64	/* header fields in one request */
#define HTTP_TARGET_MAX		8192	/* bytes of a request-target */

/* The methods, as bits, so that a route names the set it takes. */
enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_DELETE = 1 << 4,
	HTTP_OPTIONS = 1 << 5,
	HTTP_TRACE = 1 << 6,
	HTTP_CONNECT = 1 << 7,
	HTTP_PATCH = 1 << 8,
};

struct http_field {
	const char	*name;
	const char	*value;		/* blanks around it cut */
};

struct http_head {
	int			 method;	/* one enum http_method bit */
	const char		*target;	/* as sent: path and query */
	int			 minor;		/* HTTP/1.minor, 0 or 1 */
	struct http_field	 fields[HTTP_FIELDS_MAX];
	size_t			 nfields;
	long long		 length;	/* Content-Length; -1: none */
	int			 chunked;	/* Transfer-Encoding: chunked */
	int			 keep_alive;	/* the connection serves more */
};

/* Why a request is refused: its status and French words. */
struct http_refusal {
	int		 status;
	const char	*why;
};

enum http_parse {
	HTTP_PARSE_MORE,	/* not whole yet */
	HTTP_PARSE_DONE,
	HTTP_PARSE_BAD,		/* refused: see the refusal */
};

/*
 * Reads a head from the len bytes at buf, written in place (the strings
 * of h point into buf). A head longer than max is refused (431). DONE
 * with *used, the head's length with its blank line; MORE until the
 * blank line has come; BAD with *r filled.
 */
enum http_parse	 http_parse_head(char *buf, size_t len, size_t max,
		    struct http_head *h, size_t *used, struct http_refusal *r);
/* A field's value (the name without regard to case), or NULL. */
const char	*http_field(const struct http_head *, const char *name);
/* The names of the methods set in methods, ", " between ("GET, HEAD"). */
void		 http_methods_list(int methods, char *buf, size_t len);
/* The reason phrase of a status ("Not Found"); "Error" if unknown. */
const char	*http_status_phrase(int status);

/* A chunked body being read: zeroed before the first byte. */
struct http_chunked {
	int			 state;
	unsigned long long	 left;		/* bytes of the chunk to come */
	size_t			 line;		/* bytes of the current line */
	size_t			 total;		/* bytes of body decoded */
};

/*
 * Feeds len bytes of a chunked body; the data goes to out. *used says
 * how many bytes were taken (all but what follows the body, when DONE).
 * A body over max bytes is refused (413), a malformed one (400).
 */
enum http_parse	 http_chunked_feed(struct http_chunked *, const char *in,
		    size_t len, size_t max, struct buf *out, size_t *used,
		    struct http_refusal *);

#endif
