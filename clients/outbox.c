/* outbox.c — pending records in SQLite, each as its own submit frame. */
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

struct outbox {
	sqlite3		*db;
	char		 path[4096];
};

const char *
outbox_path(const char *flag, char *buf, size_t len)
{
	return files_path(flag, "CTG_OUTBOX", ".local/share/ctg/outbox.db",
	    buf, len);
}

struct outbox *
outbox_open(const char *path, char *err, size_t errlen)
{
	struct outbox	*o = calloc(1, sizeof(*o));

	if (o == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		return NULL;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	files_mkdirs(path);
	if (sqlite3_open(path, &o->db) != SQLITE_OK ||
	    sqlite3_exec(o->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA busy_timeout = 10000;"
	    "CREATE TABLE IF NOT EXISTS pending (id BLOB PRIMARY KEY, "
	    "frame BLOB NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID",
	    NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "boîte d'envoi %s inutilisable : %s",
		    path, o->db ? sqlite3_errmsg(o->db) : "?");
		outbox_close(o);
		return NULL;
	}
	return o;
}

void
outbox_close(struct outbox *o)
{
	if (o == NULL)
		return;
	sqlite3_close(o->db);
	free(o);
}

int
outbox_keep(struct outbox *o, const struct import_item *items, size_t n,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st = NULL;
	struct request	 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 };
	uint8_t		*frame;
	size_t		 i, len;
	int		 ok = 1;

	/* What is kept must survive a power cut: FULL for this one. */
	if (sqlite3_exec(o->db, "PRAGMA synchronous = FULL; BEGIN IMMEDIATE",
	    NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(o->db, "INSERT OR IGNORE INTO pending (id, "
	    "frame, created) VALUES (?1, ?2, ?3)", -1, &st, NULL) != SQLITE_OK)
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
	sqlite3_finalize(st);
	if (!ok || sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "écriture dans la boîte d'envoi %s "
		    "impossible : %s", o->path, sqlite3_errmsg(o->db));
		sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* A forgotten settle only means a resend, answered duplicate: NORMAL. */
void
outbox_settle(struct outbox *o, struct import_item **items, size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (sqlite3_exec(o->db, "PRAGMA synchronous = NORMAL; BEGIN", NULL,
	    NULL, NULL) != SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(o->db, "DELETE FROM pending WHERE id = ?1", -1,
	    &st, NULL) == SQLITE_OK) {
		for (i = 0; i < n; i++) {
			if (items[i]->status == 0)
				continue;
			sqlite3_bind_blob(st, 1, items[i]->id, RECORD_ID_LEN,
			    SQLITE_STATIC);
			sqlite3_step(st);
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL);
}

int
outbox_pending(struct outbox *o, struct outbox_pending *p, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	const char	*why;
	size_t		 cap = 0;
	int		 rc;

	memset(p, 0, sizeof(*p));
	if (sqlite3_prepare_v2(o->db, "SELECT frame FROM pending ORDER BY "
	    "created, id", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "lecture de la boîte d'envoi impossible : "
		    "%s", sqlite3_errmsg(o->db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t	*f = sqlite3_column_blob(st, 0);
		size_t		 len = (size_t)sqlite3_column_bytes(st, 0);

		if (p->n == cap) {
			struct import_item	*ni;
			struct request		*nr;

			cap = cap ? cap * 2 : 64;
			if ((ni = realloc(p->items, cap * sizeof(*ni))) == NULL)
				break;
			p->items = ni;
			if ((nr = realloc(p->reqs, cap * sizeof(*nr))) == NULL)
				break;
			p->reqs = nr;
		}
		if (len <= FRAME_HEADER || wire_decode_request(f + FRAME_HEADER,
		    len - FRAME_HEADER, &p->reqs[p->n], &why) == -1)
			continue;	/* unreadable: left for the user */
		if (p->reqs[p->n].nrecords != 1 ||
		    p->reqs[p->n].records[0].id_len != RECORD_ID_LEN) {
			request_free(&p->reqs[p->n]);
			continue;
		}
		memset(&p->items[p->n], 0, sizeof(p->items[p->n]));
		p->items[p->n].rec = p->reqs[p->n].records[0];
		memcpy(p->items[p->n].id, p->items[p->n].rec.id,
		    RECORD_ID_LEN);
		p->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "lecture de la boîte d'envoi impossible");
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
