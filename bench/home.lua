-- wrk scenario: the public home page, as an anonymous visitor sees it.
--
--   wrk -t2 -c32 -d10s --latency -s bench/home.lua http://127.0.0.1:PORT
--
-- Plain GET / with no cookies and no Accept-Encoding, so ATIS sends the
-- page uncompressed and both servers send the same body bytes (gzip would
-- measure zlib, not the server).  Besides wrk's own report (--latency adds
-- the percentile table) it prints one line for bench/run.sh to read:
--
--   BENCH requests=N seconds=S rps=R p50_us=A p90_us=B p99_us=C
--         max_us=D non2xx=E socket_errors=F

wrk.method = "GET"
wrk.path = "/"
wrk.headers["Accept"] = "text/html"

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
