#!/usr/bin/env bash
# lessons.sh: its list is every lesson the renderer declares, in the renderer's order; its tour
# runs them in that order, each one told (its summary) before the pause, and stops at q or at the
# end of input with status 0; a bad option, or a knob that not every lesson takes, is refused in
# one line with status 2 before any lesson runs.
#   lessons_menu.sh SOURCE_ROOT
set -uo pipefail
root=$1
lessons=$root/scenarios/lessons.sh
render=$FLOWLAB_BUILD/scenarios/flowlab-render
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-lessons.XXXXXX")
trap 'rm -rf "$dir"' EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

mapfile -t declared < <("$render" --list | cut -f1)
[ "${#declared[@]}" -ge 6 ] || fail "flowlab-render --list lists ${#declared[@]} lessons"

# 1. The list: "  N  NAME  what it shows", numbered from 1, in the renderer's order.
if ! list=$("$lessons" 2>&1); then
	fail "lessons.sh without arguments failed: $list"
fi
mapfile -t listed < <(sed -En 's/^ +([0-9]+) +([a-z_]+) .*/\1 \2/p' <<<"$list")
numbered=()
for i in "${!declared[@]}"; do
	numbered+=("$((i + 1)) ${declared[i]}")
done
if [ "${listed[*]}" = "${numbered[*]}" ]; then
	echo "ok: the list is the renderer's lessons, in order: ${declared[*]}"
else
	fail "the list is '${listed[*]}', the renderer's '${numbered[*]}'"
fi
grep -q 'lessons.sh --tour' <<<"$list" || fail "the list does not say how to take the tour"
long=$(awk 'length($0) > 100' <<<"$list")
[ -z "$long" ] || fail "the list has lines wider than 100 columns: $long"

# lesson_order OUTPUT: the lessons the tour announced, and after each announcement whether that
# lesson's summary came before the next announcement: "NAME:told" or "NAME:untold".
lesson_order() {
	awk '/^=== Lesson [0-9]+ of [0-9]+: / { if (name != "") print name ":" (told ? "told" : "untold")
			name = $6; sub(/:$/, "", name); told = 0 }
		/^Summary$/ { told = 1 }
		END { if (name != "") print name ":" (told ? "told" : "untold") }' <<<"$1"
}

# 2. The tour, Enter then Enter then q: the first three lessons, each told, and it stops with 0.
printf '\n\nq\n' | "$lessons" --tour --out "$dir/tour" >"$dir/tour.txt" 2>&1
status=$?
got=$(lesson_order "$(cat "$dir/tour.txt")" | tr '\n' ' ')
want="${declared[0]}:told ${declared[1]}:told ${declared[2]}:told "
if [ "$status" = 0 ] && [ "$got" = "$want" ]; then
	echo "ok: Enter, Enter, q: the tour told $got and stopped with status 0"
else
	fail "Enter, Enter, q: status $status, lessons '$got', expected '$want'"
	cat "$dir/tour.txt"
fi
pauses=$(grep -c 'Enter for the next lesson' "$dir/tour.txt")
[ "$pauses" = 3 ] || fail "the tour paused $pauses times after three lessons"
grep -q 'The tour stops here' "$dir/tour.txt" || fail "the tour did not say it stops at q"
# Each lesson ran live (its table came from the live renderer) into its own directory.
for i in 0 1 2; do
	[ -s "$dir/tour/${declared[i]}/figures.txt" ] ||
		fail "${declared[i]} left no figures.txt in $dir/tour/${declared[i]}"
done
[ ! -e "$dir/tour/${declared[3]}" ] || fail "${declared[3]} ran after q"

# 3. The end of input stops it too, after the first lesson.
"$lessons" --tour --out "$dir/eof" </dev/null >"$dir/eof.txt" 2>&1
status=$?
got=$(lesson_order "$(cat "$dir/eof.txt")" | tr '\n' ' ')
if [ "$status" = 0 ] && [ "$got" = "${declared[0]}:told " ]; then
	echo "ok: at the end of input the tour stops after ${declared[0]}, status 0"
else
	fail "end of input: status $status, lessons '$got'"
fi

# 4. Refused, one line, status 2, nothing run: a bad option; a knob one of the lessons does not take.
for args in "--bogus" "--tour --bogus" "--tour --read-delay 1s" "--tour --out"; do
	read -r -a argv <<<"$args"
	out=$("$lessons" "${argv[@]}" 2>"$dir/err")
	status=$?
	err=$(cat "$dir/err")
	flag=${argv[${#argv[@]} - 1]}
	[ "$flag" = 1s ] && flag=--read-delay
	if [ "$status" = 2 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" = 1 ] && [[ "$err" == *"$flag"* ]]; then
		echo "ok: lessons.sh $args -> $err"
	else
		fail "lessons.sh $args: status $status, stdout '$out', stderr '$err'"
	fi
done
exit "$failed"
