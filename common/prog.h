/* prog: what every flowlab program does around its lesson.
 *
 * The knobs they share (where to listen or connect, buffer sizes, congestion control, the log,
 * the sampling interval), their parsing with one clear line and exit status 2 for a bad value,
 * the libevent base with a precise timer, SIGPIPE ignored and SIGINT/SIGTERM ending the loop
 * cleanly, the sampler that logs a probe snapshot of the connection every --sample, and the
 * start, socket and end events. Unlike the rest of common/, the prog_die* functions exit: they
 * are the programs' own error path. */
#ifndef FLOWLAB_PROG_H
#define FLOWLAB_PROG_H

#include <getopt.h>
#include <stdint.h>

#include <event2/event.h>

#include "pattern.h"
#include "probe.h"
#include "schedule.h"
#include "sock.h"
#include "timeline.h"

/* How many elements array a has (a program's table of its own options). */
#define PROG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Long options every program takes, besides its own (numbered from PROG_OPT_FIRST_OWN). */
enum {
	PROG_OPT_LOG = 1000, PROG_OPT_T0, PROG_OPT_SAMPLE, PROG_OPT_RCVBUF, PROG_OPT_SNDBUF,
	PROG_OPT_CC, PROG_OPT_LISTEN, PROG_OPT_HOST, PROG_OPT_PORT, PROG_OPT_PORT_FILE,
	PROG_OPT_CONNECT, PROG_OPT_HELP, PROG_OPT_CHECK_ARGS, PROG_OPT_ALLOW_REMOTE,
	PROG_OPT_FIRST_OWN = 1100,     /* a program's own options number from here */
};

/* Help text for the common options, for each program's usage(). */
#define PROG_COMMON_HELP \
"Connection:\n" \
"  --listen               listen and accept one connection (default for a receiver)\n" \
"  --host ADDR            address to listen on (default 127.0.0.1: loopback only)\n" \
"  --port N               port to listen on (default 0: the kernel picks; printed as port=N)\n" \
"  --port-file FILE       also write the port to FILE once listening\n" \
"  --connect HOST:PORT    connect instead of listening\n" \
"  --allow-remote         let --host or --connect name an address that is not loopback\n" \
"                         (127.0.0.0/8, ::1); without it such an address is refused\n" \
"  --rcvbuf SIZE          SO_RCVBUF, set before listen()/connect() (default: kernel autotuning)\n" \
"  --sndbuf SIZE          SO_SNDBUF, likewise\n" \
"  --cc NAME              congestion control (TCP_CONGESTION), e.g. cubic, bbr, reno\n" \
"Logging:\n" \
"  --log FILE             write events as JSON Lines to FILE\n" \
"  --t0 NS                the scenario's zero of time (CLOCK_MONOTONIC ns; default: now)\n" \
"  --sample DUR           probe the socket every DUR (default 1ms; 0 = never)\n" \
"  --check-args           check the options and exit (0 if good), starting nothing\n" \
"  --help                 this text\n"

struct prog_opts {
	const char *log_path;
	uint64_t t0_ns;
	uint64_t sample_ns;
	int listen;                /* 1: listen, 0: connect */
	int check_args;            /* --check-args: parse, then exit */
	int allow_remote;          /* --allow-remote: an address off loopback is allowed */
	int help;                  /* --help: usage once the line is read */
	/* What the command line said, for refusing flags that contradict each other, whichever
	 * order they come in (NULL, 0: not given). */
	int listen_given;
	const char *connect_arg, *port_arg, *host_arg;
	struct sock_opts sock;
	const char *port_file;
	char hostbuf[64];
};

/* What a program moved, for its "end" event. */
struct prog_totals {
	uint64_t bytes_sent, bytes_received, pattern_errors, reads, writes;
	uint64_t pattern_first_error;     /* the offset of the first wrong byte, if any */
};

struct prog;
typedef void (*prog_sample_cb)(struct prog *p, const struct probe_snapshot *s);

struct prog {
	const char *name;
	struct prog_opts *opts;
	struct event_base *base;
	struct timeline tl;
	uint64_t start_ns;
	int fd;                    /* the connection, -1 before and after */
	struct event *sample_ev;
	struct event *sig_ev[2];
	prog_sample_cb on_sample;  /* optional: also called with each snapshot */
	int stop_signal;           /* the signal that ended the loop, 0 if none */
	uint64_t samples;
	uint64_t sample_cpu_ns;    /* CPU time spent taking and logging samples */
	int sample_failed;
};

/* Defaults: listen (or not) on 127.0.0.1, port 0, sample every 1 ms, t0 = now. */
void prog_opts_init(struct prog_opts *o, int listen_by_default);
/* Handle one of the common options. Returns 1 if opt was one of them (a bad value exits 2),
 * 0 if it is the program's own. --help is not handled here. */
int prog_parse_common(const char *name, struct prog_opts *o, int opt, const char *arg);

/* After getopt: no stray argument, no common flags that contradict each other (--listen and
 * --connect; --port or --host, which say where to listen, and --connect), a program that
 * connects knows where to, and an address that is not loopback only with --allow-remote.
 * Exits 2. */
void prog_parse_done(const char *name, const struct prog_opts *o, int argc, char **argv);

/* The command line's next option that is one of the program's own n options (own), as
 * getopt_long returns it (optarg set), or -1 at the end. On the way it takes the common ones
 * (prog_parse_common) and exits 2 for an unknown option or a missing value. At the end it
 * prints usage() and exits 0 if --help was given (anywhere: "--help --bogus" is refused
 * like "--bogus --help"), else it does prog_parse_done. */
int prog_getopt(const char *name, int argc, char **argv, const struct option *own, size_t n,
		struct prog_opts *o, void (*usage)(void));

