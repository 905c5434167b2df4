/* lessons: what the lesson files share, and only they (the core, render.h, knows none of it).
 *
 * flow.c tells one sender and one receiver (window_zero, blocked_write, write_timeout): its
 * figures, its view of the moment, its cells and clauses, its paragraph's pieces, its picture.
 * server.c tells a server and one client's request (request_response, read_timeout), and has
 * the picture of a few lines that backpressure draws too. */
#ifndef FLOWLAB_LESSONS_H
#define FLOWLAB_LESSONS_H

#include "../render.h"

/* The time before a probe: since the previous one, or for a stretch's first since the window
 * closed. */
struct probe_gap {
	int64_t ns;
	int after_close;
};

struct side_end {
	struct opt cpu_user_us, cpu_sys_us, wall_us, samples, sample_cpu_us;
};

/* request_response and read_timeout: the client's request, and the server's answer. */
struct request_figures {
	int socket_seen;                    /* the server logged its socket */
	struct opt rcvbuf_requested, rcvbuf_actual, sndbuf_requested, sndbuf_actual;  /* server */
	const char *cc, *cc_requested;
	struct opt request_bytes;           /* the client's end: bytes_sent */
	struct opt server_received;         /* the server's end: bytes_received */
	struct opt response_bytes;          /* the server's end: bytes_sent */
	struct opt client_received;         /* the client's end: bytes_received */
	int64_t client_writes;
	struct opt last_write_at_ns;        /* relative: when the client's last write() began */
	int client_stalls;
	struct opt client_stall_us;         /* the client's stall_begin for_us, summed */
	struct opt bytes_before_stall;      /* what the client wrote before its first stall */
	struct opt request_in_buffer_ns;    /* the client's last write to the server's first read */
	struct opt server_recvq_max;
	struct opt response_acked_us;
	int64_t read_timeouts;
	struct opt read_timeout_us;         /* the first read timeout's after_us ... */
	const char *read_timeout_errno;     /* ... and what read() returned (blocking I/O) */
	const char *close_reason;           /* the server's */
	struct opt close_at_ns;             /* relative */
	struct opt server_waited_ns;        /* its first read's start to its answer, or close */
	int request_complete;               /* the server wrote a response */
	int client_closed;                  /* the server closed the client on a read timeout */
	struct opt client_eof_at_ns;        /* relative */
	int eof_in_stall;                   /* the client saw the close during its stall */
	struct opt bytes_lost, bytes_unread_at_close, pattern_errors;
};

/* How the first write timeout fired (timeline.h's timeout event). */
enum wt_form {
	WT_SHORT,       /* SO_SNDTIMEO: write() returned a short count (partial_bytes > 0) */
	WT_EAGAIN,      /* SO_SNDTIMEO: nothing written, EAGAIN (partial_bytes 0) */
	WT_TIMER,       /* event I/O: the timer while write() said EAGAIN (no partial_bytes) */
};

/* write_timeout: the server's remedies for a client that stops reading. */
struct wt_figures {
	struct opt partial_write_bytes, partial_requested;
	int64_t write_timeouts;
	struct opt write_timeout_us;        /* the first write timeout's after_us */
	enum wt_form form;
	struct opt user_timeout_us;         /* TCP_USER_TIMEOUT: the kernel gave up on the peer */
	int aborted;                        /* ... so the connection was aborted */
	int client_closed;                  /* the server closed the client on a timeout */
	const char *close_reason;
	struct opt close_at_ns;             /* relative */
	struct opt first_blocked_at_ns;     /* relative */
	struct opt sendq_at_user_timeout;   /* the server's last sample at or before it */
	struct opt bytes_undelivered;       /* aborted: sent and never received */
	struct opt pattern_errors;
	struct opt client_end_at_ns;        /* relative */
	int client_signalled;               /* a signal ended the client */
	int stall_cut;                      /* ... before its first stall was over */
};

