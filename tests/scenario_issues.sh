#!/usr/bin/env bash
# The reference document's "Common Issues", each asserted with bands from a real run:
#   scenario_issues.sh SOURCE_ROOT LESSON [IO]
# request_response: the request waited in the receive buffer, the response was acknowledged, and
# waited in the send buffer when the ACKs were dropped;
# read_timeout: naive waits out the stall, the timeout fires at 1 s (+-20%) and closes the
# client; write_timeout: naive blocks through the stall, the write timeout fires at 500 ms
# (+-20%) with a partial write then EAGAIN, TCP_USER_TIMEOUT ends a frozen client's connection;
# backpressure: the naive server's buffers grow with the stall, backpressure bounds them and the
# fast clients keep their speed.
set -euo pipefail
root=$1 lesson=$2 io=${3:-blocking}
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"

out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-$lesson.XXXXXX")
trap 'rm -rf "$out"' EXIT
args=(--out "$out")
[ "$lesson" = backpressure ] || args+=(--io "$io")
OUTPUT=$("$root/scenarios/$lesson.sh" "${args[@]}" 2>&1) || {
	echo "$lesson.sh failed:" >&2
	printf '%s\n' "$OUTPUT" >&2
	exit 1
}
FIGURES=$OUTPUT

case "$lesson" in
request_response)
	expect plain_request_bytes == 23 "the request text is 23 bytes"
	expect plain_request_bytes_reference == 26 "the document says 26"
	expect plain_response_bytes == 24 "the response text is 24 bytes"
	expect plain_server_recvq_max_bytes == 23 "SIOCINQ showed the whole request waiting"
	expect plain_request_in_buffer_ms '>=' 800 "it waited through the 1 s read delay"
	expect plain_request_in_buffer_ms '<=' 1500
	# What SIOCOUTQ read right after write() returned, and, from the capture, when the
	# client's ACK came: on loopback before write() returned, so nothing was unacknowledged.
	expect plain_response_sendq_after_write_bytes '>=' 0 "SIOCOUTQ was read right after write()"
	if grep -q 'private network namespace' <<<"$OUTPUT"; then
		expect plain_response_ack_after_segment_us '>=' 0 "the capture saw the client's ACK of the response"
		expect plain_response_ack_after_segment_us '<' 100000 "within 100 ms on loopback"
		if [ -n "$(figure plain_response_ack_before_write_return_us)" ]; then
			expect plain_response_sendq_after_write_bytes == 0 "the ACK came before write() returned: nothing left unacknowledged"
			[ -z "$(figure plain_response_in_sendq_ms)" ] ||
				_fail "the server waited for an ACK the capture saw before write() returned"
		else
			expect plain_response_in_sendq_ms '>=' 0 "the ACK came after write() returned: the server waited for it"
		fi
		# ackwait: the client's ACKs dropped until 500 ms after the response. The response
		# waits in the send buffer for them, sent again on each expiry of the timer (at least
		# 200 ms, this kernel's least RTO, then doubling), until an ACK gets through after the
		# drop: more than 500 ms, and within the drop and two more timeouts.
		expect ackwait_response_sendq_after_write_bytes == 24 "the whole response waited for its ACK"
		expect ackwait_response_in_sendq_ms '>=' 500 "it waited out the drop"
		expect ackwait_response_in_sendq_ms '<=' 6500 "and then a later retransmission's ACK"
		expect ackwait_response_retransmissions '>=' 2 "the server sent it again, from its send buffer"
		expect ackwait_acks_dropped '>=' 2 "the link dropped the client's ACKs"
		expect ackwait_response_ack_after_segment_us '>=' 500000 "the capture saw the first ACK that got through late"
		expect ackwait_client_bytes_received == 24
		expect ackwait_bytes_lost == 0
		expect ackwait_pattern_errors == 0
	else
		echo "skip: no capture without a private network namespace: the ACK is not seen"
	fi
	expect plain_client_bytes_received == 24
	expect plain_bytes_lost == 0
	expect plain_pattern_errors == 0
	;;
read_timeout)
	expect_tables_start_at_zero
	command -v gnuplot >/dev/null && expect_same_axes "$out"/naive/timeline.svg "$out"/timeout/timeline.svg
	expect naive_server_waited_ms '>=' 2400 "without a timeout the server waited out the 3 s stall"
	expect naive_request_complete == 1
	expect naive_verdict == "app-limited: the writer is the slow one" "a client that trickles its request is the slow one"
	expect naive_client_closed == 0
	expect timeout_read_timeout_fired_ms '>=' 800 "the read timeout fired at 1 s -20%"
	expect timeout_read_timeout_fired_ms '<=' 1200 "the read timeout fired at 1 s +20%"
	expect timeout_client_closed == 1 "the server closed the slow client"
	expect timeout_request_complete == 0
	expect timeout_client_stall_planned_ms == 3000 "the client planned to stop for 3 s"
	expect timeout_client_stall_ms '<=' 1500 "its stall lasted until the server closed on it, about 1 s"
	expect naive_pattern_errors == 0
	expect timeout_pattern_errors == 0
	;;
