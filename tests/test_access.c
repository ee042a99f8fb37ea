/*
 * test_access.c — the access matrix: every role (none, a wrong token, a
 * revoked one, submitters of two structures, the coordinator, the admin)
 * against every operation, through the real clients and HTTP, each cell
 * as the policy says; and repeated bad tokens slowed down, logged once.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "tmpdir.h"
#include "wire.h"

enum role { NONE, WRONG, REVOKED, SUB_A, SUB_B, COORD, ADMIN, NROLES };

static const char *const role_names[NROLES] = { "aucun", "faux", "révoqué",
	"submitter ripe", "submitter alsh-jeunes", "coordinator", "admin" };

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200];
	char		 token[NROLES][65];
	int		 seq;
};

#define RID	"01902222-0000-7000-8000-000000000001"

/* ctg-admin token create ... as admin; the secret is the last line. */
static void
create(struct ctx *c, const char *as, enum role r, const char *role,
    const char *structure)
{
	if (as != NULL)
		setenv("CTG_TOKEN", as, 1);
	else
		unsetenv("CTG_TOKEN");
	token_create(&c->d, c->out, role, structure, c->token[r]);
}

static int
start(void **state, const char *const *extra)
{
	static struct ctx	 c;
	const char		*revoke[] = { "--server", NULL, "token",
				    "revoke", "5", NULL };

	memset(&c, 0, sizeof(c));
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), extra);
	/* Protected mode: the first admin token comes from a local client. */
	create(&c, NULL, ADMIN, "admin", NULL);
	create(&c, c.token[ADMIN], SUB_A, "submitter", "ripe");
	create(&c, c.token[ADMIN], SUB_B, "submitter", "alsh-jeunes");
	create(&c, c.token[ADMIN], COORD, "coordinator", NULL);
	create(&c, c.token[ADMIN], REVOKED, "coordinator", NULL);	/* 5 */
	revoke[1] = c.d.server;
	setenv("CTG_TOKEN", c.token[ADMIN], 1);
	assert_int_equal(tool_run(c.out, "ctg-admin", revoke), 0);
	memset(c.token[WRONG], 'a', 64);
	*state = &c;
	return 0;
}

static int
setup(void **state)
{
	return start(state, NULL);
}

