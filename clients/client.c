/* client.c — blocking frames over TCP, for the command-line tools. */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "addr.h"
#include "client.h"
#include "framing.h"
#include "wire.h"

/* errno -> French; unreachable: the network's or ctgd's doing. */
static const struct {
	int		 errnum;
	int		 unreachable;
	const char	*text;
} client_errors[] = {
	{ ECONNREFUSED, 1, "connexion refusée : ctgd n'écoute pas à cette "
	    "adresse" },
	{ ETIMEDOUT, 1, "délai dépassé : le serveur ne répond pas (réseau "
	    "coupé ou pare-feu ?)" },
	{ EHOSTUNREACH, 1, "machine injoignable : aucune route vers le "
	    "serveur" },
	{ ENETUNREACH, 1, "réseau injoignable : cet ordinateur est-il "
	    "connecté ?" },
	{ ENETDOWN, 1, "réseau hors service" },
	{ EHOSTDOWN, 1, "machine du serveur éteinte ou hors du réseau" },
	{ ECONNRESET, 1, "connexion coupée par le serveur" },
	{ ECONNABORTED, 1, "connexion abandonnée" },
	{ EPIPE, 1, "connexion fermée par le serveur pendant l'envoi" },
	{ EADDRNOTAVAIL, 1, "adresse indisponible sur cet ordinateur" },
	{ EAFNOSUPPORT, 0, "famille d'adresses non prise en charge (IPv6 "
	    "désactivé ?)" },
	{ EACCES, 0, "permission refusée" },
	{ EPERM, 0, "opération non permise" },
	{ ENOENT, 0, "fichier ou dossier introuvable" },
	{ ENOTDIR, 0, "un élément du chemin n'est pas un dossier" },
	{ EISDIR, 0, "c'est un dossier, pas un fichier" },
	{ ENOSPC, 0, "plus de place sur le disque" },
	{ EDQUOT, 0, "quota de disque dépassé" },
	{ EROFS, 0, "système de fichiers en lecture seule" },
	{ EFBIG, 0, "fichier trop gros" },
	{ EIO, 0, "erreur d'entrée-sortie (disque ou réseau)" },
	{ EMFILE, 0, "trop de fichiers ouverts par ce programme" },
	{ ENFILE, 0, "trop de fichiers ouverts sur le système" },
	{ ENOMEM, 0, "mémoire insuffisante" },
	{ ENOBUFS, 0, "mémoire réseau insuffisante" },
	{ EINTR, 0, "interrompu par un signal" },
	{ EAGAIN, 1, "ressource momentanément indisponible, réessayez" },
	{ EINVAL, 0, "argument invalide" },
	{ 0, 1, "connexion interrompue" },
};

/* getaddrinfo's errors, the same way. */
static const struct {
	int		 code;
	int		 unreachable;
	const char	*text;
} client_gai_errors[] = {
	{ EAI_NONAME, 0, "nom de machine inconnu" },
	{ EAI_AGAIN, 1, "résolution du nom impossible pour l'instant "
	    "(réseau ou serveur de noms indisponible)" },
	{ EAI_FAIL, 1, "échec du serveur de noms" },
	{ EAI_NODATA, 0, "ce nom n'a pas d'adresse" },
	{ EAI_FAMILY, 0, "famille d'adresses non prise en charge" },
	{ EAI_SERVICE, 0, "port invalide" },
	{ EAI_MEMORY, 0, "mémoire insuffisante" },
};

static int
client_error_index(int errnum)
{
	size_t	 i;

	for (i = 0; i < sizeof(client_errors) / sizeof(client_errors[0]); i++)
		if (client_errors[i].errnum == errnum)
			return (int)i;
	return -1;
}

const char *
client_strerror(int errnum)
{
	static char	 other[48];
	int		 i = client_error_index(errnum);

	if (i != -1)
		return client_errors[i].text;
	snprintf(other, sizeof(other), "erreur système n° %d", errnum);
	return other;
}

