/* buffer_sizes: the reference document's "Default: 64 KB", "Set Custom Size" and "When to
 * Change?", measured. The run is four parts, each logged where the lesson reads it:
 *   autotuning: a fast_peer floods a slow_reader that drains, neither setting a size: the
 *     reader's buffer (skmem rb) and rcv_space grow as the kernel autotunes;
 *   flowlab-sizes: SO_RCVBUF and SO_SNDBUF asked for each size and read back (bufsize), the
 *     sysctls that decide them, and three handshakes whose client sets SO_RCVBUF before
 *     connect(), after it, or before and larger after (their SYNs in the capture);
 *   fill: for each receive size, how many bytes fit before the window closed: window_zero's
 *     own measurement of a flood run, which the script renders with that lesson (fill events);
 *   throughput: for each receive size, a transfer across a shaped link: slow_network's own
 *     measurement (throughput events). */
#include "lessons.h"

#include <inttypes.h>
#include <string.h>

#define MAX_SIZES 32

struct size_row {
	int64_t requested;
	struct opt rcv, snd;                /* what the kernel set */
	char rcv_err[16], snd_err[16];      /* or why it did not */
	struct opt fill, fill_set;          /* bytes before window 0, SO_RCVBUF set then */
	struct opt bps, link_bps;           /* throughput across the link */
};

struct handshake {
	char when[16];
	struct opt before, after, rcvbuf, port, wscale, window_max, wire_wscale;
};

struct bs {
	/* The sysctls. */
	struct opt rmem_max, wmem_max, tcp_rmem[3], tcp_wmem[3];
	struct size_row row[MAX_SIZES];
	size_t nrows;
	struct opt force_requested, force_rcv, force_snd;
	char force_rcv_err[16], force_snd_err[16];
	struct handshake hs[4];
	size_t nhs;
	/* The capture's SYNs of the handshakes' clients, before their handshake events. */
	int64_t syn_port[16], syn_wscale[16];
	size_t nsyn;
	/* The autotuning run: the reader's buffer and rcv_space, first and largest. */
	struct opt rb, rb_first, rb_max, space, space_first, space_max, wnd, wnd_max, unread;
	int64_t rb_steps;
};

static void start(void *facts, const struct fold *c)
{
	(void)c;
	memset(facts, 0, sizeof(struct bs));
}

static struct size_row *row_of(struct bs *b, int64_t requested)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (b->row[i].requested == requested)
			return &b->row[i];
	if (b->nrows == MAX_SIZES)
		return NULL;
	b->row[b->nrows].requested = requested;
	return &b->row[b->nrows++];
}

static void copy_err(char *dst, size_t len, const struct event *e)
{
	const char *s = field_str(e, "errno_name");

	snprintf(dst, len, "%s", s ? s : "");
}

static void on_sysctls(struct bs *b, const struct event *e)
{
	static const char *const part[3] = { "min", "default", "max" };
	char name[32];

	b->rmem_max = field_opt(e, "rmem_max");
	b->wmem_max = field_opt(e, "wmem_max");
	for (int k = 0; k < 3; k++) {
		snprintf(name, sizeof(name), "tcp_rmem_%s", part[k]);
		b->tcp_rmem[k] = field_opt(e, name);
		snprintf(name, sizeof(name), "tcp_wmem_%s", part[k]);
		b->tcp_wmem[k] = field_opt(e, name);
	}
}

static void on_bufsize(struct bs *b, const struct event *e)
{
	const char *opt = field_str(e, "option");
	struct opt req = field_opt(e, "requested"), set = field_opt(e, "set");
	struct size_row *r;

	if (!opt || !req.has)
		return;
	if (str_is(opt, "SO_RCVBUFFORCE") || str_is(opt, "SO_SNDBUFFORCE")) {
		int rcv = str_is(opt, "SO_RCVBUFFORCE");

		b->force_requested = req;
		*(rcv ? &b->force_rcv : &b->force_snd) = set;
		copy_err(rcv ? b->force_rcv_err : b->force_snd_err, sizeof(b->force_rcv_err), e);
		return;
	}
	if ((r = row_of(b, req.v)) == NULL)
		return;
	if (str_is(opt, "SO_RCVBUF")) {
		r->rcv = set;
		copy_err(r->rcv_err, sizeof(r->rcv_err), e);
	} else if (str_is(opt, "SO_SNDBUF")) {
		r->snd = set;
		copy_err(r->snd_err, sizeof(r->snd_err), e);
	}
}

