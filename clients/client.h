/*
 * client.h — the clients' side of the record protocol: a blocking TCP
 * connection that sends requests and reads replies, frame by frame.
 */
#ifndef CTG_CLIENT_H
#define CTG_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

struct ssl_ctx_st;
struct ssl_st;

#define CLIENT_SERVER_DEFAULT	"127.0.0.1:7411"
#define CLIENT_FRAME_MAX	(64 * 1024 * 1024)	/* bytes of a reply */
#define CLIENT_CONNECT_S	10	/* s for the server to take a connection */

struct client {
	int		 fd;
	uint64_t	 next_seq;
	uint8_t		*buf;		/* reply bytes read, not yet consumed */
	size_t		 len, cap;
	char		 server[256];
	uint8_t		 token[32];	/* from $CTG_TOKEN, sent with each request */
	size_t		 token_len;
	struct ssl_ctx_st *ctx;		/* TLS ($CTG_TLS), verified ($CTG_CA) */
	struct ssl_st	*ssl;
	/*
	 * Set by a failed client_connect when the network or ctgd was the
	 * cause (nothing listening, no route, time-out, name service down),
	 * not the address, the token or TLS: worth keeping records for later.
	 */
	int		 unreachable;
};

/*
 * The options every tool takes besides --server: --token JETON, --tls,
 * --ca FICHIER (they set $CTG_TOKEN, $CTG_TLS, $CTG_CA). Returns 1 and
 * moves *i past them when argv[*i] is one, else 0.
 */
int		 client_option(int argc, char **argv, int *i);
#define CLIENT_OPTIONS_HELP						\
"  --token JETON        jeton d'accès (défaut : $CTG_TOKEN)\n"		\
"  --tls                parler TLS à ctgd (défaut : $CTG_TLS)\n"		\
"  --ca FICHIER         autorité qui signe le certificat de ctgd (défaut :\n" \
"                       $CTG_CA, sinon celles du système)\n"

/* The --server value: the flag, else $CTG_SERVER, else the default. */
const char	*client_server(const char *flag);
/*
 * Connects; returns 0, or -1 with a French message in err. The token in
 * $CTG_TOKEN (64 hex digits), if any, goes with every request.
 */
int		 client_connect(struct client *, const char *server,
		    char *err, size_t errlen);
/* Sends req with the next sequence number (set in req->seq). 0 or -1. */
int		 client_send(struct client *, struct request *,
		    char *err, size_t errlen);
/* Reads one reply; 0, or -1 with a French message in err. */
int		 client_recv(struct client *, struct reply *,
		    char *err, size_t errlen);
void		 client_close(struct client *);
/*
 * A system error (errno) in French, for every message a person reads:
 * never strerror's English. Unknown numbers read "erreur système n° N".
 */
const char	*client_strerror(int errnum);
/* Seconds on a monotonic clock, for the tools that time what they do. */
double		 client_clock(void);

#endif
