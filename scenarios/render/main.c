/* flowlab-render: the timeline of a flowlab lesson, told from the logs its programs wrote.
 *
 * A scenario runs a slow reader and a fast writer over loopback; each logs what its socket does
 * as JSON Lines (see timeline.h) on the one CLOCK_MONOTONIC clock. This program merges those
 * logs and retells them the way the reference document draws TCP flow control ("TCP Flow
 * Control (Visual)"), but with the numbers this kernel really produced:
 *
 *   Buffer sizes  what each side asked for, what the kernel set, what the document says
 *   the table     one row per moment something changed: the buffer filling up, the window
 *                 falling to 0, write() blocking, the reader reading again
 *   Summary       one paragraph that tells the story with the measured figures
 *   Figures       the same figures as name=value lines, for tests that assert bands (on a
 *                 terminal, in --figures-file only: the screen ends on the story)
 *   --csv FILE    the merged timeline as CSV, one row per event, for plotting
 *   --plot FILE   a gnuplot script, data inline, that draws the timeline as an SVG
 *   --follow      the table alone, row by row while the logs grow, for a class to watch live
 *
 * When a capture (prog "flowlab-capture") logged the connection's segments as `wire` events,
 * the lesson also shows what really crossed the wire: the window the reader advertised, its
 * zero-window segments, the sender's probes and the window update.
 *
 * The core knows no lesson by name: a lesson is one file under lessons/ behind a struct lesson
 * (render.h), and lessons/lessons.c lists them. In the lessons of a server and its clients, who
 * is who comes from each log's program and its start event's role (the lesson's party rules),
 * not from --receiver and --sender.
 *
 * Every figure is computed once, into the lesson's facts; the paragraph and the name=value
 * lines both print from them, so they cannot disagree. The table's rows are decided one event
 * at a time, in time order, by the same code for a finished run and for --follow.
 *
 * Logs can be long (a sample every millisecond from each side), so an event is kept as a small
 * record holding the few numbers the lesson needs. Only the rare kinds (start, socket, end,
 * errors ...) keep all their parsed fields, and --csv reads each line again from its log rather
 * than keeping every line in memory.
 *
 * Its files (render.h has what the core shares, lessons/lessons.h what the lessons share):
 *
 *   main.c            the options, the command line, and the report in its order
 *   load.c            the LOGs into one run of events in time order; who is who
 *   event.c           an event's numbers and strings; the wire's zero-window stretches
 *   text.c            numbers as text, text that grows, and grow() for every array
 *   table.c           the table's frame, header, rows and shared cells; the buffer sizes block
 *   rows.c            the rows in time order, for a finished run and for --follow
 *   story.c           the summary paragraph's frame and shared pieces
 *   figures.c         the figures: computed once, said by the summary, printed as name=value
 *   predict.c         --predict: the class's guess graded against the lesson's answer
 *   csv.c             --csv
 *   plot.c            --plot's pieces
 *   follow.c          --follow, and its status line on a terminal
 *   lessons/          one file per lesson, the table of them (lessons.c), and the parts the
 *                     lessons of one sender and one receiver (flow.c) and of one request
 *                     (request.c) share */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the command line ---- */

