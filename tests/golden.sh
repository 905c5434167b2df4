#!/usr/bin/env bash
# The renderer's output, pinned: every directory under tests/golden/ holds the trimmed logs of a
# real run (record.sh made them) and, beside them, what flowlab-render printed for them. Each view
# is rendered again and diffed: the report (args), --all, --follow on the finished logs, and the
# --plot script.
#   golden.sh BUILD_ROOT SOURCE_ROOT [--update]
# --update writes the expected files anew from this build, for a change that means to change
# them: read `git diff tests/golden` before committing it.
set -uo pipefail
render=$(cd "$1" && pwd)/scenarios/flowlab-render
golden=$(cd "$2" && pwd)/tests/golden
update=${3:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0 checked=0

# view NAME FILE ARGS...: render DIR's logs with ARGS into FILE.
view() {
	local dir=$1 out=$2
	shift 2
	(cd "$work" && "$render" "$@" "$dir"/*.jsonl) >"$out" 2>&1
}

for dir in "$golden"/*/; do
	dir=${dir%/}
	[ -f "$dir/args" ] || continue
	name=$(basename "$dir")
	read -r -a args <"$dir/args"
	view "$dir" "$work/report.txt" "${args[@]}"
	view "$dir" "$work/all.txt" "${args[@]}" --all
	view "$dir" "$work/follow.txt" --follow "${args[@]}"
	view "$dir" "$work/plot.out" "${args[@]}" --no-table --plot "$work/timeline.gp"
	# The script names its SVG by absolute path: the temporary directory is not the point.
	sed "s|$work/|OUT/|g" "$work/timeline.gp" >"$work/plot.gp" 2>/dev/null
	for v in report.txt all.txt follow.txt plot.gp; do
		want=$dir/expected-$v
		if [ "$update" = --update ]; then
			cp "$work/$v" "$want"
			continue
		fi
		checked=$((checked + 1))
		if diff -u "$want" "$work/$v" >"$work/diff"; then
			echo "ok: $name $v"
		else
			echo "FAIL: $name $v differs from what was pinned:"
			head -n 60 "$work/diff"
			failed=1
		fi
	done
done
if [ "$update" != --update ] && [ "$checked" = 0 ]; then
	echo "FAIL: no golden run found under $golden"
	exit 1
fi
exit "$failed"
