/* plan: a slow program following its schedule (schedule.h) on a libevent base.
 *
 * The runner owns the time. It begins the steps in turn and logs each ("step", and for a stall
 * "stall_begin" and "stall_end"); a timer ends a stall and any step that lasts "for DUR"; a
 * trickle's ticks come every DUR, the first at once, ceil(for / every) of them in all ("write 1B
 * every 100ms for 2300ms" ticks 23 times, at 0, 100, ... 2200 ms): counted, rather than left to
 * which of two timers due at the same moment fires first. Past the last step it begins one more,
 * "drain", that lasts until the program stops the plan.
 *
 * What a step means, a reader's read or a writer's write, is the program's, through plan_ops.
 * A step is over when its time is up (its timer fired; at once for a single "read SIZE" or
 * "write SIZE"; never for a "drain" or a trickle without "for") and the program has no work of
 * it left (ops->busy: a write still waiting for room); then the next step begins.
 *
 * The plan's end is the run's end, whoever decides it (the plan says "close", the peer went,
 * a call failed, a signal stopped the loop): plan_end() closes the connection with the reason
 * and breaks the event loop. */
#ifndef FLOWLAB_PLAN_H
#define FLOWLAB_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "prog.h"
#include "schedule.h"

struct plan_ops {
	/* A step that is not a stall, a close or a trickle begins: "drain" (also the one past the
	 * end), a single "read SIZE" or "write SIZE". */
	void (*start)(void *arg, const struct schedule_step *st);
	/* One tick of a trickle: move st->bytes. */
	void (*tick)(void *arg, const struct schedule_step *st);
	/* Before every step begins: undo what start() began. May be NULL. */
	void (*reset)(void *arg);
	/* 1 while the step has work the program is still doing; when that work is done the
	 * program calls plan_work_done(). May be NULL: never busy. */
	int (*busy)(void *arg);
	/* The run is over: stop watching the socket, which plan_end() then closes. May be NULL. */
	void (*end)(void *arg);
};

struct plan {
	struct schedule sched;
	size_t step;               /* the step being followed; sched.n past the last */
	const struct plan_ops *ops;
	void *arg;
	struct prog *p;            /* the base, the log, the connection */
	struct event *step_timer;  /* ends a stall, or a step that lasts "for DUR" */
	struct event *tick;        /* a trickle's "every DUR" */
	uint64_t ticks_left;       /* a trickle's ticks still to come (UINT64_MAX: no end) */
	int time_up;               /* the step's time is over: next, once the program is not busy */
	int over;
	int failed;                /* plan_fail() ended the run */
};

/* The "start" event of a program that follows s (its text as the plan), on libevent. */
void plan_log_start(struct prog *p, const struct schedule *s);

/* Ready to follow a copy of s on p's base and connection, logging to p's log, calling ops with
 * arg. Returns 0, or -1 with err naming the call that failed. */
int plan_init(struct plan *pl, struct prog *p, const struct schedule *s,
	      const struct plan_ops *ops, void *arg, char *err, size_t errlen);

/* Begin the first step and run the event loop until the run is over. A plan that is over before
 * the loop would start ("close") does not start it: a loopbreak asked for before the loop runs
 * is forgotten when it starts. A loop that ends with the run not over (a signal) ends it, with
 * prog_loop_end_reason(). Returns 0, or -1 if the run failed (plan_fail: a call it needed
 * failed, the loop included; already said). */
int plan_run(struct plan *pl);

/* The program's work for the step is done (ops->busy would now say 0): if the step's time is
 * up too, the next step begins. */
void plan_work_done(struct plan *pl);

/* End the run, for reason: no more steps, ticks or timers; ops->end; the connection closed
 * with reason (a "close" event); the event loop broken. Only the first call counts. */
void plan_end(struct plan *pl, const char *reason);

/* A call the run needed failed, msg naming it ("event_add(step timer): failed"): say it on
 * stderr ("name: msg") and as an "error" event, and end the run with msg as the reason. */
void plan_fail(struct plan *pl, const char *msg);

/* 1 once the run is over. */
int plan_over(const struct plan *pl);

/* The step being followed (the "drain" past the end, once there). */
const struct schedule_step *plan_current(const struct plan *pl);

/* 1 if the plan still has steps of kind k to do: ticks of the current step still to come, or a
 * later step. */
int plan_more_of(const struct plan *pl, enum schedule_kind k);

/* "step 2 (write 1B every 100ms for 2300ms)": the step being followed, for a message. */
void plan_describe_step(const struct plan *pl, char *buf, size_t len);

/* Log "stall_begin": the program stops touching the socket on purpose, for ns. For a program
 * whose stall is not a step of a schedule (fast_peer --read-delay). */
void plan_log_stall(struct prog *p, uint64_t ns);

/* For --check-args: print plan_ms=N on stdout, how long the timed steps of s last together
 * (schedule_timed_ns), which a script's watchdog allows for. */
void plan_print_ms(const struct schedule *s);

/* Free the timers. */
void plan_free(struct plan *pl);

#endif