/* A name-service failure in French; sets *unreachable. */
static const char *
client_gai_strerror(int code, int *unreachable)
{
	size_t	 i;
	int	 e;

	if (code == EAI_SYSTEM) {
		e = client_error_index(errno);
		*unreachable = e == -1 || client_errors[e].unreachable;
		return client_strerror(errno);
	}
	for (i = 0; i < sizeof(client_gai_errors) /
	    sizeof(client_gai_errors[0]); i++)
		if (client_gai_errors[i].code == code) {
			*unreachable = client_gai_errors[i].unreachable;
			return client_gai_errors[i].text;
		}
	*unreachable = 1;
	return "résolution du nom impossible";
}

/* Certificate checks that fail, in French; others by their number. */
static const char *
client_x509_strerror(long v)
{
	static const struct {
		long		 code;
		const char	*text;
	} texts[] = {
		{ X509_V_ERR_CERT_HAS_EXPIRED, "le certificat du serveur a "
		    "expiré" },
		{ X509_V_ERR_CERT_NOT_YET_VALID, "le certificat du serveur "
		    "n'est pas encore valide (horloge de cet ordinateur ?)" },
		{ X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "le certificat du "
		    "serveur est auto-signé : donnez-le avec --ca" },
		{ X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "la chaîne du "
		    "certificat mène à une autorité inconnue : --ca ?" },
		{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "autorité du "
		    "certificat inconnue : donnez-la avec --ca" },
		{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, "autorité du "
		    "certificat inconnue : donnez-la avec --ca" },
		{ X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, "certificat "
		    "impossible à vérifier : autorité inconnue (--ca ?)" },
		{ X509_V_ERR_HOSTNAME_MISMATCH, "le certificat n'est pas celui "
		    "de ce nom de serveur" },
		{ X509_V_ERR_IP_ADDRESS_MISMATCH, "le certificat n'est pas "
		    "celui de cette adresse" },
		{ X509_V_ERR_CERT_REVOKED, "le certificat du serveur est "
		    "révoqué" },
		{ X509_V_ERR_CERT_SIGNATURE_FAILURE, "signature du certificat "
		    "invalide" },
		{ X509_V_ERR_INVALID_PURPOSE, "certificat non prévu pour un "
		    "serveur" },
	};
	static char	 other[64];
	size_t		 i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].code == v)
			return texts[i].text;
	snprintf(other, sizeof(other), "certificat refusé (erreur X509 n° %ld)",
	    v);
	return other;
}

const char *
client_server(const char *flag)
{
	const char	*env;

	if (flag != NULL)
		return flag;
	if ((env = getenv("CTG_SERVER")) != NULL && *env != '\0')
		return env;
	return CLIENT_SERVER_DEFAULT;
}

/* $CTG_TOKEN: 64 hex digits, or nothing. */
static int
client_token(struct client *cl, char *err, size_t errlen)
{
	const char	*t = getenv("CTG_TOKEN");
	unsigned	 byte;
	size_t		 i;

	if (t == NULL || *t == '\0')
		return 0;
	if (strlen(t) != 2 * sizeof(cl->token)) {
		snprintf(err, errlen, "jeton invalide : attendu 64 chiffres "
		    "hexadécimaux (--token ou $CTG_TOKEN)");
		return -1;
	}
	for (i = 0; i < sizeof(cl->token); i++) {
		if (sscanf(t + 2 * i, "%2x", &byte) != 1) {
			snprintf(err, errlen, "jeton invalide : attendu 64 "
			    "chiffres hexadécimaux");
			return -1;
		}
		cl->token[i] = (uint8_t)byte;
	}
	cl->token_len = sizeof(cl->token);
	return 0;
}

