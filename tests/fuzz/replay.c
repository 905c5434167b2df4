/* replay: a fuzz target's driver where there is no libFuzzer (gcc, or clang without -Dfuzz).
 *
 *   fuzz_NAME DIR|FILE...
 *
 * Runs the target once on each file named, and on each regular file of each directory named
 * (in name order), each in a buffer of exactly its size, so that AddressSanitizer sees a read
 * past its end. Prints how many inputs it ran; exits 0, or 1 when it could read none (an empty
 * corpus would otherwise pass for a clean one). A crash is the target's, as under libFuzzer. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Run the target on the file at path. Returns 0, or -1 after saying why on stderr. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size;
	int rc = -1;

	if (f == NULL) {
		fprintf(stderr, "replay: open(%s): %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fprintf(stderr, "replay: seek(%s): %s\n", path, strerror(errno));
		goto out;
	}
	/* malloc(0) may return NULL: keep one byte, give the target none of it */
	buf = malloc(size > 0 ? (size_t)size : 1);
	if (buf == NULL) {
		fprintf(stderr, "replay: malloc(%ld): out of memory\n", size);
		goto out;
	}
	if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "replay: read(%s): %s\n", path, ferror(f) ? strerror(errno)
									: "shorter than its size");
		goto out;
	}
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	size_t inputs = 0;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **names;
		struct stat st;
		int n;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: stat(%s): %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]) < 0)
				failed = 1;
			else
				inputs++;
			continue;
		}
		n = scandir(argv[i], &names, NULL, by_name);
		if (n < 0) {
			fprintf(stderr, "replay: scandir(%s): %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				if (run_file(path) < 0)
					failed = 1;
				else
					inputs++;
			}
			free(names[k]);
		}
		free(names);
	}
	printf("replay: %zu inputs\n", inputs);
	if (inputs == 0) {
		fprintf(stderr, "replay: no inputs: name a corpus directory or files\n");
		return 1;
	}
	return failed;
}
