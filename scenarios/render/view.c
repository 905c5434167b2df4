/* view: what the table shows after each event (struct view), and the clauses of its row's
 * "What happened", for window_zero, blocked_write and write_timeout, with the wire's segments
 * when a capture logged them. view_apply takes every event of every lesson; those of the
 * lessons of a server and its clients go on to view_server.c. */
#include "render.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Add one clause to the row's "What happened", after a "; " if it has one already. */
void note_add(struct note *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n->len >= sizeof(n->s) - 3)
		return;
	if (n->len) {
		memcpy(n->s + n->len, "; ", 3);
		n->len += 2;
	}
	va_start(ap, fmt);
	k = vsnprintf(n->s + n->len, sizeof(n->s) - n->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		n->len += (size_t)k < sizeof(n->s) - n->len ? (size_t)k : sizeof(n->s) - n->len - 1;
}

static const char *who(const struct table *t, enum side side)
{
	return side == SIDE_READER ? t->rd : side == SIDE_WIRE ? "capture" : t->wr;
}

/* A row when the lesson's buffer crosses a quarter, up or down. */
static void view_quarter(struct view *w, struct opt bytes, struct opt cap, const char *what,
			 struct note *n)
{
	static const char *const level[] = { "empty", "1/4", "half", "3/4", "full" };
	int64_t q;

	if (!bytes.has || !cap.has || cap.v <= 0)
		return;
	q = bytes.v * 4 / cap.v;
	q = q < 0 ? 0 : q > 4 ? 4 : q;
	if (w->quarter >= 0 && q != w->quarter) {
		if (q == 4)
			note_add(n, "%s is full", what);
		else if (q > w->quarter)
			note_add(n, "%s passes %s", what, level[q]);
		else if (q == 3)
			note_add(n, "%s is no longer full", what);
		else
			note_add(n, "%s falls below %s", what, level[q + 1]);
	}
	w->quarter = (int)q;
}

/* The buffers the bars are drawn against, from each side's first socket event: a finished run
 * knows them before its first row, --follow learns them here (they come first in a log). */
static void view_socket(struct view *w, const struct event *e)
{
	if (e->side == SIDE_READER && !w->reader_socket) {
		w->reader_socket = 1;
		if (!w->rcvbuf.has)
			w->rcvbuf = field_opt(e, "rcvbuf_bytes");
	} else if (e->side == SIDE_WRITER && !w->writer_socket) {
		w->writer_socket = 1;
		if (!w->sndbuf.has)
			w->sndbuf = field_opt(e, "sndbuf_bytes");
	}
}

static void view_reader_sample(struct view *w, const struct event *e, const struct table *t,
			       struct note *n)
{
	struct opt q = slot_opt(e, S_RECVQ);

	if (q.has)
		w->recvq = q;
	if (!w->reader_sampled)
		note_add(n, "first look at the %s's socket", t->rd);
	w->reader_sampled = 1;
	if (t->o->lesson == LESSON_WINDOW_ZERO)
		view_quarter(w, w->recvq, w->rcvbuf, "receive buffer", n);
}

static void view_writer_sample(struct view *w, const struct event *e, const struct table *t,
			       struct note *n)
{
	struct opt wnd = slot_opt(e, S_SNDWND), bo = slot_opt(e, S_BACKOFF);
	char a[48];

	if (slot_opt(e, S_SENDQ).has)
		w->sendq = slot_opt(e, S_SENDQ);
	if (slot_opt(e, S_NOTSENT).has)
		w->notsent = slot_opt(e, S_NOTSENT);
	if (!w->writer_sampled)
		note_add(n, "first look at the %s's socket", t->wr);
	w->writer_sampled = 1;
	if (w->wstate == W_UNKNOWN)
		w->wstate = W_SENDING;
	if (wnd.has) {
		if (wnd.v == 0 && (!w->snd_wnd.has || w->snd_wnd.v != 0))
			note_add(n, "the window falls to 0: the %s has no room left, so the "
				 "%s may send no more", t->rd, t->wr);
		else if (wnd.v != 0 && w->snd_wnd.has && w->snd_wnd.v == 0)
			note_add(n, "the window opens again (%s): the %s may send",
				 fmt_size(a, sizeof(a), wnd.v), t->wr);
		w->snd_wnd = wnd;
	}
	if (bo.has) {
		int first = !w->backoff.has || w->backoff.v == 0;

		if (w->backoff.has ? bo.v != w->backoff.v : bo.v > 0) {
			if (bo.v > 0)
				note_add(n, "persist timer backs off: backoff %" PRId64 "%s%s%s",
					 bo.v, first ? " (the " : "", first ? t->wr : "",
					 first ? " probes the closed window, less and less often)"
					       : "");
			else
				note_add(n, "persist timer stops probing: backoff 0");
		}
		w->backoff = bo;
	}
	if (send_buffer_lesson(t->o->lesson))
		view_quarter(w, w->sendq, w->sndbuf, "send buffer", n);
}

