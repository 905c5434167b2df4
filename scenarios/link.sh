# shellcheck shell=bash disable=SC2034 # lib.sh's globals, set here for lib.sh to read
# link.sh: the link of the network lessons (slow_network, retransmit, request_response's ackwait
# run), like a cable between two hosts. The writer's end is the lesson's own namespace, the
# reader's a second one, and a veth pair joins them (va here, vb there) with addresses from
# 198.18.0.0/24, the range set aside for benchmarks, which exist only inside these namespaces.
# tbf shapes the data's direction (va's egress) to the lesson's rate, not the ACKs'; nftables
# drops what the lesson says (every data segment a while, a share of them at random, or the
# ACKs), on the input of the end they were going to, so that the sender counts them as sent.
# This kernel has no netem: the link limits the rate and loses, it adds no delay.
#
# Where the machine refuses a second namespace or the veth pair, the lesson's own loopback is
# shaped instead (both directions: the ACKs too), and the run says why. FLOWLAB_LINK=loopback
# asks for that on purpose. Sourced after lib.sh; link_make and what follows run inside the
# lesson's namespace (after lib_begin), each run making its own link and link_unmake ending it.

# The network tools live in sbin, which a normal user's PATH may not have.
PATH=$PATH:/usr/sbin:/sbin

LINK_TOPOLOGY=""            # veth, or loopback where the machine refused the pair
LINK_FAR_ADDR=""            # the reader's address: 198.18.0.2, or 127.0.0.1 on the loopback
LINK_FAR_PID=""             # the process that holds the far namespace open
declare -a LINK_FAR=()      # the prefix that runs a command at the far end (none on the loopback)
LINK_RATE_BPS=""            # the rate, checked by link_check_rate
LINK_LOSS_PCT=""            # the share of data segments the run's link loses at random, or ""
LINK_LOG=""                 # the run's link.jsonl
LINK_ENDED=0                # 1 once the link's end event is logged

# link_check_rate FLAG VALUE: a rate as tc writes it ("8mbit", "500kbit", "1gbit", any case),
# into LINK_RATE_BPS; anything else one line and exit 2. From 1 Mbit/s, so that a lesson's
# megabytes cross in seconds, to 10 Gbit/s.
link_check_rate() {
	local v=${2,,} n mult
	if [[ "$v" =~ ^([0-9]{1,5})(kbit|mbit|gbit)$ ]]; then
		n=$((10#${BASH_REMATCH[1]}))
		case "${BASH_REMATCH[2]}" in
		kbit) mult=1000 ;;
		mbit) mult=1000000 ;;
		gbit) mult=1000000000 ;;
		esac
		LINK_RATE_BPS=$((n * mult))
		if [ "$LINK_RATE_BPS" -ge 1000000 ] && [ "$LINK_RATE_BPS" -le 10000000000 ]; then
			return 0
		fi
	fi
	lib_die 2 "$1: bad value $(lib_show "$2"): a rate from 1mbit to 10gbit, as tc writes it (8mbit, 1500kbit)"
}

# link_check_pct FLAG VALUE MAX: a whole percentage from 0 to MAX; else one line and exit 2.
link_check_pct() {
	if ! [[ "$2" =~ ^[0-9]{1,3}$ ]] || [ "$((10#$2))" -gt "$3" ]; then
		lib_die 2 "$1: bad value $(lib_show "$2"): a whole percentage from 0 to $3"
	fi
}

# link_need TOOL WHAT: one line and exit 1 where TOOL is missing (Debian's package named).
link_need() {
	local pkg=iproute2
	[ "$1" = nft ] && pkg=nftables
	command -v "$1" >/dev/null ||
		lib_die 1 "$1 is missing ($2; Debian: apt-get install $pkg)"
}

# link_event KIND [JSON]: one event of the link in the run's link.jsonl, stamped now.
link_event() {
	local now
	now=$("$(lib_bin flowlab-render)" --now)
	printf '{"t_ns":%s,"prog":"flowlab-link","kind":"%s"%s}\n' "$now" "$1" "${2:+,$2}" \
		>>"$LINK_LOG"
}

