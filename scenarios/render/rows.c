/* rows: the table's rows, by the same code for a finished run (print_table) and for --follow:
 * a second fold of the events, one at a time in time order, into facts of the table's own;
 * each event's row shows those facts as they stand after it, and is printed when the lesson's
 * note for it says something. In a lesson that hides them, a wait of write() shorter than
 * SHORT_WAIT_NS is left out of the table's fold, so its write_blocked is held back until that
 * is known; in one that merges them, a blocked write()'s return is held until it is known
 * whether a timeout made it return (see struct rows). */
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* 0, or -1 when out of memory. whole: the whole run's facts, or NULL (--follow); run: the logs
 * and who is who (in --follow, as far as they are known). */
int rows_init(struct rows *r, FILE *out, const struct options *o, const struct run *run,
	      int64_t zero_ns, int wire, const void *whole)
{
	memset(r, 0, sizeof(*r));
	table_init(&r->t, out, o, zero_ns, wire);
	r->t.whole = whole;
	r->c.o = o;
	r->c.run = run;
	r->c.zero_ns = zero_ns;
	r->c.whole = whole;
	r->c.live = whole == NULL;
	r->facts = calloc(1, o->lesson->facts_size);
	if (r->facts == NULL)
		return -1;
	o->lesson->start(r->facts, &r->c);
	return 0;
}

static int rows_show(struct rows *r, const struct event *e)
{
	const struct lesson *l = r->t.o->lesson;
	struct note n = { "", 0, T_NONE };
	int rc;

	r->c.note = &n;
	rc = l->event(r->facts, e, &r->c);
	r->c.note = NULL;
	if (n.len || (r->t.o->all && l->sample_row(e)))
		table_row(&r->t, r->facts, event_when(e, l), n.s, n.tone);
	return rc;
}

/* Show the held events from `from` on, and hold nothing. */
static int rows_release(struct rows *r, size_t from)
{
	int rc = 0;

	for (size_t i = from; i < r->nheld && rc == 0; i++)
		rc = rows_show(r, &r->held[i]);
	r->nheld = 0;
	return rc;
}

static int rows_hold(struct rows *r, const struct event *e)
{
	if (grow(&r->held, &r->cap, r->nheld + 1, sizeof(*r->held)) < 0)
		return -1;
	r->held[r->nheld++] = *e;   /* its fields stay the caller's: see rows_idle */
	return 0;
}

/* No event before t_ns is still to come: a held wait that began 1 ms before is not short, and
 * a timeout 100 ms after a blocked write() returned is not that write()'s (the writer logs it
 * right after the call; a busy machine may take some milliseconds). */
int rows_advance(struct rows *r, int64_t t_ns)
{
	int64_t held = r->nheld ? event_when(&r->held[0], r->t.o->lesson) : 0;
	int64_t wait = r->nheld && r->held[0].kind == K_WRITE_RESUMED ? 100 * NS_PER_MS
								      : SHORT_WAIT_NS;

	/* Unsigned, as the difference of two t_ns may not fit; a line that reached --follow too
	 * late to be in time order wraps around and releases too, which does no harm. */
	if (r->nheld && (uint64_t)t_ns - (uint64_t)held >= (uint64_t)wait)
		return rows_release(r, 0);
	return 0;
}

/* True when no event given so far is still held, so their fields may be freed. */
int rows_idle(const struct rows *r)
{
	return r->nheld == 0;
}

/* A write timeout: where the lesson merges, the row that tells the blocked write()'s end. */
static int gave_up(const struct event *e)
{
	const char *what = field_str(e, "what");

	return e->side == SIDE_WRITER && e->kind == K_TIMEOUT &&
	       (str_is(what, "write") || str_is(what, "user"));
}

/* The held write_resumed ended in a timeout: it and the writes it returned are folded without
 * a row, the timeout's row tells them; what else is held is shown as it comes. */
static int rows_merge(struct rows *r)
{
	int rc = 0;

	for (size_t i = 0; i < r->nheld && rc == 0; i++) {
		const struct event *h = &r->held[i];

		if (h->side == SIDE_WRITER && (h->kind == K_WRITE_RESUMED || h->kind == K_WRITE))
			rc = r->t.o->lesson->event(r->facts, h, &r->c);
		else
			rc = rows_show(r, h);
	}
	r->nheld = 0;
	return rc;
}

/* The next event in time order. 0, or -1 when out of memory. */
int rows_feed(struct rows *r, const struct event *e)
{
	unsigned flags = r->t.o->lesson->flags;
	int blocked = e->side == SIDE_WRITER && e->kind == K_WRITE_BLOCKED;
	int resumed = e->side == SIDE_WRITER && e->kind == K_WRITE_RESUMED;

	if (rows_advance(r, event_when(e, r->t.o->lesson)) < 0)
		return -1;
	if (r->nheld && r->held[0].kind == K_WRITE_RESUMED) {
		/* Until the writer does something else than write(): a timeout, or not. */
		if (gave_up(e)) {
			if (rows_merge(r) < 0)
				return -1;
			return rows_show(r, e);
		}
		if (e->side != SIDE_WRITER || e->kind == K_WRITE || e->kind == K_SAMPLE)
			return rows_hold(r, e);
		if (rows_release(r, 0) < 0)
			return -1;
	} else if (r->nheld && resumed) {
		struct opt us = slot_opt(e, RESUMED_BLOCKED_US);

		if (us.has && us.v < SHORT_WAIT_NS / NS_PER_US) {
			r->hidden++;
			return rows_release(r, 1);      /* left out: the write_blocked and this */
		}
		if (rows_release(r, 0) < 0)
			return -1;
	} else if (r->nheld && blocked) {
		if (rows_release(r, 0) < 0)     /* that one never resumed: not a short wait */
			return -1;
	} else if (r->nheld) {
		return rows_hold(r, e);
	}
	if (blocked && !r->t.o->all && (flags & LF_HIDE_SHORT_WAITS))
		return rows_hold(r, e);
	if (resumed && (flags & LF_MERGE_TIMEOUTS))
		return rows_hold(r, e);
	return rows_show(r, e);
}

/* Every event has been given: show what is held, and say what was left out. */
int rows_finish(struct rows *r)
{
	int rc = rows_release(r, 0);

	if (r->hidden)
		fprintf(r->t.out, "  (%zu %s of write() shorter than 1 ms not shown; --all shows "
			"%s)\n", r->hidden, r->hidden == 1 ? "wait" : "waits",
			r->hidden == 1 ? "it" : "them");
	return rc;
}

void rows_free(struct rows *r)
{
	free(r->held);
	if (r->facts)
		r->t.o->lesson->release(r->facts);
	free(r->facts);
}

/* 0, or -1 when out of memory. */
int print_table(FILE *out, const struct run *run, const struct options *o, const void *whole)
{
	struct rows r;
	int rc = rows_init(&r, out, o, run, run->zero_ns, run->wire, whole);

	if (rc == 0) {
		table_header(&r.t);
		for (size_t i = 0; i < run->n && rc == 0; i++)
			rc = rows_feed(&r, &run->ev[i]);
		if (rows_finish(&r) < 0)
			rc = -1;
	}
	rows_free(&r);
	return rc;
}
