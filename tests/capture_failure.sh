#!/usr/bin/env bash
# A capture that cannot start is said in one clear line, and the scenario still runs and prints
# the socket timelines and figures, without wire figures. Here the capture is a stand-in that
# fails as a real one would (pcap_activate refused), in a build of symbolic links to the real
# programs. And a --pcap path that cannot be written is refused before anything runs.
#   capture_failure.sh SOURCE_ROOT
set -uo pipefail
root=$1
unshare -rn true 2>/dev/null || { echo "skip: no private network namespace (unshare -rn)"; exit 77; }
out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-capfail.XXXXXX")
trap 'rm -rf "$out"' EXIT
failed=0

# A build whose flowlab-capture fails at start.
fake=$out/build
mkdir -p "$fake/scenarios" "$fake/slow_reader" "$fake/fast_peer"
ln -s "$FLOWLAB_BUILD/slow_reader/slow_reader" "$fake/slow_reader/slow_reader"
ln -s "$FLOWLAB_BUILD/fast_peer/fast_peer" "$fake/fast_peer/fast_peer"
ln -s "$FLOWLAB_BUILD/scenarios/flowlab-render" "$fake/scenarios/flowlab-render"
printf '%s\n' '#!/bin/sh' \
	'echo "flowlab-capture: pcap_activate(lo): You don'"'"'t have permission to capture on that device" >&2' \
	'exit 1' >"$fake/scenarios/flowlab-capture"
chmod +x "$fake/scenarios/flowlab-capture"
FLOWLAB_BUILD=$fake FLOWLAB_NO_BUILD=1 "$root/scenarios/window_zero.sh" --stall 500ms --out "$out/run" \
	>"$out/stdout" 2>"$out/stderr"
status=$?
err=$(grep -v gnuplot "$out/stderr")
echo "stderr: $err"
[ "$status" = 0 ] || { echo "FAIL: exit status $status"; failed=1; }
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || { echo "FAIL: not one line"; failed=1; }
[[ "$err" == *"the capture could not start: flowlab-capture: pcap_activate(lo): "* ]] ||
	{ echo "FAIL: the line does not say what the capture said"; failed=1; }
grep -qx 'zero_window_seen=1' "$out/stdout" || { echo "FAIL: no socket timeline figures"; failed=1; }
grep -q '^wire_' "$out/stdout" && { echo "FAIL: wire figures without a capture"; failed=1; }

# A --pcap the run could not write: refused up front, in one line naming it, nothing run.
for pcap in /nonexistent-dir/x.pcap "$out" /proc/x.pcap; do
	"$root/scenarios/window_zero.sh" --stall 500ms --pcap "$pcap" --out "$out/refused" \
		>"$out/stdout" 2>"$out/stderr"
	status=$?
	if [ "$status" = 2 ] && [ "$(wc -l <"$out/stderr")" = 1 ] &&
		grep -q -- "--pcap: bad value '$pcap'" "$out/stderr" && [ ! -e "$out/refused" ]; then
		echo "ok: --pcap $pcap refused: $(cat "$out/stderr")"
	else
		echo "FAIL: --pcap $pcap: status $status: $(cat "$out/stderr")"
		failed=1
	fi
done
exit "$failed"
