# shellcheck shell=bash
# lib.sh: what every flowlab scenario does the same way, so that each script reads like its
# lesson: build on first use, parse the knobs it declares, ask the class's guess (--predict),
# run in a private network namespace where the machine allows one, own the run's output
# directory (--out DIR, or the lesson's in ~/.cache/flowlab), start programs and learn their
# ports, capture the wire, wait under a watchdog, render the logs (table, live rows, CSV, SVG, the
# figures in figures.txt), and on any exit (normal, error, Ctrl-C, watchdog) end every process it
# started and only those; after Ctrl-C, tell what the run logged until then.
#
# A scenario sets SCENARIO and defines usage() (its own knobs' lines, then lib_knobs_help),
# then: lib_knobs with every knob it takes; lib_parse_knobs "$@"; checks its programs' arguments
# (lib_check_args for each); lib_begin; starts its programs (lib_start and lib_port);
# lib_wait_all; lib_render LESSON; lib_finish. A scenario that compares runs calls lib_variant
# before each. The two flood lessons share their knobs and their pair in flood.sh.

FLOWLAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build to use: build/ at the top by default; meson test points this at its own build.
FLOWLAB_BUILD=${FLOWLAB_BUILD:-$FLOWLAB_ROOT/build}

# The knobs a scenario takes, option -> value: lib_knobs declares them with their defaults, and
# lib_parse_knobs refuses any other. A script reads only what it declared (set -u says so).
declare -A KNOB=()
# The run's output directory, or the current variant's under it.
OUT=""

declare -a LIB_PIDS=()      # every background process we started
declare -A LIB_PID_OF=()    # role -> pid, for the lesson's programs
declare -A LIB_PROG_OF=()   # role -> its program, to say which failed
LIB_STOP_GRACE_S=2          # how long lib_stop waits after SIGTERM before SIGKILL
# The scenario's stderr, for lib_die inside the loops that wait for programs: those send the
# shell's own stderr to /dev/null, where bash reports a program a signal ended ("line 638: 22987
# Killed ..."), which lib.sh says in its own words instead.
LIB_ERR=""
declare -a LIB_HELPERS=()   # the capture and the live renderer: stopped once the lesson ends
LIB_LIVE_PID=""             # the live renderer, with --live
declare -a LIB_ARGS=()      # the script's own arguments, to run it again in a namespace
LIB_NETNS=0                 # 1 inside our own network namespace
LIB_STARTED_NS=""           # the shared zero of time, CLOCK_MONOTONIC nanoseconds
LIB_PLAN_MS=0               # how long the timed steps of the plan last
declare -a LIB_EXEC_IN=()   # a prefix lib_start runs a program under (link.sh: the far namespace)
LIB_CAPTURE_IFACE=lo        # where the capture listens (link.sh: the near end of its link)
LIB_END_HOOK=""             # a function to call once a run's programs have ended (link.sh's)
declare -a LIB_LOGS_MORE=() # logs of the run not a program's (link.sh's link.jsonl), for --live
# What lib_render tells the user to look for in the capture with tshark: the words, the filter.
LIB_WIRE_HINT=("Zero windows on the wire" tcp.analysis.zero_window)
LIB_OUT_DIR=""              # the directory the run owns: --out DIR, or the lesson's in the cache
LIB_OUT_ROOT=""             # the same, once lib_variant has moved OUT to a variant below it
LIB_OUT_LOCK=""             # a descriptor of LIB_OUT_DIR, open for as long as the run holds its lock
declare -a LIB_PLOTS=()     # a comparison's pictures, drawn together once its last run is over
LIB_VARIANT=""              # the run of a comparison under way (lib_variant), "" in a lesson of one
LIB_RENDER_DUE=0            # 1 from a run's first program to its render: Ctrl-C renders it then
LIB_GUESS=""                # with --predict, the class's answer to the lesson's question, or ""
LIB_PREDICT_RUN=""          # the --figure-prefix of the run whose render grades it ("": the only)
# The file that marks a directory as a flowlab run's, and the variants' subdirectories in it.
LIB_MARKER=flowlab-run
declare -a LIB_VARIANTS=(naive timeout user backpressure plain ackwait outage loss fill rate)

# The knobs lib.sh itself acts on or that several scenarios share, with their defaults; a
# scenario names those it takes in lib_knobs. The flags take no value: given, they are 1.
declare -A LIB_KNOB_DEFAULT=([--cc]=cubic [--sample]=1ms [--all]=0 [--live]=0 [--predict]=0
	[--wide]=0 [--figures]=0 [--mtu]=1500 [--no-netns]=0 [--pcap]="" [--out]="")
declare -A LIB_FLAGS=([--all]=1 [--live]=1 [--predict]=1 [--wide]=1 [--figures]=1 [--no-netns]=1)
# Their --help lines, in this order (LESSON is the scenario's name).
declare -a LIB_KNOB_ORDER=(--live --predict --wide --figures --cc --sample --all --mtu --no-netns
	--pcap --out)
