/* request: see request.h. One fold of the events updates the server's queues and the request so
 * far (the table's cells), writes the row's clauses when a table is drawn, and gathers the
 * request's figures and the picture's series. */
#include "request.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The server (fast_peer --listen) and its one client, a slow_writer. */
const struct party_rule request_parties[] = {
	{ "fast_peer", "listen", P_SERVER }, { "slow_writer", "connect", P_CLIENT },
	{ NULL, NULL, P_NONE },
};

static void copy_str(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s ? s : "");
}

static void opt_add(struct opt *o, struct opt v)
{
	if (!v.has)
		return;
	o->v = (o->has ? o->v : 0) + v.v;
	o->has = 1;
}

/* A finished run's table knows the server's buffers, and that nothing was read or written
 * yet, from the start. */
void request_start(struct request *q, const struct fold *c, int request_response)
{
	const struct request *whole = c->whole;

	q->request_response = request_response;
	q->zero_ns = c->zero_ns;
	cast_start(&q->cast, c);
	if (whole == NULL)
		return;
	q->srv_rcvbuf = whole->rcvbuf_actual;
	q->srv_sndbuf = whole->sndbuf_actual;
	if (whole->cast.server_seen)
		opt_set(&q->read, 0);
	if (whole->cast.client_seen)
		opt_set(&q->wrote, 0);
}

/* ---- the table's view ---- */

/* The server's queues: a row where either changes. Before its first sample both count as
 * empty, so a request already waiting in the first one has its row. */
static void server_queues(struct request *q, const struct event *e, struct note *n)
{
	struct opt r = slot_opt(e, S_RECVQ), s = slot_opt(e, S_SENDQ);
	int64_t was;
	char a[48];

	if (r.has) {
		was = q->srv_recvq.has ? q->srv_recvq.v : 0;
		fmt_count(a, sizeof(a), r.v);
		if (r.v > was && q->server_reads == 0)
			note_add(n, "the request waits in the server's receive buffer%s: "
				 "SIOCINQ %s", q->server_stalled ? " while the server does not read"
								 : "", a);
		else if (r.v > was)
			note_add(n, "more of the request waits in the server's receive buffer: "
				 "SIOCINQ %s", a);
		else if (r.v < was)
			note_add(n, "the server's receive buffer %s: SIOCINQ %s",
				 r.v == 0 ? "is empty again" : "empties", a);
		q->srv_recvq = r;
	}
	if (s.has) {
		was = q->srv_sendq.has ? q->srv_sendq.v : 0;
		fmt_count(a, sizeof(a), s.v);
		if (s.v > was)
			note_add(n, "the response waits in the server's send buffer for the "
				 "client's ACK: SIOCOUTQ %s", a);
		else if (s.v < was)
			note_add(n, "the server's send buffer %s: SIOCOUTQ %s", s.v == 0
				 ? "is empty again (the client acknowledged it all)" : "empties", a);
		q->srv_sendq = s;
	}
}

static void io_row(struct request *q, const struct event *e, struct note *n)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	int server = e->party == P_SERVER, rr = q->request_response;
	char a[48], b[64], c[48];

	if (bytes.has)
		fmt_size(a, sizeof(a), bytes.v);
	else
		snprintf(a, sizeof(a), "some bytes");
	if (dur.has)
		snprintf(b, sizeof(b), " (%s() took %s)", e->kind == K_READ ? "read" : "write",
			 fmt_dur(c, sizeof(c), dur.v));
	else
		b[0] = '\0';
	if (e->kind == K_WRITE && server) {
		note_add(n, "server writes the response: %s", a);
		if (slot_opt(e, IO_SENDQ_AFTER).has)
			note_add(n, "right after write() returned, SIOCOUTQ read %s",
				 fmt_count(c, sizeof(c), slot_opt(e, IO_SENDQ_AFTER).v));
	} else if (e->kind == K_WRITE) {
		if (q->client_writes == 0)
			note_add(n, rr ? "client writes the request: %s"
				    : "client writes %s of its request", a);
		else
			note_add(n, "client writes %s more", a);
		opt_add(&q->wrote, bytes);
	} else if (server) {
		if (q->server_reads == 0 && rr)
			note_add(n, "server reads the request: %s%s", a, b);
		else
			note_add(n, "server reads %s%s", a, b);
		opt_add(&q->read, bytes);
	} else {
		if (q->client_reads == 0)
			note_add(n, "client reads the response: %s", a);
		else
			note_add(n, "client reads %s more", a);
	}
}

