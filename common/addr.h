/* addr.h — HOST:PORT as the command lines take it ([::1]:PORT for IPv6). */
#ifndef CTG_ADDR_H
#define CTG_ADDR_H

#include <stddef.h>

/* Splits s; returns 0, or -1 when it is not HOST:PORT with PORT 0-65535. */
int	addr_split(const char *s, char *host, size_t hostlen, char *port,
	    size_t portlen);

#endif
