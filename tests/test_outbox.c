/*
 * test_outbox.c — the client's outbox with the real ctgd and the real
 * ctg-submit: a record ctgd refuses, even after waiting offline, is held
 * with its reason until corrected (an accepted amend, or the same id sent
 * again and accepted) or discarded, never dropped; invalid records are
 * refused before they are kept; the exit statuses of every command
 * (flush included); add wants --action or --service and says which
 * indicators count a service activity; an outbox of the first version is
 * upgraded in place; connection failures are told in French.
 */
#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixtures.h"
#include "framing.h"
#include "harness.h"
#include "tmpdir.h"
#include "uuid.h"
#include "wire.h"

struct ctx {
	const char	*dir;
	struct daemon	 d;
	char		 out[4200], box[4200], csv[4200];
	char		 admin[65], ripe[65];
};

#define RID_A	"01a23000-0000-7000-8000-00000000000a"
#define RID_B	"01a23000-0000-7000-8000-00000000000b"
#define RID_C	"01a23000-0000-7000-8000-00000000000c"

/* A valid chantier jeunes, tagged III.A.17, of alsh-jeunes. */
#define CHANTIER	"--action", "17", "--activity", "chantier",	\
			"--date", "2024-07-10", "--commune", "46201",	\
			"--title", "Lavoir"

static int
start(void **state, const char *const *extra)
{
	static struct ctx	 c;

	memset(&c, 0, sizeof(c));
	unsetenv("CTG_TOKEN");
	setenv("CTG_KEY_FILE", "/nonexistent/unused.key", 1);
	c.dir = daemon_ground(&c.d, c.out, sizeof(c.out), extra);
	tmpdir_path(c.box, sizeof(c.box), c.dir, "outbox.db");
	tmpdir_path(c.csv, sizeof(c.csv), c.dir, "import.csv");
	setenv("CTG_OUTBOX", c.box, 1);
	*state = &c;
	return 0;
}

static int
setup(void **state)
{
	return start(state, NULL);
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	unsetenv("CTG_TOKEN");
	unsetenv("CTG_OUTBOX");
	assert_int_equal(daemon_finish(&c->d, c->dir), 0);
	return 0;
}

