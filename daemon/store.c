/*
 * store.c — records in SQLite. Every statement is prepared once at open,
 * in a table indexed by enum store_stmt, and reset after every use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <openssl/evp.h>

#include "schema.h"
#include "store.h"
#include "tsv.h"

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_RECORD_INSERT,
	STMT_RECORD_DIGEST,
	STMT_REVISION_INSERT,
	STMT_SHEET_INSERT,
	STMT_GROUP_INSERT,
	STMT_PARTNER_INSERT,
	STMT__COUNT
};

static const char *const store_sql[STMT__COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_RECORD_INSERT] = "INSERT INTO record (id, digest, rev, received) "
	    "VALUES (?1, ?2, 1, ?3) ON CONFLICT (id) DO NOTHING",
	[STMT_RECORD_DIGEST] = "SELECT digest FROM record WHERE id = ?1",
	[STMT_REVISION_INSERT] = "INSERT INTO revision (record, rev, date, "
	    "activity, structure, commune, title) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_SHEET_INSERT] = "INSERT OR IGNORE INTO revision_sheet "
	    "(record, rev, sheet) VALUES (?1, ?2, ?3)",
	[STMT_GROUP_INSERT] = "INSERT INTO revision_group (record, rev, ord, "
	    "category, residence, count, person) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_PARTNER_INSERT] = "INSERT INTO revision_partner (record, rev, "
	    "ord, name) VALUES (?1, ?2, ?3, ?4)",
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[STMT__COUNT];
};

/* Runs a prepared statement that returns no row; 0 or -1. */
static int
store_exec(struct store *s, enum store_stmt k)
{
	sqlite3_stmt	*st = s->stmt[k];
	int		 rc = sqlite3_step(st);

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

struct store *
store_open(const char *path, const struct store_options *o, char *err,
    size_t errlen)
{
	struct store	*s;
	char		*msg = NULL;
	char		 pragmas[256];
	int		 k;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "ouverture de %s impossible : %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "mémoire insuffisante");
		goto fail;
	}
	snprintf(pragmas, sizeof(pragmas),
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = %s;"
	    "PRAGMA cache_size = -65536;"	/* KiB: 64 MB */
	    "PRAGMA busy_timeout = 5000;",	/* ms */
	    o->synchronous_full ? "FULL" : "NORMAL");
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s n'est pas une base utilisable : %s",
		    path, msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	if (store_migrate(s, err, errlen) == -1)
		goto fail;
	for (k = 0; k < STMT__COUNT; k++)
		if (sqlite3_prepare_v3(s->db, store_sql[k], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmt[k], NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "requête interne invalide (%d) : "
			    "%s", k, sqlite3_errmsg(s->db));
			goto fail;
		}
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	int	 k;

	if (s == NULL)
		return;
	for (k = 0; k < STMT__COUNT; k++)
		sqlite3_finalize(s->stmt[k]);
	sqlite3_close(s->db);
	free(s);
}

int
store_begin(struct store *s)
{
	return store_exec(s, STMT_BEGIN);
}

int
store_commit(struct store *s)
{
	return store_exec(s, STMT_COMMIT);
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, STMT_ROLLBACK);
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

/* Same id seen before: a duplicate if the content is the same. */
static int
store_known(struct store *s, const struct record *r,
    const uint8_t digest[RECORD_DIGEST_LEN])
{
	sqlite3_stmt	*st = s->stmt[STMT_RECORD_DIGEST];
	int		 rc, result = -1;

	sqlite3_bind_blob(st, 1, r->id, (int)r->id_len, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		result = sqlite3_column_bytes(st, 0) == RECORD_DIGEST_LEN &&
		    memcmp(sqlite3_column_blob(st, 0), digest,
		    RECORD_DIGEST_LEN) == 0 ? ACK_DUPLICATE : ACK_CONFLICT;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return result;
}

/* Binds the (record, rev) key that every revision table starts with. */
static sqlite3_stmt *
store_rev_stmt(struct store *s, enum store_stmt k, const struct record *r)
{
	sqlite3_stmt	*st = s->stmt[k];

	sqlite3_bind_blob(st, 1, r->id, (int)r->id_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, 1);
	return st;
}

static int
store_put_revision(struct store *s, const struct record *r)
{
	sqlite3_stmt	*st;
	size_t		 i;

	st = store_rev_stmt(s, STMT_REVISION_INSERT, r);
	store_bind_text(st, 3, r->date);
	store_bind_text(st, 4, r->activity);
	store_bind_text(st, 5, r->structure);
	store_bind_text(st, 6, r->commune);
	store_bind_text(st, 7, r->title);
	if (store_exec(s, STMT_REVISION_INSERT) == -1)
		return -1;
	for (i = 0; i < r->nsheets; i++) {
		st = store_rev_stmt(s, STMT_SHEET_INSERT, r);
		store_bind_text(st, 3, r->sheets[i]);
		if (store_exec(s, STMT_SHEET_INSERT) == -1)
			return -1;
	}
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = &r->groups[i];

		st = store_rev_stmt(s, STMT_GROUP_INSERT, r);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		store_bind_text(st, 4, g->category);
		store_bind_text(st, 5, g->residence ? g->residence : "");
		sqlite3_bind_int64(st, 6, g->count);
		if (g->person != NULL)
			sqlite3_bind_blob(st, 7, g->person,
			    (int)g->person_len, SQLITE_STATIC);
		if (store_exec(s, STMT_GROUP_INSERT) == -1)
			return -1;
	}
	for (i = 0; i < r->npartners; i++) {
		st = store_rev_stmt(s, STMT_PARTNER_INSERT, r);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		store_bind_text(st, 4, r->partners[i]);
		if (store_exec(s, STMT_PARTNER_INSERT) == -1)
			return -1;
	}
	return 0;
}

