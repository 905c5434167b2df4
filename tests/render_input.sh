#!/usr/bin/env bash
# The renderer on logs made by hand: a malformed line is named by file and line, a missing log
# by the call and errno text, and a phenomenon that did not happen is never reported.
#   render_input.sh BUILD_ROOT
set -uo pipefail
render=$1/scenarios/flowlab-render
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-render.XXXXXX")
trap 'rm -rf "$dir"' EXIT
failed=0

check() {      # check WHAT CONDITION-STATUS
	if [ "$2" = 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; failed=1; fi
}

printf '%s\n' '{"t_ns":1,"prog":"slow_reader","kind":"start","t0_ns":1}' \
	'{"t_ns":2,"prog":"slow_reader","kind":"sample","recvq_bytes":12.5}' >"$dir/bad.jsonl"
err=$("$render" "$dir/bad.jsonl" 2>&1 >/dev/null)
status=$?
[ "$status" = 1 ] && [[ "$err" == "flowlab-render: $dir/bad.jsonl:2: column "*"only integers"* ]]
check "malformed line named by file and line: $err" $?

# Numbers out of range are malformed when read, so that no arithmetic sees them (a t_ns of
# -2^63 once printed the time 9223371796.733).
for bad in '"t_ns":-9223372036854775808' '"t_ns":9223372036854775807' \
	'"t_ns":5,"dur_ns":-1' '"t_ns":5,"bytes":9223372036854775807' '"t_ns":5,"bytes":-1099511627777'; do
	printf '%s\n' '{"t_ns":1,"prog":"slow_reader","kind":"start","t0_ns":1}' \
		"{$bad,\"prog\":\"slow_reader\",\"kind\":\"read\"}" >"$dir/range.jsonl"
	err=$("$render" "$dir/range.jsonl" 2>&1 >/dev/null)
	status=$?
	[ "$status" = 1 ] && [[ "$err" == "flowlab-render: $dir/range.jsonl:2: "*"out of range"* ]]
	check "out of range ($bad): $err" $?
done

err=$("$render" "$dir/none.jsonl" 2>&1 >/dev/null)
status=$?
[ "$status" = 1 ] && [ "$err" = "flowlab-render: open($dir/none.jsonl): No such file or directory" ]
check "missing log: $err" $?

# A sender whose window never closed: no zero window, no made-up figures.
printf '%s\n' \
	'{"t_ns":1000,"prog":"fast_peer","kind":"start","t0_ns":1000}' \
	'{"t_ns":2000,"prog":"fast_peer","kind":"socket","sndbuf_bytes":131072,"rcvbuf_bytes":131072}' \
	'{"t_ns":3000,"prog":"fast_peer","kind":"sample","sendq_bytes":0,"notsent_bytes":0,"snd_wnd":65536,"backoff":0}' \
	'{"t_ns":4000,"prog":"fast_peer","kind":"write","bytes":100,"requested_bytes":100,"dur_ns":500,"offset":0}' \
	'{"t_ns":5000,"prog":"fast_peer","kind":"end","bytes_sent":100}' >"$dir/open.jsonl"
out=$("$render" "$dir/open.jsonl")
check "render of an open window succeeds" $?
grep -qx 'zero_window_seen=0' <<<"$out"
check "zero_window_seen=0 when the window never closed" $?
! grep -q '^zero_window_at_ms=\|^bytes_at_zero_window=\|^resume_after_read_us=' <<<"$out"
check "no zero-window figures made up" $?
grep -qx 'write_calls=1' <<<"$out" && grep -qx 'writes_immediate=1' <<<"$out"
check "one write, returned at once" $?

# The lesson's clock starts when the connection is established (the first socket event), not
# when the scenario started its programs: here 50 ms of start-up before the connection, and the
# window closes 100 ms after it.
printf '%s\n' \
	'{"t_ns":1000000,"prog":"fast_peer","kind":"start","t0_ns":1000000}' \
	'{"t_ns":51000000,"prog":"fast_peer","kind":"socket","sndbuf_bytes":131072}' \
	'{"t_ns":52000000,"prog":"fast_peer","kind":"sample","sendq_bytes":100,"snd_wnd":65536,"backoff":0}' \
	'{"t_ns":151000000,"prog":"fast_peer","kind":"sample","sendq_bytes":100,"snd_wnd":0,"backoff":0}' \
	'{"t_ns":160000000,"prog":"fast_peer","kind":"end","bytes_sent":100}' >"$dir/late.jsonl"
out=$("$render" "$dir/late.jsonl")
grep -qx 'zero_window_at_ms=100' <<<"$out"
check "zero_window_at_ms counts from the connection, not the scenario's start" $?
grep -q '^  0.001  .*first look at the writer' <<<"$out"
check "the table's first row, 1 ms after the connection, is at 0.001" $?
# A reader that stalls with 100,000 bytes unread, then reads 64 KiB: the read's row shows what
# SIOCINQ said right after the call (34,464), not the last sample's 100,000; read() returning
# 0 leaves nothing unread; a side that closed shows no buffers. Its stall is measured: the
# plan said 60 s, the first read came 1.34 s after the stall began.
printf '%s\n' \
	'{"t_ns":1000,"prog":"slow_reader","kind":"start","t0_ns":1000}' \
	'{"t_ns":2000,"prog":"slow_reader","kind":"socket","rcvbuf_bytes":131072}' \
	'{"t_ns":3000,"prog":"slow_reader","kind":"stall_begin","for_us":60000000}' \
	'{"t_ns":4000,"prog":"slow_reader","kind":"sample","recvq_bytes":100000}' \
	'{"t_ns":1340002000,"prog":"slow_reader","kind":"stall_end"}' \
	'{"t_ns":1340003000,"prog":"slow_reader","kind":"read","bytes":65536,"dur_ns":100,"recvq_after_bytes":34464}' \
	'{"t_ns":1340004000,"prog":"slow_reader","kind":"read","bytes":34464,"dur_ns":100,"recvq_after_bytes":0}' \
	'{"t_ns":1340005000,"prog":"slow_reader","kind":"eof"}' \
	'{"t_ns":1340006000,"prog":"slow_reader","kind":"close","reason":"peer closed"}' \
	'{"t_ns":1340007000,"prog":"slow_reader","kind":"end","bytes_received":100000,"signal":15}' \
	>"$dir/reads.jsonl"
out=$("$render" --all "$dir/reads.jsonl")
grep -q '1\.340  .*33\.7 KiB / 128\.0 KiB .*reader reads 64 KiB' <<<"$out"
check "the row of a read shows what was unread right after it" $?
grep -q '  0 B / 128\.0 KiB .*read() returned 0' <<<"$out"
check "read() returning 0 leaves 0 B unread" $?
grep -q '^  1\.340  -  .*reader closes the connection' <<<"$out"
check "a reader that closed shows no buffer" $?
grep -qx 'stall_ms=1340' <<<"$out" && grep -qx 'stall_planned_ms=60000' <<<"$out"
check "stall_ms is measured (1340), not the plan's 60000" $?

# A capture killed before its end event saw only part of the connection: the lesson leaves the
# wire out rather than tell partial counts as facts, and says so; so with any log cut short.
golden=$(cd "$(dirname "$0")" && pwd)/golden/window_zero
mkdir "$dir/cut"
cp "$golden"/reader.jsonl "$golden"/writer.jsonl "$dir/cut/"
head -n 30 "$golden/capture.jsonl" >"$dir/cut/capture.jsonl"
out=$("$render" --lesson window_zero "$dir"/cut/*.jsonl)
check "a cut capture: the render succeeds" $?
! grep -q '^wire_' <<<"$out" && grep -qx 'zero_window_seen=1' <<<"$out"
check "a cut capture: no wire figures, the sockets' figures still there" $?
tr '\n' ' ' <<<"$out" | grep -q "Incomplete: $dir/cut/capture.jsonl has no end event .*the wire is left out"
check "a cut capture: the report says so" $?
grep -v '"kind":"end"' "$golden/reader.jsonl" >"$dir/cut/reader.jsonl"
out=$("$render" --lesson window_zero "$dir"/cut/*.jsonl)
tr '\n' ' ' <<<"$out" | grep -q "Incomplete: $dir/cut/reader.jsonl has no end event (slow_reader"
check "a reader's log without its end: the report says so" $?
! grep -q '^bytes_lost=' <<<"$out"
check "a reader's log without its end: no loss figure made up" $?

# Bytes sent and never received fail the run (exit 1, one line), the report printed all the same.
printf '%s\n' \
	'{"t_ns":1000,"prog":"fast_peer","kind":"start","t0_ns":1000}' \
	'{"t_ns":9000000,"prog":"fast_peer","kind":"end","bytes_sent":1000}' >"$dir/loss-writer.jsonl"
printf '%s\n' \
	'{"t_ns":1000,"prog":"slow_reader","kind":"start","t0_ns":1000}' \
	'{"t_ns":9000000,"prog":"slow_reader","kind":"end","bytes_received":749,"pattern_errors":0}' \
	>"$dir/loss-reader.jsonl"
out=$("$render" "$dir/loss-writer.jsonl" "$dir/loss-reader.jsonl" 2>"$dir/loss.err")
status=$?
[ "$status" = 1 ] && grep -qx 'bytes_lost=251' <<<"$out" &&
	[ "$(cat "$dir/loss.err")" = "flowlab-render: bytes_lost=251: bytes were sent and never received: the run failed" ]
check "a loss fails the run: status $status, $(cat "$dir/loss.err")" $?

# A run Ctrl-C stopped mid-stall: the bytes on their way are undelivered, not lost.
printf '%s\n' \
	'{"t_ns":1000,"prog":"fast_peer","kind":"start","t0_ns":1000}' \
	'{"t_ns":2000,"prog":"fast_peer","kind":"socket","sndbuf_bytes":131072}' \
	'{"t_ns":9000000,"prog":"fast_peer","kind":"end","bytes_sent":277080,"signal":2}' \
	>"$dir/stopped-writer.jsonl"
printf '%s\n' \
	'{"t_ns":1000,"prog":"slow_reader","kind":"start","t0_ns":1000}' \
	'{"t_ns":2000,"prog":"slow_reader","kind":"socket","rcvbuf_bytes":131072}' \
	'{"t_ns":9000000,"prog":"slow_reader","kind":"end","bytes_received":0,"pattern_errors":0,"signal":2}' \
	>"$dir/stopped-reader.jsonl"
out=$("$render" "$dir/stopped-writer.jsonl" "$dir/stopped-reader.jsonl")
grep -qx 'bytes_undelivered=277080' <<<"$out" && ! grep -q '^bytes_lost=' <<<"$out" &&
	tr '\n' ' ' <<<"$out" | grep -q 'A signal stopped the run: 277,080 bytes sent, 0 received and checked, 277,080 undelivered'
check "a run a signal stopped has bytes undelivered, not lost" $?

# A blocking write() that blocked: its row comes when that was noticed (detected_ns), with the
# queue of that moment, and Last write says how long the call has lasted so far; a writer that
# closed shows no queue and no window.
printf '%s\n' \
	'{"t_ns":1000,"prog":"fast_peer","kind":"start","t0_ns":1000}' \
	'{"t_ns":2000,"prog":"fast_peer","kind":"socket","sndbuf_bytes":131072}' \
	'{"t_ns":3000,"prog":"fast_peer","kind":"sample","sendq_bytes":0,"notsent_bytes":0,"snd_wnd":65536,"backoff":0}' \
	'{"t_ns":5000,"prog":"fast_peer","kind":"write_blocked","offset":0,"detected_ns":1105000}' \
	'{"t_ns":1004000,"prog":"fast_peer","kind":"sample","sendq_bytes":150000,"notsent_bytes":90000,"snd_wnd":65536,"backoff":0}' \
	'{"t_ns":9000000,"prog":"fast_peer","kind":"write_resumed","blocked_us":8995}' \
	'{"t_ns":9000000,"prog":"fast_peer","kind":"write","bytes":65536,"requested_bytes":65536,"dur_ns":8995000,"sendq_after_bytes":140000,"notsent_after_bytes":80000}' \
	'{"t_ns":9100000,"prog":"fast_peer","kind":"close","reason":"all sent"}' \
	'{"t_ns":9200000,"prog":"fast_peer","kind":"end","bytes_sent":65536}' >"$dir/blocked.jsonl"
out=$("$render" --lesson blocked_write "$dir/blocked.jsonl")
grep -q '^  0\.001  .*146\.5 KiB / 87\.9 KiB .*BLOCKS .*≥1\.1 ms .*write() blocks' <<<"$out"
check "a blocked write()'s row shows the queue when it was noticed, and the call so far" $?
grep -q '^  0\.009  -  .*-  .*writer closes the connection' <<<"$out"
check "a writer that closed shows no queue and no window" $?
# A server of many clients whose kernel send queues peak in a sample where nothing else
# changes: the table reaches the peak the summary tells (it stopped at the last row before);
# sizes side by side read alike (one decimal); a value hovering at a quarter makes one row.
{
	printf '%s\n' '{"t_ns":1000,"prog":"fast_peer","kind":"start","t0_ns":1000,"role":"listen"}' \
		'{"t_ns":2000,"prog":"fast_peer","kind":"accept","conn":1,"peer_port":40001}'
	for i in 1 2 3 4 5 6 7 8 9 10; do
		k=$((100 * 1024)) app=$((100 * 1024))
		[ "$i" = 5 ] && k=$((300 * 1024))
		[ "$i" = 3 ] && app=$((400 * 1024))
		[ "$i" -ge 6 ] && app=$((((i % 2) * 20 + 290) * 1024))
		printf '{"t_ns":%d,"prog":"fast_peer","kind":"server_sample","connections":1,"rss_kib":2000,"app_buffered_bytes":%d,"kernel_sendq_bytes":%d,"paused":0}\n' \
			$((i * 10000000)) "$app" "$k"
	done
	printf '%s\n' '{"t_ns":200000000,"prog":"fast_peer","kind":"end","bytes_sent":100}'
} >"$dir/server.jsonl"
printf '%s\n' '{"t_ns":1500,"prog":"fast_peer","kind":"start","t0_ns":1000,"role":"connect"}' \
	'{"t_ns":1600,"prog":"fast_peer","kind":"socket","local_port":40001,"peer_port":5000}' \
	'{"t_ns":200000000,"prog":"fast_peer","kind":"end","bytes_received":100}' >"$dir/client.jsonl"
out=$("$render" --lesson backpressure "$dir/server.jsonl" "$dir/client.jsonl")
grep -q '  300\.0 KiB .*reaches its peak, 300\.0 KiB' <<<"$out" && grep -qx 'kernel_sendq_peak_bytes=307200' <<<"$out"
check "the table reaches the kernel send queues' peak that the figures tell" $?
grep -q '  100\.0 KiB  ' <<<"$out"
check "sizes in the table have one decimal, 100.0 KiB beside 300.0 KiB" $?
[ "$(grep -E '^  0\.(07|08|09|10)0  ' <<<"$out" | grep -c "the server's buffered data")" -le 1 ]
check "a value hovering at a quarter of its peak makes no row per sample" $?
# The picture: its y axis starts at 0, not below it, and a reader frozen for a second (no
# sample from 5 ms to 1.005 s) breaks its line there instead of drawing a ramp across the gap.
{
	printf '%s\n' '{"t_ns":1000,"prog":"slow_reader","kind":"start","t0_ns":1000,"sample_us":1000}' \
		'{"t_ns":2000,"prog":"slow_reader","kind":"socket","rcvbuf_bytes":131072}'
	for t in 1 2 3 4 5 1005 1006 1007; do
		printf '{"t_ns":%d,"prog":"slow_reader","kind":"sample","recvq_bytes":%d}\n' \
			$((t * 1000000)) $((t * 100))
	done
} >"$dir/frozen.jsonl"
"$render" --plot "$dir/frozen.gp" "$dir/frozen.jsonl" >/dev/null &&
	grep -q '^set yrange \[0:' "$dir/frozen.gp" && ! grep -q 'graph 0.05, graph 0.05' "$dir/frozen.gp"
check "the picture's y axis starts at 0" $?
# shellcheck disable=SC2016 # $recvq is gnuplot's, not the shell's
sed -n '/^\$recvq << EOD$/,/^EOD$/p' "$dir/frozen.gp" | grep -q '^$'
check "a frozen reader's line breaks across the gap in its samples" $?
exit "$failed"
