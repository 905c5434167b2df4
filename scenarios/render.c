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
 *   Figures       the same figures as name=value lines, for tests that assert bands
 *   --csv FILE    the merged timeline as CSV, one row per event, for plotting
 *   --plot FILE   a gnuplot script, data inline, that draws the timeline as an SVG
 *   --follow      the table alone, row by row while the logs grow, for a class to watch live
 *
 * When a capture (prog "flowlab-capture") logged the connection's segments as `wire` events,
 * the lesson also shows what really crossed the wire: the window the reader advertised, its
 * zero-window segments, the sender's probes and the window update.
 *
 * Four more lessons are about a server and its clients, the document's "Complete Flow: Both
 * Buffers" and its "Common Issues": request_response, read_timeout, write_timeout and
 * backpressure. There who is who comes from each log's program and its start event's role
 * (the server is the fast_peer that listens), not from --receiver and --sender.
 *
 * Every figure is computed once, into struct figures; the paragraph and the name=value lines
 * both print from it, so they cannot disagree. The table's rows are decided one event at a
 * time, in time order, by the same code for a finished run and for --follow.
 *
 * Logs can be long (a sample every millisecond from each side), so an event is kept as a small
 * record holding the few numbers the lesson needs. Only the rare kinds (start, socket, end,
 * errors ...) keep all their parsed fields, and --csv reads each line again from its log rather
 * than keeping every line in memory. */
#include "timeline.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define ME "flowlab-render"

/* The program whose `wire` events tell what crossed the wire (timeline.h). */
#define CAPTURE_PROG "flowlab-capture"

/* The reference document's "Default: 64 KB", for the receive and the send buffer alike. */
#define REFERENCE_BUF_BYTES 65536
#define REFERENCE_BUF_TEXT "64 KB"

#define BAR_CELLS 16
#define WRAP_COLS 96
#define NS_PER_US INT64_C(1000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)

/* A wait of write() shorter than this is in the figures but not in the table (without --all). */
#define SHORT_WAIT_NS NS_PER_MS

/* ---- options ---- */

enum lesson {
	LESSON_WINDOW_ZERO, LESSON_BLOCKED_WRITE, LESSON_REQUEST_RESPONSE, LESSON_READ_TIMEOUT,
	LESSON_WRITE_TIMEOUT, LESSON_BACKPRESSURE, LESSON_COUNT
};

static const char *const lesson_names[LESSON_COUNT] = {
	[LESSON_WINDOW_ZERO] = "window_zero", [LESSON_BLOCKED_WRITE] = "blocked_write",
	[LESSON_REQUEST_RESPONSE] = "request_response", [LESSON_READ_TIMEOUT] = "read_timeout",
	[LESSON_WRITE_TIMEOUT] = "write_timeout", [LESSON_BACKPRESSURE] = "backpressure",
};

/* The lessons of a server and its clients: who is who comes from the logs' start events. */
static int server_lesson(enum lesson l)
{
	return l >= LESSON_REQUEST_RESPONSE;
}

/* The lessons told from the writer's send buffer: blocked_write's table, write() column and all. */
static int send_buffer_lesson(enum lesson l)
{
	return l == LESSON_BLOCKED_WRITE || l == LESSON_WRITE_TIMEOUT;
}

/* The lessons of one client: a request and its answer. */
static int request_lesson(enum lesson l)
{
	return l == LESSON_REQUEST_RESPONSE || l == LESSON_READ_TIMEOUT;
}

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

/* ---- events ---- */

enum kind {
	K_OTHER, K_START, K_SOCKET, K_SAMPLE, K_STEP, K_STALL_BEGIN, K_STALL_END, K_READ, K_WRITE,
	K_WRITE_BLOCKED, K_WRITE_RESUMED, K_EOF, K_CLOSE, K_TIMEOUT, K_WARNING, K_ERROR, K_END,
	K_WIRE, K_ACKED, K_ACCEPT, K_SERVER_SAMPLE, K_BP_ON, K_BP_OFF, K_CONN_END, K_COUNT
};

static const char *const kind_names[K_COUNT] = {
	[K_START] = "start", [K_SOCKET] = "socket", [K_SAMPLE] = "sample", [K_STEP] = "step",
	[K_STALL_BEGIN] = "stall_begin", [K_STALL_END] = "stall_end", [K_READ] = "read",
	[K_WRITE] = "write", [K_WRITE_BLOCKED] = "write_blocked",
	[K_WRITE_RESUMED] = "write_resumed", [K_EOF] = "eof", [K_CLOSE] = "close",
	[K_TIMEOUT] = "timeout", [K_WARNING] = "warning", [K_ERROR] = "error", [K_END] = "end",
	[K_WIRE] = "wire", [K_ACKED] = "acked", [K_ACCEPT] = "accept",
	[K_SERVER_SAMPLE] = "server_sample", [K_BP_ON] = "backpressure_on",
	[K_BP_OFF] = "backpressure_off", [K_CONN_END] = "conn_end",
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

static const char *const slot_fields[K_COUNT][NSLOT] = {
	[K_SAMPLE] = { "recvq_bytes", "sendq_bytes", "notsent_bytes", "snd_wnd", "backoff" },
	[K_READ] = { "bytes", "dur_ns" },
	[K_WRITE] = { "bytes", "dur_ns", "requested_bytes" },
	[K_STALL_BEGIN] = { "for_us" },
	[K_WRITE_BLOCKED] = { "detected_ns" },
	[K_WRITE_RESUMED] = { "blocked_us" },
	[K_WIRE] = { "window_bytes", "len" },
	[K_SERVER_SAMPLE] = { "connections", "rss_kib", "app_buffered_bytes",
			      "kernel_sendq_bytes", "paused" },
	[K_BP_ON] = { "conn", "pending_bytes" },
	[K_BP_OFF] = { "conn", "pending_bytes" },
};

/* Kinds a run has only a handful of (one per connection at most): they keep every field, for
 * notes and the buffer block. */
static const unsigned char keeps_fields[K_COUNT] = {
	[K_START] = 1, [K_SOCKET] = 1, [K_STEP] = 1, [K_CLOSE] = 1, [K_TIMEOUT] = 1,
	[K_WARNING] = 1, [K_ERROR] = 1, [K_END] = 1, [K_ACKED] = 1, [K_ACCEPT] = 1,
	[K_CONN_END] = 1,
};

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

static const char *const wclass_names[WC_COUNT] = {
	[WC_SYN] = "syn", [WC_DATA] = "data", [WC_ACK] = "ack", [WC_FIN] = "fin",
	[WC_RST] = "rst", [WC_ZERO_WINDOW] = "zero_window", [WC_PROBE] = "window_probe",
	[WC_UPDATE] = "window_update", [WC_RETRANSMISSION] = "retransmission",
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

static void opt_set(struct opt *o, int64_t v)
{
	o->has = 1;
	o->v = v;
}

static struct opt slot_opt(const struct event *e, int slot)
{
	struct opt o = { 0, 0 };

	if (e->has & (1u << slot))
		opt_set(&o, e->v[slot]);
	return o;
}

static struct opt field_opt(const struct event *e, const char *name)
{
	struct opt o = { 0, 0 };

	if (e->fields && tl_event_int(e->fields, name, &o.v))
		o.has = 1;
	return o;
}

static const char *field_str(const struct event *e, const char *name)
{
	return e->fields ? tl_event_str(e->fields, name) : NULL;
}

/* A wire segment's class (WC_OTHER for any other event). */
static enum wclass wire_class(const struct event *e)
{
	return e->kind == K_WIRE ? (enum wclass)e->v[W_CLASS] : WC_OTHER;
}

/* The side that sent a wire segment: SIDE_OTHER when the capture could not tell. */
static enum side wire_from(const struct event *e)
{
	return e->kind == K_WIRE ? (enum side)e->v[W_FROM] : SIDE_OTHER;
}

static int is_wire_from(const struct event *e, enum side side, enum wclass c)
{
	return e->kind == K_WIRE && wire_from(e) == side && wire_class(e) == c;
}

/* ---- numbers as text ---- */

/* v / d rounded half away from zero; d > 0. */
static int64_t div_round(int64_t v, int64_t d)
{
	uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	uint64_t q = a / (uint64_t)d, r = a % (uint64_t)d;

	if (r >= (uint64_t)d - r)
		q++;
	return v < 0 ? -(int64_t)q : (int64_t)q;
}

/* v / d with `places` decimals, rounded: fmt_fixed(312456789, NS_PER_S, 3) is "0.312". */
static const char *fmt_fixed(char *buf, size_t len, int64_t v, int64_t d, int places)
{
	uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	uint64_t scale = 1, whole, frac;

	for (int i = 0; i < places; i++)
		scale *= 10;
	whole = a / (uint64_t)d;
	frac = (uint64_t)div_round((int64_t)((a % (uint64_t)d) * scale), d);
	if (frac == scale) {
		whole++;
		frac = 0;
	}
	snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, v < 0 && (whole || frac) ? "-" : "", whole,
		 places, frac);
	return buf;
}

static const char *fmt_size(char *buf, size_t len, int64_t bytes)
{
	units_format_size(bytes < 0 ? 0 : (uint64_t)bytes, buf, len);
	return buf;
}

static const char *fmt_dur(char *buf, size_t len, int64_t ns)
{
	units_format_duration(ns < 0 ? 0 : (uint64_t)ns, buf, len);
	return buf;
}

/* "1,048,576", or "-4,096": bytes_lost may be negative. */
static const char *fmt_count(char *buf, size_t len, int64_t v)
{
	char digits[32];

	units_format_thousands(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, digits, sizeof(digits));
	snprintf(buf, len, "%s%s", v < 0 ? "-" : "", digits);
	return buf;
}

/* Seconds since the zero of time, as the table and the paragraph print them: "0.312". */
static const char *fmt_secs(char *buf, size_t len, int64_t rel_ns)
{
	return fmt_fixed(buf, len, rel_ns, NS_PER_S, 3);
}

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- text that grows (the paragraph) ---- */

struct text {
	char *s;
	size_t len, cap;
	int oom;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->len + (size_t)n + 1) * 2;
		char *s = realloc(t->s, cap);

		if (s == NULL) {
			t->oom = 1;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Display columns of UTF-8 text: the bars are three bytes a cell. */
static int text_width(const char *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* True if the word at s is a unit, which stays on the line of its number ("64 KB"). */
static int is_unit(const char *s)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "KB", "s", "ms", "us", "ns", "bytes", NULL
	};
	size_t n = strcspn(s, " ");

	while (n > 0 && strchr(".,;:)", s[n - 1]))
		n--;
	for (int i = 0; units[i]; i++)
		if (strlen(units[i]) == n && strncmp(units[i], s, n) == 0)
			return 1;
	return 0;
}

/* Print s with its words wrapped at `cols` columns. */
static void print_wrapped(FILE *out, const char *s, int cols)
{
	int col = 0;

	while (*s) {
		size_t n;
		int w;

		while (*s == ' ')
			s++;
		n = strcspn(s, " ");
		if (n == 0)
			break;
		while (s[n] == ' ' && is_unit(s + n + 1))
			n += 1 + strcspn(s + n + 1, " ");
		w = text_width(s, n);
		if (col > 0 && col + 1 + w > cols) {
			putc('\n', out);
			col = 0;
		} else if (col > 0) {
			putc(' ', out);
			col++;
		}
		fwrite(s, 1, n, out);
		col += w;
		s += n;
	}
	putc('\n', out);
}

/* ---- CSV columns: every field name, in order of its first appearance in the timeline ---- */

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

static size_t name_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

static size_t *columns_slot(const struct columns *c, const char *name)
{
	size_t mask = c->nslot - 1, i = name_hash(name) & mask;

	while (c->slot[i] && strcmp(c->col[c->slot[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &c->slot[i];
}

static long columns_find(const struct columns *c, const char *name)
{
	size_t *s;

	if (c->nslot == 0)
		return -1;
	s = columns_slot(c, name);
	return *s ? (long)(*s - 1) : -1;
}

static int columns_rehash(struct columns *c)
{
	size_t nslot = c->nslot ? c->nslot * 2 : 64;
	size_t *slot = calloc(nslot, sizeof(*slot));

	if (slot == NULL)
		return -1;
	free(c->slot);
	c->slot = slot;
	c->nslot = nslot;
	for (size_t i = 0; i < c->n; i++)
		*columns_slot(c, c->col[i].name) = i + 1;
	return 0;
}

static int key_before(int64_t ta, size_t sa, size_t pa, int64_t tb, size_t sb, size_t pb)
{
	if (ta != tb)
		return ta < tb;
	if (sa != sb)
		return sa < sb;
	return pa < pb;
}

/* Note that field `name` appears in the event (t_ns, seq) at place pos. */
static int columns_note(struct columns *c, const char *name, int64_t t_ns, size_t seq, size_t pos)
{
	struct column *col;
	size_t *s;

	if ((c->n + 1) * 2 > c->nslot && columns_rehash(c) < 0)
		return -1;
	s = columns_slot(c, name);
	if (*s) {
		col = &c->col[*s - 1];
		if (key_before(t_ns, seq, pos, col->t_ns, col->seq, col->pos)) {
			col->t_ns = t_ns;
			col->seq = seq;
			col->pos = pos;
		}
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct column *p = realloc(c->col, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		c->col = p;
		c->cap = cap;
	}
	col = &c->col[c->n];
	col->name = strdup(name);
	if (col->name == NULL)
		return -1;
	col->t_ns = t_ns;
	col->seq = seq;
	col->pos = pos;
	*s = ++c->n;
	return 0;
}

static void columns_free(struct columns *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->col[i].name);
	free(c->col);
	free(c->slot);
}

/* ---- loading the logs ---- */

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

static enum kind kind_of(const char *s)
{
	for (int k = 0; k < K_COUNT; k++)
		if (kind_names[k] && strcmp(kind_names[k], s) == 0)
			return (enum kind)k;
	return K_OTHER;
}

static enum side side_of(const char *prog, const struct options *o)
{
	if (strcmp(prog, o->receiver) == 0)
		return SIDE_READER;
	if (strcmp(prog, o->sender) == 0)
		return SIDE_WRITER;
	if (strcmp(prog, CAPTURE_PROG) == 0)
		return SIDE_WIRE;
	return SIDE_OTHER;
}

/* A wire segment's two strings, kept as numbers: its class, and the side that sent it. */
static void wire_decode(struct event *e, const struct tl_event *tev, const struct options *o)
{
	const char *c = tl_event_str(tev, "class"), *from = tl_event_str(tev, "from");
	enum side side = from ? side_of(from, o) : SIDE_OTHER;

	e->v[W_CLASS] = WC_OTHER;
	for (int i = 0; c && i < WC_COUNT; i++)
		if (wclass_names[i] && strcmp(wclass_names[i], c) == 0)
			e->v[W_CLASS] = i;
	e->v[W_FROM] = side == SIDE_READER || side == SIDE_WRITER ? side : SIDE_OTHER;
}

static int is_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* A pipe cannot be read twice: copy it to a temporary file, so --csv can seek back to lines. */
static int spool(struct logfile *lg, char *err, size_t errlen)
{
	FILE *tmp = tmpfile();
	char buf[65536];
	size_t n;

	if (tmp == NULL) {
		snprintf(err, errlen, "tmpfile(): %s", strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), lg->fp)) > 0) {
		if (fwrite(buf, 1, n, tmp) != n) {
			snprintf(err, errlen, "write(temporary copy of %s): %s", lg->path,
				 strerror(errno));
			fclose(tmp);
			return -1;
		}
	}
	if (ferror(lg->fp)) {
		snprintf(err, errlen, "read(%s): %s", lg->path, strerror(errno));
		fclose(tmp);
		return -1;
	}
	fclose(lg->fp);
	lg->fp = tmp;
	rewind(tmp);
	return 0;
}

static int log_open(struct logfile *lg, int need_seek, char *err, size_t errlen)
{
	struct stat st;

	lg->fp = fopen(lg->path, "r");
	if (lg->fp == NULL) {
		snprintf(err, errlen, "open(%s): %s", lg->path, strerror(errno));
		return -1;
	}
	if (!need_seek || (fstat(fileno(lg->fp), &st) == 0 && S_ISREG(st.st_mode)))
		return 0;
	return spool(lg, err, errlen);
}

static struct event *run_append(struct run *run)
{
	if (run->n == run->cap) {
		size_t cap = run->cap ? run->cap * 2 : 1024;
		struct event *p = realloc(run->ev, cap * sizeof(*p));

		if (p == NULL)
			return NULL;
		run->ev = p;
		run->cap = cap;
	}
	memset(&run->ev[run->n], 0, sizeof(run->ev[0]));
	return &run->ev[run->n];
}

static int note_columns(struct run *run, const struct tl_event *tev, const struct event *e)
{
	for (size_t i = 0; i < tev->n; i++) {
		const char *name = tev->f[i].name;

		if (strcmp(name, "t_ns") == 0 || strcmp(name, "prog") == 0 ||
		    strcmp(name, "kind") == 0)
			continue;
		if (columns_note(&run->cols, name, e->t_ns, e->seq, i) < 0)
			return -1;
	}
	return 0;
}

/* Parse one line of log li into the next event. */
static int add_line(struct run *run, size_t li, size_t lineno, off_t off, const char *line,
		    const struct options *o, char *err, size_t errlen)
{
	const char *path = run->logs[li].path;
	struct tl_event tev;
	struct event *e;
	const char *prog, *kind;
	int64_t t_ns;
	char why[160];

	if (tl_event_parse(line, &tev, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
		return -1;
	}
	prog = tl_event_str(&tev, "prog");
	kind = tl_event_str(&tev, "kind");
	if (!tl_event_int(&tev, "t_ns", &t_ns) || prog == NULL || kind == NULL) {
		snprintf(err, errlen, "%s:%zu: no %s", path, lineno,
			 prog == NULL ? "string \"prog\"" : kind == NULL ? "string \"kind\""
				      : "integer \"t_ns\"");
		tl_event_free(&tev);
		return -1;
	}
	if (run->logs[li].prog == NULL && (run->logs[li].prog = strdup(prog)) == NULL)
		goto oom;
	e = run_append(run);
	if (e == NULL)
		goto oom;
	e->t_ns = t_ns;
	e->seq = run->nseq;
	e->log = li;
	e->off = off;
	e->kind = kind_of(kind);
	e->side = side_of(prog, o);
	for (int s = 0; s < NSLOT; s++) {
		const char *name = slot_fields[e->kind][s];

		if (name && tl_event_int(&tev, name, &e->v[s]))
			e->has |= 1u << s;
	}
	if (e->kind == K_WIRE)
		wire_decode(e, &tev, o);
	if (run->want_columns && note_columns(run, &tev, e) < 0)
		goto oom;
	if (keeps_fields[e->kind]) {
		e->fields = malloc(sizeof(*e->fields));
		if (e->fields == NULL)
			goto oom;
		*e->fields = tev;       /* the parsed strings move with it: nothing is copied */
	} else {
		tl_event_free(&tev);
	}
	run->n++;
	run->nseq++;
	return 0;
oom:
	tl_event_free(&tev);
	snprintf(err, errlen, "%s:%zu: out of memory", path, lineno);
	return -1;
}

static int load_log(struct run *run, size_t li, const struct options *o, char *err,
		    size_t errlen)
{
	struct logfile *lg = &run->logs[li];
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	off_t off = 0;
	ssize_t got;
	int rc = 0;

	if (log_open(lg, o->csv != NULL, err, errlen) < 0)
		return -1;
	errno = 0;
	while (rc == 0 && (got = getline(&line, &cap, lg->fp)) >= 0) {
		lineno++;
		if (!is_blank(line))
			rc = add_line(run, li, lineno, off, line, o, err, errlen);
		off += got;
		errno = 0;
	}
	if (rc == 0 && ferror(lg->fp)) {
		snprintf(err, errlen, "read(%s): %s", lg->path, strerror(errno));
		rc = -1;
	}
	/* Only --csv reads a log again: a lesson of many clients need not hold all their files. */
	if (o->csv == NULL) {
		fclose(lg->fp);
		lg->fp = NULL;
	}
	free(line);
	return rc;
}

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t_ns != y->t_ns)
		return x->t_ns < y->t_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* When an event happened, for the order and the time of its row: its t_ns, but in the request
 * lessons a write() at its start. Its t_ns is its return, and loopback hands the bytes to the
 * peer within the call, so the peer's read of a 23-byte request would come before the write
 * that sent it. */
static int64_t event_when(const struct event *e, enum lesson l)
{
	struct opt dur = slot_opt(e, IO_DUR_NS);

	if (request_lesson(l) && e->kind == K_WRITE && dur.has && dur.v > 0)
		return e->t_ns - dur.v;
	return e->t_ns;
}

static int event_cmp_when(const void *a, const void *b, void *lesson)
{
	const struct event *x = a, *y = b;
	int64_t tx = event_when(x, *(const enum lesson *)lesson);
	int64_t ty = event_when(y, *(const enum lesson *)lesson);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* --t0, else the scenario's zero from the earliest start event, else the first event. */
static int64_t zero_of_time(const struct run *run, const struct options *o)
{
	struct opt zero = { 0, 0 };

	if (o->have_t0)
		return o->t0_ns;
	for (size_t i = 0; i < run->n; i++) {
		struct opt t0 = field_opt(&run->ev[i], "t0_ns");

		if (run->ev[i].kind == K_START && t0.has && (!zero.has || t0.v < zero.v))
			zero = t0;
	}
	if (zero.has)
		return zero.v;
	return run->n ? run->ev[0].t_ns : 0;
}

/* ---- who is who: the server and its clients (server_lesson) ---- */

static int log_is(const struct logfile *lg, const char *prog, const char *role)
{
	return lg->prog && strcmp(lg->prog, prog) == 0 && lg->role && strcmp(lg->role, role) == 0;
}

/* Each log's role and ports, from its start event and its first socket event. */
static void logs_describe(struct run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct logfile *lg = &run->logs[e->log];

		if (e->kind == K_START && lg->role == NULL)
			lg->role = field_str(e, "role");
		if (e->kind == K_SOCKET && !lg->local_port.has && !lg->peer_port.has) {
			lg->local_port = field_opt(e, "local_port");
			lg->peer_port = field_opt(e, "peer_port");
		}
	}
}

/* The client's end of the server's connection: its local port is the server's peer port. */
static int connected_to(const struct logfile *client, const struct logfile *server)
{
	return server && client->local_port.has && server->peer_port.has &&
	       client->local_port.v == server->peer_port.v;
}

/* Who is who in a lesson of a server and its clients (enum party), and each event's side from
 * its log's: the server is the writer and a lone client the reader, so that the machinery of
 * the first two lessons (figures_writes, the send buffer's table) tells write_timeout. The
 * first server log counts; of several possible clients, the one connected to it, else the
 * first. The other logs are left out of the lesson (P_NONE, SIDE_OTHER). */
static void assign_parties(struct run *run, const struct options *o)
{
	const char *client_prog = o->lesson == LESSON_WRITE_TIMEOUT ? "slow_reader" : "slow_writer";
	struct logfile *server = NULL, *client = NULL;

	if (!server_lesson(o->lesson))
		return;
	logs_describe(run);
	for (size_t i = 0; i < run->nlogs; i++) {
		struct logfile *lg = &run->logs[i];

		lg->party = P_NONE;
		if (server == NULL && log_is(lg, "fast_peer", "listen")) {
			server = lg;
			lg->party = P_SERVER;
		}
	}
	for (size_t i = 0; i < run->nlogs; i++) {
		struct logfile *lg = &run->logs[i];

		if (lg->party != P_NONE)
			continue;
		if (o->lesson == LESSON_BACKPRESSURE) {
			if (log_is(lg, "fast_peer", "connect"))
				lg->party = P_FAST_CLIENT;
			else if (log_is(lg, "slow_reader", "connect"))
				lg->party = P_SLOW_CLIENT;
		} else if (log_is(lg, client_prog, "connect") &&
			   (client == NULL || (!connected_to(client, server) &&
					       connected_to(lg, server)))) {
			client = lg;
		}
	}
	if (client)
		client->party = P_CLIENT;
	for (size_t i = 0; i < run->n; i++) {
		struct event *e = &run->ev[i];

		e->party = run->logs[e->log].party;
		if (e->party == P_SERVER)
			e->side = SIDE_WRITER;
		else if (e->party == P_CLIENT)
			e->side = SIDE_READER;
		else if (e->side != SIDE_WIRE)
			e->side = SIDE_OTHER;
	}
}

static int run_load(struct run *run, const struct options *o, char *err, size_t errlen)
{
	run->nlogs = o->nlogs;
	run->logs = calloc(o->nlogs, sizeof(*run->logs));
	if (run->logs == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	run->want_columns = o->csv != NULL;
	for (size_t i = 0; i < o->nlogs; i++) {
		run->logs[i].path = o->logs[i];
		if (load_log(run, i, o, err, errlen) < 0)
			return -1;
	}
	assign_parties(run, o);
	if (run->n > 0 && request_lesson(o->lesson))
		qsort_r(run->ev, run->n, sizeof(run->ev[0]), event_cmp_when, (void *)&o->lesson);
	else if (run->n > 0)
		qsort(run->ev, run->n, sizeof(run->ev[0]), event_cmp);
	run->zero_ns = zero_of_time(run, o);
	return 0;
}

static void run_free(struct run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		if (run->ev[i].fields) {
			tl_event_free(run->ev[i].fields);
			free(run->ev[i].fields);
		}
	}
	free(run->ev);
	for (size_t i = 0; i < run->nlogs; i++) {
		if (run->logs[i].fp)
			fclose(run->logs[i].fp);
		free(run->logs[i].prog);
	}
	free(run->logs);
	columns_free(&run->cols);
}

/* ---- the wire: the reader's zero-window stretches, told alike by the rows and the figures ---- */

/* A stretch opens at the reader's first zero_window segment and ends at its window update;
 * the sender's probes are numbered within it, as the persist timer counts them. */
struct wire_track {
	int closed;
	struct opt closed_at;       /* t_ns of the stretch's first zero_window */
	int64_t probe_no;           /* probes so far in this stretch */
	struct opt last_probe;      /* t_ns */
};

enum wire_step { WS_NONE, WS_CLOSED, WS_PROBE, WS_REOPENED };

/* Follow one event. For a probe, *gap is the time since the stretch's previous probe, or for
 * its first since the window closed; absent when the capture saw neither. */
static enum wire_step wire_track_step(struct wire_track *tr, const struct event *e,
				      struct opt *gap)
{
	gap->has = 0;
	switch (wire_class(e)) {
	case WC_ZERO_WINDOW:
		/* The reader repeats its zero window in answer to every probe: only the first
		 * one closes the window. */
		if (wire_from(e) != SIDE_READER || tr->closed)
			return WS_NONE;
		memset(tr, 0, sizeof(*tr));
		tr->closed = 1;
		opt_set(&tr->closed_at, e->t_ns);
		return WS_CLOSED;
	case WC_PROBE:
		tr->probe_no++;
		if (tr->last_probe.has)
			opt_set(gap, e->t_ns - tr->last_probe.v);
		else if (tr->closed_at.has)
			opt_set(gap, e->t_ns - tr->closed_at.v);
		opt_set(&tr->last_probe, e->t_ns);
		return WS_PROBE;
	case WC_UPDATE:
		if (wire_from(e) != SIDE_READER)
			return WS_NONE;
		memset(tr, 0, sizeof(*tr));
		return WS_REOPENED;
	default:
		return WS_NONE;
	}
}

/* ---- figures: computed once, printed by the paragraph and by the name=value lines ---- */

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

static const struct event *first_of(const struct run *run, enum side side, enum kind kind)
{
	for (size_t i = 0; i < run->n; i++)
		if (run->ev[i].side == side && run->ev[i].kind == kind)
			return &run->ev[i];
	return NULL;
}

static void figures_buffers(const struct run *run, struct figures *f)
{
	const struct event *r = first_of(run, SIDE_READER, K_SOCKET);
	const struct event *w = first_of(run, SIDE_WRITER, K_SOCKET);

	f->reader_socket = r != NULL;
	f->writer_socket = w != NULL;
	if (r) {
		f->rcvbuf_requested = field_opt(r, "rcvbuf_requested_bytes");
		f->rcvbuf_actual = field_opt(r, "rcvbuf_bytes");
	}
	if (w) {
		f->sndbuf_requested = field_opt(w, "sndbuf_requested_bytes");
		f->sndbuf_actual = field_opt(w, "sndbuf_bytes");
		f->cc = field_str(w, "cc");
		f->cc_requested = field_str(w, "cc_requested");
	}
}

/* The window the writer saw, the persist timer, and what sat in the reader's buffer. */
static void figures_window(const struct run *run, struct figures *f)
{
	int64_t zw_t = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt wnd = slot_opt(e, S_SNDWND), bo = slot_opt(e, S_BACKOFF);
		struct opt q = slot_opt(e, S_SENDQ);

		if (e->side != SIDE_WRITER || e->kind != K_SAMPLE)
			continue;
		if (wnd.has) {
			f->window_samples = 1;
			if (wnd.v == 0 && !f->zero_window_seen) {
				f->zero_window_seen = 1;
				zw_t = e->t_ns;
				opt_set(&f->zero_window_at_ns, e->t_ns - run->zero_ns);
			}
		}
		if (bo.has && (!f->probe_backoffs.has || bo.v > f->probe_backoffs.v))
			f->probe_backoffs = bo;
		if (q.has && (!f->sendq_max.has || q.v > f->sendq_max.v))
			f->sendq_max = q;
	}
	if (!f->zero_window_seen)
		return;
	/* The reader's first sample at or after that moment: the segment that closed the window
	 * may land just after the reader's last sample before it, and while the window stays 0
	 * nothing leaves the buffer. Failing that, its latest sample before. */
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt q = slot_opt(e, S_RECVQ);

		if (e->side != SIDE_READER || e->kind != K_SAMPLE || !q.has)
			continue;
		f->bytes_at_zero_window = q;
		if (e->t_ns >= zw_t)
			break;
	}
}

/* write() calls, and how long write() could not go on. */
static void figures_writes(const struct run *run, struct figures *f)
{
	struct opt pending = { 0, 0 }, end = { 0, 0 }, last_blocked = { 0, 0 };
	int64_t last_t = 0, blocked_us = 0, calls = 0, immediate = 0, eagain = 0;
	int unknown = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS), us = slot_opt(e, RESUMED_BLOCKED_US);

		if (e->side != SIDE_WRITER)
			continue;
		last_t = e->t_ns;
		switch (e->kind) {
		case K_END:
			if (!end.has)
				opt_set(&end, e->t_ns);
			break;
		case K_WRITE:
			calls++;
			if (dur.has && dur.v < NS_PER_MS)
				immediate++;
			if (dur.has && (!f->longest_write_ns.has || dur.v > f->longest_write_ns.v))
				f->longest_write_ns = dur;
			break;
		case K_WRITE_BLOCKED:
			eagain++;
			opt_set(&last_blocked, e->t_ns);
			if (!pending.has)
				opt_set(&pending, e->t_ns);
			break;
		case K_WRITE_RESUMED:
			/* Without blocked_us, the time since its write_blocked; without both, the
			 * sum is unknown. */
			if (!us.has && pending.has)
				opt_set(&us, div_round(e->t_ns - pending.v, NS_PER_US));
			pending.has = 0;
			if (!us.has) {
				unknown = 1;
				break;
			}
			blocked_us += us.v;
			if (!f->longest_blocked_us.has || us.v > f->longest_blocked_us.v)
				f->longest_blocked_us = us;
			break;
		default:
			break;
		}
	}
	if (pending.has) {
		int64_t us = div_round((end.has ? end.v : last_t) - pending.v, NS_PER_US);

		f->still_blocked = 1;
		blocked_us += us;
		if (!f->longest_blocked_us.has || us > f->longest_blocked_us.v)
			opt_set(&f->longest_blocked_us, us);
	}
	if (!f->writer_seen)
		return;
	if (!unknown)
		opt_set(&f->write_blocked_us, blocked_us);
	opt_set(&f->write_calls, calls);
	opt_set(&f->writes_immediate, immediate);
	opt_set(&f->eagain_count, eagain);

	/* The queue drained: the first empty sendq after it held data, and after the last block. */
	for (size_t i = 0, had = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt q = slot_opt(e, S_SENDQ);

		if (e->side != SIDE_WRITER || e->kind != K_SAMPLE || !q.has)
			continue;
		if (q.v > 0) {
			had = 1;
		} else if (had && (!last_blocked.has || e->t_ns >= last_blocked.v)) {
			opt_set(&f->queue_drained_at_ns, e->t_ns - run->zero_ns);
			break;
		}
	}
}

