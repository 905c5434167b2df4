/* figures_server: the figures of the lessons of a server and its clients (server_lesson):
 * request_response and read_timeout, the request and its answer; write_timeout, the server's
 * remedies for a client that stops reading; backpressure, a server of many clients, fast and
 * slow. */
#include "render.h"

#include <stdlib.h>

/* pattern_errors summed over the end events of the lesson's server and clients. */
static struct opt pattern_errors_sum(const struct run *run)
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
void figures_request(const struct run *run, struct figures *f)
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

/* The server's write timeouts, TCP_USER_TIMEOUT, and what became of the bytes it wrote. The
 * write() figures themselves are figures_writes', over the server's writes. */
void figures_write_timeout(const struct run *run, struct figures *f)
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

/* The server's samples, its connections and backpressure, and each client's end. */
static void figures_bp_events(const struct run *run, struct bp_figures *b,
			      unsigned char *stalled, int64_t *ends, int64_t *received,
			      struct opt *reads)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS), got = field_opt(e, "bytes_received");
		int fast = e->party == P_FAST_CLIENT, slow = e->party == P_SLOW_CLIENT;

		if (e->party == P_SERVER) {
			if (e->kind == K_SERVER_SAMPLE) {
				if (!b->rss_start_kib.has)
					b->rss_start_kib = slot_opt(e, SS_RSS_KIB);
				max_of(&b->rss_peak_kib, &b->rss_peak_at_ns,
				       slot_opt(e, SS_RSS_KIB), e->t_ns - run->zero_ns);
				max_of(&b->app_peak, &b->app_peak_at_ns, slot_opt(e, SS_APP),
				       e->t_ns - run->zero_ns);
				max_of(&b->ksendq_peak, NULL, slot_opt(e, SS_KSENDQ), 0);
				max_of(&b->paused_peak, NULL, slot_opt(e, SS_PAUSED), 0);
			}
			b->accepts += e->kind == K_ACCEPT;
			b->conn_ends += e->kind == K_CONN_END;
			b->pauses += e->kind == K_BP_ON;
			if (e->kind == K_END && !b->bytes_sent.has)
				b->bytes_sent = field_opt(e, "bytes_sent");
			continue;
		}
		if (!fast && !slow)
			continue;
		if (fast && e->kind == K_READ) {
			/* reads[0]: a fast client's earliest read start; [1]: the latest end */
			if (dur.has && (!reads[0].has || e->t_ns - dur.v < reads[0].v))
				opt_set(&reads[0], e->t_ns - dur.v);
			opt_set(&reads[1], e->t_ns);
		}
		if (slow && e->kind == K_STALL_BEGIN && !stalled[e->log]) {
			stalled[e->log] = 1;
			if (b->slow_stalled++ == 0 && slot_opt(e, STALL_FOR_US).has)
				b->slow_stall_us = slot_opt(e, STALL_FOR_US);
		}
		if (e->kind == K_END) {
			b->client_ends++;
			if (got.has) {
				ends[slow]++;
				received[slow] += got.v;
			}
		}
	}
}

/* Which connections backpressure held back, and how many of them were slow clients': a
 * connection is a client's when the accept's peer port is the client's local port. */
static int figures_bp_conns(const struct run *run, struct bp_figures *b)
{
	int64_t nconn = 0;
	unsigned char *paused;
	enum party *party;

	for (size_t i = 0; i < run->n; i++) {
		struct opt c = run->ev[i].kind == K_ACCEPT ? field_opt(&run->ev[i], "conn")
							   : slot_opt(&run->ev[i], BP_CONN);

		if ((run->ev[i].kind == K_ACCEPT || run->ev[i].kind == K_BP_ON) &&
		    run->ev[i].party == P_SERVER && c.has && c.v > 0 && c.v < (INT64_C(1) << 24) &&
		    c.v >= nconn)
			nconn = c.v + 1;
	}
	paused = calloc((size_t)nconn + 1, 1);
	party = calloc((size_t)nconn + 1, sizeof(*party));
	if (paused == NULL || party == NULL) {
		free(paused);
		free(party);
		return -1;
	}
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt c = e->kind == K_ACCEPT ? field_opt(e, "conn") : slot_opt(e, BP_CONN);
		struct opt port = field_opt(e, "peer_port");

		if (e->party != P_SERVER || !c.has || c.v <= 0 || c.v >= nconn)
			continue;
		if (e->kind == K_BP_ON)
			paused[c.v] = 1;
		for (size_t l = 0; e->kind == K_ACCEPT && port.has && l < run->nlogs; l++)
			if (run->logs[l].local_port.has && run->logs[l].local_port.v == port.v &&
			    run->logs[l].party != P_SERVER)
				party[c.v] = run->logs[l].party;
	}
	for (int64_t c = 1; c < nconn; c++) {
		b->paused_conns += paused[c];
		b->paused_slow_conns += paused[c] && party[c] == P_SLOW_CLIENT;
	}
	free(paused);
	free(party);
	return 0;
}

/* 0, or -1 when out of memory. */
int figures_backpressure(const struct run *run, struct figures *f)
{
	struct bp_figures *b = &f->bp;
	unsigned char *stalled = calloc(run->nlogs + 1, 1);
	int64_t ends[2] = { 0, 0 }, received[2] = { 0, 0 };    /* [0] fast, [1] slow */
	struct opt reads[2] = { { 0, 0 }, { 0, 0 } };

	if (stalled == NULL)
		return -1;
	for (size_t l = 0; l < run->nlogs; l++) {
		b->fast_clients += run->logs[l].party == P_FAST_CLIENT;
		b->slow_clients += run->logs[l].party == P_SLOW_CLIENT;
	}
	b->clients = b->fast_clients + b->slow_clients;
	figures_bp_events(run, b, stalled, ends, received, reads);
	free(stalled);
	/* A client without its end leaves its class's sums unknown. */
	if (b->fast_clients > 0 && ends[0] == b->fast_clients && reads[0].has && reads[1].has &&
	    reads[1].v > reads[0].v)
		opt_set(&b->fast_bytes_per_s, (int64_t)((double)received[0] * (double)NS_PER_S /
							(double)(reads[1].v - reads[0].v) + 0.5));
	if (b->slow_clients > 0 && ends[1] == b->slow_clients)
		opt_set(&b->slow_bytes, received[1]);
	if (b->clients > 0 && ends[0] + ends[1] == b->clients)
		opt_set(&b->bytes_received, received[0] + received[1]);
	if (b->bytes_sent.has && b->bytes_received.has)
		opt_set(&b->bytes_lost, b->bytes_sent.v - b->bytes_received.v);
	b->pattern_errors = pattern_errors_sum(run);
	return figures_bp_conns(run, b);
}
