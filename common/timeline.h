/* timeline: the event log every flowlab program writes, and the reader the renderer uses.
 *
 * A log is JSON Lines: one flat object per line, written with a single write(2) so that lines
 * from two threads never interleave and a `tail -f` sees whole lines. Values are integers or
 * strings, nothing nested. Every event has
 *
 *   t_ns   CLOCK_MONOTONIC nanoseconds (shared by every process: logs merge by sorting)
 *   prog   the program: "slow_reader", "slow_writer", "fast_peer", "flowlab-capture"
 *   kind   what happened (below)
 *
 * Sizes are bytes and durations carry their unit in the name (_ns, _us). A field the kernel did
 * not give is left out, never written as 0. The kinds, and their fields:
 *
 *   start          t0_ns (the scenario's zero), pid, role ("listen"|"connect"), plan, io,
 *                  sample_us
 *   listening      port
 *   socket         the connected socket: local_port, peer_port, rcvbuf_requested_bytes and
 *                  sndbuf_requested_bytes (only when set), rcvbuf_bytes, sndbuf_bytes (what the
 *                  kernel really set), cc (congestion control in use), cc_requested, mss_bytes,
 *                  snd_wscale, rcv_wscale
 *   sample         one probe snapshot (probe.h): recvq_bytes, sendq_bytes, notsent_bytes,
 *                  tcp_state, backoff, probes, unacked (segments), rto_us (the retransmission
 *                  timeout now, backoff included), retransmits (timeouts in a row for the oldest
 *                  unacknowledged data; 0 once an ACK brings new data), total_retrans (segments
 *                  retransmitted over the connection's life), lost (segments the sender now
 *                  counts as lost; these four absent from logs made before they were added),
 *                  rtt_us, snd_cwnd (segments),
 *                  snd_mss, rcv_space, snd_wnd, rcv_wnd (these four in bytes; named as `ss`
 *                  names them), busy_us, rwnd_limited_us, sndbuf_limited_us, tcpi_bytes_acked,
 *                  tcpi_bytes_received, and skmem_r, skmem_rb, skmem_t, skmem_tb, skmem_f,
 *                  skmem_w, skmem_o, skmem_bl, skmem_d (bytes, as `ss -m` prints them)
 *   step           a plan step begins: step (1-based), what (its text)
 *   stall_begin    the program stops touching the socket on purpose: for_us
 *   stall_end      and touches it again
 *   read           one read() that moved data; t_ns is its return: bytes, dur_ns, offset, and
 *                  recvq_after_bytes (SIOCINQ taken right after read() returned: what is still
 *                  unread, which a sample a millisecond later may no longer show)
 *   write          one write() that moved data; t_ns is its return: bytes, requested_bytes,
 *                  dur_ns, offset, and what the send buffer held right after write() returned
 *                  (taken in the writing thread, before anything else is logged):
 *                  sendq_after_bytes (SIOCOUTQ: written, not yet acknowledged) and
 *                  notsent_after_bytes (SIOCOUTQNSD: written, not yet sent)
 *                  Each *_after_bytes field is left out when its ioctl failed, and logs written
 *                  before these fields existed have none of them.
 *   write_blocked  the moment write() stopped returning at once, one per blocked stretch: at the
 *                  first EAGAIN (event I/O), or at the start of a blocking call that was still in
 *                  progress 1 ms later (blocking I/O; detected_ns says when that was noticed):
 *                  offset
 *   write_resumed  the blocked write went on: at the blocking call's return, or at the first
 *                  write that moved data after EAGAIN: blocked_us
 *   eof            the peer closed its side (read returned 0)
 *   close          we closed the connection: reason
 *   timeouts_set   the connection's timeouts, where it has any (fast_peer): read_us, write_us
 *                  (SO_RCVTIMEO/SO_SNDTIMEO, or libevent timers with event I/O), user_us
 *                  (TCP_USER_TIMEOUT); only those set
 *   timeout        a timeout fired: what ("read"|"write"|"user"), after_us (how long the call or
 *                  the stall had waited), partial_bytes (a write that returned short),
 *                  errno_name and errno_text (what the call returned: EAGAIN, ETIMEDOUT)
 *   acked          the server's response (fast_peer --respond) was acknowledged after write()
 *                  returned: bytes, after_us (from write()'s return until SIOCOUTQ read 0).
 *                  Logged only when the response's write event has sendq_after_bytes > 0. On
 *                  loopback the client's ACK normally arrives before write() returns (SIOCOUTQ
 *                  right after it was 0 in 7 of 7 runs), so there is normally no acked event:
 *                  the write event's sendq_after_bytes 0 says the response was acknowledged by
 *                  then. Logs from before this rule have an acked event whose after_us timed only
 *                  the first ioctl. Not acknowledged within 2 s: a warning (bytes, after_us,
 *                  text) instead.
 *
 *   A server of many clients (fast_peer --clients N) adds, with conn (a number from 1 for each
 *   accepted connection) on the per-connection ones:
 *   accept         conn, local_port, peer_port
 *   server_sample  every --sample: connections, rss_kib (resident memory), app_buffered_bytes
 *                  (bytes produced and still in the application's own buffers), kernel_sendq_bytes
 *                  (SIOCOUTQ summed over the connections), paused (connections held back)
 *   backpressure_on   conn, pending_bytes: production for this client stops (pending > HIGH)
 *   backpressure_off  conn, pending_bytes: and starts again (pending < HIGH / 2)
 *   conn_end       conn, peer_port, bytes_sent, reason
 *   shutdown       the sender has written everything and sent its FIN
 *   warning        something went worse than asked but the run goes on: call, and either
 *                  errno_name and errno_text, or text. The server of many says of accept:
 *                  out of descriptors (errno_name EMFILE ..., text, accepted: how many so far),
 *                  at the first of a stretch of 100 ms pauses in accepting; and when accepting
 *                  ended short of --clients, text, accepted and clients
 *   error          a call failed: call, errno_name, errno_text; or text (a whole message); and
 *                  once, at the read that brought it, the first byte that differs from what the
 *                  stream should carry (the pattern, the request, ...): text, offset,
 *                  expected_byte (what the stream should have there, 0-255) and got_byte (what
 *                  was read); logs from before these two fields have only text and offset
 *   wire           one TCP segment seen on the wire (prog "flowlab-capture"; each loopback packet
 *                  counted once): from (the program that sent it: the capture is told which
 *                  program listens and which connects; "?" if neither), src_port, dst_port,
 *                  flags ("S", "SA", "A", "PA", "FA", "R", ...), seq and ack (relative to each
 *                  side's initial sequence number, as Wireshark shows them), len (payload bytes),
 *                  win_raw (the 16-bit header field), window_bytes (win_raw scaled by the
 *                  sender's window-scale option; absent when the handshake was not seen),
 *                  wscale (on a SYN that carries the option), and class, one of:
 *                    syn, data, ack, fin, rst;
 *                    zero_window     advertises a window of 0 (not on SYN, FIN or RST, as
 *                                    Wireshark's tcp.analysis.zero_window);
 *                    window_probe    sent against a zero window to ask whether it reopened,
 *                                    with probe_form "linux" (no payload, sequence number one
 *                                    below the next to send: Wireshark calls it "TCP
 *                                    Keep-Alive") or "rfc9293" (one byte past the window);
 *                    window_update   the first segment from a side that advertises a non-zero
 *                                    window after it advertised 0;
 *                    retransmission  payload sent again (a sequence number below the highest
 *                                    already sent) that is not a probe
 *                  and ws_window_update (1 or 0): the segment is what Wireshark calls a window
 *                  update (tcp.analysis.window_update: no payload, the sequence and ACK numbers
 *                  of the sender's previous segment, a new window that is not 0); the reopening
 *                  of a zero window is one, but so is any other change of the window
 *   end            the program's totals (the capture's: packets, segments, duplicates,
 *                  pcap_drops); for the others: bytes_sent, bytes_received, pattern_errors (bytes
 *                  read that differed from what was sent), pattern_first_error_offset (the
 *                  first of them; only when there were any), reads, writes, samples,
 *                  sample_cpu_us (CPU spent sampling), cpu_user_us, cpu_sys_us, wall_us, and
 *                  signal if one ended the run
 */