# link_veth MTU: the second namespace and the pair; 1 with the reason on stderr where refused.
link_veth() {
	local here i
	here=$(readlink /proc/self/ns/net)
	ip link add va mtu "$1" type veth peer name vb mtu "$1" || return 1
	# It holds the far namespace open, and dies with the script, whatever kills that.
	unshare -n setpriv --pdeathsig KILL sleep infinity &
	LINK_FAR_PID=$!
	LIB_PIDS+=("$LINK_FAR_PID")
	for ((i = 0; i < 500; i++)); do
		[ "$(readlink "/proc/$LINK_FAR_PID/ns/net" 2>/dev/null)" != "$here" ] && break
		kill -0 "$LINK_FAR_PID" 2>/dev/null || { echo "unshare -n failed" >&2; return 1; }
		sleep 0.01
	done
	LINK_FAR=(nsenter -t "$LINK_FAR_PID" -n --preserve-credentials)
	ip link set vb netns "$LINK_FAR_PID" &&
		ip addr add 198.18.0.1/24 dev va &&
		# One packet a TCP segment, as on a real wire, so that the capture counts segments.
		ip link set dev va gso_max_segs 1 &&
		ip link set va up &&
		"${LINK_FAR[@]}" ip link set lo up &&
		"${LINK_FAR[@]}" ip addr add 198.18.0.2/24 dev vb &&
		"${LINK_FAR[@]}" ip link set vb up
}

# link_make: this run's link at LINK_RATE_BPS, its event the first of OUT/link.jsonl; with
# LINK_LOSS_PCT, a link that will lose that share of the data (link_loss, once the port is known).
link_make() {
	local loss=$LINK_LOSS_PCT mtu=${KNOB[--mtu]:-${LIB_KNOB_DEFAULT[--mtu]}} why="" burst iface
	[ "$LIB_NETNS" = 1 ] ||
		lib_die 1 "no private network namespace here: the link would have to be built on the host's network, which this lab leaves alone"
	link_need tc "to shape the link"
	LINK_LOG=$OUT/link.jsonl
	LINK_ENDED=0
	rm -f -- "$LINK_LOG"
	(set -o noclobber && : >"$LINK_LOG")
	# A veth pair carries at most 65535 bytes a frame.
	[ "$mtu" -le 65535 ] || mtu=65535
	# Not in $(...): the sleep that holds the far namespace must be this shell's child.
	if [ "${FLOWLAB_LINK:-veth}" = loopback ]; then
		why="FLOWLAB_LINK=loopback"
	elif ! link_veth "$mtu" 2>"$OUT/link.err" >/dev/null; then
		why=$(grep -m 1 . "$OUT/link.err") || why=refused
		link_unmake_veth
	fi
	rm -f -- "$OUT/link.err"
	if [ -z "$why" ]; then
		LINK_TOPOLOGY=veth LINK_FAR_ADDR=198.18.0.2 iface=va
	else
		echo "$SCENARIO: no second namespace and veth pair here ($why): the private loopback is shaped instead, the ACKs' direction too"
		LINK_TOPOLOGY=loopback LINK_FAR_ADDR=127.0.0.1 iface=lo LINK_FAR=()
	fi
	LIB_CAPTURE_IFACE=$iface
	LIB_END_HOOK=link_end
	LIB_LOGS_MORE=("$LINK_LOG")
	# A burst of one timer tick at the rate (4 ms at this kernel's 250 Hz), at least 16 KiB, as
	# tbf needs at high rates: a larger one lets a short transfer beat the rate. A queue of
	# 1 MB, which the lessons' send buffers never fill, so that shaping itself drops nothing.
	burst=$((LINK_RATE_BPS / 2000))
	[ "$burst" -ge 16384 ] || burst=16384
	tc qdisc add dev "$iface" root tbf rate "${LINK_RATE_BPS}bit" burst "$burst" limit 1mb ||
		lib_die 1 "tc qdisc add dev $iface root tbf rate ${LINK_RATE_BPS}bit failed: this machine cannot shape the link"
	link_event link "\"topology\":\"$LINK_TOPOLOGY\",\"iface\":\"$iface\",\"rate_bps\":$LINK_RATE_BPS,\"shaped\":\"$([ "$iface" = va ] && echo data || echo both)\",\"mtu\":$mtu${loss:+,\"loss_pct\":$loss}"
}

# link_rule WHERE RULE...: a table flowlab_NAME with one rule on the input of one end: far (the
# reader's: data dropped there was sent and lost) or near (the writer's: ACKs).
link_rule() {
	local name=$1 where=$2 prefix=()
	shift 2
	link_need nft "to drop packets on the link"
	[ "$where" = far ] && prefix=(${LINK_FAR[@]+"${LINK_FAR[@]}"})
	if ! { ${prefix[@]+"${prefix[@]}"} nft add table inet "flowlab_$name" &&
		${prefix[@]+"${prefix[@]}"} nft add chain inet "flowlab_$name" input \
			'{ type filter hook input priority 0; policy accept; }' &&
		${prefix[@]+"${prefix[@]}"} nft add rule inet "flowlab_$name" input "$@"; }; then
		lib_die 1 "nft could not add the rule '$*' at the $where end"
	fi
}

