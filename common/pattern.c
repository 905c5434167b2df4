/* pattern: see pattern.h. */
#include "pattern.h"

#include <string.h>

#define PERIOD 251

/* Reference block for checking: a whole number of periods, so the same block lines up with
 * every following block of the stream. Small enough for the stack, big enough that memcmp
 * does the work. */
#define REF_LEN (PERIOD * 16)

void pattern_fill(uint8_t *buf, size_t len, uint64_t offset)
{
	size_t first = len < PERIOD ? len : PERIOD;
	unsigned v = (unsigned)(offset % PERIOD);
	size_t done;

	/* One period by hand, then copy it forward in doubling blocks: the pattern repeats every
	 * PERIOD bytes, so buf[i] == buf[i - done] while done is a multiple of PERIOD. */
	for (size_t i = 0; i < first; i++) {
		buf[i] = (uint8_t)v;
		if (++v == PERIOD)
			v = 0;
	}
	for (done = first; done < len;) {
		size_t n = len - done < done ? len - done : done;
		memcpy(buf + done, buf, n);
		done += n;
	}
}

void pattern_check_init(struct pattern_check *pc)
{
	memset(pc, 0, sizeof *pc);
}

uint64_t pattern_check_feed(struct pattern_check *pc, const uint8_t *buf, size_t len)
{
	uint8_t ref[REF_LEN];
	size_t reflen = len < REF_LEN ? len : REF_LEN;
	uint64_t bad = 0;

	pattern_fill(ref, reflen, pc->offset);
	for (size_t pos = 0; pos < len; pos += reflen) {
		size_t n = len - pos < reflen ? len - pos : reflen;

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
