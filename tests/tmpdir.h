/* tmpdir.h — a fresh temporary directory per test, removed afterwards. */
#ifndef CTG_TEST_TMPDIR_H
#define CTG_TEST_TMPDIR_H

#include <stddef.h>

/* Creates $TMPDIR/ctg-test-XXXXXX; returns its path (static storage). */
const char	*tmpdir_make(void);
/* path = dir "/" name, in buf. */
const char	*tmpdir_path(char *buf, size_t len, const char *dir,
		    const char *name);
/* rm -r dir. */
void		 tmpdir_remove(const char *dir);

#endif