int
client_option(int argc, char **argv, int *i)
{
	const char	*a = argv[*i];

	if (strcmp(a, "--tls") == 0) {
		setenv("CTG_TLS", "1", 1);
		return 1;
	}
	if (*i + 1 >= argc)
		return 0;
	if (strcmp(a, "--token") == 0)
		setenv("CTG_TOKEN", argv[++*i], 1);
	else if (strcmp(a, "--ca") == 0) {
		setenv("CTG_CA", argv[++*i], 1);
		setenv("CTG_TLS", "1", 1);
	} else
		return 0;
	return 1;
}

/* TLS over the connected socket, the server's certificate verified. */
static int
client_tls(struct client *cl, const char *host, char *err, size_t errlen)
{
	const char	*ca = getenv("CTG_CA");
	long		 v;

	signal(SIGPIPE, SIG_IGN);	/* a closed peer is an error, not a kill */
	if ((cl->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(cl->ctx, TLS1_2_VERSION) != 1)
		goto fail;
	SSL_CTX_set_verify(cl->ctx, SSL_VERIFY_PEER, NULL);
	if ((ca != NULL && *ca != '\0') ?
	    SSL_CTX_load_verify_locations(cl->ctx, ca, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(cl->ctx) != 1) {
		snprintf(err, errlen, "autorité de certification %s illisible",
		    ca ? ca : "du système");
		return -1;
	}
	if ((cl->ssl = SSL_new(cl->ctx)) == NULL ||
	    SSL_set_fd(cl->ssl, cl->fd) != 1)
		goto fail;
	/* The name or address dialled must be the certificate's. */
	if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(cl->ssl), host) != 1)
		SSL_set1_host(cl->ssl, host);
	if (SSL_connect(cl->ssl) != 1) {
		v = SSL_get_verify_result(cl->ssl);
		snprintf(err, errlen, "TLS avec le serveur %s impossible : %s",
		    cl->server, v != X509_V_OK ? client_x509_strerror(v) :
		    "poignée de main refusée (le serveur parle-t-il TLS ?)");
		return -1;
	}
	return 0;
fail:
	snprintf(err, errlen, "TLS indisponible (mémoire ou bibliothèque)");
	return -1;
}

/*
 * connect() within CLIENT_CONNECT_S: a village hall's network may drop
 * packets silently, and the kernel would wait minutes. 0, or -1 with errno.
 */
static int
client_dial(int fd, const struct addrinfo *ai)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLOUT };
	socklen_t	 len = sizeof(int);
	int		 flags = fcntl(fd, F_GETFL), e = 0, rc;

	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			return -1;
		while ((rc = poll(&pfd, 1, CLIENT_CONNECT_S * 1000)) == -1 &&
		    errno == EINTR)
			;
		if (rc == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (rc == -1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
		    &len) == -1)
			return -1;
		if (e != 0) {
			errno = e;
			return -1;
		}
	}
	return fcntl(fd, F_SETFL, flags);
}

int
client_connect(struct client *cl, const char *server, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256], port[16];
	int		 rc, fd = -1, saved = 0;

	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
	snprintf(cl->server, sizeof(cl->server), "%s", server);
	if (client_token(cl, err, errlen) == -1)
		return -1;
	if (addr_split(server, host, sizeof(host), port, sizeof(port)) == -1) {
		snprintf(err, errlen, "adresse du serveur « %s » invalide : "
		    "attendu HOTE:PORT, par exemple 127.0.0.1:7411", server);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		const char *why = client_gai_strerror(rc, &cl->unreachable);

		snprintf(err, errlen, "serveur %s introuvable : %s", server,
		    why);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1) {
			saved = errno;
			continue;
		}
		if (client_dial(fd, ai) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		rc = client_error_index(saved);
		cl->unreachable = rc == -1 || client_errors[rc].unreachable;
		snprintf(err, errlen, "connexion au serveur %s impossible : %s",
		    server, client_strerror(saved));
		return -1;
	}
	cl->fd = fd;
	if (getenv("CTG_TLS") != NULL && *getenv("CTG_TLS") != '\0' &&
	    strcmp(getenv("CTG_TLS"), "0") != 0 &&
	    client_tls(cl, host, err, errlen) == -1) {
		client_close(cl);
		return -1;
	}
	return 0;
}