static void on_handshake(struct bs *b, const struct event *e, struct note *n)
{
	struct handshake *h;
	const char *when = field_str(e, "when");
	char x[48], y[48], z[48], w[48];

	if (b->nhs == sizeof(b->hs) / sizeof(b->hs[0]) || !when)
		return;
	h = &b->hs[b->nhs++];
	snprintf(h->when, sizeof(h->when), "%s", when);
	h->before = field_opt(e, "before_bytes");
	h->after = field_opt(e, "after_bytes");
	h->rcvbuf = field_opt(e, "rcvbuf_bytes");
	h->port = field_opt(e, "local_port");
	h->wscale = field_opt(e, "rcv_wscale");
	h->window_max = field_opt(e, "window_max_bytes");
	for (size_t i = 0; i < b->nsyn && h->port.has; i++)
		if (b->syn_port[i] == h->port.v)
			opt_set(&h->wire_wscale, b->syn_wscale[i]);
	if (!h->wscale.has || !h->window_max.has)
		return;
	if (str_is(when, "before"))
		note_add(n, "a client sets SO_RCVBUF %s before connect(): its SYN offers window "
			 "scale %" PRId64 ", so no window it sends can exceed %s bytes",
			 fmt_size(x, sizeof(x), h->before.v), h->wscale.v,
			 fmt_count(y, sizeof(y), h->window_max.v));
	else if (str_is(when, "after"))
		note_add(n, "a client sets SO_RCVBUF %s after connect(): its SYN had offered scale "
			 "%" PRId64 " from the default buffer (windows up to %s bytes)",
			 fmt_size(x, sizeof(x), h->after.v), h->wscale.v,
			 fmt_count(y, sizeof(y), h->window_max.v));
	else
		note_add(n, "a client sets SO_RCVBUF %s before connect(), %s after: its buffer is %s "
			 "now, but its scale stays %" PRId64 ": windows up to %s bytes, for good",
			 fmt_size(x, sizeof(x), h->before.v), fmt_size(y, sizeof(y), h->after.v),
			 fmt_size(z, sizeof(z), h->rcvbuf.v), h->wscale.v,
			 fmt_count(w, sizeof(w), h->window_max.v));
	if (h->wire_wscale.has)
		note_add(n, "the capture agrees: the SYN's option says %" PRId64, h->wire_wscale.v);
}

/* A SYN in the capture, with its window-scale option: kept for the handshake event of the
 * client that sent it (which comes after: the client logs once connected). */
static void on_wire(struct bs *b, const struct event *e)
{
	struct opt ws = slot_opt(e, W_WSCALE), port = slot_opt(e, W_SRC_PORT);

	if (!ws.has || !port.has || b->nsyn == sizeof(b->syn_port) / sizeof(b->syn_port[0]))
		return;
	b->syn_port[b->nsyn] = port.v;
	b->syn_wscale[b->nsyn++] = ws.v;
}

static void on_fill(struct bs *b, const struct event *e, struct note *n)
{
	struct opt req = field_opt(e, "requested");
	struct size_row *r;
	char x[48], y[48], z[48];

	if (!req.has || (r = row_of(b, req.v)) == NULL)
		return;
	r->fill = field_opt(e, "bytes_at_zero_window");
	r->fill_set = field_opt(e, "rcvbuf_bytes");
	if (r->fill.has && r->fill_set.has)
		note_add(n, "SO_RCVBUF %s asked (%s set): %s fit before the window closed "
			 "(window_zero's measurement)", fmt_size(x, sizeof(x), req.v),
			 fmt_size(y, sizeof(y), r->fill_set.v), fmt_size(z, sizeof(z), r->fill.v));
}

static void on_throughput(struct bs *b, const struct event *e, struct note *n)
{
	struct opt req = field_opt(e, "requested");
	struct size_row *r;
	char x[48], y[48], z[48];

	if (!req.has || (r = row_of(b, req.v)) == NULL)
		return;
	r->bps = field_opt(e, "throughput_bps");
	r->link_bps = field_opt(e, "link_rate_bps");
	if (r->bps.has && r->link_bps.has)
		note_add(n, "SO_RCVBUF %s asked: %s bit/s across a link of %s bit/s",
			 fmt_size(x, sizeof(x), req.v), fmt_count(y, sizeof(y), r->bps.v),
			 fmt_count(z, sizeof(z), r->link_bps.v));
}

