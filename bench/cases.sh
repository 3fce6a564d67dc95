#!/bin/sh
# The cases benchmark: `sh bench/run.sh cases N` (or `sh bench/cases.sh N`).
#
# Builds bench/gencases.c and bench/benchtool.c against build/libatis.a,
# makes a database with `atis init` + `atis demo`, adds N generated cases
# (default 100000), starts `atis serve` on 127.0.0.1 with a free port,
# signs in three staff members with curl, and loads it with wrk:
#
#   submit          POST /help: a worker sends a complaint (bench/submit.lua)
#   inbox-focal-th  GET /cases, the focal point of the Thai affiliate
#   inbox-admin-th  GET /cases, the admin of the Thai affiliate (2FA)
#   inbox-regional  GET /cases, the regional admin (2FA; every case)
#   search-*        GET /cases?q=WORD as the regional admin: a common and a
#                   rare word, in English and in Thai
#
# Each: a warm-up, then wrk -t2 -c16 -d10s --latency; then the median of
# 21 (submit: 5) requests one at a time with curl.  Prints a Markdown
# table.  docs/benchmarks.md has the method and the figures.
#
# Settings (environment):
#   CASES_DB=PATH        keep the database at PATH: made (and filled) when
#                        missing, used as it is when it exists (generating a
#                        million cases takes a while); default a temporary
#                        file, deleted at the end
#   SEED=1               gencases --seed
#   THREADS=4            ATIS's libmicrohttpd pool (ATIS_THREADS)
#   WRK_THREADS=2 CONNECTIONS=16 DURATION=10s WARMUP=3s
#   WRK_TIMEOUT=30s      wrk's per-request timeout (its default, 2 s, would
#                        leave a slow page's latency out of the figures)
#   SCENARIOS="submit inbox-focal-th …"   the ones to run (default all)
#   COMMON_EN=employer RARE_EN=crocodile COMMON_TH=นายจ้าง RARE_TH=จระเข้
#   BENCH_KEEP=DIR       also copy the raw wrk output and the logs to DIR
#   NO_BUILD=1           skip `make` (build/libatis.a must exist)
set -eu
cd "$(dirname "$0")/.."

COUNT=${1:-100000}
case $COUNT in
'' | *[!0-9]*)
	echo "usage: sh bench/run.sh cases [N]" >&2
	exit 2
	;;
