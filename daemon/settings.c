/* settings.c — the settings table and the code that walks it. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "settings.h"

enum setting_type {
	SETTING_STRING,
	SETTING_ADDR,
	SETTING_INT,
	SETTING_CHOICE,
	SETTING_FLAG,
};

struct setting {
	const char		*name;
	char			 shortopt;
	enum setting_type	 type;
	size_t			 offset;
	const char		*def;
	long long		 min, max;
	const char		*choices;	/* "a|b" */
	const char		*help;		/* French */
};

#define S(f)	offsetof(struct settings, f)

static const struct setting settings_table[] = {
	{ "db", 0, SETTING_STRING, S(db), "ctgd.db", 0, 0, NULL,
	  "fichier SQLite des enregistrements (créé s'il n'existe pas)" },
	{ "listen", 0, SETTING_ADDR, S(listen), "127.0.0.1:7411", 0, 0, NULL,
	  "adresse HOTE:PORT du protocole d'enregistrement (port 0 : au "
	  "hasard)" },
	{ "http", 0, SETTING_ADDR, S(http), "127.0.0.1:7412", 0, 0, NULL,
	  "adresse HOTE:PORT du service HTTP (port 0 : au hasard)" },
	{ "port-file", 0, SETTING_STRING, S(port_file), "", 0, 0, NULL,
	  "fichier où écrire les ports ouverts (lignes « listen PORT » et "
	  "« http PORT »)" },
	{ "max-frame", 0, SETTING_INT, S(max_frame), "1048576", 1024,
	  64 * 1024 * 1024, NULL, "taille maximale d'une trame, en octets" },
	{ "max-connections", 0, SETTING_INT, S(max_connections), "4096", 1,
	  1000000, NULL, "nombre maximal de connexions simultanées" },
	{ "http-max-connections", 0, SETTING_INT, S(http_max_connections),
	  "256", 1, 100000, NULL, "nombre maximal de connexions HTTP "
	  "simultanées (plein : la plus ancienne connexion sans jeton valide "
	  "fait place)" },
	{ "http-max-connections-per-address", 0, SETTING_INT,
	  S(http_max_per_address), "32", 1, 100000, NULL, "nombre maximal de "
	  "connexions HTTP simultanées depuis une même adresse" },
	{ "http-idle-timeout", 0, SETTING_INT, S(http_idle_timeout), "30", 1,
	  3600, NULL, "fermeture d'une connexion HTTP sans requête après ce "
	  "délai, en secondes, une fois un jeton valide montré (avant : "
	  "--auth-timeout)" },
	{ "memory-budget", 0, SETTING_INT, S(memory_budget), "128", 1,
	  1024 * 1024, NULL, "mémoire au plus pour les trames et les requêtes "
	  "HTTP en cours de réception, toutes connexions confondues, en Mio "
	  "(au-delà, les connexions qui en tiennent le plus sont fermées avec "
	  "une erreur)" },
	{ "max-connections-per-address", 0, SETTING_INT, S(max_per_address),
	  "256", 1, 1000000, NULL, "nombre maximal de connexions simultanées "
	  "depuis une même adresse (port d'enregistrement)" },
	{ "auth-timeout", 0, SETTING_INT, S(auth_timeout), "10", 1, 3600, NULL,
	  "fermeture d'une connexion qui n'a encore rien fait d'autorisé "
	  "(aucun jeton valide) après ce délai sans requête, en secondes" },
	{ "idle-timeout", 0, SETTING_INT, S(idle_timeout), "300", 1, 86400,
	  NULL, "fermeture d'une connexion muette après ce délai, en secondes" },
	{ "frame-timeout", 0, SETTING_INT, S(frame_timeout), "10", 1, 3600,
	  NULL, "délai pour recevoir une trame ou une requête HTTP commencée "
	  "(en-têtes et corps), en secondes, compté dès son premier octet "
	  "(les envois trop lents sont coupés)" },
	{ "write-timeout", 0, SETTING_INT, S(write_timeout), "30", 1, 86400,
	  NULL, "fermeture d'un client qui ne lit pas ses réponses après ce "
	  "délai, en secondes" },
	{ "batch-max", 0, SETTING_INT, S(batch_max), "8192", 1, 1000000, NULL,
	  "nombre maximal d'enregistrements par transaction" },
	{ "max-inflight", 0, SETTING_INT, S(max_inflight), "64", 1, 100000,
	  NULL, "requêtes d'une connexion en attente d'écriture avant que la "
	  "lecture ne s'arrête" },
	{ "synchronous", 0, SETTING_CHOICE, S(synchronous), "full", 0, 0,
	  "full|normal", "full : chaque acquittement survit à une coupure de "
	  "courant ; normal : plus rapide, mais une coupure de courant peut "
	  "perdre les dernières transactions acquittées" },
	{ "small-cells", 0, SETTING_INT, S(small_cells), "5", 0, 1000, NULL,
	  "dans les exports publiés (rapports, CSV), un effectif de 1 à N-1 "
	  "pour une commune s'affiche « < N » (0 : jamais)" },
	{ "reports", 0, SETTING_STRING, S(reports), "reports", 0, 0, NULL,
	  "dossier où le démon écrit chaque mois le bilan (HTML, CSV, JSON)" },
	{ "rollup-day", 0, SETTING_INT, S(rollup_day), "1", 1, 28, NULL,
	  "jour du mois suivant où un mois est clos" },
	{ "rollup-hour", 0, SETTING_INT, S(rollup_hour), "2", 0, 23, NULL,
	  "heure (locale) de la clôture" },
	{ "rollup-interval", 0, SETTING_INT, S(rollup_interval), "60000", 10,
	  3600000, NULL, "intervalle entre deux vérifications de l'horloge "
	  "des bilans, en millisecondes" },
	{ "timezone", 0, SETTING_STRING, S(timezone), "Europe/Paris", 0, 0,
	  NULL, "fuseau horaire des dates du jour et des clôtures" },
	{ "integrity-check", 0, SETTING_INT, S(integrity_check), "1", 0, 1,
	  NULL, "vérifier l'intégrité de la base au démarrage, en arrière-plan "
	  "(PRAGMA quick_check), et refuser toute écriture dans une base "
	  "endommagée (0 : ne pas vérifier)" },
	{ "rate-limit", 0, SETTING_INT, S(rate_limit), "0", 0, 10000000, NULL,
	  "enregistrements par seconde au plus pour un jeton (en rafale : "
	  "deux secondes d'avance ; 0 : sans limite)" },
	{ "tls-cert", 0, SETTING_STRING, S(tls_cert), "", 0, 0, NULL,
	  "certificat (PEM) : les deux ports parlent alors TLS" },
	{ "tls-key", 0, SETTING_STRING, S(tls_key), "", 0, 0, NULL,
	  "clé privée (PEM) du certificat" },
	{ "new-admin-token", 0, SETTING_STRING, S(new_admin_token), "", 0, 0,
	  NULL, "créer dans la base un jeton admin portant ce libellé, afficher "
	  "son secret et quitter (ctgd arrêté : pour reprendre la main quand "
	  "tous les jetons ont été révoqués)" },
	{ "check", 'n', SETTING_FLAG, S(check), "0", 0, 1, NULL,
	  "vérifier la configuration, l'afficher et quitter" },
	{ "verbose", 'v', SETTING_FLAG, S(verbose), "0", 0, 1, NULL,
	  "journal détaillé" },
};