static int
setup_limited(void **state)
{
	static const char *const extra[] = { "--rate-limit", "50", NULL };

	return start(state, extra);
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;
	unsetenv("CTG_TOKEN");
	unsetenv("CTG_OUTBOX");
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* Runs a tool as role r (own outbox): its exit status. */
static int
as(struct ctx *c, enum role r, const char *tool, const char *const *args)
{
	char	 box[4300];

	if (r == NONE)
		unsetenv("CTG_TOKEN");
	else
		setenv("CTG_TOKEN", c->token[r], 1);
	snprintf(box, sizeof(box), "%s/outbox-%d.db", c->dir, (int)r);
	setenv("CTG_OUTBOX", box, 1);
	return tool_run(c->out, tool, args);
}

static int
op_submit(struct ctx *c, enum role r)
{
	char		 id[64];
	const char	*args[] = { "--server", c->d.server, "add", "--service",
			    "--id", id,
			    "--activity", "animation", "--date", "2024-05-02",
			    "--commune", "46201", "--structure", "ripe",
			    "--group", "enfant-0-6:4:46201", NULL };

	snprintf(id, sizeof(id), "01902222-0000-7000-8000-0000000001%02d",
	    ++c->seq);
	return as(c, r, "ctg-submit", args) == 0;
}

static int
op_amend(struct ctx *c, enum role r)
{
	char		 n[32];
	const char	*args[] = { "--server", c->d.server, "amend", "--id", RID,
			    "--activity", "animation", "--date", "2024-05-02",
			    "--commune", "46201", "--structure", "ripe",
			    "--group", n, NULL };

	snprintf(n, sizeof(n), "enfant:%d:46201", ++c->seq);
	return as(c, r, "ctg-submit", args) == 0;
}

static int
op_evidence(struct ctx *c, enum role r)
{
	const char	*args[] = { "--server", c->d.server, "evidence",
			    "--indicator", "I.B.6/res/2", "--date", "2024-03-01",
			    "--state", "en cours", "--text", "Étude", NULL };

	return as(c, r, "ctg-submit", args) == 0;
}

static int
op_query(struct ctx *c, enum role r)
{
	const char	*args[] = { "--server", c->d.server, "--json", "sheet",
			    "1", NULL };

	return as(c, r, "ctg-query", args) == 0;
}

/* A structure's latest records: its own submitters, the coordinator. */
static int
op_recent(struct ctx *c, enum role r)
{
	const char	*args[] = { "--server", c->d.server, "recent", "RIPE",
			    NULL };

	return as(c, r, "ctg-query", args) == 0;
}

/*
 * An HTTP request as role r (its token in the Authorization header): the
 * status, and the answer's body in buf. Only 200, 401, 403 and, for
 * another structure's record, 404 are expected.
 */
static int
http_as(struct ctx *c, enum role r, const char *method, const char *path,
    const char *body, char *buf, size_t buflen)
{
	char	 req[2048], *end;
	ssize_t	 n;
	size_t	 got = 0;
	int	 fd = raw_connect(c->d.http_port), status = 0;

	snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\n%s%s%s"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	    method, path, r == NONE ? "" : "Authorization: Bearer ",
	    r == NONE ? "" : c->token[r], r == NONE ? "" : "\r\n",
	    body ? strlen(body) : 0, body ? body : "");
	raw_send(fd, req, strlen(req));
	while (got < buflen - 1 && (n = recv(fd, buf + got, buflen - 1 - got,
	    0)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	sscanf(buf, "HTTP/1.%*d %d", &status);
	close(fd);
	if (status != 200 && status != 401 && status != 403 && status != 404)
		fail_msg("HTTP %s %s: status %d for %s: %s", method, path,
		    status, role_names[r], buf);
	if ((end = strstr(buf, "\r\n\r\n")) != NULL)
		memmove(buf, end + 4, strlen(end + 4) + 1);
	return status;
}

/* A read through the API: allowed when it answers 200. */
static int
op_http_get(struct ctx *c, enum role r, const char *path)
{
	static char	 buf[256 * 1024];

	return http_as(c, r, "GET", path, NULL, buf, sizeof(buf)) == 200;
}

static int op_http(struct ctx *c, enum role r) { return op_http_get(c, r, "/api/v1/sheets/1"); }
static int op_http_own(struct ctx *c, enum role r) { return op_http_get(c, r, "/api/v1/structures/ripe/records"); }
/* One record's revisions: its structure's submitters, the readers. */
static int op_http_revisions(struct ctx *c, enum role r) { return op_http_get(c, r, "/api/v1/records/" RID); }
static int op_http_session(struct ctx *c, enum role r) { return op_http_get(c, r, "/api/v1/session"); }
static int op_http_plan(struct ctx *c, enum role r) { return op_http_get(c, r, "/api/v1/plan"); }

/* A write through the API: allowed when it is acked accepted. */
static int
op_http_write(struct ctx *c, enum role r, const char *path,
    const char *body)
{
	char	 buf[8192];

	return http_as(c, r, "POST", path, body, buf, sizeof(buf)) == 200 &&
	    strstr(buf, "\"status\":\"accepted\"") != NULL;
}

static int
op_http_submit(struct ctx *c, enum role r)
{
	char	 body[1024];

	snprintf(body, sizeof(body), "{\"id\": \"01902222-0000-7000-8000-"
	    "0000000002%02d\", \"sheets\": [\"I.A.1\"], \"activity\": "
	    "\"animation\", \"date\": \"2024-05-03\", \"commune\": \"46201\", "
	    "\"structure\": \"ripe\", \"groups\": [{\"category\": \"ama\", "
	    "\"residence\": \"46201\", \"count\": 3}]}", ++c->seq);
	return op_http_write(c, r, "/api/v1/records", body);
}

static int
op_http_amend(struct ctx *c, enum role r)
{
	char	 body[1024];

	snprintf(body, sizeof(body), "{\"activity\": \"animation\", \"date\": "
	    "\"2024-05-02\", \"commune\": \"46201\", \"structure\": \"ripe\", "
	    "\"groups\": [{\"category\": \"enfant\", \"count\": %d}]}",
	    ++c->seq);
	return op_http_write(c, r, "/api/v1/records/" RID "/amend", body);
}

static int
op_http_evidence(struct ctx *c, enum role r)
{
	char	 body[1024];

	snprintf(body, sizeof(body), "{\"id\": \"01903333-0000-7000-8000-"
	    "0000000000%02d\", \"indicator\": \"I.B.6/res/2\", \"date\": "
	    "\"2024-03-01\", \"state\": \"en cours\", \"text\": \"Étude\"}",
	    ++c->seq);
	return op_http_write(c, r, "/api/v1/evidence", body);
}

static int
op_admin(struct ctx *c, enum role r, const char *cmd, const char *arg)
{
	char		 path[4300];
	const char	*args[] = { "--server", c->d.server, cmd, arg, NULL };

	if (arg != NULL && strcmp(arg, "BACKUP") == 0) {
		snprintf(path, sizeof(path), "%s/sauvegarde-%d-%d.db", c->dir,
		    (int)r, ++c->seq);
		args[3] = path;
	}
	return as(c, r, "ctg-admin", args) == 0;
}

static int op_stats(struct ctx *c, enum role r) { return op_admin(c, r, "stats", NULL); }
static int op_verify(struct ctx *c, enum role r) { return op_admin(c, r, "verify", NULL); }
static int op_backup(struct ctx *c, enum role r) { return op_admin(c, r, "backup", "BACKUP"); }
static int op_tokens(struct ctx *c, enum role r) { return op_admin(c, r, "token", "list"); }
static int op_ping(struct ctx *c, enum role r) { return op_admin(c, r, "ping", NULL); }

/* The policy, cell by cell: 1 allowed, 0 refused. */
static const struct {
	const char	*name;
	int		(*run)(struct ctx *, enum role);
	int		 allowed[NROLES];	/* NONE .. ADMIN */
} matrix[] = {
	{ "submit (ripe)", op_submit,	{ 0, 0, 0, 1, 0, 0, 0 } },
	{ "amend (ripe)", op_amend,	{ 0, 0, 0, 1, 0, 0, 0 } },
	{ "evidence", op_evidence,	{ 0, 0, 0, 0, 0, 1, 0 } },
	{ "query", op_query,		{ 0, 0, 0, 0, 0, 1, 1 } },
	{ "recent (ripe)", op_recent,	{ 0, 0, 0, 1, 0, 1, 1 } },
	{ "http", op_http,		{ 0, 0, 0, 0, 0, 1, 1 } },
	{ "http submit (ripe)", op_http_submit, { 0, 0, 0, 1, 0, 0, 0 } },
	{ "http amend (ripe)", op_http_amend, { 0, 0, 0, 1, 0, 0, 0 } },
	{ "http evidence", op_http_evidence, { 0, 0, 0, 0, 0, 1, 0 } },
	{ "http own records", op_http_own, { 0, 0, 0, 1, 0, 1, 1 } },
	{ "http revisions", op_http_revisions, { 0, 0, 0, 1, 0, 1, 1 } },
	{ "http session", op_http_session, { 0, 0, 0, 1, 1, 1, 1 } },
	{ "http plan", op_http_plan,	{ 0, 0, 0, 1, 1, 1, 1 } },
	{ "stats", op_stats,		{ 0, 0, 0, 0, 0, 0, 1 } },
	{ "verify", op_verify,		{ 0, 0, 0, 0, 0, 0, 1 } },
	{ "backup", op_backup,		{ 0, 0, 0, 0, 0, 0, 1 } },
	{ "tokens", op_tokens,		{ 0, 0, 0, 0, 0, 0, 1 } },
	{ "ping", op_ping,		{ 0, 0, 0, 1, 1, 1, 1 } },
};

static void
test_matrix(void **state)
{
	struct ctx	*c = *state;
	const char	*first[] = { "--server", c->d.server, "add", "--service",
			    "--id", RID,
			    "--activity", "animation", "--date", "2024-05-02",
			    "--commune", "46201", "--structure", "ripe",
			    "--group", "enfant-0-6:4:46201", NULL };
	size_t		 i;
	int		 r, got, bad = 0;

	/* The record every role then tries to amend. */
	assert_int_equal(as(c, SUB_A, "ctg-submit", first), 0);
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		for (r = 0; r < NROLES; r++) {
			got = matrix[i].run(c, (enum role)r);
			if (got != matrix[i].allowed[r]) {
				print_message("%s as %s: %s, expected %s\n",
				    matrix[i].name, role_names[r], got ?
				    "allowed" : "refused",
				    matrix[i].allowed[r] ? "allowed" :
				    "refused");
				bad++;
			}
		}
	assert_int_equal(bad, 0);
	/* The refusals say why. */
	op_submit(c, NONE);
	file_expect(c->out, "ce serveur demande un jeton");
	op_query(c, REVOKED);
	file_expect(c->out, "jeton inconnu ou révoqué");
	op_amend(c, SUB_B);
	file_expect(c->out, "n'est pas l'une de celles de votre jeton");
	/* Claiming its own structure does not take another's record. */
	{
		const char *steal[] = { "--server", c->d.server, "amend",
		    "--id", RID, "--activity", "animation", "--date",
		    "2024-05-02", "--commune", "46201", "--structure",
		    "alsh-jeunes", "--group", "jeune:1:46201", NULL };
		const char *takeaway[] = { "--server", c->d.server, "void",
		    "--id", RID, "--reason", "essai", NULL };

		assert_int_equal(as(c, SUB_B, "ctg-submit", steal), 1);
		file_expect(c->out, "identifiant hors de vos "
		    "enregistrements");
		assert_int_equal(as(c, SUB_B, "ctg-submit", takeaway), 1);
		file_expect(c->out, "identifiant hors de vos "
		    "enregistrements");
	}
	op_stats(c, COORD);
	file_expect(c->out, "le rôle de votre jeton ne permet pas");
	/* Over HTTP too; another structure's record is not told to exist. */
	{
		char	 buf[8192];

		assert_int_equal(http_as(c, SUB_B, "GET", "/api/v1/records/"
		    RID, NULL, buf, sizeof(buf)), 404);
		assert_non_null(strstr(buf, "inconnu"));
		assert_int_equal(http_as(c, COORD, "POST", "/api/v1/records",
		    "{}", buf, sizeof(buf)), 403);
		assert_non_null(strstr(buf, "le rôle de votre jeton ne permet "
		    "pas d'enregistrer des activités"));
		assert_int_equal(http_as(c, NONE, "POST", "/api/v1/records",
		    "{}", buf, sizeof(buf)), 401);
		assert_non_null(strstr(buf, "ce serveur demande un jeton"));
		op_http_amend(c, SUB_B);
		assert_int_equal(http_as(c, SUB_B, "POST", "/api/v1/records/"
		    RID "/void", "{\"reason\": \"essai\"}", buf, sizeof(buf)),
		    200);
		assert_non_null(strstr(buf, "\"status\":\"refused\""));
		assert_non_null(strstr(buf, "identifiant hors de vos "
		    "enregistrements"));
		assert_int_equal(http_as(c, SUB_B, "GET",
		    "/api/v1/structures/ripe/records", NULL, buf, sizeof(buf)),
		    403);
		/*
		 * No oracle: ripe's id resubmitted under alsh-jeunes, an
		 * amend of ripe's record and one of an id no record has are
		 * told the same words.
		 */
		{
			static const char body[] = "{\"id\": \"%s\", "
			    "\"activity\": \"chantier\", \"date\": "
			    "\"2024-05-02\", \"commune\": \"46201\", "
			    "\"structure\": \"alsh-jeunes\", \"groups\": "
			    "[{\"category\": \"jeune\", \"count\": 2}]}";
			static const char *const ids[] = { RID,
			    "01909999-0000-7000-8000-000000000001" };
			char	 b[1024], path[128], seen[3][8192];
			int	 k;

			snprintf(b, sizeof(b), body, RID);
			http_as(c, SUB_B, "POST", "/api/v1/records", b,
			    seen[0], sizeof(seen[0]));
			for (k = 0; k < 2; k++) {
				snprintf(path, sizeof(path),
				    "/api/v1/records/%s/amend", ids[k]);
				snprintf(b, sizeof(b), body, ids[k]);
				http_as(c, SUB_B, "POST", path, b, seen[k + 1],
				    sizeof(seen[k + 1]));
			}
			for (k = 0; k < 3; k++) {
				/* The reason, without the id it names. */
				char	*r = strstr(seen[k], "\"reason\"");

				assert_non_null(r);
				memmove(seen[k], r, strlen(r) + 1);
				assert_non_null(strstr(seen[k], "identifiant "
				    "hors de vos enregistrements"));
				assert_string_equal(seen[k], seen[0]);
			}
		}
		assert_int_equal(http_as(c, SUB_B, "GET", "/api/v1/session",
		    NULL, buf, sizeof(buf)), 200);
		assert_non_null(strstr(buf, "\"role\":\"submitter\""));
		assert_non_null(strstr(buf, "\"structures\":[\"alsh-jeunes\"]"));
	}
	/* The secret is never stored: only its hash. */
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM token WHERE "
	    "length(hash) = 32"), 5);
}

