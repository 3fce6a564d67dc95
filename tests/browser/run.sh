#!/bin/sh
# Browser tests: `sh tests/browser/run.sh PATH/TO/atis`.
#
# Makes a demo database in a temporary folder, serves it on a free loopback
# port and runs `node --test tests/browser/` against it (headless Debian
# Chromium through playwright-core, accessibility checks with axe-core).
# Prints node's TAP summary ("# pass N", "# fail N"), adds
# "browser PASSED FAILED" to build/test-counts for `make check`, and exits
# with node's status.
set -u

if [ $# -ne 1 ]; then
	echo "usage: sh tests/browser/run.sh PATH/TO/atis" >&2
	exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case $1 in
/*) atis=$1 ;;
*) atis=$(pwd)/$1 ;;
esac
if [ ! -x "$atis" ]; then
	echo "browser: $atis is not an executable (run make first)" >&2
	exit 2
fi

if [ ! -d "$here/node_modules/playwright-core" ] ||
	[ ! -d "$here/node_modules/axe-core" ]; then
	echo "browser: installing the npm packages (npm ci)"
	(cd "$here" && npm ci --no-audit --no-fund) || {
		echo "browser: npm ci failed" >&2
		exit 2
	}
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atis-browser.XXXXXX") || exit 2
server=""
cleanup() {
	if [ -n "$server" ]; then
		kill -TERM "$server" 2>/dev/null
		wait "$server" 2>/dev/null
		server=""
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

record() {
	mkdir -p "$root/build"
	echo "browser $1 $2" >>"$root/build/test-counts"
	echo "browser: $1 passed, $2 failed"
}

fail_setup() {
	echo "browser: $1" >&2
	for f in "$tmp"/setup.log "$tmp"/serve.out "$tmp"/serve.err; do
		[ -s "$f" ] && sed 's/^/  | /' "$f" >&2
	done
	record 0 1
	exit 1
}

db=$tmp/atis.db
"$atis" init --db "$db" >"$tmp/setup.log" 2>&1 ||
	fail_setup "atis init failed"
"$atis" demo --db "$db" >>"$tmp/setup.log" 2>&1 ||
	fail_setup "atis demo failed"

"$atis" serve --db "$db" --listen 127.0.0.1:0 \
	>"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!

# Wait (at most 15 s) for "ATIS is serving http://127.0.0.1:PORT/ …".
port=""
i=0
while [ $i -lt 150 ]; do
	port=$(sed -n 's|^ATIS is serving http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' \
		"$tmp/serve.out" | head -1)
	[ -n "$port" ] && break
	kill -0 "$server" 2>/dev/null || {
		wait "$server" 2>/dev/null
		server=""
		fail_setup "atis serve exited before it was serving"
	}
	sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || fail_setup "atis serve did not say where it serves"

echo "browser: ATIS serves http://127.0.0.1:$port/"
cd "$root" || exit 2
# The TAP reporter on purpose: its closing "# pass N" / "# fail N" lines
# are what CI and this script read.
{
	ATIS_URL=http://127.0.0.1:$port node --test --test-reporter=tap \
		tests/browser/ 2>&1
	echo $? >"$tmp/node.rc"
} | tee "$tmp/node.out"
rc=$(cat "$tmp/node.rc" 2>/dev/null || echo 1)

passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tmp/node.out" | tail -1)
failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$tmp/node.out" | tail -1)
passed=${passed:-0}
failed=${failed:-0}
# A run that failed without counting a failure (a crash, no tests) is one.
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
if [ "$rc" -ne 0 ] && [ -s "$tmp/serve.err" ]; then
	echo "browser: the server's log:"
	tail -40 "$tmp/serve.err" | sed 's/^/  | /'
fi
record "$passed" "$failed"
exit "$rc"
