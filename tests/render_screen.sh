#!/usr/bin/env bash
# What a class sees, on the real logs of every lesson (tests/golden/*/): the narrow table fits its
# width and has the wide table's rows; colour only where asked for; on a terminal (a pty from
# script(1)) the report ends on the story and the figures are in --figures-file, the same as
# piped output prints; --predict grades the guess against the figure the lesson declares, in the
# run that answers it, and a guess that is not one is refused before anything is read.
#   render_screen.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail
render=$(cd "$1" && pwd)/scenarios/flowlab-render
golden=$(cd "$2" && pwd)/tests/golden
work=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-screen.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0 checked=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# The widest line of stdin before its figures, in display columns (the table's bars and rules
# are one column each), colour escapes left out.
widest() {
	sed -e 's/\x1b\[[0-9;]*m//g' -e '/^Figures/,$d' | LC_ALL=C.UTF-8 wc -L
}

# The table's rows: lines that start with a time.
rows() {
	sed -e 's/\x1b\[[0-9;]*m//g' | grep -cE '^ +-?[0-9]+\.[0-9]{3}  '
}

# FILE's name=value lines.
figures_of() {
	sed -n '/^Figures$/,$p' "$1" | sed 1d
}

have_script=0
command -v script >/dev/null && have_script=1

for dir in "$golden"/*/; do
	dir=${dir%/}
	[ -f "$dir/args" ] || continue
	name=$(basename "$dir")
	read -r -a args <"$dir/args"
	lesson=${args[1]}
	prefix=""
	for ((i = 0; i + 1 < ${#args[@]}; i++)); do
		[ "${args[i]}" = --figure-prefix ] && prefix=${args[i + 1]}
	done
	logs=("$dir"/*.jsonl)
	checked=$((checked + 1))

	"$render" "${args[@]}" "${logs[@]}" >"$work/wide.txt" || { fail "$name: render failed"; continue; }
	for width in 100 80; do
		"$render" "${args[@]}" --width "$width" --color always "${logs[@]}" >"$work/narrow.txt" ||
			{ fail "$name: --width $width failed"; continue; }
		w=$(widest <"$work/narrow.txt")
		[ "$w" -le "$width" ] || fail "$name: --width $width printed a line of $w columns"
		[ "$(rows <"$work/narrow.txt")" = "$(rows <"$work/wide.txt")" ] ||
			fail "$name: --width $width has $(rows <"$work/narrow.txt") rows, the wide table $(rows <"$work/wide.txt")"
		# A blocked writer, a zero window, a timeout, backpressure: each has its colour.
		if grep -E '^ +-?[0-9]+\.[0-9]{3}  ' "$work/wide.txt" |
			grep -qE 'BLOCK|window 0|gave up|timeout fire|holds back' &&
			! grep -q $'\x1b\\[' "$work/narrow.txt"; then
			fail "$name: --color always coloured nothing"
		fi
		cmp -s <(figures_of "$work/narrow.txt") <(figures_of "$work/wide.txt") ||
			fail "$name: the narrow table's run has other figures than the wide one's"
	done
	if grep -q $'\x1b' "$work/wide.txt" ||
		NO_COLOR=1 "$render" "${args[@]}" --width 100 "${logs[@]}" | grep -q $'\x1b'; then
		fail "$name: colour where none was asked for (piped, or NO_COLOR)"
	fi
	echo "ok: $name: the narrow table fits 80 and 100 columns, with every row of the wide one"

	# On a terminal: the screen ends on the story; the figures are in their file, as piped.
	if [ "$have_script" = 1 ]; then
		rm -f "$work/figures.txt"
		cmd=$(printf '%q ' "$render" "${args[@]}" --figures-file "$work/figures.txt" "${logs[@]}")
		script -qec "$cmd" /dev/null </dev/null | tr -d '\r' >"$work/tty.txt"
		if grep -qE '^[a-z_]+=' "$work/tty.txt" || ! grep -q "^Figures: $work/figures.txt" "$work/tty.txt"; then
			fail "$name: on a terminal the figures were printed, or their file was not named"
		elif ! cmp -s "$work/figures.txt" <(figures_of "$work/wide.txt"); then
			fail "$name: --figures-file holds other figures than the piped output"
		elif [ "$(widest <"$work/tty.txt")" -gt 100 ]; then
			fail "$name: on a terminal a line is wider than 100 columns"
		else
			echo "ok: $name: on a terminal the report ends on the story, the figures in their file"
		fi
	fi

	# --predict: the lesson's answer, graded where the run is the one that answers it.
	IFS='=' read -r _ answer_run < <("$render" --question --lesson "$lesson" | grep '^run=')
	question=$("$render" --question --lesson "$lesson" | sed -n 's/^question=//p')
	hint=$("$render" --question --lesson "$lesson" | sed -n 's/^hint=//p')
	[ -n "$question" ] || fail "$lesson: no question"
	case "$hint" in
	*size*) guess=100K ;;
	*) guess=2s ;;
	esac
	out=$("$render" "${args[@]}" --predict "$guess" "${logs[@]}") || fail "$name: --predict $guess failed"
	if [ "$answer_run" != "$prefix" ]; then
		grep -q 'You guessed' <<<"$out" && fail "$name: graded a guess in a run that does not answer it"
	else
		line=$(sed -n '/^Your prediction$/,/^$/p' <<<"$out" | tr '\n' ' ')
		figure=$(sed -n 's/.*the run measured .* (\([a-z0-9_]*\)).*/\1/p' <<<"$line")
		value=$(grep "^$prefix$figure=" <<<"$out" | cut -d= -f2)
		if [ -z "$figure" ] || [ -z "$value" ] || ! grep -q 'Why: ' <<<"$line"; then
			fail "$name: --predict printed no grade with a figure and a why: $line"
		else
			echo "ok: $name: --predict $guess graded against $figure ($value)"
		fi
	fi
done

# A guess that is not one: one line naming --predict, status 2, before any log is read.
for bad in "--lesson window_zero --predict 2s" "--lesson blocked_write --predict 64K" \
	"--lesson window_zero --predict lots"; do
	read -r -a a <<<"$bad"
	"$render" "${a[@]}" /nonexistent.jsonl >"$work/out" 2>"$work/err"
	status=$?
	if [ "$status" != 2 ] || [ "$(wc -l <"$work/err")" != 1 ] || ! grep -q -- '--predict' "$work/err" ||
		[ -s "$work/out" ]; then
		fail "$bad: status $status, said: $(cat "$work/err")"
	else
		echo "ok: $bad refused: $(cat "$work/err")"
	fi
done
for bad in "--width 60" "--width 101" "--color sometimes" "--wide --width 80"; do
	read -r -a a <<<"$bad"
	"$render" "${a[@]}" /dev/null >/dev/null 2>"$work/err"
	status=$?
	if [ "$status" != 2 ] || [ "$(wc -l <"$work/err")" != 1 ] || ! grep -q -- "${a[0]}" "$work/err"; then
		fail "$bad: status $status, said: $(cat "$work/err")"
	fi
done

[ "$checked" -gt 0 ] || fail "no golden run found under $golden"
exit "$failed"