static void view_io(struct view *w, const struct event *e, const struct table *t,
		    struct note *n)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	char a[48], b[48];

	if (e->kind == K_WRITE && e->side == SIDE_WRITER) {
		if (dur.has)
			w->last_write_ns = dur;
		w->last_requested = slot_opt(e, IO_REQUESTED);
		if (w->wstate == W_UNKNOWN)
			w->wstate = W_SENDING;
	}
	if (e->kind != K_READ || e->side != SIDE_READER || !w->read_row_due)
		return;
	w->read_row_due = 0;
	if (!bytes.has)
		note_add(n, "%s reads", t->rd);
	else if (!dur.has)
		note_add(n, "%s reads %s", t->rd, fmt_size(a, sizeof(a), bytes.v));
	else
		note_add(n, "%s reads %s (read took %s)", t->rd, fmt_size(a, sizeof(a), bytes.v),
			 fmt_dur(b, sizeof(b), dur.v));
}

/* `returns`: the lesson has write timeouts, so a blocked write() that returns may have given
 * up rather than gone on (the timeout event right after it says which). */
static void view_blocking(struct view *w, const struct event *e, int returns, struct note *n)
{
	struct opt us = slot_opt(e, RESUMED_BLOCKED_US);
	char a[48];

	if (e->side != SIDE_WRITER)
		return;
	if (e->kind == K_WRITE_BLOCKED) {
		w->wstate = W_BLOCKED;
		if (slot_opt(e, BLOCKED_DETECTED_NS).has)
			note_add(n, "write() blocks: no room left in the send buffer");
		else
			note_add(n, "write() cannot go on (EAGAIN): no room left in the send "
				 "buffer");
		return;
	}
	w->wstate = W_UNBLOCKED;
	w->unblocked_us = us;
	if (us.has)
		note_add(n, "write() %s after waiting %s", returns ? "returns" : "goes on",
			 fmt_dur(a, sizeof(a), us.v * 1000));
	else
		note_add(n, "write() %s", returns ? "returns" : "goes on");
}

static void view_plan(struct view *w, const struct event *e, const struct table *t,
		      struct note *n)
{
	struct opt us = slot_opt(e, STALL_FOR_US), step = field_opt(e, "step");
	const char *what = field_str(e, "what");
	const char *verb = e->side == SIDE_READER ? "reading" : "writing";
	char a[48];