declare -A LIB_KNOB_HELP=(
	[--live]="  --live              print the rows as they happen, for a class to watch (a longer
                      stall gives it more to watch)"
	[--predict]="  --predict           ask the lesson's question before the run and read the class's
                      guess from stdin (an empty line: no guess); the run grades it
                      after the summary"
	[--wide]="  --wide              the full table on a terminal too (piped, it is always full)"
	[--figures]="  --figures           the figures after the summary on a terminal too (piped, they
                      are always there; every run keeps them in OUT/figures.txt)"
	[--cc]="  --cc NAME           congestion control of the sockets (default cubic, the usual
                      Linux default; this machine's own default may be bbr, which sizes
                      buffers differently)"
	[--sample]="  --sample DUR        how often each program probes its socket (default 1ms)"
	[--all]="  --all               print a row for every sample, not only where something changes"
	[--mtu]="  --mtu BYTES         the private loopback's MTU (default 1500, so segments are 1448 bytes
                      as on Ethernet; 65536 is plain loopback's)"
	[--no-netns]="  --no-netns          run on the host's loopback instead of a private network namespace"
	[--pcap]="  --pcap FILE         where to write the capture (default OUT/capture.pcap)"
	[--out]="  --out DIR           keep the logs in DIR, which must be new, empty or an earlier run's
                      (default: ~/.cache/flowlab/LESSON, which the next run replaces;
                      XDG_CACHE_HOME moves ~/.cache)"
)
# Why a knob of lib.sh that a scenario does not take is not there, where there is a reason.
declare -A LIB_WHY_NOT=([--pcap]="this lesson records no capture")

# lib_show VALUE: VALUE as a message quotes it, on one line: 'value', or $'a\nb' with its
# control characters escaped.
lib_show() {
	if [[ "$1" == *[[:cntrl:]]* ]]; then
		printf '%q' "$1"
	else
		printf "'%s'" "$1"
	fi
}

lib_die() {        # one line, exit status 2 for bad input, 1 otherwise
	local status=$1
	shift
	printf '%s: %s\n' "$SCENARIO" "$*" >&"${LIB_ERR:-2}"
	exit "$status"
}

# Build (or bring up to date) the programs, quietly; show the compiler's words only on failure.
# FLOWLAB_NO_BUILD=1 (set by meson test, which has built everything) skips it.
lib_build() {
	[ "${FLOWLAB_NO_BUILD:-0}" = 1 ] && return 0
	FLOWLAB_NO_BUILD=1          # once per run is enough
	local log
	log=$(mktemp "${TMPDIR:-/tmp}/flowlab-build.XXXXXX")
	if [ ! -f "$FLOWLAB_BUILD/build.ninja" ]; then
		echo "$SCENARIO: first run: building flowlab in $FLOWLAB_BUILD (once)" >&2
		if ! meson setup "$FLOWLAB_BUILD" "$FLOWLAB_ROOT" >"$log" 2>&1; then
			cat "$log" >&2
			rm -f "$log"
			lib_die 1 "meson setup failed"
		fi
	fi
	# ninja itself answers "nothing to do" in milliseconds; meson compile takes a fifth of a
	# second to start, on every run of every scenario.
	if ! { if command -v ninja >/dev/null; then ninja -C "$FLOWLAB_BUILD"; else
		meson compile -C "$FLOWLAB_BUILD"; fi; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		lib_die 1 "meson compile failed"
	fi
	rm -f "$log"
}

lib_bin() {        # path of a built program
	case "$1" in
	flowlab-render) echo "$FLOWLAB_BUILD/scenarios/flowlab-render" ;;
	flowlab-capture) echo "$FLOWLAB_BUILD/scenarios/flowlab-capture" ;;
	flowlab-sizes) echo "$FLOWLAB_BUILD/scenarios/flowlab-sizes" ;;
	*) echo "$FLOWLAB_BUILD/$1/$1" ;;
	esac
}

# lib_knobs KNOB...: every knob the scenario takes, and so every one it refuses: --NAME is one of
# lib.sh's (LIB_KNOB_DEFAULT, with its default), --NAME=DEFAULT the scenario's own, with a value.
lib_knobs() {
	local spec
	KNOB=()
	for spec in "$@"; do
		case "$spec" in
		--*=*) KNOB[${spec%%=*}]=${spec#*=} ;;
		*)
			[ -n "${LIB_KNOB_DEFAULT[$spec]+set}" ] ||
				lib_die 1 "lib_knobs: '$spec' is not a knob of lib.sh; give the scenario's own as $spec=DEFAULT"
			KNOB[$spec]=${LIB_KNOB_DEFAULT[$spec]}
			;;
		esac
	done
}

# The --help lines of lib.sh's knobs the scenario takes, after its own, and what they make.
lib_knobs_help() {
	local k capture=""
	for k in "${LIB_KNOB_ORDER[@]}"; do
		[ -n "${KNOB[$k]+set}" ] && printf '%s\n' "${LIB_KNOB_HELP[$k]//LESSON/$SCENARIO}"
	done
	echo "  -h, --help          this text"
	echo
	if [ -n "${KNOB[--no-netns]+set}" ]; then
		echo "Where the machine allows unprivileged namespaces (unshare -rn), the run has its own network:"
		if [ -n "${KNOB[--pcap]+set}" ]; then
			echo "a private loopback, and a capture of the connection (capture.pcap, and the wire column)."
			capture=,
		else
			echo "a private loopback."
		fi
	fi
	echo "Outputs in OUT: one .jsonl log per program, timeline.csv, timeline.svg (with gnuplot),"
	echo "figures.txt (every run's figures, name=value)${capture:+, capture.pcap}."
	echo
	echo "Sizes: 65536, 64K, 1M. Durations: 250ms, 2s, 1.5s."
}

