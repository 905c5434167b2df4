/* peer: see peer.h. The run of fast_peer's one connection, whatever its role. */
#include "peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/thread.h>

#include "plan.h"

/* ---- the log ---- */

void peer_log_write(struct peer *pe, uint64_t t0, uint64_t t1, ssize_t n, uint64_t asked,
		    const struct probe_sendq *after)
{
	prog_did_write(&pe->p, &pe->totals, (size_t)n, asked, pe->sent, t0, t1, after);
	pe->sent += (uint64_t)n;
}

void peer_log_blocked(struct peer *pe, uint64_t t, uint64_t detected, uint64_t offset)
{
	struct tl_rec r;

	tl_rec_begin(&r, &pe->p.tl, "write_blocked", t);
	tl_rec_int(&r, "offset", (int64_t)offset);
	if (detected)
		tl_rec_int(&r, "detected_ns", (int64_t)detected);
	tl_rec_emit(&pe->p.tl, &r);
}

void peer_log_resumed(struct peer *pe, uint64_t t, uint64_t since)
{
	struct tl_rec r;

	tl_rec_begin(&r, &pe->p.tl, "write_resumed", t);
	tl_rec_int(&r, "blocked_us", (int64_t)((t - since) / 1000));
	tl_rec_emit(&pe->p.tl, &r);
}

