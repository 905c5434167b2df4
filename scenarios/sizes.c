/* flowlab-sizes: what the kernel does with the buffer sizes a program asks for, measured on
 * this machine for the buffer_sizes lesson.
 *
 * For each size of --sizes it asks SO_RCVBUF and SO_SNDBUF of a fresh TCP socket and reads back
 * what the kernel set (doubled, floored, clamped at net.core.rmem_max / wmem_max); then the
 * FORCE options with the largest size, which pass the clamp only with CAP_NET_ADMIN over the
 * machine's first network namespace. It logs the sysctls that decide all this. Then the
 * handshake: three connections to a listener of its own on loopback, whose client sets
 * SO_RCVBUF before connect(), after it, or before it and larger after it: the window scale is
 * chosen from the buffer when the SYN leaves, and bounds every window the connection can ever
 * advertise. The scenario captures those SYNs; this program logs what TCP_INFO says.
 *
 * Events (JSON Lines, the lab's timeline): start, sysctls, bufsize (one per option and size),
 * handshake (one per connection), end. */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"
#include "timeline.h"
#include "units.h"

#define NAME "flowlab-sizes"
#define MAX_SIZES 32
/* setsockopt takes an int, which the kernel doubles: 1 GiB is the most it could mean. */
#define MAX_SIZE (1u << 30)

struct sizes {
	struct timeline tl;
	const char *log_path, *port_file, *go_file;
	uint64_t t0_ns;
	int n;
	int size[MAX_SIZES];
	int handshake_size, raised_size;
};

static void usage(void)
{
	printf("usage: %s --log FILE [options]\n"
	       "\n"
	       "Ask the kernel for SO_RCVBUF and SO_SNDBUF of each size and log what it set; then\n"
	       "connect to itself on loopback with SO_RCVBUF set before connect(), after it, and\n"
	       "before it and raised after it, and log the window scale each connection got.\n"
	       "\n"
	       "  --log FILE           the events, JSON Lines\n"
	       "  --t0 NS              the scenario's zero of time (CLOCK_MONOTONIC ns)\n"
	       "  --sizes LIST         the sizes to ask for, comma-separated\n"
	       "                       (default 1,1K,4K,16K,64K,256K,1M,8M,64M; each 1 to 1G)\n"
	       "  --handshake-size SIZE  SO_RCVBUF of the handshake's clients (default 4K)\n"
	       "  --raised-size SIZE   what the third client raises it to after connect() (4M)\n"
	       "  --port-file FILE     write the handshake listener's port to FILE ...\n"
	       "  --go-file FILE       ... and connect once FILE exists (a capture is ready)\n"
	       "  --check-args         check the options and exit\n"
	       "  --help               this text\n"
	       "\n"
	       "Exit status: 0 done, 1 runtime error, 2 bad option.\n", NAME);
}

static int parse_size(const char *flag, const char *arg)
{
	char err[128];
	uint64_t v;

	if (units_parse_size(arg, &v, err, sizeof(err)) < 0)
		prog_die_flag(NAME, flag, arg, err);
	if (v < 1 || v > MAX_SIZE)
		prog_die_flag(NAME, flag, arg, "from 1 byte to 1G");
	return (int)v;
}

static void parse_sizes(struct sizes *z, const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *tok;

	if (copy == NULL)
		prog_die(NAME, "strdup: out of memory");
	z->n = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (z->n == MAX_SIZES)
			prog_die_flag(NAME, "--sizes", arg, "at most 32 sizes");
		z->size[z->n++] = parse_size("--sizes", tok);
	}
	free(copy);
	if (z->n == 0)
		prog_die_flag(NAME, "--sizes", arg, "give at least one size");
}

/* A sysctl of one or three numbers; 0 fields when it cannot be read. */
static int read_sysctl(const char *path, long long v[3])
{
	FILE *f = fopen(path, "r");
	int n;

	if (f == NULL)
		return 0;
	n = fscanf(f, "%lld %lld %lld", &v[0], &v[1], &v[2]);
	fclose(f);
	return n < 0 ? 0 : n;
}

static void log_sysctls(struct sizes *z)
{
	static const struct { const char *path, *name; } one[] = {
		{ "/proc/sys/net/core/rmem_max", "rmem_max" },
		{ "/proc/sys/net/core/wmem_max", "wmem_max" },
		{ "/proc/sys/net/core/rmem_default", "rmem_default" },
		{ "/proc/sys/net/core/wmem_default", "wmem_default" },
	};
	static const struct { const char *path, *name; } three[] = {
		{ "/proc/sys/net/ipv4/tcp_rmem", "tcp_rmem" },
		{ "/proc/sys/net/ipv4/tcp_wmem", "tcp_wmem" },
	};
	static const char *const part[3] = { "min", "default", "max" };
	struct tl_rec r;
	long long v[3];
	char name[32];

	tl_rec_begin(&r, &z->tl, "sysctls", timeline_now_ns());
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (read_sysctl(one[i].path, v) >= 1)
			tl_rec_int(&r, one[i].name, v[0]);
	for (size_t i = 0; i < sizeof(three) / sizeof(three[0]); i++)
		if (read_sysctl(three[i].path, v) == 3)
			for (int k = 0; k < 3; k++) {
				snprintf(name, sizeof(name), "%s_%s", three[i].name, part[k]);
				tl_rec_int(&r, name, v[k]);
			}
	tl_rec_emit(&z->tl, &r);
}

