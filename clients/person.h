/*
 * person.h — pseudonymous person tokens. A local identifier (a name, a
 * file number) never leaves the machine: the client sends HMAC-SHA256 of
 * it under a key kept in a local file, created on first use.
 */
#ifndef CTG_PERSON_H
#define CTG_PERSON_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define PERSON_KEY_LEN	32	/* bytes */

/* The key file: the flag, else $CTG_KEY_FILE, else ~/.config/ctg/personnes.key. */
const char	*person_key_path(const char *flag, char *buf, size_t buflen);
/*
 * Loads the key, creating the file (mode 0600) with random bytes when it
 * does not exist yet. Returns 0, or -1 with a French message in err.
 */
int		 person_key_load(const char *path, uint8_t key[PERSON_KEY_LEN],
		    char *err, size_t errlen);
/* The token of one local identifier; surrounding blanks do not count. */
void		 person_token(const uint8_t key[PERSON_KEY_LEN], const char *id,
		    uint8_t out[PERSON_TOKEN_LEN]);

#endif