/* Many bad tokens on one connection: slower and slower, logged once. */
static void
test_bad_tokens_slowed(void **state)
{
	struct ctx	*c = *state;
	struct request	 req = { .kind = REQUEST_PING };
	struct reply	 rep;
	struct timeval	 t0, t1;
	uint8_t		 wrong[32];
	char		*log, *p;
	int		 fd, i, lines = 0;

	memset(wrong, 0x42, sizeof(wrong));
	req.token = wrong;
	req.token_len = sizeof(wrong);
	gettimeofday(&t0, NULL);
	/* A fresh connection per try, as a brute-forcer would. */
	for (i = 0; i < 8; i++) {
		fd = raw_connect(c->d.port);
		req.seq = (uint64_t)i + 1;
		raw_send_request(fd, &req);
		assert_int_equal(raw_recv(fd, &rep, 10000), 0);
		assert_int_equal(rep.kind, REPLY_ERROR);
		assert_string_equal(rep.error_code, "forbidden");
		reply_free(&rep);
		/* Answered, then closed: it holds no slot. */
		assert_true(raw_wait_eof(fd, 5000));
		close(fd);
	}
	gettimeofday(&t1, NULL);
	/* After the fourth: 100, 200, 300, 400 ms before the next is read. */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_usec - t0.tv_usec) / 1000 >= 900);
	log = file_read(c->d.log);
	for (p = log; (p = strstr(p, "event=auth_failed")) != NULL; p++)
		lines++;
	free(log);
	assert_int_equal(lines, 1);
	assert_true(daemon_answers_ping_as(&c->d, c->token[ADMIN]));
}

