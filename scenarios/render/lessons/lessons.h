/* lessons: what the lesson files share, and only they (the core, render.h, knows none of it):
 * who logged in a lesson of a server and its clients, the row clauses of problems and
 * timeouts, and the picture of a few lines. flow.h has the facts of one sender and one
 * receiver, request.h those of one request. */
#ifndef FLOWLAB_LESSONS_H
#define FLOWLAB_LESSONS_H

#include "../render.h"

/* The reference document's request and response: the sizes it says, and its texts' real ones
 * ("GET /hello HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nHello"). */
#define REFERENCE_REQUEST_BYTES 26
#define REQUEST_TEXT_BYTES 23
#define REFERENCE_RESPONSE_BYTES 28
#define RESPONSE_TEXT_BYTES 24

/* Who logged in a lesson of a server and its clients, and whose log ended (a killed program
 * writes no end, so its totals are not known). */
struct cast {
	int server_seen, client_seen;
	int64_t server_ends, client_logs, client_ends;
	struct opt pattern_errors;  /* summed over the end events of the lesson's parties */
};

void cast_start(struct cast *k, const struct fold *c);
void cast_event(struct cast *k, const struct event *e);
void cast_figures(struct figs *fs, const struct cast *k);
void story_missing(struct story *s, const char *nobody, const struct cast *k);

/* The row's clauses for a warning or an error of `s` ("server"), and a timeout (timeline.h);
 * `last_requested`: what the blocked write() asked for, `again`: a write timeout fired
 * before. */
void note_problem(struct note *n, const char *s, const struct event *e);
void note_timeout(struct note *n, const struct event *e, struct opt last_requested,
		  int again);

/* The picture of request_response, read_timeout and backpressure: a few lines, the plans'
 * stalls shaded, and marks where a timeout fired. */
struct lesson_plot {
	struct series line[4];
	struct series shade;        /* t_ns from, v to */
	struct series marks;
	int server_stall, client_stall;     /* whose stalls are shaded */
};

int quarter_step(int q, int64_t v, int64_t cap);
int64_t line_gap(const struct event *start);
void lesson_plot_free(struct lesson_plot *pl);
void write_lesson_plot(FILE *out, struct lesson_plot *pl, const struct options *o,
		       const char *svg, int64_t zero_ns, int bp);

#endif
