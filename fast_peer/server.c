/* server: see server.h. */
#include "server.h"

#include <errno.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "pattern.h"
#include "units.h"

/* How often the producer adds to each client's buffer. */
#define TICK_NS 10000000u
/* Out of descriptors, accepting waits this long before it tries again. */
#define ACCEPT_PAUSE_NS 100000000u

struct conn {
	struct server *s;
	unsigned id;
	struct bufferevent *bev;
	int fd;
	uint16_t peer_port;
	uint64_t produced;
	int paused;
	int closed;
};

struct server {
	struct prog *p;
	const struct server_opts *so;
	struct prog_totals *totals;
	struct conn *conns;
	unsigned accepted, closed;
	int lfd;
	int accepting;             /* the listener is open: clients may still come */
	int accept_errno;          /* what accept() last said when it paused (EMFILE ...) */
	int pausing;               /* accepting is paused, and that has been logged */
	unsigned pauses;
	uint64_t started_ns;       /* the first client's accept: production starts */
	uint64_t last_tick_ns;
	int producing;
	size_t chunk;              /* the most one tick produces for one client */
	struct event *accept_ev, *tick_ev, *sample_ev;
	struct event *resume_ev;   /* the end of a pause in accepting */
	struct event *deadline_ev; /* --duration after listening, while no client has come */
};

/* The run is over once nobody else may come and every client that came is done. */
static void check_done(struct server *s)
{
	if (!s->accepting && s->closed == s->accepted)
		event_base_loopbreak(s->p->base);
}

/* Nobody else may come: everyone is here, production is over, or nobody came in time. Those
 * who did not come are said in a warning (and the run fails: server_run). */
static void stop_accepting(struct server *s)
{
	struct tl_rec r;
	char text[160];

	if (!s->accepting)
		return;
	s->accepting = 0;
	event_del(s->accept_ev);
	event_del(s->resume_ev);
	event_del(s->deadline_ev);
	close(s->lfd);
	s->lfd = -1;
	if (s->accepted < s->so->clients) {
		snprintf(text, sizeof(text), "accepting ended with %u of %u clients", s->accepted,
			 s->so->clients);
		tl_rec_begin(&r, &s->p->tl, "warning", timeline_now_ns());
		tl_rec_str(&r, "call", "accept");
		tl_rec_str(&r, "text", text);
		tl_rec_int(&r, "accepted", s->accepted);
		tl_rec_int(&r, "clients", s->so->clients);
		tl_rec_emit(&s->p->tl, &r);
	}
	check_done(s);
}

static uint64_t pending_bytes(const struct conn *c)
{
	int outq = 0;

	if (ioctl(c->fd, SIOCOUTQ, &outq) < 0)
		outq = 0;
	return evbuffer_get_length(bufferevent_get_output(c->bev)) + (uint64_t)outq;
}

static void conn_event(struct conn *c, const char *kind, uint64_t pending)
{
	struct tl_rec r;

	tl_rec_begin(&r, &c->s->p->tl, kind, timeline_now_ns());
	tl_rec_int(&r, "conn", c->id);
	tl_rec_int(&r, "pending_bytes", (int64_t)pending);
	tl_rec_emit(&c->s->p->tl, &r);
}

