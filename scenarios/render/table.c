/* table: the table's frame, for every lesson: its columns (the time, the lesson's own, "What
 * happened"), the header and a row, the cells the lessons share, and the buffer sizes block.
 * What a row says and what its cells show is the lesson's; which events get a row, rows.c's. */
#include "render.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#define BAR_CELLS 16
#define TIME_WIDTH 7

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

void print_buffer_block(FILE *out, const struct buffer_line *rcv,
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

/* ---- the table ---- */

/* Add one clause to the row's "What happened", after a "; " if it has one already; nothing
 * when no row is being made (n NULL). */
void note_add(struct note *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n == NULL || n->len >= sizeof(n->s) - 3)
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


/* The lesson's columns; a Wire column only when there is a capture to fill it. */
void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns, int wire)
{
	const struct lesson *l = o->lesson;

	memset(t, 0, sizeof(*t));
	t->out = out;
	t->o = o;
	t->zero_ns = zero_ns;
	for (size_t i = 0; i < l->ncolumns && t->ncols < MAX_COLS; i++)
		if (!l->columns[i].wire || wire)
			t->cols[t->ncols++] = &l->columns[i];
}

/* "[█████░░░░░░░░░░░]": bytes against the buffer, clamped; never empty-looking when not empty,
 * never full-looking when not full. */
const char *fmt_bar(char *buf, size_t len, struct opt bytes, struct opt cap)
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

/* "124.3 KiB / 128.0 KiB", "12.0 KiB", or "-". */
const char *fmt_pair(char *buf, size_t len, struct opt a, struct opt b)
{
	char x[48], y[48];

	if (!a.has)
		snprintf(buf, len, "-");
	else if (!b.has)
		snprintf(buf, len, "%s", fmt_size1(x, sizeof(x), a.v));
	else
		snprintf(buf, len, "%s / %s", fmt_size1(x, sizeof(x), a.v),
			 fmt_size1(y, sizeof(y), b.v));
	return buf;
}

/* A window: "-" unknown, "0" closed (the lesson's moment, so no unit), else its size. */
const char *fmt_window(char *buf, size_t len, struct opt wnd)
{
	if (!wnd.has)
		snprintf(buf, len, "-");
	else if (wnd.v == 0)
		snprintf(buf, len, "0");
	else
		fmt_size1(buf, len, wnd.v);
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
	const char *cells[MAX_COLS + 2];
	int widths[MAX_COLS + 1] = { 0 }, rule = 30 + TIME_WIDTH + 2;

	t->o->lesson->title(t);
	cells[0] = "Time";
	widths[0] = TIME_WIDTH;
	for (size_t i = 0; i < t->ncols; i++) {
		cells[i + 1] = t->cols[i]->head;
		widths[i + 1] = t->cols[i]->width;
		rule += widths[i + 1] + 2;
	}
	cells[t->ncols + 1] = "What happened";
	print_cells(t->out, cells, widths, t->ncols + 1);
	for (int i = 0; i < rule; i++)
		fputs("─", t->out);
	putc('\n', t->out);
}

void table_row(const struct table *t, const void *facts, int64_t t_ns, const char *note)
{
	char buf[MAX_COLS + 1][112];
	const char *cells[MAX_COLS + 2];
	int widths[MAX_COLS + 1] = { 0 };

	cells[0] = fmt_secs(buf[0], sizeof(buf[0]), t_ns - t->zero_ns);
	widths[0] = TIME_WIDTH;
	for (size_t i = 0; i < t->ncols; i++) {
		cells[i + 1] = t->cols[i]->cell(buf[i + 1], sizeof(buf[i + 1]), facts);
		widths[i + 1] = t->cols[i]->width;
	}
	cells[t->ncols + 1] = note;
	print_cells(t->out, cells, widths, t->ncols + 1);
}
