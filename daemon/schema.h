/* schema.h — the SQL migrations under schema/migrations, built in. */
#ifndef CTG_SCHEMA_H
#define CTG_SCHEMA_H

#include <stddef.h>

struct schema_migration {
	const char	*name;
	const char	*sql;
};

extern const struct schema_migration	schema_migrations[];
extern const size_t			schema_nmigrations;

#endif
