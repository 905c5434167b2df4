/* Unit tests for pattern.h: the fill matches the definition at any offset, a clean stream in
 * odd chunks checks clean, and a changed, missing or repeated byte is caught where it happened;
 * the same for a stream that repeats a text (the reference document's request and response, and
 * a text longer than the checker's reference block). */
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

/* ---- a text repeated ---- */

/* A text longer than the checker's 4016-byte reference block, so that no block lines up with
 * the next: no byte is 0 (it is a C string) and neighbours differ. */
#define LONG_TEXT_LEN 5003
static char long_text[LONG_TEXT_LEN + 1];

static const char *text_of(int which)
{
	switch (which) {
	case 0:
		return PATTERN_REQUEST;
	case 1:
		return PATTERN_RESPONSE;
	default:
		for (size_t i = 0; i < LONG_TEXT_LEN; i++)
			long_text[i] = (char)(1 + (i * 37) % 200);
		long_text[LONG_TEXT_LEN] = '\0';
		return long_text;
	}
}
#define N_TEXTS 3

static uint8_t *make_text_stream(size_t len, const char *text)
{
	size_t tl = strlen(text);
	uint8_t *buf = malloc(len);

	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)text[i % tl];
	return buf;
}

/* What a checker must find in got, by the definition, byte by byte. */
static uint64_t count_wrong(const uint8_t *got, size_t len, const char *text, uint64_t *first)
{
	size_t tl = strlen(text);
	uint64_t bad = 0;

	for (size_t i = 0; i < len; i++) {
		if (got[i] == (uint8_t)text[i % tl])
			continue;
		if (!bad)
			*first = i;
		bad++;
	}
	return bad;
}

START_TEST(text_byte_counts)
{
	/* The reference document says 26 and 28 bytes; the texts are 23 and 24. */
	ck_assert_uint_eq(strlen(PATTERN_REQUEST), 23);
	ck_assert_uint_eq(strlen(PATTERN_RESPONSE), 24);
	ck_assert_str_eq(PATTERN_REQUEST, "GET /hello HTTP/1.1\r\n\r\n");
	ck_assert_str_eq(PATTERN_RESPONSE, "HTTP/1.1 200 OK\r\n\r\nHello");
}
END_TEST

START_TEST(fill_text_matches_definition)
{
	static const uint64_t offsets[] = {
		0, 1, 22, 23, 24, 47, 5002, 5003, 65536, 1000000000007ULL, UINT64_MAX - 70000,
	};
	static const size_t lens[] = { 0, 1, 2, 22, 23, 24, 25, 47, 48, 4096, 5004, 70001 };
	const char *text = text_of(_i);
	size_t tl = strlen(text);
	uint8_t *buf = malloc(70001 + 2), *want = malloc(70001);

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(want);
	for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
		for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
			memset(buf, 0xEE, lens[l] + 2);
			pattern_fill_text(buf + 1, lens[l], offsets[o], text);
			ck_assert_int_eq(buf[0], 0xEE);
			ck_assert_int_eq(buf[lens[l] + 1], 0xEE);
			for (size_t i = 0; i < lens[l]; i++)
				want[i] = (uint8_t)text[(offsets[o] + i) % tl];
			ck_assert_msg(memcmp(buf + 1, want, lens[l]) == 0, "text %d offset %ju len %zu",
				      _i, (uintmax_t)offsets[o], lens[l]);
		}
	}
	free(buf);
	free(want);
}
END_TEST

START_TEST(fill_text_null_is_pattern)
{
	uint8_t a[1000], b[1000];

	pattern_fill(a, sizeof a, 77);
	pattern_fill_text(b, sizeof b, 77, NULL);
	ck_assert_mem_eq(a, b, sizeof a);
	pattern_fill_text(b, sizeof b, 77, "");
	ck_assert_mem_eq(a, b, sizeof a);
}
END_TEST

START_TEST(init_text_and_back)
{
	uint8_t *req = make_text_stream(1000, PATTERN_REQUEST);
	uint8_t *pat = make_stream(1000);
	struct pattern_check pc;

	pattern_check_init_text(&pc, PATTERN_REQUEST);
	ck_assert_ptr_eq(pc.text, PATTERN_REQUEST);
	ck_assert_uint_eq(pc.text_len, 23);
	ck_assert_uint_eq(pattern_check_feed(&pc, req, 1000), 0);
	/* NULL and "" mean the i % 251 pattern; pattern_check_init forgets a text */
	pattern_check_init_text(&pc, NULL);
	ck_assert_uint_eq(pattern_check_feed(&pc, pat, 1000), 0);
	pattern_check_init_text(&pc, "");
	ck_assert_uint_eq(pattern_check_feed(&pc, pat, 1000), 0);
	pattern_check_init_text(&pc, PATTERN_RESPONSE);
	pattern_check_init(&pc);
	ck_assert_ptr_null(pc.text);
	ck_assert_uint_eq(pattern_check_feed(&pc, pat, 1000), 0);
	/* the request is not the pattern, nor the response */
	ck_assert_uint_gt(pattern_check_feed(&pc, req, 1000), 0);
	pattern_check_init_text(&pc, PATTERN_RESPONSE);
	ck_assert_uint_gt(pattern_check_feed(&pc, req, 1000), 0);
	free(req);
	free(pat);
}
END_TEST

