/*
 * record_json.h — the HTTP write API's bodies: records, a void and an
 * evidence entry in JSON, read into the protocol's native request, and
 * the acks written back. Pure: no I/O, everything in the request's arena.
 */
#ifndef CTG_RECORD_JSON_H
#define CTG_RECORD_JSON_H

#include <stddef.h>

#include "msg.h"

#define RECORD_JSON_MAX	1000	/* records in one body */

/*
 * Reads body (len bytes) as a request of kind: REQUEST_SUBMIT (one record
 * object, or {"records": [...]}), REQUEST_AMEND (one record object; its
 * id is id, the one in the path), REQUEST_VOID ({"reason": "…"}; id from
 * the path) or REQUEST_EVIDENCE (an evidence object). A record that cannot
 * be read as sent keeps its French refusal (record.refusal), so that the
 * others still go. Returns 0, or -1 with a French message in err when the
 * body is not such JSON at all (HTTP 400); req is then freed.
 */
int	record_json_request(const char *body, size_t len, enum request_kind,
	    const char *id, struct request *req, char *err, size_t errlen);
/* {"acks": [{"id", "status", "reason"}…]}, malloc'd; NULL out of memory. */
char	*record_json_acks(const struct ack *, size_t n);

#endif
