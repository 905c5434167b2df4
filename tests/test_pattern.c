/* Unit tests for pattern.h: the fill matches the definition at any offset, a clean stream in
 * odd chunks checks clean, and a changed, missing or repeated byte is caught where it happened. */
#include "pattern.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_LEN 200000

/* Deterministic chunk sizes, so a failure can be replayed. */
static uint32_t next_rand(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static uint8_t *make_stream(size_t len)
{
	uint8_t *buf = malloc(len);

	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i % 251);
	return buf;
}

/* Feed buf in chunks of 1..maxchunk bytes; returns the sum of what feed returned. */
static uint64_t feed_chunked(struct pattern_check *pc, const uint8_t *buf, size_t len,
			     uint32_t seed, size_t maxchunk)
{
	uint64_t bad = 0;

	for (size_t pos = 0; pos < len;) {
		size_t n = 1 + next_rand(&seed) % maxchunk;
		if (n > len - pos)
			n = len - pos;
		bad += pattern_check_feed(pc, buf + pos, n);
		pos += n;
	}
	return bad;
}

START_TEST(fill_matches_definition)
{
	static const uint64_t offsets[] = {
		0, 1, 249, 250, 251, 252, 502, 65536, 1000000000007ULL, UINT64_MAX - 70000,
	};
	static const size_t lens[] = { 0, 1, 2, 250, 251, 252, 501, 502, 503, 4096, 65536, 70001 };
	uint8_t *buf = malloc(70001 + 2), *want = malloc(70001);

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(want);
	for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
		for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
			/* guard bytes on both sides catch a write out of bounds */
			memset(buf, 0xEE, lens[l] + 2);
			pattern_fill(buf + 1, lens[l], offsets[o]);
			ck_assert_int_eq(buf[0], 0xEE);
			ck_assert_int_eq(buf[lens[l] + 1], 0xEE);
			for (size_t i = 0; i < lens[l]; i++)
				want[i] = (uint8_t)((offsets[o] + i) % 251);
			ck_assert_msg(memcmp(buf + 1, want, lens[l]) == 0, "offset %ju len %zu",
				      (uintmax_t)offsets[o], lens[l]);
		}
	}
	free(buf);
	free(want);
}
END_TEST

START_TEST(fill_neighbours_differ)
{
	uint8_t buf[1000];

	pattern_fill(buf, sizeof buf, 0);
	ck_assert_int_eq(buf[0], 0);
	ck_assert_int_eq(buf[250], 250);
	ck_assert_int_eq(buf[251], 0);
	for (size_t i = 1; i < sizeof buf; i++)
		ck_assert_int_ne(buf[i], buf[i - 1]);
}
END_TEST

START_TEST(fill_in_chunks_equals_whole)
{
	uint8_t *whole = make_stream(STREAM_LEN);
	uint8_t *parts = malloc(STREAM_LEN);
	uint32_t seed = 7;

	ck_assert_ptr_nonnull(parts);
	for (size_t pos = 0; pos < STREAM_LEN;) {
		size_t n = 1 + next_rand(&seed) % 3001;
		if (n > STREAM_LEN - pos)
			n = STREAM_LEN - pos;
		pattern_fill(parts + pos, n, pos);
		pos += n;
	}
	ck_assert_mem_eq(parts, whole, STREAM_LEN);
	free(whole);
	free(parts);
}
END_TEST

START_TEST(init_zeroes)
{
	struct pattern_check pc;

	memset(&pc, 0xAB, sizeof pc);
	pattern_check_init(&pc);
	ck_assert_uint_eq(pc.offset, 0);
	ck_assert_uint_eq(pc.errors, 0);
}
END_TEST

/* Several chunkings, from byte by byte to far bigger than the checker's reference block. */
static const struct {
	uint32_t seed;
	size_t maxchunk;
} chunkings[] = {
	{ 1, 1 }, { 2, 3 }, { 3, 250 }, { 4, 253 }, { 5, 4099 }, { 6, 70000 }, { 7, STREAM_LEN },
};

START_TEST(clean_stream_is_clean)
{
	uint8_t *s = make_stream(STREAM_LEN);
	struct pattern_check pc;

	pattern_check_init(&pc);
	ck_assert_uint_eq(feed_chunked(&pc, s, STREAM_LEN, chunkings[_i].seed,
				       chunkings[_i].maxchunk), 0);
	ck_assert_uint_eq(pc.errors, 0);
	ck_assert_uint_eq(pc.offset, STREAM_LEN);
	/* an empty feed changes nothing */
	ck_assert_uint_eq(pattern_check_feed(&pc, s, 0), 0);
	ck_assert_uint_eq(pc.offset, STREAM_LEN);
	free(s);
}
END_TEST

/* Where the damage goes: start, end, around the checker's reference block and mid-stream. */
static const size_t damage_at[] = { 0, 1, 250, 251, 4015, 4016, 4017, 99999, STREAM_LEN - 1 };

