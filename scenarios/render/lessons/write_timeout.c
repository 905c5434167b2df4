/* write_timeout: the reference document's "Slow Writer" remedies, seen from a server whose client
 * stops reading: without a timeout write() blocks for as long as the client stalls; a write
 * timeout (SO_SNDTIMEO, or a timer) gives up and closes the slow client; TCP_USER_TIMEOUT makes
 * the kernel abort a connection to a client that answers probes but never reads. */
#include "lessons.h"

#include <inttypes.h>
#include <string.h>

static const struct party_rule parties[] = {
	{ "fast_peer", "listen", P_SERVER }, { "slow_reader", "connect", P_CLIENT },
	{ NULL, NULL, P_NONE },
};

static const struct coldef columns[] = {
	{ "Send buffer", 18, 0, cell_send_bar }, { "Queued / not sent", 21, 0, cell_queued },
	{ "Network", 19, 0, cell_network }, { "Wire", 9, 1, cell_wire },
	{ "write()", 23, 0, cell_writer }, { "Last write", 10, 0, cell_last_write },
};

static void title(const struct table *t)
{
	fputs("A client that stops reading: what the server's send buffer held, what write() did, "
	      "when the server gave up (time in s)\n", t->out);
}

static void view_init(void *view, const void *facts)
{
	flow_view_init(view, facts, FS_SEND | FS_TIMEOUTS);
}

/* The server's write timeouts, TCP_USER_TIMEOUT, and what became of the bytes it wrote. The
 * write() figures themselves are figures_writes', over the server's writes. */
static void figures_write_timeout(const struct run *run, struct figures *f)
{
	struct wt_figures *w = &f->wt;
	struct opt short_write = { 0, 0 }, short_requested = { 0, 0 }, requested = { 0, 0 };
	struct opt sendq = { 0, 0 }, stall_until = { 0, 0 };

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt bytes = slot_opt(e, IO_BYTES), req = slot_opt(e, IO_REQUESTED);
		struct opt partial = field_opt(e, "partial_bytes");
		const char *what = field_str(e, "what");

		if (e->party == P_CLIENT && e->kind == K_STALL_BEGIN && !stall_until.has &&
		    slot_opt(e, STALL_FOR_US).has)
			opt_set(&stall_until, e->t_ns + slot_opt(e, STALL_FOR_US).v * NS_PER_US);
		if (e->party == P_CLIENT && e->kind == K_END && !w->client_end_at_ns.has) {
			opt_set(&w->client_end_at_ns, e->t_ns - run->zero_ns);
			w->client_signalled = field_opt(e, "signal").has;
			w->stall_cut = stall_until.has && e->t_ns < stall_until.v;
		}
		if (e->party != P_SERVER)
			continue;
		switch (e->kind) {
		case K_SAMPLE:
			if (slot_opt(e, S_SENDQ).has)
				sendq = slot_opt(e, S_SENDQ);
			break;
		case K_WRITE:
			requested = req;
			if (!short_write.has && bytes.has && req.has && bytes.v < req.v) {
				short_write = bytes;
				short_requested = req;
			}
			break;
		case K_WRITE_BLOCKED:
			if (!w->first_blocked_at_ns.has)
				opt_set(&w->first_blocked_at_ns, e->t_ns - run->zero_ns);
			break;
		case K_TIMEOUT:
			if (str_is(what, "write") && w->write_timeouts++ == 0) {
				w->write_timeout_us = field_opt(e, "after_us");
				w->form = !partial.has ? WT_TIMER
					  : partial.v > 0 ? WT_SHORT : WT_EAGAIN;
			}
			if (str_is(what, "write") && partial.has && partial.v > 0 &&
			    !w->partial_write_bytes.has) {
				w->partial_write_bytes = partial;
				w->partial_requested = requested;
			}
			if (str_is(what, "user") && !w->user_timeout_us.has) {
				w->user_timeout_us = field_opt(e, "after_us");
				w->sendq_at_user_timeout = sendq;
			}
			break;
		case K_CLOSE:
			if (!w->close_at_ns.has) {
				opt_set(&w->close_at_ns, e->t_ns - run->zero_ns);
				w->close_reason = field_str(e, "reason");
			}
			break;
		default:
			break;
		}
	}
	if (!w->partial_write_bytes.has) {
		w->partial_write_bytes = short_write;
		w->partial_requested = short_requested;
	}
	w->client_closed = starts_with(w->close_reason, "write timeout") ||
			   starts_with(w->close_reason, "user timeout");
	w->aborted = w->user_timeout_us.has || starts_with(w->close_reason, "user timeout");
	if (w->aborted && f->bytes_sent.has && f->bytes_received.has)
		opt_set(&w->bytes_undelivered, f->bytes_sent.v - f->bytes_received.v);
	w->pattern_errors = pattern_errors_sum(run);
}