/* Ask one option of a fresh socket for `size`, log what the kernel set (or why not). */
static int ask(struct sizes *z, int opt, const char *opt_name, int size, char *err, size_t len)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), got = 0, read_opt;
	socklen_t n = sizeof(got);
	struct tl_rec r;

	if (fd < 0) {
		snprintf(err, len, "socket: %s", strerror(errno));
		return -1;
	}
	read_opt = opt == SO_RCVBUFFORCE ? SO_RCVBUF : opt == SO_SNDBUFFORCE ? SO_SNDBUF : opt;
	tl_rec_begin(&r, &z->tl, "bufsize", timeline_now_ns());
	tl_rec_str(&r, "option", opt_name);
	tl_rec_int(&r, "requested", size);
	if (setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size)) < 0) {
		tl_rec_str(&r, "errno_name", timeline_errno_name(errno));
		tl_rec_str(&r, "error", strerror(errno));
	} else if (getsockopt(fd, SOL_SOCKET, read_opt, &got, &n) < 0) {
		snprintf(err, len, "getsockopt(%s): %s", opt_name, strerror(errno));
		close(fd);
		return -1;
	} else {
		tl_rec_int(&r, "set", got);
	}
	close(fd);
	tl_rec_emit(&z->tl, &r);
	return 0;
}

/* The handshake's listener on 127.0.0.1, port 0, with the kernel's default buffers. */
static int listen_here(int *lfd, int *port, char *err, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);

	*lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (*lfd < 0 || bind(*lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(*lfd, 8) < 0 ||
	    getsockname(*lfd, (struct sockaddr *)&a, &n) < 0) {
		snprintf(err, len, "listen on 127.0.0.1: %s", strerror(errno));
		return -1;
	}
	*port = ntohs(a.sin_port);
	return 0;
}

static int wait_go(const char *path, char *err, size_t len)
{
	const struct timespec nap = { 0, 10000000 };

	for (int i = 0; i < 1000; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		nanosleep(&nap, NULL);
	}
	snprintf(err, len, "%s did not appear within 10 s", path);
	return -1;
}

static int set_rcvbuf(int fd, int size, char *err, size_t len)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0) {
		snprintf(err, len, "setsockopt(SO_RCVBUF): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* One connection to the listener: SO_RCVBUF `before` connect() (0: not), `after` it (0: not);
 * log the window scale the client's SYN offered, as TCP_INFO has it. */
static int handshake(struct sizes *z, int lfd, int port, const char *when, int before, int after,
		     char *err, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in me;
	socklen_t n = sizeof(me);
	struct tcp_info ti;
	socklen_t tn = sizeof(ti);
	int fd = socket(AF_INET, SOCK_STREAM, 0), afd = -1, got = 0, rc = -1;
	socklen_t gn = sizeof(got);
	struct tl_rec r;

	if (fd < 0) {
		snprintf(err, len, "socket: %s", strerror(errno));
		return -1;
	}
	if (before && set_rcvbuf(fd, before, err, len) < 0)
		goto out;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		snprintf(err, len, "connect to 127.0.0.1:%d: %s", port, strerror(errno));
		goto out;
	}
	afd = accept(lfd, NULL, NULL);
	if (afd < 0) {
		snprintf(err, len, "accept: %s", strerror(errno));
		goto out;
	}
	if (after && set_rcvbuf(fd, after, err, len) < 0)
		goto out;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tn) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &gn) < 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &n) < 0) {
		snprintf(err, len, "getsockopt after connect: %s", strerror(errno));
		goto out;
	}
	tl_rec_begin(&r, &z->tl, "handshake", timeline_now_ns());
	tl_rec_str(&r, "when", when);
	if (before)
		tl_rec_int(&r, "before_bytes", before);
	if (after)
		tl_rec_int(&r, "after_bytes", after);
	tl_rec_int(&r, "rcvbuf_bytes", got);
	tl_rec_int(&r, "local_port", ntohs(me.sin_port));
	tl_rec_int(&r, "rcv_wscale", ti.tcpi_rcv_wscale);
	/* The 16-bit window field, shifted by the scale: no window can ever be larger. */
	tl_rec_int(&r, "window_max_bytes", (int64_t)65535 << ti.tcpi_rcv_wscale);
	tl_rec_emit(&z->tl, &r);
	rc = 0;
