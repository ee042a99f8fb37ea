/*
 * store.c — records in SQLite. Every statement is prepared once at open,
 * in a table indexed by enum store_stmt, and reset after every use.
 *
 * A record's row holds its exactly-once key (id, digest of the first
 * content) and where it stands (current revision, voided); every revision
 * is a whole copy of the content in one row (its lists packed), kept for
 * the audit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "schema.h"
#include "store_int.h"
#include "validate.h"

static const char *const store_sql[STMT__COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_RECORD_INSERT] = "INSERT INTO record (id, digest, rev, received) "
	    "VALUES (?1, ?2, 1, ?3) ON CONFLICT (id) DO NOTHING",
	[STMT_RECORD_GET] = "SELECT r.digest, r.rev, r.voided, v.digest "
	    "FROM record r JOIN revision v ON v.record = r.id AND v.rev = r.rev "
	    "WHERE r.id = ?1",
	[STMT_RECORD_SET_REV] = "UPDATE record SET rev = ?2, voided = ?3 "
	    "WHERE id = ?1",
	[STMT_REVISION_INSERT] = "INSERT INTO revision (record, rev, date, "
	    "activity, structure, commune, title, kind, reason, received, "
	    "digest, sheets, groups, partners, participants) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[STMT_REVISION_GET] = "SELECT v.rev, v.date, v.activity, v.structure, "
	    "v.commune, v.title, v.kind, v.reason, v.received, r.rev, r.voided, "
	    "v.sheets, v.groups, v.partners "
	    "FROM record r JOIN revision v ON v.record = r.id "
	    "AND v.rev = CASE WHEN ?2 > 0 THEN ?2 ELSE r.rev END "
	    "WHERE r.id = ?1",
	[STMT_EVIDENCE_INSERT] = "INSERT INTO evidence (id, indicator, date, "
	    "state, text, reference, received) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7) ON CONFLICT (id) DO NOTHING",
	[STMT_STRUCTURE] = "SELECT v.structure FROM record r JOIN revision v "
	    "ON v.record = r.id AND v.rev = r.rev WHERE r.id = ?1",
	[STMT_DIRTY] = "INSERT OR IGNORE INTO rollup_dirty (month) "
	    "VALUES (substr(?1, 1, 7))",
	[STMT_EVIDENCE_GET] = "SELECT indicator = ?2 AND date = ?3 AND "
	    "state = ?4 AND text = ?5 AND reference IS ?6 FROM evidence "
	    "WHERE id = ?1",
};

static const char store_unknown[] = "enregistrement inconnu : rien à "
    "corriger sous cet identifiant (envoyez-le d'abord)";
static const char store_voided[] = "enregistrement annulé : il ne peut plus "
    "être corrigé";

int
store_prepare_each(struct store *s, const char *const *sql, size_t n,
    sqlite3_stmt **out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (sqlite3_prepare_v3(s->db, sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &out[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

void
store_finalize_each(sqlite3_stmt **st, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sqlite3_finalize(st[i]);
}

int
store_exec(struct store *s, sqlite3_stmt *st)
{
	int	 rc = sqlite3_step(st);

	(void)s;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
store_migrate(struct store *s, char *err, size_t errlen)
{
	char	*msg = NULL;
	char	 sql[64];
	int	 v = store_version(s);
	size_t	 i;

	if (v < 0 || (size_t)v > schema_nmigrations) {
		snprintf(err, errlen, "version de schéma %d inconnue : ce "
		    "fichier vient d'une version plus récente de ctgd", v);
		return -1;
	}
	for (i = (size_t)v; i < schema_nmigrations; i++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", i + 1);
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL,
		    &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, schema_migrations[i].sql, NULL, NULL,
		    &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "migration %s impossible : %s",
			    schema_migrations[i].name, msg ? msg : "?");
			sqlite3_free(msg);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

int
store_check(struct store *s, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	const char	*r = NULL;
	int		 ok = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		r = (const char *)sqlite3_column_text(st, 0);
		ok = r != NULL && strcmp(r, "ok") == 0;
	}
	if (!ok)
		snprintf(err, errlen, "%s est endommagée (%s) : ctgd n'y écrit "
		    "plus rien ; restaurez la dernière sauvegarde (voir le "
		    "README, « Sauvegarde et restauration »)", path, r ? r :
		    sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

struct store *
store_open(const char *path, const struct store_options *o, char *err,
    size_t errlen)
{
	struct store	*s;
	char		*msg = NULL;
	char		 pragmas[512];

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		return NULL;
	}
	s->cat = o->cat;
	s->no_aggregates = o->no_aggregates;
	s->deltas_max = o->deltas_max > 0 ? o->deltas_max : STORE_DELTAS_MAX;
	if (sqlite3_open_v2(path, &s->db, (o->read_only ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "ouverture de %s impossible : %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "mémoire insuffisante");
		goto fail;
	}
	snprintf(pragmas, sizeof(pragmas), "%s"
	    "PRAGMA synchronous = %s;"
	    "PRAGMA cache_size = -65536;"	/* KiB: 64 MB */
	    "PRAGMA busy_timeout = 5000;"	/* ms */
	    /*
	     * Checkpoint every 64 MB of WAL rather than SQLite's 4 MB: the
	     * aggregate pages each commit rewrites are then copied into the
	     * database once per checkpoint, not once per few commits (ingest
	     * +30% under load, bench/run); recovery reads at most that.
	     */
	    "PRAGMA wal_autocheckpoint = 16384;",	/* pages of 4 KB */
	    /* Readers read straight from the mapped file, no copy per page. */
	    o->read_only ? "PRAGMA mmap_size = 17179869184;" :
	    "PRAGMA journal_mode = WAL;",
	    o->synchronous_full ? "FULL" : "NORMAL");
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s n'est pas une base utilisable : %s",
		    path, msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	if (o->integrity_check && store_check(s, path, err, errlen) == -1)
		goto fail;
	if (!o->read_only && store_migrate(s, err, errlen) == -1)
		goto fail;
	if (store_prepare_each(s, store_sql, STMT__COUNT, s->stmt) == -1 ||
	    store_agg_prepare(s) == -1 || store_lists_prepare(s) == -1) {
		snprintf(err, errlen, "requête interne invalide : %s",
		    sqlite3_errmsg(s->db));
		goto fail;
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

const struct catalogue *
store_catalogue(const struct store *s)
{
	return s->cat;
}

void
store_interrupt(struct store *s)
{
	if (s != NULL)
		sqlite3_interrupt(s->db);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_finalize_each(s->stmt, STMT__COUNT);
	store_agg_finalize(s);
	store_lists_finalize(s);
	sqlite3_close(s->db);
	free(s);
}

int
store_read_begin(struct store *s)
{
	return sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ?
	    0 : -1;
}

void
store_read_end(struct store *s)
{
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

int
store_begin(struct store *s)
{
	store_agg_begin(s);
	return store_exec(s, s->stmt[STMT_BEGIN]);
}

int
store_commit(struct store *s)
{
	if (store_exec(s, s->stmt[STMT_COMMIT]) == -1)
		return -1;
	store_agg_committed(s);
	return 0;
}

void
store_checkpoint(struct store *s)
{
	/* Readers may hold it back (SQLITE_BUSY): the next call tries again. */
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
	    NULL);
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, s->stmt[STMT_ROLLBACK]);
	store_agg_rolled_back(s);
}

