/* person.c — the local key and HMAC-SHA256 tokens. */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "files.h"
#include "person.h"

const char *
person_key_path(const char *flag, char *buf, size_t buflen)
{
	return files_path(flag, "CTG_KEY_FILE", ".config/ctg/personnes.key",
	    buf, buflen);
}

static int
person_key_create(const char *path, uint8_t key[PERSON_KEY_LEN], char *err,
    size_t errlen)
{
	int	 fd;

	files_mkdirs(path);
	if (RAND_bytes(key, PERSON_KEY_LEN) != 1) {
		snprintf(err, errlen, "tirage aléatoire de la clé impossible");
		return -1;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		if (errno == EEXIST)
			return 1;	/* another process made it: read it */
		snprintf(err, errlen, "création de la clé %s impossible : %s",
		    path, strerror(errno));
		return -1;
	}
	if (write(fd, key, PERSON_KEY_LEN) != PERSON_KEY_LEN ||
	    fsync(fd) == -1) {
		snprintf(err, errlen, "écriture de la clé %s impossible : %s",
		    path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	fprintf(stderr, "clé de pseudonymisation créée : %s (gardez-la et "
	    "sauvegardez-la : sans elle, les mêmes personnes ne seront plus "
	    "reconnues)\n", path);
	return 0;
}

int
person_key_load(const char *path, uint8_t key[PERSON_KEY_LEN], char *err,
    size_t errlen)
{
	ssize_t	 n;
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY)) == -1) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "lecture de la clé %s impossible "
			    ": %s", path, strerror(errno));
			return -1;
		}
		if ((rc = person_key_create(path, key, err, errlen)) != 1)
			return rc;
		if ((fd = open(path, O_RDONLY)) == -1) {
			snprintf(err, errlen, "lecture de la clé %s impossible "
			    ": %s", path, strerror(errno));
			return -1;
		}
	}
	n = read(fd, key, PERSON_KEY_LEN);
	close(fd);
	if (n != PERSON_KEY_LEN) {
		snprintf(err, errlen, "la clé %s est abîmée : attendu %d "
		    "octets", path, PERSON_KEY_LEN);
		return -1;
	}
	return 0;
}

void
person_token(const uint8_t key[PERSON_KEY_LEN], const char *id,
    uint8_t out[PERSON_TOKEN_LEN])
{
	size_t		 len;
	unsigned int	 outlen = PERSON_TOKEN_LEN;

	while (*id == ' ' || *id == '\t')
		id++;
	len = strlen(id);
	while (len > 0 && (id[len - 1] == ' ' || id[len - 1] == '\t'))
		len--;
	HMAC(EVP_sha256(), key, PERSON_KEY_LEN, (const unsigned char *)id, len,
	    out, &outlen);
}
