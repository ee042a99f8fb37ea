/* uuid.c — record ids. Time-ordered ids keep inserts local in the B-tree. */
#include <string.h>
#include <sys/time.h>

#include <openssl/rand.h>

#include "uuid.h"

static int
uuid_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
uuid_parse(const char *s, uint8_t out[16])
{
	size_t	 i, n = 0, len = strlen(s);
	int	 hi, lo, dashes = len == UUID_TEXT_LEN;

	if (len != UUID_TEXT_LEN && len != 32)
		return -1;
	for (i = 0; i < len; i++) {
		if (dashes && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		if ((hi = uuid_hexval(s[i])) < 0 ||
		    (lo = uuid_hexval(s[i + 1])) < 0)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return 0;
}

void
uuid_format(const uint8_t id[16], char out[UUID_TEXT_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[id[i] >> 4];
		out[o++] = hex[id[i] & 0xf];
	}
	out[o] = '\0';
}

static void
uuid_set_v7(uint64_t ms, uint8_t out[16])
{
	int	 i;

	for (i = 0; i < 6; i++)
		out[i] = (uint8_t)(ms >> (40 - 8 * i));
	out[6] = (out[6] & 0x0f) | 0x70;	/* version 7 */
	out[8] = (out[8] & 0x3f) | 0x80;	/* RFC 9562 variant */
}

int
uuid_v7(uint8_t out[16])
{
	struct timeval	 tv;

	if (RAND_bytes(out, 16) != 1)
		return -1;
	gettimeofday(&tv, NULL);
	uuid_set_v7((uint64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000, out);
	return 0;
}

void
uuid_v7_from_digest(uint64_t ms, const uint8_t digest[32], uint8_t out[16])
{
	memcpy(out, digest, 16);
	uuid_set_v7(ms, out);
}
