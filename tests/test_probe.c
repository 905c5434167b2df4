/* Unit tests of common/probe and common/sock on a real loopback connection: what the probe
 * reports must be what the kernel holds. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "probe.h"
#include "sock.h"
#include "timeline.h"

static int client = -1, server = -1;

/* A connected pair on 127.0.0.1, port 0, with the buffers asked for. */
static void connect_pair(uint64_t rcvbuf, uint64_t sndbuf)
{
	struct sock_opts o = { .rcvbuf = rcvbuf };
	char err[256];
	uint16_t port;
	int lfd;

	ck_assert_msg(sock_listen(&o, &lfd, &port, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_gt(port, 0);
	o.port = port;
	o.rcvbuf = 0;
	o.sndbuf = sndbuf;
	ck_assert_msg(sock_connect(&o, &client, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(sock_accept(lfd, &server, err, sizeof(err)) == 0, "%s", err);
	close(lfd);
}

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
}

static void teardown(void)
{
	if (client >= 0)
		close(client);
	if (server >= 0)
		close(server);
	client = server = -1;
}

/* Wait (at most 5 s) until the server's receive queue holds want bytes. */
static int wait_for_recvq(int want, struct probe_snapshot *s)
{
	char err[256];

	for (int i = 0; i < 5000; i++) {
		ck_assert_msg(probe_take(server, s, err, sizeof(err)) == 0, "%s", err);
		if (s->have_recvq && s->recvq == want)
			return 1;
		poll(NULL, 0, 1);
	}
	return 0;
}

START_TEST(recvq_counts_unread_bytes)
{
	enum { N = 10000 };
	uint8_t buf[N];
	struct probe_snapshot s;
	char err[256];

	connect_pair(0, 0);
	pattern_fill(buf, N, 0);
	ck_assert_int_eq(write(client, buf, N), N);
	ck_assert_msg(wait_for_recvq(N, &s), "SIOCINQ never read %d (last %d)", N, s.recvq);
	/* The kernel accounts the unread bytes as receive memory too. */
	ck_assert(s.have_skmem);
	ck_assert_uint_ge(s.skmem[0], N);
	/* Once the receiver has it all, nothing is unsent, and (perhaps after a delayed ACK)
	 * nothing unacknowledged. bytes_acked counts the SYN too. */
	for (int i = 0; i < 5000; i++) {
		ck_assert_int_eq(probe_take(client, &s, err, sizeof(err)), 0);
		ck_assert(s.have_sendq && s.have_notsent);
		ck_assert_int_eq(s.notsent, 0);
		if (s.sendq == 0)
			break;
		poll(NULL, 0, 1);
	}
	ck_assert_int_eq(s.sendq, 0);
	ck_assert(PROBE_HAS(s.tcpi_len, bytes_acked));
	ck_assert_uint_eq(s.ti.bytes_acked, N + 1);
	/* Reading half leaves half. */
	ck_assert_int_eq(read(server, buf, N / 2), N / 2);
	ck_assert_int_eq(probe_take(server, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.recvq, N / 2);
}
END_TEST

/* The queues a read or write event carries, taken alone. */
START_TEST(queues_taken_alone)
{
	enum { N = 10000, BIG = 1 << 20 };
	uint8_t *buf = malloc(BIG);
	struct probe_sendq q;
	struct probe_snapshot s;
	char err[256];
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	connect_pair(16384, 65536);
	pattern_fill(buf, N, 0);
	ck_assert_int_eq(write(client, buf, N), N);
	ck_assert(wait_for_recvq(N, &s));
	ck_assert_int_eq(probe_recvq_take(server), N);
	ck_assert_int_eq(read(server, buf, N / 2), N / 2);
	ck_assert_int_eq(probe_recvq_take(server), N / 2);

	/* A reader that has stopped: its window closes, and what a write leaves behind is both
	 * unacknowledged and, past the window, unsent. */
	ck_assert_int_eq(sock_set_nonblock(client, 1, err, sizeof(err)), 0);
	do {
		n = write(client, buf, BIG);
	} while (n > 0);
	ck_assert_int_eq(errno, EAGAIN);
	probe_sendq_take(client, &q);
	ck_assert_int_gt(q.sendq, 0);
	ck_assert_int_gt(q.notsent, 0);
	ck_assert_int_le(q.notsent, q.sendq);
	free(buf);
}
END_TEST

START_TEST(requested_buffer_reads_back_doubled)
{
	int rcvbuf, sndbuf;
	char err[256];

	connect_pair(65536, 65536);
	ck_assert_int_eq(sock_get_buffers(server, &rcvbuf, &sndbuf, err, sizeof(err)), 0);
	ck_assert_int_eq(rcvbuf, 2 * 65536);
	ck_assert_int_eq(sock_get_buffers(client, &rcvbuf, &sndbuf, err, sizeof(err)), 0);
	ck_assert_int_eq(sndbuf, 2 * 65536);
}
END_TEST

START_TEST(tcp_info_fields_are_real)
{
	struct probe_snapshot s;
	struct tl_rec r;
	struct timeline tl = { .fd = -1, .prog = "test" };
	char err[256];

	connect_pair(0, 0);
	ck_assert_int_eq(probe_take(client, &s, err, sizeof(err)), 0);
	/* This kernel (>= 6.2) returns snd_wnd and rcv_wnd; the peer's window is open. */
	ck_assert_uint_ge(s.tcpi_len, 236);
	ck_assert(PROBE_HAS(s.tcpi_len, rcv_wnd));
	ck_assert_uint_gt(s.ti.snd_wnd, 0);
	ck_assert_uint_eq(s.ti.state, 1 /* TCP_ESTABLISHED */);
	tl_rec_begin(&r, &tl, "sample", 1);
	probe_add_fields(&r, &s);
	r.buf[r.len] = '\0';
	ck_assert_ptr_nonnull(strstr(r.buf, "\"snd_wnd\":"));
	ck_assert_ptr_nonnull(strstr(r.buf, "\"skmem_tb\":"));
	/* A field past what the kernel returned is left out, never written as 0. */
	s.tcpi_len = 100;
	tl_rec_begin(&r, &tl, "sample", 1);
	probe_add_fields(&r, &s);
	r.buf[r.len] = '\0';
	ck_assert_ptr_null(strstr(r.buf, "\"snd_wnd\""));
	ck_assert_ptr_nonnull(strstr(r.buf, "\"rcv_space\""));
}
END_TEST

/* The retransmission fields: on a fresh connection nothing was retransmitted or lost and the
 * timeout is at least Linux's floor of 200 ms; each is left out when the kernel's answer stops
 * short of it (as one from an older kernel would). */
START_TEST(retransmission_fields)
{
	struct probe_snapshot s;
	struct tl_rec r;
	struct timeline tl = { .fd = -1, .prog = "test" };
	char err[256];
	static const struct {
		size_t len;
		const char *present, *absent;
	} cuts[] = {
		{ 3, "\"retransmits\":0", "\"rto_us\"" },
		{ 12, "\"rto_us\":", "\"lost\"" },
		{ 36, "\"lost\":0", "\"total_retrans\"" },
		{ 104, "\"total_retrans\":0", "\"snd_wnd\"" },
	};

	connect_pair(0, 0);
	ck_assert_int_eq(probe_take(client, &s, err, sizeof(err)), 0);
	ck_assert(PROBE_HAS(s.tcpi_len, total_retrans));
	ck_assert_uint_ge(s.ti.rto, 200000);
	ck_assert_uint_eq(s.ti.retransmits, 0);
	ck_assert_uint_eq(s.ti.total_retrans, 0);
	ck_assert_uint_eq(s.ti.lost, 0);
	tl_rec_begin(&r, &tl, "sample", 1);
	probe_add_fields(&r, &s);
	r.buf[r.len] = '\0';
	ck_assert_ptr_nonnull(strstr(r.buf, "\"rto_us\":"));
	ck_assert_ptr_nonnull(strstr(r.buf, "\"retransmits\":0"));
	ck_assert_ptr_nonnull(strstr(r.buf, "\"total_retrans\":0"));
	ck_assert_ptr_nonnull(strstr(r.buf, "\"lost\":0"));
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		s.tcpi_len = cuts[i].len;
		tl_rec_begin(&r, &tl, "sample", 1);
		probe_add_fields(&r, &s);
		r.buf[r.len] = '\0';
		ck_assert_msg(strstr(r.buf, cuts[i].present) != NULL, "len %zu: no %s in %s",
			      cuts[i].len, cuts[i].present, r.buf);
		ck_assert_msg(strstr(r.buf, cuts[i].absent) == NULL, "len %zu: %s in %s",
			      cuts[i].len, cuts[i].absent, r.buf);
	}
}
END_TEST

/* Only loopback unless asked: 127.0.0.0/8, ::1 and 127/8 mapped into IPv6 are loopback. */
START_TEST(loopback_addresses)
{
	ck_assert(sock_addr_is_loopback(NULL));
	ck_assert(sock_addr_is_loopback("127.0.0.1"));
	ck_assert(sock_addr_is_loopback("127.255.0.9"));
	ck_assert(sock_addr_is_loopback("::1"));
	ck_assert(sock_addr_is_loopback("::ffff:127.0.0.1"));
	ck_assert(!sock_addr_is_loopback("128.0.0.1"));
	ck_assert(!sock_addr_is_loopback("126.255.255.255"));
	ck_assert(!sock_addr_is_loopback("198.18.0.2"));
	ck_assert(!sock_addr_is_loopback("0.0.0.0"));
	ck_assert(!sock_addr_is_loopback("::"));
	ck_assert(!sock_addr_is_loopback("::ffff:10.0.0.1"));
	ck_assert(!sock_addr_is_loopback("2001:db8::1"));
	ck_assert(!sock_addr_is_loopback("localhost"));
}
END_TEST

START_TEST(listener_has_no_queues)
{
	struct sock_opts o = { 0 };
	struct probe_sendq q;
	struct probe_snapshot s;
	char err[256];
	uint16_t port;
	int lfd;

	ck_assert_int_eq(sock_listen(&o, &lfd, &port, err, sizeof(err)), 0);
	/* SIOCINQ on a listener is EINVAL: absent, not 0. */
	ck_assert_int_eq(probe_take(lfd, &s, err, sizeof(err)), 0);
	ck_assert(!s.have_recvq);
	ck_assert_int_eq(probe_recvq_take(lfd), -1);
	probe_sendq_take(lfd, &q);
	ck_assert_int_eq(q.sendq, -1);
	ck_assert_int_eq(q.notsent, -1);
	close(lfd);
}
END_TEST

START_TEST(closed_socket_names_the_call)
{
	struct probe_snapshot s;
	char err[256];
	int fd = dup(1);

	close(fd);
	ck_assert_int_eq(probe_take(fd, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "getsockopt(TCP_INFO): Bad file descriptor");
}
END_TEST

START_TEST(parse_addr)
{
	struct sock_opts o = { 0 };
	char host[64], err[128];

	ck_assert_int_eq(sock_parse_addr("127.0.0.1:8080", &o, host, sizeof(host), err,
					 sizeof(err)), 0);
	ck_assert_str_eq(o.host, "127.0.0.1");
	ck_assert_int_eq(o.port, 8080);
	ck_assert_int_eq(sock_parse_addr("[::1]:9", &o, host, sizeof(host), err, sizeof(err)), 0);
	ck_assert_str_eq(o.host, "::1");
	ck_assert_int_eq(sock_parse_addr("localhost:9", &o, host, sizeof(host), err,
					 sizeof(err)), -1);
	ck_assert_int_eq(sock_parse_addr("127.0.0.1:65536", &o, host, sizeof(host), err,
					 sizeof(err)), -1);
	ck_assert_int_eq(sock_parse_addr("127.0.0.1:", &o, host, sizeof(host), err,
					 sizeof(err)), -1);
	ck_assert_int_eq(sock_parse_addr("127.0.0.1:8x", &o, host, sizeof(host), err,
					 sizeof(err)), -1);
}
END_TEST

static Suite *probe_suite(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("loopback");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, recvq_counts_unread_bytes);
	tcase_add_test(tc, queues_taken_alone);
	tcase_add_test(tc, requested_buffer_reads_back_doubled);
	tcase_add_test(tc, tcp_info_fields_are_real);
	tcase_add_test(tc, retransmission_fields);
	tcase_add_test(tc, loopback_addresses);
	tcase_add_test(tc, listener_has_no_queues);
	tcase_add_test(tc, closed_socket_names_the_call);
	tcase_add_test(tc, parse_addr);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(probe_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
