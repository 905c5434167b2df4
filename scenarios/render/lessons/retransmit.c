/* retransmit: the reference document's "send buffer keeps data until ACKed, so lost packets can
 * be retransmitted". A fast_peer sends across a shaped link to a slow_reader that reads at once;
 * in one run the link drops every data segment for a while (an outage), in another it drops a
 * share of them at random. The send queue keeps what was sent and not acknowledged; with no ACK
 * coming the retransmission timer sends the oldest segment again, twice as late each time; once
 * the link heals, everything arrives, every byte checked. */
#include "flow.h"

#include <inttypes.h>
#include <string.h>

/* The wire's retransmissions during an outage whose gaps are kept. */
#define MAX_OUTAGE_RETRANS 32

struct rt {
	struct flow flow;           /* first: the flow's functions take these facts too */
	struct progress progress;
	struct opt link_rate_bps, loss_pct;
	char drop[16];              /* what the outage dropped: "data" or "acks" */
	struct opt down_at, up_at;  /* the first outage (absolute) */
	int down;                   /* the link is down now */
	struct opt sendq_at_down, sendq_held, unacked_held, rto_max_us, backoff_max;
	/* The retransmission timer's: the segment the outage left at the head of the queue, sent
	 * again and again until an ACK came (backoff back to 0), and the gaps between. */
	struct opt head_seq;
	int timer_done;
	int64_t outage_retrans;
	int64_t gaps_ms[MAX_OUTAGE_RETRANS];
	size_t ngaps;
	struct opt last_retrans_ns;
	struct opt recovered_at;    /* the reader's first read after the link came back */
	struct opt total_retrans;   /* TCP_INFO's, the sender's last sample */
	struct opt link_dropped;    /* the packets the link's rules dropped (nft's counters) */
};

static void start(void *facts, const struct fold *c)
{
	struct rt *r = facts;
	const struct rt *whole = c->whole;

	flow_start(&r->flow, c, FS_RECEIVE | FS_QUIET_WRITES | FS_RTO);
	progress_start(&r->progress, whole ? &whole->flow : NULL);
}

/* What the link's rule dropped, as its link_up (an outage) or end (random loss) says. */
static void add_dropped(struct rt *r, const struct event *e)
{
	struct opt d = field_opt(e, "dropped");

	if (d.has)
		opt_set(&r->link_dropped, (r->link_dropped.has ? r->link_dropped.v : 0) + d.v);
}

/* The link the scenario built, and its outage (link.jsonl). */
static void on_link(struct rt *r, const struct event *e, struct note *n)
{
	const struct flow *f = &r->flow;
	const char *drop = field_str(e, "drop");
	char a[48], b[48];

	switch (e->kind) {
	case K_LINK:
		r->link_rate_bps = field_opt(e, "rate_bps");
		r->loss_pct = field_opt(e, "loss_pct");
		if (r->link_rate_bps.has)
			note_add(n, "the link carries %s bit/s toward the reader",
				 fmt_count(a, sizeof(a), r->link_rate_bps.v));
		if (r->loss_pct.has)
			note_add(n, "it drops %" PRId64 "%% of the data segments at random",
				 r->loss_pct.v);
		break;
	case K_LINK_DOWN:
		r->down = 1;
		if (r->down_at.has)
			break;
		opt_set(&r->down_at, e->t_ns);
		snprintf(r->drop, sizeof(r->drop), "%s", drop ? drop : "data");
		r->sendq_at_down = f->sendq;
		note_add(n, "the link goes down: it drops every %s", strcmp(r->drop, "acks") == 0
			 ? "ACK" : "data segment");
		if (f->sendq.has && f->notsent.has)
			note_add(n, "the send queue holds %s, %s of it sent and not yet acknowledged",
				 fmt_size(a, sizeof(a), f->sendq.v),
				 fmt_size(b, sizeof(b), f->sendq.v - f->notsent.v));
		note_tone(n, T_BAD);
		break;
	case K_LINK_UP:
		add_dropped(r, e);
		r->down = 0;
		if (!r->up_at.has)
			opt_set(&r->up_at, e->t_ns);
		note_add(n, "the link comes back");
		note_tone(n, T_GOOD);
		break;
	default:
		break;
	}
}

/* The retransmission timer, on the wire: the first retransmission during the outage, and that
 * segment's again until an ACK came. The first counts from when the link went down (the timer
 * started at the segment's last sending, earlier), each later one from the one before. */
