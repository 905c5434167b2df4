/* fuzz: what the fuzz targets of tests/fuzz/ share.
 *
 * Each target is one LLVMFuzzerTestOneInput. Built with clang's -fsanitize=fuzzer (meson
 * -Dfuzz=true, tests/fuzz/run.sh), libFuzzer drives it; in every other build replay.c does,
 * running the target on each file of its corpus (tests/fuzz/corpus/NAME/), so the inputs that
 * once crashed stay tests. A target checks what must hold whatever the input (a parse that
 * succeeds formats back to the same value, an error says why); FUZZ_CHECK aborts on a breach,
 * which both drivers report as a crash. */
#ifndef FLOWLAB_FUZZ_H
#define FLOWLAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                         \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__,    \
				__LINE__, #cond);                                      \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
			abort();                                                       \
		}                                                                      \
	} while (0)

/* The input as a C string, up to its first NUL (at most max bytes): malloc'd, exactly as long
 * as it needs to be, so that a read past its end is caught. NULL if out of memory. */
static inline char *fuzz_string(const uint8_t *data, size_t size, size_t max)
{
	size_t n = 0;
	char *s;

	while (n < size && n < max && data[n] != 0)
		n++;
	s = malloc(n + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

#endif
