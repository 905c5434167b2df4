#!/usr/bin/env bash
# A timeout the server set that never fired is told as set, not as missing: read_timeout and
# write_timeout with a client stall shorter than the server's timeout. The server's log says what
# it set (timeouts_set); the summary says the timeout never fired, and no *_fired figure appears.
#   timeout_unfired.sh SOURCE_ROOT
set -euo pipefail
root=$1
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"
out=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-unfired.XXXXXX")
trap 'rm -rf "$out"' EXIT

OUTPUT=$("$root/scenarios/read_timeout.sh" --client-stall 300ms --no-netns --out "$out/read" 2>&1)
FIGURES=$OUTPUT
expect timeout_read_timeout_set_ms == 1000 "the server set a 1 s read timeout"
[ -z "$(figure timeout_read_timeout_fired_ms)" ] || _fail "a read timeout fired in a 300 ms stall"
[ -z "$(figure naive_read_timeout_set_ms)" ] || _fail "the naive server set a read timeout"
expect timeout_request_complete == 1 "the server answered the whole request"
tr '\n' ' ' <<<"$OUTPUT" | grep -q "read timeout (1000.0 ms) never fired" ||
	_fail "the summary does not say the read timeout never fired"

OUTPUT=$("$root/scenarios/write_timeout.sh" --stall 200ms --bytes 1M --no-netns \
	--out "$out/write" 2>&1)
FIGURES=$OUTPUT
expect timeout_write_timeout_set_ms == 500 "the server set a 500 ms write timeout"
[ -z "$(figure timeout_write_timeout_fired_ms)" ] || _fail "a write timeout fired in a 200 ms stall"
expect timeout_bytes_lost == 0
tr '\n' ' ' <<<"$OUTPUT" | grep -q "write timeout (500.0 ms) never fired" ||
	_fail "the summary does not say the write timeout never fired"
finish
