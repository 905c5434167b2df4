/* writer: fast_peer's stream, written as fast as the socket takes it, in both I/O models.
 *
 * The lesson is the moment write() stops returning at once and the moment it goes on, and each
 * model sees it its own way: a non-blocking write() says EAGAIN; a blocking one simply does not
 * return, so the main thread's watch looks at the worker's call every millisecond and logs it
 * as blocked (stamped with the moment the call began) once it has been going for 1 ms. */
#include "peer.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint64_t next_chunk(const struct peer *pe)
{
	if (pe->o.total == 0)
		return pe->o.write_size;
	return pe->o.total - pe->sent < pe->o.write_size ? pe->o.total - pe->sent
							 : pe->o.write_size;
}

static int sending_done(const struct peer *pe)
{
	if (pe->o.duration_ns)
		return timeline_now_ns() >= pe->deadline_ns;
	return pe->sent >= pe->o.total;
}

/* Everything is written: send FIN after the data and wait for the receiver to close, sampling
 * all along, so the timeline shows the send queue drain as the receiver reads. */
void writer_sending_finished(struct peer *pe)
{
	char err[256];

	event_del(pe->ev.writable);
	if (shutdown(pe->p.fd, SHUT_WR) < 0) {
		peer_call_failed(pe, "shutdown", errno);
		peer_finish(pe, "shutdown failed");
		return;
	}
	timeline_event(&pe->p.tl, "shutdown", timeline_now_ns());
	/* The blocking writer's socket joins the event loop for the wait. */
	if (sock_set_nonblock(pe->p.fd, 1, err, sizeof(err)) < 0) {
		peer_fail(pe, err);
		return;
	}
	(void)peer_arm(pe, pe->ev.readable, 0, "readable");
}

/* ---- event I/O ---- */

int writer_start_event(struct peer *pe)
{
	return peer_arm(pe, pe->ev.writable, 0, "writable");
}

void writer_on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	/* Write until EAGAIN: that is the moment the socket is full. Returning earlier and waiting
	 * for EV_WRITE would hide it, because epoll reports a socket writable only once its free
	 * space is at least half of what is queued, while write() still succeeds below that. */
	for (int i = 0;; i++) {
		uint64_t asked = next_chunk(pe), t0, t1;
		struct probe_sendq after;
		const uint8_t *bytes;
		const char *reason;
		ssize_t n;

		if (sending_done(pe)) {
			writer_sending_finished(pe);
			return;
		}
		if (i == 16) {
			/* Still room after a burst: come back at once, but after the timers that are
			 * due, so the sampler stays on time. */
			event_active(pe->ev.writable, EV_WRITE, 0);
			return;
		}
		/* The bytes first, so that the call's time is the call's alone. */
		bytes = pattern_source_get(&pe->src, pe->sent, asked);
		t0 = timeline_now_ns();
		n = write(pe->p.fd, bytes, asked);
		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (!pe->ev.blocked) {
				pe->ev.blocked = 1;
				pe->ev.blocked_since = t1;
				peer_log_blocked(pe, t1, 0, pe->sent);
				if (pe->o.write_timeout_ns)
					(void)peer_arm(pe, pe->ev.write_timer, pe->o.write_timeout_ns,
						       "write timer");
			}
			return;
		}
		if (n < 0) {
			reason = peer_user_timeout_fired(pe, errno, t1 - pe->ev.blocked_since);
			if (reason == NULL) {
				peer_call_failed(pe, "write", errno);
				reason = "write failed";
			}
			peer_finish(pe, reason);
			return;
		}
		probe_sendq_take(pe->p.fd, &after);
		if (pe->ev.blocked) {
			pe->ev.blocked = 0;
			event_del(pe->ev.write_timer);
			peer_log_resumed(pe, t1, pe->ev.blocked_since);
		}
		peer_log_write(pe, t0, t1, n, asked, &after);
	}
}

void writer_on_write_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	peer_log_timeout(pe, "write", timeline_now_ns() - pe->ev.blocked_since, -1, EAGAIN);
	if (pe->o.close_on_timeout)
		peer_finish(pe, "write timeout: closed the slow client");
	else
		(void)peer_arm(pe, pe->ev.write_timer, pe->o.write_timeout_ns, "write timer");
}