const char *
store_errmsg(struct store *s)
{
	return sqlite3_errmsg(s->db);
}

int
store_version(struct store *s)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Binds the (record, rev) key that every revision table starts with. */
static sqlite3_stmt *
store_rev_stmt(struct store *s, enum store_stmt k, const uint8_t *id,
    int rev)
{
	sqlite3_stmt	*st = s->stmt[k];

	sqlite3_bind_blob(st, 1, id, RECORD_ID_LEN, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, rev);
	return st;
}

static int
store_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A revision's lists packed as 008_packed_revisions.sql says: sheets in
 * code order, groups and partners in theirs.
 */
static void
store_pack(const struct record *r, struct buf *sheets, struct buf *groups,
    struct buf *partners, int64_t *participants)
{
	const char	*v[VALIDATE_MAX_SHEETS];
	char		 hex[2 * PERSON_TOKEN_LEN + 1];
	size_t		 i, n = r->nsheets < VALIDATE_MAX_SHEETS ? r->nsheets :
			    VALIDATE_MAX_SHEETS;

	if (n > 0) {	/* a service record has none */
		memcpy(v, r->sheets, n * sizeof(*v));
		qsort(v, n, sizeof(*v), store_strcmp);
	}
	for (i = 0; i < n; i++)
		buf_printf(sheets, "%s%s", i ? "\037" : "", v[i]);
	*participants = 0;
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = &r->groups[i];