# lib_parse_knobs ARGS...: the script's arguments, into KNOB. Anything the scenario did not
# declare is refused in one line, before anything starts; so is an --out that is not a run's.
lib_parse_knobs() {
	local opt why
	LIB_ARGS=("$@")
	while [ $# -gt 0 ]; do
		opt=$1
		case "$opt" in
		-h | --help) usage; exit 0 ;;
		--?*) ;;
		*) lib_die 2 "$(lib_show "$opt"): not a knob of this lesson (see --help)" ;;
		esac
		if [ -z "${KNOB[$opt]+set}" ]; then
			why=${LIB_WHY_NOT[$opt]:-}
			lib_die 2 "$(lib_show "$opt"): not a knob of this lesson${why:+; $why} (see --help)"
		fi
		if [ -n "${LIB_FLAGS[$opt]+set}" ]; then
			KNOB[$opt]=1
			shift
			continue
		fi
		[ $# -ge 2 ] || lib_die 2 "$opt: missing value (see --help)"
		# A value is one line of text: a control character would split a message, or a
		# path the run hands on.
		if [[ "$2" == *[[:cntrl:]]* ]]; then
			lib_die 2 "$opt: bad value $(lib_show "$2"): no control characters"
		fi
		if [ "$opt" = --out ] && { [ -z "$2" ] || [[ "$2" == -* ]]; }; then
			lib_die 2 "--out: bad value $(lib_show "$2"): a directory${2:+ (a name that starts with '-' looks like an option: ./$2)}"
		fi
		KNOB[$opt]=$2
		shift 2
	done
	# 576 is the least IPv4 must carry; 65536 is loopback's own.
	if [ -n "${KNOB[--mtu]+set}" ]; then
		local mtu=${KNOB[--mtu]}
		if ! [[ "$mtu" =~ ^[0-9]+$ ]] || [ "${#mtu}" -gt 5 ] || [ "$mtu" -lt 576 ] ||
			[ "$mtu" -gt 65536 ]; then
			lib_die 2 "--mtu: bad value '$mtu': a number of bytes from 576 to 65536"
		fi
	fi
	# A --pcap the capture could not write would be found only once the run is under way.
	if [ -n "${KNOB[--pcap]:-}" ]; then
		local pcap=${KNOB[--pcap]} pdir probe
		pdir=$(dirname -- "$pcap")
		if [ -L "$pcap" ] || { [ -e "$pcap" ] && [ ! -f "$pcap" ]; }; then
			lib_die 2 "--pcap: bad value $(lib_show "$pcap"): not a regular file"
		# Tried, not guessed from modes: root passes every -w, not a read-only /proc.
		elif ! probe=$(mktemp -- "$pdir/.flowlab-pcap.XXXXXX" 2>/dev/null) ||
			! rm -f -- "$probe" || { [ -e "$pcap" ] && [ ! -w "$pcap" ]; }; then
			lib_die 2 "--pcap: bad value $(lib_show "$pcap"): cannot be written there"
		fi
	fi
	lib_out_choose
	lib_out_check
}

# The directory the run will own: --out DIR, or else the lesson's own place in the user's cache
# (XDG), which the next run of the lesson replaces, so that the picture is always at one path
# and runs do not pile up.
lib_out_choose() {
	local cache=${XDG_CACHE_HOME:-}
	if [ -n "${KNOB[--out]:-}" ]; then
		LIB_OUT_DIR=${KNOB[--out]}
		return 0
	fi
	# The XDG rule: a relative XDG_CACHE_HOME is ignored.
	[[ "$cache" == /* ]] || cache=${HOME:+$HOME/.cache}
	[ -n "$cache" ] || lib_die 2 "neither XDG_CACHE_HOME nor HOME is set: give --out DIR"
	LIB_OUT_DIR=$cache/flowlab/$SCENARIO
}

# lib_out_is_run_file NAME: NAME is one a flowlab run writes in its directory or a variant's.
lib_out_is_run_file() {
	case "$1" in
	*.jsonl | *.err | *.out | *.port | capture.* | timeline.* | figures.txt) return 0 ;;
	esac
	return 1
}

# lib_out_foreign DIR: what makes DIR not a run's to take, in a few words (status 0); nothing
# (status 1) if DIR does not exist, is empty, or holds the marker and a run's files only.
lib_out_foreign() (
	shopt -s nullglob dotglob
	dir=$1
	# Not followed: a link planted where the run goes would send its files elsewhere.
	[ ! -L "$dir" ] || { echo "is a symbolic link"; exit 0; }
	[ -e "$dir" ] || exit 1
	[ -d "$dir" ] || { echo "is not a directory"; exit 0; }
	# Another user's, or one anyone may write in: they could plant links among the run's files.
	[ -O "$dir" ] || { echo "belongs to another user ($(stat -c %U -- "$dir"))"; exit 0; }
	if [ "$(($(stat -c '0%a' -- "$dir") & 2))" != 0 ]; then
		echo "can be written by any user (mode $(stat -c %a -- "$dir"))"
		exit 0
	fi
	if [ ! -r "$dir" ] || [ ! -x "$dir" ]; then
		echo "cannot be read"
		exit 0
	fi
	entries=("$dir"/*)
	[ "${#entries[@]}" -gt 0 ] || exit 1
	if [ ! -f "$dir/$LIB_MARKER" ] || [ -L "$dir/$LIB_MARKER" ]; then
		echo "holds '${entries[0]##*/}' and is not a flowlab run's directory (no $LIB_MARKER file)"
		exit 0
	fi
	for path in "${entries[@]}"; do
		name=${path##*/}
		if [ -L "$path" ]; then
			echo "holds '$name', a symbolic link"
			exit 0
		fi
		if [[ " ${LIB_VARIANTS[*]} " == *" $name "* ]] && [ -d "$path" ]; then
			for sub in "$path"/*; do
				if [ -L "$sub" ]; then
					echo "holds '$name/${sub##*/}', a symbolic link"
					exit 0
				fi
				if [ -d "$sub" ] && [ ! -L "$sub" ] || ! lib_out_is_run_file "${sub##*/}"; then
					echo "holds '$name/${sub##*/}', which is not a flowlab run's"
					exit 0
				fi
			done
		elif [ -d "$path" ] && [ ! -L "$path" ] ||
			{ [ "$name" != "$LIB_MARKER" ] && ! lib_out_is_run_file "$name"; }; then
			echo "holds '$name', which is not a flowlab run's"
			exit 0
		fi
	done
	exit 1
)

# Refuse, in one line, a directory the run may not take; touch nothing.
lib_out_check() {
	local why
	why=$(lib_out_foreign "$LIB_OUT_DIR") || return 0
	if [ -n "${KNOB[--out]:-}" ]; then
		lib_die 2 "--out: '$LIB_OUT_DIR' $why; give a new or empty directory"
	fi
	lib_die 2 "'$LIB_OUT_DIR' $why; empty it, or give --out DIR"
}

# Take the output directory for this run: create it, lock it (a second run into the same
# directory waits for the first to end), empty it of the last run's files and mark it ours.
lib_out_claim() {
	local dir=$LIB_OUT_DIR
	if ! mkdir -p -- "$dir" 2>/dev/null; then
		[ -n "${KNOB[--out]:-}" ] && lib_die 2 "--out: cannot create '$dir'"
		lib_die 2 "cannot create '$dir': give --out DIR"
	fi
	if command -v flock >/dev/null; then
		exec {LIB_OUT_LOCK}<"$dir"
		if ! flock -n "$LIB_OUT_LOCK"; then
			echo "$SCENARIO: waiting for the run already writing to $dir" >&2
			flock "$LIB_OUT_LOCK"
		fi
	fi
	lib_out_check
	lib_out_clear "$dir"
	{ echo "A flowlab run's output: its next run into this directory replaces it." \
		>"$dir/$LIB_MARKER"; } 2>/dev/null || lib_die 2 "${KNOB[--out]:+--out: }cannot write in '$dir'"
}

# lib_out_clear DIR: remove the last run's files (lib_out_check has found nothing else there).
lib_out_clear() (
	shopt -s nullglob dotglob
	for path in "$1"/*; do
		[ "${path##*/}" = "$LIB_MARKER" ] || rm -rf -- "$path"
	done
)

