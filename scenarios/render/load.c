/* load: the LOGs into one run of events, in time order. Each line is parsed once into a small
 * struct event that holds the few numbers the lesson needs (the rare kinds keep every field);
 * --csv reads its lines again from their log, so a pipe is first copied to a temporary file.
 * In the lessons of a server and its clients, who is who comes from each log's program and its
 * start event's role (the lesson's party rules), not from --receiver and --sender. */
#include "render.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const kind_names[K_COUNT] = {
	[K_START] = "start", [K_SOCKET] = "socket", [K_SAMPLE] = "sample", [K_STEP] = "step",
	[K_STALL_BEGIN] = "stall_begin", [K_STALL_END] = "stall_end", [K_READ] = "read",
	[K_WRITE] = "write", [K_WRITE_BLOCKED] = "write_blocked",
	[K_WRITE_RESUMED] = "write_resumed", [K_EOF] = "eof", [K_CLOSE] = "close",
	[K_TIMEOUT] = "timeout", [K_WARNING] = "warning", [K_ERROR] = "error", [K_END] = "end",
	[K_WIRE] = "wire", [K_ACKED] = "acked", [K_ACCEPT] = "accept",
	[K_SERVER_SAMPLE] = "server_sample", [K_BP_ON] = "backpressure_on",
	[K_BP_OFF] = "backpressure_off", [K_CONN_END] = "conn_end",
	[K_TIMEOUTS_SET] = "timeouts_set", [K_LINK] = "link", [K_LINK_DOWN] = "link_down",
	[K_LINK_UP] = "link_up", [K_SYSCTLS] = "sysctls", [K_BUFSIZE] = "bufsize",
	[K_HANDSHAKE] = "handshake", [K_FILL] = "fill", [K_THROUGHPUT] = "throughput",
};

/* The fields each kind keeps in an event's v[], slot by slot (render.h names the slots). */
static const char *const slot_fields[K_COUNT][NSLOT] = {
	[K_SAMPLE] = { "recvq_bytes", "sendq_bytes", "notsent_bytes", "snd_wnd", "backoff",
		       "rwnd_limited_us", "busy_us", "rto_us", "retransmits", "total_retrans",
		       "skmem_rb", "rcv_space" },
	[K_READ] = { "bytes", "dur_ns", NULL, "recvq_after_bytes" },
	[K_WRITE] = { "bytes", "dur_ns", "requested_bytes", NULL, "sendq_after_bytes",
		      "notsent_after_bytes" },
	[K_STALL_BEGIN] = { "for_us" },
	[K_WRITE_BLOCKED] = { "detected_ns" },
	[K_WRITE_RESUMED] = { "blocked_us" },
	[K_WIRE] = { "window_bytes", "len", NULL, NULL, "seq", "ack", "ws_window_update", "wscale",
		     "src_port" },
	[K_SERVER_SAMPLE] = { "connections", "rss_kib", "app_buffered_bytes",
			      "kernel_sendq_bytes", "paused" },
	[K_BP_ON] = { "conn", "pending_bytes" },
	[K_BP_OFF] = { "conn", "pending_bytes" },
};

/* Kinds a run has only a handful of (one per connection at most): they keep every field, for
 * notes and the buffer block. */
static const unsigned char keeps_fields[K_COUNT] = {
	[K_START] = 1, [K_SOCKET] = 1, [K_STEP] = 1, [K_CLOSE] = 1, [K_TIMEOUT] = 1,
	[K_WARNING] = 1, [K_ERROR] = 1, [K_END] = 1, [K_ACKED] = 1, [K_ACCEPT] = 1,
	[K_CONN_END] = 1, [K_TIMEOUTS_SET] = 1, [K_LINK] = 1, [K_LINK_DOWN] = 1, [K_LINK_UP] = 1,
	[K_SYSCTLS] = 1, [K_BUFSIZE] = 1, [K_HANDSHAKE] = 1, [K_FILL] = 1, [K_THROUGHPUT] = 1,
};

static const char *const wclass_names[WC_COUNT] = {
	[WC_SYN] = "syn", [WC_DATA] = "data", [WC_ACK] = "ack", [WC_FIN] = "fin",
	[WC_RST] = "rst", [WC_ZERO_WINDOW] = "zero_window", [WC_PROBE] = "window_probe",
	[WC_UPDATE] = "window_update", [WC_RETRANSMISSION] = "retransmission",
};

/* ---- loading the logs ---- */

static enum kind kind_of(const char *s)
{
	for (int k = 0; k < K_COUNT; k++)
		if (kind_names[k] && strcmp(kind_names[k], s) == 0)
			return (enum kind)k;
	return K_OTHER;
}

