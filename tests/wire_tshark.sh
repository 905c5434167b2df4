#!/usr/bin/env bash
# The capture of a window_zero run, read by tshark and by the project's own code: both count the
# same zero-window segments. Skips (77), with the reason, where tshark, the namespace or libpcap
# is missing.
#   wire_tshark.sh SOURCE_ROOT
set -uo pipefail
root=$1
command -v tshark >/dev/null || { echo "skip: tshark is not installed (apt-get install tshark)"; exit 77; }
unshare -rn true 2>/dev/null || { echo "skip: no private network namespace (unshare -rn)"; exit 77; }
capture=$FLOWLAB_BUILD/scenarios/flowlab-capture
[ -x "$capture" ] || { echo "skip: flowlab-capture was not built (libpcap-dev missing)"; exit 77; }

out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-tshark.XXXXXX")
trap 'rm -rf "$out"' EXIT
failed=0

# compare RUN: every count of the capture that Wireshark defines too, ours against tshark's, from
# the pcap read back and from the figures the live capture's log gave the report.
compare() {
	local run=$1 ours report name filter want got live
	ours=$("$capture" --read "$run/capture.pcap" --port "$(cat "$run/reader.port")")
	report=$(cat "$run.txt")
	for pair in wire_zero_window_segments:zero_window wire_probes:keep_alive \
		wire_window_updates:window_update wire_retransmissions:retransmission; do
		name=${pair%%:*} filter=tcp.analysis.${pair#*:}
		want=$(tshark -r "$run/capture.pcap" -Y "$filter" 2>/dev/null | wc -l)
		got=$(sed -n "s/^$name=//p" <<<"$ours")
		live=$(sed -n "s/^$name=//p" <<<"$report")
		if [ "$got" = "$want" ] && [ "$live" = "$want" ]; then
			echo "ok: $(basename "$run"): $name $got, tshark's $filter $want"
		else
			echo "FAIL: $(basename "$run"): $name read back $got, logged live ${live:-missing}, tshark's $filter $want"
			failed=1
		fi
	done
}

# The stall, and a trickle whose reads reopen the window a little: Wireshark calls more
# segments window updates than there are reopenings of a zero window.
"$root/scenarios/window_zero.sh" --stall 1s --out "$out/stall" >"$out/stall.txt" 2>&1 || {
	cat "$out/stall.txt" >&2
	exit 1
}
"$root/scenarios/window_zero.sh" --schedule "stall 1s, read 1K every 100ms for 2s" \
	--out "$out/trickle" >"$out/trickle.txt" 2>&1 || {
	cat "$out/trickle.txt" >&2
	exit 1
}
compare "$out/stall"
compare "$out/trickle"
grep -qx 'wire_zero_window_segments=[1-9][0-9]*' "$out/stall.txt" || {
	echo "FAIL: the stall has no zero-window segment at all"
	failed=1
}
exit "$failed"
