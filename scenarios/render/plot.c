/* plot: --plot, a gnuplot script, its data inline, that draws the timeline as an SVG. In
 * window_zero and blocked_write: the buffers and the windows as lines, the reader's reads, the
 * probes and the window updates as marks, the stretches of blocked write() shaded; in the
 * lessons of a server and its clients, a few lines of its own, the plans' stalls shaded. */
#include "render.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* More points than this in one line only make the SVG heavy: the picture is ~1000 px wide. */
#define PLOT_MAX_POINTS 4000

struct point {
	int64_t t_ns;
	int64_t v;
};

struct series {
	struct point *p;
	size_t n, cap;
};

static int series_add(struct series *s, int64_t t_ns, int64_t v)
{
	if (grow(&s->p, &s->cap, s->n + 1, sizeof(*s->p)) < 0)
		return -1;
	s->p[s->n].t_ns = t_ns;
	s->p[s->n].v = v;
	s->n++;
	return 0;
}

/* Keep the first and the last point of every run of equal values: the line through them is the
 * same, and a step line still steps at the right moment. */
static void series_drop_repeats(struct series *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		/* p[i - 1] is intact: only p[k], k <= i - 1, was written, and with p[i - 1] itself
		 * if k == i - 1. */
		int same_before = i > 0 && s->p[i - 1].v == s->p[i].v;
		int same_after = i + 1 < s->n && s->p[i + 1].v == s->p[i].v;

		if (!same_before || !same_after)
			s->p[k++] = s->p[i];
	}
	s->n = k;
}

/* Still too many: keep the first and the last point, where the line begins and ends, and in
 * each of (max - 2) / 2 slices of time between them the lowest and the highest point, in their
 * order, so that peaks and dips survive. */
static void series_thin(struct series *s, size_t max)
{
	uint64_t slices = (max - 2) / 2, span;
	struct point last;
	size_t i = 1, k = 1;

	if (s->n <= max || max < 4)
		return;
	last = s->p[s->n - 1];
	span = (uint64_t)(last.t_ns - s->p[0].t_ns) + 1;
	s->n--;
	while (i < s->n) {
		uint64_t slice = (uint64_t)(s->p[i].t_ns - s->p[0].t_ns) * slices / span;
		size_t lo = i, hi = i, j = i;

		for (; j < s->n && (uint64_t)(s->p[j].t_ns - s->p[0].t_ns) * slices / span == slice;
		     j++) {
			if (s->p[j].v < s->p[lo].v)
				lo = j;
			if (s->p[j].v > s->p[hi].v)
				hi = j;
		}
		s->p[k++] = s->p[lo < hi ? lo : hi];
		if (lo != hi)
			s->p[k++] = s->p[lo < hi ? hi : lo];
		i = j;
	}
	s->p[k++] = last;
	s->n = k;
}

/* What the picture draws. */
struct plot {
	struct series recvq, sendq, notsent, snd_wnd, wire;     /* lines, in bytes */
	struct series reads, probes, updates;                   /* marks */
	struct series blocked;      /* write() could not go on: t_ns from, v to */
};

static void plot_free(struct plot *pl)
{
	free(pl->recvq.p);
	free(pl->sendq.p);
	free(pl->notsent.p);
	free(pl->snd_wnd.p);
	free(pl->wire.p);
	free(pl->reads.p);
	free(pl->probes.p);
	free(pl->updates.p);
	free(pl->blocked.p);
}

/* A stretch of blocked write(), unless it is too short to see (--all draws those too). */
static int plot_block(struct plot *pl, const struct options *o, int64_t from, int64_t to)
{
	if (!o->all && to - from < SHORT_WAIT_NS)
		return 0;
	return series_add(&pl->blocked, from, to);
}

/* A sample's field into its line. */
static int plot_slot(struct series *s, const struct event *e, int slot)
{
	struct opt v = slot_opt(e, slot);

	return v.has ? series_add(s, e->t_ns, v.v) : 0;
}

