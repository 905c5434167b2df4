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

enum lesson { LESSON_WINDOW_ZERO, LESSON_BLOCKED_WRITE };

struct options {
	enum lesson lesson;
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
	K_WIRE, K_COUNT
};

static const char *const kind_names[K_COUNT] = {
	[K_START] = "start", [K_SOCKET] = "socket", [K_SAMPLE] = "sample", [K_STEP] = "step",
	[K_STALL_BEGIN] = "stall_begin", [K_STALL_END] = "stall_end", [K_READ] = "read",
	[K_WRITE] = "write", [K_WRITE_BLOCKED] = "write_blocked",
	[K_WRITE_RESUMED] = "write_resumed", [K_EOF] = "eof", [K_CLOSE] = "close",
	[K_TIMEOUT] = "timeout", [K_WARNING] = "warning", [K_ERROR] = "error", [K_END] = "end",
	[K_WIRE] = "wire",
};

/* The numbers the lesson needs from the frequent kinds, kept in an event's v[] by slot. */
enum { NSLOT = 5 };
enum { S_RECVQ, S_SENDQ, S_NOTSENT, S_SNDWND, S_BACKOFF };      /* sample */
enum { IO_BYTES, IO_DUR_NS };                                   /* read, write */
enum { STALL_FOR_US = 0 };                                      /* stall_begin */
enum { BLOCKED_DETECTED_NS = 0 };                               /* write_blocked */
enum { RESUMED_BLOCKED_US = 0 };                                /* write_resumed */
enum { W_WINDOW, W_LEN, W_CLASS, W_FROM };                      /* wire (see wire_decode) */

static const char *const slot_fields[K_COUNT][NSLOT] = {
	[K_SAMPLE] = { "recvq_bytes", "sendq_bytes", "notsent_bytes", "snd_wnd", "backoff" },
	[K_READ] = { "bytes", "dur_ns" },
	[K_WRITE] = { "bytes", "dur_ns" },
	[K_STALL_BEGIN] = { "for_us" },
	[K_WRITE_BLOCKED] = { "detected_ns" },
	[K_WRITE_RESUMED] = { "blocked_us" },
	[K_WIRE] = { "window_bytes", "len" },
};

/* Kinds a run has only a handful of: they keep every field, for notes and the buffer block. */
static const unsigned char keeps_fields[K_COUNT] = {
	[K_START] = 1, [K_SOCKET] = 1, [K_STEP] = 1, [K_CLOSE] = 1, [K_TIMEOUT] = 1,
	[K_WARNING] = 1, [K_ERROR] = 1, [K_END] = 1,
};

enum side { SIDE_OTHER, SIDE_READER, SIDE_WRITER, SIDE_WIRE };

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
	FILE *fp;
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
	if (run->n > 0)
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
	for (size_t i = 0; i < run->nlogs; i++)
		if (run->logs[i].fp)
			fclose(run->logs[i].fp);
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

/* 0, or -1 when out of memory; free with figures_free either way. */
static int compute_figures(const struct run *run, struct figures *f)
{
	struct opt drain = drain_start(run);

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < run->n; i++) {
		if (run->ev[i].side == SIDE_READER)
			f->reader_seen = 1;
		if (run->ev[i].side == SIDE_WRITER)
			f->writer_seen = 1;
	}
	figures_buffers(run, f);
	figures_window(run, f);
	figures_writes(run, f);
	figures_resume(run, drain, f);
	figures_totals(run, f);
	return figures_wire(run, drain, f);
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

static void print_buffers(FILE *out, const struct options *o, const struct figures *f)
{
	char label[96];

	fputs("Buffer sizes", out);
	fprintf(out, "%*s", 30 + 2 - (int)strlen("Buffer sizes") + 2, "");
	put_cell(out, "asked for", 15, 0);
	put_cell(out, "kernel set", 26, 0);
	fputs("reference document\n", out);
	fputs("  ", out);
	snprintf(label, sizeof(label), "receive buffer (%s)", o->receiver);
	print_buffer_line(out, label, f->reader_socket, f->rcvbuf_requested, f->rcvbuf_actual);
	fputs("  ", out);
	snprintf(label, sizeof(label), "send buffer (%s)", o->sender);
	print_buffer_line(out, label, f->writer_socket, f->sndbuf_requested, f->sndbuf_actual);
	fputs("  ", out);
	put_cell(out, "congestion control", 30, 0);
	fputs(f->cc ? f->cc : "not in the log", out);
	if (f->cc && f->cc_requested && strcmp(f->cc, f->cc_requested) != 0)
		fprintf(out, " (asked for %s)", f->cc_requested);
	putc('\n', out);
}

