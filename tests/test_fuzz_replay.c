/*
 * test_fuzz_replay.c — every input of the committed fuzz corpus
 * (fuzz/corpus/) through the fuzz target, under the build's sanitizers:
 * what the fuzzer once found stays fixed.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#ifndef CTG_CORPUS_DIR
#error "CTG_CORPUS_DIR must name fuzz/corpus"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
test_corpus(void **state)
{
	DIR		*d = opendir(CTG_CORPUS_DIR);
	struct dirent	*e;
	char		 path[4096];
	uint8_t		*buf;
	size_t		 n, files = 0;
	FILE		*f;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CTG_CORPUS_DIR,
		    e->d_name);
		assert_non_null(f = fopen(path, "rb"));
		assert_non_null(buf = malloc(1 << 21));
		n = fread(buf, 1, 1 << 21, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		files++;
	}
	closedir(d);
	print_message("%zu corpus inputs replayed\n", files);
	assert_true(files >= 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