static void on_sample(struct bs *b, const struct event *e, struct note *n)
{
	struct opt rb = slot_opt(e, S_RCVBUF), sp = slot_opt(e, S_RCV_SPACE);
	char x[48], y[48];

	if (e->side == SIDE_WRITER) {
		b->wnd = slot_opt(e, S_SNDWND);
		if (b->wnd.has && (!b->wnd_max.has || b->wnd.v > b->wnd_max.v))
			b->wnd_max = b->wnd;
		return;
	}
	if (e->side != SIDE_READER)
		return;
	b->unread = slot_opt(e, S_RECVQ);
	if (sp.has) {
		if (!b->space_first.has)
			b->space_first = sp;
		if (!b->space_max.has || sp.v > b->space_max.v)
			b->space_max = sp;
		b->space = sp;
	}
	if (!rb.has)
		return;
	if (!b->rb_first.has) {
		b->rb_first = rb;
		note_add(n, "the reader set no size: its buffer starts at %s (tcp_rmem's default)",
			 fmt_size(x, sizeof(x), rb.v));
	} else if (rb.v > b->rb.v) {
		b->rb_steps++;
		if (b->tcp_rmem[2].has)
			note_add(n, "autotuning: the reader's buffer grows to %s (tcp_rmem's max: %s)",
				 fmt_size(x, sizeof(x), rb.v), fmt_size(y, sizeof(y),
									b->tcp_rmem[2].v));
		else
			note_add(n, "autotuning: the reader's buffer grows to %s",
				 fmt_size(x, sizeof(x), rb.v));
	}
	b->rb = rb;
	if (!b->rb_max.has || rb.v > b->rb_max.v)
		b->rb_max = rb;
}

static int event(void *facts, const struct event *e, const struct fold *c)
{
	struct bs *b = facts;

	switch (e->kind) {
	case K_END:
		/* The autotuning connection is over: its columns have nothing more to say. */
		if (e->side == SIDE_READER) {
			char x[48], y[48];

			struct opt got = field_opt(e, "bytes_received");

			if (b->rb_max.has && got.has)
				note_add(c->note, "the transfer is over: %s received, the reader's buffer "
					 "autotuned up to %s", fmt_size(x, sizeof(x), got.v),
					 fmt_size(y, sizeof(y), b->rb_max.v));
			b->rb = b->space = b->unread = (struct opt){ 0, 0 };
		}
		if (e->side == SIDE_WRITER)
			b->wnd = (struct opt){ 0, 0 };
		break;
	case K_SYSCTLS:
		on_sysctls(b, e);
		break;
	case K_BUFSIZE:
		on_bufsize(b, e);
		break;
	case K_HANDSHAKE:
		on_handshake(b, e, c->note);
		break;
	case K_WIRE:
		on_wire(b, e);
		break;
	case K_FILL:
		on_fill(b, e, c->note);
		break;
	case K_THROUGHPUT:
		on_throughput(b, e, c->note);
		break;
	case K_SAMPLE:
		on_sample(b, e, c->note);
		break;
	default:
		break;
	}
	return 0;
}

static int finish(void *facts, const struct fold *c)
{
	(void)facts;
	(void)c;
	return 0;
}

static void release(void *facts)
{
	(void)facts;
}

/* --all: a row for every sample of the autotuning reader's. */
static int sample_row(const struct event *e)
{
	return e->kind == K_SAMPLE && e->side == SIDE_READER;
}

static void status(char *buf, size_t len, const void *facts)
{
	const struct bs *b = facts;
	char x[48], y[48];

	snprintf(buf, len, "reader's buffer %s, window %s", fmt_size_or_dash(x, sizeof(x), b->rb),
		 fmt_size_or_dash(y, sizeof(y), b->wnd));
}

/* ---- the views ---- */

/* "8 KiB x2", "2.2 KiB floor", "8 MiB clamp", "EPERM": what the kernel made of a request. */
static const char *made_of(char *buf, size_t len, int64_t asked, struct opt set, const char *err,
			   struct opt max)
{
	char a[48];
	const char *how = "";

