/* prog: see prog.h. */
#include "prog.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "units.h"

/* s on stderr with its control characters escaped (\n, \t, \x1b), so that what the user typed
 * stays on the one line that names it and cannot drive the terminal. */
static void put_shown(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '\t')
			fputs("\\t", stderr);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
}

void prog_die_flag(const char *name, const char *flag, const char *arg, const char *why)
{
	fprintf(stderr, "%s: %s: bad value '", name, flag);
	put_shown(arg);
	fputs("': ", stderr);
	put_shown(why);
	fputc('\n', stderr);
	exit(2);
}

void prog_die_conflict(const char *name, const char *flag_a, const char *arg_a,
		       const char *flag_b, const char *arg_b, const char *why)
{
	fprintf(stderr, "%s: %s", name, flag_a);
	if (arg_a) {
		fputs(" '", stderr);
		put_shown(arg_a);
		fputc('\'', stderr);
	}
	fprintf(stderr, " and %s", flag_b);
	if (arg_b) {
		fputs(" '", stderr);
		put_shown(arg_b);
		fputc('\'', stderr);
	}
	fprintf(stderr, " conflict: %s\n", why);
	exit(2);
}

void prog_die_usage(const char *name, int opt, char **argv)
{
	/* getopt has already stepped past the option it could not take. */
	const char *what = argv[optind - 1];

	if (opt == ':') {
		fprintf(stderr, "%s: ", name);
		put_shown(what);
		fputs(": missing value (see --help)\n", stderr);
	} else {
		fprintf(stderr, "%s: unknown option '", name);
		put_shown(what);
		fputs("' (see --help)\n", stderr);
	}
	exit(2);
}

void prog_die(const char *name, const char *msg)
{
	fprintf(stderr, "%s: %s\n", name, msg);
	exit(1);
}

uint64_t prog_flag_size(const char *name, const char *flag, const char *arg)
{
	char err[128];
	uint64_t v;

	if (units_parse_size(arg, &v, err, sizeof(err)) < 0)
		prog_die_flag(name, flag, arg, err);
	return v;
}

uint64_t prog_flag_duration(const char *name, const char *flag, const char *arg)
{
	char err[128];
	uint64_t v;

	if (units_parse_duration(arg, &v, err, sizeof(err)) < 0)
		prog_die_flag(name, flag, arg, err);
	return v;
}

void prog_flag_plan(const char *name, const char *flag, const char *arg, struct schedule *s)
{
	char err[256];

	if (schedule_parse(arg, s, err, sizeof(err)) < 0)
		prog_die_flag(name, flag, arg, err);
}

void prog_opts_init(struct prog_opts *o, int listen_by_default)
{
	memset(o, 0, sizeof(*o));
	o->t0_ns = timeline_now_ns();
	o->sample_ns = 1000000;
	o->listen = listen_by_default;
}

/* A name the kernel has no module loaded for is a typo to report now; one it has but will not
 * let this user pick (EPERM) is only known at setsockopt time, and only worth a warning. */
static void cc_check(const char *name, const char *cc)
{
	char avail[256] = "", why[320];
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_congestion_control", "r");

	if (f == NULL)
		return;        /* cannot tell here: setsockopt will */
	if (fgets(avail, sizeof(avail), f) != NULL) {
		char copy[256], *save = NULL;

		avail[strcspn(avail, "\n")] = '\0';
		snprintf(copy, sizeof(copy), "%s", avail);
		for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			if (strcmp(t, cc) == 0) {
				fclose(f);
				return;
			}
		}
		fclose(f);
		snprintf(why, sizeof(why), "this kernel has %s", avail);
		prog_die_flag(name, "--cc", cc, why);
	}
	fclose(f);
}