static void conn_close(struct conn *c, const char *reason)
{
	struct server *s = c->s;
	struct tl_rec r;

	if (c->closed)
		return;
	c->closed = 1;
	tl_rec_begin(&r, &s->p->tl, "conn_end", timeline_now_ns());
	tl_rec_int(&r, "conn", c->id);
	tl_rec_int(&r, "peer_port", c->peer_port);
	tl_rec_int(&r, "bytes_sent", (int64_t)c->produced);
	tl_rec_str(&r, "reason", reason);
	tl_rec_emit(&s->p->tl, &r);
	/* What the application still held never reached the kernel: not sent. */
	s->totals->bytes_sent += c->produced -
				 evbuffer_get_length(bufferevent_get_output(c->bev));
	bufferevent_free(c->bev);      /* closes the socket: FIN after what the kernel holds */
	c->bev = NULL;
	s->closed++;
	check_done(s);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	/* Clients send nothing of interest; count and drop it. */
	c->s->totals->bytes_received += evbuffer_get_length(in);
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	/* The output buffer is empty: once production is over, the client has everything. */
	if (!c->s->producing && c->s->started_ns)
		conn_close(c, "all sent");
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	if (what & BEV_EVENT_EOF) {
		conn_close(c, "peer closed");
	} else if (what & BEV_EVENT_ERROR) {
		int err = EVUTIL_SOCKET_ERROR();

		timeline_errno(&c->s->p->tl, "error", "write", err);
		conn_close(c, "write failed");
	}
}

/* Add the client's next n bytes of the pattern to its output buffer, made in place: each
 * client is at its own offset, and there is no copy to make. Returns 0 or -1. */
static int produce(struct conn *c, uint64_t n)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	struct evbuffer_iovec v;

	if (evbuffer_reserve_space(out, (ev_ssize_t)n, &v, 1) != 1)
		return -1;
	pattern_fill(v.iov_base, (size_t)n, c->produced);
	v.iov_len = (size_t)n;
	return evbuffer_commit_space(out, &v, 1);
}

/* Produce for every client what the rate owes it since the last tick. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	uint64_t now = timeline_now_ns();
	uint64_t owed = s->so->rate * (now - s->last_tick_ns) / 1000000000u;

	s->last_tick_ns = now;
	if (owed > s->chunk)
		owed = s->chunk;       /* a late tick does not make a burst */
	if (now - s->started_ns >= s->so->duration_ns) {
		s->producing = 0;
		event_del(s->tick_ev);
		/* A client that came now would get nothing. */
		stop_accepting(s);
	}
	for (unsigned i = 0; i < s->accepted; i++) {
		struct conn *c = &s->conns[i];

		if (c->closed)
			continue;
		if (s->so->backpressure) {
			uint64_t pending = pending_bytes(c);

			if (!c->paused && pending > s->so->backpressure) {
				c->paused = 1;
				conn_event(c, "backpressure_on", pending);
			} else if (c->paused && pending < s->so->backpressure / 2) {
				c->paused = 0;
				conn_event(c, "backpressure_off", pending);
			}
		}
		if (s->producing && !c->paused && owed > 0) {
			if (produce(c, owed) < 0) {
				/* Out of memory: what was not added cannot be sent in order. */
				prog_log_error(s->p, "evbuffer_reserve_space: failed");
				conn_close(c, "evbuffer_reserve_space failed");
				continue;
			}
			c->produced += owed;
			s->totals->writes++;
		}
		if (!s->producing &&
		    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
			conn_close(c, "all sent");
	}
}