static int plot_wire(struct plot *pl, const struct event *e)
{
	struct opt wnd = slot_opt(e, W_WINDOW);
	int rc = 0;

	if (wire_from(e) == SIDE_READER && wnd.has)
		rc = series_add(&pl->wire, e->t_ns, wnd.v);
	else if (wire_from(e) == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		rc = series_add(&pl->wire, e->t_ns, 0);
	if (rc == 0 && wire_class(e) == WC_PROBE)
		rc = series_add(&pl->probes, e->t_ns, 0);      /* against a window of 0 */
	if (rc == 0 && is_wire_from(e, SIDE_READER, WC_UPDATE))
		rc = series_add(&pl->updates, e->t_ns, wnd.has ? wnd.v : 0);
	return rc;
}

/* What the picture draws, from the merged events. The writer's blocked stretches are paired
 * as figures_writes pairs them: from the first write_blocked to the next write_resumed, or to
 * the writer's end. 0, or -1 when out of memory. */
static int plot_collect(const struct run *run, const struct options *o, struct plot *pl)
{
	struct opt recvq = { 0, 0 }, pending = { 0, 0 }, end = { 0, 0 };
	int64_t last_writer_t = 0;
	int read_due = 0, rc = 0;

	for (size_t i = 0; i < run->n && rc == 0; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS);

		if (e->kind == K_WIRE && e->side == SIDE_WIRE)
			rc = plot_wire(pl, e);
		if (e->side == SIDE_READER && e->kind == K_SAMPLE) {
			if (slot_opt(e, S_RECVQ).has)
				recvq = slot_opt(e, S_RECVQ);
			rc = plot_slot(&pl->recvq, e, S_RECVQ);
		} else if (e->side == SIDE_READER && e->kind == K_STALL_END) {
			read_due = 1;
		} else if (e->side == SIDE_READER && e->kind == K_READ && read_due) {
			/* Marked where the read began, on the line of what it was about to read. */
			read_due = 0;
			rc = series_add(&pl->reads, e->t_ns - (dur.has ? dur.v : 0),
					recvq.has ? recvq.v : 0);
		}
		if (e->side != SIDE_WRITER || rc != 0)
			continue;
		last_writer_t = e->t_ns;
		if (e->kind == K_SAMPLE) {
			rc = plot_slot(&pl->sendq, e, S_SENDQ);
			if (rc == 0)
				rc = plot_slot(&pl->notsent, e, S_NOTSENT);
			if (rc == 0)
				rc = plot_slot(&pl->snd_wnd, e, S_SNDWND);
		} else if (e->kind == K_WRITE_BLOCKED && !pending.has) {
			opt_set(&pending, e->t_ns);
		} else if (e->kind == K_WRITE_RESUMED && pending.has) {
			rc = plot_block(pl, o, pending.v, e->t_ns);
			pending.has = 0;
		} else if (e->kind == K_END && !end.has) {
			opt_set(&end, e->t_ns);
		}
	}
	if (rc == 0 && pending.has)
		rc = plot_block(pl, o, pending.v, end.has ? end.v : last_writer_t);
	return rc;
}

/* A gnuplot string: double-quoted, so that any byte can be written (\ooo); a backquote is
 * escaped too, as gnuplot would run the command between two of them. */
static void gp_str(FILE *out, const char *s)
{
	putc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f || c == '`')
			fprintf(out, "\\%03o", c);
		else
			putc(c, out);
	}
	putc('"', out);
}

/* A key entry, lead + name + tail: the programs' names are in some. */
static void gp_title(FILE *out, const char *lead, const char *name, const char *tail)
{
	struct text t = { NULL, 0, 0, 0 };

	text_add(&t, "%s%s%s", lead, name, tail);
	fputs(" title ", out);
	gp_str(out, t.s && !t.oom ? t.s : "");
	fputs(" noenhanced", out);      /* "slow_reader" is no subscript */
	free(t.s);
}

/* A datablock: seconds since the zero of time, KiB. A line is thinned; marks are each one
 * a moment of its own (three probes all at 0 are three probes). */
static void gp_block_div(FILE *out, const char *name, struct series *s, int line,
			 int64_t zero_ns, int64_t div)
{
	char t[48], v[48];

	if (line)
		series_drop_repeats(s);
	series_thin(s, PLOT_MAX_POINTS);
	fprintf(out, "%s << EOD\n", name);
	for (size_t i = 0; i < s->n; i++) {
		if (div == 1)
			snprintf(v, sizeof(v), "%" PRId64, s->p[i].v);
		else
			fmt_fixed(v, sizeof(v), s->p[i].v, div, 3);
		fprintf(out, "%s %s\n", fmt_fixed(t, sizeof(t), s->p[i].t_ns - zero_ns, NS_PER_S, 6),
			v);
	}
	fputs("EOD\n", out);
}

static void gp_block(FILE *out, const char *name, struct series *s, int line, int64_t zero_ns)
{
	gp_block_div(out, name, s, line, zero_ns, 1024);
}

