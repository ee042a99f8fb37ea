/*
 * ctg-submit — records activities in ctgd: one record from flags, or a
 * whole spreadsheet (import format v1); corrections (amend, void),
 * evidence; and the outbox where every record waits until ctgd has
 * taken it (flush, status, outbox, discard).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "client.h"
#include "csv.h"
#include "fr.h"
#include "draft.h"
#include "import.h"
#include "outbox.h"
#include "person.h"
#include "record.h"
#include "show.h"
#include "submit.h"
#include "uuid.h"
#include "wire.h"

/* Exit statuses (README): a table of what each means. */
enum {
	EXIT_OK = 0,		/* all accepted or already stored */
	EXIT_REFUSED = 1,	/* one refused or in conflict */
	EXIT_ERROR = 2,		/* usage, file or connection error */
	EXIT_KEPT = 3,		/* ctgd unreachable, records kept */
};

#define SERVICE_LISTED	10	/* indicators named by --service, at most */

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
"usage : ctg-submit [options] add --action CODE|--service --activity MOT\n"
"                   --date AAAA-MM-JJ --commune INSEE --structure MOT\n"
"                   [options du record]\n"
"        ctg-submit [options] import FICHIER.csv   (- : l'entrée standard)\n"
"        ctg-submit [options] amend --id UUID [options du record]\n"
"        ctg-submit [options] void --id UUID --reason TEXTE\n"
"        ctg-submit [options] evidence --indicator ID --date AAAA-MM-JJ\n"
"                   --state \"en cours\"|réalisé --text TEXTE [--reference REF]\n"
"        ctg-submit [options] flush\n"
"        ctg-submit [options] status\n"
"        ctg-submit [options] outbox\n"
"        ctg-submit [options] discard UUID...\n"
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
"  -q, --quiet          n'afficher que les enregistrements refusés ou en\n"
"                       conflit\n"
"  -h, --help           cette aide\n"
"\n"
"Options du record (add, amend) :\n"
"  --id UUID            identifiant (défaut : un UUIDv7 nouveau)\n"
"  --action CODE        fiche action servie (III.A.17 ou 17), répétable ;\n"
"                       add l'exige, sauf avec --service\n"
"  --service            activité de service régulière (journée d'ALSH,\n"
"                       matinée du RIPE...) sans fiche action : add dit quels\n"
"                       indicateurs la comptent\n"
"  --activity MOT       accueil, animation, reunion, atelier, chantier...\n"
"  --date AAAA-MM-JJ    date de l'activité\n"
"  --commune INSEE|NOM  commune où l'activité a eu lieu\n"
"  --structure MOT      ripe, alsh-montcuq, alsh-jeunes, evs-3e-lieu...\n"
"  --group CAT:N[:COMMUNE]    N participants de la catégorie CAT, résidant\n"
"                             dans COMMUNE (INSEE ou nom ; vide ou\n"
"                             « inconnue » : inconnue)\n"
"  --person CAT:ID[:COMMUNE]  une personne, identifiée localement par ID\n"
"  --partner NOM        partenaire, répétable\n"
"  --title TEXTE        intitulé\n"
"\n"
"Chaque enregistrement est vérifié avant tout envoi, avec le plan d'action\n"
"intégré : un enregistrement invalide est refusé aussitôt, jamais gardé.\n"
"\n"
"amend remplace tout le contenu d'un enregistrement par une nouvelle\n"
"révision (redonnez tous les champs) ; void l'annule, avec un motif ; les\n"
"révisions restent consultables (ctg-query revisions UUID). evidence\n"
"ajoute un élément daté à un indicateur (qualitatif surtout), avec --id\n"
"pour le renvoyer sans doublon.\n"
"\n"
"Import : la feuille telle qu'Excel ou LibreOffice l'exporte (CSV en UTF-8\n"
"ou Windows-1252, « Texte Unicode » ; « ; », « , » ou tabulations), avec\n"
"un en-tête en anglais ou en français :\n"
"  record_id;action;activity;date;commune;structure;category;residence;"
"count;partners;title;person\n"
"  Identifiant;Fiche;Activité;Date;Lieu;Structure;Public;Résidence;Effectif;"
"\n  Partenaires;Titre;Personne\n"
"et une ligne par groupe de participants ; les lignes qui se suivent sans\n"
"identifiant et s'accordent sur l'activité font une seule activité\n"
"(détails : docs/import.md). Chaque ligne affichée finit par\n"
"l'identifiant de son enregistrement ; les deux dernières comptent les\n"
"enregistrements, la dernière ainsi :\n"
"  accepted=N duplicate=N conflict=N refused=N\n"
"\n"
"Boîte d'envoi : add et import gardent d'abord chaque enregistrement dans\n"
"un fichier local, et ne l'en retirent qu'une fois accepté (ou déjà\n"
"enregistré) par ctgd. Si ctgd est injoignable, les enregistrements y\n"
"attendent : le prochain envoi, ou flush, les envoie. Un enregistrement\n"
"refusé ou en conflit y reste aussi, avec le motif, sans être renvoyé, "
"jusqu'à\n"
"sa correction (amend, ou add/import du même identifiant, accepté) ou\n"
"jusqu'à discard. status résume la boîte, outbox la détaille. Renvoyer\n"
"n'est jamais compter deux fois.\n"
"\n"
"Sortie : 0 si tout est accepté ou déjà enregistré, 1 si un enregistrement\n"
"est refusé ou en conflit (flush : tant que la boîte en garde un), 2 en cas\n"
"d'erreur d'usage, de fichier ou de connexion, 3 quand ctgd est injoignable\n"
"et que les enregistrements sont gardés pour plus tard (1 l'emporte sur "
"3).\n");
}

