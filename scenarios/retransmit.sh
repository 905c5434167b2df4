#!/usr/bin/env bash
# retransmit: the reference document's "send buffer keeps data until ACKed, so lost packets can
# be retransmitted", with real numbers.
#
# A fast_peer sends across a shaped link (link.sh) to a slow_reader that reads everything as it
# comes. In the first run the link drops every data segment for a while (an outage): the send
# queue keeps what was sent and not acknowledged, the retransmission timer sends the oldest
# segment again, twice as late each time, and once the link heals every byte arrives, checked.
# In the second the link drops a share of the data segments at random all along.
set -euo pipefail
SCENARIO=retransmit
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scenarios/link.sh
. "$(dirname "${BASH_SOURCE[0]}")/link.sh"

usage() {
	cat <<'TEXT'
usage: retransmit.sh [options]

Two runs across a link that loses segments. outage: the link drops everything for a while;
watch the send buffer keep the unacknowledged bytes and the writer send the oldest segment
again, twice as late each time. loss: the link drops a share of the segments at random; watch
the retransmissions, and every byte arrive all the same.

  --outage DUR        how long the link drops everything (default 1s; 100ms to 10s)
  --drop WHAT         what the outage drops: data (default) or acks (the reader's ACKs)
  --loss PCT          the share of data segments the second run's link drops at random
                      (default 5; 0 to 50)
  --rate RATE         the link's rate toward the reader (default 8mbit; 1mbit to 10gbit)
  --bytes SIZE        how much the sender sends in each run (default 2M)
  --sndbuf SIZE       the sender's SO_SNDBUF (default 64K, the reference document's figure)
TEXT
	lib_knobs_help
	cat <<'TEXT'

The link needs tc (iproute2), nft (nftables) and a private network namespace. This kernel has
no netem: the link adds no delay, so the round trip is what the link's queue makes it.

Try this:
  ./scenarios/retransmit.sh --outage 3s
      a longer outage: more retransmissions of the same segment, each gap twice the last,
      and the RTO past a second
  ./scenarios/retransmit.sh --drop acks
      the data arrives but its ACKs do not: the reader has everything, yet the writer keeps
      it and sends it again all the same
  ./scenarios/retransmit.sh --loss 20
      a lossy link: many more retransmissions and a fraction of the throughput, still 0 lost
TEXT
}

lib_knobs --outage=1s --drop=data --loss=5 --rate=8mbit --bytes=2M --sndbuf=64K --live \
	--predict --wide --figures --cc --sample --all --mtu --pcap --out
LIB_WHY_NOT[--no-netns]="the link needs a private network namespace"
lib_parse_knobs "$@"
link_check_rate --rate "${KNOB[--rate]}"
link_check_pct --loss "${KNOB[--loss]}" 50
case "${KNOB[--drop]}" in
data | acks) ;;
*) lib_die 2 "--drop: bad value $(lib_show "${KNOB[--drop]}"): data or acks" ;;
esac
reader_args=(--rcvbuf 64K --schedule drain --cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}"
	--allow-remote)
writer_args=(--sndbuf "${KNOB[--sndbuf]}" --bytes "${KNOB[--bytes]}" --cc "${KNOB[--cc]}"
	--sample "${KNOB[--sample]}" --allow-remote)
lib_build
lib_check_duration --outage "${KNOB[--outage]}"
outage_ms=$(lib_check_args slow_reader --stall "${KNOB[--outage]}")
outage_ms=${outage_ms#plan_ms=}
if [ "$outage_ms" -lt 100 ] || [ "$outage_ms" -gt 10000 ]; then
	lib_die 2 "--outage: bad value $(lib_show "${KNOB[--outage]}"): from 100ms to 10s"
fi
lib_check_args slow_reader "${reader_args[@]}" >/dev/null
bytes=$(lib_check_args fast_peer --connect 127.0.0.1:1 "${writer_args[@]}")
bytes=${bytes#bytes=}
LIB_WIRE_HINT=("Retransmissions on the wire" tcp.analysis.retransmission)
lib_begin
link_need nft "to drop packets on the link"
loss=$((10#${KNOB[--loss]}))
# The data goes to the reader's port, its ACKs come from it.
direction=to
[ "${KNOB[--drop]}" = data ] || direction=from

for variant in outage loss; do
	LINK_LOSS_PCT=""
	if [ "$variant" = outage ]; then
		lib_variant outage "the link drops every $([ "${KNOB[--drop]}" = data ] && echo data segment || echo ACK) for ${KNOB[--outage]}, then heals"
	else
		lib_variant loss "the link drops $loss% of the data segments at random"
		LINK_LOSS_PCT=$loss
	fi
	link_make
	link_start_far reader slow_reader --host "$LINK_FAR_ADDR" --port-file "$OUT/reader.port" \
		"${reader_args[@]}"
	port=$(lib_port reader)
	lib_start_capture "$port"
	[ "$variant" = loss ] && link_loss "$loss" "$port"
	lib_start writer fast_peer --connect "$LINK_FAR_ADDR:$port" "${writer_args[@]}"
	lib_start_live retransmit
	if [ "$variant" = outage ]; then
		# Down once the transfer is under way: four writes done, the send buffer full.
		lib_wait_event writer write 4
		link_down "${KNOB[--drop]}" "$direction" "$port"
		sleep "$((outage_ms / 1000)).$(printf '%03d' $((outage_ms % 1000)))"
		link_up "$direction"
	fi
	# The watchdog: the bytes at the link's rate, four times over (losses slow it), the
	# outage and its backoff twice over, and 20 s.
	lib_wait_all $((bytes * 32 / LINK_RATE_BPS + 2 * outage_ms / 1000 + 20))
	link_unmake
	lib_render retransmit "${variant}_"
done
LIB_PLAN_MS=""
lib_finish
