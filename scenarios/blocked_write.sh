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

usage() {
	cat <<'TEXT'
usage: blocked_write.sh [options]

A sender writes faster than its peer reads: watch the send buffer fill, write() block (or
return EAGAIN with --io event), and the peer's reads, through its ACKs, let write() go on.

  --rcvbuf SIZE       the reader's SO_RCVBUF (default 64K)
  --sndbuf SIZE       the sender's SO_SNDBUF (default 64K, the reference document's figure;
                      Linux doubles it)
  --stall DUR         how long the reader does not read (default 2s)
  --schedule PLAN     the reader's whole plan instead (see slow_reader --help)
  --bytes SIZE        how much the sender sends (default 1M)
  --write-size SIZE   bytes per write() call (default 64K)
  --io MODE           blocking (default) or event (non-blocking socket and libevent)
  --cc NAME           congestion control of both sockets (default cubic)
  --sample DUR        how often each program probes its socket (default 1ms)
  --all               print a row for every sample, not only where something changes
  --out DIR           keep the logs in DIR (default: a new directory under /tmp)
  -h, --help          this text

Sizes: 65536, 64K, 1M. Durations: 250ms, 2s, 1.5s.
TEXT
}

lib_parse_knobs "$@"
lib_begin
# The reader stalls, then drains; the sender floods. Both are checked before either starts.
lib_flood_pair
lib_render blocked_write
