/* reader: fast_peer as the fast reader (--recv) and as the server that answers a request
 * (--respond), in both I/O models; and the event loop's ear for the peer's FIN once the stream
 * writer has sent everything.
 *
 * A read timeout is the lesson of a careful server: SO_RCVTIMEO makes a blocking read() give up
 * with EAGAIN; with events it is the readable event's own timeout. Either way it is logged, and
 * with --on-timeout close the slow client is closed. */
#include "peer.h"

#include <errno.h>
#include <linux/sockios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Data read: log it, check it, and say whether the request is now complete. */
static int got_data(struct peer *pe, ssize_t n, uint64_t t0, uint64_t t1)
{
	prog_got_read(&pe->p, &pe->check, &pe->totals, pe->buf, (size_t)n, t0, t1);
	if (pe->o.mode != MODE_RESPOND)
		return 0;
	/* The request ends with an empty line: keep its last four bytes. */
	for (ssize_t i = n > 4 ? n - 4 : 0; i < n; i++) {
		memmove(pe->tail, pe->tail + 1, 3);
		pe->tail[3] = (char)pe->buf[i];
	}
	return memcmp(pe->tail, "\r\n\r\n", 4) == 0;
}

/* The response sits in the send buffer until the peer acknowledges it: watch SIOCOUTQ fall to
 * 0 and log how long that took from write()'s return. It takes microseconds, far below the
 * sampler's millisecond, so this waits for the condition itself (at most 2 s). */
static void watch_acked(struct peer *pe, uint64_t t_written, size_t bytes)
{
	const struct timespec pause = { 0, 10000 };
	struct tl_rec r;
	int outq = -1;

	for (;;) {
		if (ioctl(pe->p.fd, SIOCOUTQ, &outq) < 0 || outq == 0)
			break;
		if (timeline_now_ns() - t_written > 2000000000u)
			break;
		nanosleep(&pause, NULL);
	}
	tl_rec_begin(&r, &pe->p.tl, outq == 0 ? "acked" : "warning", timeline_now_ns());
	tl_rec_int(&r, "bytes", (int64_t)bytes);
	tl_rec_int(&r, "after_us", (int64_t)((timeline_now_ns() - t_written) / 1000));
	if (outq != 0)
		tl_rec_str(&r, "text", "the response was not acknowledged within 2 s");
	tl_rec_emit(&pe->p.tl, &r);
}

/* Answer the request. Returns the close reason. */
static const char *respond(struct peer *pe)
{
	size_t len = strlen(PATTERN_RESPONSE);
	uint64_t t0 = timeline_now_ns(), t1;
	struct probe_sendq after;
	ssize_t n;

	do {
		n = write(pe->p.fd, PATTERN_RESPONSE, len);
	} while (n < 0 && errno == EINTR);
	t1 = timeline_now_ns();
	if (n < 0) {
		pe->call_errno = errno;
		pe->failed_call = "write";
		return "write failed";
	}
	probe_sendq_take(pe->p.fd, &after);
	peer_log_write(pe, t0, t1, n, len, &after);
	if (!pe->o.blocking)
		prog_sample_now(&pe->p);
	/* On loopback the client's ACK comes back before write() returns (measured: about 30 us
	 * before), so the write event's sendq_after_bytes is already 0 and there is nothing to
	 * wait for: timing a first SIOCOUTQ that reads 0 would only time the ioctl. Only a
	 * response still unacknowledged when write() returned has an ACK to wait for. */
	if (after.sendq > 0)
		watch_acked(pe, t1, (size_t)n);
	return "response sent and acknowledged";
}

/* ---- event I/O ---- */

int reader_start_event(struct peer *pe)
{
	pe->ev.read_wait_since = timeline_now_ns();
	if (peer_arm(pe, pe->ev.readable, pe->o.read_timeout_ns, "readable") < 0)
		return -1;
	/* Data may already be waiting (after --read-delay): an edge we will not hear of again. */
	event_active(pe->ev.readable, EV_READ, 0);
	return 0;
}

void reader_on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;
	uint64_t now = timeline_now_ns();

	if (what & EV_TIMEOUT) {
		/* No data for --read-timeout: the persistent event re-arms itself. */
		peer_log_timeout(pe, "read", now - pe->ev.read_wait_since, -1, 0);
		pe->ev.read_wait_since = now;
		if (pe->o.close_on_timeout)
			peer_finish(pe, "read timeout: closed the slow client");
		return;
	}
	for (int i = 0; i < 64; i++) {
		uint64_t t0 = timeline_now_ns(), t1;
		ssize_t n = read(pe->p.fd, pe->buf, pe->buflen);

		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			peer_call_failed(pe, "read", errno);
			peer_finish(pe, "read failed");
			return;
		}
		if (n == 0) {
			timeline_event(&pe->p.tl, "eof", t1);
			peer_finish(pe, pe->o.mode == MODE_STREAM ? "all sent; peer closed"
								  : "peer closed");
			return;
		}
		pe->ev.read_wait_since = t1;
		if (got_data(pe, n, t0, t1)) {
			const char *reason = respond(pe);

			if (pe->call_errno)
				peer_call_failed(pe, "write", pe->call_errno);
			peer_finish(pe, reason);
			return;
		}
	}
}

/* ---- blocking I/O ---- */

void *reader_thread(void *arg)
{
	struct peer *pe = arg;
	uint64_t waiting = timeline_now_ns();

	while (!peer_stopping(pe)) {
		uint64_t t0 = timeline_now_ns(), t1;
		ssize_t n = read(pe->p.fd, pe->buf, pe->buflen);
		int err = errno;

		t1 = timeline_now_ns();
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0 && err == EAGAIN && pe->o.read_timeout_ns) {
			/* SO_RCVTIMEO: nothing came for that long. */
			peer_log_timeout(pe, "read", t1 - waiting, -1, err);
			waiting = t1;
			if (pe->o.close_on_timeout) {
				pe->th.outcome = "read timeout: closed the slow client";
				break;
			}
			continue;
		}
		if (n < 0) {
			pe->call_errno = err;
			pe->failed_call = "read";
			pe->th.outcome = "read failed";
			break;
		}
		if (n == 0) {
			timeline_event(&pe->p.tl, "eof", t1);
			pe->th.outcome = "peer closed";
			break;
		}
		waiting = t1;
		if (got_data(pe, n, t0, t1)) {
			pe->th.outcome = respond(pe);
			break;
		}
	}
	event_active(pe->th.done, EV_READ, 0);
	return NULL;
}
