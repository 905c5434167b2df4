/* fast_peer: a sender that writes as fast as the socket takes it (or a reader that reads as
 * fast as data comes, with --recv).
 *
 * The lesson: write() only copies bytes into the kernel's send buffer, and they stay there until
 * the peer acknowledges them. When the peer stops reading, its window closes, nothing more is
 * acknowledged, the send buffer fills, and write() blocks — or, on a non-blocking socket,
 * returns EAGAIN. When the peer reads again, ACKs free the buffer and write() goes on.
 *
 * Two ways to write, as real servers do:
 *   --io blocking  blocking write() calls on a writer thread, like the document's conn.Write().
 *                  A call still in progress 1 ms after it began is logged as blocked (stamped
 *                  with the moment it began) and as resumed when it returns.
 *   --io event     libevent and a non-blocking socket: EAGAIN is the moment it blocks, the next
 *                  write that moves data the moment it resumes.
 * Meanwhile the main thread samples the socket every --sample (probe.h). Every byte written
 * follows the pattern (pattern.h) so the receiver can prove nothing was lost.
 *
 * This file is the command line and the order of things. The stream writer is writer.c, the
 * reader and the server that answers one request (--recv, --respond) reader.c, the run that
 * holds them (the read delay, the worker thread, the end) peer.c, and the server of many
 * clients (--clients) server.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer.h"
#include "server.h"
#include "units.h"

const char *const NAME = "fast_peer";

enum {
	OPT_BYTES = PROG_OPT_FIRST_OWN, OPT_DURATION, OPT_WRITE_SIZE, OPT_IO, OPT_RECV,
	OPT_RESPOND, OPT_READ_DELAY, OPT_READ_TIMEOUT, OPT_WRITE_TIMEOUT, OPT_ON_TIMEOUT,
	OPT_USER_TIMEOUT, OPT_CLIENTS, OPT_RATE, OPT_BACKPRESSURE,
};

static void usage(void)
{
	printf("usage: %s [options]\n"
	       "\n"
	       "Write as fast as the socket takes it, logging when write() blocks and when it goes\n"
	       "on; or read, or answer a request, with the timeouts a careful server sets.\n"
	       "\n"
	       "What to do:\n"
	       "  --bytes SIZE           send SIZE bytes, then close (default 1M)\n"
	       "  --duration DUR         send for DUR instead\n"
	       "  --write-size SIZE      bytes per write() call (default 64K)\n"
	       "  --recv                 be the fast reader instead: read everything as it comes\n"
	       "  --respond              be a server: read the request (the document's \"GET /hello\n"
	       "                         HTTP/1.1\", checked byte by byte), answer \"HTTP/1.1 200 OK\n"
	       "                         ... Hello\", and close once the answer is acknowledged\n"
	       "  --read-delay DUR       with --recv or --respond: do not read for DUR, so what\n"
	       "                         arrives waits in the receive buffer\n"
	       "  --io blocking|event    blocking calls on a worker thread (default), or a\n"
	       "                         non-blocking socket driven by libevent\n"
	       "\n"
	       "Timeouts (each logged as a `timeout` event when it fires):\n"
	       "  --read-timeout DUR     give up a read that waits longer: SO_RCVTIMEO (blocking),\n"
	       "                         an event timeout (event)\n"
	       "  --write-timeout DUR    give up a write that waits longer: SO_SNDTIMEO (blocking:\n"
	       "                         the call returns a partial count, then EAGAIN), a timer\n"
	       "                         while write() says EAGAIN (event)\n"
	       "  --on-timeout log|close log it and keep waiting (default), or close the client\n"
	       "  --user-timeout DUR     TCP_USER_TIMEOUT: the kernel aborts the connection when\n"
	       "                         data stays unacknowledged (or the window stays 0) longer\n"
	       "\n"
	       "Many clients (with --listen --io event):\n"
	       "  --clients N            serve N clients at once, each a stream of the pattern\n"
	       "                         produced into the application's own buffer. The open-\n"
	       "                         files limit must hold N (its soft value is raised to the\n"
	       "                         hard one); out of descriptors all the same, accepting\n"
	       "                         pauses for 100 ms at a time. Clients that have not come\n"
	       "                         when production ends (or --duration after listening, if\n"
	       "                         none came) are not waited for, and the run fails.\n"
	       "  --rate RATE            bytes per second produced for each client (default 2M/s),\n"
	       "                         for --duration (default 3s) from the first client\n"
	       "  --backpressure HIGH    stop producing for a client while its pending output\n"
	       "                         (application buffer + kernel send queue) is above HIGH,\n"
	       "                         start again below HIGH/2; without it the server is naive\n"
	       "                         and its memory grows for as long as a client stalls\n"
	       "\n"
	       "%s"
	       "\n"
	       "By default fast_peer connects (--connect HOST:PORT); --listen serves one client.\n"
	       "Exit status: 0 done (a timeout that closes a client is a done job), 1 runtime\n"
	       "error or bytes read that differ from what was sent (the first wrong offset is\n"
	       "said), 2 bad option.\n",
	       NAME, PROG_COMMON_HELP);
}

static uint64_t positive_duration(const char *flag, const char *arg)
{
	uint64_t v = prog_flag_duration(NAME, flag, arg);

	if (v == 0)
		prog_die_flag(NAME, flag, arg, "must be longer than 0");
	return v;
}

/* Descriptors the server of many holds besides its clients': the log, epoll, its timerfd,
 * libevent's signal pipe (2), the listener, and a file read now and then (/proc/self/statm),
 * plus one to spare. */
