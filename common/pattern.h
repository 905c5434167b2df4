/* pattern: the bytes every sender writes and every receiver checks.
 *
 * Byte number i of a stream (counting from 0) is byte i % 8, little-endian, of word i / 8, and
 * word k is the k-th number splitmix64 gives when seeded with 0: (k + 1) times 0x9e3779b97f4a7c15,
 * mixed by splitmix64's finalizer. Both steps are bijections of 64-bit numbers, so no two words
 * of a stream are equal and the stream never repeats: a stretch of any length that is lost,
 * repeated, moved or changed puts the wrong bytes at its place, and the check reports the
 * offset of the first byte that differs. (The wrong byte has the right value by chance one time
 * in 256, so that offset can be a byte or two past the damage, never before it.) The only
 * damage the bytes cannot show is a stream cut short: the byte counts, which every summary
 * compares, tell that.
 *
 * It costs one 64-bit mix per 8 bytes, so filling and checking run at gigabytes a second
 * (tests/bench_pattern.c measures it).
 *
 * A stream may instead carry a text, repeated: byte i is text[i % strlen(text)]. That is how the
 * request/response lessons send the reference document's own request and response and still
 * prove that nothing was lost. A text's neighbouring bytes may be equal (the "ll" of "hello"), so
 * a lost or repeated byte can show a byte or two after the place it happened, and a loss of a
 * whole number of texts cannot show at all; the byte counts still tell. Wherever a text is taken,
 * NULL (or "") means the splitmix64 pattern. */
#ifndef FLOWLAB_PATTERN_H
#define FLOWLAB_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* The reference document's request and response, byte for byte. The document calls them 26 and
 * 28 bytes; the texts are 23 ("GET /hello HTTP/1.1" and two CRLFs) and 24. */
extern const char PATTERN_REQUEST[];    /* "GET /hello HTTP/1.1\r\n\r\n" */
extern const char PATTERN_RESPONSE[];   /* "HTTP/1.1 200 OK\r\n\r\nHello" */

/* Fill buf with the len pattern bytes that start at stream offset offset. */
void pattern_fill(uint8_t *buf, size_t len, uint64_t offset);
/* The same for a text repeated: buf[k] = text[(offset + k) % strlen(text)]. */
void pattern_fill_text(uint8_t *buf, size_t len, uint64_t offset, const char *text);

/* ---- sending ---- */

/* A sender's stream: the bytes of any stretch [offset, offset + n) for n up to max, kept in a
 * window of 2 * max bytes. A write that moves only part of a stretch asks next for the stretch
 * that starts where it stopped, which is mostly in the window already: what is still in it is
 * moved to the front and only the rest is generated, so each byte of a stream sent in order is
 * generated once. */
struct pattern_source {
	const char *text;          /* the text the stream repeats; NULL: the pattern */
	uint8_t *buf;
	size_t max;                /* the longest stretch asked for */
	size_t cap;                /* 2 * max: buf's size */
	uint64_t start;            /* the stream offset of buf[0] */
	size_t len;                /* how many bytes of buf hold the stream from start */
	uint64_t generated;        /* bytes generated so far (the tests watch it) */
};

/* A source of stretches up to max bytes (at least 1) of the pattern, or of text repeated (text
 * is not copied: it must outlive the source). Returns 0, or -1 with err. */
int pattern_source_init(struct pattern_source *ps, size_t max, const char *text, char *err,
			size_t errlen);
/* The n bytes of the stream from offset on, valid until the next call; NULL if n > max. */
const uint8_t *pattern_source_get(struct pattern_source *ps, uint64_t offset, size_t n);
void pattern_source_free(struct pattern_source *ps);

/* ---- receiving ---- */

struct pattern_check {
	uint64_t offset;        /* bytes checked so far: the stream offset of the next byte */
	uint64_t errors;        /* bytes that differed from the pattern */
	uint64_t first_error;   /* stream offset of the first differing byte (valid if errors) */
	uint8_t first_expected; /* what that byte should have been (valid if errors) */
	uint8_t first_got;      /* and what it was */
	const char *text;       /* the text the stream repeats; NULL: the pattern */
	size_t text_len;
};

/* Check against the pattern. */
void pattern_check_init(struct pattern_check *pc);
/* Check against text repeated (text is not copied: it must outlive the check). */
void pattern_check_init_text(struct pattern_check *pc, const char *text);
/* Check the next len bytes of the stream; returns how many of them were wrong. */
uint64_t pattern_check_feed(struct pattern_check *pc, const uint8_t *buf, size_t len);
/* What pc checks against, for messages: "pattern", "request", "response" or "text". */
const char *pattern_check_what(const struct pattern_check *pc);

#endif
