#!/usr/bin/env bash
# --predict: the scenario asks the lesson's question, reads the class's guess from stdin, and the
# run grades it after the summary, against the very figure it wrote to figures.txt; in a
# comparison, only the run that answers the question grades it. A guess the renderer would
# refuse stops the scenario before anything runs; no guess (an empty line, the end of input)
# lets it run ungraded.
#   predict.sh SOURCE_ROOT
set -uo pipefail
root=$1
render=$FLOWLAB_BUILD/scenarios/flowlab-render
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-predict.XXXXXX")
trap 'rm -rf "$dir"' EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# human VALUE: the forms the renderer may give a figure's VALUE in its grade (a size in B, KiB,
# MiB; ms whole or in tenths; KiB as a count), one a line.
human() {
	awk -v v="$1" 'function commas(n,   s, out) { s = sprintf("%d", n); out = ""
			while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
			return s out }
		function size(b,   names, i, unit, whole, rem, t) {
			split("B KiB MiB GiB", names, " "); i = 0
			while (i < 3 && b >= 1024 ^ (i + 1)) i++
			unit = 1024 ^ i; whole = int(b / unit); rem = b - whole * unit
			if (rem == 0) return whole " " names[i + 1]
			t = int(rem * 10 / unit); if (rem * 10 - t * unit >= unit - (rem * 10 - t * unit)) t++
			if (t == 10) { whole++; t = 0 }
			return whole "." t " " names[i + 1] }
		BEGIN { if (v ~ /^[0-9]+$/) { print size(v); print commas(v) " ms"; print commas(v) " KiB" }
			print v " ms" }'
}

# graded OUTPUT FIGURES PREFIX WHAT: OUTPUT grades the guess once, and the figure it says it
# measured is the one in FIGURES (the file), named with PREFIX.
graded() {
	local output=$1 figures=$2 prefix=$3 what=$4 line measured name value
	if [ "$(grep -c '^Your prediction$' <<<"$output")" != 1 ]; then
		fail "$what: the output grades the guess $(grep -c '^Your prediction$' <<<"$output") times, not once"
		return
	fi
	# The paragraph, its wrapped lines joined.
	line=$(sed -n '/^Your prediction$/,/^Why: /p' <<<"$output" | tr '\n' ' ')
	measured=$(sed -En 's/.*You guessed .*; the run measured (.*) \(([a-z_]+)\): .*/\1/p' <<<"$line")
	name=$(sed -En 's/.*You guessed .*; the run measured (.*) \(([a-z_]+)\): .*/\2/p' <<<"$line")
	value=$(sed -n "s/^$prefix$name=//p" "$figures" | tail -n 1)
	if [ -z "$name" ] || [ -z "$value" ]; then
		fail "$what: no measured figure in '$line' (or ${prefix}$name is not in $figures)"
	elif human "$value" | grep -qxF -- "$measured"; then
		echo "ok: $what: 'the run measured $measured ($name)' is ${prefix}$name=$value of figures.txt"
	else
		fail "$what: the grade says $measured, figures.txt ${prefix}$name=$value"
	fi
}

# 1. window_zero, one run: a size.
output=$(echo 100K | "$root/scenarios/window_zero.sh" --predict --stall 300ms --out "$dir/wz" 2>&1)
status=$?
[ "$status" = 0 ] || fail "window_zero --predict: status $status"
grep -q '^Question: ' <<<"$output" || fail "window_zero --predict did not ask its question"
grep -q 'You guessed 100 KiB' <<<"$output" || fail "window_zero: the grade does not repeat the guess"
graded "$output" "$dir/wz/figures.txt" "" window_zero
# The grade comes after the summary.
if ! sed -n '/^Summary$/,$p' <<<"$output" | grep -q '^Your prediction$'; then
	fail "window_zero: the grade is not after the summary"
fi

# 2. read_timeout, a comparison: the run the question names grades it, the other does not.
run=$("$render" --question --lesson read_timeout | sed -n 's/^run=//p')
output=$(echo 700ms | "$root/scenarios/read_timeout.sh" --predict --client-stall 1500ms \
	--out "$dir/rt" 2>&1)
status=$?
[ "$status" = 0 ] || fail "read_timeout --predict: status $status"
graded "$output" "$dir/rt/figures.txt" "$run" read_timeout
# The grade is in the part of the output of that run (=== ${run%_}: ...).
part=$(awk -v v="=== ${run%_}:" 'index($0, v) == 1 { on = 1; next } /^=== / { on = 0 } on' <<<"$output")
grep -q '^Your prediction$' <<<"$part" || fail "read_timeout: the grade is not in the ${run%_} run's part"

# 3. A guess the renderer refuses: one line naming --predict and the guess, status 2, before
#    anything runs: no output directory, nothing started.
out=$(echo 2 parsecs | "$root/scenarios/window_zero.sh" --predict --out "$dir/bad" 2>"$dir/err")
status=$?
err=$(cat "$dir/err")
left=$(pgrep -f -- "$dir/bad" || true)
if [ "$status" = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && [[ "$err" == *"--predict"*"2 parsecs"* ]] &&
	[ ! -e "$dir/bad" ] && [ -z "$left" ] && ! grep -q 'flowlab window_zero:' <<<"$out"; then
	echo "ok: a bad guess is refused before the run: $err"
else
	fail "a bad guess: status $status, stderr '$err', dir $(ls -d "$dir/bad" 2>/dev/null), left '$left'"
fi

# 4. No guess: an empty line, or no input at all: the run goes on, ungraded.
for input in empty eof; do
	if [ "$input" = empty ]; then
		output=$(echo | "$root/scenarios/window_zero.sh" --predict --stall 300ms --out "$dir/$input" 2>&1)
	else
		output=$("$root/scenarios/window_zero.sh" --predict --stall 300ms --out "$dir/$input" \
			</dev/null 2>&1)
	fi
	status=$?
	if [ "$status" = 0 ] && grep -q '^Summary$' <<<"$output" &&
		! grep -q '^Your prediction$' <<<"$output"; then
		echo "ok: no guess ($input): the run goes on, ungraded"
	else
		fail "no guess ($input): status $status, or graded, or no summary"
	fi
done
exit "$failed"
