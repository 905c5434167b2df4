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
"$root/scenarios/window_zero.sh" --stall 1s --out "$out/run" >"$out/output.txt" 2>&1 || {
	cat "$out/output.txt" >&2
	exit 1
}
ours=$("$capture" --read "$out/run/capture.pcap" --port "$(cat "$out/run/reader.port")" |
	sed -n 's/^wire_zero_window_segments=//p')
theirs=$(tshark -r "$out/run/capture.pcap" -Y tcp.analysis.zero_window 2>/dev/null | wc -l)
probes=$(tshark -r "$out/run/capture.pcap" -Y tcp.analysis.keep_alive 2>/dev/null | wc -l)
ours_probes=$("$capture" --read "$out/run/capture.pcap" --port "$(cat "$out/run/reader.port")" |
	sed -n 's/^wire_probes=//p')
echo "zero windows: flowlab-capture $ours, tshark $theirs"
echo "probes: flowlab-capture $ours_probes, tshark's 'TCP Keep-Alive' $probes"
[ "$ours" -ge 1 ] && [ "$ours" = "$theirs" ] && [ "$ours_probes" = "$probes" ]
