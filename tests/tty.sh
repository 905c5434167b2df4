#!/usr/bin/env bash
# On a terminal: each lesson, run with --live in a tmux pane of 100x30 as a class would see it:
# the live view shows its rows (the final report leaves the table out). Every line
# fits the 100 columns; during a stall the live status line ticks; the figures are not on
# the screen, the line "Figures: OUT/figures.txt" is, and the file has them. With --live the rows
# appear while the run is still going, and the last screen shows the summary. Ctrl-C, sent as a
# terminal sends it (to the foreground process group), ends a run in its stall, and one whose
# client is frozen by SIGSTOP, with status 130, the summary of what happened, and nothing left
# running. Skipped without tmux.
#   tty.sh SOURCE_ROOT
set -uo pipefail
root=$1
command -v tmux >/dev/null || { echo "tmux is not installed: skipped"; exit 77; }
export LC_ALL=C.UTF-8           # a line's length in characters, not bytes
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-tty.XXXXXX")
sock=flowlab-tty-$$             # a private tmux server: parallel tests do not meet
declare -A pane_pid=()          # window name -> the scenario's PID, its process group's too
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

tm() {
	tmux -L "$sock" -f /dev/null "$@"
}

# Whatever is still running in a pane (a failed test) is ended by its process group.
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local name
	for name in "${!pane_pid[@]}"; do
		kill -TERM -- "-${pane_pid[$name]}" 2>/dev/null
		kill -CONT -- "-${pane_pid[$name]}" 2>/dev/null
	done
	tm kill-server 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# pane NAME ARGS...: run ARGS in a window of its own, as the terminal's foreground job, under a
# bash that writes its exit status to NAME.status (tmux's own pane_dead_status is sometimes
# lost). Like an interactive shell, that bash waits out a Ctrl-C its child handles.
pane() {
	local name=$1 cmd
	shift
	cmd=$(printf '%q ' exec bash "$dir/run.sh" "$dir/$name.status" \
		env FLOWLAB_BUILD="$FLOWLAB_BUILD" FLOWLAB_NO_BUILD=1 "$@")
	tm new-window -d -t flowlab -n "$name" "$cmd"
	pane_pid[$name]=$(tm display -p -t "flowlab:$name" '#{pane_pid}')
}
cat >"$dir/run.sh" <<'SH'
"${@:2}"
echo "$?" >"$1"
SH

# status_of NAME: the exit status of the pane's scenario; nothing while it runs.
status_of() {
	cat "$dir/$1.status" 2>/dev/null
}

dead() {
	[ -n "$(status_of "$1")" ]
}

# history NAME: all the pane has shown, wrapped lines joined (a line wider than the pane is one
# line), trailing blanks dropped.
history() {
	tm capture-pane -p -J -S - -t "flowlab:$1" | sed -e 's/[[:space:]]*$//'
}

# wait_for SECONDS CONDITION...: until CONDITION holds; 1 if it never did.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# wide_lines: the lines of stdin wider than 100 columns (in characters: the table's bars and
# rules are several bytes each).
wide_lines() {
	local line
	while IFS= read -r line; do
		[ "${#line}" -le 100 ] || printf '%s\n' "$line"
	done
}

# shellcheck disable=SC2317 # called by wait_for
in_log() {       # in_log FILE KIND: FILE has an event of KIND
	grep -q "\"kind\":\"$2\"" "$1" 2>/dev/null
}

tm new-session -d -s flowlab -x 100 -y 30 -n idle 'exec sleep 600' \; \
	set-option -g remain-on-exit on \; set-option -g history-limit 100000 || {
	echo "tmux could not start a session: skipped"
	exit 77
}

s=$root/scenarios
declare -A runs=(
	[window_zero]="--stall 500ms"
	[blocked_write]="--stall 500ms"
	[buffer_sizes]="--sizes 4K,64K --fill 4K --bytes 8M"
	[slow_network]="--bytes 1M"
	[request_response]="--read-delay 300ms"
	[retransmit]="--bytes 1M --outage 300ms"
	[read_timeout]="--client-stall 1500ms"
	[write_timeout]="--stall 1s --write-timeout 300ms --user-timeout 500ms"
	[backpressure]="--clients 6 --slow 2 --stall 1s --duration 1500ms"
)
for name in "${!runs[@]}"; do
	read -r -a args <<<"${runs[$name]}"
	pane "$name" "$s/$name.sh" --live "${args[@]}" --out "$dir/$name"
done
pane live "$s/window_zero.sh" --live --stall 3s --out "$dir/live"
pane intr "$s/window_zero.sh" --live --stall 30s --out "$dir/intr"
pane frozen "$s/write_timeout.sh" --stall 300ms --write-timeout 200ms --user-timeout 60s \
	--out "$dir/frozen"

# --live: a row of the table on the screen while the scenario still runs (alive after the
# capture, so alive during it), and the summary not yet.
row='^ +-?[0-9]+\.[0-9]{3}  '
# shellcheck disable=SC2317 # called by wait_for
live_row() {
	local screen
	screen=$(history live)
	grep -Eq "$row" <<<"$screen" && ! dead live && ! grep -q '^Summary$' <<<"$screen"
}
if wait_for 20 live_row; then
	echo "ok: --live: rows on the screen while the run goes on"
else
	fail "--live: no row on the screen before the run ended"
fi