/* When the reader began to drain: the start (t_ns - dur_ns) of its first read after its last
 * stall_end. */
static struct opt drain_start(const struct run *run)
{
	struct opt start = { 0, 0 };
	size_t i, stall_end = run->n;

	for (i = 0; i < run->n; i++)
		if (run->ev[i].side == SIDE_READER && run->ev[i].kind == K_STALL_END)
			stall_end = i;
	for (i = stall_end; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS);

		if (e->side == SIDE_READER && e->kind == K_READ && dur.has) {
			opt_set(&start, e->t_ns - dur.v);
			break;
		}
	}
	return start;
}

/* From the reader beginning to drain to the writer going on. */
static void figures_resume(const struct run *run, struct opt start, struct figures *f)
{
	if (!start.has)
		return;
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];

		if (e->side == SIDE_WRITER && e->kind == K_WRITE_RESUMED && e->t_ns >= start.v) {
			opt_set(&f->resume_after_read_ns, e->t_ns - start.v);
			return;
		}
	}
}

static int probe_gap_add(struct figures *f, int64_t ns, int after_close)
{
	if (f->nprobe_gaps == f->probe_gaps_cap) {
		size_t cap = f->probe_gaps_cap ? f->probe_gaps_cap * 2 : 16;
		struct probe_gap *p = realloc(f->probe_gaps, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		f->probe_gaps = p;
		f->probe_gaps_cap = cap;
	}
	f->probe_gaps[f->nprobe_gaps].ns = ns;
	f->probe_gaps[f->nprobe_gaps].after_close = after_close;
	f->nprobe_gaps++;
	return 0;
}

/* What the capture saw: the segments by class, when the reader's window closed and reopened on
 * the wire, and how far apart the sender's probes went. */
static int figures_wire(const struct run *run, struct opt drain, struct figures *f)
{
	struct wire_track tr;

	memset(&tr, 0, sizeof(tr));
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt gap;

		if (e->kind != K_WIRE)
			continue;
		f->wire_segments++;
		f->wire_zero_windows += wire_class(e) == WC_ZERO_WINDOW;
		f->wire_probes += wire_class(e) == WC_PROBE;
		f->wire_updates += wire_class(e) == WC_UPDATE;
		f->wire_retransmissions += wire_class(e) == WC_RETRANSMISSION;
		if (is_wire_from(e, SIDE_READER, WC_ZERO_WINDOW)) {
			f->wire_reader_zero_windows++;
			if (!f->wire_first_zero_window_at_ns.has)
				opt_set(&f->wire_first_zero_window_at_ns, e->t_ns - run->zero_ns);
		}
		if (is_wire_from(e, SIDE_READER, WC_UPDATE)) {
			if (!f->wire_update_at_ns.has)
				opt_set(&f->wire_update_at_ns, e->t_ns - run->zero_ns);
			if (drain.has && e->t_ns >= drain.v && !f->wire_update_after_read_ns.has)
				opt_set(&f->wire_update_after_read_ns, e->t_ns - drain.v);
		}
		if (wire_track_step(&tr, e, &gap) == WS_PROBE && gap.has &&
		    probe_gap_add(f, gap.v, tr.probe_no == 1) < 0)
			return -1;
	}
	return 0;
}

static void side_end_of(const struct event *end, int64_t samples_seen, struct side_end *s)
{
	if (end) {
		s->cpu_user_us = field_opt(end, "cpu_user_us");
		s->cpu_sys_us = field_opt(end, "cpu_sys_us");
		s->wall_us = field_opt(end, "wall_us");
		s->samples = field_opt(end, "samples");
		s->sample_cpu_us = field_opt(end, "sample_cpu_us");
	}
	/* A program that was killed wrote no end: its samples are still there to count. */
	if (!s->samples.has && samples_seen > 0)
		opt_set(&s->samples, samples_seen);
}

/* The reader's stalls, both sides' totals, and the samples each side took. */
static void figures_totals(const struct run *run, struct figures *f)
{
	const struct event *rend = first_of(run, SIDE_READER, K_END);
	const struct event *wend = first_of(run, SIDE_WRITER, K_END);
	int64_t stall_us = 0, rsamples = 0, wsamples = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt us = slot_opt(e, STALL_FOR_US);

		if (e->kind == K_SAMPLE && e->side == SIDE_READER)
			rsamples++;
		if (e->kind == K_SAMPLE && e->side == SIDE_WRITER)
			wsamples++;
		if (e->kind == K_STALL_BEGIN && e->side == SIDE_READER) {
			f->stalls++;
			if (us.has)
				stall_us += us.v;
		}
	}
	if (f->reader_seen)
		opt_set(&f->stall_us, stall_us);
	if (rend) {
		f->bytes_received = field_opt(rend, "bytes_received");
		f->pattern_errors = field_opt(rend, "pattern_errors");
	}
	if (wend) {
		struct opt pe = field_opt(wend, "pattern_errors");

		f->bytes_sent = field_opt(wend, "bytes_sent");
		if (f->pattern_errors.has && pe.has)
			f->pattern_errors.v += pe.v;
	}
	if (f->bytes_sent.has && f->bytes_received.has)
		opt_set(&f->bytes_lost, f->bytes_sent.v - f->bytes_received.v);
	side_end_of(rend, rsamples, &f->reader);
	side_end_of(wend, wsamples, &f->writer);
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int str_is(const char *s, const char *t)
{
	return s && strcmp(s, t) == 0;
}

/* pattern_errors summed over the end events of the lesson's server and clients. */
static struct opt pattern_errors_sum(const struct run *run)
{
	struct opt sum = { 0, 0 };

	for (size_t i = 0; i < run->n; i++) {
		struct opt pe = field_opt(&run->ev[i], "pattern_errors");

		if (run->ev[i].kind == K_END && run->ev[i].party != P_NONE && pe.has) {
			sum.has = 1;
			sum.v += pe.v;
		}
	}
	return sum;
}

static void figures_request_server(const struct event *e, struct request_figures *q,
				   struct opt *read_start, int *read_seen, struct opt *answer,
				   const struct event **end)
{
	struct opt dur = slot_opt(e, IO_DUR_NS), recvq = slot_opt(e, S_RECVQ);

	switch (e->kind) {
	case K_SOCKET:
		if (!q->socket_seen) {
			q->socket_seen = 1;
			q->rcvbuf_requested = field_opt(e, "rcvbuf_requested_bytes");
			q->rcvbuf_actual = field_opt(e, "rcvbuf_bytes");
			q->sndbuf_requested = field_opt(e, "sndbuf_requested_bytes");
			q->sndbuf_actual = field_opt(e, "sndbuf_bytes");
			q->cc = field_str(e, "cc");
			q->cc_requested = field_str(e, "cc_requested");
		}
		break;
	case K_SAMPLE:
		if (recvq.has && (!q->server_recvq_max.has || recvq.v > q->server_recvq_max.v))
			q->server_recvq_max = recvq;
		break;
	case K_READ:
		/* Where the first read() began; without its dur_ns that is not known. */
		if (!*read_seen && dur.has)
			opt_set(read_start, e->t_ns - dur.v);
		*read_seen = 1;
		break;
	case K_WRITE:
		if (!answer->has)
			opt_set(answer, e->t_ns - (dur.has ? dur.v : 0));
		q->request_complete = 1;
		break;
	case K_ACKED:
		if (!q->response_acked_us.has)
			q->response_acked_us = field_opt(e, "after_us");
		break;
	case K_TIMEOUT:
		if (str_is(field_str(e, "what"), "read") && q->read_timeouts++ == 0) {
			q->read_timeout_us = field_opt(e, "after_us");
			q->read_timeout_errno = field_str(e, "errno_name");
		}
		break;
	case K_CLOSE:
		if (!q->close_at_ns.has) {
			opt_set(&q->close_at_ns, e->t_ns);
			q->close_reason = field_str(e, "reason");
		}
		break;
	case K_END:
		if (*end == NULL)
			*end = e;
		break;
	default:
		break;
	}
}

static void figures_request_client(const struct event *e, struct request_figures *q,
				   struct opt *last_write, struct opt *stall,
				   const struct event **end)
{
	struct opt bytes = slot_opt(e, IO_BYTES), us = slot_opt(e, STALL_FOR_US);

	switch (e->kind) {
	case K_WRITE:
		q->client_writes++;
		opt_set(last_write, e->t_ns);
		/* The table's moment for it (event_when), for the paragraph to agree with. */
		opt_set(&q->last_write_at_ns, e->t_ns - (slot_opt(e, IO_DUR_NS).has
							? slot_opt(e, IO_DUR_NS).v : 0));
		if (q->client_stalls == 0 && bytes.has) {
			q->bytes_before_stall.has = 1;
			q->bytes_before_stall.v += bytes.v;
		}
		break;
	case K_STALL_BEGIN:
		if (q->client_stalls++ == 0) {
			if (!q->bytes_before_stall.has)
				opt_set(&q->bytes_before_stall, 0);
			if (us.has)
				opt_set(&stall[1], e->t_ns + us.v * NS_PER_US);
			opt_set(&stall[0], e->t_ns);
		}
		if (us.has) {
			q->client_stall_us.has = 1;
			q->client_stall_us.v += us.v;
		}
		break;
	case K_EOF:
		if (!q->client_eof_at_ns.has) {
			opt_set(&q->client_eof_at_ns, e->t_ns);
			q->eof_in_stall = stall[0].has && stall[1].has && e->t_ns >= stall[0].v &&
					  e->t_ns < stall[1].v;
		}
		break;
	case K_END:
		if (*end == NULL)
			*end = e;
		break;
	default:
		break;
	}
}

/* The request and its answer; the bytes the client wrote that the server never read are
 * "unread at close" when the server closed the client first, lost otherwise. */