int
client_send(struct client *cl, struct request *req, char *err,
    size_t errlen)
{
	uint8_t		*frame;
	size_t		 len, off = 0;
	ssize_t		 n;

	req->seq = ++cl->next_seq;
	if (cl->token_len > 0) {
		req->token = cl->token;
		req->token_len = cl->token_len;
	}
	if ((frame = wire_encode_request(req, &len)) == NULL) {
		snprintf(err, errlen, "requête impossible à encoder "
		    "(mémoire insuffisante)");
		return -1;
	}
	while (off < len) {
		n = cl->ssl != NULL ? SSL_write(cl->ssl, frame + off,
		    (int)(len - off)) : send(cl->fd, frame + off, len - off,
		    MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "envoi au serveur %s interrompu : "
			    "%s", cl->server, client_strerror(n == 0 ? 0 :
			    errno));
			free(frame);
			return -1;
		}
		off += (size_t)n;
	}
	free(frame);
	return 0;
}

/* Reads until at least want bytes are buffered. */
static int
client_fill(struct client *cl, size_t want, char *err, size_t errlen)
{
	ssize_t	 n;

	if (want > cl->cap) {
		size_t	 cap = cl->cap ? cl->cap : 65536;
		uint8_t	*p;

		while (cap < want)
			cap *= 2;
		if ((p = realloc(cl->buf, cap)) == NULL) {
			snprintf(err, errlen, "mémoire insuffisante");
			return -1;
		}
		cl->buf = p;
		cl->cap = cap;
	}
	while (cl->len < want) {
		n = cl->ssl != NULL ? SSL_read(cl->ssl, cl->buf + cl->len,
		    (int)(cl->cap - cl->len)) : recv(cl->fd, cl->buf + cl->len,
		    cl->cap - cl->len, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0) {
			snprintf(err, errlen, "le serveur %s a fermé la "
			    "connexion", cl->server);
			return -1;
		}
		if (n < 0) {
			snprintf(err, errlen, "lecture depuis le serveur %s "
			    "interrompue : %s", cl->server,
			    client_strerror(errno));
			return -1;
		}
		cl->len += (size_t)n;
	}
	return 0;
}

int
client_recv(struct client *cl, struct reply *rep, char *err, size_t errlen)
{
	const char	*why;
	size_t		 len = 0, total;

	if (client_fill(cl, FRAME_HEADER, err, errlen) == -1)
		return -1;
	switch (framing_scan(cl->buf, cl->len, CLIENT_FRAME_MAX, &len)) {
	case FRAMING_EMPTY:
	case FRAMING_TOO_LARGE:
		snprintf(err, errlen, "réponse du serveur %s invalide "
		    "(longueur %zu)", cl->server, len);
		return -1;
	default:
		break;
	}
	total = FRAME_HEADER + len;
	if (client_fill(cl, total, err, errlen) == -1)
		return -1;
	if (wire_decode_reply(cl->buf + FRAME_HEADER, len, rep, &why) == -1) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	/* The reply points into its own arena, so the bytes can go. */
	memmove(cl->buf, cl->buf + total, cl->len - total);
	cl->len -= total;
	return 0;
}

void
client_close(struct client *cl)
{
	if (cl->ssl != NULL) {
		SSL_shutdown(cl->ssl);
		SSL_free(cl->ssl);
		cl->ssl = NULL;
	}
	SSL_CTX_free(cl->ctx);
	cl->ctx = NULL;
	if (cl->fd != -1)
		close(cl->fd);
	free(cl->buf);
	cl->buf = NULL;
	cl->fd = -1;
}

double
client_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