/* 0, or -1 when out of memory. */
static int facts(const struct run *run, const struct options *o, void *f)
{
	if (flow_facts(run, o, f) < 0)
		return -1;
	figures_write_timeout(run, f);
	return 0;
}

/* The first write timeout, and what the server did about it. */
static void story_write_timeout_fired(struct text *t, const struct wt_figures *w)
{
	char a[48], b[48], c[48];
	int many = w->write_timeouts > 1;

	fmt_dur(a, sizeof(a), w->write_timeout_us.v * 1000);
	if (!w->write_timeout_us.has)
		snprintf(a, sizeof(a), "a while");
	if (w->form == WT_SHORT && w->partial_requested.has)
		text_add(t, " SO_SNDTIMEO gave up on it after %s: write() returned %s of %s "
			 "bytes", a,
			 fmt_count(b, sizeof(b), w->partial_write_bytes.v),
			 fmt_count(c, sizeof(c), w->partial_requested.v));
	else if (w->form == WT_SHORT)
		text_add(t, " SO_SNDTIMEO gave up on it after %s: write() returned %s bytes", a,
			 fmt_count(b, sizeof(b), w->partial_write_bytes.v));
	else if (w->form == WT_EAGAIN)
		text_add(t, " SO_SNDTIMEO gave up on it after %s: write() returned EAGAIN, nothing "
			 "written", a);
	else
		text_add(t, " The server's write timer fired after %s of EAGAIN", a);
	text_add(t, ".");
	if (many)
		text_add(t, " The write timeout fired %s in all",
			 fmt_times(b, sizeof(b), w->write_timeouts));
	if (starts_with(w->close_reason, "write timeout")) {
		text_add(t, many ? "; the server then closed the slow client"
				 : " The server then closed the slow client");
		if (w->close_at_ns.has)
			text_add(t, " at %s s", fmt_secs(b, sizeof(b), w->close_at_ns.v));
		text_add(t, " instead of waiting for it.");
	} else {
		text_add(t, many ? "; the server kept waiting." : " The server kept waiting.");
	}
}

