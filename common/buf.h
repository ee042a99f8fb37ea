/* buf.h — a growable text buffer for the exporters and reports. */
#ifndef CTG_BUF_H
#define CTG_BUF_H

#include <stddef.h>

struct buf {
	char	*p;		/* NUL-terminated once anything was added */
	size_t	 len, cap;
	int	 failed;	/* out of memory: further adds do nothing */
};

void	 buf_add(struct buf *, const char *, size_t);
void	 buf_str(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The text (the caller frees it), or NULL after a failure. */
char	*buf_done(struct buf *);

#endif
