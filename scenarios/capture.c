/* flowlab-capture: the scenario's connection as it crosses the wire.
 *
 * The reference document's central sentence is about the wire: "Kernel sends: TCP Window
 * Size = 0". The programs' own samples say what each socket believes; this program records what
 * was really sent: every segment of the connection on --port, to a pcap file that Wireshark and
 * tshark open, and to a JSON Lines log of `wire` events (timeline.h) on the same clock as the
 * programs, each classified by common/wire: zero windows, window probes, the window update.
 *
 * On Linux's loopback each packet passes a capture twice, leaving and arriving; there this
 * program captures arriving packets only, so each is recorded once. On any other interface (the
 * near end of the veth link a scenario makes, --iface va) a packet passes once, leaving or
 * arriving, and both directions are captured. Capturing needs CAP_NET_RAW: the scenarios run it
 * inside their own user and network namespace, where they have it.
 *
 * --read FILE classifies a saved capture instead and prints the counts, so a test can check the
 * capture against tshark's reading of the same file. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "prog.h"
#include "timeline.h"
#include "wire.h"

static const char *const NAME = "flowlab-capture";

enum {
	OPT_IFACE = 1, OPT_PORT, OPT_PCAP, OPT_LOG, OPT_T0, OPT_LISTENER, OPT_CONNECTOR,
	OPT_READY_FILE, OPT_READ, OPT_CHECK_ARGS, OPT_HELP,
};

struct capture {
	const char *iface;
	unsigned port;
	const char *pcap_path;
	const char *read_path;
	const char *log_path;
	const char *ready_file;
	const char *names[2];        /* [0] the listener (sport == port), [1] the connector */
	uint64_t t0_ns;
	int64_t real_minus_mono;     /* pcap stamps with CLOCK_REALTIME; the lab counts MONOTONIC */
	struct timeline tl;
	struct wire_tracker tracker;
	pcap_dumper_t *dumper;
	int linktype;
	uint64_t packets, segments, duplicates;
	uint64_t counts[WIRE_CLASS_DUPLICATE + 1];
	uint64_t ws_window_updates;     /* Wireshark's, counted apart from the classes */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void usage(void)
{
	printf("usage: %s --port N [options]\n"
	       "       %s --read FILE [--port N] [--listener NAME --connector NAME] [--log FILE]\n"
	       "\n"
	       "Record the TCP connection on port N as it crosses the wire: every segment to a pcap\n"
	       "file and, classified (zero window, window probe, window update), to a JSON Lines log.\n"
	       "\n"
	       "  --iface NAME       interface to capture on (default lo)\n"
	       "  --port N           the listening port of the scenario's connection (required)\n"
	       "  --pcap FILE        write the capture to FILE (Wireshark and tshark open it)\n"
	       "  --log FILE         write `wire` events as JSON Lines to FILE\n"
	       "  --t0 NS            the scenario's zero of time (CLOCK_MONOTONIC ns)\n"
	       "  --listener NAME    the program that listens on --port (default slow_reader)\n"
	       "  --connector NAME   the program that connects to it (default fast_peer)\n"
	       "  --ready-file FILE  write FILE once the capture is running\n"
	       "  --read FILE        classify a saved capture instead, and print the counts\n"
	       "  --check-args       check the options and exit, starting nothing\n"
	       "  --help             this text\n"
	       "\n"
	       "Capturing needs CAP_NET_RAW (root, or a user namespace: unshare -rn).\n"
	       "Exit status: 0 done, 1 runtime error, 2 bad option.\n", NAME, NAME);
}

/* One line, the value's control characters escaped (prog.c's), exit 2. */
static void die_flag(const char *flag, const char *arg, const char *why)
{
	prog_die_flag(NAME, flag, arg, why);
}