# lib_stop PID...: end each of our processes and wait for it: SIGTERM, which every program
# answers by logging its end event, and SIGCONT, without which one frozen by SIGSTOP would never
# act on it; one still there LIB_STOP_GRACE_S later gets SIGKILL. So a scenario never outlives
# its watchdog by more than that grace and a moment, whatever its children do.
lib_stop() {
	local pid alive deadline
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null || true
		kill -CONT "$pid" 2>/dev/null || true
	done
	# By the clock, not by a count of naps: a busy machine makes each nap longer.
	deadline=$((${EPOCHREALTIME/./} + LIB_STOP_GRACE_S * 1000000))
	while [ "${EPOCHREALTIME/./}" -lt "$deadline" ]; do
		alive=0
		for pid in "$@"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ "$alive" = 1 ] || break
		sleep 0.02
	done
	for pid in "$@"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		wait "$pid" 2>/dev/null || true
	done
}

lib_cleanup() {
	local status=$?
	trap - EXIT INT TERM
	lib_stop "${LIB_PIDS[@]}"
	exit "$status"
}

# Ctrl-C: stop the run's programs (each logs its end), then the live view (which shows its last
# rows), and tell what the run logged until then: its summary and figures, and its table unless
# the live view showed it; then exit 130. A second Ctrl-C, during that telling, ends it at once.
lib_interrupted() {
	local pid programs=()
	trap 'exit 130' INT
	[ "$LIB_RENDER_DUE" = 1 ] || exit 130
	echo
	echo "flowlab $SCENARIO: interrupted: the run is stopped; what it logged until now follows"
	for pid in "${LIB_PIDS[@]}"; do
		[ "$pid" = "$LIB_LIVE_PID" ] || programs+=("$pid")
	done
	lib_stop "${programs[@]}"
	[ -z "$LIB_END_HOOK" ] || "$LIB_END_HOOK"
	if [ -n "$LIB_LIVE_PID" ]; then
		# It ends by itself once every log has its end event.
		lib_wait_pid "$LIB_LIVE_PID" 2 || true
		lib_stop "$LIB_LIVE_PID"
	fi
	# An unfinished run measured no answer to grade.
	LIB_GUESS=""
	lib_render "$SCENARIO" "${LIB_VARIANT:+${LIB_VARIANT}_}" || true
	[ "${#LIB_PLOTS[@]}" = 0 ] || lib_draw "${LIB_PLOTS[@]}" || true
	exit 130
}

