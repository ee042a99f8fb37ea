/*
 * fuzz_http.c — the fuzz target of the HTTP path: bytes as a connection
 * of the HTTP port delivers them, through the head parser, the chunked
 * body reader and the request-target reader (path and parameters), as
 * httpd.c and http.c take them.
 */
#include <sys/queue.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "buf.h"
#include "http.h"
#include "http_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_head	 h;
	struct http_refusal	 r;
	struct http_chunked	 st;
	struct evkeyvalq	 params;
	struct buf		 body;
	char			*copy, *path, msg[256];
	size_t			 off = 0, used, step;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	/* Requests one after the other, as a keep-alive connection sends. */
	while (off < size && http_parse_head(copy + off, size - off, 16384, &h,
	    &used, &r) == HTTP_PARSE_DONE) {
		TAILQ_INIT(&params);
		if (http_target_read(h.target, &path, &params, msg,
		    sizeof(msg)) == NULL)
			free(path);
		evhttp_clear_headers(&params);
		(void)http_field(&h, "Authorization");
		off += used;
		if (h.chunked) {
			/* In two pieces, to cross the reader's states. */
			memset(&st, 0, sizeof(st));
			memset(&body, 0, sizeof(body));
			step = (size - off) / 2;
			if (http_chunked_feed(&st, (const char *)data + off,
			    step, 1 << 20, &body, &used, &r) == HTTP_PARSE_MORE)
				(void)http_chunked_feed(&st, (const char *)data +
				    off + step, size - off - step, 1 << 20,
				    &body, &used, &r);
			free(body.p);
			break;
		}
		/* The parser writes only within the head: the rest is as sent. */
		if (h.length > 0)
			off += (size_t)h.length < size - off ?
			    (size_t)h.length : size - off;
	}
	free(copy);
	return 0;
}
