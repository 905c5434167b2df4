/* fast_peer: a sender that writes as fast as the socket takes it (or a reader that reads as
 * fast as data comes, with --recv).
 *
 * The lesson: write() only copies bytes into the kernel's send buffer, and they stay there until
 * the peer acknowledges them. When the peer stops reading, its window closes, nothing more is
 * acknowledged, the send buffer fills, and write() blocks — or, on a non-blocking socket,
 * returns EAGAIN. When the peer reads again, ACKs free the buffer and write() goes on.
 *
 * Two ways to write, as real servers do:
 *   --io blocking  blocking write() calls on a writer thread, like the document's conn.Write().
 *                  A call still in progress 1 ms after it began is logged as blocked (stamped
 *                  with the moment it began) and as resumed when it returns.
 *   --io event     libevent and a non-blocking socket: EAGAIN is the moment it blocks, the next
 *                  write that moves data the moment it resumes.
 * Meanwhile the main thread samples the socket every --sample (probe.h). Every byte written
 * follows the pattern (pattern.h) so the receiver can prove nothing was lost. */
#include <errno.h>
#include <linux/sockios.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/thread.h>

#include "pattern.h"
#include "plan.h"
#include "prog.h"
#include "server.h"
#include "units.h"

static const char *const NAME = "fast_peer";

enum {
	OPT_BYTES = PROG_OPT_FIRST_OWN, OPT_DURATION, OPT_WRITE_SIZE, OPT_IO, OPT_RECV,
	OPT_RESPOND, OPT_READ_DELAY, OPT_READ_TIMEOUT, OPT_WRITE_TIMEOUT, OPT_ON_TIMEOUT,
	OPT_USER_TIMEOUT, OPT_CLIENTS, OPT_RATE, OPT_BACKPRESSURE,
};

/* What this peer does with its connection. */
enum mode {
	MODE_STREAM,     /* write as fast as the socket takes it */
	MODE_RECV,       /* read everything as it arrives (--recv) */
	MODE_RESPOND,    /* read the request, answer it, close (--respond) */
};

/* The writer thread's call, as the main thread's watch sees it. */
enum call_state { CALL_IDLE, CALL_IN_PROGRESS, CALL_LOGGED_BLOCKED };

struct peer {
	struct prog p;
	enum mode mode;
	int blocking;
	uint64_t total;            /* bytes to send; 0 with --duration */
	uint64_t duration_ns;
	uint64_t deadline_ns;
	uint64_t write_size;
	uint64_t read_delay_ns;
	uint64_t read_timeout_ns;
	uint64_t write_timeout_ns;
	uint64_t user_timeout_ns;
	int close_on_timeout;
	uint8_t *buf;              /* pattern from offset 0, write_size + 251 long: the bytes for
				    * stream offset x start at buf + x % 251 */
	uint64_t sent;
	struct prog_totals totals;
	struct pattern_check check;
	char tail[4];              /* the last bytes of the request: it ends with CRLF CRLF */
	int failed;
	int done;
	const char *outcome;       /* a worker thread's reason to close, for the main thread */

	/* event I/O */
	struct event *writable;
	struct event *readable;
	struct event *delay;       /* --read-delay */
	struct event *write_timer; /* --write-timeout while write() says EAGAIN */
	int blocked;
	uint64_t blocked_since;
	uint64_t read_wait_since;

	/* blocking I/O */
	pthread_t thread;
	int thread_running;
	struct event *thread_done;
	struct event *watch;       /* 1 ms: notices a call that has blocked */
	pthread_mutex_t lock;      /* guards the three below */
	enum call_state call;
	uint64_t call_start;
	uint64_t call_offset;
	int stop;                  /* set by main, read by the worker: __atomic */
	int write_errno;           /* the worker's failed call and its errno */
	const char *failed_call;
};