static void on_retransmission(struct rt *r, const struct event *e, struct note *n)
{
	struct opt seq = slot_opt(e, W_SEQ);
	int64_t gap_ms;

	if (wire_class(e) != WC_RETRANSMISSION || wire_from(e) != SIDE_WRITER || !seq.has ||
	    r->timer_done)
		return;
	if (!r->head_seq.has && r->down) {
		r->head_seq = seq;
		gap_ms = r->down_at.has ? div_round(e->t_ns - r->down_at.v, NS_PER_MS) : 0;
		note_add(n, "on the wire: no ACK came, so the writer sends the oldest "
			 "unacknowledged segment again, %" PRId64 " ms after the link went down",
			 gap_ms);
	} else if (r->head_seq.has && seq.v == r->head_seq.v && r->last_retrans_ns.has) {
		gap_ms = div_round(e->t_ns - r->last_retrans_ns.v, NS_PER_MS);
		if (r->ngaps < MAX_OUTAGE_RETRANS)
			r->gaps_ms[r->ngaps++] = gap_ms;
		note_add(n, "on the wire: the same segment again, %" PRId64 " ms after the last "
			 "time", gap_ms);
	} else {
		return;
	}
	r->outage_retrans++;
	note_tone(n, T_WARN);
	opt_set(&r->last_retrans_ns, e->t_ns);
}

/* Each gap about twice the one before: the timer doubling its wait. */
static int gaps_double(const struct rt *r)
{
	for (size_t i = 1; i < r->ngaps; i++)
		if (2 * r->gaps_ms[i] < 3 * r->gaps_ms[i - 1] ||
		    2 * r->gaps_ms[i] > 5 * r->gaps_ms[i - 1])
			return 0;
	return r->ngaps > 1;
}

static int event(void *facts, const struct event *e, const struct fold *c)
{
	struct rt *r = facts;
	struct opt q, ns, v;

	if (e->kind == K_LINK || e->kind == K_LINK_DOWN || e->kind == K_LINK_UP)
		on_link(r, e, c->note);
	if (e->kind == K_END && str_is(field_str(e, "prog"), "flowlab-link"))
		add_dropped(r, e);
	if (e->kind == K_WIRE)
		on_retransmission(r, e, c->note);
	if (e->side == SIDE_READER && e->kind == K_READ) {
		progress_read(&r->progress, e, c->note);
		if (r->up_at.has && !r->recovered_at.has && e->t_ns >= r->up_at.v) {
			opt_set(&r->recovered_at, e->t_ns);
			note_add(c->note, "data reaches the reader again");
		}
	}
	if (e->side == SIDE_WRITER && e->kind == K_SAMPLE) {
		q = slot_opt(e, S_SENDQ);
		ns = slot_opt(e, S_NOTSENT);
		v = slot_opt(e, S_TOTAL_RETRANS);
		if (v.has)
			r->total_retrans = v;
		v = slot_opt(e, S_BACKOFF);
		if (v.has && v.v == 0 && r->backoff_max.has && r->backoff_max.v > 0)
			r->timer_done = 1;      /* an ACK came */
		if (r->down) {
			max_of(&r->sendq_held, NULL, q, 0);
			if (q.has && ns.has)
				max_of(&r->unacked_held, NULL, (struct opt){ 1, q.v - ns.v }, 0);
		}
		/* The timer's climb lasts past the link's return, until the first ACK. */
		if (r->down || (r->down_at.has && !r->timer_done)) {
			max_of(&r->rto_max_us, NULL, slot_opt(e, S_RTO), 0);
			max_of(&r->backoff_max, NULL, slot_opt(e, S_BACKOFF), 0);
		}
	}
	return flow_event(&r->flow, e, c);
}

/* ---- the views ---- */

static const char *cell_unacked(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	if (!f->sendq.has || !f->notsent.has)
		return fmt_size_or_dash(buf, len, (struct opt){ 0, 0 });
	return fmt_size_or_dash(buf, len, (struct opt){ 1, f->sendq.v - f->notsent.v });
}

static const char *cell_backoff(char *buf, size_t len, const void *facts)
{
	const struct flow *f = facts;

	if (!f->backoff.has)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRId64, f->backoff.v);
	return buf;
}

static const char *cell_unread_q(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct flow *)facts)->recvq);
}

