/* fuzz_wire: the segment parser and classifier (common/wire), on any captured frames.
 *
 * An input is a header byte and frames, as a capture hands them to flowlab-capture:
 *   byte 0        bits 0-1: the link type (0 Ethernet, 1 raw IP, 2 Linux cooked, 3 one
 *                 wire_parse does not know); bit 2: drop_loopback_copies
 *   then, for each frame: its length (2 bytes, big-endian; what is left if fewer remain), the
 *   time since the frame before in units of 10 us (2 bytes), and the frame's bytes.
 * Whatever the frames: wire_parse reads no byte past a frame, and what it accepts has a window
 * scale from -1 to 14; every frame parsed goes to wire_classify, whose class, side and window
 * stay in range, and a duplicate is one only where loopback copies are dropped. */
#include <inttypes.h>

#include "fuzz.h"
#include "wire.h"

static const int link_types[4] = { WIRE_LINK_ETHERNET, WIRE_LINK_RAW, WIRE_LINK_LINUX_SLL, 42 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_tracker t;
	uint64_t t_ns = 1000000000;
	int link;
	size_t pos = 1;

	if (size < 1)
		return 0;
	link = link_types[data[0] & 3];
	wire_tracker_init(&t);
	t.drop_loopback_copies = (data[0] >> 2) & 1;
	while (pos + 4 <= size) {
		size_t len = (size_t)data[pos] << 8 | data[pos + 1];
		uint64_t dt = ((uint64_t)data[pos + 2] << 8 | data[pos + 3]) * 10000;
		struct wire_segment s;
		struct wire_result r;
		uint8_t *frame;
		char flags[8], tiny[2];

		pos += 4;
		if (len > size - pos)
			len = size - pos;
		/* a copy of exactly its length: a read past the frame is caught */
		frame = malloc(len ? len : 1);
		if (frame == NULL)
			return 0;
		memcpy(frame, data + pos, len);
		pos += len;
		t_ns += dt;
		if (wire_parse(frame, len, link, &s) == 0) {
			FUZZ_CHECK(s.wscale >= -1 && s.wscale <= 14, "wscale %d", s.wscale);
			FUZZ_CHECK((s.flags & ~0x3f) == 0, "flags 0x%x", s.flags);
			s.t_ns = t_ns;
			wire_classify(&t, &s, &r);
			FUZZ_CHECK(r.cls >= WIRE_CLASS_SYN && r.cls <= WIRE_CLASS_DUPLICATE, "class %d",
				   (int)r.cls);
			FUZZ_CHECK(r.cls != WIRE_CLASS_DUPLICATE || t.drop_loopback_copies,
				   "a duplicate with loopback copies kept");
			FUZZ_CHECK(r.from == 0 || r.from == 1, "from %d", r.from);
			FUZZ_CHECK(!r.window_known || r.window_bytes <= (uint64_t)0xffff << 14,
				   "window %" PRIu64, r.window_bytes);
			FUZZ_CHECK(strcmp(wire_class_name(r.cls), "?") != 0, "class %d has no name",
				   (int)r.cls);
			(void)wire_probe_form_name(r.probe_form);
			wire_flags_text(s.flags, flags, sizeof(flags));
			wire_flags_text(s.flags, tiny, sizeof(tiny));
			FUZZ_CHECK(strlen(tiny) < sizeof(tiny), "flags text overflows");
		}
		free(frame);
	}
	return 0;
}