		hex[0] = '\0';
		if (g->person != NULL)
			agg_hex(g->person, g->person_len < PERSON_TOKEN_LEN ?
			    g->person_len : PERSON_TOKEN_LEN, hex);
		buf_printf(groups, "%s%s\037%s\037%lld\037%s", i ? "\036" : "",
		    g->category, g->residence ? g->residence : "",
		    (long long)g->count, hex);
		*participants += g->count;
	}
	for (i = 0; i < r->npartners; i++)
		buf_printf(partners, "%s%s", i ? "\037" : "", r->partners[i]);
	buf_add(sheets, "", 0);
	buf_add(groups, "", 0);
	buf_add(partners, "", 0);
}

/* Writes revision rev of r, whole, in one row. */
static int
store_put_revision(struct store *s, const struct record *r, int rev,
    const char *kind, const char *reason, int64_t now,
    const uint8_t *digest)
{
	struct buf	 b[3] = { { 0 }, { 0 }, { 0 } };
	sqlite3_stmt	*st;
	int64_t		 participants;
	int		 rc = -1, i;

	store_pack(r, &b[0], &b[1], &b[2], &participants);
	for (i = 0; i < 3; i++)
		if (b[i].failed)
			goto out;
	st = store_rev_stmt(s, STMT_REVISION_INSERT, r->id, rev);
	store_bind_text(st, 3, r->date);
	store_bind_text(st, 4, r->activity);
	store_bind_text(st, 5, r->structure);
	store_bind_text(st, 6, r->commune);
	store_bind_text(st, 7, r->title);
	store_bind_text(st, 8, kind);
	store_bind_text(st, 9, reason);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_blob(st, 11, digest, RECORD_DIGEST_LEN, SQLITE_STATIC);
	for (i = 0; i < 3; i++)
		sqlite3_bind_text(st, 12 + i, b[i].p != NULL ? b[i].p : "",
		    (int)b[i].len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, participants);
	rc = store_exec(s, st);
out:
	for (i = 0; i < 3; i++)
		free(b[i].p);
	return rc;
}

/* The record's month may need its rollup again (004_rollups.sql). */
static int
store_dirty(struct store *s, const char *date)
{
	sqlite3_stmt	*st = s->stmt[STMT_DIRTY];

	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	return store_exec(s, st);
}

/* Where a known record stands; 1 found, 0 unknown, -1 error. */
struct store_head {
	uint8_t	 first[RECORD_DIGEST_LEN];	/* first submitted content */
	uint8_t	 current[RECORD_DIGEST_LEN];	/* current revision's */
	int	 rev;
	int	 voided;
};

