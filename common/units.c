/* units: see units.h. */
#include "units.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct unit {
	const char *name;
	uint64_t mult;
};

/* What one kind of quantity accepts; the parser itself is shared. */
struct quantity {
	const char *plural;      /* "sizes": for "negative sizes make no sense" */
	const char *quantum;     /* "bytes": for "not a whole number of bytes" */
	const char *help;        /* the list of units shown with an unknown one */
	bool nocase;
	uint64_t bare_mult;      /* a number with no unit */
	const struct unit *units;
};

static const struct unit size_units[] = {
	{ "B", 1 },
	{ "K", 1ULL << 10 }, { "KB", 1ULL << 10 }, { "KiB", 1ULL << 10 },
	{ "M", 1ULL << 20 }, { "MB", 1ULL << 20 }, { "MiB", 1ULL << 20 },
	{ "G", 1ULL << 30 }, { "GB", 1ULL << 30 }, { "GiB", 1ULL << 30 },
	{ NULL, 0 },
};

static const struct unit duration_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "ms", 1000000 },
	{ "s", 1000000000ULL },
	{ "m", 60000000000ULL },
	{ NULL, 0 },
};

static const struct quantity size_q = {
	"sizes", "bytes", "use B, K, M, G", true, 1, size_units,
};

static const struct quantity duration_q = {
	"durations", "nanoseconds", "use ns, us, ms, s, m", false, 1000000000ULL, duration_units,
};

/* Longest piece of the input quoted back in a reason: enough to recognise, never a flood. */
#define QUOTE_MAX 16

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const struct unit *find_unit(const struct quantity *q, const char *w, size_t wl)
{
	for (const struct unit *u = q->units; u->name; u++) {
		if (strlen(u->name) != wl)
			continue;
		if (q->nocase ? strncasecmp(u->name, w, wl) == 0 : strncmp(u->name, w, wl) == 0)
			return u;
	}
	return NULL;
}

/* The whole part of 0.<frac digits> * mult, done digit by digit from the right in decimal so
 * that any number of fraction digits stays exact. *whole is false if anything is left over. */
static uint64_t scale_fraction(const char *frac, size_t n, uint64_t mult, bool *whole)
{
	uint64_t carry = 0;

	*whole = true;
	while (n--) {
		/* 9 * mult + carry stays far below 2^64 for every mult we have (at most 60e9) */
		uint64_t d = (uint64_t)(frac[n] - '0') * mult + carry;
		if (d % 10)
			*whole = false;
		carry = d / 10;
	}
	return carry;
}

/* Parse "<digits>[.<digits>]<unit>" followed by exactly tail (which may be ""). */
static int parse_quantity(const char *s, const struct quantity *q, const char *tail,
			  uint64_t *out, char *err, size_t errlen)
{
	const char *p = s, *frac = NULL, *unit;
	size_t nfrac = 0, nunit;
	uint64_t ipart = 0, mult = q->bare_mult, fpart, v;
	bool big = false, whole;

	if (!s || !*s)
		return fail(err, errlen, "empty");
	for (const char *c = s; *c; c++)
		if (isspace((unsigned char)*c))
			return fail(err, errlen, "no blanks allowed");
	if (*p == '-')
		return fail(err, errlen, "negative %s make no sense", q->plural);
	if (*p == '+')
		return fail(err, errlen, "no sign allowed");
	if (!isdigit((unsigned char)*p))
		return fail(err, errlen, "missing number");

	/* Integer digits by hand: strtod would round big integers, strtoull accepts signs. */
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (ipart > (UINT64_MAX - d) / 10)
			big = true;
		else
			ipart = ipart * 10 + d;
	}
	if (*p == '.') {
		frac = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		nfrac = (size_t)(p - frac);
		if (!nfrac)
			return fail(err, errlen, "missing digits after the point");
	}

	unit = p;
	while (isalpha((unsigned char)*p))
		p++;
	nunit = (size_t)(p - unit);
	if (nunit) {
		const struct unit *u = find_unit(q, unit, nunit);
		if (!u)
			return fail(err, errlen, "unknown unit '%.*s' (%s)",
				    (int)(nunit < QUOTE_MAX ? nunit : QUOTE_MAX), unit, q->help);
		mult = u->mult;
	}
	if (strcmp(p, tail) != 0)
		return fail(err, errlen, "unexpected '%.*s' after the number", QUOTE_MAX, p);

	if (big || ipart > UINT64_MAX / mult)
		return fail(err, errlen, "too large");
	v = ipart * mult;
	fpart = scale_fraction(frac, nfrac, mult, &whole);
	if (!whole)
		return fail(err, errlen, "not a whole number of %s", q->quantum);
	if (fpart > UINT64_MAX - v)
		return fail(err, errlen, "too large");
	*out = v + fpart;
	return 0;
}

int units_parse_size(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	return parse_quantity(s, &size_q, "", bytes, err, errlen);
}

int units_parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	return parse_quantity(s, &duration_q, "", ns, err, errlen);
}

int units_parse_rate(const char *s, uint64_t *bytes_per_s, char *err, size_t errlen)
{
	size_t n = s ? strlen(s) : 0;

	/* "/s" is optional, so try the form that is there rather than demand one */
	if (n >= 2 && strcmp(s + n - 2, "/s") == 0)
		return parse_quantity(s, &size_q, "/s", bytes_per_s, err, errlen);
	return parse_quantity(s, &size_q, "", bytes_per_s, err, errlen);
}

void units_format_thousands(uint64_t v, char *buf, size_t len)
{
	char digits[24], out[32];
	int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
	size_t o = 0;

	if (!buf || !len)
		return;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

/* v / d rounded half up, without the overflow of (v + d/2) / d near UINT64_MAX */
static uint64_t div_round(uint64_t v, uint64_t d)
{
	return v / d + (v % d >= d - v % d ? 1 : 0);
}

void units_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	const int last = (int)(sizeof names / sizeof names[0]) - 1;
	int i = 0;

	if (!buf || !len)
		return;
	while (i < last && bytes >> (10 * (i + 1)))
		i++;
	for (;; i++) {
		uint64_t unit = 1ULL << (10 * i);
		/* unit <= 2^60, so rem * 10 < 10 * 2^60 < 2^64 */
		uint64_t whole = bytes / unit, rem = bytes % unit;
		uint64_t tenths = div_round(rem * 10, unit);

		if (!rem) {
			snprintf(buf, len, "%" PRIu64 " %s", whole, names[i]);
			return;
		}
		if (tenths == 10) {
			whole++;
			tenths = 0;
		}
		/* 1023.97 KiB would print as 1024.0 KiB: say 1.0 MiB instead */
		if (whole >= 1024 && i < last)
			continue;
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " %s", whole, tenths, names[i]);
		return;
	}
}

void units_format_duration(uint64_t ns, char *buf, size_t len)
{
	uint64_t v;

	if (!buf || !len)
		return;
	if (ns < 1000) {
		snprintf(buf, len, "%" PRIu64 " ns", ns);
		return;
	}
	/* Each branch falls through when rounding would reach the next unit (999.6 us -> 1.0 ms). */
	v = div_round(ns, 1000);
	if (v < 1000) {
		snprintf(buf, len, "%" PRIu64 " us", v);
		return;
	}
	v = div_round(ns, 100000);
	if (v < 10000) {
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " ms", v / 10, v % 10);
		return;
	}
	v = div_round(ns, 10000000);
	snprintf(buf, len, "%" PRIu64 ".%02" PRIu64 " s", v / 100, v % 100);
}
