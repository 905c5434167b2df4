#!/usr/bin/env bash
# Bad input, to every program and every script: one clear line naming the flag and the value,
# exit status 2, and nothing left running.
#   bad_input.sh SOURCE_ROOT BUILD_ROOT
set -uo pipefail
root=$1 build=$2
failed=0
marker=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-bad-input.XXXXXX")
trap 'rm -rf "$marker"' EXIT

# try NEEDLE CMD...: CMD must exit 2 with exactly one line on stderr that contains NEEDLE (the
# flag and the value), print nothing on stdout, and leave no process behind.
try() {
	local needle=$1 err out status left
	shift
	out=$("$@" 2>"$marker/err")
	status=$?
	err=$(cat "$marker/err")
	left=$(pgrep -f -- "$marker" || true)
	if [ "$status" != 2 ] || [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] ||
		[[ "$err" != *"$needle"* ]] || [ -n "$out" ] || [ -n "$left" ]; then
		echo "FAIL: $* -> status $status, stderr: '$err', stdout: '$out', left running: '$left'"
		failed=1
	else
		echo "ok: $* -> $err"
	fi
}

reader=$build/slow_reader/slow_reader
peer=$build/fast_peer/fast_peer
log=(--log "$marker/x.jsonl")

for prog in "$reader" "$peer"; do
	try "--rcvbuf: bad value 'abc'" "$prog" "${log[@]}" --listen --rcvbuf abc
	try "--rcvbuf: bad value '-5K'" "$prog" "${log[@]}" --listen --rcvbuf -5K
	# What the user typed stays on one line and cannot drive the terminal.
	try "--rcvbuf: bad value '1\\n2'" "$prog" "${log[@]}" --listen --rcvbuf $'1\n2'
	try "unknown option '--x\\x1b[31m'" "$prog" "${log[@]}" --listen $'--x\e[31m'
	try "--sndbuf: bad value '99999999999999999999999'" "$prog" "${log[@]}" --listen --sndbuf 99999999999999999999999
	try "--sndbuf: bad value '0'" "$prog" "${log[@]}" --listen --sndbuf 0
	try "--sample: bad value '5parsecs'" "$prog" "${log[@]}" --listen --sample 5parsecs
	try "--sample: bad value '10us'" "$prog" "${log[@]}" --listen --sample 10us
	try "--port: bad value '70000'" "$prog" "${log[@]}" --listen --port 70000
	try "--host: bad value 'example.com'" "$prog" "${log[@]}" --listen --host example.com
	try "--connect: bad value 'localhost'" "$prog" "${log[@]}" --connect localhost
	try "--connect: bad value '127.0.0.1:0'" "$prog" "${log[@]}" --connect 127.0.0.1:0
	try "--t0: bad value 'yesterday'" "$prog" "${log[@]}" --listen --t0 yesterday
	try "--cc: bad value ''" "$prog" "${log[@]}" --listen --cc ''
	try "--cc: bad value 'vegas2'" "$prog" "${log[@]}" --listen --cc vegas2
	try "unknown option '--bogus'" "$prog" "${log[@]}" --bogus
	try "argument: bad value 'stray'" "$prog" "${log[@]}" --listen stray
done