int prog_parse_common(const char *name, struct prog_opts *o, int opt, const char *arg)
{
	char err[128];
	char *end;

	switch (opt) {
	case PROG_OPT_LOG:
		o->log_path = arg;
		return 1;
	case PROG_OPT_CHECK_ARGS:
		o->check_args = 1;
		return 1;
	case PROG_OPT_ALLOW_REMOTE:
		o->allow_remote = 1;
		return 1;
	case PROG_OPT_T0:
		errno = 0;
		o->t0_ns = strtoull(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0)
			prog_die_flag(name, "--t0", arg, "expected CLOCK_MONOTONIC nanoseconds");
		return 1;
	case PROG_OPT_SAMPLE:
		o->sample_ns = prog_flag_duration(name, "--sample", arg);
		if (o->sample_ns != 0 && o->sample_ns < 100000)
			prog_die_flag(name, "--sample", arg, "sample at most every 100us (or 0: never)");
		return 1;
	case PROG_OPT_RCVBUF:
	case PROG_OPT_SNDBUF: {
		const char *flag = opt == PROG_OPT_RCVBUF ? "--rcvbuf" : "--sndbuf";
		uint64_t v = prog_flag_size(name, flag, arg);

		/* 0 would silently mean "the kernel's default", which is what leaving it out says. */
		if (v == 0 || v > INT32_MAX)
			prog_die_flag(name, flag, arg, "must be from 1 byte to 2G");
		if (opt == PROG_OPT_RCVBUF)
			o->sock.rcvbuf = v;
		else
			o->sock.sndbuf = v;
		return 1;
	}
	case PROG_OPT_CC:
		if (*arg == '\0' || strlen(arg) >= 16)
			prog_die_flag(name, "--cc", arg, "a congestion control name such as cubic");
		cc_check(name, arg);
		o->sock.cc = arg;
		return 1;
	case PROG_OPT_LISTEN:
		o->listen = 1;
		o->listen_given = 1;
		return 1;
	case PROG_OPT_HOST: {
		struct in6_addr a;

		if (strlen(arg) >= sizeof(o->hostbuf) || (inet_pton(AF_INET, arg, &a) != 1 &&
							   inet_pton(AF_INET6, arg, &a) != 1))
			prog_die_flag(name, "--host", arg, "a numeric IPv4 or IPv6 address");
		snprintf(o->hostbuf, sizeof(o->hostbuf), "%s", arg);
		o->sock.host = o->hostbuf;
		o->host_arg = arg;
		return 1;
	}
	case PROG_OPT_PORT:
		if (sock_parse_addr(arg, &o->sock, o->hostbuf, sizeof(o->hostbuf), err,
				    sizeof(err)) < 0 || strchr(arg, ':') != NULL)
			prog_die_flag(name, "--port", arg, "the port must be a number from 0 to 65535");
		o->port_arg = arg;
		return 1;
	case PROG_OPT_PORT_FILE:
		if (*arg == '\0')
			prog_die_flag(name, "--port-file", arg, "a file name");
		o->port_file = arg;
		return 1;
	case PROG_OPT_CONNECT:
		if (sock_parse_addr(arg, &o->sock, o->hostbuf, sizeof(o->hostbuf), err,
				    sizeof(err)) < 0)
			prog_die_flag(name, "--connect", arg, err);
		if (strchr(arg, ':') == NULL || o->sock.port == 0)
			prog_die_flag(name, "--connect", arg, "expected HOST:PORT with a port above 0");
		o->listen = 0;
		o->connect_arg = arg;
		return 1;
	default:
		return 0;
	}
}

