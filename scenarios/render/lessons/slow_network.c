/* slow_network: the reference document's "Fast app, slow network: send buffer absorbs the
 * difference". A fast_peer floods, across a link of a few Mbit/s (a veth pair between two
 * namespaces, shaped in the data's direction), a slow_reader that reads everything as it comes:
 * the sender's send buffer stays full and write() waits, while the reader's buffer stays near
 * empty and the window open. window_zero's blocked write, with the opposite receive side. */
#include "flow.h"

#include <inttypes.h>
#include <string.h>

struct sn {
	struct flow flow;           /* first: the flow's functions take these facts too */
	struct opt link_rate_bps;
	char topology[16];
	struct progress progress;
	struct opt recvq_max, snd_wnd_min;
	struct opt first_write_start;
};

static void start(void *facts, const struct fold *c)
{
	struct sn *n = facts;
	const struct sn *whole = c->whole;

	flow_start(&n->flow, c, FS_RECEIVE | FS_QUIET_WRITES);
	progress_start(&n->progress, whole ? &whole->flow : NULL);
}

/* The link the scenario built (link.jsonl). */
static void on_link(struct sn *n, const struct event *e, struct note *note)
{
	const char *topo = field_str(e, "topology");
	char a[48];

	n->link_rate_bps = field_opt(e, "rate_bps");
	snprintf(n->topology, sizeof(n->topology), "%s", topo ? topo : "");
	if (n->link_rate_bps.has)
		note_add(note, "the link carries %s bit/s toward the reader%s",
			 fmt_count(a, sizeof(a), n->link_rate_bps.v),
			 topo && strcmp(topo, "loopback") == 0 ? " (the loopback, shaped)" : "");
}

static int event(void *facts, const struct event *e, const struct fold *c)
{
	struct sn *n = facts;
	struct opt v;

	if (e->kind == K_LINK)
		on_link(n, e, c->note);
	if (e->side == SIDE_READER && e->kind == K_READ)
		progress_read(&n->progress, e, c->note);
	if (e->side == SIDE_READER && e->kind == K_SAMPLE) {
		v = slot_opt(e, S_RECVQ);
		if (v.has && (!n->recvq_max.has || v.v > n->recvq_max.v))
			n->recvq_max = v;
	}
	if (e->side == SIDE_WRITER && e->kind == K_SAMPLE) {
		v = slot_opt(e, S_SNDWND);
		if (v.has && (!n->snd_wnd_min.has || v.v < n->snd_wnd_min.v))
			n->snd_wnd_min = v;
	}
	if (e->side == SIDE_WRITER && e->kind == K_WRITE && !n->first_write_start.has) {
		v = slot_opt(e, IO_DUR_NS);
		opt_set(&n->first_write_start, e->t_ns - (v.has ? v.v : 0));
	}
	return flow_event(&n->flow, e, c);
}

/* ---- the views ---- */

static const char *cell_unread_q(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct flow *)facts)->recvq);
}

static const struct coldef columns[] = {
	{ "Send buffer", 18, COL_ALWAYS, cell_send_bar, NULL, 0 },
	{ "Queued / not sent", 21, COL_ALWAYS, cell_queued, NULL, 0 },
	{ "Window", 9, COL_ALWAYS, cell_window, tone_window, 0 },
	{ "Wire", 9, COL_WIRE, cell_wire, tone_wire, 0 },
	{ "Reader unread", 13, COL_ALWAYS, cell_unread_q, NULL, 0 },
	{ "write()", 23, COL_ALWAYS, cell_writer, tone_writer, 0 },
};

/* On a terminal: the send queue full, the window open, the reader's buffer empty. */
static const struct coldef narrow[] = {
	{ "Queued", 9, COL_ALWAYS, cell_sendq, NULL, 1 },
	{ "Window", 9, COL_ALWAYS, cell_window, tone_window, 1 },
	{ "Unread", 9, COL_ALWAYS, cell_unread_q, NULL, 1 },
	{ "write()", 7, COL_ALWAYS, cell_writer_short, tone_writer, 0 },
};

static void title(const struct table *t)
{
	fprintf(t->out, "A fast writer, a slow link: what %s's send buffer held, the window it saw, "
		"what %s's buffer held (s since the connection was established)\n", t->o->sender,
		t->o->receiver);
}

/* The writer's time: from its first write() to its end, in us; 0 when unknown. */
static int64_t writer_us(const struct sn *n)
{
	const struct flow *f = &n->flow;

	if (!n->first_write_start.has || !f->writer_end_ns.has ||
	    f->writer_end_ns.v <= n->first_write_start.v)
		return 0;
	return (f->writer_end_ns.v - n->first_write_start.v) / NS_PER_US;
}