# Run the rest of the scenario in its own user and network namespace (unshare -rn needs no
# root where the kernel allows unprivileged user namespaces): a private loopback with the MTU
# the lesson wants, no other traffic, and the right to capture it. The script runs again inside,
# as the same process (exec), so Ctrl-C and the clean-up work as before. Where namespaces are
# not allowed, say so in one line and go on with the host's loopback, without the capture.
lib_enter_netns() {
	local why mtu=${KNOB[--mtu]:-${LIB_KNOB_DEFAULT[--mtu]}}
	if [ "${FLOWLAB_IN_NETNS:-0}" = 1 ]; then
		# Believed only when it is so: a network namespace other than the one the script
		# was started in, inside a user namespace of its own (not the machine's, whose uid
		# map is the whole range). Set by hand on the host, it would change the host's
		# loopback.
		if [ "$(readlink /proc/self/ns/net)" = "${FLOWLAB_PARENT_NETNS:-}" ] ||
			[ -z "${FLOWLAB_PARENT_NETNS:-}" ] ||
			[ "$(awk '{ print $1, $2, $3 }' /proc/self/uid_map)" = "0 0 4294967295" ]; then
			lib_die 2 "FLOWLAB_IN_NETNS=1, but this is not a network namespace of its own: the host's loopback is left alone (unset FLOWLAB_IN_NETNS)"
		fi
		LIB_NETNS=1
		ip link set lo up mtu "$mtu" || lib_die 1 "ip link set lo up mtu $mtu failed"
		return 0
	fi
	[ "${KNOB[--no-netns]:-0}" = 1 ] && return 0
	if ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
		echo "$SCENARIO: unshare or ip (iproute2) missing: running on the host loopback, without the capture" >&2
		return 0
	fi
	if ! why=$(unshare -rn true 2>&1); then
		echo "$SCENARIO: no private network namespace here (unshare -rn: ${why:-refused}): running on the host loopback, without the capture" >&2
		return 0
	fi
	# The guess, asked for already, goes along: the script inside does not ask again.
	exec env FLOWLAB_IN_NETNS=1 FLOWLAB_PARENT_NETNS="$(readlink /proc/self/ns/net)" \
		FLOWLAB_NO_BUILD=1 FLOWLAB_BUILD="$FLOWLAB_BUILD" \
		FLOWLAB_GUESS="$LIB_GUESS" FLOWLAB_PREDICT_RUN="$LIB_PREDICT_RUN" \
		unshare -rn "$0" "${LIB_ARGS[@]}"
}

# With --predict: before anything runs, print the lesson's question (flowlab-render --question)
# and read the class's guess, one line from stdin; an empty line or the end of input is no
# guess. A guess the renderer would refuse stops the scenario here, in one line, exit status 2.
lib_ask() {
	local line question="" hint="" guess="" msg status=0
	[ "${KNOB[--predict]:-0}" = 1 ] || return 0
	if [ "${FLOWLAB_IN_NETNS:-0}" = 1 ]; then
		LIB_GUESS=${FLOWLAB_GUESS:-} LIB_PREDICT_RUN=${FLOWLAB_PREDICT_RUN:-}
		return 0
	fi
	while IFS= read -r line; do
		case "$line" in
		question=*) question=${line#question=} ;;
		hint=*) hint=${line#hint=} ;;
		run=*) LIB_PREDICT_RUN=${line#run=} ;;
		esac
	done < <("$(lib_bin flowlab-render)" --question --lesson "$SCENARIO")
	[ -n "$question" ] || lib_die 1 "flowlab-render --question --lesson $SCENARIO said no question"
	echo
	fold -s -w 96 <<<"Question: $question" | sed "s/ *$//"
	printf 'Your guess (%s): ' "$hint"
	IFS= read -r guess || true
	# Typed on a terminal, the guess is on the screen already; piped, say it.
	[ -t 0 ] || printf '%s\n' "${guess:-(none)}"
	guess=${guess#"${guess%%[![:space:]]*}"}
	guess=${guess%"${guess##*[![:space:]]}"}
	if [ -z "$guess" ]; then
		echo "No guess: the run goes on without one."
		return 0
	fi
	msg=$("$(lib_bin flowlab-render)" --question --lesson "$SCENARIO" --predict "$guess" 2>&1 \
		>/dev/null) || status=$?
	[ "$status" != 2 ] || lib_die 2 "${msg#flowlab-render: }"
	LIB_GUESS=$guess
}

# Start the run: the build, the namespace, its output directory, the clean-up trap and the
# shared zero of time.
lib_begin() {
	lib_build
	lib_ask
	lib_enter_netns
	lib_out_claim
	OUT=$LIB_OUT_DIR
	exec {LIB_ERR}>&2
	trap lib_cleanup EXIT
	trap lib_interrupted INT
	trap 'exit 143' TERM
	LIB_STARTED_NS=$("$(lib_bin flowlab-render)" --now)
	if [ "$LIB_NETNS" = 1 ]; then
		echo "flowlab $SCENARIO: private network namespace, loopback MTU ${KNOB[--mtu]:-${LIB_KNOB_DEFAULT[--mtu]}}"
	else
		echo "flowlab $SCENARIO: host loopback (no capture)"
	fi
}

# Check a program's arguments without starting it: a bad value stops the scenario before
# anything runs, with the program's own one-line message and exit status 2. Prints what the
# program says of its options (slow_reader: plan_ms=N).
lib_check_args() {
	local prog=$1 msg
	shift
	if ! msg=$("$(lib_bin "$prog")" --check-args "$@" 2>&1); then
		printf '%s: %s\n' "$SCENARIO" "$msg" >&2
		exit 2
	fi
	printf '%s\n' "$msg"
}

# lib_check_duration FLAG VALUE: a scenario's own duration knob, checked by the same parser the
# programs use (slow_reader's --stall), the error naming the scenario's flag.
lib_check_duration() {
	local msg
	if ! msg=$("$(lib_bin slow_reader)" --check-args --stall "$2" 2>&1 >/dev/null); then
		lib_die 2 "$1: bad value '$2': ${msg##*\': }"
	fi
}

# lib_start ROLE PROGRAM ARGS...: run PROGRAM in the background with its log in
# $OUT/ROLE.jsonl, its stderr in $OUT/ROLE.err, and the shared zero of time.
lib_start() {
	local role=$1 prog=$2
	shift 2
	# Its files are new (noclobber: created with O_EXCL, no link followed); a port file is the
	# one this program writes, never one left by an earlier run.
	rm -f -- "$OUT/$role.port" "$OUT/$role.out" "$OUT/$role.err"
	(
		set -o noclobber
		exec ${LIB_EXEC_IN[@]+"${LIB_EXEC_IN[@]}"} "$(lib_bin "$prog")" \
			--log "$OUT/$role.jsonl" --t0 "$LIB_STARTED_NS" "$@" \
			>"$OUT/$role.out" 2>"$OUT/$role.err"
	) &
	LIB_PIDS+=("$!")
	LIB_PID_OF[$role]=$!
	LIB_PROG_OF[$role]=$prog
	LIB_RENDER_DUE=1
}

# lib_frozen PID: ", frozen by SIGSTOP" when PID is stopped (its state in /proc is T).
lib_frozen() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	[ "${stat%% *}" != T ] || printf ', frozen by SIGSTOP'
}

