/* render: what the files of flowlab-render share (main.c says what the program does).
 *
 * The types of a run: its options, an event as it is kept, the run of all the logs' events,
 * the figures computed from them once, and the table's view of the moment. Under each heading
 * are the functions the files call across: the heading names the file that defines them.
 * Everything else a file has is its own (static). */
#ifndef FLOWLAB_RENDER_H
#define FLOWLAB_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "timeline.h"

#define ME "flowlab-render"

/* The program whose `wire` events tell what crossed the wire (timeline.h). */
#define CAPTURE_PROG "flowlab-capture"

/* The reference document's "Default: 64 KB", for the receive and the send buffer alike. */
#define REFERENCE_BUF_BYTES 65536
#define REFERENCE_BUF_TEXT "64 KB"

#define NS_PER_US INT64_C(1000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)

/* A wait of write() shorter than this is in the figures but not in the table (without --all). */
#define SHORT_WAIT_NS NS_PER_MS

/* ---- options (main.c) ---- */

enum lesson {
	LESSON_WINDOW_ZERO, LESSON_BLOCKED_WRITE, LESSON_REQUEST_RESPONSE, LESSON_READ_TIMEOUT,
	LESSON_WRITE_TIMEOUT, LESSON_BACKPRESSURE, LESSON_COUNT
};

extern const char *const lesson_names[LESSON_COUNT];

int server_lesson(enum lesson l);
int send_buffer_lesson(enum lesson l);
int request_lesson(enum lesson l);

struct options {
	enum lesson lesson;
	const char *figure_prefix;  /* before every figure's name: "" by default */
	int all;
	int no_table;
	int follow;
	int now;
	int help;
	int have_t0;
	int64_t t0_ns;
	const char *csv;
	const char *plot;
	const char *receiver;
	const char *sender;
	char **logs;
	size_t nlogs;
};

/* ---- events (event.c; load.c reads them) ---- */

enum kind {
	K_OTHER, K_START, K_SOCKET, K_SAMPLE, K_STEP, K_STALL_BEGIN, K_STALL_END, K_READ, K_WRITE,
	K_WRITE_BLOCKED, K_WRITE_RESUMED, K_EOF, K_CLOSE, K_TIMEOUT, K_WARNING, K_ERROR, K_END,
	K_WIRE, K_ACKED, K_ACCEPT, K_SERVER_SAMPLE, K_BP_ON, K_BP_OFF, K_CONN_END, K_COUNT
};

/* The numbers the lesson needs from the frequent kinds, kept in an event's v[] by slot. */
enum { NSLOT = 5 };
enum { S_RECVQ, S_SENDQ, S_NOTSENT, S_SNDWND, S_BACKOFF };      /* sample */
enum { IO_BYTES, IO_DUR_NS, IO_REQUESTED };                     /* read, write */
enum { STALL_FOR_US = 0 };                                      /* stall_begin */
enum { BLOCKED_DETECTED_NS = 0 };                               /* write_blocked */
enum { RESUMED_BLOCKED_US = 0 };                                /* write_resumed */
enum { W_WINDOW, W_LEN, W_CLASS, W_FROM };                      /* wire (see wire_decode) */
enum { SS_CONNS, SS_RSS_KIB, SS_APP, SS_KSENDQ, SS_PAUSED };    /* server_sample */
enum { BP_CONN, BP_PENDING };                                   /* backpressure_on/off */

enum side { SIDE_OTHER, SIDE_READER, SIDE_WRITER, SIDE_WIRE };

/* Who wrote a log, in the lessons of a server and its clients (server_lesson): the server is
 * the fast_peer whose start role is "listen"; the client of request_response and read_timeout
 * is a slow_writer, of write_timeout a slow_reader (role "connect"); backpressure has many,
 * fast (fast_peer --connect --recv) and slow (slow_reader --connect). P_NONE: none of them,
 * or a lesson that tells sides by --receiver and --sender. */
enum party { P_NONE, P_SERVER, P_CLIENT, P_FAST_CLIENT, P_SLOW_CLIENT };

/* A wire segment's class (timeline.h). */
enum wclass {
	WC_OTHER, WC_SYN, WC_DATA, WC_ACK, WC_FIN, WC_RST, WC_ZERO_WINDOW, WC_PROBE, WC_UPDATE,
	WC_RETRANSMISSION, WC_COUNT
};

