/* write_timeout: the reference document's "Slow Writer" remedies, seen from a server whose client
 * stops reading: without a timeout write() blocks for as long as the client stalls; a write
 * timeout (SO_SNDTIMEO, or a timer) gives up and closes the slow client; TCP_USER_TIMEOUT makes
 * the kernel abort a connection to a client that answers probes but never reads. */
#include "flow.h"

#include <inttypes.h>
#include <string.h>

static const struct party_rule parties[] = {
	{ "fast_peer", "listen", P_SERVER }, { "slow_reader", "connect", P_CLIENT },
	{ NULL, NULL, P_NONE },
};

/* How the first write timeout fired (timeline.h's timeout event). */
enum wt_form {
	WT_SHORT,       /* SO_SNDTIMEO: write() returned a short count (partial_bytes > 0) */
	WT_EAGAIN,      /* SO_SNDTIMEO: nothing written, EAGAIN (partial_bytes 0) */
	WT_TIMER,       /* event I/O: the timer while write() said EAGAIN (no partial_bytes) */
};

/* The server's remedies for a client that stops reading, beside the flow of the two. */
struct wt {
	struct flow flow;           /* first: the flow's functions take these facts too */
	struct opt partial_write_bytes, partial_requested;
	struct opt short_write, short_requested, requested;
	int64_t write_timeouts;
	struct opt write_timeout_us;        /* the first write timeout's after_us */
	struct opt write_timeout_set_us, user_timeout_set_us;  /* as set (timeouts_set) */
	enum wt_form form;
	struct opt user_timeout_us;         /* TCP_USER_TIMEOUT: the kernel gave up on the peer,
					     * this long after the server's write() blocked ... */
	struct opt user_after_probe_ns;     /* ... and this long after the first probe of the
					     * closed window (the capture's), where the kernel
					     * starts counting */
	int aborted;                        /* ... so the connection was aborted */
	int client_closed;                  /* the server closed the client on a timeout */
	char close_reason[128];             /* the server's, "" if it did not close */
	struct opt close_at_ns;
	struct opt first_blocked_at_ns;
	struct opt sendq, sendq_at_user_timeout;    /* the server's last sample at or before */
	struct opt bytes_undelivered;       /* aborted: sent and never received */
	struct opt stall_until;             /* the client's first stall, as planned */
	struct opt client_end_at_ns;
	int client_signalled;               /* a signal ended the client */
	int stall_cut;                      /* ... before its first stall was over */
};

static void start(void *facts, const struct fold *c)
{
	flow_start(facts, c, FS_SEND | FS_TIMEOUTS);
}

/* Under a zero window the kernel counts TCP_USER_TIMEOUT from its first probe, not from the
 * moment write() blocked or the window closed: the time since the first probe of the last
 * closure the capture saw probed. */
static void user_after_probe(struct wt *w, const struct event *e)
{
	const struct flow *f = &w->flow;

	for (size_t k = f->nepisodes; k-- > 0;) {
		const struct episode *ep = &f->episodes[k];

		if (ep->probes == 0)
			continue;
		opt_set(&w->user_after_probe_ns, e->t_ns - (ep->closed_ns + f->gaps[ep->first_gap]));
		return;
	}
}

static void on_server(struct wt *w, const struct event *e)
{
	struct opt bytes = slot_opt(e, IO_BYTES), req = slot_opt(e, IO_REQUESTED);
	struct opt partial = field_opt(e, "partial_bytes");
	const char *what = field_str(e, "what");

	switch (e->kind) {
	case K_SAMPLE:
		if (slot_opt(e, S_SENDQ).has)
			w->sendq = slot_opt(e, S_SENDQ);
		break;
	case K_WRITE:
		w->requested = req;
		if (!w->short_write.has && bytes.has && req.has && bytes.v < req.v) {
			w->short_write = bytes;
			w->short_requested = req;
		}
		break;
	case K_WRITE_BLOCKED:
		if (!w->first_blocked_at_ns.has)
			opt_set(&w->first_blocked_at_ns, e->t_ns);
		break;
	case K_TIMEOUTS_SET:
		w->write_timeout_set_us = field_opt(e, "write_us");
		w->user_timeout_set_us = field_opt(e, "user_us");
		break;
	case K_TIMEOUT:
		if (str_is(what, "write") && w->write_timeouts++ == 0) {
			w->write_timeout_us = field_opt(e, "after_us");
			w->form = !partial.has ? WT_TIMER : partial.v > 0 ? WT_SHORT : WT_EAGAIN;
		}
		if (str_is(what, "write") && partial.has && partial.v > 0 &&
		    !w->partial_write_bytes.has) {
			w->partial_write_bytes = partial;
			w->partial_requested = w->requested;
		}
		if (str_is(what, "user") && !w->user_timeout_us.has) {
			w->user_timeout_us = field_opt(e, "after_us");
			w->sendq_at_user_timeout = w->sendq;
			user_after_probe(w, e);
		}
		break;
	case K_CLOSE:
		if (!w->close_at_ns.has) {
			opt_set(&w->close_at_ns, e->t_ns);
			snprintf(w->close_reason, sizeof(w->close_reason), "%s",
				 field_str(e, "reason") ? field_str(e, "reason") : "");
		}
		break;
	default:
		break;
	}
}

