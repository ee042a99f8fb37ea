/*
 * settings.h — ctgd's settings. One table drives the command line, its
 * validation, --help and the dump printed by -n.
 */
#ifndef CTG_SETTINGS_H
#define CTG_SETTINGS_H

#include <stdio.h>

struct settings {
	const char	*db;
	const char	*listen;
	const char	*http;
	const char	*port_file;
	long long	 max_frame;		/* bytes */
	long long	 max_connections;
	long long	 http_max_connections;
	long long	 max_per_address;	/* record port, one address */
	long long	 http_max_per_address;	/* HTTP port, one address */
	long long	 http_idle_timeout;	/* s between two requests */
	long long	 memory_budget;		/* MiB of partial input */
	long long	 auth_timeout;		/* s to present a valid token */
	long long	 idle_timeout;		/* s */
	long long	 write_timeout;		/* s */
	long long	 frame_timeout;		/* s to complete a started frame */
	long long	 batch_max;		/* records per commit */
	long long	 max_inflight;		/* requests per connection */
	const char	*synchronous;		/* full | normal */
	long long	 small_cells;		/* secrecy threshold, 0: off */
	const char	*reports;		/* rollup files go here */
	long long	 rollup_day;		/* of the month, 1-28 */
	long long	 rollup_hour;		/* local time, 0-23 */
	long long	 rollup_interval;	/* ms between clock checks */
	const char	*timezone;
	long long	 integrity_check;	/* at start: 1 quick_check */
	long long	 rate_limit;		/* records/s per token, 0: none */
	const char	*tls_cert;		/* PEM; both ports speak TLS */
	const char	*tls_key;
	const char	*new_admin_token;	/* a label: make one, exit */
	long long	 check;			/* -n */
	long long	 verbose;
};

/*
 * Fills s from the defaults, then argv. Returns 0, 1 when --help was
 * printed, or -1 after printing a French error on stderr.
 */
int	settings_parse(struct settings *, int argc, char **argv);
void	settings_dump(const struct settings *, FILE *);

#endif
