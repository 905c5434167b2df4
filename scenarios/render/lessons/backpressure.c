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

/* A server of many clients, fast and slow: its memory, its buffers, its connections. */
struct bp {
	int64_t zero_ns;
	struct cast cast;
	int64_t clients, fast_clients, slow_clients;

	/* Now: the server's latest sample; quarters of the peaks, -1 before the first. */
	struct opt rss_kib, app, ksendq, paused;
	int server_sampled, rss_q, app_q, ksendq_q;
	int64_t live_step;                  /* --follow: the last power of two passed */
	int slow_stall_told, slow_resume_told, bp_told, problem_told[2];

	/* The run so far. */
	int64_t accepts, conn_ends, client_ends;
	struct opt rss_start_kib, rss_peak_kib, app_peak, ksendq_peak, paused_peak;
	struct opt rss_peak_at_ns, app_peak_at_ns;
	unsigned char *stalled;             /* per log: that slow client stopped reading */
	int64_t slow_stalled;               /* slow clients that stopped reading */
	struct opt slow_stall_us;           /* the first one's stall */
	int64_t pauses;                     /* backpressure_on events */
	unsigned char *conn_paused;         /* per connection number: ever held back ... */
	enum party *conn_party;             /* ... and whose it is */
	size_t nconn, capconn, cappaused;
	int64_t paused_conns, paused_slow_conns;
	int64_t ends[2], received[2];       /* [0] fast clients, [1] slow */
	struct opt reads[2];                /* a fast client's earliest read start, latest end */
	struct opt fast_bytes_per_s, slow_bytes;
	struct opt bytes_sent, bytes_received, bytes_lost;

	/* The picture. */
	struct lesson_plot plot;
	struct opt plot_from, plot_last;
	int plot_shaded;
};

static void start(void *facts, const struct fold *c)
{
	struct bp *b = facts;

	b->zero_ns = c->zero_ns;
	b->rss_q = b->app_q = b->ksendq_q = -1;
	cast_start(&b->cast, c);
	if (c->run == NULL)
		return;
	for (size_t l = 0; l < c->run->nlogs; l++) {
		b->fast_clients += c->run->logs[l].party == P_FAST_CLIENT;
		b->slow_clients += c->run->logs[l].party == P_SLOW_CLIENT;
	}
	b->clients = b->fast_clients + b->slow_clients;
}

/* Room for connection number conn in the per-connection arrays. 0, or -1 when out of memory. */
static int conn_room(struct bp *b, int64_t conn)
{
	size_t need = (size_t)conn + 1, had = b->nconn;

	if (need <= b->nconn)
		return 0;
	if (grow(&b->conn_paused, &b->cappaused, need, sizeof(*b->conn_paused)) < 0 ||
	    grow(&b->conn_party, &b->capconn, need, sizeof(*b->conn_party)) < 0)
		return -1;
	memset(b->conn_paused + had, 0, need - had);
	for (size_t i = had; i < need; i++)
		b->conn_party[i] = P_NONE;
	b->nconn = need;
	return 0;
}

/* ---- the figures' part of the fold ---- */

