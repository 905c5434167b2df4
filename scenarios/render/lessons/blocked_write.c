/* blocked_write: the send buffer fills, write() blocks (or returns EAGAIN), ACKs free space and
 * write() goes on. The same pair as window_zero, told from the sender's side: the reference
 * document's "Send Buffer Flow Control", with fast_peer's queue (SIOCOUTQ) and how much of it
 * was not even sent (SIOCOUTQNSD), what the network did, and how long each write() took. */
#include "flow.h"

#include <inttypes.h>

static const struct coldef columns[] = {
	{ "Send buffer", 18, 0, cell_send_bar }, { "Queued / not sent", 21, 0, cell_queued },
	{ "Network", 19, 0, cell_network }, { "Wire", 9, 1, cell_wire },
	{ "write()", 23, 0, cell_writer }, { "Last write", 10, 0, cell_last_write },
};

static void title(const struct table *t)
{
	fprintf(t->out, "Send buffer flow control: what %s's send buffer held and what write() "
		"did (time in s)\n", t->o->sender);
}

static void start(void *facts, const struct fold *c)
{
	flow_start(facts, c, FS_SEND);
}

static void story_writes(struct text *t, const struct flow *f)
{
	char a[48], b[48], c[48];

	if (!f->writer_seen)
		return;
	if (f->write_calls == 0) {
		text_add(t, " The writer's log has no write() calls.");
		return;
	}
	if (f->writes_immediate == f->write_calls)
		text_add(t, " All %s write() calls that moved data returned at once (in under "
			 "1 ms).", fmt_count(a, sizeof(a), f->write_calls));
	else
		text_add(t, " Of the %s write() calls that moved data, %s returned at once (in "
			 "under 1 ms).",
			 fmt_count(a, sizeof(a), f->write_calls),
			 fmt_count(b, sizeof(b), f->writes_immediate));
	if (f->eagain_count == 0) {
		text_add(t, " write() never had to wait.");
	} else {
		text_add(t, " write() had to wait %s", fmt_times(a, sizeof(a), f->eagain_count));
		if (f->write_blocked_us.has)
			text_add(t, f->eagain_count == 1 ? ", for %s" : ", %s in all",
				 fmt_dur(b, sizeof(b), f->write_blocked_us.v * 1000));
		if (f->eagain_count > 1 && f->longest_blocked_us.has)
			text_add(t, "; the longest wait lasted %s",
				 fmt_dur(c, sizeof(c), f->longest_blocked_us.v * 1000));
		text_add(t, ".");
	}
	if (f->longest_write_ns.has)
		text_add(t, " The longest single write() call took %s.",
			 fmt_dur(a, sizeof(a), f->longest_write_ns.v));
}

static void story_queue(struct text *t, const struct flow *f)
{
	char a[48], b[48];

	if (!f->sendq_max.has)
		return;
	text_add(t, " The send queue peaked at %s", fmt_size(a, sizeof(a), f->sendq_max.v));
	if (f->sndbuf_actual.has && f->sendq_max.v > f->sndbuf_actual.v)
		text_add(t, ", more than the %s send buffer the kernel reported at the start%s",
			 fmt_size(b, sizeof(b), f->sndbuf_actual.v),
			 f->sndbuf_requested.has ? "" : " (without SO_SNDBUF, Linux grows the "
			 "buffer as it needs)");
	text_add(t, ".");
	if (f->queue_drained_at_ns.has)
		text_add(t, " %s send queue drained at %s s.",
			 f->writer_seen && f->eagain_count > 0 ? "After the last wait, the"
								       : "The",
			 fmt_secs(a, sizeof(a), f->queue_drained_at_ns.v - f->zero_ns));
	else if (f->sendq_max.v > 0)
		text_add(t, " The send queue had not drained by the writer's last sample.");
}

static void story_blocked_write(struct text *t, const struct flow *f)
{
	char a[96], tb[48];

	story_buffer(t, f->writer_seen, "writer", "send", "SO_SNDBUF", f->sndbuf_requested,
		     f->sndbuf_actual);
	story_stall(t, f, "The reader");
	story_writes(t, f);
	if (f->probe_backoffs.has && f->probe_backoffs.v > 0)
		snprintf(a, sizeof(a), "; the persist timer then backed off %s",
			 fmt_times(tb, sizeof(tb), f->probe_backoffs.v));
	else
		a[0] = '\0';
	story_zero_window(t, f, a);
	story_queue(t, f);
	if (f->still_blocked)
		text_add(t, " write() was still blocked when the writer's log ended.");
	story_wire(t, f);
	story_bytes(t, f);
}

static void summary(struct story *s, const void *facts)
{
	story_sides(&s->t, s->o, facts);
	story_blocked_write(&s->t, facts);
}

const struct lesson lesson_blocked_write = {
	.name = "blocked_write",
	.help = "the send buffer fills and write() blocks",
	.plot_title = "the send buffer fills and write() blocks until the reader reads",
	.reader = "reader",
	.writer = "writer",
	.flags = LF_HIDE_SHORT_WAITS | LF_LIVE,
	.facts_size = sizeof(struct flow),
	.start = start,
	.event = flow_event,
	.finish = flow_finish,
	.release = flow_release,
	.buffers = flow_buffers,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.sample_row = flow_sample_row,
	.figures = flow_figures,
	.summary = summary,
	.plot = flow_plot,
};
