/* event: an event's numbers and strings, where a log may leave any of them out (struct opt:
 * absent, never 0), and the reader's zero-window stretches on the wire, which the table's rows
 * and the figures follow alike (wire_track_step). */
#include "render.h"

#include <string.h>

void opt_set(struct opt *o, int64_t v)
{
	o->has = 1;
	o->v = v;
}

struct opt slot_opt(const struct event *e, int slot)
{
	struct opt o = { 0, 0 };

	if (e->has & (1u << slot))
		opt_set(&o, e->v[slot]);
	return o;
}

struct opt field_opt(const struct event *e, const char *name)
{
	struct opt o = { 0, 0 };

	if (e->fields && tl_event_int(e->fields, name, &o.v))
		o.has = 1;
	return o;
}

const char *field_str(const struct event *e, const char *name)
{
	return e->fields ? tl_event_str(e->fields, name) : NULL;
}

/* A wire segment's class (WC_OTHER for any other event). */
enum wclass wire_class(const struct event *e)
{
	return e->kind == K_WIRE ? (enum wclass)e->v[W_CLASS] : WC_OTHER;
}

/* The side that sent a wire segment: SIDE_OTHER when the capture could not tell. */
enum side wire_from(const struct event *e)
{
	return e->kind == K_WIRE ? (enum side)e->v[W_FROM] : SIDE_OTHER;
}

int is_wire_from(const struct event *e, enum side side, enum wclass c)
{
	return e->kind == K_WIRE && wire_from(e) == side && wire_class(e) == c;
}

int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_is(const char *s, const char *t)
{
	return s && strcmp(s, t) == 0;
}

/* The highest so far: *peak becomes v when v is known and higher, or the first known, and
 * then *at (unless NULL) becomes t_ns. */
void max_of(struct opt *peak, struct opt *at, struct opt v, int64_t t_ns)
{
	if (v.has && (!peak->has || v.v > peak->v)) {
		*peak = v;
		if (at)
			opt_set(at, t_ns);
	}
}

/* ---- the wire: the reader's zero-window stretches, told alike by the rows and the figures ---- */

/* Follow one event. For a probe, *gap is the time since the stretch's previous probe, or for
 * its first since the window closed; absent when the capture saw neither. */
enum wire_step wire_track_step(struct wire_track *tr, const struct event *e, struct opt *gap)
{
	gap->has = 0;
	switch (wire_class(e)) {
	case WC_ZERO_WINDOW:
		/* The reader repeats its zero window in answer to every probe: only the first
		 * one closes the window. */
		if (wire_from(e) != SIDE_READER || tr->closed)
			return WS_NONE;
		memset(tr, 0, sizeof(*tr));
		tr->closed = 1;
		opt_set(&tr->closed_at, e->t_ns);
		return WS_CLOSED;
	case WC_PROBE:
		tr->probe_no++;
		if (tr->last_probe.has)
			opt_set(gap, e->t_ns - tr->last_probe.v);
		else if (tr->closed_at.has)
			opt_set(gap, e->t_ns - tr->closed_at.v);
		opt_set(&tr->last_probe, e->t_ns);
		return WS_PROBE;
	case WC_UPDATE:
		if (wire_from(e) != SIDE_READER)
			return WS_NONE;
		memset(tr, 0, sizeof(*tr));
		return WS_REOPENED;
	default:
		return WS_NONE;
	}
}