static int on_server(struct bp *b, const struct event *e, const struct fold *c)
{
	struct opt conn = e->kind == K_ACCEPT ? field_opt(e, "conn") : slot_opt(e, BP_CONN);
	struct opt port = field_opt(e, "peer_port");
	int known = conn.has && conn.v > 0 && conn.v < (INT64_C(1) << 24);

	switch (e->kind) {
	case K_SERVER_SAMPLE:
		if (!b->rss_start_kib.has)
			b->rss_start_kib = slot_opt(e, SS_RSS_KIB);
		max_of(&b->rss_peak_kib, &b->rss_peak_at_ns, slot_opt(e, SS_RSS_KIB), e->t_ns);
		max_of(&b->app_peak, &b->app_peak_at_ns, slot_opt(e, SS_APP), e->t_ns);
		max_of(&b->ksendq_peak, NULL, slot_opt(e, SS_KSENDQ), 0);
		max_of(&b->paused_peak, NULL, slot_opt(e, SS_PAUSED), 0);
		break;
	case K_ACCEPT:
		b->accepts++;
		if (!known || conn_room(b, conn.v) < 0)
			return known ? -1 : 0;
		/* A connection is a client's when the accept's peer port is its local port. */
		for (size_t l = 0; port.has && c->run && l < c->run->nlogs; l++)
			if (c->run->logs[l].local_port.has && c->run->logs[l].local_port.v == port.v &&
			    c->run->logs[l].party != P_SERVER)
				b->conn_party[conn.v] = c->run->logs[l].party;
		break;
	case K_CONN_END:
		b->conn_ends++;
		break;
	case K_BP_ON:
		b->pauses++;
		if (!known || conn_room(b, conn.v) < 0)
			return known ? -1 : 0;
		b->conn_paused[conn.v] = 1;
		break;
	case K_END:
		if (!b->bytes_sent.has)
			b->bytes_sent = field_opt(e, "bytes_sent");
		break;
	default:
		break;
	}
	return 0;
}

static int on_client(struct bp *b, const struct event *e, const struct fold *c)
{
	struct opt dur = slot_opt(e, IO_DUR_NS), got = field_opt(e, "bytes_received");
	int slow = e->party == P_SLOW_CLIENT;

	if (!slow && e->kind == K_READ) {
		if (dur.has && (!b->reads[0].has || e->t_ns - dur.v < b->reads[0].v))
			opt_set(&b->reads[0], e->t_ns - dur.v);
		opt_set(&b->reads[1], e->t_ns);
	}
	if (slow && e->kind == K_STALL_BEGIN && c->run) {
		if (b->stalled == NULL && (b->stalled = calloc(c->run->nlogs, 1)) == NULL)
			return -1;
		if (!b->stalled[e->log]) {
			b->stalled[e->log] = 1;
			if (b->slow_stalled++ == 0 && slot_opt(e, STALL_FOR_US).has)
				b->slow_stall_us = slot_opt(e, STALL_FOR_US);
		}
	}
	if (e->kind == K_END) {
		b->client_ends++;
		if (got.has) {
			b->ends[slow]++;
			b->received[slow] += got.v;
		}
	}
	return 0;
}

/* ---- the table's part of the fold ---- */

/* A row when v crosses a quarter of its eventual peak, up or down; *q is the quarter it was in
 * (-1 before its first value, which sets it without a row). It goes down only an eighth of the
 * peak below the line it crossed going up, so a value that hovers at a line makes one row, not
 * one per sample. */
static void peak_quarter(int *q, struct opt v, struct opt peak, const char *what,
			 const char *peak_text, struct note *n)
{
	static const char *const level[] = { "0", "1/4", "half", "3/4" };
	static const char *const about[] = { "under 1/8", "about 1/4", "about half", "about 3/4" };
	int64_t k;

	if (!v.has || !peak.has || peak.v <= 0)
		return;
	k = quarter_step(*q, v.v, peak.v);
	if (*q >= 0 && k != *q) {
		if (k == 4)
			note_add(n, "%s reaches its peak, %s", what, peak_text);
		else if (k > *q)
			note_add(n, "%s passes %s of its peak", what, level[k]);
		else
			note_add(n, "%s falls to %s of its peak", what, about[k]);
	}
	*q = (int)k;
}

/* Live (--follow), the peaks are not known yet: a row each time the server's buffered data
 * passes the next power of two from LIVE_FIRST_STEP, and when it is all written again. */
#define LIVE_FIRST_STEP 65536

