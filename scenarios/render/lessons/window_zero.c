/* window_zero: the receive buffer fills, the window falls to 0, the sender stops; one read()
 * that empties the buffer reopens the window and the sender goes on. The reference document's
 * "Receive Buffer Flow Control", told from slow_reader's receive buffer and the window fast_peer
 * sees (and, with a capture, the one on the wire). */
#include "flow.h"

#include <inttypes.h>

static const struct coldef columns[] = {
	{ "Receive buffer", 18, COL_ALWAYS, cell_recv_bar, NULL, 0 },
	{ "Unread", 21, COL_ALWAYS, cell_unread, NULL, 0 },
	{ "Window", 9, COL_ALWAYS, cell_window, tone_window, 0 },
	{ "Wire", 9, COL_WIRE, cell_wire, tone_wire, 0 },
	{ "Sender", 23, COL_ALWAYS, cell_writer, tone_writer, 0 },
};

/* On a terminal: the window as the wire carried it where a capture saw it, else as the sender
 * saw it. */
static const struct coldef narrow[] = {
	{ "Buffer", 10, COL_ALWAYS, cell_recv_bar_short, NULL, 0 },
	{ "Unread", 9, COL_ALWAYS, cell_recvq, NULL, 1 },
	{ "Window", 9, COL_NO_WIRE, cell_window, tone_window, 1 },
	{ "Wire", 9, COL_WIRE, cell_wire, tone_wire, 1 },
	{ "Sender", 7, COL_ALWAYS, cell_writer_short, tone_writer, 0 },
};

static void title(const struct table *t)
{
	fprintf(t->out, "Receive buffer flow control: what %s's buffer held, what %s saw (s since "
		"the connection was established)\n", t->o->receiver, t->o->sender);
}

static void start(void *facts, const struct fold *c)
{
	flow_start(facts, c, FS_RECEIVE);
}

static void summary(struct story *s, const void *facts)
{
	const struct flow *f = facts;

	story_sides(s, f);
	story_buffer(s, f->reader_seen, "reader", "receive", "SO_RCVBUF", "rcvbuf");
	story_stall(s, f, "It");
	story_zero_window(s, f);
	if (!f->writer_seen) {
		/* nothing to tell about write() */
	} else if (f->eagain_count == 0 && val(s, "write_blocked_ms") == 0 &&
		   has(s, "write_blocked_ms")) {
		say(s, " write() never blocked.");
		if (val(s, "probe_backoffs") > 0)
			say(s, " The persist timer backed off %T.", "probe_backoffs");
	} else {
		if (has(s, "write_blocked_ms"))
			say(s, " write() was blocked for %F in all", "write_blocked_ms");
		else
			say(s, " write() blocked %T", "write_blocked_count");
		if (val(s, "probe_backoffs") > 0)
			say(s, " while the persist timer backed off %T", "probe_backoffs");
		say(s, ".");
	}
	if (f->still_blocked)
		say(s, " write() was still blocked when the sender's log ended.");
	if (has(s, "resume_after_read_us"))
		say(s, " When the reader read again, the writer went on %F after that first read "
		    "began.", "resume_after_read_us");
	story_wire(s, f);
	story_bytes(s);
}

/* --predict: why the reader held what it held when the window closed. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	if (has(s, "rcvbuf_requested") && has(s, "rcvbuf_actual"))
		say(s, "the reader asked for %F and the kernel set %F: Linux doubles SO_RCVBUF and "
		    "counts its own bookkeeping of each packet against it.", "rcvbuf_requested",
		    "rcvbuf_actual");
	else if (has(s, "rcvbuf_actual"))
		say(s, "the reader left its buffer to the kernel, which set %F.", "rcvbuf_actual");
	say(s, " The window fell to 0 once the room left could not take another segment");
	if (has(s, "bytes_at_zero_window"))
		say(s, ", with %F unread", "bytes_at_zero_window");
	say(s, ": nearly what the kernel set, not the reference document's %F.",
	    "rcvbuf_reference");
}

const struct lesson lesson_window_zero = {
	.name = "window_zero",
	.help = "the receive buffer fills and the window falls to 0",
	.watch = "Watch Unread climb until the window falls to 0 and the sender shows BLOCKED, "
		 "while the persist timer probes the closed window less and less often. Then one "
		 "drain of the buffer reopens the window and the sender goes on at once.",
	.question = "The reader stops reading. How many bytes will it hold, unread, when its "
		    "window falls to 0?",
	.answer = "bytes_at_zero_window",
	.answer_unit = U_BYTES,
	.why = why,
	.plot_title = "the receive buffer fills, the window falls to 0, one read reopens it",
	.reader = "reader",
	.writer = "writer",
	.flags = LF_HIDE_SHORT_WAITS | LF_VERDICT,
	.start = start,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.narrow = narrow,
	.nnarrow = sizeof(narrow) / sizeof(narrow[0]),
	.summary = summary,
	FLOW_LESSON,
};