#ifndef FLOWLAB_TIMELINE_H
#define FLOWLAB_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- writing ---- */

struct timeline {
	int fd;              /* -1: events are dropped (no --log) */
	const char *prog;
	const char *path;    /* the log's name, for messages (not copied) */
	int write_errno;     /* the first write(2) that failed: its errno; 0 while none has */
};

/* One event being built. Fields that do not fit are dropped and counted in `overflow`. */
#define TL_REC_MAX 2048
struct tl_rec {
	char buf[TL_REC_MAX];
	size_t len;
	int overflow;
};

/* Open path for appending (created 0644, truncated). path NULL: a timeline that drops events.
 * Returns 0, or -1 with "open(path): errno text" in err. */
int timeline_open(struct timeline *tl, const char *path, const char *prog, char *err,
		  size_t errlen);
/* Close the log. Returns 0 if every event reached it; -1 with "write(path): errno text" in err
 * (if err is not NULL) if a write failed (a full disk: the log lacks its events from there on),
 * or "close(path): errno text" if close did. */
int timeline_close(struct timeline *tl, char *err, size_t errlen);

/* CLOCK_MONOTONIC now, in nanoseconds. */
uint64_t timeline_now_ns(void);

void tl_rec_begin(struct tl_rec *r, const struct timeline *tl, const char *kind, uint64_t t_ns);
void tl_rec_int(struct tl_rec *r, const char *name, int64_t v);
void tl_rec_str(struct tl_rec *r, const char *name, const char *v);
/* Finish the line and write it with one write(2). Returns 0, or -1 (errno set). After a write
 * has failed, nothing more is written (a log with a gap would tell a false story) and every
 * emit returns -1 with that errno; timeline_close reports it. Safe from several threads. */