static int event(void *facts, const struct event *e, const struct fold *c)
{
	struct wt *w = facts;
	struct opt us = slot_opt(e, STALL_FOR_US);

	if (e->party == P_CLIENT && e->kind == K_STALL_BEGIN && !w->stall_until.has && us.has)
		opt_set(&w->stall_until, e->t_ns + us.v * NS_PER_US);
	if (e->party == P_CLIENT && e->kind == K_END && !w->client_end_at_ns.has) {
		opt_set(&w->client_end_at_ns, e->t_ns);
		w->client_signalled = field_opt(e, "signal").has;
		w->stall_cut = w->stall_until.has && e->t_ns < w->stall_until.v;
	}
	if (e->party == P_SERVER)
		on_server(w, e);
	return flow_event(&w->flow, e, c);
}

/* What became of the bytes the server wrote, once the run is over. */
static int finish(void *facts, const struct fold *c)
{
	struct wt *w = facts;
	const struct flow *f = &w->flow;

	if (flow_finish(&w->flow, c) < 0)
		return -1;
	if (!w->partial_write_bytes.has) {
		w->partial_write_bytes = w->short_write;
		w->partial_requested = w->short_requested;
	}
	w->client_closed = starts_with(w->close_reason, "write timeout") ||
			   starts_with(w->close_reason, "user timeout");
	w->aborted = w->user_timeout_us.has || starts_with(w->close_reason, "user timeout");
	if ((w->aborted || f->signalled) && f->bytes_sent.has && f->bytes_received.has)
		opt_set(&w->bytes_undelivered, f->bytes_sent.v - f->bytes_received.v);
	return 0;
}

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
	fputs("A client that stops reading: what the server's send buffer held, what write() did, "
	      "when the server gave up (s since the connection was established)\n", t->out);
}

static struct opt us_ns(struct opt us)
{
	return (struct opt){ us.has, us.v * NS_PER_US };
}

static struct opt since_zero(const struct wt *w, struct opt t)
{
	if (t.has)
		t.v -= w->flow.zero_ns;
	return t;
}

