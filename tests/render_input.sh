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
exit "$failed"
