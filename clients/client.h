/*
 * client.h — the clients' side of the record protocol: a blocking TCP
 * connection that sends requests and reads replies, frame by frame.
 */
#ifndef CTG_CLIENT_H
#define CTG_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define CLIENT_SERVER_DEFAULT	"127.0.0.1:7411"
#define CLIENT_FRAME_MAX	(64 * 1024 * 1024)	/* bytes of a reply */

struct client {
	int		 fd;
	uint64_t	 next_seq;
	uint8_t		*buf;		/* reply bytes read, not yet consumed */
	size_t		 len, cap;
	char		 server[256];
	uint8_t		 token[32];	/* from $CTG_TOKEN, sent with each request */
	size_t		 token_len;
};

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

#endif