static void figures_request(const struct run *run, struct figures *f)
{
	struct request_figures *q = &f->rq;
	const struct event *send = NULL, *cend = NULL;
	struct opt read_start = { 0, 0 }, answer = { 0, 0 }, last_write = { 0, 0 };
	struct opt stall[2] = { { 0, 0 }, { 0, 0 } };      /* the client's first: from, until */
	struct opt req = { 0, 0 }, resp = { 0, 0 };
	int read_seen = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];

		if (e->party == P_SERVER)
			figures_request_server(e, q, &read_start, &read_seen, &answer, &send);
		else if (e->party == P_CLIENT)
			figures_request_client(e, q, &last_write, stall, &cend);
	}
	if (last_write.has && read_start.has)
		opt_set(&q->request_in_buffer_ns, read_start.v - last_write.v);
	if (read_start.has && (answer.has || q->close_at_ns.has))
		opt_set(&q->server_waited_ns, (answer.has ? answer.v : q->close_at_ns.v) -
			read_start.v);
	q->client_closed = starts_with(q->close_reason, "read timeout");
	/* Moments as the paragraph prints them: since the zero of time. */
	if (q->last_write_at_ns.has)
		q->last_write_at_ns.v -= run->zero_ns;
	if (q->close_at_ns.has)
		q->close_at_ns.v -= run->zero_ns;
	if (q->client_eof_at_ns.has)
		q->client_eof_at_ns.v -= run->zero_ns;
	if (send) {
		q->response_bytes = field_opt(send, "bytes_sent");
		q->server_received = field_opt(send, "bytes_received");
	}
	if (cend) {
		q->request_bytes = field_opt(cend, "bytes_sent");
		q->client_received = field_opt(cend, "bytes_received");
	}
	if (q->request_bytes.has && q->server_received.has)
		opt_set(&req, q->request_bytes.v - q->server_received.v);
	if (q->response_bytes.has && q->client_received.has)
		opt_set(&resp, q->response_bytes.v - q->client_received.v);
	if (q->client_closed && req.has) {
		q->bytes_unread_at_close = req;
		opt_set(&req, 0);
	}
	if (req.has && resp.has)
		opt_set(&q->bytes_lost, req.v + resp.v);
	q->pattern_errors = pattern_errors_sum(run);
}

/* The server's write timeouts, TCP_USER_TIMEOUT, and what became of the bytes it wrote. The
 * write() figures themselves are figures_writes', over the server's writes. */
static void figures_write_timeout(const struct run *run, struct figures *f)
{
	struct wt_figures *w = &f->wt;
	struct opt short_write = { 0, 0 }, short_requested = { 0, 0 }, requested = { 0, 0 };
	struct opt sendq = { 0, 0 }, stall_until = { 0, 0 };

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt bytes = slot_opt(e, IO_BYTES), req = slot_opt(e, IO_REQUESTED);
		struct opt partial = field_opt(e, "partial_bytes");
		const char *what = field_str(e, "what");

		if (e->party == P_CLIENT && e->kind == K_STALL_BEGIN && !stall_until.has &&
		    slot_opt(e, STALL_FOR_US).has)
			opt_set(&stall_until, e->t_ns + slot_opt(e, STALL_FOR_US).v * NS_PER_US);
		if (e->party == P_CLIENT && e->kind == K_END && !w->client_end_at_ns.has) {
			opt_set(&w->client_end_at_ns, e->t_ns - run->zero_ns);
			w->client_signalled = field_opt(e, "signal").has;
			w->stall_cut = stall_until.has && e->t_ns < stall_until.v;
		}
		if (e->party != P_SERVER)
			continue;
		switch (e->kind) {
		case K_SAMPLE:
			if (slot_opt(e, S_SENDQ).has)
				sendq = slot_opt(e, S_SENDQ);
			break;
		case K_WRITE:
			requested = req;
			if (!short_write.has && bytes.has && req.has && bytes.v < req.v) {
				short_write = bytes;
				short_requested = req;
			}
			break;
		case K_WRITE_BLOCKED:
			if (!w->first_blocked_at_ns.has)
				opt_set(&w->first_blocked_at_ns, e->t_ns - run->zero_ns);
			break;
		case K_TIMEOUT:
			if (str_is(what, "write") && w->write_timeouts++ == 0) {
				w->write_timeout_us = field_opt(e, "after_us");
				w->form = !partial.has ? WT_TIMER
					  : partial.v > 0 ? WT_SHORT : WT_EAGAIN;
			}
			if (str_is(what, "write") && partial.has && partial.v > 0 &&
			    !w->partial_write_bytes.has) {
				w->partial_write_bytes = partial;
				w->partial_requested = requested;
			}
			if (str_is(what, "user") && !w->user_timeout_us.has) {
				w->user_timeout_us = field_opt(e, "after_us");
				w->sendq_at_user_timeout = sendq;
			}
			break;
		case K_CLOSE:
			if (!w->close_at_ns.has) {
				opt_set(&w->close_at_ns, e->t_ns - run->zero_ns);
				w->close_reason = field_str(e, "reason");
			}
			break;
		default:
			break;
		}
	}
	if (!w->partial_write_bytes.has) {
		w->partial_write_bytes = short_write;
		w->partial_requested = short_requested;
	}
	w->client_closed = starts_with(w->close_reason, "write timeout") ||
			   starts_with(w->close_reason, "user timeout");
	w->aborted = w->user_timeout_us.has || starts_with(w->close_reason, "user timeout");
	if (w->aborted && f->bytes_sent.has && f->bytes_received.has)
		opt_set(&w->bytes_undelivered, f->bytes_sent.v - f->bytes_received.v);
	w->pattern_errors = pattern_errors_sum(run);
}

static void max_of(struct opt *peak, struct opt *at, struct opt v, int64_t t_ns)
{
	if (v.has && (!peak->has || v.v > peak->v)) {
		*peak = v;
		if (at)
			opt_set(at, t_ns);
	}
}

/* The server's samples, its connections and backpressure, and each client's end. */
static void figures_bp_events(const struct run *run, struct bp_figures *b,
			      unsigned char *stalled, int64_t *ends, int64_t *received,
			      struct opt *reads)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt dur = slot_opt(e, IO_DUR_NS), got = field_opt(e, "bytes_received");
		int fast = e->party == P_FAST_CLIENT, slow = e->party == P_SLOW_CLIENT;

		if (e->party == P_SERVER) {
			if (e->kind == K_SERVER_SAMPLE) {
				if (!b->rss_start_kib.has)
					b->rss_start_kib = slot_opt(e, SS_RSS_KIB);
				max_of(&b->rss_peak_kib, &b->rss_peak_at_ns,
				       slot_opt(e, SS_RSS_KIB), e->t_ns - run->zero_ns);
				max_of(&b->app_peak, &b->app_peak_at_ns, slot_opt(e, SS_APP),
				       e->t_ns - run->zero_ns);
				max_of(&b->ksendq_peak, NULL, slot_opt(e, SS_KSENDQ), 0);
				max_of(&b->paused_peak, NULL, slot_opt(e, SS_PAUSED), 0);
			}
			b->accepts += e->kind == K_ACCEPT;
			b->conn_ends += e->kind == K_CONN_END;
			b->pauses += e->kind == K_BP_ON;
			if (e->kind == K_END && !b->bytes_sent.has)
				b->bytes_sent = field_opt(e, "bytes_sent");
			continue;
		}
		if (!fast && !slow)
			continue;
		if (fast && e->kind == K_READ) {
			/* reads[0]: a fast client's earliest read start; [1]: the latest end */
			if (dur.has && (!reads[0].has || e->t_ns - dur.v < reads[0].v))
				opt_set(&reads[0], e->t_ns - dur.v);
			opt_set(&reads[1], e->t_ns);
		}
		if (slow && e->kind == K_STALL_BEGIN && !stalled[e->log]) {
			stalled[e->log] = 1;
			if (b->slow_stalled++ == 0 && slot_opt(e, STALL_FOR_US).has)
				b->slow_stall_us = slot_opt(e, STALL_FOR_US);
		}
		if (e->kind == K_END) {
			b->client_ends++;
			if (got.has) {
				ends[slow]++;
				received[slow] += got.v;
			}
		}
	}
}

/* Which connections backpressure held back, and how many of them were slow clients': a
 * connection is a client's when the accept's peer port is the client's local port. */
static int figures_bp_conns(const struct run *run, struct bp_figures *b)
{
	int64_t nconn = 0;
	unsigned char *paused;
	enum party *party;

	for (size_t i = 0; i < run->n; i++) {
		struct opt c = run->ev[i].kind == K_ACCEPT ? field_opt(&run->ev[i], "conn")
							   : slot_opt(&run->ev[i], BP_CONN);

		if ((run->ev[i].kind == K_ACCEPT || run->ev[i].kind == K_BP_ON) &&
		    run->ev[i].party == P_SERVER && c.has && c.v > 0 && c.v < (INT64_C(1) << 24) &&
		    c.v >= nconn)
			nconn = c.v + 1;
	}
	paused = calloc((size_t)nconn + 1, 1);
	party = calloc((size_t)nconn + 1, sizeof(*party));
	if (paused == NULL || party == NULL) {
		free(paused);
		free(party);
		return -1;
	}
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt c = e->kind == K_ACCEPT ? field_opt(e, "conn") : slot_opt(e, BP_CONN);
		struct opt port = field_opt(e, "peer_port");

		if (e->party != P_SERVER || !c.has || c.v <= 0 || c.v >= nconn)
			continue;
		if (e->kind == K_BP_ON)
			paused[c.v] = 1;
		for (size_t l = 0; e->kind == K_ACCEPT && port.has && l < run->nlogs; l++)
			if (run->logs[l].local_port.has && run->logs[l].local_port.v == port.v &&
			    run->logs[l].party != P_SERVER)
				party[c.v] = run->logs[l].party;
	}
	for (int64_t c = 1; c < nconn; c++) {
		b->paused_conns += paused[c];
		b->paused_slow_conns += paused[c] && party[c] == P_SLOW_CLIENT;
	}
	free(paused);
	free(party);
	return 0;
}

/* 0, or -1 when out of memory. */
static int figures_backpressure(const struct run *run, struct figures *f)
{
	struct bp_figures *b = &f->bp;
	unsigned char *stalled = calloc(run->nlogs + 1, 1);
	int64_t ends[2] = { 0, 0 }, received[2] = { 0, 0 };    /* [0] fast, [1] slow */
	struct opt reads[2] = { { 0, 0 }, { 0, 0 } };

	if (stalled == NULL)
		return -1;
	for (size_t l = 0; l < run->nlogs; l++) {
		b->fast_clients += run->logs[l].party == P_FAST_CLIENT;
		b->slow_clients += run->logs[l].party == P_SLOW_CLIENT;
	}
	b->clients = b->fast_clients + b->slow_clients;
	figures_bp_events(run, b, stalled, ends, received, reads);
	free(stalled);
	/* A client without its end leaves its class's sums unknown. */
	if (b->fast_clients > 0 && ends[0] == b->fast_clients && reads[0].has && reads[1].has &&
	    reads[1].v > reads[0].v)
		opt_set(&b->fast_bytes_per_s, (int64_t)((double)received[0] * (double)NS_PER_S /
							(double)(reads[1].v - reads[0].v) + 0.5));
	if (b->slow_clients > 0 && ends[1] == b->slow_clients)
		opt_set(&b->slow_bytes, received[1]);
	if (b->clients > 0 && ends[0] + ends[1] == b->clients)
		opt_set(&b->bytes_received, received[0] + received[1]);
	if (b->bytes_sent.has && b->bytes_received.has)
		opt_set(&b->bytes_lost, b->bytes_sent.v - b->bytes_received.v);
	b->pattern_errors = pattern_errors_sum(run);
	return figures_bp_conns(run, b);
}

/* 0, or -1 when out of memory; free with figures_free either way. */
static int compute_figures(const struct run *run, enum lesson lesson, struct figures *f)
{
	struct opt drain = drain_start(run);

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < run->n; i++) {
		if (run->ev[i].side == SIDE_READER)
			f->reader_seen = 1;
		if (run->ev[i].side == SIDE_WRITER)
			f->writer_seen = 1;
		if (run->ev[i].party == P_SERVER)
			f->server_seen = 1;
		else if (run->ev[i].party != P_NONE)
			f->client_seen = 1;
		if (run->ev[i].kind == K_END && run->ev[i].party == P_SERVER)
			f->server_ends++;
		else if (run->ev[i].kind == K_END && run->ev[i].party != P_NONE)
			f->client_ends++;
	}
	for (size_t l = 0; l < run->nlogs; l++)
		f->client_logs += run->logs[l].party != P_NONE && run->logs[l].party != P_SERVER;
	figures_buffers(run, f);
	figures_window(run, f);
	figures_writes(run, f);
	figures_resume(run, drain, f);
	figures_totals(run, f);
	if (figures_wire(run, drain, f) < 0)
		return -1;
	if (request_lesson(lesson))
		figures_request(run, f);
	else if (lesson == LESSON_WRITE_TIMEOUT)
		figures_write_timeout(run, f);
	else if (lesson == LESSON_BACKPRESSURE)
		return figures_backpressure(run, f);
	return 0;
}

static void figures_free(struct figures *f)
{
	free(f->probe_gaps);
}

/* ---- the buffer sizes block ---- */

/* Print s padded to `width` display columns, then the gap to the next column. */
static void put_cell(FILE *out, const char *s, int width, int right)
{
	int pad = width - text_width(s, strlen(s));

	if (right)
		fprintf(out, "%*s", pad > 0 ? pad : 0, "");
	fputs(s, out);
	if (!right)
		fprintf(out, "%*s", pad > 0 ? pad : 0, "");
	fputs("  ", out);
}

static void print_buffer_line(FILE *out, const char *label, int logged, struct opt req,
			      struct opt act)
{
	char a[48], b[48], c[48], asked[48], set[80];

	if (req.has)
		fmt_size(asked, sizeof(asked), req.v);
	else
		snprintf(asked, sizeof(asked), "%s", logged ? "kernel default" : "not in the log");
	if (act.has)
		snprintf(set, sizeof(set), "%s (%s bytes)", fmt_size(a, sizeof(a), act.v),
			 fmt_count(b, sizeof(b), act.v));
	else
		snprintf(set, sizeof(set), "not in the log");
	put_cell(out, label, 30, 0);
	put_cell(out, asked, 15, 0);
	put_cell(out, set, 26, 0);
	fprintf(out, "%s (%s bytes)\n", REFERENCE_BUF_TEXT,
		fmt_count(c, sizeof(c), REFERENCE_BUF_BYTES));
	if (req.has && act.has && act.v == 2 * req.v)
		fprintf(out, "  %32s%s\n", "",
			"Linux doubles what you ask: half is kept for its own bookkeeping");
}

/* One buffer of the block: whose it is, whether its socket was logged, asked for, set. */
struct buffer_line {
	const char *label;
	int logged;
	struct opt req, act;
};

static void print_buffer_block(FILE *out, const struct buffer_line *rcv,
			       const struct buffer_line *snd, const char *cc,
			       const char *cc_requested)
{
	fputs("Buffer sizes", out);
	fprintf(out, "%*s", 30 + 2 - (int)strlen("Buffer sizes") + 2, "");
	put_cell(out, "asked for", 15, 0);
	put_cell(out, "kernel set", 26, 0);
	fputs("reference document\n", out);
	fputs("  ", out);
	print_buffer_line(out, rcv->label, rcv->logged, rcv->req, rcv->act);
	fputs("  ", out);
	print_buffer_line(out, snd->label, snd->logged, snd->req, snd->act);
	fputs("  ", out);
	put_cell(out, "congestion control", 30, 0);
	fputs(cc ? cc : "not in the log", out);
	if (cc && cc_requested && strcmp(cc, cc_requested) != 0)
		fprintf(out, " (asked for %s)", cc_requested);
	putc('\n', out);
}

/* The block, where the lesson has one: 1 if printed. request_response's buffers are both the
 * server's, where the request and the response wait; write_timeout's are blocked_write's;
 * read_timeout and backpressure have none that matter. */
static int print_buffers(FILE *out, const struct options *o, const struct figures *f)
{
	const struct request_figures *q = &f->rq;
	char rlabel[96], slabel[96];
	struct buffer_line rcv = { rlabel, f->reader_socket, f->rcvbuf_requested,
				   f->rcvbuf_actual };
	struct buffer_line snd = { slabel, f->writer_socket, f->sndbuf_requested,
				   f->sndbuf_actual };

	switch (o->lesson) {
	case LESSON_WINDOW_ZERO:
	case LESSON_BLOCKED_WRITE:
		snprintf(rlabel, sizeof(rlabel), "receive buffer (%s)", o->receiver);
		snprintf(slabel, sizeof(slabel), "send buffer (%s)", o->sender);
		break;
	case LESSON_WRITE_TIMEOUT:
		snprintf(rlabel, sizeof(rlabel), "receive buffer (client)");
		snprintf(slabel, sizeof(slabel), "send buffer (server)");
		break;
	case LESSON_REQUEST_RESPONSE:
		snprintf(rlabel, sizeof(rlabel), "receive buffer (server)");
		snprintf(slabel, sizeof(slabel), "send buffer (server)");
		rcv.logged = snd.logged = q->socket_seen;
		rcv.req = q->rcvbuf_requested;
		rcv.act = q->rcvbuf_actual;
		snd.req = q->sndbuf_requested;
		snd.act = q->sndbuf_actual;
		print_buffer_block(out, &rcv, &snd, q->cc, q->cc_requested);
		return 1;
	default:
		return 0;
	}
	print_buffer_block(out, &rcv, &snd, f->cc, f->cc_requested);
	return 1;
}

/* ---- the table ---- */

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

