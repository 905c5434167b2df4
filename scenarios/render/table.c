/* table: the buffer sizes block, and the table's frame: which columns a lesson has, how each
 * cell is drawn from the view (bars, sizes, the writer's state), the header and a row. What a
 * row says is decided in view.c and view_server.c; which events get a row, in rows.c. */
#include "render.h"

#include <inttypes.h>
#include <string.h>

#define BAR_CELLS 16

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
int print_buffers(FILE *out, const struct options *o, const struct figures *f)
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

/* The lesson's columns; the Wire column only when there is a capture to fill it. */
void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns, int wire)
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

void table_header(const struct table *t)
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

void table_row(const struct table *t, const struct view *w, int64_t t_ns, const char *note)
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
