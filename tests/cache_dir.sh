#!/usr/bin/env bash
# Without --out, a lesson keeps its latest run in one place, $XDG_CACHE_HOME/flowlab/LESSON, and
# nothing piles up: two runs one after the other leave that one directory, with the second run's
# logs, and nothing in TMPDIR; two runs at the same time both succeed (the second waits for the
# first) and leave one directory holding one whole run.
#   cache_dir.sh SOURCE_ROOT
set -uo pipefail
root=$1
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-cache.XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait; rm -rf "$dir"' EXIT
export XDG_CACHE_HOME=$dir/cache TMPDIR=$dir/tmp
mkdir "$TMPDIR"
lesson=$XDG_CACHE_HOME/flowlab/window_zero
render=$FLOWLAB_BUILD/scenarios/flowlab-render

# the_run: the cache holds one directory, the lesson's, and it holds the logs of one run, which
# the renderer reads as a whole lesson; FIGURES are its figures.
the_run() {
	local entries zeros
	entries=$(cd "$XDG_CACHE_HOME/flowlab" 2>/dev/null && ls -A)
	if [ "$entries" = window_zero ] && [ -d "$lesson" ]; then
		echo "ok: one directory in the cache: $lesson"
	else
		_fail "the cache holds '$(tr '\n' ' ' <<<"$entries")', not the lesson's one directory"
	fi
	zeros=$(cat "$lesson"/*.jsonl | sed -n 's/.*"t0_ns":\([0-9]*\).*/\1/p' | sort -u | wc -l)
	[ "$zeros" = 1 ] || _fail "the lesson's directory holds the logs of $zeros runs"
	FIGURES=$("$render" --lesson window_zero "$lesson"/*.jsonl 2>&1)
	expect zero_window_seen == 1 "the logs in the cache are a whole run"
	expect bytes_lost == 0
}

for stall in 300ms 700ms; do
	if ! OUTPUT=$("$root/scenarios/window_zero.sh" --stall "$stall" 2>&1); then
		_fail "window_zero.sh --stall $stall failed"
		finish
	fi
	grep -qF "Logs: $lesson/*.jsonl" <<<"$OUTPUT" || _fail "the run does not say its logs are in $lesson"
done
the_run
expect stall_planned_ms == 700 "the logs are the second run's"
left=$(ls -A "$TMPDIR")
[ -z "$left" ] || _fail "the runs left in TMPDIR: $left"

# Two at once.
for i in 1 2; do
	"$root/scenarios/window_zero.sh" --stall 1s >"$dir/$i.txt" 2>&1 &
	pids+=("$!")
done
for i in 1 2; do
	wait "${pids[i - 1]}" || _fail "run $i of two at once failed: $(cat "$dir/$i.txt")"
done
pids=()
waited=$(cat "$dir/1.txt" "$dir/2.txt" | grep -c "waiting for the run already writing to $lesson")
if [ "$waited" = 1 ]; then
	echo "ok: one run waited for the other"
else
	_fail "$waited runs waited for the other"
fi
the_run
expect stall_planned_ms == 1000
OUTPUT=$(cat "$dir/1.txt" "$dir/2.txt")
finish