/* ---- the table ---- */

enum wstate { W_UNKNOWN, W_SENDING, W_BLOCKED, W_UNBLOCKED, W_DONE };

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
	COL_QUEUED, COL_NETWORK, COL_WRITE, COL_LAST_WRITE
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

enum { MAX_COLS = 8 };

struct table {
	FILE *out;
	const struct options *o;
	int64_t zero_ns;
	const struct coldef *cols[MAX_COLS];
	size_t ncols;
};

/* The lesson's columns; the Wire column only when there is a capture to fill it. */
static void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns,
		       int wire)
{
	int wz = o->lesson == LESSON_WINDOW_ZERO;
	const struct coldef *cols = wz ? wz_cols : bw_cols;
	size_t n = wz ? sizeof(wz_cols) / sizeof(wz_cols[0]) : sizeof(bw_cols) / sizeof(bw_cols[0]);

	memset(t, 0, sizeof(*t));
	t->out = out;
	t->o = o;
	t->zero_ns = zero_ns;
	for (size_t i = 0; i < n; i++)
		if (cols[i].id != COL_WIRE || wire)
			t->cols[t->ncols++] = &cols[i];
}

static const char *who(enum side side)
{
	return side == SIDE_READER ? "reader" : side == SIDE_WIRE ? "capture" : "writer";
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
		note_add(n, "first look at the reader's socket");
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
		note_add(n, "first look at the writer's socket");
	w->writer_sampled = 1;
	if (w->wstate == W_UNKNOWN)
		w->wstate = W_SENDING;
	if (wnd.has) {
		if (wnd.v == 0 && (!w->snd_wnd.has || w->snd_wnd.v != 0))
			note_add(n, "the window falls to 0: the reader has no room left, so the "
				 "writer may send no more");
		else if (wnd.v != 0 && w->snd_wnd.has && w->snd_wnd.v == 0)
			note_add(n, "the window opens again (%s): the writer may send",
				 fmt_size(a, sizeof(a), wnd.v));
		w->snd_wnd = wnd;
	}
	if (bo.has) {
		int first = !w->backoff.has || w->backoff.v == 0;

		if (w->backoff.has ? bo.v != w->backoff.v : bo.v > 0) {
			if (bo.v > 0)
				note_add(n, "persist timer backs off: backoff %" PRId64 "%s", bo.v,
					 first ? " (the writer probes the closed window, "
						 "less and less often)" : "");
			else
				note_add(n, "persist timer stops probing: backoff 0");
		}
		w->backoff = bo;
	}
	if (t->o->lesson == LESSON_BLOCKED_WRITE)
		view_quarter(w, w->sendq, w->sndbuf, "send buffer", n);
}

static void view_io(struct view *w, const struct event *e, struct note *n)
{
	struct opt bytes = slot_opt(e, IO_BYTES), dur = slot_opt(e, IO_DUR_NS);
	char a[48], b[48];

	if (e->kind == K_WRITE && e->side == SIDE_WRITER) {
		if (dur.has)
			w->last_write_ns = dur;
		if (w->wstate == W_UNKNOWN)
			w->wstate = W_SENDING;
	}
	if (e->kind != K_READ || e->side != SIDE_READER || !w->read_row_due)
		return;
	w->read_row_due = 0;
	if (!bytes.has)
		note_add(n, "reader reads");
	else if (!dur.has)
		note_add(n, "reader reads %s", fmt_size(a, sizeof(a), bytes.v));
	else
		note_add(n, "reader reads %s (read took %s)", fmt_size(a, sizeof(a), bytes.v),
			 fmt_dur(b, sizeof(b), dur.v));
}

static void view_blocking(struct view *w, const struct event *e, struct note *n)
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
		note_add(n, "write() goes on after waiting %s", fmt_dur(a, sizeof(a), us.v * 1000));
	else
		note_add(n, "write() goes on");
}

