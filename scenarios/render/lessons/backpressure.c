/* backpressure: the reference document's "Slow Writer" remedy "implement backpressure", and its
 * "Memory Exhaustion", on one server (fast_peer --clients N) with many clients, some of which
 * (slow_reader) stop reading: a naive server's memory grows for as long as they stall; with
 * backpressure it stays flat, and the fast clients (fast_peer --recv) do not notice. */
#include "lessons.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const struct party_rule parties[] = {
	{ "fast_peer", "listen", P_SERVER }, { "fast_peer", "connect", P_FAST_CLIENT },
	{ "slow_reader", "connect", P_SLOW_CLIENT }, { NULL, NULL, P_NONE },
};

/* ---- the figures ---- */

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
static int figures_backpressure(const struct run *run, struct figures *f)
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

/* 0, or -1 when out of memory. */
static int facts(const struct run *run, const struct options *o, void *f)
{
	if (flow_facts(run, o, f) < 0)
		return -1;
	return figures_backpressure(run, f);
}

/* ---- the table ---- */

static const char *cell_rss(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	if (!w->rss_kib.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_count(buf, len, w->rss_kib.v);
}

static const char *cell_app(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_pair(buf, len, ((const struct view *)view)->app, (struct opt){ 0, 0 });
}

static const char *cell_ksendq(char *buf, size_t len, const struct table *t, const void *view)
{
	return fmt_pair(buf, len, ((const struct view *)view)->ksendq, (struct opt){ 0, 0 });
}

static const char *cell_paused(char *buf, size_t len, const struct table *t, const void *view)
{
	const struct view *w = view;

	if (!w->paused.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_count(buf, len, w->paused.v);
}

static const struct coldef columns[] = {
	{ "RSS (KiB)", 10, 0, cell_rss }, { "App buffered", 12, 0, cell_app },
	{ "Kernel sendq", 12, 0, cell_ksendq }, { "Paused", 6, 0, cell_paused },
};

static void title(const struct table *t)
{
	const struct figures *f = t->facts;

	if (f)
		fprintf(t->out, "A server of %" PRId64 " %s (%" PRId64 " fast, %" PRId64 " slow): its "
			"memory, its own buffers and the kernel's (time in s)\n", f->bp.clients,
			plural(f->bp.clients, "client", "clients"), f->bp.fast_clients,
			f->bp.slow_clients);
	else
		fputs("A server of many clients: its memory, its own buffers and the kernel's "
		      "(time in s)\n", t->out);
}

static void view_init(void *view, const void *facts)
{
	flow_view_init(view, facts, 0);
}

/* A sample that --all gives a row of its own: the server's. */
static int sample_row(const struct event *e)
{
	return e->kind == K_SERVER_SAMPLE && e->party == P_SERVER;
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
static void view_backpressure(void *view, const struct event *e, const struct table *t,
			      struct note *n)
{
	struct view *w = view;
	const struct bp_figures *b = &((const struct figures *)t->facts)->bp;
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

/* ---- the summary and the figures ---- */

static void story_backpressure(struct text *t, const struct figures *f)
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

static int summary(struct text *t, const struct options *o, const void *facts)
{
	const struct figures *f = facts;

	story_missing(t, f->bp.clients == 0 ? "a client (fast_peer or slow_reader, role connect)"
					    : NULL, f);
	story_backpressure(t, f);
	return 0;
}

static void print_backpressure_figures(const struct figout *fo, const void *facts)
{
	const struct figures *f = facts;
	const struct bp_figures *b = &f->bp;

	fig_int(fo, "clients", b->clients);
	fig_int(fo, "fast_clients", b->fast_clients);
	fig_int(fo, "slow_clients", b->slow_clients);
	fig(fo, "rss_start_kib", b->rss_start_kib);
	fig(fo, "rss_peak_kib", b->rss_peak_kib);
	fig(fo, "app_buffered_peak_bytes", b->app_peak);
	fig(fo, "kernel_sendq_peak_bytes", b->ksendq_peak);
	fig(fo, "paused_peak", b->paused_peak);
	fig(fo, "fast_clients_bytes_per_s", b->fast_bytes_per_s);
	fig(fo, "slow_clients_bytes", b->slow_bytes);
	fig(fo, "bytes_sent", b->bytes_sent);
	fig(fo, "bytes_received", b->bytes_received);
	fig(fo, "bytes_lost", b->bytes_lost);
	fig(fo, "pattern_errors", b->pattern_errors);
	/* Beyond the lesson's list: how often backpressure held a client back. */
	if (f->server_seen)
		fig_int(fo, "backpressure_pauses", b->pauses);
}

/* ---- the picture ---- */

/* The server's memory and buffers; the slow clients' stall, from the first one's begin to the
 * first one's end. */
static int plot_collect_backpressure(const struct run *run, struct lesson_plot *pl)
{
	struct opt from = { 0, 0 }, last = { 0, 0 };
	int rc = 0, shaded = 0;

	for (size_t i = 0; i < run->n && rc == 0; i++) {
		const struct event *e = &run->ev[i];
		struct opt rss = slot_opt(e, SS_RSS_KIB);

		if (e->party == P_SERVER && e->kind == K_SERVER_SAMPLE) {
			if (rss.has)
				rc = series_add(&pl->line[0], e->t_ns, rss.v * 1024);
			if (rc == 0)
				rc = plot_slot(&pl->line[1], e, SS_APP);
			if (rc == 0)
				rc = plot_slot(&pl->line[2], e, SS_KSENDQ);
		}
		if (e->party != P_NONE)
			opt_set(&last, e->t_ns);
		if (e->party != P_SLOW_CLIENT || shaded)
			continue;
		if (e->kind == K_STALL_BEGIN && !from.has) {
			opt_set(&from, e->t_ns);
			pl->client_stall = 1;
		} else if (e->kind == K_STALL_END && from.has) {
			rc = series_add(&pl->shade, from.v, e->t_ns);
			shaded = 1;
		}
	}
	if (rc == 0 && from.has && !shaded)
		rc = series_add(&pl->shade, from.v, last.v);
	return rc;
}

/* 0, or -1 when out of memory. */
static int plot(FILE *out, const struct run *run, const struct options *o, const char *svg)
{
	struct lesson_plot lp;
	int rc;

	memset(&lp, 0, sizeof(lp));
	rc = plot_collect_backpressure(run, &lp);
	if (rc == 0)
		write_lesson_plot(out, &lp, o, svg, run->zero_ns, 1);
	lesson_plot_free(&lp);
	return rc;
}

const struct lesson lesson_backpressure = {
	.name = "backpressure",
	.help = "a server of many clients, fast (fast_peer) and slow (slow_reader), its memory "
		"and backpressure",
	.plot_title = "the server's memory and buffers while slow clients stop reading",
	.reader = "client",
	.writer = "server",
	.parties = parties,
	.flags = 0,
	.facts_size = sizeof(struct figures),
	.facts = facts,
	.facts_free = flow_facts_free,
	.buffers = NULL,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.view_size = sizeof(struct view),
	.view_init = view_init,
	.row = view_backpressure,
	.row_done = NULL,
	.sample_row = sample_row,
	.summary = summary,
	.figures = print_backpressure_figures,
	.plot = plot,
};