static void figures(struct figs *fs, const void *facts)
{
	const struct wt *w = facts;
	const struct flow *f = &w->flow;

	fig_put(fs, "sndbuf_requested", U_BYTES, f->sndbuf_requested);
	fig_put(fs, "sndbuf_actual", U_BYTES, f->sndbuf_actual);
	fig_put(fs, "sndbuf_reference", U_DOC_KB, (struct opt){ 1, REFERENCE_BUF_BYTES });
	fig_ns(fs, "write_blocked_ms", U_MS, us_ns(f->write_blocked_us));
	fig_ns(fs, "write_first_blocked_at_ms", U_MOMENT, since_zero(w, w->first_blocked_at_ns));
	fig_put(fs, "partial_write_bytes", U_COUNT, w->partial_write_bytes);
	fig_put(fs, "partial_write_requested_bytes", U_COUNT, w->partial_requested);
	fig_ns(fs, "write_timeout_set_ms", U_MS1, us_ns(w->write_timeout_set_us));
	fig_ns(fs, "user_timeout_set_ms", U_MS1, us_ns(w->user_timeout_set_us));
	fig_ns(fs, "write_timeout_fired_ms", U_MS1, us_ns(w->write_timeout_us));
	if (w->write_timeouts > 0)
		fig_int(fs, "write_timeouts", w->write_timeouts);
	fig_ns(fs, "user_timeout_after_block_ms", U_MS1, us_ns(w->user_timeout_us));
	fig_ns(fs, "user_timeout_after_first_probe_ms", U_MS1, w->user_after_probe_ns);
	if (f->cast.server_seen)
		fig_int(fs, "client_closed", w->client_closed);
	if (w->client_closed)
		fig_ns(fs, "server_closed_at_ms", U_MOMENT, since_zero(w, w->close_at_ns));
	fig_ns(fs, "stall_ms", U_MS, us_ns(f->stall_us));
	fig_ns(fs, "stall_planned_ms", U_MS, us_ns(f->stall_planned));
	if (w->stall_cut)
		fig_ns(fs, "client_ended_at_ms", U_MOMENT, since_zero(w, w->client_end_at_ns));
	fig_put(fs, "bytes_sent", U_COUNT, f->bytes_sent);
	fig_put(fs, "bytes_received", U_COUNT, f->bytes_received);
	/* An aborted connection loses what the send buffer held, as TCP_USER_TIMEOUT means; a
	 * side a signal stopped leaves bytes on their way. */
	if (w->aborted || f->signalled)
		fig_put(fs, "bytes_undelivered", U_COUNT, w->bytes_undelivered);
	else
		fig_put(fs, "bytes_lost", U_COUNT, f->bytes_lost);
	fig_put(fs, "pattern_errors", U_COUNT, f->cast.pattern_errors);
	cast_figures(fs, &f->cast);
	/* Beyond the lesson's list: where the undelivered bytes were. */
	fig_put(fs, "sendq_at_user_timeout_bytes", U_COUNT, w->sendq_at_user_timeout);
	if (w->aborted && w->bytes_undelivered.has && w->sendq_at_user_timeout.has &&
	    w->sendq_at_user_timeout.v <= w->bytes_undelivered.v)
		fig_int(fs, "unread_at_user_timeout_bytes",
			w->bytes_undelivered.v - w->sendq_at_user_timeout.v);
}

/* The first write timeout, and what the server did about it. */
static void story_write_timeout_fired(struct story *s, const struct wt *w)
{
	int many = w->write_timeouts > 1;

	if (w->form == WT_SHORT && has(s, "partial_write_requested_bytes"))
		say(s, " SO_SNDTIMEO gave up on it after %F: write() returned %F of %F bytes",
		    "write_timeout_fired_ms", "partial_write_bytes", "partial_write_requested_bytes");
	else if (w->form == WT_SHORT)
		say(s, " SO_SNDTIMEO gave up on it after %F: write() returned %F bytes",
		    "write_timeout_fired_ms", "partial_write_bytes");
	else if (w->form == WT_EAGAIN)
		say(s, " SO_SNDTIMEO gave up on it after %F: write() returned EAGAIN, nothing "
		    "written", "write_timeout_fired_ms");
	else
		say(s, " The server's write timer fired after %F of EAGAIN", "write_timeout_fired_ms");
	say(s, ".");
	if (many)
		say(s, " The write timeout fired %T in all", "write_timeouts");
	if (starts_with(w->close_reason, "write timeout")) {
		say(s, many ? "; the server then closed the slow client"
			    : " The server then closed the slow client");
		if (has(s, "server_closed_at_ms"))
			say(s, " at %F", "server_closed_at_ms");
		say(s, " instead of waiting for it.");
	} else {
		say(s, many ? "; the server kept waiting." : " The server kept waiting.");
	}
}