/* ctg-submit --server ours, then the NULL-terminated arguments. */
static int
sub(struct ctx *c, ...)
{
	const char	*args[64] = { "--server", c->d.server };
	size_t		 n = 2;
	va_list		 ap;

	va_start(ap, c);
	while (n < 63 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	return tool_run(c->out, "ctg-submit", args);
}

/* A token of that role, as the admin (or anyone in protected mode). */
static void
token(struct ctx *c, char out[65], const char *role, const char *structure)
{
	token_create(&c->d, c->out, role, structure, out);
}

/* Fails unless the output does not contain needle. */
static void
expect_absent(struct ctx *c, const char *needle)
{
	char	*text = file_read(c->out);

	if (strstr(text, needle) != NULL)
		fail_msg("unexpected \"%s\" in:\n%.3000s", needle, text);
	free(text);
}

static long long
stored(struct ctx *c, const char *uuid)
{
	uint8_t	 id[16];

	assert_int_equal(uuid_parse(uuid, id), 0);
	return db_has_record(c->d.db, id);
}

/* The pending count that status reports on its first line. */
static long
pending(struct ctx *c)
{
	char	*text;
	long	 n = -1;

	assert_int_equal(sub(c, "status", NULL), 0);
	text = file_read(c->out);
	sscanf(text, "%ld enregistrement", &n);
	free(text);
	return n;
}

/*
 * Kept offline, then refused by ctgd (a submitter of ripe sends an
 * alsh-jeunes record): held with the reason, listed, not resent, and
 * gone once the same id comes back corrected and accepted.
 */
static void
test_refused_after_offline_held_until_corrected(void **state)
{
	struct ctx	*c = *state;

	/* Protected mode: the first admin token from a local client. */
	token(c, c->admin, "admin", NULL);
	setenv("CTG_TOKEN", c->admin, 1);
	token(c, c->ripe, "submitter", "ripe");
	setenv("CTG_TOKEN", c->ripe, 1);

	assert_int_equal(daemon_stop(&c->d), 0);
	assert_int_equal(sub(c, "add", "--id", RID_A, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:5:46201", NULL), 3);
	file_expect(c->out, "1 enregistrement gardé dans la boîte "
	    "d'envoi");
	assert_int_equal(pending(c), 1);

	daemon_start(&c->d, c->dir, NULL);
	assert_int_equal(sub(c, "flush", NULL), 1);
	file_expect(c->out, "enregistrement du 10/07/2024 (Chantier jeunes) : refusé "
	    ": ");
	file_expect(c->out, "n'est pas l'une de celles de votre jeton");
	file_expect(c->out, " — " RID_A "\n");
	file_expect(c->out, "accepted=0 duplicate=0 conflict=0 refused=1");
	assert_false(stored(c, RID_A));

	/* Held, with its reason, and listed. */
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "1 enregistrement dans la boîte d'envoi");
	file_expect(c->out, "refusé : 10/07/2024, Chantier jeunes à "
	    "Montcuq-en-Quercy-Blanc (ALSH Jeunes), fiche III.A.17, "
	    "« Lavoir » — " RID_A);
	file_expect(c->out, "motif : ");
	file_expect(c->out, "pas l'une de celles de votre jeton");
	file_expect(c->out, "ctg-submit discard " RID_A);
	assert_int_equal(pending(c), 0);
	file_expect(c->out, "1 enregistrement refusé ou en conflit, gardé "
	    "jusqu'à correction");
	expect_absent(c, "en attente : accepté");

	/* Not resent by itself: flush has nothing to send, and says why. */
	assert_int_equal(sub(c, "flush", NULL), 1);
	file_expect(c->out, "rien à envoyer : 1 enregistrement refusé ou en "
	    "conflit attend une correction");
	/* Another add goes through, the held one stays held. */
	assert_int_equal(sub(c, "add", "--id", RID_B, "--action", "I.A.3",
	    "--activity", "animation", "--date", "2024-05-02", "--commune",
	    "46201", "--structure", "ripe", "--group", "enfant:4:46201",
	    NULL), 0);
	file_expect(c->out, "enregistrement : accepté — " RID_B);
	file_expect(c->out, "1 enregistrement refusé ou en conflit attend une "
	    "correction");
	assert_false(stored(c, RID_A));

	/* Corrected: the same id, its own structure, accepted; gone. */
	assert_int_equal(sub(c, "add", "--id", RID_A, "--action", "I.A.3",
	    "--activity", "animation", "--date", "2024-07-10", "--commune",
	    "46201", "--structure", "ripe", "--group", "parent:5:46201",
	    NULL), 0);
	file_expect(c->out, "enregistrement : accepté — " RID_A);
	assert_true(stored(c, RID_A));
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "vide");
	assert_int_equal(sub(c, "flush", NULL), 0);
	file_expect(c->out, "boîte d'envoi vide");
}

/*
 * A refused record corrected by amend: ctgd never stored it, so the
 * correction goes as the record itself, and leaves the outbox.
 */
static void
test_refused_corrected_by_amend(void **state)
{
	struct ctx	*c = *state;

	token(c, c->admin, "admin", NULL);
	setenv("CTG_TOKEN", c->admin, 1);
	token(c, c->ripe, "submitter", "ripe");
	setenv("CTG_TOKEN", c->ripe, 1);
	assert_int_equal(sub(c, "add", "--id", RID_A, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:5:46201", NULL), 1);
	file_expect(c->out, "enregistrement : refusé : ");
	file_expect(c->out, " — " RID_A);
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "refusé : 10/07/2024, Chantier jeunes");
	assert_int_equal(sub(c, "amend", "--id", RID_A, "--action", "I.A.3",
	    "--activity", "animation", "--date", "2024-07-10", "--commune",
	    "46201", "--structure", "ripe", "--group", "parent:5:46201",
	    NULL), 0);
	file_expect(c->out, "n'a jamais été enregistré par ctgd");
	file_expect(c->out, "enregistrement : accepté — " RID_A);
	assert_true(stored(c, RID_A));
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "vide");
}

/* A conflict (same id, other content) held, then corrected by amend. */
static void
test_conflict_held_then_amended(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(sub(c, "add", "--id", RID_C, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:5:46201", NULL), 0);
	assert_int_equal(sub(c, "add", "--id", RID_C, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:6:46201", NULL), 1);
	file_expect(c->out, "enregistrement : en conflit : cet identifiant "
	    "est déjà enregistré");
	file_expect(c->out, " — " RID_C);
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "en conflit : 10/07/2024, Chantier jeunes à Montcuq-en-Quercy-Blanc");
	file_expect(c->out, "ctg-submit amend --id " RID_C);
	assert_int_equal(sub(c, "flush", NULL), 1);

	assert_int_equal(sub(c, "amend", "--id", RID_C, CHANTIER,
	    "--structure", "alsh-jeunes", "--group", "jeune:6:46201", NULL), 0);
	file_expect(c->out, "révision : accepté — " RID_C);
	file_expect(c->out, RID_C " corrigé : retiré de la boîte d'envoi");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM revision WHERE "
	    "record = x'01a2300000007000800000000000000c'"), 2);
	assert_int_equal(sub(c, "flush", NULL), 0);
	file_expect(c->out, "boîte d'envoi vide");
}

/* discard: said in French; an unknown or malformed id is an error, rc 2. */
static void
test_discard(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(sub(c, "add", "--id", RID_C, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:5:46201", NULL), 0);
	assert_int_equal(sub(c, "add", "--id", RID_C, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:7:46201", NULL), 1);
	assert_int_equal(sub(c, "discard", RID_C, NULL), 0);
	file_expect(c->out, RID_C " retiré de la boîte d'envoi : il ne sera "
	    "pas envoyé");
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "vide");
	assert_int_equal(sub(c, "flush", NULL), 0);
	assert_int_equal(sub(c, "discard", RID_C, NULL), 2);
	file_expect(c->out, RID_C " n'est pas dans la boîte d'envoi");
	assert_int_equal(sub(c, "discard", "pas-un-uuid", NULL), 2);
	file_expect(c->out, "identifiant « pas-un-uuid » invalide");
	assert_int_equal(sub(c, "discard", NULL), 2);
	/* What ctgd stored is untouched. */
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT sum(count) "
	    "FROM groups_of"), 5);
}

/* flush: 0 empty or all taken, 3 without ctgd, 1 after a refusal. */
static void
test_flush_exit_statuses(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(sub(c, "flush", NULL), 0);
	file_expect(c->out, "boîte d'envoi vide");
	assert_int_equal(daemon_stop(&c->d), 0);
	/* Nothing pending: no need of ctgd. */
	assert_int_equal(sub(c, "flush", NULL), 0);
	assert_int_equal(sub(c, "add", "--id", RID_C, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:5:46201", NULL), 3);
	assert_int_equal(sub(c, "flush", NULL), 3);
	file_expect(c->out, "connexion refusée : ctgd n'écoute pas à cette "
	    "adresse");
	file_expect(c->out, "1 enregistrement gardé");
	assert_int_equal(pending(c), 1);

	daemon_start(&c->d, c->dir, NULL);
	assert_int_equal(sub(c, "flush", NULL), 0);
	file_expect(c->out, "enregistrement du 10/07/2024 (Chantier jeunes) : accepté "
	    "— " RID_C);
	file_expect(c->out, "1 enregistrement : 1 accepté, 0 déjà enregistré, "
	    "0 en conflit, 0 refusé\naccepted=1 duplicate=0 conflict=0 "
	    "refused=0\n");
	assert_int_equal(pending(c), 0);

	/* Kept offline, in conflict when it arrives: flush says 1. */
	assert_int_equal(daemon_stop(&c->d), 0);
	assert_int_equal(sub(c, "add", "--id", RID_C, CHANTIER, "--structure",
	    "alsh-jeunes", "--group", "jeune:9:46201", NULL), 3);
	daemon_start(&c->d, c->dir, NULL);
	assert_int_equal(sub(c, "flush", NULL), 1);
	file_expect(c->out, "accepted=0 duplicate=0 conflict=1 refused=0");
	assert_int_equal(sub(c, "flush", NULL), 1);
	assert_int_equal(sub(c, "status", NULL), 0);
	file_expect(c->out, "0 enregistrement en attente d'envoi");
	file_expect(c->out, "1 enregistrement refusé ou en conflit");
}

/*
 * An invalid record (a chantier on II.A.9, which does not take it) is
 * refused at once, even with ctgd down, and never kept.
 */
static void
test_invalid_refused_before_kept(void **state)
{
	struct ctx	*c = *state;
	FILE		*f;

	assert_int_equal(daemon_stop(&c->d), 0);
	assert_int_equal(sub(c, "add", "--action", "II.A.9", "--activity",
	    "chantier", "--date", "2024-07-10", "--commune", "46201",
	    "--structure", "alsh-jeunes", "--group", "jeune:5:46201", NULL), 1);
	file_expect(c->out, "enregistrement : refusé : la fiche II.A.9 "
	    "n'accepte pas l'activité « chantier »");
	file_expect(c->out, "rien n'a été gardé");
	assert_int_equal(pending(c), 0);
	assert_int_equal(sub(c, "outbox", NULL), 0);
	file_expect(c->out, "vide");

	/* An import: the invalid row refused now, the valid one kept. */
	assert_non_null(f = fopen(c->csv, "w"));
	fputs("record_id;action;activity;date;commune;structure;category;"
	    "residence;count;partners;title\n"
	    RID_A ";II.A.9;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;"
	    "5;;\n"
	    RID_B ";17;chantier;2024-07-10;46201;alsh-jeunes;jeune;46201;5;;\n",
	    f);
	fclose(f);
	assert_int_equal(sub(c, "import", c->csv, NULL), 1);
	file_expect(c->out, "ligne 2 : refusé : la fiche II.A.9 n'accepte pas "
	    "l'activité « chantier »");
	file_expect(c->out, " — " RID_A "\n");
	file_expect(c->out, "ligne 3 : sans réponse de ctgd, gardé dans la "
	    "boîte d'envoi — " RID_B "\n");
	file_expect(c->out, "2 enregistrements : 0 accepté, 0 déjà enregistré, "
	    "0 en conflit, 1 refusé, 1 sans réponse");
	file_expect(c->out, "accepted=0 duplicate=0 conflict=0 refused=1");
	assert_int_equal(pending(c), 1);
	file_expect(c->out, RID_B);
	expect_absent(c, RID_A);
}

/* add without --action is refused; --service says what counts it. */
static void
test_add_service(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(sub(c, "add", "--activity", "chantier", "--date",
	    "2024-07-10", "--commune", "46201", "--structure", "alsh-jeunes",
	    "--group", "jeune:5:46201", NULL), 2);
	file_expect(c->out, "sans --action, cet enregistrement ne compterait "
	    "sur aucune fiche action");
	file_expect(c->out, "--service");
	assert_int_equal(pending(c), 0);
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 0);

	assert_int_equal(sub(c, "add", "--service", "--activity", "chantier",
	    "--date", "2024-07-10", "--commune", "46201", "--structure",
	    "alsh-jeunes", "--group", "jeune-12-15:5:46201", NULL), 0);
	file_expect(c->out, "activité de service régulière : comptée par "
	    "III.A.17/real/1 (Des chantiers jeunes organisés sur l'ensemble "
	    "des communes du territoire), III.A.17/res/1 (");
	/* Eleven select it: ten named, then the count of the others. */
	file_expect(c->out, " et 1 autre\n");
	file_expect(c->out, "enregistrement : accepté — ");
	assert_int_equal(db_int(c->d.db, "SELECT count(*) FROM record"), 1);
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) "
	    "FROM sheets_of"), 0);

	/* Nothing of scope "all" selects a council meeting of the CC. */
	assert_int_equal(sub(c, "add", "--service", "--activity", "reunion",
	    "--date", "2024-07-11", "--commune", "46201", "--structure",
	    "ccqb", "--group", "elu:3", NULL), 0);
	file_expect(c->out, "comptée par aucun indicateur");
}

/*
 * What add stores is the catalogue's: a sheet by number as its code, an
 * unknown residence written « inconnue » as unknown.
 */
static void
test_add_resolves_words(void **state)
{
	struct ctx	*c = *state;

	assert_int_equal(sub(c, "add", "--id", RID_A, "--action", "17",
	    "--activity", "chantier", "--date", "2024-07-10", "--commune",
	    "46201", "--structure", "alsh-jeunes", "--group",
	    "jeune:5:inconnue", "--group", "jeune:2:", NULL), 0);
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM "
	    "sheets_of WHERE sheet = 'III.A.17'"), 1);
	assert_int_equal(db_int(c->d.db, DB_LISTS "SELECT count(*) FROM "
	    "groups_of WHERE residence = ''"), 2);
	/* A word that names nothing refuses the record, before keeping it. */
	assert_int_equal(sub(c, "add", "--action", "17", "--activity",
	    "chantier", "--date", "2024-07-10", "--commune", "46201",
	    "--structure", "nulle-part", "--group", "jeune:5", NULL), 1);
	file_expect(c->out, "enregistrement : refusé : --structure : ");
	file_expect(c->out, "nulle-part");
	assert_int_equal(pending(c), 0);
}

