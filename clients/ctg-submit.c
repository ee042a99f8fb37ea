/*
 * ctg-submit — records activities in ctgd: one record from flags, or a
 * whole spreadsheet (import format v1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "client.h"
#include "csv.h"
#include "import.h"
#include "outbox.h"
#include "person.h"
#include "submit.h"
#include "uuid.h"
#include "wire.h"

struct opts {
	const char		*server;
	const char		*key;
	const char		*outbox;
	int			 quiet;
	struct submit_options	 so;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage : ctg-submit [options] add --activity MOT --date AAAA-MM-JJ\n"
"                   --commune INSEE --structure MOT [options du record]\n"
"        ctg-submit [options] import FICHIER.csv   (- : l'entrée standard)\n"
"        ctg-submit [options] amend --id UUID [options du record]\n"
"        ctg-submit [options] void --id UUID --reason TEXTE\n"
"        ctg-submit [options] evidence --indicator ID --date AAAA-MM-JJ\n"
"                   --state \"en cours\"|réalisé --text TEXTE [--reference REF]\n"
"        ctg-submit [options] flush\n"
"        ctg-submit [options] status\n"
"\n"
"Envoie à ctgd les enregistrements d'activité ; chacun n'est compté qu'une "
"fois.\n"
"\n"
"Options :\n"
"  --server HOTE:PORT   serveur ctgd (défaut : $CTG_SERVER ou 127.0.0.1:7411)\n"
"  --key FICHIER        clé de pseudonymisation des personnes (défaut :\n"
"                       $CTG_KEY_FILE ou ~/.config/ctg/personnes.key, créée\n"
"                       au premier usage)\n"
CLIENT_OPTIONS_HELP
"  --outbox FICHIER     boîte d'envoi (défaut : $CTG_OUTBOX ou\n"
"                       ~/.local/share/ctg/outbox.db)\n"
"  --batch N            enregistrements par requête (défaut : 256)\n"
"  --window N           requêtes en vol (défaut : 8)\n"
"  -q, --quiet          import : n'afficher que les lignes non acceptées\n"
"  -h, --help           cette aide\n"
"\n"
"Options du record (add) :\n"
"  --id UUID            identifiant (défaut : un UUIDv7 nouveau)\n"
"  --action CODE        fiche action servie (III.A.17 ou 17), répétable\n"
"  --activity MOT       accueil, animation, reunion, atelier, chantier...\n"
"  --date AAAA-MM-JJ    date de l'activité\n"
"  --commune INSEE      commune où l'activité a eu lieu\n"
"  --structure MOT      ripe, alsh-montcuq, alsh-jeunes, evs-3e-lieu...\n"
"  --group CAT:N[:INSEE]      N participants de la catégorie CAT, résidant\n"
"                             dans la commune INSEE (vide : inconnue)\n"
"  --person CAT:ID[:INSEE]    une personne, identifiée localement par ID\n"
"  --partner NOM        partenaire, répétable\n"
"  --title TEXTE        intitulé\n"
"\n"
"amend remplace tout le contenu d'un enregistrement par une nouvelle\n"
"révision (redonnez tous les champs) ; void l'annule, avec un motif ; les\n"
"révisions restent consultables (ctg-query revisions UUID). evidence\n"
"ajoute un élément daté à un indicateur (qualitatif surtout), avec --id\n"
"pour le renvoyer sans doublon.\n"
"\n"
"Import : CSV UTF-8, « ; » entre les champs, en-tête\n"
"  record_id;action;activity;date;commune;structure;category;residence;"
"count;partners;title;person\n"
"et une ligne par groupe de participants. La dernière ligne affichée\n"
"compte les enregistrements : accepted=N duplicate=N conflict=N refused=N.\n"
"\n"
"Boîte d'envoi : add et import gardent d'abord chaque enregistrement dans\n"
"un fichier local, et ne l'en retirent qu'une fois la réponse de ctgd\n"
"reçue. Si ctgd est injoignable, les enregistrements y restent : le\n"
"prochain envoi, ou flush, les envoie ; status les liste. Renvoyer n'est\n"
"jamais compter deux fois.\n"
"\n"
"Sortie : 0 si tout est accepté ou déjà enregistré, 1 si un enregistrement\n"
"est refusé ou en conflit, 2 en cas d'erreur d'usage, de fichier ou de "
"connexion,\n3 quand ctgd est injoignable et que les enregistrements sont "
"gardés pour plus tard.\n");
}

static void
die(const char *msg)
{
	fprintf(stderr, "ctg-submit : %s\n", msg);
	exit(2);
}

/* The built-in catalogue: sheet numbers are sent as their codes. */
static const struct catalogue *
builtin(void)
{
	const struct catalogue	*c;
	char			 err[512];

	if ((c = catalogue_builtin(err, sizeof(err))) == NULL)
		die(err);
	return c;
}