#define SERVER_OWN_FDS 8

/* --clients N needs a descriptor for each client, and its limit is the soft RLIMIT_NOFILE:
 * raise it to the hard one, and refuse an N that still does not fit, before anything starts
 * (a server that runs out of descriptors half-way serves some clients and not the others). */
static void check_clients_fit(const struct server_opts *so)
{
	uint64_t limit = prog_nofile_raise();
	unsigned open_now = prog_fds_in_use(limit);
	uint64_t room = limit > (uint64_t)open_now + SERVER_OWN_FDS
			? limit - open_now - SERVER_OWN_FDS : 0;
	char value[16], why[224];

	if (so->clients <= room)
		return;
	snprintf(value, sizeof(value), "%u", so->clients);
	snprintf(why, sizeof(why), "the open-files limit (RLIMIT_NOFILE, raised to the hard limit) "
		 "is %" PRIu64 "; with %u descriptors open and %d for the server, it holds %" PRIu64
		 " clients", limit, open_now, SERVER_OWN_FDS, room);
	prog_die_flag(NAME, "--clients", value, why);
}

/* The command line: the common options into o, this peer's into po, the server of many's into
 * so. A bad value is one line on stderr and exit status 2; --help prints the usage and exits 0. */
static void parse_args(int argc, char **argv, struct prog_opts *o, struct peer_opts *po,
		       struct server_opts *so)
{
	static const struct option options[] = {
		{ "bytes", required_argument, NULL, OPT_BYTES },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "write-size", required_argument, NULL, OPT_WRITE_SIZE },
		{ "io", required_argument, NULL, OPT_IO },
		{ "recv", no_argument, NULL, OPT_RECV },
		{ "respond", no_argument, NULL, OPT_RESPOND },
		{ "read-delay", required_argument, NULL, OPT_READ_DELAY },
		{ "read-timeout", required_argument, NULL, OPT_READ_TIMEOUT },
		{ "write-timeout", required_argument, NULL, OPT_WRITE_TIMEOUT },
		{ "on-timeout", required_argument, NULL, OPT_ON_TIMEOUT },
		{ "user-timeout", required_argument, NULL, OPT_USER_TIMEOUT },
		{ "clients", required_argument, NULL, OPT_CLIENTS },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "backpressure", required_argument, NULL, OPT_BACKPRESSURE },
	};
	const char *bytes = NULL, *duration = NULL, *mode_flag = NULL;
	int opt;

	prog_opts_init(o, 0);
	*po = (struct peer_opts){ .blocking = 1, .total = 1u << 20, .write_size = 65536 };
	*so = (struct server_opts){ .rate = 2u << 20, .duration_ns = 3000000000u };
	while ((opt = prog_getopt(NAME, argc, argv, options, PROG_COUNT(options), o,
				  usage)) != -1) {
		switch (opt) {
		case OPT_BYTES:
			po->total = prog_flag_size(NAME, "--bytes", optarg);
			if (po->total == 0)
				prog_die_flag(NAME, "--bytes", optarg, "send at least 1 byte");
			bytes = optarg;
			break;
		case OPT_DURATION:
			po->duration_ns = positive_duration("--duration", optarg);
			duration = optarg;
			break;
		case OPT_WRITE_SIZE:
			po->write_size = prog_flag_size(NAME, "--write-size", optarg);
			if (po->write_size == 0 || po->write_size > 64u << 20)
				prog_die_flag(NAME, "--write-size", optarg,
					      "must be from 1 byte to 64M");
			break;
		case OPT_IO:
			if (strcmp(optarg, "blocking") == 0)
				po->blocking = 1;
			else if (strcmp(optarg, "event") == 0)
				po->blocking = 0;
			else
				prog_die_flag(NAME, "--io", optarg, "use blocking or event");
			break;
		case OPT_RECV:
		case OPT_RESPOND: {
			const char *flag = opt == OPT_RECV ? "--recv" : "--respond";

			if (mode_flag && strcmp(mode_flag, flag) != 0)
				prog_die_conflict(NAME, "--recv", NULL, "--respond", NULL,
						  "read everything, or answer one request");
			mode_flag = flag;
			po->mode = opt == OPT_RECV ? MODE_RECV : MODE_RESPOND;
			break;
		}
		case OPT_READ_DELAY:
			po->read_delay_ns = prog_flag_duration(NAME, "--read-delay", optarg);
			break;
		case OPT_READ_TIMEOUT:
			po->read_timeout_ns = positive_duration("--read-timeout", optarg);
			break;
		case OPT_WRITE_TIMEOUT:
			po->write_timeout_ns = positive_duration("--write-timeout", optarg);
			break;
		case OPT_USER_TIMEOUT:
			po->user_timeout_ns = positive_duration("--user-timeout", optarg);
			if (po->user_timeout_ns < 1000000)
				prog_die_flag(NAME, "--user-timeout", optarg,
					      "the kernel counts it in whole milliseconds");
			break;
		case OPT_ON_TIMEOUT:
			if (strcmp(optarg, "close") == 0)
				po->close_on_timeout = 1;
			else if (strcmp(optarg, "log") == 0)
				po->close_on_timeout = 0;
			else
				prog_die_flag(NAME, "--on-timeout", optarg, "use log or close");
			break;
		case OPT_CLIENTS: {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || errno || v == 0 || v > 10000)
				prog_die_flag(NAME, "--clients", optarg, "a number from 1 to 10000");
			so->clients = (unsigned)v;
			break;
		}
		case OPT_RATE: {
			char e[128];

			if (units_parse_rate(optarg, &so->rate, e, sizeof(e)) < 0)
				prog_die_flag(NAME, "--rate", optarg, e);
			if (so->rate == 0 || so->rate > (1ull << 32))
				prog_die_flag(NAME, "--rate", optarg, "from 1 byte/s to 4G/s");
			break;
		}
		case OPT_BACKPRESSURE:
			so->backpressure = prog_flag_size(NAME, "--backpressure", optarg);
			if (so->backpressure < 2)
				prog_die_flag(NAME, "--backpressure", optarg, "at least 2 bytes");
			break;
		}
	}
	if (bytes && duration)
		prog_die_conflict(NAME, "--bytes", bytes, "--duration", duration,
				  "send so many bytes, or for so long");
	if (duration)
		po->total = 0;
	if (po->read_delay_ns && po->mode == MODE_STREAM)
		prog_die_flag(NAME, "--read-delay", "", "only a reader (--recv, --respond) delays reading");
	if (so->clients && (!o->listen || po->blocking || po->mode != MODE_STREAM))
		prog_die_flag(NAME, "--clients", "", "serving many clients needs --listen --io event");
	if (po->duration_ns)
		so->duration_ns = po->duration_ns;
	if (so->clients)
		check_clients_fit(so);
}