/* --rate-limit 50: a burst of 100 records, then 50 a second. */
static void
test_rate_limit(void **state)
{
	struct ctx	*c = *state;
	struct record	 r[40];
	struct group	 g[40];
	uint8_t		 ids[40][16], secret[32];
	struct request	 req = { .kind = REQUEST_SUBMIT, .records = r,
			    .nrecords = 40 };
	struct reply	 rep;
	unsigned	 byte;
	int		 fd = raw_connect(c->d.port), i, k, kinds[3];

	for (i = 0; i < 32; i++) {
		sscanf(c->token[SUB_A] + 2 * i, "%2x", &byte);
		secret[i] = (uint8_t)byte;
	}
	req.token = secret;
	req.token_len = sizeof(secret);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < 40; k++) {
			memset(ids[k], 0, 16);
			ids[k][0] = 1;
			ids[k][6] = 0x70;
			ids[k][14] = (uint8_t)i;
			ids[k][15] = (uint8_t)k;
			g[k] = (struct group){ "parent", "46201", 2, 1, NULL,
			    0 };
			r[k] = (struct record){ .id = ids[k], .id_len = 16,
			    .activity = "animation", .date = "2024-05-02",
			    .commune = "46201", .structure = "ripe",
			    .groups = &g[k], .ngroups = 1 };
		}
		req.seq = (uint64_t)i + 1;
		raw_send_request(fd, &req);
		assert_int_equal(raw_recv(fd, &rep, 5000), 0);
		kinds[i] = rep.kind;
		if (rep.kind == REPLY_ERROR)
			assert_string_equal(rep.error_code, "rate_limited");
		reply_free(&rep);
	}
	/* 40 + 40 fit in the burst; the third 40 must wait. */
	assert_int_equal(kinds[0], REPLY_SUBMIT);
	assert_int_equal(kinds[1], REPLY_SUBMIT);
	assert_int_equal(kinds[2], REPLY_ERROR);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 80);
	/* A second later the bucket holds 50 again. */
	sleep(1);
	req.seq = 9;
	raw_send_request(fd, &req);
	assert_int_equal(raw_recv(fd, &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_SUBMIT);
	assert_int_equal(rep.acks[0].status, ACK_ACCEPTED);
	reply_free(&rep);
	close(fd);
}

