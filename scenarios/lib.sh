# shellcheck shell=bash
# lib.sh: what every flowlab scenario does the same way, so that each script reads like its
# lesson: build on first use, parse the knobs a student turns, give the run its own output
# directory, start programs and learn their ports, wait for them under a watchdog, render the
# logs, and on any exit (normal, error, Ctrl-C, watchdog) end every process it started and
# only those.
#
# A scenario sets SCENARIO and defines usage(), then calls, in order:
#   lib_parse_knobs "$@"; lib_begin; lib_start ...; lib_wait_all; lib_render LESSON

FLOWLAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build to use: build/ at the top by default; meson test points this at its own build.
FLOWLAB_BUILD=${FLOWLAB_BUILD:-$FLOWLAB_ROOT/build}

declare -a LIB_PIDS=()      # every background process we started
declare -A LIB_PID_OF=()    # role -> pid
LIB_STARTED_NS=""
LIB_PLAN_MS=0               # how long the timed steps of the plan last

lib_die() {        # one line, exit status 2 for bad input, 1 otherwise
	local status=$1
	shift
	printf '%s: %s\n' "$SCENARIO" "$*" >&2
	exit "$status"
}

# Build (or bring up to date) the programs, quietly; show the compiler's words only on failure.
# FLOWLAB_NO_BUILD=1 (set by meson test, which has built everything) skips it.
lib_build() {
	[ "${FLOWLAB_NO_BUILD:-0}" = 1 ] && return 0
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
	if ! meson compile -C "$FLOWLAB_BUILD" >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		lib_die 1 "meson compile failed"
	fi
	rm -f "$log"
}

lib_bin() {        # path of a built program
	case "$1" in
	flowlab-render) echo "$FLOWLAB_BUILD/scenarios/flowlab-render" ;;
	*) echo "$FLOWLAB_BUILD/$1/$1" ;;
	esac
}

# The --help lines of the flood scenarios' knobs, after each script's own introduction.
lib_flood_knobs_help() {
	cat <<'TEXT'
  --rcvbuf SIZE       the reader's SO_RCVBUF (default 64K, the reference document's figure;
                      Linux doubles it)
  --sndbuf SIZE       the sender's SO_SNDBUF (default 64K, likewise)
  --stall DUR         how long the reader does not read (default 2s)
  --schedule PLAN     the reader's whole plan instead, e.g. "stall 2s, read 1K every 100ms
                      for 3s" (see slow_reader --help)
  --bytes SIZE        how much the sender sends (default 1M)
  --write-size SIZE   bytes per write() call (default 64K)
  --io MODE           blocking (default: write() blocks, as conn.Write() does) or event
                      (non-blocking socket and libevent: write() returns EAGAIN)
  --cc NAME           congestion control of both sockets (default cubic, the usual Linux
                      default; this machine's own default may be bbr, which sizes buffers
                      differently)
  --sample DUR        how often each program probes its socket (default 1ms)
  --all               print a row for every sample, not only where something changes
  --out DIR           keep the logs in DIR (default: a new directory under /tmp)
  -h, --help          this text

Sizes: 65536, 64K, 1M. Durations: 250ms, 2s, 1.5s.
TEXT
}

# The knobs of the flood scenarios, with the lesson's defaults: the document's 64 KB buffers,
# a 2 s stall, and enough bytes to fill both buffers and then some.
RCVBUF=64K SNDBUF=64K STALL=2s BYTES=1M WRITE_SIZE=64K IO=blocking CC=cubic SAMPLE=1ms
OUT="" ALL=0 SCHEDULE=""

lib_parse_knobs() {
	while [ $# -gt 0 ]; do
		case "$1" in
		-h | --help) usage; exit 0 ;;
		--all) ALL=1; shift; continue ;;
		--rcvbuf | --sndbuf | --stall | --bytes | --write-size | --io | --cc | --sample | \
			--out | --schedule) ;;
		*) lib_die 2 "unknown option '$1' (see --help)" ;;
		esac
		[ $# -ge 2 ] || lib_die 2 "$1: missing value (see --help)"
		case "$1" in
		--rcvbuf) RCVBUF=$2 ;;
		--sndbuf) SNDBUF=$2 ;;
		--stall) STALL=$2 ;;
		--bytes) BYTES=$2 ;;
		--write-size) WRITE_SIZE=$2 ;;
		--io) IO=$2 ;;
		--cc) CC=$2 ;;
		--sample) SAMPLE=$2 ;;
		--out) OUT=$2 ;;
		--schedule) SCHEDULE=$2 ;;
		esac
		shift 2
	done
}

lib_cleanup() {
	local status=$? pid
	trap - EXIT INT TERM
	for pid in "${LIB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${LIB_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	exit "$status"
}