static void note_add(struct note *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add one clause to the row's "What happened", after a "; " if it has one already. */
static void note_add(struct note *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n->len >= sizeof(n->s) - 3)
		return;
	if (n->len) {
		memcpy(n->s + n->len, "; ", 3);
		n->len += 2;
	}
	va_start(ap, fmt);
	k = vsnprintf(n->s + n->len, sizeof(n->s) - n->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		n->len += (size_t)k < sizeof(n->s) - n->len ? (size_t)k : sizeof(n->s) - n->len - 1;
}

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

static const struct coldef wz_cols[] = {
	{ COL_TIME, "Time", 7 }, { COL_RECV_BAR, "Receive buffer", 18 },
	{ COL_UNREAD, "Unread", 19 }, { COL_WINDOW, "Window", 9 }, { COL_WIRE, "Wire", 9 },
	{ COL_SENDER, "Sender", 23 },
};
static const struct coldef bw_cols[] = {
	{ COL_TIME, "Time", 7 }, { COL_SEND_BAR, "Send buffer", 18 },
	{ COL_QUEUED, "Queued / not sent", 21 }, { COL_NETWORK, "Network", 19 },
	{ COL_WIRE, "Wire", 9 }, { COL_WRITE, "write()", 23 }, { COL_LAST_WRITE, "Last write", 10 },
};
static const struct coldef rr_cols[] = {
	{ COL_TIME, "Time", 7 }, { COL_SRV_RECVQ, "Server receive buffer (recvq)", 29 },
	{ COL_SRV_SENDQ, "Server send buffer (sendq)", 26 },
};
static const struct coldef rt_cols[] = {
	{ COL_TIME, "Time", 7 }, { COL_WROTE, "Client wrote", 12 }, { COL_READ, "Server read", 11 },
	{ COL_SRV_RECVQ, "Server receive buffer (recvq)", 29 },
};
static const struct coldef bp_cols[] = {
	{ COL_TIME, "Time", 7 }, { COL_RSS, "RSS (KiB)", 10 }, { COL_APP, "App buffered", 12 },
	{ COL_KSENDQ, "Kernel sendq", 12 }, { COL_PAUSED, "Paused", 6 },
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

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

/* The lesson's columns; the Wire column only when there is a capture to fill it. */
static void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns,
		       int wire)
{
	const struct coldef *cols = bw_cols;
	size_t n = NCOLS(bw_cols);

	switch (o->lesson) {
	case LESSON_WINDOW_ZERO:
		cols = wz_cols;
		n = NCOLS(wz_cols);
		break;
	case LESSON_REQUEST_RESPONSE:
		cols = rr_cols;
		n = NCOLS(rr_cols);
		break;
	case LESSON_READ_TIMEOUT:
		cols = rt_cols;
		n = NCOLS(rt_cols);
		break;
	case LESSON_BACKPRESSURE:
		cols = bp_cols;
		n = NCOLS(bp_cols);
		break;
	default:
		break;
	}
	memset(t, 0, sizeof(*t));
	t->out = out;
	t->o = o;
	t->rd = server_lesson(o->lesson) ? "client" : "reader";
	t->wr = server_lesson(o->lesson) ? "server" : "writer";
	t->zero_ns = zero_ns;
	for (size_t i = 0; i < n; i++)
		if (cols[i].id != COL_WIRE || wire)
			t->cols[t->ncols++] = &cols[i];
}

static const char *who(const struct table *t, enum side side)
{
	return side == SIDE_READER ? t->rd : side == SIDE_WIRE ? "capture" : t->wr;
}

/* A row when the lesson's buffer crosses a quarter, up or down. */
static void view_quarter(struct view *w, struct opt bytes, struct opt cap, const char *what,
			 struct note *n)
{
	static const char *const level[] = { "empty", "1/4", "half", "3/4", "full" };
	int64_t q;

	if (!bytes.has || !cap.has || cap.v <= 0)
		return;
	q = bytes.v * 4 / cap.v;
	q = q < 0 ? 0 : q > 4 ? 4 : q;
	if (w->quarter >= 0 && q != w->quarter) {
		if (q == 4)
			note_add(n, "%s is full", what);
		else if (q > w->quarter)
			note_add(n, "%s passes %s", what, level[q]);
		else if (q == 3)
			note_add(n, "%s is no longer full", what);
		else
			note_add(n, "%s falls below %s", what, level[q + 1]);
	}
	w->quarter = (int)q;
}

/* The buffers the bars are drawn against, from each side's first socket event: a finished run
 * knows them before its first row, --follow learns them here (they come first in a log). */
static void view_socket(struct view *w, const struct event *e)
{
	if (e->side == SIDE_READER && !w->reader_socket) {
		w->reader_socket = 1;
		if (!w->rcvbuf.has)
			w->rcvbuf = field_opt(e, "rcvbuf_bytes");
	} else if (e->side == SIDE_WRITER && !w->writer_socket) {
		w->writer_socket = 1;
		if (!w->sndbuf.has)
			w->sndbuf = field_opt(e, "sndbuf_bytes");
	}
}

static void view_reader_sample(struct view *w, const struct event *e, const struct table *t,
			       struct note *n)
{
	struct opt q = slot_opt(e, S_RECVQ);

	if (q.has)
		w->recvq = q;
	if (!w->reader_sampled)
		note_add(n, "first look at the %s's socket", t->rd);
	w->reader_sampled = 1;
	if (t->o->lesson == LESSON_WINDOW_ZERO)
		view_quarter(w, w->recvq, w->rcvbuf, "receive buffer", n);
}

static void view_writer_sample(struct view *w, const struct event *e, const struct table *t,
			       struct note *n)
{
	struct opt wnd = slot_opt(e, S_SNDWND), bo = slot_opt(e, S_BACKOFF);
	char a[48];

	if (slot_opt(e, S_SENDQ).has)
		w->sendq = slot_opt(e, S_SENDQ);
	if (slot_opt(e, S_NOTSENT).has)
		w->notsent = slot_opt(e, S_NOTSENT);
	if (!w->writer_sampled)
		note_add(n, "first look at the %s's socket", t->wr);
	w->writer_sampled = 1;
	if (w->wstate == W_UNKNOWN)
		w->wstate = W_SENDING;
	if (wnd.has) {
		if (wnd.v == 0 && (!w->snd_wnd.has || w->snd_wnd.v != 0))
			note_add(n, "the window falls to 0: the %s has no room left, so the "
				 "%s may send no more", t->rd, t->wr);
		else if (wnd.v != 0 && w->snd_wnd.has && w->snd_wnd.v == 0)
			note_add(n, "the window opens again (%s): the %s may send",
				 fmt_size(a, sizeof(a), wnd.v), t->wr);
		w->snd_wnd = wnd;
	}
	if (bo.has) {
		int first = !w->backoff.has || w->backoff.v == 0;

		if (w->backoff.has ? bo.v != w->backoff.v : bo.v > 0) {
			if (bo.v > 0)
				note_add(n, "persist timer backs off: backoff %" PRId64 "%s%s%s",
					 bo.v, first ? " (the " : "", first ? t->wr : "",
					 first ? " probes the closed window, less and less often)"
					       : "");
			else
				note_add(n, "persist timer stops probing: backoff 0");
		}
		w->backoff = bo;
	}
	if (send_buffer_lesson(t->o->lesson))
		view_quarter(w, w->sendq, w->sndbuf, "send buffer", n);
}

static void view_io(struct view *w, const struct event *e, const struct table *t,
		    struct note *n)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	char a[48], b[48];

	if (e->kind == K_WRITE && e->side == SIDE_WRITER) {
		if (dur.has)
			w->last_write_ns = dur;
		w->last_requested = slot_opt(e, IO_REQUESTED);
		if (w->wstate == W_UNKNOWN)
			w->wstate = W_SENDING;
	}
	if (e->kind != K_READ || e->side != SIDE_READER || !w->read_row_due)
		return;
	w->read_row_due = 0;
	if (!bytes.has)
		note_add(n, "%s reads", t->rd);
	else if (!dur.has)
		note_add(n, "%s reads %s", t->rd, fmt_size(a, sizeof(a), bytes.v));
	else
		note_add(n, "%s reads %s (read took %s)", t->rd, fmt_size(a, sizeof(a), bytes.v),
			 fmt_dur(b, sizeof(b), dur.v));
}

/* `returns`: the lesson has write timeouts, so a blocked write() that returns may have given
 * up rather than gone on (the timeout event right after it says which). */
static void view_blocking(struct view *w, const struct event *e, int returns, struct note *n)
{
	struct opt us = slot_opt(e, RESUMED_BLOCKED_US);
	char a[48];

	if (e->side != SIDE_WRITER)
		return;
	if (e->kind == K_WRITE_BLOCKED) {
		w->wstate = W_BLOCKED;
		if (slot_opt(e, BLOCKED_DETECTED_NS).has)
			note_add(n, "write() blocks: no room left in the send buffer");
		else
			note_add(n, "write() cannot go on (EAGAIN): no room left in the send "
				 "buffer");
		return;
	}
	w->wstate = W_UNBLOCKED;
	w->unblocked_us = us;
	if (us.has)
		note_add(n, "write() %s after waiting %s", returns ? "returns" : "goes on",
			 fmt_dur(a, sizeof(a), us.v * 1000));
	else
		note_add(n, "write() %s", returns ? "returns" : "goes on");
}

static void view_plan(struct view *w, const struct event *e, const struct table *t,
		      struct note *n)
{
	struct opt us = slot_opt(e, STALL_FOR_US), step = field_opt(e, "step");
	const char *what = field_str(e, "what");
	const char *verb = e->side == SIDE_READER ? "reading" : "writing";
	char a[48];

	switch (e->kind) {
	case K_STALL_BEGIN:
		if (us.has)
			note_add(n, "%s stops %s for %s", who(t, e->side), verb,
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else
			note_add(n, "%s stops %s", who(t, e->side), verb);
		break;
	case K_STALL_END:
		note_add(n, "%s starts %s again", who(t, e->side), verb);
		break;
	default:
		if (what)
			note_add(n, "%s: %s", who(t, e->side), what);
		else if (step.has)
			note_add(n, "%s: step %" PRId64, who(t, e->side), step.v);
		else
			note_add(n, "%s: next step", who(t, e->side));
		break;
	}
	if (e->side == SIDE_READER && e->kind != K_STALL_BEGIN)
		w->read_row_due = 1;
}

/* A warning or an error of `s` ("reader", "server", "a slow client"). */
static void note_problem(struct note *n, const char *s, const struct event *e)
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
 * what it returned. */
static void note_timeout(struct note *n, const struct event *e, const struct view *w)
{
	const char *what = field_str(e, "what"), *name = field_str(e, "errno_name");
	struct opt after = field_opt(e, "after_us"), partial = field_opt(e, "partial_bytes");
	char a[64], b[48], c[48];

	if (after.has)
		snprintf(a, sizeof(a), " after %s", fmt_dur(b, sizeof(b), after.v * 1000));
	else
		a[0] = '\0';
	if (str_is(what, "read") && name)
		note_add(n, "read() gave up%s: SO_RCVTIMEO (%s)", a, name);
	else if (str_is(what, "read") && after.has)
		note_add(n, "the event timeout fired: no data for %s", b);
	else if (str_is(what, "read"))
		note_add(n, "the event timeout fired: no data");
	else if (str_is(what, "write") && partial.has && partial.v > 0 && w->last_requested.has)
		note_add(n, "write() gave up%s: returned %s of %s bytes", a,
			 fmt_count(b, sizeof(b), partial.v),
			 fmt_count(c, sizeof(c), w->last_requested.v));
	else if (str_is(what, "write") && partial.has && partial.v > 0)
		note_add(n, "write() gave up%s: returned %s bytes", a,
			 fmt_count(b, sizeof(b), partial.v));
	else if (str_is(what, "write") && partial.has)
		note_add(n, "write() gave up%s%s: %s, nothing written",
			 w->write_timeouts ? " again" : "", a, name ? name : "EAGAIN");
	else if (str_is(what, "write"))
		note_add(n, "the write timer fired: write() still said %s%s",
			 name ? name : "EAGAIN", a);
	else if (str_is(what, "user"))
		note_add(n, "the kernel gave up on the peer: %s%s (TCP_USER_TIMEOUT)",
			 name ? name : "ETIMEDOUT", a);
	else
		note_add(n, "a%s%s timeout fired%s", what ? " " : "", what ? what : "", a);
}

/* eof, close, timeout, warning, error, end. */
static void view_ending(struct view *w, const struct event *e, const struct table *t,
			struct note *n)
{
	const char *s = who(t, e->side), *peer = e->side == SIDE_READER ? t->wr : t->rd;
	const char *text;
	struct opt v;
	char a[48];

	switch (e->kind) {
	case K_EOF:
		note_add(n, "%s: the %s closed its side (read() returned 0)", s, peer);
		break;
	case K_CLOSE:
		text = field_str(e, "reason");
		note_add(n, "%s closes the connection%s%s", s, text ? ": " : "", text ? text : "");
		break;
	case K_TIMEOUT:
		text = field_str(e, "what");
		if (server_lesson(t->o->lesson)) {
			note_timeout(n, e, w);
			if (e->side == SIDE_WRITER &&
			    (str_is(text, "write") || str_is(text, "user"))) {
				w->write_timeouts++;
				w->wstate = W_GAVE_UP;
			}
			break;
		}
		v = field_opt(e, "after_us");
		note_add(n, "%s: %s%s timeout fires%s%s", s, text ? "the " : "a", text ? text : "",
			 v.has ? " after " : "", v.has ? fmt_dur(a, sizeof(a), v.v * 1000) : "");
		break;
	case K_WARNING:
	case K_ERROR:
		note_problem(n, s, e);
		break;
	default:
		if (e->side == SIDE_WIRE) {
			v = field_opt(e, "segments");
			if (v.has)
				note_add(n, "capture finished: %s segments seen",
					 fmt_count(a, sizeof(a), v.v));
			else
				note_add(n, "capture finished");
			break;
		}
		v = field_opt(e, e->side == SIDE_READER ? "bytes_received" : "bytes_sent");
		if (v.has)
			note_add(n, "%s finished: %s bytes %s", s, fmt_count(a, sizeof(a), v.v),
				 e->side == SIDE_READER ? "received" : "sent");
		else
			note_add(n, "%s finished", s);
		if (e->side == SIDE_WRITER)
			w->wstate = W_DONE;
		break;
	}
}

/* "the reader", "the writer", or "one side" when the capture could not tell. */
static const char *wire_who(const struct table *t, enum side from, char *buf, size_t len)
{
	if (from != SIDE_READER && from != SIDE_WRITER)
		return "one side";
	snprintf(buf, len, "the %s", from == SIDE_READER ? t->rd : t->wr);
	return buf;
}

/* A wire segment: the Wire column follows what the reader advertises, and only the segments
 * that tell the lesson get a row (data and acks would bury it). */
static void view_wire(struct view *w, const struct event *e, const struct table *t,
		      struct note *n)
{
	struct opt wnd = slot_opt(e, W_WINDOW), len = slot_opt(e, W_LEN), gap;
	enum side from = wire_from(e);
	char a[48], b[48];

	if (from == SIDE_READER && wnd.has)
		w->wire_window = wnd;
	else if (from == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		opt_set(&w->wire_window, 0);        /* no handshake seen: unscaled, but 0 is 0 */
	switch (wire_track_step(&w->wire, e, &gap)) {
	case WS_CLOSED:
		note_add(n, "on the wire: the %s advertises window 0", t->rd);
		break;
	case WS_PROBE:
		if (gap.has)
			note_add(n, "on the wire: probe %" PRId64 ", %s s after %s", w->wire.probe_no,
				 fmt_fixed(a, sizeof(a), gap.v, NS_PER_S, 2),
				 w->wire.probe_no == 1 ? "the window closed" : "the last");
		else
			note_add(n, "on the wire: probe %" PRId64, w->wire.probe_no);
		break;
	case WS_REOPENED:
		if (wnd.has)
			note_add(n, "on the wire: window update, %s", fmt_size(a, sizeof(a), wnd.v));
		else
			note_add(n, "on the wire: window update");
		break;
	default:
		break;
	}
	if (wire_class(e) == WC_RETRANSMISSION && len.has)
		note_add(n, "on the wire: %s retransmits %s", wire_who(t, from, b, sizeof(b)),
			 fmt_size(a, sizeof(a), len.v));
	else if (wire_class(e) == WC_RETRANSMISSION)
		note_add(n, "on the wire: %s retransmits a segment",
			 wire_who(t, from, b, sizeof(b)));
	else if (wire_class(e) == WC_RST)
		note_add(n, "on the wire: %s resets the connection (RST)",
			 wire_who(t, from, b, sizeof(b)));
}

/* The server's queues in the request lessons: a row where either changes. Before its first
 * sample both count as empty, so a request already waiting in the first one has its row. */
static void view_server_queues(struct view *w, const struct event *e, struct note *n)
{
	struct opt q = slot_opt(e, S_RECVQ), s = slot_opt(e, S_SENDQ);
	int64_t was;
	char a[48];

	if (q.has) {
		was = w->srv_recvq.has ? w->srv_recvq.v : 0;
		fmt_count(a, sizeof(a), q.v);
		if (q.v > was && w->server_reads == 0)
			note_add(n, "the request waits in the server's receive buffer%s: "
				 "SIOCINQ %s", w->server_stalled ? " while the server does not read"
								 : "", a);
		else if (q.v > was)
			note_add(n, "more of the request waits in the server's receive buffer: "
				 "SIOCINQ %s", a);
		else if (q.v < was)
			note_add(n, "the server's receive buffer %s: SIOCINQ %s",
				 q.v == 0 ? "is empty again" : "empties", a);
		w->srv_recvq = q;
	}
	if (s.has) {
		was = w->srv_sendq.has ? w->srv_sendq.v : 0;
		fmt_count(a, sizeof(a), s.v);
		if (s.v > was)
			note_add(n, "the response waits in the server's send buffer for the "
				 "client's ACK: SIOCOUTQ %s", a);
		else if (s.v < was)
			note_add(n, "the server's send buffer %s: SIOCOUTQ %s", s.v == 0
				 ? "is empty again (the client acknowledged it all)" : "empties", a);
		w->srv_sendq = s;
	}
}

static void opt_add(struct opt *o, struct opt v)
{
	if (!v.has)
		return;
	o->v = (o->has ? o->v : 0) + v.v;
	o->has = 1;
}

static void view_request_io(struct view *w, const struct event *e, int rr, struct note *n)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	int server = e->party == P_SERVER;
	char a[48], b[64], c[48];

	if (bytes.has)
		fmt_size(a, sizeof(a), bytes.v);
	else
		snprintf(a, sizeof(a), "some bytes");
	if (dur.has)
		snprintf(b, sizeof(b), " (%s() took %s)", e->kind == K_READ ? "read" : "write",
			 fmt_dur(c, sizeof(c), dur.v));
	else
		b[0] = '\0';
	if (e->kind == K_WRITE && server) {
		note_add(n, "server writes the response: %s", a);
	} else if (e->kind == K_WRITE) {
		if (w->client_writes++ == 0)
			note_add(n, rr ? "client writes the request: %s"
				    : "client writes %s of its request", a);
		else
			note_add(n, "client writes %s more", a);
		opt_add(&w->wrote, bytes);
	} else if (server) {
		if (w->server_reads++ == 0 && rr)
			note_add(n, "server reads the request: %s%s", a, b);
		else
			note_add(n, "server reads %s%s", a, b);
		opt_add(&w->read, bytes);
	} else {
		if (w->client_reads++ == 0)
			note_add(n, "client reads the response: %s", a);
		else
			note_add(n, "client reads %s more", a);
	}
}

/* request_response and read_timeout: the client writes its request (all at once, or with a
 * stall in the middle), the server reads it (after its own delay, or until its read timeout),
 * answers, and the answer is acknowledged. */
static void view_request(struct view *w, const struct event *e, const struct table *t,
			 struct note *n)
{
	int server = e->party == P_SERVER;
	const char *s = server ? "server" : "client", *reason = field_str(e, "reason");
	struct opt us = slot_opt(e, STALL_FOR_US), v;
	char a[48], b[48];

	if (!server && e->party != P_CLIENT)
		return;
	switch (e->kind) {
	case K_SOCKET:
		if (server && !w->server_socket) {
			w->server_socket = 1;
			if (!w->srv_rcvbuf.has)
				w->srv_rcvbuf = field_opt(e, "rcvbuf_bytes");
			if (!w->srv_sndbuf.has)
				w->srv_sndbuf = field_opt(e, "sndbuf_bytes");
			if (!w->read.has)
				opt_set(&w->read, 0);
		} else if (!server && !w->wrote.has) {
			opt_set(&w->wrote, 0);
		}
		break;
	case K_SAMPLE:
		if (server)
			view_server_queues(w, e, n);
		break;
	case K_STALL_BEGIN:
		if (server)
			w->server_stalled = 1;
		if (server && us.has)
			note_add(n, "server does not call read() for %s: what arrives waits in its "
				 "receive buffer", fmt_dur(a, sizeof(a), us.v * 1000));
		else if (server)
			note_add(n, "server stops reading");
		else if (us.has)
			note_add(n, "client stops writing for %s",
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else
			note_add(n, "client stops writing");
		break;
	case K_STALL_END:
		/* The server's read, right after, has the row. */
		if (server)
			w->server_stalled = 0;
		else
			note_add(n, "client writes again");
		break;
	case K_READ:
	case K_WRITE:
		view_request_io(w, e, t->o->lesson == LESSON_REQUEST_RESPONSE, n);
		break;
	case K_ACKED:
		v = field_opt(e, "after_us");
		if (v.has)
			note_add(n, "the client's ACK empties the server's send buffer, %s after "
				 "write() returned", fmt_dur(a, sizeof(a), v.v * 1000));
		else
			note_add(n, "the client's ACK empties the server's send buffer");
		break;
	case K_TIMEOUT:
		note_timeout(n, e, w);
		break;
	case K_EOF:
		if (server)
			note_add(n, "server: the client closed its side (read() returned 0)");
		else
			note_add(n, "client: the server closed the connection (read() returned 0)");
		break;
	case K_CLOSE:
		if (server && starts_with(reason, "read timeout"))
			note_add(n, "server closes the slow client (%s)", reason);
		else
			note_add(n, "%s closes the connection%s%s", s, reason ? ": " : "",
				 reason ? reason : "");
		break;
	case K_WARNING:
	case K_ERROR:
		note_problem(n, s, e);
		break;
	case K_END:
		v = field_opt(e, "bytes_received");
		if (field_opt(e, "bytes_sent").has && v.has)
			note_add(n, "%s finished: %s bytes sent, %s received", s,
				 fmt_count(a, sizeof(a), field_opt(e, "bytes_sent").v),
				 fmt_count(b, sizeof(b), v.v));
		else
			note_add(n, "%s finished", s);
		break;
	default:
		break;
	}
}

/* A row when v crosses a quarter of its eventual peak, up or down; *q is the quarter it was in
 * (-1 before its first value, which sets it without a row). */
static void peak_quarter(int *q, struct opt v, struct opt peak, const char *what,
			 const char *peak_text, struct note *n)
{
	static const char *const level[] = { "0", "1/4", "half", "3/4" };
	int64_t k;

	if (!v.has || !peak.has || peak.v <= 0)
		return;
	k = v.v * 4 / peak.v;
	k = k < 0 ? 0 : k > 4 ? 4 : k;
	if (*q >= 0 && k != *q) {
		if (k == 4)
			note_add(n, "%s reaches its peak, %s", what, peak_text);
		else if (k > *q)
			note_add(n, "%s passes %s of its peak", what, level[k]);
		else if (k == 3)
			note_add(n, "%s falls from its peak", what);
		else
			note_add(n, "%s falls below %s of its peak", what, level[k + 1]);
	}
	*q = (int)k;
}

static void view_server_sample(struct view *w, const struct event *e, const struct bp_figures *b,
			       struct note *n)
{
	struct opt rss = slot_opt(e, SS_RSS_KIB), app = slot_opt(e, SS_APP);
	struct opt paused = slot_opt(e, SS_PAUSED);
	int64_t was = w->paused.has ? w->paused.v : 0;
	char a[64], c[48];