esac
SEED=${SEED:-1}
THREADS=${THREADS:-4}
WRK_THREADS=${WRK_THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
WRK_TIMEOUT=${WRK_TIMEOUT:-30s}
COMMON_EN=${COMMON_EN:-employer}
RARE_EN=${RARE_EN:-crocodile}
COMMON_TH=${COMMON_TH:-นายจ้าง}
RARE_TH=${RARE_TH:-จระเข้}
SCENARIOS=${SCENARIOS:-"inbox-focal-th inbox-admin-th inbox-regional
	search-common-en search-rare-en search-common-th search-rare-th submit"}
CC=${CC:-cc}
PASSWORD=demo-password-123 # atis demo's (src/model/demo.h)

for tool in wrk curl "$CC" pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is missing (sh scripts/deps.sh installs it)" >&2
		exit 1
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atis-cases.XXXXXX")
atis_pid=
stop() {
	if [ -n "$atis_pid" ]; then
		kill "$atis_pid" 2>/dev/null || true
		wait "$atis_pid" 2>/dev/null || true
	fi
	atis_pid=
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { echo "bench: $*" >&2; }

# ---- build ----------------------------------------------------------------
if [ -z "${NO_BUILD:-}" ]; then
	make --no-print-directory >"$tmp/make.log" 2>&1 || {
		cat "$tmp/make.log" >&2
		say "make failed"
		exit 1
	}
fi
PKGS="libmicrohttpd sqlite3 libsodium jansson zlib libcurl inih liboath
	libcmark libqrencode"
# Word splitting of the flags is wanted.
# shellcheck disable=SC2046,SC2086
for tool in gencases benchtool; do
	"$CC" -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Isrc \
		$(pkg-config --cflags $PKGS) -o "$tmp/$tool" "bench/$tool.c" \
		build/libatis.a $(pkg-config --libs $PKGS) -lmagic -lgettextpo \
		-lpthread -lm
done

# ---- the database -----------------------------------------------------------
db=${CASES_DB:-$tmp/cases.db}
if [ -e "$db" ]; then
	say "using $db as it is"
else
	for step in init demo; do
		build/atis $step --db "$db" >"$tmp/$step.log" 2>&1 || {
			cat "$tmp/$step.log" >&2
			say "atis $step failed"
			exit 1
		}
	done
	"$tmp/gencases" --db "$db" --count "$COUNT" --seed "$SEED" |
		tee "$tmp/gencases.log" >&2
fi

# $1 SQL: its one integer answer (benchtool prints it as "  | N |").
sql_int() {
	"$tmp/benchtool" sql --db "$db" --repeat 1 "$1" |
		sed -n 's/^  | \([0-9]*\) |$/\1/p'
}
cases_total=$(sql_int "SELECT count(*) FROM case_rec")
db_bytes=$(wc -c <"$db" | tr -d ' ')

# ---- the server -------------------------------------------------------------
# warn: no line per request.  The intake limit per address is lifted: every
# submission comes from 127.0.0.1 (100000 is the highest it takes).
ATIS_LOG_LEVEL=warn ATIS_THREADS=$THREADS ATIS_INTAKE_PER_HOUR=100000 \
	build/atis serve --db "$db" --listen 127.0.0.1:0 \
	>"$tmp/atis.out" 2>"$tmp/atis.err" &
atis_pid=$!
port=
i=0
while [ -z "$port" ]; do
	port=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
		"$tmp/atis.out")
	i=$((i + 1))
	if [ -z "$port" ] && { ! kill -0 "$atis_pid" 2>/dev/null ||
		[ "$i" -ge 300 ]; }; then
		cat "$tmp/atis.err" >&2
		say "the server did not start"
		exit 1
	fi
	[ -n "$port" ] || sleep 0.1
done
base="http://127.0.0.1:$port"

# curl against our server only, never through a proxy.
c() { curl -s --noproxy '*' "$@"; }

# $1 file: the value of the first hidden csrf input in that page.
csrf_of() {
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -n 1
}

# $1 e-mail, $2 cookie jar: signs in; for an account with two-step
# verification, enrols it on first use (the secret is kept next to the
# database, so a kept database can be signed into again) and types the
# code.  Fails unless it ends at /staff.
sign_in() {
	c -c "$2" -b "$2" -o "$tmp/login.html" "$base/login"
	loc=$(c -c "$2" -b "$2" -o /dev/null -w '%{redirect_url}' \
		--data-urlencode "email=$1" \
		--data-urlencode "password=$PASSWORD" \
		--data-urlencode "csrf=$(csrf_of "$tmp/login.html")" \
		"$base/login")
	case $loc in
	*/staff) return 0 ;;
	*/login/2fa*) ;;
	*)
		say "signing in $1 went to '$loc'"
		return 1
		;;
	esac
	secret_file="$db.totp-$1"
	for _ in 1 2; do
		c -c "$2" -b "$2" -o "$tmp/2fa.html" "$base/login/2fa"
		shown=$(sed -n 's|.*<code class="secret">\([^<]*\)</code>.*|\1|p' \
			"$tmp/2fa.html" | head -n 1)
		if [ -n "$shown" ]; then
			printf '%s\n' "$shown" >"$secret_file"
		elif [ ! -s "$secret_file" ]; then
			say "$1 has two-step verification and no $secret_file"
			return 1
		fi
		code=$("$tmp/benchtool" totp "$(cat "$secret_file")")
		loc=$(c -c "$2" -b "$2" -o /dev/null -w '%{redirect_url}' \
			--data-urlencode "next=/staff" \
			--data-urlencode "code=$code" \
			--data-urlencode "csrf=$(csrf_of "$tmp/2fa.html")" \
			"$base/login/2fa")
		case $loc in */staff) return 0 ;; esac
		# A code is good once: wait for the next 30-second step.
		sleep $((31 - $(date +%s) % 30))
	done
	say "two-step verification of $1 failed"
	return 1
}

# $1 cookie jar: "name=value" of its session cookie.
session_of() {
	awk '$6 ~ /atis_session$/ { print $6 "=" $7 }' "$1"
}

sign_in focal@th.demo.atis.invalid "$tmp/focal.jar"
sign_in admin@th.demo.atis.invalid "$tmp/admin-th.jar"
sign_in admin@secretariat.demo.atis.invalid "$tmp/regional.jar"

# $1 text: percent-encoded, every byte.
urlenc() {
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/%\1/g'
}

# ---- load -----------------------------------------------------------------
# $1 wrk output: a value of its BENCH line.
field() {
	sed -n "/^BENCH /s/.* $2=\([0-9.]*\).*/\1/p" "$1"
}