static void usage(void)
{
	printf("usage: %s [options]\n"
	       "\n"
	       "Write as fast as the socket takes it, logging when write() blocks and when it goes\n"
	       "on; or read, or answer a request, with the timeouts a careful server sets.\n"
	       "\n"
	       "What to do:\n"
	       "  --bytes SIZE           send SIZE bytes, then close (default 1M)\n"
	       "  --duration DUR         send for DUR instead\n"
	       "  --write-size SIZE      bytes per write() call (default 64K)\n"
	       "  --recv                 be the fast reader instead: read everything as it comes\n"
	       "  --respond              be a server: read the request (the document's \"GET /hello\n"
	       "                         HTTP/1.1\", checked byte by byte), answer \"HTTP/1.1 200 OK\n"
	       "                         ... Hello\", and close once the answer is acknowledged\n"
	       "  --read-delay DUR       with --recv or --respond: do not read for DUR, so what\n"
	       "                         arrives waits in the receive buffer\n"
	       "  --io blocking|event    blocking calls on a worker thread (default), or a\n"
	       "                         non-blocking socket driven by libevent\n"
	       "\n"
	       "Timeouts (each logged as a `timeout` event when it fires):\n"
	       "  --read-timeout DUR     give up a read that waits longer: SO_RCVTIMEO (blocking),\n"
	       "                         an event timeout (event)\n"
	       "  --write-timeout DUR    give up a write that waits longer: SO_SNDTIMEO (blocking:\n"
	       "                         the call returns a partial count, then EAGAIN), a timer\n"
	       "                         while write() says EAGAIN (event)\n"
	       "  --on-timeout log|close log it and keep waiting (default), or close the client\n"
	       "  --user-timeout DUR     TCP_USER_TIMEOUT: the kernel aborts the connection when\n"
	       "                         data stays unacknowledged (or the window stays 0) longer\n"
	       "\n"
	       "Many clients (with --listen --io event):\n"
	       "  --clients N            serve N clients at once, each a stream of the pattern\n"
	       "                         produced into the application's own buffer\n"
	       "  --rate RATE            bytes per second produced for each client (default 2M/s),\n"
	       "                         for --duration (default 3s)\n"
	       "  --backpressure HIGH    stop producing for a client while its pending output\n"
	       "                         (application buffer + kernel send queue) is above HIGH,\n"
	       "                         start again below HIGH/2; without it the server is naive\n"
	       "                         and its memory grows for as long as a client stalls\n"
	       "\n"
	       "%s"
	       "\n"
	       "By default fast_peer connects (--connect HOST:PORT); --listen serves one client.\n"
	       "Exit status: 0 done (a timeout that closes a client is a done job), 1 runtime\n"
	       "error, 2 bad option.\n",
	       NAME, PROG_COMMON_HELP);
}

static uint64_t next_chunk(const struct peer *pe)
{
	if (pe->total == 0)
		return pe->write_size;
	return pe->total - pe->sent < pe->write_size ? pe->total - pe->sent : pe->write_size;
}

static int sending_done(const struct peer *pe)
{
	if (pe->duration_ns)
		return timeline_now_ns() >= pe->deadline_ns;
	return pe->sent >= pe->total;
}

static int stopping(struct peer *pe)
{
	return __atomic_load_n(&pe->stop, __ATOMIC_ACQUIRE);
}

/* ---- the log ---- */

static void log_write(struct peer *pe, uint64_t t0, uint64_t t1, ssize_t n, uint64_t asked)
{
	prog_did_write(&pe->p, &pe->totals, (size_t)n, asked, pe->sent, t0, t1);
	pe->sent += (uint64_t)n;
}

static void log_blocked(struct peer *pe, uint64_t t, uint64_t detected, uint64_t offset)
{
	struct tl_rec r;

	tl_rec_begin(&r, &pe->p.tl, "write_blocked", t);
	tl_rec_int(&r, "offset", (int64_t)offset);
	if (detected)
		tl_rec_int(&r, "detected_ns", (int64_t)detected);
	tl_rec_emit(&pe->p.tl, &r);
}

static void log_resumed(struct peer *pe, uint64_t t, uint64_t since)
{
	struct tl_rec r;

	tl_rec_begin(&r, &pe->p.tl, "write_resumed", t);
	tl_rec_int(&r, "blocked_us", (int64_t)((t - since) / 1000));
	tl_rec_emit(&pe->p.tl, &r);
}

/* A timeout fired: what ("read", "write", "user"), after how long, with what the call
 * returned (a partial count, or the errno). */
static void log_timeout(struct peer *pe, const char *what, uint64_t after_ns, ssize_t partial,
			int errnum)
{
	struct tl_rec r;

	tl_rec_begin(&r, &pe->p.tl, "timeout", timeline_now_ns());
	tl_rec_str(&r, "what", what);
	tl_rec_int(&r, "after_us", (int64_t)(after_ns / 1000));
	if (partial >= 0)
		tl_rec_int(&r, "partial_bytes", partial);
	if (errnum) {
		tl_rec_str(&r, "errno_name", timeline_errno_name(errnum));
		tl_rec_str(&r, "errno_text", strerror(errnum));
	}
	tl_rec_emit(&pe->p.tl, &r);
}