void prog_parse_done(const char *name, const struct prog_opts *o, int argc, char **argv)
{
	if (optind < argc)
		prog_die_flag(name, "argument", argv[optind], "this program takes no arguments");
	if (o->listen_given && o->connect_arg)
		prog_die_conflict(name, "--listen", NULL, "--connect", o->connect_arg,
				  "listen for a peer, or connect to one");
	if (o->port_arg && o->connect_arg)
		prog_die_conflict(name, "--port", o->port_arg, "--connect", o->connect_arg,
				  "--port is the port to listen on; --connect says where to connect");
	if (o->host_arg && o->connect_arg)
		prog_die_conflict(name, "--host", o->host_arg, "--connect", o->connect_arg,
				  "--host is the address to listen on; --connect says where to connect");
	if (!o->listen && o->sock.port == 0)
		prog_die_flag(name, "--connect", "", "say where to connect: --connect HOST:PORT");
	/* The lab's programs misbehave on purpose (a reader that never reads, a flood): pointed
	 * at another machine by a typo, they would do it to that machine. Checked once the whole
	 * line is read, so --allow-remote may come anywhere. */
	if (!o->allow_remote && !sock_addr_is_loopback(o->sock.host)) {
		const char *why = "not a loopback address (127.0.0.0/8, ::1): flowlab stays on "
				  "loopback unless --allow-remote is given";

		if (o->connect_arg)
			prog_die_flag(name, "--connect", o->connect_arg, why);
		prog_die_flag(name, "--host", o->host_arg ? o->host_arg : o->sock.host, why);
	}
}

int prog_getopt(const char *name, int argc, char **argv, const struct option *own, size_t n,
		struct prog_opts *o, void (*usage)(void))
{
	static const struct option common[] = {
		{ "log", required_argument, NULL, PROG_OPT_LOG },
		{ "t0", required_argument, NULL, PROG_OPT_T0 },
		{ "sample", required_argument, NULL, PROG_OPT_SAMPLE },
		{ "rcvbuf", required_argument, NULL, PROG_OPT_RCVBUF },
		{ "sndbuf", required_argument, NULL, PROG_OPT_SNDBUF },
		{ "cc", required_argument, NULL, PROG_OPT_CC },
		{ "listen", no_argument, NULL, PROG_OPT_LISTEN },
		{ "host", required_argument, NULL, PROG_OPT_HOST },
		{ "port", required_argument, NULL, PROG_OPT_PORT },
		{ "port-file", required_argument, NULL, PROG_OPT_PORT_FILE },
		{ "connect", required_argument, NULL, PROG_OPT_CONNECT },
		{ "help", no_argument, NULL, PROG_OPT_HELP },
		{ "check-args", no_argument, NULL, PROG_OPT_CHECK_ARGS },
		{ "allow-remote", no_argument, NULL, PROG_OPT_ALLOW_REMOTE },
	};
	const size_t n_common = PROG_COUNT(common);
	struct option all[64] = { { 0 } };    /* zeroed: the end of the table */
	int opt;

	if (n_common + n >= PROG_COUNT(all))
		prog_die(name, "prog_getopt: more options than its table holds");
	memcpy(all, common, sizeof(common));
	if (n > 0)
		memcpy(all + n_common, own, n * sizeof(*own));
	while ((opt = getopt_long(argc, argv, ":", all, NULL)) != -1) {
		if (prog_parse_common(name, o, opt, optarg))
			continue;
		/* Said once the whole line is read: an unknown option after it is still refused. */
		if (opt == PROG_OPT_HELP) {
			o->help = 1;
			continue;
		}
		if (opt == '?' || opt == ':')
			prog_die_usage(name, opt, argv);
		return opt;
	}
	if (o->help) {
		usage();
		exit(0);
	}
	prog_parse_done(name, o, argc, argv);
	return -1;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct prog *p = arg;

	p->stop_signal = (int)sig;
	event_base_loopbreak(p->base);
}

