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
/* What a scenario logs of the link it built between two namespaces: its rate, its outages. */
#define LINK_PROG "flowlab-link"

/* The reference document's "Default: 64 KB", for the receive and the send buffer alike. */
#define REFERENCE_BUF_BYTES 65536
#define REFERENCE_BUF_TEXT "64 KB"

#define NS_PER_US INT64_C(1000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)

/* A wait of write() shorter than this is in the figures but not in the table (without --all). */
#define SHORT_WAIT_NS NS_PER_MS

/* ---- options (main.c) ---- */

struct lesson;

struct options {
	const struct lesson *lesson;
	const char *figure_prefix;  /* before every figure's name: "" by default */
	int all;
	int no_table;
	int follow;
	int now;
	int help;
	int trace;                  /* --trace-summary */
	int list;                   /* --list */
	int question;               /* --question */
	const char *predict;        /* --predict GUESS */
	const char *figures_file;   /* --figures-file FILE */
	int figures;                /* --figures: on the screen too */
	int width;                  /* the narrow table's columns (--width, a terminal's); 0: wide */
	int color;                  /* colour the table (--color, a terminal without NO_COLOR) */
	int verdict;                /* --verdict: who was slow, alone */
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
	K_WIRE, K_ACKED, K_ACCEPT, K_SERVER_SAMPLE, K_BP_ON, K_BP_OFF, K_CONN_END, K_TIMEOUTS_SET,
	K_LINK, K_LINK_DOWN, K_LINK_UP, K_SYSCTLS, K_BUFSIZE, K_HANDSHAKE, K_FILL, K_THROUGHPUT,
	K_COUNT
};

/* The numbers the lesson needs from the frequent kinds, kept in an event's v[] by slot. */
enum { NSLOT = 12 };
/* sample; the TCP_INFO chronographs (busy, rwnd_limited) in us; retransmissions in segments */
enum { S_RECVQ, S_SENDQ, S_NOTSENT, S_SNDWND, S_BACKOFF, S_RWND_LIMITED, S_BUSY, S_RTO,
       S_RETRANSMITS, S_TOTAL_RETRANS, S_RCVBUF, S_RCV_SPACE };
/* read, write; the queues right after the call returned (SIOCINQ, SIOCOUTQ, SIOCOUTQNSD) */
enum { IO_BYTES, IO_DUR_NS, IO_REQUESTED, IO_RECVQ_AFTER, IO_SENDQ_AFTER, IO_NOTSENT_AFTER };
enum { STALL_FOR_US = 0 };                                      /* stall_begin */
enum { BLOCKED_DETECTED_NS = 0 };                               /* write_blocked */
enum { RESUMED_BLOCKED_US = 0 };                                /* write_resumed */
/* wire (see wire_decode): W_WS_UPDATE is Wireshark's tcp.analysis.window_update */
enum { W_WINDOW, W_LEN, W_CLASS, W_FROM, W_SEQ, W_ACK, W_WS_UPDATE, W_WSCALE, W_SRC_PORT };
enum { SS_CONNS, SS_RSS_KIB, SS_APP, SS_KSENDQ, SS_PAUSED };    /* server_sample */
enum { BP_CONN, BP_PENDING };                                   /* backpressure_on/off */

enum side { SIDE_OTHER, SIDE_READER, SIDE_WRITER, SIDE_WIRE };

/* Who wrote a log, in a lesson of a server and its clients: the lesson's party rules say which
 * program and start role each party is (struct lesson). P_NONE: none of them, or a lesson that
 * tells sides by --receiver and --sender. */
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


/* ---- numbers and text (text.c) ---- */

int grow(void *pp, size_t *cap, size_t need, size_t elem);

