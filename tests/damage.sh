#!/usr/bin/env bash
# Data integrity on a real connection: a shim preloaded into the receiver (damage_shim.c) drops,
# repeats, swaps or flips bytes of what it reads from its TCP socket, at a given offset: one
# byte, one period of the old pattern (251 bytes), 4 KiB. Every such run must fail: exit status
# 1, and one line on stderr naming the offset where the shim says the damage starts in the
# stream the program read, as must the log's error event. The same runs with the shim in place
# but nothing damaged must pass. Receivers: slow_reader and fast_peer --recv (both I/O models),
# each fed 1 MiB by fast_peer; and slow_writer --expect pattern, fed by fast_peer --listen.
#   damage.sh BUILD_ROOT SHIM
set -uo pipefail
build=$1 shim=$2
reader=$build/slow_reader/slow_reader
peer=$build/fast_peer/fast_peer
writer=$build/slow_writer/slow_writer
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-damage.XXXXXX")
pids=()
trap 'kill -KILL "${pids[@]}" 2>/dev/null; rm -rf "$dir"' EXIT
failed=0
LEN=1048576
AT=300007         # not on a word's edge, far from the first read
LIMIT=60          # seconds any one program may take, under load and the sanitizers

fail() {
	echo "FAIL: $*"
	failed=1
}

# An AddressSanitizer build must have its runtime first in the list of preloaded libraries.
preload=$shim
asan=$(ldd "$reader" 2>/dev/null | awk '/libasan/ { print $3; exit }')
[ -n "$asan" ] && preload=$asan:$shim
if ! out=$(env LD_PRELOAD="$preload" FLOWLAB_DAMAGE=flip "$reader" --check-args 2>&1); then
	if [ -n "$asan" ] || [ -n "${FLOWLAB_SANITIZED:-}" ]; then
		echo "SKIP: the shim cannot be preloaded into this sanitized build: $out"
		exit 77
	fi
	echo "FAIL: the shim cannot be preloaded: $out"
	exit 1
fi

# wait_for FILE PID: until FILE is not empty (at most LIMIT s), or the program PID is gone.
wait_for() {
	local i
	for ((i = 0; i < LIMIT * 100; i++)); do
		[ -s "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.01
	done
	fail "$1 never appeared"
	return 1
}

# damaged NAME RECEIVER MODE AT LEN...: run RECEIVER (slow_reader, fast_peer_blocking,
# fast_peer_event or slow_writer) and its sender, the receiver under the shim with FLOWLAB_DAMAGE
# MODE (AT, LEN). Sets status (the receiver's) and leaves NAME.err, NAME.jsonl, NAME.damage.
damaged() {
	local name=$1 who=$2 mode=$3 at=$4 len=$5 pid sstatus
	local shimenv=(env LD_PRELOAD="$preload" FLOWLAB_DAMAGE="$mode" FLOWLAB_DAMAGE_AT="$at"
		FLOWLAB_DAMAGE_LEN="$len" FLOWLAB_DAMAGE_LOG="$dir/$name.damage")
	local common=(--sample 0 --port-file "$dir/$name.port")
	status=-1
	case $who in
	slow_writer)
		timeout -k 1 "$LIMIT" "$peer" --listen --bytes "$LEN" --io event "${common[@]}" \
			--log "$dir/$name.sender.jsonl" >/dev/null 2>"$dir/$name.sender.err" &
		pid=$!
		pids+=("$pid")
		wait_for "$dir/$name.port" "$pid" || return
		timeout -k 1 "$LIMIT" "${shimenv[@]}" "$writer" --sample 0 \
			--connect "127.0.0.1:$(cat "$dir/$name.port")" --payload pattern \
			--expect pattern --schedule "write 1B" --log "$dir/$name.jsonl" \
			>/dev/null 2>"$dir/$name.err"
		status=$?
		;;
	*)
		local rcmd=("$reader" --schedule drain)
		[ "$who" = fast_peer_blocking ] && rcmd=("$peer" --listen --recv --io blocking)
		[ "$who" = fast_peer_event ] && rcmd=("$peer" --listen --recv --io event)
		timeout -k 1 "$LIMIT" "${shimenv[@]}" "${rcmd[@]}" "${common[@]}" \
			--log "$dir/$name.jsonl" >/dev/null 2>"$dir/$name.err" &
		pid=$!
		pids+=("$pid")
		wait_for "$dir/$name.port" "$pid" || return
		timeout -k 1 "$LIMIT" "$peer" --connect "127.0.0.1:$(cat "$dir/$name.port")" \
			--bytes "$LEN" --sample 0 --log "$dir/$name.sender.jsonl" \
			>/dev/null 2>"$dir/$name.sender.err"
		sstatus=$?
		wait "$pid"
		status=$?
		[ "$sstatus" = 0 ] ||
			fail "$name: the sender exited $sstatus: $(cat "$dir/$name.sender.err")"
		return
		;;
	esac
	wait "$pid"
	sstatus=$?
	[ "$sstatus" = 0 ] || fail "$name: the sender exited $sstatus: $(cat "$dir/$name.sender.err")"
}

for who in slow_reader fast_peer_blocking fast_peer_event slow_writer; do
	prog=${who%_blocking}
	prog=${prog%_event}

	# The control: the shim reads every byte, and damages none (its stretch is past the end).
	name=$who-control
	damaged "$name" "$who" flip $((LEN * 4)) 4096
	if [ "$status" = 0 ] && [ ! -s "$dir/$name.err" ] && [ ! -e "$dir/$name.damage" ] &&
		grep -q '"kind":"end".*"bytes_received":'"$LEN"',"pattern_errors":0,' "$dir/$name.jsonl"; then
		echo "ok: $name: the stream read through the shim checks clean"
	else
		fail "$name: status $status, stderr '$(cat "$dir/$name.err")'"
	fi

	for mode in drop dup swap flip; do
		for len in 1 251 4096; do
			name=$who-$mode-$len
			damaged "$name" "$who" "$mode" "$AT" "$len"
			err=$(cat "$dir/$name.err")
			want=$(sed -n 's/^damaged_at=//p' "$dir/$name.damage" 2>/dev/null)
			# Where the stream the program reads first differs from the one sent.
			expect=$AT
			[ "$mode" = dup ] && expect=$((AT + len))
			if [ "$want" != "$expect" ]; then
				fail "$name: the shim says it damaged at '$want', not $expect"
			elif [ "$status" != 1 ]; then
				fail "$name: exit status $status, not 1 (stderr '$err')"
			elif [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] ||
				[[ "$err" != "$prog: pattern error at offset $want: expected 0x"??", got 0x"??" ("* ]]; then
				fail "$name: stderr '$err' does not name offset $want in one line"
			elif ! grep -q '"kind":"error".*"offset":'"$want"',' "$dir/$name.jsonl"; then
				fail "$name: no error event at offset $want"
			else
				echo "ok: $name: exit 1, $err"
			fi
		done
	done
done
exit "$failed"
