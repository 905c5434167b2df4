/* follow: --follow, the table alone, row by row while the logs grow, for a class to watch
 * live. Each LOG is read as it grows (it need not exist yet), its lines parsed as a finished
 * run's are, and an event is shown once it is FOLLOW_HOLD_BACK_NS old, in time order, through
 * the same rows as a finished run. */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FOLLOW_POLL_NS (20 * NS_PER_MS)
/* An event is shown once it is this old. A log is not in time order: a blocked write is
 * stamped at its call's start but logged a millisecond or more later; and two logs are read
 * one after the other. */
#define FOLLOW_HOLD_BACK_NS (150 * NS_PER_MS)
#define FOLLOW_READ_CHUNK 65536
/* On a terminal, the status line is drawn again this often. */
#define FOLLOW_STATUS_NS (100 * NS_PER_MS)

static volatile sig_atomic_t follow_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* One LOG as it grows. */
struct tail {
	int fd;                     /* -1 until the file exists */
	char *buf;                  /* read, not yet a whole line */
	size_t len, cap;
	size_t lineno;
	off_t got;                  /* bytes read from the file */
	int ended;                  /* its end event has been read */
	int owe_newline;            /* a line was taken without its newline (follow_partial) */
};

struct follow {
	const struct options *o;
	struct run run;             /* events read and not yet shown; the LOG names */
	struct tail *tails;
	struct rows rows;
	int started;                /* the header is out: rows knows the zero of time */
	int wire;                   /* a capture's event has been read: the Wire column */
	struct opt start_t0;        /* the earliest t0_ns of the start events read */
	struct opt socket_t;        /* the first socket event of either side: the zero of time */
	struct tl_event **retired;  /* fields of shown events, while rows may hold them */
	size_t nretired, capretired;
	FILE *out;                  /* the rows go here: stdout, or what follow_show_tty keeps */
	int tty;                    /* stdout is a terminal: the status line */
	int status_shown;           /* it is on the screen's last line */
	int64_t status_at;          /* when it was last drawn */
};

static void follow_free_retired(struct follow *fw)
{
	for (size_t i = 0; i < fw->nretired; i++)
		fields_free(fw->retired[i]);
	fw->nretired = 0;
}

static int follow_retire(struct follow *fw, struct tl_event *fields)
{
	if (grow(&fw->retired, &fw->capretired, fw->nretired + 1, sizeof(*fw->retired)) < 0)
		return -1;
	fw->retired[fw->nretired++] = fields;
	return 0;
}

/* One whole line of log li, parsed as a finished run's lines are. */
static int follow_line(struct follow *fw, size_t li, const char *line, char *err,
		       size_t errlen)
{
	struct run *run = &fw->run;
	struct event *e;
	struct opt t0;
	int rc;

	if (is_blank(line))
		return 0;
	rc = add_line(run, li, fw->tails[li].lineno, 0, line, fw->o, err, errlen);
	if (rc <= 0)
		return rc;      /* 0: before --t0, a line left in the file by an earlier run */
	e = &run->ev[run->n - 1];
	run_follow_party(run, fw->o, e);
	t0 = field_opt(e, "t0_ns");
	if (e->kind == K_START && t0.has && (!fw->start_t0.has || t0.v < fw->start_t0.v))
		fw->start_t0 = t0;
	if (e->kind == K_SOCKET &&
	    (e->side == SIDE_READER || e->side == SIDE_WRITER || e->party != P_NONE) &&
	    (!fw->socket_t.has || e->t_ns < fw->socket_t.v))
		opt_set(&fw->socket_t, e->t_ns);
	if (e->side == SIDE_WIRE)
		fw->wire = 1;
	if (e->kind == K_END)
		fw->tails[li].ended = 1;
	return 0;
}

/* Parse the whole lines in log li's buffer; keep the partial last one for next time. */
static int follow_lines(struct follow *fw, size_t li, char *err, size_t errlen)
{
	struct tail *tl = &fw->tails[li];
	size_t at = 0;
	char *nl;

	if (tl->owe_newline && tl->len > 0) {
		at = tl->buf[0] == '\n';      /* the end of a line already taken */
		tl->owe_newline = 0;
	}
	while ((nl = memchr(tl->buf + at, '\n', tl->len - at)) != NULL) {
		*nl = '\0';
		tl->lineno++;
		if (follow_line(fw, li, tl->buf + at, err, errlen) < 0)
			return -1;
		at = (size_t)(nl - tl->buf) + 1;
	}
	memmove(tl->buf, tl->buf + at, tl->len - at);
	tl->len -= at;
	return 0;
}

/* A last line without its newline may be where its log ends (a finished run takes it too).
 * Taken once it is a whole object: a line cut short never is, as it lacks its closing brace,
 * the only one outside a string. */
