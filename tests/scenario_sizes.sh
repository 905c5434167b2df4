#!/usr/bin/env bash
# buffer_sizes, asserted from a real run: the doubling, the floor, the clamp at twice
# net.core.rmem_max, SO_RCVBUFFORCE refused inside the lesson's namespace, autotuning growing
# the reader's buffer more than 4 times, the window scale fixed at the SYN (the capture agreeing
# with TCP_INFO), the bytes that fit before window 0 growing with the buffer, and every size
# filling a link that adds no delay.
#   scenario_sizes.sh SOURCE_ROOT
set -euo pipefail
root=$1
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"
PATH=$PATH:/usr/sbin:/sbin

if ! unshare -rn true 2>/dev/null; then
	echo "skip: no unprivileged network namespace here"
	exit 77
fi
command -v tc >/dev/null || { echo "skip: tc is not installed"; exit 77; }

out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-sizes.XXXXXX")
trap 'rm -rf "$out"' EXIT
OUTPUT=$("$root/scenarios/buffer_sizes.sh" --out "$out" --sizes 1,4K,64K,64M --fill 4K,64K 2>&1) || {
	echo "buffer_sizes.sh failed:" >&2
	printf '%s\n' "$OUTPUT" >&2
	exit 1
}
FIGURES=$OUTPUT

# Set: doubled, floored, clamped.
expect rcvbuf_set_4096 == 8192 "4K asked is 8K set: doubled"
expect rcvbuf_set_65536 == 131072 "64K asked is 128K set"
expect sndbuf_set_65536 == 131072
expect rcvbuf_set_1 '>' 2 "1 byte asked is the floor, more than doubled"
expect rcvbuf_set_1 == "$(figure rcvbuf_least_bytes)"
rmem_max=$(figure rmem_max)
if [ -n "$rmem_max" ] && [ "$rmem_max" -lt 33554432 ]; then
	expect rcvbuf_set_67108864 == $((2 * rmem_max)) "64M asked is clamped at twice rmem_max"
fi
expect rcvbufforce_error == EPERM "SO_RCVBUFFORCE needs CAP_NET_ADMIN over the first namespace"

# Default: autotuning.
expect autotune_rcvbuf_first_bytes == "$(figure tcp_rmem_default)" "the buffer starts at tcp_rmem's default"
expect autotune_growth_pct '>' 400 "and grows more than 4 times"

# The window scale, chosen at the SYN.
expect wscale_before '<' "$(figure wscale_after)" "a small buffer before connect() means a small scale"
expect wire_wscale_before == "$(figure wscale_before)" "the capture's SYN says what TCP_INFO says"
expect wire_wscale_after == "$(figure wscale_after)"
expect wscale_raised == "$(figure wscale_before)" "raising the buffer later does not change it"
expect window_max_raised_bytes == "$(figure window_max_before_bytes)"
expect rcvbuf_raised_bytes '>' "$(figure rcvbuf_before_bytes)"

# When to change: the bytes that fit grow with the buffer; without delay every size fills the link.
expect fill_bytes_4096 '>' 0
expect fill_bytes_65536 '>' "$(figure fill_bytes_4096)" "a larger buffer holds more before window 0"
expect fill_bytes_65536 '>=' $((131072 * 8 / 10)) "most of the 128 KiB set"
expect fill_bytes_65536 '<=' 131072
for s in 4096 65536; do
	expect "throughput_bps_$s" '>=' 85000000 "SO_RCVBUF $s: the 100 Mbit/s link full"
	expect "throughput_bps_$s" '<=' 101000000
done
exit "$ASSERT_FAILED"
