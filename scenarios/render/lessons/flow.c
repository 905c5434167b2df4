/* flow: see flow.h. One fold of the events, in time order, updates what each side's socket
 * holds now (the table's cells), writes the row's clauses when a table is drawn, and gathers
 * the figures of the whole run and the picture's series: so the table, the figures, the
 * summary and the picture tell one story. */
#include "flow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- small things ---- */

static int moments_add(struct moments *m, int64_t t)
{
	if (grow(&m->t, &m->cap, m->n + 1, sizeof(*m->t)) < 0)
		return -1;
	m->t[m->n++] = t;
	return 0;
}

/* The first moment at or after t, if any. */
static struct opt moments_from(const struct moments *m, int64_t t)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i] >= t)
			return (struct opt){ 1, m->t[i] };
	return (struct opt){ 0, 0 };
}

static const char *who(const struct flow *f, enum side side)
{
	return side == SIDE_READER ? f->lesson->reader : side == SIDE_WIRE ? "capture"
										: f->lesson->writer;
}

static void copy_str(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s ? s : "");
}

/* ---- start and finish ---- */

/* A finished run's table knows its buffers from the start; --follow learns them from the
 * socket events. */
void flow_start(struct flow *f, const struct fold *c, unsigned style)
{
	const struct flow *whole = c->whole;

	f->style = style;
	f->zero_ns = c->zero_ns;
	f->lesson = c->o->lesson;
	f->quarter = -1;
	if (whole) {
		f->rcvbuf = whole->rcvbuf_actual;
		f->sndbuf = whole->sndbuf_actual;
	}
	cast_start(&f->cast, c);
}

/* A stretch of blocked write(), unless it is too short to see (--all draws those too). */
static int plot_block(struct flow *f, const struct fold *c, int64_t from, int64_t to)
{
	if (!c->o->all && to - from < SHORT_WAIT_NS)
		return 0;
	return series_add(&f->plot.blocked, from, to);
}

/* The reader's stall, if one is open, ended at t: by its first read after it, or by its end. */
static void stall_ends(struct flow *f, int64_t t)
{
	if (!f->stall_from.has)
		return;
	f->stall_us_sum += div_round(t - f->stall_from.v, NS_PER_US);
	f->stall_from.has = 0;
}

/* What needs the whole run: a wait still going on at the writer's end, and the drain after the
 * reader's last stall, which the writer went on after and the window update followed. */
int flow_finish(void *facts, const struct fold *c)
{
	struct flow *f = facts;
	int64_t end = f->writer_end_ns.has ? f->writer_end_ns.v : f->writer_last_ns;
	struct opt t;

	if (f->blocked_pending.has) {
		int64_t us = div_round(end - f->blocked_pending.v, NS_PER_US);

		f->still_blocked = 1;
		f->blocked_us_sum += us;
		max_of(&f->longest_blocked_us, NULL, (struct opt){ 1, us }, 0);
	}
	if (f->writer_seen) {
		if (!f->blocked_unknown)
			opt_set(&f->write_blocked_us, f->blocked_us_sum);
	}
	stall_ends(f, f->reader_last_ns);
	if (f->reader_seen) {
		opt_set(&f->stall_us, f->stall_us_sum);
		opt_set(&f->stall_planned, f->stall_planned_us);
	}
	/* A side a signal stopped left bytes on their way: undelivered, not lost. */
	if (f->bytes_sent.has && f->bytes_received.has)
		opt_set(f->signalled ? &f->bytes_undelivered : &f->bytes_lost,
			f->bytes_sent.v - f->bytes_received.v);
	/* The reader checks the sender's bytes; a writer that reads checks what comes back. */
	f->pattern_errors = f->reader_pattern_errors;
	if (f->pattern_errors.has && f->writer_pattern_errors.has)
		f->pattern_errors.v += f->writer_pattern_errors.v;
	if (f->drain_start.has) {
		t = moments_from(&f->resumes, f->drain_start.v);
		if (t.has)
			opt_set(&f->resume_after_read_ns, t.v - f->drain_start.v);
	}
	/* A killed program wrote no end: its samples are still there to count. */
	if (!f->reader.samples.has && f->reader_samples > 0)
		opt_set(&f->reader.samples, f->reader_samples);
	if (!f->writer.samples.has && f->writer_samples > 0)
		opt_set(&f->writer.samples, f->writer_samples);
	if (c->plot && f->plot_blocked.has)
		return plot_block(f, c, f->plot_blocked.v, end);
	return 0;
}

void flow_release(void *facts)
{
	struct flow *f = facts;
	struct flow_plot *p = &f->plot;

	free(f->resumes.t);
	free(f->episodes);
	free(f->gaps);
	free(p->recvq.p);
	free(p->sendq.p);
	free(p->notsent.p);
	free(p->snd_wnd.p);
	free(p->wire.p);
	free(p->reads.p);
	free(p->probes.p);
	free(p->updates.p);
	free(p->blocked.p);
}

/* ---- the events ---- */

/* A row when the lesson's buffer crosses a quarter, up or down (quarter_step: a buffer that
 * hovers at a line makes one row). */
static void quarter_row(struct flow *f, struct opt bytes, struct opt cap, const char *what,
			struct note *n)
{
	static const char *const level[] = { "empty", "1/4", "half", "3/4", "full" };
	static const char *const about[] = { "nearly empty", "about 1/4 full", "about half full",
					     "about 3/4 full" };
	int q;

	if (!bytes.has || !cap.has || cap.v <= 0)
		return;
	q = quarter_step(f->quarter, bytes.v, cap.v);
	if (f->quarter >= 0 && q != f->quarter) {
		if (q == 4)
			note_add(n, "%s is full", what);
		else if (q > f->quarter)
			note_add(n, "%s passes %s", what, level[q]);
		else
			note_add(n, "%s falls to %s", what, about[q]);
	}
	f->quarter = q;
}

/* Each side's first socket event: what it asked for and what the kernel set. */
static void on_socket(struct flow *f, const struct event *e)
{
	if (e->side == SIDE_READER && !f->reader_socket) {
		f->reader_socket = 1;
		f->rcvbuf_requested = field_opt(e, "rcvbuf_requested_bytes");
		f->rcvbuf_actual = field_opt(e, "rcvbuf_bytes");
		if (!f->rcvbuf.has)
			f->rcvbuf = f->rcvbuf_actual;
	} else if (e->side == SIDE_WRITER && !f->writer_socket) {
		f->writer_socket = 1;
		f->sndbuf_requested = field_opt(e, "sndbuf_requested_bytes");
		f->sndbuf_actual = field_opt(e, "sndbuf_bytes");
		copy_str(f->cc, sizeof(f->cc), field_str(e, "cc"));
		copy_str(f->cc_requested, sizeof(f->cc_requested), field_str(e, "cc_requested"));
		if (!f->sndbuf.has)
			f->sndbuf = f->sndbuf_actual;
	}
}

