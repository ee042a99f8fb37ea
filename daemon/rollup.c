/*
 * rollup.c — the rollup thread. Each tick reads the clock, closes every
 * month due since the last one closed (catch-up), then revises the closed
 * months that records changed since (table rollup_dirty, filled by the
 * writer in the same transaction as the change). A revision is written
 * only when the figures differ; every revision is kept, with what changed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "catalogue.h"
#include "log.h"
#include "query.h"
#include "record.h"
#include "report.h"
#include "rollup.h"
#include "view.h"
#include "settings.h"

#define ROLLUP_MAX_CHANGES	200	/* listed in a revised rollup */

struct rollup {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	int			 stopping;
	const struct settings	*set;
	const struct catalogue	*cat;
	struct query_db		*q;
	struct view		*view;
	sqlite3			*db;
};

/* The clock: the system's, or the test's file. */
static time_t
rollup_now(void)
{
	const char	*path = getenv("CTG_CLOCK_FILE");
	struct tm	 tm;
	FILE		*f;
	char		 buf[64] = "";

	if (path == NULL || *path == '\0' || (f = fopen(path, "r")) == NULL)
		return time(NULL);
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	memset(&tm, 0, sizeof(tm));
	if (sscanf(buf, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min) != 5)
		return time(NULL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
rollup_next(int m)
{
	return m % 100 == 12 ? m + 89 : m + 1;
}

static int
rollup_prev(int m)
{
	return m % 100 == 1 ? m - 89 : m - 1;
}

/* YYYYMM as "YYYY-MM". */
static void
rollup_month_text(int m, char out[16])
{
	unsigned	 u = (unsigned)m;

	snprintf(out, 16, "%04u-%02u", u / 100 % 10000, u % 100);
}

/* When month m closes: its next month's rollup day, at the rollup hour. */
static time_t
rollup_close_time(const struct settings *set, int m)
{
	struct tm	 tm = { 0 };
	int		 n = rollup_next(m);

	tm.tm_year = n / 100 - 1900;
	tm.tm_mon = n % 100 - 1;
	tm.tm_mday = (int)set->rollup_day;
	tm.tm_hour = (int)set->rollup_hour;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Local time with its offset: 2026-12-02T06:54:19+01:00. */
static void
rollup_stamp(const struct tm *tm, char *out, size_t len)
{
	char	 z[8];

	strftime(out, len, "%Y-%m-%dT%H:%M:%S", tm);
	strftime(z, sizeof(z), "%z", tm);
	if (strlen(z) == 5)
		snprintf(out + strlen(out), len - strlen(out), "%.3s:%s", z,
		    z + 3);
}

/* The last month that may be closed at now. */
static int
rollup_closable(const struct settings *set, time_t now)
{
	struct tm	 tm;
	int		 closable;

	localtime_r(&now, &tm);
	closable = rollup_prev((tm.tm_year + 1900) * 100 + tm.tm_mon + 1);
	if (now < rollup_close_time(set, closable))
		closable = rollup_prev(closable);
	return closable;
}

/* 1 when month's bilan is in the reports directory (its JSON last). */
static int
rollup_has_files(const struct rollup *r, const char *month)
{
	char	 path[4200];

	snprintf(path, sizeof(path), "%s/bilan-%s.json", r->set->reports,
	    month);
	return access(path, R_OK) == 0;
}

/* One text or integer from the rollup connection. */
static int
rollup_int(sqlite3 *db, const char *sql, const char *arg, int *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		*out = t[4] == '-' ? atoi(t) * 100 + atoi(t + 5) : atoi(t);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static void
rollup_digest(json_object *doc, uint8_t out[32])
{
	const char	*s = json_object_to_json_string_ext(
			    json_object_object_get(doc, "sheets"),
			    JSON_C_TO_STRING_PLAIN);

	EVP_Digest(s, strlen(s), out, NULL, EVP_sha256(), NULL);
}

/* The year's COPIL report, when its December closes (or is revised). */
static void
rollup_copil(struct rollup *r, int year, int64_t today)
{
	char		 key[16], err[512];
	const char	*error = NULL;
	struct query	 q = { "copil", key, NULL, NULL, 0 };
	json_object	*doc;

	snprintf(key, sizeof(key), "%04d", year % 10000);
	if ((doc = query_answer(r->q, &q, today, &error)) == NULL) {
		log_warn("event=copil_failed year=%d reason=\"%s\"", year,
		    error ? error : "?");
		return;
	}
	if (report_write_copil(r->cat, doc, r->set->reports, err,
	    sizeof(err)) == -1)
		log_warn("event=copil_failed year=%d reason=\"%s\"", year, err);
	json_object_put(doc);
}

/* Closes (or revises) month m: a new revision when the figures differ. */
static int
rollup_close(struct rollup *r, int m, time_t now)
{
	sqlite3_stmt	*st = NULL;
	json_object	*doc, *old = NULL;
	const char	*error = NULL;
	uint8_t		 digest[32];
	char		 month[16], stamp[32], err[512], today[11];
	struct tm	 tm;
	int64_t		 day;
	int		 rev = 0, same = 0, rc = -1, y, last;

	rollup_month_text(m, month);
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	rollup_stamp(&tm, stamp, sizeof(stamp));
	date_parse(today, &day);
	/* Changes from now on mark the month again. */
	if (sqlite3_prepare_v2(r->db, "DELETE FROM rollup_dirty WHERE month = "
	    "?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
	/* What was committed before the mark was cleared is in the model. */
	view_sync(r->view);
	if ((doc = query_rollup_doc(r->q, month, day, &error)) == NULL) {
		log_warn("event=rollup_failed month=%s reason=\"%s\"", month,
		    error);
		return -1;
	}
	rollup_digest(doc, digest);
	if (sqlite3_prepare_v2(r->db, "SELECT rev, digest, json FROM rollup "
	    "WHERE month = ?1 ORDER BY rev DESC LIMIT 1", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rev = sqlite3_column_int(st, 0);
		same = sqlite3_column_bytes(st, 1) == 32 &&
		    memcmp(sqlite3_column_blob(st, 1), digest, 32) == 0;
		old = json_tokener_parse((const char *)sqlite3_column_text(st,
		    2));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (same) {
		rc = 0;
		goto out;
	}
	rev++;
	json_object_object_add(doc, "revision", json_object_new_int(rev));
	json_object_object_add(doc, "generated", json_object_new_string(stamp));
	json_object_object_add(doc, "revised", json_object_new_boolean(rev > 1));
	json_object_object_add(doc, "changes", old != NULL ?
	    report_changes(r->cat, old, doc, ROLLUP_MAX_CHANGES) :
	    json_object_new_array());
	if (sqlite3_prepare_v2(r->db, "INSERT INTO rollup (month, rev, created, "
	    "digest, json) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, rev);
	sqlite3_bind_int64(st, 3, (int64_t)now * 1000);
	sqlite3_bind_blob(st, 4, digest, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), -1,
	    SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		log_warn("event=rollup_failed month=%s reason=\"%s\"", month,
		    sqlite3_errmsg(r->db));
		goto out;
	}
	if (report_write_files(r->cat, doc, r->set->reports, rev, err,
	    sizeof(err)) == -1)
		log_warn("event=rollup_files_failed month=%s reason=\"%s\"",
		    month, err);
	log_info("event=rollup month=%s rev=%d", month, rev);
	/*
	 * The COPIL report of December's year, and of each later closed
	 * year: theirs show this year's figures beside their own.
	 */
	if (m % 100 == 12) {
		last = rollup_closable(r->set, now);
		last = last / 100 - (last % 100 != 12);
		for (y = m / 100; y <= last; y++)
			rollup_copil(r, y, day);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	json_object_put(old);
	json_object_put(doc);
	return rc;
}

static int
rollup_stopping(struct rollup *r)
{
	int	 s;

	pthread_mutex_lock(&r->lock);
	s = r->stopping;
	pthread_mutex_unlock(&r->lock);
	return s;
}

/*
 * Bilans whose files are missing — not written with their revision (a
 * full disk), or removed — are written again from the latest revision
 * kept in the base.
 */
static void
rollup_heal(struct rollup *r)
{
	sqlite3_stmt	*list, *one;
	json_object	*doc;
	char		 err[512];

	if (sqlite3_prepare_v2(r->db, "SELECT month, max(rev) FROM rollup "
	    "GROUP BY month", -1, &list, NULL) != SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(r->db, "SELECT json FROM rollup WHERE month = "
	    "?1 AND rev = ?2", -1, &one, NULL) != SQLITE_OK) {
		sqlite3_finalize(list);
		return;
	}
	while (sqlite3_step(list) == SQLITE_ROW) {
		const char *month = (const char *)sqlite3_column_text(list, 0);
		int	 rev = sqlite3_column_int(list, 1);

		if (month == NULL || rollup_has_files(r, month))
			continue;
		sqlite3_bind_text(one, 1, month, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(one, 2, rev);
		doc = sqlite3_step(one) == SQLITE_ROW ? json_tokener_parse(
		    (const char *)sqlite3_column_text(one, 0)) : NULL;
		if (doc != NULL) {
			if (report_write_files(r->cat, doc, r->set->reports,
			    rev, err, sizeof(err)) == -1)
				log_warn("event=rollup_files_failed month=%s "
				    "reason=\"%s\"", month, err);
			else
				log_info("event=rollup_files_rewritten "
				    "month=%s rev=%d", month, rev);
			json_object_put(doc);
		}
		sqlite3_reset(one);
	}
	sqlite3_finalize(one);
	sqlite3_finalize(list);
}

static void
rollup_tick(struct rollup *r)
{
	time_t		 now = rollup_now();
	sqlite3_stmt	*st;
	int		 closable, last, first, m, n, *dirty = NULL;
	char		 lim[16];

	closable = rollup_closable(r->set, now);
	if (rollup_int(r->db, "SELECT max(month) FROM rollup", NULL,
	    &last) == -1 || rollup_int(r->db, "SELECT min(date) FROM revision",
	    NULL, &first) == -1 || first == 0)
		return;
	first = last ? rollup_next(last) : first;
	for (m = first; m <= closable && !rollup_stopping(r); m = rollup_next(m))
		if (rollup_close(r, m, now) == -1)
			return;
	/* Closed months that records changed since. */
	rollup_month_text(closable, lim);
	if (sqlite3_prepare_v2(r->db, "SELECT month FROM rollup_dirty WHERE "
	    "month <= ?1 ORDER BY month", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, lim, -1, SQLITE_STATIC);
	/*
	 * A change to a month changes the year to date of each closed month
	 * after it in the same year: they are revised too, in order.
	 */
	for (n = 0; sqlite3_step(st) == SQLITE_ROW; ) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int	 d = atoi(t) * 100 + atoi(t + 5), *more;

		if (n > 0 && d <= dirty[n - 1])
			continue;	/* within the last one's cascade */
		for (; d <= closable && d / 100 == atoi(t); d =
		    rollup_next(d)) {
			if ((more = realloc(dirty, (size_t)(n + 1) *
			    sizeof(*more))) == NULL)
				break;
			dirty = more;
			dirty[n++] = d;
		}
	}
	sqlite3_finalize(st);
	for (m = 0; m < n && !rollup_stopping(r); m++)
		rollup_close(r, dirty[m], now);
	free(dirty);
	rollup_heal(r);
}

static void *
rollup_main(void *arg)
{
	struct rollup	*r = arg;
	struct timespec	 ts;
	long long	 ms = r->set->rollup_interval;

	/* The first check waits one interval: start-up is for records. */
	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (!r->stopping)
			pthread_cond_timedwait(&r->wake, &r->lock, &ts);
		if (r->stopping)
			break;
		pthread_mutex_unlock(&r->lock);
		rollup_tick(r);
		pthread_mutex_lock(&r->lock);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct rollup *
rollup_start(const struct settings *set, const struct catalogue *cat,
    struct view *view, char *err, size_t errlen)
{
	struct rollup	*r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		return NULL;
	}
	r->set = set;
	r->cat = cat;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	r->view = view;
	if ((r->q = query_open(set->db, cat, (int)set->small_cells, view, err,
	    errlen)) == NULL)
		goto fail;
	if (sqlite3_open_v2(set->db, &r->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "ouverture de %s impossible : %s",
		    set->db, sqlite3_errmsg(r->db));
		goto fail;
	}
	sqlite3_busy_timeout(r->db, 10000);
	if (pthread_create(&r->thread, NULL, rollup_main, r) != 0) {
		snprintf(err, errlen, "fil des bilans impossible : %s",
		    strerror(errno));
		goto fail;
	}
	return r;
fail:
	query_close(r->q);
	sqlite3_close(r->db);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
	return NULL;
}

void
rollup_stop(struct rollup *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = 1;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	query_close(r->q);
	sqlite3_close(r->db);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