static enum side side_of(const char *prog, const struct options *o)
{
	if (strcmp(prog, o->receiver) == 0)
		return SIDE_READER;
	if (strcmp(prog, o->sender) == 0)
		return SIDE_WRITER;
	if (strcmp(prog, CAPTURE_PROG) == 0)
		return SIDE_WIRE;
	return SIDE_OTHER;
}

/* The side of the program that sent a segment: in a lesson of a server and one client, the
 * server writes and the client reads (as assign_parties has it), else --receiver and --sender
 * say. */
static enum side wire_side_of(const char *prog, const struct options *o)
{
	const struct party_rule *r = o->lesson->parties;

	if (r == NULL)
		return side_of(prog, o);
	for (; r->prog; r++)
		if (strcmp(r->prog, prog) == 0)
			return r->party == P_SERVER ? SIDE_WRITER
			       : r->party == P_CLIENT ? SIDE_READER : SIDE_OTHER;
	return SIDE_OTHER;
}

/* A wire segment's two strings, kept as numbers: its class, and the side that sent it. */
static void wire_decode(struct event *e, const struct tl_event *tev, const struct options *o)
{
	const char *c = tl_event_str(tev, "class"), *from = tl_event_str(tev, "from");
	enum side side = from ? wire_side_of(from, o) : SIDE_OTHER;

	e->v[W_CLASS] = WC_OTHER;
	for (int i = 0; c && i < WC_COUNT; i++)
		if (wclass_names[i] && strcmp(wclass_names[i], c) == 0)
			e->v[W_CLASS] = i;
	e->v[W_FROM] = side == SIDE_READER || side == SIDE_WRITER ? side : SIDE_OTHER;
}

int is_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* The numbers a line may hold: a time in ns (a name ending in _ns: a moment or a duration) from 0
 * to 2^60 ns (36 years), anything else (sizes, counts, durations in us) within 2^40 either way,
 * so that no sum, difference or scaling of them overflows: a line with another is malformed,
 * and no arithmetic ever sees it. 1, with why in err, if the event has one. */
#define MOMENT_LIMIT (INT64_C(1) << 60)
#define NUMBER_LIMIT (INT64_C(1) << 40)

static int out_of_range(const struct tl_event *tev, char *err, size_t errlen)
{
	for (size_t i = 0; i < tev->n; i++) {
		const struct tl_field *f = &tev->f[i];
		size_t n = strlen(f->name);
		int moment = n >= 3 && strcmp(f->name + n - 3, "_ns") == 0;

		if (f->is_str || (moment ? f->i >= 0 && f->i <= MOMENT_LIMIT
				  : f->i >= -NUMBER_LIMIT && f->i <= NUMBER_LIMIT))
			continue;
		snprintf(err, errlen, "\"%s\": %" PRId64 " is out of range (%s)", f->name, f->i,
			 moment ? "a time in ns, from 0 to 2^60" : "a number within 2^40 either way");
		return 1;
	}
	return 0;
}

/* A pipe cannot be read twice: copy it to a temporary file, so --csv can seek back to lines. */
static int spool(struct logfile *lg, char *err, size_t errlen)
{
	FILE *tmp = tmpfile();
	char buf[65536];
	size_t n;

	if (tmp == NULL) {
		snprintf(err, errlen, "tmpfile(): %s", strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), lg->fp)) > 0) {
		if (fwrite(buf, 1, n, tmp) != n) {
			snprintf(err, errlen, "write(temporary copy of %s): %s", lg->path,
				 strerror(errno));
			fclose(tmp);
			return -1;
		}
	}
	if (ferror(lg->fp)) {
		snprintf(err, errlen, "read(%s): %s", lg->path, strerror(errno));
		fclose(tmp);
		return -1;
	}
	fclose(lg->fp);
	lg->fp = tmp;
	rewind(tmp);
	return 0;
}

static int log_open(struct logfile *lg, int need_seek, char *err, size_t errlen)
{
	struct stat st;

	lg->fp = fopen(lg->path, "r");
	if (lg->fp == NULL) {
		snprintf(err, errlen, "open(%s): %s", lg->path, strerror(errno));
		return -1;
	}
	if (!need_seek || (fstat(fileno(lg->fp), &st) == 0 && S_ISREG(st.st_mode)))
		return 0;
	return spool(lg, err, errlen);
}

static struct event *run_append(struct run *run)
{
	if (grow(&run->ev, &run->cap, run->n + 1, sizeof(*run->ev)) < 0)
		return NULL;
	memset(&run->ev[run->n], 0, sizeof(run->ev[0]));
	return &run->ev[run->n];
}