static void
die(const char *msg)
{
	fprintf(stderr, "ctg-submit : %s\n", msg);
	exit(EXIT_ERROR);
}

/* The built-in catalogue: validation, lookups, indicators. */
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

/* French plurals: 0 and 1 are singular. */
static const char *
plural(size_t n)
{
	return n > 1 ? "s" : "";
}

static void
item_line(const char *where, const struct import_item *it)
{
	char	 line[2048];

	submit_line(line, sizeof(line), where, it);
	puts(line);
}

/* Prints the two summary lines; the counts. */
static void
summary(const struct import_item *items, size_t n, struct submit_counts *c)
{
	char	 text[512];

	submit_count(items, n, c);
	submit_summary(text, sizeof(text), c);
	fputs(text, stdout);
}

/* Whether quiet mode shows this item: problems only. */
static int
shown(const struct opts *o, const struct import_item *it)
{
	return !o->quiet || it->error != NULL || it->status == ACK_CONFLICT ||
	    it->status == ACK_REFUSED;
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
		    path, client_strerror(errno));
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
		    path, client_strerror(errno));
		die(msg);
	}
	if (f != stdin)
		fclose(f);
	return buf;
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

/* Held records are never resent by themselves: say they wait. */
static void
held_note(struct outbox *ob)
{
	long	 n = outbox_count(ob, OUTBOX_HELD);

	if (n > 0)
		fprintf(stderr, "ctg-submit : %ld enregistrement%s refusé%s ou "
		    "en conflit attend%s une correction dans la boîte d'envoi "
		    "(ctg-submit outbox les détaille)\n", n, plural((size_t)n),
		    plural((size_t)n), n > 1 ? "ent" : "");
}

static int
id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, RECORD_ID_LEN);
}

/*
 * Drops from an earlier listing the records these items supersede (the
 * same id, kept again just now with their latest content).
 */
