/* event: an event's numbers and strings, where a log may leave any of them out (struct opt:
 * absent, never 0). */
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
