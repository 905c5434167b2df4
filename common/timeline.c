/* timeline: see timeline.h for the format. The writer formats into a fixed buffer and issues one
 * write(2) per event; the reader is a strict parser of the flat objects the writer produces. */
#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int timeline_open(struct timeline *tl, const char *path, const char *prog, char *err,
		  size_t errlen)
{
	tl->fd = -1;
	tl->prog = prog;
	tl->path = path;
	tl->write_errno = 0;
	if (path == NULL)
		return 0;
	/* O_APPEND: a line written with one write(2) lands whole even with two writers.
	 * O_NOFOLLOW: a link planted where the log goes is not written through. */
	tl->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (tl->fd < 0) {
		snprintf(err, errlen, "open(%s): %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int timeline_close(struct timeline *tl, char *err, size_t errlen)
{
	int werr = __atomic_load_n(&tl->write_errno, __ATOMIC_ACQUIRE), rc = 0;

	if (tl->fd < 0)
		return 0;
	if (werr) {
		if (err)
			snprintf(err, errlen, "write(%s): %s", tl->path, strerror(werr));
		rc = -1;
	}
	/* On a file system that reports a failed write-back only at close (NFS), close says it. */
	if (close(tl->fd) < 0 && rc == 0) {
		if (err)
			snprintf(err, errlen, "close(%s): %s", tl->path, strerror(errno));
		rc = -1;
	}
	tl->fd = -1;
	return rc;
}

uint64_t timeline_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void rec_append(struct tl_rec *r, const char *s, size_t n)
{
	/* Keep room for the closing "}\n". */
	if (r->overflow || r->len + n + 2 > sizeof(r->buf)) {
		r->overflow = 1;
		return;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

static void rec_puts(struct tl_rec *r, const char *s)
{
	rec_append(r, s, strlen(s));
}

static void rec_quoted(struct tl_rec *r, const char *s)
{
	char tmp[8];

	rec_append(r, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			rec_append(r, tmp, 2);
		} else if (c == '\n') {
			rec_append(r, "\\n", 2);
		} else if (c == '\t') {
			rec_append(r, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			rec_append(r, tmp, 6);
		} else {
			rec_append(r, (const char *)&c, 1);
		}
	}
	rec_append(r, "\"", 1);
}

void tl_rec_begin(struct tl_rec *r, const struct timeline *tl, const char *kind, uint64_t t_ns)
{
	char num[32];

	r->len = 0;
	r->overflow = 0;
	snprintf(num, sizeof(num), "{\"t_ns\":%" PRIu64, t_ns);
	rec_puts(r, num);
	tl_rec_str(r, "prog", tl->prog ? tl->prog : "?");
	tl_rec_str(r, "kind", kind);
}

void tl_rec_int(struct tl_rec *r, const char *name, int64_t v)
{
	char num[32];

	rec_puts(r, ",");
	rec_quoted(r, name);
	snprintf(num, sizeof(num), ":%" PRId64, v);
	rec_puts(r, num);
}

void tl_rec_str(struct tl_rec *r, const char *name, const char *v)
{
	rec_puts(r, ",");
	rec_quoted(r, name);
	rec_puts(r, ":");
	rec_quoted(r, v);
}

int tl_rec_emit(struct timeline *tl, struct tl_rec *r)
{
	size_t off = 0;
	int werr;

	/* An overflowing record lost fields after some point; cut it back to a whole field. */
	if (r->overflow) {
		while (r->len > 0 && r->buf[r->len - 1] != ',')
			r->len--;
		if (r->len > 0)
			r->len--;
	}
	r->buf[r->len++] = '}';
	r->buf[r->len++] = '\n';
	if (tl->fd < 0)
		return 0;
	werr = __atomic_load_n(&tl->write_errno, __ATOMIC_ACQUIRE);
	while (werr == 0 && off < r->len) {
		ssize_t n = write(tl->fd, r->buf + off, r->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int expected = 0;

			/* Not 0, so that a write that wrote nothing cannot loop here. */
			werr = n < 0 ? errno : EIO;
			/* The first failure is the one to report, whichever thread saw it. */
			if (!__atomic_compare_exchange_n(&tl->write_errno, &expected, werr, 0,
							 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				werr = expected;
			break;
		}
		off += (size_t)n;
	}
	if (werr) {
		errno = werr;
		return -1;
	}
	return 0;
}

int timeline_event(struct timeline *tl, const char *kind, uint64_t t_ns)
{
	struct tl_rec r;

	tl_rec_begin(&r, tl, kind, t_ns);
	return tl_rec_emit(tl, &r);
}

int timeline_errno(struct timeline *tl, const char *kind, const char *call, int errnum)
{
	struct tl_rec r;

	tl_rec_begin(&r, tl, kind, timeline_now_ns());
	tl_rec_str(&r, "call", call);
	tl_rec_str(&r, "errno_name", timeline_errno_name(errnum));
	tl_rec_str(&r, "errno_text", strerror(errnum));
	return tl_rec_emit(tl, &r);
}

const char *timeline_errno_name(int errnum)
{
	/* glibc 2.36 has no strerrorname_np-free way that is portable to older ones; the names
	 * a flow-control lab meets are few. */
	switch (errnum) {
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case EPIPE: return "EPIPE";
	case ECONNRESET: return "ECONNRESET";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNABORTED: return "ECONNABORTED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ENOTCONN: return "ENOTCONN";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case ENOBUFS: return "ENOBUFS";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENETUNREACH: return "ENETUNREACH";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "E?";
	}
}

/* ---- reading ---- */

struct parser {
	const char *s;
	size_t pos;
	char *out;          /* where the next name or string is copied */
	char *err;
	size_t errlen;
};

static int perr(struct parser *p, const char *what)
{
	snprintf(p->err, p->errlen, "column %zu: %s", p->pos + 1, what);
	return -1;
}

static void skip_blanks(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copy the string at p->pos (which is a '"') into p->out; return its start. */
static char *parse_string(struct parser *p)
{
	char *start = p->out;

	if (p->s[p->pos] != '"') {
		perr(p, "expected '\"'");
		return NULL;
	}
	p->pos++;
	for (;;) {
		char c = p->s[p->pos];

		if (c == '\0' || c == '\n') {
			perr(p, "unterminated string");
			return NULL;
		}
		if ((unsigned char)c < 0x20) {
			perr(p, "control character in string");
			return NULL;
		}
		p->pos++;
		if (c == '"')
			break;
		if (c != '\\') {
			*p->out++ = c;
			continue;
		}
		c = p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/': *p->out++ = c; break;
		case 'b': *p->out++ = '\b'; break;
		case 'f': *p->out++ = '\f'; break;
		case 'n': *p->out++ = '\n'; break;
		case 'r': *p->out++ = '\r'; break;
		case 't': *p->out++ = '\t'; break;
		case 'u': {
			int v = 0;

			for (int i = 0; i < 4; i++) {
				int h = hexval(p->s[p->pos]);

				if (h < 0) {
					perr(p, "bad \\u escape");
					return NULL;
				}
				v = v * 16 + h;
				p->pos++;
			}
			if (v == 0 || v >= 0x80) {
				perr(p, "\\u escape outside ASCII");
				return NULL;
			}
			*p->out++ = (char)v;
			break;
		}
		default:
			p->pos--;
			perr(p, "unknown escape");
			return NULL;
		}
	}
	*p->out++ = '\0';
	return start;
}

static int parse_int(struct parser *p, int64_t *v)
{
	int neg = 0;
	uint64_t acc = 0;
	size_t digits = 0;

	if (p->s[p->pos] == '-') {
		neg = 1;
		p->pos++;
	}
	while (p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
		unsigned d = (unsigned)(p->s[p->pos] - '0');

		if (digits == 1 && acc == 0)
			return perr(p, "leading zero");
		if (acc > (UINT64_MAX - d) / 10)
			return perr(p, "number too large");
		acc = acc * 10 + d;
		digits++;
		p->pos++;
	}
	if (digits == 0)
		return perr(p, "expected a number or a string");
	if (p->s[p->pos] == '.' || p->s[p->pos] == 'e' || p->s[p->pos] == 'E')
		return perr(p, "only integers are allowed");
	if (acc > (uint64_t)INT64_MAX + (uint64_t)neg)
		return perr(p, "number too large");
	*v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

int tl_event_parse(const char *line, struct tl_event *ev, char *err, size_t errlen)
{
	struct parser p = { .s = line, .pos = 0, .err = err, .errlen = errlen };
	size_t len = strlen(line);

	ev->n = 0;
	/* Unescaped text is never longer than its source. */
	ev->mem = malloc(len + 1);
	if (ev->mem == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p.out = ev->mem;
	skip_blanks(&p);
	if (line[p.pos] != '{') {
		perr(&p, "expected '{'");
		goto fail;
	}
	p.pos++;
	skip_blanks(&p);
	if (line[p.pos] == '}') {
		p.pos++;
		goto tail;
	}
	for (;;) {
		struct tl_field *f;

		skip_blanks(&p);
		if (ev->n == TL_MAX_FIELDS) {
			perr(&p, "too many fields");
			goto fail;
		}
		f = &ev->f[ev->n];
		f->name = parse_string(&p);
		if (f->name == NULL)
			goto fail;
		for (size_t i = 0; i < ev->n; i++) {
			if (strcmp(ev->f[i].name, f->name) == 0) {
				perr(&p, "duplicate field");
				goto fail;
			}
		}
		skip_blanks(&p);
		if (line[p.pos] != ':') {
			perr(&p, "expected ':'");
			goto fail;
		}
		p.pos++;
		skip_blanks(&p);
		f->s = NULL;
		f->i = 0;
		if (line[p.pos] == '"') {
			f->is_str = 1;
			f->s = parse_string(&p);
			if (f->s == NULL)
				goto fail;
		} else {
			f->is_str = 0;
			if (parse_int(&p, &f->i) < 0)
				goto fail;
		}
		ev->n++;
		skip_blanks(&p);
		if (line[p.pos] == ',') {
			p.pos++;
			continue;
		}
		if (line[p.pos] == '}') {
			p.pos++;
			break;
		}
		perr(&p, "expected ',' or '}'");
		goto fail;
	}
tail:
	skip_blanks(&p);
	if (line[p.pos] == '\r')
		p.pos++;
	if (line[p.pos] == '\n')
		p.pos++;
	if (line[p.pos] != '\0') {
		perr(&p, "text after the object");
		goto fail;
	}
	return 0;
fail:
	tl_event_free(ev);
	return -1;
}

void tl_event_free(struct tl_event *ev)
{
	free(ev->mem);
	ev->mem = NULL;
	ev->n = 0;
}

static const struct tl_field *find(const struct tl_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].name, name) == 0)
			return &ev->f[i];
	return NULL;
}

int tl_event_int(const struct tl_event *ev, const char *name, int64_t *v)
{
	const struct tl_field *f = find(ev, name);

	if (f == NULL || f->is_str)
		return 0;
	*v = f->i;
	return 1;
}

const char *tl_event_str(const struct tl_event *ev, const char *name)
{
	const struct tl_field *f = find(ev, name);

	return (f == NULL || !f->is_str) ? NULL : f->s;
}
