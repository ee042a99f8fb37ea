/*
 * fuzz_json.c — the fuzz target of the write API's bodies: JSON as a
 * browser or any tool may post it, read as each kind of write, then
 * checked as ctgd checks a record, and the acks written back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "catalogue.h"
#include "msg.h"
#include "record.h"
#include "record_json.h"
#include "validate.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_id[] = "01937a00-0000-7000-8000-000000000001";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct catalogue	*cat;
	static const enum request_kind	 kinds[] = { REQUEST_SUBMIT,
					    REQUEST_AMEND, REQUEST_VOID,
					    REQUEST_EVIDENCE };
	struct validate_ctx		 ctx;
	struct request			 req;
	struct ack			*acks;
	char				 err[512], *text;
	size_t				 i, k;

	if (cat == NULL && (cat = catalogue_builtin(NULL, 0)) == NULL)
		abort();
	validate_ctx_init(&ctx, cat, 20000);	/* 2024-10-04 */
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (record_json_request((const char *)data, size, kinds[k],
		    kinds[k] == REQUEST_SUBMIT ? NULL : fuzz_id, &req, err,
		    sizeof(err)) == -1)
			continue;
		for (i = 0; i < req.nrecords; i++)
			(void)validate_record(&req.records[i], &ctx,
			    &req.arena);
		if (req.kind == REQUEST_EVIDENCE)
			(void)validate_evidence(&req.evidence, &ctx,
			    &req.arena);
		if ((acks = calloc(req.nrecords + 1, sizeof(*acks))) != NULL) {
			for (i = 0; i <= req.nrecords; i++)
				acks[i].reason = "raison « à lire »";
			if ((text = record_json_acks(acks, req.nrecords ?
			    req.nrecords : 1)) != NULL)
				free(text);
			free(acks);
		}
		request_free(&req);
	}
	return 0;
}