# $1 cookie, $2 path, $3 label: the page must answer 200 and be the inbox
# (a lost session would be a 303 to /login); prints the number of cases
# listed on it.  The inbox without a search must list some; a search for
# a rare word may find no open case (the inbox shows open cases unless
# told otherwise).
check_page() {
	code=$(c -o "$tmp/page.html" -w '%{http_code}' -H "Cookie: $1" \
		"$base$2")
	rows=$(grep -o 'href="/cases/[0-9]*"' "$tmp/page.html" | sort -u |
		wc -l | tr -d ' ')
	if [ "$code" != 200 ] || ! grep -q 'name="q"' "$tmp/page.html" ||
		{ [ "$rows" -eq 0 ] && [ "$2" = /cases ]; }; then
		say "$3: GET $2 answered $code with $rows case links"
		return 1
	fi
	echo "$rows"
}

# $1 count, then curl arguments: the median time_total of that many
# requests one after the other, in ms (3 when the first takes over 0.5 s).
one_client() {
	n=$1
	shift
	first=$(c -o /dev/null -w '%{time_total}' "$@")
	if awk -v t="$first" 'BEGIN { exit !(t > 0.5) }'; then
		n=3
	fi
	{
		echo "$first"
		for _ in $(seq $((n - 1))); do
			c -o /dev/null -w '%{time_total}\n' "$@"
		done
	} | sort -n | awk '{ t[NR] = $1 } END {
		printf "%.2f", t[int((NR + 1) / 2)] * 1000 }'
}

# Waits (at most 2 minutes) until the server has finished what wrk left
# in flight: less than 50 ms of CPU in half a second.  Otherwise a slow
# scenario's leftovers would load the next measurement.
settle() {
	i=0
	while [ "$i" -lt 240 ]; do
		t0=$(awk '{ print $14 + $15 }' "/proc/$atis_pid/stat")
		sleep 0.5
		t1=$(awk '{ print $14 + $15 }' "/proc/$atis_pid/stat")
		[ $((t1 - t0)) -ge $(($(getconf CLK_TCK) / 20)) ] || return 0
		i=$((i + 1))
	done
}

rows_file=$tmp/rows
: >"$rows_file"

# $1 name, $2 cookie, $3 path
run_get() {
	check_page "$2" "$3" "$1" >"$tmp/$1.links"
	BENCH_PATH=$3 BENCH_COOKIE=$2 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" \
		-d"$WARMUP" --timeout "$WRK_TIMEOUT" -s bench/cases.lua \
		"$base" >"$tmp/$1.warmup" 2>&1
	settle
	BENCH_PATH=$3 BENCH_COOKIE=$2 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" \
		-d"$DURATION" --timeout "$WRK_TIMEOUT" --latency \
		-s bench/cases.lua "$base" >"$tmp/$1.wrk" 2>&1
	grep -q '^BENCH ' "$tmp/$1.wrk" || {
		cat "$tmp/$1.wrk" >&2
		say "wrk failed in $1"
		exit 1
	}
	settle
	links=$(check_page "$2" "$3" "$1")
	one=$(one_client 21 -H "Cookie: $2" "$base$3")
	settle
	note="${links}_cases_on_the_page"
	# A request over WRK_TIMEOUT is a socket error (timeout) in wrk's
	# count and is missing from its latencies: the row says so.
	errs=$(field "$tmp/$1.wrk" socket_errors)
	if [ "$(field "$tmp/$1.wrk" non2xx)" != 0 ] || [ "$errs" != 0 ]; then
		say "errors in $1 (wrk output kept in the table's check column)"
		note="${note};_ERRORS:_$(field "$tmp/$1.wrk" non2xx)_non-2xx,_${errs}_socket_errors_or_timeouts"
	fi
	echo "$1 $(field "$tmp/$1.wrk" requests) $(field "$tmp/$1.wrk" rps)" \
		"$(field "$tmp/$1.wrk" p50_us) $(field "$tmp/$1.wrk" p99_us)" \
		"$one $note" >>"$rows_file"
}