/* backpressure: a server of many clients, fast and slow. */
struct bp_figures {
	int64_t clients, fast_clients, slow_clients;
	int64_t accepts, conn_ends, client_ends;    /* the table's first and last of each */
	struct opt rss_start_kib, rss_peak_kib, app_peak, ksendq_peak, paused_peak;
	struct opt rss_peak_at_ns, app_peak_at_ns;  /* relative */
	int64_t slow_stalled;               /* slow clients that stopped reading */
	struct opt slow_stall_us;           /* the first one's stall */
	int64_t pauses;                     /* backpressure_on events */
	int64_t paused_conns, paused_slow_conns;    /* connections ever held back */
	struct opt fast_bytes_per_s, slow_bytes;
	struct opt bytes_sent, bytes_received, bytes_lost, pattern_errors;
};

struct figures {
	int reader_seen, writer_seen;
	int reader_socket, writer_socket;   /* each side logged its socket event */
	struct opt rcvbuf_requested, rcvbuf_actual, sndbuf_requested, sndbuf_actual;
	const char *cc, *cc_requested;

	int window_samples;         /* the writer logged snd_wnd at all */
	int zero_window_seen;
	struct opt zero_window_at_ns;       /* relative to the zero of time */
	struct opt bytes_at_zero_window;
	struct opt probe_backoffs;
	struct opt sendq_max;
	struct opt queue_drained_at_ns;     /* relative */

	struct opt write_blocked_us;
	struct opt longest_blocked_us;
	int still_blocked;          /* a write_blocked never resumed before the writer's end */
	struct opt resume_after_read_ns;
	struct opt write_calls, writes_immediate, longest_write_ns, eagain_count;

	int stalls;
	struct opt stall_us;

	struct opt bytes_sent, bytes_received, bytes_lost, pattern_errors;
	struct side_end reader, writer;

	/* The wire, when a capture logged it: wire_segments 0 means no wire figures at all. */
	int64_t wire_segments, wire_zero_windows, wire_probes, wire_updates, wire_retransmissions;
	int64_t wire_reader_zero_windows;   /* those of wire_zero_windows the reader sent */
	struct opt wire_first_zero_window_at_ns;    /* relative; the reader's first */
	struct opt wire_update_at_ns;               /* relative; the reader's first */
	struct opt wire_update_after_read_ns;
	struct probe_gap *probe_gaps;       /* one per probe whose gap is known, in order */
	size_t nprobe_gaps, probe_gaps_cap;

	/* The lessons of a server and its clients: only the lesson's own is filled in. */
	int server_seen, client_seen;
	int64_t server_ends, client_logs, client_ends;      /* a killed program has no end */
	struct request_figures rq;
	struct wt_figures wt;
	struct bp_figures bp;
};

/* The reference document's request and response: the sizes it says, and its texts' real ones
 * ("GET /hello HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nHello"). */
#define REFERENCE_REQUEST_BYTES 26
#define REQUEST_TEXT_BYTES 23
#define REFERENCE_RESPONSE_BYTES 28
#define RESPONSE_TEXT_BYTES 24

enum wstate { W_UNKNOWN, W_SENDING, W_BLOCKED, W_UNBLOCKED, W_GAVE_UP, W_DONE };

/* How the flow lessons' view tells its story: which buffer's quarters make rows, and what a
 * blocked write() that returns means. */
enum flow_style {
	FS_RECEIVE = 1,     /* rows where the receive buffer crosses a quarter; "Sending", "BLOCKED" */
	FS_SEND = 2,        /* rows where the send buffer crosses one; "returns immediately" */
	FS_TIMEOUTS = 4,    /* write() may give up (write_timeout): "returns", the server's timeouts */
};

