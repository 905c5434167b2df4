#!/usr/bin/env bash
# A program that cannot write its log fails its run: with --log /dev/full (every write says
# ENOSPC, as on a full disk) each program still does its work, then exits 1 with one line on
# stderr naming the call, the file and the errno text. Its peer, logging normally, is unharmed.
#   log_errors.sh BUILD_ROOT
set -uo pipefail
build=$1
reader=$build/slow_reader/slow_reader
peer=$build/fast_peer/fast_peer
writer=$build/slow_writer/slow_writer
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-log-errors.XXXXXX")
pids=()
trap 'kill -KILL "${pids[@]}" 2>/dev/null; rm -rf "$dir"' EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

if [ ! -w /dev/full ]; then
	echo "no /dev/full to write to: skipped"
	exit 77
fi

# wait_for FILE: until FILE is not empty (at most 10 s).
wait_for() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.01
	done
	fail "$1 never appeared"
	return 1
}

# full NAME STATUS: the program NAME ended with STATUS; it must be 1, with exactly the line
# "NAME: write(/dev/full): No space left on device" on stderr (in $dir/NAME.err).
full() {
	local name=$1 status=$2 err
	err=$(cat "$dir/$name.err")
	if [ "$status" = 1 ] && [ "$err" = "${name%%-*}: write(/dev/full): No space left on device" ]; then
		echo "ok: $name: exit 1, $err"
	else
		fail "$name with its log on /dev/full: status $status, stderr '$err'"
	fi
}

# fine NAME STATUS: the peer that logged normally ended well, with its end event.
fine() {
	if [ "$2" = 0 ] && grep -q '"kind":"end"' "$dir/$1.jsonl"; then
		echo "ok: $1, logging normally, is unharmed"
	else
		fail "$1: status $2, stderr '$(cat "$dir/$1.err")'"
	fi
}

# 1. slow_reader's log is full; fast_peer sends it a stream.
"$reader" --schedule drain --port-file "$dir/p1" --log /dev/full >/dev/null 2>"$dir/slow_reader.err" &
rpid=$!
pids+=("$rpid")
wait_for "$dir/p1" || exit 1
"$peer" --connect "127.0.0.1:$(cat "$dir/p1")" --bytes 1M --log "$dir/fast_peer-1.jsonl" \
	>/dev/null 2>"$dir/fast_peer-1.err"
fine fast_peer-1 $?
wait "$rpid"
full slow_reader $?

# 2. fast_peer's log is full, as a sender (both I/O models) and as a reader.
for io in blocking event; do
	"$reader" --schedule drain --port-file "$dir/p2$io" --log "$dir/slow_reader-$io.jsonl" \
		>/dev/null 2>"$dir/slow_reader-$io.err" &
	rpid=$!
	pids+=("$rpid")
	wait_for "$dir/p2$io" || exit 1
	"$peer" --connect "127.0.0.1:$(cat "$dir/p2$io")" --bytes 1M --io "$io" --log /dev/full \
		>/dev/null 2>"$dir/fast_peer-$io.err"
	full "fast_peer-$io" $?
	wait "$rpid"
	fine "slow_reader-$io" $?
done

# 3. slow_writer's log is full; fast_peer answers its request.
"$peer" --listen --respond --port-file "$dir/p3" --log "$dir/fast_peer-3.jsonl" \
	>/dev/null 2>"$dir/fast_peer-3.err" &
spid=$!
pids+=("$spid")
wait_for "$dir/p3" || exit 1
"$writer" --connect "127.0.0.1:$(cat "$dir/p3")" --schedule "write 23B" --log /dev/full \
	>/dev/null 2>"$dir/slow_writer.err"
full slow_writer $?
wait "$spid"
fine fast_peer-3 $?

# 4. The server of many clients, its log full; one client.
"$peer" --listen --clients 1 --io event --rate 1M/s --duration 200ms --port-file "$dir/p4" \
	--log /dev/full >/dev/null 2>"$dir/fast_peer-server.err" &
spid=$!
pids+=("$spid")
wait_for "$dir/p4" || exit 1
"$peer" --connect "127.0.0.1:$(cat "$dir/p4")" --recv --io event --log "$dir/fast_peer-4.jsonl" \
	>/dev/null 2>"$dir/fast_peer-4.err"
fine fast_peer-4 $?
wait "$spid"
full fast_peer-server $?
exit "$failed"
