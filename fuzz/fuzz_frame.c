/*
 * fuzz_frame.c — the fuzz target: bytes from the network through framing,
 * decode and validation, as ctgd takes them. Built with libFuzzer
 * (cmake -DCTG_FUZZ=ON, clang; scripts/fuzz) and replayed over
 * fuzz/corpus/ by tests/test_fuzz_replay in every build.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "catalogue.h"
#include "framing.h"
#include "record.h"
#include "validate.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct catalogue	*cat;
	struct validate_ctx		 ctx;
	struct request			 req;
	const char			*why;
	uint8_t				 digest[RECORD_DIGEST_LEN];
	size_t				 len, i, off = 0;

	if (cat == NULL && (cat = catalogue_builtin(NULL, 0)) == NULL)
		abort();
	validate_ctx_init(&ctx, cat, 20000);	/* 2024-10-04 */
	/* Every whole frame in the input, as a connection would see them. */
	while (framing_scan(data + off, size - off, FRAME_MAX_DEFAULT, &len) ==
	    FRAMING_FRAME) {
		if (wire_decode_request(data + off + FRAME_HEADER, len, &req,
		    &why) == 0) {
			for (i = 0; i < req.nrecords; i++)
				if (validate_record(&req.records[i], &ctx,
				    &req.arena) == NULL)
					record_digest(&req.records[i], digest);
			if (req.kind == REQUEST_EVIDENCE)
				(void)validate_evidence(&req.evidence, &ctx,
				    &req.arena);
			if (req.bad_field != NULL)
				(void)validate_bad_text(req.bad_field,
				    req.bad_text, &req.arena);
			if (req.kind == REQUEST_VOID)
				(void)validate_void(req.void_id,
				    req.void_id_len, req.reason, &req.arena);
			request_free(&req);
		}
		off += FRAME_HEADER + len;
	}
	return 0;
}