# During the stall the status line ticks: its clock ("live 1.234 s") moves between two looks at
# the screen's last line, 300 ms apart, while no row comes.
# shellcheck disable=SC2317 # called by wait_for
status_line() {
	tm capture-pane -p -t flowlab:live | grep -E '^  live [0-9]+\.[0-9]{3} s · .*window 0' | tail -n 1
}
# shellcheck disable=SC2317 # called by wait_for
status_shown() {
	[ -n "$(status_line)" ]
}
if wait_for 20 status_shown; then
	first=$(status_line)
	sleep 0.3
	second=$(status_line)
	if [ -n "$second" ] && [ "$first" != "$second" ]; then
		echo "ok: --live: the status line moves in the stall ($first | $second)"
	else
		fail "--live: the status line did not move: '$first' then '$second'"
	fi
else
	fail "--live: no status line with the zero window during the stall"
fi

# Ctrl-C in the stall, as a terminal sends it.
if wait_for 20 in_log "$dir/intr/reader.jsonl" stall_begin &&
	wait_for 20 in_log "$dir/intr/writer.jsonl" write_blocked; then
	tm send-keys -t flowlab:intr C-c
else
	fail "Ctrl-C: the run never reached its stall"
fi
# Ctrl-C while the client is frozen by SIGSTOP, in write_timeout's third run: a process that
# cannot act on SIGTERM until it is thawed.
# shellcheck disable=SC2317 # called by wait_for
frozen_client() {
	local pid
	pid=$(sed -n 's/.*"kind":"start".*"pid":\([0-9]*\).*/\1/p' "$dir/frozen/user/client.jsonl" 2>/dev/null)
	[ -n "$pid" ] && [[ "$(ps -o stat= -p "$pid")" == T* ]]
}
if wait_for 30 frozen_client; then
	tm send-keys -t flowlab:frozen C-c
else
	fail "Ctrl-C: write_timeout never reached its frozen client"
fi

# shellcheck disable=SC2317 # called by wait_for
all_dead() {
	local name
	for name in "${!pane_pid[@]}"; do
		dead "$name" || return 1
	done
}
wait_for 90 all_dead || fail "still running after 90 s: $(for n in "${!pane_pid[@]}"; do dead "$n" || printf '%s ' "$n"; done)"

# Every lesson on a terminal: status 0, lines that fit, the figures in their file only.
for name in "${!runs[@]}" live; do
	out=$(history "$name")
	status=$(status_of "$name")
	if [ "$status" != 0 ]; then
		fail "$name: status $status"
		printf '%s\n' "$out"
		continue
	fi
	wide=$(wide_lines <<<"$out" | grep -c .)
	if [ "$wide" = 0 ]; then
		echo "ok: $name: every line fits 100 columns"
	else
		fail "$name: $wide lines are wider than 100 columns: $(wide_lines <<<"$out" | head -n 1)"
	fi
	shown=$(grep -Ec '^[a-z][a-z0-9_]*=' <<<"$out")
	[ "$shown" = 0 ] || fail "$name: $shown figures on the screen: $(grep -E -m1 '^[a-z][a-z0-9_]*=' <<<"$out")"
	figures=$dir/$name/figures.txt
	if ! grep -q "^Figures: $figures (" <<<"$out"; then
		fail "$name: no 'Figures: $figures' line on the screen"
	elif [ "$(grep -Ec '^[a-z][a-z0-9_]*=' "$figures")" -lt 5 ] ||
		! grep -q '^scenario_wall_ms=' "$figures"; then
		fail "$name: $figures lacks the figures: $(head -n 3 "$figures" | tr '\n' ' ')"
	else
		echo "ok: $name: the figures are in $figures ($(wc -l <"$figures")), not on the screen"
	fi
	grep -q '^Summary$' <<<"$out" || fail "$name: no summary"
	# With --live the final report leaves the table out: its rows are the live view's.
	if [ "$(grep -Ec "$row" <<<"$out")" -gt 2 ]; then
		echo "ok: $name: --live showed $(grep -Ec "$row" <<<"$out") rows"
	else
		fail "$name: --live showed no rows"
	fi
done

# The live run's last screen is its story's end: the summary is on it.
if tm capture-pane -p -t flowlab:live | grep -q '^Summary$'; then
	echo "ok: --live: the last screen shows the summary"
else
	fail "--live: the summary is not on the last screen"
	tm capture-pane -p -t flowlab:live
fi

# Ctrl-C: 130, what happened until then, nothing of the run left (the pane's bash, which wrote
# the status, is given a moment to end).
# shellcheck disable=SC2317 # called by wait_for
nothing_left() {
	! pgrep -f -- "$dir/$1" >/dev/null
}
for name in intr frozen; do
	out=$(history "$name")
	status=$(status_of "$name")
	wait_for 10 nothing_left "$name"
	left=$(pgrep -a -f -- "$dir/$name" || true)
	# The summary told after the interruption, of the run it interrupted.
	told=$(sed -n '/: interrupted: /,$p' <<<"$out")
	if [ "$status" = 130 ] && grep -q '^Summary$' <<<"$told" && [ -z "$left" ]; then
		echo "ok: Ctrl-C ($name): status 130, a summary, nothing left running"
	else
		fail "Ctrl-C ($name): status $status, still running: '$left'"
		printf '%s\n' "$out" | tail -n 40
	fi
done
exit "$failed"
