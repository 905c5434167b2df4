/* wire: see wire.h. */
#include "wire.h"

#include <stdio.h>
#include <string.h>

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The TCP header at p (n bytes left, ip_payload of them belonging to the segment). */
static int parse_tcp(const uint8_t *p, size_t n, size_t ip_payload, struct wire_segment *s)
{
	size_t hlen;

	if (n < 20 || ip_payload < 20)
		return -1;
	hlen = (size_t)(p[12] >> 4) * 4;
	if (hlen < 20 || hlen > n || hlen > ip_payload)
		return -1;
	s->sport = be16(p);
	s->dport = be16(p + 2);
	s->seq = be32(p + 4);
	s->ack = be32(p + 8);
	s->flags = p[13] & 0x3f;
	s->win_raw = be16(p + 14);
	s->len = (uint32_t)(ip_payload - hlen);
	s->wscale = -1;
	for (size_t i = 20; i < hlen;) {
		uint8_t kind = p[i];

		if (kind == 0)                  /* end of options */
			break;
		if (kind == 1) {                /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= hlen || p[i + 1] < 2 || i + p[i + 1] > hlen)
			break;                  /* a broken option: keep what we have */
		if (kind == 3 && p[i + 1] == 3)
			s->wscale = p[i + 2] > 14 ? 14 : p[i + 2];   /* RFC 7323 caps it at 14 */
		i += p[i + 1];
	}
	return 0;
}

int wire_parse(const uint8_t *f, size_t caplen, int linktype, struct wire_segment *s)
{
	size_t off;
	uint16_t proto;

	memset(s, 0, sizeof(*s));
	switch (linktype) {
	case WIRE_LINK_ETHERNET:
		if (caplen < 14)
			return -1;
		proto = be16(f + 12);
		off = 14;
		if (proto == 0x8100 && caplen >= 18) {      /* one VLAN tag */
			proto = be16(f + 16);
			off = 18;
		}
		break;
	case WIRE_LINK_LINUX_SLL:
		if (caplen < 16)
			return -1;
		proto = be16(f + 14);
		off = 16;
		break;
	case WIRE_LINK_RAW:
		if (caplen < 1)
			return -1;
		proto = (f[0] >> 4) == 6 ? 0x86dd : 0x0800;
		off = 0;
		break;
	default:
		return -1;
	}
	f += off;
	caplen -= off;
	if (proto == 0x0800) {
		size_t ihl, total;

		if (caplen < 20 || (f[0] >> 4) != 4 || f[9] != 6)
			return -1;
		ihl = (size_t)(f[0] & 0x0f) * 4;
		total = be16(f + 2);
		/* A fragment other than the first carries no TCP header. */
		if (ihl < 20 || total < ihl || (be16(f + 6) & 0x1fff) != 0)
			return -1;
		memcpy(s->src, f + 12, 4);
		memcpy(s->dst, f + 16, 4);
		return parse_tcp(f + ihl, caplen - (ihl < caplen ? ihl : caplen), total - ihl, s);
	}
	if (proto == 0x86dd) {
		if (caplen < 40 || (f[0] >> 4) != 6 || f[6] != 6)
			return -1;
		s->ipv6 = 1;
		memcpy(s->src, f + 8, 16);
		memcpy(s->dst, f + 24, 16);
		return parse_tcp(f + 40, caplen - 40, be16(f + 4), s);
	}
	return -1;
}

void wire_tracker_init(struct wire_tracker *t)
{
	memset(t, 0, sizeof(*t));
	t->side[0].syn_wscale = t->side[1].syn_wscale = -1;
}

/* Sequence-space comparison: a before b, modulo 2^32. */
static int seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static int same_segment(const struct wire_segment *a, const struct wire_segment *b)
{
	return a->sport == b->sport && a->dport == b->dport && a->seq == b->seq &&
	       a->ack == b->ack && a->flags == b->flags && a->win_raw == b->win_raw &&
	       a->len == b->len && memcmp(a->src, b->src, 16) == 0 &&
	       memcmp(a->dst, b->dst, 16) == 0;
}

static int side_of(struct wire_tracker *t, const struct wire_segment *s)
{
	for (int i = 0; i < 2; i++)
		if (t->side[i].seen && t->side[i].port == s->sport)
			return i;
	for (int i = 0; i < 2; i++) {
		if (!t->side[i].seen) {
			t->side[i].seen = 1;
			t->side[i].port = s->sport;
			/* Joined mid-connection: count from the first sequence number seen. */
			t->side[i].isn = s->flags & WIRE_SYN ? s->seq : s->seq - 1;
			return i;
		}
	}
	return 1;      /* a third port: not this connection; the caller filters by port */
}

static void window_of(const struct wire_tracker *t, const struct wire_segment *s, int from,
		      struct wire_result *r)
{
	const struct wire_side *me = &t->side[from], *peer = &t->side[1 - from];

	r->window_known = 1;
	r->window_bytes = s->win_raw;
	if (s->flags & WIRE_SYN)
		return;                 /* a SYN's window is never scaled */
	if (t->handshake_seen) {
		/* Scaling is on only if both SYNs offered it (RFC 7323). */
		if (me->syn_wscale >= 0 && peer->syn_wscale >= 0)
			r->window_bytes = (uint64_t)s->win_raw << me->syn_wscale;
		return;
	}
	r->window_known = s->win_raw == 0;   /* 0 is 0 at any scale */
}