	if (!set.has)
		return snprintf(buf, len, "%s", err[0] ? err : "-"), buf;
	if (set.v == 2 * asked)
		how = " x2";
	else if (set.v > 2 * asked)
		how = " floor";
	else if (max.has && set.v == 2 * max.v)
		how = " clamp";
	snprintf(buf, len, "%s%s", fmt_size(a, sizeof(a), set.v), how);
	return buf;
}

static int buffers(FILE *out, const struct options *o, const void *facts)
{
	const struct bs *b = facts;
	char r[48], w[48], f[48], t[48], a[48], c[48], d[48], e[48];

	(void)o;
	if (b->nrows == 0)
		return 0;
	fprintf(out, "What the kernel set for each size asked (x2: doubled; floor; clamp)\n");
	fprintf(out, "  %-11s %-16s %-16s %-14s %s\n", "asked for", "SO_RCVBUF", "SO_SNDBUF",
		"fits, window 0", "bit/s, link");
	for (size_t i = 0; i < b->nrows; i++) {
		const struct size_row *x = &b->row[i];

		fprintf(out, "  %-11s %-16s %-16s %-14s %s\n", fmt_size(a, sizeof(a), x->requested),
			made_of(r, sizeof(r), x->requested, x->rcv, x->rcv_err, b->rmem_max),
			made_of(w, sizeof(w), x->requested, x->snd, x->snd_err, b->wmem_max),
			x->fill.has ? fmt_size(f, sizeof(f), x->fill.v) : "-",
			x->bps.has ? fmt_count(t, sizeof(t), x->bps.v) : "-");
	}
	if (b->force_requested.has)
		fprintf(out, "  %-11s %-16s %-16s (the FORCE options)\n",
			fmt_size(a, sizeof(a), b->force_requested.v),
			b->force_rcv.has ? fmt_size(r, sizeof(r), b->force_rcv.v) : b->force_rcv_err,
			b->force_snd.has ? fmt_size(w, sizeof(w), b->force_snd.v) : b->force_snd_err);
	if (b->rmem_max.has && b->wmem_max.has)
		fprintf(out, "  the clamp: twice net.core.rmem_max (%s) and wmem_max (%s)\n",
			fmt_size(a, sizeof(a), b->rmem_max.v), fmt_size(r, sizeof(r), b->wmem_max.v));
	if (b->tcp_rmem[2].has && b->tcp_wmem[2].has) {
		fprintf(out, "  %-11s autotuned, from tcp_rmem %s / %s / %s (receive)\n", "not set",
			fmt_size(a, sizeof(a), b->tcp_rmem[0].v), fmt_size(r, sizeof(r),
									   b->tcp_rmem[1].v),
			fmt_size(w, sizeof(w), b->tcp_rmem[2].v));
		fprintf(out, "  %-11s and tcp_wmem %s / %s / %s (send): min, default, max\n", "",
			fmt_size(c, sizeof(c), b->tcp_wmem[0].v), fmt_size(d, sizeof(d),
									   b->tcp_wmem[1].v),
			fmt_size(e, sizeof(e), b->tcp_wmem[2].v));
	}
	fprintf(out, "  the reference document: \"Default: 64 KB\" for both\n");
	return 1;
}

static const char *cell_rb(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct bs *)facts)->rb);
}

static const char *cell_space(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct bs *)facts)->space);
}

static const char *cell_wnd(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct bs *)facts)->wnd);
}

static const char *cell_unread(char *buf, size_t len, const void *facts)
{
	return fmt_size_or_dash(buf, len, ((const struct bs *)facts)->unread);
}

static const struct coldef columns[] = {
	{ "Reader's buffer", 15, COL_ALWAYS, cell_rb, NULL, 1 },
	{ "rcv_space", 10, COL_ALWAYS, cell_space, NULL, 1 },
	{ "Window", 10, COL_ALWAYS, cell_wnd, NULL, 1 },
	{ "Unread", 10, COL_ALWAYS, cell_unread, NULL, 1 },
};

static const struct coldef narrow[] = {
	{ "Buffer", 10, COL_ALWAYS, cell_rb, NULL, 1 },
	{ "Window", 10, COL_ALWAYS, cell_wnd, NULL, 1 },
	{ "Unread", 9, COL_ALWAYS, cell_unread, NULL, 1 },
};

