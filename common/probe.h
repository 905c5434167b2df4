/* probe: one snapshot of a TCP socket, everything the kernel will tell an unprivileged program.
 *
 *   SIOCINQ      bytes received and not yet read (recvq)
 *   SIOCOUTQ     bytes written and not yet acknowledged (sendq)
 *   SIOCOUTQNSD  bytes written and not yet sent (notsent)
 *   TCP_INFO     the kernel's own view: window, backoff, limits (struct probe_tcp_info)
 *   SO_MEMINFO   what `ss -m` prints as skmem:(r,rb,t,tb,f,w,o,bl,d)
 *
 * TCP_INFO is read into the project's own struct, because glibc's struct tcp_info stops early
 * (no snd_wnd) and the installed kernel headers may predate fields this kernel has (rcv_wnd came
 * in Linux 6.2). The length the kernel returned says which fields are real: a field past it is
 * reported absent, never as 0. */
#ifndef FLOWLAB_PROBE_H
#define FLOWLAB_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "timeline.h"

/* The layout of Linux's struct tcp_info (include/uapi/linux/tcp.h), up to rcv_wnd. */
struct probe_tcp_info {
	uint8_t state, ca_state, retransmits, probes, backoff, options, wscale, flags;
	uint32_t rto, ato, snd_mss, rcv_mss;
	uint32_t unacked, sacked, lost, retrans, fackets;
	uint32_t last_data_sent, last_ack_sent, last_data_recv, last_ack_recv;
	uint32_t pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
	uint32_t rcv_rtt, rcv_space;
	uint32_t total_retrans;
	uint64_t pacing_rate, max_pacing_rate, bytes_acked, bytes_received;
	uint32_t segs_out, segs_in;
	uint32_t notsent_bytes, min_rtt, data_segs_in, data_segs_out;
	uint64_t delivery_rate;
	uint64_t busy_time, rwnd_limited, sndbuf_limited;
	uint32_t delivered, delivered_ce;
	uint64_t bytes_sent, bytes_retrans;
	uint32_t dsack_dups, reord_seen;
	uint32_t rcv_ooopack;
	uint32_t snd_wnd;
	uint32_t rcv_wnd;
	uint8_t newer[256];     /* room for what later kernels add */
};

/* True if the kernel's answer of length len reached field f of struct probe_tcp_info. */
#define PROBE_HAS(len, f) \
	((len) >= offsetof(struct probe_tcp_info, f) + sizeof(((struct probe_tcp_info *)0)->f))

enum { PROBE_SKMEM_VARS = 9 };

struct probe_snapshot {
	uint64_t t_ns;
	int have_recvq, have_sendq, have_notsent;
	int recvq, sendq, notsent;
	size_t tcpi_len;                 /* 0: TCP_INFO failed */
	struct probe_tcp_info ti;
	int have_skmem;
	uint32_t skmem[PROBE_SKMEM_VARS];
};

/* Take a snapshot of fd. A query the socket refuses (SIOCINQ on a listener: EINVAL) leaves its
 * field absent. Returns 0, or -1 with err naming the call if the socket answered nothing. */
int probe_take(int fd, struct probe_snapshot *s, char *err, size_t errlen);

/* The queues alone, cheap enough to take right after every read() or write() (two ioctls, no
 * TCP_INFO): what the call left behind. -1 where the ioctl failed. */
struct probe_sendq {
	int sendq;     /* SIOCOUTQ: written, not yet acknowledged */
	int notsent;   /* SIOCOUTQNSD: written, not yet sent */
};
void probe_sendq_take(int fd, struct probe_sendq *q);
/* SIOCINQ: received, not yet read; -1 if the ioctl failed. */
int probe_recvq_take(int fd);

/* Add the snapshot's fields to an event being built (names as in timeline.h's "sample"). */
void probe_add_fields(struct tl_rec *r, const struct probe_snapshot *s);

#endif