static int on_reader_sample(struct flow *f, const struct event *e, const struct fold *c)
{
	struct opt q = slot_opt(e, S_RECVQ);
	struct note *n = c->note;

	f->reader_samples++;
	if (q.has) {
		f->recvq = q;
		f->reader_recvq = q;
		/* The segment that closed the window may land just after the reader's last sample
		 * before it, and while the window stays 0 nothing leaves the buffer. */
		if (f->zero_window_recvq_due) {
			f->bytes_at_zero_window = q;
			f->zero_window_recvq_due = 0;
		}
	}
	if (!f->reader_sampled)
		note_add(n, "first look at the %s's socket", f->lesson->reader);
	f->reader_sampled = 1;
	if (f->style & FS_RECEIVE)
		quarter_row(f, f->recvq, f->rcvbuf, "receive buffer", n);
	return c->plot ? plot_slot(&f->plot.recvq, e, S_RECVQ) : 0;
}

static int on_writer_sample(struct flow *f, const struct event *e, const struct fold *c)
{
	struct opt wnd = slot_opt(e, S_SNDWND), bo = slot_opt(e, S_BACKOFF);
	struct opt q = slot_opt(e, S_SENDQ);
	const char *rd = f->lesson->reader, *wr = f->lesson->writer;
	struct note *n = c->note;
	char a[48];
	int rc = 0;

	f->writer_samples++;
	if (q.has)
		f->sendq = q;
	if (slot_opt(e, S_NOTSENT).has)
		f->notsent = slot_opt(e, S_NOTSENT);
	if (!f->writer_sampled)
		note_add(n, "first look at the %s's socket", wr);
	f->writer_sampled = 1;
	if (f->wstate == W_UNKNOWN)
		f->wstate = W_SENDING;
	if (wnd.has) {
		f->window_samples = 1;
		if (wnd.v == 0 && !f->zero_window_seen) {
			f->zero_window_seen = 1;
			opt_set(&f->zero_window_at_ns, e->t_ns);
			f->bytes_at_zero_window = f->reader_recvq;
			f->zero_window_recvq_due = 1;
		}
		if (wnd.v == 0 && (!f->snd_wnd.has || f->snd_wnd.v != 0)) {
			note_add(n, "the window falls to 0: the %s has no room left, so the %s may "
				 "send no more", rd, wr);
			note_tone(n, T_WARN);
		} else if (wnd.v != 0 && f->snd_wnd.has && f->snd_wnd.v == 0) {
			note_add(n, "the window opens again (%s): the %s may send",
				 fmt_size(a, sizeof(a), wnd.v), wr);
			note_tone(n, T_GOOD);
		}
		f->snd_wnd = wnd;
	}
	if (bo.has) {
		int first = !f->backoff.has || f->backoff.v == 0;

		if ((f->style & FS_RTO) && (f->backoff.has ? bo.v != f->backoff.v : bo.v > 0)) {
			if (bo.v > 0)
				note_add(n, "retransmission timer backs off: backoff %" PRId64
					 "%s", bo.v, first ? " (no ACK came: the writer sends the "
					 "oldest unacknowledged segment again, less and less often)"
					 : "");
			else
				note_add(n, "an ACK came: the retransmission timer stops backing "
					 "off (backoff 0)");
		} else if (f->backoff.has ? bo.v != f->backoff.v : bo.v > 0) {
			if (bo.v > 0)
				note_add(n, "persist timer backs off: backoff %" PRId64 "%s%s%s",
					 bo.v, first ? " (the " : "", first ? wr : "",
					 first ? " probes the closed window, less and less often)"
					       : "");
			else
				note_add(n, "persist timer stops probing: backoff 0");
		}
		f->backoff = bo;
	}
	max_of(&f->probe_backoffs, NULL, bo, 0);
	max_of(&f->sendq_max, NULL, q, 0);
	/* The queue drained: the first empty sendq after it held data, after the last block. */
	if (q.has && q.v > 0)
		f->sendq_had = 1;
	else if (q.has && f->sendq_had && !f->queue_drained_at_ns.has &&
		 (!f->last_blocked.has || e->t_ns >= f->last_blocked.v))
		opt_set(&f->queue_drained_at_ns, e->t_ns);
	if (f->style & FS_SEND)
		quarter_row(f, f->sendq, f->sndbuf, "send buffer", n);
	if (c->plot) {
		rc = plot_slot(&f->plot.sendq, e, S_SENDQ);
		if (rc == 0)
			rc = plot_slot(&f->plot.notsent, e, S_NOTSENT);
		if (rc == 0)
			rc = plot_slot(&f->plot.snd_wnd, e, S_SNDWND);
	}
	return rc;
}

/* The window update of the last closure left during this read (from start to end), which made
 * the room it offers; else after the read before it, already placed. */
static void read_made_room(struct flow *f, int64_t start, int64_t end, int64_t dur)
{
	struct episode *ep = f->nepisodes ? &f->episodes[f->nepisodes - 1] : NULL;

	if (ep == NULL || !ep->read_due || start > ep->reopened_ns.v)
		return;
	ep->read_due = 0;
	opt_set(&ep->after_read_ns, ep->reopened_ns.v - start);
	opt_set(&ep->read_dur_ns, dur);
	ep->during_read = ep->reopened_ns.v <= end;
}

static int on_read(struct flow *f, const struct event *e, const struct fold *c)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	struct note *n = c->note;
	char a[48], b[48];
	int rc = 0;

	stall_ends(f, e->t_ns - (dur.has ? dur.v : 0));
	/* What is really unread right after the call (SIOCINQ, logged with the read): the last
	 * sample is up to a --sample old, and older than the bytes this read took. */
	if (slot_opt(e, IO_RECVQ_AFTER).has) {
		/* The column, not a row of its own: the buffer's quarters are told from the
		 * samples, where a drain's every read would make a row. */
		f->recvq = slot_opt(e, IO_RECVQ_AFTER);
		if (c->plot && series_add(&f->plot.recvq, e->t_ns, f->recvq.v) < 0)
			return -1;
	}
	if (f->drain_due && dur.has) {
		f->drain_due = 0;
		opt_set(&f->drain_start, e->t_ns - dur.v);
	}
	if (dur.has) {
		read_made_room(f, e->t_ns - dur.v, e->t_ns, dur.v);
		opt_set(&f->last_read_start, e->t_ns - dur.v);
		opt_set(&f->last_read_dur, dur.v);
	}
	if (c->plot && f->plot_read_due) {
		/* Marked where the read began, on the line of what it was about to read. */
		f->plot_read_due = 0;
		rc = series_add(&f->plot.reads, e->t_ns - (dur.has ? dur.v : 0),
				f->reader_recvq.has ? f->reader_recvq.v : 0);
	}
	if (!f->read_row_due)
		return rc;
	f->read_row_due = 0;
	if (!bytes.has)
		note_add(n, "%s reads", f->lesson->reader);
	else if (!dur.has)
		note_add(n, "%s reads %s", f->lesson->reader, fmt_size(a, sizeof(a), bytes.v));
	else
		note_add(n, "%s reads %s (read took %s)", f->lesson->reader,
			 fmt_size(a, sizeof(a), bytes.v), fmt_dur(b, sizeof(b), dur.v));
	return rc;
}