static void
drop_superseded(struct outbox_pending *p, const struct import_item *items,
    size_t n)
{
	uint8_t	(*ids)[RECORD_ID_LEN];
	size_t	 i, k = 0, out = 0;

	if (p->n == 0 || n == 0 ||
	    (ids = malloc(n * RECORD_ID_LEN)) == NULL)
		return;
	for (i = 0; i < n; i++)
		if (items[i].error == NULL)
			memcpy(ids[k++], items[i].id, RECORD_ID_LEN);
	qsort(ids, k, RECORD_ID_LEN, id_cmp);
	for (i = 0; i < p->n; i++) {
		if (bsearch(p->items[i].id, ids, k, RECORD_ID_LEN,
		    id_cmp) != NULL) {
			free((char *)p->items[i].reason);
			request_free(&p->reqs[i]);
			continue;
		}
		/* Records live in their request's arena blocks: movable. */
		if (out != i) {
			p->items[out] = p->items[i];
			p->reqs[out] = p->reqs[i];
		}
		out++;
	}
	p->n = out;
	free(ids);
}

/* "enregistrement du 10/07/2024 (Chantier jeunes)": a kept record's name. */
static void
record_where(const struct record *r, char *buf, size_t len)
{
	char	 d[16], act[128];

	snprintf(buf, len, "enregistrement du %s (%s)", fr_date(r->date, d,
	    sizeof(d)), r->activity ? show_word(builtin(), VOCAB_ACTIVITY,
	    r->activity, act, sizeof(act)) : "?");
}

/*
 * Sends the earlier pending records on cl, printing their lines (quiet:
 * only the problems). Returns 0 and sets *bad when one was refused or in
 * conflict, or -1 with err when the connection failed (they stay).
 */
static int
send_earlier(const struct opts *o, struct client *cl, struct outbox *ob,
    struct outbox_pending *p, int *bad, char *err, size_t errlen)
{
	struct submit_options	 so = o->so;
	struct submit_counts	 c;
	char			 where[128];
	size_t			 i;
	int			 rc;

	if (p->n == 0)
		return 0;
	so.answered = settle;
	so.arg = ob;
	rc = submit_items(cl, p->items, p->n, &so, err, errlen);
	for (i = 0; i < p->n; i++) {
		if (!shown(o, &p->items[i]))
			continue;
		record_where(&p->items[i].rec, where, sizeof(where));
		item_line(where, &p->items[i]);
	}
	submit_count(p->items, p->n, &c);
	*bad |= submit_counts_bad(&c);
	fprintf(stderr, "ctg-submit : boîte d'envoi : %zu enregistrement%s en "
	    "attente envoyé%s d'abord\n", p->n, plural(p->n), plural(p->n));
	return rc;
}

/* How a delivery ended. */
enum deliver {
	DELIVER_DONE,		/* every item answered */
	DELIVER_LOST,		/* the connection failed midway (err) */
	DELIVER_UNREACHABLE,	/* ctgd not reached, all kept (err) */
	DELIVER_NOT_CONNECTED,	/* not connected, another cause (err) */
};

/*
 * The common path of add and import: the items that passed validation
 * are kept in the outbox, then the earlier pending records are sent,
 * then these; each leaves the outbox once accepted, or is held there
 * when refused. *bad is set when an earlier record was refused.
 */
static enum deliver
deliver(const struct opts *o, struct import_item *items, size_t n,
    int *bad, char *err, size_t errlen)
{
	struct outbox		*ob = open_outbox(o);
	struct outbox_pending	 earlier;
	struct submit_options	 so = o->so;
	struct client		 cl;
	enum deliver		 rc = DELIVER_DONE;
	size_t			 i;

	if (outbox_list(ob, OUTBOX_PENDING, &earlier, err, errlen) == -1 ||
	    outbox_keep(ob, items, n, err, errlen) == -1)
		die(err);
	drop_superseded(&earlier, items, n);
	for (i = 0; i < n && items[i].error != NULL; i++)
		;
	if (i == n && earlier.n == 0)
		goto out;	/* nothing to send: no need of ctgd */
	if (client_connect(&cl, o->server, err, errlen) == -1) {
		rc = cl.unreachable ? DELIVER_UNREACHABLE :
		    DELIVER_NOT_CONNECTED;
		goto out;
	}
	so.answered = settle;
	so.arg = ob;
	if (send_earlier(o, &cl, ob, &earlier, bad, err, errlen) == -1 ||
	    submit_items(&cl, items, n, &so, err, errlen) == -1)
		rc = DELIVER_LOST;
	client_close(&cl);
out:
	if (rc == DELIVER_DONE)
		held_note(ob);
	outbox_pending_free(&earlier);
	outbox_close(ob);
	return rc;
}

