#!/usr/bin/env bash
# backpressure: the reference document's "Slow Writer" remedy "implement backpressure", and its
# "Memory Exhaustion" issue, on one server with many clients.
#
# One fast_peer server streams to 50 clients at 2 MB/s each for 4 s; 5 of them (slow_reader)
# stop reading for 3 s, the others (fast_peer --recv) read everything at once. Run 1, naive: the
# server keeps producing for the stalled clients into its own buffers, and its memory grows for
# as long as they stall. Run 2, --backpressure 256K: it stops producing for a client whose
# pending output is above 256 KiB; its memory stays flat, and the fast clients still get their
# data at full speed.
set -euo pipefail
SCENARIO=backpressure
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	cat <<'TEXT'
usage: backpressure.sh [options]

Many clients, some of which stop reading: a naive server's memory grows for as long as they
stall; with backpressure it stays within HIGH per slow client, and the fast clients do not
notice.

  --clients N         clients in all (default 50)
  --slow N            how many of them stop reading (default 5)
  --stall DUR         how long the slow ones stop (default 3s)
  --rate RATE         what the server produces for each client, per second (default 2M/s)
  --duration DUR      for how long (default 4s)
  --backpressure HIGH the bound of run 2 (default 256K)
  --sndbuf SIZE       the server's SO_SNDBUF per client (default 64K)
TEXT
	lib_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/backpressure.sh --stall 6s --duration 8s
      twice the stall, twice the memory: the naive server's RSS peaks near 63,000 KiB instead
      of 32,000; with backpressure it stays under 4,000
  ./scenarios/backpressure.sh --backpressure 64K
      the server's own buffers peak at about 250 KiB instead of 860 KiB, and the fast clients
      are as fast
  ./scenarios/backpressure.sh --slow 0
      no client stalls: the naive server's RSS stays low too (about 5,300 KiB at its peak)
TEXT
}

lib_knobs --clients=50 --slow=5 --stall=3s --rate=2M/s --duration=4s --backpressure=256K \
	--sndbuf=64K --live --predict --wide --figures --cc --all --mtu --no-netns --out
lib_parse_knobs "$@"
clients=${KNOB[--clients]} slow=${KNOB[--slow]}
if ! [[ "$clients" =~ ^[0-9]+$ ]] || [ "${#clients}" -gt 4 ] || [ "$clients" -lt 1 ]; then
	lib_die 2 "--clients: bad value '$clients': a number from 1 to 9999"
fi
if ! [[ "$slow" =~ ^[0-9]+$ ]] || [ "${#slow}" -gt 4 ] || [ "$slow" -gt "$clients" ]; then
	lib_die 2 "--slow: bad value '$slow': a number from 0 to --clients ($clients)"
fi
server_args=(--listen --clients "$clients" --io event --rate "${KNOB[--rate]}"
	--duration "${KNOB[--duration]}" --sndbuf "${KNOB[--sndbuf]}" --cc "${KNOB[--cc]}"
	--sample 10ms)
# The clients are not the lesson: they look at their sockets ten times a second.
fast_args=(--recv --io event --cc "${KNOB[--cc]}" --sample 100ms)
slow_args=(--stall "${KNOB[--stall]}" --cc "${KNOB[--cc]}" --sample 100ms)
lib_build
lib_check_args fast_peer "${server_args[@]}" --backpressure "${KNOB[--backpressure]}" >/dev/null
lib_check_args fast_peer --connect 127.0.0.1:1 "${fast_args[@]}" >/dev/null
lib_check_args slow_reader --connect 127.0.0.1:1 "${slow_args[@]}" >/dev/null
lib_begin

for variant in naive backpressure; do
	if [ "$variant" = naive ]; then
		lib_variant naive "no backpressure: the server produces whatever the clients do"
		extra=()
	else
		lib_variant backpressure "--backpressure ${KNOB[--backpressure]}"
		extra=(--backpressure "${KNOB[--backpressure]}")
	fi
	lib_start server fast_peer --port-file "$OUT/server.port" "${server_args[@]}" "${extra[@]}"
	port=$(lib_port server)
	for ((i = 1; i <= clients; i++)); do
		if [ "$i" -le "$slow" ]; then
			lib_start "client-slow-$i" slow_reader --connect "127.0.0.1:$port" "${slow_args[@]}"
		else
			lib_start "client-fast-$i" fast_peer --connect "127.0.0.1:$port" "${fast_args[@]}"
		fi
	done
	lib_start_live backpressure
	lib_wait_all 60
	lib_render backpressure "${variant}_"
done
LIB_PLAN_MS=""
lib_finish
