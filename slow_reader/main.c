/* slow_reader: a receiver that stops reading on purpose.
 *
 * The lesson: data a peer sends waits in this socket's receive buffer until the application
 * calls read(). Stop calling read() and the buffer fills; the kernel then advertises a window of
 * 0 and the sender has to stop. Read again and the window reopens.
 *
 * The program accepts one connection (or makes one), then follows a plan such as
 * "stall 2s, drain": for 2 s it does not touch the socket at all, then it reads until EAGAIN
 * every time data arrives, until the peer closes. Every byte read is checked against the
 * pattern the senders write. Every --sample it logs what the socket reports (probe.h), and every
 * read it logs with its size and duration, on the shared clock of timeline.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "plan.h"
#include "prog.h"
#include "schedule.h"

static const char *const NAME = "slow_reader";

enum { OPT_STALL = PROG_OPT_FIRST_OWN, OPT_SCHEDULE, OPT_READ_SIZE };

static void usage(void)
{
	printf("usage: %s [options]\n"
	       "\n"
	       "Accept one TCP connection on loopback and read it slowly, on purpose, so that the\n"
	       "receive buffer fills and the kernel advertises a zero window.\n"
	       "\n"
	       "Plan:\n"
	       "  --stall DUR            do not read for DUR, then drain (same as --schedule\n"
	       "                         \"stall DUR, drain\"); default 2s\n"
	       "  --schedule PLAN        steps separated by commas:\n"
	       "                           stall DUR                  do not touch the socket\n"
	       "                           drain [for DUR]            read until EAGAIN each time\n"
	       "                                                      data arrives\n"
	       "                           read SIZE [every DUR [for DUR]]  read at most SIZE once,\n"
	       "                                                      or every DUR (a trickle)\n"
	       "                           close                      close the connection\n"
	       "                         A trickle reads ceil(for / every) times, the first at once.\n"
	       "                         When the plan ends the reader drains until the peer closes.\n"
	       "  --read-size SIZE       bytes asked of each read() call while draining (default 64K)\n"
	       "\n"
	       "Why drain and not trickle: the kernel frees receive memory a whole packet buffer at\n"
	       "a time and sends a window update only once enough is free. Reading 1 KB at a time\n"
	       "from a full 128 KB buffer reopens a zero window late and a little (9.6 KiB after\n"
	       "seven reads, measured), which frees too little of the sender's buffer to wake a\n"
	       "blocked write(): the sender stays stalled for as long as the trickle lasts. Reading\n"
	       "until EAGAIN reopens the window and wakes the sender within a millisecond.\n"
	       "Try it: --schedule \"stall 2s, read 1K every 100ms for 5s\".\n"
	       "\n"
	       "%s"
	       "\n"
	       "Exit status: 0 done, 1 runtime error or bytes that differ from the pattern (the\n"
	       "first wrong offset is said), 2 bad option.\n",
	       NAME, PROG_COMMON_HELP);
}

struct reader {
	struct prog p;
	struct plan plan;
	struct event *readable;
	int draining;            /* read until EAGAIN whenever data arrives */
	int once_pending;        /* a single "read SIZE" waits for data */
	uint64_t chunk;          /* bytes per read() call */
	uint8_t *buf;
	size_t buflen;
	struct pattern_check check;
	struct prog_totals totals;
	int failed;
};

/* One read() call, logged and checked. Returns bytes read, 0 at EOF, -1 for EAGAIN; on any
 * other error it ends the run. */
static ssize_t read_once(struct reader *rd, size_t want)
{
	uint64_t t0 = timeline_now_ns(), t1;
	ssize_t n;

	if (want > rd->buflen)
		want = rd->buflen;
	do {
		n = read(rd->p.fd, rd->buf, want);
	} while (n < 0 && errno == EINTR);
	t1 = timeline_now_ns();
	if (n < 0) {
		if (errno == EAGAIN)
			return -1;
		fprintf(stderr, "%s: read: %s\n", NAME, strerror(errno));
		timeline_errno(&rd->p.tl, "error", "read", errno);
		rd->failed = 1;
		plan_end(&rd->plan, "read failed");
		return 0;
	}
	if (n == 0) {
		timeline_event(&rd->p.tl, "eof", t1);
		plan_end(&rd->plan, "peer closed");
		return 0;
	}
	prog_got_read(&rd->p, &rd->check, &rd->totals, rd->buf, (size_t)n, t0, t1);
	return n;
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct reader *rd = arg;

	if (rd->draining) {
		/* Until EAGAIN: only an empty buffer is sure to reopen the window. */
		while (!plan_over(&rd->plan) && read_once(rd, rd->chunk) > 0)
			;
	} else if (rd->once_pending) {
		if (read_once(rd, plan_current(&rd->plan)->bytes) < 0)
			return;
		rd->once_pending = 0;
		event_del(rd->readable);
		plan_work_done(&rd->plan);
	}
}

/* ---- what the plan's steps mean to a reader ---- */

