#!/usr/bin/env bash
# buffer_sizes: the reference document's "Default: 64 KB", "Set Custom Size" and "When to
# Change?", measured on this machine.
#
# Four parts, told in one table: a bulk transfer with no size set, where the kernel autotunes
# the reader's buffer; flowlab-sizes asking SO_RCVBUF and SO_SNDBUF of every size and reading
# back what the kernel set, then three handshakes whose window scale depends on when the size
# was set (the capture sees their SYNs); for each receive size, a flood until the window
# closes, measured by the window_zero lesson itself; and for each, a transfer across a shaped
# link, measured by the slow_network lesson itself.
set -euo pipefail
SCENARIO=buffer_sizes
# shellcheck source=scenarios/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scenarios/link.sh
. "$(dirname "${BASH_SOURCE[0]}")/link.sh"

usage() {
	cat <<'TEXT'
usage: buffer_sizes.sh [options]

What the kernel makes of the buffer sizes a program asks for: doubled, floored, clamped; the
buffer nobody sized, autotuned; the window scale, fixed at the handshake; and when a size
changes what a connection can do.

  --sizes LIST        the sizes asked of SO_RCVBUF and SO_SNDBUF, comma-separated
                      (default 1,1K,4K,16K,64K,256K,1M,8M,64M; each 1 to 1G)
  --fill LIST         the receive sizes flooded until the window closes, and sent across
                      the link (default 4K,16K,64K,256K,1M)
  --rate RATE         the link of the last part (default 100mbit; 1mbit to 10gbit)
  --bytes SIZE        what the autotuning transfer sends (default 32M)
TEXT
	lib_knobs_help
	cat <<'TEXT'

The last part needs tc (iproute2) and a private network namespace, as slow_network does.
This kernel has no netem: the link limits the rate but adds no delay, so the lab can show the
"bandwidth" half of the document's bandwidth x delay rule, not the "delay" half.

Try this:
  ./scenarios/buffer_sizes.sh --sizes 100,3000,70000
      odd sizes are doubled too: 3000 asked is 6000 set; 100 asked is the floor
  ./scenarios/buffer_sizes.sh --rate 10gbit --fill 4K,64K
      a link faster than this machine can fill: now the size matters, the 8 KiB buffer
      carrying about half of what 128 KiB carries (1.3 against 2.2 Gbit/s, measured)
  ./scenarios/buffer_sizes.sh --bytes 256M
      a longer transfer: autotuning takes the reader's buffer further toward tcp_rmem's max
TEXT
}

lib_knobs --sizes=1,1K,4K,16K,64K,256K,1M,8M,64M --fill=4K,16K,64K,256K,1M --rate=100mbit \
	--bytes=32M --live --predict --wide --figures --cc --sample --all --mtu --pcap --out
LIB_WHY_NOT[--no-netns]="the link of its last part needs a private network namespace"
lib_parse_knobs "$@"
link_check_rate --rate "${KNOB[--rate]}"
lib_build
lib_check_args flowlab-sizes --sizes "${KNOB[--sizes]}" >/dev/null
if ! msg=$("$(lib_bin flowlab-sizes)" --check-args --sizes "${KNOB[--fill]}" 2>&1); then
	lib_die 2 "--fill${msg#*--sizes}"
fi
IFS=, read -r -a fill <<<"${KNOB[--fill]}"
[ "${#fill[@]}" -le 8 ] || lib_die 2 "--fill: bad value $(lib_show "${KNOB[--fill]}"): at most 8 sizes"
common=(--cc "${KNOB[--cc]}" --sample "${KNOB[--sample]}")
lib_check_args slow_reader "${common[@]}" >/dev/null
lib_check_args fast_peer --connect 127.0.0.1:1 --bytes "${KNOB[--bytes]}" "${common[@]}" >/dev/null
LIB_WIRE_HINT=("Window scales" "tcp.flags.syn==1 -T fields -e tcp.options.wscale.shift")
lib_begin
capture_logs=()
declare -A requested=()     # each --fill size, in bytes, as its flood's reader logged it
[ "$LIB_NETNS" = 1 ] && [ -x "$(lib_bin flowlab-capture)" ] && capture_logs=("$OUT/capture.jsonl")

# derived LOG KIND FIGURES PREFIX REQUESTED FIELD=FIGURE...: one event in LOG, stamped now, for
# the size REQUESTED (bytes), with each FIELD taken from FIGURES (name=value, after PREFIX): what
# another lesson measured, for this one.
derived() {
	local log=$1 kind=$2 from=$3 pre=$4 now fields=",\"requested\":$5" pair v
	shift 5
	for pair in "$@"; do
		v=$(sed -n "s/^${pre}${pair#*=}=//p" "$from" | tail -n 1)
		[[ "$v" =~ ^[0-9]+$ ]] && fields+=",\"${pair%%=*}\":$v"
	done
	now=$("$(lib_bin flowlab-render)" --now)
	printf '{"t_ns":%s,"prog":"flowlab-render","kind":"%s"%s}\n' "$now" "$kind" "$fields" >>"$log"
}

