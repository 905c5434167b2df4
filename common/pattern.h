/* pattern: the bytes every sender writes and every receiver checks.
 *
 * Byte number i of a stream (counting from 0) is i % 251. The period is prime, so it never lines
 * up with a power-of-two write size, and two neighbouring bytes always differ, so a lost, repeated
 * or changed byte shows at the very place it happened. (A loss of a whole multiple of 251 bytes
 * is caught by the byte counts, which every summary compares.) */
#ifndef FLOWLAB_PATTERN_H
#define FLOWLAB_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Fill buf with the len pattern bytes that start at stream offset offset. */
void pattern_fill(uint8_t *buf, size_t len, uint64_t offset);

struct pattern_check {
	uint64_t offset;        /* bytes checked so far: the stream offset of the next byte */
	uint64_t errors;        /* bytes that differed from the pattern */
	uint64_t first_error;   /* stream offset of the first differing byte (valid if errors) */
};

void pattern_check_init(struct pattern_check *pc);
/* Check the next len bytes of the stream; returns how many of them were wrong. */
uint64_t pattern_check_feed(struct pattern_check *pc, const uint8_t *buf, size_t len);

#endif