static uint64_t mono_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void log_segment(struct capture *c, const struct wire_segment *s,
			const struct wire_result *r)
{
	struct tl_rec rec;
	char flags[8];
	const char *from = c->tracker.side[r->from].port == c->port ? c->names[0] : c->names[1];

	if (c->port == 0)
		from = "?";
	wire_flags_text(s->flags, flags, sizeof(flags));
	tl_rec_begin(&rec, &c->tl, "wire", s->t_ns);
	tl_rec_str(&rec, "from", from);
	tl_rec_int(&rec, "src_port", s->sport);
	tl_rec_int(&rec, "dst_port", s->dport);
	tl_rec_str(&rec, "flags", flags);
	tl_rec_int(&rec, "seq", r->rel_seq);
	tl_rec_int(&rec, "ack", r->rel_ack);
	tl_rec_int(&rec, "len", s->len);
	tl_rec_int(&rec, "win_raw", s->win_raw);
	if (r->window_known)
		tl_rec_int(&rec, "window_bytes", (int64_t)r->window_bytes);
	if (s->wscale >= 0)
		tl_rec_int(&rec, "wscale", s->wscale);
	tl_rec_str(&rec, "class", wire_class_name(r->cls));
	tl_rec_int(&rec, "ws_window_update", r->ws_window_update);
	if (r->probe_form != WIRE_PROBE_NONE)
		tl_rec_str(&rec, "probe_form", wire_probe_form_name(r->probe_form));
	tl_rec_emit(&c->tl, &rec);
}

static void on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)arg;
	struct wire_segment s;
	struct wire_result r;

	c->packets++;
	if (c->dumper)
		pcap_dump((u_char *)c->dumper, h, bytes);
	if (wire_parse(bytes, h->caplen, c->linktype, &s) < 0)
		return;
	if (c->port && s.sport != c->port && s.dport != c->port)
		return;
	/* With nanosecond precision tv_usec holds nanoseconds. */
	s.t_ns = (uint64_t)((int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec - c->real_minus_mono);
	wire_classify(&c->tracker, &s, &r);
	if (r.cls == WIRE_CLASS_DUPLICATE) {
		c->duplicates++;
		return;
	}
	c->segments++;
	c->counts[r.cls]++;
	c->ws_window_updates += r.ws_window_update != 0;
	log_segment(c, &s, &r);
}

static void log_end(struct capture *c, pcap_t *p)
{
	struct pcap_stat st;
	struct tl_rec rec;

	tl_rec_begin(&rec, &c->tl, "end", timeline_now_ns());
	tl_rec_int(&rec, "packets", (int64_t)c->packets);
	tl_rec_int(&rec, "segments", (int64_t)c->segments);
	tl_rec_int(&rec, "duplicates", (int64_t)c->duplicates);
	if (p && !c->read_path && pcap_stats(p, &st) == 0)
		tl_rec_int(&rec, "pcap_drops", st.ps_drop);
	if (stop)
		tl_rec_int(&rec, "signal", stop);
	tl_rec_emit(&c->tl, &rec);
}

/* 1 if iface is a loopback device (IFF_LOOPBACK), 0 if not or if the kernel will not say. */
static int iface_is_loopback(const char *iface)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	close(fd);
	return rc == 0 && (ifr.ifr_flags & IFF_LOOPBACK) != 0;
}

/* Open the live capture, filtered to the connection; on loopback, arriving packets only. */
static pcap_t *open_live(struct capture *c, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	char filter[64];
	struct bpf_program prog;
	pcap_t *p = pcap_create(c->iface, ebuf);

	if (p == NULL) {
		snprintf(err, errlen, "pcap_create(%s): %s", c->iface, ebuf);
		return NULL;
	}
	/* Headers are all the lesson needs; a small snapshot keeps the file small. */
	pcap_set_snaplen(p, 256);
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, 8 << 20);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	if (pcap_activate(p) < 0) {
		snprintf(err, errlen, "pcap_activate(%s): %s", c->iface, pcap_geterr(p));
		goto fail;
	}
	snprintf(filter, sizeof(filter), "tcp port %u", c->port);
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(p, &prog) < 0) {
		snprintf(err, errlen, "pcap_setfilter(%s): %s", filter, pcap_geterr(p));
		goto fail;
	}
	pcap_freecode(&prog);
	/* Each loopback packet once: as it arrives. Where the direction cannot be chosen, the
	 * classifier drops the second copy instead. Elsewhere a packet passes once, whichever
	 * way it goes, and two alike are two (a receiver's duplicate ACKs during a loss). */
	if (iface_is_loopback(c->iface) && pcap_setdirection(p, PCAP_D_IN) < 0)
		c->tracker.drop_loopback_copies = 1;
	if (pcap_setnonblock(p, 1, ebuf) < 0) {
		snprintf(err, errlen, "pcap_setnonblock: %s", ebuf);
		goto fail;
	}
	return p;
