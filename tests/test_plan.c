/* Unit tests for plan.h on a real libevent base, without a socket (the "connection" is
 * /dev/null, so that the plan's end has something to close): the steps begin in order and are
 * logged, a stall ends on time, a trickle ticks at once and then exactly ceil(for / every) times,
 * a step waits for a program that is still busy, and a plan that is over before the loop starts
 * does not start it. The timings are asserted as bands a busy machine still meets. */
#include "plan.h"

#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog.h"
#include "timeline.h"

#define MS 1000000ULL

#define MAX_CALLS 256

/* A program that records what the plan asked of it. */
struct fake {
	struct plan plan;
	struct prog p;
	struct prog_opts o;
	char path[64];
	uint64_t t_begin;
	int starts, ticks, resets, ends;
	uint64_t tick_ns[MAX_CALLS];
	enum schedule_kind started[MAX_CALLS];
	int busy;                   /* fake_busy's answer */
	uint64_t busy_for_ns;       /* > 0: a single write stays busy this long */
	struct event *busy_timer;
	int more_at_tick[MAX_CALLS]; /* plan_more_of(SCHED_WRITE) at each tick */
	size_t step_at_tick[MAX_CALLS];
};

static void fake_start(void *arg, const struct schedule_step *st)
{
	struct fake *f = arg;

	f->started[f->starts++] = st->kind;
	/* The "drain" past the plan's end lasts until the program ends the run: end it. */
	if (f->plan.step >= f->plan.sched.n) {
		plan_end(&f->plan, "the fake is done");
		return;
	}
	if (st->kind == SCHED_WRITE && f->busy_for_ns) {
		struct timeval tv = { 0, (suseconds_t)(f->busy_for_ns / 1000) };

		f->busy = 1;
		ck_assert_int_eq(event_add(f->busy_timer, &tv), 0);
	}
}

static void fake_tick(void *arg, const struct schedule_step *st)
{
	struct fake *f = arg;

	f->more_at_tick[f->ticks] = plan_more_of(&f->plan, SCHED_WRITE);
	f->step_at_tick[f->ticks] = f->plan.step;
	f->tick_ns[f->ticks++] = timeline_now_ns() - f->t_begin;
}

static void fake_reset(void *arg)
{
	struct fake *f = arg;

	f->resets++;
}

static int fake_busy(void *arg)
{
	struct fake *f = arg;

	return f->busy;
}

static void fake_end(void *arg)
{
	struct fake *f = arg;

	f->ends++;
}

static void on_busy_over(evutil_socket_t fd, short what, void *arg)
{
	struct fake *f = arg;

	f->busy = 0;
	plan_work_done(&f->plan);
}

static const struct plan_ops fake_ops = {
	.start = fake_start,
	.tick = fake_tick,
	.reset = fake_reset,
	.busy = fake_busy,
	.end = fake_end,
};

static struct fake *fake_new(const char *text)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct schedule s;
	char err[256];
	int fd;

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(schedule_parse(text, &s, err, sizeof(err)) == 0, "%s", err);
	snprintf(f->path, sizeof(f->path), "/tmp/flowlab-test-plan.XXXXXX");
	fd = mkstemp(f->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	prog_opts_init(&f->o, 1);
	f->o.log_path = f->path;
	ck_assert_msg(prog_init(&f->p, "test", &f->o, err, sizeof(err)) == 0, "%s", err);
	f->p.fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(f->p.fd, 0);
	f->busy_timer = evtimer_new(f->p.base, on_busy_over, f);
	ck_assert_ptr_nonnull(f->busy_timer);
	ck_assert_msg(plan_init(&f->plan, &f->p, &s, &fake_ops, f, err, sizeof(err)) == 0, "%s",
		      err);
	return f;
}

static void fake_run(struct fake *f)
{
	f->t_begin = timeline_now_ns();
	ck_assert_int_eq(plan_run(&f->plan), 0);
	ck_assert(plan_over(&f->plan));
	ck_assert_int_eq(f->ends, 1);
	ck_assert_int_eq(f->p.fd, -1);
}

static void fake_free(struct fake *f)
{
	plan_free(&f->plan);
	event_free(f->busy_timer);
	prog_free(&f->p);
	unlink(f->path);
	free(f);
}

/* The log, but for the warning that /dev/null is no socket to sample: the kinds of its events
 * and the "what" of its steps joined, their times, and the close event's reason. */
struct logged {
	int n;
	char kinds[1024];
	char whats[1024];
	char reason[128];
	uint64_t t_ns[64];
};