/* "drain", or a single "read SIZE": wait for data. */
static void step_start(void *arg, const struct schedule_step *st)
{
	struct reader *rd = arg;

	if (st->kind == SCHED_DRAIN)
		rd->draining = 1;
	else
		rd->once_pending = 1;
	if (event_add(rd->readable, NULL) < 0) {
		plan_fail(&rd->plan, "event_add(readable): failed");
		return;
	}
	/* Data may already be waiting: an edge we will not be told about again. */
	event_active(rd->readable, EV_READ, 0);
}

/* A trickle's "read SIZE every DUR": one read, whether or not data is waiting. */
static void step_tick(void *arg, const struct schedule_step *st)
{
	struct reader *rd = arg;

	(void)read_once(rd, st->bytes);
}

static void step_reset(void *arg)
{
	struct reader *rd = arg;

	event_del(rd->readable);
	rd->draining = 0;
	rd->once_pending = 0;
}

static int step_busy(void *arg)
{
	struct reader *rd = arg;

	return rd->once_pending;
}

static const struct plan_ops reader_steps = {
	.start = step_start,
	.tick = step_tick,
	.reset = step_reset,
	.busy = step_busy,
	.end = step_reset,
};

/* The command line: the common options into o, the plan into plan, the read sizes into rd. A
 * bad value is one line on stderr and exit status 2; --help prints the usage and exits 0. */
static void parse_args(int argc, char **argv, struct prog_opts *o, struct schedule *plan,
		       struct reader *rd)
{
	static const struct option options[] = {
		{ "stall", required_argument, NULL, OPT_STALL },
		{ "schedule", required_argument, NULL, OPT_SCHEDULE },
		{ "read-size", required_argument, NULL, OPT_READ_SIZE },
	};
	char stall_plan[96];
	const char *stall = NULL, *schedule = NULL;
	const char *text, *flag;
	int opt;

	prog_opts_init(o, 1);
	rd->chunk = 65536;
	while ((opt = prog_getopt(NAME, argc, argv, options, PROG_COUNT(options), o,
				  usage)) != -1) {
		switch (opt) {
		case OPT_STALL:
			(void)prog_flag_duration(NAME, "--stall", optarg);
			stall = optarg;
			break;
		case OPT_SCHEDULE:
			/* Checked as it comes: an empty or bad plan is refused, whatever follows. */
			prog_flag_plan(NAME, "--schedule", optarg, plan);
			schedule = optarg;
			break;
		case OPT_READ_SIZE:
			rd->chunk = prog_flag_size(NAME, "--read-size", optarg);
			if (rd->chunk == 0 || rd->chunk > 64u << 20)
				prog_die_flag(NAME, "--read-size", optarg, "must be from 1 byte to 64M");
			break;
		}
	}
	if (stall && schedule)
		prog_die_conflict(NAME, "--stall", stall, "--schedule", schedule,
				  "--stall DUR is the plan \"stall DUR, drain\"; give one plan");
	if (schedule) {
		text = schedule;
		flag = "--schedule";
	} else {
		snprintf(stall_plan, sizeof(stall_plan), "stall %s, drain", stall ? stall : "2s");
		text = stall_plan;
		flag = "--stall";
	}
	prog_flag_plan(NAME, flag, text, plan);
	if (schedule_has(plan, SCHED_WRITE))
		prog_die_flag(NAME, flag, text, "a reader's plan cannot write");
	/* The largest single read the plan asks for sizes the buffer. */
	rd->buflen = rd->chunk;
	if (schedule_max_bytes(plan, SCHED_READ) > rd->buflen)
		rd->buflen = schedule_max_bytes(plan, SCHED_READ);
	if (rd->buflen > 64u << 20)
		prog_die_flag(NAME, flag, text, "a read of more than 64M");
}

int main(int argc, char **argv)
{
	struct prog_opts o;
	struct reader rd;
	struct schedule plan;
	char err[256];
	int status;

	memset(&rd, 0, sizeof(rd));
	parse_args(argc, argv, &o, &plan, &rd);
	if (o.check_args) {
		plan_print_ms(&plan);
		return 0;
	}
	rd.buf = malloc(rd.buflen);
	if (rd.buf == NULL)
		prog_die(NAME, "malloc: out of memory");
	pattern_check_init(&rd.check);

	/* Accept the one connection (or make it). */
	if (prog_init(&rd.p, NAME, &o, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	plan_log_start(&rd.p, &plan);
	if (prog_open_or_end(&rd.p, 1, &rd.totals, &status) < 0) {
		free(rd.buf);
		return status;
	}

	/* Follow the plan: stall, trickle, drain, as it says. */
	rd.readable = event_new(rd.p.base, rd.p.fd, EV_READ | EV_PERSIST, on_readable, &rd);
	if (rd.readable == NULL)
		prog_die(NAME, "event_new(readable): out of memory");
	if (plan_init(&rd.plan, &rd.p, &plan, &reader_steps, &rd, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	if (plan_run(&rd.plan) < 0)
		rd.failed = 1;

	/* Tear down: the totals, with every byte checked against the pattern. */
	if (prog_end_check(&rd.p, &rd.check, &rd.totals) < 0)
		rd.failed = 1;
	prog_log_end(&rd.p, &rd.totals);
	plan_free(&rd.plan);
	event_free(rd.readable);
	if (prog_free(&rd.p) < 0)
		rd.failed = 1;
	free(rd.buf);
	return rd.failed ? 1 : 0;
}
