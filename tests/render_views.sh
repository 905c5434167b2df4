#!/usr/bin/env bash
# One run, one story: for every golden run (tests/golden/*/, real logs of every lesson), each
# number the summary states is one of the figures, with the figure's value and its rounding.
# flowlab-render --trace-summary marks every number it prints in the summary with the figure's
# name, value and unit ("\001name=value=unit\002text\003"); here, independently of the
# renderer's C, each mark's text is formatted again from the value in the Figures section, and
# what is left of the summary outside the marks may hold no digit at all.
#   render_views.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail
render=$(cd "$1" && pwd)/scenarios/flowlab-render
golden=$(cd "$2" && pwd)/tests/golden
failed=0 checked=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# The checks on one rendering: marked summary on stdin, figures as name=value in $1, each name
# after the prefix $2.
check_summary() {
	awk -v figfile="$1" -v prefix="$2" '
	function commas(n,   s, neg, out) {
		neg = n < 0; s = sprintf("%d", neg ? -n : n); out = ""
		while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
		return (neg ? "-" : "") s out
	}
	function size(b,   names, i, unit, whole, rem, t) {
		split("B KiB MiB GiB TiB", names, " ")
		i = 0
		while (i < 4 && b >= 1024 ^ (i + 1)) i++
		for (;; i++) {
			unit = 1024 ^ i; whole = int(b / unit); rem = b - whole * unit
			if (rem == 0) return whole " " names[i + 1]
			t = int(rem * 10 / unit); if (rem * 10 - t * unit >= unit - (rem * 10 - t * unit)) t++
			if (t == 10) { whole++; t = 0 }
			if (whole >= 1024 && i < 4) continue
			return whole "." t " " names[i + 1]
		}
	}
	function list(s,   eps, items, n, i, out) {
		split(s, eps, ";"); n = split(eps[1], items, ",")
		out = items[1]
		for (i = 2; i <= n; i++) out = out (i == n ? " and " : ", ") items[i]
		return out " ms"
	}
	function human(unit, v, times) {
		if (times) return v == 1 ? "once" : v == 2 ? "twice" : v " times"
		if (unit == "count") return commas(v)
		if (unit == "bytes") return size(v)
		if (unit == "ms") return commas(v) " ms"
		if (unit == "moment") return sprintf("%d.%03d s", int(v / 1000), v % 1000)
		if (unit == "us") return (v >= 10000 || v <= -10000) ? sprintf("%s.%03d ms", commas(int(v / 1000)), (v < 0 ? -v : v) % 1000) : commas(v) " us"
		if (unit == "ms1") return v " ms"
		if (unit == "pct1") return v "%"
		if (unit == "kib") return commas(v) " KiB"
		if (unit == "rate") return commas(v) " bytes/s"
		if (unit == "bps") return commas(v) " bit/s"
		if (unit == "doc_kb") return int(v / 1024) " KB"
		if (unit == "list_ms") return list(v)
		return v
	}
	BEGIN {
		while ((getline line < figfile) > 0) {
			eq = index(line, "="); if (eq) fig[substr(line, 1, eq - 1)] = substr(line, eq + 1)
		}
	}
	{
		rest = $0; bare = ""; marks = 0
		while ((a = index(rest, "\001")) > 0) {
			bare = bare substr(rest, 1, a - 1)
			rest = substr(rest, a + 1)
			b = index(rest, "\002"); c = index(rest, "\003")
			if (!b || !c || c < b) { print "a broken mark: " rest; bad = 1; break }
			n = split(substr(rest, 1, b - 1), m, "=")
			text = substr(rest, b + 1, c - b - 1); rest = substr(rest, c + 1)
			name = m[1]; value = m[2]; unit = m[3]; times = n > 3 && m[4] == "times"
			marks++
			if (!((prefix name) in fig)) {
				print "the summary tells " name ", which is not among the figures"; bad = 1
			} else if (fig[prefix name] != value) {
				print "the summary says " name "=" value ", the figures " fig[prefix name]; bad = 1
			}
			if (human(unit, value, times) != text) {
				print name "=" value " (" unit ") reads \"" text "\", not \"" human(unit, value, times) "\""; bad = 1
			}
			bare = bare " "
		}
		bare = bare rest
		if (bare ~ /[0-9]/) { print "a number not told as a figure: " bare; bad = 1 }
		if ($0 ~ /\[no figure|\[bad say/) { print "a figure the lesson never registered: " $0; bad = 1 }
		total += marks
	}
	END { if (total == 0) { print "no figure in the summary at all"; bad = 1 } exit bad }'
}

# Bytes from a cell: "374.0 KiB" is 382976 (to a tenth of a KiB).
to_bytes='function bytes(s,   n, u) { n = s + 0; u = s; sub(/^[0-9.]+ /, "", u)
	return u == "KiB" ? n * 1024 : u == "MiB" ? n * 1048576 : u == "GiB" ? n * 1073741824 : n }'

# The table shows no state the figures contradict: checks on the rendered table, by lesson.
check_table() {
	local lesson=$1 table=$2 figures=$3
	case "$lesson" in
	window_zero)
		# After read() returned 0 nothing is unread (it showed the last sample's 123.5 KiB).
		grep 'read() returned 0' <<<"$table" | grep 'reader:' | grep -qv '  0 B / ' &&
			{ echo "the row where read() returned 0 shows bytes still unread"; return 1; }
		;;
	blocked_write)
		# A blocked write() has a full send buffer behind it (it showed 0 B / 0 B).
		grep 'write() blocks' <<<"$table" | grep -q '  0 B / 0 B ' &&
			{ echo "write() blocks beside an empty send buffer"; return 1; }
		;;
	write_timeout)
		# A server that closed shows no buffer (it showed its last sample).
		sed -n '/server closes the connection/,$p' <<<"$table" | sed 1d |
			grep -E '^ +-?[0-9]+\.[0-9]{3}  ' | grep -qv '^ *[-0-9.]*  -  ' &&
			{ echo "the server's buffer is shown after it closed"; return 1; }
		;;
	backpressure)
		# The columns reach the peaks the summary tells.
		awk -v f="$figures" "$to_bytes"'
		BEGIN { while ((getline l < f) > 0) { split(l, kv, "="); fig[kv[1]] = kv[2] } }
		/^ +-?[0-9]+\.[0-9]+  / {
			app = substr($0, 22, 12); k = substr($0, 36, 12)
			gsub(/ +$/, "", app); gsub(/ +$/, "", k)
			if (bytes(app) > maxapp) maxapp = bytes(app)
			if (bytes(k) > maxk) maxk = bytes(k)
		}
		END {
			for (n in fig) {
				if (n ~ /app_buffered_peak_bytes$/) want_app = fig[n]
				if (n ~ /kernel_sendq_peak_bytes$/) want_k = fig[n]
			}
			if (want_app - maxapp > 0.06 * 1048576 * (want_app >= 1048576) + 52 || \
			    want_k - maxk > 0.06 * 1048576 * (want_k >= 1048576) + 52) {
				print "the table peaks at " maxapp " buffered and " maxk " in the kernel, the figures say " want_app " and " want_k
				exit 1
			}
		}' <<<"$table" || return 1
		;;
	esac
	return 0
}

