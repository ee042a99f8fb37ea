/*
 * msg.h — the native form of the protocol's messages.
 *
 * Only wire.c knows protobuf; everything else (daemon, clients, tests) works
 * on these structs. Strings are NUL-terminated, NULL when absent; all memory
 * belongs to the message's arena.
 */
#ifndef CTG_MSG_H
#define CTG_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define RECORD_ID_LEN		16	/* bytes */
#define PERSON_TOKEN_LEN	32	/* bytes, HMAC-SHA256 */

struct group {
	const char	*category;
	const char	*residence;	/* NULL or "" = unknown */
	int64_t		 count;
	int		 has_count;
	const uint8_t	*person;	/* NULL when none */
	size_t		 person_len;
};

struct record {
	const uint8_t	*id;		/* NULL when absent */
	size_t		 id_len;
	const char	**sheets;
	size_t		 nsheets;
	const char	*activity;
	const char	*date;
	const char	*commune;
	const char	*structure;
	struct group	*groups;
	size_t		 ngroups;
	const char	**partners;
	size_t		 npartners;
	const char	*title;
	/*
	 * Set by wire when one of the record's strings, as sent, is not
	 * acceptable text (a NUL would have cut it, or not UTF-8, or a
	 * control character): its field ("title", "groups.category") and
	 * why (utf8_text_problem). validate_record refuses such a record.
	 */
	const char	*bad_field;
	const char	*bad_text;
	/*
	 * Set by a decoder when the record as sent cannot be read (a field
	 * of the wrong type, one unknown): the French reason, which
	 * validate_record gives before any other.
	 */
	const char	*refusal;
};

/* A dated piece of evidence for an indicator (qualitative ones above all). */
struct evidence {
	const uint8_t	*id;		/* 16 bytes, client generated */
	size_t		 id_len;
	const char	*indicator;	/* III.A.17/res/2 */
	const char	*date;		/* YYYY-MM-DD */
	const char	*state;		/* en cours | réalisé */
	const char	*text;
	const char	*reference;	/* optional */
};

enum request_kind {
	REQUEST_SUBMIT = 1,
	REQUEST_PING,
	REQUEST_STATS,
	REQUEST_AMEND,
	REQUEST_VOID,
	REQUEST_EVIDENCE,
	REQUEST_QUERY,
	REQUEST_TOKEN,
};

struct token_admin {
	const char	*action;	/* create | list | revoke */
	const char	*role;
	const char	**structures;
	size_t		 nstructures;
	const char	*label;
	int64_t		 id;
};

struct query {
	const char	*kind;		/* sheet | revisions | verify */
	const char	*key;
	const char	*from, *to;	/* YYYY-MM */
	/*
	 * revisions: answered only for a record whose structure is one of
	 * these (bit i: structure word i), else as unknown; 0: any.
	 */
	uint64_t	 only;
};

struct request {
	uint64_t		 seq;
	enum request_kind	 kind;
	uint64_t		 nonce;		/* ping */
	struct record		*records;	/* submit; amend: one */
	size_t			 nrecords;
	const uint8_t		*void_id;	/* void */
	size_t			 void_id_len;
	const char		*reason;
	struct evidence		 evidence;	/* evidence */
	struct query		 query;		/* query */
	struct token_admin	 tokens;	/* token */
	const uint8_t		*token;		/* the caller's secret */
	size_t			 token_len;
	/* The same as a record's, for a string outside the records. */
	const char		*bad_field;	/* "void.reason" */
	const char		*bad_text;
	struct arena		 arena;
};

enum ack_status {
	ACK_ACCEPTED = 1,
	ACK_DUPLICATE,
	ACK_CONFLICT,
	ACK_REFUSED,
};

struct ack {
	uint8_t			 id[RECORD_ID_LEN];
	int			 has_id;
	enum ack_status		 status;
	const char		*reason;	/* French; NULL when accepted */
};

struct counter {
	const char	*name;
	uint64_t	 value;
	const char	*help;
};

enum reply_kind {
	REPLY_SUBMIT = 1,
	REPLY_PONG,
	REPLY_STATS,
	REPLY_ERROR,
	REPLY_DOCUMENT,
};

struct reply {
	uint64_t		 seq;
	enum reply_kind		 kind;
	struct ack		*acks;
	size_t			 nacks;
	uint64_t		 nonce;
	struct counter		*counters;
	size_t			 ncounters;
	const char		*error_code;
	const char		*error_message;
	const char		*json;		/* document */
	const char		*document_error;
	struct arena		 arena;
};

/* Words for an ack status, as the import report and the logs print them. */
const char	*ack_status_name(enum ack_status);	/* accepted, duplicate, ... */
const char	*ack_status_label(enum ack_status);	/* accepté, doublon, ... */

#endif