static void live_growth(struct bp *b, struct opt app, struct note *n)
{
	char a[48];

	if (!app.has)
		return;
	if (app.v >= LIVE_FIRST_STEP && app.v >= 2 * b->live_step) {
		b->live_step = LIVE_FIRST_STEP;
		while (b->live_step * 2 <= app.v)
			b->live_step *= 2;
		note_add(n, "the server's buffered data passes %s", fmt_size(a, sizeof(a),
									  b->live_step));
		note_tone(n, T_WARN);
	} else if (app.v == 0 && b->live_step > 0) {
		b->live_step = 0;
		note_add(n, "the server's buffered data is all written");
	}
}

static void server_sample_row(struct bp *b, const struct event *e, const struct bp *whole,
			      struct note *n)
{
	struct opt rss = slot_opt(e, SS_RSS_KIB), app = slot_opt(e, SS_APP);
	struct opt paused = slot_opt(e, SS_PAUSED);
	int64_t was = b->paused.has ? b->paused.v : 0;
	char a[64], c[48];

	if (!b->server_sampled)
		note_add(n, "first look at the server");
	b->server_sampled = 1;
	if (rss.has)
		b->rss_kib = rss;
	if (app.has)
		b->app = app;
	if (slot_opt(e, SS_KSENDQ).has)
		b->ksendq = slot_opt(e, SS_KSENDQ);
	if (whole == NULL) {
		live_growth(b, app, n);
	} else {
		snprintf(a, sizeof(a), "%s KiB", fmt_count(c, sizeof(c), whole->rss_peak_kib.v));
		peak_quarter(&b->rss_q, rss, whole->rss_peak_kib, "RSS", a, n);
		peak_quarter(&b->app_q, app, whole->app_peak, "the server's buffered data",
			     fmt_size1(a, sizeof(a), whole->app_peak.v), n);
		peak_quarter(&b->ksendq_q, slot_opt(e, SS_KSENDQ), whole->ksendq_peak,
			     "the data queued in the kernel", fmt_size1(a, sizeof(a), whole->ksendq_peak.v),
			     n);
	}
	if (paused.has && paused.v != was) {
		if (paused.v > was) {
			note_add(n, "backpressure holds back %s %s",
				 fmt_count(a, sizeof(a), paused.v),
				 plural(paused.v, "connection", "connections"));
			note_tone(n, T_GOOD);
		}
		else if (paused.v > 0)
			note_add(n, "%s %s still held back", fmt_count(a, sizeof(a), paused.v),
				 plural(paused.v, "connection", "connections"));
		else
			note_add(n, "no connection is held back any more");
	}
	if (paused.has)
		b->paused = paused;
}

static void server_row(struct bp *b, const struct event *e, const struct bp *whole,
		       struct note *n)
{
	struct opt conn = field_opt(e, "conn"), v;
	const char *reason = field_str(e, "reason");
	char a[48], c[48];