static const struct coldef columns[] = {
	{ "Send buffer", 18, COL_ALWAYS, cell_send_bar, NULL, 0 },
	{ "Queued / not sent", 21, COL_ALWAYS, cell_queued, NULL, 0 },
	{ "Unacknowledged", 14, COL_ALWAYS, cell_unacked, NULL, 0 },
	{ "Backoff", 7, COL_ALWAYS, cell_backoff, NULL, 0 },
	{ "Reader unread", 13, COL_ALWAYS, cell_unread_q, NULL, 0 },
	{ "write()", 23, COL_ALWAYS, cell_writer, tone_writer, 0 },
};

/* On a terminal: what the send queue keeps, unacknowledged, and the timer's backoff (the
 * reader reads at once: its buffer is in the wide table). */
static const struct coldef narrow[] = {
	{ "Queued", 9, COL_ALWAYS, cell_sendq, NULL, 1 },
	{ "Unacked", 9, COL_ALWAYS, cell_unacked, NULL, 1 },
	{ "Backoff", 7, COL_ALWAYS, cell_backoff, NULL, 1 },
	{ "write()", 7, COL_ALWAYS, cell_writer_short, tone_writer, 0 },
};

static void title(const struct table *t)
{
	fprintf(t->out, "Lost segments: what %s's send buffer kept until it was acknowledged, the "
		"retransmission timer, what %s received (s since the connection was established)\n",
		t->o->sender, t->o->receiver);
}

/* "216,432,864": the gaps, as U_LIST_MS has them. */
static void gaps_text(const struct rt *r, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->ngaps && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%" PRId64, i ? "," : "", r->gaps_ms[i]);
}

static void figures(struct figs *fs, const void *facts)
{
	const struct rt *r = facts;
	const struct flow *f = &r->flow;
	struct opt thr = progress_bps(&r->progress);
	char gaps[512];

	fig_put(fs, "sndbuf_actual", U_BYTES, f->sndbuf_actual);
	fig_put(fs, "link_rate_bps", U_BPS, r->link_rate_bps);
	fig_put(fs, "link_loss_pct", U_COUNT, r->loss_pct);
	fig_put(fs, "link_dropped_packets", U_COUNT, r->link_dropped);
	fig_put(fs, "throughput_bps", U_BPS, thr);
	fig_pct(fs, "throughput_of_link_pct", thr.has && r->link_rate_bps.has, thr.v,
		r->link_rate_bps.v);
	if (r->down_at.has) {
		fig_ns(fs, "outage_at_ms", U_MOMENT, (struct opt){ 1, r->down_at.v - f->zero_ns });
		fig_ns(fs, "outage_ms", U_MS, (struct opt){ r->up_at.has, r->up_at.v - r->down_at.v });
		fig_put(fs, "sendq_at_outage_bytes", U_BYTES, r->sendq_at_down);
		fig_put(fs, "sendq_held_bytes", U_BYTES, r->sendq_held);
		fig_put(fs, "unacked_held_bytes", U_BYTES, r->unacked_held);
		fig_int(fs, "outage_retransmissions", r->outage_retrans);
		if (r->ngaps > 1)
			fig_int(fs, "rto_doubling", gaps_double(r));
		gaps_text(r, gaps, sizeof(gaps));
		if (r->ngaps > 0)
			fig_text(fs, "rto_intervals_ms", U_LIST_MS, gaps);
		fig_ns(fs, "rto_max_ms", U_MS, (struct opt){ r->rto_max_us.has,
							     r->rto_max_us.v * NS_PER_US });
		fig_put(fs, "backoff_max", U_COUNT, r->backoff_max);
		fig_ns(fs, "recovered_after_ms", U_MS, (struct opt){ r->recovered_at.has &&
			r->up_at.has, r->recovered_at.v - r->up_at.v });
	}
	if (f->wire_segments > 0) {
		fig_int(fs, "wire_segments", f->wire_segments);
		fig_int(fs, "retransmissions", f->wire_retransmissions);
	}
	fig_put(fs, "total_retrans", U_COUNT, r->total_retrans);
	fig_put(fs, "bytes_sent", U_COUNT, f->bytes_sent);
	fig_put(fs, "bytes_received", U_COUNT, f->bytes_received);
	fig_put(fs, "bytes_lost", U_COUNT, f->bytes_lost);
	fig_put(fs, "bytes_undelivered", U_COUNT, f->bytes_undelivered);
	fig_put(fs, "pattern_errors", U_COUNT, f->pattern_errors);
}

