/*
 * conn.h — one client connection of the record protocol: frames in,
 * replies out, one close path.
 */
#ifndef CTG_CONN_H
#define CTG_CONN_H

#include <sys/socket.h>
#include <stddef.h>

#include <event2/util.h>

struct conn;
struct server;
struct writer_job;

/* Takes over fd; on failure closes it. */
void	conn_accept(struct server *, evutil_socket_t fd,
	    const struct sockaddr *, socklen_t);
/* The writer's done callback: sends the job's acks and frees it. */
void	conn_job_done(struct writer_job *, void *srv);
/* Shutdown: stop reading on every connection. */
void	conn_stop_reading_all(struct server *);
/* Shutdown: 1 when no connection has replies left to write. */
int	conn_all_flushed(struct server *);
/*
 * The table is full: closes the oldest connection from addr (NULL: from
 * anyone), other than except, that has not yet done anything a valid
 * token allows (and waits for nothing). 1 when one was.
 */
int	conn_evict_unauthenticated(struct server *, const char *addr,
	    const struct conn *except);
/* Closes every connection (end of shutdown). */
void	conn_close_all(struct server *);

#endif
