/* arena.h — bump allocator for the short-lived data of one request or reply. */
#ifndef CTG_ARENA_H
#define CTG_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;
};

/* Returns zeroed memory that lives until arena_free, or NULL when out of memory. */
void	*arena_alloc(struct arena *, size_t);
/* Copies len bytes and a terminating NUL; NULL src gives NULL. */
char	*arena_strndup(struct arena *, const char *src, size_t len);
char	*arena_strdup(struct arena *, const char *src);
void	*arena_memdup(struct arena *, const void *src, size_t len);
/* printf into the arena; NULL when out of memory. */
char	*arena_printf(struct arena *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Frees every allocation; the arena can be used again afterwards. */
void	 arena_free(struct arena *);

#endif
