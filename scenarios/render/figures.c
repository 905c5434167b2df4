/* figures: every figure of the lesson, computed once from the whole run, for the paragraph and
 * the name=value lines both to print, so they cannot disagree. Here are window_zero's and
 * blocked_write's (buffers, window, write(), the reader's stalls, the totals), the wire's, and
 * compute_figures, which fills them all; figures_server.c has those of the lessons of a server
 * and its clients. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

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

/* 0, or -1 when out of memory; free with figures_free either way. */
int compute_figures(const struct run *run, enum lesson lesson, struct figures *f)
{
	struct opt drain = drain_start(run);

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
	if (figures_wire(run, drain, f) < 0)
		return -1;
	if (request_lesson(lesson))
		figures_request(run, f);
	else if (lesson == LESSON_WRITE_TIMEOUT)
		figures_write_timeout(run, f);
	else if (lesson == LESSON_BACKPRESSURE)
		return figures_backpressure(run, f);
	return 0;
}

void figures_free(struct figures *f)
{
	free(f->probe_gaps);
}
