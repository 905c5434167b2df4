/* window_zero: the receive buffer fills, the window falls to 0, the sender stops; one read()
 * that empties the buffer reopens the window and the sender goes on. The reference document's
 * "Receive Buffer Flow Control", told from slow_reader's receive buffer and the window fast_peer
 * sees (and, with a capture, the one on the wire). */
#include "flow.h"

#include <inttypes.h>

static const struct coldef columns[] = {
	{ "Receive buffer", 18, 0, cell_recv_bar }, { "Unread", 19, 0, cell_unread },
	{ "Window", 9, 0, cell_window }, { "Wire", 9, 1, cell_wire },
	{ "Sender", 23, 0, cell_writer },
};

static void title(const struct table *t)
{
	fprintf(t->out, "Receive buffer flow control: what %s's buffer held, what %s saw (time in "
		"s)\n", t->o->receiver, t->o->sender);
}

static void start(void *facts, const struct fold *c)
{
	flow_start(facts, c, FS_RECEIVE);
}

static void story_window_zero(struct text *t, const struct flow *f)
{
	char a[48], tb[48];

	story_buffer(t, f->reader_seen, "reader", "receive", "SO_RCVBUF", f->rcvbuf_requested,
		     f->rcvbuf_actual);
	story_stall(t, f, "It");
	story_zero_window(t, f, "");
	if (!f->writer_seen) {
		/* nothing to tell about write() */
	} else if (f->eagain_count == 0 && f->write_blocked_us.has &&
		   f->write_blocked_us.v == 0) {
		text_add(t, " write() never blocked.");
		if (f->probe_backoffs.has && f->probe_backoffs.v > 0)
			text_add(t, " The persist timer backed off %s.",
				 fmt_times(tb, sizeof(tb), f->probe_backoffs.v));
	} else {
		if (f->write_blocked_us.has)
			text_add(t, " write() was blocked for %s in all",
				 fmt_dur(a, sizeof(a), f->write_blocked_us.v * 1000));
		else
			text_add(t, " write() blocked %s",
				 fmt_times(a, sizeof(a), f->eagain_count));
		if (f->probe_backoffs.has && f->probe_backoffs.v > 0)
			text_add(t, " while the persist timer backed off %s",
				 fmt_times(tb, sizeof(tb), f->probe_backoffs.v));
		text_add(t, ".");
	}
	if (f->still_blocked)
		text_add(t, " write() was still blocked when the sender's log ended.");
	if (f->resume_after_read_ns.has)
		text_add(t, " When the reader read again, the writer went on %s after that first "
			 "read began.", fmt_dur(a, sizeof(a), f->resume_after_read_ns.v));
	story_wire(t, f);
	story_bytes(t, f);
}

static void summary(struct story *s, const void *facts)
{
	story_sides(&s->t, s->o, facts);
	story_window_zero(&s->t, facts);
}

const struct lesson lesson_window_zero = {
	.name = "window_zero",
	.help = "the receive buffer fills and the window falls to 0",
	.plot_title = "the receive buffer fills, the window falls to 0, one read reopens it",
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