int64_t div_round(int64_t v, int64_t d);
const char *fmt_fixed(char *buf, size_t len, int64_t v, int64_t d, int places);
const char *fmt_size(char *buf, size_t len, int64_t bytes);
const char *fmt_size1(char *buf, size_t len, int64_t bytes);
const char *fmt_dur(char *buf, size_t len, int64_t ns);
const char *fmt_count(char *buf, size_t len, int64_t v);
const char *fmt_ms(char *buf, size_t len, int64_t ns);
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
void print_wrapped_at(FILE *out, const char *s, int cols, int col, int indent, const char *on,
		      const char *off);

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
	int follow_started;         /* --follow has read its start event */
	int ended;                  /* its end event is in (run_settle) */
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
	int wire;                   /* a capture logged the wire (run_settle) */
	int follow_server, follow_client;   /* --follow has found them (run_follow_party) */
	int capture_cut;            /* a capture's log without its end: left out (run_settle) */
};

int run_load(struct run *run, const struct options *o, char *err, size_t errlen);
void run_settle(struct run *run, const struct options *o);
void run_follow_party(struct run *run, const struct options *o, struct event *e);
void run_free(struct run *run);
void fields_free(struct tl_event *fields);
int add_line(struct run *run, size_t li, size_t lineno, off_t off, const char *line,
	     const struct options *o, char *err, size_t errlen);
int is_blank(const char *s);
int64_t event_when(const struct event *e, const struct lesson *l);
void run_sort(struct run *run, const struct lesson *l);

int columns_note(struct columns *c, const char *name, int64_t t_ns, size_t seq, size_t pos);
void columns_free(struct columns *c);

/* ---- the table (table.c, rows.c): the lesson says what its rows and cells are ---- */

/* How a cell or a row is coloured on a terminal: the reopening, the zero window, the blocked
 * writer (a row takes the strongest of its clauses'). */
enum tone { T_NONE, T_GOOD, T_WARN, T_BAD };

/* A row's "What happened": clauses joined by "; ". */
struct note {
	char s[512];
	size_t len;
	enum tone tone;
};

void note_add(struct note *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note_tone(struct note *n, enum tone t);

struct table;

/* Which table a column is in: both, or only with a capture's wire events, or only without. */
enum col_when { COL_ALWAYS, COL_WIRE, COL_NO_WIRE };

/* A column between the time and "What happened": its head, its width, and how its cell is
 * drawn from the lesson's facts as they stand after the row's event; how the cell is coloured
 * (NULL: never), and whether it is a number, right-aligned. */
struct coldef {
	const char *head;
	int width;
	enum col_when when;
	const char *(*cell)(char *buf, size_t len, const void *facts);
	enum tone (*tone)(const void *facts);
	int right;
};

enum { MAX_COLS = 8 };

struct table {
	FILE *out;
	const struct options *o;
	const void *whole;          /* the whole run's facts (for the title); NULL in --follow */
	int64_t zero_ns;
	const struct coldef *cols[MAX_COLS];
	size_t ncols;
	int note_col;               /* where "What happened" starts */
	int width;                  /* the narrow table's: wrap the notes here; 0: wide */
};

void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns, int wire);
void table_header(const struct table *t);
void table_row(const struct table *t, const void *facts, int64_t t_ns, const char *note,
	       enum tone tone);

/* Cells the lessons share: "[█████░░░░░░░░░░░]", "124.3 KiB / 128 KiB", a window ("0"). */
const char *fmt_bar(char *buf, size_t len, struct opt bytes, struct opt cap);
const char *fmt_bar_n(char *buf, size_t len, struct opt bytes, struct opt cap, int ncells);
const char *fmt_size_or_dash(char *buf, size_t len, struct opt bytes);
const char *tone_on(const struct options *o, enum tone t);
const char *tone_off(const struct options *o, enum tone t);
const char *fmt_pair(char *buf, size_t len, struct opt a, struct opt b);
const char *fmt_window(char *buf, size_t len, struct opt wnd);

/* The buffer sizes block: one line a buffer, whose it is, what was asked for and set. */
struct buffer_line {
	const char *label;
	int logged;                 /* its socket event was seen */
	struct opt req, act;
};