static int follow_partial(struct follow *fw, size_t li, char *err, size_t errlen)
{
	struct tail *tl = &fw->tails[li];
	struct tl_event tev;
	char why[160];

	if (tl->len == 0)
		return 0;
	tl->buf[tl->len] = '\0';        /* follow_read keeps a byte for it */
	if (is_blank(tl->buf) || tl_event_parse(tl->buf, &tev, why, sizeof(why)) < 0)
		return 0;
	tl_event_free(&tev);
	tl->lineno++;
	tl->len = 0;
	tl->owe_newline = 1;
	return follow_line(fw, li, tl->buf, err, errlen);
}

/* Read what log li gained since last time (nothing if it does not exist yet). */
static int follow_read(struct follow *fw, size_t li, char *err, size_t errlen)
{
	struct tail *tl = &fw->tails[li];
	const char *path = fw->run.logs[li].path;
	struct stat st;

	if (tl->fd < 0) {
		tl->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (tl->fd < 0 && errno == ENOENT)
			return 0;       /* its program has not started yet */
		if (tl->fd < 0) {
			snprintf(err, errlen, "open(%s): %s", path, strerror(errno));
			return -1;
		}
	}
	/* Shorter than what was read: a new run of its program truncated it. Start over. */
	if (fstat(tl->fd, &st) == 0 && st.st_size < tl->got && lseek(tl->fd, 0, SEEK_SET) == 0) {
		tl->got = 0;
		tl->len = 0;
		tl->lineno = 0;
		tl->ended = 0;
		tl->owe_newline = 0;
	}
	for (;;) {
		ssize_t got;

		if (grow(&tl->buf, &tl->cap, tl->len + FOLLOW_READ_CHUNK + 1, 1) < 0) {
			snprintf(err, errlen, "%s: out of memory", path);
			return -1;
		}
		got = read(tl->fd, tl->buf + tl->len, FOLLOW_READ_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "read(%s): %s", path, strerror(errno));
			return -1;
		}
		if (got == 0)
			return follow_partial(fw, li, err, errlen);
		tl->got += got;
		tl->len += (size_t)got;
		if (follow_lines(fw, li, err, errlen) < 0)
			return -1;
	}
}

/* Every program has ended: what is left of a last line is parsed as a finished run would,
 * and a malformed one is an error with its file and line. */
