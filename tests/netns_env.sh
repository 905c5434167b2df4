#!/usr/bin/env bash
# FLOWLAB_IN_NETNS=1 set by hand on the host is not believed: the scenario refuses in one line
# (status 2) before it touches any link, and the host's loopback keeps its MTU; likewise with a
# made-up parent namespace. The namespace a scenario makes for itself still works.
#   netns_env.sh SOURCE_ROOT
set -uo pipefail
root=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-netns-env.XXXXXX")
trap 'rm -rf "$dir"' EXIT
failed=0
mtu=$(cat /sys/class/net/lo/mtu)

for env in "FLOWLAB_IN_NETNS=1" "FLOWLAB_IN_NETNS=1 FLOWLAB_PARENT_NETNS=net:[1]"; do
	read -r -a vars <<<"$env"
	env "${vars[@]}" "$root/scenarios/window_zero.sh" --stall 100ms --mtu 1500 --out "$dir/a" \
		>"$dir/out" 2>"$dir/err"
	status=$?
	if [ "$status" = 2 ] && [ "$(wc -l <"$dir/err")" = 1 ] && grep -q FLOWLAB_IN_NETNS "$dir/err" &&
		[ "$(cat /sys/class/net/lo/mtu)" = "$mtu" ]; then
		echo "ok: $env on the host: refused, the host's loopback untouched: $(cat "$dir/err")"
	else
		echo "FAIL: $env on the host: status $status, lo mtu $(cat /sys/class/net/lo/mtu) (was $mtu): $(cat "$dir/err")"
		failed=1
	fi
done
if unshare -rn true 2>/dev/null; then
	if "$root/scenarios/window_zero.sh" --stall 100ms --out "$dir/b" >"$dir/b.txt" 2>&1 &&
		grep -q 'private network namespace' "$dir/b.txt"; then
		echo "ok: the scenario's own namespace is still believed"
	else
		echo "FAIL: the scenario's own namespace was refused"
		failed=1
	fi
fi
exit "$failed"
