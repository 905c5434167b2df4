/* view_server: the table's view and its notes in request_response and read_timeout (the client
 * writes its request, the server reads it, answers, and the answer is acknowledged) and in
 * backpressure (a row only where the server's samples change notably). */
#include "render.h"

#include <inttypes.h>
#include <stdio.h>

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
void view_request(struct view *w, const struct event *e, const struct table *t, struct note *n)
{
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
		view_request_io(w, e, t->o->lesson == LESSON_REQUEST_RESPONSE, n);
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

/* A row when v crosses a quarter of its eventual peak, up or down; *q is the quarter it was in
 * (-1 before its first value, which sets it without a row). */
static void peak_quarter(int *q, struct opt v, struct opt peak, const char *what,
			 const char *peak_text, struct note *n)
{
	static const char *const level[] = { "0", "1/4", "half", "3/4" };
	int64_t k;

	if (!v.has || !peak.has || peak.v <= 0)
		return;
	k = v.v * 4 / peak.v;
	k = k < 0 ? 0 : k > 4 ? 4 : k;
	if (*q >= 0 && k != *q) {
		if (k == 4)
			note_add(n, "%s reaches its peak, %s", what, peak_text);
		else if (k > *q)
			note_add(n, "%s passes %s of its peak", what, level[k]);
		else if (k == 3)
			note_add(n, "%s falls from its peak", what);
		else
			note_add(n, "%s falls below %s of its peak", what, level[k + 1]);
	}
	*q = (int)k;
}

static void view_server_sample(struct view *w, const struct event *e, const struct bp_figures *b,
			       struct note *n)
{
	struct opt rss = slot_opt(e, SS_RSS_KIB), app = slot_opt(e, SS_APP);
	struct opt paused = slot_opt(e, SS_PAUSED);
	int64_t was = w->paused.has ? w->paused.v : 0;
	char a[64], c[48];

	if (!w->server_sampled)
		note_add(n, "first look at the server");
	w->server_sampled = 1;
	if (rss.has)
		w->rss_kib = rss;
	if (app.has)
		w->app = app;
	if (slot_opt(e, SS_KSENDQ).has)
		w->ksendq = slot_opt(e, SS_KSENDQ);
	snprintf(a, sizeof(a), "%s KiB", fmt_count(c, sizeof(c), b->rss_peak_kib.v));
	peak_quarter(&w->rss_q, rss, b->rss_peak_kib, "RSS", a, n);
	peak_quarter(&w->app_q, app, b->app_peak, "the server's buffered data",
		     fmt_size(a, sizeof(a), b->app_peak.v), n);
	if (paused.has && paused.v != was) {
		if (paused.v > was)
			note_add(n, "backpressure holds back %s %s",
				 fmt_count(a, sizeof(a), paused.v),
				 plural(paused.v, "connection", "connections"));
		else if (paused.v > 0)
			note_add(n, "%s %s still held back", fmt_count(a, sizeof(a), paused.v),
				 plural(paused.v, "connection", "connections"));
		else
			note_add(n, "no connection is held back any more");
	}
	if (paused.has)
		w->paused = paused;
}

static void view_bp_server(struct view *w, const struct event *e, const struct bp_figures *b,
			   struct note *n)
{
	struct opt conn = field_opt(e, "conn"), v;
	const char *reason = field_str(e, "reason");
	char a[48], c[48];

	switch (e->kind) {
	case K_SERVER_SAMPLE:
		view_server_sample(w, e, b, n);
		break;
	case K_ACCEPT:
		if (++w->accepts == 1 && conn.has)
			note_add(n, "the first client connects (conn %" PRId64 ")", conn.v);
		else if (w->accepts == 1)
			note_add(n, "the first client connects");
		if (w->accepts == b->accepts && b->accepts > 1)
			note_add(n, "all %" PRId64 " clients are connected", b->accepts);
		break;
	case K_CONN_END:
		if (++w->conn_ends != b->conn_ends)
			break;
		if (conn.has && reason)
			note_add(n, "the last connection ends (conn %" PRId64 ": %s)", conn.v,
				 reason);
		else if (conn.has)
			note_add(n, "the last connection ends (conn %" PRId64 ")", conn.v);
		else
			note_add(n, "the last connection ends");
		break;
	case K_BP_ON:
		conn = slot_opt(e, BP_CONN);
		v = slot_opt(e, BP_PENDING);
		if (!w->bp_told && conn.has)
			note_add(n, "backpressure: the server stops producing for conn %" PRId64
				 "%s%s%s", conn.v, v.has ? " (" : "",
				 v.has ? fmt_size(c, sizeof(c), v.v) : "",
				 v.has ? " pending)" : "");
		w->bp_told = 1;
		break;
	case K_WARNING:
	case K_ERROR:
		note_problem(n, "server", e);
		break;
	case K_END:
		v = field_opt(e, "bytes_sent");
		if (v.has)
			note_add(n, "server finished: %s bytes sent", fmt_count(a, sizeof(a), v.v));
		else
			note_add(n, "server finished");
		break;
	default:
		break;
	}
}

/* backpressure: rows from the server's samples only where something notable changes (a quarter
 * of a peak crossed, the number of connections held back), its first accept and last
 * conn_end, the slow clients' stall told once for all of them, the ends. */
void view_backpressure(struct view *w, const struct event *e, const struct table *t, struct note *n)
{
	const struct bp_figures *b = &t->f->bp;
	int slow = e->party == P_SLOW_CLIENT;
	struct opt us = slot_opt(e, STALL_FOR_US);
	char a[48];

	if (e->party == P_SERVER) {
		view_bp_server(w, e, b, n);
		return;
	}
	if (!slow && e->party != P_FAST_CLIENT)
		return;
	switch (e->kind) {
	case K_STALL_BEGIN:
		if (slow && !w->slow_stall_told && us.has)
			note_add(n, "%" PRId64 " slow %s reading for %s", b->slow_stalled,
				 plural(b->slow_stalled, "client stops", "clients stop"),
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else if (slow && !w->slow_stall_told)
			note_add(n, "%" PRId64 " slow %s reading", b->slow_stalled,
				 plural(b->slow_stalled, "client stops", "clients stop"));
		w->slow_stall_told |= slow;
		break;
	case K_STALL_END:
		if (slow && !w->slow_resume_told)
			note_add(n, "%s", b->slow_stalled == 1 ? "the slow client reads again"
							       : "the slow clients read again");
		w->slow_resume_told |= slow;
		break;
	case K_WARNING:
	case K_ERROR:
		/* Told once for each kind of client: fifty of the same would bury the table. */
		if (!w->problem_told[slow])
			note_problem(n, slow ? "a slow client" : "a fast client", e);
		w->problem_told[slow] = 1;
		break;
	case K_END:
		if (++w->client_ends == b->client_ends)
			note_add(n, "the last client finishes");
		break;
	default:
		break;
	}
}