out:
	if (afd >= 0)
		close(afd);
	close(fd);
	return rc;
}

static int run(struct sizes *z, char *err, size_t len)
{
	int big = 0, lfd = -1, port = 0, rc = -1;
	FILE *f;

	log_sysctls(z);
	for (int i = 0; i < z->n; i++) {
		if (ask(z, SO_RCVBUF, "SO_RCVBUF", z->size[i], err, len) < 0 ||
		    ask(z, SO_SNDBUF, "SO_SNDBUF", z->size[i], err, len) < 0)
			return -1;
		if (z->size[i] > big)
			big = z->size[i];
	}
	if (ask(z, SO_RCVBUFFORCE, "SO_RCVBUFFORCE", big, err, len) < 0 ||
	    ask(z, SO_SNDBUFFORCE, "SO_SNDBUFFORCE", big, err, len) < 0)
		return -1;
	if (listen_here(&lfd, &port, err, len) < 0)
		goto out;
	if (z->port_file) {
		f = fopen(z->port_file, "wx");
		if (f == NULL || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0) {
			snprintf(err, len, "writing %s: %s", z->port_file, strerror(errno));
			goto out;
		}
	}
	if (z->go_file && wait_go(z->go_file, err, len) < 0)
		goto out;
	if (handshake(z, lfd, port, "before", z->handshake_size, 0, err, len) < 0 ||
	    handshake(z, lfd, port, "after", 0, z->handshake_size, err, len) < 0 ||
	    handshake(z, lfd, port, "raised", z->handshake_size, z->raised_size, err, len) < 0)
		goto out;
	rc = 0;
out:
	if (lfd >= 0)
		close(lfd);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_LOG = 1, OPT_T0, OPT_SIZES, OPT_HS, OPT_RAISED, OPT_PORT_FILE, OPT_GO,
	       OPT_CHECK, OPT_HELP };
	static const struct option opts[] = {
		{ "log", required_argument, NULL, OPT_LOG },
		{ "t0", required_argument, NULL, OPT_T0 },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "handshake-size", required_argument, NULL, OPT_HS },
		{ "raised-size", required_argument, NULL, OPT_RAISED },
		{ "port-file", required_argument, NULL, OPT_PORT_FILE },
		{ "go-file", required_argument, NULL, OPT_GO },
		{ "check-args", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct sizes z;
	struct tl_rec r;
	char err[256], *end;
	int opt, check = 0, help = 0, rc;

	memset(&z, 0, sizeof(z));
	z.t0_ns = timeline_now_ns();
	z.handshake_size = 4096;
	z.raised_size = 4 << 20;
	parse_sizes(&z, "1,1K,4K,16K,64K,256K,1M,8M,64M");
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_LOG:
			if (*optarg == '\0')
				prog_die_flag(NAME, "--log", optarg, "a file's name");
			z.log_path = optarg;
			break;
		case OPT_T0:
			errno = 0;
			z.t0_ns = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-')
				prog_die_flag(NAME, "--t0", optarg, "expected CLOCK_MONOTONIC nanoseconds");
			break;
		case OPT_SIZES:
			parse_sizes(&z, optarg);
			break;
		case OPT_HS:
			z.handshake_size = parse_size("--handshake-size", optarg);
			break;
		case OPT_RAISED:
			z.raised_size = parse_size("--raised-size", optarg);
			break;
		case OPT_PORT_FILE:
			z.port_file = optarg;
			break;
		case OPT_GO:
			z.go_file = optarg;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_HELP:
			help = 1;
			break;
		default:
			prog_die_usage(NAME, opt, argv);
		}
	}
	if (optind < argc)
		prog_die_flag(NAME, "argument", argv[optind], "this program takes no arguments");
	if (help) {
		usage();
		return 0;
	}
	if (z.log_path == NULL && !check) {
		fprintf(stderr, "%s: --log FILE is needed (see --help)\n", NAME);
		return 2;
	}
	if (check)
		return 0;
	/* Started by a scenario: it must not outlive it. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) {
		fprintf(stderr, "%s: prctl(PR_SET_PDEATHSIG): %s\n", NAME, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (timeline_open(&z.tl, z.log_path, NAME, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		return 1;
	}
	tl_rec_begin(&r, &z.tl, "start", timeline_now_ns());
	tl_rec_int(&r, "t0_ns", (int64_t)z.t0_ns);
	tl_rec_int(&r, "pid", (int64_t)getpid());
	tl_rec_str(&r, "role", "sizes");
	tl_rec_emit(&z.tl, &r);
	rc = run(&z, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		tl_rec_begin(&r, &z.tl, "error", timeline_now_ns());
		tl_rec_str(&r, "text", err);
		tl_rec_emit(&z.tl, &r);
	}
	timeline_event(&z.tl, "end", timeline_now_ns());
	if (timeline_close(&z.tl, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		rc = -1;
	}
	return rc < 0 ? 1 : 0;
}
