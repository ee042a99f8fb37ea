/* jdoc.c — reading the daemon's JSON documents (jdoc.h). */
#include "jdoc.h"

json_object *
jdoc_get(json_object *o, const char *key)
{
	json_object	*v = NULL;

	if (o != NULL)
		json_object_object_get_ex(o, key, &v);
	return v;
}

const char *
jdoc_str(json_object *o, const char *key)
{
	json_object	*v = jdoc_get(o, key);

	return v != NULL ? json_object_get_string(v) : "";
}

long long
jdoc_int(json_object *o, const char *key)
{
	return (long long)json_object_get_int64(jdoc_get(o, key));
}

size_t
jdoc_len(json_object *a)
{
	return json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) : 0;
}