struct event {
	int64_t t_ns;
	size_t seq;                 /* load order: lines of a log in order, logs in argv order */
	size_t log;                 /* which LOG it came from */
	off_t off;                  /* where its line starts in that log, for --csv */
	struct tl_event *fields;    /* keeps_fields kinds only, else NULL */
	int64_t v[NSLOT];
	unsigned has;               /* bit i: v[i] was in the line */
	enum kind kind;
	enum side side;
	enum party party;
};

/* An optional number: a field the log did not give is absent, never 0. */
struct opt {
	int has;
	int64_t v;
};

void opt_set(struct opt *o, int64_t v);
struct opt slot_opt(const struct event *e, int slot);
struct opt field_opt(const struct event *e, const char *name);
const char *field_str(const struct event *e, const char *name);
enum wclass wire_class(const struct event *e);
enum side wire_from(const struct event *e);
int is_wire_from(const struct event *e, enum side side, enum wclass c);
int starts_with(const char *s, const char *prefix);
int str_is(const char *s, const char *t);
void max_of(struct opt *peak, struct opt *at, struct opt v, int64_t t_ns);

/* A stretch opens at the reader's first zero_window segment and ends at its window update;
 * the sender's probes are numbered within it, as the persist timer counts them. */
struct wire_track {
	int closed;
	struct opt closed_at;       /* t_ns of the stretch's first zero_window */
	int64_t probe_no;           /* probes so far in this stretch */
	struct opt last_probe;      /* t_ns */
};

enum wire_step { WS_NONE, WS_CLOSED, WS_PROBE, WS_REOPENED };

enum wire_step wire_track_step(struct wire_track *tr, const struct event *e, struct opt *gap);

/* ---- numbers and text (text.c) ---- */

int grow(void *pp, size_t *cap, size_t need, size_t elem);

int64_t div_round(int64_t v, int64_t d);
const char *fmt_fixed(char *buf, size_t len, int64_t v, int64_t d, int places);
const char *fmt_size(char *buf, size_t len, int64_t bytes);
const char *fmt_dur(char *buf, size_t len, int64_t ns);
const char *fmt_count(char *buf, size_t len, int64_t v);
const char *fmt_secs(char *buf, size_t len, int64_t rel_ns);
const char *plural(int64_t n, const char *one, const char *many);

struct text {
	char *s;
	size_t len, cap;
	int oom;
};

void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int text_width(const char *s, size_t n);
void print_wrapped(FILE *out, const char *s, int cols);

/* ---- the run: the logs and their events (load.c; the CSV columns, csv.c) ---- */

struct column {
	char *name;
	int64_t t_ns;               /* the first event that has it (merged order) ... */
	size_t seq;
	size_t pos;                 /* ... and its place in that line */
};

struct columns {
	struct column *col;
	size_t n, cap;
	size_t *slot;               /* open addressing: column index + 1, 0 when empty */
	size_t nslot;               /* a power of two, at least twice n */
};

struct logfile {
	const char *path;
	FILE *fp;                   /* kept open for --csv only */
	char *prog;                 /* the program of its first line */
	const char *role;           /* its start event's (owned by that event) */
	struct opt local_port, peer_port;   /* its first socket event's */
	enum party party;
};

struct run {
	struct event *ev;
	size_t n, cap;
	struct logfile *logs;
	size_t nlogs;
	int want_columns;           /* --csv: collect the field names */
	struct columns cols;
	size_t nseq;                /* events loaded so far (--follow drops the ones shown) */
	int64_t zero_ns;
};

int run_load(struct run *run, const struct options *o, char *err, size_t errlen);
void run_settle(struct run *run, const struct options *o);
void run_free(struct run *run);
void fields_free(struct tl_event *fields);
int add_line(struct run *run, size_t li, size_t lineno, off_t off, const char *line,
	     const struct options *o, char *err, size_t errlen);
int is_blank(const char *s);
int event_cmp(const void *a, const void *b);
int64_t event_when(const struct event *e, enum lesson l);

int columns_note(struct columns *c, const char *name, int64_t t_ns, size_t seq, size_t pos);
void columns_free(struct columns *c);

/* ---- figures (figures.c, figures_server.c) ---- */

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

int compute_figures(const struct run *run, enum lesson lesson, struct figures *f);
void figures_free(struct figures *f);
void figures_request(const struct run *run, struct figures *f);
void figures_write_timeout(const struct run *run, struct figures *f);
int figures_backpressure(const struct run *run, struct figures *f);