fail:
	pcap_close(p);
	return NULL;
}

/* path opened for writing without following a link planted there (O_NOFOLLOW); NULL with
 * errno set. */
static FILE *open_nofollow(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (f == NULL && fd >= 0) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return f;
}

static int write_ready(const char *path, char *err, size_t errlen)
{
	FILE *f = open_nofollow(path);

	if (f == NULL) {
		snprintf(err, errlen, "open(%s): %s", path, strerror(errno));
		return -1;
	}
	if (fputs("ready\n", f) == EOF || fclose(f) != 0) {
		snprintf(err, errlen, "write(%s): %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int run_live(struct capture *c, char *err, size_t errlen)
{
	pcap_t *p = open_live(c, err, errlen);
	struct pollfd pfd;
	struct sigaction sa;

	if (p == NULL)
		return -1;
	c->linktype = pcap_datalink(p);
	if (c->pcap_path) {
		FILE *f = open_nofollow(c->pcap_path);

		if (f == NULL) {
			snprintf(err, errlen, "open(%s): %s", c->pcap_path, strerror(errno));
			pcap_close(p);
			return -1;
		}
		c->dumper = pcap_dump_fopen(p, f);
		if (c->dumper == NULL) {
			fclose(f);
			snprintf(err, errlen, "pcap_dump_open(%s): %s", c->pcap_path, pcap_geterr(p));
			pcap_close(p);
			return -1;
		}
	}
	/* No SA_RESTART: a signal must wake poll() so the capture can end cleanly. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (c->ready_file && write_ready(c->ready_file, err, errlen) < 0)
		goto fail;
	pfd.fd = pcap_get_selectable_fd(p);
	pfd.events = POLLIN;
	while (!stop) {
		int n = poll(&pfd, 1, 100);

		if (n < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			goto fail;
		}
		if (pcap_dispatch(p, -1, on_packet, (u_char *)c) < 0) {
			snprintf(err, errlen, "pcap_dispatch: %s", pcap_geterr(p));
			goto fail;
		}
		if (c->dumper)
			pcap_dump_flush(c->dumper);
	}
	/* What arrived between the last poll and the signal. */
	pcap_dispatch(p, -1, on_packet, (u_char *)c);
	log_end(c, p);
	if (c->dumper)
		pcap_dump_close(c->dumper);
	pcap_close(p);
	return 0;
fail:
	if (c->dumper)
		pcap_dump_close(c->dumper);
	pcap_close(p);
	return -1;
}

static int run_read(struct capture *c, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(c->read_path,
							    PCAP_TSTAMP_PRECISION_NANO, ebuf);

	if (p == NULL) {
		snprintf(err, errlen, "pcap_open_offline(%s): %s", c->read_path, ebuf);
		return -1;
	}
	c->linktype = pcap_datalink(p);
	if (pcap_loop(p, -1, on_packet, (u_char *)c) == -1) {
		snprintf(err, errlen, "pcap_loop(%s): %s", c->read_path, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	log_end(c, p);
	pcap_close(p);
	printf("wire_segments=%llu\n", (unsigned long long)c->segments);
	printf("wire_zero_window_segments=%llu\n",
	       (unsigned long long)c->counts[WIRE_CLASS_ZERO_WINDOW]);
	printf("wire_probes=%llu\n", (unsigned long long)c->counts[WIRE_CLASS_WINDOW_PROBE]);
	printf("wire_window_reopens=%llu\n",
	       (unsigned long long)c->counts[WIRE_CLASS_WINDOW_UPDATE]);
	printf("wire_window_updates=%llu\n", (unsigned long long)c->ws_window_updates);
	printf("wire_retransmissions=%llu\n",
	       (unsigned long long)c->counts[WIRE_CLASS_RETRANSMISSION]);
	printf("wire_duplicates=%llu\n", (unsigned long long)c->duplicates);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "iface", required_argument, NULL, OPT_IFACE },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "pcap", required_argument, NULL, OPT_PCAP },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "t0", required_argument, NULL, OPT_T0 },
		{ "listener", required_argument, NULL, OPT_LISTENER },
		{ "connector", required_argument, NULL, OPT_CONNECTOR },
		{ "ready-file", required_argument, NULL, OPT_READY_FILE },
		{ "read", required_argument, NULL, OPT_READ },
		{ "check-args", no_argument, NULL, OPT_CHECK_ARGS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct capture c;
	struct tl_rec rec;
	char err[PCAP_ERRBUF_SIZE + 256], *end;
	int opt, check_only = 0, help = 0, rc;
	unsigned long v;

	memset(&c, 0, sizeof(c));
	c.iface = "lo";
	c.names[0] = "slow_reader";
	c.names[1] = "fast_peer";
	c.t0_ns = timeline_now_ns();
	wire_tracker_init(&c.tracker);
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_IFACE:
			if (*optarg == '\0')
				die_flag("--iface", optarg, "an interface name such as lo");
			c.iface = optarg;
			break;
		case OPT_PORT:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || errno || v == 0 || v > 65535)
				die_flag("--port", optarg, "a port from 1 to 65535");
			c.port = (unsigned)v;
			break;
		case OPT_PCAP:
			if (*optarg == '\0')
				die_flag("--pcap", optarg, "a file name");
			c.pcap_path = optarg;
			break;
		case OPT_LOG:
			c.log_path = optarg;
			break;
		case OPT_T0:
			errno = 0;
			c.t0_ns = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || errno)
				die_flag("--t0", optarg, "expected CLOCK_MONOTONIC nanoseconds");
			break;
		case OPT_LISTENER:
		case OPT_CONNECTOR:
			if (*optarg == '\0')
				die_flag(opt == OPT_LISTENER ? "--listener" : "--connector", optarg,
					 "a program name");
			c.names[opt == OPT_LISTENER ? 0 : 1] = optarg;
			break;
		case OPT_READY_FILE:
			c.ready_file = optarg;
			break;
		case OPT_READ:
			if (*optarg == '\0')
				die_flag("--read", optarg, "a capture file's name");
			c.read_path = optarg;
			break;
		case OPT_CHECK_ARGS:
			check_only = 1;
			break;
		case OPT_HELP:
			/* Said once the whole line is read: an unknown option after it is refused. */
			help = 1;
			break;
		default:
			prog_die_usage(NAME, opt, argv);
		}
	}
	if (optind < argc)
		die_flag("argument", argv[optind], "this program takes no arguments");
	if (help) {
		usage();
		return 0;
	}
	if (!c.read_path && c.port == 0)
		die_flag("--port", "", "say which connection to capture: --port N");
	if (check_only)
		return 0;

	/* The scenario that started us killed, we end as on its SIGTERM: a capture nobody will stop
	 * must not outlive it. (Already gone: we were handed to init.) */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) {
		fprintf(stderr, "%s: prctl(PR_SET_PDEATHSIG): %s\n", NAME, strerror(errno));
		return 1;
	}
	if (getppid() == 1) {
		fprintf(stderr, "%s: the scenario that started it is gone\n", NAME);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (timeline_open(&c.tl, c.log_path, NAME, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		return 1;
	}
	c.real_minus_mono = (int64_t)(mono_ns(CLOCK_REALTIME) - mono_ns(CLOCK_MONOTONIC));
	tl_rec_begin(&rec, &c.tl, "start", timeline_now_ns());
	tl_rec_int(&rec, "t0_ns", (int64_t)c.t0_ns);
	tl_rec_int(&rec, "pid", (int64_t)getpid());
	tl_rec_str(&rec, "role", c.read_path ? "read" : "capture");
	tl_rec_str(&rec, "iface", c.iface);
	tl_rec_int(&rec, "port", c.port);
	tl_rec_emit(&c.tl, &rec);

	rc = c.read_path ? run_read(&c, err, sizeof(err)) : run_live(&c, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		tl_rec_begin(&rec, &c.tl, "error", timeline_now_ns());
		tl_rec_str(&rec, "text", err);
		tl_rec_emit(&c.tl, &rec);
	}
	if (timeline_close(&c.tl, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", NAME, err);
		rc = -1;
	}
	return rc < 0 ? 1 : 0;
}