# Start the run: its output directory, the clean-up trap and the shared zero of time.
lib_begin() {
	lib_build
	if [ -n "$OUT" ]; then
		mkdir -p "$OUT" || lib_die 2 "--out: cannot create '$OUT'"
	else
		OUT=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-$SCENARIO.XXXXXX")
	fi
	trap lib_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	LIB_STARTED_NS=$("$(lib_bin flowlab-render)" --now)
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

# lib_start ROLE PROGRAM ARGS...: run PROGRAM in the background with its log in
# $OUT/ROLE.jsonl, its stderr in $OUT/ROLE.err, and the shared zero of time.
lib_start() {
	local role=$1 prog=$2
	shift 2
	"$(lib_bin "$prog")" --log "$OUT/$role.jsonl" --t0 "$LIB_STARTED_NS" "$@" \
		>"$OUT/$role.out" 2>"$OUT/$role.err" &
	LIB_PIDS+=("$!")
	LIB_PID_OF[$role]=$!
}

# lib_port ROLE: wait until ROLE has written its port file, and print the port.
lib_port() {
	local role=$1 file="$OUT/$1.port" i
	for ((i = 0; i < 500; i++)); do
		if [ -s "$file" ]; then
			cat "$file"
			return 0
		fi
		if ! kill -0 "${LIB_PID_OF[$role]}" 2>/dev/null; then
			cat "$OUT/$role.err" >&2
			lib_die 1 "$role exited before it was listening"
		fi
		sleep 0.01
	done
	lib_die 1 "$role did not report a port within 5 s"
}

# Wait for every started program to end, at most $1 seconds (the watchdog); fail if any
# program failed, showing what it said.
lib_wait_all() {
	local limit_s=$1 deadline pid role status=0 left
	deadline=$((SECONDS + limit_s))
	while :; do
		left=0
		for pid in "${LIB_PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && left=1
		done
		[ "$left" = 0 ] && break
		if [ "$SECONDS" -ge "$deadline" ]; then
			lib_die 1 "watchdog: still running after ${limit_s} s; stopped (logs in $OUT)"
		fi
		sleep 0.02
	done
	for role in "${!LIB_PID_OF[@]}"; do
		if ! wait "${LIB_PID_OF[$role]}"; then
			cat "$OUT/$role.err" >&2
			status=1
		fi
	done
	LIB_PIDS=()
	[ "$status" = 0 ] || lib_die 1 "a program failed (logs in $OUT)"
}

# Render the logs as LESSON's timeline, with the figures, and say where everything is.
lib_render() {
	local lesson=$1 flags=() ended wall_ms
	[ "$ALL" = 1 ] && flags+=(--all)
	"$(lib_bin flowlab-render)" --lesson "$lesson" "${flags[@]}" --t0 "$LIB_STARTED_NS" \
		--csv "$OUT/timeline.csv" "$OUT"/*.jsonl
	ended=$("$(lib_bin flowlab-render)" --now)
	wall_ms=$(((ended - LIB_STARTED_NS) / 1000000))
	# What the lab itself costs: everything but the plan's own waiting.
	echo "scenario_wall_ms=$wall_ms"
	echo "overhead_ms=$((wall_ms - LIB_PLAN_MS))"
	echo
	echo "Logs: $OUT/*.jsonl (one per program), merged timeline: $OUT/timeline.csv"
}

# The flood pair both core lessons run: a slow_reader with the plan, flooded by a fast_peer.
# Both programs' arguments are checked before either starts.
lib_flood_pair() {
	local reader_args writer_args port checked
	reader_args=(--rcvbuf "$RCVBUF" --cc "$CC" --sample "$SAMPLE")
	if [ -n "$SCHEDULE" ]; then
		reader_args+=(--schedule "$SCHEDULE")
	else
		reader_args+=(--stall "$STALL")
	fi
	writer_args=(--sndbuf "$SNDBUF" --cc "$CC" --sample "$SAMPLE" --bytes "$BYTES"
		--write-size "$WRITE_SIZE" --io "$IO")
	checked=$(lib_check_args slow_reader "${reader_args[@]}")
	LIB_PLAN_MS=${checked#plan_ms=}
	lib_check_args fast_peer --connect 127.0.0.1:1 "${writer_args[@]}" >/dev/null

	lib_start reader slow_reader --port-file "$OUT/reader.port" "${reader_args[@]}"
	port=$(lib_port reader)
	lib_start writer fast_peer --connect "127.0.0.1:$port" "${writer_args[@]}"
	# The watchdog: the plan's own length and a generous 20 s for everything else.
	lib_wait_all $((LIB_PLAN_MS / 1000 + 20))
}