static void on_sample_timer(evutil_socket_t fd, short what, void *arg)
{
	prog_sample_now(arg);
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int prog_init(struct prog *p, const char *name, struct prog_opts *o, char *err, size_t errlen)
{
	struct event_config *cfg;
	static const int sigs[2] = { SIGINT, SIGTERM };
	static const char *const sig_names[2] = { "SIGINT", "SIGTERM" };

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->opts = o;
	p->fd = -1;
	p->start_ns = timeline_now_ns();
	/* A peer that goes away must give EPIPE, logged and named, not kill the program. */
	signal(SIGPIPE, SIG_IGN);
	if (timeline_open(&p->tl, o->log_path, name, err, errlen) < 0)
		return -1;
	cfg = event_config_new();
	if (cfg == NULL) {
		snprintf(err, errlen, "event_config_new: out of memory");
		goto fail;
	}
	/* Millisecond sampling needs timers that are not rounded to the coarse clock. */
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER) < 0) {
		event_config_free(cfg);
		snprintf(err, errlen, "event_config_set_flag(PRECISE_TIMER): failed");
		goto fail;
	}
	p->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (p->base == NULL) {
		snprintf(err, errlen, "event_base_new_with_config: failed");
		goto fail;
	}
	for (int i = 0; i < 2; i++) {
		p->sig_ev[i] = evsignal_new(p->base, sigs[i], on_signal, p);
		if (p->sig_ev[i] == NULL || evsignal_add(p->sig_ev[i], NULL) < 0) {
			snprintf(err, errlen, "evsignal_add(%s): failed", sig_names[i]);
			goto fail;
		}
	}
	/* The process that started us killed (a scenario's shell), we end as on its SIGTERM, our
	 * end event logged, rather than stall on for nobody. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) {
		snprintf(err, errlen, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	(void)prog_free(p);
	return -1;
}

void prog_log_start(struct prog *p, const char *plan, const char *io)
{
	struct tl_rec r;

	tl_rec_begin(&r, &p->tl, "start", p->start_ns);
	tl_rec_int(&r, "t0_ns", (int64_t)p->opts->t0_ns);
	tl_rec_int(&r, "pid", (int64_t)getpid());
	tl_rec_str(&r, "role", p->opts->listen ? "listen" : "connect");
	tl_rec_str(&r, "plan", plan);
	tl_rec_str(&r, "io", io);
	tl_rec_int(&r, "sample_us", (int64_t)(p->opts->sample_ns / 1000));
	tl_rec_emit(&p->tl, &r);
}

int prog_connected(struct prog *p, char *err, size_t errlen)
{
	struct prog_opts *o = p->opts;
	struct probe_snapshot s;
	struct tl_rec r;
	char why[256], cc[32] = "";
	int rcvbuf = 0, sndbuf = 0;
	uint16_t lport, pport;

	tl_rec_begin(&r, &p->tl, "socket", timeline_now_ns());
	sock_ports(p->fd, &lport, &pport);
	tl_rec_int(&r, "local_port", lport);
	tl_rec_int(&r, "peer_port", pport);
	if (o->sock.rcvbuf)
		tl_rec_int(&r, "rcvbuf_requested_bytes", (int64_t)o->sock.rcvbuf);
	if (o->sock.sndbuf)
		tl_rec_int(&r, "sndbuf_requested_bytes", (int64_t)o->sock.sndbuf);
	if (sock_get_buffers(p->fd, &rcvbuf, &sndbuf, why, sizeof(why)) == 0) {
		tl_rec_int(&r, "rcvbuf_bytes", rcvbuf);
		tl_rec_int(&r, "sndbuf_bytes", sndbuf);
	}
	if (sock_get_cc(p->fd, cc, sizeof(cc), why, sizeof(why)) == 0)
		tl_rec_str(&r, "cc", cc);
	if (o->sock.cc)
		tl_rec_str(&r, "cc_requested", o->sock.cc);
	if (probe_take(p->fd, &s, why, sizeof(why)) == 0 && PROBE_HAS(s.tcpi_len, snd_mss)) {
		tl_rec_int(&r, "mss_bytes", s.ti.snd_mss);
		/* tcpi_snd_wscale is the low nibble, tcpi_rcv_wscale the high one. */
		tl_rec_int(&r, "snd_wscale", s.ti.wscale & 0x0f);
		tl_rec_int(&r, "rcv_wscale", s.ti.wscale >> 4);
	}
	tl_rec_emit(&p->tl, &r);
	if (o->sock.cc_error[0] != '\0') {
		tl_rec_begin(&r, &p->tl, "warning", timeline_now_ns());
		tl_rec_str(&r, "text", o->sock.cc_error);
		tl_rec_emit(&p->tl, &r);
		fprintf(stderr, "%s: warning: %s; using the kernel's default (%s)\n", p->name,
			o->sock.cc_error, cc);
	}
	if (o->sample_ns > 0) {
		p->sample_ev = event_new(p->base, -1, EV_PERSIST, on_sample_timer, p);
		if (p->sample_ev == NULL) {
			snprintf(err, errlen, "event_new(sample timer): out of memory");
			return -1;
		}
		if (prog_arm(p->sample_ev, o->sample_ns, "sample timer", err, errlen) < 0)
			return -1;
		prog_sample_now(p);
	}
	return 0;
}

