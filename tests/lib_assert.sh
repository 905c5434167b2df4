# shellcheck shell=bash
# Assertions on a scenario's name=value figures, for the scenario tests. Each failed assertion
# says what was expected and what the run produced; the test fails at the end if any did.

ASSERT_FAILED=0
FIGURES=""

# figure NAME: the value of NAME in $FIGURES, or empty.
figure() {
	printf '%s\n' "$FIGURES" | sed -n "s/^$1=//p" | tail -n 1
}

# expect_tables_start_at_zero: every table in $OUTPUT (one per run of a comparison) begins
# within 100 ms of 0: each run's clock starts at its own connection, so runs compare by eye.
expect_tables_start_at_zero() {
	local firsts
	firsts=$(printf '%s\n' "$OUTPUT" | awk '/^ +Time  / { head = NR } head && NR == head + 2 { print $1 }')
	if [ -z "$firsts" ]; then
		_fail "no table in the output"
		return
	fi
	for t in $firsts; do
		if awk -v t="$t" 'BEGIN { exit !(t >= -0.1 && t < 0.1) }'; then
			echo "ok: a table begins at $t s"
		else
			_fail "a table begins at $t s, not at its connection's start"
		fi
	done
}

# expect_same_axes SVG...: the pictures of a comparison's runs are drawn on one scale: the same
# tick labels on both axes (gnuplot writes the y axis's right-aligned, the x axis's centred).
expect_same_axes() {
	local first="" ticks svg
	for svg in "$@"; do
		if [ ! -s "$svg" ]; then
			_fail "$svg was not drawn"
			return
		fi
		ticks=$(awk '/text-anchor="(end|middle)"/ { a = $0; sub(/.*text-anchor="/, "", a); sub(/".*/, "", a); want = 1; next }
			want && /<tspan/ { t = $0; sub(/.*<tspan[^>]*>/, "", t); sub(/<.*/, "", t)
				if (t ~ /^ *-?[0-9.]+ *$/) print a ":" t; want = 0 }' "$svg" | sort | tr '\n' ' ')
		if [ -z "$first" ]; then
			first=$ticks
		elif [ "$ticks" != "$first" ]; then
			_fail "the runs' pictures are on different scales: $1 has [$first], $svg [$ticks]"
			return
		fi
	done
	echo "ok: the runs' pictures share their axes ($first)"
}

_fail() {
	echo "FAIL: $*" >&2
	ASSERT_FAILED=1
}

# expect NAME OP VALUE [why]: OP is one of == != >= <= > <; the comparison is numeric
# (awk), so decimals work. A missing figure fails.
expect() {
	local name=$1 op=$2 want=$3 why=${4:-} got
	got=$(figure "$name")
	if [ -z "$got" ]; then
		_fail "$name is missing ($why)"
		return
	fi
	if awk -v a="$got" -v b="$want" -v op="$op" 'BEGIN {
		if (op == "==") exit !(a == b); if (op == "!=") exit !(a != b);
		if (op == ">=") exit !(a >= b); if (op == "<=") exit !(a <= b);
		if (op == ">") exit !(a > b); if (op == "<") exit !(a < b); exit 2 }'; then
		echo "ok: $name=$got $op $want${why:+ ($why)}"
	else
		_fail "$name=$got, expected $op $want${why:+ ($why)}"
	fi
}

finish() {
	if [ "$ASSERT_FAILED" != 0 ]; then
		echo "--- the run's output ---" >&2
		printf '%s\n' "$OUTPUT" >&2
		exit 1
	fi
	exit 0
}