static int read_log(const struct fake *f, struct logged *lg)
{
	char line[1024], err[128];
	FILE *in = fopen(f->path, "r");

	memset(lg, 0, sizeof(*lg));
	ck_assert_ptr_nonnull(in);
	while (fgets(line, sizeof(line), in)) {
		struct tl_event ev;
		const char *kind, *what, *reason;
		int64_t t;

		ck_assert_msg(tl_event_parse(line, &ev, err, sizeof(err)) == 0, "%s", err);
		kind = tl_event_str(&ev, "kind");
		if (strcmp(kind, "warning") == 0) {
			tl_event_free(&ev);
			continue;
		}
		strcat(lg->kinds, lg->n ? " " : "");
		strcat(lg->kinds, kind);
		what = tl_event_str(&ev, "what");
		if (what) {
			strcat(lg->whats, lg->whats[0] ? "|" : "");
			strcat(lg->whats, what);
		}
		reason = tl_event_str(&ev, "reason");
		if (reason)
			snprintf(lg->reason, sizeof(lg->reason), "%s", reason);
		ck_assert(tl_event_int(&ev, "t_ns", &t));
		if (lg->n < 64)
			lg->t_ns[lg->n] = (uint64_t)t;
		lg->n++;
		tl_event_free(&ev);
	}
	fclose(in);
	return lg->n;
}

START_TEST(stall_then_close)
{
	struct fake *f = fake_new("stall 30ms, close");
	struct logged lg;

	fake_run(f);
	read_log(f, &lg);
	ck_assert_str_eq(lg.kinds, "step stall_begin stall_end step close");
	ck_assert_str_eq(lg.whats, "stall 30ms|close");
	ck_assert_str_eq(lg.reason, "plan says close");
	/* stall_end 30 ms after stall_begin, not before, and not much later */
	ck_assert_uint_ge(lg.t_ns[2] - lg.t_ns[1], 30 * MS);
	ck_assert_uint_lt(lg.t_ns[2] - lg.t_ns[1], 500 * MS);
	ck_assert_int_eq(f->starts, 0);
	ck_assert_int_eq(f->resets, 2);      /* before each step */
	fake_free(f);
}
END_TEST

/* Did the loop keep time: did every tick come within half an interval of its moment? libevent
 * skips a persistent timer's tick that comes a whole interval late, so on a starved machine a
 * trickle may tick fewer times than it should; never more. */
static int kept_time(const struct fake *f, uint64_t every_ns)
{
	for (int i = 0; i < f->ticks; i++)
		if (f->tick_ns[i] > (uint64_t)i * every_ns + every_ns / 2)
			return 0;
	return 1;
}

/* The writer's default plan, scaled down: "every 10ms for 230ms" ticks 23 times. */
START_TEST(trickle_ticks_counted)
{
	struct fake *f = fake_new("write 1B every 10ms for 230ms");
	struct logged lg;

	fake_run(f);
	ck_assert_int_le(f->ticks, 23);
	if (kept_time(f, 10 * MS))
		ck_assert_int_eq(f->ticks, 23);
	/* The first tick at once, the next one interval later (not two). */
	ck_assert_uint_lt(f->tick_ns[0], 5 * MS);
	ck_assert_uint_ge(f->tick_ns[1], 10 * MS);
	ck_assert_uint_lt(f->tick_ns[1], 200 * MS);
	/* Past the end, "drain": started, and the fake ends the run there. */
	ck_assert_int_eq(f->starts, 1);
	ck_assert_int_eq(f->started[0], SCHED_DRAIN);
	read_log(f, &lg);
	ck_assert_str_eq(lg.kinds, "step step close");
	ck_assert_str_eq(lg.whats, "write 1B every 10ms for 230ms|drain");
	ck_assert_str_eq(lg.reason, "the fake is done");
	/* The second step begins when the trickle's time is up, not at its last tick. */
	ck_assert_uint_ge(lg.t_ns[1] - lg.t_ns[0], 230 * MS);
	fake_free(f);
}
END_TEST

/* "for" an exact multiple of "every": the last tick and the end of the step are due at the same
 * moment; the count, not the order the two timers fire in, decides. Run it a few times. */
START_TEST(trickle_count_does_not_race)
{
	for (int run = 0; run < 5; run++) {
		struct fake *f = fake_new("read 1B every 20ms for 200ms");

		fake_run(f);
		ck_assert_int_le(f->ticks, 10);
		if (kept_time(f, 20 * MS))
			ck_assert_int_eq(f->ticks, 10);
		fake_free(f);
	}
}
END_TEST

START_TEST(trickle_rounds_up)
{
	struct fake *f = fake_new("write 1B every 20ms for 50ms");

	fake_run(f);
	ck_assert_int_le(f->ticks, 3);
	if (kept_time(f, 20 * MS))
		ck_assert_int_eq(f->ticks, 3);       /* at 0, 20 and 40 ms */
	fake_free(f);
}
END_TEST

/* What a writer asks when the peer goes: are writes still to come? */
START_TEST(more_of)
{
	struct fake *f = fake_new("write 1B every 10ms for 30ms, stall 10ms, write 2B every 5ms "
				  "for 5ms, close");
	int in_step[3] = { 0 };

	fake_run(f);
	for (int i = 0; i < f->ticks; i++) {
		in_step[f->step_at_tick[i]]++;
		/* In step 1, writes to come (its own ticks, then step 3's); in step 3 (one tick,
		 * and no write after it) none. */
		ck_assert_int_eq(f->more_at_tick[i], f->step_at_tick[i] == 0);
	}
	/* A trickle's first tick comes at once, whatever the load. */
	ck_assert_int_ge(in_step[0], 1);
	ck_assert_int_eq(in_step[2], 1);
	fake_free(f);
}
END_TEST

