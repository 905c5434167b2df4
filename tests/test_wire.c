/* Unit tests of common/wire on hand-built packets: parsing, window scaling, and each kind of
 * segment the lessons count — zero window, both forms of probe, window update — and the ones
 * that must not be mistaken for them: a retransmission, a keep-alive, the loopback copy. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

enum { READER = 5000, WRITER = 40000 };

/* An Ethernet + IPv4 + TCP frame, as a capture on Linux's loopback gives it. */
static size_t frame(uint8_t *f, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		    uint8_t flags, uint16_t win, int wscale, uint32_t payload)
{
	size_t tcp_len = wscale >= 0 ? 24 : 20;
	size_t ip_total = 20 + tcp_len + payload;
	uint8_t *ip = f + 14, *tcp = ip + 20;

	memset(f, 0, 14 + ip_total);
	f[12] = 0x08;                           /* IPv4 */
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_total >> 8);
	ip[3] = (uint8_t)ip_total;
	ip[8] = 64;
	ip[9] = 6;                              /* TCP */
	ip[12] = 127, ip[15] = 1, ip[16] = 127, ip[19] = 1;
	tcp[0] = (uint8_t)(sport >> 8), tcp[1] = (uint8_t)sport;
	tcp[2] = (uint8_t)(dport >> 8), tcp[3] = (uint8_t)dport;
	for (int i = 0; i < 4; i++) {
		tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		tcp[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	tcp[12] = (uint8_t)((tcp_len / 4) << 4);
	tcp[13] = flags;
	tcp[14] = (uint8_t)(win >> 8), tcp[15] = (uint8_t)win;
	if (wscale >= 0) {
		tcp[20] = 1;                    /* no-op, then window scale */
		tcp[21] = 3, tcp[22] = 3, tcp[23] = (uint8_t)wscale;
	}
	return 14 + ip_total;
}

static struct wire_tracker t;
static uint64_t now_ns;

/* Build, parse and classify one segment; the time moves on 10 ms unless told otherwise. */
static struct wire_result seg(uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags,
			      uint16_t win, int wscale, uint32_t payload, uint64_t after_ns)
{
	uint8_t f[2048];
	struct wire_segment s;
	struct wire_result r;
	size_t n = frame(f, sport, sport == READER ? WRITER : READER, seq, ack, flags, win,
			 wscale, payload);

	now_ns += after_ns;
	ck_assert_int_eq(wire_parse(f, n, WIRE_LINK_ETHERNET, &s), 0);
	s.t_ns = now_ns;
	wire_classify(&t, &s, &r);
	return r;
}

#define W (WIRE_ACK)
#define MS 1000000u

/* The handshake: the writer offers scale 7, the reader scale 2. Sequence numbers start at 1000
 * (writer) and 9000 (reader). */
static void handshake(void)
{
	struct wire_result r;

	wire_tracker_init(&t);
	now_ns = 0;
	r = seg(WRITER, 1000, 0, WIRE_SYN, 64240, 7, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_SYN);
	ck_assert_int_eq((int)r.window_bytes, 64240);      /* never scaled on a SYN */
	r = seg(READER, 9000, 1001, WIRE_SYN | WIRE_ACK, 65160, 2, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_SYN);
	ck_assert_int_eq(r.rel_ack, 1);
	r = seg(WRITER, 1001, 9001, W, 502, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ACK);
}

START_TEST(parse_fields)
{
	uint8_t f[256];
	struct wire_segment s;
	size_t n = frame(f, 1234, 80, 0xfffffff0u, 77, WIRE_PSH | WIRE_ACK, 4096, 7, 100);

	ck_assert_int_eq(wire_parse(f, n, WIRE_LINK_ETHERNET, &s), 0);
	ck_assert_uint_eq(s.sport, 1234);
	ck_assert_uint_eq(s.dport, 80);
	ck_assert_uint_eq(s.seq, 0xfffffff0u);
	ck_assert_uint_eq(s.ack, 77);
	ck_assert_uint_eq(s.win_raw, 4096);
	ck_assert_int_eq(s.wscale, 7);
	ck_assert_uint_eq(s.len, 100);
	/* Raw IP, and a frame cut short. */
	ck_assert_int_eq(wire_parse(f + 14, n - 14, WIRE_LINK_RAW, &s), 0);
	ck_assert_uint_eq(s.len, 100);
	ck_assert_int_eq(wire_parse(f, 40, WIRE_LINK_ETHERNET, &s), -1);
	/* Not TCP. */
	f[14 + 9] = 17;
	ck_assert_int_eq(wire_parse(f, n, WIRE_LINK_ETHERNET, &s), -1);
}
END_TEST

START_TEST(window_scaling)
{
	struct wire_result r;

	handshake();
	/* The reader's 16-bit window counts in units of 2^2, the writer's in 2^7. */
	r = seg(READER, 9001, 1001, W, 1000, -1, 0, MS);
	ck_assert(r.window_known);
	ck_assert_uint_eq(r.window_bytes, 4000);
	r = seg(WRITER, 1001, 9001, W, 3, -1, 0, MS);
	ck_assert_uint_eq(r.window_bytes, 384);
	/* One side without the option: no scaling either way (RFC 7323). */
	wire_tracker_init(&t);
	seg(WRITER, 1000, 0, WIRE_SYN, 64240, 7, 0, MS);
	seg(READER, 9000, 1001, WIRE_SYN | WIRE_ACK, 65160, -1, 0, MS);
	r = seg(READER, 9001, 1001, W, 1000, -1, 0, MS);
	ck_assert_uint_eq(r.window_bytes, 1000);
	/* Joined after the handshake: the scale is unknown, only 0 is sure. */
	wire_tracker_init(&t);
	r = seg(READER, 9001, 1001, W, 1000, -1, 0, MS);
	ck_assert(!r.window_known);
	r = seg(READER, 9001, 1001, W, 0, -1, 0, MS);
	ck_assert(r.window_known);
	ck_assert_uint_eq(r.window_bytes, 0);
}
END_TEST

START_TEST(zero_window_probe_update)
{
	struct wire_result r;

	handshake();
	r = seg(WRITER, 1001, 9001, W | WIRE_PSH, 502, -1, 1448, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_DATA);
	r = seg(READER, 9001, 2449, W, 0, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ZERO_WINDOW);
	/* Linux's probe: no payload, one below the next sequence number to send. */
	r = seg(WRITER, 2448, 9001, W, 502, -1, 0, 200 * MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_WINDOW_PROBE);
	ck_assert_int_eq(r.probe_form, WIRE_PROBE_LINUX);
	ck_assert_int_eq(r.rel_seq, 1448);
	r = seg(READER, 9001, 2449, W, 0, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ZERO_WINDOW);
	/* The RFC 9293 form: one byte past the closed window. */
	r = seg(WRITER, 2449, 9001, W, 502, -1, 1, 400 * MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_WINDOW_PROBE);
	ck_assert_int_eq(r.probe_form, WIRE_PROBE_RFC9293);
	/* The reader reads: the first non-zero window after the zero one is the update... */
	r = seg(READER, 9001, 2449, W, 1000, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_WINDOW_UPDATE);
	ck_assert_uint_eq(r.window_bytes, 4000);
	/* ...and the next one is an ordinary ACK. */
	r = seg(READER, 9001, 2449, W, 1000, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ACK);
}
END_TEST

/* Wireshark's window update: no payload, the same sequence and ACK numbers as the sender's
 * segment before, and a new window that is not 0. It is not the same as our reopening of a
 * zero window: a window that merely grows is one, a zero window and an ACK that moves on are
 * not. */
START_TEST(wireshark_window_update)
{
	struct wire_result r;

	handshake();
	r = seg(WRITER, 1001, 9001, W | WIRE_PSH, 502, -1, 1448, MS);
	ck_assert_int_eq(r.ws_window_update, 0);                    /* data */
	r = seg(READER, 9001, 2449, W, 100, -1, 0, MS);
	ck_assert_int_eq(r.ws_window_update, 0);                    /* the ACK moved on */
	r = seg(READER, 9001, 2449, W, 300, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ACK);
	ck_assert_int_eq(r.ws_window_update, 1);                    /* the window grew alone */
	r = seg(READER, 9001, 2449, W, 300, -1, 0, MS);
	ck_assert_int_eq(r.ws_window_update, 0);                    /* the same window */
	r = seg(READER, 9001, 2449, W, 0, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ZERO_WINDOW);
	ck_assert_int_eq(r.ws_window_update, 0);                    /* a zero window is not */
	r = seg(READER, 9001, 2449, W, 50, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_WINDOW_UPDATE);
	ck_assert_int_eq(r.ws_window_update, 1);                    /* the reopening is both */
	r = seg(READER, 9001, 2449, W | WIRE_FIN, 80, -1, 0, MS);
	ck_assert_int_eq(r.ws_window_update, 0);                    /* nor is a FIN */
}
END_TEST

START_TEST(retransmission_is_not_a_probe)
{
	struct wire_result r;

	handshake();
	seg(WRITER, 1001, 9001, W, 502, -1, 1448, MS);
	seg(WRITER, 2449, 9001, W, 502, -1, 1448, MS);
	/* The first segment again, with the window open: a retransmission. */
	r = seg(WRITER, 1001, 9001, W, 502, -1, 1448, 200 * MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_RETRANSMISSION);
	/* Against a zero window, a full segment sent again is still not a probe. */
	seg(READER, 9001, 2449, W, 0, -1, 0, MS);
	r = seg(WRITER, 2449, 9001, W, 502, -1, 1448, 200 * MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_RETRANSMISSION);
	/* And a keep-alive (same shape as Linux's probe) with the window open is just an ACK. */
	handshake();
	seg(WRITER, 1001, 9001, W, 502, -1, 1448, MS);
	seg(READER, 9001, 2449, W, 1000, -1, 0, MS);
	r = seg(WRITER, 2448, 9001, W, 502, -1, 0, 7200 * 1000 * MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ACK);
}
END_TEST

START_TEST(loopback_copy_counted_once)
{
	struct wire_result r;

	handshake();
	t.drop_loopback_copies = 1;
	r = seg(READER, 9001, 1001, W, 0, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ZERO_WINDOW);
	r = seg(READER, 9001, 1001, W, 0, -1, 0, 20 * 1000);      /* 20 us later: the copy */
	ck_assert_int_eq(r.cls, WIRE_CLASS_DUPLICATE);
	/* The same segment a probe interval later is a new one. */
	r = seg(READER, 9001, 1001, W, 0, -1, 0, 200 * MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ZERO_WINDOW);
	/* Without the option (a capture of arriving packets only) nothing is dropped. */
	t.drop_loopback_copies = 0;
	r = seg(READER, 9001, 1001, W, 0, -1, 0, 20 * 1000);
	ck_assert_int_eq(r.cls, WIRE_CLASS_ZERO_WINDOW);
}
END_TEST

START_TEST(fin_and_rst)
{
	struct wire_result r;

	handshake();
	r = seg(WRITER, 1001, 9001, W | WIRE_FIN, 502, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_FIN);
	/* A window of 0 on a RST is not a zero window (Wireshark agrees). */
	r = seg(READER, 9001, 1002, WIRE_RST, 0, -1, 0, MS);
	ck_assert_int_eq(r.cls, WIRE_CLASS_RST);
}
END_TEST

START_TEST(names)
{
	char buf[8];

	ck_assert_str_eq(wire_class_name(WIRE_CLASS_WINDOW_PROBE), "window_probe");
	ck_assert_str_eq(wire_probe_form_name(WIRE_PROBE_LINUX), "linux");
	wire_flags_text(WIRE_SYN | WIRE_ACK, buf, sizeof(buf));
	ck_assert_str_eq(buf, "SA");
	wire_flags_text(WIRE_PSH | WIRE_ACK, buf, sizeof(buf));
	ck_assert_str_eq(buf, "PA");
}
END_TEST

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("classify");

	tcase_add_test(tc, parse_fields);
	tcase_add_test(tc, window_scaling);
	tcase_add_test(tc, zero_window_probe_update);
	tcase_add_test(tc, wireshark_window_update);
	tcase_add_test(tc, retransmission_is_not_a_probe);
	tcase_add_test(tc, loopback_copy_counted_once);
	tcase_add_test(tc, fin_and_rst);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wire_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
