/* request_response: the reference document's "Complete Flow: Both Buffers", with real numbers.
 * A client (slow_writer) writes the document's request at once; the server (fast_peer
 * --respond) leaves it unread a while, so it waits in the server's receive buffer; then the
 * server reads it and answers, and the answer waits in its send buffer for the client's ACK. */
#include "request.h"

#include <inttypes.h>

static const char *cell_srv_sendq(char *buf, size_t len, const void *facts)
{
	const struct request *q = facts;

	return fmt_pair(buf, len, q->srv_sendq, q->srv_sndbuf);
}

static const char *cell_srv_sendq_short(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct request *)facts)->srv_sendq);
}

static const struct coldef columns[] = {
	{ "Server receive buffer (recvq)", 29, COL_ALWAYS, cell_srv_recvq, NULL, 0 },
	{ "Server send buffer (sendq)", 26, COL_ALWAYS, cell_srv_sendq, NULL, 0 },
};

/* On a terminal: the server's queues as ss names them. */
static const struct coldef narrow[] = {
	{ "Recv-Q", 9, COL_ALWAYS, cell_srv_recvq_short, NULL, 1 },
	{ "Send-Q", 9, COL_ALWAYS, cell_srv_sendq_short, NULL, 1 },
};

static void title(const struct table *t)
{
	fputs("The request and the response: what waited in the server's receive and send "
	      "buffers (s since the connection was established)\n", t->out);
}

static void start(void *facts, const struct fold *c)
{
	request_start(facts, c, 1);
}

/* Both buffers are the server's, where the request and the response wait. */
static int buffers(FILE *out, const struct options *o, const void *facts)
{
	const struct request *q = facts;
	struct buffer_line rcv = { "receive buffer (server)", q->socket_seen, q->rcvbuf_requested,
				   q->rcvbuf_actual };
	struct buffer_line snd = { "send buffer (server)", q->socket_seen, q->sndbuf_requested,
				   q->sndbuf_actual };

	print_buffer_block(out, o, &rcv, &snd, q->cc[0] ? q->cc : NULL,
			   q->cc_requested[0] ? q->cc_requested : NULL);
	return 1;
}

/* How long the response waited in the send buffer for its ACK: what the capture saw, and what
 * SIOCOUTQ said right after write() returned. */
static void story_response_ack(struct story *s)
{
	if (has(s, "response_ack_after_segment_us")) {
		say(s, " On the wire the client's ACK came %F after the response's segment",
		    "response_ack_after_segment_us");
		if (has(s, "response_ack_before_write_return_us"))
			say(s, ", %F before the server's write() returned",
			    "response_ack_before_write_return_us");
		else if (has(s, "response_ack_after_write_return_us"))
			say(s, ", %F after the server's write() returned",
			    "response_ack_after_write_return_us");
		say(s, ".");
	}
	if (has(s, "response_sendq_after_write_bytes")) {
		say(s, " Right after write() returned, SIOCOUTQ read %F", "response_sendq_after_write_bytes");
		if (val(s, "response_sendq_after_write_bytes") == 0)
			say(s, ": on loopback the ACK beats write()'s return, and nothing waits in the "
			    "send buffer for it (the document's response waiting for its ACK shows "
			    "only when ACKs are slow or lost).");
		else
			say(s, " bytes, not yet acknowledged.");
	}
	if (has(s, "response_in_sendq_ms") && has(s, "response_ack_before_write_return_us"))
		say(s, " The server's first look at SIOCOUTQ, %F after write() returned, found it "
		    "empty already.", "response_in_sendq_ms");
	else if (has(s, "response_in_sendq_ms"))
		say(s, " The send buffer held it until the client's ACK, %F after write() returned.",
		    "response_in_sendq_ms");
	if (has(s, "acks_dropped_from_ms")) {
		say(s, " The link dropped the client's ACKs from %F to %F (%F of them seen on the "
		    "wire)", "acks_dropped_from_ms", "acks_dropped_until_ms", "acks_dropped");
		if (val(s, "response_retransmissions") > 0)
			say(s, ", and the server sent the response again %T: the send buffer kept it "
			    "for that", "response_retransmissions");
		say(s, ".");
	}
}

static void summary(struct story *s, const void *facts)
{
	static const char *const names[4] = {
		"request_bytes", "server_bytes_received", "response_bytes", "client_bytes_received"
	};
	const struct request *q = facts;

	story_missing(s, q->cast.client_seen ? NULL : "the client (slow_writer, role connect)",
		      &q->cast);
	if (has(s, "request_bytes")) {
		say(s, " The client wrote the %F-byte request (the reference document says %F; its "
		    "text is %F)", "request_bytes", "request_bytes_reference", "request_text_bytes");
		if (q->client_writes > 1 && has(s, "client_last_write_at_ms"))
			say(s, " in %F writes, the last at %F.", "client_writes",
			    "client_last_write_at_ms");
		else if (has(s, "client_last_write_at_ms"))
			say(s, " at %F.", "client_last_write_at_ms");
		else
			say(s, ".");
	}
	if (q->request_in_buffer_ns.has && q->request_in_buffer_ns.v > 0) {
		say(s, " It waited %F in the server's receive buffer", "request_in_buffer_ms");
		if (val(s, "server_recvq_max_bytes") > 0)
			say(s, " (SIOCINQ showed %F %s)", "server_recvq_max_bytes",
			    plural(val(s, "server_recvq_max_bytes"), "byte", "bytes"));
		say(s, " until the server called read().");
	} else if (q->request_in_buffer_ns.has) {
		say(s, " The server was already waiting in read() when it arrived.");
	}
	if (val(s, "response_bytes") > 0) {
		say(s, " The %F-byte response (the document says %F; its text is %F) went into the "
		    "server's send buffer.", "response_bytes", "response_bytes_reference",
		    "response_text_bytes");
		story_response_ack(s);
	} else if (has(s, "response_bytes")) {
		say(s, " The server sent no response.");
	}
	story_request_bytes(s, names, 1);
}

