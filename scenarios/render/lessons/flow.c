/* flow: the parts of the lessons of one sender and one receiver (window_zero, blocked_write,
 * write_timeout): the figures of the buffers, the window, write() and the wire, computed once
 * from the whole run; the view of the moment that each event updates, with its row's clauses;
 * the cells; the paragraph's pieces; the figures as name=value; the picture. */
#include "lessons.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- the figures ---- */

static const struct event *first_of(const struct run *run, enum side side, enum kind kind)
{
	for (size_t i = 0; i < run->n; i++)
		if (run->ev[i].side == side && run->ev[i].kind == kind)
			return &run->ev[i];
	return NULL;
}

static void figures_buffers(const struct run *run, struct figures *f)
{
	const struct event *r = first_of(run, SIDE_READER, K_SOCKET);
	const struct event *w = first_of(run, SIDE_WRITER, K_SOCKET);

	f->reader_socket = r != NULL;
	f->writer_socket = w != NULL;
	if (r) {
		f->rcvbuf_requested = field_opt(r, "rcvbuf_requested_bytes");
		f->rcvbuf_actual = field_opt(r, "rcvbuf_bytes");
	}
	if (w) {
		f->sndbuf_requested = field_opt(w, "sndbuf_requested_bytes");
		f->sndbuf_actual = field_opt(w, "sndbuf_bytes");
		f->cc = field_str(w, "cc");
		f->cc_requested = field_str(w, "cc_requested");
	}
}

/* The window the writer saw, the persist timer, and what sat in the reader's buffer. */
static void figures_window(const struct run *run, struct figures *f)
{
	int64_t zw_t = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt wnd = slot_opt(e, S_SNDWND), bo = slot_opt(e, S_BACKOFF);
		struct opt q = slot_opt(e, S_SENDQ);

		if (e->side != SIDE_WRITER || e->kind != K_SAMPLE)
			continue;
		if (wnd.has) {
			f->window_samples = 1;
			if (wnd.v == 0 && !f->zero_window_seen) {
				f->zero_window_seen = 1;
				zw_t = e->t_ns;
				opt_set(&f->zero_window_at_ns, e->t_ns - run->zero_ns);
			}
		}
		max_of(&f->probe_backoffs, NULL, bo, 0);
		max_of(&f->sendq_max, NULL, q, 0);
	}
	if (!f->zero_window_seen)
		return;
	/* The reader's first sample at or after that moment: the segment that closed the window
	 * may land just after the reader's last sample before it, and while the window stays 0
	 * nothing leaves the buffer. Failing that, its latest sample before. */
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt q = slot_opt(e, S_RECVQ);

		if (e->side != SIDE_READER || e->kind != K_SAMPLE || !q.has)
			continue;
		f->bytes_at_zero_window = q;
		if (e->t_ns >= zw_t)
			break;
	}
}

/* write() calls, and how long write() could not go on. */
static void figures_writes(const struct run *run, struct figures *f)
{
	struct opt pending = { 0, 0 }, end = { 0, 0 }, last_blocked = { 0, 0 };
	int64_t last_t = 0, blocked_us = 0, calls = 0, immediate = 0, eagain = 0;
	int unknown = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS), us = slot_opt(e, RESUMED_BLOCKED_US);

		if (e->side != SIDE_WRITER)
			continue;
		last_t = e->t_ns;
		switch (e->kind) {
		case K_END:
			if (!end.has)
				opt_set(&end, e->t_ns);
			break;
		case K_WRITE:
			calls++;
			if (dur.has && dur.v < NS_PER_MS)
				immediate++;
			max_of(&f->longest_write_ns, NULL, dur, 0);
			break;
		case K_WRITE_BLOCKED:
			eagain++;
			opt_set(&last_blocked, e->t_ns);
			if (!pending.has)
				opt_set(&pending, e->t_ns);
			break;
		case K_WRITE_RESUMED:
			/* Without blocked_us, the time since its write_blocked; without both, the
			 * sum is unknown. */
			if (!us.has && pending.has)
				opt_set(&us, div_round(e->t_ns - pending.v, NS_PER_US));
			pending.has = 0;
			if (!us.has) {
				unknown = 1;
				break;
			}
			blocked_us += us.v;
			max_of(&f->longest_blocked_us, NULL, us, 0);
			break;
		default:
			break;
		}
	}
	if (pending.has) {
		int64_t us = div_round((end.has ? end.v : last_t) - pending.v, NS_PER_US);

		f->still_blocked = 1;
		blocked_us += us;
		max_of(&f->longest_blocked_us, NULL, (struct opt){ 1, us }, 0);
	}
	if (!f->writer_seen)
		return;
	if (!unknown)
		opt_set(&f->write_blocked_us, blocked_us);
	opt_set(&f->write_calls, calls);
	opt_set(&f->writes_immediate, immediate);
	opt_set(&f->eagain_count, eagain);

	/* The queue drained: the first empty sendq after it held data, and after the last block. */
	for (size_t i = 0, had = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt q = slot_opt(e, S_SENDQ);

		if (e->side != SIDE_WRITER || e->kind != K_SAMPLE || !q.has)
			continue;
		if (q.v > 0) {
			had = 1;
		} else if (had && (!last_blocked.has || e->t_ns >= last_blocked.v)) {
			opt_set(&f->queue_drained_at_ns, e->t_ns - run->zero_ns);
			break;
		}
	}
}