/* What deliver's end and the counts make of the exit status. */
static int
deliver_exit(const struct opts *o, enum deliver d, const char *err,
    size_t unanswered, int bad)
{
	char	 buf[4096];

	switch (d) {
	case DELIVER_DONE:
		return bad ? EXIT_REFUSED : EXIT_OK;
	case DELIVER_LOST:
		fprintf(stderr, "ctg-submit : %s ; %zu enregistrement%s sans "
		    "acquittement, gardé%s dans la boîte d'envoi : ctg-submit "
		    "flush (ou le même envoi relancé) les enverra, rien ne sera "
		    "compté deux fois\n", err, unanswered, plural(unanswered),
		    plural(unanswered));
		return EXIT_ERROR;
	default:
		break;
	}
	if (unanswered > 0)
		fprintf(stderr, "ctg-submit : %s ; %zu enregistrement%s "
		    "gardé%s dans la boîte d'envoi %s : ctg-submit flush (ou "
		    "le prochain envoi) %senverra\n", err, unanswered,
		    plural(unanswered), plural(unanswered),
		    outbox_path(o->outbox, buf, sizeof(buf)),
		    unanswered > 1 ? "les " : "l'");
	else
		fprintf(stderr, "ctg-submit : %s\n", err);
	if (bad)
		return EXIT_REFUSED;
	return d == DELIVER_UNREACHABLE ? EXIT_KEPT : EXIT_ERROR;
}

static int
cmd_import(const struct opts *o, int argc, char **argv)
{
	struct csv_table	 t;
	struct csv_info		 info;
	struct submit_counts	 c;
	struct import		 im;
	enum deliver		 d;
	uint8_t			 key[PERSON_KEY_LEN];
	char			 err[600], kbuf[4096], where[32], *buf;
	char			 notes[1024];
	size_t			 len, i;
	int			 bad = 0;

	if (argc != 1)
		die("import attend un seul fichier CSV (voir ctg-submit "
		    "--help)");
	buf = read_file(argv[0], &len);
	if (csv_read(buf, len, &t, &info, err, sizeof(err)) == -1) {
		free(buf);
		die(err);
	}
	free(buf);
	if (csv_info_describe(&info, notes, sizeof(notes)) > 0)
		fputs(notes, stdout);
	if (import_needs_key(&t) && person_key_load(person_key_path(o->key,
	    kbuf, sizeof(kbuf)), key, err, sizeof(err)) == -1)
		die(err);
	if (import_build(&t, builtin(), import_needs_key(&t) ? key : NULL,
	    &im, err, sizeof(err)) == -1) {
		csv_free(&t);
		die(err);
	}
	if (im.note != NULL)
		fputs(im.note, stdout);
	submit_validate(im.items, im.nitems, builtin(), date_today(),
	    &im.arena);
	d = deliver(o, im.items, im.nitems, &bad, err, sizeof(err));
	for (i = 0; i < im.nrows; i++) {
		const struct import_item *it = &im.items[im.row_item[i]];

		if (!shown(o, it))
			continue;
		snprintf(where, sizeof(where), "ligne %zu", im.row_line[i]);
		item_line(where, it);
	}
	summary(im.items, im.nitems, &c);
	import_free(&im);
	csv_free(&t);
	return deliver_exit(o, d, err, c.unanswered, bad ||
	    submit_counts_bad(&c));
}

