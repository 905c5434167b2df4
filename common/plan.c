/* plan: see plan.h. */
#include "plan.h"

#include <stdio.h>
#include <string.h>

static const struct schedule_step drain_to_eof = { .kind = SCHED_DRAIN };

static void on_step_timer(evutil_socket_t fd, short what, void *arg);
static void on_tick(evutil_socket_t fd, short what, void *arg);

int plan_init(struct plan *pl, struct prog *p, const struct schedule *s,
	      const struct plan_ops *ops, void *arg, char *err, size_t errlen)
{
	memset(pl, 0, sizeof(*pl));
	pl->sched = *s;
	pl->ops = ops;
	pl->arg = arg;
	pl->p = p;
	pl->step_timer = evtimer_new(p->base, on_step_timer, pl);
	pl->tick = event_new(p->base, -1, EV_PERSIST, on_tick, pl);
	if (pl->step_timer == NULL || pl->tick == NULL) {
		snprintf(err, errlen, "%s: out of memory", pl->step_timer ? "event_new(tick)"
									   : "evtimer_new(step timer)");
		plan_free(pl);
		return -1;
	}
	return 0;
}

void plan_free(struct plan *pl)
{
	if (pl->step_timer)
		event_free(pl->step_timer);
	if (pl->tick)
		event_free(pl->tick);
	pl->step_timer = pl->tick = NULL;
}

void plan_log_start(struct prog *p, const struct schedule *s)
{
	char text[160];

	schedule_format(s, text, sizeof(text));
	prog_log_start(p, text, "event");
}

const struct schedule_step *plan_current(const struct plan *pl)
{
	return pl->step < pl->sched.n ? &pl->sched.step[pl->step] : &drain_to_eof;
}

void plan_log_stall(struct prog *p, uint64_t ns)
{
	struct tl_rec r;

	tl_rec_begin(&r, &p->tl, "stall_begin", timeline_now_ns());
	tl_rec_int(&r, "for_us", (int64_t)(ns / 1000));
	tl_rec_emit(&p->tl, &r);
}

static void log_step(struct plan *pl, const struct schedule_step *st)
{
	struct schedule one = { .n = 1 };
	struct tl_rec r;
	char text[96];

	one.step[0] = *st;
	schedule_format(&one, text, sizeof(text));
	tl_rec_begin(&r, &pl->p->tl, "step", timeline_now_ns());
	tl_rec_int(&r, "step", (int64_t)pl->step + 1);
	tl_rec_str(&r, "what", text);
	tl_rec_emit(&pl->p->tl, &r);
	if (st->kind == SCHED_STALL)
		plan_log_stall(pl->p, st->for_ns);
}

static void next_step(struct plan *pl);

/* prog_arm, and if it fails the run fails. */
static int arm(struct plan *pl, struct event *ev, uint64_t ns, const char *what)
{
	char err[128];

	if (prog_arm(ev, ns, what, err, sizeof(err)) == 0)
		return 0;
	plan_fail(pl, err);
	return -1;
}

/* Begin step pl->step. */
static void begin_step(struct plan *pl)
{
	const struct schedule_step *st;

	event_del(pl->step_timer);
	event_del(pl->tick);
	pl->time_up = 0;
	pl->ticks_left = 0;
	if (pl->ops->reset)
		pl->ops->reset(pl->arg);
	if (pl->over)
		return;
	st = plan_current(pl);
	log_step(pl, st);

	switch (st->kind) {
	case SCHED_STALL:
		arm(pl, pl->step_timer, st->for_ns, "step timer");
		return;
	case SCHED_CLOSE:
		plan_end(pl, "plan says close");
		return;
	case SCHED_DRAIN:
	case SCHED_READ:
	case SCHED_WRITE:
		break;
	}
	if (st->for_ns && arm(pl, pl->step_timer, st->for_ns, "step timer") < 0)
		return;
	if (st->every_ns) {
		/* ceil(for / every), without the wrap of for + every - 1 near 2^64 */
		pl->ticks_left = st->for_ns ? st->for_ns / st->every_ns +
					      (st->for_ns % st->every_ns != 0)
					    : UINT64_MAX;
		if (arm(pl, pl->tick, st->every_ns, "tick") < 0)
			return;
		/* The first tick now. (Not event_active(EV_TIMEOUT): libevent would then count the
		 * next tick from the one already scheduled, and the second would come after two
		 * intervals.) */
		on_tick(-1, 0, pl);
		return;
	}
	/* A single read or write is over once it is done; a drain, when its time is up. */
	if (st->kind != SCHED_DRAIN)
		pl->time_up = 1;
	pl->ops->start(pl->arg, st);
	plan_work_done(pl);
}

static void next_step(struct plan *pl)
{
	if (pl->step < pl->sched.n)
		pl->step++;
	begin_step(pl);
}

void plan_work_done(struct plan *pl)
{
	if (pl->over || pl->step >= pl->sched.n || !pl->time_up)
		return;
	if (pl->ops->busy && pl->ops->busy(pl->arg))
		return;
	next_step(pl);
}

static void on_step_timer(evutil_socket_t fd, short what, void *arg)
{
	struct plan *pl = arg;

	if (plan_current(pl)->kind == SCHED_STALL)
		timeline_event(&pl->p->tl, "stall_end", timeline_now_ns());
	event_del(pl->tick);
	pl->time_up = 1;
	plan_work_done(pl);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct plan *pl = arg;

	if (pl->ticks_left == 0) {
		event_del(pl->tick);
		return;
	}
	if (pl->ticks_left != UINT64_MAX && --pl->ticks_left == 0)
		event_del(pl->tick);
	pl->ops->tick(pl->arg, plan_current(pl));
}

int plan_run(struct plan *pl)
{
	pl->step = 0;
	begin_step(pl);
	if (!pl->over && event_base_dispatch(pl->p->base) < 0)
		plan_fail(pl, "event_base_dispatch: failed");
	plan_end(pl, prog_loop_end_reason(pl->p));
	return pl->failed ? -1 : 0;
}

void plan_fail(struct plan *pl, const char *msg)
{
	if (pl->over)
		return;
	pl->failed = 1;
	fprintf(stderr, "%s: %s\n", pl->p->name, msg);
	prog_log_error(pl->p, msg);
	plan_end(pl, msg);
}

void plan_end(struct plan *pl, const char *reason)
{
	if (pl->over)
		return;
	pl->over = 1;
	event_del(pl->step_timer);
	event_del(pl->tick);
	if (pl->ops->end)
		pl->ops->end(pl->arg);
	prog_close(pl->p, reason);
	event_base_loopbreak(pl->p->base);
}

int plan_over(const struct plan *pl)
{
	return pl->over;
}

int plan_more_of(const struct plan *pl, enum schedule_kind k)
{
	if (pl->step >= pl->sched.n)
		return 0;
	if (pl->sched.step[pl->step].kind == k && !pl->time_up && pl->ticks_left > 0)
		return 1;
	for (size_t i = pl->step + 1; i < pl->sched.n; i++)
		if (pl->sched.step[i].kind == k)
			return 1;
	return 0;
}

void plan_describe_step(const struct plan *pl, char *buf, size_t len)
{
	struct schedule one = { .n = 1 };
	char text[96];

	one.step[0] = *plan_current(pl);
	schedule_format(&one, text, sizeof(text));
	snprintf(buf, len, "step %zu (%s)", pl->step + 1, text);
}

void plan_print_ms(const struct schedule *s)
{
	printf("plan_ms=%llu\n", (unsigned long long)(schedule_timed_ns(s) / 1000000));
}