# Flags that contradict each other are refused, whichever comes last, naming both. With
# --check-args: a last-one-wins parser then says so by exiting 0, and starts nothing. And
# --help does not make an unknown option after it good.
for prog in "$reader" "$peer" "$build/slow_writer/slow_writer"; do
	try "unknown option '--bogus'" "$prog" --help --bogus
	try "--listen and --connect '127.0.0.1:9' conflict" "$prog" --check-args --listen --connect 127.0.0.1:9
	try "--listen and --connect '127.0.0.1:9' conflict" "$prog" --check-args --connect 127.0.0.1:9 --listen
	try "--port '5000' and --connect '127.0.0.1:9' conflict" "$prog" --check-args --connect 127.0.0.1:9 --port 5000
	try "--host '127.0.0.2' and --connect '127.0.0.1:9' conflict" "$prog" --check-args --host 127.0.0.2 --connect 127.0.0.1:9
	# Off loopback only when asked: refused with the reason, whether checking or starting.
	try "--host: bad value '198.18.0.2': not a loopback address" "$prog" --check-args --listen --host 198.18.0.2
	try "--host: bad value '0.0.0.0': not a loopback address" "$prog" "${log[@]}" --listen --host 0.0.0.0
	try "--host: bad value '::ffff:10.0.0.1': not a loopback address" "$prog" "${log[@]}" --listen --host ::ffff:10.0.0.1
	try "--connect: bad value '198.18.0.2:9': not a loopback address" "$prog" "${log[@]}" --connect 198.18.0.2:9
	try "--connect: bad value '[2001:db8::1]:9': not a loopback address" "$prog" --check-args --connect '[2001:db8::1]:9'
	try "unknown option '--allow-remote=yes'" "$prog" --check-args --allow-remote=yes --connect 198.18.0.2:9
	for ok in "--listen --host 127.0.0.2" "--listen --host ::1" "--connect [::1]:9" \
		"--allow-remote --connect 198.18.0.2:9" "--listen --host 198.18.0.1 --allow-remote"; do
		# shellcheck disable=SC2086 # the words of $ok are the options
		if "$prog" --check-args $ok >/dev/null 2>"$marker/err"; then
			echo "ok: ${prog##*/} --check-args $ok is accepted"
		else
			echo "FAIL: ${prog##*/} --check-args $ok refused: $(cat "$marker/err")"
			failed=1
		fi
	done
done
try "--stall '1s' and --schedule 'drain' conflict" "$reader" --check-args --stall 1s --schedule drain
try "--stall '1s' and --schedule 'drain' conflict" "$reader" --check-args --schedule drain --stall 1s
try "--schedule: bad value ''" "$reader" --check-args --schedule '' --stall 1s
try "--schedule: bad value ''" "$build/slow_writer/slow_writer" --check-args --connect 127.0.0.1:9 --schedule '' --schedule 'write 1B'
try "--recv and --respond conflict" "$peer" --check-args --listen --recv --respond
try "--recv and --respond conflict" "$peer" --check-args --listen --respond --recv
try "--bytes '1M' and --duration '1s' conflict" "$peer" --check-args --listen --bytes 1M --duration 1s
try "--bytes '1M' and --duration '1s' conflict" "$peer" --check-args --listen --duration 1s --bytes 1M

# A plan that would last past 2^64 ns is refused, not wrapped to a short one (plan_ms=0).
try "--schedule: bad value 'stall 300000000m, stall 300000000m'" "$reader" --check-args --schedule "stall 300000000m, stall 300000000m"
try "--schedule: bad value 'stall 34s, read 1K every 1s for 307445734m'" "$reader" --check-args --schedule "stall 34s, read 1K every 1s for 307445734m"
try "--schedule: bad value 'write 1B, stall 300000000m, stall 7445735m'" "$build/slow_writer/slow_writer" --check-args --connect 127.0.0.1:9 --schedule "write 1B, stall 300000000m, stall 7445735m"

try "--stall: bad value '2 s'" "$reader" "${log[@]}" --stall "2 s"
try "--stall: bad value ''" "$reader" "${log[@]}" --stall ""
try "--schedule: bad value 'stall 2s, drain, stall 1s'" "$reader" "${log[@]}" --schedule "stall 2s, drain, stall 1s"
try "--schedule: bad value 'nap 2s'" "$reader" "${log[@]}" --schedule "nap 2s"
try "--schedule: bad value 'write 1K'" "$reader" "${log[@]}" --schedule "write 1K"
try "--read-size: bad value '0'" "$reader" "${log[@]}" --read-size 0
try "--bytes: bad value '1Q'" "$peer" "${log[@]}" --listen --bytes 1Q
try "--bytes: bad value '0'" "$peer" "${log[@]}" --listen --bytes 0
try "--duration: bad value '0s'" "$peer" "${log[@]}" --listen --duration 0s
try "--write-size: bad value '1G'" "$peer" "${log[@]}" --listen --write-size 1G
try "--io: bad value 'async'" "$peer" "${log[@]}" --listen --io async
try "--connect: bad value ''" "$peer" "${log[@]}"

