/* utf8.c — one strict decoder, and the tables of the encodings we convert. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/*
 * Decodes the character at s (n bytes available) into *cp. Returns its
 * length, or 0 when the bytes there are not a valid UTF-8 character.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t	 c;
	size_t		 len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

/* Writes cp as UTF-8 at out (room for 4 bytes); returns its length. */
static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* C0, DEL, C1, and the line and paragraph separators U+2028, U+2029. */
static int
utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
	    cp == 0x2029;
}

/*
 * Walks len bytes at s: the first problem, or NULL. With text, NUL and
 * control characters are problems too.
 */
static const char *
utf8_scan(const char *s, size_t len, int text)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;

	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return "UTF-8 invalide";
		if (text && cp == 0)
			return "octet nul";
		if (text && utf8_is_control(cp))
			return "caractère de contrôle";
		i += n;
	}
	return NULL;
}

const char *
utf8_text_problem(const char *s, size_t len)
{
	return utf8_scan(s, len, 1);
}

int
utf8_valid(const char *s, size_t len)
{
	return utf8_scan(s, len, 0) == NULL;
}

size_t
utf8_cut(const char *s, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, n;
	uint32_t		 cp;

	if (len <= max)
		return len;
	while (i < max) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			n = 1;
		if (i + n > max)
			break;
		i += n;
	}
	return i;
}

/*
 * Copies in to out cleaned (invalid bytes and controls as U+FFFD); when it
 * does not fit, cut on a character boundary, followed by mark if not NULL.
 */
static size_t
utf8_copy(const char *in, size_t len, char *out, size_t outlen,
    const char *mark)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i = 0, o = 0, n, w, cut = 0;
	size_t			 mlen = mark != NULL ? strlen(mark) : 0;
	uint32_t		 cp;
	char			 enc[4];

	if (outlen <= mlen) {
		if (outlen > 0)
			out[0] = '\0';
		return 0;
	}
	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0 ||
		    utf8_is_control(cp)) {
			cp = 0xfffd;
			n = n == 0 ? 1 : n;
		}
		w = utf8_encode(cp, enc);
		if (o + w > outlen - 1) {
			/* Too long: back to the last cut that leaves room. */
			if (mark == NULL)
				break;
			memcpy(out + cut, mark, mlen + 1);
			return cut + mlen;
		}
		memcpy(out + o, enc, w);
		o += w;
		i += n;
		if (o + mlen <= outlen - 1)
			cut = o;
	}
	out[o] = '\0';
	return o;
}

size_t
utf8_sanitize(const char *in, size_t len, char *out, size_t outlen)
{
	return utf8_copy(in, len, out, outlen, NULL);
}

size_t
utf8_excerpt(const char *in, size_t len, char *out, size_t outlen)
{
	return utf8_copy(in, len, out, outlen, "\xe2\x80\xa6");	/* … */
}

/* Windows-1252 0x80..0x9f; 0 where the code page leaves a hole. */
static const uint16_t utf8_cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

char *
utf8_from_cp1252(const char *in, size_t len, size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	char			*out;
	size_t			 i, o = 0;
	uint32_t		 cp;

	if ((out = malloc(len * 3 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		cp = p[i];
		if (cp >= 0x80 && cp < 0xa0)
			cp = utf8_cp1252_high[cp - 0x80] ?
			    utf8_cp1252_high[cp - 0x80] : 0xfffd;
		o += utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

char *
utf8_from_utf16(const char *in, size_t len, int big_endian, size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	char			*out;
	size_t			 i, o = 0;
	uint32_t		 u, lo;

	if (len % 2 != 0 || (out = malloc(len / 2 * 3 + 4)) == NULL)
		return NULL;
	for (i = 0; i < len; i += 2) {
		u = big_endian ? (uint32_t)p[i] << 8 | p[i + 1] :
		    (uint32_t)p[i + 1] << 8 | p[i];
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 3 >= len)
				goto bad;
			lo = big_endian ? (uint32_t)p[i + 2] << 8 | p[i + 3] :
			    (uint32_t)p[i + 3] << 8 | p[i + 2];
			if (lo < 0xdc00 || lo > 0xdfff)
				goto bad;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (u >= 0xdc00 && u <= 0xdfff)
			goto bad;
		o += utf8_encode(u, out + o);
	}
	out[o] = '\0';
	*outlen = o;
	return out;
bad:
	free(out);
	return NULL;
}

/*
 * Latin-1 Supplement and Latin Extended-A letters (U+00C0..U+017F) to
 * their base letters in lower case; "" for what is not a letter.
 */
static const char *const utf8_fold_latin[0x180 - 0xc0] = {
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* U+00D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* U+00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c",
	/* U+0108 */ "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e",
	/* U+0118 */ "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h",
	/* U+0128 */ "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
	/* U+0138 */ "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n",
	/* U+0148 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
	/* U+0158 */ "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* U+0168 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y",
	/* U+0178 */ "y", "z", "z", "z", "z", "z", "z", "s",
};

size_t
utf8_fold(const char *in, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 len = strlen(in), i = 0, o = 0, n, w;
	uint32_t		 cp;
	const char		*f;
	char			 one[2] = { 0, 0 };

	if (outlen == 0)
		return 0;
	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			n = 1;
			cp = 0xfffd;
		}
		i += n;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			f = one;
		} else if (cp >= 'A' && cp <= 'Z') {
			one[0] = (char)(cp - 'A' + 'a');
			f = one;
		} else if (cp >= 0xc0 && cp < 0x180)
			f = utf8_fold_latin[cp - 0xc0];
		else if (cp < 0xc0 || (cp >= 0x2000 && cp <= 0x206f))
			f = "";		/* punctuation, spaces, symbols */
		else {
			/* Other scripts: kept as they are, to compare exactly. */
			if (o + n > outlen - 1)
				break;
			memcpy(out + o, in + i - n, n);
			o += n;
			continue;
		}
		w = strlen(f);
		if (o + w > outlen - 1)
			break;
		memcpy(out + o, f, w);
		o += w;
	}
	out[o] = '\0';
	return o;
}
