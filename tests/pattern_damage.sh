#!/usr/bin/env bash
# A receiver given a stream that is not what was sent fails its run: exit status 1, one line on
# stderr naming the offset of the first wrong byte, the byte expected there and the byte read
# ("pattern error at offset 4096: expected 0x3a, got 0x91 (first of 251 wrong bytes)"), an
# "error" event with the same three, and the end event still written with pattern_errors and
# pattern_first_error_offset. The damage is
# what a pattern that repeated every 251 bytes let through: 251 bytes lost, repeated or swapped
# with the next 251, and 251 lost plus 251 repeated further on (the byte count is right). The
# stream is the real one, recorded from fast_peer; the damage is cut into it here, and the
# offset the program names must be the one cmp(1) finds.
#   pattern_damage.sh BUILD_ROOT
set -uo pipefail
build=$1
reader=$build/slow_reader/slow_reader
peer=$build/fast_peer/fast_peer
writer=$build/slow_writer/slow_writer
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-pattern-damage.XXXXXX")
pids=()
trap 'kill -KILL "${pids[@]}" 2>/dev/null; rm -rf "$dir"' EXIT
failed=0
LEN=300000

fail() {
	echo "FAIL: $*"
	failed=1
}

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

# part FILE FROM COUNT: COUNT bytes of FILE from offset FROM on.
part() {
	tail -c +$(($2 + 1)) "$1" | head -c "$3"
}

# 1. The stream as fast_peer sends it, recorded by a plain client.
"$peer" --listen --bytes "$LEN" --port-file "$dir/port0" --log "$dir/sender.jsonl" \
	>/dev/null 2>"$dir/sender.err" &
spid=$!
pids+=("$spid")
wait_for "$dir/port0" || exit 1
exec {fd}<>"/dev/tcp/127.0.0.1/$(cat "$dir/port0")"
cat <&"$fd" >"$dir/clean"
exec {fd}>&-
wait "$spid" || fail "the sender exited $?: $(cat "$dir/sender.err")"
if [ "$(wc -c <"$dir/clean")" != "$LEN" ]; then
	echo "FAIL: recorded $(wc -c <"$dir/clean") bytes of the stream, not $LEN"
	exit 1
fi

# 2. The damage, at 4096 (and at 100000 for the repeat of drop+dup).
at=4096 n=251 later=100000
{ part "$dir/clean" 0 "$at"; part "$dir/clean" $((at + n)) "$LEN"; } >"$dir/drop251"
{ part "$dir/clean" 0 $((at + n)); part "$dir/clean" "$at" "$LEN"; } >"$dir/dup251"
{ part "$dir/clean" 0 "$at"; part "$dir/clean" $((at + n)) "$n"; part "$dir/clean" "$at" "$n"
	part "$dir/clean" $((at + 2 * n)) "$LEN"; } >"$dir/swap251"
{ part "$dir/clean" 0 "$at"; part "$dir/clean" $((at + n)) $((later + n - at - n))
	part "$dir/clean" "$later" "$LEN"; } >"$dir/dropdup"
[ "$(wc -c <"$dir/dropdup")" = "$LEN" ] || fail "dropdup is not $LEN bytes long"

# first_wrong FILE: the offset of the first byte of FILE that differs from the clean stream.
first_wrong() {
	cmp "$dir/clean" "$1" 2>/dev/null | sed -n 's/.* differ: \(byte\|char\) \([0-9]*\),.*/\2/p' |
		awk '{ print $1 - 1 }'
}

# byte_at FILE OFFSET: the byte there, in hex (3a).
byte_at() {
	od -An -tx1 -j "$2" -N1 "$1" | tr -d ' \n'
}

# send FILE NAME CMD...: start the receiver CMD (it listens, with --port-file and --log added),
# send it FILE and close. Sets status, and leaves its stderr in NAME.err, its log NAME.jsonl.
send() {
	local file=$1 name=$2 pid
	shift 2
	"$@" --port-file "$dir/$name.port" --log "$dir/$name.jsonl" >/dev/null 2>"$dir/$name.err" &
	pid=$!
	pids+=("$pid")
	wait_for "$dir/$name.port" || return
	exec {fd}<>"/dev/tcp/127.0.0.1/$(cat "$dir/$name.port")"
	cat "$file" >&"$fd"
	exec {fd}>&-
	wait "$pid"
	status=$?
}