	switch (e->kind) {
	case K_STALL_BEGIN:
		if (us.has)
			note_add(n, "%s stops %s for %s", who(t, e->side), verb,
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else
			note_add(n, "%s stops %s", who(t, e->side), verb);
		break;
	case K_STALL_END:
		note_add(n, "%s starts %s again", who(t, e->side), verb);
		break;
	default:
		if (what)
			note_add(n, "%s: %s", who(t, e->side), what);
		else if (step.has)
			note_add(n, "%s: step %" PRId64, who(t, e->side), step.v);
		else
			note_add(n, "%s: next step", who(t, e->side));
		break;
	}
	if (e->side == SIDE_READER && e->kind != K_STALL_BEGIN)
		w->read_row_due = 1;
}

/* A warning or an error of `s` ("reader", "server", "a slow client"). */
void note_problem(struct note *n, const char *s, const struct event *e)
{
	const char *call = field_str(e, "call"), *text, *name;

	if (e->kind == K_WARNING) {
		/* timeline.h says "text"; timeline_errno() writes "errno_text". */
		text = field_str(e, "text");
		if (text == NULL)
			text = field_str(e, "errno_text");
		if (text == NULL)
			text = field_str(e, "errno_name");
		note_add(n, "%s: warning: %s%s%s", s, call ? call : "", call && text ? ": " : "",
			 text ? text : "");
		return;
	}
	text = field_str(e, "errno_text");
	name = field_str(e, "errno_name");
	note_add(n, "%s: %s failed: %s%s%s%s", s, call ? call : "a call",
		 text ? text : name ? name : "unknown error", text && name ? " (" : "",
		 text && name ? name : "", text && name ? ")" : "");
}

/* A timeout of the lessons of a server (timeline.h): which call gave up, after how long, and
 * what it returned. */
void note_timeout(struct note *n, const struct event *e, const struct view *w)
{
	const char *what = field_str(e, "what"), *name = field_str(e, "errno_name");
	struct opt after = field_opt(e, "after_us"), partial = field_opt(e, "partial_bytes");
	char a[64], b[48], c[48];

	if (after.has)
		snprintf(a, sizeof(a), " after %s", fmt_dur(b, sizeof(b), after.v * 1000));
	else
		a[0] = '\0';
	if (str_is(what, "read") && name)
		note_add(n, "read() gave up%s: SO_RCVTIMEO (%s)", a, name);
	else if (str_is(what, "read") && after.has)
		note_add(n, "the event timeout fired: no data for %s", b);
	else if (str_is(what, "read"))
		note_add(n, "the event timeout fired: no data");
	else if (str_is(what, "write") && partial.has && partial.v > 0 && w->last_requested.has)
		note_add(n, "write() gave up%s: returned %s of %s bytes", a,
			 fmt_count(b, sizeof(b), partial.v),
			 fmt_count(c, sizeof(c), w->last_requested.v));
	else if (str_is(what, "write") && partial.has && partial.v > 0)
		note_add(n, "write() gave up%s: returned %s bytes", a,
			 fmt_count(b, sizeof(b), partial.v));
	else if (str_is(what, "write") && partial.has)
		note_add(n, "write() gave up%s%s: %s, nothing written",
			 w->write_timeouts ? " again" : "", a, name ? name : "EAGAIN");
	else if (str_is(what, "write"))
		note_add(n, "the write timer fired: write() still said %s%s",
			 name ? name : "EAGAIN", a);
	else if (str_is(what, "user"))
		note_add(n, "the kernel gave up on the peer: %s%s (TCP_USER_TIMEOUT)",
			 name ? name : "ETIMEDOUT", a);
	else
		note_add(n, "a%s%s timeout fired%s", what ? " " : "", what ? what : "", a);
}

/* eof, close, timeout, warning, error, end. */
static void view_ending(struct view *w, const struct event *e, const struct table *t,
			struct note *n)
{
	const char *s = who(t, e->side), *peer = e->side == SIDE_READER ? t->wr : t->rd;
	const char *text;
	struct opt v;
	char a[48];

	switch (e->kind) {
	case K_EOF:
		note_add(n, "%s: the %s closed its side (read() returned 0)", s, peer);
		break;
	case K_CLOSE:
		text = field_str(e, "reason");
		note_add(n, "%s closes the connection%s%s", s, text ? ": " : "", text ? text : "");
		break;
	case K_TIMEOUT:
		text = field_str(e, "what");
		if (server_lesson(t->o->lesson)) {
			note_timeout(n, e, w);
			if (e->side == SIDE_WRITER &&
			    (str_is(text, "write") || str_is(text, "user"))) {
				w->write_timeouts++;
				w->wstate = W_GAVE_UP;
			}
			break;
		}
		v = field_opt(e, "after_us");
		note_add(n, "%s: %s%s timeout fires%s%s", s, text ? "the " : "a", text ? text : "",
			 v.has ? " after " : "", v.has ? fmt_dur(a, sizeof(a), v.v * 1000) : "");
		break;
	case K_WARNING:
	case K_ERROR:
		note_problem(n, s, e);
		break;
	default:
		if (e->side == SIDE_WIRE) {
			v = field_opt(e, "segments");
			if (v.has)
				note_add(n, "capture finished: %s segments seen",
					 fmt_count(a, sizeof(a), v.v));
			else
				note_add(n, "capture finished");
			break;
		}
		v = field_opt(e, e->side == SIDE_READER ? "bytes_received" : "bytes_sent");
		if (v.has)
			note_add(n, "%s finished: %s bytes %s", s, fmt_count(a, sizeof(a), v.v),
				 e->side == SIDE_READER ? "received" : "sent");
		else
			note_add(n, "%s finished", s);
		if (e->side == SIDE_WRITER)
			w->wstate = W_DONE;
		break;
	}
}

/* "the reader", "the writer", or "one side" when the capture could not tell. */
static const char *wire_who(const struct table *t, enum side from, char *buf, size_t len)
{
	if (from != SIDE_READER && from != SIDE_WRITER)
		return "one side";
	snprintf(buf, len, "the %s", from == SIDE_READER ? t->rd : t->wr);
	return buf;
}

/* A wire segment: the Wire column follows what the reader advertises, and only the segments
 * that tell the lesson get a row (data and acks would bury it). */
static void view_wire(struct view *w, const struct event *e, const struct table *t,
		      struct note *n)
{
	struct opt wnd = slot_opt(e, W_WINDOW), len = slot_opt(e, W_LEN), gap;
	enum side from = wire_from(e);
	char a[48], b[48];