static long rss_kib(void)
{
	long pages = -1, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void on_sample(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	uint64_t app = 0, kernel = 0;
	unsigned live = 0, paused = 0;
	struct tl_rec r;
	long rss = rss_kib();

	for (unsigned i = 0; i < s->accepted; i++) {
		struct conn *c = &s->conns[i];
		int outq = 0;

		if (c->closed)
			continue;
		live++;
		paused += (unsigned)c->paused;
		app += evbuffer_get_length(bufferevent_get_output(c->bev));
		if (ioctl(c->fd, SIOCOUTQ, &outq) == 0)
			kernel += (uint64_t)outq;
	}
	tl_rec_begin(&r, &s->p->tl, "server_sample", timeline_now_ns());
	tl_rec_int(&r, "connections", live);
	if (rss >= 0)
		tl_rec_int(&r, "rss_kib", rss);
	tl_rec_int(&r, "app_buffered_bytes", (int64_t)app);
	tl_rec_int(&r, "kernel_sendq_bytes", (int64_t)kernel);
	tl_rec_int(&r, "paused", paused);
	tl_rec_emit(&s->p->tl, &r);
	s->p->samples++;
}

/* accept() said the process (EMFILE), the system (ENFILE) or memory is exhausted. The client
 * stays queued and the listener stays readable, so trying again at once would spin at full CPU
 * (it did: 1.7 s of CPU in 2.2 s); stop listening for a while instead, and say so once per
 * stretch of pauses. Clients that finish free their descriptors. */
static void accept_pause(struct server *s, int err)
{
	char why[128];
	struct tl_rec r;

	event_del(s->accept_ev);
	if (prog_arm(s->resume_ev, ACCEPT_PAUSE_NS, "accept pause", why, sizeof(why)) < 0)
		prog_die(s->p->name, why);
	s->accept_errno = err;
	s->pauses++;
	if (s->pausing)
		return;
	s->pausing = 1;
	tl_rec_begin(&r, &s->p->tl, "warning", timeline_now_ns());
	tl_rec_str(&r, "call", "accept");
	tl_rec_str(&r, "errno_name", timeline_errno_name(err));
	tl_rec_str(&r, "errno_text", strerror(err));
	tl_rec_str(&r, "text", "accepting paused, tried again every 100 ms");
	tl_rec_int(&r, "accepted", s->accepted);
	tl_rec_emit(&s->p->tl, &r);
	if (s->pauses == 1)
		fprintf(stderr, "%s: warning: accept: %s; accepting paused, tried again every "
			"100 ms\n", s->p->name, strerror(err));
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;

	if (s->accepting && event_add(s->accept_ev, NULL) < 0)
		prog_die(s->p->name, "event_add(accept): failed");
}

/* --duration after listening and still nobody: nobody is coming. */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	stop_accepting(arg);
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct server *s = arg;
	struct conn *c;
	struct tl_rec r;
	char err[256];
	uint16_t local, peer;
	int fd;

	if (sock_accept((int)lfd, &fd, err, sizeof(err)) < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
			accept_pause(s, errno);
		return;      /* ECONNABORTED and the like: the next one will come */
	}
	s->pausing = 0;
	c = &s->conns[s->accepted];
	c->s = s;
	c->id = ++s->accepted;
	c->fd = fd;
	sock_ports(fd, &local, &peer);
	c->peer_port = peer;
	tl_rec_begin(&r, &s->p->tl, "accept", timeline_now_ns());
	tl_rec_int(&r, "conn", c->id);
	tl_rec_int(&r, "local_port", local);
	tl_rec_int(&r, "peer_port", peer);
	tl_rec_emit(&s->p->tl, &r);
	/* A client this server cannot serve leaves it unable to finish the run as asked. */
	if (sock_set_nonblock(fd, 1, err, sizeof(err)) < 0)
		prog_die(s->p->name, err);
	c->bev = bufferevent_socket_new(s->p->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL)
		prog_die(s->p->name, "bufferevent_socket_new: out of memory");
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	if (bufferevent_enable(c->bev, EV_READ | EV_WRITE) < 0)
		prog_die(s->p->name, "bufferevent_enable: failed");
	if (s->started_ns == 0) {
		/* Production starts, and with it the deadline for the others: its end. */
		event_del(s->deadline_ev);
		s->started_ns = s->last_tick_ns = timeline_now_ns();
		if (prog_arm(s->tick_ev, TICK_NS, "production tick", err, sizeof(err)) < 0)
			prog_die(s->p->name, err);
	}
	/* Everyone is here; nobody else may queue up. */
	if (s->accepted == s->so->clients)
		stop_accepting(s);
}