/* When the reader began to drain: the start (t_ns - dur_ns) of its first read after its last
 * stall_end. */
static struct opt drain_start(const struct run *run)
{
	struct opt start = { 0, 0 };
	size_t i, stall_end = run->n;

	for (i = 0; i < run->n; i++)
		if (run->ev[i].side == SIDE_READER && run->ev[i].kind == K_STALL_END)
			stall_end = i;
	for (i = stall_end; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS);

		if (e->side == SIDE_READER && e->kind == K_READ && dur.has) {
			opt_set(&start, e->t_ns - dur.v);
			break;
		}
	}
	return start;
}

/* From the reader beginning to drain to the writer going on. */
static void figures_resume(const struct run *run, struct opt start, struct figures *f)
{
	if (!start.has)
		return;
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];

		if (e->side == SIDE_WRITER && e->kind == K_WRITE_RESUMED && e->t_ns >= start.v) {
			opt_set(&f->resume_after_read_ns, e->t_ns - start.v);
			return;
		}
	}
}

static int probe_gap_add(struct figures *f, int64_t ns, int after_close)
{
	if (grow(&f->probe_gaps, &f->probe_gaps_cap, f->nprobe_gaps + 1,
		 sizeof(*f->probe_gaps)) < 0)
		return -1;
	f->probe_gaps[f->nprobe_gaps].ns = ns;
	f->probe_gaps[f->nprobe_gaps].after_close = after_close;
	f->nprobe_gaps++;
	return 0;
}

/* What the capture saw: the segments by class, when the reader's window closed and reopened on
 * the wire, and how far apart the sender's probes went. */
static int figures_wire(const struct run *run, struct opt drain, struct figures *f)
{
	struct wire_track tr;

	memset(&tr, 0, sizeof(tr));
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt gap;

		if (e->kind != K_WIRE)
			continue;
		f->wire_segments++;
		f->wire_zero_windows += wire_class(e) == WC_ZERO_WINDOW;
		f->wire_probes += wire_class(e) == WC_PROBE;
		f->wire_updates += wire_class(e) == WC_UPDATE;
		f->wire_retransmissions += wire_class(e) == WC_RETRANSMISSION;
		if (is_wire_from(e, SIDE_READER, WC_ZERO_WINDOW)) {
			f->wire_reader_zero_windows++;
			if (!f->wire_first_zero_window_at_ns.has)
				opt_set(&f->wire_first_zero_window_at_ns, e->t_ns - run->zero_ns);
		}
		if (is_wire_from(e, SIDE_READER, WC_UPDATE)) {
			if (!f->wire_update_at_ns.has)
				opt_set(&f->wire_update_at_ns, e->t_ns - run->zero_ns);
			if (drain.has && e->t_ns >= drain.v && !f->wire_update_after_read_ns.has)
				opt_set(&f->wire_update_after_read_ns, e->t_ns - drain.v);
		}
		if (wire_track_step(&tr, e, &gap) == WS_PROBE && gap.has &&
		    probe_gap_add(f, gap.v, tr.probe_no == 1) < 0)
			return -1;
	}
	return 0;
}

