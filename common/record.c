/* record.c — dates and the canonical content digest of a record. */
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "record.h"

/* Howard Hinnant's days_from_civil, for the proleptic Gregorian calendar. */
static int64_t
date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int
date_month_days(int y, int m)
{
	static const int	 mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0));
}

int
date_parse(const char *s, int64_t *days)
{
	unsigned		 y = 0, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (unsigned)(s[i] - '0');
	m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return -1;
	if (d > (unsigned)date_month_days((int)y, (int)m))
		return -1;
	*days = date_days_from_civil(y, m, d);
	return 0;
}

int64_t
date_from_ymd(int v)
{
	return date_days_from_civil(v / 10000, (unsigned)(v / 100 % 100),
	    (unsigned)(v % 100));
}

int64_t
date_today(void)
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	localtime_r(&now, &tm);
	return date_days_from_civil(tm.tm_year + 1900,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

void
date_format(int64_t z, char out[11])
{
	int64_t		 era, y;
	unsigned	 doe, yoe, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

static void
record_digest_bytes(EVP_MD_CTX *ctx, char tag, const void *p, size_t len)
{
	uint8_t	 hdr[5];

	hdr[0] = (uint8_t)tag;
	hdr[1] = (uint8_t)(len >> 24);
	hdr[2] = (uint8_t)(len >> 16);
	hdr[3] = (uint8_t)(len >> 8);
	hdr[4] = (uint8_t)len;
	EVP_DigestUpdate(ctx, hdr, sizeof(hdr));
	if (len > 0)
		EVP_DigestUpdate(ctx, p, len);
}

static void
record_digest_str(EVP_MD_CTX *ctx, char tag, const char *s)
{
	record_digest_bytes(ctx, tag, s, s == NULL ? 0 : strlen(s));
}

void
record_digest(const struct record *r, uint8_t out[RECORD_DIGEST_LEN])
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	size_t		 i;
	uint8_t		 n[8];

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	record_digest_str(ctx, 'v', "ctg-record-1");
	for (i = 0; i < r->nsheets; i++)
		record_digest_str(ctx, 's', r->sheets[i]);
	record_digest_str(ctx, 'a', r->activity);
	record_digest_str(ctx, 'd', r->date);
	record_digest_str(ctx, 'c', r->commune);
	record_digest_str(ctx, 'o', r->structure);
	for (i = 0; i < r->ngroups; i++) {
		const struct group	*g = &r->groups[i];
		uint64_t		 c = (uint64_t)g->count;
		int			 b;

		for (b = 0; b < 8; b++)
			n[b] = (uint8_t)(c >> (56 - 8 * b));
		record_digest_str(ctx, 'g', g->category);
		record_digest_str(ctx, 'r', g->residence);
		record_digest_bytes(ctx, 'n', n, sizeof(n));
		record_digest_bytes(ctx, 'p', g->person, g->person_len);
	}
	for (i = 0; i < r->npartners; i++)
		record_digest_str(ctx, 'P', r->partners[i]);
	record_digest_str(ctx, 't', r->title);
	EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
}