static void title(const struct table *t)
{
	fprintf(t->out, "The run: autotuning (no size set), then the handshakes, the fills and the "
		"link (s since the autotuning connection was established)\n");
}

/* The figures of one size: rcvbuf_set_65536=131072, ... */
static void size_figures(struct figs *fs, const struct size_row *x)
{
	char name[48];

	snprintf(name, sizeof(name), "rcvbuf_set_%" PRId64, x->requested);
	fig_put(fs, name, U_BYTES, x->rcv);
	snprintf(name, sizeof(name), "sndbuf_set_%" PRId64, x->requested);
	fig_put(fs, name, U_BYTES, x->snd);
	snprintf(name, sizeof(name), "fill_bytes_%" PRId64, x->requested);
	fig_put(fs, name, U_BYTES, x->fill);
	snprintf(name, sizeof(name), "throughput_bps_%" PRId64, x->requested);
	fig_put(fs, name, U_BPS, x->bps);
}

static const struct handshake *hs_of(const struct bs *b, const char *when)
{
	for (size_t i = 0; i < b->nhs; i++)
		if (str_is(b->hs[i].when, when))
			return &b->hs[i];
	return NULL;
}

static void figures(struct figs *fs, const void *facts)
{
	const struct bs *b = facts;
	static const char *const whens[3] = { "before", "after", "raised" };
	struct opt floor_r = { 0, 0 }, floor_s = { 0, 0 }, clamp_r = { 0, 0 }, clamp_s = { 0, 0 };
	char name[48];

	fig_put(fs, "rmem_max", U_BYTES, b->rmem_max);
	fig_put(fs, "wmem_max", U_BYTES, b->wmem_max);
	fig_put(fs, "tcp_rmem_default", U_BYTES, b->tcp_rmem[1]);
	fig_put(fs, "tcp_rmem_max", U_BYTES, b->tcp_rmem[2]);
	fig_put(fs, "tcp_wmem_default", U_BYTES, b->tcp_wmem[1]);
	fig_put(fs, "tcp_wmem_max", U_BYTES, b->tcp_wmem[2]);
	fig_put(fs, "buffer_reference", U_DOC_KB, (struct opt){ 1, REFERENCE_BUF_BYTES });
	for (size_t i = 0; i < b->nrows; i++)
		if (b->row[i].link_bps.has) {
			fig_put(fs, "link_rate_bps", U_BPS, b->row[i].link_bps);
			break;
		}
	for (size_t i = 0; i < b->nrows; i++) {
		const struct size_row *x = &b->row[i];

		size_figures(fs, x);
		if (x->rcv.has && (!floor_r.has || x->rcv.v < floor_r.v))
			floor_r = x->rcv;
		if (x->snd.has && (!floor_s.has || x->snd.v < floor_s.v))
			floor_s = x->snd;
		if (x->rcv.has && (!clamp_r.has || x->rcv.v > clamp_r.v))
			clamp_r = x->rcv;
		if (x->snd.has && (!clamp_s.has || x->snd.v > clamp_s.v))
			clamp_s = x->snd;
	}
	fig_put(fs, "rcvbuf_least_bytes", U_BYTES, floor_r);
	fig_put(fs, "sndbuf_least_bytes", U_BYTES, floor_s);
	fig_put(fs, "rcvbuf_most_bytes", U_BYTES, clamp_r);
	fig_put(fs, "sndbuf_most_bytes", U_BYTES, clamp_s);
	if (b->force_requested.has) {
		fig_put(fs, "force_requested", U_BYTES, b->force_requested);
		if (b->force_rcv.has)
			fig_put(fs, "rcvbufforce_set", U_BYTES, b->force_rcv);
		else
			fig_text(fs, "rcvbufforce_error", U_TEXT, b->force_rcv_err);
	}
	for (int k = 0; k < 3; k++) {
		const struct handshake *h = hs_of(b, whens[k]);

		if (h == NULL)
			continue;
		snprintf(name, sizeof(name), "wscale_%s", whens[k]);
		fig_put(fs, name, U_COUNT, h->wscale);
		snprintf(name, sizeof(name), "wire_wscale_%s", whens[k]);
		fig_put(fs, name, U_COUNT, h->wire_wscale);
		snprintf(name, sizeof(name), "window_max_%s_bytes", whens[k]);
		fig_put(fs, name, U_COUNT, h->window_max);
		if (h->before.has && str_is(whens[k], "before"))
			fig_put(fs, "handshake_asked_bytes", U_BYTES, h->before);
		snprintf(name, sizeof(name), "rcvbuf_%s_bytes", whens[k]);
		fig_put(fs, name, U_BYTES, h->rcvbuf);
	}
	fig_put(fs, "autotune_rcvbuf_first_bytes", U_BYTES, b->rb_first);
	fig_put(fs, "autotune_rcvbuf_max_bytes", U_BYTES, b->rb_max);
	if (b->rb_first.has && b->rb_max.has && b->rb_first.v > 0)
		fig_put(fs, "autotune_growth_pct", U_PCT1,
			(struct opt){ 1, div_round(b->rb_max.v * 1000, b->rb_first.v) });
	fig_int(fs, "autotune_steps", b->rb_steps);
	fig_put(fs, "autotune_rcv_space_first_bytes", U_BYTES, b->space_first);
	fig_put(fs, "autotune_rcv_space_max_bytes", U_BYTES, b->space_max);
	fig_put(fs, "autotune_window_max_bytes", U_BYTES, b->wnd_max);
}