START_TEST(text_clean_stream_is_clean)
{
	const char *text = text_of(_i / (int)(sizeof chunkings / sizeof chunkings[0]));
	size_t c = (size_t)_i % (sizeof chunkings / sizeof chunkings[0]);
	uint8_t *s = make_text_stream(STREAM_LEN, text);
	struct pattern_check pc;

	pattern_check_init_text(&pc, text);
	ck_assert_uint_eq(feed_chunked(&pc, s, STREAM_LEN, chunkings[c].seed,
				       chunkings[c].maxchunk), 0);
	ck_assert_uint_eq(pc.errors, 0);
	ck_assert_uint_eq(pc.offset, STREAM_LEN);
	free(s);
}
END_TEST

/* Where the damage goes: the first bytes, the "ll" of "hello" (7, 8: a lost or repeated 'l'
 * looks right for a byte), the end of the first request and response, around the checker's
 * reference blocks (4002 and 4008 for the two texts, 4016 for the long one), mid-stream, last. */
static const size_t text_damage_at[] = {
	0, 1, 7, 8, 22, 23, 24, 4001, 4002, 4008, 4016, 99999, STREAM_LEN - 1,
};
#define N_TEXT_DAMAGE (sizeof text_damage_at / sizeof text_damage_at[0])
#define N_TEXT_CASES ((int)(N_TEXTS * N_TEXT_DAMAGE * (sizeof chunkings / sizeof chunkings[0])))

enum damage { CHANGED, MISSING, REPEATED };

/* Damage one byte of a text stream as case i says, feed it in chunks, and compare what the
 * checker found with what the definition says it must find. */
static void text_damage_case(int i, enum damage how)
{
	size_t at = text_damage_at[(size_t)i % N_TEXT_DAMAGE];
	size_t c = (size_t)i / N_TEXT_DAMAGE % (sizeof chunkings / sizeof chunkings[0]);
	const char *text = text_of(i / (int)(N_TEXT_DAMAGE * (sizeof chunkings /
							       sizeof chunkings[0])));
	size_t len = STREAM_LEN;
	uint8_t *s = make_text_stream(STREAM_LEN + 1, text);
	struct pattern_check pc;
	uint64_t want, first = 0, bad;

	switch (how) {
	case CHANGED:
		s[at] ^= 0x40;
		break;
	case MISSING:
		memmove(s + at, s + at + 1, STREAM_LEN - at - 1);
		len = STREAM_LEN - 1;
		break;
	case REPEATED:
		memmove(s + at + 1, s + at, STREAM_LEN - at);
		len = STREAM_LEN + 1;
		break;
	}
	want = count_wrong(s, len, text, &first);
	pattern_check_init_text(&pc, text);
	bad = feed_chunked(&pc, s, len, chunkings[c].seed, chunkings[c].maxchunk);
	ck_assert_uint_eq(bad, want);
	ck_assert_uint_eq(pc.errors, want);
	ck_assert_uint_eq(pc.offset, len);
	if (how == MISSING && at == STREAM_LEN - 1) {
		/* losing the last byte leaves nothing wrong to see: the byte count tells */
		ck_assert_uint_eq(bad, 0);
	} else {
		ck_assert_uint_gt(bad, 0);
		ck_assert_uint_eq(pc.first_error, first);
		/* caught where it happened, or a byte or two later where neighbours are equal */
		ck_assert_uint_ge(pc.first_error, at);
		ck_assert_uint_le(pc.first_error, at + 2);
	}
	if (how == CHANGED)
		ck_assert_uint_eq(bad, 1);
	free(s);
}

START_TEST(text_changed_byte)
{
	text_damage_case(_i, CHANGED);
}
END_TEST

START_TEST(text_missing_byte)
{
	text_damage_case(_i, MISSING);
}
END_TEST

START_TEST(text_repeated_byte)
{
	text_damage_case(_i, REPEATED);
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

	tc = tcase_create("text");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, text_byte_counts);
	tcase_add_loop_test(tc, fill_text_matches_definition, 0, N_TEXTS);
	tcase_add_test(tc, fill_text_null_is_pattern);
	tcase_add_test(tc, init_text_and_back);
	tcase_add_loop_test(tc, text_clean_stream_is_clean, 0, N_TEXTS * nc);
	tcase_add_loop_test(tc, text_changed_byte, 0, N_TEXT_CASES);
	tcase_add_loop_test(tc, text_missing_byte, 0, N_TEXT_CASES);
	tcase_add_loop_test(tc, text_repeated_byte, 0, N_TEXT_CASES);
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