static int
parse_size(const char *v, size_t lo, size_t hi, size_t *out)
{
	char		*end;
	long long	 n = strtoll(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < (long long)lo ||
	    n > (long long)hi)
		return -1;
	*out = (size_t)n;
	return 0;
}

/* Counts statuses over the items; refused includes client-side refusals. */
static void
summary(const struct import_item *items, size_t n, size_t *unanswered,
    int *bad)
{
	size_t	 c[5] = { 0 }, i;

	*unanswered = 0;
	for (i = 0; i < n; i++) {
		if (items[i].error != NULL)
			c[ACK_REFUSED]++;
		else if (items[i].status == 0)
			(*unanswered)++;
		else
			c[items[i].status]++;
	}
	printf("accepted=%zu duplicate=%zu conflict=%zu refused=%zu\n",
	    c[ACK_ACCEPTED], c[ACK_DUPLICATE], c[ACK_CONFLICT], c[ACK_REFUSED]);
	*bad = c[ACK_CONFLICT] + c[ACK_REFUSED] > 0;
}

static void
item_line(const char *where, const struct import_item *it)
{
	char	 id[UUID_TEXT_LEN + 1];

	if (it->error != NULL) {
		printf("%s : refusé : %s\n", where, it->error);
		return;
	}
	if (it->status == 0) {
		printf("%s : sans réponse du serveur\n", where);
		return;
	}
	uuid_format(it->id, id);
	if (it->reason != NULL)
		printf("%s : %s (%s) : %s\n", where,
		    ack_status_label(it->status), id, it->reason);
	else
		printf("%s : %s (%s)\n", where, ack_status_label(it->status),
		    id);
}

static int
finish(const struct opts *o, struct import *im, int sent_ok,
    const char *err)
{
	size_t	 i, unanswered;
	int	 bad;
	char	 where[32];

	for (i = 0; i < im->nrows; i++) {
		const struct import_item *it = &im->items[im->row_item[i]];

		if (o->quiet && it->error == NULL &&
		    (it->status == ACK_ACCEPTED || it->status == ACK_DUPLICATE))
			continue;
		snprintf(where, sizeof(where), "ligne %zu", im->row_line[i]);
		item_line(where, it);
	}
	summary(im->items, im->nitems, &unanswered, &bad);
	if (!sent_ok) {
		fprintf(stderr, "ctg-submit : %s ; %zu enregistrement(s) sans "
		    "acquittement : relancez le même import, rien ne sera "
		    "compté deux fois\n", err, unanswered);
		return 2;
	}
	return bad ? 1 : 0;
}

