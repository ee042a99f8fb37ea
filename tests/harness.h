/*
 * harness.h — integration tests: the real ctgd on port 0, the real clients,
 * raw sockets for bytes no client would send, and the database file read
 * directly.
 */
#ifndef CTG_TEST_HARNESS_H
#define CTG_TEST_HARNESS_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

struct daemon {
	pid_t	 pid;
	char	 dir[4096];
	char	 db[4200];
	char	 ports[4200];
	char	 log[4200];
	char	 server[64];
	int	 port;
	int	 http_port;
};

/*
 * Starts ctgd with its database in dir and extra flags (NULL-terminated
 * array, may be NULL); waits for its port file. Fails the test on error.
 */
void	 daemon_start(struct daemon *, const char *dir,
	    const char *const *extra);
/* SIGTERM, then waits; returns the exit status (-1 if killed by a signal). */
int	 daemon_stop(struct daemon *);
/* SIGKILL, then waits. */
void	 daemon_kill9(struct daemon *);
/*
 * An integration test's ground: a new temporary directory (returned), out
 * set to its out.txt, and ctgd started in it with extra flags.
 */
const char *daemon_ground(struct daemon *, char *out, size_t outlen,
	    const char *const *extra);
/*
 * Stops ctgd if it runs and removes dir: ctgd's exit status, 0 when it
 * was not running.
 */
int	 daemon_finish(struct daemon *, const char *dir);

/* Runs build/bin/tool with args; stdout+stderr into out; returns exit status. */
int	 tool_run(const char *out, const char *tool, const char *const *args);
/* The same, without waiting: returns the pid. */
pid_t	 tool_spawn(const char *out, const char *tool, const char *const *args);
/* Waits for a spawned tool; returns its exit status. */
int	 tool_wait(pid_t);

/*
 * ctg-admin token create --role role [--structure structure] on d, as
 * $CTG_TOKEN; the new secret (64 hex digits) into token.
 */
void	 token_create(const struct daemon *, const char *out, const char *role,
	    const char *structure, char token[65]);

/* mkdir, 0 or -1 (the directory may exist). */
int	 mkdir_p(const char *);
/* The whole file, NUL-terminated, malloc'd (fails the test if unreadable). */
char	*file_read(const char *path);
/* Fails the test, showing the file, unless it contains needle. */
void	 file_expect(const char *path, const char *needle);
/* The last non-empty line of a file, in buf. */
const char *file_last_line(const char *path, char *buf, size_t len);
/* Waits, at most secs seconds, until the file exists and holds something. */
void	 file_wait_nonempty(const char *path, int secs);

/* One integer from a SQL query on the database file (read-only). */
long long db_int(const char *db, const char *sql);
/* 1 when a record with this id is stored. */
int	 db_has_record(const char *db, const uint8_t id[16]);

/* A raw TCP connection to 127.0.0.1:port (fails the test on error). */
int	 raw_connect(int port);
void	 raw_send(int fd, const void *, size_t);
void	 raw_send_request(int fd, struct request *);
/*
 * Reads one reply within timeout_ms: 0 with *rep filled, 1 on EOF before
 * any byte, -1 on timeout or a broken frame.
 * Strict: a reply with a string that is not UTF-8 is a broken frame
 * (wire_decode_reply walks every string, as protobuf's other runtimes do).
 */
int	 raw_recv(int fd, struct reply *rep, int timeout_ms);
/* 1 when the peer closes within timeout_ms (after any pending replies). */
int	 raw_wait_eof(int fd, int timeout_ms);
/* A ping on a new connection: 1 when answered with the nonce. */
int	 daemon_answers_ping(const struct daemon *);
/* The same, with a token (64 hex digits). */
int	 daemon_answers_ping_as(const struct daemon *, const char *token);

/*
 * Writes an import file of n records: even records as two rows with an
 * explicit record_id, odd ones as one row without (derived id). Returns
 * the sum of the counts written.
 */
long long csv_write_records(const char *path, int n, unsigned seed);

#endif
