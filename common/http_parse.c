/*
 * http_parse.c — HTTP/1.1 request heads and chunked bodies from bytes.
 *
 * Strict where looseness lets one request hide another (RFC 9112 §5.1,
 * §6.1, §6.3): no blank before a field's colon, no folded lines, one
 * Content-Length, "chunked" as the only transfer coding and never beside
 * a length, Host in HTTP/1.1. Every refusal carries its status and
 * French words that say what was expected.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_parse.h"

static const struct {
	int		 method;
	const char	*name;
} http_method_names[] = {
	{ HTTP_GET, "GET" }, { HTTP_HEAD, "HEAD" }, { HTTP_POST, "POST" },
	{ HTTP_PUT, "PUT" }, { HTTP_DELETE, "DELETE" },
	{ HTTP_OPTIONS, "OPTIONS" }, { HTTP_TRACE, "TRACE" },
	{ HTTP_CONNECT, "CONNECT" }, { HTTP_PATCH, "PATCH" },
};

#define HTTP_NMETHODS	(sizeof(http_method_names) / \
			    sizeof(http_method_names[0]))

static const struct {
	int		 status;
	const char	*phrase;
} http_phrases[] = {
	{ 200, "OK" }, { 304, "Not Modified" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 408, "Request Timeout" },
	{ 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" }, { 429, "Too Many Requests" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
	{ 503, "Service Unavailable" },
	{ 505, "HTTP Version Not Supported" },
};

void
http_methods_list(int methods, char *buf, size_t len)
{
	size_t	 i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < HTTP_NMETHODS && n < len; i++)
		if (methods & http_method_names[i].method)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? ", " : "", http_method_names[i].name);
}

const char *
http_status_phrase(int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(http_phrases) / sizeof(http_phrases[0]); i++)
		if (http_phrases[i].status == status)
			return http_phrases[i].phrase;
	return "Error";
}

static enum http_parse
http_refuse(struct http_refusal *r, int status, const char *why)
{
	r->status = status;
	r->why = why;
	return HTTP_PARSE_BAD;
}

/* RFC 9110 §5.6.2: the characters of a token. */
static int
http_tchar(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) !=
	    NULL);
}

/*
 * The end of the head: the index just past its blank line, or 0 while
 * it has not come. Lines end in CRLF or a lone LF (§2.2).
 */
