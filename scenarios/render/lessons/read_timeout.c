/* read_timeout: the reference document's "Slow Reader" remedy, SO_RCVTIMEO, seen from a server
 * whose client stalls in the middle of its request: without a read timeout the server waits
 * for as long as the client stalls; with one, read() gives up and the server closes the slow
 * client. */
#include "request.h"

#include <inttypes.h>

static const struct party_rule parties[] = {
	{ "fast_peer", "listen", P_SERVER }, { "slow_writer", "connect", P_CLIENT },
	{ NULL, NULL, P_NONE },
};

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
	{ "Client wrote", 12, 0, cell_wrote }, { "Server read", 11, 0, cell_read },
	{ "Server receive buffer (recvq)", 29, 0, cell_srv_recvq },
};

static void title(const struct table *t)
{
	fputs("A request that stops halfway: what the client wrote, what the server read, when it "
	      "gave up (time in s)\n", t->out);
}

/* The server's read timeout, or the lack of one. */
static void story_read_wait(struct text *t, const struct request *q)
{
	char a[48], b[48];

	if (q->read_timeouts > 0) {
		fmt_dur(a, sizeof(a), q->read_timeout_us.v * 1000);
		if (q->read_timeout_errno[0])
			text_add(t, " The server's read() gave up%s%s (SO_RCVTIMEO: %s)",
				 q->read_timeout_us.has ? " after " : "",
				 q->read_timeout_us.has ? a : "", q->read_timeout_errno);
		else
			text_add(t, " The server's event timeout fired%s%s with no data",
				 q->read_timeout_us.has ? " after " : "",
				 q->read_timeout_us.has ? a : "");
		if (q->read_timeouts > 1)
			text_add(t, " (%s in all)", fmt_times(b, sizeof(b), q->read_timeouts));
		if (q->client_closed) {
			text_add(t, " and the server closed the slow client");
			if (q->server_waited_ns.has)
				text_add(t, ", %s after its first read() began",
					 fmt_dur(a, sizeof(a), q->server_waited_ns.v));
			text_add(t, "%s.", q->request_complete ? "" : ", without an answer");
		} else if (q->request_complete && q->server_waited_ns.has) {
			text_add(t, "; the server kept waiting and answered %s after its first "
				 "read() began.", fmt_dur(a, sizeof(a), q->server_waited_ns.v));
		} else {
			text_add(t, ".");
		}
	} else if (q->request_complete && q->server_waited_ns.has) {
		text_add(t, " The server set no read timeout: it waited %s, from its first read() "
			 "until the request was complete and it answered.",
			 fmt_dur(a, sizeof(a), q->server_waited_ns.v));
	} else if (q->server_waited_ns.has) {
		text_add(t, " The server set no read timeout: it waited %s, from its first read() "
			 "until it closed the connection%s%s.",
			 fmt_dur(a, sizeof(a), q->server_waited_ns.v), q->close_reason[0] ? ": " : "",
			 q->close_reason);
	}
}

static void story_read_timeout(struct text *t, const struct request *q)
{
	char a[48], b[48];

	if (q->client_stalls > 0 && q->bytes_before_stall.has) {
		text_add(t, " The client wrote %s %s of its request, then stopped writing",
			 fmt_count(a, sizeof(a), q->bytes_before_stall.v),
			 plural(q->bytes_before_stall.v, "byte", "bytes"));
		if (q->client_stall_us.has)
			text_add(t, " for %s", fmt_dur(b, sizeof(b), q->client_stall_us.v * 1000));
		text_add(t, ".");
	} else if (q->request_bytes.has) {
		text_add(t, " The client wrote its %s-byte request without stopping.",
			 fmt_count(a, sizeof(a), q->request_bytes.v));
	}
	story_read_wait(t, q);
	if (q->client_closed && q->client_eof_at_ns.has)
		text_add(t, " The client saw the connection close at %s s%s (read() returned 0).",
			 fmt_secs(a, sizeof(a), q->client_eof_at_ns.v - q->zero_ns),
			 q->eof_in_stall ? ", in the middle of its stall" : "");
	if (q->request_complete && q->response_bytes.has && q->response_bytes.v > 0)
		text_add(t, " The request was complete; the answer was %s bytes.",
			 fmt_count(a, sizeof(a), q->response_bytes.v));
	story_request_bytes(t, q, 0);
}

static void summary(struct story *s, const void *facts)
{
	const struct request *q = facts;

	story_missing(&s->t, q->cast.client_seen ? NULL : "the client (slow_writer, role connect)",
		      &q->cast);
	story_read_timeout(&s->t, q);
}

static void figures(struct figs *fs, const void *facts)
{
	const struct request *q = facts;

	fig_ns(fs, "client_stall_ms", U_MS, (struct opt){ q->client_stall_us.has,
							 q->client_stall_us.v * NS_PER_US });
	fig_ns(fs, "read_timeout_fired_ms", U_MS1, (struct opt){ q->read_timeout_us.has,
								 q->read_timeout_us.v * NS_PER_US });
	if (q->cast.server_seen)
		fig_int(fs, "client_closed", q->client_closed);
	fig_ns(fs, "server_waited_ms", U_MS1, q->server_waited_ns);
	if (q->cast.server_seen)
		fig_int(fs, "request_complete", q->request_complete);
	/* Beyond the lesson's list: the request's bytes, as the paragraph tells them. */
	fig_put(fs, "client_bytes_sent", U_COUNT, q->request_bytes);
	fig_put(fs, "server_bytes_received", U_COUNT, q->server_received);
	request_figures_end(fs, q);
}

const struct lesson lesson_read_timeout = {
	.name = "read_timeout",
	.help = "a client stops writing mid-request, the server's read timeout (client "
		"slow_writer)",
	.plot_title = "a client stops writing mid-request; the server's read timeout",
	.reader = "client",
	.writer = "server",
	.parties = parties,
	.flags = LF_WRITES_AT_START,
	.facts_size = sizeof(struct request),
	.start = start,
	.event = request_event,
	.finish = request_finish,
	.release = request_release,
	.buffers = NULL,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.sample_row = request_sample_row,
	.figures = figures,
	.summary = summary,
	.plot = request_plot,
};