static int
store_head(struct store *s, const uint8_t *id, struct store_head *h)
{
	sqlite3_stmt	*st = s->stmt[STMT_RECORD_GET];
	int		 rc, found = 0;

	sqlite3_bind_blob(st, 1, id, RECORD_ID_LEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(h, 0, sizeof(*h));
		if (sqlite3_column_bytes(st, 0) == RECORD_DIGEST_LEN)
			memcpy(h->first, sqlite3_column_blob(st, 0),
			    RECORD_DIGEST_LEN);
		h->rev = sqlite3_column_int(st, 1);
		h->voided = sqlite3_column_int(st, 2);
		if (sqlite3_column_bytes(st, 3) == RECORD_DIGEST_LEN)
			memcpy(h->current, sqlite3_column_blob(st, 3),
			    RECORD_DIGEST_LEN);
		found = 1;
	} else if (rc != SQLITE_DONE)
		found = -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

static int
store_set_rev(struct store *s, const uint8_t *id, int rev, int voided)
{
	sqlite3_stmt	*st = s->stmt[STMT_RECORD_SET_REV];

	sqlite3_bind_blob(st, 1, id, RECORD_ID_LEN, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, rev);
	sqlite3_bind_int(st, 3, voided);
	return store_exec(s, st);
}

int
store_put(struct store *s, const struct record *r,
    const uint8_t digest[RECORD_DIGEST_LEN], int64_t now,
    struct agg_batch *b)
{
	sqlite3_stmt		*st = s->stmt[STMT_RECORD_INSERT];
	struct store_head	 h;
	int			 found;

	sqlite3_bind_blob(st, 1, r->id, (int)r->id_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, digest, RECORD_DIGEST_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (store_exec(s, st) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		if ((found = store_head(s, r->id, &h)) != 1)
			return -1;
		return memcmp(h.first, digest, RECORD_DIGEST_LEN) == 0 ?
		    ACK_DUPLICATE : ACK_CONFLICT;
	}
	if (store_put_revision(s, r, 1, "submit", NULL, now, digest) == -1 ||
	    (!s->no_aggregates && store_agg_record(s, b, r, +1) == -1) ||
	    store_dirty(s, r->date) == -1)
		return -1;
	return ACK_ACCEPTED;
}

/*
 * The next revision of a known record: r, whole (an amend), or the current
 * content again, voided (r NULL). The aggregates lose the current content
 * and gain the new one; both months are marked for their rollups.
 */
static int
store_revise(struct store *s, const uint8_t *id, const struct record *r,
    const uint8_t *digest, const char *reason, int64_t now,
    struct agg_batch *b, const char **why)
{
	struct store_head	 h;
	struct arena		 a = { 0 };
	struct record		 old;
	const struct record	*next;
	int			 found, rc = -1;

	if ((found = store_head(s, id, &h)) <= 0) {
		*why = store_unknown;
		return found == 0 ? ACK_REFUSED : -1;
	}
	if (h.voided && r == NULL)
		return ACK_DUPLICATE;
	if (h.voided) {
		*why = store_voided;
		return ACK_REFUSED;
	}
	if (r != NULL && memcmp(h.current, digest, RECORD_DIGEST_LEN) == 0)
		return ACK_DUPLICATE;
	if (store_get(s, id, 0, &a, &old, NULL) != 1)
		goto out;
	next = r != NULL ? r : &old;
	if (store_agg_record(s, b, &old, -1) == -1 ||
	    store_dirty(s, old.date) == -1 ||
	    (r != NULL && (store_agg_record(s, b, r, +1) == -1 ||
	    store_dirty(s, r->date) == -1)) ||
	    store_put_revision(s, next, h.rev + 1, r ? "amend" : "void",
	    reason, now, r ? digest : h.current) == -1 ||
	    store_set_rev(s, id, h.rev + 1, r == NULL) == -1)
		goto out;
	rc = ACK_ACCEPTED;
out:
	arena_free(&a);
	return rc;
}

int
store_amend(struct store *s, const struct record *r,
    const uint8_t digest[RECORD_DIGEST_LEN], int64_t now,
    struct agg_batch *b, const char **why)
{
	return store_revise(s, r->id, r, digest, NULL, now, b, why);
}

int
store_void(struct store *s, const uint8_t id[RECORD_ID_LEN],
    const char *reason, int64_t now, struct agg_batch *b, const char **why)
{
	return store_revise(s, id, NULL, NULL, reason, now, b, why);
}

/* The six columns an evidence entry is written and compared by. */
static sqlite3_stmt *
store_bind_evidence(sqlite3_stmt *st, const struct evidence *e)
{
	sqlite3_bind_blob(st, 1, e->id, RECORD_ID_LEN, SQLITE_STATIC);
	store_bind_text(st, 2, e->indicator);
	store_bind_text(st, 3, e->date);
	store_bind_text(st, 4, e->state);
	store_bind_text(st, 5, e->text);
	store_bind_text(st, 6, e->reference);
	return st;
}

int
store_evidence(struct store *s, const struct evidence *e, int64_t now)
{
	sqlite3_stmt	*st = store_bind_evidence(s->stmt[STMT_EVIDENCE_INSERT],
			    e);
	int		 rc, same;

	sqlite3_bind_int64(st, 7, now);
	if (store_exec(s, st) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 1)
		return ACK_ACCEPTED;
	st = store_bind_evidence(s->stmt[STMT_EVIDENCE_GET], e);
	rc = sqlite3_step(st);
	same = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW)
		return -1;
	return same ? ACK_DUPLICATE : ACK_CONFLICT;
}

/* A column as a string in the arena; NULL stays NULL. */
static const char *
store_col(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : arena_strdup(a, (const char *)t);
}

/*
 * Splits a packed list in place (the text is the arena's) at sep: the
 * items in an arena array, their count in *n. 0 or -1.
 */
static int
store_unpack(struct arena *a, char *text, int sep, char ***out, size_t *n)
{
	char	**v, *p;
	size_t	 k = 1, i = 0;

	*n = 0;
	*out = NULL;
	if (text == NULL || *text == '\0')
		return 0;
	for (p = text; *p != '\0'; p++)
		k += *p == sep;
	if ((v = arena_alloc(a, k * sizeof(*v))) == NULL)
		return -1;
	for (p = text; p != NULL; i++) {
		v[i] = p;
		if ((p = strchr(p, sep)) != NULL)
			*p++ = '\0';
	}
	*out = v;
	*n = k;
	return 0;
}

/* The groups of a packed revision: category, residence, count, person. */
static int
store_unpack_groups(struct arena *a, char *text, struct record *r)
{
	char	**v, **f;
	size_t	 n, nf, i, j;

	if (store_unpack(a, text, '\036', &v, &n) == -1 ||
	    (n > 0 && (r->groups = arena_alloc(a, n * sizeof(*r->groups))) ==
	    NULL))
		return -1;
	for (i = 0; i < n; i++) {
		struct group	*g = &r->groups[i];
		uint8_t		*t;

		if (store_unpack(a, v[i], '\037', &f, &nf) == -1 || nf != 4)
			return -1;
		g->category = f[0];
		g->residence = f[1];
		g->count = strtoll(f[2], NULL, 10);
		g->has_count = 1;
		if ((g->person_len = strlen(f[3]) / 2) > 0) {
			if ((t = arena_alloc(a, g->person_len)) == NULL)
				return -1;
			for (j = 0; j < g->person_len; j++)
				t[j] = (uint8_t)strtol((char[3]){ f[3][2 * j],
				    f[3][2 * j + 1], '\0' }, NULL, 16);
			g->person = t;
		}
	}
	r->ngroups = n;
	return 0;
}

int
store_get(struct store *s, const uint8_t id[RECORD_ID_LEN], int rev,
    struct arena *a, struct record *r, struct store_revision *info)
{
	sqlite3_stmt	*st = store_rev_stmt(s, STMT_REVISION_GET, id, rev);
	uint8_t		*idcopy;
	char		*sheets, *groups, *partners;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	rev = sqlite3_column_int(st, 0);
	r->date = store_col(a, st, 1);
	r->activity = store_col(a, st, 2);
	r->structure = store_col(a, st, 3);
	r->commune = store_col(a, st, 4);
	r->title = store_col(a, st, 5);
	if (info != NULL) {
		info->rev = rev;
		info->kind = store_col(a, st, 6);
		info->reason = store_col(a, st, 7);
		info->received = sqlite3_column_int64(st, 8);
		info->current = sqlite3_column_int(st, 9) == rev;
		info->voided = sqlite3_column_int(st, 10);
	}
	sheets = (char *)store_col(a, st, 11);
	groups = (char *)store_col(a, st, 12);
	partners = (char *)store_col(a, st, 13);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if ((idcopy = arena_memdup(a, id, RECORD_ID_LEN)) == NULL)
		return -1;
	r->id = idcopy;
	r->id_len = RECORD_ID_LEN;
	if (store_unpack(a, sheets, '\037', (char ***)&r->sheets,
	    &r->nsheets) == -1 ||
	    store_unpack(a, partners, '\037', (char ***)&r->partners,
	    &r->npartners) == -1 ||
	    store_unpack_groups(a, groups, r) == -1)
		return -1;
	return 1;
}

long
store_backup(struct store *s, const char *path, char *err, size_t errlen)
{
	sqlite3_backup	*b;
	sqlite3		*dest = NULL;
	long		 pages = -1;

	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s existe déjà : choisissez un nouveau "
		    "fichier pour la sauvegarde", path);
		return -1;
	}
	if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "création de %s impossible : %s", path,
		    dest ? sqlite3_errmsg(dest) : "mémoire insuffisante");
		goto out;
	}
	if ((b = sqlite3_backup_init(dest, "main", s->db, "main")) == NULL) {
		snprintf(err, errlen, "sauvegarde impossible : %s",
		    sqlite3_errmsg(dest));
		goto out;
	}
	if (sqlite3_backup_step(b, -1) == SQLITE_DONE)
		pages = sqlite3_backup_pagecount(b);
	else
		snprintf(err, errlen, "sauvegarde interrompue : %s",
		    sqlite3_errmsg(dest));
	sqlite3_backup_finish(b);
out:
	sqlite3_close(dest);
	if (pages < 0)
		unlink(path);
	return pages;
}

int
store_structure_in(struct store *s, const uint8_t *id,
    uint64_t mask)
{
	sqlite3_stmt	*st = s->stmt[STMT_STRUCTURE];
	int		 rc, w, in = STORE_NONE;

	sqlite3_bind_blob(st, 1, id, RECORD_ID_LEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		w = catalogue_word(s->cat, VOCAB_STRUCTURE,
		    (const char *)sqlite3_column_text(st, 0));
		in = w >= 0 && w < 64 && (mask & ((uint64_t)1 << w)) != 0 ?
		    STORE_IN : STORE_OTHER;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? in : -1;
}
