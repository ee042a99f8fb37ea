/*
 * ctgd.c — the CTG daemon: takes activity records over TCP, stores each one
 * exactly once in SQLite and acknowledges it after the commit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>
#include <event2/thread.h>

#include <json-c/json.h>

#include "auth.h"
#include "catalogue.h"
#include "log.h"
#include "server.h"
#include "settings.h"
#include "store.h"

/*
 * An admin token made on the machine itself, ctgd stopped: the way back in
 * once every token was revoked. Prints the secret; the exit status.
 */
static int
ctgd_new_admin_token(const char *db, const struct catalogue *cat,
    const char *label)
{
	struct token_admin	 t = { .action = "create", .role = "admin",
				    .label = label };
	struct auth		*a;
	json_object		*o;
	const char		*error = NULL;
	char			 err[512], *json;

	if ((a = auth_open(db, cat, err, sizeof(err))) == NULL) {
		fprintf(stderr, "ctgd : %s\n", err);
		return 1;
	}
	if ((json = auth_manage(a, &t, &error)) == NULL ||
	    (o = json_tokener_parse(json)) == NULL) {
		fprintf(stderr, "ctgd : %s\n", error ? error : "échec");
		free(json);
		auth_close(a);
		return 1;
	}
	log_info("event=token_created id=%lld role=admin where=local",
	    (long long)json_object_get_int64(json_object_object_get(o, "id")));
	printf("jeton admin %lld créé ; son secret, affiché cette fois "
	    "seulement :\n%s\n", (long long)json_object_get_int64(
	    json_object_object_get(o, "id")), json_object_get_string(
	    json_object_object_get(o, "secret")));
	json_object_put(o);
	free(json);
	auth_close(a);
	return 0;
}

int
main(int argc, char **argv)
{
	struct settings		 set;
	struct store_options	 so = { 0 };
	const struct catalogue	*cat;
	struct event_base	*base;
	struct server		*srv;
	struct store		*store;
	char			 err[512];
	int			 rc;

	if ((rc = settings_parse(&set, argc, argv)) != 0)
		return rc == 1 ? 0 : 2;
	if (set.check) {
		settings_dump(&set, stdout);
		printf("configuration OK\n");
		return 0;
	}
	log_init((int)set.verbose);
	setenv("TZ", set.timezone, 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);	/* a full disk is an error, not a kill */
	if (evthread_use_pthreads() == -1)
		fatalx("event=start_failed reason=\"libevent sans threads\"");
	so.synchronous_full = set.synchronous[0] == 'f';
	if (!so.synchronous_full)
		log_warn("event=durability synchronous=normal reason=\"une "
		    "coupure de courant peut perdre les dernières transactions "
		    "acquittées\"");
	if ((cat = catalogue_builtin(err, sizeof(err))) == NULL)
		fatalx("event=start_failed reason=\"catalogue : %s\"", err);
	so.cat = cat;
	/* The quick_check runs once ctgd serves (server.c), not here. */
	so.integrity_check = 0;
	if ((store = store_open(set.db, &so, err, sizeof(err))) == NULL)
		fatalx("event=start_failed db=%s reason=\"%s\"", set.db, err);
	if (store_load_catalogue(store, catalogue_files, catalogue_files_n, err,
	    sizeof(err)) == -1)
		fatalx("event=start_failed db=%s reason=\"%s\"", set.db, err);
	if (set.new_admin_token[0] != '\0') {
		rc = ctgd_new_admin_token(set.db, cat, set.new_admin_token);
		store_close(store);
		return rc;
	}
	if ((base = event_base_new()) == NULL)
		fatalx("event=start_failed reason=\"event_base_new\"");
	if ((srv = server_start(base, &set, cat, store)) == NULL)
		fatalx("event=start_failed reason=\"ports ou fil d'écriture "
		    "indisponibles\"");
	log_info("event=ready db=%s listen_port=%d http_port=%d "
	    "synchronous=%s", set.db, srv->listen_port, srv->http_port,
	    set.synchronous);
	event_base_dispatch(base);
	server_free(srv);
	event_base_free(base);
	store_close(store);
	log_info("event=stopped");
	return 0;
}