int
store_put(struct store *s, const struct record *r,
    const uint8_t digest[RECORD_DIGEST_LEN], int64_t now_ms)
{
	sqlite3_stmt	*st = s->stmt[STMT_RECORD_INSERT];

	sqlite3_bind_blob(st, 1, r->id, (int)r->id_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, digest, RECORD_DIGEST_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	if (store_exec(s, STMT_RECORD_INSERT) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return store_known(s, r, digest);
	return store_put_revision(s, r) == -1 ? -1 : ACK_ACCEPTED;
}

/* catalogue/sheets.tsv -> catalogue_sheets; communes.tsv -> communes. */
static int
store_table_name(const char *file, char *out, size_t len)
{
	size_t	 i, o = 0;

	for (i = 0; file[i] != '\0' && strcmp(file + i, ".tsv") != 0; i++) {
		char c = file[i] == '/' ? '_' : file[i];

		if (!((c >= 'a' && c <= 'z') || c == '_') || o + 1 >= len)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return o > 0 ? 0 : -1;
}

/* Replaces one table's rows by the file's. Column names are the header's. */
static int
store_load_file(struct store *s, const struct data_file *f, char *err,
    size_t errlen)
{
	struct arena	 a = { 0 };
	struct tsv	 t;
	sqlite3_stmt	*st = NULL;
	char		 table[64], sql[2048], del[128];
	size_t		 i, r, o;
	int		 rc = -1;

	if (store_table_name(f->name, table, sizeof(table)) == -1) {
		snprintf(err, errlen, "nom de fichier de catalogue inattendu : "
		    "%s", f->name);
		return -1;
	}
	if (tsv_parse(f->name, f->text, f->len, &a, &t, err, errlen) == -1)
		goto out;
	o = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (", table);
	for (i = 0; i < t.ncols && o < sizeof(sql); i++) {
		if (strspn(t.header[i], "abcdefghijklmnopqrstuvwxyz_") !=
		    strlen(t.header[i])) {
			snprintf(err, errlen, "%s : colonne « %s » inattendue",
			    f->name, t.header[i]);
			goto out;
		}
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s%s",
		    i ? ", " : "", t.header[i]);
	}
	for (i = 0; i < t.ncols && o < sizeof(sql); i++)
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s?",
		    i ? ", " : ") VALUES (");
	snprintf(sql + o, sizeof(sql) - o, ")");
	snprintf(del, sizeof(del), "DELETE FROM %s", table);
	if (sqlite3_exec(s->db, del, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	for (r = 0; r < t.nrows; r++) {
		for (i = 0; i < t.ncols; i++)
			if (t.rows[r][i][0] == '\0')
				sqlite3_bind_null(st, (int)i + 1);
			else
				sqlite3_bind_text(st, (int)i + 1, t.rows[r][i],
				    -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto dberr;
		sqlite3_reset(st);
	}
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "chargement de %s impossible : %s", f->name,
	    sqlite3_errmsg(s->db));
out:
	sqlite3_finalize(st);
	arena_free(&a);
	return rc;
}

/* Hex SHA-256 over every file's name and bytes: the data's version. */
static void
store_catalogue_digest(const struct data_file *files, size_t n,
    char out[65])
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	uint8_t		 d[32];
	size_t		 i;

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; i < n; i++) {
		EVP_DigestUpdate(ctx, files[i].name, strlen(files[i].name) + 1);
		EVP_DigestUpdate(ctx, files[i].text, files[i].len);
	}
	EVP_DigestFinal_ex(ctx, d, NULL);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int
store_load_catalogue(struct store *s, const struct data_file *files,
    size_t n, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 digest[65];
	size_t		 i;
	int		 same = 0;

	store_catalogue_digest(files, n, digest);
	if (sqlite3_prepare_v2(s->db, "SELECT value = ?1 FROM catalogue_meta "
	    "WHERE key = 'digest'", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		same = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (same)
		return 0;
	if (store_begin(s) == -1)
		goto dberr;
	for (i = 0; i < n; i++)
		if (store_load_file(s, &files[i], err, errlen) == -1) {
			store_rollback(s);
			return -1;
		}
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO catalogue_meta "
	    "(key, value) VALUES ('digest', ?1)", -1, &st, NULL) != SQLITE_OK)
		goto dberr_rollback;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		goto dberr_rollback;
	}
	sqlite3_finalize(st);
	if (store_commit(s) == -1)
		goto dberr_rollback;
	return 0;
dberr_rollback:
	snprintf(err, errlen, "chargement du catalogue impossible : %s",
	    sqlite3_errmsg(s->db));
	store_rollback(s);
	return -1;
dberr:
	snprintf(err, errlen, "chargement du catalogue impossible : %s",
	    sqlite3_errmsg(s->db));
	return -1;
}