static void usage(FILE *out)
{
	fputs("Usage: " ME " [--lesson NAME] [--all] [--csv FILE] [--plot FILE] [--t0 NS]\n"
	      "                     [--receiver PROG] [--sender PROG] [--figure-prefix P]\n"
	      "                     [--figures-file FILE] [--figures] [--predict GUESS]\n"
	      "                     [--wide | --width N] [--color WHEN] [--no-table] LOG...\n"
	      "       " ME " --follow [--lesson NAME] [--all] [--t0 NS] [--receiver PROG]\n"
	      "                     [--sender PROG] [--wide | --width N] [--color WHEN] LOG...\n"
	      "       " ME " --list | --question [--lesson NAME] | --now\n"
	      "\n"
	      "Merge the JSON Lines logs of a flowlab scenario on their shared clock and tell the\n"
	      "lesson: buffer sizes, a table of the moments where something changed, a summary\n"
	      "paragraph, and the figures as name=value lines. With the log of a capture (prog\n"
	      CAPTURE_PROG "), the table gains a Wire column (the window the receiver really\n"
	      "advertised) and rows for its zero windows, the sender's probes and the window\n"
	      "update, and the summary and the figures (wire_*) say what crossed the wire.\n"
	      "\n"
	      "On a terminal the table fits the screen (at most 100 columns: the lesson's main\n"
	      "columns, short labels), in colour, and the report ends on the summary: the figures go\n"
	      "to --figures-file. Piped, the table is the wide one and the figures follow the summary.\n"
	      "\n"
	      "  --lesson NAME    the lesson to tell (default: the first), in the order to teach them:\n", out);
	for (size_t i = 0; lessons[i]; i++)
		fprintf(out, "                     %-17s %s\n", lessons[i]->name, lessons[i]->help);
	fputs("                   The lessons of a server and its clients tell who is who by\n"
	      "                   program and start role, not by --receiver and --sender.\n"
	      "  --figure-prefix P  put P before every figure's name (naive_stall_ms=...), to\n"
	      "                   print two runs' figures side by side: letters, digits, '_',\n"
	      "                   '-' and '.'\n"
	      "  --figures-file FILE  append the figures, name=value, to FILE (a scenario of several\n"
	      "                   runs collects them all in one file)\n"
	      "  --figures        print the figures after the summary even on a terminal\n"
	      "  --predict GUESS  the class's answer to the lesson's question (--question), graded\n"
	      "                   after the summary against the figure the run measured: a size\n"
	      "                   (64K, 100000) or a duration (2s, 500ms), as the question asks\n"
	      "  --question       print the lesson's question (question=), what a guess is written\n"
	      "                   as (hint=), and the --figure-prefix of the run that answers it\n"
	      "                   (run=, empty: the only one), and exit; with --predict GUESS,\n"
	      "                   only once the guess is one (a scenario checks it before its run)\n"
	      "  --list           print every lesson, in the order to teach them, one line each:\n"
	      "                   NAME<tab>what it shows<tab>what to watch for; and exit\n"
	      "  --wide           the full table, every column (the default when piped)\n"
	      "  --width N        the narrow table, fitted to N columns (80 to 100; the default on\n"
	      "                   a terminal is its width, at most 100)\n"
	      "  --color WHEN     colour the blocked writer, the zero window and the reopening:\n"
	      "                   auto (on a terminal, unless NO_COLOR is set), always or never\n"
	      "  --all            a table row for every sample, not only where something changes\n"
	      "  --csv FILE       also write the merged timeline as CSV, one row per event\n"
	      "  --plot FILE      also write a gnuplot script, its data inline, that draws the\n"
	      "                   timeline: 'gnuplot FILE' writes FILE with .gp replaced by .svg\n"
	      "  --follow         print the table alone, row by row as the LOGs grow (they need not\n"
	      "                   exist yet): an event is shown once it is 150 ms old; stop when\n"
	      "                   every LOG has its end event, or on SIGINT/SIGTERM. Lines stamped\n"
	      "                   before --t0 are left out (logs left by an earlier run). In the\n"
	      "                   lessons of a server and its clients, the first log of each\n"
	      "                   party's program and role is that party. On a terminal, a status\n"
	      "                   line ticks while nothing happens\n"
	      "  --t0 NS          zero of time in CLOCK_MONOTONIC ns (default: the scenario's\n"
	      "                   start, else the first event)\n"
	      "  --receiver PROG  the program whose events are the receiver's (slow_reader), in\n"
	      "                   the lessons of one sender and one receiver\n"
	      "  --sender PROG    the program whose events are the sender's (fast_peer), likewise\n"
	      "  --no-table       leave the table out\n"
	      "  --trace-summary  mark each figure in the summary with its name, value and\n"
	      "                   unit, on one line (for the tests that check the summary and\n"
	      "                   the figures agree)\n"
	      "  --now            print CLOCK_MONOTONIC now in ns and exit\n"
	      "  --help           print this help and exit\n", out);
}

