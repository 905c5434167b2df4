/* verdict: who is slow, on any set of flowlab logs of one connection: the reader, the network,
 * both, or the writer itself. From the sender's socket samples (its window, its unsent bytes,
 * its queue, TCP_INFO's rwnd_limited and busy time) and the receiver's (its unread bytes against
 * its buffer), over the time both sampled.
 *
 *   slow reader    the window was 0, or TCP_INFO counted the sender receive-window-limited, a
 *                  good part of the time, the reader's buffer over half full
 *   slow network   unsent bytes waited behind an open window a good part of the time, the
 *                  reader's buffer near empty a good part of it
 *   both           each of those a good part of the time: a slow reader behind a slow link,
 *                  whose zero windows the link hides for a while
 *   app-limited    nothing queued most of the time: the writer is the slow one
 *   not held back  none of these for long (the transfer went as fast as it could)
 *
 * "A good part" is VERDICT_PART of the samples. Which log is which does not depend on the
 * lesson: the sender is the log that sent the most bytes, the receiver the other that received
 * the most (their end events), so that any two flowlab programs can be judged. */
#include "render.h"

#include <string.h>

/* In tenths of a percent: 30% of the samples. */
#define VERDICT_PART 300

struct side_acc {
	size_t log;
	int have;
	int64_t samples;
	struct opt buf;             /* the socket's buffer as the kernel set it */
	struct opt first_t, last_t;
	struct opt rwnd0, rwnd1, busy0, busy1;   /* TCP_INFO chronographs, first and last */
};

/* The log that sent (field "bytes_sent") or received the most, other than `not` (the first of
 * equals, none at all counting); -1 if no end event says. */
static long most(const struct run *run, const char *field, long not)
{
	long best = -1;
	int64_t bestv = -1;

	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt v;

		if (e->kind != K_END || (long)e->log == not || e->side == SIDE_WIRE)
			continue;
		v = field_opt(e, field);
		if (v.has && (best < 0 || v.v > bestv)) {
			bestv = v.v;
			best = (long)e->log;
		}
	}
	return best;
}

static void chrono(struct opt *first, struct opt *last, struct opt v)
{
	if (!v.has)
		return;
	if (!first->has)
		*first = v;
	*last = v;
}

