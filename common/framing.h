/*
 * framing.h — the record protocol's frames: a 4-byte big-endian length, then
 * that many bytes of message. Pure functions over buffers.
 */
#ifndef CTG_FRAMING_H
#define CTG_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER		4
#define FRAME_MAX_DEFAULT	(1024 * 1024)	/* bytes of message */

enum framing_result {
	FRAMING_NEED_MORE,	/* not a whole frame yet */
	FRAMING_FRAME,		/* a whole frame: *len bytes after the header */
	FRAMING_EMPTY,		/* length prefix of 0 */
	FRAMING_TOO_LARGE,	/* length prefix above the maximum */
};

/*
 * Looks at the first avail bytes of buf. On FRAMING_FRAME and FRAMING_TOO_LARGE
 * *len is the announced message length. Never reads past avail.
 */
enum framing_result	framing_scan(const uint8_t *buf, size_t avail,
			    size_t max, size_t *len);
void			framing_put_header(uint8_t hdr[FRAME_HEADER], uint32_t len);

#endif
