#!/usr/bin/env bash
# write_timeout: the reference document's "Slow Writer" remedies — a write timeout, closing slow
# clients, and TCP_USER_TIMEOUT — seen from a server whose client stops reading.
#
# The server (fast_peer --listen) streams to a slow_reader that stops reading for 3 s.
# Run 1, naive: write() blocks for the whole stall. Run 2: --write-timeout 500ms --on-timeout
# close: the blocked write returns a partial count, then EAGAIN, and the server closes the slow
# client. Run 3: --user-timeout 1s against a client frozen with SIGSTOP: its kernel still
# answers the window probes, yet the server's kernel gives up on the connection by itself.
set -euo pipefail
SCENARIO=write_timeout
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	cat <<'TEXT'
usage: write_timeout.sh [options]

A client stops reading. Without a timeout the server's write() blocks for as long as the client
stalls; a write timeout gives up and closes the slow client; TCP_USER_TIMEOUT makes the kernel
end a connection to a client that has vanished.

  --write-timeout DUR the server's write timeout in run 2 (default 500ms)
  --user-timeout DUR  TCP_USER_TIMEOUT in run 3 (default 1s)
  --stall DUR         how long the client stops reading in runs 1 and 2 (default 3s)
  --io MODE           the server's I/O: blocking (SO_SNDTIMEO, default) or event (a
                      libevent timer)
  --rcvbuf SIZE       the client's SO_RCVBUF (default 64K)
  --sndbuf SIZE       the server's SO_SNDBUF (default 64K)
  --bytes SIZE        how much the server sends in each run (default 4M)
TEXT
	lib_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/write_timeout.sh --user-timeout 3s
      the kernel gives up on the frozen client 3 s after its first probe of the closed window,
      about 3.2 s after write() blocked
  ./scenarios/write_timeout.sh --write-timeout 2s
      write() gives up after 2 s with a partial count; the next call waits again, and the
      client's stall ends (3 s) before that one gives up: the server never closes the client
TEXT
}

lib_knobs --write-timeout=500ms --user-timeout=1s --stall=3s --io=blocking --rcvbuf=64K \
	--sndbuf=64K --bytes=4M --live --predict --wide --figures --cc --sample --all --mtu --no-netns \
	--pcap --out
lib_parse_knobs "$@"
server_args=(--listen --bytes "${KNOB[--bytes]}" --sndbuf "${KNOB[--sndbuf]}" --io "${KNOB[--io]}"
	--cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
client_args=(--rcvbuf "${KNOB[--rcvbuf]}" --cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
lib_build
lib_check_args fast_peer "${server_args[@]}" --write-timeout "${KNOB[--write-timeout]}" \
	--user-timeout "${KNOB[--user-timeout]}" >/dev/null
LIB_PLAN_MS=$(lib_check_args slow_reader --connect 127.0.0.1:1 "${client_args[@]}" \
	--stall "${KNOB[--stall]}")
LIB_PLAN_MS=${LIB_PLAN_MS#plan_ms=}
# How long the third run's server may wait for its kernel to give up: the user timeout, in ms
# (the programs' own duration parser says it), and then some.
user_ms=$(lib_check_args slow_reader --connect 127.0.0.1:1 --stall "${KNOB[--user-timeout]}")
user_ms=${user_ms#plan_ms=}
lib_begin

# run READER-STALL SERVER-ARGS...: one server, one slow client.
run() {
	local stall=$1 port
	shift
	lib_start server fast_peer --port-file "$OUT/server.port" "${server_args[@]}" "$@"
	port=$(lib_port server)
	lib_start_capture "$port" fast_peer slow_reader
	lib_start client slow_reader --connect "127.0.0.1:$port" "${client_args[@]}" --stall "$stall"
	lib_start_live write_timeout
}

lib_variant naive "no write timeout: write() blocks for as long as the client stalls"
run "${KNOB[--stall]}"
lib_wait_all $((LIB_PLAN_MS / 1000 + 20))
lib_render write_timeout naive_

lib_variant timeout "--write-timeout ${KNOB[--write-timeout]} --on-timeout close"
run "${KNOB[--stall]}" --write-timeout "${KNOB[--write-timeout]}" --on-timeout close
lib_wait_all $((LIB_PLAN_MS / 1000 + 20))
lib_render write_timeout timeout_

lib_variant user "--user-timeout ${KNOB[--user-timeout]}, the client frozen with SIGSTOP"
# The client would stall far longer than the timeout; frozen, it cannot even do that.
run 60s --user-timeout "${KNOB[--user-timeout]}"
lib_wait_event client socket
kill -STOP "${LIB_PID_OF[client]}"
lib_wait_role server $((user_ms / 1000 + 30))
# The server's kernel has given up; thaw the client and end it, as its operator would.
kill -CONT "${LIB_PID_OF[client]}"
kill -TERM "${LIB_PID_OF[client]}"
lib_wait_all 10
lib_render write_timeout user_
LIB_PLAN_MS=""
lib_finish