static void view_plan(struct view *w, const struct event *e, struct note *n)
{
	struct opt us = slot_opt(e, STALL_FOR_US), step = field_opt(e, "step");
	const char *what = field_str(e, "what");
	const char *verb = e->side == SIDE_READER ? "reading" : "writing";
	char a[48];

	switch (e->kind) {
	case K_STALL_BEGIN:
		if (us.has)
			note_add(n, "%s stops %s for %s", who(e->side), verb,
				 fmt_dur(a, sizeof(a), us.v * 1000));
		else
			note_add(n, "%s stops %s", who(e->side), verb);
		break;
	case K_STALL_END:
		note_add(n, "%s starts %s again", who(e->side), verb);
		break;
	default:
		if (what)
			note_add(n, "%s: %s", who(e->side), what);
		else if (step.has)
			note_add(n, "%s: step %" PRId64, who(e->side), step.v);
		else
			note_add(n, "%s: next step", who(e->side));
		break;
	}
	if (e->side == SIDE_READER && e->kind != K_STALL_BEGIN)
		w->read_row_due = 1;
}

/* eof, close, timeout, warning, error, end. */
static void view_ending(struct view *w, const struct event *e, struct note *n)
{
	const char *s = who(e->side), *peer = e->side == SIDE_READER ? "writer" : "reader";
	const char *call = field_str(e, "call"), *text, *name;
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
		v = field_opt(e, "after_us");
		note_add(n, "%s: %s%s timeout fires%s%s", s, text ? "the " : "a", text ? text : "",
			 v.has ? " after " : "", v.has ? fmt_dur(a, sizeof(a), v.v * 1000) : "");
		break;
	case K_WARNING:
		/* timeline.h says "text"; timeline_errno() writes "errno_text". */
		text = field_str(e, "text");
		if (text == NULL)
			text = field_str(e, "errno_text");
		if (text == NULL)
			text = field_str(e, "errno_name");
		note_add(n, "%s: warning: %s%s%s", s, call ? call : "", call && text ? ": " : "",
			 text ? text : "");
		break;
	case K_ERROR:
		text = field_str(e, "errno_text");
		name = field_str(e, "errno_name");
		note_add(n, "%s: %s failed: %s%s%s%s", s, call ? call : "a call",
			 text ? text : name ? name : "unknown error", text && name ? " (" : "",
			 text && name ? name : "", text && name ? ")" : "");
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
static const char *wire_who(enum side from)
{
	return from == SIDE_READER ? "the reader" : from == SIDE_WRITER ? "the writer" : "one side";
}

/* A wire segment: the Wire column follows what the reader advertises, and only the segments
 * that tell the lesson get a row (data and acks would bury it). */
static void view_wire(struct view *w, const struct event *e, struct note *n)
{
	struct opt wnd = slot_opt(e, W_WINDOW), len = slot_opt(e, W_LEN), gap;
	enum side from = wire_from(e);
	char a[48];

	if (from == SIDE_READER && wnd.has)
		w->wire_window = wnd;
	else if (from == SIDE_READER && wire_class(e) == WC_ZERO_WINDOW)
		opt_set(&w->wire_window, 0);        /* no handshake seen: unscaled, but 0 is 0 */
	switch (wire_track_step(&w->wire, e, &gap)) {
	case WS_CLOSED:
		note_add(n, "on the wire: the reader advertises window 0");
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
		note_add(n, "on the wire: %s retransmits %s", wire_who(from),
			 fmt_size(a, sizeof(a), len.v));
	else if (wire_class(e) == WC_RETRANSMISSION)
		note_add(n, "on the wire: %s retransmits a segment", wire_who(from));
	else if (wire_class(e) == WC_RST)
		note_add(n, "on the wire: %s resets the connection (RST)", wire_who(from));
}

static void view_apply(struct view *w, const struct event *e, const struct table *t,
		       struct note *n)
{
	if (e->side == SIDE_OTHER)
		return;
	if (e->side == SIDE_WIRE) {
		if (e->kind == K_WIRE)
			view_wire(w, e, n);
		else if (e->kind == K_WARNING || e->kind == K_ERROR || e->kind == K_END)
			view_ending(w, e, n);
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
		view_io(w, e, n);
		break;
	case K_WRITE_BLOCKED:
	case K_WRITE_RESUMED:
		view_blocking(w, e, n);
		break;
	case K_STALL_BEGIN:
	case K_STALL_END:
	case K_STEP:
		view_plan(w, e, n);
		break;
	case K_EOF:
	case K_CLOSE:
	case K_TIMEOUT:
	case K_WARNING:
	case K_ERROR:
	case K_END:
		view_ending(w, e, n);
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

	if (t->o->lesson == LESSON_WINDOW_ZERO)
		fprintf(t->out, "Receive buffer flow control: what %s's buffer held, what %s "
			"saw (time in s)\n", t->o->receiver, t->o->sender);
	else
		fprintf(t->out, "Send buffer flow control: what %s's send buffer held and what "
			"write() did (time in s)\n", t->o->sender);
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
}

static void rows_show(struct rows *r, const struct event *e)
{
	struct note n = { "", 0 };
	int sample = e->kind == K_SAMPLE && (e->side == SIDE_READER || e->side == SIDE_WRITER);

	view_apply(&r->w, e, &r->t, &n);
	if (n.len || (r->t.o->all && sample))
		table_row(&r->t, &r->w, e->t_ns, n.s);
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
	r.w.rcvbuf = f->rcvbuf_actual;      /* a finished run knows its buffers from the start */
	r.w.sndbuf = f->sndbuf_actual;
	table_header(&r.t);
	for (size_t i = 0; i < run->n && rc == 0; i++)
		rc = rows_feed(&r, &run->ev[i]);
	rows_finish(&r);
	rows_free(&r);
	return rc;
}

/* ---- the summary paragraph ---- */

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

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

static void story_bytes(struct text *t, const struct figures *f)
{
	const char *sep = " ";
	char a[48];
	int words = 0;

	if (f->bytes_sent.has) {
		text_add(t, "%s%s bytes sent", sep, fmt_count(a, sizeof(a), f->bytes_sent.v));
		sep = ", ";
		words = 1;
	}
	if (f->bytes_received.has) {
		text_add(t, "%s%s%s received%s", sep, fmt_count(a, sizeof(a), f->bytes_received.v),
			 words ? "" : " bytes", f->pattern_errors.has ? " and checked" : "");
		sep = ", ";
		words = 1;
	}
	if (f->bytes_lost.has) {
		text_add(t, "%s%s lost", sep, fmt_count(a, sizeof(a), f->bytes_lost.v));
		sep = ", ";
	}
	if (f->pattern_errors.has) {
		text_add(t, "%s%s pattern %s", sep, fmt_count(a, sizeof(a), f->pattern_errors.v),
			 plural(f->pattern_errors.v, "error", "errors"));
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		text_add(t, ".");
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

static int print_summary(FILE *out, const struct options *o, const struct figures *f)
{
	struct text t = { NULL, 0, 0, 0 };

	if (!f->reader_seen)
		text_add(&t, "No event in these logs is from %s (see --receiver). ", o->receiver);
	if (!f->writer_seen)
		text_add(&t, "No event in these logs is from %s (see --sender). ", o->sender);
	if (o->lesson == LESSON_WINDOW_ZERO)
		story_window_zero(&t, f);
	else
		story_blocked_write(&t, f);
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

static void fig(FILE *out, const char *name, struct opt v)
{
	if (v.has)
		fprintf(out, "%s=%" PRId64 "\n", name, v.v);
}

/* A figure kept in a finer unit, printed rounded to a coarser one (us -> ms). */
static void fig_div(FILE *out, const char *name, struct opt v, int64_t per)
{
	if (v.has)
		fprintf(out, "%s=%" PRId64 "\n", name, div_round(v.v, per));
}

/* num / den with one decimal, when both are known and den > 0. */
static void fig_dec1(FILE *out, const char *name, int has, int64_t num, int64_t den)
{
	char a[48];

	if (has && den > 0)
		fprintf(out, "%s=%s\n", name, fmt_fixed(a, sizeof(a), num, den, 1));
}

static void fig_side(FILE *out, const char *side, const struct side_end *s)
{
	char name[48];

	snprintf(name, sizeof(name), "%s_cpu_user_us", side);
	fig(out, name, s->cpu_user_us);
	snprintf(name, sizeof(name), "%s_cpu_sys_us", side);
	fig(out, name, s->cpu_sys_us);
	snprintf(name, sizeof(name), "%s_wall_ms", side);
	fig_div(out, name, s->wall_us, 1000);
	snprintf(name, sizeof(name), "%s_cpu_pct", side);
	fig_dec1(out, name, s->cpu_user_us.has && s->cpu_sys_us.has && s->wall_us.has,
		 (s->cpu_user_us.v + s->cpu_sys_us.v) * 100, s->wall_us.v);
	snprintf(name, sizeof(name), "%s_samples", side);
	fig(out, name, s->samples);
	snprintf(name, sizeof(name), "%s_sample_cpu_us", side);
	fig(out, name, s->sample_cpu_us);
	snprintf(name, sizeof(name), "%s_sample_cpu_pct", side);
	fig_dec1(out, name, s->sample_cpu_us.has && s->wall_us.has, s->sample_cpu_us.v * 100,
		 s->wall_us.v);
}

/* The capture's figures: none at all without wire events. */
static void print_wire_figures(FILE *out, const struct figures *f)
{
	const char *sep = "probe_intervals_ms=";

	if (f->wire_segments == 0)
		return;
	fprintf(out, "wire_segments=%" PRId64 "\n", f->wire_segments);
	fprintf(out, "wire_zero_window_segments=%" PRId64 "\n", f->wire_zero_windows);
	fprintf(out, "wire_probes=%" PRId64 "\n", f->wire_probes);
	fprintf(out, "wire_window_updates=%" PRId64 "\n", f->wire_updates);
	fprintf(out, "wire_retransmissions=%" PRId64 "\n", f->wire_retransmissions);
	fig_div(out, "wire_first_zero_window_ms", f->wire_first_zero_window_at_ns, NS_PER_MS);
	fig_div(out, "wire_window_update_after_read_us", f->wire_update_after_read_ns, NS_PER_US);
	/* Between consecutive probes only: the first probe's wait since the window closed is
	 * the persist timer's first timeout, not an interval between probes. */
	for (size_t i = 0; i < f->nprobe_gaps; i++) {
		if (f->probe_gaps[i].after_close)
			continue;
		fprintf(out, "%s%" PRId64, sep, div_round(f->probe_gaps[i].ns, NS_PER_MS));
		sep = ",";
	}
	if (strcmp(sep, ",") == 0)
		putc('\n', out);
	fig_dec1(out, "wire_zero_window_vs_snd_wnd_ms",
		 f->wire_first_zero_window_at_ns.has && f->zero_window_at_ns.has,
		 f->wire_first_zero_window_at_ns.v - f->zero_window_at_ns.v, NS_PER_MS);
}

static void print_figures(FILE *out, const struct figures *f)
{
	struct opt ref = { 1, REFERENCE_BUF_BYTES };

	fputs("\nFigures\n", out);
	fig(out, "rcvbuf_requested", f->rcvbuf_requested);
	fig(out, "rcvbuf_actual", f->rcvbuf_actual);
	fig(out, "rcvbuf_reference", ref);
	fig(out, "sndbuf_requested", f->sndbuf_requested);
	fig(out, "sndbuf_actual", f->sndbuf_actual);
	fig(out, "sndbuf_reference", ref);
	if (f->cc)
		fprintf(out, "cc=%s\n", f->cc);
	fprintf(out, "zero_window_seen=%d\n", f->zero_window_seen);
	fig_div(out, "zero_window_at_ms", f->zero_window_at_ns, NS_PER_MS);
	fig(out, "bytes_at_zero_window", f->bytes_at_zero_window);
	fig_div(out, "write_blocked_ms", f->write_blocked_us, 1000);
	fig_div(out, "resume_after_read_us", f->resume_after_read_ns, NS_PER_US);
	fig(out, "probe_backoffs", f->probe_backoffs);
	fig_div(out, "stall_ms", f->stall_us, 1000);
	fig(out, "bytes_sent", f->bytes_sent);
	fig(out, "bytes_received", f->bytes_received);
	fig(out, "bytes_lost", f->bytes_lost);
	fig(out, "pattern_errors", f->pattern_errors);
	fig(out, "write_calls", f->write_calls);
	fig(out, "writes_immediate", f->writes_immediate);
	fig_dec1(out, "longest_write_ms", f->longest_write_ns.has, f->longest_write_ns.v,
		 NS_PER_MS);
	fig(out, "write_blocked_count", f->eagain_count);
	fig_side(out, "reader", &f->reader);
	fig_side(out, "writer", &f->writer);
	/* Beyond the lesson's list: what the blocked_write paragraph tells. */
	fig_div(out, "longest_blocked_ms", f->longest_blocked_us, 1000);
	fig(out, "sendq_max_bytes", f->sendq_max);
	fig_div(out, "queue_drained_at_ms", f->queue_drained_at_ns, NS_PER_MS);
	print_wire_figures(out, f);
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
static void gp_block(FILE *out, const char *name, struct series *s, int line, int64_t zero_ns)
{
	char t[48], v[48];

	if (line)
		series_drop_repeats(s);
	series_thin(s, PLOT_MAX_POINTS);
	fprintf(out, "%s << EOD\n", name);
	for (size_t i = 0; i < s->n; i++)
		fprintf(out, "%s %s\n", fmt_fixed(t, sizeof(t), s->p[i].t_ns - zero_ns, NS_PER_S, 6),
			fmt_fixed(v, sizeof(v), s->p[i].v, 1024, 3));
	fputs("EOD\n", out);
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

/* The script: gnuplot FILE writes FILE's name with .svg for .gp. */
static void write_plot(FILE *out, struct plot *pl, const struct options *o, const char *svg,
		       int64_t zero_ns)
{
	int wz = o->lesson == LESSON_WINDOW_ZERO, first = 1;
	char title[512];

	fprintf(out, "# %s --plot: the %s lesson, from its logs. Draw it with: gnuplot FILE\n",
		ME, wz ? "window_zero" : "blocked_write");
	fputs("set terminal svg size 1100,600 dynamic enhanced font 'sans,11' "
	      "background '#ffffff'\nset output ", out);
	gp_str(out, svg);
	snprintf(title, sizeof(title), "flowlab %s: %s", wz ? "window_zero" : "blocked_write",
		 wz ? "the receive buffer fills, the window falls to 0, one read reopens it"
		    : "the send buffer fills and write() blocks until the reader reads");
	fputs("\nset title ", out);
	gp_str(out, title);
	fputs(" noenhanced\nset xlabel \"time (s)\"\nset ylabel \"KiB\"\nset grid\n"
	      "set key outside below center horizontal maxrows 3 noenhanced\n"
	      "set offsets 0, 0, graph 0.05, graph 0.05\n", out);
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

static int plot_run(FILE *out, const struct run *run, const struct options *o, char *err,
		    size_t errlen)
{
	struct plot pl;
	char *svg = svg_path(o->plot);
	int rc = 0;

	memset(&pl, 0, sizeof(pl));
	if (svg == NULL || plot_collect(run, o, &pl) < 0) {
		snprintf(err, errlen, "--plot: out of memory");
		rc = -1;
	} else {
		write_plot(out, &pl, o, svg, run->zero_ns);
		if (fflush(out) != 0 || ferror(out)) {
			snprintf(err, errlen, "--plot: write(%s): %s", o->plot, strerror(errno));
			rc = -1;
		}
	}
	plot_free(&pl);
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

/* Until every LOG has its end event, or SIGINT/SIGTERM: read what the logs gained, show the
 * rows that are due, wait. */
static int follow(const struct options *o, char *err, size_t errlen)
{
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
	while (rc == 0 && !ended && !follow_stop) {
		ended = 1;
		for (size_t i = 0; i < o->nlogs && rc == 0; i++) {
			rc = follow_read(&fw, i, err, errlen);
			ended &= fw.tails[i].ended;
		}
		if (rc == 0 && !ended) {
			rc = follow_show(&fw, (int64_t)timeline_now_ns() - FOLLOW_HOLD_BACK_NS, 0,
					 err, errlen);
			if (rc == 0 && !follow_stop)
				follow_sleep();
		}
	}
	/* A signal leaves a partial last line out: its program may be writing it. */
	if (rc == 0 && ended)
		rc = follow_last_lines(&fw, err, errlen);
	if (rc == 0)
		rc = follow_show(&fw, 0, 1, err, errlen);
	follow_free(&fw);
	return rc;
}

/* ---- the command line ---- */

static void usage(FILE *out)
{
	fputs("Usage: " ME " [--lesson window_zero|blocked_write] [--all] [--csv FILE] [--plot FILE]\n"
	      "                     [--t0 NS] [--receiver PROG] [--sender PROG] [--no-table] LOG...\n"
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
	      "                   blocks\n"
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
	      "  --receiver PROG  the program whose events are the receiver's (slow_reader)\n"
	      "  --sender PROG    the program whose events are the sender's (fast_peer)\n"
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
	OPT_NO_TABLE, OPT_NOW, OPT_HELP
};

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
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->lesson = LESSON_WINDOW_ZERO;
	o->receiver = "slow_reader";
	o->sender = "fast_peer";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LESSON:
			if (strcmp(optarg, "window_zero") == 0)
				o->lesson = LESSON_WINDOW_ZERO;
			else if (strcmp(optarg, "blocked_write") == 0)
				o->lesson = LESSON_BLOCKED_WRITE;
			else
				return bad_value("--lesson", optarg,
						 "use window_zero or blocked_write");
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
	if (rc == 0 && compute_figures(&run, &f) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (rc == 0) {
		print_buffers(stdout, o, &f);
		if (!o->no_table) {
			putc('\n', stdout);
			rc = print_table(stdout, &run, o, &f);
		}
		if (print_summary(stdout, o, &f) < 0)
			rc = -1;
		print_figures(stdout, &f);
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