/*
 * Revoking every token leaves ctgd closed, not open: no token, the
 * revoked admin, even a local client are refused, and the log says so.
 * The way back is on the machine: ctgd stopped, ctgd --new-admin-token.
 */
static void
test_revoke_all(void **state)
{
	struct ctx	*c = *state;
	const char	*revoke[] = { "--server", c->d.server, "token", "revoke",
			    NULL, NULL };
	const char	*make[] = { "--db", c->d.db, "--new-admin-token",
			    "reprise en main", NULL };
	const char	*list[] = { "--server", NULL, "token", "list", NULL };
	char		 id[8], line[256], buf[8192];
	int		 i;

	for (i = 4; i >= 1; i--) {	/* 5 was revoked at the start; 1, the admin, last */
		snprintf(id, sizeof(id), "%d", i);
		revoke[4] = id;
		assert_int_equal(as(c, ADMIN, "ctg-admin", revoke), 0);
	}
	file_expect(c->d.log, "event=closed");
	assert_false(op_stats(c, ADMIN));
	assert_false(op_stats(c, NONE));
	assert_false(op_ping(c, NONE));
	assert_int_equal(http_as(c, NONE, "GET", "/metrics", NULL, buf,
	    sizeof(buf)), 401);
	/* A local client without a token cannot make itself admin. */
	unsetenv("CTG_TOKEN");
	assert_int_not_equal(tool_run(c->out, "ctg-admin", (const char *[]){
	    "--server", c->d.server, "token", "create", "--role", "admin",
	    NULL }), 0);
	assert_int_equal(daemon_stop(&c->d), 0);
	assert_int_equal(tool_run(c->out, "ctgd", make), 0);
	file_last_line(c->out, line, sizeof(line));
	assert_int_equal(strlen(line), 64);
	memcpy(c->token[ADMIN], line, 65);
	daemon_start(&c->d, c->dir, NULL);
	list[1] = c->d.server;
	assert_int_equal(as(c, ADMIN, "ctg-admin", list), 0);
	file_expect(c->out, "reprise en main");
	assert_true(op_stats(c, ADMIN));
}