struct accept_state {
	struct prog *p;
	int lfd;
	char *err;
	size_t errlen;
	int failed;
};

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct accept_state *a = arg;

	if (sock_accept((int)lfd, &a->p->fd, a->err, a->errlen) < 0) {
		/* The client gave up before we took it; wait for the next one. */
		if (errno == ECONNABORTED || errno == EAGAIN || errno == EINTR)
			return;
		a->failed = 1;
	}
}

static int open_connection(struct prog *p, int nonblock, char *err, size_t errlen);

int prog_open_connection(struct prog *p, int nonblock, char *err, size_t errlen)
{
	int rc = open_connection(p, nonblock, err, errlen);

	if (rc < 0)
		prog_log_error(p, err);
	return rc;
}

int prog_open_or_end(struct prog *p, int nonblock, const struct prog_totals *t, int *status)
{
	char err[256];
	int rc = prog_open_connection(p, nonblock, err, sizeof(err));

	if (rc == 0)
		return 0;
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", p->name, err);
	prog_log_end(p, t);
	*status = prog_free(p) < 0 || rc < 0 ? 1 : 0;
	return -1;
}

static int open_connection(struct prog *p, int nonblock, char *err, size_t errlen)
{
	struct prog_opts *o = p->opts;

	if (o->listen) {
		struct accept_state a = { .p = p, .err = err, .errlen = errlen };
		struct event *ev;
		struct tl_rec r;
		uint16_t port;

		if (sock_listen(&o->sock, &a.lfd, &port, err, errlen) < 0)
			return -1;
		tl_rec_begin(&r, &p->tl, "listening", timeline_now_ns());
		tl_rec_int(&r, "port", port);
		tl_rec_emit(&p->tl, &r);
		if (sock_report_port(port, o->port_file, err, errlen) < 0 ||
		    sock_set_nonblock(a.lfd, 1, err, errlen) < 0) {
			close(a.lfd);
			return -1;
		}
		ev = event_new(p->base, a.lfd, EV_READ | EV_PERSIST, on_accept, &a);
		if (ev == NULL || event_add(ev, NULL) < 0) {
			snprintf(err, errlen, ev == NULL ? "event_new(accept): out of memory"
							 : "event_add(accept): failed");
			if (ev)
				event_free(ev);
			close(a.lfd);
			return -1;
		}
		while (p->fd < 0 && !a.failed && !p->stop_signal) {
			/* 1 would mean no event is pending: with the accept event added, only a
			 * broken base says that, and looping on it would spin. */
			if (event_base_loop(p->base, EVLOOP_ONCE) != 0) {
				snprintf(err, errlen, "event_base_loop(accept): failed");
				a.failed = 1;
			}
		}
		event_free(ev);
		/* One connection is the lesson; nobody else may queue up behind it. */
		close(a.lfd);
		if (a.failed)
			return -1;
		if (p->fd < 0)
			return 1;
		/* The accepted socket inherits the listener's options, including O_NONBLOCK on
		 * some systems; make it what the caller asked. */
		if (sock_set_nonblock(p->fd, nonblock, err, errlen) < 0)
			return -1;
	} else {
		if (sock_connect(&o->sock, &p->fd, err, errlen) < 0)
			return -1;
		if (nonblock && sock_set_nonblock(p->fd, 1, err, errlen) < 0)
			return -1;
	}
	return prog_connected(p, err, errlen);
}