write_timeout)
	expect_tables_start_at_zero
	command -v gnuplot >/dev/null &&
		expect_same_axes "$out"/naive/timeline.svg "$out"/timeout/timeline.svg "$out"/user/timeline.svg
	expect naive_write_blocked_ms '>=' 2400 "without a timeout write() blocked through the 3 s stall"
	expect naive_client_closed == 0
	expect naive_bytes_lost == 0
	expect timeout_write_timeout_fired_ms '>=' 400 "the write timeout fired at 500 ms -20%"
	expect timeout_write_timeout_fired_ms '<=' 600 "the write timeout fired at 500 ms +20%"
	expect timeout_client_closed == 1 "the server closed the slow client"
	if [ "$io" = blocking ]; then
		expect timeout_partial_write_bytes '>' 0 "the timed-out write returned a partial count"
		grep -q '"kind":"timeout","what":"write".*"errno_name":"EAGAIN"' "$out/timeout/server.jsonl" ||
			_fail "no write returned EAGAIN after the partial one"
	fi
	expect timeout_pattern_errors == 0
	# Each timeout is one row: the blocked write() that gave up is told by it alone.
	if printf '%s\n' "$OUTPUT" | grep -B1 'write() gave up' | grep -q 'write() returns after waiting'; then
		_fail "a write() that gave up has two rows, 'returns after waiting' and 'gave up'"
	else
		echo "ok: each write timeout is one row"
	fi
	expect user_user_timeout_after_block_ms '>=' 800 "TCP_USER_TIMEOUT 1s ended the connection"
	expect user_user_timeout_after_block_ms '<=' 3000
	# The kernel counts the user timeout from its first zero-window probe: the capture sees it.
	if grep -q 'private network namespace' <<<"$OUTPUT"; then
		expect user_user_timeout_after_first_probe_ms '>=' 950 "1 s after the first probe, as the kernel counts it"
		expect user_user_timeout_after_first_probe_ms '<=' 1500
	else
		echo "skip: no capture without a private network namespace: the first probe is not seen"
	fi
	expect user_client_closed == 1
	expect user_pattern_errors == 0
	;;
backpressure)
	rate=$((2 << 20)) slow=5 high=$((256 << 10)) clients=50
	expect naive_app_buffered_peak_bytes '>=' $((slow * rate * 3 / 2)) "the naive server buffered the stalled clients' data"
	# The bound the design guarantees: production for a connection stops once what is pending
	# for it (its own buffer and the kernel's) is above HIGH, and a tick adds at most one chunk
	# (four ticks' worth at the rate): HIGH plus a chunk per connection, fast ones included (a
	# CPU-starved server legitimately buffers more for its fast clients). And far below naive.
	tick_ns=$(sed -n 's/^#define TICK_NS \([0-9]*\)u$/\1/p' "$root/fast_peer/server.c")
	# shellcheck disable=SC2017 # the same expression, truncation included, as server.c's
	chunk=$((rate * tick_ns / 1000000000 * 4 + 1))
	expect backpressure_app_buffered_peak_bytes '<=' $((clients * (high + chunk))) "at most HIGH plus one production chunk per connection"
	expect backpressure_app_buffered_peak_bytes '<' $(($(figure naive_app_buffered_peak_bytes) / 2)) "backpressure buffered far less than naive"
	expect backpressure_paused_peak '>=' "$slow" "every slow client was held back"
	naive_growth=$(($(figure naive_rss_peak_kib) - $(figure naive_rss_start_kib)))
	bp_growth=$(($(figure backpressure_rss_peak_kib) - $(figure backpressure_rss_start_kib)))
	FIGURES+=$'\n'"naive_rss_growth_kib=$naive_growth"$'\n'"backpressure_rss_growth_kib=$bp_growth"
	if [ "${FLOWLAB_SANITIZED:-0}" = 1 ]; then
		# AddressSanitizer keeps freed memory in quarantine: RSS grows in both runs there.
		echo "skip: RSS growth under the sanitizers (naive $naive_growth KiB, backpressure $bp_growth KiB)"
	else
		expect naive_rss_growth_kib '>=' 10240 "the naive server's memory grew"
		expect backpressure_rss_growth_kib '<' $((naive_growth / 2)) "backpressure kept it far lower"
	fi
	expect backpressure_fast_clients_bytes_per_s '>=' "$(awk -v v="$(figure naive_fast_clients_bytes_per_s)" 'BEGIN { printf "%d", v * 0.9 }')" "fast clients kept their speed"
	expect naive_bytes_lost == 0
	expect backpressure_bytes_lost == 0
	expect naive_pattern_errors == 0
	expect backpressure_pattern_errors == 0
	;;
*)
	echo "unknown lesson $lesson" >&2
	exit 2
	;;
esac
finish
