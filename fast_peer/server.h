/* server: fast_peer as a server of many clients at once (--clients N), on libevent.
 *
 * Each client gets a stream of the pattern, produced by the application at --rate into its
 * own buffer (a bufferevent's output evbuffer), which libevent writes to the socket as fast as
 * the socket takes it. A client that stops reading lets that buffer grow for as long as it
 * stalls: the naive server the reference document warns about. --backpressure HIGH stops
 * producing for a client while its pending output (the application's buffer plus the kernel's
 * send queue) is above HIGH, and starts again below HIGH / 2. Note that libevent's write
 * watermarks do not limit bufferevent_write(): the producer has to look before it adds.
 *
 * Production lasts --duration from the first client's accept, and accepting ends with it (or
 * --duration after listening, if nobody came): a client that came later would get nothing.
 * When accept() runs out of descriptors (EMFILE, ENFILE) the waiting client stays queued and
 * the listener readable, so the server stops listening for 100 ms at a time rather than spin. */
#ifndef FLOWLAB_FAST_PEER_SERVER_H
#define FLOWLAB_FAST_PEER_SERVER_H

#include <stdint.h>

#include "prog.h"

struct server_opts {
	unsigned clients;          /* accept this many, serve them, then end */
	uint64_t rate;             /* bytes per second produced for each client */
	uint64_t duration_ns;      /* how long to produce */
	uint64_t backpressure;     /* HIGH; 0 = naive */
};

/* Listen as p->opts says, serve so->clients clients, log everything to p's timeline, and fill
 * totals. Returns 0 when every client was served (or a signal ended it); -1 with err when a
 * call failed or not every client came before accepting ended (err says how many did). */
int server_run(struct prog *p, const struct server_opts *so, struct prog_totals *totals,
	       char *err, size_t errlen);

#endif