/* What the table shows: the state after the latest event. */
struct view {
	unsigned style;             /* enum flow_style */
	struct opt recvq, sendq, notsent, snd_wnd, backoff, last_write_ns;
	struct opt rcvbuf, sndbuf;  /* what the kernel set: the bars are drawn against them */
	int reader_socket, writer_socket;   /* each side's first socket event was seen */
	int reader_sampled, writer_sampled;
	int quarter;                /* quarters of the lesson's buffer filled; -1 until known */
	enum wstate wstate;
	struct opt unblocked_us;
	int read_row_due;           /* the reader's next read after a stall_end or step */
	struct opt wire_window;     /* what the reader last advertised on the wire */
	struct wire_track wire;
	struct opt last_requested;  /* the writer's last write() asked for this many bytes */
	int write_timeouts;

	/* request_response, read_timeout: the server's queues and buffers, the request so far */
	int request_response;       /* the first write is "the request", the first read too */
	struct opt srv_recvq, srv_sendq, srv_rcvbuf, srv_sndbuf;
	struct opt wrote, read;     /* bytes the client wrote, bytes the server read */
	int server_socket, server_stalled;
	int64_t client_writes, client_reads, server_reads;

	/* backpressure: the server's latest sample; quarters of the peaks, -1 before the first */
	struct opt rss_kib, app, ksendq, paused;
	int server_sampled, rss_q, app_q;
	int64_t accepts, conn_ends, client_ends;
	int slow_stall_told, slow_resume_told, bp_told, problem_told[2];
};

/* ---- flow.c ---- */

int flow_facts(const struct run *run, const struct options *o, void *facts);
void flow_facts_free(void *facts);
void flow_view_init(struct view *w, const struct figures *f, unsigned style);
void flow_row(void *view, const struct event *e, const struct table *t, struct note *n);
void flow_row_done(void *view);
int flow_sample_row(const struct event *e);
int flow_buffers(FILE *out, const struct options *o, const void *facts);
void note_problem(struct note *n, const char *s, const struct event *e);
void note_timeout(struct note *n, const struct event *e, const struct view *w);
void story_sides(struct text *t, const struct options *o, const struct figures *f);
void story_stall(struct text *t, const struct figures *f, const char *subject);
void story_zero_window(struct text *t, const struct figures *f, const char *tail);
void story_wire(struct text *t, const struct figures *f);
void story_bytes(struct text *t, const struct figures *f);
void print_flow_figures(const struct figout *fo, const void *facts);
int flow_plot(FILE *out, const struct run *run, const struct options *o, const char *svg);

/* The flow lessons' cells. */
const char *cell_recv_bar(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_unread(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_window(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_wire(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_writer(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_send_bar(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_queued(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_network(char *buf, size_t len, const struct table *t, const void *view);
const char *cell_last_write(char *buf, size_t len, const struct table *t, const void *view);

/* ---- server.c ---- */

struct opt pattern_errors_sum(const struct run *run);
int request_facts(const struct run *run, const struct options *o, void *facts);
void request_view_init(void *view, const void *facts);
void request_row(void *view, const struct event *e, const struct table *t, struct note *n);
int request_sample_row(const struct event *e);
void story_missing(struct text *t, const char *client, const struct figures *f);
void story_request_bytes(struct text *t, const struct request_figures *q, int short_form);
const char *cell_srv_recvq(char *buf, size_t len, const struct table *t, const void *view);

/* The picture of request_response, read_timeout and backpressure: a few lines, the plans'
 * stalls shaded, and marks where a timeout fired. */
struct lesson_plot {
	struct series line[4];
	struct series shade;        /* t_ns from, v to */
	struct series marks;
	int server_stall, client_stall;     /* whose stalls are shaded */
};

void lesson_plot_free(struct lesson_plot *pl);
void write_lesson_plot(FILE *out, struct lesson_plot *pl, const struct options *o,
		       const char *svg, int64_t zero_ns, int bp);
int request_plot(FILE *out, const struct run *run, const struct options *o, const char *svg);

#endif
