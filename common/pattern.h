/* pattern: the bytes every sender writes and every receiver checks.
 *
 * Byte number i of a stream (counting from 0) is i % 251. The period is prime, so it never lines
 * up with a power-of-two write size, and two neighbouring bytes always differ, so a lost, repeated
 * or changed byte shows at the very place it happened. (A loss of a whole multiple of 251 bytes
 * is caught by the byte counts, which every summary compares.)
 *
 * A stream may instead carry a text, repeated: byte i is text[i % strlen(text)]. That is how the
 * request/response lessons send the reference document's own request and response and still
 * prove that nothing was lost. A text's neighbouring bytes may be equal (the "ll" of "hello"), so
 * a lost or repeated byte can show a byte or two after the place it happened; the byte counts
 * still tell. Wherever a text is taken, NULL (or "") means the i % 251 pattern. */
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

struct pattern_check {
	uint64_t offset;        /* bytes checked so far: the stream offset of the next byte */
	uint64_t errors;        /* bytes that differed from the pattern */
	uint64_t first_error;   /* stream offset of the first differing byte (valid if errors) */
	const char *text;       /* the text the stream repeats; NULL: the i % 251 pattern */
	size_t text_len;
};

/* Check against the i % 251 pattern. */
void pattern_check_init(struct pattern_check *pc);
/* Check against text repeated (text is not copied: it must outlive the check). */
void pattern_check_init_text(struct pattern_check *pc, const char *text);
/* Check the next len bytes of the stream; returns how many of them were wrong. */
uint64_t pattern_check_feed(struct pattern_check *pc, const uint8_t *buf, size_t len);

#endif