	if (from == SIDE_READER && wnd.has)
		w->wire_window = wnd;
	else if (from == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		opt_set(&w->wire_window, 0);        /* no handshake seen: unscaled, but 0 is 0 */
	switch (wire_track_step(&w->wire, e, &gap)) {
	case WS_CLOSED:
		note_add(n, "on the wire: the %s advertises window 0", t->rd);
		break;
	case WS_PROBE:
		if (gap.has)
			note_add(n, "on the wire: probe %" PRId64 ", %s s after %s", w->wire.probe_no,
				 fmt_fixed(a, sizeof(a), gap.v, NS_PER_S, 2),
				 w->wire.probe_no == 1 ? "the window closed" : "the last");
		else
			note_add(n, "on the wire: probe %" PRId64, w->wire.probe_no);
		break;
	case WS_REOPENED:
		if (wnd.has)
			note_add(n, "on the wire: window update, %s", fmt_size(a, sizeof(a), wnd.v));
		else
			note_add(n, "on the wire: window update");
		break;
	default:
		break;
	}
	if (wire_class(e) == WC_RETRANSMISSION && len.has)
		note_add(n, "on the wire: %s retransmits %s", wire_who(t, from, b, sizeof(b)),
			 fmt_size(a, sizeof(a), len.v));
	else if (wire_class(e) == WC_RETRANSMISSION)
		note_add(n, "on the wire: %s retransmits a segment",
			 wire_who(t, from, b, sizeof(b)));
	else if (wire_class(e) == WC_RST)
		note_add(n, "on the wire: %s resets the connection (RST)",
			 wire_who(t, from, b, sizeof(b)));
}

void view_apply(struct view *w, const struct event *e, const struct table *t, struct note *n)
{
	if (request_lesson(t->o->lesson)) {
		view_request(w, e, t, n);
		return;
	}
	if (t->o->lesson == LESSON_BACKPRESSURE) {
		view_backpressure(w, e, t, n);
		return;
	}
	if (e->side == SIDE_OTHER)
		return;
	if (e->side == SIDE_WIRE) {
		if (e->kind == K_WIRE)
			view_wire(w, e, t, n);
		else if (e->kind == K_WARNING || e->kind == K_ERROR || e->kind == K_END)
			view_ending(w, e, t, n);
		return;
	}
	switch (e->kind) {
	case K_SOCKET:
		view_socket(w, e);
		break;
	case K_SAMPLE:
		if (e->side == SIDE_READER)
			view_reader_sample(w, e, t, n);
		else
			view_writer_sample(w, e, t, n);
		break;
	case K_READ:
	case K_WRITE:
		view_io(w, e, t, n);
		break;
	case K_WRITE_BLOCKED:
	case K_WRITE_RESUMED:
		view_blocking(w, e, t->o->lesson == LESSON_WRITE_TIMEOUT, n);
		break;
	case K_STALL_BEGIN:
	case K_STALL_END:
	case K_STEP:
		view_plan(w, e, t, n);
		break;
	case K_EOF:
	case K_CLOSE:
	case K_TIMEOUT:
	case K_WARNING:
	case K_ERROR:
	case K_END:
		view_ending(w, e, t, n);
		break;
	default:
		break;
	}
}
