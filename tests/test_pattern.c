/* Unit tests for pattern.h: the fill matches the definition at any offset, the stream has no
 * short period, a clean stream in odd chunks checks clean, and a changed, missing, repeated or
 * moved byte or stretch (of 8, 251, 4096 or 65536 bytes; a loss and a duplicate that leave the
 * count right) is caught at the first byte that differs, with its offset; a sender's source
 * gives the bytes of any stretch and generates each byte of an in-order stream once; the same
 * for a stream that repeats a text (the reference document's request and response, and a text
 * longer than the checker's reference block). */
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

/* The definition, written out plainly and independently of pattern.c: byte i is byte i % 8,
 * little-endian, of the (i / 8)-th output of splitmix64 seeded with 0. */
static uint8_t ref_byte(uint64_t i)
{
	uint64_t z = (i / 8 + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (uint8_t)(z >> (8 * (i % 8)));
}

static uint8_t *make_stream(size_t len)
{
	uint8_t *buf = malloc(len);

	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = ref_byte(i);
	return buf;
}

/* What a checker must find in got (a stream from offset 0), by the definition, byte by byte:
 * how many bytes differ, and the first (left alone when none does). */
static uint64_t wrong_by_definition(const uint8_t *got, size_t len, uint64_t *first)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < len; i++) {
		if (got[i] == ref_byte(i))
			continue;
		if (!bad)
			*first = i;
		bad++;
	}
	return bad;
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

START_TEST(fill_known_answer)
{
	/* splitmix64 seeded with 0 gives 0xe220a8397b1dcdaf, then 0x6e789e6aa1b965f4 */
	static const uint8_t want[16] = {
		0xaf, 0xcd, 0x1d, 0x7b, 0x39, 0xa8, 0x20, 0xe2,
		0xf4, 0x65, 0xb9, 0xa1, 0x6a, 0x9e, 0x78, 0x6e,
	};
	uint8_t buf[16];

	pattern_fill(buf, sizeof buf, 0);
	ck_assert_mem_eq(buf, want, sizeof want);
	pattern_fill(buf, 5, 11);
	ck_assert_mem_eq(buf, want + 11, 5);
}
END_TEST

START_TEST(fill_matches_definition)
{
	static const uint64_t offsets[] = {
		0, 1, 7, 8, 9, 250, 251, 65536, 1000000000007ULL, UINT64_MAX - 70000,
	};
	static const size_t lens[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 251, 4096, 65536, 70001 };
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
				want[i] = ref_byte(offsets[o] + i);
			ck_assert_msg(memcmp(buf + 1, want, lens[l]) == 0, "offset %ju len %zu",
				      (uintmax_t)offsets[o], lens[l]);
		}
	}
	free(buf);
	free(want);
}
END_TEST

/* No shift of the stream lines up with it: for every distance d up to 70000 (past 251, 4096
 * and 65536, the sizes a period could hide behind), the 64 bytes at d differ from those at 0,
 * and a stretch far out differs from its neighbour at any of the distances below. */
START_TEST(no_short_period)
{
	uint8_t *s = make_stream(70000 + 64);
	uint8_t far[64], near[64];

	for (size_t d = 1; d <= 70000; d++)
		ck_assert_msg(memcmp(s, s + d, 64) != 0, "the stream repeats after %zu bytes", d);
	pattern_fill(far, sizeof far, 1ull << 40);
	for (uint64_t d = 8; d <= 1u << 20; d *= 2) {
		pattern_fill(near, sizeof near, (1ull << 40) + d);
		ck_assert_msg(memcmp(far, near, sizeof far) != 0, "distance %ju", (uintmax_t)d);
		pattern_fill(near, sizeof near, (1ull << 40) + d * 251);
		ck_assert_msg(memcmp(far, near, sizeof far) != 0, "distance %ju", (uintmax_t)d * 251);
	}
	free(s);
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
	ck_assert_ptr_null(pc.text);
}
END_TEST

/* Several chunkings, from byte by byte to far bigger than a word or a read. */
static const struct {
	uint32_t seed;
	size_t maxchunk;
} chunkings[] = {
	{ 1, 1 }, { 2, 3 }, { 3, 9 }, { 4, 253 }, { 5, 4099 }, { 6, 70000 }, { 7, STREAM_LEN },
};
#define N_CHUNKINGS ((int)(sizeof chunkings / sizeof chunkings[0]))

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

