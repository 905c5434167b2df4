/* text: numbers as the lesson prints them ("1,048,576", "0.312", "64 KiB"), text that grows
 * (the paragraph, a plot's key), words wrapped at a terminal's width, and grow(): the one way
 * this program makes room in an array. */
#include "render.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* ---- room in an array ---- */

/* Make room for `need` elements of `elem` bytes in an array that has room for *cap: pp is the
 * address of the array's pointer (a struct event **, a char ** ...), NULL while it has none.
 * The room doubles, from 16, until it is enough, so that n appends cost O(n). 0, or -1 when out
 * of memory, with the array and *cap as they were. The pointer is read and written with memcpy,
 * as its own type is the caller's. */
int grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return -1;
	memcpy(&p, pp, sizeof(p));
	p = realloc(p, n * elem);
	if (p == NULL)
		return -1;
	memcpy(pp, &p, sizeof(p));
	*cap = n;
	return 0;
}

/* ---- numbers as text ---- */

/* v / d rounded half away from zero; d > 0. */
int64_t div_round(int64_t v, int64_t d)
{
	uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	uint64_t q = a / (uint64_t)d, r = a % (uint64_t)d;

	if (r >= (uint64_t)d - r)
		q++;
	return v < 0 ? -(int64_t)q : (int64_t)q;
}

/* v / d with `places` decimals, rounded: fmt_fixed(312456789, NS_PER_S, 3) is "0.312". */
const char *fmt_fixed(char *buf, size_t len, int64_t v, int64_t d, int places)
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

const char *fmt_size(char *buf, size_t len, int64_t bytes)
{
	units_format_size(bytes < 0 ? 0 : (uint64_t)bytes, buf, len);
	return buf;
}

/* A size as the table's cells show it, always with one decimal above 1 KiB, so that sizes side
 * by side read alike: "23 B", "374.0 KiB", "1.3 MiB". */
const char *fmt_size1(char *buf, size_t len, int64_t bytes)
{
	static const char *const names[] = { "KiB", "MiB", "GiB", "TiB" };
	int64_t unit = 1024;
	char a[48];
	int i = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRId64 " B", bytes < 0 ? 0 : bytes);
		return buf;
	}
	/* 1023.96 KiB would print as 1024.0 KiB: say 1.0 MiB instead. */
	while (i < 3 && div_round(bytes * 10, unit) >= 10240) {
		unit *= 1024;
		i++;
	}
	snprintf(buf, len, "%s %s", fmt_fixed(a, sizeof(a), bytes, unit, 1), names[i]);
	return buf;
}

const char *fmt_dur(char *buf, size_t len, int64_t ns)
{
	units_format_duration(ns < 0 ? 0 : (uint64_t)ns, buf, len);
	return buf;
}

/* A wait as the table and the figures both round it: whole ms ("1,914 ms"), or under a
 * millisecond whole us ("86 us"). */
const char *fmt_ms(char *buf, size_t len, int64_t ns)
{
	char a[48];

	if (ns > -NS_PER_MS && ns < NS_PER_MS)
		snprintf(buf, len, "%s us", fmt_count(a, sizeof(a), div_round(ns, NS_PER_US)));
	else
		snprintf(buf, len, "%s ms", fmt_count(a, sizeof(a), div_round(ns, NS_PER_MS)));
	return buf;
}

/* "1,048,576", or "-4,096": bytes_lost may be negative. */
const char *fmt_count(char *buf, size_t len, int64_t v)
{
	char digits[32];

	units_format_thousands(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, digits, sizeof(digits));
	snprintf(buf, len, "%s%s", v < 0 ? "-" : "", digits);
	return buf;
}

/* Seconds since the zero of time, as the table and the paragraph print them: "0.312". */
const char *fmt_secs(char *buf, size_t len, int64_t rel_ns)
{
	return fmt_fixed(buf, len, rel_ns, NS_PER_S, 3);
}

const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- text that grows (the paragraph) ---- */

void text_add(struct text *t, const char *fmt, ...)
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
	if (grow(&t->s, &t->cap, t->len + (size_t)n + 1, 1) < 0) {
		t->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Display columns of UTF-8 text: the bars are three bytes a cell. */
int text_width(const char *s, size_t n)
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
void print_wrapped(FILE *out, const char *s, int cols)
{
	print_wrapped_at(out, s, cols, 0, 0, "", "");
}

/* s wrapped at cols, the cursor at column `col` already; each line after the first starts with
 * `indent` blanks, and the text of each line (not its indent) between on and off (a colour). */
void print_wrapped_at(FILE *out, const char *s, int cols, int col, int indent, const char *on,
		      const char *off)
{
	int line = 0;           /* words on this line */

	fputs(on, out);
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
		if (line > 0 && col + 1 + w > cols) {
			fprintf(out, "%s\n%*s%s", off, indent, "", on);
			col = indent;
		} else if (line > 0) {
			putc(' ', out);
			col++;
		}
		fwrite(s, 1, n, out);
		col += w;
		line++;
		s += n;
	}
	fputs(off, out);
	putc('\n', out);
}