static void call_failed(struct peer *pe, const char *call, int err)
{
	fprintf(stderr, "%s: %s: %s\n", NAME, call, strerror(err));
	timeline_errno(&pe->p.tl, "error", call, err);
	pe->failed = 1;
}

static void finish(struct peer *pe, const char *reason)
{
	if (pe->done)
		return;
	pe->done = 1;
	if (pe->writable)
		event_del(pe->writable);
	if (pe->readable)
		event_del(pe->readable);
	if (pe->write_timer)
		event_del(pe->write_timer);
	prog_close(&pe->p, reason);
	event_base_loopbreak(pe->p.base);
}

/* A libevent call failed (msg names it; libevent gives no errno): say so, log it, and end the
 * run as failed. */
static void event_failed(struct peer *pe, const char *msg)
{
	fprintf(stderr, "%s: %s\n", NAME, msg);
	prog_log_error(&pe->p, msg);
	pe->failed = 1;
	finish(pe, msg);
}

/* prog_arm, or the run fails. Returns 0 or -1. */
static int arm(struct peer *pe, struct event *ev, uint64_t ns, const char *what)
{
	char err[128];

	if (prog_arm(ev, ns, what, err, sizeof(err)) == 0)
		return 0;
	event_failed(pe, err);
	return -1;
}

/* event_add without a timeout, or the run fails. Returns 0 or -1. */
static int add(struct peer *pe, struct event *ev, const char *what)
{
	char err[128];

	if (event_add(ev, NULL) == 0)
		return 0;
	snprintf(err, sizeof(err), "event_add(%s): failed", what);
	event_failed(pe, err);
	return -1;
}

/* ETIMEDOUT with --user-timeout set is the kernel giving up on the peer, as asked: the lesson,
 * not a failure. Returns the close reason for it, or NULL for any other error. */
static const char *user_timeout_fired(struct peer *pe, int err, uint64_t waited_ns)
{
	if (err != ETIMEDOUT || pe->user_timeout_ns == 0)
		return NULL;
	log_timeout(pe, "user", waited_ns, -1, err);
	return "user timeout: the kernel gave up on the peer";
}

/* ---- reading: the stream, the request ---- */

/* Data read: log it, check it, and say whether the request is now complete. */
static int got_data(struct peer *pe, ssize_t n, uint64_t t0, uint64_t t1)
{
	prog_got_read(&pe->p, &pe->check, &pe->totals, pe->buf, (size_t)n, t0, t1);
	if (pe->mode != MODE_RESPOND)
		return 0;
	/* The request ends with an empty line: keep its last four bytes. */
	for (ssize_t i = n > 4 ? n - 4 : 0; i < n; i++) {
		memmove(pe->tail, pe->tail + 1, 3);
		pe->tail[3] = (char)pe->buf[i];
	}
	return memcmp(pe->tail, "\r\n\r\n", 4) == 0;
}

/* The response sits in the send buffer until the peer acknowledges it: watch SIOCOUTQ fall to
 * 0 and log how long that took. On loopback it takes microseconds, far below the sampler's
 * millisecond, so this waits for the condition itself (at most 2 s). */
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
	ssize_t n;

	do {
		n = write(pe->p.fd, PATTERN_RESPONSE, len);
	} while (n < 0 && errno == EINTR);
	t1 = timeline_now_ns();
	if (n < 0) {
		pe->write_errno = errno;
		pe->failed_call = "write";
		return "write failed";
	}
	log_write(pe, t0, t1, n, len);
	/* What the send buffer holds right after write(): the response, not yet acknowledged. */
	if (!pe->blocking)
		prog_sample_now(&pe->p);
	watch_acked(pe, t1, (size_t)n);
	return "response sent and acknowledged";
}