static int note_columns(struct run *run, const struct tl_event *tev, const struct event *e)
{
	for (size_t i = 0; i < tev->n; i++) {
		const char *name = tev->f[i].name;

		if (strcmp(name, "t_ns") == 0 || strcmp(name, "prog") == 0 ||
		    strcmp(name, "kind") == 0)
			continue;
		if (columns_note(&run->cols, name, e->t_ns, e->seq, i) < 0)
			return -1;
	}
	return 0;
}

/* Parse one line of log li into the next event: 1, or 0 when it is left out (before --t0), or
 * -1 with err. */
int add_line(struct run *run, size_t li, size_t lineno, off_t off, const char *line,
	     const struct options *o, char *err, size_t errlen)
{
	const char *path = run->logs[li].path;
	struct tl_event tev;
	struct event *e;
	const char *prog, *kind;
	int64_t t_ns;
	char why[160];

	if (tl_event_parse(line, &tev, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
		return -1;
	}
	if (out_of_range(&tev, why, sizeof(why))) {
		snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
		tl_event_free(&tev);
		return -1;
	}
	prog = tl_event_str(&tev, "prog");
	kind = tl_event_str(&tev, "kind");
	if (!tl_event_int(&tev, "t_ns", &t_ns) || prog == NULL || kind == NULL) {
		snprintf(err, errlen, "%s:%zu: no %s", path, lineno,
			 prog == NULL ? "string \"prog\"" : kind == NULL ? "string \"kind\""
				      : "integer \"t_ns\"");
		tl_event_free(&tev);
		return -1;
	}
	if (run->logs[li].prog == NULL && (run->logs[li].prog = strdup(prog)) == NULL)
		goto oom;
	/* Before --t0: a line left in the file by an earlier run. */
	if (o->have_t0 && t_ns < o->t0_ns) {
		tl_event_free(&tev);
		return 0;
	}
	e = run_append(run);
	if (e == NULL)
		goto oom;
	e->t_ns = t_ns;
	e->seq = run->nseq;
	e->log = li;
	e->off = off;
	e->kind = kind_of(kind);
	e->side = side_of(prog, o);
	for (int s = 0; s < NSLOT; s++) {
		const char *name = slot_fields[e->kind][s];

		if (name && tl_event_int(&tev, name, &e->v[s]))
			e->has |= 1u << s;
	}
	if (e->kind == K_WIRE)
		wire_decode(e, &tev, o);
	if (run->want_columns && note_columns(run, &tev, e) < 0)
		goto oom;
	if (keeps_fields[e->kind]) {
		e->fields = malloc(sizeof(*e->fields));
		if (e->fields == NULL)
			goto oom;
		*e->fields = tev;       /* the parsed strings move with it: nothing is copied */
	} else {
		tl_event_free(&tev);
	}
	run->n++;
	run->nseq++;
	return 1;
oom:
	tl_event_free(&tev);
	snprintf(err, errlen, "%s:%zu: out of memory", path, lineno);
	return -1;
}

static int load_log(struct run *run, size_t li, const struct options *o, char *err,
		    size_t errlen)
{
	struct logfile *lg = &run->logs[li];
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	off_t off = 0;
	ssize_t got;
	int rc = 0;

	if (log_open(lg, o->csv != NULL, err, errlen) < 0)
		return -1;
	errno = 0;
	while (rc == 0 && (got = getline(&line, &cap, lg->fp)) >= 0) {
		lineno++;
		if (!is_blank(line) && add_line(run, li, lineno, off, line, o, err, errlen) < 0)
			rc = -1;
		off += got;
		errno = 0;
	}
	if (rc == 0 && ferror(lg->fp)) {
		snprintf(err, errlen, "read(%s): %s", lg->path, strerror(errno));
		rc = -1;
	}
	/* Only --csv reads a log again: a lesson of many clients need not hold all their files. */
	if (o->csv == NULL) {
		fclose(lg->fp);
		lg->fp = NULL;
	}
	free(line);
	return rc;
}

/* When an event happened, for the order and the time of its row: its t_ns, but
 * - a blocking write() that blocked, when that was noticed (detected_ns): its t_ns is the
 *   call's start, when the send buffer still had room, and its row should show it full;
 * - in a lesson of requests (LF_WRITES_AT_START), a write() at its start: its t_ns is its
 *   return, and loopback hands the bytes to the peer within the call, so the peer's read of a
 *   23-byte request would come before the write that sent it. */
int64_t event_when(const struct event *e, const struct lesson *l)
{
	struct opt dur = slot_opt(e, IO_DUR_NS), seen = slot_opt(e, BLOCKED_DETECTED_NS);

	if (e->kind == K_WRITE_BLOCKED && seen.has && seen.v > e->t_ns)
		return seen.v;
	if ((l->flags & LF_WRITES_AT_START) && e->kind == K_WRITE && dur.has && dur.v > 0)
		return e->t_ns - dur.v;
	return e->t_ns;
}

static int event_cmp_when(const void *a, const void *b, void *lesson)
{
	const struct event *x = a, *y = b;
	int64_t tx = event_when(x, lesson);
	int64_t ty = event_when(y, lesson);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The events in the order of their rows (event_when), the logs' order breaking ties. */
void run_sort(struct run *run, const struct lesson *l)
{
	if (run->n > 1)
		qsort_r(run->ev, run->n, sizeof(run->ev[0]), event_cmp_when, (void *)l);
}

/* The zero of time: the connection's establishment, the first socket event of the lesson's
 * sides (connect() returned, or accept() took it), so that a lesson's moments do not include
 * the programs' start-up, and two runs compared side by side both begin at 0. Failing that
 * (no connection was made), the scenario's zero from the earliest start event, else the first
 * event. */
static int64_t zero_of_time(const struct run *run)
{
	struct opt zero = { 0, 0 };

	for (size_t i = 0; i < run->n && !zero.has; i++) {
		const struct event *e = &run->ev[i];

		if (e->kind == K_SOCKET && (e->side == SIDE_READER || e->side == SIDE_WRITER ||
					    e->party != P_NONE))
			opt_set(&zero, e->t_ns);
	}
	for (size_t i = 0; i < run->n && !zero.has; i++) {
		struct opt t0 = field_opt(&run->ev[i], "t0_ns");

		if (run->ev[i].kind == K_START && t0.has)
			zero = t0;
	}
	if (zero.has)
		return zero.v;
	return run->n ? run->ev[0].t_ns : 0;
}

/* ---- who is who: the server and its clients (the lesson's party rules) ---- */

static int log_is(const struct logfile *lg, const char *prog, const char *role)
{
	return lg->prog && strcmp(lg->prog, prog) == 0 && lg->role && strcmp(lg->role, role) == 0;
}

/* Each log's role and ports, from its start event and its first socket event. */
static void logs_describe(struct run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct logfile *lg = &run->logs[e->log];

		if (e->kind == K_START && lg->role == NULL)
			lg->role = field_str(e, "role");
		if (e->kind == K_SOCKET && !lg->local_port.has && !lg->peer_port.has) {
			lg->local_port = field_opt(e, "local_port");
			lg->peer_port = field_opt(e, "peer_port");
		}
	}
}

/* The client's end of the server's connection: its local port is the server's peer port. */
static int connected_to(const struct logfile *client, const struct logfile *server)
{
	return server && client->local_port.has && server->peer_port.has &&
	       client->local_port.v == server->peer_port.v;
}

/* The party of the rules that a log fits, P_NONE if none. */
static enum party party_of(const struct party_rule *rules, const struct logfile *lg)
{
	for (size_t r = 0; rules[r].prog; r++)
		if (log_is(lg, rules[r].prog, rules[r].role))
			return rules[r].party;
	return P_NONE;
}

/* Who is who in a lesson of a server and its clients (struct party_rule), and each event's side
 * from its log's: the server is the writer and a lone client the reader, so that the lessons of
 * one sender and one receiver tell a server's lesson with their own machinery. The first server
 * log counts; of several possible clients, the one connected to it, else the first. The other
 * logs are left out of the lesson (P_NONE, SIDE_OTHER). */
static void assign_parties(struct run *run, const struct options *o)
{
	const struct party_rule *rules = o->lesson->parties;
	struct logfile *server = NULL, *client = NULL;

	if (rules == NULL)
		return;
	logs_describe(run);
	for (size_t i = 0; i < run->nlogs; i++) {
		struct logfile *lg = &run->logs[i];

		lg->party = P_NONE;
		if (server == NULL && party_of(rules, lg) == P_SERVER) {
			server = lg;
			lg->party = P_SERVER;
		}
	}
	for (size_t i = 0; i < run->nlogs; i++) {
		struct logfile *lg = &run->logs[i];
		enum party p = party_of(rules, lg);

		if (lg->party != P_NONE || p == P_SERVER)
			continue;
		if (p == P_FAST_CLIENT || p == P_SLOW_CLIENT)
			lg->party = p;
		else if (p == P_CLIENT && (client == NULL || (!connected_to(client, server) &&
							    connected_to(lg, server))))
			client = lg;
	}
	if (client)
		client->party = P_CLIENT;
	for (size_t i = 0; i < run->n; i++) {
		struct event *e = &run->ev[i];

		e->party = run->logs[e->log].party;
		if (e->party == P_SERVER)
			e->side = SIDE_WRITER;
		else if (e->party == P_CLIENT)
			e->side = SIDE_READER;
		else if (e->side != SIDE_WIRE)
			e->side = SIDE_OTHER;
	}
}

/* --follow: who is who, one event at a time, as the logs grow. A log's party is decided at its
 * start event (its first line): the first log that fits P_SERVER is the server, the first that
 * fits P_CLIENT the client (the connected_to rule needs every log's ports, which a live view
 * does not have; a scenario's run has one client). Its first socket event gives its ports. */
void run_follow_party(struct run *run, const struct options *o, struct event *e)
{
	const struct party_rule *rules = o->lesson->parties;
	struct logfile *lg = &run->logs[e->log];

	if (rules == NULL)
		return;
	if (e->kind == K_START && !lg->follow_started) {
		enum party p;

		/* The role is the event's, which --follow frees once it is shown. */
		lg->role = field_str(e, "role");
		p = party_of(rules, lg);
		lg->role = NULL;
		lg->follow_started = 1;
		if ((p == P_SERVER && !run->follow_server) || (p == P_CLIENT && !run->follow_client) ||
		    p == P_FAST_CLIENT || p == P_SLOW_CLIENT)
			lg->party = p;
		run->follow_server |= p == P_SERVER;
		run->follow_client |= p == P_CLIENT;
	}
	if (e->kind == K_SOCKET && !lg->local_port.has && !lg->peer_port.has) {
		lg->local_port = field_opt(e, "local_port");
		lg->peer_port = field_opt(e, "peer_port");
	}
	e->party = lg->party;
	if (e->party == P_SERVER)
		e->side = SIDE_WRITER;
	else if (e->party == P_CLIENT)
		e->side = SIDE_READER;
	else if (e->side != SIDE_WIRE)
		e->side = SIDE_OTHER;
}

/* ---- the whole run ---- */

/* Every line is in (a finished run's, or --follow's at the end): who is who, the events in
 * time order, and the zero of time. */
/* Which logs have their end event; a capture's log without one is left out of the lesson: what
 * it saw until it was stopped is not what crossed the wire (its figures would be partial, told
 * as facts), in every view. */
static void logs_ended(struct run *run)
{
	size_t k = 0;

	for (size_t i = 0; i < run->n; i++)
		if (run->ev[i].kind == K_END)
			run->logs[run->ev[i].log].ended = 1;
	for (size_t i = 0; i < run->n; i++) {
		struct event *e = &run->ev[i];
		struct logfile *lg = &run->logs[e->log];

		if (!lg->ended && lg->prog && strcmp(lg->prog, CAPTURE_PROG) == 0) {
			run->capture_cut = 1;
			fields_free(e->fields);
			continue;
		}
		run->ev[k++] = *e;
	}
	run->n = k;
}

void run_settle(struct run *run, const struct options *o)
{
	logs_ended(run);
	assign_parties(run, o);
	run_sort(run, o->lesson);
	run->zero_ns = zero_of_time(run);
	run->wire = 0;
	for (size_t i = 0; i < run->n && !run->wire; i++)
		run->wire = run->ev[i].kind == K_WIRE;
}

int run_load(struct run *run, const struct options *o, char *err, size_t errlen)
{
	run->nlogs = o->nlogs;
	run->logs = calloc(o->nlogs, sizeof(*run->logs));
	if (run->logs == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	run->want_columns = o->csv != NULL;
	for (size_t i = 0; i < o->nlogs; i++) {
		run->logs[i].path = o->logs[i];
		if (load_log(run, i, o, err, errlen) < 0)
			return -1;
	}
	run_settle(run, o);
	return 0;
}

/* An event's own fields (keeps_fields kinds), if it has them. */
void fields_free(struct tl_event *fields)
{
	if (fields == NULL)
		return;
	tl_event_free(fields);
	free(fields);
}

void run_free(struct run *run)
{
	for (size_t i = 0; i < run->n; i++)
		fields_free(run->ev[i].fields);
	free(run->ev);
	for (size_t i = 0; i < run->nlogs; i++) {
		if (run->logs[i].fp)
			fclose(run->logs[i].fp);
		free(run->logs[i].prog);
	}
	free(run->logs);
	columns_free(&run->cols);
}