static int follow_last_lines(struct follow *fw, char *err, size_t errlen)
{
	for (size_t li = 0; li < fw->run.nlogs; li++) {
		struct tail *tl = &fw->tails[li];

		if (tl->len == 0)
			continue;
		tl->buf[tl->len] = '\0';        /* follow_read keeps a byte for it */
		tl->lineno++;
		tl->len = 0;
		if (follow_line(fw, li, tl->buf, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The header, once the first rows are due: by then the start events have given the zero of
 * time, and a capture, started before the connection, has logged its first events. 0, or -1
 * when out of memory. */
static int follow_begin(struct follow *fw)
{
	int64_t zero = fw->run.n ? fw->run.ev[0].t_ns : 0;

	if (fw->socket_t.has)
		zero = fw->socket_t.v;
	else if (fw->start_t0.has)
		zero = fw->start_t0.v;
	/* The logs (who is who so far), for the lessons of a server and its clients. */
	if (rows_init(&fw->rows, fw->out, fw->o, &fw->run, zero, fw->wire, NULL) < 0)
		return -1;
	table_header(&fw->rows.t);
	fw->started = 1;
	return 0;
}

/* Show, in time order, the events older than `horizon` (all of them with `all`). */
static int follow_show(struct follow *fw, int64_t horizon, int all, char *err, size_t errlen)
{
	struct run *run = &fw->run;
	size_t k = 0;

	run_sort(run, fw->o->lesson);
	while (k < run->n && (all || event_when(&run->ev[k], fw->o->lesson) < horizon))
		k++;
	if (k == 0 && !all)
		return 0;
	if (!fw->started && follow_begin(fw) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		if (rows_feed(&fw->rows, &run->ev[i]) < 0 ||
		    (run->ev[i].fields && follow_retire(fw, run->ev[i].fields) < 0)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		run->ev[i].fields = NULL;
	}
	if (k > 0)
		memmove(run->ev, run->ev + k, (run->n - k) * sizeof(run->ev[0]));
	run->n -= k;
	if ((all ? rows_finish(&fw->rows) : rows_advance(&fw->rows, horizon)) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (rows_idle(&fw->rows))
		follow_free_retired(fw);
	if (fflush(fw->out) != 0) {
		snprintf(err, errlen, "write(stdout): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the status line, on a terminal ---- */

static void status_clear(struct follow *fw)
{
	if (fw->status_shown)
		fputs("\r\033[K", stdout);
	fw->status_shown = 0;
}

/* The bytes of s that fit in cols display columns. */
static size_t fit_width(const char *s, int cols)
{
	size_t n = strlen(s);

	while (n > 0 && text_width(s, n) > cols) {
		n--;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;            /* not in the middle of a UTF-8 character */
	}
	return n;
}

/* "  live 3.456 s · unread 123.5 KiB, window 0, backoff 3, write() blocked for 1.23 s": the
 * time since the zero of time by the clock, so that it moves while nothing is logged; the
 * rest as the lesson's facts stand after the last event shown. */
static void status_draw(struct follow *fw, int64_t now)
{
	const struct options *o = fw->o;
	char body[256], line[400], t[32];
	int cols = o->width > 0 ? o->width : 100;

	if (!fw->started || o->lesson->status == NULL)
		return;
	o->lesson->status(body, sizeof(body), fw->rows.facts);
	snprintf(line, sizeof(line), "  live %s s · %s", fmt_secs(t, sizeof(t),
								 now - fw->rows.t.zero_ns), body);
	fputs("\r\033[K", stdout);
	fprintf(stdout, "%s%.*s%s", o->color ? "\033[2m" : "", (int)fit_width(line, cols - 1), line,
		o->color ? "\033[0m" : "");
	fflush(stdout);
	fw->status_shown = 1;
	fw->status_at = now;
}

/* follow_show, on a terminal: the rows it prints replace the status line, which comes back
 * below them. */
static int follow_show_tty(struct follow *fw, int64_t horizon, int all, char *err,
			   size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int64_t now = (int64_t)timeline_now_ns();
	int rc;

	if (mem == NULL) {
		snprintf(err, errlen, "open_memstream: %s", strerror(errno));
		return -1;
	}
	fw->out = mem;
	fw->rows.t.out = mem;
	rc = follow_show(fw, horizon, all, err, errlen);
	fw->out = stdout;
	fw->rows.t.out = stdout;
	if (fclose(mem) != 0 && rc == 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (len > 0) {
		status_clear(fw);
		fwrite(text, 1, len, stdout);
	}
	free(text);
	if (rc == 0 && !all && (len > 0 || now - fw->status_at >= FOLLOW_STATUS_NS))
		status_draw(fw, now);
	if (all)
		status_clear(fw);
	if (rc == 0 && fflush(stdout) != 0) {
		snprintf(err, errlen, "write(stdout): %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

static void follow_sleep(void)
{
	struct timespec ts = { 0, FOLLOW_POLL_NS };

	nanosleep(&ts, NULL);   /* a signal cuts it short: the loop looks at follow_stop */
}

static void follow_free(struct follow *fw)
{
	for (size_t i = 0; fw->tails && i < fw->run.nlogs; i++) {
		if (fw->tails[i].fd >= 0)
			close(fw->tails[i].fd);
		free(fw->tails[i].buf);
	}
	free(fw->tails);
	follow_free_retired(fw);
	free(fw->retired);
	rows_free(&fw->rows);
	run_free(&fw->run);
}

/* Until every LOG has its end event, or SIGINT/SIGTERM: read what the logs gained, show the
 * rows that are due, wait. */
int follow(const struct options *o, char *err, size_t errlen)
{
	struct follow fw;
	struct sigaction sa;
	int rc = 0, ended = 0;

	memset(&fw, 0, sizeof(fw));
	fw.o = o;
	fw.out = stdout;
	fw.tty = isatty(STDOUT_FILENO);
	fw.run.nlogs = o->nlogs;
	fw.run.logs = calloc(o->nlogs, sizeof(*fw.run.logs));
	fw.tails = calloc(o->nlogs, sizeof(*fw.tails));
	if (fw.run.logs == NULL || fw.tails == NULL) {
		snprintf(err, errlen, "out of memory");
		follow_free(&fw);
		return -1;
	}
	for (size_t i = 0; i < o->nlogs; i++) {
		fw.run.logs[i].path = o->logs[i];
		fw.tails[i].fd = -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;         /* no SA_RESTART: the sleep ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);               /* a closed pipe is a write error, not death */
	while (rc == 0 && !ended && !follow_stop) {
		ended = 1;
		for (size_t i = 0; i < o->nlogs && rc == 0; i++) {
			rc = follow_read(&fw, i, err, errlen);
			ended &= fw.tails[i].ended;
		}
		if (rc == 0 && !ended) {
			rc = (fw.tty ? follow_show_tty : follow_show)(
				&fw, (int64_t)timeline_now_ns() - FOLLOW_HOLD_BACK_NS, 0, err, errlen);
			if (rc == 0 && !follow_stop)
				follow_sleep();
		}
	}
	/* A signal leaves a partial last line out: its program may be writing it. */
	if (rc == 0 && ended)
		rc = follow_last_lines(&fw, err, errlen);
	if (rc == 0)
		rc = (fw.tty ? follow_show_tty : follow_show)(&fw, 0, 1, err, errlen);
	follow_free(&fw);
	return rc;
}
