#!/bin/sh
# The home-page benchmark: ATIS against a bare libmicrohttpd server sending
# the same bytes (bench/bare.c), both loaded by wrk with bench/home.lua on
# 127.0.0.1.  Prints a Markdown table; docs/benchmarks.md has the method
# and the figures.  `make bench` runs it.
#
# Settings (environment):
#   ATIS_PORT=18080 BARE_PORT=18081   where the two servers listen
#   THREADS=4                         libmicrohttpd pool size, both servers
#   WRK_THREADS=2 CONNECTIONS=32      wrk's load
#   DURATION=10s WARMUP=3s            measured run, and the run before it
#   BENCH_KEEP=DIR                    also copy the raw output to DIR
#   NO_BUILD=1                        skip `make` (build/atis must exist)
#
# `sh bench/run.sh cases [N]` runs the cases benchmark instead (inbox,
# search and intake with N generated cases): see bench/cases.sh.
set -eu
cd "$(dirname "$0")/.."

if [ "${1:-}" = cases ]; then
	shift
	exec sh bench/cases.sh "$@"
fi

ATIS_PORT=${ATIS_PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
THREADS=${THREADS:-4}
WRK_THREADS=${WRK_THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CC=${CC:-cc}

for tool in wrk curl "$CC"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is missing (sh scripts/deps.sh installs it)" >&2
		exit 1
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atis-bench.XXXXXX")
atis_pid=
bare_pid=
stop() {
	for p in $atis_pid $bare_pid; do
		kill "$p" 2>/dev/null || true
	done
	for p in $atis_pid $bare_pid; do
		wait "$p" 2>/dev/null || true
	done
	atis_pid=
	bare_pid=
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build ----------------------------------------------------------------
if [ -z "${NO_BUILD:-}" ]; then
	make --no-print-directory >"$tmp/make.log" 2>&1 || {
		cat "$tmp/make.log" >&2
		echo "bench: make failed" >&2
		exit 1
	}
fi
"$CC" -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$tmp/bare" bench/bare.c \
	-lmicrohttpd

# ---- a throw-away database with the demo data -----------------------------
for step in init demo; do
	build/atis $step --db "$tmp/atis.db" >"$tmp/$step.log" 2>&1 || {
		cat "$tmp/$step.log" >&2
		echo "bench: atis $step failed" >&2
		exit 1
	}
done

# $1 pid, $2 its standard output, $3 port: waits (at most ~10 s) until
# that process says it is serving and 127.0.0.1:$3 answers, so that a
# server that could not bind (port taken) is not mistaken for ours.
wait_up() {
	i=0
	until grep -q 'serving' "$2" &&
		curl -s --noproxy '*' -o /dev/null "http://127.0.0.1:$3/"; do
		i=$((i + 1))
		if ! kill -0 "$1" 2>/dev/null || [ "$i" -ge 100 ]; then
			echo "bench: no server of ours on 127.0.0.1:$3" >&2
			return 1
		fi
		sleep 0.1
	done
}

# warn: no per-request info line on stderr while under load.
ATIS_LOG_LEVEL=warn ATIS_THREADS=$THREADS build/atis serve \
	--db "$tmp/atis.db" --listen "127.0.0.1:$ATIS_PORT" \
	>"$tmp/atis.out" 2>"$tmp/atis.err" &
atis_pid=$!
wait_up "$atis_pid" "$tmp/atis.out" "$ATIS_PORT" ||
	{ cat "$tmp/atis.err" >&2; exit 1; }

code=$(curl -s --noproxy '*' -o "$tmp/home.html" -w '%{http_code}' \
	"http://127.0.0.1:$ATIS_PORT/")
if [ "$code" != 200 ] || [ ! -s "$tmp/home.html" ]; then
	echo "bench: ATIS answered GET / with $code" >&2
	exit 1
fi

"$tmp/bare" "$tmp/home.html" "$BARE_PORT" "$THREADS" >"$tmp/bare.out" \
	2>"$tmp/bare.err" &
bare_pid=$!
wait_up "$bare_pid" "$tmp/bare.out" "$BARE_PORT" ||
	{ cat "$tmp/bare.err" >&2; exit 1; }
curl -s --noproxy '*' -o "$tmp/bare.html" "http://127.0.0.1:$BARE_PORT/"
cmp -s "$tmp/home.html" "$tmp/bare.html" || {
	echo "bench: bare does not send ATIS's bytes" >&2
	exit 1
}
# ATIS's page must not change between requests, or the comparison is off.
curl -s --noproxy '*' -o "$tmp/home2.html" "http://127.0.0.1:$ATIS_PORT/"
cmp -s "$tmp/home.html" "$tmp/home2.html" || {
	echo "bench: ATIS's home page differs between two requests" >&2
	exit 1
}

# Both must keep connections open, or wrk measures TCP handshakes.
for port in "$ATIS_PORT" "$BARE_PORT"; do
	curl -s --noproxy '*' -o /dev/null -D "$tmp/headers" \
		"http://127.0.0.1:$port/"
	if grep -qi '^connection: *close' "$tmp/headers"; then
		echo "bench: 127.0.0.1:$port closes the connection" >&2
		exit 1
	fi
done

# ---- load -----------------------------------------------------------------
# $1 pid: CPU time used so far (user + system), in clock ticks.
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# $1 name, $2 port, $3 pid: a warm-up run, then the measured one into
# $tmp/$1.wrk, and the server's CPU ticks during it into $tmp/$1.ticks.
load() {
	wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/home.lua \
		"http://127.0.0.1:$2/" >"$tmp/$1.warmup" 2>&1
	t0=$(ticks "$3")
	wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
		-s bench/home.lua "http://127.0.0.1:$2/" >"$tmp/$1.wrk" 2>&1
	echo $(($(ticks "$3") - t0)) >"$tmp/$1.ticks"
	grep -q '^BENCH ' "$tmp/$1.wrk" || {
		cat "$tmp/$1.wrk" >&2
		echo "bench: wrk failed against $1" >&2
		exit 1
	}
}

# $1 name, $2 key: a value from the BENCH line.
field() {
	sed -n "/^BENCH /s/.* $2=\([0-9.]*\).*/\1/p" "$tmp/$1.wrk"
}

# $1 pid: peak resident set (VmHWM) in kB.
hwm() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

load atis "$ATIS_PORT" "$atis_pid"
atis_hwm=$(hwm "$atis_pid")
load bare "$BARE_PORT" "$bare_pid"
bare_hwm=$(hwm "$bare_pid")

for s in atis bare; do
	if [ "$(field $s non2xx)" != 0 ] || [ "$(field $s socket_errors)" != 0 ]
	then
		cat "$tmp/$s.wrk" >&2
		echo "bench: errors in the $s run" >&2
		exit 1
	fi
done

if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP"
	cp "$tmp"/atis.wrk "$tmp"/bare.wrk "$tmp"/home.html "$BENCH_KEEP"/
fi

# ---- report ---------------------------------------------------------------
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "Home page GET /, $(wc -c <"$tmp/home.html" | tr -d ' ') bytes;" \
	"wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency" \
	"(after a $WARMUP warm-up); $THREADS server threads;" \
	"$(nproc) CPUs ($model), Linux $(uname -r); $(date -u +%Y-%m-%dT%H:%MZ)."
echo
awk -v a_rps="$(field atis rps)" -v b_rps="$(field bare rps)" \
	-v a_50="$(field atis p50_us)" -v b_50="$(field bare p50_us)" \
	-v a_99="$(field atis p99_us)" -v b_99="$(field bare p99_us)" \
	-v a_m="$atis_hwm" -v b_m="$bare_hwm" \
	-v a_t="$(cat "$tmp/atis.ticks")" -v b_t="$(cat "$tmp/bare.ticks")" \
	-v a_n="$(field atis requests)" -v b_n="$(field bare requests)" \
	-v hz="$(getconf CLK_TCK)" '
function ms(us) { return sprintf("%.2f ms", us / 1000) }
function mb(kb) { return sprintf("%.1f MiB", kb / 1024) }
function cpu(t, n) { return t * 1e6 / hz / n }
BEGIN {
	a_c = cpu(a_t, a_n); b_c = cpu(b_t, b_n)
	print "| server | requests/s | p50 | p99 | peak RSS | server CPU per request |"
	print "|---|---:|---:|---:|---:|---:|"
	printf "| ATIS | %.0f | %s | %s | %s | %.1f µs |\n", a_rps, ms(a_50), ms(a_99), mb(a_m), a_c
	printf "| bare libmicrohttpd | %.0f | %s | %s | %s | %.1f µs |\n", b_rps, ms(b_50), ms(b_99), mb(b_m), b_c
	printf "| ATIS / bare | **%.0f %%** | %.2f× | %.2f× | %.2f× | %.2f× |\n",
		100 * a_rps / b_rps, a_50 / b_50, a_99 / b_99, a_m / b_m, a_c / b_c
}'
