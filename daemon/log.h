/*
 * log.h — one line per event on stderr: a timestamp, a level, then
 * key=value pairs. Strings from the network go through log_escape first.
 */
#ifndef CTG_LOG_H
#define CTG_LOG_H

#include <stddef.h>

void	log_init(int verbose);
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Start-up and broken invariants only: logs and exits 1. */
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/*
 * Copies src into dst as a safe log token: quotes, backslashes, control
 * bytes and anything non-printable become \xHH. Always NUL-terminates;
 * returns dst.
 */
char	*log_escape(char *dst, size_t dstlen, const char *src);

#endif
