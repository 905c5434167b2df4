#!/usr/bin/env bash
# A run owns its --out directory. Runs into the same directory one after another all succeed,
# each leaving its own files only (an earlier lesson's variant directories are gone, every log
# has the last run's zero of time); a directory that holds anything that is not a flowlab run's
# is refused in one line naming --out and the directory, exit status 2, and left as it was; so
# is one with a symbolic link in it, one that is a link, one anyone may write in, and another
# user's.
#   out_dir.sh SOURCE_ROOT
set -uo pipefail
root=$1
# shellcheck source=tests/lib_assert.sh
. "$root/tests/lib_assert.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/flowlab-test-out.XXXXXX")
trap 'rm -rf "$dir"' EXIT
out=$dir/out

# run LESSON ARGS...: one run into $out, its output in OUTPUT and FIGURES; 1 if it failed.
run() {
	local lesson=$1
	shift
	if ! OUTPUT=$("$root/scenarios/$lesson.sh" --out "$out" "$@" 2>&1); then
		_fail "$lesson.sh --out $out $* failed"
		printf '%s\n' "$OUTPUT" >&2
		return 1
	fi
	FIGURES=$OUTPUT
}

# one_run: every log in $out is of one run: they share the zero of time.
one_run() {
	local zeros
	zeros=$(cat "$out"/*.jsonl | sed -n 's/.*"t0_ns":\([0-9]*\).*/\1/p' | sort -u | wc -l)
	if [ "$zeros" = 1 ]; then
		echo "ok: every log in the directory is of the last run"
	else
		_fail "the logs in $out are of $zeros runs"
	fi
}

# A lesson of two variants first, then window_zero twice into the same directory.
run read_timeout --client-stall 500ms --read-timeout 200ms || finish
if [ ! -d "$out/naive" ] || [ ! -d "$out/timeout" ]; then
	_fail "read_timeout left no variant directories"
fi
for i in 1 2; do
	run window_zero --stall 500ms || finish
	echo "window_zero run $i:"
	expect zero_window_seen == 1 "the window fell to 0"
	expect bytes_received == "$(figure bytes_sent)" "every byte arrived"
	expect bytes_lost == 0
	expect resume_after_read_us '<=' 50000 "the writer went on with the drain"
	one_run
	for v in naive timeout; do
		[ ! -e "$out/$v" ] || _fail "run $i left the earlier run's $v/"
	done
done

# refused WHAT: a run into $out must be refused, in one line naming --out and the directory,
# status 2, nothing on stdout, and $out left exactly as it was.
refused() {
	local what=$1 before after err status
	before=$(cd "$out" 2>/dev/null && find . -printf '%p %y %s %T@\n' 2>/dev/null | sort; cat "$out" 2>/dev/null)
	"$root/scenarios/window_zero.sh" --stall 100ms --out "$out" >"$dir/stdout" 2>"$dir/stderr"
	status=$?
	err=$(cat "$dir/stderr")
	after=$(cd "$out" 2>/dev/null && find . -printf '%p %y %s %T@\n' 2>/dev/null | sort; cat "$out" 2>/dev/null)
	if [ "$status" = 2 ] && [ "$(wc -l <"$dir/stderr")" = 1 ] && [[ "$err" == *"--out: '$out'"* ]] &&
		[ ! -s "$dir/stdout" ] && [ "$before" = "$after" ]; then
		echo "ok: $what: refused, untouched: $err"
	else
		_fail "$what: status $status, stderr '$err', stdout '$(cat "$dir/stdout")', touched: $([ "$before" = "$after" ] && echo no || echo yes)"
	fi
}

rm -rf "$out" && mkdir "$out" && echo "my notes" >"$out/notes.txt"
refused "a directory of someone else's"
rm -rf "$out" && mkdir "$out" && echo '{}' >"$out/reader.jsonl"
refused "a log that no flowlab run marked"
rm -rf "$out" && run window_zero --stall 100ms && echo "my notes" >"$out/notes.txt"
refused "a run's directory with a file of someone else's"
rm -f "$out/notes.txt" && mkdir "$out/naive" && touch "$out/naive/keep.txt"
refused "a run's variant directory with a file of someone else's"
rm -rf "$out" && mkdir "$out" && touch "$out/flowlab-run" && mkdir "$out/sub.out"
refused "a run's directory with a directory named like a run's file"
rm -rf "$out" && echo "not a directory" >"$out"
refused "a file"
# Links planted where the run's files go: never followed, the file they point at untouched.
echo "precious" >"$dir/precious"
rm -rf "$out" && run window_zero --stall 100ms && rm "$out/reader.jsonl" &&
	ln -s "$dir/precious" "$out/reader.jsonl"
refused "a run's directory with its log a symbolic link"
rm -rf "$out" && run read_timeout --client-stall 200ms --read-timeout 100ms &&
	rm -f "$out/naive/server.port" && ln -s "$dir/precious" "$out/naive/server.port"
refused "a run's variant directory with a symbolic link"
rm -rf "$out" && mkdir "$dir/elsewhere" && ln -s "$dir/elsewhere" "$out"
refused "a symbolic link to a directory"
rm -f "$out" && mkdir "$out" && chmod 0777 "$out"
refused "a directory any user may write in"
[ "$(cat "$dir/precious")" = precious ] || _fail "the file a planted link points at was written"
rmdir "$out"
# Another user's directory (root can make one; anyone else skips this).
if [ "$(id -u)" = 0 ] && mkdir "$out" && chown nobody "$out"; then
	refused "a directory that belongs to another user"
	rmdir "$out"
else
	echo "skip: not root: no directory of another user to try"
fi
OUTPUT=""
finish