/* Where the damage goes: start, around a word's edges, mid-stream, the last byte. */
static const size_t damage_at[] = { 0, 1, 7, 8, 9, 4095, 4096, 99999, STREAM_LEN - 1 };
#define N_DAMAGE ((int)(sizeof damage_at / sizeof damage_at[0]))

START_TEST(changed_byte)
{
	uint8_t *s = make_stream(STREAM_LEN);
	size_t at = damage_at[_i % N_DAMAGE];
	int c = _i / N_DAMAGE;
	struct pattern_check pc;

	s[at] ^= 0x40;
	pattern_check_init(&pc);
	ck_assert_uint_eq(feed_chunked(&pc, s, STREAM_LEN, chunkings[c].seed,
				       chunkings[c].maxchunk), 1);
	ck_assert_uint_eq(pc.errors, 1);
	ck_assert_uint_eq(pc.first_error, at);
	/* the byte the pattern has there, and the one read */
	ck_assert_uint_eq(pc.first_expected, s[at] ^ 0x40);
	ck_assert_uint_eq(pc.first_got, s[at]);
	free(s);
}
END_TEST

/* Feed s (len bytes, damaged at at) in chunking c: the checker finds exactly what the definition
 * says, and the first wrong byte is at the damage or a few bytes past it (where the wrong bytes
 * happen to equal the right ones). */
static void expect_caught(const uint8_t *s, size_t len, size_t at, int c)
{
	struct pattern_check pc;
	uint64_t want, first = UINT64_MAX, bad;
	uint8_t byte;

	want = wrong_by_definition(s, len, &first);
	pattern_check_init(&pc);
	bad = feed_chunked(&pc, s, len, chunkings[c].seed, chunkings[c].maxchunk);
	ck_assert_uint_gt(want, 0);
	ck_assert_uint_eq(bad, want);
	ck_assert_uint_eq(pc.errors, want);
	ck_assert_uint_eq(pc.offset, len);
	ck_assert_uint_eq(pc.first_error, first);
	ck_assert_uint_ge(pc.first_error, at);
	ck_assert_uint_lt(pc.first_error, at + 4);
	ck_assert_uint_eq(pc.first_got, s[first]);
	pattern_fill(&byte, 1, first);
	ck_assert_uint_eq(pc.first_expected, byte);
	ck_assert_uint_ne(pc.first_expected, pc.first_got);
}

START_TEST(missing_byte)
{
	uint8_t *s = make_stream(STREAM_LEN);
	size_t at = damage_at[_i % N_DAMAGE];
	int c = _i / N_DAMAGE;
	struct pattern_check pc;

	memmove(s + at, s + at + 1, STREAM_LEN - at - 1);
	if (at == STREAM_LEN - 1) {
		/* losing the last byte leaves nothing wrong to see: the byte count tells */
		pattern_check_init(&pc);
		ck_assert_uint_eq(feed_chunked(&pc, s, STREAM_LEN - 1, chunkings[c].seed,
					       chunkings[c].maxchunk), 0);
		ck_assert_uint_eq(pc.offset, STREAM_LEN - 1);
	} else {
		/* every byte after the gap is shifted, so nearly all of them are wrong */
		expect_caught(s, STREAM_LEN - 1, at, c);
		pattern_check_init(&pc);
		ck_assert_uint_gt(pattern_check_feed(&pc, s, STREAM_LEN - 1),
				  (STREAM_LEN - 1 - at) / 2);
	}
	free(s);
}
END_TEST

START_TEST(repeated_byte)
{
	uint8_t *s = make_stream(STREAM_LEN + 1);
	size_t at = damage_at[_i % N_DAMAGE];
	int c = _i / N_DAMAGE;

	/* byte at is sent twice: the copy lands at at + 1 */
	memmove(s + at + 1, s + at, STREAM_LEN - at);
	expect_caught(s, STREAM_LEN + 1, at + 1, c);
	free(s);
}
END_TEST

/* ---- a stretch lost, repeated or moved ---- */

/* The sizes a period of 251 hid (251: the old pattern's period; a multiple of it), a word, a
 * page, and a read. */