/*
 * The import report: how the file was read, once, before the rows; each
 * row's id at its end; a French summary before the interface line.
 */
static void
test_import_report_lines(void **state)
{
	struct ctx	*c = *state;
	char		*out, *how, *row;
	FILE		*f;

	assert_non_null(f = fopen(c->csv, "w"));
	fputs("record_id,action,activity,date,commune,structure,category,"
	    "residence,count,partners,title\n"
	    RID_A ",17,chantier,2024-07-10,46201,alsh-jeunes,jeune,46201,5,,"
	    "Lavoir\n", f);
	fclose(f);
	assert_int_equal(sub(c, "import", c->csv, NULL), 0);
	out = file_read(c->out);
	how = strstr(out, "« , »");
	row = strstr(out, "ligne 2 : accepté — " RID_A "\n");
	if (how == NULL || row == NULL || how > row)
		fail_msg("report:\n%s", out);
	assert_non_null(strstr(out, "1 enregistrement : 1 accepté, 0 déjà "
	    "enregistré, 0 en conflit, 0 refusé\naccepted=1 duplicate=0 "
	    "conflict=0 refused=0\n"));
	free(out);
}

/* An outbox written by the first version is upgraded and still sent. */
static void
test_outbox_upgraded(void **state)
{
	struct ctx		*c = *state;
	struct fixture_record	 fr;
	struct request		 req = { .kind = REQUEST_SUBMIT, .nrecords = 1 };
	sqlite3			*db;
	sqlite3_stmt		*st;
	uint8_t			*frame;
	size_t			 len;

	fixture_record_init(&fr, 0x42);
	req.records = &fr.rec;
	assert_non_null(frame = wire_encode_request(&req, &len));
	assert_int_equal(sqlite3_open(c->box, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE pending (id BLOB "
	    "PRIMARY KEY, frame BLOB NOT NULL, created INTEGER NOT NULL) "
	    "WITHOUT ROWID", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO pending VALUES "
	    "(?1, ?2, 1)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, fr.id, 16, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, frame, (int)len, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(frame);

	assert_int_equal(pending(c), 1);
	assert_int_equal(db_int(c->box, "PRAGMA user_version"), 2);
	assert_int_equal(sub(c, "flush", NULL), 0);
	file_expect(c->out, "accepted=1 duplicate=0 conflict=0 refused=0");
	assert_true(db_has_record(c->d.db, fr.id));
	assert_int_equal(pending(c), 0);
}

/* Connection and file errors in French, never strerror's English. */
static void
test_errors_in_french(void **state)
{
	struct ctx	*c = *state;
	const char	*noserver[] = { "--server", "127.0.0.1:1", "add",
			    CHANTIER, "--structure", "alsh-jeunes", "--group",
			    "jeune:5:46201", NULL };
	const char	*nofile[] = { "import", "/nonexistent/a.csv", NULL };
	const char	*amend[] = { "--server", "127.0.0.1:1", "amend", "--id",
			    RID_A, CHANTIER, "--structure", "alsh-jeunes",
			    NULL };

	assert_int_equal(tool_run(c->out, "ctg-submit", noserver), 3);
	file_expect(c->out, "connexion au serveur 127.0.0.1:1 impossible : "
	    "connexion refusée : ctgd n'écoute pas à cette adresse");
	expect_absent(c, "Connection refused");
	assert_int_equal(tool_run(c->out, "ctg-submit", nofile), 2);
	file_expect(c->out, "lecture de /nonexistent/a.csv impossible : "
	    "fichier ou dossier introuvable");
	expect_absent(c, "No such file");
	/* amend goes straight to ctgd: nothing kept, a connection error. */
	assert_int_equal(tool_run(c->out, "ctg-submit", amend), 2);
	file_expect(c->out, "connexion refusée");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_refused_after_offline_held_until_corrected, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused_corrected_by_amend,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_held_then_amended,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_discard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_exit_statuses,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_invalid_refused_before_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_service, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_add_resolves_words, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_report_lines,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_upgraded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_errors_in_french, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
