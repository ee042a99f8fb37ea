/* ctg-admin — administration of ctgd: for now, its counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "client.h"
#include "wire.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage : ctg-admin [--server HOTE:PORT] stats\n"
"        ctg-admin [--server HOTE:PORT] ping\n"
"        ctg-admin [--server HOTE:PORT] verify\n"
"        ctg-admin [--server HOTE:PORT] backup FICHIER\n"
"        ctg-admin [--server HOTE:PORT] token create --role ROLE\n"
"                  [--structure MOT]... [--label TEXTE]\n"
"        ctg-admin [--server HOTE:PORT] token list | token revoke ID\n"
"\n"
"  stats   compteurs du démon : enregistrements acceptés, doublons,\n"
"          conflits, refus, connexions, octets, transactions\n"
"  ping    vérifie que le démon répond\n"
"  verify  recalcule tous les agrégats depuis les enregistrements et les\n"
"          compare à ceux tenus au fil de l'eau ; affiche les écarts et\n"
"          sort avec le code 1 s'il y en a\n"
"  backup  copie cohérente de la base dans FICHIER (nouveau, sur la\n"
"          machine de ctgd), pendant que les enregistrements arrivent\n"
"  token   jetons d'accès : create (le secret n'est affiché qu'une fois),\n"
"          list, revoke. Rôles : submitter (enregistre pour ses\n"
"          structures), coordinator (lit tout, ajoute des éléments),\n"
"          admin (jetons, sauvegardes, compteurs, vérification). Sans\n"
"          aucun jeton, ctgd n'accepte que les connexions locales.\n"
"\n"
CLIENT_OPTIONS_HELP
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

static int
print_tokens(const struct reply *rep)
{
	json_object	*doc, *list, *t;
	size_t		 i;

	if (rep->json == NULL || (doc = json_tokener_parse(rep->json)) == NULL)
		return fail(rep->document_error ? rep->document_error :
		    "réponse du serveur illisible");
	if ((t = json_object_object_get(doc, "secret")) != NULL)
		printf("jeton %s créé (%s%s%s) ; son secret, affiché cette fois "
		    "seulement :\n%s\n", json_object_get_string(
		    json_object_object_get(doc, "id")), json_object_get_string(
		    json_object_object_get(doc, "role")),
		    *json_object_get_string(json_object_object_get(doc,
		    "structures")) ? " : " : "", json_object_get_string(
		    json_object_object_get(doc, "structures")),
		    json_object_get_string(t));
	else if ((list = json_object_object_get(doc, "tokens")) != NULL)
		for (i = 0; i < json_object_array_length(list); i++) {
			t = json_object_array_get_idx(list, i);
			printf("%4s  %-12s %-30s %-20s %s\n",
			    json_object_get_string(json_object_object_get(t,
			    "id")), json_object_get_string(
			    json_object_object_get(t, "role")),
			    json_object_get_string(json_object_object_get(t,
			    "structures")), json_object_object_get(t,
			    "label") ? json_object_get_string(
			    json_object_object_get(t, "label")) : "",
			    json_object_get_boolean(json_object_object_get(t,
			    "revoked")) ? "révoqué" : "valide");
		}
	else
		printf("jeton %s révoqué\n", json_object_get_string(
		    json_object_object_get(doc, "revoked")));
	json_object_put(doc);
	return 0;
}

static int
print_backup(const struct reply *rep)
{
	json_object	*doc, *v;
	int		 rc = 0;

	if (rep->json == NULL || (doc = json_tokener_parse(rep->json)) == NULL)
		return fail(rep->document_error ? rep->document_error :
		    "réponse du serveur illisible");
	if (json_object_object_get_ex(doc, "erreur", &v))
		rc = fail(json_object_get_string(v));
	else
		printf("sauvegarde écrite : %s (%s pages)\n",
		    json_object_get_string(json_object_object_get(doc,
		    "backup")), json_object_get_string(json_object_object_get(
		    doc, "pages")));
	json_object_put(doc);
	return rc;
}

/* Verify's report: each difference on a line; 1 when there are some. */
static int
print_verify(const struct reply *rep)
{
	json_object	*doc, *rows, *r;
	size_t		 i;
	long		 n;

	if (rep->json == NULL || (doc = json_tokener_parse(rep->json)) == NULL)
		return fail(rep->document_error ? rep->document_error :
		    "réponse du serveur illisible");
	n = (long)json_object_get_int64(json_object_object_get(doc,
	    "differences"));
	rows = json_object_object_get(doc, "rows");
	for (i = 0; i < json_object_array_length(rows); i++) {
		r = json_object_array_get_idx(rows, i);
		printf("écart %s fiche=%s période=%s clés=%s : tenu %s, "
		    "recalculé %s\n",
		    json_object_get_string(json_object_object_get(r, "table")),
		    json_object_get_string(json_object_object_get(r, "sheet")),
		    json_object_get_string(json_object_object_get(r, "period")),
		    json_object_to_json_string_ext(json_object_object_get(r,
		    "keys"), JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE),
		    json_object_get_string(json_object_object_get(r, "stored")),
		    json_object_get_string(json_object_object_get(r,
		    "expected")));
	}
	if (json_object_object_get(doc, "model_differences") != NULL)
		printf("indicateurs en mémoire comparés aux agrégats stockés : "
		    "%lld écart(s)\n", (long long)json_object_get_int64(
		    json_object_object_get(doc, "model_differences")));
	printf("vérification : %lld enregistrements, %ld écart(s)\n",
	    (long long)json_object_get_int64(json_object_object_get(doc,
	    "records")), n);
	json_object_put(doc);
	return n == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct client	 cl;
	struct request	 req = { 0 };
	struct reply	 rep;
	const char	*server = NULL, *cmd = NULL, *arg = NULL;
	const char	*structures[64];
	char		*end;
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
		else if (client_option(argc, argv, &i))
			continue;
		else if (cmd != NULL && strcmp(cmd, "token") == 0 &&
		    strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			req.tokens.role = argv[++i];
		else if (cmd != NULL && strcmp(cmd, "token") == 0 &&
		    strcmp(argv[i], "--structure") == 0 && i + 1 < argc &&
		    req.tokens.nstructures < 64)
			structures[req.tokens.nstructures++] = argv[++i];
		else if (cmd != NULL && strcmp(cmd, "token") == 0 &&
		    strcmp(argv[i], "--label") == 0 && i + 1 < argc)
			req.tokens.label = argv[++i];
		else if (cmd != NULL && strcmp(cmd, "token") == 0 &&
		    req.tokens.action == NULL)
			req.tokens.action = argv[i];
		else if (cmd != NULL && strcmp(cmd, "token") == 0 &&
		    arg == NULL)
			arg = argv[i];
		else if (cmd == NULL)
			cmd = argv[i];
		else if (arg == NULL && strcmp(cmd, "backup") == 0)
			arg = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (cmd != NULL && strcmp(cmd, "stats") == 0)
		req.kind = REQUEST_STATS;
	else if (cmd != NULL && strcmp(cmd, "verify") == 0) {
		req.kind = REQUEST_QUERY;
		req.query.kind = "verify";
	} else if (cmd != NULL && strcmp(cmd, "token") == 0 &&
	    req.tokens.action != NULL) {
		req.kind = REQUEST_TOKEN;
		req.tokens.structures = structures;
		if (arg != NULL)
			req.tokens.id = strtoll(arg, &end, 10);
		if (strcmp(req.tokens.action, "revoke") == 0 && (arg == NULL ||
		    *end != '\0' || req.tokens.id <= 0))
			return fail("token revoke attend le numéro du jeton "
			    "(voir ctg-admin token list)");
	} else if (cmd != NULL && strcmp(cmd, "backup") == 0 && arg != NULL) {
		req.kind = REQUEST_QUERY;
		req.query.kind = "backup";
		req.query.key = arg;
	}
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
	else if (rep.kind == REPLY_DOCUMENT) {
		int rc = strcmp(cmd, "backup") == 0 ? print_backup(&rep) :
		    strcmp(cmd, "token") == 0 ? print_tokens(&rep) :
		    print_verify(&rep);

		reply_free(&rep);
		return rc;
	}
	else {
		snprintf(err, sizeof(err), "%s", rep.error_message ?
		    rep.error_message : "réponse inattendue du serveur");
		reply_free(&rep);
		return fail(err);
	}
	reply_free(&rep);
	return 0;
}
