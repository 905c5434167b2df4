#!/usr/bin/env bash
# slow_network: the reference document's "Fast app, slow network: send buffer absorbs the
# difference", with real numbers.
#
# A fast_peer floods a slow_reader that reads everything as it arrives, across a link of a few
# Mbit/s (link.sh: two namespaces joined by a veth pair, shaped in the data's direction). The
# sender's send buffer stays full and write() waits most of the time, while the reader's buffer
# stays near empty and the window open: the same blocked write as window_zero, the opposite
# receive side. The verdict names the slow one from the sockets' own counters.
set -euo pipefail
SCENARIO=slow_network
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scenarios/link.sh
. "$(dirname "${BASH_SOURCE[0]}")/link.sh"

usage() {
	cat <<'TEXT'
usage: slow_network.sh [options]

A fast writer, a fast reader, a slow link between them: watch the send buffer stay full and
write() wait while the reader's buffer stays empty and the window open. The link, not the
reader, sets the pace.

  --rate RATE         the link's rate toward the reader (default 8mbit; 1mbit to 10gbit).
                      The link only limits the rate: this kernel has no netem, so no delay
  --bytes SIZE        how much the sender sends (default 2M)
  --sndbuf SIZE       the sender's SO_SNDBUF (default 64K, the reference document's figure)
  --rcvbuf SIZE       the reader's SO_RCVBUF (default 64K, likewise)
  --write-size SIZE   bytes per write() call (default 64K)
  --schedule PLAN     the reader's plan (default "drain": everything as it comes); e.g.
                      "stall 2s, drain" puts a slow reader behind the slow link
  --io MODE           the sender's I/O: blocking (default) or event
TEXT
	lib_knobs_help
	cat <<'TEXT'

The link needs tc (iproute2) and a private network namespace; where a second namespace or a
veth pair is refused, the private loopback is shaped instead, and the run says so.

Try this:
  ./scenarios/slow_network.sh --rate 2mbit
      a quarter of the rate: the throughput follows the link, write() waits longer, and the
      reader's buffer still holds next to nothing
  ./scenarios/slow_network.sh --schedule "stall 2s, drain"
      a slow reader behind the slow link: the window falls to 0 too, and the verdict is "both"
  ./scenarios/slow_network.sh --sndbuf 1M
      a bigger send buffer only holds more waiting data: the link's rate does not change
TEXT
}

lib_knobs --rate=8mbit --bytes=2M --sndbuf=64K --rcvbuf=64K --write-size=64K --schedule=drain \
	--io=blocking --live --predict --wide --figures --cc --sample --all --mtu --pcap --out
LIB_WHY_NOT[--no-netns]="the link needs a private network namespace"
lib_parse_knobs "$@"
link_check_rate --rate "${KNOB[--rate]}"
reader_args=(--rcvbuf "${KNOB[--rcvbuf]}" --schedule "${KNOB[--schedule]}" --cc "${KNOB[--cc]}"
	--sample "${KNOB[--sample]}" --allow-remote)
writer_args=(--sndbuf "${KNOB[--sndbuf]}" --bytes "${KNOB[--bytes]}"
	--write-size "${KNOB[--write-size]}" --io "${KNOB[--io]}" --cc "${KNOB[--cc]}"
	--sample "${KNOB[--sample]}" --allow-remote)
lib_build
LIB_PLAN_MS=$(lib_check_args slow_reader "${reader_args[@]}")
LIB_PLAN_MS=${LIB_PLAN_MS#plan_ms=}
bytes=$(lib_check_args fast_peer --connect 127.0.0.1:1 "${writer_args[@]}")
bytes=${bytes#bytes=}
lib_begin

link_make
link_start_far reader slow_reader --host "$LINK_FAR_ADDR" --port-file "$OUT/reader.port" \
	"${reader_args[@]}"
port=$(lib_port reader)
lib_start_capture "$port"
lib_start writer fast_peer --connect "$LINK_FAR_ADDR:$port" "${writer_args[@]}"
lib_start_live slow_network
# The watchdog: the bytes at the link's rate, twice over, the reader's plan, and 20 s.
lib_wait_all $((bytes * 16 / LINK_RATE_BPS + LIB_PLAN_MS / 1000 + 20))
link_unmake
lib_render slow_network
LIB_PLAN_MS=""
lib_finish