static int bad_value(const char *flag, const char *value, const char *hint)
{
	fprintf(stderr, ME ": %s: bad value '%s': %s\n", flag, value, hint);
	return 2;
}

/* "--lesson: bad value 'x': use" and the lessons' names. */
static int bad_lesson(const char *value)
{
	fprintf(stderr, ME ": --lesson: bad value '%s': use ", value);
	for (size_t i = 0; lessons[i]; i++)
		fprintf(stderr, "%s%s", lessons[i]->name,
			lessons[i + 1] == NULL ? "\n" : lessons[i + 2] == NULL ? " or " : ", ");
	return 2;
}

/* getopt_long's '?': an unknown option, or a value given to one that takes none. */
static int bad_option(const char *arg, int opt)
{
	if (strncmp(arg, "--", 2) != 0)
		fprintf(stderr, ME ": -%c: unknown option (see --help)\n", opt);
	else if (opt != 0 && strchr(arg, '='))
		fprintf(stderr, ME ": %.*s: takes no value (see --help)\n",
			(int)strcspn(arg, "="), arg);
	else
		fprintf(stderr, ME ": %.*s: unknown option (see --help)\n",
			(int)strcspn(arg, "="), arg);
	return 2;
}

static int parse_t0(const char *s, int64_t *v)
{
	uint64_t acc = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || acc > ((uint64_t)INT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		acc = acc * 10 + (uint64_t)(*s - '0');
	}
	*v = (int64_t)acc;
	return 0;
}

enum {
	OPT_LESSON = 1, OPT_ALL, OPT_CSV, OPT_PLOT, OPT_FOLLOW, OPT_T0, OPT_RECEIVER, OPT_SENDER,
	OPT_NO_TABLE, OPT_NOW, OPT_HELP, OPT_FIGURE_PREFIX, OPT_TRACE_SUMMARY, OPT_LIST,
	OPT_QUESTION, OPT_PREDICT, OPT_FIGURES_FILE, OPT_FIGURES, OPT_WIDE, OPT_WIDTH, OPT_COLOR
};

enum { WIDTH_MIN = 80, WIDTH_MAX = 100 };

/* The columns of the terminal on fd 1, else 0. */
static int terminal_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* A prefix keeps a figure's name one word a script can split at '='. */
static int good_prefix(const char *s)
{
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")] ==
	       '\0';
}