/* A single write that waits for room holds the plan until it is done, however short its
 * step's time. */
START_TEST(busy_holds_the_step)
{
	struct fake *f = fake_new("write 5B, stall 10ms, close");
	struct logged lg;

	f->busy_for_ns = 40 * MS;
	fake_run(f);
	read_log(f, &lg);
	ck_assert_str_eq(lg.kinds, "step step stall_begin stall_end step close");
	ck_assert_uint_ge(lg.t_ns[1] - lg.t_ns[0], 40 * MS);
	ck_assert_int_eq(f->started[0], SCHED_WRITE);
	fake_free(f);
}
END_TEST

/* A single write done at once moves on at once. */
START_TEST(once_not_busy)
{
	struct fake *f = fake_new("write 5B, write 6B, close");
	struct logged lg;

	fake_run(f);
	read_log(f, &lg);
	ck_assert_str_eq(lg.kinds, "step step step close");
	ck_assert_int_eq(f->starts, 2);
	fake_free(f);
}
END_TEST

START_TEST(drain_for)
{
	struct fake *f = fake_new("drain for 20ms, close");
	struct logged lg;

	fake_run(f);
	read_log(f, &lg);
	ck_assert_str_eq(lg.whats, "drain for 20ms|close");
	ck_assert_uint_ge(lg.t_ns[1] - lg.t_ns[0], 20 * MS);
	ck_assert_int_eq(f->started[0], SCHED_DRAIN);
	fake_free(f);
}
END_TEST

static void on_sentinel(evutil_socket_t fd, short what, void *arg)
{
	int *fired = arg;

	*fired = 1;
}

/* "close" first: the plan is over before the loop would start, and the loop must not start (a
 * loopbreak asked for before it runs is forgotten, so it would run until the sentinel). */
START_TEST(over_before_the_loop)
{
	struct fake *f = fake_new("close");
	struct timeval second = { 1, 0 };
	int fired = 0;
	struct event *sentinel = evtimer_new(f->p.base, on_sentinel, &fired);
	struct logged lg;

	ck_assert_int_eq(event_add(sentinel, &second), 0);
	fake_run(f);
	ck_assert_int_eq(fired, 0);
	read_log(f, &lg);
	ck_assert_str_eq(lg.reason, "plan says close");
	ck_assert_uint_lt(timeline_now_ns() - f->t_begin, 500 * MS);
	event_free(sentinel);
	fake_free(f);
}
END_TEST

static void on_signal_now(evutil_socket_t fd, short what, void *arg)
{
	struct prog *p = arg;

	/* What prog's SIGTERM handler does. */
	p->stop_signal = 15;
	event_base_loopbreak(p->base);
}

/* A signal in the middle of a stall: the loop ends, and the run with it, named so. */
START_TEST(signal_ends_the_run)
{
	struct fake *f = fake_new("stall 10s, close");
	struct timeval soon = { 0, 20000 };
	struct event *sig = evtimer_new(f->p.base, on_signal_now, &f->p);
	struct logged lg;

	ck_assert_int_eq(event_add(sig, &soon), 0);
	fake_run(f);
	ck_assert_uint_lt(timeline_now_ns() - f->t_begin, 5000 * MS);
	read_log(f, &lg);
	ck_assert_str_eq(lg.kinds, "step stall_begin close");
	ck_assert_str_eq(lg.reason, "stopped by signal");
	event_free(sig);
	fake_free(f);
}
END_TEST

START_TEST(describe)
{
	struct fake *f = fake_new("stall 2s, write 1B every 100ms for 2300ms");
	char buf[128];

	plan_describe_step(&f->plan, buf, sizeof(buf));
	ck_assert_str_eq(buf, "step 1 (stall 2s)");
	f->plan.step = 1;
	plan_describe_step(&f->plan, buf, sizeof(buf));
	ck_assert_str_eq(buf, "step 2 (write 1B every 100ms for 2300ms)");
	f->plan.step = 2;
	plan_describe_step(&f->plan, buf, sizeof(buf));
	ck_assert_str_eq(buf, "step 3 (drain)");
	ck_assert_int_eq(plan_current(&f->plan)->kind, SCHED_DRAIN);
	fake_free(f);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("run");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, stall_then_close);
	tcase_add_test(tc, trickle_ticks_counted);
	tcase_add_test(tc, trickle_count_does_not_race);
	tcase_add_test(tc, trickle_rounds_up);
	tcase_add_test(tc, more_of);
	tcase_add_test(tc, busy_holds_the_step);
	tcase_add_test(tc, once_not_busy);
	tcase_add_test(tc, drain_for);
	tcase_add_test(tc, over_before_the_loop);
	tcase_add_test(tc, signal_ends_the_run);
	tcase_add_test(tc, describe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
