/*
 * auth.c — tokens in SQLite (table token, migration 005), cached in memory
 * for the checks, and the policy as one table of operations and roles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include "auth.h"
#include "log.h"
#include "query.h"
#include "utf8.h"

struct auth_entry {
	uint8_t		 hash[32];
	int		 role;
	uint64_t	 structures;
	double		 bucket;	/* records it may still send */
	double		 last;		/* s, when the bucket was filled */
};

struct auth {
	sqlite3			*db;
	const struct catalogue	*cat;
	struct auth_entry	*v;
	size_t			 n;
	int64_t			 ever;		/* tokens created, revoked too */
	size_t			 admins;	/* valid admin tokens */
	char			 error[256];
};

/* Which roles may do what; everything else is denied. */
static const int auth_policy[] = {
	[AUTH_OP_PING] = AUTH_SUBMITTER | AUTH_COORDINATOR | AUTH_ADMIN,
	[AUTH_OP_WRITE] = AUTH_SUBMITTER,
	[AUTH_OP_EVIDENCE] = AUTH_COORDINATOR,
	[AUTH_OP_READ] = AUTH_COORDINATOR | AUTH_ADMIN,
	[AUTH_OP_READ_OWN] = AUTH_SUBMITTER | AUTH_COORDINATOR | AUTH_ADMIN,
	[AUTH_OP_ADMIN] = AUTH_ADMIN,
};

static const struct {
	const char	*name;
	int		 role;
} auth_roles[] = {
	{ "submitter", AUTH_SUBMITTER },
	{ "coordinator", AUTH_COORDINATOR },
	{ "admin", AUTH_ADMIN },
};

const char *
auth_role_name(int role)
{
	size_t	 i;

	for (i = 0; i < sizeof(auth_roles) / sizeof(auth_roles[0]); i++)
		if (auth_roles[i].role == role)
			return auth_roles[i].name;
	return NULL;
}

static int
auth_role_of(const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < sizeof(auth_roles) /
	    sizeof(auth_roles[0]); i++)
		if (strcmp(auth_roles[i].name, name) == 0)
			return auth_roles[i].role;
	return AUTH_NONE;
}

static void
auth_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

static uint64_t
auth_structures(const struct catalogue *c, const char *list)
{
	char		 buf[1024], *w, *save;
	uint64_t	 m = 0;
	int		 i;

	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save))
		if ((i = catalogue_word(c, VOCAB_STRUCTURE, w)) >= 0 && i < 64)
			m |= (uint64_t)1 << i;
	return m;
}

