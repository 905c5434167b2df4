#!/usr/bin/env bash
# read_timeout: the reference document's "Slow Reader" remedy, SO_RCVTIMEO, seen from a server
# whose client stalls in the middle of its request.
#
# The client (slow_writer) writes the first 10 bytes of the request, stops for 3 s, then writes
# the rest. Run 1, naive: the server (fast_peer --respond) waits in read() for as long as the
# client stalls. Run 2: with --read-timeout 1s and --on-timeout close, read() gives up after 1 s
# and the server closes the slow client.
set -euo pipefail
SCENARIO=read_timeout
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	cat <<'TEXT'
usage: read_timeout.sh [options]

A client stalls in the middle of its request. Without a read timeout the server waits for as
long as the client stalls; with one it gives up and closes the slow client.

  --read-timeout DUR  the server's read timeout in the second run (default 1s)
  --client-stall DUR  how long the client stops writing mid-request (default 3s)
  --io MODE           the server's I/O: blocking (SO_RCVTIMEO, default) or event (a
                      libevent timeout)
TEXT
	lib_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/read_timeout.sh --read-timeout 2s
      read() gives up after about 2 s, and the client is closed on 2 s into its 3 s stall
  ./scenarios/read_timeout.sh --client-stall 500ms
      a stall shorter than the timeout: it never fires, and both runs answer the request
  ./scenarios/read_timeout.sh --io event
      a libevent timer instead of SO_RCVTIMEO: "the event timeout fired: no data for 1000.0 ms"
TEXT
}

lib_knobs --read-timeout=1s --client-stall=3s --io=blocking --live --predict --wide --figures --cc \
	--sample --all --mtu --no-netns --pcap --out
lib_parse_knobs "$@"
server_args=(--listen --respond --io "${KNOB[--io]}" --cc "${KNOB[--cc]}"
	--sample "${KNOB[--sample]}")
timeout_args=(--read-timeout "${KNOB[--read-timeout]}" --on-timeout close)
client_args=(--schedule "write 10B, stall ${KNOB[--client-stall]}, write 13B"
	--cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
lib_build
lib_check_duration --client-stall "${KNOB[--client-stall]}"
lib_check_args fast_peer "${server_args[@]}" "${timeout_args[@]}" >/dev/null
LIB_PLAN_MS=$(lib_check_args slow_writer --connect 127.0.0.1:1 "${client_args[@]}")
LIB_PLAN_MS=${LIB_PLAN_MS#plan_ms=}
lib_begin

for variant in naive timeout; do
	if [ "$variant" = naive ]; then
		lib_variant naive "no read timeout: the server waits as long as the client stalls"
		extra=()
	else
		lib_variant timeout "--read-timeout ${KNOB[--read-timeout]} --on-timeout close"
		extra=("${timeout_args[@]}")
	fi
	lib_start server fast_peer --port-file "$OUT/server.port" "${server_args[@]}" "${extra[@]}"
	port=$(lib_port server)
	lib_start_capture "$port" fast_peer slow_writer
	lib_start client slow_writer --connect "127.0.0.1:$port" "${client_args[@]}"
	lib_start_live read_timeout
	lib_wait_all $((LIB_PLAN_MS / 1000 + 20))
	lib_render read_timeout "${variant}_"
done
LIB_PLAN_MS=""
lib_finish
