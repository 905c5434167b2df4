#!/usr/bin/env bash
# record.sh NAME SCENARIO [KNOBS...]: run a scenario for real and keep its logs as the golden run
# tests/golden/NAME (for a scenario of several runs, one directory per run: NAME-VARIANT), trimmed
# so that git can hold them: a sample is kept where one of the numbers the lessons read changed,
# or 50 ms after the last one kept; every other event is kept whole. The renderer's expected
# output is then made by golden.sh --update, and read before it is committed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$1 scenario=$2
shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-record.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/../../scenarios/$scenario.sh" --out "$work/run" "$@" >"$work/output.txt"

# The numbers a sample is kept for: the socket samples' and the server of many's.
trim() {
	awk '
	function num(f,   m) {
		if (match($0, "\"" f "\":-?[0-9]+")) return substr($0, RSTART + length(f) + 3, RLENGTH - length(f) - 3)
		return ""
	}
	/"kind":"(server_)?sample"/ {
		t = num("t_ns")
		key = num("recvq_bytes") "/" num("sendq_bytes") "/" num("notsent_bytes") "/" \
		      num("snd_wnd") "/" num("backoff") "/" num("connections") "/" num("paused")
		if (key == last && t - kept < 50000000) next
		last = key; kept = t
	}
	{ print }' "$1"
}

keep() {       # keep DIR DEST: the logs of one run
	rm -rf "$2"
	mkdir -p "$2"
	for log in "$1"/*.jsonl; do
		trim "$log" >"$2/$(basename "$log")"
	done
}

# buffer_sizes' fill/ and rate/ are parts its render reads through fill.jsonl and
# throughput.jsonl, not runs of their own.
variants=$(find "$work/run" -mindepth 1 -maxdepth 1 -type d ! -name fill ! -name rate | sort)
if [ -z "$variants" ]; then
	keep "$work/run" "$here/$name"
else
	for v in $variants; do
		keep "$v" "$here/$name-$(basename "$v")"
	done
fi
echo "recorded: $(cd "$here" && ls -d "$name"*)"
