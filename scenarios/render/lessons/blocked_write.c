/* blocked_write: the send buffer fills, write() blocks (or returns EAGAIN), ACKs free space and
 * write() goes on. The same pair as window_zero, told from the sender's side: the reference
 * document's "Send Buffer Flow Control", with fast_peer's queue (SIOCOUTQ) and how much of it
 * was not even sent (SIOCOUTQNSD), what the network did, and how long each write() took. */
#include "flow.h"

#include <inttypes.h>

static const struct coldef columns[] = {
	{ "Send buffer", 18, COL_ALWAYS, cell_send_bar, NULL, 0 },
	{ "Queued / not sent", 21, COL_ALWAYS, cell_queued, NULL, 0 },
	{ "Network", 19, COL_ALWAYS, cell_network, NULL, 0 },
	{ "Wire", 9, COL_WIRE, cell_wire, tone_wire, 0 },
	{ "write()", 23, COL_ALWAYS, cell_writer, tone_writer, 0 },
	{ "Last write", 10, COL_ALWAYS, cell_last_write, NULL, 0 },
};

static const struct coldef narrow[] = {
	{ "Send buf", 10, COL_ALWAYS, cell_send_bar_short, NULL, 0 },
	{ "Queued", 9, COL_ALWAYS, cell_sendq, NULL, 1 },
	{ "write()", 7, COL_ALWAYS, cell_writer_short, tone_writer, 0 },
	{ "Waiting", 9, COL_ALWAYS, cell_last_write, NULL, 1 },
};

static void title(const struct table *t)
{
	fprintf(t->out, "Send buffer flow control: what %s's send buffer held and what write() "
		"did (s since the connection was established)\n", t->o->sender);
}

static void start(void *facts, const struct fold *c)
{
	flow_start(facts, c, FS_SEND);
}

static void story_writes(struct story *s, const struct flow *f)
{
	if (!f->writer_seen)
		return;
	if (f->write_calls == 0) {
		say(s, " The writer's log has no write() calls.");
		return;
	}
	if (f->writes_immediate == f->write_calls)
		say(s, " All %F write() calls that moved data returned at once (in under a "
		    "millisecond).", "write_calls");
	else
		say(s, " Of the %F write() calls that moved data, %F returned at once (in under a "
		    "millisecond).", "write_calls", "writes_immediate");
	if (f->eagain_count == 0) {
		say(s, " write() never had to wait.");
	} else {
		say(s, " write() had to wait %T", "write_blocked_count");
		if (has(s, "write_blocked_ms"))
			say(s, f->eagain_count == 1 ? ", for %F" : ", %F in all", "write_blocked_ms");
		if (f->eagain_count > 1 && has(s, "longest_blocked_ms"))
			say(s, "; the longest wait lasted %F", "longest_blocked_ms");
		say(s, ".");
	}
	if (has(s, "longest_write_ms"))
		say(s, " The longest single write() call took %F.", "longest_write_ms");
}

static void story_queue(struct story *s, const struct flow *f)
{
	if (!has(s, "sendq_max_bytes"))
		return;
	say(s, " The send queue peaked at %F", "sendq_max_bytes");
	if (has(s, "sndbuf_actual") && val(s, "sendq_max_bytes") > val(s, "sndbuf_actual"))
		say(s, ", more than the %F send buffer the kernel reported at the start%s",
		    "sndbuf_actual", has(s, "sndbuf_requested") ? "" : " (without SO_SNDBUF, "
		    "Linux grows the buffer as it needs)");
	say(s, ".");
	if (has(s, "queue_drained_at_ms"))
		say(s, " %s send queue drained at %F.", f->eagain_count > 0 ? "After the last wait, the"
									     : "The",
		    "queue_drained_at_ms");
	else if (val(s, "sendq_max_bytes") > 0)
		say(s, " The send queue had not drained by the writer's last sample.");
}

static void summary(struct story *s, const void *facts)
{
	const struct flow *f = facts;

	story_sides(s, f);
	story_buffer(s, f->writer_seen, "writer", "send", "SO_SNDBUF", "sndbuf");
	story_stall(s, f, "The reader");
	story_writes(s, f);
	story_zero_window(s, f);
	if (f->zero_window_seen && val(s, "probe_backoffs") > 0)
		say(s, " The persist timer then backed off %T.", "probe_backoffs");
	story_queue(s, f);
	if (f->still_blocked)
		say(s, " write() was still blocked when the writer's log ended.");
	story_wire(s, f);
	story_bytes(s);
}

/* --predict: why write() blocked as long as it did. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "write() blocks while the send buffer is full, and the send buffer cannot drain "
	    "while the reader's window is 0.");
	if (has(s, "zero_window_at_ms"))
		say(s, " Both buffers were full and the window 0 at %F;", "zero_window_at_ms");
	if (has(s, "stall_ms"))
		say(s, " the reader stalled for %F", "stall_ms");
	if (has(s, "resume_after_read_us"))
		say(s, ", and write() went on %F after the reader's first read began",
		    "resume_after_read_us");
	say(s, ". So the longest wait is the reader's stall less the moments it took to fill "
	    "the buffers: the writer cannot go faster than its reader.");
}

const struct lesson lesson_blocked_write = {
	.name = "blocked_write",
	.help = "the send buffer fills and write() blocks",
	.watch = "Watch the send buffer fill behind the reader's full receive buffer, and write() "
		 "turn to BLOCKS once the window is 0. It stays blocked, the Last write column "
		 "growing, until the reader reads again: a blocked write() is not an error.",
	.question = "The reader stops reading (for 2 s by default: --stall). How long will the "
		    "writer's longest write() block?",
	.answer = "longest_blocked_ms",
	.answer_unit = U_MS,
	.why = why,
	.plot_title = "the send buffer fills and write() blocks until the reader reads",
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