static void story_write_timeout(struct text *t, const struct figures *f)
{
	const struct wt_figures *w = &f->wt;
	char a[48], b[48], c[48];

	story_buffer(t, f->writer_seen, "server", "send", "SO_SNDBUF", f->sndbuf_requested,
		     f->sndbuf_actual);
	if (w->stall_cut && f->stall_us.has)
		text_add(t, " The client stopped reading (its plan said for %s) and was ended%s "
			 "at %s s, before its stall was over.",
			 fmt_dur(a, sizeof(a), f->stall_us.v * 1000),
			 w->client_signalled ? " by a signal" : "",
			 fmt_secs(b, sizeof(b), w->client_end_at_ns.v));
	else
		story_stall(t, f, "The client");
	if (w->first_blocked_at_ns.has) {
		text_add(t, " The server's write() blocked at %s s",
			 fmt_secs(a, sizeof(a), w->first_blocked_at_ns.v));
		if (f->write_blocked_us.has)
			text_add(t, ", %s in all",
				 fmt_dur(b, sizeof(b), f->write_blocked_us.v * 1000));
		text_add(t, ".");
	} else if (f->writer_seen) {
		text_add(t, " The server's write() never blocked.");
	}
	if (w->write_timeouts > 0)
		story_write_timeout_fired(t, w);
	if (w->user_timeout_us.has)
		text_add(t, " The kernel gave up on the client after %s without an acknowledgement "
			 "(TCP_USER_TIMEOUT: ETIMEDOUT) and aborted the connection.",
			 fmt_dur(a, sizeof(a), w->user_timeout_us.v * 1000));
	if (!w->aborted || !w->bytes_undelivered.has) {
		story_totals(t, f->bytes_sent, f->bytes_received, f->bytes_lost, w->pattern_errors);
		return;
	}
	text_add(t, " %s bytes sent, %s received: %s undelivered.",
		 fmt_count(a, sizeof(a), f->bytes_sent.v),
		 fmt_count(b, sizeof(b), f->bytes_received.v),
		 fmt_count(c, sizeof(c), w->bytes_undelivered.v));
	if (w->sendq_at_user_timeout.has && w->sendq_at_user_timeout.v <= w->bytes_undelivered.v) {
		text_add(t, " When the kernel gave up, %s of them were still in the server's "
			 "send buffer, never acknowledged (the send buffer keeps data until the "
			 "peer ACKs it)",
			 fmt_count(a, sizeof(a), w->sendq_at_user_timeout.v));
		if (w->bytes_undelivered.v > w->sendq_at_user_timeout.v)
			text_add(t, "; the other %s had reached the client's receive buffer, "
				 "never read",
				 fmt_count(b, sizeof(b), w->bytes_undelivered.v -
							  w->sendq_at_user_timeout.v));
		text_add(t, ".");
	}
	story_totals(t, (struct opt){ 0, 0 }, (struct opt){ 0, 0 }, (struct opt){ 0, 0 },
		     w->pattern_errors);
}

static int summary(struct text *t, const struct options *o, const void *facts)
{
	const struct figures *f = facts;

	story_missing(t, f->client_seen ? NULL : "the client (slow_reader, role connect)", f);
	story_write_timeout(t, f);
	return 0;
}

static void print_write_timeout_figures(const struct figout *fo, const void *facts)
{
	const struct figures *f = facts;
	const struct wt_figures *w = &f->wt;

	fig_div(fo, "write_blocked_ms", f->write_blocked_us, 1000);
	fig(fo, "partial_write_bytes", w->partial_write_bytes);
	fig_opt_dec1(fo, "write_timeout_fired_ms", w->write_timeout_us, 1000);
	fig_opt_dec1(fo, "user_timeout_fired_ms", w->user_timeout_us, 1000);
	if (f->server_seen)
		fig_int(fo, "client_closed", w->client_closed);
	fig_div(fo, "stall_ms", f->stall_us, 1000);
	fig(fo, "bytes_sent", f->bytes_sent);
	fig(fo, "bytes_received", f->bytes_received);
	/* An aborted connection loses what the send buffer held, as TCP_USER_TIMEOUT means. */
	if (w->aborted)
		fig(fo, "bytes_undelivered", w->bytes_undelivered);
	else
		fig(fo, "bytes_lost", f->bytes_lost);
	fig(fo, "pattern_errors", w->pattern_errors);
	/* Beyond the lesson's list: where the undelivered bytes were. */
	fig(fo, "sendq_at_user_timeout_bytes", w->sendq_at_user_timeout);
}

const struct lesson lesson_write_timeout = {
	.name = "write_timeout",
	.help = "a client stops reading, the server's write timeout or TCP_USER_TIMEOUT "
		"(client slow_reader)",
	.plot_title = "a client stops reading, the send buffer fills, the server gives up",
	.reader = "client",
	.writer = "server",
	.parties = parties,
	.flags = LF_HIDE_SHORT_WAITS,
	.facts_size = sizeof(struct figures),
	.facts = facts,
	.facts_free = flow_facts_free,
	.buffers = flow_buffers,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.view_size = sizeof(struct view),
	.view_init = view_init,
	.row = flow_row,
	.row_done = flow_row_done,
	.sample_row = flow_sample_row,
	.summary = summary,
	.figures = print_write_timeout_figures,
	.plot = flow_plot,
};