# The server side of fast_peer, and slow_writer.
try "--read-timeout: bad value 'soon'" "$peer" "${log[@]}" --listen --respond --read-timeout soon
try "--write-timeout: bad value '0'" "$peer" "${log[@]}" --listen --write-timeout 0
try "--user-timeout: bad value '100us'" "$peer" "${log[@]}" --listen --user-timeout 100us
try "--on-timeout: bad value 'panic'" "$peer" "${log[@]}" --listen --on-timeout panic
try "--read-delay: bad value '-1s'" "$peer" "${log[@]}" --listen --respond --read-delay -1s
try "--clients: bad value '0'" "$peer" "${log[@]}" --listen --io event --clients 0
try "--clients: bad value ''" "$peer" "${log[@]}" --listen --clients 5
try "--rate: bad value 'fast'" "$peer" "${log[@]}" --listen --io event --clients 5 --rate fast
try "--backpressure: bad value '1'" "$peer" "${log[@]}" --listen --io event --clients 5 --backpressure 1
writer=$build/slow_writer/slow_writer
try "--schedule: bad value 'drain'" "$writer" "${log[@]}" --connect 127.0.0.1:9 --schedule drain
try "--schedule: bad value 'write 1K every 0s'" "$writer" "${log[@]}" --connect 127.0.0.1:9 --schedule "write 1K every 0s"
try "--payload: bad value 'poetry'" "$writer" "${log[@]}" --connect 127.0.0.1:9 --payload poetry
try "--expect: bad value 'nothing'" "$writer" "${log[@]}" --connect 127.0.0.1:9 --expect nothing
try "--connect: bad value ''" "$writer" "${log[@]}"

capture=$build/scenarios/flowlab-capture
if [ -x "$capture" ]; then
	try "--port: bad value 'http'" "$capture" --log "$marker/x.jsonl" --port http
	try "--port: bad value ''" "$capture" --log "$marker/x.jsonl"
	try "--iface: bad value ''" "$capture" --log "$marker/x.jsonl" --port 80 --iface ''
	try "unknown option '--promisc'" "$capture" --log "$marker/x.jsonl" --port 80 --promisc
	try "--read: bad value ''" "$capture" --log "$marker/x.jsonl" --read ''
	try "unknown option '--bogus'" "$capture" --help --bogus
fi

render=$build/scenarios/flowlab-render
try "--lesson: bad value 'nope'" "$render" --lesson nope "$marker/x.jsonl"
# An output that is one of its inputs would be emptied before it is read.
cp "$root/tests/golden/window_zero/reader.jsonl" "$marker/in.jsonl"
try "--csv: bad value '$marker/in.jsonl': it is one of the LOGs" "$render" --csv "$marker/in.jsonl" "$marker/in.jsonl"
try "--plot: bad value '$marker/in.jsonl'" "$render" --plot "$marker/in.jsonl" "$marker/in.jsonl"
cmp -s "$root/tests/golden/window_zero/reader.jsonl" "$marker/in.jsonl" ||
	{ echo "FAIL: --csv LOG LOG changed the log"; failed=1; }

export FLOWLAB_BUILD=$build FLOWLAB_NO_BUILD=1
for script in window_zero blocked_write; do
	s=$root/scenarios/$script.sh
	try "--rcvbuf: bad value 'lots'" "$s" --out "$marker/o" --rcvbuf lots
	try "--stall: bad value 'forever'" "$s" --out "$marker/o" --stall forever
	try "--bytes: bad value '-1'" "$s" --out "$marker/o" --bytes -1
	try "--io: bad value 'psychic'" "$s" --out "$marker/o" --io psychic
	try "--sample: bad value '1x'" "$s" --out "$marker/o" --sample 1x
	try "'--colour': not a knob of this lesson" "$s" --out "$marker/o" --colour
	try "--stall: missing value" "$s" --out "$marker/o" --stall
	try "--mtu: bad value '9x'" "$s" --out "$marker/o" --mtu 9x
	try "--mtu: bad value '100'" "$s" --out "$marker/o" --mtu 100
	try "--out: bad value ''" "$s" --out ""
	try "--out: bad value '-v'" "$s" --out -v
	try "--out: bad value '--help'" "$s" --out --help
	try "--out: '/dev/null' is not a directory" "$s" --out /dev/null
	try "--out: bad value \$'$marker/a\\nb': no control characters" "$s" --out "$marker/a"$'\n'"b"
	try "--stall: bad value \$'1\\ns'" "$s" --out "$marker/o" --stall $'1\ns'