/*
 * Checks the draft as ctgd will; prints the refusal and returns 1 when
 * it does not pass, else 0.
 */
static int
draft_check(struct draft *dr)
{
	struct import_item	 shown_it;

	if (dr->refusal != NULL)
		dr->it.error = dr->refusal;
	else
		submit_validate(&dr->it, 1, builtin(), date_today(), &dr->a);
	if (dr->it.error == NULL)
		return 0;
	shown_it = dr->it;
	if (!dr->have_id)	/* a fresh id names nothing: not shown */
		memset(shown_it.id, 0, RECORD_ID_LEN);
	item_line("enregistrement", &shown_it);
	fprintf(stderr, "ctg-submit : enregistrement refusé avant envoi, rien "
	    "n'a été gardé : corrigez-le et relancez\n");
	return 1;
}

/* Which indicators count a regular service activity, on one line. */
static void
service_line(const struct record *r)
{
	const struct cat_indicator	*d[SERVICE_LISTED];
	size_t				 n, i;

	n = submit_service(builtin(), r, d, SERVICE_LISTED);
	if (n == 0) {
		printf("activité de service régulière : comptée par aucun "
		    "indicateur (aucun ne retient cette activité, cette "
		    "structure et ces catégories) ; donnez --action CODE pour "
		    "la compter sur une fiche\n");
		return;
	}
	printf("activité de service régulière : comptée par ");
	for (i = 0; i < n && i < SERVICE_LISTED; i++)
		printf("%s%s (%s)", i > 0 ? ", " : "", d[i]->id, d[i]->label);
	if (n > SERVICE_LISTED)
		printf(" et %zu autre%s", n - SERVICE_LISTED,
		    plural(n - SERVICE_LISTED));
	printf("\n");
}

/* add, and amend of a record ctgd never took: kept, then sent. */
static int
draft_deliver(const struct opts *o, struct draft *dr)
{
	struct submit_counts	 c;
	enum deliver		 d;
	char			 err[600];
	int			 bad = 0;

	d = deliver(o, &dr->it, 1, &bad, err, sizeof(err));
	if (d == DELIVER_DONE)
		item_line("enregistrement", &dr->it);
	submit_count(&dr->it, 1, &c);
	free((char *)dr->it.reason);
	dr->it.reason = NULL;
	return deliver_exit(o, d, err, c.unanswered, bad ||
	    submit_counts_bad(&c));
}

static int
cmd_add(const struct opts *o, int argc, char **argv)
{
	struct draft	 dr;
	int		 rc;

	if (draft_parse(&dr, builtin(), o->key, argc, argv) == -1)
		die(dr.usage);
	if (dr.it.rec.nsheets == 0 && !dr.service)
		die("sans --action, cet enregistrement ne compterait sur aucune "
		    "fiche action : donnez --action CODE (répétable), ou "
		    "--service s'il s'agit d'une activité de service régulière "
		    "(journée d'ALSH, matinée du RIPE...)");
	if (draft_check(&dr)) {
		arena_free(&dr.a);
		return EXIT_REFUSED;
	}
	if (dr.service)
		service_line(&dr.it.rec);
	rc = draft_deliver(o, &dr);
	arena_free(&dr.a);
	return rc;
}

/* Sends one request answered by one ack, prints it; the ack's status. */
static enum ack_status
request_one(const struct opts *o, struct request *req, const char *what,
    const uint8_t *id)
{
	struct import_item	 it = { 0 };
	struct client		 cl;
	struct reply		 rep;
	char			 err[600];

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
	reply_free(&rep);
	return it.status;
}

static int
ack_exit(enum ack_status s)
{
	return s == ACK_ACCEPTED || s == ACK_DUPLICATE ? EXIT_OK :
	    EXIT_REFUSED;
}