#define SETTINGS_N	(sizeof(settings_table) / sizeof(settings_table[0]))

static void
settings_usage(FILE *f)
{
	const struct setting	*s;
	size_t			 i;

	fprintf(f, "usage : ctgd [options]\n\n"
	    "Démon de la CTG : reçoit les enregistrements d'activité, les "
	    "stocke et tient les indicateurs à jour.\n\n");
	for (i = 0; i < SETTINGS_N; i++) {
		s = &settings_table[i];
		if (s->shortopt)
			fprintf(f, "  -%c, --%s\n", s->shortopt, s->name);
		else if (s->type == SETTING_CHOICE)
			fprintf(f, "  --%s %s\n", s->name, s->choices);
		else
			fprintf(f, "  --%s VALEUR\n", s->name);
		fprintf(f, "      %s", s->help);
		if (s->type != SETTING_FLAG && s->def[0] != '\0')
			fprintf(f, " (défaut : %s)", s->def);
		fprintf(f, "\n");
	}
	fprintf(f, "  -h, --help\n      cette aide\n");
}

static int
settings_choice_ok(const char *choices, const char *v)
{
	size_t	 n = strlen(v);
	const char *p = choices;

	if (n == 0)
		return 0;
	while ((p = strstr(p, v)) != NULL) {
		if ((p == choices || p[-1] == '|') &&
		    (p[n] == '\0' || p[n] == '|'))
			return 1;
		p += n;
	}
	return 0;
}

