/*
 * ctg-rollup — a month's bilan on demand: the same files (HTML, CSV, JSON)
 * that ctgd's monthly timer writes by itself, from the same figures (the
 * month's latest rollup revision, or provisional figures while it is open).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "catalogue.h"
#include "client.h"
#include "fr.h"
#include "report.h"
#include "wire.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage : ctg-rollup [--server HOTE:PORT] --month AAAA-MM --out DOSSIER\n"
"        ctg-rollup [--server HOTE:PORT] --year AAAA --out DOSSIER\n"
"\n"
"Écrit dans DOSSIER le bilan du mois : bilan-AAAA-MM.html (imprimable,\n"
"une page par axe), bilan-AAAA-MM.csv (tableur) et bilan-AAAA-MM.json,\n"
"les mêmes fichiers que ctgd écrit chaque mois dans son dossier --reports.\n"
"Avec --year : le rapport annuel du COPIL (copil-AAAA.html, .csv, .json),\n"
"chaque fiche placée sur le calendrier 2022-2024 avec son état.\n"
"\n"
"  --server HOTE:PORT   serveur ctgd (défaut : $CTG_SERVER ou 127.0.0.1:7411)\n"
CLIENT_OPTIONS_HELP);
}

static int
fail(const char *msg)
{
	fprintf(stderr, "ctg-rollup : %s\n", msg);
	return 2;
}

int
main(int argc, char **argv)
{
	const struct catalogue	*cat;
	const char		*server = NULL, *month = NULL, *out = NULL;
	const char		*year = NULL;
	struct request		 req = { .kind = REQUEST_QUERY };
	struct client		 cl;
	struct reply		 rep;
	json_object		*doc;
	char			 err[600], of[72];
	int			 i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (i + 1 < argc && strcmp(argv[i], "--server") == 0)
			server = argv[++i];
		else if (client_option(argc, argv, &i))
			continue;
		else if (i + 1 < argc && strcmp(argv[i], "--month") == 0)
			month = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--year") == 0)
			year = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if ((month == NULL) == (year == NULL) || out == NULL) {
		usage(stderr);
		return 2;
	}
	if (year != NULL && (strlen(year) != 4 || atoi(year) < 2020))
		return fail("--year attend une année comme 2024");
	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL)
		return fail(err);
	if (year != NULL)
		req.query = (struct query){ "copil", year, NULL, NULL, 0 };
	else
		req.query = (struct query){ "rollup", month, NULL, NULL, 0 };
	if (client_connect(&cl, client_server(server), err, sizeof(err)) ==
	    -1 || client_send(&cl, &req, err, sizeof(err)) == -1 ||
	    client_recv(&cl, &rep, err, sizeof(err)) == -1) {
		client_close(&cl);
		return fail(err);
	}
	client_close(&cl);
	if (rep.kind != REPLY_DOCUMENT || rep.json == NULL ||
	    (doc = json_tokener_parse(rep.json)) == NULL) {
		snprintf(err, sizeof(err), "%s", rep.kind == REPLY_DOCUMENT &&
		    rep.document_error ? rep.document_error :
		    "réponse du serveur inattendue");
		reply_free(&rep);
		return fail(err);
	}
	reply_free(&rep);
	rc = year != NULL ? report_write_copil(cat, doc, out, err,
	    sizeof(err)) : report_write_files(cat, doc, out, 0, err,
	    sizeof(err));
	json_object_put(doc);
	if (rc == -1)
		return fail(err);
	printf("%s %s écrit dans %s\n", year ? "rapport COPIL" : "bilan",
	    year ? year : fr_of_month(month, of, sizeof(of)), out);
	return 0;
}
