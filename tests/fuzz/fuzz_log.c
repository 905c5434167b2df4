/* fuzz_log: the log reader, from one line to the whole report: tl_event_parse (common/timeline)
 * and the renderer's loader (scenarios/render/load.c, add_line), then every view a lesson draws
 * from what it loaded: its facts, figures, table, summary, status line, plot and prediction.
 *
 * An input is the text of one or more logs, with lines that start with '#' as directives:
 *   #log              the lines after it are the next log's
 *   #lesson NAME      the lesson (default: the first), as --lesson
 *   #all, #color, #no-table, #width N, #t0 NS, #receiver NAME, #sender NAME, #predict GUESS,
 *   #prefix P         as flowlab-render's options of those names (--figure-prefix)
 * A line the renderer would refuse (malformed, a number out of range) is left out, as if the
 * log did not have it, so that the rest still reaches the lesson.
 *
 * FLOWLAB_FUZZ_SHOW=1 prints what the renderer made of the input on stdout.
 *
 * Whatever the input: nothing reads or writes out of bounds, overflows or leaks (the
 * sanitizers), and a line tl_event_parse accepts, written again by the log's own writer
 * (tl_rec_*), parses back to the same fields. */
#include <inttypes.h>

#include "fuzz.h"
#include "render.h"

#define MAX_LOGS 16

/* The line's fields, written again with tl_rec_* (the first three are the writer's own t_ns,
 * prog and kind), must parse back to the same names, types and values. */
static void round_trip(const struct tl_event *ev)
{
	static char copy[TL_REC_MAX + 1];
	struct timeline tl = { .fd = -1, .prog = "fuzz" };
	struct tl_event back;
	struct tl_rec r;
	char err[160];
	size_t k = 3;

	tl_rec_begin(&r, &tl, "fuzz", 0);
	for (size_t i = 0; i < ev->n; i++) {
		const struct tl_field *f = &ev->f[i];

		if (strcmp(f->name, "t_ns") == 0 || strcmp(f->name, "prog") == 0 ||
		    strcmp(f->name, "kind") == 0)
			continue;
		if (f->is_str)
			tl_rec_str(&r, f->name, f->s);
		else
			tl_rec_int(&r, f->name, f->i);
	}
	if (r.overflow || ev->n > TL_MAX_FIELDS - 3)
		return;         /* cut to whole fields, or more than a line may hold: not comparable */
	(void)tl_rec_emit(&tl, &r);
	memcpy(copy, r.buf, r.len);
	copy[r.len] = '\0';
	FUZZ_CHECK(tl_event_parse(copy, &back, err, sizeof(err)) == 0, "written as %s: %s", copy,
		   err);
	for (size_t i = 0; i < ev->n; i++) {
		const struct tl_field *f = &ev->f[i];

		if (strcmp(f->name, "t_ns") == 0 || strcmp(f->name, "prog") == 0 ||
		    strcmp(f->name, "kind") == 0)
			continue;
		FUZZ_CHECK(k < back.n && strcmp(back.f[k].name, f->name) == 0 &&
			   back.f[k].is_str == f->is_str &&
			   (f->is_str ? strcmp(back.f[k].s, f->s) == 0 : back.f[k].i == f->i),
			   "field '%s' written as %s", f->name, copy);
		k++;
	}
	FUZZ_CHECK(k == back.n, "%zu fields written, %zu read back", k, back.n);
	tl_event_free(&back);
}