static void describe_plan(const struct peer_opts *po, char *plan, size_t len)
{
	char a[32], b[32];

	if (po->mode == MODE_RECV) {
		snprintf(plan, len, "read everything as it arrives");
	} else if (po->mode == MODE_RESPOND) {
		snprintf(plan, len, "read the request, answer it, close");
	} else if (po->duration_ns) {
		units_format_duration(po->duration_ns, a, sizeof(a));
		units_format_size(po->write_size, b, sizeof(b));
		snprintf(plan, len, "write for %s in writes of %s", a, b);
	} else {
		units_format_size(po->total, a, sizeof(a));
		units_format_size(po->write_size, b, sizeof(b));
		snprintf(plan, len, "write %s in writes of %s", a, b);
	}
}

/* --clients N: the server of many, in server.c. */
static int serve_many(struct prog_opts *o, struct server_opts *so)
{
	struct prog p;
	struct prog_totals totals = { 0 };
	char err[256], plan[160], rate[32];
	int rc;

	units_format_size(so->rate, rate, sizeof(rate));
	snprintf(plan, sizeof(plan), "serve %u clients a stream of %s/s each%s", so->clients,
		 rate, so->backpressure ? ", with backpressure" : ", naively");
	if (prog_init(&p, NAME, o, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	prog_log_start(&p, plan, "event");
	rc = server_run(&p, so, &totals, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", NAME, err);
	prog_log_end(&p, &totals);
	if (prog_free(&p) < 0)
		rc = -1;
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct server_opts so;
	struct prog_opts o;
	struct peer pe;
	char err[256], plan[128];
	int status;

	memset(&pe, 0, sizeof(pe));
	parse_args(argc, argv, &o, &pe.o, &so);
	/* What a scenario needs to know of the run it is about to start: how much it sends. */
	if (o.check_args) {
		if (pe.o.total)
			printf("bytes=%" PRIu64 "\n", pe.o.total);
		return 0;
	}
	if (so.clients)
		return serve_many(&o, &so);

	/* Connect (or accept the one client). */
	if (peer_init(&pe, &o, err, sizeof(err)) < 0)
		prog_die(NAME, err);
	describe_plan(&pe.o, plan, sizeof(plan));
	prog_log_start(&pe.p, plan, pe.o.blocking ? "blocking" : "event");
	if (prog_open_or_end(&pe.p, !pe.o.blocking, &pe.totals, &status) < 0) {
		peer_free(&pe);
		return status;
	}
	if (peer_connected(&pe, err, sizeof(err)) < 0)
		prog_die(NAME, err);

	/* Follow the plan: leave the receive buffer alone for --read-delay, then write as fast as
	 * the socket takes it, or read, or answer the request. */
	peer_run(&pe);

	/* Tear down: close, log the totals, free. */
	return peer_end(&pe);
}
