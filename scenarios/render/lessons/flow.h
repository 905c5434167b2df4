/* flow: the facts of one sender and one receiver (window_zero, blocked_write, write_timeout),
 * folded from the events in one pass: what each side's socket holds now, the row each event
 * makes, and the figures of the whole run. The lessons' files say which buffer they follow,
 * name their columns, and tell their summary from these facts. */
#ifndef FLOWLAB_FLOW_H
#define FLOWLAB_FLOW_H

#include "lessons.h"

/* Which buffer's quarters make rows, and what a blocked write() that returns means. */
enum flow_style {
	FS_RECEIVE = 1,     /* rows where the receive buffer crosses a quarter; "Sending", "BLOCKED" */
	FS_SEND = 2,        /* rows where the send buffer crosses one; "returns immediately" */
	FS_TIMEOUTS = 4,    /* write() may give up (write_timeout): "returns", the server's timeouts */
	FS_QUIET_WRITES = 8,        /* only the first wait of write() has rows: a slow link makes
				     * one every few ms, the writer column shows the rest */
	FS_RTO = 16,        /* the backoff is the retransmission timer's (segments lost on the
			     * way), and the lesson tells the wire's retransmissions itself */
};

enum wstate { W_UNKNOWN, W_SENDING, W_BLOCKED, W_UNBLOCKED, W_GAVE_UP, W_DONE };

/* One closure of the reader's window on the wire: from its first zero-window segment to the
 * window update that reopened it. */
struct episode {
	int64_t closed_ns;
	int64_t probes;             /* the sender's probes against it ... */
	int64_t answers;            /* ... and the reader's zero windows in answer to them */
	size_t first_gap;           /* its probes' gaps in flow.gaps: the first since it closed */
	struct opt last_probe_ns;
	struct opt reopened_ns, reopen_window;
	/* The read that made room: the update left after_read_ns after it began, during it or
	 * after it ended; read_due until the read in progress then is known. */
	struct opt after_read_ns, read_dur_ns;
	int during_read, read_due;
};

struct side_end {
	struct opt cpu_user_us, cpu_sys_us, wall_us, samples, sample_cpu_us;
};

/* A list of moments (t_ns), for what finish() pairs with a moment known only at the end. */
struct moments {
	int64_t *t;
	size_t n, cap;
};

/* What the picture draws. */
struct flow_plot {
	struct series recvq, sendq, notsent, snd_wnd, wire;     /* lines, in bytes */
	struct series reads, probes, updates;                   /* marks */
	struct series blocked;      /* write() could not go on: t_ns from, v to */
};

struct flow {
	unsigned style;             /* enum flow_style */
	int64_t zero_ns;            /* the zero of time, for the figures' moments */
	const struct lesson *lesson;    /* what the rows call the two sides */

	/* Who was there, and what their sockets were given. */
	int reader_seen, writer_seen;
	int reader_socket, writer_socket;   /* each side logged its socket event */
	struct opt rcvbuf_requested, rcvbuf_actual, sndbuf_requested, sndbuf_actual;
	char cc[32], cc_requested[32];      /* "" when not in the log */

	/* Now: what the table shows, the state after the latest event. A side that closed its
	 * socket shows "-": it has no buffers left to look at. */
	int64_t now_ns;             /* the latest event's moment (event_when) */
	struct opt recvq, sendq, notsent, snd_wnd, backoff, last_write_ns, last_requested;
	int in_call;                /* a blocking write() is in progress, blocked */
	struct opt rcvbuf, sndbuf;          /* the bars are drawn against them */
	int reader_sampled, writer_sampled;
	int quarter;                /* quarters of the lesson's buffer filled; -1 until known */
	enum wstate wstate;
	struct opt unblocked_us;
	int read_row_due;           /* the reader's next read after a stall_end or step */
	struct opt wire_window;     /* what the reader last advertised on the wire */
	int write_timeouts;

	/* The window the writer saw, the persist timer, and what sat in the reader's buffer. */
	int window_samples;         /* the writer logged snd_wnd at all */
	int zero_window_seen;
	struct opt zero_window_at_ns;       /* absolute */
	struct opt bytes_at_zero_window;
	int zero_window_recvq_due;  /* the reader's next sample tells bytes_at_zero_window */
	struct opt reader_recvq;    /* the reader's latest sampled recvq */
	struct opt probe_backoffs;
	struct opt sendq_max;
	int sendq_had;
	struct opt queue_drained_at_ns;     /* absolute */

	/* write() */
	struct opt blocked_pending;         /* a write_blocked's t_ns, until its write_resumed */
	struct opt last_blocked;
	int64_t blocked_us_sum, write_calls, writes_immediate, eagain_count;
	int blocked_unknown;        /* a wait whose length is not known */
	struct opt write_blocked_us, longest_blocked_us, longest_write_ns;
	int still_blocked;          /* a write_blocked never resumed before the writer's end */
	struct opt writer_end_ns;
	int64_t writer_last_ns;
	struct moments resumes;     /* every write_resumed */