void prog_sample_now(struct prog *p)
{
	struct probe_snapshot s;
	struct tl_rec r;
	char err[256];
	uint64_t cpu0 = thread_cpu_ns();

	if (p->fd < 0)
		return;
	if (probe_take(p->fd, &s, err, sizeof(err)) < 0) {
		/* Say it once; a socket that stops answering will show in the other events. */
		if (!p->sample_failed)
			timeline_errno(&p->tl, "warning", "probe_take", errno);
		p->sample_failed = 1;
		return;
	}
	s.t_ns = timeline_now_ns();
	tl_rec_begin(&r, &p->tl, "sample", s.t_ns);
	probe_add_fields(&r, &s);
	tl_rec_emit(&p->tl, &r);
	p->samples++;
	p->sample_cpu_ns += thread_cpu_ns() - cpu0;
	if (p->on_sample)
		p->on_sample(p, &s);
}

void prog_stop_sampling(struct prog *p)
{
	if (p->sample_ev) {
		event_free(p->sample_ev);
		p->sample_ev = NULL;
	}
}

void prog_close(struct prog *p, const char *reason)
{
	struct tl_rec r;

	if (p->fd < 0)
		return;
	/* One last look at the socket before it is gone. */
	prog_sample_now(p);
	prog_stop_sampling(p);
	close(p->fd);
	p->fd = -1;
	tl_rec_begin(&r, &p->tl, "close", timeline_now_ns());
	tl_rec_str(&r, "reason", reason);
	tl_rec_emit(&p->tl, &r);
}

static int64_t tv_us(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

const char *prog_loop_end_reason(const struct prog *p)
{
	return p->stop_signal ? "stopped by signal" : "event loop ended";
}

int prog_end_check(struct prog *p, const struct pattern_check *pc, struct prog_totals *t)
{
	char count[64];

	t->pattern_errors = pc->errors;
	t->pattern_first_error = pc->first_error;
	if (pc->errors == 0)
		return 0;
	if (pc->errors == 1)
		snprintf(count, sizeof(count), "the only wrong byte");
	else
		snprintf(count, sizeof(count), "first of %" PRIu64 " wrong bytes", pc->errors);
	fprintf(stderr, "%s: %s error at offset %" PRIu64 ": expected 0x%02x, got 0x%02x (%s)\n",
		p->name, pattern_check_what(pc), pc->first_error, pc->first_expected, pc->first_got,
		count);
	return -1;
}

void prog_log_end(struct prog *p, const struct prog_totals *t)
{
	struct rusage ru;
	struct tl_rec r;
	uint64_t now = timeline_now_ns();

	tl_rec_begin(&r, &p->tl, "end", now);
	tl_rec_int(&r, "bytes_sent", (int64_t)t->bytes_sent);
	tl_rec_int(&r, "bytes_received", (int64_t)t->bytes_received);
	tl_rec_int(&r, "pattern_errors", (int64_t)t->pattern_errors);
	if (t->pattern_errors)
		tl_rec_int(&r, "pattern_first_error_offset", (int64_t)t->pattern_first_error);
	tl_rec_int(&r, "reads", (int64_t)t->reads);
	tl_rec_int(&r, "writes", (int64_t)t->writes);
	tl_rec_int(&r, "samples", (int64_t)p->samples);
	tl_rec_int(&r, "sample_cpu_us", (int64_t)(p->sample_cpu_ns / 1000));
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		tl_rec_int(&r, "cpu_user_us", tv_us(ru.ru_utime));
		tl_rec_int(&r, "cpu_sys_us", tv_us(ru.ru_stime));
	}
	tl_rec_int(&r, "wall_us", (int64_t)((now - p->start_ns) / 1000));
	if (p->stop_signal)
		tl_rec_int(&r, "signal", p->stop_signal);
	tl_rec_emit(&p->tl, &r);
}