void print_buffer_block(FILE *out, const struct options *o, const struct buffer_line *rcv,
			const struct buffer_line *snd, const char *cc, const char *cc_requested);

/* What a lesson's fold is given with each event. */
struct fold {
	const struct options *o;
	const struct run *run;      /* the logs and who is who (in --follow, so far) */
	int64_t zero_ns;            /* the zero of time: the connection's start */
	struct note *note;          /* the row's clauses; NULL when no table is being drawn */
	const void *whole;          /* for the table: the whole run's facts (NULL in --follow) */
	int plot;                   /* collect the picture's series (the facts' pass, --plot) */
	int live;                   /* --follow's table: the whole run is not known yet */
};

/* The table's rows: a second fold of the events into facts of their own (the first gave the
 * whole run's), each event shown with its row when its note says something. A wait of write()
 * shorter than SHORT_WAIT_NS (a non-blocking writer meets many once the reader drains) is in
 * the figures but would bury the table; --all shows them too. Whether a wait was short is
 * known only at its write_resumed, so its write_blocked is held back, with the events after
 * it, until then, or until an event 1 ms later shows it was not short. Likewise a blocked
 * write()'s write_resumed, where the lesson merges it with the timeout that may follow. */
struct rows {
	struct table t;
	struct fold c;
	void *facts;                /* the fold so far */
	struct event *held;         /* [0] the write_blocked or write_resumed, then the rest */
	size_t nheld, cap;
	size_t hidden;              /* short waits left out */
};

int rows_init(struct rows *r, FILE *out, const struct options *o, const struct run *run,
	      int64_t zero_ns, int wire, const void *whole);
int rows_feed(struct rows *r, const struct event *e);
int rows_advance(struct rows *r, int64_t t_ns);
int rows_idle(const struct rows *r);
int rows_finish(struct rows *r);
void rows_free(struct rows *r);
int print_table(FILE *out, const struct run *run, const struct options *o, const void *whole);

/* ---- the figures, and the summary that tells them (figures.c, story.c) ---- */

/* A figure's unit: how its value is kept, and how the paragraph says it. */
enum unit {
	U_COUNT,        /* a count: "1,048,576" */
	U_BYTES,        /* bytes: "123.5 KiB" */
	U_MS,           /* a duration in whole ms: "440 ms", "1,914 ms" */
	U_MOMENT,       /* a moment in whole ms since the zero of time: "0.126 s" */
	U_US,           /* a duration in whole us: "89 us", "5,001.246 ms" */
	U_MS1,          /* tenths of a ms: "523.9 ms" */
	U_PCT1,         /* tenths of a percent: "0.7%" */
	U_KIB,          /* KiB: "32,360 KiB" */
	U_RATE,         /* bytes per second: "94,024,903 bytes/s" */
	U_BPS,          /* bits per second, a link's rate: "8,000,000 bit/s" */
	U_DOC_KB,       /* the reference document's size: 65536 is "64 KB" */
	U_LIST_MS,      /* text: whole ms, "216,440,868", episodes apart by ';' */
	U_TEXT,         /* text: "cubic" */
};

struct figure {
	char name[48];
	enum unit unit;
	int64_t v;
	char *text;                 /* U_TEXT and U_LIST_MS */
};

struct figs {
	struct figure *f;
	size_t n, cap;
	int oom;
};

void fig_put(struct figs *fs, const char *name, enum unit u, struct opt v);
void fig_int(struct figs *fs, const char *name, int64_t v);
void fig_ns(struct figs *fs, const char *name, enum unit u, struct opt ns);
void fig_pct(struct figs *fs, const char *name, int has, int64_t num, int64_t den);
void fig_text(struct figs *fs, const char *name, enum unit u, const char *text);
const struct figure *fig_find(const struct figs *fs, const char *name);
struct opt fig_value(const struct figs *fs, const char *name);
const char *fig_human(const struct figure *f, char *buf, size_t len);
void figs_free(struct figs *fs);
void print_figures(FILE *out, const struct options *o, const struct figs *fs);
int write_figures(const char *path, const struct options *o, const struct figs *fs, char *err,
		  size_t errlen);
