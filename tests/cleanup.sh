#!/usr/bin/env bash
# A scenario leaves nothing running when it ends early: stopped with SIGTERM in the middle of
# its stall, or when one of its programs dies. (Ctrl-C takes the same path as SIGTERM; a
# background job cannot be sent SIGINT, as a non-interactive shell starts it ignoring it.)
#   cleanup.sh SOURCE_ROOT
set -uo pipefail
root=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-cleanup.XXXXXX")
trap 'pkill -KILL -f -- "$dir" 2>/dev/null; rm -rf "$dir"' EXIT
failed=0
LIB_GRACE=$(sed -n 's/^LIB_STOP_GRACE_S=\([0-9]*\).*/\1/p' "$root/scenarios/lib.sh")

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (at most 10 s).
wait_for() {
	local i
	for ((i = 0; i < 1000; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	return 1
}

# ended PID OUT WHAT: the script PID ends within 5 s and nothing started for OUT remains.
ended() {
	local pid=$1 out=$2 what=$3 i left
	for ((i = 0; i < 500; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "FAIL: $what: the scenario is still running 5 s later"
		failed=1
		return
	fi
	wait "$pid"
	echo "the scenario exited with status $?"
	left=$(pgrep -a -f -- "$out" || true)
	if [ -n "$left" ]; then
		echo "FAIL: $what: still running: $left"
		failed=1
	else
		echo "ok: $what: nothing left running"
	fi
}

# 1. SIGTERM in the middle of a 30 s stall (with the capture running, where it can).
"$root/scenarios/window_zero.sh" --stall 30s --out "$dir/a" >"$dir/a.txt" 2>&1 &
pid=$!
if wait_for "$dir/a/reader.jsonl" '"kind":"stall_begin"' && wait_for "$dir/a/writer.jsonl" '"kind":"write_blocked"'; then
	kill -TERM "$pid"
	ended "$pid" "$dir/a" "SIGTERM mid-stall"
else
	echo "FAIL: the first run never reached its stall"
	failed=1
fi

# 2. One program dies: the scenario says so, fails, and ends the others.
"$root/scenarios/window_zero.sh" --stall 30s --out "$dir/b" >"$dir/b.txt" 2>&1 &
pid=$!
if wait_for "$dir/b/reader.jsonl" '"kind":"stall_begin"'; then
	reader=$(sed -n 's/.*"kind":"start".*"pid":\([0-9]*\).*/\1/p' "$dir/b/reader.jsonl")
	kill -KILL "$reader"
	ended "$pid" "$dir/b" "a program killed"
	! grep -q ' Killed ' "$dir/b.txt" ||
		{ echo "FAIL: bash's job line on stderr: $(grep ' Killed ' "$dir/b.txt")"; failed=1; }
	grep -q "reader (slow_reader) was killed by SIGKILL" "$dir/b.txt" ||
		{ echo "FAIL: the scenario did not say which program failed and why: $(tail -n 1 "$dir/b.txt")"; failed=1; }
else
	echo "FAIL: the second run never reached its stall"
	failed=1
fi
# 3. A process that does not act on SIGTERM (it ignores it) is killed after lib.sh's grace: the
# stop returns within the grace and a second, and nothing is left, with no job line on stderr.
start=$SECONDS
bash -c '
	SCENARIO=cleanup
	. "$1/scenarios/lib.sh"
	bash -c "trap \"\" TERM; exec sleep 60 # $2" &
	# Once it is sleep, it ignores SIGTERM (set before the exec).
	for ((i = 0; i < 500; i++)); do
		[ "$(cat "/proc/$!/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.01
	done
	lib_stop "$!"' _ "$root" "$dir/c" 2>"$dir/c.err"
took=$((SECONDS - start))
left=$(pgrep -a -f -- "$dir/c" || true)
if [ "$took" -ge "$LIB_GRACE" ] && [ "$took" -le $((LIB_GRACE + 1)) ] && [ -z "$left" ] &&
	[ ! -s "$dir/c.err" ]; then
	echo "ok: a process that ignores SIGTERM is killed after the grace ($took s)"
else
	echo "FAIL: ignoring SIGTERM: stopped in $took s, left: '$left', said: $(cat "$dir/c.err")"
	failed=1
fi
# 4. The scenario's own shell killed (SIGKILL: no trap runs): its programs and the capture end by
# themselves (PR_SET_PDEATHSIG), each logging its end.
"$root/scenarios/window_zero.sh" --stall 30s --out "$dir/d" >"$dir/d.txt" 2>&1 &
pid=$!
if wait_for "$dir/d/reader.jsonl" '"kind":"stall_begin"' && wait_for "$dir/d/writer.jsonl" '"kind":"write_blocked"'; then
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	for ((i = 0; i < 300; i++)); do
		pgrep -f -- "$dir/d" >/dev/null || break
		sleep 0.01
	done
	left=$(pgrep -a -f -- "$dir/d" || true)
	if [ -z "$left" ] && grep -q '"kind":"end"' "$dir/d/reader.jsonl" &&
		grep -q '"kind":"end"' "$dir/d/writer.jsonl"; then
		echo "ok: the scenario's shell killed: its programs ended within 3 s, each logging its end"
	else
		echo "FAIL: the scenario's shell killed: still running 3 s later: '$left'"
		failed=1
	fi
else
	echo "FAIL: the fourth run never reached its stall"
	failed=1
fi
exit "$failed"
