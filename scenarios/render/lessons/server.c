/* server: the parts of the lessons of a server and one client's request (request_response,
 * read_timeout): the request's figures, the view of the server's queues and the request so
 * far, the paragraph's pieces; and the picture of a few lines that backpressure draws too. */
#include "lessons.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- the figures ---- */

/* pattern_errors summed over the end events of the lesson's server and clients. */
struct opt pattern_errors_sum(const struct run *run)
{
	struct opt sum = { 0, 0 };

	for (size_t i = 0; i < run->n; i++) {
		struct opt pe = field_opt(&run->ev[i], "pattern_errors");

		if (run->ev[i].kind == K_END && run->ev[i].party != P_NONE && pe.has) {
			sum.has = 1;
			sum.v += pe.v;
		}
	}
	return sum;
}

static void figures_request_server(const struct event *e, struct request_figures *q,
				   struct opt *read_start, int *read_seen, struct opt *answer,
				   const struct event **end)
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
			q->cc = field_str(e, "cc");
			q->cc_requested = field_str(e, "cc_requested");
		}
		break;
	case K_SAMPLE:
		max_of(&q->server_recvq_max, NULL, recvq, 0);
		break;
	case K_READ:
		/* Where the first read() began; without its dur_ns that is not known. */
		if (!*read_seen && dur.has)
			opt_set(read_start, e->t_ns - dur.v);
		*read_seen = 1;
		break;
	case K_WRITE:
		if (!answer->has)
			opt_set(answer, e->t_ns - (dur.has ? dur.v : 0));
		q->request_complete = 1;
		break;
	case K_ACKED:
		if (!q->response_acked_us.has)
			q->response_acked_us = field_opt(e, "after_us");
		break;
	case K_TIMEOUT:
		if (str_is(field_str(e, "what"), "read") && q->read_timeouts++ == 0) {
			q->read_timeout_us = field_opt(e, "after_us");
			q->read_timeout_errno = field_str(e, "errno_name");
		}
		break;
	case K_CLOSE:
		if (!q->close_at_ns.has) {
			opt_set(&q->close_at_ns, e->t_ns);
			q->close_reason = field_str(e, "reason");
		}
		break;
	case K_END:
		if (*end == NULL)
			*end = e;
		break;
	default:
		break;
	}
}

static void figures_request_client(const struct event *e, struct request_figures *q,
				   struct opt *last_write, struct opt *stall,
				   const struct event **end)
{
	struct opt bytes = slot_opt(e, IO_BYTES), us = slot_opt(e, STALL_FOR_US);

	switch (e->kind) {
	case K_WRITE:
		q->client_writes++;
		opt_set(last_write, e->t_ns);
		/* The table's moment for it (event_when), for the paragraph to agree with. */
		opt_set(&q->last_write_at_ns, e->t_ns - (slot_opt(e, IO_DUR_NS).has
							? slot_opt(e, IO_DUR_NS).v : 0));
		if (q->client_stalls == 0 && bytes.has) {
			q->bytes_before_stall.has = 1;
			q->bytes_before_stall.v += bytes.v;
		}
		break;
	case K_STALL_BEGIN:
		if (q->client_stalls++ == 0) {
			if (!q->bytes_before_stall.has)
				opt_set(&q->bytes_before_stall, 0);
			if (us.has)
				opt_set(&stall[1], e->t_ns + us.v * NS_PER_US);
			opt_set(&stall[0], e->t_ns);
		}
		if (us.has) {
			q->client_stall_us.has = 1;
			q->client_stall_us.v += us.v;
		}
		break;
	case K_EOF:
		if (!q->client_eof_at_ns.has) {
			opt_set(&q->client_eof_at_ns, e->t_ns);
			q->eof_in_stall = stall[0].has && stall[1].has && e->t_ns >= stall[0].v &&
					  e->t_ns < stall[1].v;
		}
		break;
	case K_END:
		if (*end == NULL)
			*end = e;
		break;
	default:
		break;
	}
}

/* The request and its answer; the bytes the client wrote that the server never read are
 * "unread at close" when the server closed the client first, lost otherwise. */