receivers=(
	"slow_reader:$reader --schedule drain"
	"fast_peer_blocking:$peer --listen --recv --io blocking"
	"fast_peer_event:$peer --listen --recv --io event"
)
for r in "${receivers[@]}"; do
	rname=${r%%:*}
	read -r -a cmd <<<"${r#*:}"
	send "$dir/clean" "$rname-clean" "${cmd[@]}"
	if [ "$status" = 0 ] && [ ! -s "$dir/$rname-clean.err" ] &&
		grep -q '"kind":"end".*"bytes_received":'"$LEN"',"pattern_errors":0' "$dir/$rname-clean.jsonl"; then
		echo "ok: $rname: the clean stream checks clean"
	else
		fail "$rname: the clean stream: status $status, stderr '$(cat "$dir/$rname-clean.err")'"
	fi
	for damage in drop251 dup251 swap251 dropdup; do
		name=$rname-$damage
		want=$(first_wrong "$dir/$damage")
		expected=$(byte_at "$dir/clean" "$want") got=$(byte_at "$dir/$damage" "$want")
		send "$dir/$damage" "$name" "${cmd[@]}"
		err=$(cat "$dir/$name.err")
		if [ "$status" != 1 ]; then
			fail "$name: exit status $status, not 1 (stderr '$err')"
		elif [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] ||
			[[ "$err" != "${cmd[0]##*/}: pattern error at offset $want: expected 0x$expected, got 0x$got (first of "[1-9]*" wrong bytes)" ]]; then
			fail "$name: stderr '$err' does not name offset $want, 0x$expected and 0x$got in one line"
		elif ! grep -q '"kind":"error".*"offset":'"$want"',"expected_byte":'"$((16#$expected))"',"got_byte":'"$((16#$got))"'}' \
			"$dir/$name.jsonl"; then
			fail "$name: no error event at offset $want with bytes $((16#$expected)) and $((16#$got))"
		elif ! grep -q '"kind":"end".*"pattern_errors":[1-9][0-9]*,"pattern_first_error_offset":'"$want"',' \
			"$dir/$name.jsonl"; then
			fail "$name: the end event does not say the first error was at $want"
		else
			echo "ok: $name: exit 1, $err"
		fi
	done
done

# 3. The pattern both ways, clean: fast_peer streams to slow_writer, which writes the pattern
#    back; the stream writer reads it while it waits for the FIN, and both check clean.
"$peer" --listen --bytes 100K --io event --port-file "$dir/port2" --log "$dir/server2.jsonl" \
	>/dev/null 2>"$dir/server2.err" &
spid=$!
pids+=("$spid")
if wait_for "$dir/port2"; then
	"$writer" --connect "127.0.0.1:$(cat "$dir/port2")" --payload pattern --expect pattern \
		--schedule "write 10K" --log "$dir/writer2.jsonl" >/dev/null 2>"$dir/writer2.err"
	wstatus=$?
	wait "$spid"
	status=$?
	if [ "$wstatus" = 0 ] && [ "$status" = 0 ] &&
		grep -q '"kind":"end","bytes_sent":102400,"bytes_received":10240,"pattern_errors":0,' "$dir/server2.jsonl" &&
		grep -q '"kind":"end","bytes_sent":10240,"bytes_received":102400,"pattern_errors":0,' "$dir/writer2.jsonl"; then
		echo "ok: the pattern both ways checks clean"
	else
		fail "the pattern both ways: fast_peer $status ('$(cat "$dir/server2.err")'), slow_writer $wstatus ('$(cat "$dir/writer2.err")')"
	fi
fi

# 4. slow_writer checks what comes back: a stream of the pattern is not the response it expects.
"$peer" --listen --bytes 10K --port-file "$dir/port3" --log "$dir/server3.jsonl" >/dev/null 2>&1 &
spid=$!
pids+=("$spid")
if wait_for "$dir/port3"; then
	"$writer" --connect "127.0.0.1:$(cat "$dir/port3")" --schedule "write 1B" \
		--log "$dir/writer3.jsonl" >/dev/null 2>"$dir/writer3.err"
	status=$?
	err=$(cat "$dir/writer3.err")
	if [ "$status" = 1 ] &&
		[[ "$err" == "slow_writer: response error at offset 0: expected 0x48, got 0x$(byte_at "$dir/clean" 0) (first of "[1-9]*" wrong bytes)" ]] &&
		grep -q '"kind":"end".*"pattern_first_error_offset":0,' "$dir/writer3.jsonl"; then
		echo "ok: slow_writer: exit 1, $err"
	else
		fail "slow_writer given the pattern for a response: status $status, stderr '$err'"
	fi
	wait "$spid"
fi
exit "$failed"
