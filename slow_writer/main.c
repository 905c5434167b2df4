/* slow_writer: a client that writes its request slowly, on purpose.
 *
 * The lesson: a request a client writes waits in the server's receive buffer until the server
 * calls read(), and a server that reads a request byte by byte as it trickles in is at the mercy
 * of its slowest client. This one connects (or accepts one connection) and sends the reference
 * document's own request, "GET /hello HTTP/1.1\r\n\r\n", one byte every 100 ms: a server without
 * a read timeout waits the whole 2.3 s; one with SO_RCVTIMEO gives up and closes, and this
 * program logs the moment it saw that.
 *
 * It follows a plan in the same little language as slow_reader (schedule.h): "write SIZE
 * [every DUR [for DUR]]", "stall DUR", "close". Every write it logs with its size and duration,
 * every stall when it begins and ends, on the shared clock of timeline.h. All the while it reads
 * whatever the peer sends back (the response, or a stream) and checks it, so it sees at once a
 * peer that closes on it; when the plan is done it keeps reading until the peer closes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "plan.h"
#include "prog.h"
#include "schedule.h"

static const char *const NAME = "slow_writer";

enum { OPT_SCHEDULE = PROG_OPT_FIRST_OWN, OPT_PAYLOAD, OPT_EXPECT };

#define DEFAULT_PLAN "write 1B every 100ms for 2300ms"
#define READ_SIZE 65536
#define WRITE_MAX (64u << 20)

struct writer {
	struct prog p;
	struct plan plan;
	struct event *readable;    /* the peer's bytes and its FIN, for the whole run */
	struct event *writable;    /* only while a write is blocked (EAGAIN) */
	const char *payload;       /* the text we write; NULL: the pattern */
	struct pattern_source src; /* its bytes, for any stretch a write asks for */
	size_t wbuflen;            /* the longest write the plan asks for */
	uint8_t *rbuf;
	uint64_t sent;             /* stream offset of the next byte we write */
	uint64_t owed;             /* bytes the plan asked for that are not written yet */
	int blocked;
	uint64_t blocked_since;
	struct pattern_check check;
	struct prog_totals totals;
	int failed;
};

static void usage(void)
{
	printf("usage: %s [options]\n"
	       "\n"
	       "Connect to a server on loopback and write a request slowly, on purpose, so that it\n"
	       "waits in the server's receive buffer, then read the answer until the server closes.\n"
	       "\n"
	       "Plan:\n"
	       "  --schedule PLAN        steps separated by commas:\n"
	       "                           write SIZE [every DUR [for DUR]]  write SIZE once, or\n"
	       "                                                      every DUR (a trickle)\n"
	       "                           stall DUR                  do not write for DUR\n"
	       "                           close                      close the connection\n"
	       "                         default \"" DEFAULT_PLAN "\": the request,\n"
	       "                         one byte at a time (23 writes, at 0, 100, ... 2200 ms).\n"
	       "                         A trickle writes ceil(for / every) times; a write that\n"
	       "                         meets a full send buffer (EAGAIN) waits for room, and the\n"
	       "                         plan waits with it. Unless the plan ends with close, the\n"
	       "                         writer then keeps the connection and reads until the peer\n"
	       "                         closes. It reads whatever arrives at any time, so it sees\n"
	       "                         at once a server that gives up on it (the plan stops there).\n"
	       "  --payload request|pattern  what to write: the reference document's request\n"
	       "                         \"GET /hello HTTP/1.1\\r\\n\\r\\n\", repeated if the plan writes\n"
	       "                         more (default; the document says 26 bytes; the text is 23),\n"
	       "                         or the senders' byte pattern (no period: byte i is byte\n"
	       "                         i%%8 of splitmix64's (i/8)-th number, so any loss, repeat\n"
	       "                         or reordering shows at its offset)\n"
	       "  --expect response|request|pattern  what the peer sends back, checked byte by byte:\n"
	       "                         the document's response \"HTTP/1.1 200 OK\\r\\n\\r\\nHello\",\n"
	       "                         repeated (default; the document says 28 bytes; the text is\n"
	       "                         24), the request (an echo server), or the byte pattern\n"
	       "\n"
	       "%s"
	       "\n"
	       "By default slow_writer connects (--connect HOST:PORT is then required).\n"
	       "Exit status: 0 done (also when the peer closed first: a server that gives up on a\n"
	       "slow client is the lesson), 1 runtime error (a write or read failed, or bytes\n"
	       "differed from what --expect says), 2 bad option.\n",
	       NAME, PROG_COMMON_HELP);
}

/* Has the plan still bytes to write: owed now, a trickle's ticks to come, or a later step? */
static int writes_to_do(const struct writer *w)
{
	return w->owed > 0 || plan_more_of(&w->plan, SCHED_WRITE);
}