static void figures_request(const struct run *run, struct figures *f)
{
	struct request_figures *q = &f->rq;
	const struct event *send = NULL, *cend = NULL;
	struct opt read_start = { 0, 0 }, answer = { 0, 0 }, last_write = { 0, 0 };
	struct opt stall[2] = { { 0, 0 }, { 0, 0 } };      /* the client's first: from, until */
	struct opt req = { 0, 0 }, resp = { 0, 0 };
	int read_seen = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];

		if (e->party == P_SERVER)
			figures_request_server(e, q, &read_start, &read_seen, &answer, &send);
		else if (e->party == P_CLIENT)
			figures_request_client(e, q, &last_write, stall, &cend);
	}
	if (last_write.has && read_start.has)
		opt_set(&q->request_in_buffer_ns, read_start.v - last_write.v);
	if (read_start.has && (answer.has || q->close_at_ns.has))
		opt_set(&q->server_waited_ns, (answer.has ? answer.v : q->close_at_ns.v) -
			read_start.v);
	q->client_closed = starts_with(q->close_reason, "read timeout");
	/* Moments as the paragraph prints them: since the zero of time. */
	if (q->last_write_at_ns.has)
		q->last_write_at_ns.v -= run->zero_ns;
	if (q->close_at_ns.has)
		q->close_at_ns.v -= run->zero_ns;
	if (q->client_eof_at_ns.has)
		q->client_eof_at_ns.v -= run->zero_ns;
	if (send) {
		q->response_bytes = field_opt(send, "bytes_sent");
		q->server_received = field_opt(send, "bytes_received");
	}
	if (cend) {
		q->request_bytes = field_opt(cend, "bytes_sent");
		q->client_received = field_opt(cend, "bytes_received");
	}
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
	q->pattern_errors = pattern_errors_sum(run);
}

/* 0, or -1 when out of memory. */
int request_facts(const struct run *run, const struct options *o, void *facts)
{
	if (flow_facts(run, o, facts) < 0)
		return -1;
	figures_request(run, facts);
	return 0;
}

/* ---- the view of the moment, and its row's clauses ---- */

/* The server's queues in the request lessons: a row where either changes. Before its first
 * sample both count as empty, so a request already waiting in the first one has its row. */
static void view_server_queues(struct view *w, const struct event *e, struct note *n)
{
	struct opt q = slot_opt(e, S_RECVQ), s = slot_opt(e, S_SENDQ);
	int64_t was;
	char a[48];

	if (q.has) {
		was = w->srv_recvq.has ? w->srv_recvq.v : 0;
		fmt_count(a, sizeof(a), q.v);
		if (q.v > was && w->server_reads == 0)
			note_add(n, "the request waits in the server's receive buffer%s: "
				 "SIOCINQ %s", w->server_stalled ? " while the server does not read"
								 : "", a);
		else if (q.v > was)
			note_add(n, "more of the request waits in the server's receive buffer: "
				 "SIOCINQ %s", a);
		else if (q.v < was)
			note_add(n, "the server's receive buffer %s: SIOCINQ %s",
				 q.v == 0 ? "is empty again" : "empties", a);
		w->srv_recvq = q;
	}
	if (s.has) {
		was = w->srv_sendq.has ? w->srv_sendq.v : 0;
		fmt_count(a, sizeof(a), s.v);
		if (s.v > was)
			note_add(n, "the response waits in the server's send buffer for the "
				 "client's ACK: SIOCOUTQ %s", a);
		else if (s.v < was)
			note_add(n, "the server's send buffer %s: SIOCOUTQ %s", s.v == 0
				 ? "is empty again (the client acknowledged it all)" : "empties", a);
		w->srv_sendq = s;
	}
}

static void opt_add(struct opt *o, struct opt v)
{
	if (!v.has)
		return;
	o->v = (o->has ? o->v : 0) + v.v;
	o->has = 1;
}

static void view_request_io(struct view *w, const struct event *e, int rr, struct note *n)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	int server = e->party == P_SERVER;
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
	} else if (e->kind == K_WRITE) {
		if (w->client_writes++ == 0)
			note_add(n, rr ? "client writes the request: %s"
				    : "client writes %s of its request", a);
		else
			note_add(n, "client writes %s more", a);
		opt_add(&w->wrote, bytes);
	} else if (server) {
		if (w->server_reads++ == 0 && rr)
			note_add(n, "server reads the request: %s%s", a, b);
		else
			note_add(n, "server reads %s%s", a, b);
		opt_add(&w->read, bytes);
	} else {
		if (w->client_reads++ == 0)
			note_add(n, "client reads the response: %s", a);
		else
			note_add(n, "client reads %s more", a);
	}
}

/* request_response and read_timeout: the client writes its request (all at once, or with a
 * stall in the middle), the server reads it (after its own delay, or until its read timeout),
 * answers, and the answer is acknowledged. */