/* The valid tokens into memory. */
static int
auth_reload(struct auth *a)
{
	sqlite3_stmt		*st;
	struct auth_entry	*v = NULL, *nv;
	size_t			 n = 0;
	int			 rc;

	if (sqlite3_prepare_v2(a->db, "SELECT hash, role, structures FROM "
	    "token WHERE revoked IS NULL", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL)
			break;
		v = nv;
		if (sqlite3_column_bytes(st, 0) != 32)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].bucket = -1;	/* full at first use */
		memcpy(v[n].hash, sqlite3_column_blob(st, 0), 32);
		v[n].role = auth_role_of((const char *)
		    sqlite3_column_text(st, 1));
		v[n].structures = auth_structures(a->cat, (const char *)
		    sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return -1;
	}
	free(a->v);
	a->v = v;
	a->n = n;
	for (a->admins = 0; n > 0; n--)
		a->admins += v[n - 1].role == AUTH_ADMIN;
	if (sqlite3_prepare_v2(a->db, "SELECT count(*) FROM token", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	a->ever = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st,
	    0) : a->ever;
	sqlite3_finalize(st);
	return 0;
}

/* Says, once the tokens changed, when no one can administer any more. */
static void
auth_warn_closed(const struct auth *a)
{
	if (a->ever > 0 && a->n == 0)
		log_warn("event=closed reason=\"tous les jetons sont révoqués : "
		    "ctgd refuse toute requête ; sur la machine du serveur, "
		    "arrêtez ctgd et lancez ctgd --db BASE --new-admin-token "
		    "LIBELLÉ\"");
	else if (a->ever > 0 && a->admins == 0)
		log_warn("event=no_admin_token reason=\"plus aucun jeton admin "
		    "valide : jetons et sauvegardes ne se gèrent plus à distance "
		    "(ctgd --new-admin-token sur la machine du serveur)\"");
}

struct auth *
auth_open(const char *db, const struct catalogue *cat, char *err,
    size_t errlen)
{
	struct auth	*a = calloc(1, sizeof(*a));

	if (a == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		return NULL;
	}
	a->cat = cat;
	if (sqlite3_open_v2(db, &a->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK || (sqlite3_busy_timeout(
	    a->db, 5000), auth_reload(a)) == -1) {
		snprintf(err, errlen, "jetons illisibles dans %s : %s", db,
		    a->db ? sqlite3_errmsg(a->db) : "?");
		auth_close(a);
		return NULL;
	}
	auth_warn_closed(a);
	return a;
}

void
auth_close(struct auth *a)
{
	if (a == NULL)
		return;
	sqlite3_close(a->db);
	free(a->v);
	free(a);
}

int
auth_protected(const struct auth *a)
{
	/* Decided by what the base has known, not by what is left valid. */
	return a->ever == 0;
}

/* Every entry is compared, in constant time: no early exit on a match. */
void
auth_identify(const struct auth *a, const uint8_t *secret, size_t len,
    struct auth_caller *c)
{
	uint8_t	 h[32];
	size_t	 i;

	memset(c, 0, sizeof(*c));
	c->slot = -1;
	c->presented = secret != NULL && len > 0;
	if (!c->presented || len != AUTH_SECRET_LEN)
		return;
	auth_sha256(secret, len, h);
	for (i = 0; i < a->n; i++)
		if (CRYPTO_memcmp(h, a->v[i].hash, 32) == 0) {
			c->role = a->v[i].role;
			c->structures = a->v[i].structures;
			c->slot = (int)i;
		}
}

int
auth_allows(const struct auth *a, const struct auth_caller *c,
    enum auth_op op)
{
	if (auth_protected(a))
		return 1;
	return (auth_policy[op] & c->role) != 0;
}

int
auth_take(struct auth *a, const struct auth_caller *c, size_t n,
    long long rate)
{
	struct auth_entry	*e;
	struct timeval		 tv;
	double			 now, cap = 2.0 * (double)rate;

	if (rate <= 0 || c->slot < 0 || (size_t)c->slot >= a->n)
		return 1;
	e = &a->v[c->slot];
	gettimeofday(&tv, NULL);
	now = (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
	if (e->bucket < 0)
		e->bucket = cap;
	else
		e->bucket += (now - e->last) * (double)rate;
	if (e->bucket > cap)
		e->bucket = cap;
	e->last = now;
	if (e->bucket < (double)n)
		return 0;
	e->bucket -= (double)n;
	return 1;
}

enum auth_op
auth_op_of(const struct request *r)
{
	switch (r->kind) {
	case REQUEST_SUBMIT:
	case REQUEST_AMEND:
	case REQUEST_VOID:
		return AUTH_OP_WRITE;
	case REQUEST_EVIDENCE:
		return AUTH_OP_EVIDENCE;
	case REQUEST_QUERY:
		return query_is_long(&r->query) ? AUTH_OP_ADMIN :
		    query_is_own(&r->query) ? AUTH_OP_READ_OWN : AUTH_OP_READ;
	case REQUEST_STATS:
	case REQUEST_TOKEN:
		return AUTH_OP_ADMIN;
	case REQUEST_PING:
		break;
	}
	return AUTH_OP_PING;
}

static int64_t
auth_now_ms(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static char *
auth_json(json_object *o)
{
	char	*s = strdup(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

static char *
auth_fail(struct auth *a, const char **error, const char *fmt,
    const char *v)
{
	char	 quoted[64];

	/* The caller's value, cleaned and cut on a character boundary. */
	utf8_excerpt(v ? v : "", v ? strlen(v) : 0, quoted, sizeof(quoted));
	snprintf(a->error, sizeof(a->error), fmt, quoted);
	*error = a->error;
	return NULL;
}

static char *
auth_create(struct auth *a, const struct token_admin *t, const char **error)
{
	uint8_t		 secret[AUTH_SECRET_LEN], h[32];
	char		 hex[2 * AUTH_SECRET_LEN + 1], list[1024] = "";
	sqlite3_stmt	*st;
	json_object	*o;
	size_t		 i, o2 = 0;
	int		 role = auth_role_of(t->role), ok;

	if (role == AUTH_NONE)
		return auth_fail(a, error, "rôle « %s » inconnu : attendu "
		    "submitter, coordinator ou admin", t->role);
	if (role == AUTH_SUBMITTER && t->nstructures == 0)
		return auth_fail(a, error, "un jeton submitter porte au moins "
		    "une structure (--structure)%s", "");
	for (i = 0; i < t->nstructures; i++) {
		if (catalogue_word(a->cat, VOCAB_STRUCTURE,
		    t->structures[i]) < 0)
			return auth_fail(a, error, "structure « %s » inconnue",
			    t->structures[i]);
		o2 += (size_t)snprintf(list + o2, o2 < sizeof(list) ?
		    sizeof(list) - o2 : 0, "%s%s", i ? "," : "",
		    t->structures[i]);
	}
	if (RAND_bytes(secret, sizeof(secret)) != 1)
		return auth_fail(a, error, "tirage aléatoire impossible%s", "");
	auth_sha256(secret, sizeof(secret), h);
	for (i = 0; i < sizeof(secret); i++)
		snprintf(hex + 2 * i, 3, "%02x", secret[i]);
	if (sqlite3_prepare_v2(a->db, "INSERT INTO token (hash, role, "
	    "structures, label, created) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st,
	    NULL) != SQLITE_OK)
		return auth_fail(a, error, "écriture du jeton impossible%s", "");
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role == AUTH_SUBMITTER ? list : "", -1,
	    SQLITE_STATIC);
	if (t->label != NULL)
		sqlite3_bind_text(st, 4, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, auth_now_ms());
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (!ok || auth_reload(a) == -1)
		return auth_fail(a, error, "écriture du jeton impossible%s", "");
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(
	    sqlite3_last_insert_rowid(a->db)));
	json_object_object_add(o, "role", json_object_new_string(t->role));
	json_object_object_add(o, "structures", json_object_new_string(
	    role == AUTH_SUBMITTER ? list : ""));
	json_object_object_add(o, "secret", json_object_new_string(hex));
	OPENSSL_cleanse(secret, sizeof(secret));
	return auth_json(o);
}

static char *
auth_list(struct auth *a, const char **error)
{
	sqlite3_stmt	*st;
	json_object	*list = json_object_new_array(), *t;

	if (sqlite3_prepare_v2(a->db, "SELECT id, role, structures, label, "
	    "created, revoked FROM token ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK) {
		json_object_put(list);
		return auth_fail(a, error, "lecture des jetons impossible%s",
		    "");
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		t = json_object_new_object();
		json_object_object_add(t, "id",
		    json_object_new_int64(sqlite3_column_int64(st, 0)));
		json_object_object_add(t, "role", json_object_new_string(
		    (const char *)sqlite3_column_text(st, 1)));
		json_object_object_add(t, "structures", json_object_new_string(
		    (const char *)sqlite3_column_text(st, 2)));
		json_object_object_add(t, "label", sqlite3_column_type(st, 3) ==
		    SQLITE_NULL ? NULL : json_object_new_string((const char *)
		    sqlite3_column_text(st, 3)));
		json_object_object_add(t, "created_ms",
		    json_object_new_int64(sqlite3_column_int64(st, 4)));
		json_object_object_add(t, "revoked",
		    json_object_new_boolean(sqlite3_column_type(st, 5) !=
		    SQLITE_NULL));
		json_object_array_add(list, t);
	}
	sqlite3_finalize(st);
	t = json_object_new_object();
	json_object_object_add(t, "tokens", list);
	return auth_json(t);
}

static char *
auth_revoke(struct auth *a, int64_t id, const char **error)
{
	sqlite3_stmt	*st;
	json_object	*o;
	int		 changed;

	if (sqlite3_prepare_v2(a->db, "UPDATE token SET revoked = ?2 WHERE "
	    "id = ?1 AND revoked IS NULL", -1, &st, NULL) != SQLITE_OK)
		return auth_fail(a, error, "révocation impossible%s", "");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, auth_now_ms());
	sqlite3_step(st);
	sqlite3_finalize(st);
	changed = sqlite3_changes(a->db);
	if (auth_reload(a) == -1)
		return auth_fail(a, error, "révocation impossible%s", "");
	if (!changed)
		return auth_fail(a, error, "jeton inconnu ou déjà révoqué%s",
		    "");
	log_info("event=token_revoked id=%lld valid=%zu admins=%zu",
	    (long long)id, a->n, a->admins);
	auth_warn_closed(a);
	o = json_object_new_object();
	json_object_object_add(o, "revoked", json_object_new_int64(id));
	return auth_json(o);
}

char *
auth_manage(struct auth *a, const struct token_admin *t, const char **error)
{
	*error = NULL;
	if (t->action != NULL && strcmp(t->action, "create") == 0)
		return auth_create(a, t, error);
	if (t->action != NULL && strcmp(t->action, "list") == 0)
		return auth_list(a, error);
	if (t->action != NULL && strcmp(t->action, "revoke") == 0)
		return auth_revoke(a, t->id, error);
	return auth_fail(a, error, "action « %s » inconnue : attendu create, "
	    "list ou revoke", t->action);
}