/*
 * A new revision. A record the outbox holds refused, or still pending,
 * was never stored by ctgd: the correction goes as that record, through
 * the outbox. A conflicting one is corrected by the revision itself, and
 * leaves the outbox once it is accepted.
 */
static int
cmd_amend(const struct opts *o, int argc, char **argv)
{
	struct request	 req = { .kind = REQUEST_AMEND, .nrecords = 1 };
	struct outbox	*ob;
	struct draft	 dr;
	enum ack_status	 s;
	char		 err[600], id[UUID_TEXT_LEN + 1];
	int		 state, rc;

	if (draft_parse(&dr, builtin(), o->key, argc, argv) == -1)
		die(dr.usage);
	if (!dr.have_id)
		die("--id UUID est obligatoire ici (l'identifiant affiché à "
		    "l'envoi de l'enregistrement)");
	if (draft_check(&dr)) {
		arena_free(&dr.a);
		return EXIT_REFUSED;
	}
	uuid_format(dr.it.id, id);
	ob = open_outbox(o);
	state = outbox_state(ob, dr.it.id);
	outbox_close(ob);
	if (state == 0 || state == ACK_REFUSED) {
		printf("%s n'a jamais été enregistré par ctgd (il attend dans la "
		    "boîte d'envoi) : la correction est envoyée comme "
		    "l'enregistrement lui-même\n", id);
		rc = draft_deliver(o, &dr);
		arena_free(&dr.a);
		return rc;
	}
	req.records = &dr.it.rec;
	s = request_one(o, &req, "révision", dr.it.id);
	if (state == ACK_CONFLICT && (s == ACK_ACCEPTED ||
	    s == ACK_DUPLICATE)) {
		ob = open_outbox(o);
		if (outbox_remove(ob, dr.it.id, err, sizeof(err)) == -1)
			fprintf(stderr, "ctg-submit : %s\n", err);
		else
			printf("%s corrigé : retiré de la boîte d'envoi\n", id);
		outbox_close(ob);
	}
	arena_free(&dr.a);
	return ack_exit(s);
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
		snprintf(err, sizeof(err), "identifiant « %s » invalide : "
		    "attendu un UUID comme 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
		    v);
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
	return ack_exit(request_one(o, &req, "annulation", rid));
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
	return ack_exit(request_one(o, &req, "élément", eid));
}

/*
 * Sends the pending records. 0 when all are taken and nothing is held,
 * 1 when one is refused or in conflict (now or from before), 2 when the
 * connection failed midway, 3 when ctgd could not be reached.
 */
static int
cmd_flush(const struct opts *o, int argc, char **argv)
{
	struct outbox		*ob = open_outbox(o);
	struct outbox_pending	 p;
	struct submit_options	 so = o->so;
	struct submit_counts	 c;
	struct client		 cl;
	char			 err[600], where[128];
	size_t			 i;
	long			 held;
	int			 rc;

	(void)argv;
	if (argc != 0)
		die("flush ne prend pas d'argument (voir ctg-submit --help)");
	if (outbox_list(ob, OUTBOX_PENDING, &p, err, sizeof(err)) == -1)
		die(err);
	if (p.n == 0) {
		held = outbox_count(ob, OUTBOX_HELD);
		if (held > 0)
			printf("rien à envoyer : %ld enregistrement%s refusé%s "
			    "ou en conflit attend%s une correction (ctg-submit "
			    "outbox les détaille)\n", held, plural((size_t)held),
			    plural((size_t)held), held > 1 ? "ent" : "");
		else
			printf("boîte d'envoi vide\n");
		outbox_pending_free(&p);
		outbox_close(ob);
		return held > 0 ? EXIT_REFUSED : EXIT_OK;
	}
	if (client_connect(&cl, o->server, err, sizeof(err)) == -1) {
		rc = cl.unreachable ? DELIVER_UNREACHABLE :
		    DELIVER_NOT_CONNECTED;
		i = p.n;
		outbox_pending_free(&p);
		outbox_close(ob);
		return deliver_exit(o, (enum deliver)rc, err, i, 0);
	}
	so.answered = settle;
	so.arg = ob;
	rc = submit_items(&cl, p.items, p.n, &so, err, sizeof(err));
	client_close(&cl);
	for (i = 0; i < p.n; i++) {
		if (!shown(o, &p.items[i]))
			continue;
		record_where(&p.items[i].rec, where, sizeof(where));
		item_line(where, &p.items[i]);
	}
	summary(p.items, p.n, &c);
	outbox_pending_free(&p);
	if (rc == -1) {
		outbox_close(ob);
		return deliver_exit(o, DELIVER_LOST, err, c.unanswered, 0);
	}
	held = outbox_count(ob, OUTBOX_HELD);
	held_note(ob);
	outbox_close(ob);
	return submit_counts_bad(&c) || held > 0 ? EXIT_REFUSED : EXIT_OK;
}