# lib_why_failed ROLE STATUS: which program failed and why, in one line: its first line on stderr,
# or the signal that ended it.
lib_why_failed() {
	local role=$1 status=$2 first=""
	first=$(grep -m 1 . "$OUT/$role.err" 2>/dev/null) || true
	if [ -n "$first" ]; then
		printf '%s (%s) failed: %s' "$role" "${LIB_PROG_OF[$role]:-?}" "$first"
	elif [ "$status" = -1 ]; then
		printf '%s (%s) ended, saying nothing' "$role" "${LIB_PROG_OF[$role]:-?}"
	elif [ "$status" -gt 128 ]; then
		printf '%s (%s) was killed by SIG%s' "$role" "${LIB_PROG_OF[$role]:-?}" \
			"$(kill -l "$((status - 128))" 2>/dev/null || echo "$((status - 128))")"
	else
		printf '%s (%s) failed with status %s, saying nothing' "$role" \
			"${LIB_PROG_OF[$role]:-?}" "$status"
	fi
}

# lib_start_capture PORT [LISTENER CONNECTOR]: record the connection on PORT (namespace only)
# to capture.pcap and capture.jsonl, naming the two programs, and wait until it is running. A capture that cannot start is said in one line;
# the lesson goes on without the wire view.
lib_start_capture() {
	local port=$1 listener=${2:-slow_reader} connector=${3:-fast_peer} pid i
	[ "$LIB_NETNS" = 1 ] || return 0
	if [ ! -x "$(lib_bin flowlab-capture)" ]; then
		echo "$SCENARIO: flowlab-capture was not built (libpcap-dev missing): no wire view" >&2
		return 0
	fi
	rm -f -- "$OUT/capture.err" "$OUT/capture.ready"
	(
		set -o noclobber
		exec "$(lib_bin flowlab-capture)" --port "$port" --iface "$LIB_CAPTURE_IFACE" \
			--pcap "${KNOB[--pcap]:-$OUT/capture.pcap}" --log "$OUT/capture.jsonl" \
			--t0 "$LIB_STARTED_NS" --ready-file "$OUT/capture.ready" \
			--listener "$listener" --connector "$connector" >/dev/null 2>"$OUT/capture.err"
	) &
	pid=$!
	LIB_PIDS+=("$pid")
	for ((i = 0; i < 500; i++)); do
		[ -e "$OUT/capture.ready" ] && break
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$SCENARIO: the capture could not start: $(head -n 1 "$OUT/capture.err"); the socket timelines follow without the wire view" >&2
			rm -f "$OUT/capture.jsonl"
			return 0
		fi
		sleep 0.01
	done
	LIB_HELPERS+=("$pid")
}

# lib_variant NAME TEXT: the next run of a scenario that compares runs (without the remedy, with
# it): its own directory under the output directory (one of LIB_VARIANTS, so that the next run
# knows it for a run's), its own programs.
lib_variant() {
	[[ " ${LIB_VARIANTS[*]} " == *" $1 "* ]] || lib_die 1 "lib_variant: '$1' is not in LIB_VARIANTS"
	[ -n "$LIB_OUT_ROOT" ] || LIB_OUT_ROOT=$OUT
	OUT=$LIB_OUT_ROOT/$1
	mkdir -p "$OUT"
	LIB_VARIANT=$1
	# The last run's processes have all been waited for: their PIDs may be another's by now.
	LIB_PIDS=()
	LIB_PID_OF=()
	LIB_HELPERS=()
	LIB_LIVE_PID=""
	printf '\n=== %s: %s\n\n' "$1" "$2"
}

# lib_wait_role ROLE SECONDS: wait for one program to end; fail as lib_wait_all does.
lib_wait_role() {
	local pid=${LIB_PID_OF[$1]}
	local status=0
	lib_wait_pid "$pid" "$2" ||
		lib_die 1 "watchdog: $1 (${LIB_PROG_OF[$1]:-?}) still running after $2 s; stopped (logs in $OUT)"
	wait "$pid" 2>/dev/null || status=$?
	[ "$status" = 0 ] || lib_die 1 "$(lib_why_failed "$1" "$status") (logs in $OUT)"
	unset "LIB_PID_OF[$1]"
}

