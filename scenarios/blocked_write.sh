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
}

flood_knobs
lib_parse_knobs "$@"
# The reader stalls, then drains; the sender floods. Both are checked before either starts.
flood_args
lib_begin
flood_pair blocked_write
lib_render blocked_write
lib_finish