/*
 * Keep-alive connections without a token, each answered 401, do not hold
 * the HTTP connection cap: a 401 closes its connection, and a token then
 * gets in at once.
 */
static void
test_http_401_closes(void **state)
{
	struct ctx	*c = *state;
	static const char req[] = "GET /api/v1/sheets HTTP/1.1\r\nHost: x\r\n"
			    "\r\n";
	int		 fd[32], i, closed = 0;
	char		 buf[4096];

	/* The default cap per address (the global one is larger). */
	for (i = 0; i < 32; i++) {
		fd[i] = raw_connect(c->d.http_port);
		raw_send(fd[i], req, sizeof(req) - 1);
	}
	for (i = 0; i < 32; i++) {
		/* The 401, then the end of the connection. */
		struct pollfd	 p = { .fd = fd[i], .events = POLLIN };
		size_t		 got = 0;
		ssize_t		 n = 1;

		while (n > 0 && poll(&p, 1, 5000) == 1 && (n = recv(fd[i],
		    buf + got, sizeof(buf) - 1 - got, 0)) > 0)
			got += (size_t)n;
		buf[got] = '\0';
		assert_non_null(strstr(buf, "HTTP/1.1 401"));
		closed += n == 0;
		close(fd[i]);
	}
	assert_int_equal(closed, 32);
	assert_int_equal(http_as(c, ADMIN, "GET", "/api/v1/sheets", NULL, buf,
	    sizeof(buf)), 200);
}

static int
setup_small(void **state)
{
	static const char *const extra[] = { "--max-connections", "100",
	    "--max-connections-per-address", "1000", "--auth-timeout", "2",
	    NULL };

	return start(state, extra);
}

static int
setup_per_address(void **state)
{
	static const char *const extra[] = { "--max-connections-per-address",
	    "5", NULL };

	return start(state, extra);
}

/*
 * Abuse without a token never keeps a valid token out: the table full
 * of idle connections (the oldest unauthenticated one makes room), a
 * flood of wrong tokens (each answered and closed), and idle connections
 * that never show a token closed after --auth-timeout.
 */