/*
 * "10/07/2024, Chantier jeunes à Montcuq-en-Quercy-Blanc (ALSH Jeunes),
 * fiche III.A.17, « Lavoir »"
 */
static void
record_describe(const struct record *r, char *buf, size_t len)
{
	size_t	 i;
	int	 n;

	show_record(builtin(), r, buf, len);
	n = (int)strlen(buf);
	if ((size_t)n + 2 < len)
		n += snprintf(buf + n, len - (size_t)n, ", ");
	if (r->nsheets == 0 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "sans fiche");
	for (i = 0; i < r->nsheets && n >= 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%s", i == 0 ?
		    (r->nsheets > 1 ? "fiches " : "fiche ") : ", ",
		    r->sheets[i]);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, r->title && r->title[0] ?
		    ", « %s »" : ", sans intitulé", r->title ? r->title : "");
}

/* How to get a held record out of the outbox, by its state. */
static const char *
held_hint(int state)
{
	return state == ACK_CONFLICT ?
	    "ctgd a déjà un enregistrement de cet identifiant : corrigez-le "
	    "avec ctg-submit amend --id %s (tous les champs)" :
	    "corrigez-le avec ctg-submit add --id %s (ou amend, tous les "
	    "champs), ou réimportez la ligne corrigée";
}

static int
cmd_outbox(const struct opts *o, int argc, char **argv)
{
	struct outbox		*ob = open_outbox(o);
	struct outbox_pending	 p;
	char			 err[600], buf[4096], desc[1024];
	char			 id[UUID_TEXT_LEN + 1], hint[300];
	size_t			 i;

	(void)argv;
	if (argc != 0)
		die("outbox ne prend pas d'argument (voir ctg-submit --help)");
	if (outbox_list(ob, OUTBOX_ALL, &p, err, sizeof(err)) == -1)
		die(err);
	if (p.n == 0)
		printf("boîte d'envoi %s vide\n", outbox_path(o->outbox, buf,
		    sizeof(buf)));
	else
		printf("%zu enregistrement%s dans la boîte d'envoi %s\n", p.n,
		    plural(p.n), outbox_path(o->outbox, buf, sizeof(buf)));
	for (i = 0; i < p.n; i++) {
		const struct import_item *it = &p.items[i];

		uuid_format(it->id, id);
		record_describe(&it->rec, desc, sizeof(desc));
		if (it->status == 0) {
			printf("en attente d'envoi : %s — %s\n", desc, id);
			continue;
		}
		printf("%s : %s — %s\n", submit_status_label(it->status), desc,
		    id);
		printf("    motif : %s\n", it->reason ? it->reason : "?");
		snprintf(hint, sizeof(hint), held_hint(it->status), id);
		printf("    %s ; ou retirez-le : ctg-submit discard %s\n", hint,
		    id);
	}
	outbox_pending_free(&p);
	outbox_close(ob);
	return EXIT_OK;
}

