/* framing.c — length-prefixed frames, checked before anything is allocated. */
#include "framing.h"

enum framing_result
framing_scan(const uint8_t *buf, size_t avail, size_t max, size_t *len)
{
	uint32_t	n;

	if (avail < FRAME_HEADER)
		return FRAMING_NEED_MORE;
	n = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
	    (uint32_t)buf[2] << 8 | (uint32_t)buf[3];
	*len = n;
	if (n == 0)
		return FRAMING_EMPTY;
	if (n > max)
		return FRAMING_TOO_LARGE;
	if (avail - FRAME_HEADER < n)
		return FRAMING_NEED_MORE;
	return FRAMING_FRAME;
}

void
framing_put_header(uint8_t hdr[FRAME_HEADER], uint32_t len)
{
	hdr[0] = len >> 24;
	hdr[1] = len >> 16;
	hdr[2] = len >> 8;
	hdr[3] = len;
}