static void
test_floods(void **state)
{
	struct ctx	*c = *state;
	struct request	 req = { .kind = REQUEST_PING, .seq = 1 };
	struct reply	 rep;
	uint8_t		 wrong[32];
	int		 idle[150], fd, i;

	for (i = 0; i < 150; i++)	/* the table holds 100 */
		idle[i] = raw_connect(c->d.port);
	assert_true(daemon_answers_ping_as(&c->d, c->token[ADMIN]));
	memset(wrong, 0x17, sizeof(wrong));
	req.token = wrong;
	req.token_len = sizeof(wrong);
	for (i = 0; i < 300; i++) {
		fd = raw_connect(c->d.port);
		raw_send_request(fd, &req);
		close(fd);
	}
	assert_true(daemon_answers_ping_as(&c->d, c->token[ADMIN]));
	/* Unauthenticated and idle: gone after 2 s, seconds, not minutes. */
	fd = raw_connect(c->d.port);
	assert_true(raw_wait_eof(fd, 6000));
	close(fd);
	for (i = 0; i < 150; i++)
		close(idle[i]);
	/* A valid token keeps its connection past --auth-timeout. */
	fd = raw_connect(c->d.port);
	{
		uint8_t		 secret[32];
		unsigned	 byte;

		for (i = 0; i < 32; i++) {
			sscanf(c->token[ADMIN] + 2 * i, "%2x", &byte);
			secret[i] = (uint8_t)byte;
		}
		req.token = secret;
		raw_send_request(fd, &req);
		assert_int_equal(raw_recv(fd, &rep, 5000), 0);
		assert_int_equal(rep.kind, REPLY_PONG);
		reply_free(&rep);
		assert_false(raw_wait_eof(fd, 3000));
		req.seq = 2;
		raw_send_request(fd, &req);
		assert_int_equal(raw_recv(fd, &rep, 5000), 0);
		assert_int_equal(rep.kind, REPLY_PONG);
		reply_free(&rep);
	}
	close(fd);
	file_expect(c->d.log, "reason=evicted_unauthenticated");
}

/* A ping on fd with the token (64 hex digits); 1 when answered. */
static int
ping_on(int fd, const char *token, uint64_t seq)
{
	struct request	 req = { .kind = REQUEST_PING, .seq = seq };
	struct reply	 rep;
	uint8_t		 secret[32];
	unsigned	 byte;
	int		 i, ok;

	for (i = 0; i < 32; i++) {
		sscanf(token + 2 * i, "%2x", &byte);
		secret[i] = (uint8_t)byte;
	}
	req.token = secret;
	req.token_len = sizeof(secret);
	raw_send_request(fd, &req);
	if (raw_recv(fd, &rep, 5000) != 0)
		return 0;
	ok = rep.kind == REPLY_PONG;
	reply_free(&rep);
	return ok;
}

/*
 * --max-connections-per-address 5. Idle connections without a token
 * from one address never keep a token holder behind that address out:
 * the oldest of them makes room. Five connections that showed a token
 * hold the address's share: the sixth is told, whatever it carries.
 */
static void
test_per_address(void **state)
{
	struct ctx	*c = *state;
	struct reply	 rep;
	int		 fd[6], i;

	for (i = 0; i < 5; i++)
		fd[i] = raw_connect(c->d.port);
	assert_true(daemon_answers_ping_as(&c->d, c->token[ADMIN]));
	assert_true(raw_wait_eof(fd[0], 2000));	/* the oldest made room */
	for (i = 0; i < 5; i++) {
		close(fd[i]);
		fd[i] = raw_connect(c->d.port);
		assert_true(ping_on(fd[i], c->token[ADMIN], (uint64_t)i + 1));
	}
	fd[5] = raw_connect(c->d.port);
	assert_int_equal(raw_recv(fd[5], &rep, 5000), 0);
	assert_int_equal(rep.kind, REPLY_ERROR);
	assert_string_equal(rep.error_code, "too_many_connections");
	assert_non_null(strstr(rep.error_message, "depuis votre adresse"));
	reply_free(&rep);
	for (i = 0; i < 5; i++)
		assert_true(ping_on(fd[i], c->token[ADMIN], 10));
	for (i = 0; i < 6; i++)
		close(fd[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_matrix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_all, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_http_401_closes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_tokens_slowed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup_limited,
		    teardown),
		cmocka_unit_test_setup_teardown(test_floods, setup_small,
		    teardown),
		cmocka_unit_test_setup_teardown(test_per_address,
		    setup_per_address, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