int prog_free(struct prog *p)
{
	char err[320];

	prog_stop_sampling(p);
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	for (int i = 0; i < 2; i++)
		if (p->sig_ev[i])
			event_free(p->sig_ev[i]);
	if (p->base)
		event_base_free(p->base);
	p->base = NULL;
	if (timeline_close(&p->tl, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", p->name, err);
		return -1;
	}
	return 0;
}

uint64_t prog_nofile_raise(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return UINT64_MAX;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit want = { .rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max };

		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl.rlim_cur = rl.rlim_max;
	}
	return rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
}

unsigned prog_fds_in_use(uint64_t limit)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned n = 0;

	if (d == NULL)
		return 3;
	while ((e = readdir(d)) != NULL) {
		char *end;
		unsigned long fd = strtoul(e->d_name, &end, 10);

		/* not ".", "..", nor the directory's own descriptor */
		if (*e->d_name == '.' || *end != '\0' || (int)fd == dirfd(d))
			continue;
		if (fd < limit)
			n++;
	}
	closedir(d);
	return n;
}

int prog_arm(struct event *ev, uint64_t ns, const char *what, char *err, size_t errlen)
{
	struct timeval tv = {
		.tv_sec = (time_t)(ns / 1000000000u),
		.tv_usec = (suseconds_t)(ns % 1000000000u / 1000u),
	};

	if (event_add(ev, &tv) < 0) {
		snprintf(err, errlen, "event_add(%s): failed", what);
		return -1;
	}
	return 0;
}

void prog_log_error(struct prog *p, const char *msg)
{
	struct tl_rec r;

	tl_rec_begin(&r, &p->tl, "error", timeline_now_ns());
	tl_rec_str(&r, "text", msg);
	tl_rec_emit(&p->tl, &r);
}

void prog_got_read(struct prog *p, struct pattern_check *pc, struct prog_totals *t,
		   const uint8_t *buf, size_t n, uint64_t t0, uint64_t t1)
{
	int unread = probe_recvq_take(p->fd);
	uint64_t errors_before = pc->errors;
	struct tl_rec r;

	tl_rec_begin(&r, &p->tl, "read", t1);
	tl_rec_int(&r, "bytes", (int64_t)n);
	tl_rec_int(&r, "dur_ns", (int64_t)(t1 - t0));
	tl_rec_int(&r, "offset", (int64_t)pc->offset);
	if (unread >= 0)
		tl_rec_int(&r, "recvq_after_bytes", unread);
	tl_rec_emit(&p->tl, &r);
	pattern_check_feed(pc, buf, n);
	if (errors_before == 0 && pc->errors > 0) {
		char text[128];

		/* Said at once, where it happened in the timeline; the run goes on to its end. */
		snprintf(text, sizeof(text), "%s error at offset %" PRIu64 ": expected 0x%02x, got "
			 "0x%02x", pattern_check_what(pc), pc->first_error, pc->first_expected,
			 pc->first_got);
		tl_rec_begin(&r, &p->tl, "error", t1);
		tl_rec_str(&r, "text", text);
		tl_rec_int(&r, "offset", (int64_t)pc->first_error);
		tl_rec_int(&r, "expected_byte", pc->first_expected);
		tl_rec_int(&r, "got_byte", pc->first_got);
		tl_rec_emit(&p->tl, &r);
	}
	t->bytes_received += n;
	t->reads++;
}

void prog_did_write(struct prog *p, struct prog_totals *t, size_t n, size_t asked,
		    uint64_t offset, uint64_t t0, uint64_t t1, const struct probe_sendq *q)
{
	struct tl_rec r;

	tl_rec_begin(&r, &p->tl, "write", t1);
	tl_rec_int(&r, "bytes", (int64_t)n);
	tl_rec_int(&r, "requested_bytes", (int64_t)asked);
	tl_rec_int(&r, "dur_ns", (int64_t)(t1 - t0));
	tl_rec_int(&r, "offset", (int64_t)offset);
	if (q->sendq >= 0)
		tl_rec_int(&r, "sendq_after_bytes", q->sendq);
	if (q->notsent >= 0)
		tl_rec_int(&r, "notsent_after_bytes", q->notsent);
	tl_rec_emit(&p->tl, &r);
	t->bytes_sent += n;
	t->writes++;
}