/* The client writes its request (all at once, or with a stall in the middle), the server reads
 * it (after its own delay, or until its read timeout), answers, and the answer is
 * acknowledged. */
static void row(struct request *q, const struct event *e, struct note *n)
{
	int server = e->party == P_SERVER;
	const char *s = server ? "server" : "client", *reason = field_str(e, "reason");
	struct opt us = slot_opt(e, STALL_FOR_US), v;
	char a[48], b[48];

	switch (e->kind) {
	case K_SOCKET:
		if (server && !q->server_socket) {
			q->server_socket = 1;
			if (!q->srv_rcvbuf.has)
				q->srv_rcvbuf = field_opt(e, "rcvbuf_bytes");
			if (!q->srv_sndbuf.has)
				q->srv_sndbuf = field_opt(e, "sndbuf_bytes");
			if (!q->read.has)
				opt_set(&q->read, 0);
		} else if (!server && !q->wrote.has) {
			opt_set(&q->wrote, 0);
		}
		break;
	case K_SAMPLE:
		if (server)
			server_queues(q, e, n);
		break;
	case K_STALL_BEGIN:
		if (server)
			q->server_stalled = 1;
		if (server && us.has)
			note_add(n, "server does not call read() for %s: what arrives waits in its "
				 "receive buffer", fmt_dur(a, sizeof(a), us.v * 1000));
		else if (server)
			note_add(n, "server stops reading");
		else if (us.has)
			note_add(n, "client stops writing for %s",
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else
			note_add(n, "client stops writing");
		break;
	case K_STALL_END:
		/* The server's read, right after, has the row. */
		if (server)
			q->server_stalled = 0;
		else
			note_add(n, "client writes again");
		break;
	case K_READ:
	case K_WRITE:
		io_row(q, e, n);
		break;
	case K_ACKED:
		v = field_opt(e, "after_us");
		if (q->response_ack_ns.has && q->response_write_end_ns.has &&
		    q->response_ack_ns.v <= q->response_write_end_ns.v)
			note_add(n, "the server finds SIOCOUTQ at 0%s%s after write() returned: the "
				 "ACK had come before", v.has ? ", " : "",
				 v.has ? fmt_ms(a, sizeof(a), v.v * NS_PER_US) : "");
		else if (v.has)
			note_add(n, "the client's ACK empties the server's send buffer, %s after "
				 "write() returned", fmt_ms(a, sizeof(a), v.v * NS_PER_US));
		else
			note_add(n, "the client's ACK empties the server's send buffer");
		break;
	case K_TIMEOUT:
		note_timeout(n, e, (struct opt){ 0, 0 }, 0);
		break;
	case K_EOF:
		if (server)
			note_add(n, "server: the client closed its side (read() returned 0)");
		else
			note_add(n, "client: the server closed the connection (read() returned 0)");
		break;
	case K_CLOSE:
		if (server && starts_with(reason, "read timeout"))
			note_add(n, "server closes the slow client (%s)", reason);
		else
			note_add(n, "%s closes the connection%s%s", s, reason ? ": " : "",
				 reason ? reason : "");
		break;
	case K_WARNING:
	case K_ERROR:
		note_problem(n, s, e);
		break;
	case K_END:
		v = field_opt(e, "bytes_received");
		if (field_opt(e, "bytes_sent").has && v.has)
			note_add(n, "%s finished: %s bytes sent, %s received", s,
				 fmt_count(a, sizeof(a), field_opt(e, "bytes_sent").v),
				 fmt_count(b, sizeof(b), v.v));
		else
			note_add(n, "%s finished", s);
		break;
	default:
		break;
	}
}

/* ---- the figures' part of the fold ---- */

static void on_server(struct request *q, const struct event *e)
{
	struct opt dur = slot_opt(e, IO_DUR_NS), recvq = slot_opt(e, S_RECVQ);

	switch (e->kind) {
	case K_SOCKET:
		if (!q->socket_seen) {
			q->socket_seen = 1;
			q->rcvbuf_requested = field_opt(e, "rcvbuf_requested_bytes");
			q->rcvbuf_actual = field_opt(e, "rcvbuf_bytes");
			q->sndbuf_requested = field_opt(e, "sndbuf_requested_bytes");
			q->sndbuf_actual = field_opt(e, "sndbuf_bytes");
			copy_str(q->cc, sizeof(q->cc), field_str(e, "cc"));
			copy_str(q->cc_requested, sizeof(q->cc_requested), field_str(e, "cc_requested"));
		}
		break;
	case K_SAMPLE:
		max_of(&q->server_recvq_max, NULL, recvq, 0);
		break;
	case K_READ:
		/* Where the first read() began; without its dur_ns that is not known. */
		if (!q->read_seen && dur.has)
			opt_set(&q->read_start, e->t_ns - dur.v);
		q->read_seen = 1;
		q->server_reads++;
		break;
	case K_WRITE:
		if (!q->answer_ns.has) {
			opt_set(&q->answer_ns, e->t_ns - (dur.has ? dur.v : 0));
			opt_set(&q->response_write_end_ns, e->t_ns);
			q->response_sendq_after = slot_opt(e, IO_SENDQ_AFTER);
		}
		q->request_complete = 1;
		break;
	case K_ACKED:
		if (!q->response_in_sendq_us.has)
			q->response_in_sendq_us = field_opt(e, "after_us");
		break;
	case K_TIMEOUTS_SET:
		q->read_timeout_set_us = field_opt(e, "read_us");
		break;
	case K_TIMEOUT:
		if (str_is(field_str(e, "what"), "read") && q->read_timeouts++ == 0) {
			q->read_timeout_us = field_opt(e, "after_us");
			copy_str(q->read_timeout_errno, sizeof(q->read_timeout_errno),
				 field_str(e, "errno_name"));
		}
		break;
	case K_CLOSE:
		if (!q->close_at_ns.has) {
			opt_set(&q->close_at_ns, e->t_ns);
			copy_str(q->close_reason, sizeof(q->close_reason), field_str(e, "reason"));
		}
		break;
	case K_END:
		if (!q->server_ended) {
			q->server_ended = 1;
			q->response_bytes = field_opt(e, "bytes_sent");
			q->server_received = field_opt(e, "bytes_received");
		}
		break;
	default:
		break;
	}
}

/* The client's stall, if one is open, ended at t. */
static void client_stall_ends(struct request *q, int64_t t)
{
	if (!q->open_stall.has)
		return;
	q->client_stalled_ns.has = 1;
	q->client_stalled_ns.v += t - q->open_stall.v;
	q->open_stall.has = 0;
}

static void on_client(struct request *q, const struct event *e)
{
	struct opt bytes = slot_opt(e, IO_BYTES), us = slot_opt(e, STALL_FOR_US);
	struct opt dur = slot_opt(e, IO_DUR_NS);

	if (e->kind == K_WRITE)
		client_stall_ends(q, e->t_ns - (dur.has ? dur.v : 0));
	else if (e->kind == K_EOF || e->kind == K_CLOSE || e->kind == K_END)
		client_stall_ends(q, e->t_ns);
	switch (e->kind) {
	case K_WRITE:
		q->client_writes++;
		opt_set(&q->last_write_ns, e->t_ns);
		/* The table's moment for it (event_when), for the paragraph to agree with. */
		opt_set(&q->last_write_start_ns, e->t_ns - (dur.has ? dur.v : 0));
		if (q->client_stalls == 0 && bytes.has) {
			q->bytes_before_stall.has = 1;
			q->bytes_before_stall.v += bytes.v;
		}
		break;
	case K_READ:
		q->client_reads++;
		break;
	case K_STALL_BEGIN:
		if (q->client_stalls++ == 0) {
			if (!q->bytes_before_stall.has)
				opt_set(&q->bytes_before_stall, 0);
			if (us.has)
				opt_set(&q->stall_until, e->t_ns + us.v * NS_PER_US);
			opt_set(&q->stall_from, e->t_ns);
		}
		if (us.has) {
			q->client_stall_us.has = 1;
			q->client_stall_us.v += us.v;
		}
		if (!q->open_stall.has)
			opt_set(&q->open_stall, e->t_ns);
		break;
	case K_EOF:
		if (!q->client_eof_at_ns.has) {
			opt_set(&q->client_eof_at_ns, e->t_ns);
			q->eof_in_stall = q->stall_from.has && q->stall_until.has &&
					  e->t_ns >= q->stall_from.v && e->t_ns < q->stall_until.v;
		}
		break;
	case K_END:
		if (!q->client_ended) {
			q->client_ended = 1;
			q->request_bytes = field_opt(e, "bytes_sent");
			q->client_received = field_opt(e, "bytes_received");
		}
		break;
	default:
		break;
	}
}

/* ---- the picture's part of the fold ---- */

/* A stall: from its stall_begin to its stall_end, or to the end of its log when the stall was
 * cut short (the server closed on the client). */
static int plot_stall(struct request *q, const struct event *e, struct opt *from)
{
	struct lesson_plot *pl = &q->plot;
	int ends = e->kind == K_STALL_END || e->kind == K_EOF || e->kind == K_CLOSE ||
		   e->kind == K_END;

	if (e->kind == K_STALL_BEGIN && !from->has) {
		opt_set(from, e->t_ns);
		if (e->party == P_SERVER)
			pl->server_stall = 1;
		else
			pl->client_stall = 1;
	} else if (ends && from->has) {
		from->has = 0;
		return series_add(&pl->shade, from->v, e->t_ns);
	}
	return 0;
}

/* The server's queues, the request written and read so far, the stalls, the timeouts. */
static int plot_event(struct request *q, const struct event *e, const struct fold *c)
{
	struct lesson_plot *pl = &q->plot;
	struct opt bytes = slot_opt(e, IO_BYTES);
	int server = e->party == P_SERVER;
	int rc = plot_stall(q, e, &q->plot_stall[!server]);

	if (server && e->kind == K_START)
		pl->line[0].max_gap_ns = pl->line[1].max_gap_ns = line_gap(e);
	if (rc == 0 && server && e->kind == K_SAMPLE) {
		rc = plot_slot(&pl->line[0], e, S_RECVQ);
		if (rc == 0)
			rc = plot_slot(&pl->line[1], e, S_SENDQ);
	} else if (rc == 0 && e->kind == K_SOCKET) {
		rc = series_add(&pl->line[server ? 3 : 2], e->t_ns, 0);
	} else if (rc == 0 && !server && e->kind == K_WRITE && bytes.has) {
		q->plot_wrote += bytes.v;
		rc = series_add(&pl->line[2], event_when(e, c->o->lesson), q->plot_wrote);
	} else if (rc == 0 && server && e->kind == K_READ && bytes.has) {
		q->plot_read += bytes.v;
		rc = series_add(&pl->line[3], e->t_ns, q->plot_read);
	} else if (rc == 0 && server && e->kind == K_TIMEOUT) {
		rc = series_add(&pl->marks, e->t_ns, q->plot_read);
	} else if (rc == 0 && e->kind == K_END) {
		/* The count holds until the log ends. */
		rc = series_add(&pl->line[server ? 3 : 2], e->t_ns,
				server ? q->plot_read : q->plot_wrote);
	}
	return rc;
}

/* ---- the wire ---- */

/* The response's first segment, and the client's ACK that covers it: when the send buffer could
 * have let the response go, as the capture saw it. */
static void on_wire(struct request *q, const struct event *e, struct note *n)
{
	struct opt seq = slot_opt(e, W_SEQ), ack = slot_opt(e, W_ACK), len = slot_opt(e, W_LEN);
	char a[48];

	/* The server sends no data before its response. */
	if (!q->response_seg_ns.has && wire_from(e) == SIDE_WRITER && len.has && len.v > 0 &&
	    seq.has) {
		opt_set(&q->response_seg_ns, e->t_ns);
		opt_set(&q->response_seg_end, seq.v + len.v);
		note_add(n, "on the wire: the response leaves the server, %s",
			 fmt_size(a, sizeof(a), len.v));
	} else if (q->response_seg_ns.has && wire_from(e) == SIDE_WRITER &&
		   wire_class(e) == WC_RETRANSMISSION && !q->response_ack_ns.has) {
		q->response_retransmissions++;
		note_add(n, "on the wire: no ACK came, so the server sends the response again, "
			 "%s after the first time", fmt_ms(a, sizeof(a), e->t_ns -
							      q->response_seg_ns.v));
		note_tone(n, T_WARN);
	} else if (q->acks_dropping && wire_from(e) == SIDE_READER && ack.has) {
		/* Seen on its way, dropped before the server's TCP had it. */
		q->acks_dropped++;
		note_add(n, "on the wire: a client's ACK, which the link drops");
	} else if (q->response_seg_ns.has && !q->response_ack_ns.has &&
		   wire_from(e) == SIDE_READER && ack.has && ack.v >= q->response_seg_end.v) {
		opt_set(&q->response_ack_ns, e->t_ns);
		note_add(n, "on the wire: the client's ACK of the response, %s after it",
			 fmt_ms(a, sizeof(a), e->t_ns - q->response_seg_ns.v));
	}
}

/* ---- the lesson's functions ---- */

int request_event(void *facts, const struct event *e, const struct fold *c)
{
	struct request *q = facts;
	int server = e->party == P_SERVER;

	cast_event(&q->cast, e);
	if (e->kind == K_WIRE) {
		on_wire(q, e, c->note);
		return 0;
	}
	/* The link between two namespaces, where the scenario made one (request_response's
	 * ackwait run drops the client's ACKs a while). */
	if (e->kind == K_LINK)
		q->link_seen = 1;
	if (e->kind == K_LINK_DOWN) {
		q->acks_dropping = str_is(field_str(e, "drop"), "acks");
		if (!q->link_down_ns.has)
			opt_set(&q->link_down_ns, e->t_ns);
		note_add(c->note, "the link drops %s from now",
			 q->acks_dropping ? "the client's ACKs" : "every data segment");
		note_tone(c->note, T_BAD);
		return 0;
	}
	if (e->kind == K_LINK_UP) {
		q->acks_dropping = 0;
		if (!q->link_up_ns.has)
			opt_set(&q->link_up_ns, e->t_ns);
		note_add(c->note, "the link carries everything again");
		note_tone(c->note, T_GOOD);
		return 0;
	}
	if (!server && e->party != P_CLIENT)
		return 0;
	/* Live, a party's count starts at its first event, as request_start has it for a whole
	 * run from the first. */
	if (c->live && server && !q->read.has)
		opt_set(&q->read, 0);
	if (c->live && !server && !q->wrote.has)
		opt_set(&q->wrote, 0);
	/* The row first: its clauses tell what came before this event's counts. */
	row(q, e, c->note);
	if (server)
		on_server(q, e);
	else
		on_client(q, e);
	return c->plot ? plot_event(q, e, c) : 0;
}

/* The bytes the client wrote that the server never read are "unread at close" when the server
 * closed the client first, lost otherwise. */
int request_finish(void *facts, const struct fold *c)
{
	struct request *q = facts;
	struct opt req = { 0, 0 }, resp = { 0, 0 };

	(void)c;
	if (q->last_write_ns.has && q->read_start.has)
		opt_set(&q->request_in_buffer_ns, q->read_start.v - q->last_write_ns.v);
	if (q->read_start.has && (q->answer_ns.has || q->close_at_ns.has))
		opt_set(&q->server_waited_ns, (q->answer_ns.has ? q->answer_ns.v
								: q->close_at_ns.v) - q->read_start.v);
	q->client_closed = starts_with(q->close_reason, "read timeout");
	if (q->request_bytes.has && q->server_received.has)
		opt_set(&req, q->request_bytes.v - q->server_received.v);
	if (q->response_bytes.has && q->client_received.has)
		opt_set(&resp, q->response_bytes.v - q->client_received.v);
	if (q->client_closed && req.has) {
		q->bytes_unread_at_close = req;
		opt_set(&req, 0);
	}
	if (req.has && resp.has)
		opt_set(&q->bytes_lost, req.v + resp.v);
	return 0;
}

void request_release(void *facts)
{
	lesson_plot_free(&((struct request *)facts)->plot);
}

/* A sample that --all gives a row of its own: the server's. */
int request_sample_row(const struct event *e)
{
	return e->kind == K_SAMPLE && e->party == P_SERVER;
}

const char *cell_srv_recvq(char *buf, size_t len, const void *facts)
{
	const struct request *q = facts;

	return fmt_pair(buf, len, q->srv_recvq, q->srv_rcvbuf);
}

const char *cell_srv_recvq_short(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct request *)facts)->srv_recvq);
}