static void on_write(struct flow *f, const struct event *e)
{
	struct opt dur = slot_opt(e, IO_DUR_NS);

	f->in_call = 0;
	/* The queue right after the call (SIOCOUTQ, SIOCOUTQNSD, logged with the write). */
	if (slot_opt(e, IO_SENDQ_AFTER).has)
		f->sendq = slot_opt(e, IO_SENDQ_AFTER);
	if (slot_opt(e, IO_NOTSENT_AFTER).has)
		f->notsent = slot_opt(e, IO_NOTSENT_AFTER);
	if (dur.has)
		f->last_write_ns = dur;
	f->last_requested = slot_opt(e, IO_REQUESTED);
	if (f->wstate == W_UNKNOWN)
		f->wstate = W_SENDING;
	f->write_calls++;
	if (dur.has && dur.v < NS_PER_MS)
		f->writes_immediate++;
	max_of(&f->longest_write_ns, NULL, dur, 0);
}

static int on_blocked(struct flow *f, const struct event *e, const struct fold *c)
{
	/* Quiet after the first wait: the table keeps its rows for what changes. */
	struct note *n = (f->style & FS_QUIET_WRITES) && f->eagain_count > 0 ? NULL : c->note;

	f->wstate = W_BLOCKED;
	f->in_call = slot_opt(e, BLOCKED_DETECTED_NS).has;
	if (f->in_call)
		note_add(n, "write() blocks: no room left in the send buffer");
	else
		note_add(n, "write() cannot go on (EAGAIN): no room left in the send buffer");
	note_tone(n, T_BAD);
	f->eagain_count++;
	opt_set(&f->last_blocked, e->t_ns);
	f->queue_drained_at_ns.has = 0;
	if (!f->blocked_pending.has)
		opt_set(&f->blocked_pending, e->t_ns);
	if (c->plot && !f->plot_blocked.has)
		opt_set(&f->plot_blocked, e->t_ns);
	return 0;
}

/* A blocked write() goes on, or (where the lesson has write timeouts) returns: the timeout
 * event right after it says whether it gave up. */
static int on_resumed(struct flow *f, const struct event *e, const struct fold *c)
{
	struct opt us = slot_opt(e, RESUMED_BLOCKED_US);
	int returns = (f->style & FS_TIMEOUTS) != 0;
	char a[48];
	int rc;

	struct note *n = (f->style & FS_QUIET_WRITES) && f->resumes.n > 0 ? NULL : c->note;

	f->wstate = W_UNBLOCKED;
	f->in_call = 0;
	f->unblocked_us = us;
	if (us.has)
		note_add(n, "write() %s after waiting %s", returns ? "returns" : "goes on",
			 fmt_ms(a, sizeof(a), us.v * NS_PER_US));
	else
		note_add(n, "write() %s", returns ? "returns" : "goes on");
	note_tone(n, T_GOOD);
	/* Without blocked_us, the time since its write_blocked; without both, the sum is
	 * unknown. */
	if (!us.has && f->blocked_pending.has)
		opt_set(&us, div_round(e->t_ns - f->blocked_pending.v, NS_PER_US));
	f->blocked_pending.has = 0;
	if (!us.has) {
		f->blocked_unknown = 1;
	} else {
		f->blocked_us_sum += us.v;
		max_of(&f->longest_blocked_us, NULL, us, 0);
	}
	rc = moments_add(&f->resumes, e->t_ns);
	if (rc == 0 && c->plot && f->plot_blocked.has) {
		rc = plot_block(f, c, f->plot_blocked.v, e->t_ns);
		f->plot_blocked.has = 0;
	}
	return rc;
}