/* An output that is one of the LOGs would be emptied before it is read (--csv F F): said, 1. */
static int output_is_log(const struct options *o, const char *flag, const char *path)
{
	struct stat out, in;

	if (path == NULL || stat(path, &out) < 0)
		return 0;
	for (size_t i = 0; i < o->nlogs; i++)
		if (stat(o->logs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			fprintf(stderr, ME ": %s: bad value '%s': it is one of the LOGs, which it would "
				"overwrite\n", flag, path);
			return 1;
		}
	return 0;
}

/* TERM=dumb: a terminal that shows escapes as text. */
static int dumb_terminal(void)
{
	const char *term = getenv("TERM");

	return term == NULL || strcmp(term, "dumb") == 0;
}

/* 0, or the exit status (2) after saying what is wrong. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "lesson", required_argument, NULL, OPT_LESSON },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "follow", no_argument, NULL, OPT_FOLLOW },
		{ "t0", required_argument, NULL, OPT_T0 },
		{ "receiver", required_argument, NULL, OPT_RECEIVER },
		{ "sender", required_argument, NULL, OPT_SENDER },
		{ "no-table", no_argument, NULL, OPT_NO_TABLE },
		{ "now", no_argument, NULL, OPT_NOW },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "figure-prefix", required_argument, NULL, OPT_FIGURE_PREFIX },
		{ "trace-summary", no_argument, NULL, OPT_TRACE_SUMMARY },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "question", no_argument, NULL, OPT_QUESTION },
		{ "predict", required_argument, NULL, OPT_PREDICT },
		{ "figures-file", required_argument, NULL, OPT_FIGURES_FILE },
		{ "figures", no_argument, NULL, OPT_FIGURES },
		{ "wide", no_argument, NULL, OPT_WIDE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ NULL, 0, NULL, 0 },
	};
	const char *color = "auto", *nocolor = getenv("NO_COLOR");
	int c, wide = 0, width = -1;
	int64_t n;
	char why[256];

	memset(o, 0, sizeof(*o));
	o->lesson = lessons[0];
	o->figure_prefix = "";
	o->receiver = "slow_reader";
	o->sender = "fast_peer";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LESSON:
			o->lesson = lesson_find(optarg);
			if (o->lesson == NULL)
				return bad_lesson(optarg);
			break;
		case OPT_FIGURE_PREFIX:
			if (!good_prefix(optarg))
				return bad_value("--figure-prefix", optarg,
						 "use letters, digits, '_', '-' and '.'");
			o->figure_prefix = optarg;
			break;
		case OPT_ALL:
			o->all = 1;
			break;
		case OPT_CSV:
			if (*optarg == '\0')
				return bad_value("--csv", optarg, "use a file name");
			o->csv = optarg;
			break;
		case OPT_PLOT:
			if (*optarg == '\0')
				return bad_value("--plot", optarg, "use a file name");
			o->plot = optarg;
			break;
		case OPT_FOLLOW:
			o->follow = 1;
			break;
		case OPT_T0:
			if (parse_t0(optarg, &o->t0_ns) < 0)
				return bad_value("--t0", optarg, "use CLOCK_MONOTONIC nanoseconds, "
						 "as " ME " --now prints them");
			o->have_t0 = 1;
			break;
		case OPT_RECEIVER:
		case OPT_SENDER:
			if (*optarg == '\0')
				return bad_value(c == OPT_RECEIVER ? "--receiver" : "--sender",
						 optarg, "use a program name such as slow_reader");
			*(c == OPT_RECEIVER ? &o->receiver : &o->sender) = optarg;
			break;
		case OPT_NO_TABLE:
			o->no_table = 1;
			break;
		case OPT_NOW:
			o->now = 1;
			break;
		case OPT_HELP:
			o->help = 1;
			break;
		case OPT_TRACE_SUMMARY:
			o->trace = 1;
			break;
		case OPT_LIST:
			o->list = 1;
			break;
		case OPT_QUESTION:
			o->question = 1;
			break;
		case OPT_PREDICT:
			o->predict = optarg;
			break;
		case OPT_FIGURES_FILE:
			if (*optarg == '\0')
				return bad_value("--figures-file", optarg, "use a file name");
			o->figures_file = optarg;
			break;
		case OPT_FIGURES:
			o->figures = 1;
			break;
		case OPT_WIDE:
			wide = 1;
			break;
		case OPT_WIDTH:
			if (parse_t0(optarg, &n) < 0 || n < WIDTH_MIN || n > WIDTH_MAX)
				return bad_value("--width", optarg, "use a number of columns from 80 "
						 "to 100");
			width = (int)n;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0)
				return bad_value("--color", optarg, "use auto, always or never");
			color = optarg;
			break;
		case ':':
			fprintf(stderr, ME ": %s: needs a value (see --help)\n", argv[optind - 1]);
			return 2;
		default:
			return bad_option(argv[optind - 1], optopt);
		}
	}
	o->logs = argv + optind;
	o->nlogs = (size_t)(argc - optind);
	if (wide && width >= 0) {
		fprintf(stderr, ME ": --wide and --width: give one of them (see --help)\n");
		return 2;
	}
	/* On a terminal, the narrow table at its width (at most 100); piped, the wide one. */
	if (!wide && width < 0 && isatty(STDOUT_FILENO)) {
		width = terminal_width();
		width = width <= 0 || width > WIDTH_MAX ? WIDTH_MAX : width < WIDTH_MIN ? WIDTH_MIN
												: width;
	}
	o->width = width < 0 ? 0 : width;
	o->color = strcmp(color, "always") == 0 ||
		   (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) &&
		    (nocolor == NULL || *nocolor == '\0') && !dumb_terminal());
	if (o->predict && (o->follow || o->list)) {
		fprintf(stderr, ME ": --predict grades a finished run: leave out %s (see --help)\n",
			o->follow ? "--follow" : "--list");
		return 2;
	}
	if (o->predict && predict_check(o, why, sizeof(why)) < 0) {
		fprintf(stderr, ME ": %s\n", why);
		return 2;
	}
	if (!o->help && !o->now && !o->list && !o->question && o->nlogs == 0) {
		fprintf(stderr, ME ": no LOG given (see --help)\n");
		return 2;
	}
	if (o->follow && (o->csv || o->plot || o->no_table)) {
		fprintf(stderr, ME ": --follow prints the table alone: leave out %s (see --help)\n",
			o->csv ? "--csv" : o->plot ? "--plot" : "--no-table");
		return 2;
	}
	if (output_is_log(o, "--csv", o->csv) || output_is_log(o, "--plot", o->plot) ||
	    output_is_log(o, "--figures-file", o->figures_file))
		return 2;
	if (o->follow && (o->figures_file || o->figures)) {
		fprintf(stderr, ME ": --follow prints the table alone: leave out %s (see --help)\n",
			o->figures ? "--figures" : "--figures-file");
		return 2;
	}
	return 0;
}