static void story_write_timeout(struct story *s, const struct wt *w)
{
	const struct flow *f = &w->flow;

	story_buffer(s, f->writer_seen, "server", "send", "SO_SNDBUF", "sndbuf");
	if (w->stall_cut && has(s, "stall_ms"))
		say(s, " The client stopped reading for %F (its plan said %F): it was ended%s at "
		    "%F, before its stall was over.", "stall_ms", "stall_planned_ms",
		    w->client_signalled ? " by a signal" : "", "client_ended_at_ms");
	else
		story_stall(s, f, "The client");
	if (has(s, "write_first_blocked_at_ms")) {
		say(s, " The server's first write() to block was called at %F",
		    "write_first_blocked_at_ms");
		if (has(s, "write_blocked_ms"))
			say(s, "; write() was blocked %F in all", "write_blocked_ms");
		say(s, ".");
	} else if (f->writer_seen) {
		say(s, " The server's write() never blocked.");
	}
	if (w->write_timeouts > 0)
		story_write_timeout_fired(s, w);
	else if (has(s, "write_timeout_set_ms"))
		say(s, " The server's write timeout (%F) never fired: no write() waited that long.",
		    "write_timeout_set_ms");
	if (has(s, "user_timeout_set_ms") && !has(s, "user_timeout_after_block_ms"))
		say(s, " The server's TCP_USER_TIMEOUT (%F) never fired: the client read again "
		    "before the kernel gave up on it.", "user_timeout_set_ms");
	if (has(s, "user_timeout_after_first_probe_ms"))
		say(s, " The kernel gave up on the client %F after its first probe of the closed "
		    "window (TCP_USER_TIMEOUT counts from there, though the client answered it), "
		    "%F after the server's write() blocked, and aborted the connection "
		    "(ETIMEDOUT).", "user_timeout_after_first_probe_ms",
		    "user_timeout_after_block_ms");
	else if (has(s, "user_timeout_after_block_ms"))
		say(s, " The kernel gave up on the client %F after the server's write() blocked "
		    "(TCP_USER_TIMEOUT: ETIMEDOUT) and aborted the connection.",
		    "user_timeout_after_block_ms");
	if (!w->aborted || !has(s, "bytes_undelivered")) {
		story_bytes(s);
		return;
	}
	say(s, " %F bytes sent, %F received: %F undelivered.", "bytes_sent", "bytes_received",
	    "bytes_undelivered");
	if (has(s, "unread_at_user_timeout_bytes")) {
		say(s, " When the kernel gave up, %F of them were still in the server's send "
		    "buffer, never acknowledged (the send buffer keeps data until the peer ACKs "
		    "it)", "sendq_at_user_timeout_bytes");
		if (val(s, "unread_at_user_timeout_bytes") > 0)
			say(s, "; the other %F had reached the client's receive buffer, never read",
			    "unread_at_user_timeout_bytes");
		say(s, ".");
	}
	story_totals(s, NULL, NULL, NULL, "pattern_errors");
}

static void summary(struct story *s, const void *facts)
{
	const struct wt *w = facts;

	story_missing(s, w->flow.cast.client_seen ? NULL : "the client (slow_reader, role connect)",
		      &w->flow.cast);
	story_write_timeout(s, w);
}

/* --predict: why the kernel gave up when it did. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "under a zero window the kernel counts TCP_USER_TIMEOUT from its first "
	    "zero-window probe, not from when write() blocked");
	if (has(s, "user_timeout_after_first_probe_ms"))
		say(s, ": it gave up %F after the first probe", "user_timeout_after_first_probe_ms");
	if (has(s, "user_timeout_after_block_ms"))
		say(s, ", %F after write() blocked", "user_timeout_after_block_ms");
	say(s, ". The difference is the wait for the persist timer's first probe; and a client "
	    "that answers probes never times out without the setting.");
}

const struct lesson lesson_write_timeout = {
	.name = "write_timeout",
	.help = "a client stops reading, the server's write timeout or TCP_USER_TIMEOUT "
		"(client slow_reader)",
	.watch = "Watch write() block against a client that stopped reading: without a timeout "
		 "it waits as long as the client stalls. SO_SNDTIMEO gives up after a partial "
		 "write; TCP_USER_TIMEOUT makes the kernel end the connection itself.",
	.question = "The server sets TCP_USER_TIMEOUT (1 s by default: --user-timeout) and its "
		    "client stops reading for good. How long after write() blocks will the kernel "
		    "give up on the client?",
	.answer = "user_timeout_after_block_ms",
	.answer_unit = U_MS1,
	.answer_run = "user_",
	.why = why,
	.plot_title = "a client stops reading, the send buffer fills, the server gives up",
	.reader = "client",
	.writer = "server",
	.parties = parties,
	.flags = LF_HIDE_SHORT_WAITS | LF_MERGE_TIMEOUTS | LF_VERDICT,
	.facts_size = sizeof(struct wt),
	.start = start,
	.event = event,
	.finish = finish,
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
