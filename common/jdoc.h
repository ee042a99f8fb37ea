/*
 * jdoc.h — reading the daemon's JSON documents (sheet, rollup, COPIL…)
 * where a member may be missing: a missing member reads as nothing, never
 * as a crash. Pure.
 */
#ifndef CTG_JDOC_H
#define CTG_JDOC_H

#include <stddef.h>

#include <json-c/json.h>

/* o's member key, or NULL (o may be NULL). */
json_object	*jdoc_get(json_object *o, const char *key);
/* The member as text; "" when missing or null. */
const char	*jdoc_str(json_object *o, const char *key);
/* The member as an integer; 0 when missing. */
long long	 jdoc_int(json_object *o, const char *key);
/* An array's length; 0 for anything else, NULL included. */
size_t		 jdoc_len(json_object *a);

#endif