const char *fmt_times(char *buf, size_t len, int64_t n);

/* The summary paragraph, written by the lesson from its figures: say() prints a number only as
 * a figure, named (%F; %T for "once", "twice", "N times"). */
struct story {
	struct text t;
	const struct options *o;
	const struct figs *figs;
	int trace;                  /* --trace-summary: mark each figure with its name and value */
};

void say(struct story *s, const char *fmt, ...);
int has(const struct story *s, const char *name);
int64_t val(const struct story *s, const char *name);
int print_summary(FILE *out, const struct options *o, const void *facts, const struct figs *fs);
void print_incomplete(FILE *out, const struct options *o, const struct run *run);
int wrap_cols(const struct options *o);

/* Who is slow (verdict.c): the reader, the network, both, or the writer. */
struct verdict {
	int has;                    /* the sender sampled its socket */
	const char *word;
	int reader, network;
	int64_t sender_samples, closed, open_backlog, idle;
	int64_t receiver_samples, reader_full, reader_empty;
	int receiver_known;         /* the receiver's buffer and samples are in its log */
	struct opt rwnd_limited_us, busy_us, sampled_us, snd_wnd_min, recvq_max;
};

int verdict_of(const struct run *run, struct verdict *v);
void verdict_figures(struct figs *fs, const struct verdict *v);
void verdict_say(struct story *s);
int print_verdict(FILE *out, const struct options *o, const struct figs *fs);

/* --predict (predict.c). */
const char *predict_hint(enum unit u);
int predict_check(const struct options *o, char *err, size_t errlen);
int print_prediction(FILE *out, const struct options *o, const void *facts,
		     const struct figs *fs);
void story_buffer(struct story *s, int seen, const char *side, const char *buffer,
		  const char *opt, const char *fig);
void story_totals(struct story *s, const char *sent, const char *received, const char *lost,
		  const char *pattern_errors);

/* ---- --csv (csv.c), --follow (follow.c) ---- */

int write_csv(FILE *out, const struct run *run, const char *path, char *err, size_t errlen);
int follow(const struct options *o, char *err, size_t errlen);

/* ---- --plot (plot.c): the gnuplot script's pieces; the lesson says what it draws ---- */

struct point {
	int64_t t_ns;
	int64_t v;
};

struct series {
	struct point *p;
	size_t n, cap;
	int64_t max_gap_ns;         /* a line: break it across a longer gap in its points; 0 never */
};

int series_add(struct series *s, int64_t t_ns, int64_t v);
int plot_slot(struct series *s, const struct event *e, int slot);
void gp_str(FILE *out, const char *s);
void gp_title(FILE *out, const char *lead, const char *name, const char *tail);
void gp_head(FILE *out, const struct options *o, const char *svg, const char *ylabel);
/* How far the points drawn go: the axes' ends. */
struct gp_extent {
	int64_t ymax;               /* in the series' own unit */
	int64_t xmax_ns;            /* since the zero of time */
};

void gp_block_div(FILE *out, const char *name, struct series *s, int line, int64_t zero_ns,
		  int64_t div, struct gp_extent *ext);
void gp_block(FILE *out, const char *name, struct series *s, int line, int64_t zero_ns,
	      struct gp_extent *ext);
void gp_ranges(FILE *out, const struct gp_extent *ext, int64_t div);
void gp_plot(FILE *out, int *first, const char *block, const struct series *s,
	     const char *style, const char *lead, const char *name, const char *tail);
void gp_shades(FILE *out, const struct series *s, int64_t zero_ns);
void gp_shade_key(FILE *out, const struct series *s, const char *title);
int plot_run(FILE *out, void *facts, const struct options *o, int64_t zero_ns,
	     char *err, size_t errlen);