/* When to change: the smallest and the largest receive size sent across the link. */
static void story_link(struct story *s, const struct bs *b)
{
	const struct size_row *lo = NULL, *hi = NULL;
	char a[48], c[48], d[48], e[48];

	for (size_t i = 0; i < b->nrows; i++) {
		if (!b->row[i].bps.has)
			continue;
		if (lo == NULL || b->row[i].requested < lo->requested)
			lo = &b->row[i];
		if (hi == NULL || b->row[i].requested > hi->requested)
			hi = &b->row[i];
	}
	if (lo == NULL || lo == hi || !lo->link_bps.has)
		return;
	snprintf(a, sizeof(a), "throughput_bps_%" PRId64, lo->requested);
	snprintf(c, sizeof(c), "throughput_bps_%" PRId64, hi->requested);
	snprintf(d, sizeof(d), "rcvbuf_set_%" PRId64, lo->requested);
	snprintf(e, sizeof(e), "rcvbuf_set_%" PRId64, hi->requested);
	say(s, " When to change: across a link of %F, a receive buffer of %F carried %F, one of "
	    "%F %F. With no delay added (this kernel has no netem) the round trip is only the "
	    "link's queue and bandwidth x delay is small, so even the smallest buffer keeps the "
	    "link busy; the document's advice for long, fast paths is the half of the rule this "
	    "lab cannot show.", "link_rate_bps", d, a, e, c);
}

static void summary(struct story *s, const void *facts)
{
	const struct bs *b = facts;

	if (has(s, "autotune_rcvbuf_first_bytes") && has(s, "autotune_rcvbuf_max_bytes")) {
		say(s, " Default: the reader set no size, and its buffer started at %F (tcp_rmem's "
		    "default, not the document's %F) and grew to %F during the transfer as the "
		    "kernel autotuned it", "autotune_rcvbuf_first_bytes", "buffer_reference",
		    "autotune_rcvbuf_max_bytes");
		if (has(s, "tcp_rmem_max"))
			say(s, ", toward tcp_rmem's max of %F", "tcp_rmem_max");
		say(s, ".");
	}
	if (has(s, "rcvbuf_set_65536"))
		say(s, " Set: asked for the document's %F, the kernel set %F (it doubles what you "
		    "ask, half for its own bookkeeping);", "buffer_reference", "rcvbuf_set_65536");
	if (has(s, "rcvbuf_least_bytes") && has(s, "sndbuf_least_bytes"))
		say(s, " no receive buffer is smaller than %F, no send buffer than %F;",
		    "rcvbuf_least_bytes", "sndbuf_least_bytes");
	if (has(s, "rcvbuf_most_bytes") && has(s, "rmem_max"))
		say(s, " none larger than %F, twice net.core.rmem_max (%F).", "rcvbuf_most_bytes",
		    "rmem_max");
	if (has(s, "rcvbufforce_set"))
		say(s, " SO_RCVBUFFORCE went past it, to %F: this user has CAP_NET_ADMIN over the "
		    "machine's first namespace.", "rcvbufforce_set");
	else if (has(s, "rcvbufforce_error"))
		say(s, " SO_RCVBUFFORCE, which passes the clamp, failed with %F: it needs "
		    "CAP_NET_ADMIN over the machine's first namespace (root outside any "
		    "namespace), which a lesson in its own namespace never has.",
		    "rcvbufforce_error");
	if (has(s, "wscale_before") && has(s, "wscale_after"))
		say(s, " Set it before connect(): the SYN carries the window scale chosen from it "
		    "(%F with SO_RCVBUF %F asked), and no window can ever exceed %F bytes, even after "
		    "the buffer is raised (to %F: scale %F). Set after, the scale was already %F.",
		    "wscale_before", "handshake_asked_bytes", "window_max_before_bytes",
		    "rcvbuf_raised_bytes", "wscale_raised", "wscale_after");
	if (has(s, "fill_bytes_65536"))
		say(s, " The bytes that fit before the window closed grow with the buffer: %F with "
		    "%F asked.", "fill_bytes_65536", "buffer_reference");
	story_link(s, b);
}