/* One line or mark of the plot command, if it has points. */
static void gp_plot(FILE *out, int *first, const char *block, const struct series *s,
		    const char *style, const char *lead, const char *name, const char *tail)
{
	if (s->n == 0)
		return;
	fputs(*first ? "plot " : ", \\\n     ", out);
	*first = 0;
	fprintf(out, "%s with %s", block, style);
	gp_title(out, lead, name, tail);
}

/* Stretches shaded behind the lines (write() blocked, a plan's stall): each point of s is one,
 * from its t_ns to its v. */
static void gp_shades(FILE *out, const struct series *s, int64_t zero_ns)
{
	for (size_t i = 0; i < s->n; i++) {
		char a[48], b[48];

		fprintf(out, "set object %zu rect from %s, graph 0 to %s, graph 1 fc rgb '#ffdddd' "
			"fs solid 0.5 noborder behind\n", i + 1,
			fmt_fixed(a, sizeof(a), s->p[i].t_ns - zero_ns, NS_PER_S, 6),
			fmt_fixed(b, sizeof(b), s->p[i].v - zero_ns, NS_PER_S, 6));
	}
}

/* The shaded stretches' entry in the key, last in the plot command, if there are any. */
static void gp_shade_key(FILE *out, const struct series *s, const char *title)
{
	if (s->n == 0)
		return;
	fputs(", \\\n     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5", out);
	gp_title(out, title, "", "");
}

/* What each lesson's picture shows, for its title. */
static const char *const plot_titles[LESSON_COUNT] = {
	[LESSON_WINDOW_ZERO] = "the receive buffer fills, the window falls to 0, one read "
			       "reopens it",
	[LESSON_BLOCKED_WRITE] = "the send buffer fills and write() blocks until the reader reads",
	[LESSON_REQUEST_RESPONSE] = "the request waits in the server's receive buffer, the "
				    "response in its send buffer",
	[LESSON_READ_TIMEOUT] = "a client stops writing mid-request; the server's read timeout",
	[LESSON_WRITE_TIMEOUT] = "a client stops reading, the send buffer fills, the server "
				 "gives up",
	[LESSON_BACKPRESSURE] = "the server's memory and buffers while slow clients stop reading",
};

/* The script's first lines: what draws it, where the SVG goes, the title (with the run's
 * --figure-prefix, so two runs' pictures tell themselves apart), the axes. */
static void gp_head(FILE *out, const struct options *o, const char *svg, const char *ylabel)
{
	char title[512];
	size_t n = strlen(o->figure_prefix);

	fprintf(out, "# %s --plot: the %s lesson, from its logs. Draw it with: gnuplot FILE\n",
		ME, lesson_names[o->lesson]);
	fputs("set terminal svg size 1100,600 dynamic enhanced font 'sans,11' "
	      "background '#ffffff'\nset output ", out);
	gp_str(out, svg);
	while (n > 0 && strchr("_-.", o->figure_prefix[n - 1]))
		n--;
	snprintf(title, sizeof(title), "flowlab %s%s%.*s%s: %s", lesson_names[o->lesson],
		 n ? " (" : "", (int)n, o->figure_prefix, n ? ")" : "", plot_titles[o->lesson]);
	fputs("\nset title ", out);
	gp_str(out, title);
	fprintf(out, " noenhanced\nset xlabel \"time (s)\"\nset ylabel \"%s\"\nset grid\n"
		"set key outside below center horizontal maxrows 3 noenhanced\n"
		"set offsets 0, 0, graph 0.05, graph 0.05\n", ylabel);
}

