/*
 * auth.h — who may do what. Tokens of 256 random bits, kept only as
 * SHA-256 and compared in constant time, each bound to a role and, for a
 * submitter, to structures. Deny by default; while no token has ever
 * been created the daemon is in protected mode: local connections only,
 * and they may do everything (to create the first admin token). Once one
 * has existed, revoking every token leaves it closed, not open.
 */
#ifndef CTG_AUTH_H
#define CTG_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"
#include "msg.h"

#define AUTH_SECRET_LEN	32	/* bytes */

enum auth_role {
	AUTH_NONE = 0,
	AUTH_SUBMITTER = 1,
	AUTH_COORDINATOR = 2,
	AUTH_ADMIN = 4,
};

enum auth_op {
	AUTH_OP_PING,
	AUTH_OP_WRITE,		/* submit, amend, void */
	AUTH_OP_EVIDENCE,
	AUTH_OP_READ,		/* sheets, communes, records, rollups, /metrics */
	AUTH_OP_READ_OWN,	/* a structure's own latest records (recent) */
	AUTH_OP_ADMIN,		/* stats, verify, backup, tokens */
};

struct auth;

/* What a request's token says about its caller. */
struct auth_caller {
	int		 role;		/* enum auth_role */
	uint64_t	 structures;	/* submitter: vocabulary bits; 0 other */
	int		 presented;	/* a token came with the request */
	int		 slot;		/* its entry, for the rate limit; -1 */
};

struct auth	*auth_open(const char *db, const struct catalogue *,
		    char *err, size_t errlen);
void		 auth_close(struct auth *);
/* A role's name as tokens are created with it ("submitter"), or NULL. */
const char	*auth_role_name(int role);
/* No token ever created: protected mode. */
int		 auth_protected(const struct auth *);
/* Who presents this secret (NULL or unknown: AUTH_NONE). */
void		 auth_identify(const struct auth *, const uint8_t *secret,
		    size_t len, struct auth_caller *);
/* The policy table: may this caller do op? */
int		 auth_allows(const struct auth *, const struct auth_caller *,
		    enum auth_op);
/*
 * Takes n records from the caller's token bucket (rate records/s, a burst
 * of two seconds). 1 when there were enough, 0 when the caller must wait.
 */
int		 auth_take(struct auth *, const struct auth_caller *,
		    size_t n, long long rate);
/* The operation a request asks for. */
enum auth_op	 auth_op_of(const struct request *);
/*
 * Token management (admin): create prints the secret once; list and
 * revoke. A malloc'd JSON document, or NULL with a French *error.
 */
char		*auth_manage(struct auth *, const struct token_admin *,
		    const char **error);

#endif
