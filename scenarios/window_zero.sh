#!/usr/bin/env bash
# window_zero: the receive buffer fills, the window falls to 0, the sender stops; one read()
# that empties the buffer reopens the window and the sender goes on.
#
# A fast_peer floods a slow_reader over loopback. The reader asks for the reference document's
# 64 KB receive buffer, then does not call read() at all for 2 s, then drains its socket. Both
# log their sockets every millisecond; the renderer prints the document's "Receive Buffer Flow
# Control" table with the numbers this kernel really produced.
set -euo pipefail
SCENARIO=window_zero
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scenarios/flood.sh
. "$(dirname "${BASH_SOURCE[0]}")/flood.sh"

usage() {
	cat <<'TEXT'
usage: window_zero.sh [options]

A fast sender floods a reader that stops reading: watch the receive buffer fill, the window
fall to 0, the sender block, and one drain of the buffer set everything going again.

TEXT
	flood_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/window_zero.sh --rcvbuf 16K
      the kernel sets 32 KiB, and the window falls to 0 with about a quarter as much unread:
      29.7 KiB instead of 123.5 KiB
  ./scenarios/window_zero.sh --stall 10s --live
      watch the persist timer back off: five probes, about 0.2, 0.4, 0.9, 1.7 and 3.5 s apart
  ./scenarios/window_zero.sh --schedule "stall 1s, read 1K, stall 2s"
      one small read does not reopen the window: no window update, write() BLOCKED until the
      drain at 3 s (a read of 32K reopens it by only 9.6 KiB, and it closes again within 40 ms)
TEXT
}

flood_knobs
lib_parse_knobs "$@"
# The reader stalls, then drains; the sender floods. Both are checked before either starts.
flood_args
lib_begin
flood_pair window_zero
lib_render window_zero
lib_finish
