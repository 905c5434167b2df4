/* values: the figures as name=value lines, every name after --figure-prefix, for tests that
 * assert bands and for two runs' figures side by side. A figure the logs do not give is left
 * out, never printed as 0. */
#include "render.h"

#include <inttypes.h>
#include <stdio.h>

/* Where the figures go, and the --figure-prefix before every name. */
struct figout {
	FILE *out;
	const char *prefix;
};

/* A figure that is always known (a count, a flag, the reference document's). */
static void fig_int(const struct figout *fo, const char *name, int64_t v)
{
	fprintf(fo->out, "%s%s=%" PRId64 "\n", fo->prefix, name, v);
}

static void fig(const struct figout *fo, const char *name, struct opt v)
{
	if (v.has)
		fig_int(fo, name, v.v);
}

/* A figure kept in a finer unit, printed rounded to a coarser one (us -> ms). */
static void fig_div(const struct figout *fo, const char *name, struct opt v, int64_t per)
{
	if (v.has)
		fig_int(fo, name, div_round(v.v, per));
}

/* num / den with one decimal, when both are known and den > 0. */
static void fig_dec1(const struct figout *fo, const char *name, int has, int64_t num,
		     int64_t den)
{
	char a[48];

	if (has && den > 0)
		fprintf(fo->out, "%s%s=%s\n", fo->prefix, name,
			fmt_fixed(a, sizeof(a), num, den, 1));
}

/* A figure in a finer unit with one decimal of a coarser one (us -> ms: 1023.6). */
static void fig_opt_dec1(const struct figout *fo, const char *name, struct opt v, int64_t per)
{
	fig_dec1(fo, name, v.has, v.v, per);
}

static void fig_side(const struct figout *fo, const char *side, const struct side_end *s)
{
	char name[48];

	snprintf(name, sizeof(name), "%s_cpu_user_us", side);
	fig(fo, name, s->cpu_user_us);
	snprintf(name, sizeof(name), "%s_cpu_sys_us", side);
	fig(fo, name, s->cpu_sys_us);
	snprintf(name, sizeof(name), "%s_wall_ms", side);
	fig_div(fo, name, s->wall_us, 1000);
	snprintf(name, sizeof(name), "%s_cpu_pct", side);
	fig_dec1(fo, name, s->cpu_user_us.has && s->cpu_sys_us.has && s->wall_us.has,
		 (s->cpu_user_us.v + s->cpu_sys_us.v) * 100, s->wall_us.v);
	snprintf(name, sizeof(name), "%s_samples", side);
	fig(fo, name, s->samples);
	snprintf(name, sizeof(name), "%s_sample_cpu_us", side);
	fig(fo, name, s->sample_cpu_us);
	snprintf(name, sizeof(name), "%s_sample_cpu_pct", side);
	fig_dec1(fo, name, s->sample_cpu_us.has && s->wall_us.has, s->sample_cpu_us.v * 100,
		 s->wall_us.v);
}

/* The capture's figures: none at all without wire events. */
static void print_wire_figures(const struct figout *fo, const struct figures *f)
{
	int first = 1;

	if (f->wire_segments == 0)
		return;
	fig_int(fo, "wire_segments", f->wire_segments);
	fig_int(fo, "wire_zero_window_segments", f->wire_zero_windows);
	fig_int(fo, "wire_probes", f->wire_probes);
	fig_int(fo, "wire_window_updates", f->wire_updates);
	fig_int(fo, "wire_retransmissions", f->wire_retransmissions);
	fig_div(fo, "wire_first_zero_window_ms", f->wire_first_zero_window_at_ns, NS_PER_MS);
	fig_div(fo, "wire_window_update_after_read_us", f->wire_update_after_read_ns, NS_PER_US);
	/* Between consecutive probes only: the first probe's wait since the window closed is
	 * the persist timer's first timeout, not an interval between probes. */
	for (size_t i = 0; i < f->nprobe_gaps; i++) {
		if (f->probe_gaps[i].after_close)
			continue;
		if (first)
			fprintf(fo->out, "%sprobe_intervals_ms=", fo->prefix);
		else
			putc(',', fo->out);
		fprintf(fo->out, "%" PRId64, div_round(f->probe_gaps[i].ns, NS_PER_MS));
		first = 0;
	}
	if (!first)
		putc('\n', fo->out);
	fig_dec1(fo, "wire_zero_window_vs_snd_wnd_ms",
		 f->wire_first_zero_window_at_ns.has && f->zero_window_at_ns.has,
		 f->wire_first_zero_window_at_ns.v - f->zero_window_at_ns.v, NS_PER_MS);
}