static int
cmd_status(const struct opts *o, int argc, char **argv)
{
	struct outbox		*ob = open_outbox(o);
	struct outbox_pending	 p;
	char			 err[600], id[UUID_TEXT_LEN + 1], buf[4096];
	size_t			 i;
	long			 held;

	(void)argv;
	if (argc != 0)
		die("status ne prend pas d'argument (voir ctg-submit --help)");
	if (outbox_list(ob, OUTBOX_PENDING, &p, err, sizeof(err)) == -1)
		die(err);
	printf("%zu enregistrement%s en attente d'envoi dans %s\n", p.n,
	    plural(p.n), outbox_path(o->outbox, buf, sizeof(buf)));
	for (i = 0; i < p.n; i++) {
		char	 desc[512];

		uuid_format(p.items[i].id, id);
		printf("  %s — %s\n", show_record(builtin(), &p.items[i].rec,
		    desc, sizeof(desc)), id);
	}
	if ((held = outbox_count(ob, OUTBOX_HELD)) > 0)
		printf("%ld enregistrement%s refusé%s ou en conflit, gardé%s "
		    "jusqu'à correction (ctg-submit outbox les détaille)\n",
		    held, plural((size_t)held), plural((size_t)held),
		    plural((size_t)held));
	outbox_pending_free(&p);
	outbox_close(ob);
	return EXIT_OK;
}

/* Removes records from the outbox at the user's word; 2 if one was not there. */
static int
cmd_discard(const struct opts *o, int argc, char **argv)
{
	struct outbox	*ob;
	uint8_t		 id[RECORD_ID_LEN];
	char		 err[600], text[UUID_TEXT_LEN + 1];
	int		 i, rc = EXIT_OK, r;

	if (argc == 0)
		die("discard attend au moins un identifiant (ctg-submit outbox "
		    "les liste)");
	for (i = 0; i < argc; i++)
		parse_id(argv[i], id);
	ob = open_outbox(o);
	for (i = 0; i < argc; i++) {
		parse_id(argv[i], id);
		uuid_format(id, text);
		if ((r = outbox_remove(ob, id, err, sizeof(err))) == -1) {
			outbox_close(ob);
			die(err);
		}
		if (r == 0) {
			fprintf(stderr, "ctg-submit : %s n'est pas dans la boîte "
			    "d'envoi (ctg-submit outbox la liste)\n", text);
			rc = EXIT_ERROR;
			continue;
		}
		printf("%s retiré de la boîte d'envoi : il ne sera pas envoyé "
		    "(ctgd n'en a rien compté)\n", text);
	}
	outbox_close(ob);
	return rc;
}

/* The commands, by name; each gets the arguments after its name. */
static const struct {
	const char	*name;
	int		(*run)(const struct opts *, int, char **);
} commands[] = {
	{ "add", cmd_add },
	{ "import", cmd_import },
	{ "amend", cmd_amend },
	{ "void", cmd_void },
	{ "evidence", cmd_evidence },
	{ "flush", cmd_flush },
	{ "status", cmd_status },
	{ "outbox", cmd_outbox },
	{ "discard", cmd_discard },
};

int
main(int argc, char **argv)
{
	struct opts	 o = { .so = { 256, 8, NULL, NULL } };
	const char	*server = NULL;
	size_t		 k;
	int		 i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
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
	/* --help after a command, as in ctg-submit import --help. */
	if (i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 ||
	    strcmp(argv[i + 1], "-h") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	for (k = 0; i < argc && k < sizeof(commands) / sizeof(commands[0]);
	    k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(&o, argc - i - 1, argv + i + 1);
	/* "ctg-submit --activity ..." is an add, as it always was. */
	if (i >= argc || strncmp(argv[i], "--", 2) != 0) {
		usage(stderr);
		return EXIT_ERROR;
	}
	return cmd_add(&o, argc - i, argv + i);
}
