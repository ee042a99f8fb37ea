/*
 * store_catalogue.c — the built-in catalogue files into their tables, once
 * per version of the data.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "store_int.h"
#include "tsv.h"

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
	/* Codes may now map elsewhere: the aggregates follow. */
	if (s->cat != NULL && store_agg_rebuild(s) == -1)
		goto dberr_rollback;
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