/* ---- the lessons themselves: --list, --question ---- */

/* One line a lesson, in the order to teach them: NAME, what it shows, what to watch for. */
static int print_lessons(FILE *out)
{
	for (size_t i = 0; lessons[i]; i++)
		fprintf(out, "%s\t%s\t%s\n", lessons[i]->name, lessons[i]->help,
			lessons[i]->watch);
	return 0;
}

/* The lesson's question, for a scenario to ask the class before the run. */
static int print_question(FILE *out, const struct lesson *l)
{
	if (l->question == NULL) {
		fprintf(stderr, ME ": the %s lesson asks no question\n", l->name);
		return 1;
	}
	fprintf(out, "question=%s\nhint=%s\nrun=%s\n", l->question, predict_hint(l->answer_unit),
		l->answer_run ? l->answer_run : "");
	return 0;
}

/* ---- main ---- */

/* Open --csv or --plot before printing anything: a bad path fails with nothing half done. */
static int open_output(FILE **fp, const char *flag, const char *path, char *err, size_t errlen)
{
	/* O_NOFOLLOW: a link planted where the file goes is not written through. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	*fp = fd < 0 ? NULL : fdopen(fd, "w");
	if (*fp != NULL)
		return 0;
	snprintf(err, errlen, "%s: open(%s): %s", flag, path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Close it; rc, or -1 if the close found a write error. */
static int close_output(FILE *fp, const char *flag, const char *path, int rc, char *err,
			size_t errlen)
{
	if (fp && fclose(fp) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: write(%s): %s", flag, path, strerror(errno));
		return -1;
	}
	return rc;
}

/* How much of path is $HOME and a '/' after it (a terminal shows "~/..."), else 0. */
static size_t home_prefix(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home ? strlen(home) : 0;

	while (n > 1 && home[n - 1] == '/')
		n--;
	return n > 1 && strncmp(path, home, n) == 0 && path[n] == '/' ? n : 0;
}

/* Bytes sent and never received (or received twice) are a failed run, not a figure to read:
 * -1 with why, once everything is printed. */
static int check_loss(const struct options *o, const struct figs *fs, char *err, size_t errlen)
{
	struct opt lost = fig_value(fs, "bytes_lost");

	if (!lost.has || lost.v == 0)
		return 0;
	snprintf(err, errlen, "%sbytes_lost=%" PRId64 ": %s: the run failed", o->figure_prefix,
		 lost.v, lost.v > 0 ? "bytes were sent and never received"
				    : "more bytes were received than sent");
	return -1;
}

static int render(const struct options *o, char *err, size_t errlen)
{
	const struct lesson *l = o->lesson;
	struct run run;
	struct figs figs;
	void *facts = NULL;
	FILE *csv = NULL, *plot = NULL;
	int rc;

	memset(&run, 0, sizeof(run));
	memset(&figs, 0, sizeof(figs));
	rc = run_load(&run, o, err, errlen);
	if (rc == 0 && o->csv)
		rc = open_output(&csv, "--csv", o->csv, err, errlen);
	if (rc == 0 && o->plot)
		rc = open_output(&plot, "--plot", o->plot, err, errlen);
	if (rc == 0) {
		rc = facts_of(&run, o, &facts);
		if (rc == 0) {
			l->figures(&figs, facts);
			rc = figs.oom ? -1 : 0;
		}
		if (rc < 0)
			snprintf(err, errlen, "out of memory");
	}
	if (rc == 0) {
		int buffers = l->buffers && l->buffers(stdout, o, facts);

		if (!o->no_table) {
			if (buffers)
				putc('\n', stdout);
			rc = print_table(stdout, &run, o, facts);
		}
		if (print_summary(stdout, o, facts, &figs) < 0)
			rc = -1;
		print_incomplete(stdout, o, &run);
		if (rc == 0 && print_prediction(stdout, o, facts, &figs) < 0)
			rc = -1;
		if (rc < 0)
			snprintf(err, errlen, "out of memory");
	}
	if (rc == 0 && o->figures_file)
		rc = write_figures(o->figures_file, o, &figs, err, errlen);
	/* On a terminal the screen ends on the story; the figures are in their file. */
	if (rc == 0 && (o->figures || !isatty(STDOUT_FILENO) || o->figures_file == NULL))
		print_figures(stdout, o, &figs);
	else if (rc == 0)
		printf("\nFigures: %s%s (%zu; --figures shows them here)\n",
		       home_prefix(o->figures_file) ? "~" : "",
		       o->figures_file + home_prefix(o->figures_file), figs.n);
	if (rc == 0 && csv) {
		fflush(stdout);         /* the report first, should --csv be the terminal too */
		rc = write_csv(csv, &run, o->csv, err, errlen);
	}
	if (rc == 0 && plot)
		rc = plot_run(plot, facts, o, run.zero_ns, err, errlen);
	rc = close_output(csv, "--csv", o->csv, rc, err, errlen);
	rc = close_output(plot, "--plot", o->plot, rc, err, errlen);
	if (rc == 0)
		rc = check_loss(o, &figs, err, errlen);
	facts_free(l, facts);
	figs_free(&figs);
	run_free(&run);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	char err[1024];
	int rc = parse_options(argc, argv, &o);

	if (rc != 0)
		return rc;
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (o.now) {
		printf("%" PRIu64 "\n", timeline_now_ns());
		return 0;
	}
	if (o.list)
		return print_lessons(stdout);
	if (o.question)
		return print_question(stdout, o.lesson);
	rc = (o.follow ? follow(&o, err, sizeof(err)) : render(&o, err, sizeof(err))) < 0 ? 1 : 0;
	if (rc != 0)
		fprintf(stderr, ME ": %s\n", err);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, ME ": write(stdout): %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}