static void side_end_of(const struct event *end, int64_t samples_seen, struct side_end *s)
{
	if (end) {
		s->cpu_user_us = field_opt(end, "cpu_user_us");
		s->cpu_sys_us = field_opt(end, "cpu_sys_us");
		s->wall_us = field_opt(end, "wall_us");
		s->samples = field_opt(end, "samples");
		s->sample_cpu_us = field_opt(end, "sample_cpu_us");
	}
	/* A program that was killed wrote no end: its samples are still there to count. */
	if (!s->samples.has && samples_seen > 0)
		opt_set(&s->samples, samples_seen);
}

/* The reader's stalls, both sides' totals, and the samples each side took. */
static void figures_totals(const struct run *run, struct figures *f)
{
	const struct event *rend = first_of(run, SIDE_READER, K_END);
	const struct event *wend = first_of(run, SIDE_WRITER, K_END);
	int64_t stall_us = 0, rsamples = 0, wsamples = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt us = slot_opt(e, STALL_FOR_US);

		if (e->kind == K_SAMPLE && e->side == SIDE_READER)
			rsamples++;
		if (e->kind == K_SAMPLE && e->side == SIDE_WRITER)
			wsamples++;
		if (e->kind == K_STALL_BEGIN && e->side == SIDE_READER) {
			f->stalls++;
			if (us.has)
				stall_us += us.v;
		}
	}
	if (f->reader_seen)
		opt_set(&f->stall_us, stall_us);
	if (rend) {
		f->bytes_received = field_opt(rend, "bytes_received");
		f->pattern_errors = field_opt(rend, "pattern_errors");
	}
	if (wend) {
		struct opt pe = field_opt(wend, "pattern_errors");

		f->bytes_sent = field_opt(wend, "bytes_sent");
		if (f->pattern_errors.has && pe.has)
			f->pattern_errors.v += pe.v;
	}
	if (f->bytes_sent.has && f->bytes_received.has)
		opt_set(&f->bytes_lost, f->bytes_sent.v - f->bytes_received.v);
	side_end_of(rend, rsamples, &f->reader);
	side_end_of(wend, wsamples, &f->writer);
}

/* 0, or -1 when out of memory; free with flow_facts_free either way. */
int flow_facts(const struct run *run, const struct options *o, void *facts)
{
	struct figures *f = facts;
	struct opt drain = drain_start(run);

	(void)o;
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < run->n; i++) {
		if (run->ev[i].side == SIDE_READER)
			f->reader_seen = 1;
		if (run->ev[i].side == SIDE_WRITER)
			f->writer_seen = 1;
		if (run->ev[i].party == P_SERVER)
			f->server_seen = 1;
		else if (run->ev[i].party != P_NONE)
			f->client_seen = 1;
		if (run->ev[i].kind == K_END && run->ev[i].party == P_SERVER)
			f->server_ends++;
		else if (run->ev[i].kind == K_END && run->ev[i].party != P_NONE)
			f->client_ends++;
	}
	for (size_t l = 0; l < run->nlogs; l++)
		f->client_logs += run->logs[l].party != P_NONE && run->logs[l].party != P_SERVER;
	figures_buffers(run, f);
	figures_window(run, f);
	figures_writes(run, f);
	figures_resume(run, drain, f);
	figures_totals(run, f);
	return figures_wire(run, drain, f);
}

void flow_facts_free(void *facts)
{
	struct figures *f = facts;

	free(f->probe_gaps);
}

/* ---- the view of the moment, and its row's clauses ---- */

/* What the table knows before its first row: a finished run knows its buffers from the start;
 * --follow (f NULL) learns them from the socket events. */
