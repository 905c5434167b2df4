#!/usr/bin/env bash
# blocked_write: the send buffer fills, write() blocks (or returns EAGAIN), ACKs free space and
# write() goes on.
#
# The same pair as window_zero, told from the sender's side: the document's "Send Buffer Flow
# Control" table, with the sender's queue (SIOCOUTQ: written, not yet acknowledged) and how
# much of it has not even been sent (SIOCOUTQNSD), what the network is doing, and how long
# each write() call took.
set -euo pipefail
SCENARIO=blocked_write
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scenarios/flood.sh
. "$(dirname "${BASH_SOURCE[0]}")/flood.sh"

usage() {
	cat <<'TEXT'
usage: blocked_write.sh [options]

A sender writes faster than its peer reads: watch the send buffer fill, write() block (or
return EAGAIN with --io event), and the peer's reads, through its ACKs, let write() go on.

TEXT
	flood_knobs_help
	cat <<'TEXT'

Try this:
  ./scenarios/blocked_write.sh --io event
      write() never waits: it returns EAGAIN (the longest call takes 0.1 ms, not the stall),
      and the writer waits in its event loop instead
  ./scenarios/blocked_write.sh --sndbuf 256K
      the kernel sets 512 KiB and the send queue peaks at 508 KiB instead of 147 KiB, yet
      write() blocks all the same: a bigger buffer holds more unacknowledged data, no more
  ./scenarios/blocked_write.sh --stall 5s
      one write() call lasts nearly the whole stall (4.9 s): blocking is not an error
TEXT
}

flood_knobs
lib_parse_knobs "$@"
# The reader stalls, then drains; the sender floods. Both are checked before either starts.
flood_args
lib_begin
flood_pair blocked_write
lib_render blocked_write
lib_finish