static void figures(struct figs *fs, const void *facts)
{
	const struct request *q = facts;

	fig_put(fs, "rcvbuf_requested", U_BYTES, q->rcvbuf_requested);
	fig_put(fs, "rcvbuf_actual", U_BYTES, q->rcvbuf_actual);
	fig_put(fs, "sndbuf_requested", U_BYTES, q->sndbuf_requested);
	fig_put(fs, "sndbuf_actual", U_BYTES, q->sndbuf_actual);
	fig_put(fs, "request_bytes", U_COUNT, q->request_bytes);
	fig_int(fs, "request_bytes_reference", REFERENCE_REQUEST_BYTES);
	fig_int(fs, "request_text_bytes", REQUEST_TEXT_BYTES);
	if (q->client_writes > 0)
		fig_int(fs, "client_writes", q->client_writes);
	if (q->last_write_start_ns.has)
		fig_ns(fs, "client_last_write_at_ms", U_MOMENT,
		       (struct opt){ 1, q->last_write_start_ns.v - q->zero_ns });
	fig_put(fs, "response_bytes", U_COUNT, q->response_bytes);
	fig_int(fs, "response_bytes_reference", REFERENCE_RESPONSE_BYTES);
	fig_int(fs, "response_text_bytes", RESPONSE_TEXT_BYTES);
	fig_ns(fs, "request_in_buffer_ms", U_MS1, q->request_in_buffer_ns);
	fig_put(fs, "server_recvq_max_bytes", U_COUNT, q->server_recvq_max);
	fig_put(fs, "response_sendq_after_write_bytes", U_COUNT, q->response_sendq_after);
	fig_ns(fs, "response_in_sendq_ms", U_MS1, (struct opt){ q->response_in_sendq_us.has,
							       q->response_in_sendq_us.v * NS_PER_US });
	if (q->link_down_ns.has) {
		fig_ns(fs, "acks_dropped_from_ms", U_MOMENT,
		       (struct opt){ 1, q->link_down_ns.v - q->zero_ns });
		fig_ns(fs, "acks_dropped_until_ms", U_MOMENT,
		       (struct opt){ q->link_up_ns.has, q->link_up_ns.v - q->zero_ns });
		fig_int(fs, "acks_dropped", q->acks_dropped);
		fig_int(fs, "response_retransmissions", q->response_retransmissions);
	}
	if (q->response_seg_ns.has && q->response_ack_ns.has)
		fig_ns(fs, "response_ack_after_segment_us", U_US,
		       (struct opt){ 1, q->response_ack_ns.v - q->response_seg_ns.v });
	if (q->response_ack_ns.has && q->response_write_end_ns.has) {
		int64_t before = q->response_write_end_ns.v - q->response_ack_ns.v;

		fig_ns(fs, before >= 0 ? "response_ack_before_write_return_us"
				       : "response_ack_after_write_return_us", U_US,
		       (struct opt){ 1, before >= 0 ? before : -before });
	}
	fig_put(fs, "server_bytes_received", U_COUNT, q->server_received);
	fig_put(fs, "client_bytes_received", U_COUNT, q->client_received);
	request_figures_end(fs, q);
}

/* --predict: why the send buffer held what it held right after write(). */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "the send buffer keeps bytes until they are acknowledged");
	if (has(s, "response_ack_after_segment_us"))
		say(s, ", and on loopback the client's ACK came %F after the response's segment",
		    "response_ack_after_segment_us");
	if (has(s, "response_ack_before_write_return_us"))
		say(s, ", %F before write() returned", "response_ack_before_write_return_us");
	else if (has(s, "response_ack_after_write_return_us"))
		say(s, ", %F after write() returned", "response_ack_after_write_return_us");
	say(s, ". The document's picture, where the response waits for its ACK, is a real "
	    "network's: there the ACK takes a round trip.");
}

const struct lesson lesson_request_response = {
	.name = "request_response",
	.help = "the request waits in the server's receive buffer, the response in its send "
		"buffer (client slow_writer)",
	.watch = "Watch the request wait in the server's receive buffer (Recv-Q) while the "
		 "server does not read. Then watch the response's bytes in the send buffer "
		 "(Send-Q): the reference document keeps them there until the client's ACK.",
	.question = "Right after the server's write() of its 24-byte response returns, how many "
		    "bytes will still wait in its send buffer for the client's ACK?",
	.answer = "response_sendq_after_write_bytes",
	.answer_unit = U_COUNT,
	.answer_run = "plain_",
	.why = why,
	.plot_title = "the request waits in the server's receive buffer, the response in its "
		      "send buffer",
	.reader = "client",
	.writer = "server",
	REQUEST_LESSON,
	.start = start,
	.buffers = buffers,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.narrow = narrow,
	.nnarrow = sizeof(narrow) / sizeof(narrow[0]),
	.figures = figures,
	.summary = summary,
};