void peer_log_timeout(struct peer *pe, const char *what, uint64_t after_ns, ssize_t partial,
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

void peer_call_failed(struct peer *pe, const char *call, int err)
{
	fprintf(stderr, "%s: %s: %s\n", NAME, call, strerror(err));
	timeline_errno(&pe->p.tl, "error", call, err);
	pe->failed = 1;
}

void peer_fail(struct peer *pe, const char *msg)
{
	fprintf(stderr, "%s: %s\n", NAME, msg);
	prog_log_error(&pe->p, msg);
	pe->failed = 1;
	peer_finish(pe, msg);
}

const char *peer_user_timeout_fired(struct peer *pe, int err, uint64_t waited_ns)
{
	if (err != ETIMEDOUT || pe->o.user_timeout_ns == 0)
		return NULL;
	peer_log_timeout(pe, "user", waited_ns, -1, err);
	return "user timeout: the kernel gave up on the peer";
}

/* ---- the run ---- */

void peer_finish(struct peer *pe, const char *reason)
{
	if (pe->done)
		return;
	pe->done = 1;
	if (pe->ev.writable)
		event_del(pe->ev.writable);
	if (pe->ev.readable)
		event_del(pe->ev.readable);
	if (pe->ev.write_timer)
		event_del(pe->ev.write_timer);
	prog_close(&pe->p, reason);
	event_base_loopbreak(pe->p.base);
}

int peer_arm(struct peer *pe, struct event *ev, uint64_t ns, const char *what)
{
	char err[128];
	int rc;

	if (ns > 0) {
		rc = prog_arm(ev, ns, what, err, sizeof(err));
	} else {
		rc = event_add(ev, NULL);
		snprintf(err, sizeof(err), "event_add(%s): failed", what);
	}
	if (rc < 0)
		peer_fail(pe, err);
	return rc < 0 ? -1 : 0;
}

int peer_stopping(struct peer *pe)
{
	return __atomic_load_n(&pe->th.stop, __ATOMIC_ACQUIRE);
}

/* The worker is done: join it, and end the run as it says, or (the stream written) send FIN. */
static void on_thread_done(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	pthread_join(pe->th.id, NULL);
	pe->th.running = 0;
	event_del(pe->th.watch);
	if (pe->call_errno) {
		if (!peer_stopping(pe))
			peer_call_failed(pe, pe->failed_call, pe->call_errno);
		peer_finish(pe, pe->th.outcome);
		return;
	}
	if (peer_stopping(pe)) {
		peer_finish(pe, "stopped by signal");
		return;
	}
	if (pe->th.outcome) {
		peer_finish(pe, pe->th.outcome);
		return;
	}
	writer_sending_finished(pe);
}

static void start_thread(struct peer *pe)
{
	int rc;

	if (peer_arm(pe, pe->th.watch, 1000000, "watch") < 0)
		return;
	rc = pthread_create(&pe->th.id, NULL, pe->o.mode == MODE_STREAM ? writer_thread
									 : reader_thread, pe);
	if (rc != 0) {
		peer_call_failed(pe, "pthread_create", rc);
		peer_finish(pe, "pthread_create failed");
		return;
	}
	pe->th.running = 1;
}

static void start_work(struct peer *pe)
{
	if (pe->o.blocking)
		start_thread(pe);
	else if (pe->o.mode == MODE_STREAM)
		(void)writer_start_event(pe);
	else
		(void)reader_start_event(pe);
}

static void on_delay_over(evutil_socket_t fd, short what, void *arg)
{
	struct peer *pe = arg;

	timeline_event(&pe->p.tl, "stall_end", timeline_now_ns());
	start_work(pe);
}

int peer_init(struct peer *pe, struct prog_opts *o, char *err, size_t errlen)
{
	/* A reader reads write_size at a time; the stream writer reads only what the peer may
	 * send before its FIN, which needs no big buffer. */
	pe->buflen = pe->o.write_size;
	if (pe->o.mode == MODE_STREAM) {
		if (pattern_source_init(&pe->src, pe->o.write_size, NULL, err, errlen) < 0)
			return -1;
		if (pe->buflen > 65536)
			pe->buflen = 65536;
	}
	pe->buf = malloc(pe->buflen);
	if (pe->buf == NULL) {
		snprintf(err, errlen, "malloc: out of memory");
		return -1;
	}
	if (pe->o.mode == MODE_RESPOND)
		pattern_check_init_text(&pe->check, PATTERN_REQUEST);
	else
		pattern_check_init(&pe->check);
	pthread_mutex_init(&pe->th.lock, NULL);
	/* Before the base is made: the worker makes an event active from its own thread. */
	if (evthread_use_pthreads() < 0) {
		snprintf(err, errlen, "evthread_use_pthreads: failed");
		return -1;
	}
	return prog_init(&pe->p, NAME, o, err, errlen);
}

/* The timeouts this connection has, as set (socket options, or libevent timers with event I/O),
 * so that a timeout that never fired is told as well as one that did. */
static void log_timeouts_set(struct peer *pe)
{
	const struct peer_opts *o = &pe->o;
	struct tl_rec r;

	if (!o->read_timeout_ns && !o->write_timeout_ns && !o->user_timeout_ns)
		return;
	tl_rec_begin(&r, &pe->p.tl, "timeouts_set", timeline_now_ns());
	if (o->read_timeout_ns)
		tl_rec_int(&r, "read_us", (int64_t)(o->read_timeout_ns / 1000));
	if (o->write_timeout_ns)
		tl_rec_int(&r, "write_us", (int64_t)(o->write_timeout_ns / 1000));
	if (o->user_timeout_ns)
		tl_rec_int(&r, "user_us", (int64_t)(o->user_timeout_ns / 1000));
	tl_rec_emit(&pe->p.tl, &r);
}

int peer_connected(struct peer *pe, char *err, size_t errlen)
{
	const struct peer_opts *o = &pe->o;
	struct event_base *base = pe->p.base;
	int fd = pe->p.fd;

	if ((o->user_timeout_ns &&
	     sock_set_user_timeout(fd, o->user_timeout_ns, err, errlen) < 0) ||
	    (o->blocking && o->read_timeout_ns &&
	     sock_set_timeout(fd, 'r', o->read_timeout_ns, err, errlen) < 0) ||
	    (o->blocking && o->write_timeout_ns &&
	     sock_set_timeout(fd, 'w', o->write_timeout_ns, err, errlen) < 0))
		return -1;
	log_timeouts_set(pe);
	pe->ev.writable = event_new(base, fd, EV_WRITE | EV_PERSIST, writer_on_writable, pe);
	pe->ev.readable = event_new(base, fd, EV_READ | EV_PERSIST, reader_on_readable, pe);
	pe->ev.write_timer = evtimer_new(base, writer_on_write_timeout, pe);
	pe->ev.deadline = evtimer_new(base, writer_on_deadline, pe);
	pe->delay = evtimer_new(base, on_delay_over, pe);
	pe->th.done = event_new(base, -1, 0, on_thread_done, pe);
	pe->th.watch = event_new(base, -1, EV_PERSIST, writer_on_watch, pe);
	if (!pe->ev.writable || !pe->ev.readable || !pe->ev.write_timer || !pe->ev.deadline ||
	    !pe->delay || !pe->th.done || !pe->th.watch) {
		snprintf(err, errlen, "event_new: out of memory");
		return -1;
	}
	return 0;
}

/* Stop the worker, wherever it is: shutting the socket down wakes a call that is blocked. */
static void stop_worker(struct peer *pe)
{
	if (!pe->th.running)
		return;
	__atomic_store_n(&pe->th.stop, 1, __ATOMIC_RELEASE);
	shutdown(pe->p.fd, SHUT_RDWR);
	pthread_join(pe->th.id, NULL);
	pe->th.running = 0;
}

void peer_run(struct peer *pe)
{
	uint64_t now = timeline_now_ns();

	/* A --duration of centuries is a deadline that never comes, not one that wrapped. */
	pe->deadline_ns = pe->o.duration_ns > UINT64_MAX - now ? UINT64_MAX
							       : now + pe->o.duration_ns;
	/* The event writer has no call to notice the time in while the socket is full. */
	if (pe->o.duration_ns && !pe->o.blocking && pe->o.mode == MODE_STREAM &&
	    peer_arm(pe, pe->ev.deadline, pe->o.duration_ns, "deadline") < 0)
		return;
	if (pe->o.read_delay_ns) {
		/* The plan: leave what arrives in the receive buffer for a while. */
		plan_log_stall(&pe->p, pe->o.read_delay_ns);
		(void)peer_arm(pe, pe->delay, pe->o.read_delay_ns, "read delay");
	} else {
		start_work(pe);
	}
	/* A run that failed before the loop (a timer that could not be added) is over: a loopbreak
	 * asked for before the loop runs is forgotten, so do not start it. */
	if (!pe->done && event_base_dispatch(pe->p.base) < 0) {
		stop_worker(pe);
		peer_fail(pe, "event_base_dispatch: failed");
	}
}

void peer_free(struct peer *pe)
{
	pthread_mutex_destroy(&pe->th.lock);
	free(pe->buf);
	pe->buf = NULL;
	pattern_source_free(&pe->src);
}

static void free_event(struct event *ev)
{
	if (ev)
		event_free(ev);
}

int peer_end(struct peer *pe)
{
	/* Only a signal ends the loop with the worker still running. */
	stop_worker(pe);
	if (!pe->done)
		peer_finish(pe, prog_loop_end_reason(&pe->p));
	if (prog_end_check(&pe->p, &pe->check, &pe->totals) < 0)
		pe->failed = 1;
	prog_log_end(&pe->p, &pe->totals);
	free_event(pe->ev.writable);
	free_event(pe->ev.readable);
	free_event(pe->ev.write_timer);
	free_event(pe->ev.deadline);
	free_event(pe->delay);
	free_event(pe->th.watch);
	free_event(pe->th.done);
	if (prog_free(&pe->p) < 0)
		pe->failed = 1;
	peer_free(pe);
	return pe->failed ? 1 : 0;
}
