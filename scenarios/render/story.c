/* story: the summary paragraph, which tells the lesson with the measured figures: here
 * window_zero's and blocked_write's, the pieces every lesson's paragraph uses, and
 * print_summary; story_server.c tells the lessons of a server and its clients. */
#include "render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_COLS 96

/* "once", "twice", "4 times". */
const char *fmt_times(char *buf, size_t len, int64_t n)
{
	if (n == 1)
		snprintf(buf, len, "once");
	else if (n == 2)
		snprintf(buf, len, "twice");
	else
		snprintf(buf, len, "%" PRId64 " times", n);
	return buf;
}

void story_buffer(struct text *t, int seen, const char *side, const char *buffer,
		  const char *opt, struct opt req, struct opt act)
{
	char a[48], b[48];

	if (!seen)
		return;
	if (req.has && act.has) {
		text_add(t, "The %s asked for a %s %s buffer; the kernel set %s (", side,
			 fmt_size(a, sizeof(a), req.v), buffer, fmt_size(b, sizeof(b), act.v));
		if (act.v == 2 * req.v)
			text_add(t, "Linux doubles %s; ", opt);
		text_add(t, "the reference document says %s).", REFERENCE_BUF_TEXT);
	} else if (act.has)
		text_add(t, "The %s left its %s buffer to the kernel, which set %s (the reference "
			 "document says %s).", side, buffer, fmt_size(a, sizeof(a), act.v),
			 REFERENCE_BUF_TEXT);
	else if (req.has)
		text_add(t, "The %s asked for a %s %s buffer; its log does not say what the "
			 "kernel set.", side, fmt_size(a, sizeof(a), req.v), buffer);
	else
		text_add(t, "The %s's log does not say how big its %s buffer was.", side, buffer);
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

/* "1,048,576 bytes sent, 1,048,576 received and checked, 0 lost, 0 pattern errors." */
void story_totals(struct text *t, struct opt sent, struct opt received, struct opt lost,
		  struct opt pattern_errors)
{
	const char *sep = " ";
	char a[48];
	int words = 0;

	if (sent.has) {
		text_add(t, "%s%s bytes sent", sep, fmt_count(a, sizeof(a), sent.v));
		sep = ", ";
		words = 1;
	}
	if (received.has) {
		text_add(t, "%s%s%s received%s", sep, fmt_count(a, sizeof(a), received.v),
			 words ? "" : " bytes", pattern_errors.has ? " and checked" : "");
		sep = ", ";
		words = 1;
	}
	if (lost.has) {
		text_add(t, "%s%s lost", sep, fmt_count(a, sizeof(a), lost.v));
		sep = ", ";
	}
	if (pattern_errors.has) {
		text_add(t, "%s%s pattern %s", sep, fmt_count(a, sizeof(a), pattern_errors.v),
			 plural(pattern_errors.v, "error", "errors"));
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		text_add(t, ".");
}

static void story_bytes(struct text *t, const struct figures *f)
{
	story_totals(t, f->bytes_sent, f->bytes_received, f->bytes_lost, f->pattern_errors);
}

static void story_zero_window(struct text *t, const struct figures *f, const char *tail)
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
static void story_wire(struct text *t, const struct figures *f)
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

static void story_window_zero(struct text *t, const struct figures *f)
{
	char a[48], tb[48];

	story_buffer(t, f->reader_seen, "reader", "receive", "SO_RCVBUF", f->rcvbuf_requested,
		     f->rcvbuf_actual);
	story_stall(t, f, "It");
	story_zero_window(t, f, "");
	if (!f->writer_seen) {
		/* nothing to tell about write() */
	} else if (f->eagain_count.v == 0 && f->write_blocked_us.has &&
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
				 fmt_times(a, sizeof(a), f->eagain_count.v));
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

static void story_writes(struct text *t, const struct figures *f)
{
	char a[48], b[48], c[48];

	if (!f->write_calls.has)
		return;
	if (f->write_calls.v == 0) {
		text_add(t, " The writer's log has no write() calls.");
		return;
	}
	if (f->writes_immediate.v == f->write_calls.v)
		text_add(t, " All %s write() calls that moved data returned at once (in under "
			 "1 ms).", fmt_count(a, sizeof(a), f->write_calls.v));
	else
		text_add(t, " Of the %s write() calls that moved data, %s returned at once (in "
			 "under 1 ms).",
			 fmt_count(a, sizeof(a), f->write_calls.v),
			 fmt_count(b, sizeof(b), f->writes_immediate.v));
	if (f->eagain_count.v == 0) {
		text_add(t, " write() never had to wait.");
	} else {
		text_add(t, " write() had to wait %s", fmt_times(a, sizeof(a), f->eagain_count.v));
		if (f->write_blocked_us.has)
			text_add(t, f->eagain_count.v == 1 ? ", for %s" : ", %s in all",
				 fmt_dur(b, sizeof(b), f->write_blocked_us.v * 1000));
		if (f->eagain_count.v > 1 && f->longest_blocked_us.has)
			text_add(t, "; the longest wait lasted %s",
				 fmt_dur(c, sizeof(c), f->longest_blocked_us.v * 1000));
		text_add(t, ".");
	}
	if (f->longest_write_ns.has)
		text_add(t, " The longest single write() call took %s.",
			 fmt_dur(a, sizeof(a), f->longest_write_ns.v));
}

static void story_queue(struct text *t, const struct figures *f)
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
			 f->eagain_count.has && f->eagain_count.v > 0 ? "After the last wait, the"
								       : "The",
			 fmt_secs(a, sizeof(a), f->queue_drained_at_ns.v));
	else if (f->sendq_max.v > 0)
		text_add(t, " The send queue had not drained by the writer's last sample.");
}

static void story_blocked_write(struct text *t, const struct figures *f)
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

int print_summary(FILE *out, const struct options *o, const struct figures *f)
{
	struct text t = { NULL, 0, 0, 0 };

	if (server_lesson(o->lesson)) {
		story_missing(&t, o, f);
	} else {
		if (!f->reader_seen)
			text_add(&t, "No event in these logs is from %s (see --receiver). ",
				 o->receiver);
		if (!f->writer_seen)
			text_add(&t, "No event in these logs is from %s (see --sender). ",
				 o->sender);
	}
	switch (o->lesson) {
	case LESSON_WINDOW_ZERO:
		story_window_zero(&t, f);
		break;
	case LESSON_BLOCKED_WRITE:
		story_blocked_write(&t, f);
		break;
	case LESSON_REQUEST_RESPONSE:
		story_request_response(&t, f);
		break;
	case LESSON_READ_TIMEOUT:
		story_read_timeout(&t, f);
		break;
	case LESSON_WRITE_TIMEOUT:
		story_write_timeout(&t, f);
		break;
	default:
		story_backpressure(&t, f);
		break;
	}
	if (t.oom) {
		free(t.s);
		return -1;
	}
	fputs("\nSummary\n", out);
	print_wrapped(out, t.s ? t.s : "", WRAP_COLS);
	free(t.s);
	return 0;
}
