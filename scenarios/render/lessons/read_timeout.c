/* read_timeout: the reference document's "Slow Reader" remedy, SO_RCVTIMEO, seen from a server
 * whose client stalls in the middle of its request: without a read timeout the server waits
 * for as long as the client stalls; with one, read() gives up and the server closes the slow
 * client. */
#include "request.h"

#include <inttypes.h>

static const char *cell_wrote(char *buf, size_t len, const void *facts)
{
	return fmt_pair(buf, len, ((const struct request *)facts)->wrote, (struct opt){ 0, 0 });
}

static const char *cell_read(char *buf, size_t len, const void *facts)
{
	return fmt_pair(buf, len, ((const struct request *)facts)->read, (struct opt){ 0, 0 });
}

static void start(void *facts, const struct fold *c)
{
	request_start(facts, c, 0);
}

static const struct coldef columns[] = {
	{ "Client wrote", 12, COL_ALWAYS, cell_wrote, NULL, 0 },
	{ "Server read", 11, COL_ALWAYS, cell_read, NULL, 0 },
	{ "Server receive buffer (recvq)", 29, COL_ALWAYS, cell_srv_recvq, NULL, 0 },
};

/* On a terminal: the server's receive queue as ss names it. */
static const struct coldef narrow[] = {
	{ "Wrote", 9, COL_ALWAYS, cell_wrote, NULL, 1 },
	{ "Read", 9, COL_ALWAYS, cell_read, NULL, 1 },
	{ "Recv-Q", 9, COL_ALWAYS, cell_srv_recvq_short, NULL, 1 },
};

static void title(const struct table *t)
{
	fputs("A request that stops halfway: what the client wrote, what the server read, when it "
	      "gave up (s since the connection was established)\n", t->out);
}

/* The server's read timeout, or the lack of one. */
/* The server's read timeout, or the lack of one. */
static void story_read_wait(struct story *s, const struct request *q)
{
	if (q->read_timeouts > 0) {
		say(s, q->read_timeout_errno[0] ? " The server's read() gave up"
						      : " The server's event timeout fired");
		if (has(s, "read_timeout_fired_ms"))
			say(s, " after %F", "read_timeout_fired_ms");
		if (q->read_timeout_errno[0])
			say(s, " (SO_RCVTIMEO: %s)", q->read_timeout_errno);
		else
			say(s, " with no data");
		if (q->read_timeouts > 1)
			say(s, " (%T in all)", "read_timeouts");
		if (q->client_closed) {
			say(s, " and the server closed the slow client");
			if (has(s, "server_waited_ms"))
				say(s, ", %F after its first read() began", "server_waited_ms");
			say(s, "%s.", q->request_complete ? "" : ", without an answer");
		} else if (q->request_complete && has(s, "server_waited_ms")) {
			say(s, "; the server kept waiting and answered %F after its first read() "
			    "began.", "server_waited_ms");
		} else {
			say(s, ".");
		}
	} else if (has(s, "read_timeout_set_ms") && has(s, "server_waited_ms")) {
		say(s, " The server's read timeout (%F) never fired: it waited %F, from its first "
		    "read() until %s; the client never kept one read() waiting that long.",
		    "read_timeout_set_ms", "server_waited_ms",
		    q->request_complete ? "the request was complete and it answered"
					: "it closed the connection");
	} else if (q->request_complete && has(s, "server_waited_ms")) {
		say(s, " The server set no read timeout: it waited %F, from its first read() until "
		    "the request was complete and it answered.", "server_waited_ms");
	} else if (has(s, "server_waited_ms")) {
		say(s, " The server set no read timeout: it waited %F, from its first read() until "
		    "it closed the connection%s%s.", "server_waited_ms",
		    q->close_reason[0] ? ": " : "", q->close_reason);
	}
}

