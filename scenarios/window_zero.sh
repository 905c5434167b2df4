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

usage() {
	cat <<'TEXT'
usage: window_zero.sh [options]

A fast sender floods a reader that stops reading: watch the receive buffer fill, the window
fall to 0, the sender block, and one drain of the buffer set everything going again.

  --rcvbuf SIZE       the reader's SO_RCVBUF (default 64K, the reference document's figure;
                      Linux doubles it)
  --sndbuf SIZE       the sender's SO_SNDBUF (default 64K)
  --stall DUR         how long the reader does not read (default 2s)
  --schedule PLAN     the reader's whole plan instead, e.g. "stall 2s, read 1K every 100ms
                      for 3s" (see slow_reader --help)
  --bytes SIZE        how much the sender sends (default 1M)
  --write-size SIZE   bytes per write() call (default 64K)
  --io MODE           blocking (default: write() blocks, as conn.Write() does) or event
                      (non-blocking socket and libevent: write() returns EAGAIN)
  --cc NAME           congestion control of both sockets (default cubic, the usual Linux
                      default; this machine's own default may be bbr, which sizes buffers
                      differently)
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
lib_render window_zero