static size_t
http_head_end(const char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Cuts the line at *p (ending in LF) and moves *p past it. */
static char *
http_line(char **p)
{
	char	*line = *p, *nl = strchr(line, '\n');

	*nl = '\0';
	*p = nl + 1;
	if (nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	return line;
}

static enum http_parse
http_request_line(char *line, struct http_head *h, struct http_refusal *r)
{
	char	*sp1 = strchr(line, ' '), *sp2;
	size_t	 i, n;

	if (sp1 == NULL || (sp2 = strchr(sp1 + 1, ' ')) == NULL ||
	    strchr(sp2 + 1, ' ') != NULL || sp2 == sp1 + 1)
		return http_refuse(r, 400, "ligne de requête illisible : "
		    "attendu MÉTHODE CHEMIN HTTP/1.1");
	*sp1 = *sp2 = '\0';
	for (n = 0; line[n] != '\0'; n++)
		if (!http_tchar((unsigned char)line[n]))
			return http_refuse(r, 400, "méthode illisible : "
			    "attendu GET, HEAD ou POST");
	for (i = 0; i < HTTP_NMETHODS; i++)
		if (strcmp(line, http_method_names[i].name) == 0)
			h->method = http_method_names[i].method;
	if (h->method == 0)
		return http_refuse(r, 501, "méthode inconnue : ce serveur "
		    "comprend GET, HEAD et POST");
	h->target = sp1 + 1;
	if (strlen(h->target) > HTTP_TARGET_MAX)
		return http_refuse(r, 414, "adresse trop longue : 8192 octets "
		    "au plus");
	for (n = 0; h->target[n] != '\0'; n++)
		if ((unsigned char)h->target[n] <= 0x20 ||
		    h->target[n] == 0x7f)
			return http_refuse(r, 400, "adresse illisible : "
			    "caractère de contrôle ou non encodé (attendu "
			    "%XX)");
	if (strncmp(sp2 + 1, "HTTP/", 5) != 0)
		return http_refuse(r, 400, "ligne de requête illisible : "
		    "attendu MÉTHODE CHEMIN HTTP/1.1");
	if (strcmp(sp2 + 1, "HTTP/1.1") == 0)
		h->minor = 1;
	else if (strcmp(sp2 + 1, "HTTP/1.0") == 0)
		h->minor = 0;
	else
		return http_refuse(r, 505, "version de HTTP non prise en "
		    "charge : attendu HTTP/1.1 ou HTTP/1.0");
	return HTTP_PARSE_DONE;
}

static enum http_parse
http_field_line(char *line, struct http_head *h, struct http_refusal *r)
{
	char	*colon = strchr(line, ':'), *v, *end;
	size_t	 n;

	if (line[0] == ' ' || line[0] == '\t')
		return http_refuse(r, 400, "en-tête invalide : une ligne ne "
		    "commence pas par un blanc (pas de ligne repliée)");
	if (colon == NULL || colon == line)
		return http_refuse(r, 400, "en-tête invalide : attendu "
		    "Nom: valeur");
	for (n = 0; line + n < colon; n++)
		if (!http_tchar((unsigned char)line[n]))
			return http_refuse(r, 400, "en-tête invalide : un nom "
			    "d'en-tête ne contient ni espace ni tabulation "
			    "(rien avant le « : »)");
	*colon = '\0';
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	for (n = 0; v[n] != '\0'; n++)
		if (((unsigned char)v[n] < 0x20 && v[n] != '\t') ||
		    v[n] == 0x7f)
			return http_refuse(r, 400, "en-tête invalide : "
			    "caractère de contrôle dans une valeur");
	if (h->nfields == HTTP_FIELDS_MAX)
		return http_refuse(r, 431, "trop d'en-têtes : 64 au plus");
	h->fields[h->nfields].name = line;
	h->fields[h->nfields++].value = v;
	return HTTP_PARSE_DONE;
}

const char *
http_field(const struct http_head *h, const char *name)
{
	size_t	 i;

	for (i = 0; i < h->nfields; i++)
		if (strcasecmp(h->fields[i].name, name) == 0)
			return h->fields[i].value;
	return NULL;
}

static size_t
http_field_count(const struct http_head *h, const char *name)
{
	size_t	 i, n = 0;

	for (i = 0; i < h->nfields; i++)
		n += strcasecmp(h->fields[i].name, name) == 0;
	return n;
}

/* 1 when the comma-separated list v holds the token t (any case). */
static int
http_list_has(const char *v, const char *t)
{
	size_t	 n = strlen(t), k;

	while (v != NULL && *v != '\0') {
		v += strspn(v, " \t,");
		k = strcspn(v, ",");
		while (k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t'))
			k--;
		if (k == n && strncasecmp(v, t, n) == 0)
			return 1;
		v += strcspn(v, ",");
	}
	return 0;
}

/* The framing and the connection's fate, from the fields. */
static enum http_parse
http_framing(struct http_head *h, struct http_refusal *r)
{
	const char	*cl = http_field(h, "Content-Length");
	const char	*te = http_field(h, "Transfer-Encoding");
	const char	*conn = http_field(h, "Connection");
	char		*end;

	if (http_field_count(h, "Content-Length") > 1)
		return http_refuse(r, 400, "Content-Length répété : attendu "
		    "une seule longueur");
	if (http_field_count(h, "Transfer-Encoding") > 1)
		return http_refuse(r, 400, "Transfer-Encoding répété : attendu "
		    "un seul");
	if (cl != NULL && te != NULL)
		return http_refuse(r, 400, "Content-Length et Transfer-Encoding "
		    "ensemble : attendu l'un ou l'autre");
	if (te != NULL && (strcasecmp(te, "chunked") != 0 || h->minor == 0))
		return http_refuse(r, 400, "Transfer-Encoding non pris en "
		    "charge : attendu chunked (HTTP/1.1), ou Content-Length");
	h->chunked = te != NULL;
	h->length = -1;
	if (cl != NULL) {
		if (cl[0] == '\0' || strspn(cl, "0123456789") != strlen(cl) ||
		    strlen(cl) > 15)
			return http_refuse(r, 400, "Content-Length invalide : "
			    "attendu un nombre d'octets");
		h->length = strtoll(cl, &end, 10);
	}
	if (h->minor >= 1 && http_field_count(h, "Host") != 1)
		return http_refuse(r, 400, http_field(h, "Host") == NULL ?
		    "en-tête Host absent : HTTP/1.1 le demande" :
		    "en-tête Host répété : attendu un seul");
	h->keep_alive = h->minor >= 1 ? !http_list_has(conn, "close") :
	    http_list_has(conn, "keep-alive");
	return HTTP_PARSE_DONE;
}

enum http_parse
http_parse_head(char *buf, size_t len, size_t max, struct http_head *h,
    size_t *used, struct http_refusal *r)
{
	size_t		 skip = 0, end;
	char		*p;
	enum http_parse	 res;

	memset(h, 0, sizeof(*h));
	/* Blank lines before a request are passed over (§2.2). */
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	if ((end = http_head_end(buf + skip, len - skip)) == 0)
		return len >= max ? http_refuse(r, 431, "en-têtes trop "
		    "longs : 16 Kio au plus") : HTTP_PARSE_MORE;
	if (end > max)
		return http_refuse(r, 431, "en-têtes trop longs : 16 Kio au "
		    "plus");
	if (memchr(buf + skip, '\0', end) != NULL)
		return http_refuse(r, 400, "requête illisible : octet nul dans "
		    "les en-têtes");
	p = buf + skip;
	/* The blank line ends the text to read; it becomes the NUL. */
	p[end - 1] = '\0';
	if ((res = http_request_line(http_line(&p), h, r)) != HTTP_PARSE_DONE)
		return res;
	/* Up to the blank line, whose CR (if any) is all that is left. */
	while (*p != '\0' && strcmp(p, "\r") != 0)
		if ((res = http_field_line(http_line(&p), h, r)) !=
		    HTTP_PARSE_DONE)
			return res;
	if ((res = http_framing(h, r)) != HTTP_PARSE_DONE)
		return res;
	*used = skip + end;
	return HTTP_PARSE_DONE;
}

enum {
	CHUNK_SIZE,		/* hex digits of a chunk's size */
	CHUNK_EXT,		/* ;name=value up to the line's end */
	CHUNK_DATA,
	CHUNK_DATA_END,		/* CRLF after the data */
	CHUNK_TRAILER,		/* fields after the last chunk, ignored */
	CHUNK_DONE,
};

#define CHUNK_LINE_MAX	4096	/* bytes of a size line or trailer */

enum http_parse
http_chunked_feed(struct http_chunked *st, const char *in, size_t len,
    size_t max, struct buf *out, size_t *used, struct http_refusal *r)
{
	size_t	 i = 0, n;
	int	 d;

	while (i < len && st->state != CHUNK_DONE) {
		unsigned char c = (unsigned char)in[i];

		switch (st->state) {
		case CHUNK_SIZE:
			d = isdigit(c) ? c - '0' : isxdigit(c) ?
			    tolower(c) - 'a' + 10 : -1;
			if (d >= 0) {
				if (st->line++ >= 15)
					return http_refuse(r, 413, "morceau "
					    "trop grand (Transfer-Encoding: "
					    "chunked)");
				st->left = st->left * 16 + (unsigned)d;
				i++;
				break;
			}
			if (st->line == 0)
				return http_refuse(r, 400, "corps découpé "
				    "illisible : attendu la taille du morceau "
				    "en hexadécimal");
			st->state = CHUNK_EXT;
			break;
		case CHUNK_EXT:
			i++;
			if (++st->line > CHUNK_LINE_MAX)
				return http_refuse(r, 400, "corps découpé "
				    "illisible : ligne de taille trop longue");
			if (c != '\n')
				break;
			st->line = 0;
			if (st->left > max || st->total + st->left > max)
				return http_refuse(r, 413, "corps de requête "
				    "trop grand : 1 Mio au plus");
			st->state = st->left == 0 ? CHUNK_TRAILER : CHUNK_DATA;
			break;
		case CHUNK_DATA:
			n = len - i < st->left ? len - i : (size_t)st->left;
			buf_add(out, in + i, n);
			if (out->failed)
				return http_refuse(r, 503, "mémoire "
				    "insuffisante");
			i += n;
			st->left -= n;
			st->total += n;
			if (st->left == 0)
				st->state = CHUNK_DATA_END;
			break;
		case CHUNK_DATA_END:
			if (c == '\r' && st->line == 0) {
				st->line = 1;
				i++;
				break;
			}
			if (c != '\n')
				return http_refuse(r, 400, "corps découpé "
				    "illisible : attendu CRLF après un "
				    "morceau");
			i++;
			st->line = 0;
			st->state = CHUNK_SIZE;
			break;
		case CHUNK_TRAILER:
			/* A CR counts for nothing: CRLF and LF end alike. */
			i++;
			if (c == '\n') {
				if (st->line == 0)
					st->state = CHUNK_DONE;
				st->line = 0;
			} else if (c != '\r' && ++st->line > CHUNK_LINE_MAX)
				return http_refuse(r, 431, "en-têtes de fin "
				    "trop longs");
			break;
		}
	}
	*used = i;
	return st->state == CHUNK_DONE ? HTTP_PARSE_DONE : HTTP_PARSE_MORE;
}
