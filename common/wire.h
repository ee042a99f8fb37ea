/*
 * wire.h — protobuf at the edge: the only module that knows ctg.proto.
 *
 * Decoding takes one frame's message bytes and gives the native structs of
 * msg.h; encoding gives a whole frame (header included) in malloc'd memory.
 */
#ifndef CTG_WIRE_H
#define CTG_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define WIRE_MAX_RECORDS	10000	/* records in one submit request */

/*
 * Decodes a Request. On success returns 0 and *req owns its memory (free it
 * with request_free). On failure returns -1, *why says in French what was
 * wrong with the frame, and *req holds nothing to free.
 */
int	 wire_decode_request(const uint8_t *, size_t, struct request *,
	    const char **why);
int	 wire_decode_reply(const uint8_t *, size_t, struct reply *,
	    const char **why);

/* Encode into a new frame; returns NULL when out of memory or too large. */
uint8_t	*wire_encode_request(const struct request *, size_t *framelen);
uint8_t	*wire_encode_reply(const struct reply *, size_t *framelen);

void	 request_free(struct request *);
void	 reply_free(struct reply *);

#endif