for dir in "$golden"/*/; do
	dir=${dir%/}
	[ -f "$dir/args" ] || continue
	name=$(basename "$dir")
	read -r -a args <"$dir/args"
	prefix=""
	for ((i = 0; i + 1 < ${#args[@]}; i++)); do
		[ "${args[i]}" = --figure-prefix ] && prefix=${args[i + 1]}
	done
	plain=$("$render" "${args[@]}" --no-table "$dir"/*.jsonl) || { fail "$name: render failed"; continue; }
	traced=$("$render" "${args[@]}" --no-table --trace-summary "$dir"/*.jsonl) ||
		{ fail "$name: render --trace-summary failed"; continue; }
	figures=$(printf '%s\n' "$traced" | sed -n '/^Figures$/,$p' | sed 1d)
	summary=$(printf '%s\n' "$traced" | sed -n '/^Summary$/{n;p;}')
	checked=$((checked + 1))
	if ! why=$(printf '%s\n' "$summary" | check_summary <(printf '%s\n' "$figures") "$prefix"); then
		fail "$name: $why"
		continue
	fi
	# The marks change nothing but the marks: the plain summary is the traced one's text.
	want=$(printf '%s\n' "$summary" | sed 's/\x01[^\x02]*\x02//g; s/\x03//g')
	got=$(printf '%s\n' "$plain" | sed -n '/^Summary$/,/^$/p' | sed '1d;/^$/d' | tr '\n' ' ' |
		sed 's/ $//')
	if [ "$want" != "$got" ]; then
		fail "$name: the traced summary is not the plain one:"$'\n'"  $want"$'\n'"  $got"
		continue
	fi
	echo "ok: $name: every number in the summary is a figure, as the figures say it"
	# The verdict of a lesson of one connection, likewise.
	verdict=$(printf '%s\n' "$traced" | sed -n '/^Who was slow$/{n;p;}')
	if [ -n "$verdict" ]; then
		if ! why=$(printf '%s\n' "$verdict" | check_summary <(printf '%s\n' "$figures") "$prefix"); then
			fail "$name: the verdict: $why"
			continue
		fi
		echo "ok: $name: every number in the verdict is a figure"
	fi
	table=$("$render" "${args[@]}" "$dir"/*.jsonl | sed -n '/^ *Time  /,/^$/p')
	if ! why=$(check_table "${args[1]}" "$table" <(printf '%s\n' "$figures")); then
		fail "$name: $why"
		continue
	fi
	echo "ok: $name: the table shows nothing its figures contradict"
done
[ "$checked" -gt 0 ] || fail "no golden run found under $golden"
exit "$failed"
