-- wrk scenario: one staff page, as a signed-in staff member sees it.
--
--   BENCH_PATH='/cases?q=employer' BENCH_COOKIE='atis_session=…' \
--   wrk -t2 -c16 -d10s --latency -s bench/cases.lua http://127.0.0.1:PORT
--
-- GET BENCH_PATH (default /cases) with the session cookie BENCH_COOKIE
-- (bench/cases.sh signs in with curl and passes it), no Accept-Encoding.
-- Every request is the same: the inbox's first page, or the first page
-- of a search.  Prints the same BENCH line as bench/home.lua.  wrk counts
-- only statuses of 400 and up as errors, so bench/cases.sh checks with
-- curl, before and after, that the page answers 200 with its rows (a
-- lost session would answer 303).

wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH") or "/cases"
wrk.headers["Accept"] = "text/html"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""

function done(summary, latency, requests)
	local e = summary.errors
	local seconds = summary.duration / 1e6
	io.write(string.format(
		"BENCH requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d " ..
		"p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
		summary.requests, seconds, summary.requests / seconds,
		latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, e.status,
		e.connect + e.read + e.write + e.timeout))
end