START_TEST(changed_byte)
{
	uint8_t *s = make_stream(STREAM_LEN);
	size_t at = damage_at[_i % (sizeof damage_at / sizeof damage_at[0])];
	size_t c = (size_t)_i / (sizeof damage_at / sizeof damage_at[0]);
	struct pattern_check pc;

	s[at] ^= 0x40;
	pattern_check_init(&pc);
	ck_assert_uint_eq(feed_chunked(&pc, s, STREAM_LEN, chunkings[c].seed,
				       chunkings[c].maxchunk), 1);
	ck_assert_uint_eq(pc.errors, 1);
	ck_assert_uint_eq(pc.first_error, at);
	free(s);
}
END_TEST

START_TEST(missing_byte)
{
	uint8_t *s = make_stream(STREAM_LEN);
	size_t at = damage_at[_i % (sizeof damage_at / sizeof damage_at[0])];
	size_t c = (size_t)_i / (sizeof damage_at / sizeof damage_at[0]);
	struct pattern_check pc;
	uint64_t bad;

	memmove(s + at, s + at + 1, STREAM_LEN - at - 1);
	pattern_check_init(&pc);
	bad = feed_chunked(&pc, s, STREAM_LEN - 1, chunkings[c].seed, chunkings[c].maxchunk);
	if (at == STREAM_LEN - 1) {
		/* losing the last byte leaves nothing wrong to see: the byte count tells */
		ck_assert_uint_eq(bad, 0);
		ck_assert_uint_eq(pc.offset, STREAM_LEN - 1);
	} else {
		/* every byte after the gap is shifted, so all of them are wrong */
		ck_assert_uint_eq(bad, STREAM_LEN - 1 - at);
		ck_assert_uint_eq(pc.errors, bad);
		ck_assert_uint_eq(pc.first_error, at);
	}
	free(s);
}
END_TEST

START_TEST(repeated_byte)
{
	uint8_t *s = make_stream(STREAM_LEN + 1);
	size_t at = damage_at[_i % (sizeof damage_at / sizeof damage_at[0])];
	size_t c = (size_t)_i / (sizeof damage_at / sizeof damage_at[0]);
	struct pattern_check pc;

	/* byte at is sent twice: the copy lands at at + 1 */
	memmove(s + at + 1, s + at, STREAM_LEN - at);
	pattern_check_init(&pc);
	ck_assert_uint_gt(feed_chunked(&pc, s, STREAM_LEN + 1, chunkings[c].seed,
				       chunkings[c].maxchunk), 0);
	ck_assert_uint_eq(pc.errors, STREAM_LEN - at);
	ck_assert_uint_eq(pc.first_error, at + 1);
	free(s);
}
END_TEST

START_TEST(first_error_kept)
{
	uint8_t *s = make_stream(STREAM_LEN);
	struct pattern_check pc;

	s[1000] = 0;
	s[5000] = 1;
	s[150000] = 2;
	pattern_check_init(&pc);
	ck_assert_uint_eq(pattern_check_feed(&pc, s, 3000), 1);
	ck_assert_uint_eq(pattern_check_feed(&pc, s + 3000, 100000), 1);
	ck_assert_uint_eq(pattern_check_feed(&pc, s + 103000, STREAM_LEN - 103000), 1);
	ck_assert_uint_eq(pc.errors, 3);
	ck_assert_uint_eq(pc.first_error, 1000);
	free(s);
}
END_TEST

START_TEST(all_wrong)
{
	uint8_t junk[10000];
	struct pattern_check pc;

	/* a stream of one value is wrong everywhere but where the pattern has that value */
	memset(junk, 7, sizeof junk);
	pattern_check_init(&pc);
	ck_assert_uint_eq(pattern_check_feed(&pc, junk, sizeof junk), sizeof junk - 40);
	ck_assert_uint_eq(pc.first_error, 0);
}
END_TEST

static Suite *pattern_suite(void)
{
	Suite *s = suite_create("pattern");
	TCase *tc;
	int nd = (int)(sizeof damage_at / sizeof damage_at[0]);
	int nc = (int)(sizeof chunkings / sizeof chunkings[0]);

	tc = tcase_create("fill");
	tcase_add_test(tc, fill_matches_definition);
	tcase_add_test(tc, fill_neighbours_differ);
	tcase_add_test(tc, fill_in_chunks_equals_whole);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, init_zeroes);
	tcase_add_loop_test(tc, clean_stream_is_clean, 0, nc);
	tcase_add_loop_test(tc, changed_byte, 0, nd * nc);
	tcase_add_loop_test(tc, missing_byte, 0, nd * nc);
	tcase_add_loop_test(tc, repeated_byte, 0, nd * nc);
	tcase_add_test(tc, first_error_kept);
	tcase_add_test(tc, all_wrong);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pattern_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
