/* ctg-admin — administration of ctgd: for now, its counters. */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "wire.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage : ctg-admin [--server HOTE:PORT] stats\n"
"        ctg-admin [--server HOTE:PORT] ping\n"
"\n"
"  stats   compteurs du démon : enregistrements acceptés, doublons,\n"
"          conflits, refus, connexions, octets, transactions\n"
"  ping    vérifie que le démon répond\n"
"\n"
"  --server HOTE:PORT   serveur ctgd (défaut : $CTG_SERVER ou "
"127.0.0.1:7411)\n");
}

static int
fail(const char *msg)
{
	fprintf(stderr, "ctg-admin : %s\n", msg);
	return 2;
}

static void
print_stats(const struct reply *rep)
{
	uint64_t	 commits = 0, records = 0;
	size_t		 i;

	for (i = 0; i < rep->ncounters; i++) {
		const struct counter *c = &rep->counters[i];

		printf("%-24s %14llu  %s\n", c->name,
		    (unsigned long long)c->value, c->help ? c->help : "");
		if (strcmp(c->name, "commits") == 0)
			commits = c->value;
		else if (strcmp(c->name, "commit_records") == 0)
			records = c->value;
	}
	printf("%-24s %14.1f  %s\n", "records_per_commit",
	    commits ? (double)records / (double)commits : 0.0,
	    "enregistrements par transaction (moyenne)");
}

int
main(int argc, char **argv)
{
	struct client	 cl;
	struct request	 req = { 0 };
	struct reply	 rep;
	const char	*server = NULL, *cmd = NULL;
	char		 err[600];
	int		 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			server = argv[++i];
		else if (cmd == NULL)
			cmd = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (cmd != NULL && strcmp(cmd, "stats") == 0)
		req.kind = REQUEST_STATS;
	else if (cmd != NULL && strcmp(cmd, "ping") == 0)
		req.kind = REQUEST_PING;
	else {
		usage(stderr);
		return 2;
	}
	if (client_connect(&cl, client_server(server), err, sizeof(err)) == -1)
		return fail(err);
	if (client_send(&cl, &req, err, sizeof(err)) == -1 ||
	    client_recv(&cl, &rep, err, sizeof(err)) == -1) {
		client_close(&cl);
		return fail(err);
	}
	client_close(&cl);
	if (rep.kind == REPLY_STATS)
		print_stats(&rep);
	else if (rep.kind == REPLY_PONG)
		printf("ctgd répond (%s)\n", cl.server);
	else {
		snprintf(err, sizeof(err), "réponse inattendue : %s",
		    rep.error_message ? rep.error_message : "?");
		reply_free(&rep);
		return fail(err);
	}
	reply_free(&rep);
	return 0;
}
