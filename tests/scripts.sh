#!/usr/bin/env bash
# The scenarios' shell code keeps its shape: lib.sh holds only what every scenario does (nothing
# of the flood lessons, which flood.sh holds), each file declares its globals at its top, before
# its first function, so a reader finds them in one place; and every script is shellcheck clean
# (where shellcheck is installed).
#   scripts.sh SOURCE_ROOT
set -uo pipefail
root=$1
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# What sourcing lib.sh alone defines: no function or knob of the flood lessons.
# shellcheck disable=SC2016 # expanded by the inner shell
defined=$(bash -c 'SCENARIO=test; . "$1/scenarios/lib.sh"; declare -F; declare -p' _ "$root" 2>&1)
flood=$(grep -E -e '^declare -f .*flood' \
	-e '^declare -[-a-zA-Z]+ (RCVBUF|SNDBUF|STALL|BYTES|WRITE_SIZE|IO|SCHEDULE|FLOOD_[A-Z_]*)=' <<<"$defined")
if [ -n "$flood" ]; then
	fail "lib.sh defines what only the flood lessons use: $(tr '\n' ' ' <<<"$flood")"
else
	echo "ok: lib.sh defines nothing of the flood lessons"
fi
# shellcheck disable=SC2016
defined=$(bash -c 'SCENARIO=test; . "$1/scenarios/lib.sh"; . "$1/scenarios/flood.sh"; declare -F' _ "$root" 2>&1)
for f in flood_knobs flood_knobs_help flood_args flood_pair; do
	grep -qx "declare -f $f" <<<"$defined" || fail "flood.sh does not define $f"
done

# globals FILE PREFIX: every PREFIX* name FILE uses is declared (or set) before its first function.
globals() {
	local file=$1 prefix=$2 top name missing=""
	top=$(awk '/^[a-z_]+\(\) *[({]/ { exit } { print }' "$file")
	while read -r name; do
		grep -Eq "(^|[[:space:]])$name=" <<<"$top" || missing+=" $name"
	done < <(grep -o "\<${prefix}[A-Z_]*" "$file" | sort -u)
	if [ -n "$missing" ]; then
		fail "${file##*/} uses globals it does not declare at its top:$missing"
	else
		echo "ok: ${file##*/} declares its ${prefix}* globals at its top"
	fi
}
globals "$root/scenarios/lib.sh" LIB_
globals "$root/scenarios/flood.sh" FLOOD_

if command -v shellcheck >/dev/null; then
	# From the top, where the scripts' "shellcheck source=" paths start.
	if (cd "$root" && shellcheck scenarios/*.sh tests/*.sh); then
		echo "ok: shellcheck finds nothing"
	else
		fail "shellcheck"
	fi
else
	echo "shellcheck is not installed: not run"
fi
exit "$failed"
