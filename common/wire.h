/* wire: TCP segments as a capture sees them, and what each one means for flow control.
 *
 * wire_parse() takes one captured frame (Ethernet, as Linux's loopback gives, Linux "cooked"
 * SLL, or raw IP) and pulls out the TCP header fields. wire_classify() follows a connection in
 * both directions and says what a segment is: the zero windows a receiver advertises, the
 * probes a sender sends against them, the window update that ends the stall. It needs no
 * privileges and no libpcap, so the unit tests feed it hand-built packets. */
#ifndef FLOWLAB_WIRE_H
#define FLOWLAB_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Link types, with libpcap's numbers. */
enum { WIRE_LINK_ETHERNET = 1, WIRE_LINK_RAW = 101, WIRE_LINK_LINUX_SLL = 113 };

enum { WIRE_FIN = 0x01, WIRE_SYN = 0x02, WIRE_RST = 0x04, WIRE_PSH = 0x08, WIRE_ACK = 0x10 };

struct wire_segment {
	uint64_t t_ns;
	uint8_t src[16], dst[16];    /* IPv4 in the first 4 bytes */
	int ipv6;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win_raw;
	int wscale;                  /* the window-scale option, -1 if absent */
	uint32_t len;                /* payload bytes */
};

/* Parse a frame of caplen bytes. Returns 0, or -1 if it is not a whole IPv4/IPv6 TCP header. */
int wire_parse(const uint8_t *frame, size_t caplen, int linktype, struct wire_segment *s);

enum wire_class {
	WIRE_CLASS_SYN, WIRE_CLASS_DATA, WIRE_CLASS_ACK, WIRE_CLASS_FIN, WIRE_CLASS_RST,
	WIRE_CLASS_ZERO_WINDOW, WIRE_CLASS_WINDOW_PROBE, WIRE_CLASS_WINDOW_UPDATE,
	WIRE_CLASS_RETRANSMISSION,
	WIRE_CLASS_DUPLICATE,        /* the second copy of a loopback packet: not counted */
};

enum wire_probe_form { WIRE_PROBE_NONE, WIRE_PROBE_LINUX, WIRE_PROBE_RFC9293 };

/* What one side has shown so far. */
struct wire_side {
	int seen;
	uint16_t port;
	uint32_t isn;
	int syn_wscale;              /* -1: its SYN had no option, or was not seen */
	uint32_t nxt;                /* highest seq + len it has sent */
	int nxt_valid;
	int zero;                    /* its last advertised window was 0 */
	uint32_t last_ack;           /* its last ACK number (segments with ACK set) */
	/* As Wireshark remembers them, from every segment: for its window updates. */
	int ws_seen;
	uint64_t ws_window;
	uint32_t ws_ack;
};

struct wire_tracker {
	struct wire_side side[2];    /* side[0]: the first one seen */
	int handshake_seen;          /* both SYNs seen: windows can be scaled */
	/* A capture on "lo" in both directions sees each packet twice, leaving and arriving: set
	 * this to count the second copy as a duplicate. A capture of arriving packets only (the
	 * way flowlab-capture does it) must leave it 0, or two real identical ACKs sent within a
	 * millisecond would count once. */
	int drop_loopback_copies;
	int have_last;
	struct wire_segment last;    /* to recognise the loopback copy */
};

struct wire_result {
	enum wire_class cls;
	enum wire_probe_form probe_form;
	int from;                    /* which side sent it: 0 or 1 */
	uint32_t rel_seq, rel_ack;   /* relative to each side's initial sequence number */
	int window_known;
	uint64_t window_bytes;
	/* Wireshark's tcp.analysis.window_update: no payload, the same sequence and ACK numbers
	 * as the sender's segment before, and a new window that is not 0. A segment can be both
	 * this and one of the classes above (the window update that ends a zero window is). */
	int ws_window_update;
};

void wire_tracker_init(struct wire_tracker *t);

/* Classify s (segments of one connection, in capture order). With drop_loopback_copies, a copy
 * of the previous segment seen within 1 ms is WIRE_CLASS_DUPLICATE and changes nothing. */
void wire_classify(struct wire_tracker *t, const struct wire_segment *s, struct wire_result *r);

/* "zero_window", "window_probe", ...; "linux", "rfc9293". */
const char *wire_class_name(enum wire_class c);
const char *wire_probe_form_name(enum wire_probe_form f);
/* "S", "SA", "PA", "FA", "R": the flags in Wireshark's order of importance. */
void wire_flags_text(uint8_t flags, char *buf, size_t len);

#endif
