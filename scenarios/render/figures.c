/* figures: the lesson's figures, each a name, a unit and a value computed once from its facts,
 * and the two ways they are told: as name=value lines (every name after --figure-prefix, for
 * tests that assert bands and for two runs side by side), and inside the summary paragraph,
 * where say() prints a figure only by its name, in the human form of its unit. So a number in
 * the paragraph is always a figure's value, rounded by the same rule; --trace-summary marks
 * each one, for a test to check. A figure the logs do not give is left out, never printed as 0. */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the registry ---- */

static struct figure *fig_new(struct figs *fs, const char *name, enum unit u)
{
	struct figure *f;

	if (fs->oom || grow(&fs->f, &fs->cap, fs->n + 1, sizeof(*fs->f)) < 0) {
		fs->oom = 1;
		return NULL;
	}
	f = &fs->f[fs->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->unit = u;
	return f;
}

void fig_put(struct figs *fs, const char *name, enum unit u, struct opt v)
{
	struct figure *f;

	if (!v.has || (f = fig_new(fs, name, u)) == NULL)
		return;
	f->v = v.v;
}

void fig_int(struct figs *fs, const char *name, int64_t v)
{
	fig_put(fs, name, U_COUNT, (struct opt){ 1, v });
}

/* A duration or moment kept in ns, as a figure in whole ms (U_MS, U_MOMENT) or us (U_US), or
 * in tenths of a ms (U_MS1). */
void fig_ns(struct figs *fs, const char *name, enum unit u, struct opt ns)
{
	int64_t per = u == U_US ? NS_PER_US : u == U_MS1 ? NS_PER_MS / 10 : NS_PER_MS;

	if (ns.has)
		ns.v = div_round(ns.v, per);
	fig_put(fs, name, u, ns);
}

/* num / den as a percentage with one decimal, when both are known and den > 0. */
void fig_pct(struct figs *fs, const char *name, int has, int64_t num, int64_t den)
{
	fig_put(fs, name, U_PCT1, (struct opt){ has && den > 0, has && den > 0 ?
						div_round(num * 1000, den) : 0 });
}

void fig_text(struct figs *fs, const char *name, enum unit u, const char *text)
{
	struct figure *f;

	if (text == NULL || (f = fig_new(fs, name, u)) == NULL)
		return;
	f->text = strdup(text);
	if (f->text == NULL) {
		fs->n--;
		fs->oom = 1;
	}
}

const struct figure *fig_find(const struct figs *fs, const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].name, name) == 0)
			return &fs->f[i];
	return NULL;
}

struct opt fig_value(const struct figs *fs, const char *name)
{
	const struct figure *f = fig_find(fs, name);

	return f && f->text == NULL ? (struct opt){ 1, f->v } : (struct opt){ 0, 0 };
}

void figs_free(struct figs *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->f[i].text);
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

/* ---- name=value ---- */

/* The value as the name=value line has it: an integer, or with one decimal for U_MS1 and
 * U_PCT1 (kept in tenths), or the text. */
static const char *fig_raw(const struct figure *f, char *buf, size_t len)
{
	if (f->text)
		snprintf(buf, len, "%s", f->text);
	else if (f->unit == U_MS1 || f->unit == U_PCT1)
		fmt_fixed(buf, len, f->v, 10, 1);
	else
		snprintf(buf, len, "%" PRId64, f->v);
	return buf;
}

void print_figures(FILE *out, const struct options *o, const struct figs *fs)
{
	char buf[512];

	fputs("\nFigures\n", out);
	for (size_t i = 0; i < fs->n; i++)
		fprintf(out, "%s%s=%s\n", o->figure_prefix, fs->f[i].name,
			fig_raw(&fs->f[i], buf, sizeof(buf)));
}

/* The figures alone, name=value, appended to a file of their own (OUT/figures.txt, which holds
 * every run of a comparison): on a terminal the screen ends on the story, and the numbers are
 * kept for scripts. O_NOFOLLOW: a link
 * planted where the file goes is not followed. 0, or -1 with err. */