/* The status line: the server's queues, what the client wrote and the server read. */
void request_status(char *buf, size_t len, const void *facts)
{
	const struct request *q = facts;
	char a[48], b[48], c[48], d[48];

	snprintf(buf, len, "server Recv-Q %s, Send-Q %s; client wrote %s, server read %s",
		 fmt_size_or_dash(a, sizeof(a), q->srv_recvq),
		 fmt_size_or_dash(b, sizeof(b), q->srv_sendq),
		 fmt_size_or_dash(c, sizeof(c), q->wrote), fmt_size_or_dash(d, sizeof(d), q->read));
}

/* The figures both lessons end with. */
void request_figures_end(struct figs *fs, const struct request *q)
{
	fig_put(fs, "bytes_unread_at_close", U_COUNT, q->bytes_unread_at_close);
	fig_put(fs, "bytes_lost", U_COUNT, q->bytes_lost);
	fig_put(fs, "pattern_errors", U_COUNT, q->cast.pattern_errors);
	cast_figures(fs, &q->cast);
}

/* What became of the request's bytes and the response's, from the figures named: the client's
 * bytes sent, the server's received, the server's sent, the client's received. `short_form`:
 * "Nothing lost." when nothing was. */
void story_request_bytes(struct story *s, const char *const names[4], int short_form)
{
	if (short_form && has(s, "bytes_lost") && val(s, "bytes_lost") == 0 &&
	    val(s, "bytes_unread_at_close") == 0 && has(s, "pattern_errors") &&
	    val(s, "pattern_errors") == 0) {
		say(s, " Nothing lost.");
		return;
	}
	if (has(s, names[0]) && has(s, names[1])) {
		say(s, " The client wrote %F %s of request, the server read %F", names[0],
		    plural(val(s, names[0]), "byte", "bytes"), names[1]);
		if (has(s, "bytes_unread_at_close"))
			say(s, " (%F unread when it closed the connection)", "bytes_unread_at_close");
		say(s, ";");
	}
	if (has(s, names[2]) && has(s, names[3]) && (val(s, names[2]) > 0 || val(s, names[3]) > 0))
		say(s, " the server sent %F %s of response, the client received %F;", names[2],
		    plural(val(s, names[2]), "byte", "bytes"), names[3]);
	story_totals(s, NULL, NULL, "bytes_lost", "pattern_errors");
}

/* The picture of the request lessons. */
int request_plot(FILE *out, void *facts, const struct options *o, const char *svg,
		 int64_t zero_ns)
{
	write_lesson_plot(out, &((struct request *)facts)->plot, o, svg, zero_ns, 0);
	return 0;
}