static void story_outage(struct story *s, const struct rt *r)
{
	say(s, " At %F the link went down for %F, dropping every %s", "outage_at_ms",
	    "outage_ms", strcmp(r->drop, "acks") == 0 ? "ACK" : "data segment");
	if (has(s, "link_dropped_packets"))
		say(s, " (%F, nft's counter says)", "link_dropped_packets");
	say(s, ".");
	if (has(s, "unacked_held_bytes"))
		say(s, " The send queue still held up to %F, %F of it sent and never acknowledged: "
		    "the kernel keeps data until it is ACKed, so that it can send it again.",
		    "sendq_held_bytes", "unacked_held_bytes");
	if (r->outage_retrans > 0) {
		say(s, " With no ACK coming, the writer sent the oldest segment again %T",
		    "outage_retransmissions");
		if (has(s, "rto_intervals_ms"))
			say(s, gaps_double(r) ? ", the later ones %F apart: the retransmission timer "
			    "doubling its wait" : ", the later ones %F apart", "rto_intervals_ms");
		say(s, ".");
	}
	if (has(s, "backoff_max") && has(s, "rto_max_ms"))
		say(s, " TCP_INFO's backoff reached %F, its RTO %F.", "backoff_max", "rto_max_ms");
	if (has(s, "recovered_after_ms"))
		say(s, " Once the link came back, data reached the reader %F later.",
		    "recovered_after_ms");
}

static void summary(struct story *s, const void *facts)
{
	const struct rt *r = facts;

	if (has(s, "link_rate_bps"))
		say(s, " The link toward the reader carried %F (no added delay: this kernel has no "
		    "netem).", "link_rate_bps");
	if (has(s, "link_loss_pct")) {
		say(s, " It was set to drop %F%% of the data segments at random", "link_loss_pct");
		if (has(s, "link_dropped_packets"))
			say(s, ", and dropped %F (nft's counter)", "link_dropped_packets");
		say(s, ".");
	}
	if (r->down_at.has)
		story_outage(s, r);
	if (has(s, "retransmissions"))
		say(s, " On the wire the writer retransmitted %F %s", "retransmissions",
		    plural(val(s, "retransmissions"), "segment", "segments"));
	else if (has(s, "total_retrans"))
		say(s, " The writer retransmitted %F %s", "total_retrans",
		    plural(val(s, "total_retrans"), "segment", "segments"));
	if (has(s, "retransmissions") && has(s, "total_retrans"))
		say(s, " (TCP_INFO counted %F)", "total_retrans");
	if (has(s, "retransmissions") || has(s, "total_retrans"))
		say(s, ".");
	if (has(s, "throughput_bps")) {
		say(s, " The reader received its data at %F", "throughput_bps");
		if (has(s, "throughput_of_link_pct"))
			say(s, ", %F of the link's rate", "throughput_of_link_pct");
		say(s, ".");
	}
	story_bytes(s);
}

/* --predict: why the send queue held what it held. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "the kernel frees sent bytes only when the reader acknowledges them");
	if (has(s, "unacked_held_bytes"))
		say(s, ": during the outage %F sat in the send queue, sent and not acknowledged",
		    "unacked_held_bytes");
	say(s, ", the copies the retransmissions were made from");
	if (has(s, "sendq_held_bytes"))
		say(s, " (with what was not yet sent, %F in all)", "sendq_held_bytes");
	say(s, ". Lose the copy and a lost segment could not be sent again.");
}

const struct lesson lesson_retransmit = {
	.name = "retransmit",
	.help = "a link that loses segments: the send buffer keeps them until ACKed, and they are "
		"sent again",
	.watch = "Watch Unacked hold its bytes while the link is down, and the writer send the "
		 "oldest segment again, twice as late each time. When the link comes back, every "
		 "byte arrives: nothing was lost, only late.",
	.question = "The link goes down for a second (--outage) in the middle of the transfer. How "
		    "many bytes will the sender keep, sent and not yet acknowledged, while it is "
		    "down?",
	.answer = "unacked_held_bytes",
	.answer_unit = U_BYTES,
	.answer_run = "outage_",
	.why = why,
	.plot_title = "a link that loses segments: the send queue keeps them until acknowledged",
	.reader = "reader",
	.writer = "writer",
	.flags = LF_HIDE_SHORT_WAITS | LF_VERDICT,
	.facts_size = sizeof(struct rt),
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