static const size_t stretch_sizes[] = { 8, 251, 502, 4096, 65536 };
#define N_SIZES ((int)(sizeof stretch_sizes / sizeof stretch_sizes[0]))
/* Where it happens: the start, mid-word, on a word's edge, far in. */
static const size_t stretch_at[] = { 0, 3, 4104, 60001 };
#define N_AT ((int)(sizeof stretch_at / sizeof stretch_at[0]))
/* A few chunkings: byte by byte, a few bytes, reads of up to 64 KiB. */
static const int stretch_chunkings[] = { 0, 2, 5 };
#define N_SCHUNK ((int)(sizeof stretch_chunkings / sizeof stretch_chunkings[0]))
#define N_STRETCH_CASES (N_SIZES * N_AT * N_SCHUNK)

enum stretch { DROP, DUP, SWAP, DROP_DUP };

/* Build the stream a receiver would see after the damage, and check that it is caught where
 * the stream first goes wrong: at the stretch for a loss or a swap, just after the original
 * for a duplicate. */
static void stretch_case(int i, enum stretch how)
{
	size_t n = stretch_sizes[i % N_SIZES];
	size_t at = stretch_at[i / N_SIZES % N_AT];
	int c = stretch_chunkings[i / (N_SIZES * N_AT)];
	uint8_t *s = make_stream(STREAM_LEN), *got = malloc(STREAM_LEN + 65536);
	size_t len = 0, wrong_from = at;

#define PUT(from, count) (memcpy(got + len, s + (from), (count)), len += (count))
	ck_assert_ptr_nonnull(got);
	switch (how) {
	case DROP:              /* [at, at + n) never arrives */
		PUT(0, at);
		PUT(at + n, STREAM_LEN - at - n);
		break;
	case DUP:               /* [at, at + n) arrives twice */
		PUT(0, at + n);
		PUT(at, STREAM_LEN - at);
		wrong_from = at + n;
		break;
	case SWAP:              /* [at, at + n) and the stretch after it arrive swapped */
		PUT(0, at);
		PUT(at + n, n);
		PUT(at, n);
		PUT(at + 2 * n, STREAM_LEN - at - 2 * n);
		break;
	case DROP_DUP: {        /* one stretch lost, a later one twice: the count is right */
		size_t b = at + n + 1000;

		PUT(0, at);
		PUT(at + n, b + n - (at + n));
		PUT(b, STREAM_LEN - b);
		ck_assert_uint_eq(len, STREAM_LEN);
		break;
	}
	}
#undef PUT
	expect_caught(got, len, wrong_from, c);
	free(s);
	free(got);
}

START_TEST(stretch_lost)
{
	stretch_case(_i, DROP);
}
END_TEST

START_TEST(stretch_repeated)
{
	stretch_case(_i, DUP);
}
END_TEST

START_TEST(stretch_swapped)
{
	stretch_case(_i, SWAP);
}
END_TEST

START_TEST(stretch_lost_and_repeated)
{
	stretch_case(_i, DROP_DUP);
}
END_TEST

START_TEST(first_error_kept)
{
	uint8_t *s = make_stream(STREAM_LEN);
	struct pattern_check pc;

	s[1000] ^= 1;
	s[5000] ^= 2;
	s[150000] ^= 4;
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
	uint64_t first = UINT64_MAX, want;

	/* a stream of one value is wrong everywhere but where the pattern has that value */
	memset(junk, 7, sizeof junk);
	want = wrong_by_definition(junk, sizeof junk, &first);
	ck_assert_uint_gt(want, sizeof junk - sizeof junk / 64);
	pattern_check_init(&pc);
	ck_assert_uint_eq(pattern_check_feed(&pc, junk, sizeof junk), want);
	ck_assert_uint_eq(pc.first_error, first);
}
END_TEST

/* ---- a sender's source ---- */