	if (!w->server_sampled)
		note_add(n, "first look at the server");
	w->server_sampled = 1;
	if (rss.has)
		w->rss_kib = rss;
	if (app.has)
		w->app = app;
	if (slot_opt(e, SS_KSENDQ).has)
		w->ksendq = slot_opt(e, SS_KSENDQ);
	snprintf(a, sizeof(a), "%s KiB", fmt_count(c, sizeof(c), b->rss_peak_kib.v));
	peak_quarter(&w->rss_q, rss, b->rss_peak_kib, "RSS", a, n);
	peak_quarter(&w->app_q, app, b->app_peak, "the server's buffered data",
		     fmt_size(a, sizeof(a), b->app_peak.v), n);
	if (paused.has && paused.v != was) {
		if (paused.v > was)
			note_add(n, "backpressure holds back %s %s",
				 fmt_count(a, sizeof(a), paused.v),
				 plural(paused.v, "connection", "connections"));
		else if (paused.v > 0)
			note_add(n, "%s %s still held back", fmt_count(a, sizeof(a), paused.v),
				 plural(paused.v, "connection", "connections"));
		else
			note_add(n, "no connection is held back any more");
	}
	if (paused.has)
		w->paused = paused;
}

static void view_bp_server(struct view *w, const struct event *e, const struct bp_figures *b,
			   struct note *n)
{
	struct opt conn = field_opt(e, "conn"), v;
	const char *reason = field_str(e, "reason");
	char a[48], c[48];

	switch (e->kind) {
	case K_SERVER_SAMPLE:
		view_server_sample(w, e, b, n);
		break;
	case K_ACCEPT:
		if (++w->accepts == 1 && conn.has)
			note_add(n, "the first client connects (conn %" PRId64 ")", conn.v);
		else if (w->accepts == 1)
			note_add(n, "the first client connects");
		if (w->accepts == b->accepts && b->accepts > 1)
			note_add(n, "all %" PRId64 " clients are connected", b->accepts);
		break;
	case K_CONN_END:
		if (++w->conn_ends != b->conn_ends)
			break;
		if (conn.has && reason)
			note_add(n, "the last connection ends (conn %" PRId64 ": %s)", conn.v,
				 reason);
		else if (conn.has)
			note_add(n, "the last connection ends (conn %" PRId64 ")", conn.v);
		else
			note_add(n, "the last connection ends");
		break;
	case K_BP_ON:
		conn = slot_opt(e, BP_CONN);
		v = slot_opt(e, BP_PENDING);
		if (!w->bp_told && conn.has)
			note_add(n, "backpressure: the server stops producing for conn %" PRId64
				 "%s%s%s", conn.v, v.has ? " (" : "",
				 v.has ? fmt_size(c, sizeof(c), v.v) : "",
				 v.has ? " pending)" : "");
		w->bp_told = 1;
		break;
	case K_WARNING:
	case K_ERROR:
		note_problem(n, "server", e);
		break;
	case K_END:
		v = field_opt(e, "bytes_sent");
		if (v.has)
			note_add(n, "server finished: %s bytes sent", fmt_count(a, sizeof(a), v.v));
		else
			note_add(n, "server finished");
		break;
	default:
		break;
	}
}

/* backpressure: rows from the server's samples only where something notable changes (a quarter
 * of a peak crossed, the number of connections held back), its first accept and last
 * conn_end, the slow clients' stall told once for all of them, the ends. */
static void view_backpressure(struct view *w, const struct event *e, const struct table *t,
			      struct note *n)
{
	const struct bp_figures *b = &t->f->bp;
	int slow = e->party == P_SLOW_CLIENT;
	struct opt us = slot_opt(e, STALL_FOR_US);
	char a[48];