void request_row(void *view, const struct event *e, const struct table *t, struct note *n)
{
	struct view *w = view;
	int server = e->party == P_SERVER;
	const char *s = server ? "server" : "client", *reason = field_str(e, "reason");
	struct opt us = slot_opt(e, STALL_FOR_US), v;
	char a[48], b[48];

	if (!server && e->party != P_CLIENT)
		return;
	switch (e->kind) {
	case K_SOCKET:
		if (server && !w->server_socket) {
			w->server_socket = 1;
			if (!w->srv_rcvbuf.has)
				w->srv_rcvbuf = field_opt(e, "rcvbuf_bytes");
			if (!w->srv_sndbuf.has)
				w->srv_sndbuf = field_opt(e, "sndbuf_bytes");
			if (!w->read.has)
				opt_set(&w->read, 0);
		} else if (!server && !w->wrote.has) {
			opt_set(&w->wrote, 0);
		}
		break;
	case K_SAMPLE:
		if (server)
			view_server_queues(w, e, n);
		break;
	case K_STALL_BEGIN:
		if (server)
			w->server_stalled = 1;
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
			w->server_stalled = 0;
		else
			note_add(n, "client writes again");
		break;
	case K_READ:
	case K_WRITE:
		view_request_io(w, e, w->request_response, n);
		break;
	case K_ACKED:
		v = field_opt(e, "after_us");
		if (v.has)
			note_add(n, "the client's ACK empties the server's send buffer, %s after "
				 "write() returned", fmt_dur(a, sizeof(a), v.v * 1000));
		else
			note_add(n, "the client's ACK empties the server's send buffer");
		break;
	case K_TIMEOUT:
		note_timeout(n, e, w);
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

void request_view_init(void *view, const void *facts)
{
	flow_view_init(view, facts, 0);
}

/* A sample that --all gives a row of its own: the server's. */
int request_sample_row(const struct event *e)
{
	return e->kind == K_SAMPLE && e->party == P_SERVER;
}

const char *cell_srv_recvq(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	return fmt_pair(buf, len, w->srv_recvq, w->srv_rcvbuf);
}

/* ---- the paragraph's pieces ---- */

/* What became of the request's bytes and the response's. `short_form`: "Nothing lost." when
 * nothing was. */
void story_request_bytes(struct text *t, const struct request_figures *q, int short_form)
{
	char a[48], b[48];

	if (short_form && q->bytes_lost.has && q->bytes_lost.v == 0 &&
	    (!q->bytes_unread_at_close.has || q->bytes_unread_at_close.v == 0) &&
	    q->pattern_errors.has && q->pattern_errors.v == 0) {
		text_add(t, " Nothing lost.");
		return;
	}
	if (q->request_bytes.has && q->server_received.has) {
		text_add(t, " The client wrote %s %s of request, the server read %s",
			 fmt_count(a, sizeof(a), q->request_bytes.v),
			 plural(q->request_bytes.v, "byte", "bytes"),
			 fmt_count(b, sizeof(b), q->server_received.v));
		if (q->bytes_unread_at_close.has)
			text_add(t, " (%s unread when it closed the connection)",
				 fmt_count(a, sizeof(a), q->bytes_unread_at_close.v));
		text_add(t, ";");
	}
	if (q->response_bytes.has && q->client_received.has &&
	    (q->response_bytes.v > 0 || q->client_received.v > 0))
		text_add(t, " the server sent %s %s of response, the client received %s;",
			 fmt_count(a, sizeof(a), q->response_bytes.v),
			 plural(q->response_bytes.v, "byte", "bytes"),
			 fmt_count(b, sizeof(b), q->client_received.v));
	story_totals(t, (struct opt){ 0, 0 }, (struct opt){ 0, 0 }, q->bytes_lost,
		     q->pattern_errors);
}

/* Who is missing from the logs of a lesson of a server and its clients; `nobody` names the
 * client(s) there is no log of ("the client (slow_writer, role connect)"), or is NULL. */
void story_missing(struct text *t, const char *nobody, const struct figures *f)
{
	if (!f->server_seen)
		text_add(t, "No log here is from the server (fast_peer, role listen). ");
	if (nobody)
		text_add(t, "No log here is from %s. ", nobody);
	if (f->server_seen && f->server_ends == 0)
		text_add(t, "The server's log has no end event, so its totals are not known. ");
	if (f->client_logs == 1 && f->client_ends == 0)
		text_add(t, "The client's log has no end event, so its totals are not known. ");
	else if (f->client_logs > f->client_ends)
		text_add(t, "%" PRId64 " of the %" PRId64 " clients' logs have no end event, so "
			 "their totals are not known. ", f->client_logs - f->client_ends,
			 f->client_logs);
}

/* ---- the picture ---- */

void lesson_plot_free(struct lesson_plot *pl)
{
	for (int i = 0; i < 4; i++)
		free(pl->line[i].p);
	free(pl->shade.p);
	free(pl->marks.p);
}

/* A stall of party p: from its stall_begin to its stall_end, or to the end of its log when the
 * stall was cut short (the server closed on the client). */
static int plot_stall(struct lesson_plot *pl, const struct event *e, struct opt *from)
{
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
static int plot_collect_request(const struct run *run, const struct lesson *l,
				struct lesson_plot *pl)
{
	struct opt from[2] = { { 0, 0 }, { 0, 0 } };       /* [0] server's stall, [1] client's */
	int64_t wrote = 0, read = 0;
	int rc = 0;

	for (size_t i = 0; i < run->n && rc == 0; i++) {
		const struct event *e = &run->ev[i];
		struct opt bytes = slot_opt(e, IO_BYTES);
		int server = e->party == P_SERVER;

		if (!server && e->party != P_CLIENT)
			continue;
		rc = plot_stall(pl, e, &from[!server]);
		if (rc == 0 && server && e->kind == K_SAMPLE) {
			rc = plot_slot(&pl->line[0], e, S_RECVQ);
			if (rc == 0)
				rc = plot_slot(&pl->line[1], e, S_SENDQ);
		} else if (rc == 0 && e->kind == K_SOCKET) {
			rc = series_add(&pl->line[server ? 3 : 2], e->t_ns, 0);
		} else if (rc == 0 && !server && e->kind == K_WRITE && bytes.has) {
			wrote += bytes.v;
			rc = series_add(&pl->line[2], event_when(e, l), wrote);
		} else if (rc == 0 && server && e->kind == K_READ && bytes.has) {
			read += bytes.v;
			rc = series_add(&pl->line[3], e->t_ns, read);
		} else if (rc == 0 && server && e->kind == K_TIMEOUT) {
			rc = series_add(&pl->marks, e->t_ns, read);
		} else if (rc == 0 && e->kind == K_END) {
			/* The count holds until the log ends. */
			rc = series_add(&pl->line[server ? 3 : 2], e->t_ns, server ? read : wrote);
		}
	}
	return rc;
}

void write_lesson_plot(FILE *out, struct lesson_plot *pl, const struct options *o,
		       const char *svg, int64_t zero_ns, int bp)
{
	static const char *const colors[4] = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e" };
	static const char *const widths[4] = { "5", "3.5", "2.5", "1.5" };
	static const char *const request_lines[4] = {
		"server: unread bytes in its receive buffer (recvq)",
		"server: unacknowledged bytes in its send buffer (sendq)",
		"client: bytes of the request written", "server: bytes of the request read",
	};
	static const char *const bp_lines[4] = {
		"server: resident memory (RSS)", "server: produced, not yet written (app buffered)",
		"kernel send buffers, all connections (sendq)", "",
	};
	int first = 1;
	int64_t div = bp ? 1024 : 1;
	const char *shade = bp ? "slow clients stop reading" : pl->server_stall && pl->client_stall
			    ? "a program's planned stall" : pl->server_stall
			    ? "server does not read (--read-delay)" : "client stops writing";
	char name[16];

	gp_head(out, o, svg, bp ? "KiB" : "bytes");
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "$line%d", i);
		gp_block_div(out, name, &pl->line[i], 1, zero_ns, div);
	}
	gp_block_div(out, "$marks", &pl->marks, 0, zero_ns, div);
	gp_shades(out, &pl->shade, zero_ns);
	for (int i = 0; i < 4; i++) {
		char style[64];

		snprintf(name, sizeof(name), "$line%d", i);
		/* Each narrower than the one before, drawn over it: where two agree, both show. */
		snprintf(style, sizeof(style), "%s lw %s lc rgb '%s'",
			 i >= 2 && !bp ? "steps" : "lines", widths[i], colors[i]);
		gp_plot(out, &first, name, &pl->line[i], style, bp ? bp_lines[i] : request_lines[i],
			"", "");
	}
	gp_plot(out, &first, "$marks", &pl->marks, "points pt 9 ps 1.5 lc rgb '#000000'",
		"the server's read timeout fires", "", "");
	if (first) {
		/* Nothing to draw: an empty frame still says so, where gnuplot would stop. */
		fputs("set label 1 \"no samples in these logs\" at graph 0.5, graph 0.5 center\n"
		      "set xrange [0:1]\nset yrange [0:1]\nplot NaN notitle", out);
		first = 0;
	}
	gp_shade_key(out, &pl->shade, shade);
	putc('\n', out);
}

/* The picture of the request lessons. 0, or -1 when out of memory. */
int request_plot(FILE *out, const struct run *run, const struct options *o, const char *svg)
{
	struct lesson_plot lp;
	int rc;

	memset(&lp, 0, sizeof(lp));
	rc = plot_collect_request(run, o->lesson, &lp);
	if (rc == 0)
		write_lesson_plot(out, &lp, o, svg, run->zero_ns, 0);
	lesson_plot_free(&lp);
	return rc;
}