# lib_wait_event ROLE KIND [N]: wait (at most 10 s) until ROLE's log has N events of KIND (1).
lib_wait_event() {
	lib_wait_line "$1" "\"kind\":\"$2\"" "${3:-1}" "$2"
}

# lib_wait_line ROLE REGEX N WHAT: wait (at most 10 s, by the clock) until N lines of ROLE's log
# match REGEX (grep -E); else fail, saying ROLE never logged WHAT.
lib_wait_line() {
	local n deadline=$((${EPOCHREALTIME/./} + 10000000))
	{
		while [ "${EPOCHREALTIME/./}" -lt "$deadline" ]; do
			n=$(grep -c -E -- "$2" "$OUT/$1.jsonl") || true
			[ "${n:-0}" -ge "$3" ] && return 0
			kill -0 "${LIB_PID_OF[$1]}" || break
			sleep 0.01
		done
	} 2>/dev/null
	lib_die 1 "$1 never logged $4 (logs in $OUT)"
}

# lib_start_live LESSON [LOG...]: with --live, the rows appear as the events happen, from the
# logs as the programs write them (they need not exist yet): LOG..., or by default the logs of
# the run's programs started so far and of its capture.
lib_start_live() {
	local lesson=$1 role logs=() flags=()
	shift
	[ "${KNOB[--live]:-0}" = 1 ] || return 0
	if [ $# -gt 0 ]; then
		logs=("$@")
	else
		for role in "${!LIB_PID_OF[@]}"; do
			logs+=("$OUT/$role.jsonl")
		done
		[ "${#LIB_HELPERS[@]}" = 0 ] || logs+=("$OUT/capture.jsonl")
		logs+=(${LIB_LOGS_MORE[@]+"${LIB_LOGS_MORE[@]}"})
		# In the order the final render reads them (a glob's).
		mapfile -t logs < <(printf '%s\n' "${logs[@]}" | LC_ALL=C sort)
	fi
	if [ "${KNOB[--wide]:-0}" = 1 ]; then
		flags+=(--wide)
	fi
	"$(lib_bin flowlab-render)" --follow --lesson "$lesson" "${flags[@]}" \
		--t0 "$LIB_STARTED_NS" "${logs[@]}" &
	LIB_PIDS+=("$!")
	LIB_LIVE_PID=$!
}

# lib_port ROLE: wait until ROLE has written its port file, and print the port.
lib_port() {
	local role=$1 file="$OUT/$1.port" i
	{
		for ((i = 0; i < 500; i++)); do
			if [ -s "$file" ]; then
				cat "$file"
				return 0
			fi
			kill -0 "${LIB_PID_OF[$role]}" || break
			sleep 0.01
		done
	} 2>/dev/null
	[ "$i" -lt 500 ] || lib_die 1 "$role did not report a port within 5 s"
	# Run in $(...), a subshell: its exit status is not ours to wait for.
	lib_die 1 "$(lib_why_failed "$role" -1), before it was listening"
}

# Wait for the lesson's programs to end, at most $1 seconds (the watchdog; FLOWLAB_WATCHDOG_S
# sets it instead, for the tests that freeze a program on purpose); fail if any program
# failed, showing what it said. Then stop the capture, which runs until told.
lib_wait_all() {
	local limit_s=${FLOWLAB_WATCHDOG_S:-$1} deadline pid role status=0 left
	local why=""
	deadline=$((SECONDS + limit_s))
	{
		while :; do
			left=0
			for role in "${!LIB_PID_OF[@]}"; do
				kill -0 "${LIB_PID_OF[$role]}" && left=1
			done
			[ "$left" = 0 ] && break
			if [ "$SECONDS" -ge "$deadline" ]; then
				left=""
				for role in "${!LIB_PID_OF[@]}"; do
					kill -0 "${LIB_PID_OF[$role]}" &&
						left+="${left:+, }$role (${LIB_PROG_OF[$role]:-?}$(lib_frozen "${LIB_PID_OF[$role]}"))"
				done
				lib_die 1 "watchdog: $left still running after ${limit_s} s; stopped (logs in $OUT)"
			fi
			sleep 0.02
		done
		# Every program that failed, each with why: the first to fail may have made the
		# others fail.
		for role in "${!LIB_PID_OF[@]}"; do
			status=0
			wait "${LIB_PID_OF[$role]}" || status=$?
			[ "$status" = 0 ] || why+="${why:+; }$(lib_why_failed "$role" "$status")"
		done
	} 2>/dev/null
	[ -z "$LIB_END_HOOK" ] || "$LIB_END_HOOK"
	for pid in "${LIB_HELPERS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ -n "$LIB_LIVE_PID" ]; then
		# The live renderer ends by itself once every log has its end event.
		lib_wait_pid "$LIB_LIVE_PID" 5 || kill -TERM "$LIB_LIVE_PID" 2>/dev/null || true
		wait "$LIB_LIVE_PID" 2>/dev/null || true
	fi
	[ -z "$why" ] || lib_die 1 "$why (logs in $OUT)"
}

# lib_wait_pid PID SECONDS: wait until PID has ended, at most SECONDS; 1 if it has not.
lib_wait_pid() {
	local i
	{
		for ((i = 0; i < $2 * 50; i++)); do
			kill -0 "$1" || return 0
			sleep 0.02
		done
	} 2>/dev/null
	return 1
}

# lib_render LESSON [PREFIX]: render the logs of the run (of the variant, its figures' names
# after PREFIX) as LESSON's timeline, its figures appended to the run's figures.txt, draw the
# SVG, and say where everything is, in a line that fits a screen.
lib_render() {
	local lesson=$1 prefix=${2:-} flags=() logs=() files=timeline.csv dir=$OUT line
	local pcap=${KNOB[--pcap]:-$OUT/capture.pcap} figures=$LIB_OUT_DIR/figures.txt status=0
	LIB_RENDER_DUE=0
	[ "${KNOB[--all]:-0}" = 1 ] && flags+=(--all)
	[ -n "$prefix" ] && flags+=(--figure-prefix "$prefix")
	[ "${KNOB[--wide]:-0}" = 1 ] && flags+=(--wide)
	[ "${KNOB[--figures]:-0}" = 1 ] && flags+=(--figures)
	# The render of the run that answers the question grades the class's guess.
	[ -n "$LIB_GUESS" ] && [ "$prefix" = "$LIB_PREDICT_RUN" ] && flags+=(--predict "$LIB_GUESS")
	# The live renderer has printed the table already: the rest follows it, a line apart.
	if [ -n "$LIB_LIVE_PID" ]; then
		flags+=(--no-table)
		echo
	fi
	mapfile -t logs < <(compgen -G "$OUT/*.jsonl" | LC_ALL=C sort)
	if [ "${#logs[@]}" = 0 ]; then
		echo "$SCENARIO: nothing was logged in $OUT"
		return 0
	fi
	# --figures-file appends: a comparison's runs share the one figures.txt. A run the renderer
	# finds failed (bytes lost) is still drawn and said where it is, then fails the scenario.
	"$(lib_bin flowlab-render)" --lesson "$lesson" "${flags[@]}" --t0 "$LIB_STARTED_NS" \
		--figures-file "$figures" --csv "$OUT/timeline.csv" --plot "$OUT/timeline.gp" \
		"${logs[@]}" || status=$?
	# The runs of a comparison are drawn on one y scale, once the last one is over.
	if [ -n "$LIB_OUT_ROOT" ]; then
		LIB_PLOTS+=("$OUT/timeline.gp")
		if command -v gnuplot >/dev/null; then
			files+=", timeline.svg"
		fi
	elif lib_draw "$OUT/timeline.gp"; then
		files+=", timeline.svg"
	fi
	[ "$pcap" = "$OUT/capture.pcap" ] && [ -s "$pcap" ] && files+=", capture.pcap"
	# On a terminal, ~ for the home directory, as the user would type it.
	if [ -t 1 ] && [ -n "${HOME:-}" ] && [[ "$dir" == "$HOME"/* ]]; then
		dir="~${dir#"$HOME"}"
	fi
	line="Logs: $dir/*.jsonl + $files"
	echo
	# A long --out path on a terminal: the files go below, so that no line wraps.
	if [ -t 1 ] && [ "${#line}" -gt 100 ]; then
		printf 'Logs: %s/*.jsonl\n  + %s\n' "$dir" "$files"
	else
		echo "$line"
	fi
	if [ -s "$pcap" ]; then
		if [ "$pcap" = "$OUT/capture.pcap" ]; then
			pcap=capture.pcap
		else
			echo "Capture: $pcap"
		fi
		echo "${LIB_WIRE_HINT[0]}: tshark -r $pcap -Y ${LIB_WIRE_HINT[1]}"
	fi
	[ "$status" = 0 ] || exit "$status"
}

# lib_draw GP...: draw each gnuplot script into its SVG, all on the axes of the largest of them
# (each script says its own as ymax_data and xmax_data). 1, said in one line, where gnuplot is
# missing or fails.
lib_draw() {
	local gp range status=0
	if ! command -v gnuplot >/dev/null; then
		echo "$SCENARIO: gnuplot is not installed (apt-get install gnuplot-nox): no timeline.svg, the CSV has it all" >&2
		return 1
	fi
	range=$(awk '$1 == "ymax_data" && $3 + 0 > y { y = $3 + 0 }
		$1 == "xmax_data" && $3 + 0 > x { x = $3 + 0 }
		END { printf "ymax=%s; xmax=%s", y + 0, x + 0 }' "$@")
	for gp in "$@"; do
		if ! gnuplot -e "$range" "$gp" 2>"${gp%.gp}.err"; then
			echo "$SCENARIO: gnuplot failed: $(head -n 1 "${gp%.gp}.err")" >&2
			status=1
		fi
		rm -f "${gp%.gp}.err"
	done
	return "$status"
}
# The end of every scenario: what the lab itself cost, everything but the plan's own waiting,
# added to figures.txt; and on stdout, where the figures are (piped, or with --figures): on a
# terminal the screen ends on the story.
lib_finish() {
	local ended wall_ms figures=()
	[ "${#LIB_PLOTS[@]}" = 0 ] || lib_draw "${LIB_PLOTS[@]}" || true
	ended=$("$(lib_bin flowlab-render)" --now)
	wall_ms=$(((ended - LIB_STARTED_NS) / 1000000))
	figures=("scenario_wall_ms=$wall_ms")
	# A scenario of several runs, some cut short by design, has no single plan length.
	[ -z "$LIB_PLAN_MS" ] || figures+=("overhead_ms=$((wall_ms - LIB_PLAN_MS))")
	printf '%s\n' "${figures[@]}" >>"$LIB_OUT_DIR/figures.txt"
	if [ ! -t 1 ] || [ "${KNOB[--figures]:-0}" = 1 ]; then
		echo
		printf '%s\n' "${figures[@]}"
	fi
}