/* ---- event I/O ---- */

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;
	uint64_t now = timeline_now_ns();

	if (what & EV_TIMEOUT) {
		/* No data for --read-timeout: the persistent event re-arms itself. */
		log_timeout(pe, "read", now - pe->read_wait_since, -1, 0);
		pe->read_wait_since = now;
		if (pe->close_on_timeout)
			finish(pe, "read timeout: closed the slow client");
		return;
	}
	for (int i = 0; i < 64; i++) {
		uint64_t t0 = timeline_now_ns(), t1;
		ssize_t n = read(pe->p.fd, pe->buf, pe->write_size);

		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			call_failed(pe, "read", errno);
			finish(pe, "read failed");
			return;
		}
		if (n == 0) {
			timeline_event(&pe->p.tl, "eof", t1);
			finish(pe, pe->mode == MODE_STREAM ? "all sent; peer closed" : "peer closed");
			return;
		}
		pe->read_wait_since = t1;
		if (got_data(pe, n, t0, t1)) {
			const char *reason = respond(pe);

			if (pe->write_errno)
				call_failed(pe, "write", pe->write_errno);
			finish(pe, reason);
			return;
		}
	}
}

static void start_reading_event(struct peer *pe)
{
	pe->read_wait_since = timeline_now_ns();
	if (pe->read_timeout_ns ? arm(pe, pe->readable, pe->read_timeout_ns, "read timeout") < 0
				: add(pe, pe->readable, "readable") < 0)
		return;
	/* Data may already be waiting (after --read-delay): an edge we will not hear of again. */
	event_active(pe->readable, EV_READ, 0);
}

/* Everything is written: send FIN after the data and wait for the receiver to close, sampling
 * all along, so the timeline shows the send queue drain as the receiver reads. */
static void sending_finished(struct peer *pe)
{
	char err[256];

	if (pe->writable)
		event_del(pe->writable);
	if (shutdown(pe->p.fd, SHUT_WR) < 0) {
		call_failed(pe, "shutdown", errno);
		finish(pe, "shutdown failed");
		return;
	}
	timeline_event(&pe->p.tl, "shutdown", timeline_now_ns());
	if (sock_set_nonblock(pe->p.fd, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		prog_log_error(&pe->p, err);
		pe->failed = 1;
		finish(pe, "fcntl failed");
		return;
	}
	(void)add(pe, pe->readable, "readable");
}

static void on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	/* Write until EAGAIN: that is the moment the socket is full. Returning earlier and waiting
	 * for EV_WRITE would hide it, because epoll reports a socket writable only once its free
	 * space is at least half of what is queued, while write() still succeeds below that. */
	for (int i = 0;; i++) {
		uint64_t asked = next_chunk(pe);
		uint64_t t0 = timeline_now_ns(), t1;
		const char *reason;
		ssize_t n;

		if (sending_done(pe)) {
			sending_finished(pe);
			return;
		}
		if (i == 16) {
			/* Still room after a burst: come back at once, but after the timers that are
			 * due, so the sampler stays on time. */
			event_active(pe->writable, EV_WRITE, 0);
			return;
		}
		n = write(pe->p.fd, pe->buf + pe->sent % 251, asked);
		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (!pe->blocked) {
				pe->blocked = 1;
				pe->blocked_since = t1;
				log_blocked(pe, t1, 0, pe->sent);
				if (pe->write_timeout_ns)
					(void)arm(pe, pe->write_timer, pe->write_timeout_ns,
						  "write timer");
			}
			return;
		}
		if (n < 0) {
			reason = user_timeout_fired(pe, errno, t1 - pe->blocked_since);
			if (reason == NULL) {
				call_failed(pe, "write", errno);
				reason = "write failed";
			}
			finish(pe, reason);
			return;
		}
		if (pe->blocked) {
			pe->blocked = 0;
			event_del(pe->write_timer);
			log_resumed(pe, t1, pe->blocked_since);
		}
		log_write(pe, t0, t1, n, asked);
	}
}

static void on_write_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	log_timeout(pe, "write", timeline_now_ns() - pe->blocked_since, -1, EAGAIN);
	if (pe->close_on_timeout)
		finish(pe, "write timeout: closed the slow client");
	else
		(void)arm(pe, pe->write_timer, pe->write_timeout_ns, "write timer");
}

/* ---- blocking I/O ---- */

/* One blocking write(), watched: the main thread's 1 ms watch logs it as blocked if it is
 * still in progress then. */
