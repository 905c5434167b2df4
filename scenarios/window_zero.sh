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
}

flood_knobs
lib_parse_knobs "$@"
# The reader stalls, then drains; the sender floods. Both are checked before either starts.
flood_args
lib_begin
flood_pair window_zero
lib_render window_zero
lib_finish