static void on_plan(struct flow *f, const struct event *e, const struct fold *c)
{
	struct opt us = slot_opt(e, STALL_FOR_US), step = field_opt(e, "step");
	const char *what = field_str(e, "what");
	const char *verb = e->side == SIDE_READER ? "reading" : "writing";
	struct note *n = c->note;
	char a[48];

	switch (e->kind) {
	case K_STALL_BEGIN:
		if (us.has)
			note_add(n, "%s stops %s for %s", who(f, e->side), verb,
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else
			note_add(n, "%s stops %s", who(f, e->side), verb);
		if (e->side == SIDE_READER) {
			f->stalls++;
			if (us.has)
				f->stall_planned_us += us.v;
			if (!f->stall_from.has)
				opt_set(&f->stall_from, e->t_ns);
		}
		break;
	case K_STALL_END:
		note_add(n, "%s starts %s again", who(f, e->side), verb);
		if (e->side == SIDE_READER) {
			f->drain_due = 1;
			f->drain_start.has = 0;
			f->plot_read_due = 1;
		}
		break;
	default:
		if (what)
			note_add(n, "%s: %s", who(f, e->side), what);
		else if (step.has)
			note_add(n, "%s: step %" PRId64, who(f, e->side), step.v);
		else
			note_add(n, "%s: next step", who(f, e->side));
		break;
	}
	if (e->side == SIDE_READER && e->kind != K_STALL_BEGIN)
		f->read_row_due = 1;
}

static void side_end_of(const struct event *end, struct side_end *s)
{
	s->cpu_user_us = field_opt(end, "cpu_user_us");
	s->cpu_sys_us = field_opt(end, "cpu_sys_us");
	s->wall_us = field_opt(end, "wall_us");
	s->samples = field_opt(end, "samples");
	s->sample_cpu_us = field_opt(end, "sample_cpu_us");
}

/* A side's first end: its totals. */
static void on_end_totals(struct flow *f, const struct event *e)
{
	if ((e->side == SIDE_READER && !f->reader_ended) ||
	    (e->side == SIDE_WRITER && !f->writer_ended))
		f->signalled |= field_opt(e, "signal").has;
	if (e->side == SIDE_READER && !f->reader_ended) {
		f->reader_ended = 1;
		f->bytes_received = field_opt(e, "bytes_received");
		f->reader_pattern_errors = field_opt(e, "pattern_errors");
		side_end_of(e, &f->reader);
	} else if (e->side == SIDE_WRITER && !f->writer_ended) {
		f->writer_ended = 1;
		f->bytes_sent = field_opt(e, "bytes_sent");
		f->writer_pattern_errors = field_opt(e, "pattern_errors");
		side_end_of(e, &f->writer);
		if (!f->writer_end_ns.has)
			opt_set(&f->writer_end_ns, e->t_ns);
	}
}

/* A side closed its socket, or ended: its stall (if one is open) is over, and it has no
 * buffers left to show. */
static void side_gone(struct flow *f, const struct event *e)
{
	struct opt none = { 0, 0 };

	if (e->side == SIDE_READER) {
		stall_ends(f, e->t_ns);
		f->recvq = none;
	} else if (e->side == SIDE_WRITER) {
		f->sendq = f->notsent = f->snd_wnd = f->backoff = f->last_write_ns = none;
		f->in_call = 0;
		if (f->wstate != W_GAVE_UP)
			f->wstate = W_DONE;
	}
}

/* eof, close, timeout, warning, error, end. */
static void on_ending(struct flow *f, const struct event *e, const struct fold *c)
{
	const char *s = who(f, e->side);
	const char *peer = e->side == SIDE_READER ? f->lesson->writer : f->lesson->reader;
	struct note *n = c->note;
	const char *text;
	struct opt v;
	char a[48];

	switch (e->kind) {
	case K_EOF:
		note_add(n, "%s: the %s closed its side (read() returned 0)", s, peer);
		if (e->side == SIDE_READER) {
			/* read() returns 0 only once nothing is left to read. */
			stall_ends(f, e->t_ns);
			opt_set(&f->recvq, 0);
		}
		break;
	case K_CLOSE:
		text = field_str(e, "reason");
		note_add(n, "%s closes the connection%s%s", s, text ? ": " : "", text ? text : "");
		side_gone(f, e);
		break;
	case K_TIMEOUT:
		text = field_str(e, "what");
		if (f->style & FS_TIMEOUTS) {
			note_timeout(n, e, f->last_requested, f->write_timeouts > 0);
			if (e->side == SIDE_WRITER &&
			    (str_is(text, "write") || str_is(text, "user"))) {
				f->write_timeouts++;
				f->wstate = W_GAVE_UP;
				f->in_call = 0;
			}
			/* SO_SNDTIMEO: the call that gave up lasted this long, data or not. */
			v = field_opt(e, "after_us");
			if (e->side == SIDE_WRITER && str_is(text, "write") &&
			    field_opt(e, "partial_bytes").has && v.has)
				opt_set(&f->last_write_ns, v.v * NS_PER_US);
			break;
		}
		v = field_opt(e, "after_us");
		note_add(n, "%s: %s%s timeout fires%s%s", s, text ? "the " : "a", text ? text : "",
			 v.has ? " after " : "", v.has ? fmt_dur(a, sizeof(a), v.v * 1000) : "");
		note_tone(n, T_BAD);
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
		on_end_totals(f, e);
		side_gone(f, e);
		v = field_opt(e, e->side == SIDE_READER ? "bytes_received" : "bytes_sent");
		if (v.has)
			note_add(n, "%s finished: %s bytes %s", s, fmt_count(a, sizeof(a), v.v),
				 e->side == SIDE_READER ? "received" : "sent");
		else
			note_add(n, "%s finished", s);
		if (e->side == SIDE_WRITER)
			f->wstate = W_DONE;
		break;
	}
}

/* "the reader", "the writer", or "one side" when the capture could not tell. */
static const char *wire_who(const struct flow *f, enum side from, char *buf, size_t len)
{
	if (from != SIDE_READER && from != SIDE_WRITER)
		return "one side";
	snprintf(buf, len, "the %s", from == SIDE_READER ? f->lesson->reader : f->lesson->writer);
	return buf;
}

/* The reader's zero window: a closure, an answer to the last probe, or the same again. */
static int wire_zero_window(struct flow *f, const struct event *e, struct note *n)
{
	const char *rd = f->lesson->reader;
	struct episode *ep;

	if (f->closed) {
		ep = &f->episodes[f->nepisodes - 1];
		if (f->probe_answer_due) {
			f->probe_answer_due = 0;
			ep->answers++;
			note_add(n, "on the wire: the %s answers probe %" PRId64 ": window still 0",
				 rd, ep->probes);
		} else {
			note_add(n, "on the wire: the %s advertises window 0 again", rd);
		}
		return 0;
	}
	if (grow(&f->episodes, &f->capepisodes, f->nepisodes + 1, sizeof(*f->episodes)) < 0)
		return -1;
	ep = &f->episodes[f->nepisodes++];
	memset(ep, 0, sizeof(*ep));
	ep->closed_ns = e->t_ns;
	ep->first_gap = f->ngaps;
	f->closed = 1;
	f->probe_answer_due = 0;
	note_add(n, "on the wire: the %s advertises window 0", rd);
	note_tone(n, T_WARN);
	return 0;
}

/* A probe against the closed window: how long after the last one, or after the closure. */
static int wire_probe(struct flow *f, const struct event *e, struct note *n)
{
	struct episode *ep;
	int64_t gap;

	if (!f->closed) {
		note_add(n, "on the wire: a window probe");
		return 0;
	}
	ep = &f->episodes[f->nepisodes - 1];
	gap = e->t_ns - (ep->last_probe_ns.has ? ep->last_probe_ns.v : ep->closed_ns);
	if (grow(&f->gaps, &f->capgaps, f->ngaps + 1, sizeof(*f->gaps)) < 0)
		return -1;
	f->gaps[f->ngaps++] = gap;
	ep->probes++;
	opt_set(&ep->last_probe_ns, e->t_ns);
	f->probe_answer_due = 1;
	if (ep->probes == 1)
		note_add(n, "on the wire: probe 1, %" PRId64 " ms after the window closed",
			 div_round(gap, NS_PER_MS));
	else
		note_add(n, "on the wire: probe %" PRId64 ", %" PRId64 " ms after probe %" PRId64,
			 ep->probes, div_round(gap, NS_PER_MS), ep->probes - 1);
	return 0;
}

/* The window update that reopens the closure; the read that made room is placed when it is
 * known (read_made_room), else it is the one before. */
static void wire_update(struct flow *f, const struct event *e, struct note *n)
{
	struct opt wnd = slot_opt(e, W_WINDOW);
	struct episode *ep = f->closed ? &f->episodes[f->nepisodes - 1] : NULL;
	char a[48];

	f->wire_reopens++;
	note_tone(n, T_GOOD);
	if (wnd.has)
		note_add(n, "on the wire: window update, %s", fmt_size(a, sizeof(a), wnd.v));
	else
		note_add(n, "on the wire: window update");
	if (ep == NULL)
		return;
	f->closed = 0;
	opt_set(&ep->reopened_ns, e->t_ns);
	ep->reopen_window = wnd;
	ep->read_due = 1;
	if (f->last_read_start.has) {
		opt_set(&ep->after_read_ns, e->t_ns - f->last_read_start.v);
		ep->read_dur_ns = f->last_read_dur;
	}
}

static int wire_plot(struct flow *f, const struct event *e)
{
	struct opt wnd = slot_opt(e, W_WINDOW);
	int rc = 0;

	if (wire_from(e) == SIDE_READER && wnd.has)
		rc = series_add(&f->plot.wire, e->t_ns, wnd.v);
	else if (wire_from(e) == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		rc = series_add(&f->plot.wire, e->t_ns, 0);
	if (rc == 0 && wire_class(e) == WC_PROBE)
		rc = series_add(&f->plot.probes, e->t_ns, 0);      /* against a window of 0 */
	if (rc == 0 && is_wire_from(e, SIDE_READER, WC_UPDATE))
		rc = series_add(&f->plot.updates, e->t_ns, wnd.has ? wnd.v : 0);
	return rc;
}

/* A wire segment: the Wire column follows what the reader advertises, and only the segments
 * that tell the lesson get a row (data and acks would bury it): each zero window the reader
 * sends, each probe, each window update, retransmissions and resets. */
static int on_wire(struct flow *f, const struct event *e, const struct fold *c)
{
	struct opt wnd = slot_opt(e, W_WINDOW), len = slot_opt(e, W_LEN);
	struct opt ws = slot_opt(e, W_WS_UPDATE);
	enum side from = wire_from(e);
	struct note *n = c->note;
	char a[48], b[48];
	int rc = 0;

	f->wire_segments++;
	if (ws.has) {
		f->wire_ws_known = 1;
		f->wire_ws_updates += ws.v != 0;
	}
	if (from == SIDE_READER && wnd.has)
		f->wire_window = wnd;
	else if (from == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		opt_set(&f->wire_window, 0);        /* no handshake seen: unscaled, but 0 is 0 */
	switch (wire_class(e)) {
	case WC_ZERO_WINDOW:
		f->wire_zero_windows++;
		if (from == SIDE_READER)
			rc = wire_zero_window(f, e, n);
		break;
	case WC_PROBE:
		f->wire_probes++;
		rc = wire_probe(f, e, n);
		break;
	case WC_UPDATE:
		if (from == SIDE_READER)
			wire_update(f, e, n);
		break;
	case WC_RETRANSMISSION:
		f->wire_retransmissions++;
		if (f->style & FS_RTO)
			break;
		if (len.has)
			note_add(n, "on the wire: %s retransmits %s", wire_who(f, from, b, sizeof(b)),
				 fmt_size(a, sizeof(a), len.v));
		else
			note_add(n, "on the wire: %s retransmits a segment",
				 wire_who(f, from, b, sizeof(b)));
		break;
	case WC_RST:
		note_add(n, "on the wire: %s resets the connection (RST)",
			 wire_who(f, from, b, sizeof(b)));
		break;
	default:
		break;
	}
	if (rc == 0 && c->plot)
		rc = wire_plot(f, e);
	return rc;
}

/* A side's lines in the picture break where its samples stopped (line_gap). */
static void line_gaps(struct flow *f, const struct event *e)
{
	int64_t gap = line_gap(e);

	if (e->side == SIDE_READER) {
		f->plot.recvq.max_gap_ns = gap;
	} else {
		f->plot.sendq.max_gap_ns = gap;
		f->plot.notsent.max_gap_ns = gap;
		f->plot.snd_wnd.max_gap_ns = gap;
	}
}

int flow_event(void *facts, const struct event *e, const struct fold *c)
{
	struct flow *f = facts;

	/* "UNBLOCKED after" belongs to the row of the write_resumed only. */
	if (f->wstate == W_UNBLOCKED)
		f->wstate = W_SENDING;
	cast_event(&f->cast, e);
	f->now_ns = event_when(e, f->lesson);
	if (e->side == SIDE_OTHER)
		return 0;
	if (e->side == SIDE_WIRE) {
		if (e->kind == K_WIRE)
			return on_wire(f, e, c);
		if (e->kind == K_WARNING || e->kind == K_ERROR || e->kind == K_END)
			on_ending(f, e, c);
		return 0;
	}
	if (e->side == SIDE_READER) {
		f->reader_seen = 1;
		f->reader_last_ns = e->t_ns;
	} else {
		f->writer_seen = 1;
		f->writer_last_ns = e->t_ns;
	}
	switch (e->kind) {
	case K_START:
		line_gaps(f, e);
		return 0;
	case K_SOCKET:
		on_socket(f, e);
		return 0;
	case K_SAMPLE:
		return e->side == SIDE_READER ? on_reader_sample(f, e, c)
					      : on_writer_sample(f, e, c);
	case K_READ:
		return e->side == SIDE_READER ? on_read(f, e, c) : 0;
	case K_WRITE:
		if (e->side == SIDE_WRITER)
			on_write(f, e);
		return 0;
	case K_WRITE_BLOCKED:
		return e->side == SIDE_WRITER ? on_blocked(f, e, c) : 0;
	case K_WRITE_RESUMED:
		return e->side == SIDE_WRITER ? on_resumed(f, e, c) : 0;
	case K_STALL_BEGIN:
	case K_STALL_END:
	case K_STEP:
		on_plan(f, e, c);
		return 0;
	case K_EOF:
	case K_CLOSE:
	case K_TIMEOUT:
	case K_WARNING:
	case K_ERROR:
	case K_END:
		on_ending(f, e, c);
		return 0;
	default:
		return 0;
	}
}

/* A sample that --all gives a row of its own: of either side. */
int flow_sample_row(const struct event *e)
{
	return e->kind == K_SAMPLE && (e->side == SIDE_READER || e->side == SIDE_WRITER);
}

/* ---- the cells ---- */

const char *cell_recv_bar(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	return fmt_bar(buf, len, f->recvq, f->rcvbuf);
}

const char *cell_unread(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	return fmt_pair(buf, len, f->recvq, f->rcvbuf);
}

const char *cell_window(char *buf, size_t len, const void *facts)
{
	return fmt_window(buf, len, ((const struct flow *)facts)->snd_wnd);
}

const char *cell_wire(char *buf, size_t len, const void *facts)
{
	return fmt_window(buf, len, ((const struct flow *)facts)->wire_window);
}

const char *cell_writer(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;
	char a[48];
	int wz = (f->style & FS_RECEIVE) != 0;

	switch (f->wstate) {
	case W_SENDING:
		snprintf(buf, len, "%s", wz ? "Sending" : "returns immediately");
		break;
	case W_BLOCKED:
		snprintf(buf, len, "%s", wz ? "BLOCKED" : "BLOCKS");
		break;
	case W_UNBLOCKED:
		if (f->unblocked_us.has)
			snprintf(buf, len, "UNBLOCKED after %s",
				 fmt_ms(a, sizeof(a), f->unblocked_us.v * NS_PER_US));
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

/* The narrow table's: one word. */
const char *cell_writer_short(char *buf, size_t len, const void *facts)
{
	static const char *const word[] = {
		[W_SENDING] = "sending", [W_BLOCKED] = "BLOCKED", [W_UNBLOCKED] = "resumed",
		[W_GAVE_UP] = "GAVE UP", [W_DONE] = "done",
	};
	const struct flow *f = facts;
	size_t w = (size_t)f->wstate;

	snprintf(buf, len, "%s", w < sizeof(word) / sizeof(word[0]) && word[w] ? word[w] : "-");
	return buf;
}

/* The blocked writer red, the writer going on again green. */
enum tone tone_writer(const void *facts)
{
	const struct flow *f = facts;

	return f->wstate == W_BLOCKED || f->wstate == W_GAVE_UP ? T_BAD
	       : f->wstate == W_UNBLOCKED ? T_GOOD : T_NONE;
}

/* The zero window yellow. */
enum tone tone_window(const void *facts)
{
	const struct flow *f = facts;

	return f->snd_wnd.has && f->snd_wnd.v == 0 ? T_WARN : T_NONE;
}

enum tone tone_wire(const void *facts)
{
	const struct flow *f = facts;

	return f->wire_window.has && f->wire_window.v == 0 ? T_WARN : T_NONE;
}

const char *cell_recv_bar_short(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	return fmt_bar_n(buf, len, f->recvq, f->rcvbuf, NARROW_BAR_CELLS);
}

const char *cell_send_bar_short(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	return fmt_bar_n(buf, len, f->sendq, f->sndbuf, NARROW_BAR_CELLS);
}

const char *cell_recvq(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct flow *)facts)->recvq);
}

const char *cell_sendq(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct flow *)facts)->sendq);
}