static ssize_t watched_write(struct peer *pe, uint64_t asked, uint64_t *t0, uint64_t *t1)
{
	enum call_state was;
	ssize_t n;

	pthread_mutex_lock(&pe->lock);
	*t0 = timeline_now_ns();
	pe->call = CALL_IN_PROGRESS;
	pe->call_start = *t0;
	pe->call_offset = pe->sent;
	pthread_mutex_unlock(&pe->lock);

	n = write(pe->p.fd, pe->buf + pe->sent % 251, asked);
	*t1 = timeline_now_ns();

	pthread_mutex_lock(&pe->lock);
	was = pe->call;
	pe->call = CALL_IDLE;
	pthread_mutex_unlock(&pe->lock);
	if (was == CALL_LOGGED_BLOCKED)
		log_resumed(pe, *t1, *t0);
	return n;
}

static void *writer_thread(void *arg)
{
	struct peer *pe = arg;
	uint64_t stalled_since = 0;   /* start of the first call of a run that did not go at once */

	while (!stopping(pe) && !sending_done(pe)) {
		uint64_t asked = next_chunk(pe), t0, t1;
		ssize_t n = watched_write(pe, asked, &t0, &t1);
		int err = errno;

		if (n < 0 && err == EINTR)
			continue;
		if (n >= 0)
			log_write(pe, t0, t1, n, asked);
		if (n >= 0 && (uint64_t)n == asked && t1 - t0 < 1000000)
			stalled_since = 0;
		else if (stalled_since == 0)
			stalled_since = t0;
		/* SO_SNDTIMEO: a partial count when some bytes moved, and the next call, if the
		 * peer still takes nothing, EAGAIN. Both are logged; only EAGAIN, nothing moved
		 * at all, is the end of patience. */
		if (pe->write_timeout_ns && (n < 0 ? err == EAGAIN : (uint64_t)n < asked)) {
			log_timeout(pe, "write", t1 - t0, n < 0 ? 0 : n, n < 0 ? err : 0);
			if (n < 0 && pe->close_on_timeout) {
				pe->outcome = "write timeout: closed the slow client";
				break;
			}
			continue;
		}
		if (n < 0) {
			pe->outcome = user_timeout_fired(pe, err, t1 - stalled_since);
			if (pe->outcome == NULL) {
				pe->write_errno = err;
				pe->failed_call = "write";
				pe->outcome = "write failed";
			}
			break;
		}
	}
	/* Thread-safe: the base was made with evthread_use_pthreads(). */
	event_active(pe->thread_done, EV_READ, 0);
	return NULL;
}

static void *reader_thread(void *arg)
{
	struct peer *pe = arg;
	uint64_t waiting = timeline_now_ns();

	while (!stopping(pe)) {
		uint64_t t0 = timeline_now_ns(), t1;
		ssize_t n = read(pe->p.fd, pe->buf, pe->write_size);
		int err = errno;

		t1 = timeline_now_ns();
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0 && err == EAGAIN && pe->read_timeout_ns) {
			/* SO_RCVTIMEO: nothing came for that long. */
			log_timeout(pe, "read", t1 - waiting, -1, err);
			waiting = t1;
			if (pe->close_on_timeout) {
				pe->outcome = "read timeout: closed the slow client";
				break;
			}
			continue;
		}
		if (n < 0) {
			pe->write_errno = err;
			pe->failed_call = "read";
			pe->outcome = "read failed";
			break;
		}
		if (n == 0) {
			timeline_event(&pe->p.tl, "eof", t1);
			pe->outcome = "peer closed";
			break;
		}
		waiting = t1;
		if (got_data(pe, n, t0, t1)) {
			pe->outcome = respond(pe);
			break;
		}
	}
	event_active(pe->thread_done, EV_READ, 0);
	return NULL;
}

/* Every millisecond: is the writer's call still going after 1 ms? Then it has blocked. */
static void on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;
	uint64_t now = timeline_now_ns();

	pthread_mutex_lock(&pe->lock);
	if (pe->call == CALL_IN_PROGRESS && now - pe->call_start >= 1000000) {
		pe->call = CALL_LOGGED_BLOCKED;
		log_blocked(pe, pe->call_start, now, pe->call_offset);
	}
	pthread_mutex_unlock(&pe->lock);
}

