/*
 * outbox.c — kept records in SQLite, each as its own submit frame, with
 * its state (pending, or held with ctgd's reason). Statements are
 * prepared once at open; the schema is upgraded in place under
 * PRAGMA user_version.
 */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "files.h"
#include "framing.h"
#include "outbox.h"
#include "wire.h"

/* The schema, one step per version; a file at version v runs steps v.. */
static const char *const outbox_schema[] = {
	/* 1: pending records */
	"CREATE TABLE IF NOT EXISTS pending (id BLOB PRIMARY KEY, "
	"frame BLOB NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID",
	/* 2: refused and conflicting records are held, not dropped */
	"ALTER TABLE pending ADD COLUMN state INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE pending ADD COLUMN reason TEXT",
};
#define OUTBOX_VERSION	(sizeof(outbox_schema) / sizeof(outbox_schema[0]))

enum outbox_stmt {
	OB_KEEP,
	OB_DELETE,
	OB_HOLD,
	OB_STATE,
	OB_LIST_PENDING,
	OB_LIST_HELD,
	OB_LIST_ALL,
	OB_COUNT_PENDING,
	OB_COUNT_HELD,
	OB_COUNT_ALL,
	OB__COUNT
};

static const char *const outbox_sql[OB__COUNT] = {
	[OB_KEEP] = "INSERT INTO pending (id, frame, created, state, reason) "
	    "VALUES (?1, ?2, ?3, 0, NULL) ON CONFLICT (id) DO UPDATE SET "
	    "frame = excluded.frame, state = 0, reason = NULL",
	[OB_DELETE] = "DELETE FROM pending WHERE id = ?1",
	[OB_HOLD] = "UPDATE pending SET state = ?2, reason = ?3 WHERE id = ?1",
	[OB_STATE] = "SELECT state FROM pending WHERE id = ?1",
	[OB_LIST_PENDING] = "SELECT frame, state, reason FROM pending "
	    "WHERE state = 0 ORDER BY created, id",
	[OB_LIST_HELD] = "SELECT frame, state, reason FROM pending "
	    "WHERE state <> 0 ORDER BY created, id",
	[OB_LIST_ALL] = "SELECT frame, state, reason FROM pending "
	    "ORDER BY state <> 0, created, id",
	[OB_COUNT_PENDING] = "SELECT count(*) FROM pending WHERE state = 0",
	[OB_COUNT_HELD] = "SELECT count(*) FROM pending WHERE state <> 0",
	[OB_COUNT_ALL] = "SELECT count(*) FROM pending",
};

/* A listing's statements, by which. */
static const struct {
	enum outbox_stmt	 list, count;
} outbox_which_stmt[] = {
	[OUTBOX_PENDING] = { OB_LIST_PENDING, OB_COUNT_PENDING },
	[OUTBOX_HELD] = { OB_LIST_HELD, OB_COUNT_HELD },
	[OUTBOX_ALL] = { OB_LIST_ALL, OB_COUNT_ALL },
};

struct outbox {
	sqlite3		*db;
	sqlite3_stmt	*st[OB__COUNT];
	char		 path[4096];
};

const char *
outbox_path(const char *flag, char *buf, size_t len)
{
	return files_path(flag, "CTG_OUTBOX", ".local/share/ctg/outbox.db",
	    buf, len);
}

