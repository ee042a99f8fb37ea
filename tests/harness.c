/* harness.c — processes, sockets and files for the integration tests. */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "framing.h"
#include "harness.h"
#include "tmpdir.h"
#include "uuid.h"
#include "wire.h"

#ifndef CTG_BIN_DIR
#error "CTG_BIN_DIR must name the directory of the built programs"
#endif

static void
sleep_ms(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Runs prog from the build; ctgd runs under $CTG_DAEMON_WRAPPER when set
 * (for instance "valgrind -q --error-exitcode=99"), words split on spaces.
 */
static pid_t
spawn(const char *out, const char *prog, const char *const *head,
    const char *const *args)
{
	const char	*argv[64], *wrap = getenv("CTG_DAEMON_WRAPPER");
	char		 path[4096], words[1024], *w, *save;
	size_t		 n = 0;
	pid_t		 pid;
	int		 fd;

	snprintf(path, sizeof(path), "%s/%s", CTG_BIN_DIR, prog);
	if (wrap != NULL && strcmp(prog, "ctgd") == 0) {
		snprintf(words, sizeof(words), "%s", wrap);
		for (w = strtok_r(words, " ", &save); w != NULL && n < 16;
		    w = strtok_r(NULL, " ", &save))
			argv[n++] = w;
	}
	argv[n++] = path;
	for (; head != NULL && *head != NULL && n < 40; head++)
		argv[n++] = *head;
	for (; args != NULL && *args != NULL && n < 62; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	fflush(NULL);
	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		/* Each test directory has its own client outbox. */
		if (getenv("CTG_OUTBOX") == NULL) {
			char	 box[4200], *slash;

			snprintf(box, sizeof(box), "%s", out);
			if ((slash = strrchr(box, '/')) != NULL) {
				snprintf(slash, sizeof(box) - (size_t)(slash -
				    box), "/outbox.db");
				setenv("CTG_OUTBOX", box, 1);
			}
		}
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
			_exit(127);
		/* A disk that fills up: the files ctgd may grow, in bytes. */
		if (strcmp(prog, "ctgd") == 0 &&
		    getenv("CTG_TEST_FSIZE") != NULL) {
			struct rlimit rl;

			rl.rlim_cur = (rlim_t)atoll(getenv("CTG_TEST_FSIZE"));
			rl.rlim_max = RLIM_INFINITY;
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int
tool_wait(pid_t pid)
{
	int	 status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			fail_msg("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t
tool_spawn(const char *out, const char *tool, const char *const *args)
{
	return spawn(out, tool, NULL, args);
}

int
tool_run(const char *out, const char *tool, const char *const *args)
{
	return tool_wait(spawn(out, tool, NULL, args));
}

void
daemon_start(struct daemon *d, const char *dir, const char *const *extra)
{
	const char	*head[12];
	char		*ports;
	static char	 reports[4200];
	int		 i;

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "%s", dir);
	snprintf(d->db, sizeof(d->db), "%s/ctgd.db", dir);
	snprintf(d->ports, sizeof(d->ports), "%s/ports", dir);
	snprintf(d->log, sizeof(d->log), "%s/ctgd.log", dir);
	unlink(d->ports);
	head[0] = "--db";
	head[1] = d->db;
	head[2] = "--listen";
	head[3] = "127.0.0.1:0";
	head[4] = "--http";
	head[5] = "127.0.0.1:0";
	head[6] = "--port-file";
	head[7] = d->ports;
	snprintf(reports, sizeof(reports), "%s/reports", dir);
	head[8] = "--reports";
	head[9] = reports;
	head[10] = NULL;
	d->pid = spawn(d->log, "ctgd", head, extra);
	for (i = 0; i < 1000; i++) {		/* 10 s */
		if (access(d->ports, R_OK) == 0)
			break;
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
			char *log = file_read(d->log);

			fail_msg("ctgd exited at start:\n%s", log);
		}
		sleep_ms(10);
	}
	ports = file_read(d->ports);
	if (sscanf(ports, "listen %d\nhttp %d", &d->port, &d->http_port) != 2)
		fail_msg("port file: %s", ports);
	free(ports);
	snprintf(d->server, sizeof(d->server), "127.0.0.1:%d", d->port);
}

int
daemon_stop(struct daemon *d)
{
	int	 rc;

	kill(d->pid, SIGTERM);
	rc = tool_wait(d->pid);
	d->pid = 0;
	if (rc != 0) {	/* what it said, to see why */
		char *log = file_read(d->log);

		print_message("ctgd stopped with %d; its log:\n%s\n", rc,
		    log != NULL ? log : "(none)");
		free(log);
	}
	return rc;
}

void
daemon_kill9(struct daemon *d)
{
	kill(d->pid, SIGKILL);
	tool_wait(d->pid);
	d->pid = 0;
}

const char *
daemon_ground(struct daemon *d, char *out, size_t outlen,
    const char *const *extra)
{
	const char	*dir = tmpdir_make();

	assert_non_null(dir);
	tmpdir_path(out, outlen, dir, "out.txt");
	daemon_start(d, dir, extra);
	return dir;
}

int
daemon_finish(struct daemon *d, const char *dir)
{
	int	 rc = d->pid > 0 ? daemon_stop(d) : 0;

	tmpdir_remove(dir);
	return rc;
}

void
token_create(const struct daemon *d, const char *out, const char *role,
    const char *structure, char token[65])
{
	const char	*args[] = { "--server", d->server, "token", "create",
			    "--role", role, structure ? "--structure" : NULL,
			    structure, NULL };
	char		 line[256];

	assert_int_equal(tool_run(out, "ctg-admin", args), 0);
	file_last_line(out, line, sizeof(line));
	assert_int_equal(strlen(line), 64);
	memcpy(token, line, 65);
}

int
mkdir_p(const char *path)
{
	return mkdir(path, 0755) == -1 && errno != EEXIST ? -1 : 0;
}

char *
file_read(const char *path)
{
	struct stat	 st;
	char		*buf;
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1)
		fail_msg("read %s: %s", path, strerror(errno));
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	n = fread(buf, 1, (size_t)st.st_size, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

void
file_expect(const char *path, const char *needle)
{
	char	*text = file_read(path);

	if (strstr(text, needle) == NULL)
		fail_msg("%s lacks \"%s\"; it holds:\n%.3000s", path, needle,
		    text);
	free(text);
}

void
file_wait_nonempty(const char *path, int secs)
{
	struct stat	 st;
	int		 i;

	for (i = 0; i < secs * 100; i++) {
		if (stat(path, &st) == 0 && st.st_size > 0)
			return;
		sleep_ms(10);
	}
}

const char *
file_last_line(const char *path, char *buf, size_t len)
{
	char	*text = file_read(path), *end, *start;

	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	start = strrchr(text, '\n');
	snprintf(buf, len, "%s", start ? start + 1 : text);
	free(text);
	return buf;
}

long long
db_int(const char *db, const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("open %s: %s", db, sqlite3_errmsg(h));
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

int
db_has_record(const char *db, const uint8_t id[16])
{
	char	 sql[128], hex[33];
	int	 i;

	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM record WHERE "
	    "id = x'%s'", hex);
	return db_int(db, sql) == 1;
}

int
raw_connect(int port)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	int			 fd;

	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		fail_msg("connect 127.0.0.1:%d: %s", port, strerror(errno));
	return fd;
}

void
raw_send(int fd, const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) <= 0)
			fail_msg("send: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
}

void
raw_send_request(int fd, struct request *req)
{
	uint8_t	*frame;
	size_t	 len;

	assert_non_null(frame = wire_encode_request(req, &len));
	raw_send(fd, frame, len);
	free(frame);
}

/* Reads exactly len bytes before the deadline: 0, 1 on EOF, -1 on timeout. */
static int
raw_read_full(int fd, uint8_t *buf, size_t len, int timeout_ms)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	size_t		 got = 0;
	ssize_t		 n;

	while (got < len) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -1;
		if ((n = recv(fd, buf + got, len - got, 0)) == 0)
			return 1;
		if (n < 0)
			return errno == ECONNRESET ? 1 : -1;
		got += (size_t)n;
	}
	return 0;
}

int
raw_recv(int fd, struct reply *rep, int timeout_ms)
{
	uint8_t		 hdr[FRAME_HEADER], *body;
	size_t		 len = 0;
	const char	*why;
	int		 rc;

	if ((rc = raw_read_full(fd, hdr, sizeof(hdr), timeout_ms)) != 0)
		return rc;
	if (framing_scan(hdr, sizeof(hdr), 1 << 26, &len) == FRAMING_EMPTY)
		return -1;
	body = malloc(len);
	assert_non_null(body);
	if (raw_read_full(fd, body, len, timeout_ms) != 0 ||
	    wire_decode_reply(body, len, rep, &why) != 0) {
		free(body);
		return -1;
	}
	free(body);
	return 0;
}

int
raw_wait_eof(int fd, int timeout_ms)
{
	uint8_t	 buf[256];

	return raw_read_full(fd, buf, sizeof(buf), timeout_ms) == 1;
}

int
daemon_answers_ping(const struct daemon *d)
{
	return daemon_answers_ping_as(d, NULL);
}

int
daemon_answers_ping_as(const struct daemon *d, const char *token)
{
	struct request	 req = { .seq = 7, .kind = REQUEST_PING,
			    .nonce = 0x5eed };
	uint8_t		 secret[32];
	unsigned	 byte;
	size_t		 i;

	for (i = 0; token != NULL && i < sizeof(secret); i++) {
		sscanf(token + 2 * i, "%2x", &byte);
		secret[i] = (uint8_t)byte;
	}
	if (token != NULL) {
		req.token = secret;
		req.token_len = sizeof(secret);
	}
	struct reply	 rep;
	int		 fd = raw_connect(d->port), ok;

	raw_send_request(fd, &req);
	if (raw_recv(fd, &rep, 5000) != 0) {
		close(fd);
		return 0;
	}
	ok = rep.kind == REPLY_PONG && rep.nonce == 0x5eed && rep.seq == 7;
	reply_free(&rep);
	close(fd);
	return ok;
}

long long
csv_write_records(const char *path, int n, unsigned seed)
{
	static const char *const communes[] = { "46201", "46063", "46172",
	    "46217", "46263", "46014", "46326", "82121", "" };
	static const char *const ateliers[] = { "II.A.9", "9,III.A.18", "",
	    "III.A.18" };
	static const char *const chantiers[] = { "III.A.17", "17,19", "" };
	FILE		*f = fopen(path, "w");
	long long	 total = 0;
	uint8_t		 id[16];
	char		 rid[UUID_TEXT_LEN + 1];
	int		 i, c1, c2;

	assert_non_null(f);
	fputs("\xef\xbb\xbfrecord_id;action;activity;date;commune;structure;"
	    "category;residence;count;partners;title\n", f);
	srand(seed);
	for (i = 0; i < n; i++) {
		int	 day = 1 + i % 28, month = 1 + (i / 28) % 12;
		int	 year = 2022 + (i / 336) % 3;
		const char *sheet = i % 2 == 0 ? ateliers[i / 2 % 4] :
		    chantiers[i / 2 % 3];
		const char *venue = communes[i % 7];

		c1 = 1 + rand() % 30;
		if (i % 2 == 0) {
			c2 = 1 + rand() % 10;
			memset(id, 0, sizeof(id));
			id[0] = 0x01;
			id[1] = (uint8_t)(seed >> 8);
			id[2] = (uint8_t)seed;
			id[6] = 0x70;
			id[8] = 0x80;
			id[12] = (uint8_t)(i >> 24);
			id[13] = (uint8_t)(i >> 16);
			id[14] = (uint8_t)(i >> 8);
			id[15] = (uint8_t)i;
			uuid_format(id, rid);
			fprintf(f, "%s;%s;atelier;%04d-%02d-%02d;%s;ripe;parent;"
			    "%s;%d;CAF,Médiathèque;Atelier %d\n", rid, sheet,
			    year, month, day, venue, communes[(i + 1) % 9],
			    c1, i);
			fprintf(f, "%s;%s;atelier;%04d-%02d-%02d;%s;ripe;enfant;"
			    "%s;%d;CAF,Médiathèque;Atelier %d\n", rid, sheet,
			    year, month, day, venue, communes[(i + 2) % 9],
			    c2, i);
			total += c1 + c2;
		} else {
			fprintf(f, ";%s;chantier;%04d-%02d-%02d;%s;alsh-jeunes;"
			    "jeune;%s;%d;;Chantier %d\n", sheet, year, month,
			    day, venue, communes[i % 9], c1, i);
			total += c1;
		}
	}
	fclose(f);
	return total;
}