START_TEST(source_gives_any_stretch)
{
	/* 0: the pattern; 1: the request */
	const char *text = _i ? PATTERN_REQUEST : NULL;
	struct pattern_source ps;
	uint8_t *want = malloc(5000);
	char err[128];
	uint32_t seed = 11;
	uint64_t offset = 0;

	ck_assert_ptr_nonnull(want);
	ck_assert_int_eq(pattern_source_init(&ps, 5000, text, err, sizeof err), 0);
	for (int i = 0; i < 3000; i++) {
		uint32_t r = next_rand(&seed);
		size_t n = r % 5001;
		const uint8_t *got;

		/* onwards mostly, by a part of the last stretch; sometimes back, or far away */
		switch (r % 7) {
		case 0:
			offset = offset > 3000 ? offset - r % 3000 : 0;
			break;
		case 1:
			offset += 100000 + r % 99991;
			break;
		default:
			offset += n ? r % (n + 1) : 0;
			break;
		}
		got = pattern_source_get(&ps, offset, n);
		ck_assert_ptr_nonnull(got);
		pattern_fill_text(want, n, offset, text);
		ck_assert_msg(memcmp(got, want, n) == 0, "offset %ju n %zu", (uintmax_t)offset, n);
	}
	ck_assert_ptr_null(pattern_source_get(&ps, offset, 5001));
	pattern_source_free(&ps);
	free(want);
}
END_TEST

/* A writer whose write() moves only part of what it asked for asks again from where it stopped:
 * each byte of the stream is generated once, give or take the window's last filling. */
START_TEST(source_generates_once)
{
	struct pattern_source ps;
	char err[128];
	uint32_t seed = 5;
	uint64_t sent = 0;
	const size_t max = 65536;

	ck_assert_int_eq(pattern_source_init(&ps, max, NULL, err, sizeof err), 0);
	while (sent < 64u << 20) {
		const uint8_t *p = pattern_source_get(&ps, sent, max);
		size_t moved = 1 + next_rand(&seed) % max;

		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(p[0], ref_byte(sent));
		ck_assert_int_eq(p[max - 1], ref_byte(sent + max - 1));
		sent += moved;
	}
	ck_assert_uint_le(ps.generated, sent + 2 * max);
	pattern_source_free(&ps);
}
END_TEST

START_TEST(source_init_refuses_nothing)
{
	struct pattern_source ps;
	char err[128] = "";

	ck_assert_int_eq(pattern_source_init(&ps, 0, NULL, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "pattern_source_init"));
	ck_assert_ptr_null(ps.buf);
	pattern_source_free(&ps);
}
END_TEST

/* ---- a text repeated ---- */

/* A text longer than the checker's 4096-byte reference block, so that no block lines up with
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
	/* NULL and "" mean the pattern; pattern_check_init forgets a text */
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
 * reference blocks (4094 and 4080 for the two texts, 4096 for the long one), mid-stream, last. */
static const size_t text_damage_at[] = {
	0, 1, 7, 8, 22, 23, 24, 4093, 4094, 4080, 4096, 99999, STREAM_LEN - 1,
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
		ck_assert_uint_eq(pc.first_expected, (uint8_t)text[first % strlen(text)]);
		ck_assert_uint_eq(pc.first_got, s[first]);
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
	int nc = N_CHUNKINGS;

	tc = tcase_create("fill");
	tcase_add_test(tc, fill_known_answer);
	tcase_add_test(tc, fill_matches_definition);
	tcase_add_test(tc, no_short_period);
	tcase_add_test(tc, fill_in_chunks_equals_whole);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, init_zeroes);
	tcase_add_loop_test(tc, clean_stream_is_clean, 0, nc);
	tcase_add_loop_test(tc, changed_byte, 0, N_DAMAGE * nc);
	tcase_add_loop_test(tc, missing_byte, 0, N_DAMAGE * nc);
	tcase_add_loop_test(tc, repeated_byte, 0, N_DAMAGE * nc);
	tcase_add_test(tc, first_error_kept);
	tcase_add_test(tc, all_wrong);
	suite_add_tcase(s, tc);

	tc = tcase_create("stretch");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, stretch_lost, 0, N_STRETCH_CASES);
	tcase_add_loop_test(tc, stretch_repeated, 0, N_STRETCH_CASES);
	tcase_add_loop_test(tc, stretch_swapped, 0, N_STRETCH_CASES);
	tcase_add_loop_test(tc, stretch_lost_and_repeated, 0, N_STRETCH_CASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("source");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, source_gives_any_stretch, 0, 2);
	tcase_add_test(tc, source_generates_once);
	tcase_add_test(tc, source_init_refuses_nothing);
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
