/* table: the table's frame, for every lesson: its columns (the time, the lesson's own, "What
 * happened"), the header and a row, the cells the lessons share, and the buffer sizes block.
 * What a row says and what its cells show is the lesson's; which events get a row, rows.c's. */
#include "render.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
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

/* The narrow form, for a terminal: the reference document's size once, in the heading. */
static void print_buffer_line_narrow(FILE *out, const struct buffer_line *b)
{
	char a[48], c[48], asked[48], set[80];

	if (b->req.has)
		fmt_size(asked, sizeof(asked), b->req.v);
	else
		snprintf(asked, sizeof(asked), "%s", b->logged ? "kernel default" : "not in the log");
	if (b->act.has)
		snprintf(set, sizeof(set), "%s (%s bytes)", fmt_size(a, sizeof(a), b->act.v),
			 fmt_count(c, sizeof(c), b->act.v));
	else
		snprintf(set, sizeof(set), "not in the log");
	fputs("  ", out);
	put_cell(out, b->label, 28, 0);
	put_cell(out, asked, 14, 0);
	fprintf(out, "%s\n", set);
	if (b->req.has && b->act.has && b->act.v == 2 * b->req.v)
		fprintf(out, "  %30sLinux doubles what you ask for\n", "");
}

void print_buffer_block(FILE *out, const struct options *o, const struct buffer_line *rcv,
			const struct buffer_line *snd, const char *cc, const char *cc_requested)
{
	if (o->width > 0) {
		fprintf(out, "Buffer sizes (the reference document says %s)\n", REFERENCE_BUF_TEXT);
		fprintf(out, "  %-28s  %-14s  %s\n", "", "asked for", "kernel set");
		print_buffer_line_narrow(out, rcv);
		print_buffer_line_narrow(out, snd);
		fputs("  ", out);
		put_cell(out, "congestion control", 28, 0);
	} else {
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
	}
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

/* The row's colour: the strongest of its clauses'. */
void note_tone(struct note *n, enum tone t)
{
	if (n && t > n->tone)
		n->tone = t;
}

/* ANSI colours, with --color: green, yellow, bold red. */
const char *tone_on(const struct options *o, enum tone t)
{
	static const char *const on[] = { "", "\033[32m", "\033[33m", "\033[1;31m" };

	return o->color ? on[t] : "";
}

const char *tone_off(const struct options *o, enum tone t)
{
	return o->color && t != T_NONE ? "\033[0m" : "";
}

/* The narrow table's notes wrap, but no narrower than this. */
#define NOTE_MIN 24

/* The lesson's columns, the narrow ones on a terminal (o->width); a Wire column only when there
 * is a capture to fill it. */
void table_init(struct table *t, FILE *out, const struct options *o, int64_t zero_ns, int wire)
{
	const struct lesson *l = o->lesson;
	int narrow = o->width > 0 && l->narrow != NULL;
	const struct coldef *cols = narrow ? l->narrow : l->columns;
	size_t n = narrow ? l->nnarrow : l->ncolumns;

	memset(t, 0, sizeof(*t));
	t->out = out;
	t->o = o;
	t->zero_ns = zero_ns;
	t->note_col = TIME_WIDTH + 2;
	for (size_t i = 0; i < n && t->ncols < MAX_COLS; i++)
		if (cols[i].when == COL_ALWAYS || (cols[i].when == COL_WIRE) == (wire != 0)) {
			t->cols[t->ncols++] = &cols[i];
			t->note_col += cols[i].width + 2;
		}
	if (o->width > 0)
		t->width = o->width - t->note_col < NOTE_MIN ? t->note_col + NOTE_MIN : o->width;
}

/* "[█████░░░░░░░░░░░]": bytes against the buffer, clamped; never empty-looking when not empty,
 * never full-looking when not full. */
const char *fmt_bar(char *buf, size_t len, struct opt bytes, struct opt cap)
{
	return fmt_bar_n(buf, len, bytes, cap, BAR_CELLS);
}

/* The same, ncells wide (the narrow table's). */
const char *fmt_bar_n(char *buf, size_t len, struct opt bytes, struct opt cap, int ncells)
{
	int64_t cells;
	size_t o = 0;

	if (!bytes.has || !cap.has || cap.v <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	cells = div_round((bytes.v < 0 ? 0 : bytes.v) * ncells, cap.v);
	if (cells == 0 && bytes.v > 0)
		cells = 1;
	if (cells >= ncells && bytes.v < cap.v)
		cells = ncells - 1;
	if (cells > ncells)
		cells = ncells;
	o += (size_t)snprintf(buf + o, len - o, "[");
	for (int i = 0; i < ncells && o < len; i++)
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

/* "123.5 KiB", or "-". */
const char *fmt_size_or_dash(char *buf, size_t len, struct opt bytes)
{
	if (!bytes.has)
		snprintf(buf, len, "-");
	else
		fmt_size1(buf, len, bytes.v);
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

/* One line of the table: the time right-aligned, each cell in its colour, the note last and
 * unpadded, wrapped in the narrow table under its own column. */
static void print_cells(const struct table *t, const char *const cells[],
			const enum tone tones[], enum tone note_tone)
{
	const struct options *o = t->o;
	FILE *out = t->out;
	const char *note = cells[t->ncols + 1];

	for (size_t i = 0; i <= t->ncols; i++) {
		const struct coldef *c = i ? t->cols[i - 1] : NULL;
		int width = c ? c->width : TIME_WIDTH, right = c ? c->right : 1;
		int pad = width - text_width(cells[i], strlen(cells[i]));

		if (i == t->ncols && note[0] == '\0') {
			/* no trailing blanks when nothing happened */
			fprintf(out, "%*s%s%s%s\n", right && pad > 0 ? pad : 0, "",
				tone_on(o, tones[i]), cells[i], tone_off(o, tones[i]));
			return;
		}
		if (right && pad > 0)
			fprintf(out, "%*s", pad, "");
		fprintf(out, "%s%s%s", tone_on(o, tones[i]), cells[i], tone_off(o, tones[i]));
		if (!right && pad > 0)
			fprintf(out, "%*s", pad, "");
		fputs("  ", out);
	}
	if (t->width > 0)
		print_wrapped_at(out, note, t->width, t->note_col, t->note_col,
				 tone_on(o, note_tone), tone_off(o, note_tone));
	else
		fprintf(out, "%s%s%s\n", tone_on(o, note_tone), note, tone_off(o, note_tone));
}

/* The title, wrapped in the narrow table. */
static void print_title(const struct table *t)
{
	char *text = NULL;
	size_t len = 0;
	struct table copy = *t;
	FILE *mem;

	if (t->width == 0) {
		t->o->lesson->title(t);
		return;
	}
	mem = open_memstream(&text, &len);
	if (mem == NULL) {
		t->o->lesson->title(t);
		return;
	}
	copy.out = mem;
	t->o->lesson->title(&copy);
	if (fclose(mem) == 0 && text) {
		text[strcspn(text, "\n")] = '\0';
		print_wrapped(t->out, text, t->width);
	}
	free(text);
}

void table_header(const struct table *t)
{
	const char *cells[MAX_COLS + 2];
	enum tone tones[MAX_COLS + 1] = { T_NONE };
	int rule = t->width > 0 ? t->width : t->note_col + 30;

	print_title(t);
	cells[0] = "Time";
	for (size_t i = 0; i < t->ncols; i++)
		cells[i + 1] = t->cols[i]->head;
	cells[t->ncols + 1] = "What happened";
	print_cells(t, cells, tones, T_NONE);
	for (int i = 0; i < rule; i++)
		fputs("─", t->out);
	putc('\n', t->out);
}

void table_row(const struct table *t, const void *facts, int64_t t_ns, const char *note,
	       enum tone tone)
{
	char buf[MAX_COLS + 1][112];
	const char *cells[MAX_COLS + 2];
	enum tone tones[MAX_COLS + 1] = { T_NONE };

	cells[0] = fmt_secs(buf[0], sizeof(buf[0]), t_ns - t->zero_ns);
	for (size_t i = 0; i < t->ncols; i++) {
		cells[i + 1] = t->cols[i]->cell(buf[i + 1], sizeof(buf[i + 1]), facts);
		if (t->cols[i]->tone)
			tones[i + 1] = t->cols[i]->tone(facts);
	}
	cells[t->ncols + 1] = note;
	print_cells(t, cells, tones, tone);
}