static void on_thread_done(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	pthread_join(pe->thread, NULL);
	pe->thread_running = 0;
	event_del(pe->watch);
	if (pe->write_errno) {
		if (!stopping(pe))
			call_failed(pe, pe->failed_call, pe->write_errno);
		finish(pe, pe->outcome);
		return;
	}
	if (stopping(pe)) {
		finish(pe, "stopped by signal");
		return;
	}
	if (pe->outcome) {
		finish(pe, pe->outcome);
		return;
	}
	sending_finished(pe);
}

static void start_thread(struct peer *pe)
{
	int rc;

	if (arm(pe, pe->watch, 1000000, "watch") < 0)
		return;
	rc = pthread_create(&pe->thread, NULL, pe->mode == MODE_STREAM ? writer_thread
								      : reader_thread, pe);
	if (rc != 0) {
		fprintf(stderr, "%s: pthread_create: %s\n", NAME, strerror(rc));
		exit(1);
	}
	pe->thread_running = 1;
}

/* ---- the plan ---- */

static void start_work(struct peer *pe)
{
	if (pe->blocking)
		start_thread(pe);
	else if (pe->mode == MODE_STREAM)
		(void)add(pe, pe->writable, "writable");
	else
		start_reading_event(pe);
}

static void on_delay_over(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	timeline_event(&pe->p.tl, "stall_end", timeline_now_ns());
	start_work(pe);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	/* Only wakes the event writer, which then sees sending_done(). */
	struct peer *pe = arg;

	if (!pe->done && !pe->blocked)
		event_active(pe->writable, EV_WRITE, 0);
}

/* The socket options the timeouts need, on the connected socket. */
static void set_timeouts(struct peer *pe)
{
	char err[256];
	int fd = pe->p.fd;

	if ((pe->user_timeout_ns &&
	     sock_set_user_timeout(fd, pe->user_timeout_ns, err, sizeof(err)) < 0) ||
	    (pe->blocking && pe->read_timeout_ns &&
	     sock_set_timeout(fd, 'r', pe->read_timeout_ns, err, sizeof(err)) < 0) ||
	    (pe->blocking && pe->write_timeout_ns &&
	     sock_set_timeout(fd, 'w', pe->write_timeout_ns, err, sizeof(err)) < 0))
		prog_die(NAME, err);
}

static void describe_plan(const struct peer *pe, char *plan, size_t len)
{
	char a[32], b[32];

	if (pe->mode == MODE_RECV) {
		snprintf(plan, len, "read everything as it arrives");
	} else if (pe->mode == MODE_RESPOND) {
		snprintf(plan, len, "read the request, answer it, close");
	} else if (pe->duration_ns) {
		units_format_duration(pe->duration_ns, a, sizeof(a));
		units_format_size(pe->write_size, b, sizeof(b));
		snprintf(plan, len, "write for %s in writes of %s", a, b);
	} else {
		units_format_size(pe->total, a, sizeof(a));
		units_format_size(pe->write_size, b, sizeof(b));
		snprintf(plan, len, "write %s in writes of %s", a, b);
	}
}

