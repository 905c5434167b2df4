/* plot: --plot, a gnuplot script, its data inline, that draws the timeline as an SVG. The
 * lesson says what it draws (its plot()); here are the pieces of a script: the head with the
 * lesson's title, series of points thinned to what a picture can show, datablocks, lines and
 * marks, and stretches shaded behind them. */
#include "render.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* More points than this in one line only make the SVG heavy: the picture is ~1000 px wide. */
#define PLOT_MAX_POINTS 4000

/* A point that breaks the line: the values on either side are not to be joined. */
#define BREAK INT64_MIN

static int series_push(struct series *s, int64_t t_ns, int64_t v)
{
	if (grow(&s->p, &s->cap, s->n + 1, sizeof(*s->p)) < 0)
		return -1;
	s->p[s->n].t_ns = t_ns;
	s->p[s->n].v = v;
	s->n++;
	return 0;
}

/* A point of a line, after a break where the line's own points stopped coming for longer than
 * s->max_gap_ns (its program was frozen, or had ended): a line that ramped across the gap would
 * draw values nobody measured. */
int series_add(struct series *s, int64_t t_ns, int64_t v)
{
	if (s->max_gap_ns > 0 && s->n > 0 && s->p[s->n - 1].v != BREAK &&
	    t_ns - s->p[s->n - 1].t_ns > s->max_gap_ns &&
	    series_push(s, s->p[s->n - 1].t_ns + 1, BREAK) < 0)
		return -1;
	return series_push(s, t_ns, v);
}

/* Keep the first and the last point of every run of equal values: the line through them is the
 * same, and a step line still steps at the right moment. */
static void series_drop_repeats(struct series *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		/* p[i - 1] is intact: only p[k], k <= i - 1, was written, and with p[i - 1] itself
		 * if k == i - 1. */
		int same_before = i > 0 && s->p[i - 1].v == s->p[i].v && s->p[i].v != BREAK;
		int same_after = i + 1 < s->n && s->p[i + 1].v == s->p[i].v && s->p[i].v != BREAK;

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

/* A sample's field into its line. */
int plot_slot(struct series *s, const struct event *e, int slot)
{
	struct opt v = slot_opt(e, slot);

	return v.has ? series_add(s, e->t_ns, v.v) : 0;
}

/* A gnuplot string: double-quoted, so that any byte can be written (\ooo); a backquote is
 * escaped too, as gnuplot would run the command between two of them. */
void gp_str(FILE *out, const char *s)
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
void gp_title(FILE *out, const char *lead, const char *name, const char *tail)
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
void gp_block_div(FILE *out, const char *name, struct series *s, int line, int64_t zero_ns,
		  int64_t div, struct gp_extent *ext)
{
	char t[48], v[48];

	if (line)
		series_drop_repeats(s);
	series_thin(s, PLOT_MAX_POINTS);
	fprintf(out, "%s << EOD\n", name);
	for (size_t i = 0; i < s->n; i++) {
		if (s->p[i].v == BREAK) {
			putc('\n', out);       /* gnuplot does not join across a blank line */
			continue;
		}
		if (s->p[i].v > ext->ymax)
			ext->ymax = s->p[i].v;
		if (s->p[i].t_ns - zero_ns > ext->xmax_ns)
			ext->xmax_ns = s->p[i].t_ns - zero_ns;
		if (div == 1)
			snprintf(v, sizeof(v), "%" PRId64, s->p[i].v);
		else
			fmt_fixed(v, sizeof(v), s->p[i].v, div, 3);
		fprintf(out, "%s %s\n", fmt_fixed(t, sizeof(t), s->p[i].t_ns - zero_ns, NS_PER_S, 6),
			v);
	}
	fputs("EOD\n", out);
}

void gp_block(FILE *out, const char *name, struct series *s, int line, int64_t zero_ns,
	      struct gp_extent *ext)
{
	gp_block_div(out, name, s, line, zero_ns, 1024, ext);
}

/* The axes: y from 0 to the highest point drawn (ext->ymax, divided by div as the blocks are),
 * x from 0 to the last moment drawn; or to ymax and xmax when the script is run with -e
 * "ymax=N; xmax=S": the runs of a comparison, drawn side by side on one scale. */
void gp_ranges(FILE *out, const struct gp_extent *ext, int64_t div)
{
	char a[48], b[48];

	fprintf(out, "ymax_data = %s\nxmax_data = %s\n"
		"if (!exists(\"ymax\")) ymax = ymax_data\n"
		"if (!exists(\"xmax\")) xmax = xmax_data\n"
		"set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]\n"
		"set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]\n",
		fmt_fixed(a, sizeof(a), ext->ymax, div, 3),
		fmt_fixed(b, sizeof(b), ext->xmax_ns, NS_PER_S, 3));
}

/* One line or mark of the plot command, if it has points. */
void gp_plot(FILE *out, int *first, const char *block, const struct series *s,
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
void gp_shades(FILE *out, const struct series *s, int64_t zero_ns)
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
void gp_shade_key(FILE *out, const struct series *s, const char *title)
{
	if (s->n == 0)
		return;
	fputs(", \\\n     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5", out);
	gp_title(out, title, "", "");
}

/* The script's first lines: what draws it, where the SVG goes, the title (with the run's
 * --figure-prefix, so two runs' pictures tell themselves apart), the axes. */
void gp_head(FILE *out, const struct options *o, const char *svg, const char *ylabel)
{
	char title[512];
	size_t n = strlen(o->figure_prefix);

	fprintf(out, "# %s --plot: the %s lesson, from its logs. Draw it with: gnuplot FILE\n",
		ME, o->lesson->name);
	fputs("set terminal svg size 1100,600 dynamic enhanced font 'sans,11' "
	      "background '#ffffff'\nset output ", out);
	gp_str(out, svg);
	while (n > 0 && strchr("_-.", o->figure_prefix[n - 1]))
		n--;
	snprintf(title, sizeof(title), "flowlab %s%s%.*s%s: %s", o->lesson->name,
		 n ? " (" : "", (int)n, o->figure_prefix, n ? ")" : "", o->lesson->plot_title);
	fputs("\nset title ", out);
	gp_str(out, title);
	fprintf(out, " noenhanced\nset xlabel \"time (s)\"\nset ylabel \"%s\"\nset grid\n"
		"set key outside below center horizontal maxrows 3 noenhanced\n"
		"set offsets 0, 0, graph 0.05, 0\n", ylabel);
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

int plot_run(FILE *out, void *facts, const struct options *o, int64_t zero_ns, char *err,
	     size_t errlen)
{
	char *svg = svg_path(o->plot);
	int rc = svg ? o->lesson->plot(out, facts, o, svg, zero_ns) : -1;

	if (rc < 0) {
		snprintf(err, errlen, "--plot: out of memory");
	} else if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "--plot: write(%s): %s", o->plot, strerror(errno));
		rc = -1;
	}
	free(svg);
	return rc;
}