/* The fold, over both sides' samples. */
int verdict_of(const struct run *run, struct verdict *v)
{
	long snd = most(run, "bytes_sent", -1), rcv;
	struct side_acc s = { 0 }, r = { 0 };

	memset(v, 0, sizeof(*v));
	if (snd < 0)
		return 0;
	rcv = most(run, "bytes_received", snd);
	s.log = (size_t)snd;
	r.log = rcv < 0 ? (size_t)-1 : (size_t)rcv;
	for (size_t i = 0; i < run->n; i++) {
		const struct event *e = &run->ev[i];
		struct opt q;

		if (e->log == s.log && e->kind == K_SOCKET)
			s.buf = field_opt(e, "sndbuf_bytes");
		if (e->log == r.log && e->kind == K_SOCKET)
			r.buf = field_opt(e, "rcvbuf_bytes");
		if (e->kind != K_SAMPLE)
			continue;
		if (e->log == s.log) {
			struct opt wnd = slot_opt(e, S_SNDWND), ns = slot_opt(e, S_NOTSENT);

			q = slot_opt(e, S_SENDQ);
			v->sender_samples++;
			v->closed += wnd.has && wnd.v == 0;
			v->open_backlog += wnd.has && wnd.v > 0 && ns.has && ns.v > 0;
			v->idle += q.has && q.v == 0;
			if (wnd.has && (!v->snd_wnd_min.has || wnd.v < v->snd_wnd_min.v))
				opt_set(&v->snd_wnd_min, wnd.v);
			chrono(&s.first_t, &s.last_t, (struct opt){ 1, e->t_ns });
			chrono(&s.rwnd0, &s.rwnd1, slot_opt(e, S_RWND_LIMITED));
			chrono(&s.busy0, &s.busy1, slot_opt(e, S_BUSY));
		} else if (e->log == r.log) {
			q = slot_opt(e, S_RECVQ);
			if (!q.has)
				continue;
			v->receiver_samples++;
			if (r.buf.has && r.buf.v > 0) {
				v->reader_full += q.v * 2 >= r.buf.v;
				v->reader_empty += q.v * 8 <= r.buf.v;
			}
			if (!v->recvq_max.has || q.v > v->recvq_max.v)
				opt_set(&v->recvq_max, q.v);
		}
	}
	v->receiver_known = r.buf.has && r.buf.v > 0 && v->receiver_samples > 0;
	if (s.first_t.has && s.last_t.v > s.first_t.v) {
		int64_t us = (s.last_t.v - s.first_t.v) / NS_PER_US;

		if (s.rwnd0.has)
			opt_set(&v->rwnd_limited_us, s.rwnd1.v - s.rwnd0.v);
		if (s.busy0.has)
			opt_set(&v->busy_us, s.busy1.v - s.busy0.v);
		opt_set(&v->sampled_us, us);
	}
	v->has = v->sender_samples > 0;
	if (!v->has)
		return 0;
	{
		int64_t closed = v->closed * 1000 / v->sender_samples;
		int64_t rwnd = v->rwnd_limited_us.has && v->sampled_us.v > 0
			       ? v->rwnd_limited_us.v * 1000 / v->sampled_us.v : 0;
		int64_t backlog = v->open_backlog * 1000 / v->sender_samples;
		int64_t idle = v->idle * 1000 / v->sender_samples;
		int64_t full = v->receiver_known ? v->reader_full * 1000 / v->receiver_samples : -1;
		int64_t empty = v->receiver_known ? v->reader_empty * 1000 / v->receiver_samples : -1;
		/* The reader held back the writer: its window shut (or TCP_INFO says so), its
		 * buffer full, where its samples say, a good part of the time. The network did:
		 * data waited behind an open window while the reader had nothing to read, a good
		 * part of the time (without the reader's samples: while the window did not limit
		 * the sender most of the time). A reader that trickles keeps a small window open
		 * and data waiting, but its buffer stays full: that is the reader alone. */
		int reader = (closed >= VERDICT_PART || rwnd >= VERDICT_PART) &&
			     (full < 0 || full >= VERDICT_PART);
		int network = backlog >= VERDICT_PART &&
			      (empty >= 0 ? empty >= VERDICT_PART : rwnd < 500);

		v->word = reader && network ? "both: a slow reader behind a slow network"
			  : reader ? "slow reader"
			  : network ? "slow network"
			  : idle >= 500 ? "app-limited: the writer is the slow one"
			  : "not held back";
		v->reader = reader;
		v->network = network;
	}
	return 0;
}

void verdict_figures(struct figs *fs, const struct verdict *v)
{
	if (!v->has)
		return;
	fig_text(fs, "verdict", U_TEXT, v->word);
	fig_pct(fs, "verdict_window_closed_pct", 1, v->closed, v->sender_samples);
	if (v->rwnd_limited_us.has && v->sampled_us.has)
		fig_pct(fs, "rwnd_limited_pct", 1, v->rwnd_limited_us.v, v->sampled_us.v);
	fig_pct(fs, "verdict_backlog_open_window_pct", 1, v->open_backlog, v->sender_samples);
	fig_pct(fs, "verdict_nothing_queued_pct", 1, v->idle, v->sender_samples);
	if (v->receiver_known) {
		fig_pct(fs, "verdict_reader_full_pct", 1, v->reader_full, v->receiver_samples);
		fig_pct(fs, "verdict_reader_empty_pct", 1, v->reader_empty, v->receiver_samples);
	}
}

/* "Verdict: slow reader. The sender's window was 0 for 95.2% of its samples, ...", from the
 * figures. */
void verdict_say(struct story *s)
{
	if (!has(s, "verdict"))
		return;
	say(s, " Verdict: %F. The sender saw a zero window in %F of its samples", "verdict",
	    "verdict_window_closed_pct");
	if (has(s, "rwnd_limited_pct"))
		say(s, " (TCP_INFO: limited by the receive window %F of the time)", "rwnd_limited_pct");
	say(s, "; unsent bytes waited behind an open window in %F, nothing was queued in %F",
	    "verdict_backlog_open_window_pct", "verdict_nothing_queued_pct");
	if (has(s, "verdict_reader_full_pct"))
		say(s, "; the reader's buffer was over half full in %F of its samples and nearly "
		    "empty in %F", "verdict_reader_full_pct", "verdict_reader_empty_pct");
	say(s, ".");
}
