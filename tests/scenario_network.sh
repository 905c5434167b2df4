#!/usr/bin/env bash
# The network lessons, each asserted with bands from a real run across a shaped link:
#   scenario_network.sh SOURCE_ROOT CASE
# slow_network: the throughput within 10% of the link's rate, write() blocked most of the time,
# the reader's buffer near empty and the window open: the verdict "slow network".
# slow_network_both: a reader that stalls behind the slow link: "both".
# slow_network_loopback: where the machine refuses the veth pair (forced here), the private
# loopback is shaped instead, the run says so, and the lesson holds.
# retransmit: the outage keeps the unacknowledged bytes in the send queue, the timer doubles its
# wait on the wire, every byte arrives; random loss is made up by retransmissions, 0 lost.
# Skips (77) where the machine has no private network namespace, tc or nft.
set -euo pipefail
root=$1 case=$2
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"
PATH=$PATH:/usr/sbin:/sbin

if ! unshare -rn true 2>/dev/null; then
	echo "skip: no unprivileged network namespace here"
	exit 77
fi
for tool in tc nft; do
	command -v "$tool" >/dev/null || { echo "skip: $tool is not installed"; exit 77; }
done

out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-$case.XXXXXX")
trap 'rm -rf "$out"' EXIT
lesson=${case%%_both}
lesson=${lesson%%_loopback}
args=(--out "$out")
env=()
case "$case" in
slow_network_both) args+=(--schedule "stall 2s, drain") ;;
slow_network_loopback) env=(FLOWLAB_LINK=loopback) ;;
esac
OUTPUT=$(env ${env[@]+"${env[@]}"} "$root/scenarios/$lesson.sh" "${args[@]}" 2>&1) || {
	echo "$lesson.sh failed:" >&2
	printf '%s\n' "$OUTPUT" >&2
	exit 1
}
FIGURES=$OUTPUT

case "$case" in
slow_network | slow_network_loopback)
	if [ "$case" = slow_network_loopback ]; then
		grep -q 'the private loopback is shaped instead' <<<"$OUTPUT" ||
			_fail "the run did not say that the loopback was shaped instead"
	else
		grep -q '"topology":"veth"' "$out/link.jsonl" || _fail "the link was not a veth pair"
	fi
	expect link_rate_bps == 8000000 "the default link: 8 Mbit/s"
	# Headers take ~4% of the link: TCP payload crosses at 90-100% of its rate.
	expect throughput_of_link_pct '>=' 85 "the reader received at the link's rate"
	expect throughput_of_link_pct '<=' 101 "and no faster"
	expect write_blocked_pct '>=' 60 "write() waited most of the writer's time"
	expect sendq_max_bytes '>=' 32768 "the send queue filled"
	expect recvq_max_bytes '<=' 16384 "the reader's buffer stayed near empty"
	expect snd_wnd_min_bytes '>=' 16384 "the window stayed open"
	expect zero_window_seen == 0 "it never closed"
	expect verdict == "slow network" "the verdict names the network"
	expect verdict_backlog_open_window_pct '>=' 60
	expect bytes_lost == 0
	expect pattern_errors == 0
	;;
slow_network_both)
	expect zero_window_seen == 1 "the stalled reader closed the window"
	expect verdict == "both: a slow reader behind a slow network" "both are named"
	expect bytes_lost == 0
	;;
retransmit)
	# The outage: every data segment dropped for 1 s.
	expect outage_outage_ms '>=' 1000 "the link was down for the outage"
	expect outage_outage_ms '<=' 2000
	expect outage_link_dropped_packets '>=' 2 "it dropped segments (nft's counter)"
	expect outage_unacked_held_bytes '>=' 1448 "sent and unacknowledged bytes stayed in the send queue"
	expect outage_sendq_held_bytes '>=' "$(figure outage_unacked_held_bytes)"
	expect outage_outage_retransmissions '>=' 2 "the oldest segment was sent again and again"
	expect outage_rto_doubling == 1 "each time about twice as late"
	expect outage_backoff_max '>=' 1 "TCP_INFO's backoff climbed"
	expect outage_rto_max_ms '>=' 400 "and its RTO with it"
	expect outage_recovered_after_ms '<=' "$(($(figure outage_rto_max_ms) + 1000))" "data flowed within an RTO of the link's return"
	expect outage_retransmissions '>=' "$(figure outage_outage_retransmissions)"
	expect outage_bytes_received == 2097152 "every byte arrived"
	expect outage_bytes_lost == 0
	expect outage_pattern_errors == 0
	# Random loss: every segment the link dropped was sent again.
	expect loss_link_loss_pct == 5
	expect loss_link_dropped_packets '>=' 1 "the link dropped segments"
	expect loss_retransmissions '>=' "$(figure loss_link_dropped_packets)" "each one was sent again"
	expect loss_total_retrans '>=' "$(figure loss_link_dropped_packets)" "TCP_INFO counted them"
	expect loss_bytes_received == 2097152 "every byte arrived"
	expect loss_bytes_lost == 0
	expect loss_pattern_errors == 0
	;;
*)
	echo "scenario_network.sh: no such case '$case'" >&2
	exit 2
	;;
esac
exit "$ASSERT_FAILED"