run_submit() {
	c -c "$tmp/worker.jar" -b "$tmp/worker.jar" -o "$tmp/help.html" \
		"$base/help"
	seed=$(awk '$6 ~ /atis_csrf$/ { print $6 "=" $7 }' "$tmp/worker.jar")
	token=$(csrf_of "$tmp/help.html")
	if [ -z "$seed" ] || [ -z "$token" ]; then
		say "GET /help gave no CSRF cookie and token"
		exit 1
	fi
	BENCH_COOKIE=$seed BENCH_CSRF=$token wrk -t"$WRK_THREADS" \
		-c"$CONNECTIONS" -d"$WARMUP" --timeout "$WRK_TIMEOUT" \
		-s bench/submit.lua "$base" \
		>"$tmp/submit.warmup" 2>&1
	settle # what was still in flight is saved by now
	before=$(sql_int "SELECT count(*) FROM case_rec")
	BENCH_COOKIE=$seed BENCH_CSRF=$token wrk -t"$WRK_THREADS" \
		-c"$CONNECTIONS" -d"$DURATION" --timeout "$WRK_TIMEOUT" \
		--latency -s bench/submit.lua "$base" >"$tmp/submit.wrk" 2>&1
	settle
	after=$(sql_int "SELECT count(*) FROM case_rec")
	grep -q '^SUBMIT ' "$tmp/submit.wrk" || {
		cat "$tmp/submit.wrk" >&2
		say "wrk failed in submit"
		exit 1
	}
	sent=$(sed -n 's/^SUBMIT sent=\([0-9]*\).*/\1/p' "$tmp/submit.wrk")
	created=$(sed -n 's/^SUBMIT .*created=\([0-9]*\).*/\1/p' \
		"$tmp/submit.wrk")
	other=$(sed -n 's/^SUBMIT .*other=\([0-9]*\).*/\1/p' "$tmp/submit.wrk")
	new=$((after - before))
	inflight=$((sent - created - other))
	# Every 201 is a saved case; a request wrk had sent when it stopped
	# may have been saved without its answer being counted.
	if [ "$other" != 0 ] || [ "$new" -lt "$created" ] ||
		[ "$new" -gt $((created + inflight)) ]; then
		cat "$tmp/submit.wrk" >&2
		say "submit: $created answered 201, $other otherwise," \
			"$inflight in flight, but $new new cases"
		exit 1
	fi
	one=$(one_client 5 -b "$tmp/worker.jar" \
		--data-urlencode "csrf=$token" -d kind=complaint \
		-d category=wages -d country_work=TH -d country_origin=MM \
		-d contact_method=none -d language=en \
		--data-urlencode "description=My employer has not paid my wages for three months." \
		"$base/help")
	echo "submit $(field "$tmp/submit.wrk" requests)" \
		"$(field "$tmp/submit.wrk" rps)" \
		"$(field "$tmp/submit.wrk" p50_us)" \
		"$(field "$tmp/submit.wrk" p99_us) $one" \
		"${created}_×_201,_${new}_new_cases_(${inflight}_in_flight_at_the_stop)" \
		>>"$rows_file"
}

focal=$(session_of "$tmp/focal.jar")
admin_th=$(session_of "$tmp/admin-th.jar")
regional=$(session_of "$tmp/regional.jar")
for s in $SCENARIOS; do
	say "running $s"
	case $s in
	submit) run_submit ;;
	inbox-focal-th) run_get "$s" "$focal" /cases ;;
	inbox-admin-th) run_get "$s" "$admin_th" /cases ;;
	inbox-regional) run_get "$s" "$regional" /cases ;;
	search-common-en) run_get "$s" "$regional" "/cases?q=$(urlenc "$COMMON_EN")" ;;
	search-rare-en) run_get "$s" "$regional" "/cases?q=$(urlenc "$RARE_EN")" ;;
	search-common-th) run_get "$s" "$regional" "/cases?q=$(urlenc "$COMMON_TH")" ;;
	search-rare-th) run_get "$s" "$regional" "/cases?q=$(urlenc "$RARE_TH")" ;;
	*)
		say "no scenario $s"
		exit 2
		;;
	esac
done

if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP"
	cp "$tmp"/*.wrk "$tmp/atis.err" "$BENCH_KEEP"/
	[ ! -f "$tmp/gencases.log" ] || cp "$tmp/gencases.log" "$BENCH_KEEP"/
fi

# ---- report ---------------------------------------------------------------
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "Cases: $cases_total in the database ($(awk -v b="$db_bytes" \
	'BEGIN { printf "%.0f MiB", b / 1048576 }')); wrk -t$WRK_THREADS" \
	"-c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up);" \
	"$THREADS server threads; $(nproc) CPUs ($model), Linux $(uname -r);" \
	"$(date -u +%Y-%m-%dT%H:%MZ)."
if [ -f "$tmp/gencases.log" ]; then
	sed -n 's/^gencases: done: /Generated: /p' "$tmp/gencases.log"
fi
echo
echo "| scenario | requests/s | p50 | p99 | one client (median) | check |"
echo "|---|---:|---:|---:|---:|---|"
# wrk leaves out of its latencies the requests still waiting for an
# answer when it stops: with none answered there is no p50 or p99.
awk -v d="$DURATION" '{
	if ($2 == 0)
		printf "| %s | 0 | – | – | %s ms | none answered within %s; %s |\n",
			$1, $6, d, $7
	else
		printf "| %s | %.0f | %.2f ms | %.2f ms | %s ms | %s requests; %s |\n",
			$1, $3, $4 / 1000, $5 / 1000, $6, $2, $7
}' "$rows_file" | sed 's/_/ /g'
