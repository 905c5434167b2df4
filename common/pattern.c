/* pattern: see pattern.h. */
#include "pattern.h"

#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reference block for checking a text: the longest whole number of texts that fits lines up
 * with every following block of the stream. Small enough for the stack, big enough that memcmp
 * does the work. */
#define TEXT_REF_LEN 4096

const char PATTERN_REQUEST[] = "GET /hello HTTP/1.1\r\n\r\n";
const char PATTERN_RESPONSE[] = "HTTP/1.1 200 OK\r\n\r\nHello";

/* Word k of the stream: splitmix64's (k + 1)-th step from seed 0, then its finalizer. */
static inline uint64_t word(uint64_t k)
{
	uint64_t z = (k + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The stream's bytes are the words little-endian, whatever the machine's order. */
static inline void store_word(uint8_t *p, uint64_t k)
{
	uint64_t v = htole64(word(k));

	memcpy(p, &v, 8);
}

static inline uint64_t load_le(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

void pattern_fill(uint8_t *buf, size_t len, uint64_t offset)
{
	uint64_t k = offset / 8;
	size_t skip = (size_t)(offset % 8);
	uint8_t w[8];

	if (skip && len) {
		size_t n = 8 - skip < len ? 8 - skip : len;

		store_word(w, k++);
		memcpy(buf, w + skip, n);
		buf += n;
		len -= n;
	}
	for (; len >= 8; buf += 8, len -= 8)
		store_word(buf, k++);
	if (len) {
		store_word(w, k);
		memcpy(buf, w, len);
	}
}

/* buf holds its first `first` bytes, whole texts or all of len: copy them forward in doubling
 * blocks. The stream repeats every text, so buf[i] == buf[i - done] while done is a multiple
 * of the text's length. */
static void copy_forward(uint8_t *buf, size_t len, size_t first)
{
	for (size_t done = first; done < len;) {
		size_t n = len - done < done ? len - done : done;
		memcpy(buf + done, buf, n);
		done += n;
	}
}

void pattern_fill_text(uint8_t *buf, size_t len, uint64_t offset, const char *text)
{
	size_t tl = text ? strlen(text) : 0;
	size_t first, at;

	if (tl == 0) {
		pattern_fill(buf, len, offset);
		return;
	}
	first = len < tl ? len : tl;
	at = (size_t)(offset % tl);
	for (size_t i = 0; i < first; i++) {
		buf[i] = (uint8_t)text[at];
		if (++at == tl)
			at = 0;
	}
	copy_forward(buf, len, first);
}

/* ---- sending ---- */

int pattern_source_init(struct pattern_source *ps, size_t max, const char *text, char *err,
			size_t errlen)
{
	memset(ps, 0, sizeof(*ps));
	if (max == 0 || max > SIZE_MAX / 2) {
		snprintf(err, errlen, "pattern_source_init: a stretch of %zu bytes", max);
		return -1;
	}
	ps->text = text && *text ? text : NULL;
	ps->max = max;
	ps->cap = 2 * max;
	ps->buf = malloc(ps->cap);
	if (ps->buf == NULL) {
		snprintf(err, errlen, "malloc(%zu): out of memory", ps->cap);
		return -1;
	}
	return 0;
}

const uint8_t *pattern_source_get(struct pattern_source *ps, uint64_t offset, size_t n)
{
	size_t keep = 0;

	if (n > ps->max)
		return NULL;
	if (offset >= ps->start && offset - ps->start <= ps->len) {
		size_t at = (size_t)(offset - ps->start);

		if (ps->len - at >= n)
			return ps->buf + at;
		/* The stretch starts in the window and runs past it: keep what is there. */
		keep = ps->len - at;
		memmove(ps->buf, ps->buf + at, keep);
	}
	pattern_fill_text(ps->buf + keep, ps->cap - keep, offset + keep, ps->text);
	ps->generated += ps->cap - keep;
	ps->start = offset;
	ps->len = ps->cap;
	return ps->buf;
}

void pattern_source_free(struct pattern_source *ps)
{
	free(ps->buf);
	memset(ps, 0, sizeof(*ps));
}

/* ---- receiving ---- */

void pattern_check_init(struct pattern_check *pc)
{
	memset(pc, 0, sizeof *pc);
}

void pattern_check_init_text(struct pattern_check *pc, const char *text)
{
	pattern_check_init(pc);
	if (text && *text) {
		pc->text = text;
		pc->text_len = strlen(text);
	}
}

/* n bytes at stream offset off differ somewhere from ref: count those that do. */
static uint64_t count_wrong(struct pattern_check *pc, uint64_t off, const uint8_t *got,
			    const uint8_t *ref, size_t n, uint64_t bad)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] == ref[i])
			continue;
		if (!pc->errors && !bad) {
			pc->first_error = off + i;
			pc->first_expected = ref[i];
			pc->first_got = got[i];
		}
		bad++;
	}
	return bad;
}

static uint64_t feed_pattern(struct pattern_check *pc, const uint8_t *buf, size_t len)
{
	uint64_t off = pc->offset, k = off / 8, bad = 0;
	size_t skip = (size_t)(off % 8), pos = 0;
	uint8_t w[8];

	/* The head, up to the first whole word. */
	if (skip && len) {
		size_t n = 8 - skip < len ? 8 - skip : len;

		store_word(w, k++);
		bad = count_wrong(pc, off, buf, w + skip, n, bad);
		pos = n;
	}
	/* Whole words: one compare each, bytes counted only in a word that differs. */
	for (; len - pos >= 8; pos += 8, k++) {
		if (load_le(buf + pos) == word(k))
			continue;
		store_word(w, k);
		bad = count_wrong(pc, off + pos, buf + pos, w, 8, bad);
	}
	if (pos < len) {
		store_word(w, k);
		bad = count_wrong(pc, off + pos, buf + pos, w, len - pos, bad);
	}
	return bad;
}

static uint64_t feed_text(struct pattern_check *pc, const uint8_t *buf, size_t len)
{
	uint8_t ref[TEXT_REF_LEN];
	size_t period = pc->text_len;
	/* The longest block that is a whole number of texts lines up with every block after it,
	 * so it is filled once; a text longer than the block is filled afresh for each block. */
	size_t block = period <= TEXT_REF_LEN ? TEXT_REF_LEN / period * period : TEXT_REF_LEN;
	int reuse = period <= TEXT_REF_LEN;
	uint64_t bad = 0;

	if (block > len)
		block = len;
	for (size_t pos = 0; pos < len; pos += block) {
		size_t n = len - pos < block ? len - pos : block;

		if (pos == 0 || !reuse)
			pattern_fill_text(ref, n, pc->offset + pos, pc->text);
		/* memcmp clears a clean block fast; only a dirty one is walked byte by byte */
		if (memcmp(buf + pos, ref, n) == 0)
			continue;
		bad = count_wrong(pc, pc->offset + pos, buf + pos, ref, n, bad);
	}
	return bad;
}

const char *pattern_check_what(const struct pattern_check *pc)
{
	if (pc->text == NULL)
		return "pattern";
	if (strcmp(pc->text, PATTERN_REQUEST) == 0)
		return "request";
	if (strcmp(pc->text, PATTERN_RESPONSE) == 0)
		return "response";
	return "text";
}

uint64_t pattern_check_feed(struct pattern_check *pc, const uint8_t *buf, size_t len)
{
	uint64_t bad = pc->text ? feed_text(pc, buf, len) : feed_pattern(pc, buf, len);

	pc->offset += len;
	pc->errors += bad;
	return bad;
}