/* ---- the table (table.c, view.c, view_server.c, rows.c) ---- */

enum wstate { W_UNKNOWN, W_SENDING, W_BLOCKED, W_UNBLOCKED, W_GAVE_UP, W_DONE };

/* What the table shows: the state after the latest event. */
struct view {
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

struct note {
	char s[512];
	size_t len;
};

/* The columns of the two tables, between the time and "What happened". */
enum col {
	COL_TIME, COL_RECV_BAR, COL_UNREAD, COL_WINDOW, COL_WIRE, COL_SENDER, COL_SEND_BAR,
	COL_QUEUED, COL_NETWORK, COL_WRITE, COL_LAST_WRITE, COL_SRV_RECVQ, COL_SRV_SENDQ,
	COL_WROTE, COL_READ, COL_RSS, COL_APP, COL_KSENDQ, COL_PAUSED
};

struct coldef {
	enum col id;
	const char *head;
	int width;
};

enum { MAX_COLS = 8 };

struct table {
	FILE *out;
	const struct options *o;
	const struct figures *f;    /* the whole run's, where the rows need them; else NULL */
	const char *rd, *wr;        /* "reader" and "writer"; write_timeout's "client", "server" */
	int64_t zero_ns;
	const struct coldef *cols[MAX_COLS];
	size_t ncols;
};

void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns, int wire);
void table_header(const struct table *t);
void table_row(const struct table *t, const struct view *w, int64_t t_ns, const char *note);

void note_add(struct note *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note_problem(struct note *n, const char *s, const struct event *e);
void note_timeout(struct note *n, const struct event *e, const struct view *w);
void view_apply(struct view *w, const struct event *e, const struct table *t, struct note *n);
void view_request(struct view *w, const struct event *e, const struct table *t, struct note *n);
void view_backpressure(struct view *w, const struct event *e, const struct table *t,
		       struct note *n);

/* A wait of write() shorter than SHORT_WAIT_NS (a non-blocking writer meets many once the
 * reader drains) is in the figures but would bury the table; --all shows them too. Whether a
 * wait was short is known only at its write_resumed, so its write_blocked is held back, with
 * the events after it, until then, or until an event 1 ms later shows it was not short. */
struct rows {
	struct table t;
	struct view w;
	struct event *held;         /* [0] the write_blocked, then the events after it */
	size_t nheld, cap;
	size_t hidden;              /* short waits left out */
};

void rows_init(struct rows *r, FILE *out, const struct options *o, int64_t zero_ns, int wire);
int rows_feed(struct rows *r, const struct event *e);
void rows_advance(struct rows *r, int64_t t_ns);
int rows_idle(const struct rows *r);
void rows_finish(struct rows *r);
void rows_free(struct rows *r);
int print_table(FILE *out, const struct run *run, const struct options *o, const struct figures *f);

/* ---- the report's other parts ---- */

/* The buffer sizes block (table.c): 1 if the lesson has one. */
int print_buffers(FILE *out, const struct options *o, const struct figures *f);

/* The summary paragraph (story.c, story_server.c). */
int print_summary(FILE *out, const struct options *o, const struct figures *f);
const char *fmt_times(char *buf, size_t len, int64_t n);
void story_buffer(struct text *t, int seen, const char *side, const char *buffer,
		  const char *opt, struct opt req, struct opt act);
void story_stall(struct text *t, const struct figures *f, const char *subject);
void story_totals(struct text *t, struct opt sent, struct opt received, struct opt lost,
		  struct opt pattern_errors);
void story_request_response(struct text *t, const struct figures *f);
void story_read_timeout(struct text *t, const struct figures *f);
void story_write_timeout(struct text *t, const struct figures *f);
void story_backpressure(struct text *t, const struct figures *f);
void story_missing(struct text *t, const struct options *o, const struct figures *f);

/* The name=value figures (values.c). */
void print_figures(FILE *out, const struct options *o, const struct figures *f);

/* --csv (csv.c), --plot (plot.c), --follow (follow.c). */
int write_csv(FILE *out, const struct run *run, const char *path, char *err, size_t errlen);
int plot_run(FILE *out, const struct run *run, const struct options *o, char *err,
	     size_t errlen);
int follow(const struct options *o, char *err, size_t errlen);

#endif
