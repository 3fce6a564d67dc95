-- wrk scenario: a worker sends a complaint with the public form.
--
--   BENCH_COOKIE='atis_csrf=SEED' BENCH_CSRF=TOKEN \
--   wrk -t2 -c16 -d10s --latency -s bench/submit.lua http://127.0.0.1:PORT
--
-- POST /help, application/x-www-form-urlencoded, as the form in
-- templates/help.mustache sends it.  The CSRF token of a visitor is bound
-- to the random atis_csrf cookie, not to the request, so bench/cases.sh
-- fetches one pair with curl (GET /help) before wrk starts and every
-- request reuses it.  Each request picks one of a few complaints (several
-- languages, with or without a phone number).  Each one that ATIS accepts
-- is committed before the answer (synchronous=FULL) and costs an Argon2id
-- hash of its new PIN.  ATIS allows security.intake_per_hour cases per
-- address (20 by default), so bench/cases.sh starts the server with
-- ATIS_INTAKE_PER_HOUR=100000.
--
-- Besides the BENCH line of bench/home.lua it prints
--   SUBMIT sent=N created=C other=O
-- sent: requests handed to wrk's connections; created: 201 answers (a
-- case was saved); other: any other answer (400, 429, 503 …).  sent -
-- created - other were still in flight when wrk stopped: the server may
-- have saved those too.

local function enc(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		return string.format("%%%02X", string.byte(c))
	end))
end

local csrf = os.getenv("BENCH_CSRF") or ""
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "text/html"

local forms = {
	{category = "wages", language = "en", country_work = "TH",
	 country_origin = "MM", sector = "fishing",
	 employer = "DEMO Siam Seafood Co., Ltd.",
	 description = "My employer has not paid my wages for three months. " ..
		"We work 16 hours a day on the boat and overtime is not paid.",
	 contact_method = "phone", contact = "+66 81 000 1234"},
	{category = "document_retention", language = "th", country_work = "TH",
	 country_origin = "KH", sector = "construction",
	 employer = "DEMO Krung Builders Co., Ltd.",
	 description = "นายจ้างยึดหนังสือเดินทางและใบอนุญาตทำงานของฉันไว้ ไม่ยอมคืน " ..
		"ฉันไม่กล้าออกไปข้างนอกเพราะไม่มีเอกสาร",
	 contact_method = "none", contact = ""},
	{category = "recruitment_fees", language = "id", country_work = "MY",
	 country_origin = "ID", sector = "agriculture",
	 employer = "DEMO Johor Palm Estate Sdn Bhd",
	 agency = "DEMO Jakarta Manpower",
	 description = "Saya membayar 12,000 ringgit kepada agen sebelum " ..
		"berangkat dan masih harus membayar utang.",
	 contact_method = "messaging", contact = "WhatsApp demo-bench"},
	{category = "wages", language = "my", country_work = "TH",
	 country_origin = "MM", sector = "manufacturing",
	 description = "အလုပ်ရှင်က လစာ ၃ လ မပေးသေးဘူး။ တစ်နေ့ ၁၄ နာရီ အလုပ်လုပ်ရတယ်။",
	 contact_method = "none", contact = ""},
}

local bodies = {}
for i, f in ipairs(forms) do
	local parts = {
		"csrf=" .. enc(csrf), "kind=complaint",
		"category=" .. f.category,
		"description=" .. enc(f.description),
		"country_work=" .. f.country_work,
		"country_origin=" .. f.country_origin,
		"sector=" .. f.sector,
		"employer=" .. enc(f.employer or ""),
		"agency=" .. enc(f.agency or ""),
		"started_on=", "language=" .. f.language,
		"gender=", "name=",
		"contact_method=" .. f.contact_method,
		"contact=" .. enc(f.contact), "website=",
	}
	if f.contact_method ~= "none" then
		parts[#parts + 1] = "consent_contact=1"
	end
	bodies[i] = table.concat(parts, "&")
end

local threads = {}
function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	sent, created, other = 0, 0, 0
end

function request()
	sent = sent + 1
	return wrk.format("POST", "/help", nil,
		bodies[math.random(#bodies)])
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	local seconds = summary.duration / 1e6
	local s, c, o = 0, 0, 0
	for _, t in ipairs(threads) do
		s = s + t:get("sent")
		c = c + t:get("created")
		o = o + t:get("other")
	end
	io.write(string.format(
		"BENCH requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d " ..
		"p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
		summary.requests, seconds, summary.requests / seconds,
		latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, e.status,
		e.connect + e.read + e.write + e.timeout))
	io.write(string.format("SUBMIT sent=%d created=%d other=%d\n", s, c, o))
end
