#!/usr/bin/env bash
# request_response: the reference document's "Complete Flow: Both Buffers", with real numbers.
#
# A client (slow_writer) writes the document's request at once. The server (fast_peer
# --respond) does not call read() for a while, so the request waits in the server's receive
# buffer (SIOCINQ shows its bytes); then it reads it and writes the response, which waits in the
# server's send buffer (SIOCOUTQ) until the client's ACK frees it. The timeline says how long
# each wait was.
set -euo pipefail
SCENARIO=request_response
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scenarios/link.sh
. "$(dirname "${BASH_SOURCE[0]}")/link.sh"

usage() {
	cat <<'TEXT'
usage: request_response.sh [options]

The request waits in the server's receive buffer until the server calls read(); the response
waits in the server's send buffer until the client acknowledges it. Two runs: plain, where the
client's ACK comes at once, and ackwait, where the link drops the client's ACKs until a while
after the response (nft, in the run's own namespace), and the response waits for its ACK.

  --read-delay DUR    how long the server leaves the request unread (default 1s)
  --ack-drop DUR      how long after the response the ackwait run's link still drops the
                      client's ACKs (default 500ms; 1ms to 10s)
  --io MODE           the server's I/O: blocking (default) or event
TEXT
	lib_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/request_response.sh --read-delay 3s
      the request waits 3 s in the server's receive buffer, SIOCINQ 23 all along
  ./scenarios/request_response.sh --ack-drop 2s
      the response waits in the send buffer for more than 2 s, and the server sends it again
      each time its retransmission timer runs out, twice as late each time
  ./scenarios/request_response.sh --no-netns
      on the host's loopback there is no capture: the rows of the response's segment and of
      the client's ACK are gone, only SIOCOUTQ says nothing waited for the ACK, and there
      is no ackwait run (the lab drops nothing on the host)
TEXT
}

lib_knobs --read-delay=1s --ack-drop=500ms --io=blocking --live --predict --wide --figures --cc \
	--sample --all --mtu --no-netns --pcap --out
lib_parse_knobs "$@"
server_args=(--listen --respond --read-delay "${KNOB[--read-delay]}" --io "${KNOB[--io]}"
	--cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
client_args=(--schedule "write 23B" --cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
lib_build
lib_check_args fast_peer "${server_args[@]}" >/dev/null
lib_check_args slow_writer --connect 127.0.0.1:1 "${client_args[@]}" >/dev/null
lib_check_duration --ack-drop "${KNOB[--ack-drop]}"
drop_ms=$(lib_check_args slow_reader --stall "${KNOB[--ack-drop]}")
drop_ms=${drop_ms#plan_ms=}
if [ "$drop_ms" -lt 1 ] || [ "$drop_ms" -gt 10000 ]; then
	lib_die 2 "--ack-drop: bad value $(lib_show "${KNOB[--ack-drop]}"): from 1ms to 10s"
fi
lib_begin
variants=(plain)
# The ackwait run drops packets: only in a namespace of its own, and with nft.
if [ "$LIB_NETNS" != 1 ]; then
	echo "$SCENARIO: on the host's loopback the lab drops nothing: no ackwait run"
elif ! command -v nft >/dev/null; then
	echo "$SCENARIO: nft is missing (Debian: apt-get install nftables): no ackwait run"
else
	variants+=(ackwait)
fi

for variant in "${variants[@]}"; do
	if [ "$variant" = plain ]; then
		lib_variant plain "the client's ACK comes as it will"
	else
		lib_variant ackwait "the link drops the client's ACKs until ${KNOB[--ack-drop]} after the response"
		link_loopback
	fi
	# The server listens; the client connects and writes the whole request at once.
	lib_start server fast_peer --port-file "$OUT/server.port" "${server_args[@]}"
	port=$(lib_port server)
	lib_start_capture "$port" fast_peer slow_writer
	lib_start client slow_writer --connect "127.0.0.1:$port" "${client_args[@]}"
	lib_start_live request_response
	if [ "$variant" = ackwait ]; then
		# The request in the server's receive buffer, acknowledged: from now on the client
		# sends nothing but ACKs, until the response has waited its while.
		lib_wait_line server '"kind":"sample".*"recvq_bytes":[1-9]' 1 "the request's arrival"
		link_down acks to "$port"
		lib_wait_event server write
		sleep "$((drop_ms / 1000)).$(printf '%03d' $((drop_ms % 1000)))"
		link_up to
	fi
	lib_wait_all $((drop_ms / 1000 + 20))
	[ "$variant" = plain ] || link_unmake
	lib_render request_response "${variant}_"
done
LIB_PLAN_MS=""
lib_finish