/* A directive line ("#lesson request_response"): set what it says in o. */
static void directive(const char *d, struct options *o, size_t *li, size_t nlogs)
{
	const char *arg = strchr(d, ' ');
	const struct lesson *l;

	arg = arg ? arg + 1 : "";
	if (strncmp(d, "#log", 4) == 0 && *li + 1 < nlogs)
		(*li)++;
	else if (strncmp(d, "#lesson ", 8) == 0 && (l = lesson_find(arg)) != NULL)
		o->lesson = l;
	else if (strcmp(d, "#all") == 0)
		o->all = 1;
	else if (strcmp(d, "#color") == 0)
		o->color = 1;
	else if (strcmp(d, "#no-table") == 0)
		o->no_table = 1;
	else if (strncmp(d, "#width ", 7) == 0)
		o->width = atoi(arg) >= 80 && atoi(arg) <= 100 ? atoi(arg) : 0;
	else if (strncmp(d, "#t0 ", 4) == 0) {
		o->have_t0 = 1;
		o->t0_ns = strtoll(arg, NULL, 10);
	} else if (strncmp(d, "#receiver ", 10) == 0 && *arg)
		o->receiver = arg;
	else if (strncmp(d, "#sender ", 8) == 0 && *arg)
		o->sender = arg;
	else if (strncmp(d, "#predict ", 9) == 0)
		o->predict = arg;
	else if (strncmp(d, "#prefix ", 8) == 0)
		o->figure_prefix = arg;
}

/* Every view of the run, into out. */
static void render(FILE *out, struct run *run, struct options *o)
{
	const struct lesson *l = o->lesson;
	struct figs figs;
	void *facts = NULL;
	char err[512], status[256];

	memset(&figs, 0, sizeof(figs));
	run_settle(run, o);
	if (facts_of(run, o, &facts) < 0)
		return;
	l->figures(&figs, facts);
	if (l->buffers)
		(void)l->buffers(out, o, facts);
	if (!o->no_table)
		(void)print_table(out, run, o, facts);
	(void)print_summary(out, o, facts, &figs);
	print_incomplete(out, o, run);
	if (o->predict && predict_check(o, err, sizeof(err)) == 0)
		(void)print_prediction(out, o, facts, &figs);
	print_figures(out, o, &figs);
	if (l->status)
		l->status(status, sizeof(status), facts);
	(void)plot_run(out, facts, o, run->zero_ns, err, sizeof(err));
	facts_free(l, facts);
	figs_free(&figs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	static char *names[MAX_LOGS];
	static char namebuf[MAX_LOGS][16];
	char *text = fuzz_string(data, size, size), *line, *next;
	struct options o;
	struct run run;
	size_t nlogs = 1, li = 0, lineno = 0;
	off_t off = 0;

	if (text == NULL)
		return 0;
	if (out == NULL) {
		/* FLOWLAB_FUZZ_SHOW=1: what the renderer made of an input, to see what a seed reaches */
		out = getenv("FLOWLAB_FUZZ_SHOW") ? stdout : fopen("/dev/null", "w");
		FUZZ_CHECK(out != NULL, "fopen(/dev/null)");
		for (size_t i = 0; i < MAX_LOGS; i++) {
			snprintf(namebuf[i], sizeof(namebuf[i]), "log%zu.jsonl", i);
			names[i] = namebuf[i];
		}
	}
	for (line = text; (line = strstr(line, "#log")) != NULL && nlogs < MAX_LOGS; line += 4)
		nlogs++;

	memset(&o, 0, sizeof(o));
	o.lesson = lessons[0];
	o.figure_prefix = "";
	o.receiver = "slow_reader";
	o.sender = "fast_peer";
	o.plot = "/nonexistent/fuzz.gp";     /* its name only: the script goes to out */
	o.logs = names;
	o.nlogs = nlogs;
	memset(&run, 0, sizeof(run));
	run.nlogs = nlogs;
	run.logs = calloc(nlogs, sizeof(*run.logs));
	if (run.logs == NULL) {
		free(text);
		return 0;
	}
	for (size_t i = 0; i < nlogs; i++)
		run.logs[i].path = names[i];

	for (line = text; line != NULL; line = next) {
		struct tl_event ev;
		char err[512];
		size_t len;

		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) + 1 : strlen(line);
		if (next)
			*next++ = '\0';
		lineno++;
		if (line[0] == '#') {
			directive(line, &o, &li, nlogs);
		} else if (!is_blank(line)) {
			if (tl_event_parse(line, &ev, err, sizeof(err)) == 0) {
				round_trip(&ev);
				tl_event_free(&ev);
			}
			(void)add_line(&run, li, lineno, off, line, &o, err, sizeof(err));
		}
		off += (off_t)len;
	}
	render(out, &run, &o);
	run_free(&run);
	free(text);
	return 0;
}
