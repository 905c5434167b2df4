#!/usr/bin/env bash
# The renderer's arithmetic at the edge of what a log may hold: every real run of tests/golden/
# with each number set to the largest, then the smallest, value a line may carry (a time in ns
# from 0 to 2^60, any other number within 2^40 either way), through every view. In the
# AddressSanitizer/UBSan build a signed overflow anywhere fails the test (halt_on_error); in
# every build, the renderer must neither crash nor refuse a line it accepts as in range (it may
# only fail the run for the loss its made-up totals show).
#   render_extremes.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail
render=$(cd "$1" && pwd)/scenarios/flowlab-render
golden=$(cd "$2" && pwd)/tests/golden
work=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-extremes.XXXXXX")
trap 'rm -rf "$work"' EXIT
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=0 checked=0

for dir in "$golden"/*/; do
	dir=${dir%/}
	[ -f "$dir/args" ] || continue
	name=$(basename "$dir")
	read -r -a args <"$dir/args"
	for edge in max min; do
		rm -rf "$work/logs" && mkdir "$work/logs"
		for log in "$dir"/*.jsonl; do
			EDGE=$edge perl -pe '
				s/"(\w+)":(-?\d+)/"\"$1\":" . ($1 =~ m{_ns$}
					? ($ENV{EDGE} eq "max" ? "1152921504606846976" : 0)
					: ($ENV{EDGE} eq "max" ? "1099511627776" : "-1099511627776"))/ge' \
				"$log" >"$work/logs/${log##*/}"
		done
		for view in "" --all --follow "--width 80 --color always" \
			"--csv $work/t.csv --plot $work/t.gp"; do
			read -r -a extra <<<"$view"
			checked=$((checked + 1))
			"$render" "${args[@]}" "${extra[@]}" "$work"/logs/*.jsonl >/dev/null 2>"$work/err"
			status=$?
			# Made-up totals may disagree: a loss is a failed run, said in one line.
			if [ "$status" = 1 ] && [ "$(wc -l <"$work/err")" = 1 ] &&
				grep -q 'bytes_lost=.*the run failed$' "$work/err"; then
				status=0
			fi
			if [ "$status" != 0 ] || grep -q 'runtime error\|Sanitizer' "$work/err"; then
				echo "FAIL: $name, every number at its $edge, ${view:-the report}: status $status"
				head -n 5 "$work/err"
				failed=1
			fi
		done
	done
	echo "ok: $name at its edges, in every view"
done
[ "$checked" -gt 0 ] || { echo "FAIL: no golden run found under $golden"; failed=1; }
exit "$failed"