	if (e->party == P_SERVER) {
		view_bp_server(w, e, b, n);
		return;
	}
	if (!slow && e->party != P_FAST_CLIENT)
		return;
	switch (e->kind) {
	case K_STALL_BEGIN:
		if (slow && !w->slow_stall_told && us.has)
			note_add(n, "%" PRId64 " slow %s reading for %s", b->slow_stalled,
				 plural(b->slow_stalled, "client stops", "clients stop"),
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else if (slow && !w->slow_stall_told)
			note_add(n, "%" PRId64 " slow %s reading", b->slow_stalled,
				 plural(b->slow_stalled, "client stops", "clients stop"));
		w->slow_stall_told |= slow;
		break;
	case K_STALL_END:
		if (slow && !w->slow_resume_told)
			note_add(n, "%s", b->slow_stalled == 1 ? "the slow client reads again"
							       : "the slow clients read again");
		w->slow_resume_told |= slow;
		break;
	case K_WARNING:
	case K_ERROR:
		/* Told once for each kind of client: fifty of the same would bury the table. */
		if (!w->problem_told[slow])
			note_problem(n, slow ? "a slow client" : "a fast client", e);
		w->problem_told[slow] = 1;
		break;
	case K_END:
		if (++w->client_ends == b->client_ends)
			note_add(n, "the last client finishes");
		break;
	default:
		break;
	}
}

static void view_apply(struct view *w, const struct event *e, const struct table *t,
		       struct note *n)
{
	if (request_lesson(t->o->lesson)) {
		view_request(w, e, t, n);
		return;
	}
	if (t->o->lesson == LESSON_BACKPRESSURE) {
		view_backpressure(w, e, t, n);
		return;
	}
	if (e->side == SIDE_OTHER)
		return;
	if (e->side == SIDE_WIRE) {
		if (e->kind == K_WIRE)
			view_wire(w, e, t, n);
		else if (e->kind == K_WARNING || e->kind == K_ERROR || e->kind == K_END)
			view_ending(w, e, t, n);
		return;
	}
	switch (e->kind) {
	case K_SOCKET:
		view_socket(w, e);
		break;
	case K_SAMPLE:
		if (e->side == SIDE_READER)
			view_reader_sample(w, e, t, n);
		else
			view_writer_sample(w, e, t, n);
		break;
	case K_READ:
	case K_WRITE:
		view_io(w, e, t, n);
		break;
	case K_WRITE_BLOCKED:
	case K_WRITE_RESUMED:
		view_blocking(w, e, t->o->lesson == LESSON_WRITE_TIMEOUT, n);
		break;
	case K_STALL_BEGIN:
	case K_STALL_END:
	case K_STEP:
		view_plan(w, e, t, n);
		break;
	case K_EOF:
	case K_CLOSE:
	case K_TIMEOUT:
	case K_WARNING:
	case K_ERROR:
	case K_END:
		view_ending(w, e, t, n);
		break;
	default:
		break;
	}
}

/* "[█████░░░░░░░░░░░]": bytes against the buffer, clamped; never empty-looking when not empty,
 * never full-looking when not full. */
static const char *fmt_bar(char *buf, size_t len, struct opt bytes, struct opt cap)
{
	int64_t cells;
	size_t o = 0;

	if (!bytes.has || !cap.has || cap.v <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	cells = div_round((bytes.v < 0 ? 0 : bytes.v) * BAR_CELLS, cap.v);
	if (cells == 0 && bytes.v > 0)
		cells = 1;
	if (cells >= BAR_CELLS && bytes.v < cap.v)
		cells = BAR_CELLS - 1;
	if (cells > BAR_CELLS)
		cells = BAR_CELLS;
	o += (size_t)snprintf(buf + o, len - o, "[");
	for (int i = 0; i < BAR_CELLS && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s", i < cells ? "█" : "░");
	if (o < len)
		snprintf(buf + o, len - o, "]");
	return buf;
}

/* "124.3 KiB / 128 KiB", "12 KiB", or "-". */
static const char *fmt_pair(char *buf, size_t len, struct opt a, struct opt b)
{
	char x[48], y[48];

	if (!a.has)
		snprintf(buf, len, "-");
	else if (!b.has)
		snprintf(buf, len, "%s", fmt_size(x, sizeof(x), a.v));
	else
		snprintf(buf, len, "%s / %s", fmt_size(x, sizeof(x), a.v),
			 fmt_size(y, sizeof(y), b.v));
	return buf;
}

/* The send queue and its unsent part: "160.0 KiB / 81.7 KiB", "12 KiB / -", or "-". */
static const char *fmt_queued(char *buf, size_t len, const struct view *w)
{
	if (!w->sendq.has) {
		snprintf(buf, len, "-");
		return buf;
	}
	fmt_pair(buf, len, w->sendq, w->notsent);
	if (!w->notsent.has)
		snprintf(buf + strlen(buf), len - strlen(buf), " / -");
	return buf;
}

/* A window: "-" unknown, "0" closed (the lesson's moment, so no unit), else its size. */
static const char *fmt_window(char *buf, size_t len, struct opt wnd)
{
	if (!wnd.has)
		snprintf(buf, len, "-");
	else if (wnd.v == 0)
		snprintf(buf, len, "0");
	else
		fmt_size(buf, len, wnd.v);
	return buf;
}

static const char *fmt_writer_state(char *buf, size_t len, const struct view *w, enum lesson l)
{
	int wz = l == LESSON_WINDOW_ZERO;

	switch (w->wstate) {
	case W_SENDING:
		snprintf(buf, len, "%s", wz ? "Sending" : "returns immediately");
		break;
	case W_BLOCKED:
		snprintf(buf, len, "%s", wz ? "BLOCKED" : "BLOCKS");
		break;
	case W_UNBLOCKED:
		if (w->unblocked_us.has)
			snprintf(buf, len, "UNBLOCKED after %" PRId64 " ms",
				 div_round(w->unblocked_us.v, 1000));
		else
			snprintf(buf, len, "UNBLOCKED");
		break;
	case W_GAVE_UP:
		snprintf(buf, len, "GAVE UP");
		break;
	case W_DONE:
		snprintf(buf, len, "done");
		break;
	default:
		snprintf(buf, len, "-");
		break;
	}
	return buf;
}

static const char *fmt_network(char *buf, size_t len, const struct view *w)
{
	if (!w->snd_wnd.has)
		snprintf(buf, len, "-");
	else if (w->snd_wnd.v > 0)
		snprintf(buf, len, "sending");
	else if (w->backoff.has && w->backoff.v > 0)
		snprintf(buf, len, "probing (backoff %" PRId64 ")", w->backoff.v);
	else
		snprintf(buf, len, "window 0");
	return buf;
}

static const char *fmt_cell(char *buf, size_t len, enum col id, const struct table *t,
			    const struct view *w, int64_t t_ns)
{
	switch (id) {
	case COL_TIME:
		return fmt_secs(buf, len, t_ns - t->zero_ns);
	case COL_RECV_BAR:
		return fmt_bar(buf, len, w->recvq, w->rcvbuf);
	case COL_UNREAD:
		return fmt_pair(buf, len, w->recvq, w->rcvbuf);
	case COL_WINDOW:
		return fmt_window(buf, len, w->snd_wnd);
	case COL_WIRE:
		return fmt_window(buf, len, w->wire_window);
	case COL_SENDER:
	case COL_WRITE:
		return fmt_writer_state(buf, len, w, t->o->lesson);
	case COL_SEND_BAR:
		return fmt_bar(buf, len, w->sendq, w->sndbuf);
	case COL_QUEUED:
		return fmt_queued(buf, len, w);
	case COL_NETWORK:
		return fmt_network(buf, len, w);
	case COL_LAST_WRITE:
		if (!w->last_write_ns.has)
			break;
		return fmt_dur(buf, len, w->last_write_ns.v);
	case COL_SRV_RECVQ:
		return fmt_pair(buf, len, w->srv_recvq, w->srv_rcvbuf);
	case COL_SRV_SENDQ:
		return fmt_pair(buf, len, w->srv_sendq, w->srv_sndbuf);
	case COL_WROTE:
		return fmt_pair(buf, len, w->wrote, (struct opt){ 0, 0 });
	case COL_READ:
		return fmt_pair(buf, len, w->read, (struct opt){ 0, 0 });
	case COL_RSS:
		if (!w->rss_kib.has)
			break;
		return fmt_count(buf, len, w->rss_kib.v);
	case COL_APP:
		return fmt_pair(buf, len, w->app, (struct opt){ 0, 0 });
	case COL_KSENDQ:
		return fmt_pair(buf, len, w->ksendq, (struct opt){ 0, 0 });
	case COL_PAUSED:
		if (!w->paused.has)
			break;
		return fmt_count(buf, len, w->paused.v);
	}
	snprintf(buf, len, "-");
	return buf;
}

/* One line of the table: the time right-aligned, the note last and unpadded. */
static void print_cells(FILE *out, const char *const cells[], const int widths[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i == n - 1 && cells[n][0] == '\0') {
			fputs(cells[i], out);   /* no trailing blanks when nothing happened */
			break;
		}
		put_cell(out, cells[i], widths[i], i == 0);
	}
	fprintf(out, "%s\n", cells[n]);
}

static void table_header(const struct table *t)
{
	const char *cells[MAX_COLS + 1];
	int widths[MAX_COLS] = { 0 }, rule = 30;

	switch (t->o->lesson) {
	case LESSON_WINDOW_ZERO:
		fprintf(t->out, "Receive buffer flow control: what %s's buffer held, what %s "
			"saw (time in s)\n", t->o->receiver, t->o->sender);
		break;
	case LESSON_BLOCKED_WRITE:
		fprintf(t->out, "Send buffer flow control: what %s's send buffer held and what "
			"write() did (time in s)\n", t->o->sender);
		break;
	case LESSON_REQUEST_RESPONSE:
		fputs("The request and the response: what waited in the server's receive and send "
		      "buffers (time in s)\n", t->out);
		break;
	case LESSON_READ_TIMEOUT:
		fputs("A request that stops halfway: what the client wrote, what the server read, "
		      "when it gave up (time in s)\n", t->out);
		break;
	case LESSON_WRITE_TIMEOUT:
		fputs("A client that stops reading: what the server's send buffer held, what "
		      "write() did, when the server gave up (time in s)\n", t->out);
		break;
	default:
		if (t->f)
			fprintf(t->out, "A server of %" PRId64 " %s (%" PRId64 " fast, %" PRId64
				" slow): its memory, its own buffers and the kernel's "
				"(time in s)\n",
				t->f->bp.clients, plural(t->f->bp.clients, "client", "clients"),
				t->f->bp.fast_clients, t->f->bp.slow_clients);
		else
			fputs("A server of many clients: its memory, its own buffers and the "
			      "kernel's (time in s)\n", t->out);
		break;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		cells[i] = t->cols[i]->head;
		widths[i] = t->cols[i]->width;
		rule += widths[i] + 2;
	}
	cells[t->ncols] = "What happened";
	print_cells(t->out, cells, widths, t->ncols);
	for (int i = 0; i < rule; i++)
		fputs("─", t->out);
	putc('\n', t->out);
}

static void table_row(const struct table *t, const struct view *w, int64_t t_ns, const char *note)
{
	char buf[MAX_COLS][112];
	const char *cells[MAX_COLS + 1];
	int widths[MAX_COLS] = { 0 };

	for (size_t i = 0; i < t->ncols; i++) {
		cells[i] = fmt_cell(buf[i], sizeof(buf[i]), t->cols[i]->id, t, w, t_ns);
		widths[i] = t->cols[i]->width;
	}
	cells[t->ncols] = note;
	print_cells(t->out, cells, widths, t->ncols);
}

/* ---- the rows: one event at a time, in time order, for a finished run and for --follow ---- */

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

static void rows_init(struct rows *r, FILE *out, const struct options *o, int64_t zero_ns,
		      int wire)
{
	memset(r, 0, sizeof(*r));
	table_init(&r->t, out, o, zero_ns, wire);
	r->w.quarter = -1;
	r->w.rss_q = -1;
	r->w.app_q = -1;
}

/* A sample that --all gives a row of its own: of either side, or of the lesson's server. */
static int all_sample(const struct table *t, const struct event *e)
{
	if (request_lesson(t->o->lesson))
		return e->kind == K_SAMPLE && e->party == P_SERVER;
	if (t->o->lesson == LESSON_BACKPRESSURE)
		return e->kind == K_SERVER_SAMPLE && e->party == P_SERVER;
	return e->kind == K_SAMPLE && (e->side == SIDE_READER || e->side == SIDE_WRITER);
}

static void rows_show(struct rows *r, const struct event *e)
{
	struct note n = { "", 0 };
	int sample = all_sample(&r->t, e);

	view_apply(&r->w, e, &r->t, &n);
	if (n.len || (r->t.o->all && sample))
		table_row(&r->t, &r->w, event_when(e, r->t.o->lesson), n.s);
	/* "UNBLOCKED after" belongs to the row of the write_resumed only. */
	if (r->w.wstate == W_UNBLOCKED)
		r->w.wstate = W_SENDING;
}

/* Show the held events from `from` on, and hold nothing. */
static void rows_release(struct rows *r, size_t from)
{
	for (size_t i = from; i < r->nheld; i++)
		rows_show(r, &r->held[i]);
	r->nheld = 0;
}

static int rows_hold(struct rows *r, const struct event *e)
{
	if (r->nheld == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct event *p = realloc(r->held, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		r->held = p;
		r->cap = cap;
	}
	r->held[r->nheld++] = *e;   /* its fields stay the caller's: see rows_idle */
	return 0;
}

/* No event before t_ns is still to come: a held wait that began 1 ms before is not short. */
static void rows_advance(struct rows *r, int64_t t_ns)
{
	/* Unsigned, as the difference of two t_ns may not fit; a line that reached --follow too
	 * late to be in time order wraps around and releases too, which does no harm. */
	if (r->nheld && (uint64_t)t_ns - (uint64_t)r->held[0].t_ns >= (uint64_t)SHORT_WAIT_NS)
		rows_release(r, 0);
}

/* True when no event given so far is still held, so their fields may be freed. */
static int rows_idle(const struct rows *r)
{
	return r->nheld == 0;
}

/* The next event in time order. 0, or -1 when out of memory. */
static int rows_feed(struct rows *r, const struct event *e)
{
	int blocked = e->side == SIDE_WRITER && e->kind == K_WRITE_BLOCKED;
	int resumed = e->side == SIDE_WRITER && e->kind == K_WRITE_RESUMED;

	/* Only the lessons with a write() column hide short waits. */
	if (r->t.o->lesson != LESSON_WINDOW_ZERO && !send_buffer_lesson(r->t.o->lesson)) {
		rows_show(r, e);
		return 0;
	}
	rows_advance(r, e->t_ns);
	if (r->nheld && resumed) {
		struct opt us = slot_opt(e, RESUMED_BLOCKED_US);

		if (us.has && us.v < SHORT_WAIT_NS / NS_PER_US) {
			r->hidden++;
			rows_release(r, 1);     /* left out: the write_blocked and this */
			return 0;
		}
		rows_release(r, 0);
	} else if (r->nheld && blocked) {
		rows_release(r, 0);         /* that one never resumed: not a short wait */
	} else if (r->nheld) {
		return rows_hold(r, e);
	}
	if (blocked && !r->t.o->all)
		return rows_hold(r, e);
	rows_show(r, e);
	return 0;
}

/* Every event has been given: show what is held, and say what was left out. */
static void rows_finish(struct rows *r)
{
	rows_release(r, 0);
	if (r->hidden)
		fprintf(r->t.out, "  (%zu %s of write() shorter than 1 ms not shown; --all shows "
			"%s)\n", r->hidden, r->hidden == 1 ? "wait" : "waits",
			r->hidden == 1 ? "it" : "them");
}

static void rows_free(struct rows *r)
{
	free(r->held);
}

/* 0, or -1 when out of memory. */
static int print_table(FILE *out, const struct run *run, const struct options *o,
		       const struct figures *f)
{
	struct rows r;
	int rc = 0;

	rows_init(&r, out, o, run->zero_ns, f->wire_segments > 0);
	r.t.f = f;
	r.w.rcvbuf = f->rcvbuf_actual;      /* a finished run knows its buffers from the start */
	r.w.sndbuf = f->sndbuf_actual;
	r.w.srv_rcvbuf = f->rq.rcvbuf_actual;
	r.w.srv_sndbuf = f->rq.sndbuf_actual;
	if (f->server_seen)                 /* nothing read, nothing written yet */
		opt_set(&r.w.read, 0);
	if (f->client_seen)
		opt_set(&r.w.wrote, 0);
	table_header(&r.t);
	for (size_t i = 0; i < run->n && rc == 0; i++)
		rc = rows_feed(&r, &run->ev[i]);
	rows_finish(&r);
	rows_free(&r);
	return rc;
}

/* ---- the summary paragraph ---- */

/* "once", "twice", "4 times". */
static const char *fmt_times(char *buf, size_t len, int64_t n)
{
	if (n == 1)
		snprintf(buf, len, "once");
	else if (n == 2)
		snprintf(buf, len, "twice");
	else
		snprintf(buf, len, "%" PRId64 " times", n);
	return buf;
}

static void story_buffer(struct text *t, int seen, const char *side, const char *buffer,
			 const char *opt, struct opt req, struct opt act)
{
	char a[48], b[48];

	if (!seen)
		return;
	if (req.has && act.has) {
		text_add(t, "The %s asked for a %s %s buffer; the kernel set %s (", side,
			 fmt_size(a, sizeof(a), req.v), buffer, fmt_size(b, sizeof(b), act.v));
		if (act.v == 2 * req.v)
			text_add(t, "Linux doubles %s; ", opt);
		text_add(t, "the reference document says %s).", REFERENCE_BUF_TEXT);
	} else if (act.has)
		text_add(t, "The %s left its %s buffer to the kernel, which set %s (the reference "
			 "document says %s).", side, buffer, fmt_size(a, sizeof(a), act.v),
			 REFERENCE_BUF_TEXT);
	else if (req.has)
		text_add(t, "The %s asked for a %s %s buffer; its log does not say what the "
			 "kernel set.", side, fmt_size(a, sizeof(a), req.v), buffer);
	else
		text_add(t, "The %s's log does not say how big its %s buffer was.", side, buffer);
}

static void story_stall(struct text *t, const struct figures *f, const char *subject)
{
	char a[48];

	if (!f->stall_us.has)
		return;
	if (f->stalls == 0)
		text_add(t, " %s never stopped reading.", subject);
	else
		text_add(t, " %s stopped reading for %s%s.", subject,
			 fmt_dur(a, sizeof(a), f->stall_us.v * 1000),
			 f->stalls > 1 ? " in all" : "");
}

/* "1,048,576 bytes sent, 1,048,576 received and checked, 0 lost, 0 pattern errors." */
static void story_totals(struct text *t, struct opt sent, struct opt received, struct opt lost,
			 struct opt pattern_errors)
{
	const char *sep = " ";
	char a[48];
	int words = 0;

	if (sent.has) {
		text_add(t, "%s%s bytes sent", sep, fmt_count(a, sizeof(a), sent.v));
		sep = ", ";
		words = 1;
	}
	if (received.has) {
		text_add(t, "%s%s%s received%s", sep, fmt_count(a, sizeof(a), received.v),
			 words ? "" : " bytes", pattern_errors.has ? " and checked" : "");
		sep = ", ";
		words = 1;
	}
	if (lost.has) {
		text_add(t, "%s%s lost", sep, fmt_count(a, sizeof(a), lost.v));
		sep = ", ";
	}
	if (pattern_errors.has) {
		text_add(t, "%s%s pattern %s", sep, fmt_count(a, sizeof(a), pattern_errors.v),
			 plural(pattern_errors.v, "error", "errors"));
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		text_add(t, ".");
}

static void story_bytes(struct text *t, const struct figures *f)
{
	story_totals(t, f->bytes_sent, f->bytes_received, f->bytes_lost, f->pattern_errors);
}

static void story_zero_window(struct text *t, const struct figures *f, const char *tail)
{
	char a[48], b[48];

	if (f->zero_window_seen) {
		text_add(t, " At %s s the window the sender saw fell to 0",
			 fmt_secs(a, sizeof(a), f->zero_window_at_ns.v));
		if (f->bytes_at_zero_window.has)
			text_add(t, " with %s unread in the receiver's buffer",
				 fmt_size(b, sizeof(b), f->bytes_at_zero_window.v));
		text_add(t, "%s.", tail);
	} else if (f->window_samples) {
		text_add(t, " The window never fell to 0.");
	} else if (f->writer_seen) {
		text_add(t, " The sender's log has no window samples, so whether the window fell "
			 "to 0 is not known.");
	}
}

/* "211, 423 and 862": the time before each probe, in ms. */
static void text_probe_gaps(struct text *t, const struct figures *f)
{
	for (size_t i = 0; i < f->nprobe_gaps; i++)
		text_add(t, "%s%" PRId64, i == 0 ? "" : i + 1 == f->nprobe_gaps ? " and " : ", ",
			 div_round(f->probe_gaps[i].ns, NS_PER_MS));
}

/* True when each probe of a stretch came about twice as long after the one before as that one
 * did after its own: the persist timer's exponential backoff. */
static int probe_gaps_double(const struct figures *f)
{
	int pairs = 0;

	for (size_t i = 1; i < f->nprobe_gaps; i++) {
		int64_t a = f->probe_gaps[i - 1].ns, b = f->probe_gaps[i].ns;

		if (f->probe_gaps[i].after_close)
			continue;
		if (2 * b < 3 * a || 2 * b > 5 * a)
			return 0;
		pairs++;
	}
	return pairs > 0;
}

/* One sentence on what the capture saw, when there was one. */
static void story_wire(struct text *t, const struct figures *f)
{
	char a[48], b[48];
	int closed = f->wire_reader_zero_windows > 0;

	if (f->wire_segments == 0)
		return;
	if (closed)
		text_add(t, " On the wire the reader advertised a zero window %s",
			 fmt_times(a, sizeof(a), f->wire_reader_zero_windows));
	else
		text_add(t, " On the wire the reader never advertised a zero window");
	if (f->wire_probes > 0) {
		text_add(t, "; the sender probed %s %s", closed ? "it" : "the window",
			 fmt_times(a, sizeof(a), f->wire_probes));
		if (f->nprobe_gaps == 1 && f->probe_gaps[0].after_close) {
			text_add(t, ", %" PRId64 " ms after the window closed",
				 div_round(f->probe_gaps[0].ns, NS_PER_MS));
		} else if (f->nprobe_gaps > 0) {
			text_add(t, ", at %s of ", f->nprobe_gaps == 1 ? "an interval" : "intervals");
			text_probe_gaps(t, f);
			text_add(t, " ms%s", probe_gaps_double(f) ? " (the persist timer doubling)" : "");
		}
	} else if (closed) {
		text_add(t, "; the sender never probed it");
	}
	if (f->wire_update_after_read_ns.has)
		text_add(t, ", and the window update went out %s after the reader began to drain",
			 fmt_dur(a, sizeof(a), f->wire_update_after_read_ns.v));
	else if (f->wire_update_at_ns.has)
		text_add(t, ", and the window update went out at %s s",
			 fmt_secs(a, sizeof(a), f->wire_update_at_ns.v));
	else if (closed)
		text_add(t, ", and no window update went out");
	text_add(t, ".");
	if (f->wire_retransmissions > 0)
		text_add(t, " %s %s retransmitted.",
			 fmt_count(b, sizeof(b), f->wire_retransmissions),
			 plural(f->wire_retransmissions, "segment was", "segments were"));
}

static void story_window_zero(struct text *t, const struct figures *f)
{
	char a[48], tb[48];

	story_buffer(t, f->reader_seen, "reader", "receive", "SO_RCVBUF", f->rcvbuf_requested,
		     f->rcvbuf_actual);
	story_stall(t, f, "It");
	story_zero_window(t, f, "");
	if (!f->writer_seen) {
		/* nothing to tell about write() */
	} else if (f->eagain_count.v == 0 && f->write_blocked_us.has &&
		   f->write_blocked_us.v == 0) {
		text_add(t, " write() never blocked.");
		if (f->probe_backoffs.has && f->probe_backoffs.v > 0)
			text_add(t, " The persist timer backed off %s.",
				 fmt_times(tb, sizeof(tb), f->probe_backoffs.v));
	} else {
		if (f->write_blocked_us.has)
			text_add(t, " write() was blocked for %s in all",
				 fmt_dur(a, sizeof(a), f->write_blocked_us.v * 1000));
		else
			text_add(t, " write() blocked %s",
				 fmt_times(a, sizeof(a), f->eagain_count.v));
		if (f->probe_backoffs.has && f->probe_backoffs.v > 0)
			text_add(t, " while the persist timer backed off %s",
				 fmt_times(tb, sizeof(tb), f->probe_backoffs.v));
		text_add(t, ".");
	}
	if (f->still_blocked)
		text_add(t, " write() was still blocked when the sender's log ended.");
	if (f->resume_after_read_ns.has)
		text_add(t, " When the reader read again, the writer went on %s after that first "
			 "read began.", fmt_dur(a, sizeof(a), f->resume_after_read_ns.v));
	story_wire(t, f);
	story_bytes(t, f);
}

static void story_writes(struct text *t, const struct figures *f)
{
	char a[48], b[48], c[48];

	if (!f->write_calls.has)
		return;
	if (f->write_calls.v == 0) {
		text_add(t, " The writer's log has no write() calls.");
		return;
	}
	if (f->writes_immediate.v == f->write_calls.v)
		text_add(t, " All %s write() calls that moved data returned at once (in under "
			 "1 ms).", fmt_count(a, sizeof(a), f->write_calls.v));
	else
		text_add(t, " Of the %s write() calls that moved data, %s returned at once (in "
			 "under 1 ms).",
			 fmt_count(a, sizeof(a), f->write_calls.v),
			 fmt_count(b, sizeof(b), f->writes_immediate.v));
	if (f->eagain_count.v == 0) {
		text_add(t, " write() never had to wait.");
	} else {
		text_add(t, " write() had to wait %s", fmt_times(a, sizeof(a), f->eagain_count.v));
		if (f->write_blocked_us.has)
			text_add(t, f->eagain_count.v == 1 ? ", for %s" : ", %s in all",
				 fmt_dur(b, sizeof(b), f->write_blocked_us.v * 1000));
		if (f->eagain_count.v > 1 && f->longest_blocked_us.has)
			text_add(t, "; the longest wait lasted %s",
				 fmt_dur(c, sizeof(c), f->longest_blocked_us.v * 1000));
		text_add(t, ".");
	}
	if (f->longest_write_ns.has)
		text_add(t, " The longest single write() call took %s.",
			 fmt_dur(a, sizeof(a), f->longest_write_ns.v));
}

static void story_queue(struct text *t, const struct figures *f)
{
	char a[48], b[48];

	if (!f->sendq_max.has)
		return;
	text_add(t, " The send queue peaked at %s", fmt_size(a, sizeof(a), f->sendq_max.v));
	if (f->sndbuf_actual.has && f->sendq_max.v > f->sndbuf_actual.v)
		text_add(t, ", more than the %s send buffer the kernel reported at the start%s",
			 fmt_size(b, sizeof(b), f->sndbuf_actual.v),
			 f->sndbuf_requested.has ? "" : " (without SO_SNDBUF, Linux grows the "
			 "buffer as it needs)");
	text_add(t, ".");
	if (f->queue_drained_at_ns.has)
		text_add(t, " %s send queue drained at %s s.",
			 f->eagain_count.has && f->eagain_count.v > 0 ? "After the last wait, the"
								       : "The",
			 fmt_secs(a, sizeof(a), f->queue_drained_at_ns.v));
	else if (f->sendq_max.v > 0)
		text_add(t, " The send queue had not drained by the writer's last sample.");
}

static void story_blocked_write(struct text *t, const struct figures *f)
{
	char a[96], tb[48];

	story_buffer(t, f->writer_seen, "writer", "send", "SO_SNDBUF", f->sndbuf_requested,
		     f->sndbuf_actual);
	story_stall(t, f, "The reader");
	story_writes(t, f);
	if (f->probe_backoffs.has && f->probe_backoffs.v > 0)
		snprintf(a, sizeof(a), "; the persist timer then backed off %s",
			 fmt_times(tb, sizeof(tb), f->probe_backoffs.v));
	else
		a[0] = '\0';
	story_zero_window(t, f, a);
	story_queue(t, f);
	if (f->still_blocked)
		text_add(t, " write() was still blocked when the writer's log ended.");
	story_wire(t, f);
	story_bytes(t, f);
}

/* The reference document's request and response: the sizes it says, and its texts' real ones
 * ("GET /hello HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nHello"). */
#define REFERENCE_REQUEST_BYTES 26
#define REQUEST_TEXT_BYTES 23
#define REFERENCE_RESPONSE_BYTES 28
#define RESPONSE_TEXT_BYTES 24

/* What became of the request's bytes and the response's. `short_form`: "Nothing lost." when
 * nothing was. */
static void story_request_bytes(struct text *t, const struct request_figures *q, int short_form)
{
	char a[48], b[48];

	if (short_form && q->bytes_lost.has && q->bytes_lost.v == 0 &&
	    (!q->bytes_unread_at_close.has || q->bytes_unread_at_close.v == 0) &&
	    q->pattern_errors.has && q->pattern_errors.v == 0) {
		text_add(t, " Nothing lost.");
		return;
	}
	if (q->request_bytes.has && q->server_received.has) {
		text_add(t, " The client wrote %s %s of request, the server read %s",
			 fmt_count(a, sizeof(a), q->request_bytes.v),
			 plural(q->request_bytes.v, "byte", "bytes"),
			 fmt_count(b, sizeof(b), q->server_received.v));
		if (q->bytes_unread_at_close.has)
			text_add(t, " (%s unread when it closed the connection)",
				 fmt_count(a, sizeof(a), q->bytes_unread_at_close.v));
		text_add(t, ";");
	}
	if (q->response_bytes.has && q->client_received.has &&
	    (q->response_bytes.v > 0 || q->client_received.v > 0))
		text_add(t, " the server sent %s %s of response, the client received %s;",
			 fmt_count(a, sizeof(a), q->response_bytes.v),
			 plural(q->response_bytes.v, "byte", "bytes"),
			 fmt_count(b, sizeof(b), q->client_received.v));
	story_totals(t, (struct opt){ 0, 0 }, (struct opt){ 0, 0 }, q->bytes_lost,
		     q->pattern_errors);
}

static void story_request_response(struct text *t, const struct figures *f)
{
	const struct request_figures *q = &f->rq;
	char a[48], b[48];

	if (q->request_bytes.has) {
		text_add(t, " The client wrote the %s-byte request (the reference document says "
			 "%d; its text is %d)", fmt_count(a, sizeof(a), q->request_bytes.v),
			 REFERENCE_REQUEST_BYTES, REQUEST_TEXT_BYTES);
		if (q->client_writes > 1 && q->last_write_at_ns.has)
			text_add(t, " in %" PRId64 " writes, the last at %s s.", q->client_writes,
				 fmt_secs(b, sizeof(b), q->last_write_at_ns.v));
		else if (q->last_write_at_ns.has)
			text_add(t, " at %s s.", fmt_secs(b, sizeof(b), q->last_write_at_ns.v));
		else
			text_add(t, ".");
	}
	if (q->request_in_buffer_ns.has && q->request_in_buffer_ns.v > 0) {
		text_add(t, " It waited %s in the server's receive buffer",
			 fmt_dur(a, sizeof(a), q->request_in_buffer_ns.v));
		if (q->server_recvq_max.has && q->server_recvq_max.v > 0)
			text_add(t, " (SIOCINQ showed %s %s)",
				 fmt_count(b, sizeof(b), q->server_recvq_max.v),
				 plural(q->server_recvq_max.v, "byte", "bytes"));
		text_add(t, " until the server called read().");
	} else if (q->request_in_buffer_ns.has) {
		text_add(t, " The server was already waiting in read() when it arrived.");
	}
	if (q->response_bytes.has && q->response_bytes.v > 0) {
		text_add(t, " The %s-byte response (the document says %d; its text is %d)",
			 fmt_count(a, sizeof(a), q->response_bytes.v), REFERENCE_RESPONSE_BYTES,
			 RESPONSE_TEXT_BYTES);
		if (q->response_acked_us.has)
			text_add(t, " sat in the server's send buffer until the client's ACK, %s "
				 "later.", fmt_dur(b, sizeof(b), q->response_acked_us.v * 1000));
		else
			text_add(t, " went into the server's send buffer; its log does not say "
				 "when the client acknowledged it.");
	} else if (q->response_bytes.has) {
		text_add(t, " The server sent no response.");
	}
	story_request_bytes(t, q, 1);
}

/* The server's read timeout, or the lack of one. */
static void story_read_wait(struct text *t, const struct request_figures *q)
{
	char a[48], b[48];

	if (q->read_timeouts > 0) {
		fmt_dur(a, sizeof(a), q->read_timeout_us.v * 1000);
		if (q->read_timeout_errno)
			text_add(t, " The server's read() gave up%s%s (SO_RCVTIMEO: %s)",
				 q->read_timeout_us.has ? " after " : "",
				 q->read_timeout_us.has ? a : "", q->read_timeout_errno);
		else
			text_add(t, " The server's event timeout fired%s%s with no data",
				 q->read_timeout_us.has ? " after " : "",
				 q->read_timeout_us.has ? a : "");
		if (q->read_timeouts > 1)
			text_add(t, " (%s in all)", fmt_times(b, sizeof(b), q->read_timeouts));
		if (q->client_closed) {
			text_add(t, " and the server closed the slow client");
			if (q->server_waited_ns.has)
				text_add(t, ", %s after its first read() began",
					 fmt_dur(a, sizeof(a), q->server_waited_ns.v));
			text_add(t, "%s.", q->request_complete ? "" : ", without an answer");
		} else if (q->request_complete && q->server_waited_ns.has) {
			text_add(t, "; the server kept waiting and answered %s after its first "
				 "read() began.", fmt_dur(a, sizeof(a), q->server_waited_ns.v));
		} else {
			text_add(t, ".");
		}
	} else if (q->request_complete && q->server_waited_ns.has) {
		text_add(t, " The server set no read timeout: it waited %s, from its first read() "
			 "until the request was complete and it answered.",
			 fmt_dur(a, sizeof(a), q->server_waited_ns.v));
	} else if (q->server_waited_ns.has) {
		text_add(t, " The server set no read timeout: it waited %s, from its first read() "
			 "until it closed the connection%s%s.",
			 fmt_dur(a, sizeof(a), q->server_waited_ns.v), q->close_reason ? ": " : "",
			 q->close_reason ? q->close_reason : "");
	}
}

static void story_read_timeout(struct text *t, const struct figures *f)
{
	const struct request_figures *q = &f->rq;
	char a[48], b[48];

	if (q->client_stalls > 0 && q->bytes_before_stall.has) {
		text_add(t, " The client wrote %s %s of its request, then stopped writing",
			 fmt_count(a, sizeof(a), q->bytes_before_stall.v),
			 plural(q->bytes_before_stall.v, "byte", "bytes"));
		if (q->client_stall_us.has)
			text_add(t, " for %s", fmt_dur(b, sizeof(b), q->client_stall_us.v * 1000));
		text_add(t, ".");
	} else if (q->request_bytes.has) {
		text_add(t, " The client wrote its %s-byte request without stopping.",
			 fmt_count(a, sizeof(a), q->request_bytes.v));
	}
	story_read_wait(t, q);
	if (q->client_closed && q->client_eof_at_ns.has)
		text_add(t, " The client saw the connection close at %s s%s (read() returned 0).",
			 fmt_secs(a, sizeof(a), q->client_eof_at_ns.v),
			 q->eof_in_stall ? ", in the middle of its stall" : "");
	if (q->request_complete && q->response_bytes.has && q->response_bytes.v > 0)
		text_add(t, " The request was complete; the answer was %s bytes.",
			 fmt_count(a, sizeof(a), q->response_bytes.v));
	story_request_bytes(t, q, 0);
}

/* The first write timeout, and what the server did about it. */
static void story_write_timeout_fired(struct text *t, const struct wt_figures *w)
{
	char a[48], b[48], c[48];
	int many = w->write_timeouts > 1;

	fmt_dur(a, sizeof(a), w->write_timeout_us.v * 1000);
	if (!w->write_timeout_us.has)
		snprintf(a, sizeof(a), "a while");
	if (w->form == WT_SHORT && w->partial_requested.has)
		text_add(t, " SO_SNDTIMEO gave up on it after %s: write() returned %s of %s "
			 "bytes", a,
			 fmt_count(b, sizeof(b), w->partial_write_bytes.v),
			 fmt_count(c, sizeof(c), w->partial_requested.v));
	else if (w->form == WT_SHORT)
		text_add(t, " SO_SNDTIMEO gave up on it after %s: write() returned %s bytes", a,
			 fmt_count(b, sizeof(b), w->partial_write_bytes.v));
	else if (w->form == WT_EAGAIN)
		text_add(t, " SO_SNDTIMEO gave up on it after %s: write() returned EAGAIN, nothing "
			 "written", a);
	else
		text_add(t, " The server's write timer fired after %s of EAGAIN", a);
	text_add(t, ".");
	if (many)
		text_add(t, " The write timeout fired %s in all",
			 fmt_times(b, sizeof(b), w->write_timeouts));
	if (starts_with(w->close_reason, "write timeout")) {
		text_add(t, many ? "; the server then closed the slow client"
				 : " The server then closed the slow client");
		if (w->close_at_ns.has)
			text_add(t, " at %s s", fmt_secs(b, sizeof(b), w->close_at_ns.v));
		text_add(t, " instead of waiting for it.");
	} else {
		text_add(t, many ? "; the server kept waiting." : " The server kept waiting.");
	}
}

static void story_write_timeout(struct text *t, const struct figures *f)
{
	const struct wt_figures *w = &f->wt;
	char a[48], b[48], c[48];

	story_buffer(t, f->writer_seen, "server", "send", "SO_SNDBUF", f->sndbuf_requested,
		     f->sndbuf_actual);
	if (w->stall_cut && f->stall_us.has)
		text_add(t, " The client stopped reading (its plan said for %s) and was ended%s "
			 "at %s s, before its stall was over.",
			 fmt_dur(a, sizeof(a), f->stall_us.v * 1000),
			 w->client_signalled ? " by a signal" : "",
			 fmt_secs(b, sizeof(b), w->client_end_at_ns.v));
	else
		story_stall(t, f, "The client");
	if (w->first_blocked_at_ns.has) {
		text_add(t, " The server's write() blocked at %s s",
			 fmt_secs(a, sizeof(a), w->first_blocked_at_ns.v));
		if (f->write_blocked_us.has)
			text_add(t, ", %s in all",
				 fmt_dur(b, sizeof(b), f->write_blocked_us.v * 1000));
		text_add(t, ".");
	} else if (f->writer_seen) {
		text_add(t, " The server's write() never blocked.");
	}
	if (w->write_timeouts > 0)
		story_write_timeout_fired(t, w);
	if (w->user_timeout_us.has)
		text_add(t, " The kernel gave up on the client after %s without an acknowledgement "
			 "(TCP_USER_TIMEOUT: ETIMEDOUT) and aborted the connection.",
			 fmt_dur(a, sizeof(a), w->user_timeout_us.v * 1000));
	if (!w->aborted || !w->bytes_undelivered.has) {
		story_totals(t, f->bytes_sent, f->bytes_received, f->bytes_lost, w->pattern_errors);
		return;
	}
	text_add(t, " %s bytes sent, %s received: %s undelivered.",
		 fmt_count(a, sizeof(a), f->bytes_sent.v),
		 fmt_count(b, sizeof(b), f->bytes_received.v),
		 fmt_count(c, sizeof(c), w->bytes_undelivered.v));
	if (w->sendq_at_user_timeout.has && w->sendq_at_user_timeout.v <= w->bytes_undelivered.v) {
		text_add(t, " When the kernel gave up, %s of them were still in the server's "
			 "send buffer, never acknowledged (the send buffer keeps data until the "
			 "peer ACKs it)",
			 fmt_count(a, sizeof(a), w->sendq_at_user_timeout.v));
		if (w->bytes_undelivered.v > w->sendq_at_user_timeout.v)
			text_add(t, "; the other %s had reached the client's receive buffer, "
				 "never read",
				 fmt_count(b, sizeof(b), w->bytes_undelivered.v -
							  w->sendq_at_user_timeout.v));
		text_add(t, ".");
	}
	story_totals(t, (struct opt){ 0, 0 }, (struct opt){ 0, 0 }, (struct opt){ 0, 0 },
		     w->pattern_errors);
}

static void story_backpressure(struct text *t, const struct figures *f)
{
	const struct bp_figures *b = &f->bp;
	char a[48], c[48], d[48];

	if (b->clients > 0)
		text_add(t, " %s %s connected to the server: %s fast, %s slow.",
			 fmt_count(a, sizeof(a), b->clients),
			 plural(b->clients, "client", "clients"),
			 fmt_count(c, sizeof(c), b->fast_clients),
			 fmt_count(d, sizeof(d), b->slow_clients));
	if (b->slow_stalled > 0) {
		text_add(t, " %s slow %s reading", fmt_count(a, sizeof(a), b->slow_stalled),
			 plural(b->slow_stalled, "client stopped", "clients stopped"));
		if (b->slow_stall_us.has)
			text_add(t, " for %s", fmt_dur(c, sizeof(c), b->slow_stall_us.v * 1000));
		text_add(t, ".");
	}
	if (b->rss_start_kib.has && b->rss_peak_kib.has && b->rss_peak_at_ns.has)
		text_add(t, " The server's resident memory (RSS) went from %s KiB at its first "
			 "sample to a peak of %s KiB at %s s.",
			 fmt_count(a, sizeof(a), b->rss_start_kib.v),
			 fmt_count(c, sizeof(c), b->rss_peak_kib.v),
			 fmt_secs(d, sizeof(d), b->rss_peak_at_ns.v));
	if (b->app_peak.has && b->app_peak.v > 0 && b->app_peak_at_ns.has) {
		text_add(t, " Its own buffers held up to %s produced and not yet written (at %s s)",
			 fmt_size(a, sizeof(a), b->app_peak.v),
			 fmt_secs(c, sizeof(c), b->app_peak_at_ns.v));
		if (b->ksendq_peak.has)
			text_add(t, ", beside up to %s queued in the kernel's send buffers",
				 fmt_size(d, sizeof(d), b->ksendq_peak.v));
		text_add(t, ".");
	} else if (b->app_peak.has) {
		text_add(t, " Nothing ever waited in its own buffers.");
	}
	if (b->pauses > 0) {
		text_add(t, " Backpressure stopped production %s: it held back %s %s (%s of them "
			 "to slow clients)", fmt_times(a, sizeof(a), b->pauses),
			 fmt_count(c, sizeof(c), b->paused_conns),
			 plural(b->paused_conns, "connection", "connections"),
			 fmt_count(d, sizeof(d), b->paused_slow_conns));
		if (b->paused_peak.has)
			text_add(t, ", at most %s at once",
				 fmt_count(a, sizeof(a), b->paused_peak.v));
		text_add(t, ".");
	} else if (b->paused_peak.has) {
		text_add(t, " No connection was ever held back (no backpressure).");
	}
	if (b->fast_bytes_per_s.has)
		text_add(t, " The fast clients received %s bytes/s together",
			 fmt_count(a, sizeof(a), b->fast_bytes_per_s.v));
	if (b->slow_bytes.has)
		text_add(t, "%s %s bytes in all", b->fast_bytes_per_s.has ? "; the slow ones"
								 : " The slow clients received",
			 fmt_count(a, sizeof(a), b->slow_bytes.v));
	if (b->fast_bytes_per_s.has || b->slow_bytes.has)
		text_add(t, ".");
	story_totals(t, b->bytes_sent, b->bytes_received, b->bytes_lost, b->pattern_errors);
}

/* Who is missing from the logs of a lesson of a server and its clients. */
static void story_missing(struct text *t, const struct options *o, const struct figures *f)
{
	if (!f->server_seen)
		text_add(t, "No log here is from the server (fast_peer, role listen). ");
	if (o->lesson == LESSON_BACKPRESSURE && f->bp.clients == 0)
		text_add(t, "No log here is from a client (fast_peer or slow_reader, role "
			 "connect). ");
	else if (o->lesson != LESSON_BACKPRESSURE && !f->client_seen)
		text_add(t, "No log here is from the client (%s, role connect). ",
			 o->lesson == LESSON_WRITE_TIMEOUT ? "slow_reader" : "slow_writer");
	if (f->server_seen && f->server_ends == 0)
		text_add(t, "The server's log has no end event, so its totals are not known. ");
	if (f->client_logs == 1 && f->client_ends == 0)
		text_add(t, "The client's log has no end event, so its totals are not known. ");
	else if (f->client_logs > f->client_ends)
		text_add(t, "%" PRId64 " of the %" PRId64 " clients' logs have no end event, so "
			 "their totals are not known. ", f->client_logs - f->client_ends,
			 f->client_logs);
}

static int print_summary(FILE *out, const struct options *o, const struct figures *f)
{
	struct text t = { NULL, 0, 0, 0 };

	if (server_lesson(o->lesson)) {
		story_missing(&t, o, f);
	} else {
		if (!f->reader_seen)
			text_add(&t, "No event in these logs is from %s (see --receiver). ",
				 o->receiver);
		if (!f->writer_seen)
			text_add(&t, "No event in these logs is from %s (see --sender). ",
				 o->sender);
	}
	switch (o->lesson) {
	case LESSON_WINDOW_ZERO:
		story_window_zero(&t, f);
		break;
	case LESSON_BLOCKED_WRITE:
		story_blocked_write(&t, f);
		break;
	case LESSON_REQUEST_RESPONSE:
		story_request_response(&t, f);
		break;
	case LESSON_READ_TIMEOUT:
		story_read_timeout(&t, f);
		break;
	case LESSON_WRITE_TIMEOUT:
		story_write_timeout(&t, f);
		break;
	default:
		story_backpressure(&t, f);
		break;
	}
	if (t.oom) {
		free(t.s);
		return -1;
	}
	fputs("\nSummary\n", out);
	print_wrapped(out, t.s ? t.s : "", WRAP_COLS);
	free(t.s);
	return 0;
}

/* ---- the name=value figures ---- */

/* Where the figures go, and the --figure-prefix before every name. */
struct figout {
	FILE *out;
	const char *prefix;
};

static void fig(const struct figout *fo, const char *name, struct opt v)
{
	if (v.has)
		fprintf(fo->out, "%s%s=%" PRId64 "\n", fo->prefix, name, v.v);
}

/* A figure that is always known (a count, a flag, the reference document's). */
static void fig_int(const struct figout *fo, const char *name, int64_t v)
{
	fprintf(fo->out, "%s%s=%" PRId64 "\n", fo->prefix, name, v);
}

/* A figure kept in a finer unit, printed rounded to a coarser one (us -> ms). */
static void fig_div(const struct figout *fo, const char *name, struct opt v, int64_t per)
{
	if (v.has)
		fprintf(fo->out, "%s%s=%" PRId64 "\n", fo->prefix, name, div_round(v.v, per));
}

/* num / den with one decimal, when both are known and den > 0. */
static void fig_dec1(const struct figout *fo, const char *name, int has, int64_t num,
		     int64_t den)
{
	char a[48];

	if (has && den > 0)
		fprintf(fo->out, "%s%s=%s\n", fo->prefix, name,
			fmt_fixed(a, sizeof(a), num, den, 1));
}

/* A figure in a finer unit with one decimal of a coarser one (us -> ms: 1023.6). */
static void fig_opt_dec1(const struct figout *fo, const char *name, struct opt v, int64_t per)
{
	fig_dec1(fo, name, v.has, v.v, per);
}

static void fig_side(const struct figout *fo, const char *side, const struct side_end *s)
{
	char name[48];

	snprintf(name, sizeof(name), "%s_cpu_user_us", side);
	fig(fo, name, s->cpu_user_us);
	snprintf(name, sizeof(name), "%s_cpu_sys_us", side);
	fig(fo, name, s->cpu_sys_us);
	snprintf(name, sizeof(name), "%s_wall_ms", side);
	fig_div(fo, name, s->wall_us, 1000);
	snprintf(name, sizeof(name), "%s_cpu_pct", side);
	fig_dec1(fo, name, s->cpu_user_us.has && s->cpu_sys_us.has && s->wall_us.has,
		 (s->cpu_user_us.v + s->cpu_sys_us.v) * 100, s->wall_us.v);
	snprintf(name, sizeof(name), "%s_samples", side);
	fig(fo, name, s->samples);
	snprintf(name, sizeof(name), "%s_sample_cpu_us", side);
	fig(fo, name, s->sample_cpu_us);
	snprintf(name, sizeof(name), "%s_sample_cpu_pct", side);
	fig_dec1(fo, name, s->sample_cpu_us.has && s->wall_us.has, s->sample_cpu_us.v * 100,
		 s->wall_us.v);
}

/* The capture's figures: none at all without wire events. */
static void print_wire_figures(const struct figout *fo, const struct figures *f)
{
	int first = 1;

	if (f->wire_segments == 0)
		return;
	fig_int(fo, "wire_segments", f->wire_segments);
	fig_int(fo, "wire_zero_window_segments", f->wire_zero_windows);
	fig_int(fo, "wire_probes", f->wire_probes);
	fig_int(fo, "wire_window_updates", f->wire_updates);
	fig_int(fo, "wire_retransmissions", f->wire_retransmissions);
	fig_div(fo, "wire_first_zero_window_ms", f->wire_first_zero_window_at_ns, NS_PER_MS);
	fig_div(fo, "wire_window_update_after_read_us", f->wire_update_after_read_ns, NS_PER_US);
	/* Between consecutive probes only: the first probe's wait since the window closed is
	 * the persist timer's first timeout, not an interval between probes. */
	for (size_t i = 0; i < f->nprobe_gaps; i++) {
		if (f->probe_gaps[i].after_close)
			continue;
		if (first)
			fprintf(fo->out, "%sprobe_intervals_ms=", fo->prefix);
		else
			putc(',', fo->out);
		fprintf(fo->out, "%" PRId64, div_round(f->probe_gaps[i].ns, NS_PER_MS));
		first = 0;
	}
	if (!first)
		putc('\n', fo->out);
	fig_dec1(fo, "wire_zero_window_vs_snd_wnd_ms",
		 f->wire_first_zero_window_at_ns.has && f->zero_window_at_ns.has,
		 f->wire_first_zero_window_at_ns.v - f->zero_window_at_ns.v, NS_PER_MS);
}

static void print_flow_figures(const struct figout *fo, const struct figures *f)
{
	struct opt ref = { 1, REFERENCE_BUF_BYTES };

	fig(fo, "rcvbuf_requested", f->rcvbuf_requested);
	fig(fo, "rcvbuf_actual", f->rcvbuf_actual);
	fig(fo, "rcvbuf_reference", ref);
	fig(fo, "sndbuf_requested", f->sndbuf_requested);
	fig(fo, "sndbuf_actual", f->sndbuf_actual);
	fig(fo, "sndbuf_reference", ref);
	if (f->cc)
		fprintf(fo->out, "%scc=%s\n", fo->prefix, f->cc);
	fig_int(fo, "zero_window_seen", f->zero_window_seen);
	fig_div(fo, "zero_window_at_ms", f->zero_window_at_ns, NS_PER_MS);
	fig(fo, "bytes_at_zero_window", f->bytes_at_zero_window);
	fig_div(fo, "write_blocked_ms", f->write_blocked_us, 1000);
	fig_div(fo, "resume_after_read_us", f->resume_after_read_ns, NS_PER_US);
	fig(fo, "probe_backoffs", f->probe_backoffs);
	fig_div(fo, "stall_ms", f->stall_us, 1000);
	fig(fo, "bytes_sent", f->bytes_sent);
	fig(fo, "bytes_received", f->bytes_received);
	fig(fo, "bytes_lost", f->bytes_lost);
	fig(fo, "pattern_errors", f->pattern_errors);
	fig(fo, "write_calls", f->write_calls);
	fig(fo, "writes_immediate", f->writes_immediate);
	fig_dec1(fo, "longest_write_ms", f->longest_write_ns.has, f->longest_write_ns.v,
		 NS_PER_MS);
	fig(fo, "write_blocked_count", f->eagain_count);
	fig_side(fo, "reader", &f->reader);
	fig_side(fo, "writer", &f->writer);
	/* Beyond the lesson's list: what the blocked_write paragraph tells. */
	fig_div(fo, "longest_blocked_ms", f->longest_blocked_us, 1000);
	fig(fo, "sendq_max_bytes", f->sendq_max);
	fig_div(fo, "queue_drained_at_ms", f->queue_drained_at_ns, NS_PER_MS);
	print_wire_figures(fo, f);
}

static void print_request_figures(const struct figout *fo, enum lesson l,
				  const struct figures *f)
{
	const struct request_figures *q = &f->rq;

	if (l == LESSON_REQUEST_RESPONSE) {
		fig(fo, "request_bytes", q->request_bytes);
		fig_int(fo, "request_bytes_reference", REFERENCE_REQUEST_BYTES);
		fig(fo, "response_bytes", q->response_bytes);
		fig_int(fo, "response_bytes_reference", REFERENCE_RESPONSE_BYTES);
		fig_opt_dec1(fo, "request_in_buffer_ms", q->request_in_buffer_ns, NS_PER_MS);
		fig(fo, "server_recvq_max_bytes", q->server_recvq_max);
		fig(fo, "response_acked_us", q->response_acked_us);
		fig(fo, "client_bytes_received", q->client_received);
	} else {
		fig_div(fo, "client_stall_ms", q->client_stall_us, 1000);
		fig_opt_dec1(fo, "read_timeout_fired_ms", q->read_timeout_us, 1000);
		if (f->server_seen)
			fig_int(fo, "client_closed", q->client_closed);
		fig_opt_dec1(fo, "server_waited_ms", q->server_waited_ns, NS_PER_MS);
		if (f->server_seen)
			fig_int(fo, "request_complete", q->request_complete);
		/* Beyond the lesson's list: the request's bytes, as the paragraph tells them. */
		fig(fo, "client_bytes_sent", q->request_bytes);
		fig(fo, "server_bytes_received", q->server_received);
	}
	fig(fo, "bytes_unread_at_close", q->bytes_unread_at_close);
	fig(fo, "bytes_lost", q->bytes_lost);
	fig(fo, "pattern_errors", q->pattern_errors);
}

static void print_write_timeout_figures(const struct figout *fo, const struct figures *f)
{
	const struct wt_figures *w = &f->wt;

	fig_div(fo, "write_blocked_ms", f->write_blocked_us, 1000);
	fig(fo, "partial_write_bytes", w->partial_write_bytes);
	fig_opt_dec1(fo, "write_timeout_fired_ms", w->write_timeout_us, 1000);
	fig_opt_dec1(fo, "user_timeout_fired_ms", w->user_timeout_us, 1000);
	if (f->server_seen)
		fig_int(fo, "client_closed", w->client_closed);
	fig_div(fo, "stall_ms", f->stall_us, 1000);
	fig(fo, "bytes_sent", f->bytes_sent);
	fig(fo, "bytes_received", f->bytes_received);
	/* An aborted connection loses what the send buffer held, as TCP_USER_TIMEOUT means. */
	if (w->aborted)
		fig(fo, "bytes_undelivered", w->bytes_undelivered);
	else
		fig(fo, "bytes_lost", f->bytes_lost);
	fig(fo, "pattern_errors", w->pattern_errors);
	/* Beyond the lesson's list: where the undelivered bytes were. */
	fig(fo, "sendq_at_user_timeout_bytes", w->sendq_at_user_timeout);
}

static void print_backpressure_figures(const struct figout *fo, const struct figures *f)
{
	const struct bp_figures *b = &f->bp;

	fig_int(fo, "clients", b->clients);
	fig_int(fo, "fast_clients", b->fast_clients);
	fig_int(fo, "slow_clients", b->slow_clients);
	fig(fo, "rss_start_kib", b->rss_start_kib);
	fig(fo, "rss_peak_kib", b->rss_peak_kib);
	fig(fo, "app_buffered_peak_bytes", b->app_peak);
	fig(fo, "kernel_sendq_peak_bytes", b->ksendq_peak);
	fig(fo, "paused_peak", b->paused_peak);
	fig(fo, "fast_clients_bytes_per_s", b->fast_bytes_per_s);
	fig(fo, "slow_clients_bytes", b->slow_bytes);
	fig(fo, "bytes_sent", b->bytes_sent);
	fig(fo, "bytes_received", b->bytes_received);
	fig(fo, "bytes_lost", b->bytes_lost);
	fig(fo, "pattern_errors", b->pattern_errors);
	/* Beyond the lesson's list: how often backpressure held a client back. */
	if (f->server_seen)
		fig_int(fo, "backpressure_pauses", b->pauses);
}

static void print_figures(FILE *out, const struct options *o, const struct figures *f)
{
	struct figout fo = { out, o->figure_prefix };

	fputs("\nFigures\n", out);
	switch (o->lesson) {
	case LESSON_REQUEST_RESPONSE:
	case LESSON_READ_TIMEOUT:
		print_request_figures(&fo, o->lesson, f);
		break;
	case LESSON_WRITE_TIMEOUT:
		print_write_timeout_figures(&fo, f);
		break;
	case LESSON_BACKPRESSURE:
		print_backpressure_figures(&fo, f);
		break;
	default:
		print_flow_figures(&fo, f);
		break;
	}
}

/* ---- --csv ---- */

/* RFC 4180: quoted only when it holds a comma, a quote or a line break. */
static void csv_str(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

static int column_cmp(const void *a, const void *b, void *arg)
{
	const struct column *col = arg;
	const struct column *x = &col[*(const size_t *)a], *y = &col[*(const size_t *)b];

	if (key_before(x->t_ns, x->seq, x->pos, y->t_ns, y->seq, y->pos))
		return -1;
	return key_before(y->t_ns, y->seq, y->pos, x->t_ns, x->seq, x->pos);
}

static int csv_row(FILE *out, const struct run *run, const struct event *e, const size_t *place,
		   const struct tl_field **cells, char **line, size_t *cap, char *err,
		   size_t errlen)
{
	struct logfile *lg = &run->logs[e->log];
	struct tl_event tev;
	char why[160], t_ms[48];
	const char *prog, *kind;

	if (fseeko(lg->fp, e->off, SEEK_SET) != 0 || getline(line, cap, lg->fp) < 0) {
		snprintf(err, errlen, "read(%s): %s", lg->path,
			 errno ? strerror(errno) : "the file got shorter");
		return -1;
	}
	if (tl_event_parse(*line, &tev, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: changed while being read: %s", lg->path, why);
		return -1;
	}
	prog = tl_event_str(&tev, "prog");
	kind = tl_event_str(&tev, "kind");
	memset(cells, 0, run->cols.n * sizeof(*cells));
	for (size_t i = 0; i < tev.n; i++) {
		long c = columns_find(&run->cols, tev.f[i].name);

		if (c >= 0)
			cells[place[c]] = &tev.f[i];
	}
	fputs(fmt_fixed(t_ms, sizeof(t_ms), e->t_ns - run->zero_ns, NS_PER_MS, 3), out);
	putc(',', out);
	csv_str(out, prog ? prog : "");
	putc(',', out);
	csv_str(out, kind ? kind : "");
	for (size_t c = 0; c < run->cols.n; c++) {
		putc(',', out);
		if (cells[c] == NULL)
			continue;
		if (cells[c]->is_str)
			csv_str(out, cells[c]->s);
		else
			fprintf(out, "%" PRId64, cells[c]->i);
	}
	putc('\n', out);
	tl_event_free(&tev);
	return 0;
}

static int write_csv(FILE *out, const struct run *run, const char *path, char *err,
		     size_t errlen)
{
	size_t ncol = run->cols.n;
	size_t *order = malloc((ncol + 1) * sizeof(*order));
	size_t *place = malloc((ncol + 1) * sizeof(*place));
	const struct tl_field **cells = malloc((ncol + 1) * sizeof(*cells));
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (order == NULL || place == NULL || cells == NULL) {
		snprintf(err, errlen, "--csv: out of memory");
		rc = -1;
		goto done;
	}
	for (size_t i = 0; i < ncol; i++)
		order[i] = i;
	qsort_r(order, ncol, sizeof(*order), column_cmp, run->cols.col);
	fputs("t_ms,prog,kind", out);
	for (size_t i = 0; i < ncol; i++) {
		place[order[i]] = i;
		putc(',', out);
		csv_str(out, run->cols.col[order[i]].name);
	}
	putc('\n', out);
	for (size_t i = 0; i < run->n && rc == 0; i++) {
		errno = 0;
		rc = csv_row(out, run, &run->ev[i], place, cells, &line, &cap, err, errlen);
	}
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		snprintf(err, errlen, "--csv: write(%s): %s", path, strerror(errno));
		rc = -1;
	}
done:
	free(line);
	free(cells);
	free(place);
	free(order);
	return rc;
}

/* ---- --plot: a gnuplot script that draws the timeline ---- */

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
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct point *p = realloc(s->p, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		s->p = p;
		s->cap = cap;
	}
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
	for (size_t i = 0; i < pl->blocked.n; i++) {
		char a[48], b[48];

		fprintf(out, "set object %zu rect from %s, graph 0 to %s, graph 1 fc rgb '#ffdddd' "
			"fs solid 0.5 noborder behind\n", i + 1,
			fmt_fixed(a, sizeof(a), pl->blocked.p[i].t_ns - zero_ns, NS_PER_S, 6),
			fmt_fixed(b, sizeof(b), pl->blocked.p[i].v - zero_ns, NS_PER_S, 6));
	}
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
	if (pl->blocked.n) {
		fputs(", \\\n     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5", out);
		gp_title(out, "write() blocked", "", "");
	}
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
	for (size_t i = 0; i < pl->shade.n; i++) {
		char a[48], b[48];

		fprintf(out, "set object %zu rect from %s, graph 0 to %s, graph 1 fc rgb '#ffdddd' "
			"fs solid 0.5 noborder behind\n", i + 1,
			fmt_fixed(a, sizeof(a), pl->shade.p[i].t_ns - zero_ns, NS_PER_S, 6),
			fmt_fixed(b, sizeof(b), pl->shade.p[i].v - zero_ns, NS_PER_S, 6));
	}
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
	if (pl->shade.n) {
		fputs(", \\\n     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5", out);
		gp_title(out, shade, "", "");
	}
	putc('\n', out);
}

static int plot_run(FILE *out, const struct run *run, const struct options *o, char *err,
		    size_t errlen)
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

/* ---- --follow: the table, row by row, while the logs grow ---- */

#define FOLLOW_POLL_NS (20 * NS_PER_MS)
/* An event is shown once it is this old. A log is not in time order: a blocked write is
 * stamped at its call's start but logged a millisecond or more later; and two logs are read
 * one after the other. */
#define FOLLOW_HOLD_BACK_NS (150 * NS_PER_MS)
#define FOLLOW_READ_CHUNK 65536

static volatile sig_atomic_t follow_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* One LOG as it grows. */
struct tail {
	int fd;                     /* -1 until the file exists */
	char *buf;                  /* read, not yet a whole line */
	size_t len, cap;
	size_t lineno;
	off_t got;                  /* bytes read from the file */
	int ended;                  /* its end event has been read */
	int owe_newline;            /* a line was taken without its newline (follow_partial) */
};

struct follow {
	const struct options *o;
	struct run run;             /* events read and not yet shown; the LOG names */
	struct tail *tails;
	struct rows rows;
	int started;                /* the header is out: rows knows the zero of time */
	int wire;                   /* a capture's event has been read: the Wire column */
	struct opt start_t0;        /* the earliest t0_ns of the start events read */
	struct tl_event **retired;  /* fields of shown events, while rows may hold them */
	size_t nretired, capretired;
};

static void follow_free_retired(struct follow *fw)
{
	for (size_t i = 0; i < fw->nretired; i++) {
		tl_event_free(fw->retired[i]);
		free(fw->retired[i]);
	}
	fw->nretired = 0;
}

static int follow_retire(struct follow *fw, struct tl_event *fields)
{
	if (fw->nretired == fw->capretired) {
		size_t cap = fw->capretired ? fw->capretired * 2 : 16;
		struct tl_event **p = realloc(fw->retired, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		fw->retired = p;
		fw->capretired = cap;
	}
	fw->retired[fw->nretired++] = fields;
	return 0;
}

/* One whole line of log li, parsed as a finished run's lines are. */
static int follow_line(struct follow *fw, size_t li, const char *line, char *err,
		       size_t errlen)
{
	struct run *run = &fw->run;
	struct event *e;
	struct opt t0;

	if (is_blank(line))
		return 0;
	if (add_line(run, li, fw->tails[li].lineno, 0, line, fw->o, err, errlen) < 0)
		return -1;
	e = &run->ev[run->n - 1];
	/* Before --t0: a line left in the file by an earlier run, whose end must not end this. */
	if (fw->o->have_t0 && e->t_ns < fw->o->t0_ns) {
		if (e->fields) {
			tl_event_free(e->fields);
			free(e->fields);
		}
		run->n--;
		return 0;
	}
	t0 = field_opt(e, "t0_ns");
	if (e->kind == K_START && t0.has && (!fw->start_t0.has || t0.v < fw->start_t0.v))
		fw->start_t0 = t0;
	if (e->side == SIDE_WIRE)
		fw->wire = 1;
	if (e->kind == K_END)
		fw->tails[li].ended = 1;
	return 0;
}

/* Parse the whole lines in log li's buffer; keep the partial last one for next time. */
static int follow_lines(struct follow *fw, size_t li, char *err, size_t errlen)
{
	struct tail *tl = &fw->tails[li];
	size_t at = 0;
	char *nl;

	if (tl->owe_newline && tl->len > 0) {
		at = tl->buf[0] == '\n';      /* the end of a line already taken */
		tl->owe_newline = 0;
	}
	while ((nl = memchr(tl->buf + at, '\n', tl->len - at)) != NULL) {
		*nl = '\0';
		tl->lineno++;
		if (follow_line(fw, li, tl->buf + at, err, errlen) < 0)
			return -1;
		at = (size_t)(nl - tl->buf) + 1;
	}
	memmove(tl->buf, tl->buf + at, tl->len - at);
	tl->len -= at;
	return 0;
}

/* A last line without its newline may be where its log ends (a finished run takes it too).
 * Taken once it is a whole object: a line cut short never is, as it lacks its closing brace,
 * the only one outside a string. */
static int follow_partial(struct follow *fw, size_t li, char *err, size_t errlen)
{
	struct tail *tl = &fw->tails[li];
	struct tl_event tev;
	char why[160];

	if (tl->len == 0)
		return 0;
	tl->buf[tl->len] = '\0';        /* follow_read keeps a byte for it */
	if (is_blank(tl->buf) || tl_event_parse(tl->buf, &tev, why, sizeof(why)) < 0)
		return 0;
	tl_event_free(&tev);
	tl->lineno++;
	tl->len = 0;
	tl->owe_newline = 1;
	return follow_line(fw, li, tl->buf, err, errlen);
}

/* Read what log li gained since last time (nothing if it does not exist yet). */
static int follow_read(struct follow *fw, size_t li, char *err, size_t errlen)
{
	struct tail *tl = &fw->tails[li];
	const char *path = fw->run.logs[li].path;
	struct stat st;

	if (tl->fd < 0) {
		tl->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (tl->fd < 0 && errno == ENOENT)
			return 0;       /* its program has not started yet */
		if (tl->fd < 0) {
			snprintf(err, errlen, "open(%s): %s", path, strerror(errno));
			return -1;
		}
	}
	/* Shorter than what was read: a new run of its program truncated it. Start over. */
	if (fstat(tl->fd, &st) == 0 && st.st_size < tl->got && lseek(tl->fd, 0, SEEK_SET) == 0) {
		tl->got = 0;
		tl->len = 0;
		tl->lineno = 0;
		tl->ended = 0;
		tl->owe_newline = 0;
	}
	for (;;) {
		ssize_t got;

		if (tl->cap - tl->len < FOLLOW_READ_CHUNK + 1) {
			size_t cap = tl->len + FOLLOW_READ_CHUNK + 1;
			char *p = realloc(tl->buf, cap);

			if (p == NULL) {
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			tl->buf = p;
			tl->cap = cap;
		}
		got = read(tl->fd, tl->buf + tl->len, FOLLOW_READ_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "read(%s): %s", path, strerror(errno));
			return -1;
		}
		if (got == 0)
			return follow_partial(fw, li, err, errlen);
		tl->got += got;
		tl->len += (size_t)got;
		if (follow_lines(fw, li, err, errlen) < 0)
			return -1;
	}
}

/* Every program has ended: what is left of a last line is parsed as a finished run would,
 * and a malformed one is an error with its file and line. */
static int follow_last_lines(struct follow *fw, char *err, size_t errlen)
{
	for (size_t li = 0; li < fw->run.nlogs; li++) {
		struct tail *tl = &fw->tails[li];

		if (tl->len == 0)
			continue;
		tl->buf[tl->len] = '\0';        /* follow_read keeps a byte for it */
		tl->lineno++;
		tl->len = 0;
		if (follow_line(fw, li, tl->buf, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The header, once the first rows are due: by then the start events have given the zero of
 * time, and a capture, started before the connection, has logged its first events. */
static void follow_begin(struct follow *fw)
{
	int64_t zero = fw->run.n ? fw->run.ev[0].t_ns : 0;

	if (fw->o->have_t0)
		zero = fw->o->t0_ns;
	else if (fw->start_t0.has)
		zero = fw->start_t0.v;
	rows_init(&fw->rows, stdout, fw->o, zero, fw->wire);
	table_header(&fw->rows.t);
	fw->started = 1;
}

/* Show, in time order, the events older than `horizon` (all of them with `all`). */
static int follow_show(struct follow *fw, int64_t horizon, int all, char *err, size_t errlen)
{
	struct run *run = &fw->run;
	size_t k = 0;

	if (run->n > 1)
		qsort(run->ev, run->n, sizeof(run->ev[0]), event_cmp);
	while (k < run->n && (all || run->ev[k].t_ns < horizon))
		k++;
	if (k == 0 && !all)
		return 0;
	if (!fw->started)
		follow_begin(fw);
	for (size_t i = 0; i < k; i++) {
		if (rows_feed(&fw->rows, &run->ev[i]) < 0 ||
		    (run->ev[i].fields && follow_retire(fw, run->ev[i].fields) < 0)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		run->ev[i].fields = NULL;
	}
	if (k > 0)
		memmove(run->ev, run->ev + k, (run->n - k) * sizeof(run->ev[0]));
	run->n -= k;
	if (all)
		rows_finish(&fw->rows);
	else
		rows_advance(&fw->rows, horizon);
	if (rows_idle(&fw->rows))
		follow_free_retired(fw);
	if (fflush(stdout) != 0) {
		snprintf(err, errlen, "write(stdout): %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void follow_sleep(void)
{
	struct timespec ts = { 0, FOLLOW_POLL_NS };

	nanosleep(&ts, NULL);   /* a signal cuts it short: the loop looks at follow_stop */
}

static void follow_free(struct follow *fw)
{
	for (size_t i = 0; fw->tails && i < fw->run.nlogs; i++) {
		if (fw->tails[i].fd >= 0)
			close(fw->tails[i].fd);
		free(fw->tails[i].buf);
	}
	free(fw->tails);
	follow_free_retired(fw);
	free(fw->retired);
	rows_free(&fw->rows);
	run_free(&fw->run);
}

/* The lessons of a server and its clients have no live rows (who is who, and backpressure's
 * peaks, are known only from whole logs): their table comes whole, once the logs have ended. */
static int follow_whole(struct follow *fw, char *err, size_t errlen)
{
	struct run *run = &fw->run;
	struct figures f;
	int rc;

	assign_parties(run, fw->o);
	if (run->n > 0)
		qsort_r(run->ev, run->n, sizeof(run->ev[0]), event_cmp_when,
			(void *)&fw->o->lesson);
	run->zero_ns = zero_of_time(run, fw->o);
	rc = compute_figures(run, fw->o->lesson, &f);
	if (rc == 0)
		rc = print_table(stdout, run, fw->o, &f);
	figures_free(&f);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (fflush(stdout) != 0) {
		snprintf(err, errlen, "write(stdout): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Until every LOG has its end event, or SIGINT/SIGTERM: read what the logs gained, show the
 * rows that are due, wait. */
static int follow(const struct options *o, char *err, size_t errlen)
{
	int whole = server_lesson(o->lesson);
	struct follow fw;
	struct sigaction sa;
	int rc = 0, ended = 0;

	memset(&fw, 0, sizeof(fw));
	fw.o = o;
	fw.run.nlogs = o->nlogs;
	fw.run.logs = calloc(o->nlogs, sizeof(*fw.run.logs));
	fw.tails = calloc(o->nlogs, sizeof(*fw.tails));
	if (fw.run.logs == NULL || fw.tails == NULL) {
		snprintf(err, errlen, "out of memory");
		follow_free(&fw);
		return -1;
	}
	for (size_t i = 0; i < o->nlogs; i++) {
		fw.run.logs[i].path = o->logs[i];
		fw.tails[i].fd = -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;         /* no SA_RESTART: the sleep ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);               /* a closed pipe is a write error, not death */
	if (whole) {
		printf("(the %s lesson has no live rows: its table follows once every log has "
		       "ended)\n", lesson_names[o->lesson]);
		fflush(stdout);
	}
	while (rc == 0 && !ended && !follow_stop) {
		ended = 1;
		for (size_t i = 0; i < o->nlogs && rc == 0; i++) {
			rc = follow_read(&fw, i, err, errlen);
			ended &= fw.tails[i].ended;
		}
		if (rc == 0 && !ended) {
			if (!whole)
				rc = follow_show(&fw, (int64_t)timeline_now_ns() -
						 FOLLOW_HOLD_BACK_NS, 0, err, errlen);
			if (rc == 0 && !follow_stop)
				follow_sleep();
		}
	}
	/* A signal leaves a partial last line out: its program may be writing it. */
	if (rc == 0 && ended)
		rc = follow_last_lines(&fw, err, errlen);
	if (rc == 0)
		rc = whole ? follow_whole(&fw, err, errlen) : follow_show(&fw, 0, 1, err, errlen);
	follow_free(&fw);
	return rc;
}

/* ---- the command line ---- */

static void usage(FILE *out)
{
	fputs("Usage: " ME " [--lesson NAME] [--all] [--csv FILE] [--plot FILE] [--t0 NS]\n"
	      "                     [--receiver PROG] [--sender PROG] [--figure-prefix P]\n"
	      "                     [--no-table] LOG...\n"
	      "       " ME " --follow [--lesson NAME] [--all] [--t0 NS] [--receiver PROG]\n"
	      "                     [--sender PROG] LOG...\n"
	      "       " ME " --now\n"
	      "\n"
	      "Merge the JSON Lines logs of a flowlab scenario on their shared clock and tell the\n"
	      "lesson: buffer sizes, a table of the moments where something changed, a summary\n"
	      "paragraph, and the figures as name=value lines. With the log of a capture (prog\n"
	      CAPTURE_PROG "), the table gains a Wire column (the window the receiver really\n"
	      "advertised) and rows for its zero windows, the sender's probes and the window\n"
	      "update, and the summary and the figures (wire_*) say what crossed the wire.\n"
	      "\n"
	      "  --lesson NAME    window_zero: the receive buffer fills and the window falls to 0\n"
	      "                   (the default); blocked_write: the send buffer fills and write()\n"
	      "                   blocks. The lessons of a server (fast_peer, role listen) and\n"
	      "                   its clients, told apart by program and start role:\n"
	      "                   request_response: the request waits in the server's receive\n"
	      "                   buffer, the response in its send buffer (client slow_writer);\n"
	      "                   read_timeout: a client stops writing mid-request, the server's\n"
	      "                   read timeout (slow_writer); write_timeout: a client stops\n"
	      "                   reading, the server's write timeout or TCP_USER_TIMEOUT\n"
	      "                   (slow_reader); backpressure: a server of many clients, fast\n"
	      "                   (fast_peer) and slow (slow_reader), its memory and\n"
	      "                   backpressure.\n"
	      "                   --follow shows the first two live; the others' table comes once\n"
	      "                   every LOG has ended\n"
	      "  --figure-prefix P  put P before every figure's name (naive_stall_ms=...), to\n"
	      "                   print two runs' figures side by side: letters, digits, '_',\n"
	      "                   '-' and '.'\n"
	      "  --all            a table row for every sample, not only where something changes\n"
	      "  --csv FILE       also write the merged timeline as CSV, one row per event\n"
	      "  --plot FILE      also write a gnuplot script, its data inline, that draws the\n"
	      "                   timeline: 'gnuplot FILE' writes FILE with .gp replaced by .svg\n"
	      "  --follow         print the table alone, row by row as the LOGs grow (they need not\n"
	      "                   exist yet): an event is shown once it is 150 ms old; stop when\n"
	      "                   every LOG has its end event, or on SIGINT/SIGTERM. Lines stamped\n"
	      "                   before --t0 are left out (logs left by an earlier run)\n"
	      "  --t0 NS          zero of time in CLOCK_MONOTONIC ns (default: the scenario's\n"
	      "                   start, else the first event)\n"
	      "  --receiver PROG  the program whose events are the receiver's (slow_reader), in\n"
	      "                   window_zero and blocked_write\n"
	      "  --sender PROG    the program whose events are the sender's (fast_peer), likewise\n"
	      "  --no-table       leave the table out\n"
	      "  --now            print CLOCK_MONOTONIC now in ns and exit\n"
	      "  --help           print this help and exit\n", out);
}

static int bad_value(const char *flag, const char *value, const char *hint)
{
	fprintf(stderr, ME ": %s: bad value '%s': %s\n", flag, value, hint);
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
	OPT_NO_TABLE, OPT_NOW, OPT_HELP, OPT_FIGURE_PREFIX
};

/* A prefix keeps a figure's name one word a script can split at '='. */
static int good_prefix(const char *s)
{
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")] ==
	       '\0';
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
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->lesson = LESSON_WINDOW_ZERO;
	o->figure_prefix = "";
	o->receiver = "slow_reader";
	o->sender = "fast_peer";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LESSON:
			o->lesson = LESSON_COUNT;
			for (int l = 0; l < LESSON_COUNT; l++)
				if (strcmp(optarg, lesson_names[l]) == 0)
					o->lesson = (enum lesson)l;
			if (o->lesson == LESSON_COUNT)
				return bad_value("--lesson", optarg,
						 "use window_zero, blocked_write, "
						 "request_response, read_timeout, "
						 "write_timeout or backpressure");
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
		case ':':
			fprintf(stderr, ME ": %s: needs a value (see --help)\n", argv[optind - 1]);
			return 2;
		default:
			return bad_option(argv[optind - 1], optopt);
		}
	}
	o->logs = argv + optind;
	o->nlogs = (size_t)(argc - optind);
	if (!o->help && !o->now && o->nlogs == 0) {
		fprintf(stderr, ME ": no LOG given (see --help)\n");
		return 2;
	}
	if (o->follow && (o->csv || o->plot || o->no_table)) {
		fprintf(stderr, ME ": --follow prints the table alone: leave out %s (see --help)\n",
			o->csv ? "--csv" : o->plot ? "--plot" : "--no-table");
		return 2;
	}
	return 0;
}

/* ---- main ---- */

/* Open --csv or --plot before printing anything: a bad path fails with nothing half done. */
static int open_output(FILE **fp, const char *flag, const char *path, char *err, size_t errlen)
{
	*fp = fopen(path, "w");
	if (*fp != NULL)
		return 0;
	snprintf(err, errlen, "%s: open(%s): %s", flag, path, strerror(errno));
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

static int render(const struct options *o, char *err, size_t errlen)
{
	struct run run;
	struct figures f;
	FILE *csv = NULL, *plot = NULL;
	int rc;

	memset(&run, 0, sizeof(run));
	memset(&f, 0, sizeof(f));
	rc = run_load(&run, o, err, errlen);
	if (rc == 0 && o->csv)
		rc = open_output(&csv, "--csv", o->csv, err, errlen);
	if (rc == 0 && o->plot)
		rc = open_output(&plot, "--plot", o->plot, err, errlen);
	if (rc == 0 && compute_figures(&run, o->lesson, &f) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (rc == 0) {
		int buffers = print_buffers(stdout, o, &f);

		if (!o->no_table) {
			if (buffers)
				putc('\n', stdout);
			rc = print_table(stdout, &run, o, &f);
		}
		if (print_summary(stdout, o, &f) < 0)
			rc = -1;
		print_figures(stdout, o, &f);
		if (rc < 0)
			snprintf(err, errlen, "out of memory");
	}
	if (rc == 0 && csv) {
		fflush(stdout);         /* the report first, should --csv be the terminal too */
		rc = write_csv(csv, &run, o->csv, err, errlen);
	}
	if (rc == 0 && plot)
		rc = plot_run(plot, &run, o, err, errlen);
	rc = close_output(csv, "--csv", o->csv, rc, err, errlen);
	rc = close_output(plot, "--plot", o->plot, rc, err, errlen);
	figures_free(&f);
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
	rc = (o.follow ? follow(&o, err, sizeof(err)) : render(&o, err, sizeof(err))) < 0 ? 1 : 0;
	if (rc != 0)
		fprintf(stderr, ME ": %s\n", err);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, ME ": write(stdout): %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}