/* ---- a lesson: what it gives the core, which knows no lesson by name (lessons/lessons.c
 * lists them) ---- */

enum lesson_flag {
	LF_WRITES_AT_START = 1,     /* a write's row and order at its call's start (event_when) */
	LF_HIDE_SHORT_WAITS = 2,    /* the table leaves out waits of write() under 1 ms */
	LF_MERGE_TIMEOUTS = 8,      /* a blocked write() that gave up is told by its timeout's row */
	LF_VERDICT = 16,            /* one connection: the report ends with who was slow */
};

/* In a lesson of a server and its clients, which log is which party: its program and its
 * start event's role. The first log that fits P_SERVER is the server; of the logs that fit
 * P_CLIENT, the one connected to the server (else the first) is the client; P_FAST_CLIENT
 * and P_SLOW_CLIENT take every log that fits. */
struct party_rule {
	const char *prog, *role;
	enum party party;
};

/* A lesson folds the merged events, in time order and in one pass, into its facts (facts_size
 * bytes, zeroed, then start); finish derives what needs the whole run. Every view reads those
 * facts: the figures, the summary (from the figures), the picture, and the table, whose rows
 * come from a second fold of the same events, each event's row showing the facts as they
 * stood after it, with the note the fold wrote; a row is printed where the note says
 * something (or with --all, for the events sample_row picks). */
struct lesson {
	const char *name;
	const char *help;           /* what it shows, one line, for --help and the lesson menu */
	const char *watch;          /* what to watch for, two sentences, before it runs in a tour */

	/* --predict: the question put to the class before the run, the figure that answers it,
	 * the run (--figure-prefix) whose figure that is (NULL: the only one), and why the run
	 * measured what it did, said with the figures. */
	const char *question;
	const char *answer;
	enum unit answer_unit;      /* the answer figure's: what a guess is written as */
	const char *answer_run;
	void (*why)(struct story *s, const void *facts);

	const char *plot_title;
	const char *reader, *writer;        /* what the table calls the two sides */
	const struct party_rule *parties;   /* NULL: the sides are --receiver and --sender */
	unsigned flags;             /* enum lesson_flag */

	size_t facts_size;
	void (*start)(void *facts, const struct fold *c);
	int (*event)(void *facts, const struct event *e, const struct fold *c);  /* -1: oom */
	int (*finish)(void *facts, const struct fold *c);                        /* -1: oom */
	void (*release)(void *facts);

	int (*buffers)(FILE *out, const struct options *o, const void *facts);  /* NULL: none */
	void (*title)(const struct table *t);
	const struct coldef *columns;
	size_t ncolumns;
	const struct coldef *narrow;        /* the columns of the narrow table (a terminal's) */
	size_t nnarrow;
	int (*sample_row)(const struct event *e);
	void (*figures)(struct figs *fs, const void *facts);
	void (*summary)(struct story *s, const void *facts);
	/* --follow on a terminal: the state of the moment in a few words, for the status line
	 * that ticks while no row comes ("unread 123.5 KiB, window 0, backoff 3"). */
	void (*status)(char *buf, size_t len, const void *facts);
	/* The gnuplot script that draws the SVG at svg, from the series the facts' pass
	 * collected. 0, or -1 when out of memory. */
	int (*plot)(FILE *out, void *facts, const struct options *o, const char *svg,
		    int64_t zero_ns);
};

/* NULL-terminated, in the order to teach them. */
extern const struct lesson *const lessons[];
const struct lesson *lesson_find(const char *name);

/* The facts of a whole run (lessons/lessons.c): *facts is allocated, folded and finished;
 * free with facts_free. 0, or -1 when out of memory. */
int facts_of(const struct run *run, const struct options *o, void **facts);
void facts_free(const struct lesson *l, void *facts);

#endif
