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

usage() {
	cat <<'TEXT'
usage: request_response.sh [options]

The request waits in the server's receive buffer until the server calls read(); the response
waits in the server's send buffer until the client acknowledges it.

  --read-delay DUR    how long the server leaves the request unread (default 1s)
  --io MODE           the server's I/O: blocking (default) or event
TEXT
	lib_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/request_response.sh --read-delay 3s
      the request waits 3 s in the server's receive buffer, SIOCINQ 23 all along
  ./scenarios/request_response.sh --no-netns
      on the host's loopback there is no capture: the rows of the response's segment and of
      the client's ACK are gone, and only SIOCOUTQ says nothing waited for the ACK
TEXT
}

lib_knobs --read-delay=1s --io=blocking --live --predict --wide --figures --cc --sample --all \
	--mtu --no-netns --pcap --out
lib_parse_knobs "$@"
server_args=(--listen --respond --read-delay "${KNOB[--read-delay]}" --io "${KNOB[--io]}"
	--cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
client_args=(--schedule "write 23B" --cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
lib_build
lib_check_args fast_peer "${server_args[@]}" >/dev/null
lib_check_args slow_writer --connect 127.0.0.1:1 "${client_args[@]}" >/dev/null
lib_begin

# The server listens; the client connects and writes the whole request at once.
lib_start server fast_peer --port-file "$OUT/server.port" "${server_args[@]}"
port=$(lib_port server)
lib_start_capture "$port" fast_peer slow_writer
lib_start client slow_writer --connect "127.0.0.1:$port" "${client_args[@]}"
lib_start_live request_response
lib_wait_all 20
lib_render request_response
LIB_PLAN_MS=""
lib_finish