done
try "--read-delay: bad value 'later'" "$root/scenarios/request_response.sh" --out "$marker/o" --read-delay later
try "--read-timeout: bad value '1 s'" "$root/scenarios/read_timeout.sh" --out "$marker/o" --read-timeout "1 s"
try "--client-stall: bad value 'x'" "$root/scenarios/read_timeout.sh" --out "$marker/o" --client-stall x
try "--write-timeout: bad value '0ms'" "$root/scenarios/write_timeout.sh" --out "$marker/o" --write-timeout 0ms
try "--user-timeout: bad value 'never'" "$root/scenarios/write_timeout.sh" --out "$marker/o" --user-timeout never
try "--clients: bad value 'many'" "$root/scenarios/backpressure.sh" --out "$marker/o" --clients many
try "--slow: bad value '99'" "$root/scenarios/backpressure.sh" --out "$marker/o" --slow 99
try "--rate: bad value '2M/h'" "$root/scenarios/backpressure.sh" --out "$marker/o" --rate 2M/h
try "--backpressure: bad value 'lots'" "$root/scenarios/backpressure.sh" --out "$marker/o" --backpressure lots
# The network lessons' knobs, refused before any link is made.
for s in slow_network retransmit; do
	try "--rate: bad value '0'" "$root/scenarios/$s.sh" --out "$marker/o" --rate 0
	try "--rate: bad value '8mbps'" "$root/scenarios/$s.sh" --out "$marker/o" --rate 8mbps
	try "--rate: bad value '20gbit'" "$root/scenarios/$s.sh" --out "$marker/o" --rate 20gbit
	try "'--no-netns': not a knob of this lesson; the link needs a private network namespace" \
		"$root/scenarios/$s.sh" --out "$marker/o" --no-netns
done
try "--sizes: bad value '12Q'" "$root/scenarios/buffer_sizes.sh" --out "$marker/o" --sizes 4K,12Q
try "--fill: bad value '0'" "$root/scenarios/buffer_sizes.sh" --out "$marker/o" --fill 0
try "--rate: bad value '0'" "$root/scenarios/buffer_sizes.sh" --out "$marker/o" --rate 0
try "--bytes: bad value 'lots'" "$root/scenarios/buffer_sizes.sh" --out "$marker/o" --bytes lots
try "--loss: bad value '101'" "$root/scenarios/retransmit.sh" --out "$marker/o" --loss 101
try "--loss: bad value '-5'" "$root/scenarios/retransmit.sh" --out "$marker/o" --loss -5
try "--outage: bad value '-1s'" "$root/scenarios/retransmit.sh" --out "$marker/o" --outage -1s
try "--outage: bad value '50ms': from 100ms to 10s" "$root/scenarios/retransmit.sh" --out "$marker/o" --outage 50ms
try "--drop: bad value 'syns'" "$root/scenarios/retransmit.sh" --out "$marker/o" --drop syns
try "--ack-drop: bad value '0s': from 1ms to 10s" "$root/scenarios/request_response.sh" --out "$marker/o" --ack-drop 0s

# A knob a lesson does not use is refused, not silently ignored (knobs.sh checks every option
# of every --help the same way).
try "'--rcvbuf': not a knob of this lesson" "$root/scenarios/request_response.sh" --out "$marker/o" --rcvbuf 16K --stall 9s
try "'--stall': not a knob of this lesson" "$root/scenarios/request_response.sh" --out "$marker/o" --stall 9s
try "'--pcap': not a knob of this lesson; this lesson records no capture" "$root/scenarios/backpressure.sh" --out "$marker/o" --pcap "$marker/x.pcap"
try "'--sample': not a knob of this lesson" "$root/scenarios/backpressure.sh" --out "$marker/o" --sample 1ms
try "'--io': not a knob of this lesson" "$root/scenarios/backpressure.sh" --out "$marker/o" --io blocking
exit "$failed"