static void summary(struct story *s, const void *facts)
{
	static const char *const names[4] = {
		"client_bytes_sent", "server_bytes_received", "server_bytes_sent",
		"client_bytes_received"
	};
	const struct request *q = facts;

	story_missing(s, q->cast.client_seen ? NULL : "the client (slow_writer, role connect)",
		      &q->cast);
	if (q->client_stalls > 0 && has(s, "client_bytes_before_stall")) {
		say(s, " The client wrote %F %s of its request, then stopped writing",
		    "client_bytes_before_stall",
		    plural(val(s, "client_bytes_before_stall"), "byte", "bytes"));
		if (has(s, "client_stall_ms"))
			say(s, " for %F", "client_stall_ms");
		if (q->eof_in_stall && has(s, "client_stall_planned_ms"))
			say(s, " (its plan said %F: the server closed on it first)",
			    "client_stall_planned_ms");
		say(s, ".");
	} else if (has(s, "client_bytes_sent")) {
		say(s, " The client wrote its %F-byte request without stopping.",
		    "client_bytes_sent");
	}
	story_read_wait(s, q);
	if (q->client_closed && has(s, "client_eof_at_ms"))
		say(s, " The client saw the connection close at %F%s (its read() met the end of the stream).",
		    "client_eof_at_ms", q->eof_in_stall ? ", in the middle of its stall" : "");
	if (q->request_complete && val(s, "server_bytes_sent") > 0)
		say(s, " The request was complete; the answer was %F bytes.", "server_bytes_sent");
	story_request_bytes(s, names, 0);
}

static void figures(struct figs *fs, const void *facts)
{
	const struct request *q = facts;

	if (q->client_stalls > 0)
		fig_put(fs, "client_bytes_before_stall", U_COUNT, q->bytes_before_stall);
	fig_ns(fs, "client_stall_ms", U_MS, q->client_stalled_ns);
	fig_ns(fs, "client_stall_planned_ms", U_MS, (struct opt){ q->client_stall_us.has,
								 q->client_stall_us.v * NS_PER_US });
	fig_ns(fs, "read_timeout_set_ms", U_MS1, (struct opt){ q->read_timeout_set_us.has,
							       q->read_timeout_set_us.v * NS_PER_US });
	fig_ns(fs, "read_timeout_fired_ms", U_MS1, (struct opt){ q->read_timeout_us.has,
								 q->read_timeout_us.v * NS_PER_US });
	if (q->read_timeouts > 0)
		fig_int(fs, "read_timeouts", q->read_timeouts);
	if (q->cast.server_seen)
		fig_int(fs, "client_closed", q->client_closed);
	fig_ns(fs, "server_waited_ms", U_MS1, q->server_waited_ns);
	if (q->cast.server_seen)
		fig_int(fs, "request_complete", q->request_complete);
	if (q->client_eof_at_ns.has)
		fig_ns(fs, "client_eof_at_ms", U_MOMENT,
		       (struct opt){ 1, q->client_eof_at_ns.v - q->zero_ns });
	/* Beyond the lesson's list: the request's bytes, as the paragraph tells them. */
	fig_put(fs, "client_bytes_sent", U_COUNT, q->request_bytes);
	fig_put(fs, "server_bytes_received", U_COUNT, q->server_received);
	fig_put(fs, "server_bytes_sent", U_COUNT, q->response_bytes);
	fig_put(fs, "client_bytes_received", U_COUNT, q->client_received);
	request_figures_end(fs, q);
}

/* --predict: why the server gave up when it did. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "SO_RCVTIMEO bounds one call of read(), counted from when it began to wait, "
	    "not the whole request");
	if (has(s, "read_timeout_fired_ms"))
		say(s, ": read() gave up after %F, a little after the setting (the kernel's timer "
		    "wheel rounds a timeout of a second up to its next slot, tens of ms coarse)",
		    "read_timeout_fired_ms");
	if (has(s, "server_waited_ms"))
		say(s, ", and the server closed the slow client %F after its first read() began",
		    "server_waited_ms");
	say(s, ". The timeout does not care how long the client meant to stall");
	if (has(s, "client_stall_planned_ms"))
		say(s, " (%F)", "client_stall_planned_ms");
	say(s, ": without it, the server would have waited all that time.");
}

const struct lesson lesson_read_timeout = {
	.name = "read_timeout",
	.help = "a client stops writing mid-request, the server's read timeout (client "
		"slow_writer)",
	.watch = "Watch the client write half its request and stop. Without a read timeout the "
		 "server waits as long as the client stalls; with one, read() gives up and the "
		 "server closes the slow client.",
	.question = "The client stops halfway through its request (for 3 s by default); the "
		    "server's read() has a timeout (SO_RCVTIMEO, 1 s by default: --read-timeout). "
		    "How long will read() wait before it gives up?",
	.answer = "read_timeout_fired_ms",
	.answer_unit = U_MS1,
	.answer_run = "timeout_",
	.why = why,
	.plot_title = "a client stops writing mid-request; the server's read timeout",
	.reader = "client",
	.writer = "server",
	REQUEST_LESSON,
	.start = start,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.narrow = narrow,
	.nnarrow = sizeof(narrow) / sizeof(narrow[0]),
	.figures = figures,
	.summary = summary,
};
