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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/thread.h>

#include "pattern.h"
#include "prog.h"
#include "units.h"

static const char *const NAME = "fast_peer";

enum { OPT_BYTES = PROG_OPT_FIRST_OWN, OPT_DURATION, OPT_WRITE_SIZE, OPT_IO, OPT_RECV };

/* The writer thread's call, as the main thread's watch sees it. */
enum call_state { CALL_IDLE, CALL_IN_PROGRESS, CALL_LOGGED_BLOCKED };

struct peer {
	struct prog p;
	int blocking;
	int recv_mode;
	uint64_t total;            /* bytes to send; 0 with --duration */
	uint64_t duration_ns;
	uint64_t deadline_ns;
	uint64_t write_size;
	uint8_t *buf;              /* pattern from offset 0, write_size + 251 long: the bytes for
				    * stream offset x start at buf + x % 251 */
	uint64_t sent;
	struct prog_totals totals;
	struct pattern_check check;
	int failed;
	int done;

	/* event I/O */
	struct event *writable;
	struct event *readable;
	int blocked;
	uint64_t blocked_since;

	/* blocking I/O */
	pthread_t thread;
	int thread_running;
	struct event *thread_done;
	struct event *watch;       /* 1 ms: notices a call that has blocked */
	pthread_mutex_t lock;      /* guards the three below */
	enum call_state call;
	uint64_t call_start;
	uint64_t call_offset;
	int stop;                  /* set by main, read by the writer: __atomic */
	int write_errno;
};

static void usage(void)
{
	printf("usage: %s [options]\n"
	       "\n"
	       "Connect to a receiver on loopback and write as fast as the socket takes it, logging\n"
	       "when write() blocks and when it goes on.\n"
	       "\n"
	       "What to send:\n"
	       "  --bytes SIZE           send SIZE bytes, then close (default 1M)\n"
	       "  --duration DUR         send for DUR instead\n"
	       "  --write-size SIZE      bytes per write() call (default 64K)\n"
	       "  --io blocking|event    blocking write() on a writer thread (default), or a\n"
	       "                         non-blocking socket driven by libevent\n"
	       "  --recv                 be the fast reader instead: read everything as it comes\n"
	       "\n"
	       "%s"
	       "\n"
	       "By default fast_peer connects (--connect HOST:PORT is then required).\n"
	       "Exit status: 0 done, 1 runtime error, 2 bad option.\n",
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

static void log_write(struct peer *pe, uint64_t t0, uint64_t t1, ssize_t n, uint64_t asked)
{
	struct tl_rec r;

	tl_rec_begin(&r, &pe->p.tl, "write", t1);
	tl_rec_int(&r, "bytes", n);
	tl_rec_int(&r, "requested_bytes", (int64_t)asked);
	tl_rec_int(&r, "dur_ns", (int64_t)(t1 - t0));
	tl_rec_int(&r, "offset", (int64_t)pe->sent);
	tl_rec_emit(&pe->p.tl, &r);
	pe->sent += (uint64_t)n;
	pe->totals.bytes_sent += (uint64_t)n;
	pe->totals.writes++;
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

static void write_failed(struct peer *pe, int err)
{
	fprintf(stderr, "%s: write: %s\n", NAME, strerror(err));
	timeline_errno(&pe->p.tl, "error", "write", err);
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
	prog_close(&pe->p, reason);
	event_base_loopbreak(pe->p.base);
}

/* Read whatever the peer sends: in --recv mode the stream, checked; after sending, only its
 * FIN (the receiver closes once it has read everything). */
static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	for (int i = 0; i < 64; i++) {
		uint64_t t0 = timeline_now_ns(), t1;
		ssize_t n = read(pe->p.fd, pe->buf, pe->write_size);
		struct tl_rec r;

		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			fprintf(stderr, "%s: read: %s\n", NAME, strerror(errno));
			timeline_errno(&pe->p.tl, "error", "read", errno);
			pe->failed = 1;
			finish(pe, "read failed");
			return;
		}
		if (n == 0) {
			timeline_event(&pe->p.tl, "eof", t1);
			finish(pe, pe->recv_mode ? "peer closed" : "all sent; peer closed");
			return;
		}
		tl_rec_begin(&r, &pe->p.tl, "read", t1);
		tl_rec_int(&r, "bytes", n);
		tl_rec_int(&r, "dur_ns", (int64_t)(t1 - t0));
		tl_rec_int(&r, "offset", (int64_t)pe->check.offset);
		tl_rec_emit(&pe->p.tl, &r);
		pattern_check_feed(&pe->check, pe->buf, (size_t)n);
		pe->totals.bytes_received += (uint64_t)n;
		pe->totals.reads++;
	}
}

/* Everything is written: send FIN after the data and wait for the receiver to close, sampling
 * all along, so the timeline shows the send queue drain as the receiver reads. */
static void sending_finished(struct peer *pe)
{
	char err[256];

	if (pe->writable)
		event_del(pe->writable);
	if (shutdown(pe->p.fd, SHUT_WR) < 0) {
		fprintf(stderr, "%s: shutdown: %s\n", NAME, strerror(errno));
		timeline_errno(&pe->p.tl, "error", "shutdown", errno);
		pe->failed = 1;
		finish(pe, "shutdown failed");
		return;
	}
	timeline_event(&pe->p.tl, "shutdown", timeline_now_ns());
	if (sock_set_nonblock(pe->p.fd, 1, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	pe->readable = event_new(pe->p.base, pe->p.fd, EV_READ | EV_PERSIST, on_readable, pe);
	if (pe->readable == NULL || event_add(pe->readable, NULL) < 0)
		prog_die(NAME, "event_add(readable): failed");
}

/* ---- event I/O ---- */

static void on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	/* Write until EAGAIN: that is the moment the socket is full. Returning earlier and waiting
	 * for EV_WRITE would hide it, because epoll reports a socket writable only once its free
	 * space is at least half of what is queued, while write() still succeeds below that. */
	for (int i = 0;; i++) {
		uint64_t asked = next_chunk(pe);
		uint64_t t0 = timeline_now_ns(), t1;
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
			}
			return;
		}
		if (n < 0) {
			write_failed(pe, errno);
			finish(pe, "write failed");
			return;
		}
		if (pe->blocked) {
			pe->blocked = 0;
			log_resumed(pe, t1, pe->blocked_since);
		}
		log_write(pe, t0, t1, n, asked);
	}
}