static void why(struct story *s, const void *facts)
{
	(void)facts;
	say(s, "Linux doubles SO_RCVBUF: the size you give counts payload, and the kernel keeps "
	    "as much again for the packets' own bookkeeping (sk_buff overhead)");
	if (has(s, "rcvbuf_set_65536"))
		say(s, ": %F asked is %F set", "buffer_reference", "rcvbuf_set_65536");
	say(s, ".");
}

/* Kernel size against requested size, both axes log 2. */
static int plot(FILE *out, void *facts, const struct options *o, const char *svg,
		int64_t zero_ns)
{
	const struct bs *b = facts;
	static const char *const block[2] = { "$rcv", "$snd" };

	(void)zero_ns;
	gp_head(out, o, svg, "what the kernel set");
	fputs("set xlabel \"asked for\"\nset logscale xy 2\nset key inside top left\n", out);
	for (int k = 0; k < 2; k++)
		fprintf(out, "set %ctics (\"1 B\" 1, \"32 B\" 32, \"1 KiB\" 1024, \"32 KiB\" 32768, "
			"\"1 MiB\" 1048576, \"32 MiB\" 33554432, \"1 GiB\" 1073741824)\n",
			k ? 'y' : 'x');
	for (int k = 0; k < 2; k++) {
		fprintf(out, "%s << EOD\n", block[k]);
		for (size_t i = 0; i < b->nrows; i++) {
			struct opt v = k ? b->row[i].snd : b->row[i].rcv;

			if (v.has)
				fprintf(out, "%" PRId64 " %" PRId64 "\n", b->row[i].requested, v.v);
		}
		fputs("EOD\n", out);
	}
	fputs("plot $rcv using 1:2 with linespoints lw 2 title \"SO_RCVBUF\", "
	      "$snd using 1:2 with linespoints lw 2 dt 2 title \"SO_SNDBUF\", "
	      "$rcv using 1:1 with lines lc rgb '#999999' title \"what was asked\"\n", out);
	return 0;
}

const struct lesson lesson_buffer_sizes = {
	.name = "buffer_sizes",
	.help = "what the kernel makes of the buffer sizes you ask for, autotuning, and when a "
		"size matters",
	.watch = "Watch the kernel double what you ask, floor the small sizes and clamp the large "
		 "ones, and the unset buffer grow by itself. Then watch a size set after connect() "
		 "come too late for the window scale.",
	.question = "A program asks for a 64 KB receive buffer (SO_RCVBUF 65536), as the reference "
		    "document does. How many bytes will the kernel set?",
	.answer = "rcvbuf_set_65536",
	.answer_unit = U_BYTES,
	.why = why,
	.plot_title = "what the kernel sets for each size asked",
	.reader = "reader",
	.writer = "writer",
	.flags = 0,
	.facts_size = sizeof(struct bs),
	.start = start,
	.event = event,
	.finish = finish,
	.release = release,
	.sample_row = sample_row,
	.status = status,
	.buffers = buffers,
	.title = title,
	.columns = columns,
	.ncolumns = sizeof(columns) / sizeof(columns[0]),
	.narrow = narrow,
	.nnarrow = sizeof(narrow) / sizeof(narrow[0]),
	.figures = figures,
	.summary = summary,
	.plot = plot,
};