/* Parsers for a program's own flags: the value, or one line and exit 2. */
uint64_t prog_flag_size(const char *name, const char *flag, const char *arg);
uint64_t prog_flag_duration(const char *name, const char *flag, const char *arg);
/* A plan (schedule.h) given with flag into s. */
void prog_flag_plan(const char *name, const char *flag, const char *arg, struct schedule *s);
/* "name: --flag: bad value 'arg': why", exit 2. */
void prog_die_flag(const char *name, const char *flag, const char *arg, const char *why)
	__attribute__((noreturn));
/* Two flags that contradict each other: "name: --a 'x' and --b 'y' conflict: why", exit 2. An
 * arg is NULL for a flag that takes no value. The flags are named in the order given here,
 * whatever their order on the command line: the last one does not silently win. */
void prog_die_conflict(const char *name, const char *flag_a, const char *arg_a,
		       const char *flag_b, const char *arg_b, const char *why)
	__attribute__((noreturn));
/* getopt_long (with optstring ":") returned '?' or ':': say which option, in one line, exit 2. */
void prog_die_usage(const char *name, int opt, char **argv) __attribute__((noreturn));
/* "name: msg", exit 1: a runtime error (the message names the call and the errno text). */
void prog_die(const char *name, const char *msg) __attribute__((noreturn));

/* Event base (precise timers), signals, the log. Returns 0, or -1 with err naming the call that
 * failed (nothing is left open then). */
int prog_init(struct prog *p, const char *name, struct prog_opts *o, char *err, size_t errlen);
/* "start" event: role, plan (a string describing what this program will do), io. */
void prog_log_start(struct prog *p, const char *plan, const char *io);

/* Listen as o says, report the port, accept one connection in the event loop, or connect.
 * Sets p->fd (non-blocking if nonblock), logs "listening" and "socket", starts sampling.
 * Returns 0; 1 if a signal stopped it before a client came (not an error); -1 with err. */
int prog_open_connection(struct prog *p, int nonblock, char *err, size_t errlen);
/* prog_open_connection for a program that has nothing to do without its connection. When it
 * comes to nothing (an error, said in one line on stderr; or a signal before any client came)
 * this logs "end" with t and frees p. Returns 0 with the connection; -1 when the run is over,
 * with *status the program's exit status (1 after an error, 0 after a signal). */
int prog_open_or_end(struct prog *p, int nonblock, const struct prog_totals *t, int *status);

/* Log "socket" for p->fd (buffers requested and real, cc, ports, window scale) and start
 * sampling it. Called by prog_open_connection; exposed for programs that accept many.
 * Returns 0, or -1 with err if the sampler could not be started. */
int prog_connected(struct prog *p, char *err, size_t errlen);

/* Take and log one sample now (also done by the timer). */
void prog_sample_now(struct prog *p);
void prog_stop_sampling(struct prog *p);

/* Close the connection with a reason, logged as "close". */
void prog_close(struct prog *p, const char *reason);

/* The close reason for a run that the program did not end itself: a signal stopped the loop,
 * or the loop ended. */
const char *prog_loop_end_reason(const struct prog *p);

/* At the end of a run: count pc's errors in t (the end event then says how many and where the
 * first was), and if there were any say so on stderr in one line: what the stream should have
 * carried (the pattern, the request, ...), the offset of the first wrong byte, the byte expected
 * there and the byte read, and how many were wrong ("fast_peer: pattern error at offset 4096:
 * expected 0x3a, got 0x91 (first of 251 wrong bytes)"). Returns -1 if there were any: a stream
 * that is not what was sent is a failed run. */
int prog_end_check(struct prog *p, const struct pattern_check *pc, struct prog_totals *t);

/* "end" event with the totals and this process's CPU time (getrusage). */
void prog_log_end(struct prog *p, const struct prog_totals *t);

/* Raise the soft limit on open files (RLIMIT_NOFILE) to the hard one, best effort, and return
 * the soft limit then in force (UINT64_MAX for none). */
uint64_t prog_nofile_raise(void);
/* How many descriptors numbered below limit are open now (/proc/self/fd); 3 when it cannot
 * tell. A new descriptor takes the lowest free number, so these are the places taken. */
unsigned prog_fds_in_use(uint64_t limit);

/* Add a timer that fires in ns nanoseconds (or, for a persistent event, every ns). Returns 0,
 * or -1 with "event_add(what): failed" in err. */
int prog_arm(struct event *ev, uint64_t ns, const char *what, char *err, size_t errlen);

/* An "error" event whose text is a whole message, for a failure that is not one system call's
 * errno (libevent says only that a call failed). */
void prog_log_error(struct prog *p, const char *msg);

/* One read() that moved n bytes, from t0 to t1: log it with what it left unread (SIOCINQ, taken
 * here, so call this as soon as read() returns), check the bytes against pc, count them in t.
 * The read that brings the first wrong byte is followed by an "error" event with its offset,
 * the byte expected there and the byte read. */
void prog_got_read(struct prog *p, struct pattern_check *pc, struct prog_totals *t,
		   const uint8_t *buf, size_t n, uint64_t t0, uint64_t t1);
/* One write() that moved n of the asked bytes at stream offset, from t0 to t1, and q, the send
 * queues taken as soon as it returned (before anything else is logged): log and count. */
void prog_did_write(struct prog *p, struct prog_totals *t, size_t n, size_t asked,
		    uint64_t offset, uint64_t t0, uint64_t t1, const struct probe_sendq *q);

/* Free the base and its events, close the log. Returns 0; or -1 when the log could not be
 * written, after saying so on stderr in one line ("name: write(PATH): No space left on
 * device"): a run without its whole log is a failed run, so the caller exits 1. */
int prog_free(struct prog *p);

#endif