int write_figures(const char *path, const struct options *o, const struct figs *fs, char *err,
		  size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	char buf[512];

	if (f == NULL) {
		snprintf(err, errlen, "--figures-file: open(%s): %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t i = 0; i < fs->n; i++)
		fprintf(f, "%s%s=%s\n", o->figure_prefix, fs->f[i].name,
			fig_raw(&fs->f[i], buf, sizeof(buf)));
	if (fclose(f) != 0) {
		snprintf(err, errlen, "--figures-file: write(%s): %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the human form, for the paragraph ---- */

/* "once", "twice", "4 times". */
const char *fmt_times(char *buf, size_t len, int64_t n)
{
	if (n == 1)
		snprintf(buf, len, "once");
	else if (n == 2)
		snprintf(buf, len, "twice");
	else
		snprintf(buf, len, "%" PRId64 " times", n);
	return buf;
}

/* "216, 440 and 868 ms": a list of whole ms, "a,b,c", its episodes (";") each told alone. */
static void human_list(const char *s, char *buf, size_t len)
{
	size_t n = strcspn(s, ";"), o = 0;
	int items = 1;

	for (size_t i = 0; i < n; i++)
		items += s[i] == ',';
	for (size_t i = 0, item = 1; i < n && o + 8 < len; i++) {
		if (s[i] != ',') {
			buf[o++] = s[i];
			continue;
		}
		item++;
		o += (size_t)snprintf(buf + o, len - o, "%s", item == (size_t)items ? " and " : ", ");
	}
	snprintf(buf + (o < len ? o : len - 1), len - (o < len ? o : len - 1), " ms");
}

const char *fig_human(const struct figure *f, char *buf, size_t len)
{
	char a[48];

	switch (f->unit) {
	case U_COUNT:
		return fmt_count(buf, len, f->v);
	case U_BYTES:
		return fmt_size(buf, len, f->v);
	case U_MS:
		snprintf(buf, len, "%s ms", fmt_count(a, sizeof(a), f->v));
		return buf;
	case U_MOMENT:
		snprintf(buf, len, "%s s", fmt_fixed(a, sizeof(a), f->v, 1000, 3));
		return buf;
	case U_US:
		/* Past 10 ms, in ms: the same value, to the same microsecond. */
		if (f->v >= 10000 || f->v <= -10000)
			snprintf(buf, len, "%s.%03" PRId64 " ms", fmt_count(a, sizeof(a), f->v / 1000),
				 (f->v < 0 ? -f->v : f->v) % 1000);
		else
			snprintf(buf, len, "%s us", fmt_count(a, sizeof(a), f->v));
		return buf;
	case U_MS1:
		snprintf(buf, len, "%s ms", fmt_fixed(a, sizeof(a), f->v, 10, 1));
		return buf;
	case U_PCT1:
		snprintf(buf, len, "%s%%", fmt_fixed(a, sizeof(a), f->v, 10, 1));
		return buf;
	case U_KIB:
		snprintf(buf, len, "%s KiB", fmt_count(a, sizeof(a), f->v));
		return buf;
	case U_RATE:
		snprintf(buf, len, "%s bytes/s", fmt_count(a, sizeof(a), f->v));
		return buf;
	case U_BPS:
		snprintf(buf, len, "%s bit/s", fmt_count(a, sizeof(a), f->v));
		return buf;
	case U_DOC_KB:
		snprintf(buf, len, "%" PRId64 " KB", f->v / 1024);
		return buf;
	case U_LIST_MS:
		human_list(f->text ? f->text : "", buf, len);
		return buf;
	case U_TEXT:
		break;
	}
	snprintf(buf, len, "%s", f->text ? f->text : "");
	return buf;
}

/* ---- the paragraph ---- */

static const char *const unit_names[] = {
	[U_COUNT] = "count", [U_BYTES] = "bytes", [U_MS] = "ms", [U_MOMENT] = "moment",
	[U_US] = "us", [U_MS1] = "ms1", [U_PCT1] = "pct1", [U_KIB] = "kib", [U_RATE] = "rate",
	[U_BPS] = "bps",
	[U_DOC_KB] = "doc_kb", [U_LIST_MS] = "list_ms", [U_TEXT] = "text",
};

/* One figure in the paragraph: its human form (or, with times, "once", "twice", "N times"),
 * marked with its name, unit and value under --trace-summary. A figure the lesson did not
 * register is a bug, said loudly in the text, where a test finds it. */
static void say_figure(struct story *s, const char *name, int times)
{
	const struct figure *f = fig_find(s->figs, name);
	char buf[512], raw[512];

	if (f == NULL) {
		text_add(&s->t, "[no figure %s]", name);
		return;
	}
	if (times)
		fmt_times(buf, sizeof(buf), f->v);
	else
		fig_human(f, buf, sizeof(buf));
	if (s->trace)
		text_add(&s->t, "\001%s=%s=%s%s\002%s\003", name, fig_raw(f, raw, sizeof(raw)),
			 unit_names[f->unit], times ? "=times" : "", buf);
	else
		text_add(&s->t, "%s", buf);
}

/* Append to the paragraph: %s a string, %F a figure by name (its human form), %T a count
 * figure as "once", "twice", "N times", %% a percent sign. There is no way to print a number
 * that is not a figure. */
void say(struct story *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			size_t n = strcspn(p, "%");

			text_add(&s->t, "%.*s", (int)n, p);
			p += n - 1;
			continue;
		}
		switch (*++p) {
		case 's':
			text_add(&s->t, "%s", va_arg(ap, const char *));
			break;
		case 'F':
			say_figure(s, va_arg(ap, const char *), 0);
			break;
		case 'T':
			say_figure(s, va_arg(ap, const char *), 1);
			break;
		case '%':
			text_add(&s->t, "%%");
			break;
		default:
			text_add(&s->t, "[bad say() format]");
			if (*p == '\0')
				p--;
			break;
		}
	}
	va_end(ap);
}

/* Whether the lesson registered the figure: the paragraph tells only what is known. */
int has(const struct story *s, const char *name)
{
	return fig_find(s->figs, name) != NULL;
}

/* A figure's value, for the paragraph to choose its words by ("1 segment was"). */
int64_t val(const struct story *s, const char *name)
{
	struct opt v = fig_value(s->figs, name);

	return v.has ? v.v : 0;
}