	switch (e->kind) {
	case K_SERVER_SAMPLE:
		server_sample_row(b, e, whole, n);
		break;
	case K_ACCEPT:
		if (b->accepts == 1 && conn.has)
			note_add(n, "the first client connects (conn %" PRId64 ")", conn.v);
		else if (b->accepts == 1)
			note_add(n, "the first client connects");
		if (whole && b->accepts == whole->accepts && whole->accepts > 1)
			note_add(n, "all %" PRId64 " clients are connected", whole->accepts);
		break;
	case K_CONN_END:
		if (whole == NULL || b->conn_ends != whole->conn_ends)
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
		if (!b->bp_told && conn.has)
			note_add(n, "backpressure: the server stops producing for conn %" PRId64
				 "%s%s%s", conn.v, v.has ? " (" : "",
				 v.has ? fmt_size(c, sizeof(c), v.v) : "",
				 v.has ? " pending)" : "");
		b->bp_told = 1;
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

/* Rows from the server's samples only where something notable changes (a quarter of a peak
 * crossed, the number of connections held back), its first accept and last conn_end, the
 * slow clients' stall told once for all of them, the ends. */
static void client_row(struct bp *b, const struct event *e, const struct bp *whole,
		       struct note *n)
{
	int slow = e->party == P_SLOW_CLIENT;
	int64_t stalled = whole ? whole->slow_stalled : b->slow_stalled;
	struct opt us = slot_opt(e, STALL_FOR_US);
	char a[48];

	switch (e->kind) {
	case K_STALL_BEGIN:
		/* Live, how many will stall is not known yet. */
		if (slow && !b->slow_stall_told && whole == NULL && us.has)
			note_add(n, "the slow clients stop reading for %s",
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else if (slow && !b->slow_stall_told && whole == NULL)
			note_add(n, "the slow clients stop reading");
		else if (slow && !b->slow_stall_told && us.has)
			note_add(n, "%" PRId64 " slow %s reading for %s", stalled,
				 plural(stalled, "client stops", "clients stop"),
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else if (slow && !b->slow_stall_told)
			note_add(n, "%" PRId64 " slow %s reading", stalled,
				 plural(stalled, "client stops", "clients stop"));
		b->slow_stall_told |= slow;
		break;
	case K_STALL_END:
		if (slow && !b->slow_resume_told)
			note_add(n, "%s", stalled == 1 ? "the slow client reads again"
						       : "the slow clients read again");
		b->slow_resume_told |= slow;
		break;
	case K_WARNING:
	case K_ERROR:
		/* Told once for each kind of client: fifty of the same would bury the table. */
		if (!b->problem_told[slow])
			note_problem(n, slow ? "a slow client" : "a fast client", e);
		b->problem_told[slow] = 1;
		break;
	case K_END:
		if (whole && b->client_ends == whole->client_ends)
			note_add(n, "the last client finishes");
		break;
	default:
		break;
	}
}

/* ---- the picture's part of the fold ---- */

/* The server's memory and buffers; the slow clients' stall, from the first one's begin to the
 * first one's end. */
static int plot_event(struct bp *b, const struct event *e)
{
	struct lesson_plot *pl = &b->plot;
	struct opt rss = slot_opt(e, SS_RSS_KIB);
	int rc = 0;

	if (e->party == P_SERVER && e->kind == K_START)
		pl->line[0].max_gap_ns = pl->line[1].max_gap_ns = pl->line[2].max_gap_ns =
			line_gap(e);
	if (e->party == P_SERVER && e->kind == K_SERVER_SAMPLE) {
		if (rss.has)
			rc = series_add(&pl->line[0], e->t_ns, rss.v * 1024);
		if (rc == 0)
			rc = plot_slot(&pl->line[1], e, SS_APP);
		if (rc == 0)
			rc = plot_slot(&pl->line[2], e, SS_KSENDQ);
	}
	opt_set(&b->plot_last, e->t_ns);
	if (rc != 0 || e->party != P_SLOW_CLIENT || b->plot_shaded)
		return rc;
	if (e->kind == K_STALL_BEGIN && !b->plot_from.has) {
		opt_set(&b->plot_from, e->t_ns);
		pl->client_stall = 1;
	} else if (e->kind == K_STALL_END && b->plot_from.has) {
		rc = series_add(&pl->shade, b->plot_from.v, e->t_ns);
		b->plot_shaded = 1;
	}
	return rc;
}

/* ---- the lesson's functions ---- */

static int event(void *facts, const struct event *e, const struct fold *c)
{
	struct bp *b = facts;
	int slow = e->party == P_SLOW_CLIENT, rc;

	cast_event(&b->cast, e);
	if (e->party == P_NONE)
		return 0;
	if (e->party == P_SERVER) {
		rc = on_server(b, e, c);
		server_row(b, e, c->whole, c->note);
	} else if (slow || e->party == P_FAST_CLIENT) {
		rc = on_client(b, e, c);
		client_row(b, e, c->whole, c->note);
	} else {
		return 0;
	}
	if (rc == 0 && c->plot)
		rc = plot_event(b, e);
	return rc;
}

/* A client without its end leaves its class's sums unknown. */
static int finish(void *facts, const struct fold *c)
{
	struct bp *b = facts;

	for (size_t i = 1; i < b->nconn; i++) {
		b->paused_conns += b->conn_paused[i];
		b->paused_slow_conns += b->conn_paused[i] && b->conn_party[i] == P_SLOW_CLIENT;
	}
	if (b->fast_clients > 0 && b->ends[0] == b->fast_clients && b->reads[0].has &&
	    b->reads[1].has && b->reads[1].v > b->reads[0].v)
		opt_set(&b->fast_bytes_per_s, (int64_t)((double)b->received[0] * (double)NS_PER_S /
						       (double)(b->reads[1].v - b->reads[0].v) +
						       0.5));
	if (b->slow_clients > 0 && b->ends[1] == b->slow_clients)
		opt_set(&b->slow_bytes, b->received[1]);
	if (b->clients > 0 && b->ends[0] + b->ends[1] == b->clients)
		opt_set(&b->bytes_received, b->received[0] + b->received[1]);
	if (b->bytes_sent.has && b->bytes_received.has)
		opt_set(&b->bytes_lost, b->bytes_sent.v - b->bytes_received.v);
	if (c->plot && b->plot_from.has && !b->plot_shaded)
		return series_add(&b->plot.shade, b->plot_from.v, b->plot_last.v);
	return 0;
}

static void release(void *facts)
{
	struct bp *b = facts;

	free(b->stalled);
	free(b->conn_paused);
	free(b->conn_party);
	lesson_plot_free(&b->plot);
}

/* ---- the views ---- */

static const char *cell_rss(char *buf, size_t len, const void *facts)
{
	const struct bp *b = facts;

	if (!b->rss_kib.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_count(buf, len, b->rss_kib.v);
}

static const char *cell_app(char *buf, size_t len, const void *facts)
{
	return fmt_pair(buf, len, ((const struct bp *)facts)->app, (struct opt){ 0, 0 });
}

static const char *cell_ksendq(char *buf, size_t len, const void *facts)
{
	return fmt_pair(buf, len, ((const struct bp *)facts)->ksendq, (struct opt){ 0, 0 });
}

static const char *cell_paused(char *buf, size_t len, const void *facts)
{
	const struct bp *b = facts;

	if (!b->paused.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_count(buf, len, b->paused.v);
}

/* The status line: the server's memory, its buffers and the kernel's, who is held back. */
static void status(char *buf, size_t len, const void *facts)
{
	const struct bp *b = facts;
	char a[48], c[48], d[48];

	snprintf(buf, len, "server RSS %s KiB, buffered %s, kernel sendq %s, %" PRId64 " held back",
		 b->rss_kib.has ? fmt_count(a, sizeof(a), b->rss_kib.v) : "-",
		 fmt_size_or_dash(c, sizeof(c), b->app), fmt_size_or_dash(d, sizeof(d), b->ksendq),
		 b->paused.has ? b->paused.v : 0);
}

static const struct coldef columns[] = {
	{ "RSS (KiB)", 10, COL_ALWAYS, cell_rss, NULL, 0 },
	{ "App buffered", 12, COL_ALWAYS, cell_app, NULL, 0 },
	{ "Kernel sendq", 12, COL_ALWAYS, cell_ksendq, NULL, 0 },
	{ "Paused", 6, COL_ALWAYS, cell_paused, NULL, 0 },
};

/* On a terminal: the same, shorter, numbers right-aligned. */
static const struct coldef narrow[] = {
	{ "RSS KiB", 9, COL_ALWAYS, cell_rss, NULL, 1 },
	{ "App buf", 9, COL_ALWAYS, cell_app, NULL, 1 },
	{ "Kernel", 9, COL_ALWAYS, cell_ksendq, NULL, 1 },
	{ "Paused", 6, COL_ALWAYS, cell_paused, NULL, 1 },
};

static void title(const struct table *t)
{
	const struct bp *b = t->whole;

	if (b)
		fprintf(t->out, "A server of %" PRId64 " %s (%" PRId64 " fast, %" PRId64 " slow): its "
			"memory, its own buffers and the kernel's (s since the first client "
			"connected)\n", b->clients, plural(b->clients, "client", "clients"),
			b->fast_clients, b->slow_clients);
	else
		fputs("A server of many clients: its memory, its own buffers and the kernel's (s "
		      "since the first client connected)\n", t->out);
}

/* A sample that --all gives a row of its own: the server's. */
static int sample_row(const struct event *e)
{
	return e->kind == K_SERVER_SAMPLE && e->party == P_SERVER;
}

static struct opt since_zero(const struct bp *b, struct opt t)
{
	if (t.has)
		t.v -= b->zero_ns;
	return t;
}

static void figures(struct figs *fs, const void *facts)
{
	const struct bp *b = facts;

	fig_int(fs, "clients", b->clients);
	fig_int(fs, "fast_clients", b->fast_clients);
	fig_int(fs, "slow_clients", b->slow_clients);
	if (b->slow_stalled > 0) {
		fig_int(fs, "slow_clients_stalled", b->slow_stalled);
		fig_ns(fs, "slow_stall_ms", U_MS, (struct opt){ b->slow_stall_us.has,
							       b->slow_stall_us.v * NS_PER_US });
	}
	fig_put(fs, "rss_start_kib", U_KIB, b->rss_start_kib);
	fig_put(fs, "rss_peak_kib", U_KIB, b->rss_peak_kib);
	fig_ns(fs, "rss_peak_at_ms", U_MOMENT, since_zero(b, b->rss_peak_at_ns));
	fig_put(fs, "app_buffered_peak_bytes", U_BYTES, b->app_peak);
	fig_ns(fs, "app_buffered_peak_at_ms", U_MOMENT, since_zero(b, b->app_peak_at_ns));
	fig_put(fs, "kernel_sendq_peak_bytes", U_BYTES, b->ksendq_peak);
	fig_put(fs, "paused_peak", U_COUNT, b->paused_peak);
	fig_put(fs, "fast_clients_bytes_per_s", U_RATE, b->fast_bytes_per_s);
	fig_put(fs, "slow_clients_bytes", U_COUNT, b->slow_bytes);
	fig_put(fs, "bytes_sent", U_COUNT, b->bytes_sent);
	fig_put(fs, "bytes_received", U_COUNT, b->bytes_received);
	fig_put(fs, "bytes_lost", U_COUNT, b->bytes_lost);
	fig_put(fs, "pattern_errors", U_COUNT, b->cast.pattern_errors);
	cast_figures(fs, &b->cast);
	/* Beyond the lesson's list: how often backpressure held a client back, and whom. */
	if (b->cast.server_seen)
		fig_int(fs, "backpressure_pauses", b->pauses);
	if (b->pauses > 0) {
		fig_int(fs, "paused_connections", b->paused_conns);
		fig_int(fs, "paused_slow_connections", b->paused_slow_conns);
	}
}

static void summary(struct story *s, const void *facts)
{
	const struct bp *b = facts;

	story_missing(s, b->clients == 0 ? "a client (fast_peer or slow_reader, role connect)"
					 : NULL, &b->cast);
	if (b->clients > 0)
		say(s, " %F %s connected to the server: %F fast, %F slow.", "clients",
		    plural(b->clients, "client", "clients"), "fast_clients", "slow_clients");
	if (b->slow_stalled > 0) {
		say(s, " %F slow %s reading", "slow_clients_stalled",
		    plural(b->slow_stalled, "client stopped", "clients stopped"));
		if (has(s, "slow_stall_ms"))
			say(s, " for %F", "slow_stall_ms");
		say(s, ".");
	}
	if (has(s, "rss_start_kib") && has(s, "rss_peak_kib") && has(s, "rss_peak_at_ms"))
		say(s, " The server's resident memory (RSS) went from %F at its first sample to a "
		    "peak of %F at %F.", "rss_start_kib", "rss_peak_kib", "rss_peak_at_ms");
	if (val(s, "app_buffered_peak_bytes") > 0 && has(s, "app_buffered_peak_at_ms")) {
		say(s, " Its own buffers held up to %F produced and not yet written (at %F)",
		    "app_buffered_peak_bytes", "app_buffered_peak_at_ms");
		if (has(s, "kernel_sendq_peak_bytes"))
			say(s, ", beside up to %F queued in the kernel's send buffers",
			    "kernel_sendq_peak_bytes");
		say(s, ".");
	} else if (has(s, "app_buffered_peak_bytes")) {
		say(s, " Nothing ever waited in its own buffers.");
	}
	if (b->pauses > 0) {
		say(s, " Backpressure stopped production %T: it held back %F %s (%F of them to slow "
		    "clients)", "backpressure_pauses", "paused_connections",
		    plural(b->paused_conns, "connection", "connections"),
		    "paused_slow_connections");
		if (has(s, "paused_peak"))
			say(s, ", at most %F at once", "paused_peak");
		say(s, ".");
	} else if (has(s, "paused_peak")) {
		say(s, " No connection was ever held back (no backpressure).");
	}
	if (has(s, "fast_clients_bytes_per_s"))
		say(s, " The fast clients received %F together", "fast_clients_bytes_per_s");
	if (has(s, "slow_clients_bytes"))
		say(s, "%s %F bytes in all", has(s, "fast_clients_bytes_per_s") ? "; the slow ones"
						: " The slow clients received", "slow_clients_bytes");
	if (has(s, "fast_clients_bytes_per_s") || has(s, "slow_clients_bytes"))
		say(s, ".");
	story_totals(s, "bytes_sent", "bytes_received", "bytes_lost", "pattern_errors");
}

static int plot(FILE *out, void *facts, const struct options *o, const char *svg,
		int64_t zero_ns)
{
	write_lesson_plot(out, &((struct bp *)facts)->plot, o, svg, zero_ns, 1);
	return 0;
}

/* --predict: why the naive server's memory grew as it did. */
static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "the kernel keeps about a send buffer's worth for each connection");
	if (has(s, "kernel_sendq_peak_bytes"))
		say(s, " (%F queued in all at most)", "kernel_sendq_peak_bytes");
	say(s, ", but a server that goes on producing for a client that does not read keeps "
	    "the rest in its own memory");
	if (has(s, "app_buffered_peak_bytes"))
		say(s, ": up to %F", "app_buffered_peak_bytes");
	if (has(s, "rss_start_kib"))
		say(s, ", on top of the %F it started with", "rss_start_kib");
	say(s, ". It grows with the stall, the rate and the number of slow clients, until "
	    "backpressure stops producing for them.");
}

const struct lesson lesson_backpressure = {
	.name = "backpressure",
	.help = "a server of many clients, fast (fast_peer) and slow (slow_reader), its memory "
		"and backpressure",
	.watch = "Watch the naive server's RSS and App buffered climb for as long as the slow "
		 "clients stall, while Kernel sendq stays small: the kernel bounds its buffers, "
		 "the application does not. With backpressure, Paused rises instead.",
	.question = "Slow clients stop reading while the naive server keeps producing for them "
		    "(by default 5 of 50 clients, for 3 s, 2 MB/s each). How much memory (RSS) will "
		    "the server use at its peak?",
	.answer = "rss_peak_kib",
	.answer_unit = U_KIB,
	.answer_run = "naive_",
	.why = why,
	.plot_title = "the server's memory and buffers while slow clients stop reading",
	.reader = "client",
	.writer = "server",
	.parties = parties,
	.flags = 0,
	.facts_size = sizeof(struct bp),
	.start = start,
	.event = event,
	.finish = finish,
	.release = release,
	.buffers = NULL,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.narrow = narrow,
	.nnarrow = sizeof(narrow) / sizeof(narrow[0]),
	.sample_row = sample_row,
	.figures = figures,
	.summary = summary,
	.status = status,
	.plot = plot,
};
