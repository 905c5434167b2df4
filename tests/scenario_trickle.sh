#!/usr/bin/env bash
# The lesson in slow_reader --help: reading a stalled buffer 1 KB at a time does not let a
# blocked writer on (the kernel frees receive memory a whole packet buffer at a time and sends
# a window update only once enough is free: a trickle may reopen the window a little, 9.6 KiB
# after seven reads of 1 KiB, which frees too little of the writer's send buffer to wake it);
# only the drain after the trickle lets the writer on.
#   scenario_trickle.sh SOURCE_ROOT
set -euo pipefail
root=$1
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"

out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-trickle.XXXXXX")
trap 'rm -rf "$out"' EXIT
OUTPUT=$("$root/scenarios/window_zero.sh" --schedule "stall 1s, read 1K every 100ms for 2s" \
	--out "$out" 2>&1) || {
	printf '%s\n' "$OUTPUT" >&2
	exit 1
}
FIGURES=$OUTPUT
expect zero_window_seen == 1
reads=$(grep -c '"kind":"read"' "$out/reader.jsonl")
[ "$reads" -ge 10 ] || _fail "the reader trickled only $reads reads"
echo "ok: the reader trickled $reads reads"
# Blocked through the stall and the whole trickle: 1 s + 2 s, with a band.
expect write_blocked_ms '>=' 2600 "the trickle did not let the writer on"
expect resume_after_read_us '>=' 1800000 "the writer went on only after the drain, 2 s after the first read"
expect bytes_lost == 0
expect pattern_errors == 0
finish