const char *cell_send_bar(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	return fmt_bar(buf, len, f->sendq, f->sndbuf);
}

/* The send queue and its unsent part: "160.0 KiB / 81.7 KiB", "12 KiB / -", or "-". */
const char *cell_queued(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	if (!f->sendq.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	fmt_pair(buf, len, f->sendq, f->notsent);
	if (!f->notsent.has)
		snprintf(buf + strlen(buf), len - strlen(buf), " / -");
	return buf;
}

const char *cell_network(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	if (!f->snd_wnd.has)
		snprintf(buf, len, "-");
	else if (f->snd_wnd.v > 0)
		snprintf(buf, len, "sending");
	else if (f->backoff.has && f->backoff.v > 0)
		snprintf(buf, len, "probing (backoff %" PRId64 ")", f->backoff.v);
	else
		snprintf(buf, len, "window 0");
	return buf;
}

const char *cell_last_write(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;
	char a[48];

	/* A blocking call still in progress: how long it has taken so far. */
	if (f->in_call && f->blocked_pending.has) {
		snprintf(buf, len, "≥%s", fmt_dur(a, sizeof(a), f->now_ns - f->blocked_pending.v));
		return buf;
	}
	if (!f->last_write_ns.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_dur(buf, len, f->last_write_ns.v);
}

/* The status line: the reader's unread bytes or the sender's queue, the window, the persist
 * timer, and the writer. */
void flow_status(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;
	char a[48], w[48], d[48];
	int recv = (f->style & FS_RECEIVE) != 0;

	snprintf(buf, len, "%s %s, window %s, backoff %" PRId64 ", write() %s%s%s",
		 recv ? "unread" : "send queue",
		 fmt_size_or_dash(a, sizeof(a), recv ? f->recvq : f->sendq),
		 fmt_window(w, sizeof(w), f->wire_window.has ? f->wire_window : f->snd_wnd),
		 f->backoff.has ? f->backoff.v : 0,
		 f->wstate == W_BLOCKED ? "blocked" : f->wstate == W_GAVE_UP ? "gave up"
		 : f->wstate == W_DONE ? "done" : "returns",
		 f->wstate == W_BLOCKED && f->blocked_pending.has ? " for " : "",
		 f->wstate == W_BLOCKED && f->blocked_pending.has
		 ? fmt_dur(d, sizeof(d), f->now_ns - f->blocked_pending.v) : "");
}

/* ---- the buffer sizes block ---- */

/* Each side's buffer, as --receiver and --sender name them, or as the lesson names its sides. */
int flow_buffers(FILE *out, const struct options *o, const void *facts)
{
	const struct flow *f = facts;
	char rlabel[96], slabel[96];
	struct buffer_line rcv = { rlabel, f->reader_socket, f->rcvbuf_requested,
				   f->rcvbuf_actual };
	struct buffer_line snd = { slabel, f->writer_socket, f->sndbuf_requested,
				   f->sndbuf_actual };

	snprintf(rlabel, sizeof(rlabel), "receive buffer (%s)",
		 o->lesson->parties ? o->lesson->reader : o->receiver);
	snprintf(slabel, sizeof(slabel), "send buffer (%s)",
		 o->lesson->parties ? o->lesson->writer : o->sender);
	print_buffer_block(out, o, &rcv, &snd, f->cc[0] ? f->cc : NULL,
			   f->cc_requested[0] ? f->cc_requested : NULL);
	return 1;
}

/* ---- the figures ---- */

static void figures_side(struct figs *fs, const char *side, const struct side_end *s)
{
	char name[48];

	snprintf(name, sizeof(name), "%s_cpu_user_us", side);
	fig_put(fs, name, U_US, s->cpu_user_us);
	snprintf(name, sizeof(name), "%s_cpu_sys_us", side);
	fig_put(fs, name, U_US, s->cpu_sys_us);
	snprintf(name, sizeof(name), "%s_wall_ms", side);
	fig_ns(fs, name, U_MS, (struct opt){ s->wall_us.has, s->wall_us.v * NS_PER_US });
	snprintf(name, sizeof(name), "%s_cpu_pct", side);
	fig_pct(fs, name, s->cpu_user_us.has && s->cpu_sys_us.has && s->wall_us.has,
		s->cpu_user_us.v + s->cpu_sys_us.v, s->wall_us.v);
	snprintf(name, sizeof(name), "%s_samples", side);
	fig_put(fs, name, U_COUNT, s->samples);
	snprintf(name, sizeof(name), "%s_sample_cpu_us", side);
	fig_put(fs, name, U_US, s->sample_cpu_us);
	snprintf(name, sizeof(name), "%s_sample_cpu_pct", side);
	fig_pct(fs, name, s->sample_cpu_us.has && s->wall_us.has, s->sample_cpu_us.v,
		s->wall_us.v);
}

static struct opt since_zero(const struct flow *f, struct opt t)
{
	if (t.has)
		t.v -= f->zero_ns;
	return t;
}

/* The probes' waits, each closure's apart by ';' and the first of each since it closed:
 * "216,440,868;224,460". */
static void probe_list(const struct flow *f, struct text *list)
{
	for (size_t k = 0; k < f->nepisodes; k++) {
		const struct episode *ep = &f->episodes[k];

		if (ep->probes == 0)
			continue;
		for (int64_t i = 0; i < ep->probes; i++)
			text_add(list, "%s%" PRId64, i > 0 ? "," : list->len ? ";" : "",
				 div_round(f->gaps[ep->first_gap + (size_t)i], NS_PER_MS));
	}
}

/* The capture's figures: none at all without wire events. */
static void figures_wire(struct figs *fs, const struct flow *f)
{
	const struct episode *first = f->nepisodes ? &f->episodes[0] : NULL;
	struct text list = { NULL, 0, 0, 0 };
	int64_t answers = 0;

	if (f->wire_segments == 0)
		return;
	for (size_t k = 0; k < f->nepisodes; k++)
		answers += f->episodes[k].answers;
	fig_int(fs, "wire_segments", f->wire_segments);
	fig_int(fs, "wire_zero_window_segments", f->wire_zero_windows);
	fig_int(fs, "wire_window_closures", (int64_t)f->nepisodes);
	fig_int(fs, "wire_probes", f->wire_probes);
	fig_int(fs, "wire_probes_answered", answers);
	fig_int(fs, "wire_window_reopens", f->wire_reopens);
	if (f->wire_ws_known)
		fig_int(fs, "wire_window_updates", f->wire_ws_updates);
	fig_int(fs, "wire_retransmissions", f->wire_retransmissions);
	if (first == NULL)
		return;
	fig_ns(fs, "wire_first_zero_window_ms", U_MOMENT,
	       (struct opt){ 1, first->closed_ns - f->zero_ns });
	fig_int(fs, "wire_first_probes", first->probes);
	fig_int(fs, "wire_first_probes_answered", first->answers);
	probe_list(f, &list);
	if (list.s && !list.oom)
		fig_text(fs, "probe_intervals_ms", U_LIST_MS, list.s);
	free(list.s);
	fig_ns(fs, "wire_window_update_after_read_us", U_US, first->after_read_ns);
	fig_put(fs, "wire_first_update_bytes", U_BYTES, first->reopen_window);
	if (first->after_read_ns.has) {
		fig_int(fs, "wire_first_update_during_read", first->during_read);
		fig_ns(fs, "wire_first_update_read_us", U_US, first->read_dur_ns);
	}
	fig_ns(fs, "wire_zero_window_vs_snd_wnd_ms", U_MS1, (struct opt){
		f->zero_window_at_ns.has, first->closed_ns - f->zero_window_at_ns.v });
}

void flow_figures(struct figs *fs, const void *facts)
{
	const struct flow *f = facts;
	struct opt ref = { 1, REFERENCE_BUF_BYTES };

	fig_put(fs, "rcvbuf_requested", U_BYTES, f->rcvbuf_requested);
	fig_put(fs, "rcvbuf_actual", U_BYTES, f->rcvbuf_actual);
	fig_put(fs, "rcvbuf_reference", U_DOC_KB, ref);
	fig_put(fs, "sndbuf_requested", U_BYTES, f->sndbuf_requested);
	fig_put(fs, "sndbuf_actual", U_BYTES, f->sndbuf_actual);
	fig_put(fs, "sndbuf_reference", U_DOC_KB, ref);
	if (f->cc[0])
		fig_text(fs, "cc", U_TEXT, f->cc);
	fig_int(fs, "zero_window_seen", f->zero_window_seen);
	fig_ns(fs, "zero_window_at_ms", U_MOMENT, since_zero(f, f->zero_window_at_ns));
	fig_put(fs, "bytes_at_zero_window", U_BYTES, f->bytes_at_zero_window);
	fig_ns(fs, "write_blocked_ms", U_MS, (struct opt){ f->write_blocked_us.has,
							  f->write_blocked_us.v * NS_PER_US });
	fig_ns(fs, "resume_after_read_us", U_US, f->resume_after_read_ns);
	fig_put(fs, "probe_backoffs", U_COUNT, f->probe_backoffs);
	fig_ns(fs, "stall_ms", U_MS, (struct opt){ f->stall_us.has, f->stall_us.v * NS_PER_US });
	fig_ns(fs, "stall_planned_ms", U_MS, (struct opt){ f->stall_planned.has,
							  f->stall_planned.v * NS_PER_US });
	fig_put(fs, "bytes_sent", U_COUNT, f->bytes_sent);
	fig_put(fs, "bytes_received", U_COUNT, f->bytes_received);
	fig_put(fs, "bytes_lost", U_COUNT, f->bytes_lost);
	fig_put(fs, "bytes_undelivered", U_COUNT, f->bytes_undelivered);
	fig_put(fs, "pattern_errors", U_COUNT, f->pattern_errors);
	if (f->writer_seen) {
		fig_int(fs, "write_calls", f->write_calls);
		fig_int(fs, "writes_immediate", f->writes_immediate);
	}
	fig_ns(fs, "longest_write_ms", U_MS1, f->longest_write_ns);
	if (f->writer_seen)
		fig_int(fs, "write_blocked_count", f->eagain_count);
	figures_side(fs, "reader", &f->reader);
	figures_side(fs, "writer", &f->writer);
	/* Beyond the lesson's list: what the blocked_write paragraph tells. */
	fig_ns(fs, "longest_blocked_ms", U_MS, (struct opt){ f->longest_blocked_us.has,
							    f->longest_blocked_us.v * NS_PER_US });
	fig_put(fs, "sendq_max_bytes", U_BYTES, f->sendq_max);
	fig_ns(fs, "queue_drained_at_ms", U_MOMENT, since_zero(f, f->queue_drained_at_ns));
	figures_wire(fs, f);
}

/* ---- the summary's pieces ---- */


/* Who is missing from the logs, when --receiver or --sender named nobody there. */
void story_sides(struct story *s, const struct flow *f)
{
	if (!f->reader_seen)
		say(s, "No event in these logs is from %s (see --receiver). ", s->o->receiver);
	if (!f->writer_seen)
		say(s, "No event in these logs is from %s (see --sender). ", s->o->sender);
}

void story_stall(struct story *s, const struct flow *f, const char *subject)
{
	if (!has(s, "stall_ms"))
		return;
	if (f->stalls == 0)
		say(s, " %s never stopped reading.", subject);
	else
		say(s, " %s stopped reading for %F%s.", subject, "stall_ms",
		    f->stalls > 1 ? " in all" : "");
}

void story_bytes(struct story *s)
{
	if (!has(s, "bytes_undelivered")) {
		story_totals(s, "bytes_sent", "bytes_received", "bytes_lost", "pattern_errors");
		return;
	}
	say(s, " A signal stopped the run: %F bytes sent, %F received and checked, %F "
	    "undelivered, %F pattern %s.", "bytes_sent", "bytes_received", "bytes_undelivered",
	    "pattern_errors", plural(val(s, "pattern_errors"), "error", "errors"));
}

void story_zero_window(struct story *s, const struct flow *f)
{
	if (f->zero_window_seen) {
		say(s, " At %F the window the sender saw fell to zero", "zero_window_at_ms");
		if (has(s, "bytes_at_zero_window"))
			say(s, " with %F unread in the receiver's buffer", "bytes_at_zero_window");
		say(s, ".");
	} else if (f->window_samples) {
		say(s, " The window never fell to zero.");
	} else if (f->writer_seen) {
		say(s, " The sender's log has no window samples, so whether the window fell to zero "
		    "is not known.");
	}
}

/* True when each probe of the first closure came about twice as long after the one before as
 * that one did after its own (the first after the closure): the persist timer's backoff. */
static int probes_double(const struct flow *f)
{
	const struct episode *ep = &f->episodes[0];
	const int64_t *g = f->gaps + ep->first_gap;

	for (int64_t i = 1; i < ep->probes; i++)
		if (2 * g[i] < 3 * g[i - 1] || 2 * g[i] > 5 * g[i - 1])
			return 0;
	return ep->probes > 1;
}

/* What the capture saw, when there was one: the first closure of the reader's window, its
 * probes and their answers, and the update that reopened it. */
void story_wire(struct story *s, const struct flow *f)
{
	const struct episode *first = f->nepisodes ? &f->episodes[0] : NULL;

	if (f->wire_segments == 0)
		return;
	if (first == NULL) {
		say(s, " On the wire the reader never advertised a zero window.");
	} else {
		if (f->nepisodes > 1)
			say(s, " On the wire the reader's window closed %T, first at %F",
			    "wire_window_closures", "wire_first_zero_window_ms");
		else
			say(s, " On the wire the reader's window closed at %F",
			    "wire_first_zero_window_ms");
		if (first->probes == 0)
			say(s, "; the sender never probed it");
		else if (first->probes == 1)
			say(s, "; the sender probed it once, %F after it closed",
			    "probe_intervals_ms");
		else
			say(s, "; the sender probed it %T, %F apart (the first after it closed%s)",
			    "wire_first_probes", "probe_intervals_ms",
			    probes_double(f) ? ": the persist timer doubling" : "");
		if (first->probes > 0)
			say(s, ", and the reader answered %F of them with its zero window",
			    "wire_first_probes_answered");
		say(s, " (%F zero-window segments in all).", "wire_zero_window_segments");
		if (!first->reopened_ns.has)
			say(s, " No window update reopened it.");
		else if (first->during_read && has(s, "wire_first_update_bytes"))
			say(s, " The update that reopened it left %F after a read began, during that "
			    "read (which took %F), so it offered only %F.",
			    "wire_window_update_after_read_us", "wire_first_update_read_us",
			    "wire_first_update_bytes");
		else if (has(s, "wire_window_update_after_read_us"))
			say(s, " The update that reopened it left %F after the reader's last read "
			    "began.", "wire_window_update_after_read_us");
	}
	if (f->wire_retransmissions > 0)
		say(s, " %F %s retransmitted.", "wire_retransmissions",
		    plural(f->wire_retransmissions, "segment was", "segments were"));
}

/* ---- the picture ---- */

/* The script: gnuplot FILE writes FILE's name with .svg for .gp. */
int flow_plot(FILE *out, void *facts, const struct options *o, const char *svg,
	      int64_t zero_ns)
{
	struct flow *f = facts;
	struct flow_plot *pl = &f->plot;
	int first = 1;


	struct { const char *name; struct series *s; int line; } blocks[] = {
		{ "$recvq", &pl->recvq, 1 }, { "$sendq", &pl->sendq, 1 },
		{ "$notsent", &pl->notsent, 1 }, { "$sndwnd", &pl->snd_wnd, 1 },
		{ "$wire", &pl->wire, 1 }, { "$reads", &pl->reads, 0 },
		{ "$probes", &pl->probes, 0 }, { "$updates", &pl->updates, 0 },
	};
	struct gp_extent ext = { 0, 0 };

	gp_head(out, o, svg, "KiB");
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		gp_block(out, blocks[i].name, blocks[i].s, blocks[i].line, zero_ns, &ext);
	gp_shades(out, &pl->blocked, zero_ns);
	gp_ranges(out, &ext, 1024);
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
	return 0;
}

/* ---- the reader's progress (the lessons of a link) ---- */

#define PROGRESS_STEPS 10
#define PROGRESS_LIVE_STEP (1024 * 1024)

void progress_start(struct progress *p, const struct flow *whole)
{
	memset(p, 0, sizeof(*p));
	p->step = PROGRESS_LIVE_STEP;
	if (whole && whole->bytes_sent.has && whole->bytes_sent.v >= PROGRESS_STEPS)
		p->step = whole->bytes_sent.v / PROGRESS_STEPS;
	p->next = p->step;
}

/* bytes in ns as bit/s, rounded; absent past 2^52 bit/s (4.5 Pbit/s), which no link of this lab
 * carries and whose thousandfold (a percentage's) still fits. */
static struct opt bits_per_s(int64_t bytes, int64_t ns)
{
	long double v;

	if (ns <= 0 || bytes < 0)
		return (struct opt){ 0, 0 };
	v = (long double)bytes * 8 * NS_PER_S / ns;
	if (v >= (long double)((int64_t)1 << 52))
		return (struct opt){ 0, 0 };
	return (struct opt){ 1, (int64_t)(v + 0.5L) };
}

int progress_read(struct progress *p, const struct event *e, struct note *n)
{
	struct opt rate;
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	char a[48], b[48];

	if (!bytes.has || bytes.v < 0)
		return 0;
	if (!p->first_read_start.has)
		opt_set(&p->first_read_start, e->t_ns - (dur.has ? dur.v : 0));
	opt_set(&p->last_read_end, e->t_ns);
	p->bytes = bytes.v > INT64_MAX - p->bytes ? INT64_MAX : p->bytes + bytes.v;
	if (p->bytes < p->next)
		return 0;
	while (p->next <= p->bytes)
		p->next += p->step;
	rate = bits_per_s(p->bytes, e->t_ns - p->first_read_start.v);
	if (!rate.has)
		return 0;
	note_add(n, "the reader has %s, at %s bit/s on average so far",
		 fmt_size(a, sizeof(a), p->bytes), fmt_count(b, sizeof(b), rate.v));
	return 1;
}

struct opt progress_bps(const struct progress *p)
{
	if (!p->first_read_start.has)
		return (struct opt){ 0, 0 };
	return bits_per_s(p->bytes, p->last_read_end.v - p->first_read_start.v);
}