/* ---- blocking I/O ---- */

static void *writer_thread(void *arg)
{
	struct peer *pe = arg;

	while (!__atomic_load_n(&pe->stop, __ATOMIC_ACQUIRE) && !sending_done(pe)) {
		uint64_t asked = next_chunk(pe);
		uint64_t t0, t1;
		enum call_state was;
		ssize_t n;

		pthread_mutex_lock(&pe->lock);
		t0 = timeline_now_ns();
		pe->call = CALL_IN_PROGRESS;
		pe->call_start = t0;
		pe->call_offset = pe->sent;
		pthread_mutex_unlock(&pe->lock);

		n = write(pe->p.fd, pe->buf + pe->sent % 251, asked);
		t1 = timeline_now_ns();

		pthread_mutex_lock(&pe->lock);
		was = pe->call;
		pe->call = CALL_IDLE;
		pthread_mutex_unlock(&pe->lock);
		if (was == CALL_LOGGED_BLOCKED)
			log_resumed(pe, t1, t0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pe->write_errno = errno;
			break;
		}
		log_write(pe, t0, t1, n, asked);
	}
	/* Thread-safe: the base was made with evthread_use_pthreads(). */
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
		if (!pe->stop)
			write_failed(pe, pe->write_errno);
		finish(pe, "write failed");
		return;
	}
	if (pe->stop) {
		finish(pe, "stopped by signal");
		return;
	}
	sending_finished(pe);
}