/* The peer is gone: it closed (err 0) or a call failed with err. While the plan still has
 * writes to do this is what the read_timeout lesson shows (the server gave up on a client that
 * wrote too slowly), so the close names the step it happened in; the plan stops there, and a
 * FIN is that lesson's expected outcome, not an error. */
static void peer_gone(struct writer *w, const char *call, int err)
{
	char step[128], reason[192];
	const char *what = err ? (strcmp(call, "write") == 0 ? "write failed" : "read failed")
			       : "peer closed";

	if (err) {
		fprintf(stderr, "%s: %s: %s\n", NAME, call, strerror(err));
		timeline_errno(&w->p.tl, "error", call, err);
		w->failed = 1;
	} else {
		timeline_event(&w->p.tl, "eof", timeline_now_ns());
	}
	if (writes_to_do(w)) {
		plan_describe_step(&w->plan, step, sizeof(step));
		snprintf(reason, sizeof(reason), "%s in %s before our writes were done", what, step);
	} else {
		snprintf(reason, sizeof(reason), "%s", what);
	}
	plan_end(&w->plan, reason);
}

/* Write what the plan owes until it is all written or the socket is full. */
static void write_owed(struct writer *w)
{
	while (!plan_over(&w->plan) && w->owed > 0) {
		size_t asked = w->owed < w->wbuflen ? (size_t)w->owed : w->wbuflen;
		const uint8_t *bytes = pattern_source_get(&w->src, w->sent, asked);
		struct probe_sendq after;
		uint64_t t0, t1;
		struct tl_rec r;
		ssize_t n;

		t0 = timeline_now_ns();
		n = write(w->p.fd, bytes, asked);
		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* Not at these sizes, unless the peer stopped reading: wait for room. */
			if (!w->blocked) {
				w->blocked = 1;
				w->blocked_since = t1;
				tl_rec_begin(&r, &w->p.tl, "write_blocked", t1);
				tl_rec_int(&r, "offset", (int64_t)w->sent);
				tl_rec_emit(&w->p.tl, &r);
			}
			if (event_add(w->writable, NULL) < 0)
				plan_fail(&w->plan, "event_add(writable): failed");
			return;
		}
		if (n < 0) {
			peer_gone(w, "write", errno);
			return;
		}
		probe_sendq_take(w->p.fd, &after);
		if (w->blocked) {
			w->blocked = 0;
			tl_rec_begin(&r, &w->p.tl, "write_resumed", t1);
			tl_rec_int(&r, "blocked_us", (int64_t)((t1 - w->blocked_since) / 1000));
			tl_rec_emit(&w->p.tl, &r);
		}
		prog_did_write(&w->p, &w->totals, (size_t)n, asked, w->sent, t0, t1, &after);
		w->sent += (uint64_t)n;
		w->owed -= (uint64_t)n;
	}
	event_del(w->writable);
}

static void on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct writer *w = arg;

	write_owed(w);
	plan_work_done(&w->plan);
}

/* Whatever the peer sends, at any time: logged, checked, and its FIN noticed at once. */
static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct writer *w = arg;

	/* A bounded burst: the socket is level-triggered, so the rest comes on the next turn and
	 * the timers (the plan, the sampler) stay on time. */
	for (int i = 0; i < 64 && !plan_over(&w->plan); i++) {
		uint64_t t0 = timeline_now_ns(), t1;
		ssize_t n = read(w->p.fd, w->rbuf, READ_SIZE);

		t1 = timeline_now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			peer_gone(w, "read", n < 0 ? errno : 0);
			return;
		}
		prog_got_read(&w->p, &w->check, &w->totals, w->rbuf, (size_t)n, t0, t1);
	}
}

/* ---- what the plan's steps mean to a writer ---- */

/* A single "write SIZE" (and the "drain" past the plan's end, which means nothing more to a
 * writer: it reads all along). */
static void step_start(void *arg, const struct schedule_step *st)
{
	struct writer *w = arg;

	if (st->kind != SCHED_WRITE)
		return;
	w->owed += st->bytes;
	write_owed(w);
}

/* A trickle's "write SIZE every DUR": owed now, written unless a write already waits for room. */
static void step_tick(void *arg, const struct schedule_step *st)
{
	struct writer *w = arg;

	w->owed += st->bytes;
	if (!w->blocked)
		write_owed(w);
}

/* The step's time may be up, but not before everything it asked for is written. */
static int step_busy(void *arg)
{
	struct writer *w = arg;

	return w->owed > 0;
}

/* The run is over: the connection is about to close. */
static void step_end(void *arg)
{
	struct writer *w = arg;

	event_del(w->readable);
	event_del(w->writable);
}