static void figures(struct figs *fs, const void *facts)
{
	const struct sn *n = facts;
	const struct flow *f = &n->flow;
	struct opt thr = progress_bps(&n->progress);
	int64_t wus = writer_us(n);

	fig_put(fs, "sndbuf_requested", U_BYTES, f->sndbuf_requested);
	fig_put(fs, "sndbuf_actual", U_BYTES, f->sndbuf_actual);
	fig_put(fs, "sndbuf_reference", U_DOC_KB, (struct opt){ 1, REFERENCE_BUF_BYTES });
	fig_put(fs, "rcvbuf_actual", U_BYTES, f->rcvbuf_actual);
	fig_put(fs, "link_rate_bps", U_BPS, n->link_rate_bps);
	fig_put(fs, "throughput_bps", U_BPS, thr);
	fig_pct(fs, "throughput_of_link_pct", thr.has && n->link_rate_bps.has, thr.v,
		n->link_rate_bps.v);
	fig_ns(fs, "write_blocked_ms", U_MS, (struct opt){ f->write_blocked_us.has,
							   f->write_blocked_us.v * NS_PER_US });
	fig_pct(fs, "write_blocked_pct", f->write_blocked_us.has && wus > 0,
		f->write_blocked_us.v, wus);
	fig_put(fs, "sendq_max_bytes", U_BYTES, f->sendq_max);
	fig_put(fs, "recvq_max_bytes", U_BYTES, n->recvq_max);
	fig_put(fs, "snd_wnd_min_bytes", U_BYTES, n->snd_wnd_min);
	if (f->window_samples)
		fig_int(fs, "zero_window_seen", f->zero_window_seen);
	fig_put(fs, "bytes_sent", U_COUNT, f->bytes_sent);
	fig_put(fs, "bytes_received", U_COUNT, f->bytes_received);
	fig_put(fs, "bytes_lost", U_COUNT, f->bytes_lost);
	fig_put(fs, "bytes_undelivered", U_COUNT, f->bytes_undelivered);
	fig_put(fs, "pattern_errors", U_COUNT, f->pattern_errors);
	if (f->wire_segments > 0) {
		fig_int(fs, "wire_segments", f->wire_segments);
		fig_int(fs, "wire_zero_window_segments", f->wire_zero_windows);
		fig_int(fs, "wire_retransmissions", f->wire_retransmissions);
	}
}

static void summary(struct story *s, const void *facts)
{
	const struct sn *n = facts;
	const struct flow *f = &n->flow;

	story_buffer(s, f->writer_seen, "writer", "send", "SO_SNDBUF", "sndbuf");
	if (has(s, "link_rate_bps"))
		say(s, " The link toward the reader carried %F; it adds no delay (this kernel has "
		    "no netem), it only limits the rate.", "link_rate_bps");
	else
		say(s, " The logs do not say how fast the link was (no link.jsonl).");
	if (has(s, "throughput_bps")) {
		say(s, " The reader received its data at %F", "throughput_bps");
		if (has(s, "throughput_of_link_pct"))
			say(s, ", %F of the link's rate", "throughput_of_link_pct");
		say(s, ".");
	}
	if (has(s, "write_blocked_pct"))
		say(s, " The sender's send queue stayed full (its peak: %F) and write() waited %F "
		    "in all, %F of the writer's time,", "sendq_max_bytes", "write_blocked_ms",
		    "write_blocked_pct");
	else if (has(s, "sendq_max_bytes"))
		say(s, " The sender's send queue peaked at %F,", "sendq_max_bytes");
	if (has(s, "recvq_max_bytes"))
		say(s, " while the reader's buffer never held more than %F", "recvq_max_bytes");
	if (has(s, "snd_wnd_min_bytes"))
		say(s, " and the window the sender saw never fell below %F", "snd_wnd_min_bytes");
	if (has(s, "recvq_max_bytes") || has(s, "snd_wnd_min_bytes"))
		say(s, ": fast app, slow network; the send buffer absorbs the difference. In "
		    "window_zero the same write() waits for the opposite reason: a full receive "
		    "buffer and a zero window.");
	story_bytes(s);
}

/* --predict: why the reader's buffer stayed nearly empty. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "the reader takes each segment as it arrives, and the link brings them no faster "
	    "than %F", "link_rate_bps");
	if (has(s, "recvq_max_bytes"))
		say(s, ": its buffer never held more than %F", "recvq_max_bytes");
	say(s, ". What waits is on the sender's side");
	if (has(s, "sendq_max_bytes"))
		say(s, ", up to %F in its send queue", "sendq_max_bytes");
	say(s, ": the bottleneck is where the queue is.");
}

const struct lesson lesson_slow_network = {
	.name = "slow_network",
	.help = "a slow link between a fast writer and a fast reader: the send buffer absorbs it",
	.watch = "Watch Queued stay full and write() wait, while the reader's Unread stays near 0 "
		 "and the Window stays open: the link, not the reader, sets the pace. The same "
		 "blocked write as in window_zero, with the opposite receive side.",
	.question = "Over a link of 8 Mbit/s (by default: --rate), the reader reads everything as "
		    "it arrives. How much will its receive buffer hold at most?",
	.answer = "recvq_max_bytes",
	.answer_unit = U_BYTES,
	.why = why,
	.plot_title = "a slow link: the send buffer full, the receive buffer empty, the window open",
	.reader = "reader",
	.writer = "writer",
	.flags = LF_HIDE_SHORT_WAITS | LF_VERDICT,
	.facts_size = sizeof(struct sn),
	.start = start,
	.event = event,
	.finish = flow_finish,
	.release = flow_release,
	.buffers = flow_buffers,
	.sample_row = flow_sample_row,
	.plot = flow_plot,
	.status = flow_status,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.narrow = narrow,
	.nnarrow = sizeof(narrow) / sizeof(narrow[0]),
	.figures = figures,
	.summary = summary,
};
