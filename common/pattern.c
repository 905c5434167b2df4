/* pattern: see pattern.h. */
#include "pattern.h"

#include <string.h>

#define PERIOD 251

/* Reference block for checking: a whole number of periods, so the same block lines up with
 * every following block of the stream. Small enough for the stack, big enough that memcmp
 * does the work. */
#define REF_LEN (PERIOD * 16)

const char PATTERN_REQUEST[] = "GET /hello HTTP/1.1\r\n\r\n";
const char PATTERN_RESPONSE[] = "HTTP/1.1 200 OK\r\n\r\nHello";

/* buf holds its first `first` bytes, whole periods or all of len: copy them forward in doubling
 * blocks. The stream repeats every period, so buf[i] == buf[i - done] while done is a multiple
 * of the period. */
static void copy_forward(uint8_t *buf, size_t len, size_t first)
{
	for (size_t done = first; done < len;) {
		size_t n = len - done < done ? len - done : done;
		memcpy(buf + done, buf, n);
		done += n;
	}
}

void pattern_fill(uint8_t *buf, size_t len, uint64_t offset)
{
	size_t first = len < PERIOD ? len : PERIOD;
	unsigned v = (unsigned)(offset % PERIOD);

	for (size_t i = 0; i < first; i++) {
		buf[i] = (uint8_t)v;
		if (++v == PERIOD)
			v = 0;
	}
	copy_forward(buf, len, first);
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

uint64_t pattern_check_feed(struct pattern_check *pc, const uint8_t *buf, size_t len)
{
	uint8_t ref[REF_LEN];
	size_t period = pc->text ? pc->text_len : PERIOD;
	/* The longest block that is a whole number of periods lines up with every block after it,
	 * so it is filled once; a text longer than the block is filled afresh for each block. */
	size_t block = period <= REF_LEN ? REF_LEN / period * period : REF_LEN;
	int reuse = period <= REF_LEN;
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
		for (size_t i = 0; i < n; i++) {
			if (buf[pos + i] == ref[i])
				continue;
			if (!pc->errors && !bad)
				pc->first_error = pc->offset + pos + i;
			bad++;
		}
	}
	pc->offset += len;
	pc->errors += bad;
	return bad;
}
