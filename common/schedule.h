/* schedule: the plan a slow program follows, in a little language a student can type.
 *
 * A plan is steps separated by commas, done in order:
 *
 *   stall DUR                       do not touch the socket for DUR
 *   drain [for DUR]                 read until EAGAIN every time data arrives; until EOF, or DUR
 *   read SIZE [every DUR [for DUR]] read at most SIZE once, or every DUR (a trickle); the trickle
 *                                   lasts until EOF, or DUR
 *   write SIZE [every DUR [for DUR]] the same for a writer (slow_writer)
 *   close                           close the connection
 *
 * Example: "stall 2s, drain", "read 4K every 10ms", "write 26B, stall 3s, close".
 * Words are case-sensitive and separated by blanks; sizes and durations use units.h.
 * A step with no end ("drain", or a trickle without "for") must be the last step. */
#ifndef FLOWLAB_SCHEDULE_H
#define FLOWLAB_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#define SCHEDULE_MAX_STEPS 32

enum schedule_kind {
	SCHED_STALL,
	SCHED_DRAIN,
	SCHED_READ,
	SCHED_WRITE,
	SCHED_CLOSE,
};

struct schedule_step {
	enum schedule_kind kind;
	uint64_t bytes;        /* READ, WRITE: bytes per call */
	uint64_t every_ns;     /* READ, WRITE: 0 = once */
	uint64_t for_ns;       /* STALL: its length; DRAIN, trickles: 0 = until EOF */
};

struct schedule {
	size_t n;
	struct schedule_step step[SCHEDULE_MAX_STEPS];
};

/* Parse text into s. Returns 0, or -1 with err saying which step (counting from 1) is wrong
 * and why, e.g. "step 2 (stall): missing duration". A plan whose timed steps together last
 * more than 2^64 ns is refused at the step that goes past it. */
int schedule_parse(const char *text, struct schedule *s, char *err, size_t errlen);

/* Write a canonical text of the plan ("stall 2s, drain") into buf. */
void schedule_format(const struct schedule *s, char *buf, size_t len);

/* Name of a step kind: "stall", "drain", "read", "write", "close". */
const char *schedule_kind_name(enum schedule_kind k);

/* 1 if the plan has a step of kind k, else 0: a program refuses the kinds it cannot follow. */
int schedule_has(const struct schedule *s, enum schedule_kind k);

/* The most bytes one step of kind k asks for in one call (0 if none): it sizes the buffer. */
uint64_t schedule_max_bytes(const struct schedule *s, enum schedule_kind k);

/* How long the plan's timed steps last together (stalls, and drains and trickles with "for"):
 * the least a run following it takes, which a script's watchdog has to allow for. */
uint64_t schedule_timed_ns(const struct schedule *s);

#endif