void writer_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	/* Only wakes the event writer, which then sees sending_done(). */
	struct peer *pe = arg;

	if (!pe->done && !pe->ev.blocked)
		event_active(pe->ev.writable, EV_WRITE, 0);
}

/* ---- blocking I/O ---- */

/* One blocking write(), watched: the main thread's 1 ms watch logs it as blocked if it is
 * still in progress then. The send queues it left are taken into after at once. */
static ssize_t watched_write(struct peer *pe, uint64_t asked, uint64_t *t0, uint64_t *t1,
			     struct probe_sendq *after)
{
	struct peer_thread *th = &pe->th;
	const uint8_t *bytes = pattern_source_get(&pe->src, pe->sent, asked);
	enum call_state was;
	ssize_t n;
	int err;

	pthread_mutex_lock(&th->lock);
	*t0 = timeline_now_ns();
	th->call = CALL_IN_PROGRESS;
	th->call_start = *t0;
	th->call_offset = pe->sent;
	pthread_mutex_unlock(&th->lock);

	n = write(pe->p.fd, bytes, asked);
	*t1 = timeline_now_ns();
	err = errno;
	if (n >= 0)
		probe_sendq_take(pe->p.fd, after);

	pthread_mutex_lock(&th->lock);
	was = th->call;
	th->call = CALL_IDLE;
	pthread_mutex_unlock(&th->lock);
	if (was == CALL_LOGGED_BLOCKED)
		peer_log_resumed(pe, *t1, *t0);
	/* The caller reads write()'s errno, not the log's. */
	errno = err;
	return n;
}

void *writer_thread(void *arg)
{
	struct peer *pe = arg;
	uint64_t stalled_since = 0;   /* start of the first call of a run that did not go at once */

	while (!peer_stopping(pe) && !sending_done(pe)) {
		uint64_t asked = next_chunk(pe), t0, t1;
		struct probe_sendq after;
		ssize_t n = watched_write(pe, asked, &t0, &t1, &after);
		int err = errno;

		if (n < 0 && err == EINTR)
			continue;
		if (n >= 0)
			peer_log_write(pe, t0, t1, n, asked, &after);
		if (n >= 0 && (uint64_t)n == asked && t1 - t0 < 1000000)
			stalled_since = 0;
		else if (stalled_since == 0)
			stalled_since = t0;
		/* SO_SNDTIMEO: a partial count when some bytes moved, and the next call, if the
		 * peer still takes nothing, EAGAIN. Both are logged; only EAGAIN, nothing moved
		 * at all, is the end of patience. */
		if (pe->o.write_timeout_ns && (n < 0 ? err == EAGAIN : (uint64_t)n < asked)) {
			peer_log_timeout(pe, "write", t1 - t0, n < 0 ? 0 : n, n < 0 ? err : 0);
			if (n < 0 && pe->o.close_on_timeout) {
				pe->th.outcome = "write timeout: closed the slow client";
				break;
			}
			continue;
		}
		if (n < 0) {
			pe->th.outcome = peer_user_timeout_fired(pe, err, t1 - stalled_since);
			if (pe->th.outcome == NULL) {
				pe->call_errno = err;
				pe->failed_call = "write";
				pe->th.outcome = "write failed";
			}
			break;
		}
	}
	/* Thread-safe: the base was made after evthread_use_pthreads(). */
	event_active(pe->th.done, EV_READ, 0);
	return NULL;
}

/* Every millisecond: is the worker's call still going after 1 ms? Then it has blocked. */
void writer_on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;
	struct peer_thread *th = &pe->th;
	uint64_t now = timeline_now_ns();

	pthread_mutex_lock(&th->lock);
	if (th->call == CALL_IN_PROGRESS && now - th->call_start >= 1000000) {
		th->call = CALL_LOGGED_BLOCKED;
		peer_log_blocked(pe, th->call_start, now, th->call_offset);
	}
	pthread_mutex_unlock(&th->lock);
}