/* The script: gnuplot FILE writes FILE's name with .svg for .gp. */
static void write_plot(FILE *out, struct plot *pl, const struct options *o, const char *svg,
		       int64_t zero_ns)
{
	int first = 1;

	gp_head(out, o, svg, "KiB");
	gp_block(out, "$recvq", &pl->recvq, 1, zero_ns);
	gp_block(out, "$sendq", &pl->sendq, 1, zero_ns);
	gp_block(out, "$notsent", &pl->notsent, 1, zero_ns);
	gp_block(out, "$sndwnd", &pl->snd_wnd, 1, zero_ns);
	gp_block(out, "$wire", &pl->wire, 1, zero_ns);
	gp_block(out, "$reads", &pl->reads, 0, zero_ns);
	gp_block(out, "$probes", &pl->probes, 0, zero_ns);
	gp_block(out, "$updates", &pl->updates, 0, zero_ns);
	gp_shades(out, &pl->blocked, zero_ns);
	gp_plot(out, &first, "$recvq", &pl->recvq, "lines lw 2 lc rgb '#1f77b4'",
		"", o->receiver, ": unread bytes (recvq)");
	gp_plot(out, &first, "$sendq", &pl->sendq, "lines lw 2 lc rgb '#d62728'",
		"", o->sender, ": queued, not yet acknowledged (sendq)");
	gp_plot(out, &first, "$notsent", &pl->notsent, "lines lw 1.5 dt 2 lc rgb '#ff7f0e'",
		"", o->sender, ": not yet sent (notsent)");
	/* Wider than the wire's line drawn over it: where the two agree, both show. */
	gp_plot(out, &first, "$sndwnd", &pl->snd_wnd, "lines lw 4 lc rgb '#2ca02c'",
		"window ", o->sender, " sees (snd_wnd)");
	gp_plot(out, &first, "$wire", &pl->wire, "steps lw 1.5 lc rgb '#9467bd'",
		"window ", o->receiver, " advertised on the wire");
	gp_plot(out, &first, "$reads", &pl->reads, "points pt 7 ps 1.5 lc rgb '#000000'",
		"", o->receiver, " reads again after its stall");
	gp_plot(out, &first, "$probes", &pl->probes, "points pt 9 ps 1.5 lc rgb '#8c564b'",
		"window probe on the wire", "", "");
	gp_plot(out, &first, "$updates", &pl->updates, "points pt 5 ps 1.5 lc rgb '#e377c2'",
		"window update on the wire", "", "");
	if (first) {
		/* Nothing to draw: an empty frame still says so, where gnuplot would stop. */
		fputs("set xrange [0:1]\nset yrange [0:1]\nplot NaN notitle", out);
		first = 0;
	}
	gp_shade_key(out, &pl->blocked, "write() blocked");
	putc('\n', out);
}

/* FILE with .gp replaced by .svg (or .svg added), made absolute: gnuplot may be run from
 * another directory than this. FILE exists by now. NULL when out of memory. */
static char *svg_path(const char *file)
{
	char *abs = realpath(file, NULL);
	const char *gp = abs ? abs : file;
	size_t n = strlen(gp);
	char *s;

	if (n >= 3 && strcmp(gp + n - 3, ".gp") == 0)
		n -= 3;
	s = malloc(n + 5);
	if (s) {
		memcpy(s, gp, n);
		memcpy(s + n, ".svg", 5);
	}
	free(abs);
	return s;
}

/* The picture of request_response, read_timeout and backpressure: a few lines, the plans'
 * stalls shaded, and marks where a timeout fired. */
struct lesson_plot {
	struct series line[4];
	struct series shade;        /* t_ns from, v to */
	struct series marks;
	int server_stall, client_stall;     /* whose stalls are shaded */
};

static void lesson_plot_free(struct lesson_plot *pl)
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
static int plot_collect_request(const struct run *run, enum lesson l, struct lesson_plot *pl)
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

static void write_lesson_plot(FILE *out, struct lesson_plot *pl, const struct options *o,
			      const char *svg, int64_t zero_ns)
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
	int bp = o->lesson == LESSON_BACKPRESSURE, first = 1;
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

int plot_run(FILE *out, const struct run *run, const struct options *o, char *err, size_t errlen)
{
	struct plot pl;
	struct lesson_plot lp;
	char *svg = svg_path(o->plot);
	int rc = 0, own = request_lesson(o->lesson) || o->lesson == LESSON_BACKPRESSURE;

	memset(&pl, 0, sizeof(pl));
	memset(&lp, 0, sizeof(lp));
	if (svg == NULL)
		rc = -1;
	else if (own && o->lesson == LESSON_BACKPRESSURE)
		rc = plot_collect_backpressure(run, &lp);
	else if (own)
		rc = plot_collect_request(run, o->lesson, &lp);
	else
		rc = plot_collect(run, o, &pl);
	if (rc < 0) {
		snprintf(err, errlen, "--plot: out of memory");
	} else {
		if (own)
			write_lesson_plot(out, &lp, o, svg, run->zero_ns);
		else
			write_plot(out, &pl, o, svg, run->zero_ns);
		if (fflush(out) != 0 || ferror(out)) {
			snprintf(err, errlen, "--plot: write(%s): %s", o->plot, strerror(errno));
			rc = -1;
		}
	}
	plot_free(&pl);
	lesson_plot_free(&lp);
	free(svg);
	return rc;
}
