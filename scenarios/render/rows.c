/* rows: the table's rows, one event at a time in time order, by the same code for a finished
 * run (print_table) and for --follow: each event goes through view_apply, and gets a row when
 * it has something to say. A wait of write() shorter than SHORT_WAIT_NS is left out, so its
 * write_blocked is held back until that is known (see struct rows). */
#include "render.h"

#include <stdlib.h>
#include <string.h>

void rows_init(struct rows *r, FILE *out, const struct options *o, int64_t zero_ns, int wire)
{
	memset(r, 0, sizeof(*r));
	table_init(&r->t, out, o, zero_ns, wire);
	r->w.quarter = -1;
	r->w.rss_q = -1;
	r->w.app_q = -1;
}

/* A sample that --all gives a row of its own: of either side, or of the lesson's server. */
static int all_sample(const struct table *t, const struct event *e)
{
	if (request_lesson(t->o->lesson))
		return e->kind == K_SAMPLE && e->party == P_SERVER;
	if (t->o->lesson == LESSON_BACKPRESSURE)
		return e->kind == K_SERVER_SAMPLE && e->party == P_SERVER;
	return e->kind == K_SAMPLE && (e->side == SIDE_READER || e->side == SIDE_WRITER);
}

static void rows_show(struct rows *r, const struct event *e)
{
	struct note n = { "", 0 };
	int sample = all_sample(&r->t, e);

	view_apply(&r->w, e, &r->t, &n);
	if (n.len || (r->t.o->all && sample))
		table_row(&r->t, &r->w, event_when(e, r->t.o->lesson), n.s);
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

	/* Only the lessons with a write() column hide short waits. */
	if (r->t.o->lesson != LESSON_WINDOW_ZERO && !send_buffer_lesson(r->t.o->lesson)) {
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
}

/* 0, or -1 when out of memory. */
int print_table(FILE *out, const struct run *run, const struct options *o, const struct figures *f)
{
	struct rows r;
	int rc = 0;

	rows_init(&r, out, o, run->zero_ns, f->wire_segments > 0);
	r.t.f = f;
	r.w.rcvbuf = f->rcvbuf_actual;      /* a finished run knows its buffers from the start */
	r.w.sndbuf = f->sndbuf_actual;
	r.w.srv_rcvbuf = f->rq.rcvbuf_actual;
	r.w.srv_sndbuf = f->rq.sndbuf_actual;
	if (f->server_seen)                 /* nothing read, nothing written yet */
		opt_set(&r.w.read, 0);
	if (f->client_seen)
		opt_set(&r.w.wrote, 0);
	table_header(&r.t);
	for (size_t i = 0; i < run->n && rc == 0; i++)
		rc = rows_feed(&r, &run->ev[i]);
	rows_finish(&r);
	rows_free(&r);
	return rc;
}
