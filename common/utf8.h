/*
 * utf8.h — text as people and spreadsheets write it: strict UTF-8 checks,
 * cuts on character boundaries, the other encodings French office software
 * writes (Windows-1252, UTF-16), and the folded form under which words
 * typed by a person are compared (case, accents, spaces and punctuation
 * ignored). Pure; nothing here allocates except the converters.
 */
#ifndef CTG_UTF8_H
#define CTG_UTF8_H

#include <stddef.h>

/*
 * Why len bytes at s are not acceptable text, in French ("octet nul",
 * "caractère de contrôle", "UTF-8 invalide"), or NULL when they are valid
 * UTF-8 (no overlong forms, no surrogates) with no control character (C0,
 * DEL, C1) and no line or paragraph separator (U+2028, U+2029): every
 * field of ours is one line. Tab is refused too.
 */
const char	*utf8_text_problem(const char *s, size_t len);
/* 1 when len bytes at s are valid UTF-8 (controls allowed), else 0. */
int		 utf8_valid(const char *s, size_t len);

/*
 * The largest n <= max such that s[0..n) does not end inside a character
 * (s is NUL-terminated; invalid bytes count as characters of their own).
 */
size_t		 utf8_cut(const char *s, size_t max);

/*
 * Copies len bytes of in into out (outlen > 0), always NUL-terminated:
 * valid characters as they are, each invalid byte and each control
 * character as U+FFFD, cut on a character boundary when out is too
 * small. Returns the bytes written, without the NUL.
 */
size_t		 utf8_sanitize(const char *in, size_t len, char *out,
		    size_t outlen);
/*
 * A value as a message may quote it: sanitized as by utf8_sanitize, and
 * when it does not fit in outlen - 1 bytes, cut on a character boundary
 * and followed by "…" (outlen >= 4). Returns the bytes written, without
 * the NUL.
 */
size_t		 utf8_excerpt(const char *in, size_t len, char *out,
		    size_t outlen);

/*
 * Converters to UTF-8; each returns a malloc'd NUL-terminated string and
 * its length in *outlen, or NULL (out of memory, or for UTF-16 a broken
 * surrogate pair or an odd length).
 */
char		*utf8_from_cp1252(const char *in, size_t len, size_t *outlen);
char		*utf8_from_utf16(const char *in, size_t len, int big_endian,
		    size_t *outlen);

/*
 * The folded form of a word as a person may type it: ASCII lower case,
 * accents of the Latin letters removed (é -> e, œ -> oe), every character
 * that is neither a letter nor a digit dropped (spaces, '-', '_', '\'').
 * "Record ID", "record_id" and "RécordId" all fold to "recordid".
 * Writes at most outlen - 1 bytes and a NUL; returns the length written.
 */
size_t		 utf8_fold(const char *in, char *out, size_t outlen);

#endif
