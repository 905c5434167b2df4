#!/usr/bin/env bash
# Each scenario takes exactly the knobs its --help lists. Every option that any scenario's --help
# lists is tried on every scenario: where the help lists it, the scenario takes it (and its value)
# and goes on to print the help; elsewhere it is refused in one line naming it, exit status 2,
# nothing on stdout. An option lists its value (--stall DUR) in every help or in none.
#   knobs.sh SOURCE_ROOT
set -uo pipefail
root=$1
scripts=(window_zero blocked_write buffer_sizes slow_network request_response retransmit read_timeout write_timeout
	backpressure)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-knobs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
declare -A listed=()    # "SCRIPT OPTION" -> 1 where SCRIPT's help lists OPTION
declare -A metavar=()   # OPTION -> its value's name in the help ("" for a flag)

fail() {
	echo "FAIL: $*"
	failed=1
}

for s in "${scripts[@]}"; do
	if ! help=$("$root/scenarios/$s.sh" --help); then
		fail "$s.sh --help"
		continue
	fi
	while read -r opt meta; do
		[ "$opt" = --help ] && continue
		listed["$s $opt"]=1
		if [ -n "${metavar[$opt]+set}" ] && [ "${metavar[$opt]}" != "$meta" ]; then
			fail "$opt is '$opt ${metavar[$opt]}' in one help and '$opt $meta' in $s's"
		fi
		metavar[$opt]=$meta
	done < <(sed -En 's/^  (-h, )?(--[a-z][a-z-]*)( [A-Z]+)?( .*)?$/\2\3/p' <<<"$help")
done
[ "${#metavar[@]}" -ge 10 ] || fail "only ${#metavar[@]} options found in the helps"

for s in "${scripts[@]}"; do
	for opt in "${!metavar[@]}"; do
		args=("$opt")
		[ -n "${metavar[$opt]}" ] && args+=(1)
		out=$("$root/scenarios/$s.sh" "${args[@]}" --help 2>"$tmp/err")
		status=$?
		err=$(cat "$tmp/err")
		if [ -n "${listed["$s $opt"]+set}" ]; then
			if [ "$status" != 0 ] || [[ "$out" != usage:* ]]; then
				fail "$s.sh lists $opt but does not take it: status $status, '$err'"
			fi
		elif [ "$status" != 2 ] || [ -n "$out" ] || [ "$(wc -l <<<"$err")" != 1 ] ||
			[[ "$err" != *"'$opt'"* ]]; then
			fail "$s.sh does not list $opt but does not refuse it: status $status, stderr '$err'"
		else
			echo "ok: $s.sh refuses $opt: $err"
		fi
	done
done
exit "$failed"