void wire_classify(struct wire_tracker *t, const struct wire_segment *s, struct wire_result *r)
{
	struct wire_side *me, *peer;
	int from;
	uint32_t end;
	uint64_t window;

	memset(r, 0, sizeof(*r));
	/* The loopback device hands a capture each packet twice, leaving and arriving. */
	if (t->drop_loopback_copies && t->have_last && same_segment(&t->last, s) &&
	    s->t_ns - t->last.t_ns < 1000000) {
		r->cls = WIRE_CLASS_DUPLICATE;
		return;
	}
	t->last = *s;
	t->have_last = 1;

	from = side_of(t, s);
	me = &t->side[from];
	peer = &t->side[1 - from];
	r->from = from;
	if (s->flags & WIRE_SYN) {
		me->isn = s->seq;
		me->syn_wscale = s->wscale;
		me->nxt_valid = 0;
		if (s->flags & WIRE_ACK)
			t->handshake_seen = 1;
	}
	r->rel_seq = s->seq - me->isn;
	r->rel_ack = peer->seen ? s->ack - peer->isn : s->ack;
	window_of(t, s, from, r);

	if (s->flags & WIRE_RST) {
		r->cls = WIRE_CLASS_RST;
	} else if (s->flags & WIRE_SYN) {
		r->cls = WIRE_CLASS_SYN;
	} else if (s->win_raw == 0 && !(s->flags & WIRE_FIN)) {
		/* As Wireshark's tcp.analysis.zero_window: not on SYN, FIN or RST. */
		r->cls = WIRE_CLASS_ZERO_WINDOW;
	} else if (peer->zero && s->len == 0 && me->nxt_valid && s->seq == me->nxt - 1) {
		r->cls = WIRE_CLASS_WINDOW_PROBE;
		r->probe_form = WIRE_PROBE_LINUX;
	} else if (peer->zero && s->len == 1 && peer->seen && s->seq == peer->last_ack) {
		r->cls = WIRE_CLASS_WINDOW_PROBE;
		r->probe_form = WIRE_PROBE_RFC9293;
	} else if (me->zero) {
		r->cls = WIRE_CLASS_WINDOW_UPDATE;
	} else if (s->len > 0 && me->nxt_valid && seq_before(s->seq, me->nxt)) {
		r->cls = WIRE_CLASS_RETRANSMISSION;
	} else if (s->flags & WIRE_FIN) {
		r->cls = WIRE_CLASS_FIN;
	} else {
		r->cls = s->len > 0 ? WIRE_CLASS_DATA : WIRE_CLASS_ACK;
	}

	/* Wireshark compares the window as it reads it (scaled where the scale is known). */
	window = r->window_known ? r->window_bytes : s->win_raw;
	r->ws_window_update = me->ws_seen && s->len == 0 && window != 0 &&
			      window != me->ws_window && me->nxt_valid && s->seq == me->nxt &&
			      s->ack == me->ws_ack &&
			      !(s->flags & (WIRE_SYN | WIRE_FIN | WIRE_RST));
	me->ws_seen = 1;
	me->ws_window = window;
	me->ws_ack = s->ack;

	if (s->flags & WIRE_RST)
		return;
	if (!(s->flags & WIRE_SYN))
		me->zero = s->win_raw == 0;
	end = s->seq + s->len + ((s->flags & (WIRE_SYN | WIRE_FIN)) ? 1 : 0);
	if (!me->nxt_valid || seq_before(me->nxt, end)) {
		me->nxt = end;
		me->nxt_valid = 1;
	}
	if (s->flags & WIRE_ACK)
		me->last_ack = s->ack;
}

const char *wire_class_name(enum wire_class c)
{
	static const char *const names[] = {
		[WIRE_CLASS_SYN] = "syn", [WIRE_CLASS_DATA] = "data", [WIRE_CLASS_ACK] = "ack",
		[WIRE_CLASS_FIN] = "fin", [WIRE_CLASS_RST] = "rst",
		[WIRE_CLASS_ZERO_WINDOW] = "zero_window", [WIRE_CLASS_WINDOW_PROBE] = "window_probe",
		[WIRE_CLASS_WINDOW_UPDATE] = "window_update",
		[WIRE_CLASS_RETRANSMISSION] = "retransmission",
		[WIRE_CLASS_DUPLICATE] = "duplicate",
	};

	return (size_t)c < sizeof(names) / sizeof(names[0]) && names[c] ? names[c] : "?";
}

const char *wire_probe_form_name(enum wire_probe_form f)
{
	return f == WIRE_PROBE_LINUX ? "linux" : f == WIRE_PROBE_RFC9293 ? "rfc9293" : "none";
}

void wire_flags_text(uint8_t flags, char *buf, size_t len)
{
	static const struct { uint8_t bit; char c; } order[] = {
		{ WIRE_SYN, 'S' }, { WIRE_FIN, 'F' }, { WIRE_RST, 'R' }, { WIRE_PSH, 'P' },
		{ WIRE_ACK, 'A' },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && n + 1 < len; i++)
		if (flags & order[i].bit)
			buf[n++] = order[i].c;
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
}