static void start_blocking_writer(struct peer *pe)
{
	struct timeval ms = { 0, 1000 };
	int rc;

	pthread_mutex_init(&pe->lock, NULL);
	pe->thread_done = event_new(pe->p.base, -1, 0, on_thread_done, pe);
	pe->watch = event_new(pe->p.base, -1, EV_PERSIST, on_watch, pe);
	if (!pe->thread_done || !pe->watch || event_add(pe->watch, &ms) < 0)
		prog_die(NAME, "event_new: out of memory");
	rc = pthread_create(&pe->thread, NULL, writer_thread, pe);
	if (rc != 0) {
		fprintf(stderr, "%s: pthread_create: %s\n", NAME, strerror(rc));
		exit(1);
	}
	pe->thread_running = 1;
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	/* Only wakes the event writer, which then sees sending_done(). */
	struct peer *pe = arg;

	if (pe->writable && !pe->done)
		event_active(pe->writable, EV_WRITE, 0);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		PROG_COMMON_OPTIONS,
		{ "bytes", required_argument, NULL, OPT_BYTES },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "write-size", required_argument, NULL, OPT_WRITE_SIZE },
		{ "io", required_argument, NULL, OPT_IO },
		{ "recv", no_argument, NULL, OPT_RECV },
		{ NULL, 0, NULL, 0 },
	};
	struct prog_opts o;
	struct peer pe;
	struct event *deadline = NULL;
	char err[256], plan[128], size[32];
	int opt, rc;

	memset(&pe, 0, sizeof(pe));
	prog_opts_init(&o, 0);
	pe.blocking = 1;
	pe.total = 1u << 20;
	pe.write_size = 65536;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (prog_parse_common(NAME, &o, opt, optarg))
			continue;
		switch (opt) {
		case OPT_BYTES:
			pe.total = prog_flag_size(NAME, "--bytes", optarg);
			if (pe.total == 0)
				prog_die_flag(NAME, "--bytes", optarg, "send at least 1 byte");
			pe.duration_ns = 0;
			break;
		case OPT_DURATION:
			pe.duration_ns = prog_flag_duration(NAME, "--duration", optarg);
			if (pe.duration_ns == 0)
				prog_die_flag(NAME, "--duration", optarg, "must be longer than 0");
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
			pe.recv_mode = 1;
			break;
		case PROG_OPT_HELP:
			usage();
			return 0;
		default:
			prog_die_usage(NAME, opt, argv);
		}
	}
	if (optind < argc)
		prog_die_flag(NAME, "argument", argv[optind], "this program takes no arguments");
	if (!o.listen && o.sock.port == 0)
		prog_die_flag(NAME, "--connect", "", "say where to connect: --connect HOST:PORT");

	if (o.check_args)
		return 0;

	pe.buf = malloc(pe.write_size + 251);
	if (pe.buf == NULL)
		prog_die(NAME, "malloc: out of memory");
	pattern_fill(pe.buf, pe.write_size + 251, 0);
	pattern_check_init(&pe.check);
	if (evthread_use_pthreads() < 0)
		prog_die(NAME, "evthread_use_pthreads: failed");

	prog_init(&pe.p, NAME, &o);
	if (pe.recv_mode) {
		snprintf(plan, sizeof(plan), "read everything as it arrives");
	} else {
		units_format_size(pe.duration_ns ? pe.write_size : pe.total, size, sizeof(size));
		if (pe.duration_ns) {
			char dur[32];

			units_format_duration(pe.duration_ns, dur, sizeof(dur));
			snprintf(plan, sizeof(plan), "write for %s in writes of %s", dur, size);
		} else {
			char ws[32];

			units_format_size(pe.write_size, ws, sizeof(ws));
			snprintf(plan, sizeof(plan), "write %s in writes of %s", size, ws);
		}
	}
	prog_log_start(&pe.p, plan, pe.recv_mode ? "event" : pe.blocking ? "blocking" : "event");
	rc = prog_open_connection(&pe.p, pe.recv_mode || !pe.blocking, err, sizeof(err));
	if (rc != 0) {
		/* An error, or a signal before any client came: either way nothing more to do. */
		if (rc < 0)
			fprintf(stderr, "%s: %s\n", NAME, err);
		prog_log_end(&pe.p, &pe.totals);
		prog_free(&pe.p);
		free(pe.buf);
		return rc < 0 ? 1 : 0;
	}

	pe.deadline_ns = timeline_now_ns() + pe.duration_ns;
	if (pe.recv_mode) {
		pe.readable = event_new(pe.p.base, pe.p.fd, EV_READ | EV_PERSIST, on_readable, &pe);
		if (pe.readable == NULL || event_add(pe.readable, NULL) < 0)
			prog_die(NAME, "event_add(readable): failed");
	} else if (pe.blocking) {
		start_blocking_writer(&pe);
	} else {
		pe.writable = event_new(pe.p.base, pe.p.fd, EV_WRITE | EV_PERSIST, on_writable, &pe);
		if (pe.writable == NULL || event_add(pe.writable, NULL) < 0)
			prog_die(NAME, "event_add(writable): failed");
		if (pe.duration_ns) {
			struct timeval tv = {
				.tv_sec = (time_t)(pe.duration_ns / 1000000000u),
				.tv_usec = (suseconds_t)(pe.duration_ns % 1000000000u / 1000u),
			};

			deadline = evtimer_new(pe.p.base, on_deadline, &pe);
			if (deadline == NULL || evtimer_add(deadline, &tv) < 0)
				prog_die(NAME, "evtimer_add(deadline): failed");
		}
	}

	event_base_dispatch(pe.p.base);

	if (pe.thread_running) {
		/* Stopped by a signal while the writer may sit in a blocked write(): shutting the
		 * socket down wakes it with EPIPE. */
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
	if (pe.writable)
		event_free(pe.writable);
	if (pe.readable)
		event_free(pe.readable);
	if (pe.watch)
		event_free(pe.watch);
	if (pe.thread_done)
		event_free(pe.thread_done);
	if (pe.blocking && !pe.recv_mode)
		pthread_mutex_destroy(&pe.lock);
	prog_free(&pe.p);
	free(pe.buf);
	return pe.failed || pe.check.errors ? 1 : 0;
}
