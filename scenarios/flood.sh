# shellcheck shell=bash
# flood.sh: what the two flood lessons, window_zero and blocked_write, share and no other lesson
# does: a fast_peer floods a slow_reader that stalls, then drains; the same knobs, the same pair,
# one lesson told from each side. Sourced after lib.sh.
#
# A flood lesson defines usage() (its introduction, then flood_knobs_help), then: flood_knobs;
# lib_parse_knobs "$@"; flood_args; lib_begin; flood_pair LESSON; lib_render LESSON; lib_finish.

declare -a FLOOD_READER_ARGS=() FLOOD_WRITER_ARGS=()   # the pair's arguments, from the knobs

# The knobs of the flood lessons, with the lesson's defaults: the document's 64 KB buffers,
# a 2 s stall, and enough bytes to fill both buffers and then some; and those of lib.sh.
flood_knobs() {
	lib_knobs --rcvbuf=64K --sndbuf=64K --stall=2s --schedule= --bytes=1M --write-size=64K \
		--io=blocking --live --predict --wide --figures --cc --sample --all --mtu --no-netns \
		--pcap --out
}

# The --help lines of the flood knobs, after each lesson's introduction.
flood_knobs_help() {
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
TEXT
	lib_knobs_help
}

# The arguments of the pair, from the knobs, checked by the programs themselves before anything
# starts: a bad value stops the scenario here, with nothing running and nothing printed but the
# one line.
flood_args() {
	local checked
	lib_build
	FLOOD_READER_ARGS=(--rcvbuf "${KNOB[--rcvbuf]}" --cc "${KNOB[--cc]}"
		--sample "${KNOB[--sample]}")
	if [ -n "${KNOB[--schedule]}" ]; then
		FLOOD_READER_ARGS+=(--schedule "${KNOB[--schedule]}")
	else
		FLOOD_READER_ARGS+=(--stall "${KNOB[--stall]}")
	fi
	FLOOD_WRITER_ARGS=(--sndbuf "${KNOB[--sndbuf]}" --cc "${KNOB[--cc]}"
		--sample "${KNOB[--sample]}" --bytes "${KNOB[--bytes]}"
		--write-size "${KNOB[--write-size]}" --io "${KNOB[--io]}")
	checked=$(lib_check_args slow_reader "${FLOOD_READER_ARGS[@]}")
	LIB_PLAN_MS=${checked#plan_ms=}
	lib_check_args fast_peer --connect 127.0.0.1:1 "${FLOOD_WRITER_ARGS[@]}" >/dev/null
}

# flood_pair LESSON: a slow_reader with the plan, flooded by a fast_peer, with the capture
# between them and, with --live, the rows as they happen; until both end.
flood_pair() {
	local lesson=$1 port
	lib_start reader slow_reader --port-file "$OUT/reader.port" "${FLOOD_READER_ARGS[@]}"
	port=$(lib_port reader)
	lib_start_capture "$port"
	lib_start_live "$lesson" "$OUT/reader.jsonl" "$OUT/writer.jsonl" \
		${LIB_HELPERS[0]:+"$OUT/capture.jsonl"}
	lib_start writer fast_peer --connect "127.0.0.1:$port" "${FLOOD_WRITER_ARGS[@]}"
	# The watchdog: the plan's own length and a generous 20 s for everything else.
	lib_wait_all $((LIB_PLAN_MS / 1000 + 20))
}
