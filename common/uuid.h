/* uuid.h — 16-byte record ids: text form, UUIDv7 generation, content-derived ids. */
#ifndef CTG_UUID_H
#define CTG_UUID_H

#include <stddef.h>
#include <stdint.h>

#define UUID_TEXT_LEN	36	/* 8-4-4-4-12 hex digits, without the NUL */

/*
 * Parses the 8-4-4-4-12 form, or the same 32 hex digits without dashes
 * (as the drill-downs print ids), either case; returns 0 or -1.
 */
int	uuid_parse(const char *, uint8_t out[16]);
/* Writes the lower-case text form and a NUL into out (37 bytes). */
void	uuid_format(const uint8_t id[16], char out[UUID_TEXT_LEN + 1]);
/* A new UUIDv7: 48 bits of Unix milliseconds, then random bits. */
int	uuid_v7(uint8_t out[16]);
/*
 * A deterministic UUIDv7-shaped id: the time field holds ms, the rest comes
 * from a 32-byte digest. Same inputs, same id.
 */
void	uuid_v7_from_digest(uint64_t ms, const uint8_t digest[32],
	    uint8_t out[16]);

#endif