static const struct plan_ops writer_steps = {
	.start = step_start,
	.tick = step_tick,
	.busy = step_busy,
	.end = step_end,
};

/* "request", "response", "pattern": the text, NULL for the pattern; exits 2 on anything else. */
static const char *flag_text(const char *flag, const char *arg, int allow_response)
{
	if (strcmp(arg, "request") == 0)
		return PATTERN_REQUEST;
	if (allow_response && strcmp(arg, "response") == 0)
		return PATTERN_RESPONSE;
	if (strcmp(arg, "pattern") == 0)
		return NULL;
	prog_die_flag(NAME, flag, arg, allow_response ? "use response, request or pattern"
						      : "use request or pattern");
}

/* The command line: the common options into o, the plan into plan, what to write and what to
 * expect back into w and *expect. A bad value is one line on stderr and exit status 2; --help
 * prints the usage and exits 0. */
static void parse_args(int argc, char **argv, struct prog_opts *o, struct schedule *plan,
		       struct writer *w, const char **expect)
{
	static const struct option options[] = {
		{ "schedule", required_argument, NULL, OPT_SCHEDULE },
		{ "payload", required_argument, NULL, OPT_PAYLOAD },
		{ "expect", required_argument, NULL, OPT_EXPECT },
	};
	const char *text = DEFAULT_PLAN;
	int opt;

	prog_opts_init(o, 0);
	w->payload = PATTERN_REQUEST;
	*expect = PATTERN_RESPONSE;
	while ((opt = prog_getopt(NAME, argc, argv, options, PROG_COUNT(options), o,
				  usage)) != -1) {
		switch (opt) {
		case OPT_SCHEDULE:
			/* Checked as it comes: an empty or bad plan is refused, whatever follows. */
			prog_flag_plan(NAME, "--schedule", optarg, plan);
			text = optarg;
			break;
		case OPT_PAYLOAD:
			w->payload = flag_text("--payload", optarg, 0);
			break;
		case OPT_EXPECT:
			*expect = flag_text("--expect", optarg, 1);
			break;
		}
	}
	prog_flag_plan(NAME, "--schedule", text, plan);
	if (schedule_has(plan, SCHED_READ) || schedule_has(plan, SCHED_DRAIN))
		prog_die_flag(NAME, "--schedule", text,
			      "a writer's plan cannot read or drain (it reads what comes)");
	/* The largest single write the plan asks for sizes the buffer. */
	w->wbuflen = (size_t)schedule_max_bytes(plan, SCHED_WRITE);
	if (w->wbuflen > WRITE_MAX)
		prog_die_flag(NAME, "--schedule", text, "a write of more than 64M");
	if (w->wbuflen == 0)
		w->wbuflen = 1;
}

int main(int argc, char **argv)
{
	struct prog_opts o;
	struct writer w;
	struct schedule plan;
	const char *expect;
	char err[256];
	int status;

	memset(&w, 0, sizeof(w));
	parse_args(argc, argv, &o, &plan, &w, &expect);
	if (o.check_args) {
		plan_print_ms(&plan);
		return 0;
	}
	w.rbuf = malloc(READ_SIZE);
	if (w.rbuf == NULL)
		prog_die(NAME, "malloc: out of memory");
	if (pattern_source_init(&w.src, w.wbuflen, w.payload, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	pattern_check_init_text(&w.check, expect);

	/* Make the one connection (or accept it). */
	if (prog_init(&w.p, NAME, &o, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	plan_log_start(&w.p, &plan);
	if (prog_open_or_end(&w.p, 1, &w.totals, &status) < 0) {
		pattern_source_free(&w.src);
		free(w.rbuf);
		return status;
	}

	/* Read whatever comes back, all along; write as the plan says. */
	w.readable = event_new(w.p.base, w.p.fd, EV_READ | EV_PERSIST, on_readable, &w);
	w.writable = event_new(w.p.base, w.p.fd, EV_WRITE | EV_PERSIST, on_writable, &w);
	if (w.readable == NULL || w.writable == NULL)
		prog_die(NAME, "event_new(readable, writable): out of memory");
	if (event_add(w.readable, NULL) < 0)
		prog_die(NAME, "event_add(readable): failed");
	if (plan_init(&w.plan, &w.p, &plan, &writer_steps, &w, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	if (plan_run(&w.plan) < 0)
		w.failed = 1;

	/* Tear down: the totals, with every byte that came back checked. */
	if (prog_end_check(&w.p, &w.check, &w.totals) < 0)
		w.failed = 1;
	prog_log_end(&w.p, &w.totals);
	plan_free(&w.plan);
	event_free(w.readable);
	event_free(w.writable);
	if (prog_free(&w.p) < 0)
		w.failed = 1;
	pattern_source_free(&w.src);
	free(w.rbuf);
	return w.failed ? 1 : 0;
}