static void print_flow_figures(const struct figout *fo, const struct figures *f)
{
	struct opt ref = { 1, REFERENCE_BUF_BYTES };

	fig(fo, "rcvbuf_requested", f->rcvbuf_requested);
	fig(fo, "rcvbuf_actual", f->rcvbuf_actual);
	fig(fo, "rcvbuf_reference", ref);
	fig(fo, "sndbuf_requested", f->sndbuf_requested);
	fig(fo, "sndbuf_actual", f->sndbuf_actual);
	fig(fo, "sndbuf_reference", ref);
	if (f->cc)
		fprintf(fo->out, "%scc=%s\n", fo->prefix, f->cc);
	fig_int(fo, "zero_window_seen", f->zero_window_seen);
	fig_div(fo, "zero_window_at_ms", f->zero_window_at_ns, NS_PER_MS);
	fig(fo, "bytes_at_zero_window", f->bytes_at_zero_window);
	fig_div(fo, "write_blocked_ms", f->write_blocked_us, 1000);
	fig_div(fo, "resume_after_read_us", f->resume_after_read_ns, NS_PER_US);
	fig(fo, "probe_backoffs", f->probe_backoffs);
	fig_div(fo, "stall_ms", f->stall_us, 1000);
	fig(fo, "bytes_sent", f->bytes_sent);
	fig(fo, "bytes_received", f->bytes_received);
	fig(fo, "bytes_lost", f->bytes_lost);
	fig(fo, "pattern_errors", f->pattern_errors);
	fig(fo, "write_calls", f->write_calls);
	fig(fo, "writes_immediate", f->writes_immediate);
	fig_dec1(fo, "longest_write_ms", f->longest_write_ns.has, f->longest_write_ns.v,
		 NS_PER_MS);
	fig(fo, "write_blocked_count", f->eagain_count);
	fig_side(fo, "reader", &f->reader);
	fig_side(fo, "writer", &f->writer);
	/* Beyond the lesson's list: what the blocked_write paragraph tells. */
	fig_div(fo, "longest_blocked_ms", f->longest_blocked_us, 1000);
	fig(fo, "sendq_max_bytes", f->sendq_max);
	fig_div(fo, "queue_drained_at_ms", f->queue_drained_at_ns, NS_PER_MS);
	print_wire_figures(fo, f);
}

static void print_request_figures(const struct figout *fo, enum lesson l,
				  const struct figures *f)
{
	const struct request_figures *q = &f->rq;

	if (l == LESSON_REQUEST_RESPONSE) {
		fig(fo, "request_bytes", q->request_bytes);
		fig_int(fo, "request_bytes_reference", REFERENCE_REQUEST_BYTES);
		fig(fo, "response_bytes", q->response_bytes);
		fig_int(fo, "response_bytes_reference", REFERENCE_RESPONSE_BYTES);
		fig_opt_dec1(fo, "request_in_buffer_ms", q->request_in_buffer_ns, NS_PER_MS);
		fig(fo, "server_recvq_max_bytes", q->server_recvq_max);
		fig(fo, "response_acked_us", q->response_acked_us);
		fig(fo, "client_bytes_received", q->client_received);
	} else {
		fig_div(fo, "client_stall_ms", q->client_stall_us, 1000);
		fig_opt_dec1(fo, "read_timeout_fired_ms", q->read_timeout_us, 1000);
		if (f->server_seen)
			fig_int(fo, "client_closed", q->client_closed);
		fig_opt_dec1(fo, "server_waited_ms", q->server_waited_ns, NS_PER_MS);
		if (f->server_seen)
			fig_int(fo, "request_complete", q->request_complete);
		/* Beyond the lesson's list: the request's bytes, as the paragraph tells them. */
		fig(fo, "client_bytes_sent", q->request_bytes);
		fig(fo, "server_bytes_received", q->server_received);
	}
	fig(fo, "bytes_unread_at_close", q->bytes_unread_at_close);
	fig(fo, "bytes_lost", q->bytes_lost);
	fig(fo, "pattern_errors", q->pattern_errors);
}

static void print_write_timeout_figures(const struct figout *fo, const struct figures *f)
{
	const struct wt_figures *w = &f->wt;

	fig_div(fo, "write_blocked_ms", f->write_blocked_us, 1000);
	fig(fo, "partial_write_bytes", w->partial_write_bytes);
	fig_opt_dec1(fo, "write_timeout_fired_ms", w->write_timeout_us, 1000);
	fig_opt_dec1(fo, "user_timeout_fired_ms", w->user_timeout_us, 1000);
	if (f->server_seen)
		fig_int(fo, "client_closed", w->client_closed);
	fig_div(fo, "stall_ms", f->stall_us, 1000);
	fig(fo, "bytes_sent", f->bytes_sent);
	fig(fo, "bytes_received", f->bytes_received);
	/* An aborted connection loses what the send buffer held, as TCP_USER_TIMEOUT means. */
	if (w->aborted)
		fig(fo, "bytes_undelivered", w->bytes_undelivered);
	else
		fig(fo, "bytes_lost", f->bytes_lost);
	fig(fo, "pattern_errors", w->pattern_errors);
	/* Beyond the lesson's list: where the undelivered bytes were. */
	fig(fo, "sendq_at_user_timeout_bytes", w->sendq_at_user_timeout);
}

static void print_backpressure_figures(const struct figout *fo, const struct figures *f)
{
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

void print_figures(FILE *out, const struct options *o, const struct figures *f)
{
	struct figout fo = { out, o->figure_prefix };

	fputs("\nFigures\n", out);
	switch (o->lesson) {
	case LESSON_REQUEST_RESPONSE:
	case LESSON_READ_TIMEOUT:
		print_request_figures(&fo, o->lesson, f);
		break;
	case LESSON_WRITE_TIMEOUT:
		print_write_timeout_figures(&fo, f);
		break;
	case LESSON_BACKPRESSURE:
		print_backpressure_figures(&fo, f);
		break;
	default:
		print_flow_figures(&fo, f);
		break;
	}
}
