/* parts: what the lessons share (lessons.h): who logged in a lesson of a server and its
 * clients, the row clauses of problems and timeouts, and the picture of a few lines. */
#include "lessons.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- who logged ---- */

void cast_start(struct cast *k, const struct fold *c)
{
	if (c->run == NULL)
		return;
	for (size_t l = 0; l < c->run->nlogs; l++)
		k->client_logs += c->run->logs[l].party != P_NONE &&
				  c->run->logs[l].party != P_SERVER;
}

void cast_event(struct cast *k, const struct event *e)
{
	struct opt pe;

	if (e->party == P_NONE)
		return;
	if (e->party == P_SERVER)
		k->server_seen = 1;
	else
		k->client_seen = 1;
	if (e->kind != K_END)
		return;
	if (e->party == P_SERVER)
		k->server_ends++;
	else
		k->client_ends++;
	pe = field_opt(e, "pattern_errors");
	if (pe.has) {
		k->pattern_errors.has = 1;
		k->pattern_errors.v += pe.v;
	}
}

/* The figures of who is missing: only when some client's log has no end. */
void cast_figures(struct figs *fs, const struct cast *k)
{
	if (k->client_logs <= k->client_ends)
		return;
	fig_int(fs, "client_logs", k->client_logs);
	fig_int(fs, "client_logs_without_end", k->client_logs - k->client_ends);
}

/* Who is missing from the logs of a lesson of a server and its clients; `nobody` names the
 * client(s) there is no log of ("the client (slow_writer, role connect)"), or is NULL. */
void story_missing(struct story *s, const char *nobody, const struct cast *k)
{
	if (!k->server_seen)
		say(s, "No log here is from the server (fast_peer, role listen). ");
	if (nobody)
		say(s, "No log here is from %s. ", nobody);
	if (k->server_seen && k->server_ends == 0)
		say(s, "The server's log has no end event, so its totals are not known. ");
	if (k->client_logs == 1 && k->client_ends == 0)
		say(s, "The client's log has no end event, so its totals are not known. ");
	else if (k->client_logs > k->client_ends)
		say(s, "%F of the %F clients' logs have no end event, so their totals are not "
		    "known. ", "client_logs_without_end", "client_logs");
}

/* A warning or an error of `s` ("reader", "server", "a slow client"). */
void note_problem(struct note *n, const char *s, const struct event *e)
{
	const char *call = field_str(e, "call"), *text, *name;

	if (e->kind == K_WARNING) {
		/* timeline.h says "text"; timeline_errno() writes "errno_text". */
		text = field_str(e, "text");
		if (text == NULL)
			text = field_str(e, "errno_text");
		if (text == NULL)
			text = field_str(e, "errno_name");
		note_add(n, "%s: warning: %s%s%s", s, call ? call : "", call && text ? ": " : "",
			 text ? text : "");
		return;
	}
	text = field_str(e, "errno_text");
	name = field_str(e, "errno_name");
	note_add(n, "%s: %s failed: %s%s%s%s", s, call ? call : "a call",
		 text ? text : name ? name : "unknown error", text && name ? " (" : "",
		 text && name ? name : "", text && name ? ")" : "");
}

/* A timeout of the lessons of a server (timeline.h): which call gave up, after how long, and
 * what it returned; `again`: an earlier write timeout fired. */
void note_timeout(struct note *n, const struct event *e, struct opt last_requested, int again)
{
	const char *what = field_str(e, "what"), *name = field_str(e, "errno_name");
	struct opt after = field_opt(e, "after_us"), partial = field_opt(e, "partial_bytes");
	char a[64], b[48], c[48];

	/* In tenths of a ms, as the timeouts' figures have it. */
	if (after.has)
		snprintf(a, sizeof(a), " after %s ms",
			 fmt_fixed(b, sizeof(b), div_round(after.v, 100), 10, 1));
	else
		a[0] = '\0';
	if (str_is(what, "read") && name)
		note_add(n, "read() gave up%s: SO_RCVTIMEO (%s)", a, name);
	else if (str_is(what, "read") && after.has)
		note_add(n, "the event timeout fired: no data for %s ms", b);
	else if (str_is(what, "read"))
		note_add(n, "the event timeout fired: no data");
	else if (str_is(what, "write") && partial.has && partial.v > 0 && last_requested.has)
		note_add(n, "write() gave up%s: returned %s of %s bytes", a,
			 fmt_count(b, sizeof(b), partial.v),
			 fmt_count(c, sizeof(c), last_requested.v));
	else if (str_is(what, "write") && partial.has && partial.v > 0)
		note_add(n, "write() gave up%s: returned %s bytes", a,
			 fmt_count(b, sizeof(b), partial.v));
	else if (str_is(what, "write") && partial.has)
		note_add(n, "write() gave up%s%s: %s, nothing written", again ? " again" : "", a,
			 name ? name : "EAGAIN");
	else if (str_is(what, "write"))
		note_add(n, "the write timer fired: write() still said %s%s",
			 name ? name : "EAGAIN", a);
	else if (str_is(what, "user"))
		note_add(n, "the kernel gave up on the peer: %s%s (TCP_USER_TIMEOUT)",
			 name ? name : "ETIMEDOUT", a);
	else
		note_add(n, "a%s%s timeout fired%s", what ? " " : "", what ? what : "", a);
	note_tone(n, T_BAD);
}

/* ---- quarters ---- */

/* The quarter of cap that v is in, 0 to 4, from the quarter q it was in (-1: none yet). It
 * goes up when v reaches the next line, down only when v is an eighth of cap below the line
 * it crossed going up, and then to the nearest quarter: a value that hovers at a line makes
 * one row, not one per sample. */
int quarter_step(int q, int64_t v, int64_t cap)
{
	int64_t k = q;

	if (q < 0 || v * 4 >= (int64_t)(q + 1) * cap)
		k = v * 4 / cap;
	else if (v * 8 < (int64_t)(2 * q - 1) * cap)
		k = (v * 8 + cap) / (2 * cap);
	return k < 0 ? 0 : k > 4 ? 4 : (int)k;
}

/* ---- the pictures ---- */

/* How long a program's line may go without a point before it breaks: twenty of its sampling
 * intervals (its start event's sample_us), at least 200 ms; longer, it was frozen or had
 * ended, and a line across the gap would draw values nobody measured. */
int64_t line_gap(const struct event *start)
{
	struct opt us = field_opt(start, "sample_us");

	if (us.has && us.v * 20 * NS_PER_US > 200 * NS_PER_MS)
		return us.v * 20 * NS_PER_US;
	return 200 * NS_PER_MS;
}

void lesson_plot_free(struct lesson_plot *pl)
{
	for (int i = 0; i < 4; i++)
		free(pl->line[i].p);
	free(pl->shade.p);
	free(pl->marks.p);
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
	struct gp_extent ext = { 0, 0 };
	const char *shade = bp ? "slow clients stop reading" : pl->server_stall && pl->client_stall
			    ? "a program's planned stall" : pl->server_stall
			    ? "server does not read (--read-delay)" : "client stops writing";
	char name[16];

	gp_head(out, o, svg, bp ? "KiB" : "bytes");
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "$line%d", i);
		gp_block_div(out, name, &pl->line[i], 1, zero_ns, div, &ext);
	}
	gp_block_div(out, "$marks", &pl->marks, 0, zero_ns, div, &ext);
	gp_shades(out, &pl->shade, zero_ns);
	gp_ranges(out, &ext, div);
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
