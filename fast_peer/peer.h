/* peer: fast_peer's one connection, shared by the files that play its roles.
 *
 *   peer.c    the run: the plan (--read-delay, then the work), the events and the worker
 *             thread, the timeouts, the log, the end
 *   writer.c  the stream writer, in both I/O models: write as fast as the socket takes it
 *   reader.c  the reader (--recv) and the responder (--respond), in both I/O models
 *
 * One thread runs the event loop. With --io blocking a worker thread makes the blocking calls;
 * it touches only what its role writes (sent, the totals, the pattern check, the log) and the
 * call state under lock, and says it is done with event_active(), which is thread-safe. */
#ifndef FLOWLAB_FAST_PEER_PEER_H
#define FLOWLAB_FAST_PEER_PEER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "pattern.h"
#include "prog.h"

extern const char *const NAME;

/* What this peer does with its connection. */
enum peer_mode {
	MODE_STREAM,     /* write as fast as the socket takes it */
	MODE_RECV,       /* read everything as it arrives (--recv) */
	MODE_RESPOND,    /* read the request, answer it, close (--respond) */
};

/* What the command line asks of the one connection. */
struct peer_opts {
	enum peer_mode mode;
	int blocking;              /* --io blocking: a worker thread makes blocking calls */
	uint64_t total;            /* bytes to send; 0 with --duration */
	uint64_t duration_ns;
	uint64_t write_size;       /* bytes per write(), and per read() */
	uint64_t read_delay_ns;
	uint64_t read_timeout_ns;
	uint64_t write_timeout_ns;
	uint64_t user_timeout_ns;
	int close_on_timeout;
};

/* --io event: libevent and a non-blocking socket. */
struct peer_events {
	struct event *writable;
	struct event *readable;    /* also the stream writer's wait for the reader's FIN */
	struct event *write_timer; /* --write-timeout while write() says EAGAIN */
	struct event *deadline;    /* --duration */
	int blocked;               /* write() said EAGAIN and nothing has moved since */
	uint64_t blocked_since;
	uint64_t read_wait_since;
};

/* The worker's call, as the main thread's watch sees it. */
enum call_state { CALL_IDLE, CALL_IN_PROGRESS, CALL_LOGGED_BLOCKED };

/* --io blocking: the worker thread, and the main thread's watch on its calls. */
struct peer_thread {
	pthread_t id;
	int running;
	struct event *done;        /* made active by the worker as its last act */
	struct event *watch;       /* every 1 ms: notices a call that has blocked */
	pthread_mutex_t lock;      /* guards the three below */
	enum call_state call;
	uint64_t call_start;
	uint64_t call_offset;
	int stop;                  /* set by main, read by the worker: __atomic */
	const char *outcome;       /* the worker's reason to close */
};

struct peer {
	struct prog p;
	struct peer_opts o;
	uint8_t *buf;              /* what the reader reads into (the stream writer too, while it */
	size_t buflen;             /* waits for the peer's FIN): buflen bytes */
	struct pattern_source src; /* what the stream writer writes: the pattern's stretches */
	uint64_t sent;
	uint64_t deadline_ns;
	struct prog_totals totals;
	struct pattern_check check;
	char tail[4];              /* the last bytes of the request: it ends with CRLF CRLF */
	int failed;
	int done;
	int call_errno;            /* a call that failed where it could not be said at once (the */
	const char *failed_call;   /* worker, the response): the main thread says it */
	struct event *delay;       /* --read-delay */
	struct peer_events ev;
	struct peer_thread th;
};

/* ---- peer.c ---- */

/* Ready to run with the options in pe->o: the buffer, the pattern check, the event base and the
 * log (prog_init). */
int peer_init(struct peer *pe, struct prog_opts *o, char *err, size_t errlen);
/* On the connected socket: the timeouts' socket options and the events. */
int peer_connected(struct peer *pe, char *err, size_t errlen);
/* Follow the plan (the read delay, then the work) in the event loop until the run is over. */
void peer_run(struct peer *pe);
/* The end: the worker stopped, the connection closed, the totals logged, all freed. Returns the
 * exit status. */
int peer_end(struct peer *pe);
/* Free what peer_init made, for a run that ends before it is connected. */
void peer_free(struct peer *pe);

void peer_finish(struct peer *pe, const char *reason);
/* A call failed with errno err: said on stderr, logged, and the run will exit 1. */
void peer_call_failed(struct peer *pe, const char *call, int err);
/* A failure said in a whole message (libevent's, or the err of a common/ function): said on
 * stderr, logged as an error's text, and the run ends with it as the reason, failed. */
void peer_fail(struct peer *pe, const char *msg);
/* prog_arm, or event_add without a timeout (ns 0): on failure the run fails. Returns 0 or -1. */
int peer_arm(struct peer *pe, struct event *ev, uint64_t ns, const char *what);
int peer_stopping(struct peer *pe);

/* One write() that moved n of the asked bytes at stream offset pe->sent, with the send queues
 * taken as soon as it returned: logged and counted. */
void peer_log_write(struct peer *pe, uint64_t t0, uint64_t t1, ssize_t n, uint64_t asked,
		    const struct probe_sendq *after);
void peer_log_blocked(struct peer *pe, uint64_t t, uint64_t detected, uint64_t offset);
void peer_log_resumed(struct peer *pe, uint64_t t, uint64_t since);
void peer_log_timeout(struct peer *pe, const char *what, uint64_t after_ns, ssize_t partial,
		      int errnum);
const char *peer_user_timeout_fired(struct peer *pe, int err, uint64_t waited_ns);

/* ---- writer.c ---- */

int writer_start_event(struct peer *pe);
void *writer_thread(void *arg);
void writer_on_writable(evutil_socket_t fd, short what, void *arg);
void writer_on_write_timeout(evutil_socket_t fd, short what, void *arg);
void writer_on_deadline(evutil_socket_t fd, short what, void *arg);
void writer_on_watch(evutil_socket_t fd, short what, void *arg);
/* Everything is written: FIN, then wait for the reader's. */
void writer_sending_finished(struct peer *pe);

/* ---- reader.c ---- */

int reader_start_event(struct peer *pe);
void *reader_thread(void *arg);
void reader_on_readable(evutil_socket_t fd, short what, void *arg);

#endif
