#!/usr/bin/env bash
# Faults, every one: each program of window_zero killed (SIGKILL) or frozen (SIGSTOP) at connect,
# during the fill, during the stall and during the drain. Each time the scenario ends within its
# watchdog and 3 s more, exits non-zero naming the program (killed: by its signal; frozen: the
# watchdog's "still running"), and leaves no process of the run, capture included (/proc).
#   fault_matrix.sh SOURCE_ROOT
set -uo pipefail
root=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-faults.XXXXXX")
trap 'pkill -KILL -f -- "$dir" 2>/dev/null; pkill -CONT -f -- "$dir" 2>/dev/null; rm -rf "$dir"' EXIT
export FLOWLAB_WATCHDOG_S=6
# Start-up (the namespace, the build check) and a busy machine's slowness, beyond the 3 s.
slack=4
failed=0

# pid_of OUT ROLE: the program's pid, from its log's start event.
pid_of() {
	sed -n 's/.*"kind":"start".*"pid":\([0-9]*\).*/\1/p' "$1/$2.jsonl" 2>/dev/null
}

# reached OUT PHASE: the run has reached PHASE, by what its logs say.
reached() {
	local out=$1
	case "$2" in
	connect) grep -q '"kind":"socket"' "$out/writer.jsonl" "$out/reader.jsonl" 2>/dev/null ;;
	fill) grep -q '"kind":"write"' "$out/writer.jsonl" 2>/dev/null ;;
	stall) grep -q '"kind":"write_blocked"' "$out/writer.jsonl" 2>/dev/null &&
		grep -q '"snd_wnd":0' "$out/writer.jsonl" 2>/dev/null ;;
	drain) grep -q '"kind":"stall_end"' "$out/reader.jsonl" 2>/dev/null ;;
	esac
}

# fault NAME ROLE PHASE SIGNAL: run window_zero in the background, and when it reaches PHASE send
# SIGNAL to ROLE's program; record what came of it in $dir/NAME.result.
fault() {
	local name=$1 role=$2 phase=$3 sig=$4 out=$dir/$1 start pid victim i status took left
	start=$SECONDS
	# A drain long enough to be caught in (256 MiB); a short stall; samples every 10 ms, as
	# sixteen runs share two cores.
	"$root/scenarios/window_zero.sh" --stall 1s --bytes 256M --sample 10ms --out "$out" \
		>"$dir/$name.txt" 2>&1 &
	pid=$!
	for ((i = 0; i < 3000; i++)); do
		reached "$out" "$phase" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.005
	done
	victim=$(pid_of "$out" "$role")
	if [ -z "$victim" ] || ! kill "-$sig" "$victim" 2>/dev/null; then
		echo "FAIL: $name: $role never reached $phase alive" >"$dir/$name.result"
		wait "$pid"
		return
	fi
	wait "$pid"
	status=$?
	took=$((SECONDS - start))
	for ((i = 0; i < 100; i++)); do
		pgrep -f -- "$out" >/dev/null || break
		sleep 0.02
	done
	left=$(pgrep -a -f -- "$out" || true)
	local prog=slow_reader
	[ "$role" = writer ] && prog=fast_peer
	if [ "$status" = 0 ]; then
		echo "FAIL: $name: the scenario exited 0" >"$dir/$name.result"
	elif ! grep -q "$role ($prog$([ "$sig" = STOP ] && echo ', frozen by SIGSTOP'))" "$dir/$name.txt"; then
		echo "FAIL: $name: status $status, not naming $role ($prog): $(tail -n 1 "$dir/$name.txt")" >"$dir/$name.result"
	elif [ "$took" -gt $((FLOWLAB_WATCHDOG_S + 3 + slack)) ]; then
		echo "FAIL: $name: took $took s, past the watchdog's $FLOWLAB_WATCHDOG_S s and 3 s" >"$dir/$name.result"
	elif [ -n "$left" ]; then
		echo "FAIL: $name: still running: $left" >"$dir/$name.result"
	else
		echo "ok: $name: status $status in $took s, nothing left: $(tail -n 1 "$dir/$name.txt")" >"$dir/$name.result"
	fi
}

names=()
for sig in KILL STOP; do
	for role in reader writer; do
		for phase in connect fill stall drain; do
			name=$role-$phase-$sig
			names+=("$name")
			fault "$name" "$role" "$phase" "$sig" &
		done
	done
	wait        # eight at a time
done
for name in "${names[@]}"; do
	if [ -f "$dir/$name.result" ]; then
		cat "$dir/$name.result"
		grep -q '^FAIL' "$dir/$name.result" && failed=1
	else
		echo "FAIL: $name: no result"
		failed=1
	fi
done
# No capture of any of them is left.
if pgrep -a -f -- "flowlab-capture.*$dir" >/dev/null; then
	echo "FAIL: a capture is still running: $(pgrep -a -f -- "flowlab-capture.*$dir")"
	failed=1
fi
exit "$failed"