/* --clients N: the server of many, in server.c. */
static int serve_many(struct prog_opts *o, struct server_opts *so, uint64_t duration_ns)
{
	struct prog p;
	struct prog_totals totals = { 0 };
	char err[256], plan[160], rate[32];
	int rc;

	if (duration_ns)
		so->duration_ns = duration_ns;
	units_format_size(so->rate, rate, sizeof(rate));
	snprintf(plan, sizeof(plan), "serve %u clients a stream of %s/s each%s", so->clients,
		 rate, so->backpressure ? ", with backpressure" : ", naively");
	if (prog_init(&p, NAME, o, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	prog_log_start(&p, plan, "event");
	rc = server_run(&p, so, &totals, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", NAME, err);
	prog_log_end(&p, &totals);
	prog_free(&p);
	return rc < 0 ? 1 : 0;
}

static uint64_t positive_duration(const char *flag, const char *arg)
{
	uint64_t v = prog_flag_duration(NAME, flag, arg);

	if (v == 0)
		prog_die_flag(NAME, flag, arg, "must be longer than 0");
	return v;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "bytes", required_argument, NULL, OPT_BYTES },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "write-size", required_argument, NULL, OPT_WRITE_SIZE },
		{ "io", required_argument, NULL, OPT_IO },
		{ "recv", no_argument, NULL, OPT_RECV },
		{ "respond", no_argument, NULL, OPT_RESPOND },
		{ "read-delay", required_argument, NULL, OPT_READ_DELAY },
		{ "read-timeout", required_argument, NULL, OPT_READ_TIMEOUT },
		{ "write-timeout", required_argument, NULL, OPT_WRITE_TIMEOUT },
		{ "on-timeout", required_argument, NULL, OPT_ON_TIMEOUT },
		{ "user-timeout", required_argument, NULL, OPT_USER_TIMEOUT },
		{ "clients", required_argument, NULL, OPT_CLIENTS },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "backpressure", required_argument, NULL, OPT_BACKPRESSURE },
	};
	struct server_opts so = { .rate = 2u << 20, .duration_ns = 3000000000u };
	struct prog_opts o;
	struct peer pe;
	struct event *deadline = NULL;
	char err[256], plan[128];
	int opt, rc;

	memset(&pe, 0, sizeof(pe));
	prog_opts_init(&o, 0);
	pe.blocking = 1;
	pe.total = 1u << 20;
	pe.write_size = 65536;
	while ((opt = prog_getopt(NAME, argc, argv, options, PROG_COUNT(options), &o,
				  usage)) != -1) {
		switch (opt) {
		case OPT_BYTES:
			pe.total = prog_flag_size(NAME, "--bytes", optarg);
			if (pe.total == 0)
				prog_die_flag(NAME, "--bytes", optarg, "send at least 1 byte");
			pe.duration_ns = 0;
			break;
		case OPT_DURATION:
			pe.duration_ns = positive_duration("--duration", optarg);
			pe.total = 0;
			break;
		case OPT_WRITE_SIZE:
			pe.write_size = prog_flag_size(NAME, "--write-size", optarg);
			if (pe.write_size == 0 || pe.write_size > 64u << 20)
				prog_die_flag(NAME, "--write-size", optarg,
					      "must be from 1 byte to 64M");
			break;
		case OPT_IO:
			if (strcmp(optarg, "blocking") == 0)
				pe.blocking = 1;
			else if (strcmp(optarg, "event") == 0)
				pe.blocking = 0;
			else
				prog_die_flag(NAME, "--io", optarg, "use blocking or event");
			break;
		case OPT_RECV:
			pe.mode = MODE_RECV;
			break;
		case OPT_RESPOND:
			pe.mode = MODE_RESPOND;
			break;
		case OPT_READ_DELAY:
			pe.read_delay_ns = prog_flag_duration(NAME, "--read-delay", optarg);
			break;
		case OPT_READ_TIMEOUT:
			pe.read_timeout_ns = positive_duration("--read-timeout", optarg);
			break;
		case OPT_WRITE_TIMEOUT:
			pe.write_timeout_ns = positive_duration("--write-timeout", optarg);
			break;
		case OPT_USER_TIMEOUT:
			pe.user_timeout_ns = positive_duration("--user-timeout", optarg);
			if (pe.user_timeout_ns < 1000000)
				prog_die_flag(NAME, "--user-timeout", optarg,
					      "the kernel counts it in whole milliseconds");
			break;
		case OPT_ON_TIMEOUT:
			if (strcmp(optarg, "close") == 0)
				pe.close_on_timeout = 1;
			else if (strcmp(optarg, "log") == 0)
				pe.close_on_timeout = 0;
			else
				prog_die_flag(NAME, "--on-timeout", optarg, "use log or close");
			break;
		case OPT_CLIENTS: {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || errno || v == 0 || v > 10000)
				prog_die_flag(NAME, "--clients", optarg, "a number from 1 to 10000");
			so.clients = (unsigned)v;
			break;
		}
		case OPT_RATE: {
			char e[128];

			if (units_parse_rate(optarg, &so.rate, e, sizeof(e)) < 0)
				prog_die_flag(NAME, "--rate", optarg, e);
			if (so.rate == 0 || so.rate > (1ull << 32))
				prog_die_flag(NAME, "--rate", optarg, "from 1 byte/s to 4G/s");
			break;
		}
		case OPT_BACKPRESSURE:
			so.backpressure = prog_flag_size(NAME, "--backpressure", optarg);
			if (so.backpressure < 2)
				prog_die_flag(NAME, "--backpressure", optarg, "at least 2 bytes");
			break;
		}
	}
	if (pe.read_delay_ns && pe.mode == MODE_STREAM)
		prog_die_flag(NAME, "--read-delay", "", "only a reader (--recv, --respond) delays reading");
	if (so.clients && (!o.listen || pe.blocking || pe.mode != MODE_STREAM))
		prog_die_flag(NAME, "--clients", "", "serving many clients needs --listen --io event");
	if (o.check_args)
		return 0;
	if (so.clients)
		return serve_many(&o, &so, pe.duration_ns);

	pe.buf = malloc(pe.write_size + 251);
	if (pe.buf == NULL)
		prog_die(NAME, "malloc: out of memory");
	pattern_fill(pe.buf, pe.write_size + 251, 0);
	if (pe.mode == MODE_RESPOND)
		pattern_check_init_text(&pe.check, PATTERN_REQUEST);
	else
		pattern_check_init(&pe.check);
	pthread_mutex_init(&pe.lock, NULL);
	if (evthread_use_pthreads() < 0)
		prog_die(NAME, "evthread_use_pthreads: failed");

	if (prog_init(&pe.p, NAME, &o, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	describe_plan(&pe, plan, sizeof(plan));
	prog_log_start(&pe.p, plan, pe.blocking ? "blocking" : "event");
	rc = prog_open_connection(&pe.p, !pe.blocking, err, sizeof(err));
	if (rc != 0) {
		/* An error, or a signal before any client came: either way nothing more to do. */
		if (rc < 0)
			fprintf(stderr, "%s: %s\n", NAME, err);
		prog_log_end(&pe.p, &pe.totals);
		prog_free(&pe.p);
		free(pe.buf);
		return rc < 0 ? 1 : 0;
	}
	set_timeouts(&pe);

	pe.writable = event_new(pe.p.base, pe.p.fd, EV_WRITE | EV_PERSIST, on_writable, &pe);
	pe.readable = event_new(pe.p.base, pe.p.fd, EV_READ | EV_PERSIST, on_readable, &pe);
	pe.write_timer = evtimer_new(pe.p.base, on_write_timeout, &pe);
	pe.delay = evtimer_new(pe.p.base, on_delay_over, &pe);
	pe.thread_done = event_new(pe.p.base, -1, 0, on_thread_done, &pe);
	pe.watch = event_new(pe.p.base, -1, EV_PERSIST, on_watch, &pe);
	if (!pe.writable || !pe.readable || !pe.write_timer || !pe.delay || !pe.thread_done ||
	    !pe.watch)
		prog_die(NAME, "event_new: out of memory");

	pe.deadline_ns = timeline_now_ns() + pe.duration_ns;
	if (pe.duration_ns && !pe.blocking && pe.mode == MODE_STREAM) {
		deadline = evtimer_new(pe.p.base, on_deadline, &pe);
		if (deadline == NULL)
			prog_die(NAME, "evtimer_new(deadline): out of memory");
		(void)arm(&pe, deadline, pe.duration_ns, "deadline");
	}
	if (pe.read_delay_ns) {
		/* The plan: leave what arrives in the receive buffer for a while. */
		plan_log_stall(&pe.p, pe.read_delay_ns);
		(void)arm(&pe, pe.delay, pe.read_delay_ns, "read delay");
	} else {
		start_work(&pe);
	}

	/* A run that failed before the loop (a timer that could not be added) is over: a loopbreak
	 * asked for before the loop runs is forgotten, so do not start it. */
	if (!pe.done && event_base_dispatch(pe.p.base) < 0)
		event_failed(&pe, "event_base_dispatch: failed");

	if (pe.thread_running) {
		/* Stopped by a signal while the worker may sit in a blocked call: shutting the
		 * socket down wakes it. */
		__atomic_store_n(&pe.stop, 1, __ATOMIC_RELEASE);
		shutdown(pe.p.fd, SHUT_RDWR);
		pthread_join(pe.thread, NULL);
		pe.thread_running = 0;
	}
	if (!pe.done)
		finish(&pe, pe.p.stop_signal ? "stopped by signal" : "event loop ended");
	pe.totals.pattern_errors = pe.check.errors;
	prog_log_end(&pe.p, &pe.totals);
	if (deadline)
		event_free(deadline);
	event_free(pe.writable);
	event_free(pe.readable);
	event_free(pe.write_timer);
	event_free(pe.delay);
	event_free(pe.watch);
	event_free(pe.thread_done);
	pthread_mutex_destroy(&pe.lock);
	prog_free(&pe.p);
	free(pe.buf);
	return pe.failed || pe.check.errors ? 1 : 0;
}