/* After the run: did every client come? Returns 0, or -1 with err saying who did not. */
static int all_came(const struct server *s, char *err, size_t errlen)
{
	char dur[32];

	if (s->accepted == s->so->clients || s->p->stop_signal)
		return 0;
	units_format_duration(s->so->duration_ns, dur, sizeof(dur));
	if (s->accepted == 0)
		snprintf(err, errlen, "no client came within --duration (%s) of listening; "
			 "--clients asked for %u", dur, s->so->clients);
	else
		snprintf(err, errlen, "only %u of the %u clients (--clients) were accepted before "
			 "production ended (--duration %s)%s%s", s->accepted, s->so->clients, dur,
			 s->accept_errno ? "; accept said: " : "",
			 s->accept_errno ? strerror(s->accept_errno) : "");
	return -1;
}

int server_run(struct prog *p, const struct server_opts *so, struct prog_totals *totals,
	       char *err, size_t errlen)
{
	struct server s = { .p = p, .so = so, .totals = totals, .producing = 1, .lfd = -1,
			    .accepting = 1 };
	uint64_t sample_ns = p->opts->sample_ns < 10000000u ? 10000000u : p->opts->sample_ns;
	struct tl_rec r;
	uint16_t port;
	int rc = -1;

	/* One tick's worth at the rate, with room for a late tick. */
	s.chunk = (size_t)(so->rate * TICK_NS / 1000000000u * 4 + 1);
	s.conns = calloc(so->clients, sizeof(*s.conns));
	if (s.conns == NULL) {
		snprintf(err, errlen, "calloc: out of memory");
		goto out;
	}
	if (sock_listen(&p->opts->sock, &s.lfd, &port, err, errlen) < 0)
		goto out;
	tl_rec_begin(&r, &p->tl, "listening", timeline_now_ns());
	tl_rec_int(&r, "port", port);
	tl_rec_emit(&p->tl, &r);
	if (sock_report_port(port, p->opts->port_file, err, errlen) < 0 ||
	    sock_set_nonblock(s.lfd, 1, err, errlen) < 0)
		goto out;
	s.accept_ev = event_new(p->base, s.lfd, EV_READ | EV_PERSIST, on_accept, &s);
	s.tick_ev = event_new(p->base, -1, EV_PERSIST, on_tick, &s);
	s.sample_ev = event_new(p->base, -1, EV_PERSIST, on_sample, &s);
	s.resume_ev = evtimer_new(p->base, on_resume, &s);
	s.deadline_ev = evtimer_new(p->base, on_deadline, &s);
	if (!s.accept_ev || !s.tick_ev || !s.sample_ev || !s.resume_ev || !s.deadline_ev) {
		snprintf(err, errlen, "event_new: out of memory");
		goto out;
	}
	if (event_add(s.accept_ev, NULL) < 0) {
		snprintf(err, errlen, "event_add(accept): failed");
		goto out;
	}
	if (prog_arm(s.deadline_ev, so->duration_ns, "client deadline", err, errlen) < 0)
		goto out;
	if (prog_arm(s.sample_ev, sample_ns, "server sample timer", err, errlen) < 0)
		goto out;
	on_sample(-1, EV_TIMEOUT, &s);
	if (event_base_dispatch(p->base) < 0) {
		snprintf(err, errlen, "event_base_dispatch: failed");
		goto out;
	}
	on_sample(-1, EV_TIMEOUT, &s);
	rc = all_came(&s, err, errlen);
out:
	for (unsigned i = 0; i < s.accepted; i++)
		if (!s.conns[i].closed)
			conn_close(&s.conns[i], p->stop_signal ? "stopped by signal" : "server ended");
	if (s.lfd >= 0)
		close(s.lfd);
	if (s.accept_ev)
		event_free(s.accept_ev);
	if (s.tick_ev)
		event_free(s.tick_ev);
	if (s.sample_ev)
		event_free(s.sample_ev);
	if (s.resume_ev)
		event_free(s.resume_ev);
	if (s.deadline_ev)
		event_free(s.deadline_ev);
	free(s.conns);
	return rc;
}