	/* The reader's plan: its stalls, as long as they lasted (from stall_begin to the first
	 * read after it, or to the reader's end) and as planned; the drain after its last one. */
	int stalls;
	int64_t stall_us_sum, stall_planned_us;
	struct opt stall_from;      /* a stall that no read has ended yet */
	int64_t reader_last_ns;
	int drain_due;              /* its last stall_end came, its first read after not yet */
	struct opt drain_start;     /* that read's start */
	struct opt resume_after_read_ns, stall_us, stall_planned;

	/* The totals. */
	int64_t reader_samples, writer_samples;
	struct opt bytes_sent, bytes_received, bytes_lost, pattern_errors;
	struct opt bytes_undelivered;       /* instead of lost, when a signal stopped a side */
	int signalled;                      /* a side's end event says a signal stopped it */
	struct opt reader_pattern_errors, writer_pattern_errors;
	struct side_end reader, writer;
	int reader_ended, writer_ended;     /* their first end event was seen */

	/* The wire, when a capture logged it: wire_segments 0 means no wire figures at all. */
	int64_t wire_segments, wire_zero_windows, wire_probes, wire_reopens, wire_retransmissions;
	int64_t wire_ws_updates;    /* Wireshark's window updates, where the capture said */
	int wire_ws_known;          /* ... it did */
	struct episode *episodes;   /* the closures of the reader's window, in order */
	size_t nepisodes, capepisodes;
	int closed;                 /* the last one has not reopened */
	int probe_answer_due;       /* the last probe has no answer yet */
	int64_t *gaps;              /* each probe's wait: since the one before, or the closure */
	size_t ngaps, capgaps;
	struct opt last_read_start, last_read_dur;  /* the reader's latest read so far */

	/* In a lesson of a server and its clients: who logged, and who ended. */
	struct cast cast;

	/* The picture's series, when the facts' pass collects them. */
	struct flow_plot plot;
	int plot_read_due;
	struct opt plot_blocked;
};

/* The lesson's functions (struct lesson), for a lesson whose facts are a struct flow, or begin
 * with one. */
void flow_start(struct flow *f, const struct fold *c, unsigned style);
int flow_event(void *facts, const struct event *e, const struct fold *c);
int flow_finish(void *facts, const struct fold *c);
void flow_release(void *facts);
int flow_sample_row(const struct event *e);
int flow_buffers(FILE *out, const struct options *o, const void *facts);
void flow_figures(struct figs *fs, const void *facts);
int flow_plot(FILE *out, void *facts, const struct options *o, const char *svg,
	      int64_t zero_ns);

/* The entries of a struct lesson whose facts are a struct flow: all but its name, its words,
 * its start (which says the flow's style), its title, columns and summary. */
#define FLOW_LESSON \
	.facts_size = sizeof(struct flow), .event = flow_event, .finish = flow_finish, \
	.release = flow_release, .buffers = flow_buffers, .sample_row = flow_sample_row, \
	.figures = flow_figures, .plot = flow_plot, .status = flow_status

void flow_status(char *buf, size_t len, const void *facts);

/* The reader's progress, for the lessons of a link: a row each time it has another tenth of
 * the data (live, while the total is unknown: every MiB), with the rate so far. */
struct progress {
	struct opt first_read_start, last_read_end;
	int64_t bytes, step, next;
};

void progress_start(struct progress *p, const struct flow *whole);
/* Fold the reader's read e; 1 when it made a row (its clause added to n). */
int progress_read(struct progress *p, const struct event *e, struct note *n);
/* The reader's rate over its reads, in bit/s. */
struct opt progress_bps(const struct progress *p);

/* The summary's pieces. */
void story_sides(struct story *s, const struct flow *f);
void story_stall(struct story *s, const struct flow *f, const char *subject);
void story_zero_window(struct story *s, const struct flow *f);
void story_wire(struct story *s, const struct flow *f);
void story_bytes(struct story *s);

/* The cells. */
const char *cell_recv_bar(char *buf, size_t len, const void *facts);
const char *cell_unread(char *buf, size_t len, const void *facts);
const char *cell_window(char *buf, size_t len, const void *facts);
const char *cell_wire(char *buf, size_t len, const void *facts);
const char *cell_writer(char *buf, size_t len, const void *facts);
const char *cell_send_bar(char *buf, size_t len, const void *facts);
const char *cell_queued(char *buf, size_t len, const void *facts);
const char *cell_network(char *buf, size_t len, const void *facts);
const char *cell_last_write(char *buf, size_t len, const void *facts);
/* The narrow table's (a terminal's): a bar of NARROW_BAR_CELLS, a size, one word. */
#define NARROW_BAR_CELLS 8
const char *cell_recv_bar_short(char *buf, size_t len, const void *facts);
const char *cell_send_bar_short(char *buf, size_t len, const void *facts);
const char *cell_recvq(char *buf, size_t len, const void *facts);
const char *cell_sendq(char *buf, size_t len, const void *facts);
const char *cell_writer_short(char *buf, size_t len, const void *facts);
enum tone tone_writer(const void *facts);
enum tone tone_window(const void *facts);
enum tone tone_wire(const void *facts);

#endif
