/* story_server: the summary paragraph of the lessons of a server and its clients: the request
 * and its answer, the server's read and write timeouts, and a server of many clients. */
#include "render.h"

#include <inttypes.h>
#include <stdio.h>

/* What became of the request's bytes and the response's. `short_form`: "Nothing lost." when
 * nothing was. */
static void story_request_bytes(struct text *t, const struct request_figures *q, int short_form)
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

void story_request_response(struct text *t, const struct figures *f)
{
	const struct request_figures *q = &f->rq;
	char a[48], b[48];

	if (q->request_bytes.has) {
		text_add(t, " The client wrote the %s-byte request (the reference document says "
			 "%d; its text is %d)", fmt_count(a, sizeof(a), q->request_bytes.v),
			 REFERENCE_REQUEST_BYTES, REQUEST_TEXT_BYTES);
		if (q->client_writes > 1 && q->last_write_at_ns.has)
			text_add(t, " in %" PRId64 " writes, the last at %s s.", q->client_writes,
				 fmt_secs(b, sizeof(b), q->last_write_at_ns.v));
		else if (q->last_write_at_ns.has)
			text_add(t, " at %s s.", fmt_secs(b, sizeof(b), q->last_write_at_ns.v));
		else
			text_add(t, ".");
	}
	if (q->request_in_buffer_ns.has && q->request_in_buffer_ns.v > 0) {
		text_add(t, " It waited %s in the server's receive buffer",
			 fmt_dur(a, sizeof(a), q->request_in_buffer_ns.v));
		if (q->server_recvq_max.has && q->server_recvq_max.v > 0)
			text_add(t, " (SIOCINQ showed %s %s)",
				 fmt_count(b, sizeof(b), q->server_recvq_max.v),
				 plural(q->server_recvq_max.v, "byte", "bytes"));
		text_add(t, " until the server called read().");
	} else if (q->request_in_buffer_ns.has) {
		text_add(t, " The server was already waiting in read() when it arrived.");
	}
	if (q->response_bytes.has && q->response_bytes.v > 0) {
		text_add(t, " The %s-byte response (the document says %d; its text is %d)",
			 fmt_count(a, sizeof(a), q->response_bytes.v), REFERENCE_RESPONSE_BYTES,
			 RESPONSE_TEXT_BYTES);
		if (q->response_acked_us.has)
			text_add(t, " sat in the server's send buffer until the client's ACK, %s "
				 "later.", fmt_dur(b, sizeof(b), q->response_acked_us.v * 1000));
		else
			text_add(t, " went into the server's send buffer; its log does not say "
				 "when the client acknowledged it.");
	} else if (q->response_bytes.has) {
		text_add(t, " The server sent no response.");
	}
	story_request_bytes(t, q, 1);
}

/* The server's read timeout, or the lack of one. */
static void story_read_wait(struct text *t, const struct request_figures *q)
{
	char a[48], b[48];

	if (q->read_timeouts > 0) {
		fmt_dur(a, sizeof(a), q->read_timeout_us.v * 1000);
		if (q->read_timeout_errno)
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
			 fmt_dur(a, sizeof(a), q->server_waited_ns.v), q->close_reason ? ": " : "",
			 q->close_reason ? q->close_reason : "");
	}
}

void story_read_timeout(struct text *t, const struct figures *f)
{
	const struct request_figures *q = &f->rq;
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
			 fmt_secs(a, sizeof(a), q->client_eof_at_ns.v),
			 q->eof_in_stall ? ", in the middle of its stall" : "");
	if (q->request_complete && q->response_bytes.has && q->response_bytes.v > 0)
		text_add(t, " The request was complete; the answer was %s bytes.",
			 fmt_count(a, sizeof(a), q->response_bytes.v));
	story_request_bytes(t, q, 0);
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

void story_write_timeout(struct text *t, const struct figures *f)
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

