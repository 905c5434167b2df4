#!/usr/bin/env bash
# SIGTERM ends a program cleanly at any moment, with its final counts logged: a reader waiting
# for a client, a reader in the middle of a stall, and a writer blocked inside write(). A peer
# that vanishes gives the survivor a named error, not a crash and not a hang.
#   signals.sh BUILD_ROOT
set -uo pipefail
build=$1
reader=$build/slow_reader/slow_reader
peer=$build/fast_peer/fast_peer
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-signals.XXXXXX")
pids=()
trap 'kill -KILL "${pids[@]}" 2>/dev/null; rm -rf "$dir"' EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (at most 10 s).
wait_for() {
	local i
	for ((i = 0; i < 1000; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	fail "$1 never showed $2"
	return 1
}

# gone PID SECONDS: wait until PID has ended, at most SECONDS; 1 if it is still running.
gone() {
	local i
	for ((i = 0; i < $2 * 100; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.01
	done
	return 1
}

# survives VICTIM PID BASE PREFIX NAME: kill VICTIM; PID (logging to BASE.jsonl, stderr in
# BASE.err) must end within 5 s with status 1, ECONNRESET or EPIPE named in its log, and one
# line on stderr that starts with PREFIX.
survives() {
	local victim=$1 pid=$2 base=$3 prefix=$4 name=$5 status err
	kill -KILL "$victim"
	if ! gone "$pid" 5; then
		fail "$name: it hangs"
		return
	fi
	wait "$pid"
	status=$?
	err=$(cat "$base.err")
	if [ "$status" = 1 ] && grep -Eq '"errno_name":"(ECONNRESET|EPIPE)"' "$base.jsonl" &&
		[[ "$err" == "$prefix"* ]] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]; then
		echo "ok: $name: it names the error: $err"
	else
		fail "$name: status $status, stderr '$err'"
	fi
}

# stops PID NAME LOG: PID ends by itself within 5 s of SIGTERM, exit status 0, an end event.
stops() {
	local pid=$1 name=$2 log=$3 status
	kill -TERM "$pid"
	if ! gone "$pid" 5; then
		fail "$name still running 5 s after SIGTERM"
		return
	fi
	wait "$pid"
	status=$?
	[ "$status" = 0 ] || fail "$name exited $status after SIGTERM"
	grep -q '"kind":"end"' "$log" || fail "$name logged no end event"
	grep -q '"signal":15' "$log" || fail "$name's end event does not name SIGTERM"
	[ "$failed" = 0 ] && echo "ok: $name ends cleanly on SIGTERM"
}

# 1. A reader still waiting for its client.
"$reader" --port-file "$dir/p1" --log "$dir/r1.jsonl" >/dev/null &
pids+=("$!")
wait_for "$dir/r1.jsonl" '"kind":"listening"' && stops "$!" "slow_reader (listening)" "$dir/r1.jsonl"

# 2. A reader stalled for a minute, and a writer blocked in write() against it.
"$reader" --rcvbuf 64K --stall 60s --port-file "$dir/p2" --log "$dir/r2.jsonl" >/dev/null &
rpid=$!
pids+=("$rpid")
wait_for "$dir/p2" .
"$peer" --connect "127.0.0.1:$(cat "$dir/p2")" --sndbuf 64K --bytes 10M \
	--log "$dir/w2.jsonl" >/dev/null &
wpid=$!
pids+=("$wpid")
wait_for "$dir/w2.jsonl" '"kind":"write_blocked"' && stops "$wpid" "fast_peer (blocked in write)" "$dir/w2.jsonl"
stops "$rpid" "slow_reader (stalled)" "$dir/r2.jsonl"

# 3. The reader vanishes (SIGKILL) under an event-mode writer: the writer names the error.
"$reader" --rcvbuf 64K --stall 60s --port-file "$dir/p3" --log "$dir/r3.jsonl" >/dev/null &
rpid=$!
pids+=("$rpid")
wait_for "$dir/p3" .
"$peer" --connect "127.0.0.1:$(cat "$dir/p3")" --bytes 10M --io event \
	--log "$dir/w3.jsonl" >/dev/null 2>"$dir/w3.err" &
wpid=$!
pids+=("$wpid")
wait_for "$dir/w3.jsonl" '"kind":"write_blocked"' &&
	survives "$rpid" "$wpid" "$dir/w3" "fast_peer: write: " "fast_peer, its reader killed"
# 4. The server vanishes under a slow_writer whose request it never read: the kernel resets
#    the connection, and the writer names it.
writer=$build/slow_writer/slow_writer
"$peer" --listen --respond --read-delay 60s --port-file "$dir/p4" --log "$dir/s4.jsonl" >/dev/null &
spid=$!
pids+=("$spid")
wait_for "$dir/p4" .
"$writer" --connect "127.0.0.1:$(cat "$dir/p4")" --schedule "write 10B every 100ms for 10s" \
	--log "$dir/w4.jsonl" >/dev/null 2>"$dir/w4.err" &
wpid=$!
pids+=("$wpid")
wait_for "$dir/w4.jsonl" '"kind":"write"' &&
	survives "$spid" "$wpid" "$dir/w4" "slow_writer: " "slow_writer, its server killed"

# 5. One of a many-client server's clients vanishes: the server logs that connection's error
#    and goes on serving the others to the end.
"$peer" --listen --clients 3 --io event --rate 4M/s --duration 1s --port-file "$dir/p5" \
	--log "$dir/s5.jsonl" >/dev/null 2>&1 &
spid=$!
pids+=("$spid")
wait_for "$dir/p5" .
for n in 1 2 3; do
	"$peer" --connect "127.0.0.1:$(cat "$dir/p5")" --recv --io event --log "$dir/c5-$n.jsonl" \
		>/dev/null 2>&1 &
	pids+=("$!")
	[ "$n" = 1 ] && victim=$!
done
if wait_for "$dir/c5-1.jsonl" '"kind":"read"'; then
	# Stopped first, until data piles up unread, so that the kernel answers with a reset.
	# Three server samples after the stop are at least 20 ms of production, two ticks of
	# 40 KB for each client: a buffer the server happens to hold for a moment (what this
	# waited for before) may come before any of it, and then the killed client's socket
	# holds nothing unread and closes with a FIN.
	kill -STOP "$victim"
	since=$(wc -l <"$dir/s5.jsonl")
	for ((i = 0; i < 500; i++)); do
		[ "$(tail -n +"$((since + 1))" "$dir/s5.jsonl" | grep -c '"kind":"server_sample"')" -ge 3 ] &&
			break
		sleep 0.01
	done
	kill -KILL "$victim"
	if ! gone "$spid" 10; then
		fail "the server hangs after one client was killed"
	else
		wait "$spid"
		status=$?
		served=$(grep -c '"reason":"all sent"' "$dir/s5.jsonl")
		if [ "$status" = 0 ] && grep -Eq '"errno_name":"(ECONNRESET|EPIPE)"' "$dir/s5.jsonl" &&
			[ "$served" = 2 ]; then
			echo "ok: the server logged the vanished client's error and served the other 2"
		else
			fail "server after a client vanished: status $status, served $served"
		fi
	fi
fi
exit "$failed"