/* The whole file, or standard input for "-", read to its end. */
static char *
read_file(const char *path, size_t *len)
{
	FILE	*f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char	*buf = NULL, *p, msg[600];
	size_t	 cap = 0, n;

	if (f == NULL) {
		snprintf(msg, sizeof(msg), "lecture de %s impossible : %s",
		    path, strerror(errno));
		die(msg);
	}
	*len = 0;
	do {
		if (*len + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((p = realloc(buf, cap)) == NULL)
				die("mémoire insuffisante");
			buf = p;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
	} while (n > 0);
	if (ferror(f)) {
		snprintf(msg, sizeof(msg), "lecture de %s impossible : %s",
		    path, strerror(errno));
		die(msg);
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

static int
has_person_column(const struct csv_table *t)
{
	size_t	 i;

	for (i = 0; t->nrows > 0 && i < t->rows[0].nfields; i++)
		if (strstr(t->rows[0].fields[i], "person") != NULL)
			return 1;
	return 0;
}

static struct outbox *
open_outbox(const struct opts *o)
{
	struct outbox	*ob;
	char		 buf[4096], err[600];

	if ((ob = outbox_open(outbox_path(o->outbox, buf, sizeof(buf)), err,
	    sizeof(err))) == NULL)
		die(err);
	return ob;
}

static void
settle(void *arg, struct import_item **items, size_t n)
{
	outbox_settle(arg, items, n);
}

/*
 * Sends what the outbox still holds from earlier runs. Returns 0, or -1
 * with err when the connection failed (they stay pending).
 */
static int
send_pending(const struct opts *o, struct client *cl, struct outbox *ob,
    int report, char *err, size_t errlen)
{
	struct outbox_pending	 p;
	struct submit_options	 so = o->so;
	size_t			 i, un;
	int			 rc, bad;

	if (outbox_pending(ob, &p, err, errlen) == -1)
		return -1;
	if (p.n == 0) {
		outbox_pending_free(&p);
		if (report)
			printf("boîte d'envoi vide\n");
		return 0;
	}
	so.answered = settle;
	so.arg = ob;
	rc = submit_items(cl, p.items, p.n, &so, err, errlen);
	if (report || !o->quiet)
		for (i = 0; i < p.n; i++)
			item_line("en attente", &p.items[i]);
	if (report)
		summary(p.items, p.n, &un, &bad);
	else
		fprintf(stderr, "ctg-submit : boîte d'envoi : %zu "
		    "enregistrement(s) en attente envoyé(s)\n", p.n);
	outbox_pending_free(&p);
	return rc;
}

/* ctgd unreachable: what was kept stays for later. */
static int
kept(const struct opts *o, const char *err, size_t n)
{
	char	 buf[4096];

	fprintf(stderr, "ctg-submit : %s ; %zu enregistrement(s) gardé(s) dans "
	    "la boîte d'envoi %s : ctg-submit flush (ou le prochain envoi) les "
	    "enverra\n", err, n, outbox_path(o->outbox, buf, sizeof(buf)));
	return 3;
}

static int
cmd_flush(const struct opts *o)
{
	struct outbox	*ob = open_outbox(o);
	struct client	 cl;
	char		 err[600];
	int		 rc;

	if (client_connect(&cl, o->server, err, sizeof(err)) == -1) {
		outbox_close(ob);
		die(err);
	}
	rc = send_pending(o, &cl, ob, 1, err, sizeof(err));
	client_close(&cl);
	outbox_close(ob);
	if (rc == -1)
		die(err);
	return 0;
}

static int
cmd_status(const struct opts *o)
{
	struct outbox		*ob = open_outbox(o);
	struct outbox_pending	 p;
	char			 err[600], id[UUID_TEXT_LEN + 1], buf[4096];
	size_t			 i;

	if (outbox_pending(ob, &p, err, sizeof(err)) == -1)
		die(err);
	printf("%zu enregistrement(s) en attente dans %s\n", p.n,
	    outbox_path(o->outbox, buf, sizeof(buf)));
	for (i = 0; i < p.n; i++) {
		uuid_format(p.items[i].id, id);
		printf("  %s  %s  %s à %s (%s)\n", id, p.items[i].rec.date,
		    p.items[i].rec.activity, p.items[i].rec.commune,
		    p.items[i].rec.structure);
	}
	outbox_pending_free(&p);
	outbox_close(ob);
	return 0;
}

/*
 * The common path of add and import: earlier pending records first, then
 * these, each kept in the outbox before it leaves and forgotten once
 * answered. 0 when all was answered, -1 with err when the connection
 * failed (the unanswered stay pending), 3 when ctgd was unreachable.
 */
static int
send_kept(const struct opts *o, struct import_item *items, size_t n,
    char *err, size_t errlen)
{
	struct outbox		*ob = open_outbox(o);
	struct submit_options	 so = o->so;
	struct client		 cl;
	int			 rc;

	if (client_connect(&cl, o->server, err, errlen) == -1) {
		if (outbox_keep(ob, items, n, err, errlen) == -1)
			die(err);
		outbox_close(ob);
		return 3;
	}
	if (send_pending(o, &cl, ob, 0, err, errlen) == -1 ||
	    outbox_keep(ob, items, n, err, errlen) == -1) {
		client_close(&cl);
		outbox_close(ob);
		return -1;
	}
	so.answered = settle;
	so.arg = ob;
	rc = submit_items(&cl, items, n, &so, err, errlen);
	client_close(&cl);
	outbox_close(ob);
	return rc;
}

static int
cmd_import(const struct opts *o, const char *path)
{
	struct csv_table	 t;
	struct import		 im;
	uint8_t			 key[PERSON_KEY_LEN];
	char			 err[600], kbuf[4096], *buf;
	size_t			 len;
	int			 ok, rc;

	buf = read_file(path, &len);
	if (csv_parse(buf, len, &t, err, sizeof(err)) == -1) {
		free(buf);
		die(err);
	}
	free(buf);
	if (has_person_column(&t) && person_key_load(person_key_path(o->key,
	    kbuf, sizeof(kbuf)), key, err, sizeof(err)) == -1)
		die(err);
	if (import_build(&t, builtin(), has_person_column(&t) ? key : NULL,
	    &im, err, sizeof(err)) == -1) {
		csv_free(&t);
		die(err);
	}
	if ((rc = send_kept(o, im.items, im.nitems, err, sizeof(err))) == 3) {
		size_t i, n = 0;

		for (i = 0; i < im.nitems; i++)
			n += im.items[i].error == NULL;
		import_free(&im);
		csv_free(&t);
		return kept(o, err, n);
	}
	ok = rc == 0;
	rc = finish(o, &im, ok, err);
	import_free(&im);
	csv_free(&t);
	return rc;
}

/* CAT:N[:INSEE] or, for a person, CAT:ID[:INSEE]. */
static void
parse_group(struct arena *a, const char *v, const uint8_t *key,
    struct group *g)
{
	char	*copy = arena_strdup(a, v), *p, *q, *end, msg[300];
	uint8_t	*tok;

	if (copy == NULL || (p = strchr(copy, ':')) == NULL) {
		snprintf(msg, sizeof(msg), "groupe « %s » invalide : attendu "
		    "CATEGORIE:%s[:INSEE]", v, key ? "IDENTIFIANT" : "EFFECTIF");
		die(msg);
	}
	*p++ = '\0';
	if ((q = strchr(p, ':')) != NULL)
		*q++ = '\0';
	g->category = copy;
	g->residence = q;
	g->has_count = 1;
	if (key != NULL) {
		if ((tok = arena_alloc(a, PERSON_TOKEN_LEN)) == NULL)
			die("mémoire insuffisante");
		person_token(key, p, tok);
		g->person = tok;
		g->person_len = PERSON_TOKEN_LEN;
		g->count = 1;
		return;
	}
	g->count = strtoll(p, &end, 10);
	if (*p == '\0' || *end != '\0') {
		snprintf(msg, sizeof(msg), "effectif « %s » invalide dans "
		    "« %s » : attendu un nombre entier", p, v);
		die(msg);
	}
}

/* Sends one request answered by one ack, prints it; the exit status. */
static int
request_one(const struct opts *o, struct request *req, const char *what,
    const uint8_t *id)
{
	struct import_item	 it = { 0 };
	struct client		 cl;
	struct reply		 rep;
	char			 err[600];
	int			 rc;

	if (client_connect(&cl, o->server, err, sizeof(err)) == -1 ||
	    client_send(&cl, req, err, sizeof(err)) == -1 ||
	    client_recv(&cl, &rep, err, sizeof(err)) == -1) {
		client_close(&cl);
		die(err);
	}
	client_close(&cl);
	if (rep.kind != REPLY_SUBMIT || rep.nacks != 1) {
		snprintf(err, sizeof(err), "réponse inattendue du serveur : %s",
		    rep.kind == REPLY_ERROR && rep.error_message ?
		    rep.error_message : "?");
		reply_free(&rep);
		die(err);
	}
	memcpy(it.id, id, RECORD_ID_LEN);
	it.status = rep.acks[0].status;
	it.reason = rep.acks[0].reason;
	item_line(what, &it);
	rc = it.status == ACK_ACCEPTED || it.status == ACK_DUPLICATE ? 0 : 1;
	reply_free(&rep);
	return rc;
}

/* --flag VALUE pairs into a table of wanted flags; dies on anything else. */
struct flag {
	const char	*name;
	const char	**value;
};

static void
parse_flags(int argc, char **argv, const struct flag *flags, size_t n)
{
	char	 err[300];
	size_t	 k;
	int	 i;

	for (i = 0; i < argc; i += 2) {
		for (k = 0; k < n && strcmp(argv[i], flags[k].name) != 0; k++)
			;
		if (k == n) {
			snprintf(err, sizeof(err), "option inconnue « %s » (voir "
			    "ctg-submit --help)", argv[i]);
			die(err);
		}
		if (i + 1 >= argc) {
			snprintf(err, sizeof(err), "%s attend une valeur",
			    argv[i]);
			die(err);
		}
		*flags[k].value = argv[i + 1];
	}
}

static void
parse_id(const char *v, uint8_t id[RECORD_ID_LEN])
{
	char	 err[300];

	if (v == NULL)
		die("--id UUID est obligatoire ici (l'identifiant affiché à "
		    "l'envoi de l'enregistrement)");
	if (uuid_parse(v, id) == -1) {
		snprintf(err, sizeof(err), "--id « %s » invalide : attendu un "
		    "UUID", v);
		die(err);
	}
}

static int
cmd_void(const struct opts *o, int argc, char **argv)
{
	const char	*id = NULL, *reason = NULL;
	const struct flag flags[] = { { "--id", &id }, { "--reason", &reason } };
	struct request	 req = { .kind = REQUEST_VOID };
	uint8_t		 rid[RECORD_ID_LEN];

	parse_flags(argc, argv, flags, 2);
	parse_id(id, rid);
	req.void_id = rid;
	req.void_id_len = RECORD_ID_LEN;
	req.reason = reason;
	return request_one(o, &req, "annulation", rid);
}

static int
cmd_evidence(const struct opts *o, int argc, char **argv)
{
	const char	*id = NULL;
	struct request	 req = { .kind = REQUEST_EVIDENCE };
	struct evidence	*e = &req.evidence;
	const struct flag flags[] = { { "--id", &id },
	    { "--indicator", &e->indicator }, { "--date", &e->date },
	    { "--state", &e->state }, { "--text", &e->text },
	    { "--reference", &e->reference } };
	uint8_t		 eid[RECORD_ID_LEN];

	parse_flags(argc, argv, flags, sizeof(flags) / sizeof(flags[0]));
	if (id != NULL)
		parse_id(id, eid);
	else if (uuid_v7(eid) == -1)
		die("tirage de l'identifiant impossible");
	e->id = eid;
	e->id_len = RECORD_ID_LEN;
	return request_one(o, &req, "élément", eid);
}

static int
cmd_add(const struct opts *o, int argc, char **argv, int amend)
{
	struct import_item	 it = { 0 };
	struct record		*r = &it.rec;
	struct arena		 a = { 0 };
	uint8_t			 key[PERSON_KEY_LEN];
	int			 have_key = 0, have_id = 0, i, rc;
	char			 err[600], kbuf[4096];
	const char		**sheets, **partners;
	struct group		*groups;

	sheets = arena_alloc(&a, (size_t)argc * sizeof(*sheets));
	partners = arena_alloc(&a, (size_t)argc * sizeof(*partners));
	groups = arena_alloc(&a, (size_t)argc * sizeof(*groups));
	if (sheets == NULL || partners == NULL || groups == NULL ||
	    uuid_v7(it.id) == -1)
		die("mémoire insuffisante");
	r->sheets = sheets;
	r->partners = partners;
	r->groups = groups;
	for (i = 0; i < argc; i++) {
		const char	*f = argv[i], *v = argv[i + 1];

		if (v == NULL) {
			snprintf(err, sizeof(err), "%s attend une valeur (voir "
			    "ctg-submit --help)", f);
			die(err);
		}
		i++;
		if (strcmp(f, "--id") == 0) {
			have_id = 1;
			if (uuid_parse(v, it.id) == -1) {
				snprintf(err, sizeof(err), "--id « %s » "
				    "invalide : attendu un UUID", v);
				die(err);
			}
		} else if (strcmp(f, "--action") == 0) {
			const struct cat_sheet *s = catalogue_sheet(builtin(),
			    v);

			sheets[r->nsheets++] = s != NULL ? s->code : v;
		}
		else if (strcmp(f, "--activity") == 0)
			r->activity = v;
		else if (strcmp(f, "--date") == 0)
			r->date = v;
		else if (strcmp(f, "--commune") == 0)
			r->commune = v;
		else if (strcmp(f, "--structure") == 0)
			r->structure = v;
		else if (strcmp(f, "--partner") == 0)
			partners[r->npartners++] = v;
		else if (strcmp(f, "--title") == 0)
			r->title = v;
		else if (strcmp(f, "--group") == 0)
			parse_group(&a, v, NULL, &groups[r->ngroups++]);
		else if (strcmp(f, "--person") == 0) {
			if (!have_key && person_key_load(person_key_path(
			    o->key, kbuf, sizeof(kbuf)), key, err,
			    sizeof(err)) == -1)
				die(err);
			have_key = 1;
			parse_group(&a, v, key, &groups[r->ngroups++]);
		} else {
			snprintf(err, sizeof(err), "option inconnue « %s » "
			    "(voir ctg-submit --help)", f);
			die(err);
		}
	}
	r->id = it.id;
	r->id_len = RECORD_ID_LEN;
	if (amend) {
		struct request	 req = { .kind = REQUEST_AMEND, .records = r,
				    .nrecords = 1 };

		if (!have_id)
			parse_id(NULL, it.id);
		rc = request_one(o, &req, "révision", it.id);
		arena_free(&a);
		return rc;
	}
	if ((rc = send_kept(o, &it, 1, err, sizeof(err))) == 3) {
		arena_free(&a);
		return kept(o, err, 1);
	}
	if (rc == -1)
		die(err);
	item_line("enregistrement", &it);
	rc = it.status == ACK_ACCEPTED || it.status == ACK_DUPLICATE ? 0 : 1;
	free((char *)it.reason);
	arena_free(&a);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts	 o = { .so = { 256, 8, NULL, NULL } };
	const char	*server = NULL;
	int		 i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			o.quiet = 1;
		else if (strcmp(a, "--server") == 0 && i + 1 < argc)
			server = argv[++i];
		else if (strcmp(a, "--key") == 0 && i + 1 < argc)
			o.key = argv[++i];
		else if (strcmp(a, "--outbox") == 0 && i + 1 < argc)
			o.outbox = argv[++i];
		else if (client_option(argc, argv, &i))
			continue;
		else if (strcmp(a, "--batch") == 0 && i + 1 < argc) {
			if (parse_size(argv[++i], 1, 10000, &o.so.batch) == -1)
				die("--batch attend un nombre de 1 à 10000");
		} else if (strcmp(a, "--window") == 0 && i + 1 < argc) {
			if (parse_size(argv[++i], 1, 1024, &o.so.window) == -1)
				die("--window attend un nombre de 1 à 1024");
		} else
			break;
	}
	o.server = client_server(server);
	if (i < argc && strcmp(argv[i], "import") == 0) {
		if (i + 2 != argc)
			die("import attend un seul fichier CSV (voir "
			    "ctg-submit --help)");
		return cmd_import(&o, argv[i + 1]);
	}
	if (i + 1 == argc && strcmp(argv[i], "flush") == 0)
		return cmd_flush(&o);
	if (i + 1 == argc && strcmp(argv[i], "status") == 0)
		return cmd_status(&o);
	if (i < argc && strcmp(argv[i], "amend") == 0)
		return cmd_add(&o, argc - i - 1, argv + i + 1, 1);
	if (i < argc && strcmp(argv[i], "void") == 0)
		return cmd_void(&o, argc - i - 1, argv + i + 1);
	if (i < argc && strcmp(argv[i], "evidence") == 0)
		return cmd_evidence(&o, argc - i - 1, argv + i + 1);
	if (i < argc && strcmp(argv[i], "add") == 0)
		i++;
	if (i >= argc || strncmp(argv[i], "--", 2) != 0) {
		usage(stderr);
		return 2;
	}
	return cmd_add(&o, argc - i, argv + i, 0);
}