# link_loopback: no link to make, only the lesson's own loopback, for a run that drops a while
# and shapes nothing (request_response's ackwait); its event the first of OUT/link.jsonl.
link_loopback() {
	[ "$LIB_NETNS" = 1 ] ||
		lib_die 1 "no private network namespace here: the host's loopback is left alone"
	LINK_LOG=$OUT/link.jsonl
	LINK_ENDED=0
	rm -f -- "$LINK_LOG"
	(set -o noclobber && : >"$LINK_LOG")
	LINK_TOPOLOGY=loopback LINK_FAR_ADDR=127.0.0.1 LINK_FAR=()
	LIB_END_HOOK=link_end
	LIB_LOGS_MORE=("$LINK_LOG")
	link_event link '"topology":"loopback","iface":"lo"'
}

# link_dropped NAME WHERE: how many packets the rule of table flowlab_NAME dropped (its counter).
link_dropped() {
	local prefix=()
	[ "$2" = far ] && prefix=(${LINK_FAR[@]+"${LINK_FAR[@]}"})
	${prefix[@]+"${prefix[@]}"} nft list table inet "flowlab_$1" 2>/dev/null |
		sed -n 's/.* counter packets \([0-9]*\) .*/\1/p' | head -n 1
}

# link_unrule NAME WHERE: the table gone, and what it dropped gets through again.
link_unrule() {
	local prefix=()
	[ "$2" = far ] && prefix=(${LINK_FAR[@]+"${LINK_FAR[@]}"})
	${prefix[@]+"${prefix[@]}"} nft delete table inet "flowlab_$1" ||
		lib_die 1 "nft could not delete the table flowlab_$1 at the $2 end"
}

# link_loss PCT PORT: from now on the link drops PCT in 100 of the data segments toward PORT, as
# link_make PCT said it would.
link_loss() {
	# Not the SYN: a lost one waits a whole second, which is another lesson.
	link_rule loss far tcp dport "$2" tcp flags '&' syn == 0 numgen random mod 100 '<' "$1" \
		counter drop
}

# link_down WHAT to|from PORT: from now on the link drops every segment toward the listener on
# PORT (at its end), or from it (at this end); WHAT says what those are (data, acks).
link_down() {
	if [ "$2" = to ]; then
		link_rule outage far tcp dport "$3" counter drop
	else
		link_rule outage near tcp sport "$3" counter drop
	fi
	link_event link_down "\"drop\":\"$1\""
}

# link_up to|from: the outage over, and how many packets it dropped (nft's counter).
link_up() {
	local where=near dropped
	[ "$1" = to ] && where=far
	dropped=$(link_dropped outage "$where")
	link_unrule outage "$where"
	link_event link_up "${dropped:+\"dropped\":$dropped}"
}

# The link's end event, once the run's programs have ended (lib_wait_all calls it): the live
# view ends once every log has its end.
link_end() {
	local dropped=""
	[ "$LINK_ENDED" = 1 ] && return 0
	LINK_ENDED=1
	[ -z "$LINK_LOSS_PCT" ] || dropped=$(link_dropped loss far)
	link_event end "${dropped:+\"dropped\":$dropped}"
}

link_unmake_veth() {
	ip link del va 2>/dev/null || true
	if [ -n "$LINK_FAR_PID" ]; then
		kill -KILL "$LINK_FAR_PID" 2>/dev/null || true
		wait "$LINK_FAR_PID" 2>/dev/null || true
	fi
	LINK_FAR_PID=""
}

# link_unmake: the run's link gone, so that the next run makes its own.
link_unmake() {
	link_end
	if [ "$LINK_TOPOLOGY" = veth ]; then
		link_unmake_veth
	else
		tc qdisc del dev lo root 2>/dev/null || true
		nft delete table inet flowlab_loss 2>/dev/null || true
		nft delete table inet flowlab_outage 2>/dev/null || true
	fi
	LIB_CAPTURE_IFACE=lo
	LIB_END_HOOK=""
	LIB_LOGS_MORE=()
}

# link_start_far ROLE PROGRAM ARGS...: lib_start, at the far end of the link.
link_start_far() {
	LIB_EXEC_IN=(${LINK_FAR[@]+"${LINK_FAR[@]}"})
	lib_start "$@"
	LIB_EXEC_IN=()
}