static int
settings_set(struct settings *st, const struct setting *s, const char *v)
{
	char		*at = (char *)st + s->offset, *end, h[256], p[16];
	long long	 n;

	switch (s->type) {
	case SETTING_ADDR:
		if (addr_split(v, h, sizeof(h), p, sizeof(p)) == -1) {
			fprintf(stderr, "ctgd : --%s « %s » invalide : attendu "
			    "HOTE:PORT, par exemple 127.0.0.1:7411\n",
			    s->name, v);
			return -1;
		}
		/* FALLTHROUGH */
	case SETTING_STRING:
		*(const char **)at = v;
		return 0;
	case SETTING_CHOICE:
		if (!settings_choice_ok(s->choices, v)) {
			fprintf(stderr, "ctgd : --%s « %s » invalide : attendu "
			    "l'une des valeurs %s\n", s->name, v, s->choices);
			return -1;
		}
		*(const char **)at = v;
		return 0;
	case SETTING_INT:
	case SETTING_FLAG:
		n = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < s->min || n > s->max) {
			fprintf(stderr, "ctgd : --%s « %s » invalide : attendu "
			    "un nombre entier de %lld à %lld\n", s->name, v,
			    s->min, s->max);
			return -1;
		}
		*(long long *)at = n;
		return 0;
	}
	return -1;
}

static const struct setting *
settings_find(const char *arg, const char **inline_value)
{
	size_t	 i, n;

	*inline_value = NULL;
	for (i = 0; i < SETTINGS_N; i++) {
		const struct setting *s = &settings_table[i];

		if (arg[1] == s->shortopt && arg[2] == '\0' && arg[1] != '\0')
			return s;
		if (arg[1] != '-')
			continue;
		n = strlen(s->name);
		if (strncmp(arg + 2, s->name, n) != 0)
			continue;
		if (arg[2 + n] == '\0')
			return s;
		if (arg[2 + n] == '=') {
			*inline_value = arg + 3 + n;
			return s;
		}
	}
	return NULL;
}

int
settings_parse(struct settings *st, int argc, char **argv)
{
	const struct setting	*s;
	const char		*v;
	size_t			 i;
	int			 a;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < SETTINGS_N; i++)
		if (settings_set(st, &settings_table[i],
		    settings_table[i].def) == -1)
			return -1;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-h") == 0 ||
		    strcmp(argv[a], "--help") == 0) {
			settings_usage(stdout);
			return 1;
		}
		if (argv[a][0] != '-' || (s = settings_find(argv[a], &v)) ==
		    NULL) {
			fprintf(stderr, "ctgd : option inconnue « %s » (voir "
			    "ctgd --help)\n", argv[a]);
			return -1;
		}
		if (s->type == SETTING_FLAG && v == NULL)
			v = "1";
		else if (v == NULL && (v = argv[++a]) == NULL) {
			fprintf(stderr, "ctgd : --%s attend une valeur\n",
			    s->name);
			return -1;
		}
		if (settings_set(st, s, v) == -1)
			return -1;
	}
	return 0;
}

void
settings_dump(const struct settings *st, FILE *f)
{
	const struct setting	*s;
	const char		*at;
	size_t			 i;

	for (i = 0; i < SETTINGS_N; i++) {
		s = &settings_table[i];
		at = (const char *)st + s->offset;
		if (s->type == SETTING_INT || s->type == SETTING_FLAG)
			fprintf(f, "%s=%lld\n", s->name,
			    *(const long long *)at);
		else
			fprintf(f, "%s=%s\n", s->name, *(const char *const *)at);
	}
}
