/* probe: see probe.h. */
#include "probe.h"

#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* The offsets KERNEL-FACTS.md measured; the struct must match the kernel's to the byte. */
_Static_assert(offsetof(struct probe_tcp_info, retransmits) == 2, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, backoff) == 4, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, rto) == 8, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, unacked) == 24, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, lost) == 32, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, rcv_space) == 96, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, total_retrans) == 100, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, notsent_bytes) == 144, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, busy_time) == 168, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, rwnd_limited) == 176, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, sndbuf_limited) == 184, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, snd_wnd) == 228, "tcp_info layout");
_Static_assert(offsetof(struct probe_tcp_info, rcv_wnd) == 232, "tcp_info layout");

int probe_take(int fd, struct probe_snapshot *s, char *err, size_t errlen)
{
	socklen_t len;
	int answered = 0;

	memset(s, 0, sizeof(*s));
	s->have_recvq = ioctl(fd, SIOCINQ, &s->recvq) == 0;
	s->have_sendq = ioctl(fd, SIOCOUTQ, &s->sendq) == 0;
	s->have_notsent = ioctl(fd, SIOCOUTQNSD, &s->notsent) == 0;
	len = sizeof(s->ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &s->ti, &len) == 0) {
		s->tcpi_len = len;
		answered = 1;
	}
	len = sizeof(s->skmem);
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, s->skmem, &len) == 0 &&
	    len == sizeof(s->skmem))
		s->have_skmem = 1;
	if (!answered && !s->have_recvq && !s->have_sendq) {
		snprintf(err, errlen, "getsockopt(TCP_INFO): %s", strerror(errno));
		return -1;
	}
	return 0;
}

void probe_sendq_take(int fd, struct probe_sendq *q)
{
	if (ioctl(fd, SIOCOUTQ, &q->sendq) < 0)
		q->sendq = -1;
	if (ioctl(fd, SIOCOUTQNSD, &q->notsent) < 0)
		q->notsent = -1;
}

int probe_recvq_take(int fd)
{
	int n;

	return ioctl(fd, SIOCINQ, &n) < 0 ? -1 : n;
}

void probe_add_fields(struct tl_rec *r, const struct probe_snapshot *s)
{
	static const char *const skmem_names[PROBE_SKMEM_VARS] = {
		"skmem_r", "skmem_rb", "skmem_t", "skmem_tb", "skmem_f",
		"skmem_w", "skmem_o", "skmem_bl", "skmem_d",
	};
	const struct probe_tcp_info *ti = &s->ti;
	size_t n = s->tcpi_len;

	if (s->have_recvq)
		tl_rec_int(r, "recvq_bytes", s->recvq);
	if (s->have_sendq)
		tl_rec_int(r, "sendq_bytes", s->sendq);
	if (s->have_notsent)
		tl_rec_int(r, "notsent_bytes", s->notsent);
/* One line per field: present only if the kernel's answer reached it. */
#define TI(name, field) \
	do { if (PROBE_HAS(n, field)) tl_rec_int(r, name, (int64_t)ti->field); } while (0)
	TI("tcp_state", state);
	TI("backoff", backoff);
	TI("probes", probes);
	TI("unacked", unacked);
	TI("rto_us", rto);
	TI("retransmits", retransmits);
	TI("total_retrans", total_retrans);
	TI("lost", lost);
	TI("rtt_us", rtt);
	TI("snd_cwnd", snd_cwnd);
	TI("snd_mss", snd_mss);
	TI("rcv_space", rcv_space);
	TI("snd_wnd", snd_wnd);
	TI("rcv_wnd", rcv_wnd);
	TI("busy_us", busy_time);
	TI("rwnd_limited_us", rwnd_limited);
	TI("sndbuf_limited_us", sndbuf_limited);
	TI("tcpi_bytes_acked", bytes_acked);
	TI("tcpi_bytes_received", bytes_received);
#undef TI
	if (s->have_skmem)
		for (int i = 0; i < PROBE_SKMEM_VARS; i++)
			tl_rec_int(r, skmem_names[i], s->skmem[i]);
}
