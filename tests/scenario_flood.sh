#!/usr/bin/env bash
# Runs window_zero.sh or blocked_write.sh and asserts, with bands a slow shared machine still
# meets, that each phenomenon of the lesson really happened.
#   scenario_flood.sh SOURCE_ROOT LESSON IO
set -euo pipefail
root=$1 lesson=$2 io=$3
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"

out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-$lesson-$io.XXXXXX")
trap 'rm -rf "$out"' EXIT
OUTPUT=$("$root/scenarios/$lesson.sh" --io "$io" --out "$out" 2>&1) || {
	echo "$lesson.sh failed:" >&2
	printf '%s\n' "$OUTPUT" >&2
	exit 1
}
FIGURES=$OUTPUT
stall_ms=$(figure stall_ms)
rcvbuf=$(figure rcvbuf_actual)

# The document's picture: the buffer filled, the window fell to 0, the sender stopped.
expect zero_window_seen == 1 "the window the sender saw fell to 0"
expect bytes_at_zero_window '>=' "$((rcvbuf / 2))" "the receiver held at least half its buffer"
expect rcvbuf_actual == "$(($(figure rcvbuf_requested) * 2))" "Linux doubles SO_RCVBUF"
expect write_blocked_ms '>=' "$((stall_ms * 8 / 10))" "blocked for at least 80% of the stall"
expect write_blocked_ms '<=' "$((stall_ms + 1000))" "and not much longer than it"
expect probe_backoffs '>=' 2 "the persist timer backed off during the stall"
# One drain reopens the window: the writer goes on within 50 ms of the first read.
expect resume_after_read_us '>=' 0
expect resume_after_read_us '<=' 50000 "resumed within 50 ms of the drain"
# Who was slow: the reader, by the sender's window and the reader's full buffer.
expect verdict == "slow reader" "the verdict names the slow reader"
expect verdict_reader_full_pct '>=' 50 "the reader's buffer was over half full most of the run"
# Nothing lost: every byte arrived, in order, and matched the pattern.
expect bytes_sent == 1048576 "all of --bytes 1M was sent"
expect bytes_received == "$(figure bytes_sent)"
expect bytes_lost == 0
expect pattern_errors == 0
# The lab's own cost.
expect scenario_wall_ms '<' 15000 "the scenario finishes in seconds"
expect overhead_ms '<' 2000 "the lab's own overhead: start, connect, render, clean-up"
expect writer_sample_cpu_pct '<=' "${FLOWLAB_MAX_SAMPLE_CPU_PCT:-2.0}" "sampling costs <= 2% of a core"
expect reader_sample_cpu_pct '<=' "${FLOWLAB_MAX_SAMPLE_CPU_PCT:-2.0}" "sampling costs <= 2% of a core"

if [ "$lesson" = blocked_write ]; then
	expect write_calls '>=' 16 "1M in writes of 64K"
	expect writes_immediate '>=' 1 "write() returned at once while the buffer had room"
	if [ "$io" = blocking ]; then
		expect longest_write_ms '>=' "$((stall_ms * 8 / 10))" "one write() call blocked through the stall"
	else
		expect write_blocked_count '>=' 1 "the non-blocking write() said EAGAIN"
		expect longest_write_ms '<' 100 "a non-blocking write() never waits"
	fi
fi
# The logs and the merged timeline are where the output says.
for f in reader.jsonl writer.jsonl timeline.csv; do
	[ -s "$out/$f" ] || _fail "$out/$f is missing or empty"
done
finish
