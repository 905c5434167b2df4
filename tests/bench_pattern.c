/* How fast the pattern is made and checked, in MB/s (10^6 bytes a second) of one core:
 *
 *   fill        pattern_fill into a 64 KiB buffer (what a writer's window costs)
 *   check       pattern_check_feed of a clean stream in 64 KiB reads (what every receiver pays)
 *   source      a writer's pattern_source_get of 64 KiB stretches, each write moving a part
 *   memcpy      copying 64 KiB, for scale
 *
 * Run with `meson test -C build --benchmark` (or build/tests/bench_pattern). Each figure is the
 * best of 5 runs of a gigabyte each, so a busy machine shows its least disturbed run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pattern.h"

#define CHUNK 65536
#define ROUND_BYTES (1u << 30)
#define RUNS 5

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *buf, *other;
static volatile uint64_t sink;

static void run_fill(void)
{
	for (uint64_t off = 0; off < ROUND_BYTES; off += CHUNK)
		pattern_fill(buf, CHUNK, off);
	sink += buf[CHUNK - 1];
}

static void run_check(void)
{
	struct pattern_check pc;

	/* other holds stream offsets [0, CHUNK): check it as each next read of a stream */
	pattern_check_init(&pc);
	for (uint64_t off = 0; off < ROUND_BYTES; off += CHUNK) {
		pc.offset = 0;
		sink += pattern_check_feed(&pc, other, CHUNK);
	}
	if (pc.errors)
		abort();
}

static void run_source(void)
{
	struct pattern_source ps;
	char err[128];
	uint64_t sent = 0;
	uint32_t state = 1;

	if (pattern_source_init(&ps, CHUNK, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	while (sent < ROUND_BYTES) {
		const uint8_t *p = pattern_source_get(&ps, sent, CHUNK);
		/* a write moves between a quarter of the stretch and all of it */
		size_t moved;

		state = state * 1103515245u + 12345u;
		moved = CHUNK / 4 + (state >> 8) % (CHUNK - CHUNK / 4 + 1);
		sink += p[moved - 1];
		sent += moved;
	}
	pattern_source_free(&ps);
}

static void run_memcpy(void)
{
	for (uint64_t off = 0; off < ROUND_BYTES; off += CHUNK) {
		memcpy(buf, other, CHUNK);
		sink += buf[off / CHUNK % CHUNK];    /* a copy that is used, so it is made */
	}
}

static void measure(const char *name, void (*run)(void))
{
	double best = 0;

	for (int i = 0; i < RUNS; i++) {
		double t0 = now_s(), rate;

		run();
		rate = ROUND_BYTES / (now_s() - t0) / 1e6;
		if (rate > best)
			best = rate;
	}
	printf("%-8s %8.0f MB/s\n", name, best);
}

int main(void)
{
	buf = malloc(CHUNK);
	other = malloc(CHUNK);
	if (buf == NULL || other == NULL)
		return 1;
	pattern_fill(other, CHUNK, 0);
	measure("fill", run_fill);
	measure("check", run_check);
	measure("source", run_source);
	measure("memcpy", run_memcpy);
	free(buf);
	free(other);
	return 0;
}
