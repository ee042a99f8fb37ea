/* files.h — where the clients keep their local files (key, outbox). */
#ifndef CTG_FILES_H
#define CTG_FILES_H

#include <stddef.h>

/* The flag, else $ENV, else $HOME/relative, in buf when built. */
const char	*files_path(const char *flag, const char *env,
		    const char *relative, char *buf, size_t len);
/* mkdir -p of a file's directory, mode 0700. */
void		 files_mkdirs(const char *path);

#endif
