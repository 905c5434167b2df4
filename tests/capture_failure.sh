#!/usr/bin/env bash
# A capture that cannot start (here: an unwritable pcap path) is said in one clear line; the
# scenario still runs and prints the socket timelines and figures.
#   capture_failure.sh SOURCE_ROOT
set -uo pipefail
root=$1
unshare -rn true 2>/dev/null || { echo "skip: no private network namespace (unshare -rn)"; exit 77; }
[ -x "$FLOWLAB_BUILD/scenarios/flowlab-capture" ] ||
	{ echo "skip: flowlab-capture was not built (libpcap-dev missing)"; exit 77; }
out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-capfail.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$root/scenarios/window_zero.sh" --stall 500ms --pcap /nonexistent-dir/x.pcap --out "$out/run" \
	>"$out/stdout" 2>"$out/stderr"
status=$?
err=$(grep -v gnuplot "$out/stderr")
echo "stderr: $err"
failed=0
[ "$status" = 0 ] || { echo "FAIL: exit status $status"; failed=1; }
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || { echo "FAIL: not one line"; failed=1; }
[[ "$err" == *"the capture could not start: flowlab-capture: open(/nonexistent-dir/x.pcap): No such file or directory"* ]] ||
	{ echo "FAIL: the line does not name the call and the path"; failed=1; }
grep -qx 'zero_window_seen=1' "$out/stdout" || { echo "FAIL: no socket timeline figures"; failed=1; }
grep -q '^wire_' "$out/stdout" && { echo "FAIL: wire figures without a capture"; failed=1; }
exit "$failed"
