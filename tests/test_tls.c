/*
 * test_tls.c — TLS on both ports of a live ctgd: the clients verify the
 * certificate (a CA file, the address dialled), refuse one they cannot
 * trust, and HTTP answers over TLS too.
 */
#include <sys/socket.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/ssl.h>

#include "harness.h"
#include "tmpdir.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200], cert[4200], key[4200];
	char		 server_name[64];
	const char	*extra[6];
};

static int
setup(void **state)
{
	static struct ctx	 c;
	char			 cmd[16384];

	memset(&c, 0, sizeof(c));
	assert_non_null(c.dir = tmpdir_make());
	snprintf(c.out, sizeof(c.out), "%s/out.txt", c.dir);
	snprintf(c.cert, sizeof(c.cert), "%s/cert.pem", c.dir);
	snprintf(c.key, sizeof(c.key), "%s/key.pem", c.dir);
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey rsa:2048 -nodes "
	    "-keyout %s -out %s -days 2 -subj /CN=ctgd -addext "
	    "subjectAltName=IP:127.0.0.1 >%s/openssl.log 2>&1", c.key, c.cert,
	    c.dir);
	if (system(cmd) != 0)
		fail_msg("openssl could not make a certificate: %s", cmd);
	c.extra[0] = "--tls-cert";
	c.extra[1] = c.cert;
	c.extra[2] = "--tls-key";
	c.extra[3] = c.key;
	c.extra[4] = NULL;
	daemon_start(&c.d, c.dir, c.extra);
	setenv("CTG_CA", c.cert, 1);
	setenv("CTG_TLS", "1", 1);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c == NULL)
		return -1;
	unsetenv("CTG_CA");
	unsetenv("CTG_TLS");
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

static void
test_clients_over_tls(void **state)
{
	struct ctx	*c = *state;
	const char	*ping[] = { "--server", c->d.server, "ping", NULL };
	const char	*add[] = { "--server", c->d.server, "add", "--action",
			    "17", "--activity", "chantier", "--date",
			    "2024-07-10", "--commune", "46201", "--structure",
			    "alsh-jeunes", "--group", "jeune:5:46201", NULL };
	const char	*query[] = { "--server", c->d.server, "--json", "sheet",
			    "17", "--from", "2024-01", "--to", "2024-12", NULL };

	assert_int_equal(tool_run(c->out, "ctg-admin", ping), 0);
	file_expect(c->out, "ctgd répond");
	assert_int_equal(tool_run(c->out, "ctg-submit", add), 0);
	file_expect(c->out, "accepté");
	assert_int_equal(tool_run(c->out, "ctg-query", query), 0);
	file_expect(c->out, "\"records\":1");
}

/* ctg-load hands its verified TLS sessions to the event loop. */
static void
test_load_over_tls(void **state)
{
	struct ctx	*c = *state;
	const char	*load[] = { "--server", c->d.server, "--connections",
			    "3", "--seconds", "1", "--batch", "3", NULL };
	char		 line[512], *text, *p;
	long long	 acked = 0;

	assert_int_equal(tool_run(c->out, "ctg-load", load), 0);
	file_last_line(c->out, line, sizeof(line));
	assert_non_null(strstr(line, " errors=0"));
	text = file_read(c->out);
	if ((p = strstr(text, " acked=")) != NULL)
		sscanf(p, " acked=%lld", &acked);
	free(text);
	assert_true(acked > 0);
	assert_true(db_int(c->d.db, "SELECT count(*) FROM record") >= acked);
}

static void
test_untrusted_refused(void **state)
{
	struct ctx	*c = *state;
	const char	*ping[] = { "--server", c->d.server, "ping", NULL };
	char		 byname[64];
	const char	*named[] = { "--server", byname, "ping", NULL };

	/* The system's authorities do not know this certificate. */
	unsetenv("CTG_CA");
	assert_int_equal(tool_run(c->out, "ctg-admin", ping), 2);
	file_expect(c->out, "TLS avec le serveur");
	setenv("CTG_CA", c->cert, 1);
	/* Dialled by a name the certificate does not carry. */
	snprintf(byname, sizeof(byname), "localhost:%d", c->d.port);
	assert_int_equal(tool_run(c->out, "ctg-admin", named), 2);
	file_expect(c->out, "TLS avec le serveur");
	/* A client that does not speak TLS gets nothing, others go on. */
	unsetenv("CTG_TLS");
	assert_int_equal(tool_run(c->out, "ctg-admin", ping), 2);
	setenv("CTG_TLS", "1", 1);
	assert_int_equal(tool_run(c->out, "ctg-admin", ping), 0);
}

static void
test_http_over_tls(void **state)
{
	struct ctx	*c = *state;
	SSL_CTX		*ctx = SSL_CTX_new(TLS_client_method());
	SSL		*ssl;
	static const char get[] = "GET /metrics HTTP/1.0\r\n\r\n";
	char		 buf[4096];
	int		 fd = raw_connect(c->d.http_port), n, got = 0;

	assert_non_null(ctx);
	assert_int_equal(SSL_CTX_load_verify_locations(ctx, c->cert, NULL), 1);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	assert_non_null(ssl = SSL_new(ctx));
	SSL_set_fd(ssl, fd);
	assert_int_equal(SSL_connect(ssl), 1);
	assert_int_equal(SSL_write(ssl, get, sizeof(get) - 1),
	    (int)sizeof(get) - 1);
	while ((n = SSL_read(ssl, buf + got, (int)sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	/* The highest version we speak, whatever the request's (RFC 9110 §2.5). */
	assert_non_null(strstr(buf, "HTTP/1.1 200"));
	assert_non_null(strstr(buf, "ctgd_records_accepted"));
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clients_over_tls),
		cmocka_unit_test(test_load_over_tls),
		cmocka_unit_test(test_untrusted_refused),
		cmocka_unit_test(test_http_over_tls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