int tl_rec_emit(struct timeline *tl, struct tl_rec *r);

/* Shorthands for the common small events. */
int timeline_event(struct timeline *tl, const char *kind, uint64_t t_ns);
/* An "error" or "warning" event for a failed call: call, errno_name, errno_text. */
int timeline_errno(struct timeline *tl, const char *kind, const char *call, int errnum);

/* "ECONNRESET" for ECONNRESET, "E?" for an unknown number. */
const char *timeline_errno_name(int errnum);

/* ---- reading ---- */

#define TL_MAX_FIELDS 48

struct tl_field {
	char *name;
	int is_str;
	int64_t i;
	char *s;            /* is_str: the unescaped string */
};

struct tl_event {
	size_t n;
	struct tl_field f[TL_MAX_FIELDS];
	char *mem;          /* owns names and strings */
};

/* Parse one line (without or with its trailing newline) of the flat format above. Accepts
 * exactly: an object of string keys and values that are integers or strings (escapes \" \\ \/
 * \b \f \n \r \t \uXXXX for XXXX < 0x80), blanks between tokens. Returns 0, or -1 with a
 * reason in err ("column 17: expected ':'"). The event must be freed with tl_event_free. */
int tl_event_parse(const char *line, struct tl_event *ev, char *err, size_t errlen);
void tl_event_free(struct tl_event *ev);

/* Field lookups: 1 if present with that type (value stored), else 0. */
int tl_event_int(const struct tl_event *ev, const char *name, int64_t *v);
const char *tl_event_str(const struct tl_event *ev, const char *name);

#endif