/* Brings the file to OUTBOX_VERSION in one transaction. 0 or -1 with err. */
static int
outbox_upgrade(struct outbox *o, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 sql[64];
	int		 version = -1;
	size_t		 v;

	if (sqlite3_exec(o->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto fail;
	if (sqlite3_prepare_v2(o->db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (version < 0)
		goto fail;
	if ((size_t)version > OUTBOX_VERSION) {
		snprintf(err, errlen, "boîte d'envoi %s créée par une version "
		    "plus récente de ctg-submit (version %d) : mettez "
		    "ctg-submit à jour", o->path, version);
		sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (v = (size_t)version; v < OUTBOX_VERSION; v++)
		if (sqlite3_exec(o->db, outbox_schema[v], NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu",
	    OUTBOX_VERSION);
	if (sqlite3_exec(o->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "boîte d'envoi %s inutilisable : %s", o->path,
	    sqlite3_errmsg(o->db));
	sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct outbox *
outbox_open(const char *path, char *err, size_t errlen)
{
	struct outbox	*o = calloc(1, sizeof(*o));
	size_t		 i;

	if (o == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		return NULL;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	files_mkdirs(path);
	if (sqlite3_open(path, &o->db) != SQLITE_OK ||
	    sqlite3_exec(o->db, "PRAGMA busy_timeout = 10000;"
	    "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "boîte d'envoi %s inutilisable : %s",
		    path, o->db ? sqlite3_errmsg(o->db) : "mémoire insuffisante");
		outbox_close(o);
		return NULL;
	}
	if (outbox_upgrade(o, err, errlen) == -1) {
		outbox_close(o);
		return NULL;
	}
	for (i = 0; i < OB__COUNT; i++)
		if (sqlite3_prepare_v2(o->db, outbox_sql[i], -1, &o->st[i],
		    NULL) != SQLITE_OK) {
			snprintf(err, errlen, "boîte d'envoi %s inutilisable : "
			    "%s", path, sqlite3_errmsg(o->db));
			outbox_close(o);
			return NULL;
		}
	return o;
}

void
outbox_close(struct outbox *o)
{
	size_t	 i;

	if (o == NULL)
		return;
	for (i = 0; i < OB__COUNT; i++)
		sqlite3_finalize(o->st[i]);
	sqlite3_close(o->db);
	free(o);
}

int
outbox_keep(struct outbox *o, const struct import_item *items, size_t n,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st = o->st[OB_KEEP];
	struct request	 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 };
	uint8_t		*frame;
	size_t		 i, len;
	int		 ok = 1;

	/* What is kept must survive a power cut: FULL for this one. */
	if (sqlite3_exec(o->db, "PRAGMA synchronous = FULL; BEGIN IMMEDIATE",
	    NULL, NULL, NULL) != SQLITE_OK)
		ok = 0;
	for (i = 0; ok && i < n; i++) {
		if (items[i].error != NULL)
			continue;
		req.records = (struct record *)&items[i].rec;
		if ((frame = wire_encode_request(&req, &len)) == NULL) {
			ok = 0;
			break;
		}
		sqlite3_bind_blob(st, 1, items[i].id, RECORD_ID_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, frame, (int)len, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
		free(frame);
	}
	if (!ok || sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "écriture dans la boîte d'envoi %s "
		    "impossible : %s", o->path, sqlite3_errmsg(o->db));
		sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/*
 * A lost settle only means a resend: answered duplicate, or refused
 * again and then held. NORMAL is enough.
 */
void
outbox_settle(struct outbox *o, struct import_item **items, size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (sqlite3_exec(o->db, "PRAGMA synchronous = NORMAL; BEGIN", NULL,
	    NULL, NULL) != SQLITE_OK)
		return;
	for (i = 0; i < n; i++) {
		switch (items[i]->status) {
		case ACK_ACCEPTED:
		case ACK_DUPLICATE:
			st = o->st[OB_DELETE];
			break;
		case ACK_CONFLICT:
		case ACK_REFUSED:
			st = o->st[OB_HOLD];
			sqlite3_bind_int(st, 2, (int)items[i]->status);
			sqlite3_bind_text(st, 3, items[i]->reason ?
			    items[i]->reason : "refusé par ctgd", -1,
			    SQLITE_TRANSIENT);
			break;
		default:
			continue;	/* unanswered: still pending */
		}
		sqlite3_bind_blob(st, 1, items[i]->id, RECORD_ID_LEN,
		    SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL);
}

/* Room for one more item in a listing; -1 when out of memory. */
static int
outbox_grow(struct outbox_pending *p, size_t *cap)
{
	struct import_item	*ni;
	struct request		*nr;

	if (p->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	if ((ni = realloc(p->items, *cap * sizeof(*ni))) == NULL)
		return -1;
	p->items = ni;
	if ((nr = realloc(p->reqs, *cap * sizeof(*nr))) == NULL)
		return -1;
	p->reqs = nr;
	return 0;
}

int
outbox_list(struct outbox *o, enum outbox_which which,
    struct outbox_pending *p, char *err, size_t errlen)
{
	sqlite3_stmt	*st = o->st[outbox_which_stmt[which].list];
	const char	*why, *reason;
	size_t		 cap = 0;
	int		 rc;

	memset(p, 0, sizeof(*p));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t		*f = sqlite3_column_blob(st, 0);
		size_t			 len = (size_t)sqlite3_column_bytes(st, 0);
		struct import_item	*it;

		if (outbox_grow(p, &cap) == -1)
			break;
		if (len <= FRAME_HEADER || wire_decode_request(f + FRAME_HEADER,
		    len - FRAME_HEADER, &p->reqs[p->n], &why) == -1)
			continue;	/* unreadable: left in the file */
		if (p->reqs[p->n].nrecords != 1 ||
		    p->reqs[p->n].records[0].id_len != RECORD_ID_LEN) {
			request_free(&p->reqs[p->n]);
			continue;
		}
		it = &p->items[p->n];
		memset(it, 0, sizeof(*it));
		it->rec = p->reqs[p->n].records[0];
		memcpy(it->id, it->rec.id, RECORD_ID_LEN);
		it->status = (enum ack_status)sqlite3_column_int(st, 1);
		if ((reason = (const char *)sqlite3_column_text(st, 2)) != NULL)
			it->reason = strdup(reason);
		p->n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "lecture de la boîte d'envoi %s "
		    "impossible : %s", o->path, rc == SQLITE_ROW ?
		    "mémoire insuffisante" : sqlite3_errmsg(o->db));
		outbox_pending_free(p);
		return -1;
	}
	return 0;
}

void
outbox_pending_free(struct outbox_pending *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		free((char *)p->items[i].reason);
		request_free(&p->reqs[i]);
	}
	free(p->items);
	free(p->reqs);
	memset(p, 0, sizeof(*p));
}

long
outbox_count(struct outbox *o, enum outbox_which which)
{
	sqlite3_stmt	*st = o->st[outbox_which_stmt[which].count];
	long		 n = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int
outbox_state(struct outbox *o, const uint8_t id[RECORD_ID_LEN])
{
	sqlite3_stmt	*st = o->st[OB_STATE];
	int		 state = -1;

	sqlite3_bind_blob(st, 1, id, RECORD_ID_LEN, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		state = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return state;
}

/* The user's explicit word: FULL, so that it is not undone by a power cut. */
int
outbox_remove(struct outbox *o, const uint8_t id[RECORD_ID_LEN], char *err,
    size_t errlen)
{
	sqlite3_stmt	*st = o->st[OB_DELETE];
	int		 rc;

	if (sqlite3_exec(o->db, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_blob(st, 1, id, RECORD_ID_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return sqlite3_changes(o->db) > 0 ? 1 : 0;
fail:
	snprintf(err, errlen, "écriture dans la boîte d'envoi %s impossible : "
	    "%s", o->path, sqlite3_errmsg(o->db));
	return -1;
}
