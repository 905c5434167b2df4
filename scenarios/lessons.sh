#!/usr/bin/env bash
# lessons: flowlab's lessons in the order to teach them, and a tour through them for a class.
#
# The lessons declare themselves in the renderer (flowlab-render --list: name, what it shows,
# what to watch for); this script keeps no copy of them. Without arguments it lists them; with
# --tour it runs each one live, after its name and what to watch for, and pauses between them.
set -euo pipefail
SCENARIO=lessons
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

declare -a NAMES=() SHOWS=() WATCH=()   # the lessons, in order, from flowlab-render --list
declare -a TOUR_ARGS=()                 # knobs for every lesson of the tour
TOUR_OUT=""                             # --out DIR of the tour: DIR/LESSON for each lesson

usage() {
	cat <<'TEXT'
usage: lessons.sh [--tour [--out DIR] [KNOB...]]

Without arguments: flowlab's lessons, numbered, in the order to teach them, and how to run one.

  --tour              run every lesson in that order, live (--live): before each, its name and
                      what to watch for; after each, a pause: Enter for the next lesson, q (or
                      the end of input) to stop
  --out DIR           with --tour: keep each lesson's run in DIR/LESSON (default: each
                      lesson's own place in ~/.cache/flowlab)
  KNOB...             with --tour: knobs every lesson takes, given to each of them, e.g.
                      --predict (the class guesses first), --wide, --figures, --no-netns
  -h, --help          this text

A lesson's own knobs, and what to try with them: ./scenarios/LESSON.sh --help
TEXT
}

# The lessons, from the renderer, which declares them.
lessons_load() {
	local name shows watch
	lib_build
	while IFS=$'\t' read -r name shows watch; do
		NAMES+=("$name") SHOWS+=("$shows") WATCH+=("$watch")
	done < <("$(lib_bin flowlab-render)" --list)
	[ "${#NAMES[@]}" -gt 0 ] || lib_die 1 "flowlab-render --list listed no lesson"
}

# wrap PREFIX TEXT: PREFIX, then TEXT's words in lines of at most 100 columns, each line after
# the first indented as far as PREFIX reaches.
wrap() {
	awk -v prefix="$1" -v width=100 '{
		n = split($0, w, " "); line = prefix; room = width - length(prefix); first = 1
		pad = sprintf("%*s", length(prefix), "")
		for (i = 1; i <= n; i++) {
			if (!first && length(line) + 1 + length(w[i]) > width) { print line; line = pad; first = 1 }
			line = line (first ? "" : " ") w[i]; first = 0
		}
		print line
	}' <<<"$2"
}

lessons_list() {
	local i
	echo "flowlab's lessons, in the order to teach them:"
	echo
	for i in "${!NAMES[@]}"; do
		wrap "$(printf '  %-2s %-18s' "$((i + 1))" "${NAMES[i]}")" "${SHOWS[i]}"
	done
	echo
	echo "Run one: ./scenarios/LESSON.sh; --help lists its knobs and what to try with them, --live"
	echo "prints the rows as they happen, --predict asks the class's guess first."
	echo "All of them, live, with a pause after each: ./scenarios/lessons.sh --tour"
}

# The tour's knobs must be ones every lesson takes: each lesson checks them (and stops at
# --help) before the first one runs, so that the tour does not stop halfway on a refused knob.
tour_check() {
	local name msg
	for name in "${NAMES[@]}"; do
		if ! msg=$("$FLOWLAB_ROOT/scenarios/$name.sh" "${TOUR_ARGS[@]}" --help 2>&1 >/dev/null); then
			lib_die 2 "--tour: ${msg:-$name.sh refused the knobs}"
		fi
	done
}

tour() {
	local i n=${#NAMES[@]} status answer predict=0 args
	[[ " ${TOUR_ARGS[*]} " == *" --predict "* ]] && predict=1
	for ((i = 0; i < n; i++)); do
		echo
		wrap "=== Lesson $((i + 1)) of $n: ${NAMES[i]}: " "${SHOWS[i]}"
		wrap "" "${WATCH[i]}"
		echo
		args=(--live "${TOUR_ARGS[@]}")
		[ -z "$TOUR_OUT" ] || args+=(--out "$TOUR_OUT/${NAMES[i]}")
		status=0
		# Only a lesson that asks the class's guess reads the tour's input.
		if [ "$predict" = 1 ]; then
			"$FLOWLAB_ROOT/scenarios/${NAMES[i]}.sh" "${args[@]}" || status=$?
		else
			"$FLOWLAB_ROOT/scenarios/${NAMES[i]}.sh" "${args[@]}" </dev/null || status=$?
		fi
		# 130: Ctrl-C, which the lesson has told already.
		[ "$status" = 130 ] && exit 130
		[ "$status" = 0 ] || lib_die "$status" "${NAMES[i]} failed (status $status): the tour stops"
		if [ $((i + 1)) = "$n" ]; then
			echo
			echo "That was the last lesson."
			return 0
		fi
		echo
		printf 'Enter for the next lesson (%s), q to stop: ' "${NAMES[i + 1]}"
		if ! IFS= read -r answer; then
			echo
			echo "End of input: the tour stops here."
			return 0
		fi
		[ -t 0 ] || echo "$answer"
		case "$answer" in
		q | Q | quit)
			echo "The tour stops here."
			return 0
			;;
		esac
	done
}

if [ $# = 0 ]; then
	lessons_load
	lessons_list
	exit 0
fi
case "$1" in
-h | --help) usage; exit 0 ;;
--tour) shift ;;
*) lib_die 2 "'$1': not an option of lessons.sh (see --help)" ;;
esac
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--out)
		if [ $# -lt 2 ] || [ -z "$2" ]; then
			lib_die 2 "--out: missing value (see --help)"
		fi
		TOUR_OUT=$2
		shift 2
		;;
	--tour) lib_die 2 "'--tour': given twice (see --help)" ;;
	*)
		TOUR_ARGS+=("$1")
		shift
		;;
	esac
done
lessons_load
tour_check
tour