void flow_view_init(struct view *w, const struct figures *f, unsigned style)
{
	w->style = style;
	w->quarter = -1;
	w->rss_q = -1;
	w->app_q = -1;
	if (f == NULL)
		return;
	w->rcvbuf = f->rcvbuf_actual;
	w->sndbuf = f->sndbuf_actual;
	w->srv_rcvbuf = f->rq.rcvbuf_actual;
	w->srv_sndbuf = f->rq.sndbuf_actual;
	if (f->server_seen)                 /* nothing read, nothing written yet */
		opt_set(&w->read, 0);
	if (f->client_seen)
		opt_set(&w->wrote, 0);
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
	if (w->style & FS_RECEIVE)
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
	if (w->style & FS_SEND)
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
		if (w->style & FS_TIMEOUTS) {
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

void flow_row(void *view, const struct event *e, const struct table *t, struct note *n)
{
	struct view *w = view;

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
		view_blocking(w, e, (w->style & FS_TIMEOUTS) != 0, n);
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

/* "UNBLOCKED after" belongs to the row of the write_resumed only. */
void flow_row_done(void *view)
{
	struct view *w = view;

	if (w->wstate == W_UNBLOCKED)
		w->wstate = W_SENDING;
}

/* A sample that --all gives a row of its own: of either side. */
int flow_sample_row(const struct event *e)
{
	return e->kind == K_SAMPLE && (e->side == SIDE_READER || e->side == SIDE_WRITER);
}

/* ---- the cells ---- */

/* The send queue and its unsent part: "160.0 KiB / 81.7 KiB", "12 KiB / -", or "-". */
static const char *fmt_queued(char *buf, size_t len, const struct view *w)
{
	if (!w->sendq.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	fmt_pair(buf, len, w->sendq, w->notsent);
	if (!w->notsent.has)
		snprintf(buf + strlen(buf), len - strlen(buf), " / -");
	return buf;
}

static const char *fmt_writer_state(char *buf, size_t len, const struct view *w)
{
	int wz = (w->style & FS_RECEIVE) != 0;

	switch (w->wstate) {
	case W_SENDING:
		snprintf(buf, len, "%s", wz ? "Sending" : "returns immediately");
		break;
	case W_BLOCKED:
		snprintf(buf, len, "%s", wz ? "BLOCKED" : "BLOCKS");
		break;
	case W_UNBLOCKED:
		if (w->unblocked_us.has)
			snprintf(buf, len, "UNBLOCKED after %" PRId64 " ms",
				 div_round(w->unblocked_us.v, 1000));
		else
			snprintf(buf, len, "UNBLOCKED");
		break;
	case W_GAVE_UP:
		snprintf(buf, len, "GAVE UP");
		break;
	case W_DONE:
		snprintf(buf, len, "done");
		break;
	default:
		snprintf(buf, len, "-");
		break;
	}
	return buf;
}

static const char *fmt_network(char *buf, size_t len, const struct view *w)
{
	if (!w->snd_wnd.has)
		snprintf(buf, len, "-");
	else if (w->snd_wnd.v > 0)
		snprintf(buf, len, "sending");
	else if (w->backoff.has && w->backoff.v > 0)
		snprintf(buf, len, "probing (backoff %" PRId64 ")", w->backoff.v);
	else
		snprintf(buf, len, "window 0");
	return buf;
}

const char *cell_recv_bar(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	return fmt_bar(buf, len, w->recvq, w->rcvbuf);
}

const char *cell_unread(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	return fmt_pair(buf, len, w->recvq, w->rcvbuf);
}

const char *cell_window(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_window(buf, len, ((const struct view *)view)->snd_wnd);
}

const char *cell_wire(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_window(buf, len, ((const struct view *)view)->wire_window);
}

const char *cell_writer(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_writer_state(buf, len, view);
}

const char *cell_send_bar(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	return fmt_bar(buf, len, w->sendq, w->sndbuf);
}

const char *cell_queued(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_queued(buf, len, view);
}

const char *cell_network(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_network(buf, len, view);
}

const char *cell_last_write(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	if (!w->last_write_ns.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_dur(buf, len, w->last_write_ns.v);
}

/* ---- the buffer sizes block ---- */

/* Each side's buffer, as --receiver and --sender name them, or as client and server. */
int flow_buffers(FILE *out, const struct options *o, const void *facts)
{
	const struct figures *f = facts;
	char rlabel[96], slabel[96];
	struct buffer_line rcv = { rlabel, f->reader_socket, f->rcvbuf_requested,
				   f->rcvbuf_actual };
	struct buffer_line snd = { slabel, f->writer_socket, f->sndbuf_requested,
				   f->sndbuf_actual };

	if (o->lesson->parties) {
		snprintf(rlabel, sizeof(rlabel), "receive buffer (%s)", o->lesson->reader);
		snprintf(slabel, sizeof(slabel), "send buffer (%s)", o->lesson->writer);
	} else {
		snprintf(rlabel, sizeof(rlabel), "receive buffer (%s)", o->receiver);
		snprintf(slabel, sizeof(slabel), "send buffer (%s)", o->sender);
	}
	print_buffer_block(out, &rcv, &snd, f->cc, f->cc_requested);
	return 1;
}

/* ---- the paragraph's pieces ---- */

/* Who is missing from the logs, when --receiver or --sender named nobody there. */
void story_sides(struct text *t, const struct options *o, const struct figures *f)
{
	if (!f->reader_seen)
		text_add(t, "No event in these logs is from %s (see --receiver). ", o->receiver);
	if (!f->writer_seen)
		text_add(t, "No event in these logs is from %s (see --sender). ", o->sender);
}

void story_stall(struct text *t, const struct figures *f, const char *subject)
{
	char a[48];

	if (!f->stall_us.has)
		return;
	if (f->stalls == 0)
		text_add(t, " %s never stopped reading.", subject);
	else
		text_add(t, " %s stopped reading for %s%s.", subject,
			 fmt_dur(a, sizeof(a), f->stall_us.v * 1000),
			 f->stalls > 1 ? " in all" : "");
}

void story_bytes(struct text *t, const struct figures *f)
{
	story_totals(t, f->bytes_sent, f->bytes_received, f->bytes_lost, f->pattern_errors);
}

void story_zero_window(struct text *t, const struct figures *f, const char *tail)
{
	char a[48], b[48];

	if (f->zero_window_seen) {
		text_add(t, " At %s s the window the sender saw fell to 0",
			 fmt_secs(a, sizeof(a), f->zero_window_at_ns.v));
		if (f->bytes_at_zero_window.has)
			text_add(t, " with %s unread in the receiver's buffer",
				 fmt_size(b, sizeof(b), f->bytes_at_zero_window.v));
		text_add(t, "%s.", tail);
	} else if (f->window_samples) {
		text_add(t, " The window never fell to 0.");
	} else if (f->writer_seen) {
		text_add(t, " The sender's log has no window samples, so whether the window fell "
			 "to 0 is not known.");
	}
}

/* "211, 423 and 862": the time before each probe, in ms. */
static void text_probe_gaps(struct text *t, const struct figures *f)
{
	for (size_t i = 0; i < f->nprobe_gaps; i++)
		text_add(t, "%s%" PRId64, i == 0 ? "" : i + 1 == f->nprobe_gaps ? " and " : ", ",
			 div_round(f->probe_gaps[i].ns, NS_PER_MS));
}

/* True when each probe of a stretch came about twice as long after the one before as that one
 * did after its own: the persist timer's exponential backoff. */
static int probe_gaps_double(const struct figures *f)
{
	int pairs = 0;

	for (size_t i = 1; i < f->nprobe_gaps; i++) {
		int64_t a = f->probe_gaps[i - 1].ns, b = f->probe_gaps[i].ns;

		if (f->probe_gaps[i].after_close)
			continue;
		if (2 * b < 3 * a || 2 * b > 5 * a)
			return 0;
		pairs++;
	}
	return pairs > 0;
}

/* One sentence on what the capture saw, when there was one. */
void story_wire(struct text *t, const struct figures *f)
{
	char a[48], b[48];
	int closed = f->wire_reader_zero_windows > 0;

	if (f->wire_segments == 0)
		return;
	if (closed)
		text_add(t, " On the wire the reader advertised a zero window %s",
			 fmt_times(a, sizeof(a), f->wire_reader_zero_windows));
	else
		text_add(t, " On the wire the reader never advertised a zero window");
	if (f->wire_probes > 0) {
		text_add(t, "; the sender probed %s %s", closed ? "it" : "the window",
			 fmt_times(a, sizeof(a), f->wire_probes));
		if (f->nprobe_gaps == 1 && f->probe_gaps[0].after_close) {
			text_add(t, ", %" PRId64 " ms after the window closed",
				 div_round(f->probe_gaps[0].ns, NS_PER_MS));
		} else if (f->nprobe_gaps > 0) {
			text_add(t, ", at %s of ", f->nprobe_gaps == 1 ? "an interval" : "intervals");
			text_probe_gaps(t, f);
			text_add(t, " ms%s", probe_gaps_double(f) ? " (the persist timer doubling)" : "");
		}
	} else if (closed) {
		text_add(t, "; the sender never probed it");
	}
	if (f->wire_update_after_read_ns.has)
		text_add(t, ", and the window update went out %s after the reader began to drain",
			 fmt_dur(a, sizeof(a), f->wire_update_after_read_ns.v));
	else if (f->wire_update_at_ns.has)
		text_add(t, ", and the window update went out at %s s",
			 fmt_secs(a, sizeof(a), f->wire_update_at_ns.v));
	else if (closed)
		text_add(t, ", and no window update went out");
	text_add(t, ".");
	if (f->wire_retransmissions > 0)
		text_add(t, " %s %s retransmitted.",
			 fmt_count(b, sizeof(b), f->wire_retransmissions),
			 plural(f->wire_retransmissions, "segment was", "segments were"));
}

/* ---- the figures as name=value ---- */

static void fig_side(const struct figout *fo, const char *side, const struct side_end *s)
{
	char name[48];

	snprintf(name, sizeof(name), "%s_cpu_user_us", side);
	fig(fo, name, s->cpu_user_us);
	snprintf(name, sizeof(name), "%s_cpu_sys_us", side);
	fig(fo, name, s->cpu_sys_us);
	snprintf(name, sizeof(name), "%s_wall_ms", side);
	fig_div(fo, name, s->wall_us, 1000);
	snprintf(name, sizeof(name), "%s_cpu_pct", side);
	fig_dec1(fo, name, s->cpu_user_us.has && s->cpu_sys_us.has && s->wall_us.has,
		 (s->cpu_user_us.v + s->cpu_sys_us.v) * 100, s->wall_us.v);
	snprintf(name, sizeof(name), "%s_samples", side);
	fig(fo, name, s->samples);
	snprintf(name, sizeof(name), "%s_sample_cpu_us", side);
	fig(fo, name, s->sample_cpu_us);
	snprintf(name, sizeof(name), "%s_sample_cpu_pct", side);
	fig_dec1(fo, name, s->sample_cpu_us.has && s->wall_us.has, s->sample_cpu_us.v * 100,
		 s->wall_us.v);
}

/* The capture's figures: none at all without wire events. */
static void print_wire_figures(const struct figout *fo, const struct figures *f)
{
	int first = 1;

	if (f->wire_segments == 0)
		return;
	fig_int(fo, "wire_segments", f->wire_segments);
	fig_int(fo, "wire_zero_window_segments", f->wire_zero_windows);
	fig_int(fo, "wire_probes", f->wire_probes);
	fig_int(fo, "wire_window_updates", f->wire_updates);
	fig_int(fo, "wire_retransmissions", f->wire_retransmissions);
	fig_div(fo, "wire_first_zero_window_ms", f->wire_first_zero_window_at_ns, NS_PER_MS);
	fig_div(fo, "wire_window_update_after_read_us", f->wire_update_after_read_ns, NS_PER_US);
	/* Between consecutive probes only: the first probe's wait since the window closed is
	 * the persist timer's first timeout, not an interval between probes. */
	for (size_t i = 0; i < f->nprobe_gaps; i++) {
		if (f->probe_gaps[i].after_close)
			continue;
		if (first)
			fprintf(fo->out, "%sprobe_intervals_ms=", fo->prefix);
		else
			putc(',', fo->out);
		fprintf(fo->out, "%" PRId64, div_round(f->probe_gaps[i].ns, NS_PER_MS));
		first = 0;
	}
	if (!first)
		putc('\n', fo->out);
	fig_dec1(fo, "wire_zero_window_vs_snd_wnd_ms",
		 f->wire_first_zero_window_at_ns.has && f->zero_window_at_ns.has,
		 f->wire_first_zero_window_at_ns.v - f->zero_window_at_ns.v, NS_PER_MS);
}

void print_flow_figures(const struct figout *fo, const void *facts)
{
	const struct figures *f = facts;
	struct opt ref = { 1, REFERENCE_BUF_BYTES };

	fig(fo, "rcvbuf_requested", f->rcvbuf_requested);
	fig(fo, "rcvbuf_actual", f->rcvbuf_actual);
	fig(fo, "rcvbuf_reference", ref);
	fig(fo, "sndbuf_requested", f->sndbuf_requested);
	fig(fo, "sndbuf_actual", f->sndbuf_actual);
	fig(fo, "sndbuf_reference", ref);
	if (f->cc)
		fprintf(fo->out, "%scc=%s\n", fo->prefix, f->cc);
	fig_int(fo, "zero_window_seen", f->zero_window_seen);
	fig_div(fo, "zero_window_at_ms", f->zero_window_at_ns, NS_PER_MS);
	fig(fo, "bytes_at_zero_window", f->bytes_at_zero_window);
	fig_div(fo, "write_blocked_ms", f->write_blocked_us, 1000);
	fig_div(fo, "resume_after_read_us", f->resume_after_read_ns, NS_PER_US);
	fig(fo, "probe_backoffs", f->probe_backoffs);
	fig_div(fo, "stall_ms", f->stall_us, 1000);
	fig(fo, "bytes_sent", f->bytes_sent);
	fig(fo, "bytes_received", f->bytes_received);
	fig(fo, "bytes_lost", f->bytes_lost);
	fig(fo, "pattern_errors", f->pattern_errors);
	fig(fo, "write_calls", f->write_calls);
	fig(fo, "writes_immediate", f->writes_immediate);
	fig_dec1(fo, "longest_write_ms", f->longest_write_ns.has, f->longest_write_ns.v,
		 NS_PER_MS);
	fig(fo, "write_blocked_count", f->eagain_count);
	fig_side(fo, "reader", &f->reader);
	fig_side(fo, "writer", &f->writer);
	/* Beyond the lesson's list: what the blocked_write paragraph tells. */
	fig_div(fo, "longest_blocked_ms", f->longest_blocked_us, 1000);
	fig(fo, "sendq_max_bytes", f->sendq_max);
	fig_div(fo, "queue_drained_at_ms", f->queue_drained_at_ns, NS_PER_MS);
	print_wire_figures(fo, f);
}

/* ---- the picture ---- */

/* What the picture draws. */
struct plot {
	struct series recvq, sendq, notsent, snd_wnd, wire;     /* lines, in bytes */
	struct series reads, probes, updates;                   /* marks */
	struct series blocked;      /* write() could not go on: t_ns from, v to */
};

static void plot_free(struct plot *pl)
{
	free(pl->recvq.p);
	free(pl->sendq.p);
	free(pl->notsent.p);
	free(pl->snd_wnd.p);
	free(pl->wire.p);
	free(pl->reads.p);
	free(pl->probes.p);
	free(pl->updates.p);
	free(pl->blocked.p);
}

/* A stretch of blocked write(), unless it is too short to see (--all draws those too). */
static int plot_block(struct plot *pl, const struct options *o, int64_t from, int64_t to)
{
	if (!o->all && to - from < SHORT_WAIT_NS)
		return 0;
	return series_add(&pl->blocked, from, to);
}

static int plot_wire(struct plot *pl, const struct event *e)
{
	struct opt wnd = slot_opt(e, W_WINDOW);
	int rc = 0;

	if (wire_from(e) == SIDE_READER && wnd.has)
		rc = series_add(&pl->wire, e->t_ns, wnd.v);
	else if (wire_from(e) == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		rc = series_add(&pl->wire, e->t_ns, 0);
	if (rc == 0 && wire_class(e) == WC_PROBE)
		rc = series_add(&pl->probes, e->t_ns, 0);      /* against a window of 0 */
	if (rc == 0 && is_wire_from(e, SIDE_READER, WC_UPDATE))
		rc = series_add(&pl->updates, e->t_ns, wnd.has ? wnd.v : 0);
	return rc;
}

/* What the picture draws, from the merged events. The writer's blocked stretches are paired
 * as figures_writes pairs them: from the first write_blocked to the next write_resumed, or to
 * the writer's end. 0, or -1 when out of memory. */
static int plot_collect(const struct run *run, const struct options *o, struct plot *pl)
{
	struct opt recvq = { 0, 0 }, pending = { 0, 0 }, end = { 0, 0 };
	int64_t last_writer_t = 0;
	int read_due = 0, rc = 0;

	for (size_t i = 0; i < run->n && rc == 0; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS);

		if (e->kind == K_WIRE && e->side == SIDE_WIRE)
			rc = plot_wire(pl, e);
		if (e->side == SIDE_READER && e->kind == K_SAMPLE) {
			if (slot_opt(e, S_RECVQ).has)
				recvq = slot_opt(e, S_RECVQ);
			rc = plot_slot(&pl->recvq, e, S_RECVQ);
		} else if (e->side == SIDE_READER && e->kind == K_STALL_END) {
			read_due = 1;
		} else if (e->side == SIDE_READER && e->kind == K_READ && read_due) {
			/* Marked where the read began, on the line of what it was about to read. */
			read_due = 0;
			rc = series_add(&pl->reads, e->t_ns - (dur.has ? dur.v : 0),
					recvq.has ? recvq.v : 0);
		}
		if (e->side != SIDE_WRITER || rc != 0)
			continue;
		last_writer_t = e->t_ns;
		if (e->kind == K_SAMPLE) {
			rc = plot_slot(&pl->sendq, e, S_SENDQ);
			if (rc == 0)
				rc = plot_slot(&pl->notsent, e, S_NOTSENT);
			if (rc == 0)
				rc = plot_slot(&pl->snd_wnd, e, S_SNDWND);
		} else if (e->kind == K_WRITE_BLOCKED && !pending.has) {
			opt_set(&pending, e->t_ns);
		} else if (e->kind == K_WRITE_RESUMED && pending.has) {
			rc = plot_block(pl, o, pending.v, e->t_ns);
			pending.has = 0;
		} else if (e->kind == K_END && !end.has) {
			opt_set(&end, e->t_ns);
		}
	}
	if (rc == 0 && pending.has)
		rc = plot_block(pl, o, pending.v, end.has ? end.v : last_writer_t);
	return rc;
}

/* The script: gnuplot FILE writes FILE's name with .svg for .gp. */
static void write_plot(FILE *out, struct plot *pl, const struct options *o, const char *svg,
		       int64_t zero_ns)
{
	int first = 1;

	gp_head(out, o, svg, "KiB");
	gp_block(out, "$recvq", &pl->recvq, 1, zero_ns);
	gp_block(out, "$sendq", &pl->sendq, 1, zero_ns);
	gp_block(out, "$notsent", &pl->notsent, 1, zero_ns);
	gp_block(out, "$sndwnd", &pl->snd_wnd, 1, zero_ns);
	gp_block(out, "$wire", &pl->wire, 1, zero_ns);
	gp_block(out, "$reads", &pl->reads, 0, zero_ns);
	gp_block(out, "$probes", &pl->probes, 0, zero_ns);
	gp_block(out, "$updates", &pl->updates, 0, zero_ns);
	gp_shades(out, &pl->blocked, zero_ns);
	gp_plot(out, &first, "$recvq", &pl->recvq, "lines lw 2 lc rgb '#1f77b4'",
		"", o->receiver, ": unread bytes (recvq)");
	gp_plot(out, &first, "$sendq", &pl->sendq, "lines lw 2 lc rgb '#d62728'",
		"", o->sender, ": queued, not yet acknowledged (sendq)");
	gp_plot(out, &first, "$notsent", &pl->notsent, "lines lw 1.5 dt 2 lc rgb '#ff7f0e'",
		"", o->sender, ": not yet sent (notsent)");
	/* Wider than the wire's line drawn over it: where the two agree, both show. */
	gp_plot(out, &first, "$sndwnd", &pl->snd_wnd, "lines lw 4 lc rgb '#2ca02c'",
		"window ", o->sender, " sees (snd_wnd)");
	gp_plot(out, &first, "$wire", &pl->wire, "steps lw 1.5 lc rgb '#9467bd'",
		"window ", o->receiver, " advertised on the wire");
	gp_plot(out, &first, "$reads", &pl->reads, "points pt 7 ps 1.5 lc rgb '#000000'",
		"", o->receiver, " reads again after its stall");
	gp_plot(out, &first, "$probes", &pl->probes, "points pt 9 ps 1.5 lc rgb '#8c564b'",
		"window probe on the wire", "", "");
	gp_plot(out, &first, "$updates", &pl->updates, "points pt 5 ps 1.5 lc rgb '#e377c2'",
		"window update on the wire", "", "");
	if (first) {
		/* Nothing to draw: an empty frame still says so, where gnuplot would stop. */
		fputs("set xrange [0:1]\nset yrange [0:1]\nplot NaN notitle", out);
		first = 0;
	}
	gp_shade_key(out, &pl->blocked, "write() blocked");
	putc('\n', out);
}

/* The picture of one sender and one receiver. 0, or -1 when out of memory. */
int flow_plot(FILE *out, const struct run *run, const struct options *o, const char *svg)
{
	struct plot pl;
	int rc;

	memset(&pl, 0, sizeof(pl));
	rc = plot_collect(run, o, &pl);
	if (rc == 0)
		write_plot(out, &pl, o, svg, run->zero_ns);
	plot_free(&pl);
	return rc;
}
