/*
 * test_fuzz_replay.c — every input of the committed fuzz corpus
 * (fuzz/corpus/TARGET/) through its fuzz target, under the build's sanitizers:
 * what the fuzzer once found stays fixed.
 */
#include <sys/stat.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fixtures.h"

#ifndef CTG_CORPUS_DIR
#error "CTG_CORPUS_DIR must name fuzz/corpus"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
replay(const uint8_t *buf, size_t n, void *arg)
{
	(void)arg;
	LLVMFuzzerTestOneInput(buf, n);
}

static void
test_corpus(void **state)
{
	size_t	 files;

	(void)state;
	files = corpus_each(CTG_CORPUS_DIR, replay, NULL);
	print_message("%zu corpus inputs replayed\n", files);
	assert_true(files >= 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
