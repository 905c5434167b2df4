/* rows: the table's rows, one event at a time in time order, by the same code for a finished
 * run (print_table) and for --follow: each event goes through the lesson's row(), and gets a
 * row when it has something to say. In a lesson that hides them, a wait of write() shorter than
 * SHORT_WAIT_NS is left out, so its write_blocked is held back until that is known (see struct
 * rows). */
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* 0, or -1 when out of memory. facts: the whole run's, or NULL (--follow). */
int rows_init(struct rows *r, FILE *out, const struct options *o, int64_t zero_ns, int wire,
	      const void *facts)
{
	memset(r, 0, sizeof(*r));
	table_init(&r->t, out, o, zero_ns, wire);
	r->t.facts = facts;
	r->view = calloc(1, o->lesson->view_size);
	if (r->view == NULL)
		return -1;
	o->lesson->view_init(r->view, facts);
	return 0;
}

static void rows_show(struct rows *r, const struct event *e)
{
	const struct lesson *l = r->t.o->lesson;
	struct note n = { "", 0 };

	l->row(r->view, e, &r->t, &n);
	if (n.len || (r->t.o->all && l->sample_row(e)))
		table_row(&r->t, r->view, event_when(e, l), n.s);
	if (l->row_done)
		l->row_done(r->view);
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
	if (grow(&r->held, &r->cap, r->nheld + 1, sizeof(*r->held)) < 0)
		return -1;
	r->held[r->nheld++] = *e;   /* its fields stay the caller's: see rows_idle */
	return 0;
}

/* No event before t_ns is still to come: a held wait that began 1 ms before is not short. */
void rows_advance(struct rows *r, int64_t t_ns)
{
	/* Unsigned, as the difference of two t_ns may not fit; a line that reached --follow too
	 * late to be in time order wraps around and releases too, which does no harm. */
	if (r->nheld && (uint64_t)t_ns - (uint64_t)r->held[0].t_ns >= (uint64_t)SHORT_WAIT_NS)
		rows_release(r, 0);
}

/* True when no event given so far is still held, so their fields may be freed. */
int rows_idle(const struct rows *r)
{
	return r->nheld == 0;
}

/* The next event in time order. 0, or -1 when out of memory. */
int rows_feed(struct rows *r, const struct event *e)
{
	int blocked = e->side == SIDE_WRITER && e->kind == K_WRITE_BLOCKED;
	int resumed = e->side == SIDE_WRITER && e->kind == K_WRITE_RESUMED;

	if (!(r->t.o->lesson->flags & LF_HIDE_SHORT_WAITS)) {
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
void rows_finish(struct rows *r)
{
	rows_release(r, 0);
	if (r->hidden)
		fprintf(r->t.out, "  (%zu %s of write() shorter than 1 ms not shown; --all shows "
			"%s)\n", r->hidden, r->hidden == 1 ? "wait" : "waits",
			r->hidden == 1 ? "it" : "them");
}

void rows_free(struct rows *r)
{
	free(r->held);
	free(r->view);
}

/* 0, or -1 when out of memory. */
int print_table(FILE *out, const struct run *run, const struct options *o, const void *facts,
		int wire)
{
	struct rows r;
	int rc = rows_init(&r, out, o, run->zero_ns, wire, facts);

	if (rc == 0) {
		table_header(&r.t);
		for (size_t i = 0; i < run->n && rc == 0; i++)
			rc = rows_feed(&r, &run->ev[i]);
		rows_finish(&r);
	}
	rows_free(&r);
	return rc;
}
