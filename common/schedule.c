/* schedule: see schedule.h. */
#include "schedule.h"

#include "units.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Longest word the parser copies out for units.h; anything longer is not a sane size. */
#define WORD_MAX 64

/* Longest piece of the input quoted back in a reason. */
#define QUOTE_MAX 16

/* The words of one step, walked left to right. */
struct words {
	const char *p, *end;
	const char *w;          /* current word, not NUL-terminated */
	size_t wl;
};

static bool next_word(struct words *ws)
{
	while (ws->p < ws->end && isspace((unsigned char)*ws->p))
		ws->p++;
	ws->w = ws->p;
	while (ws->p < ws->end && !isspace((unsigned char)*ws->p))
		ws->p++;
	ws->wl = (size_t)(ws->p - ws->w);
	return ws->wl > 0;
}

static bool word_is(const struct words *ws, const char *s)
{
	return ws->wl == strlen(s) && memcmp(ws->w, s, ws->wl) == 0;
}

/* Names one step in every reason: "step 2 (stall): ". */
struct where {
	size_t num;
	const char *name;
	char *err;
	size_t errlen;
};

static int step_fail(const struct where *at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int step_fail(const struct where *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!at->err || !at->errlen)
		return -1;
	n = snprintf(at->err, at->errlen, "step %zu (%s): ", at->num, at->name);
	if (n >= 0 && (size_t)n < at->errlen) {
		va_start(ap, fmt);
		vsnprintf(at->err + n, at->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Read the next word as a size or duration ("what" names it in a reason). */
static int take_value(struct words *ws, const struct where *at, const char *what, bool is_size,
		      uint64_t *v)
{
	char word[WORD_MAX], why[128];
	int rc;

	if (!next_word(ws))
		return step_fail(at, "missing %s", what);
	if (ws->wl >= sizeof word)
		return step_fail(at, "bad %s: too long", what);
	memcpy(word, ws->w, ws->wl);
	word[ws->wl] = '\0';
	rc = is_size ? units_parse_size(word, v, why, sizeof why)
		     : units_parse_duration(word, v, why, sizeof why);
	if (rc < 0)
		return step_fail(at, "bad %s: %s", what, why);
	return 0;
}

/* The current word has no place here. */
static int unexpected(const struct words *ws, const struct where *at)
{
	return step_fail(at, "unexpected '%.*s'", (int)(ws->wl < QUOTE_MAX ? ws->wl : QUOTE_MAX),
			 ws->w);
}

static int no_more_words(struct words *ws, const struct where *at)
{
	return next_word(ws) ? unexpected(ws, at) : 0;
}

/* "for DUR" where allowed: 0 would read as "until EOF", the opposite of what was typed. */
static int take_for(struct words *ws, const struct where *at, uint64_t *for_ns)
{
	if (take_value(ws, at, "duration after 'for'", false, for_ns) < 0)
		return -1;
	if (!*for_ns)
		return step_fail(at, "'for' needs a duration above 0");
	return 0;
}

/* The words after "read" or "write": SIZE [every DUR [for DUR]] */
static int parse_io(struct words *ws, const struct where *at, struct schedule_step *st)
{
	if (take_value(ws, at, "size", true, &st->bytes) < 0)
		return -1;
	if (!st->bytes)
		return step_fail(at, "0 bytes");
	if (!next_word(ws))
		return 0;
	if (word_is(ws, "for"))
		return step_fail(at, "'for' needs 'every' before it");
	if (!word_is(ws, "every"))
		return unexpected(ws, at);
	if (take_value(ws, at, "duration after 'every'", false, &st->every_ns) < 0)
		return -1;
	/* a trickle that never pauses is a drain; say so rather than spin */
	if (!st->every_ns)
		return step_fail(at, "'every' needs a duration above 0");
	if (!next_word(ws))
		return 0;
	if (!word_is(ws, "for"))
		return unexpected(ws, at);
	if (take_for(ws, at, &st->for_ns) < 0)
		return -1;
	return no_more_words(ws, at);
}

static int parse_step(const char *b, const char *e, struct where *at, struct schedule_step *st)
{
	static const enum schedule_kind kinds[] = {
		SCHED_STALL, SCHED_DRAIN, SCHED_READ, SCHED_WRITE, SCHED_CLOSE,
	};
	struct words ws = { b, e, NULL, 0 };
	size_t i;

	memset(st, 0, sizeof *st);
	next_word(&ws);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (word_is(&ws, schedule_kind_name(kinds[i])))
			break;
	if (i == sizeof kinds / sizeof kinds[0]) {
		if (at->err && at->errlen)
			snprintf(at->err, at->errlen,
				 "step %zu (\"%.*s\"): unknown step; use stall, drain, read, write or close",
				 at->num, (int)(ws.wl < QUOTE_MAX ? ws.wl : QUOTE_MAX), ws.w);
		return -1;
	}
	st->kind = kinds[i];
	at->name = schedule_kind_name(st->kind);

	switch (st->kind) {
	case SCHED_STALL:
		if (take_value(&ws, at, "duration", false, &st->for_ns) < 0)
			return -1;
		return no_more_words(&ws, at);
	case SCHED_DRAIN:
		if (!next_word(&ws))
			return 0;
		if (!word_is(&ws, "for"))
			return unexpected(&ws, at);
		if (take_for(&ws, at, &st->for_ns) < 0)
			return -1;
		return no_more_words(&ws, at);
	case SCHED_READ:
	case SCHED_WRITE:
		return parse_io(&ws, at, st);
	case SCHED_CLOSE:
		return no_more_words(&ws, at);
	}
	return -1;
}

static bool endless(const struct schedule_step *st)
{
	switch (st->kind) {
	case SCHED_DRAIN:
		return !st->for_ns;
	case SCHED_READ:
	case SCHED_WRITE:
		return st->every_ns && !st->for_ns;
	default:
		return false;
	}
}

static bool all_blank(const char *b, const char *e)
{
	for (; b < e; b++)
		if (!isspace((unsigned char)*b))
			return false;
	return true;
}

int schedule_parse(const char *text, struct schedule *s, char *err, size_t errlen)
{
	struct schedule out = { 0 };
	const char *b, *e;
	uint64_t timed_ns = 0;

	if (!text || all_blank(text, text + strlen(text))) {
		if (err && errlen)
			snprintf(err, errlen, "empty plan");
		return -1;
	}
	for (b = text;; b = e + 1) {
		struct where at = { out.n + 1, NULL, err, errlen };

		e = strchr(b, ',');
		if (!e)
			e = b + strlen(b);
		if (all_blank(b, e)) {
			if (err && errlen)
				snprintf(err, errlen, "step %zu: empty step", at.num);
			return -1;
		}
		if (out.n == SCHEDULE_MAX_STEPS) {
			if (err && errlen)
				snprintf(err, errlen, "too many steps (at most %d)", SCHEDULE_MAX_STEPS);
			return -1;
		}
		/* blame the endless step, not the innocent one after it */
		if (out.n && endless(&out.step[out.n - 1])) {
			struct where prev = { out.n, schedule_kind_name(out.step[out.n - 1].kind),
					      err, errlen };
			return step_fail(&prev, "a step that never ends must be the last");
		}
		if (parse_step(b, e, &at, &out.step[out.n]) < 0)
			return -1;
		/* schedule_timed_ns() must not wrap: a plan of 600 years would read as 0 s, and a
		 * script's watchdog would allow nothing for it. */
		if (out.step[out.n].for_ns > UINT64_MAX - timed_ns)
			return step_fail(&at, "the plan would last more than 2^64 ns (584 years)");
		timed_ns += out.step[out.n].for_ns;
		out.n++;
		if (!*e)
			break;
	}
	*s = out;
	return 0;
}

/* Short forms that units.h parses back: the largest unit that keeps the number whole. */
static void short_size(uint64_t v, char *buf, size_t len)
{
	static const struct { const char *name; int shift; } u[] = {
		{ "G", 30 }, { "M", 20 }, { "K", 10 },
	};

	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
		if (v && !(v & ((1ULL << u[i].shift) - 1))) {
			snprintf(buf, len, "%" PRIu64 "%s", v >> u[i].shift, u[i].name);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64 "B", v);
}

static void short_duration(uint64_t ns, char *buf, size_t len)
{
	static const struct { const char *name; uint64_t mult; } u[] = {
		{ "m", 60000000000ULL }, { "s", 1000000000ULL }, { "ms", 1000000 }, { "us", 1000 },
	};

	if (!ns) {
		snprintf(buf, len, "0s");
		return;
	}
	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
		if (ns % u[i].mult == 0) {
			snprintf(buf, len, "%" PRIu64 "%s", ns / u[i].mult, u[i].name);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64 "ns", ns);
}

/* Append to buf, keeping it NUL-terminated however short it is. */
static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*pos = (size_t)n < len - *pos ? *pos + (size_t)n : len;
}

void schedule_format(const struct schedule *s, char *buf, size_t len)
{
	size_t pos = 0;
	char a[32], b[32], c[32];

	if (!buf || !len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n && i < SCHEDULE_MAX_STEPS; i++) {
		const struct schedule_step *st = &s->step[i];
		const char *sep = i ? ", " : "";
		const char *name = schedule_kind_name(st->kind);

		switch (st->kind) {
		case SCHED_STALL:
			short_duration(st->for_ns, a, sizeof a);
			append(buf, len, &pos, "%s%s %s", sep, name, a);
			break;
		case SCHED_DRAIN:
			append(buf, len, &pos, "%s%s", sep, name);
			if (st->for_ns) {
				short_duration(st->for_ns, a, sizeof a);
				append(buf, len, &pos, " for %s", a);
			}
			break;
		case SCHED_READ:
		case SCHED_WRITE:
			short_size(st->bytes, a, sizeof a);
			append(buf, len, &pos, "%s%s %s", sep, name, a);
			if (st->every_ns) {
				short_duration(st->every_ns, b, sizeof b);
				append(buf, len, &pos, " every %s", b);
				if (st->for_ns) {
					short_duration(st->for_ns, c, sizeof c);
					append(buf, len, &pos, " for %s", c);
				}
			}
			break;
		case SCHED_CLOSE:
		default:
			append(buf, len, &pos, "%s%s", sep, name);
			break;
		}
	}
}

const char *schedule_kind_name(enum schedule_kind k)
{
	switch (k) {
	case SCHED_STALL: return "stall";
	case SCHED_DRAIN: return "drain";
	case SCHED_READ:  return "read";
	case SCHED_WRITE: return "write";
	case SCHED_CLOSE: return "close";
	}
	return "?";
}

int schedule_has(const struct schedule *s, enum schedule_kind k)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->step[i].kind == k)
			return 1;
	return 0;
}

uint64_t schedule_max_bytes(const struct schedule *s, enum schedule_kind k)
{
	uint64_t most = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->step[i].kind == k && s->step[i].bytes > most)
			most = s->step[i].bytes;
	return most;
}

uint64_t schedule_timed_ns(const struct schedule *s)
{
	uint64_t ns = 0;

	for (size_t i = 0; i < s->n; i++)
		ns += s->step[i].for_ns;
	return ns;
}
