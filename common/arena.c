/* arena.c — bump allocator: many small allocations, one free. */
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_CHUNK	4096	/* bytes, the usual chunk */

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used;
	size_t			 size;
	max_align_t		 data[];
};

void *
arena_alloc(struct arena *a, size_t len)
{
	struct arena_chunk	*c = a->head;
	size_t			 align = sizeof(max_align_t);
	size_t			 need = (len + align - 1) / align * align;
	void			*p;

	if (need < len)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, len);
	return p;
}

void *
arena_memdup(struct arena *a, const void *src, size_t len)
{
	void	*p;

	if (src == NULL)
		return NULL;
	if ((p = arena_alloc(a, len == 0 ? 1 : len)) != NULL && len > 0)
		memcpy(p, src, len);
	return p;
}

char *
arena_strndup(struct arena *a, const char *src, size_t len)
{
	char	*p;

	if (src == NULL || len == SIZE_MAX)
		return NULL;
	if ((p = arena_alloc(a, len + 1)) != NULL)
		memcpy(p, src, len);
	return p;
}

char *
arena_strdup(struct arena *a, const char *src)
{
	return src == NULL ? NULL : arena_strndup(a, src, strlen(src));
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