void story_backpressure(struct text *t, const struct figures *f)
{
	const struct bp_figures *b = &f->bp;
	char a[48], c[48], d[48];

	if (b->clients > 0)
		text_add(t, " %s %s connected to the server: %s fast, %s slow.",
			 fmt_count(a, sizeof(a), b->clients),
			 plural(b->clients, "client", "clients"),
			 fmt_count(c, sizeof(c), b->fast_clients),
			 fmt_count(d, sizeof(d), b->slow_clients));
	if (b->slow_stalled > 0) {
		text_add(t, " %s slow %s reading", fmt_count(a, sizeof(a), b->slow_stalled),
			 plural(b->slow_stalled, "client stopped", "clients stopped"));
		if (b->slow_stall_us.has)
			text_add(t, " for %s", fmt_dur(c, sizeof(c), b->slow_stall_us.v * 1000));
		text_add(t, ".");
	}
	if (b->rss_start_kib.has && b->rss_peak_kib.has && b->rss_peak_at_ns.has)
		text_add(t, " The server's resident memory (RSS) went from %s KiB at its first "
			 "sample to a peak of %s KiB at %s s.",
			 fmt_count(a, sizeof(a), b->rss_start_kib.v),
			 fmt_count(c, sizeof(c), b->rss_peak_kib.v),
			 fmt_secs(d, sizeof(d), b->rss_peak_at_ns.v));
	if (b->app_peak.has && b->app_peak.v > 0 && b->app_peak_at_ns.has) {
		text_add(t, " Its own buffers held up to %s produced and not yet written (at %s s)",
			 fmt_size(a, sizeof(a), b->app_peak.v),
			 fmt_secs(c, sizeof(c), b->app_peak_at_ns.v));
		if (b->ksendq_peak.has)
			text_add(t, ", beside up to %s queued in the kernel's send buffers",
				 fmt_size(d, sizeof(d), b->ksendq_peak.v));
		text_add(t, ".");
	} else if (b->app_peak.has) {
		text_add(t, " Nothing ever waited in its own buffers.");
	}
	if (b->pauses > 0) {
		text_add(t, " Backpressure stopped production %s: it held back %s %s (%s of them "
			 "to slow clients)", fmt_times(a, sizeof(a), b->pauses),
			 fmt_count(c, sizeof(c), b->paused_conns),
			 plural(b->paused_conns, "connection", "connections"),
			 fmt_count(d, sizeof(d), b->paused_slow_conns));
		if (b->paused_peak.has)
			text_add(t, ", at most %s at once",
				 fmt_count(a, sizeof(a), b->paused_peak.v));
		text_add(t, ".");
	} else if (b->paused_peak.has) {
		text_add(t, " No connection was ever held back (no backpressure).");
	}
	if (b->fast_bytes_per_s.has)
		text_add(t, " The fast clients received %s bytes/s together",
			 fmt_count(a, sizeof(a), b->fast_bytes_per_s.v));
	if (b->slow_bytes.has)
		text_add(t, "%s %s bytes in all", b->fast_bytes_per_s.has ? "; the slow ones"
								 : " The slow clients received",
			 fmt_count(a, sizeof(a), b->slow_bytes.v));
	if (b->fast_bytes_per_s.has || b->slow_bytes.has)
		text_add(t, ".");
	story_totals(t, b->bytes_sent, b->bytes_received, b->bytes_lost, b->pattern_errors);
}

/* Who is missing from the logs of a lesson of a server and its clients. */
void story_missing(struct text *t, const struct options *o, const struct figures *f)
{
	if (!f->server_seen)
		text_add(t, "No log here is from the server (fast_peer, role listen). ");
	if (o->lesson == LESSON_BACKPRESSURE && f->bp.clients == 0)
		text_add(t, "No log here is from a client (fast_peer or slow_reader, role "
			 "connect). ");
	else if (o->lesson != LESSON_BACKPRESSURE && !f->client_seen)
		text_add(t, "No log here is from the client (%s, role connect). ",
			 o->lesson == LESSON_WRITE_TIMEOUT ? "slow_reader" : "slow_writer");
	if (f->server_seen && f->server_ends == 0)
		text_add(t, "The server's log has no end event, so its totals are not known. ");
	if (f->client_logs == 1 && f->client_ends == 0)
		text_add(t, "The client's log has no end event, so its totals are not known. ");
	else if (f->client_logs > f->client_ends)
		text_add(t, "%" PRId64 " of the %" PRId64 " clients' logs have no end event, so "
			 "their totals are not known. ", f->client_logs - f->client_ends,
			 f->client_logs);
}
