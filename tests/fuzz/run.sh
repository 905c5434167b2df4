#!/usr/bin/env bash
# Fuzz the four targets of tests/fuzz/ with libFuzzer under AddressSanitizer and UBSan, SECONDS
# in all (a quarter each), in a build of their own (clang, meson -Dfuzz=true). Each starts from
# its corpus in tests/fuzz/corpus/ and grows a copy of it under the build directory, never the
# one in the source tree. A crash fails the run and is kept, with its report, to be fixed and
# then added to the corpus (cp CRASH tests/fuzz/corpus/NAME/crash-WHAT), where every build's
# meson test replays it.
#   tests/fuzz/run.sh SECONDS     e.g. 60 in CI, 1200 or more before a release
# Needs clang with its libFuzzer and sanitizer runtimes (Debian: apt-get install clang).
# FLOWLAB_FUZZ_BUILD names the build directory (default: build-fuzz in the source root).
set -euo pipefail

usage() {
	sed -n '2,/^set /p' "$0" | sed -e '/^set /d' -e 's/^# \{0,1\}//'
}

targets=(units schedule wire log)
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
	usage
	exit 0
fi
if [ $# != 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt "${#targets[@]}" ] ||
	[ "$1" -gt 86400 ]; then
	echo "run.sh: SECONDS: bad value '${1:-}': a whole number of seconds from ${#targets[@]} to 86400 (see --help)" >&2
	exit 2
fi
each=$(($1 / ${#targets[@]}))
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FLOWLAB_FUZZ_BUILD:-$root/build-fuzz}
work=$build/fuzz-run

if ! command -v clang >/dev/null; then
	echo "run.sh: clang not found: the fuzz targets need clang's libFuzzer (Debian: apt-get install clang)" >&2
	exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	echo "run.sh: setting up $build (clang, -Dfuzz=true, ASan and UBSan)"
	CC=clang meson setup "$build" "$root" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false >/dev/null
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz_}" >/dev/null

# UBSan's findings are crashes too, and each report says where.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
status=0
for t in "${targets[@]}"; do
	mkdir -p "$work/corpus/$t" "$work/crashes"
	log=$work/$t.log
	echo "run.sh: fuzz_$t for ${each}s"
	# The grown corpus first (new inputs go there), the source tree's second (read only).
	if "$build/tests/fuzz/fuzz_$t" -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/crashes/$t-" \
		"$work/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "run.sh: fuzz_$t: ${runs:-?} runs, no crash"
	else
		status=1
		echo "run.sh: fuzz_$t: FAILED; its report ($log):"
		grep -m 1 -A 30 -E '^==[0-9]+==ERROR|runtime error|FUZZ_CHECK|^==[0-9]+== ERROR' "$log" ||
			tail -n 30 "$log"
		for f in "$work/crashes/$t-"*; do
			[ -e "$f" ] && echo "run.sh: the input: $f"
		done
	fi
done
exit "$status"
