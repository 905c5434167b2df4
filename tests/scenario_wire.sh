#!/usr/bin/env bash
# window_zero.sh in its own network namespace, seen on the wire: the receiver advertised a zero
# window, the sender probed it with intervals that double, and the window update went out within
# 50 ms of the reader's drain; the wire and the sender's snd_wnd agree on when the window closed.
# Skips (77) where the machine allows no unprivileged namespace or libpcap is missing.
#   scenario_wire.sh SOURCE_ROOT
set -euo pipefail
root=$1
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"

if ! unshare -rn true 2>/dev/null; then
	echo "skip: this machine allows no private network namespace (unshare -rn)"
	exit 77
fi
if [ ! -x "$FLOWLAB_BUILD/scenarios/flowlab-capture" ]; then
	echo "skip: flowlab-capture was not built (libpcap-dev missing)"
	exit 77
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-wire.XXXXXX")
trap 'rm -rf "$out"' EXIT
OUTPUT=$("$root/scenarios/window_zero.sh" --out "$out" 2>&1) || {
	printf '%s\n' "$OUTPUT" >&2
	exit 1
}
FIGURES=$OUTPUT
grep -q '^flowlab window_zero: private network namespace, loopback MTU 1500$' <<<"$OUTPUT" ||
	_fail "the scenario did not run in its own namespace"

expect wire_zero_window_segments '>=' 1 "the receiver advertised window 0 on the wire"
expect wire_probes '>=' 2 "the sender probed the closed window"
expect wire_window_reopens '>=' 1 "a window update reopened it"
expect wire_first_probes '>=' 2 "the sender probed the first closure more than once"
expect wire_first_probes_answered '>=' 1 "the reader answered a probe with its zero window"
expect wire_window_update_after_read_us '>=' 0 "the update follows the drain"
expect wire_window_update_after_read_us '<=' 50000 "within 50 ms of the read that made room"
# The first update often leaves while that read is still copying, which is why it offers only
# part of the buffer: when the figures say so, it left within the read's own duration.
expect wire_first_update_bytes '>' 0 "the first update's window"
if [ "$(figure wire_first_update_during_read)" = 1 ]; then
	expect wire_window_update_after_read_us '<=' "$(figure wire_first_update_read_us)" "it left during that read"
else
	expect wire_first_update_during_read == 0 "the update left after the read"
fi
expect wire_zero_window_vs_snd_wnd_ms '>=' -50 "the wire and snd_wnd agree within 50 ms"
expect wire_zero_window_vs_snd_wnd_ms '<=' 50 "the wire and snd_wnd agree within 50 ms"

# The persist timer doubles: in each closure, each probe's wait (the first since the window
# closed) 1.5 to 2.5 times the one before. Closures are apart by ';'.
intervals=$(figure probe_intervals_ms)
[ -n "$intervals" ] || _fail "probe_intervals_ms is missing"
IFS=';' read -r -a closures <<<"$intervals"
for closure in "${closures[@]}"; do
	IFS=, read -r -a iv <<<"$closure"
	for ((i = 1; i < ${#iv[@]}; i++)); do
		if awk -v a="${iv[i - 1]}" -v b="${iv[i]}" 'BEGIN { exit !(b >= 1.5 * a && b <= 2.5 * a) }'; then
			echo "ok: probe wait ${iv[i]} ms is $(awk -v a="${iv[i - 1]}" -v b="${iv[i]}" 'BEGIN { printf "%.2f", b / a }') x ${iv[i - 1]} ms"
		else
			_fail "probe wait ${iv[i]} ms after ${iv[i - 1]} ms does not double (1.5 to 2.5 x)"
		fi
	done
done
# The first closure's probes are its figures: as many waits as probes.
IFS=, read -r -a first <<<"${closures[0]:-}"
[ "${#first[@]}" = "$(figure wire_first_probes)" ] ||
	_fail "probe_intervals_ms's first closure has ${#first[@]} waits, wire_first_probes is $(figure wire_first_probes)"

# The capture read back by the project's own code counts what the live capture logged.
[ -s "$out/capture.pcap" ] || _fail "no capture.pcap"
read_back=$("$FLOWLAB_BUILD/scenarios/flowlab-capture" --read "$out/capture.pcap" \
	--port "$(cat "$out/reader.port")")
got=$(sed -n 's/^wire_zero_window_segments=//p' <<<"$read_back")
if [ "$got" = "$(figure wire_zero_window_segments)" ]; then
	echo "ok: capture.pcap read back: $got zero-window segments, as logged live"
else
	_fail "capture.pcap read back gives $got zero-window segments, the live log $(figure wire_zero_window_segments)"
fi
if command -v gnuplot >/dev/null; then
	grep -q '<svg' "$out/timeline.svg" 2>/dev/null || _fail "gnuplot is here but timeline.svg is missing"
	echo "ok: timeline.svg drawn"
fi
finish