# 1. Default: a bulk transfer, neither side setting a size.
lib_start reader slow_reader --port-file "$OUT/reader.port" --schedule drain "${common[@]}"
port=$(lib_port reader)
lib_start writer fast_peer --connect "127.0.0.1:$port" --bytes "${KNOB[--bytes]}" "${common[@]}"
lib_start_live buffer_sizes "$OUT/reader.jsonl" "$OUT/writer.jsonl" "$OUT/sizes.jsonl" \
	${capture_logs[@]+"${capture_logs[@]}"} "$OUT/fill.jsonl" "$OUT/throughput.jsonl"
lib_wait_role writer 60
lib_wait_role reader 10

# 2. Set: every size asked and read back; the handshakes, their SYNs captured.
(set -o noclobber && : >"$OUT/fill.jsonl" && : >"$OUT/throughput.jsonl")
lib_start sizes flowlab-sizes --sizes "${KNOB[--sizes]}" --port-file "$OUT/sizes.port" \
	--go-file "$OUT/capture.ready"
port=$(lib_port sizes)
lib_start_capture "$port" flowlab-sizes flowlab-sizes
# Without a capture nobody makes its ready file: the handshakes go on unseen.
[ -e "$OUT/capture.ready" ] || : >"$OUT/capture.ready"
lib_wait_role sizes 20

# 3. For each receive size, a flood until the window closes: window_zero's measurement.
OUT=$LIB_OUT_DIR/fill
mkdir -p "$OUT"
for s in "${fill[@]}"; do
	lib_start "reader-$s" slow_reader --port-file "$OUT/reader-$s.port" --rcvbuf "$s" \
		--stall 800ms "${common[@]}"
	port=$(lib_port "reader-$s")
	lib_start "writer-$s" fast_peer --connect "127.0.0.1:$port" --bytes 4M "${common[@]}"
	lib_wait_role "writer-$s" 30
	lib_wait_role "reader-$s" 10
	"$(lib_bin flowlab-render)" --lesson window_zero --figure-prefix "s${s}_" \
		--figures-file "$OUT/figures.txt" --t0 "$LIB_STARTED_NS" \
		"$OUT/reader-$s.jsonl" "$OUT/writer-$s.jsonl" >/dev/null ||
		lib_die 1 "the window_zero render of the $s flood failed (logs in $OUT)"
	requested[$s]=$(sed -n "s/^s${s}_rcvbuf_requested=//p" "$OUT/figures.txt")
	[[ "${requested[$s]}" =~ ^[0-9]+$ ]] ||
		lib_die 1 "the $s flood's reader logged no requested size (logs in $OUT)"
	derived "$LIB_OUT_DIR/fill.jsonl" fill "$OUT/figures.txt" "s${s}_" "${requested[$s]}" \
		rcvbuf_bytes=rcvbuf_actual bytes_at_zero_window=bytes_at_zero_window
done

# 4. For each receive size, a transfer across a shaped link: slow_network's measurement.
OUT=$LIB_OUT_DIR/rate
mkdir -p "$OUT"
link_make
# At least 0.3 s at the link's rate: shorter, tbf's burst would count for more than the rate.
link_bytes=$((LINK_RATE_BPS * 3 / 80))
[ "$link_bytes" -ge 4194304 ] || link_bytes=4194304
for s in "${fill[@]}"; do
	link_start_far "reader-$s" slow_reader --host "$LINK_FAR_ADDR" --allow-remote \
		--port-file "$OUT/reader-$s.port" --rcvbuf "$s" --schedule drain "${common[@]}"
	port=$(lib_port "reader-$s")
	lib_start "writer-$s" fast_peer --connect "$LINK_FAR_ADDR:$port" --allow-remote \
		--bytes "$link_bytes" "${common[@]}"
	lib_wait_role "writer-$s" $((link_bytes * 16 / LINK_RATE_BPS + 30))
	lib_wait_role "reader-$s" 10
	"$(lib_bin flowlab-render)" --lesson slow_network --figure-prefix "s${s}_" \
		--figures-file "$OUT/figures.txt" --t0 "$LIB_STARTED_NS" \
		"$OUT/reader-$s.jsonl" "$OUT/writer-$s.jsonl" "$OUT/link.jsonl" >/dev/null ||
		lib_die 1 "the slow_network render of the $s transfer failed (logs in $OUT)"
	derived "$LIB_OUT_DIR/throughput.jsonl" throughput "$OUT/figures.txt" "s${s}_" \
		"${requested[$s]}" throughput_bps=throughput_bps link_rate_bps=link_rate_bps
done
link_unmake

OUT=$LIB_OUT_DIR
for log in fill throughput; do
	printf '{"t_ns":%s,"prog":"flowlab-render","kind":"end"}\n' \
		"$("$(lib_bin flowlab-render)" --now)" >>"$OUT/$log.jsonl"
done
lib_wait_all 20
lib_render buffer_sizes
LIB_PLAN_MS=""
lib_finish
