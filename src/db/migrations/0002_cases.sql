-- 0002: cases (inquiries, complaints, requests for assistance) from intake
-- to remedy, with their timeline, messages, internal notes, evidence and
-- face-to-face contacts; emergency numbers, routing rules and deadlines.
--
-- "case" is a keyword in SQL and in C, so the table (and the C struct) is
-- case_rec.  Columns ending in _sealed hold libsodium secretbox text
-- (crypto_seal_text) under the FIELD key: names, contact details, the
-- worker's words and every message.  _hash columns are keyed hashes under
-- the INDEX key, for exact look-ups without decrypting.

CREATE TABLE case_rec (
	id @ID@,
	reference TEXT NOT NULL UNIQUE,      -- 10 digits, the last a check digit
	pin_hash TEXT NOT NULL,              -- Argon2id of the peppered PIN
	kind TEXT NOT NULL,                  -- inquiry | complaint | assistance
	category TEXT NOT NULL,
	status TEXT NOT NULL,
	is_open INTEGER NOT NULL DEFAULT 1,  -- status is not resolved/closed/...
	reject_reason TEXT NOT NULL DEFAULT '', -- spam | duplicate
	danger INTEGER NOT NULL DEFAULT 0,
	priority INTEGER NOT NULL,           -- 0 low .. 3 urgent
	channel TEXT NOT NULL,
	country_work TEXT NOT NULL DEFAULT '',
	country_origin TEXT NOT NULL DEFAULT '',
	sector TEXT NOT NULL DEFAULT '',
	employer TEXT NOT NULL DEFAULT '',
	agency TEXT NOT NULL DEFAULT '',
	started_on TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD or YYYY-MM
	language TEXT NOT NULL,
	gender TEXT NOT NULL DEFAULT '',
	name_sealed TEXT NOT NULL DEFAULT '',
	contact_method TEXT NOT NULL DEFAULT 'none',
	contact_sealed TEXT NOT NULL DEFAULT '',
	contact_hash TEXT NOT NULL DEFAULT '',
	description_sealed TEXT NOT NULL,
	consent_contact INTEGER NOT NULL DEFAULT 0,
	consent_share INTEGER NOT NULL DEFAULT 0,
	owner_org_id BIGINT NOT NULL REFERENCES organisation (id),
	owner_country TEXT NOT NULL,         -- the owner's, for the inbox index
	assignee_id BIGINT REFERENCES app_user (id),
	created_by BIGINT REFERENCES app_user (id),
	merged_into BIGINT REFERENCES case_rec (id),
	deadline_at BIGINT,
	escalated_at BIGINT,
	remedy_kind TEXT NOT NULL DEFAULT '',
	remedy_amount BIGINT,                -- minor units of remedy_currency
	remedy_currency TEXT NOT NULL DEFAULT '',
	remedy_date TEXT NOT NULL DEFAULT '',
	remedy_note_sealed TEXT NOT NULL DEFAULT '',
	is_demo INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at BIGINT
);
-- The inbox reads these in order (danger first, then newest), so that its
-- first page costs a few index steps at any number of cases.
CREATE INDEX case_rec_inbox_org ON case_rec (owner_org_id, is_open, danger, id);
-- owner_org_id last: the affiliate admin's scope leaves out the secretariat
-- without reading the rows.
CREATE INDEX case_rec_inbox_country ON case_rec (owner_country, is_open, danger, id,
	owner_org_id);
CREATE INDEX case_rec_inbox_all ON case_rec (is_open, danger, id);
CREATE INDEX case_rec_assignee ON case_rec (assignee_id, id);
CREATE INDEX case_rec_contact ON case_rec (contact_hash);
CREATE INDEX case_rec_due ON case_rec (deadline_at) WHERE escalated_at IS NULL;
CREATE INDEX case_rec_merged ON case_rec (merged_into);

-- The timeline: one row per thing that happened.  `public` rows are shown
-- to the worker (in plain words); detail is JSON without personal data.
CREATE TABLE case_event (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_rec (id),
	at BIGINT NOT NULL,
	user_id BIGINT REFERENCES app_user (id),
	kind TEXT NOT NULL,
	public INTEGER NOT NULL DEFAULT 0,
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_event_case ON case_event (case_id, id);

-- Messages between the worker and staff.  user_id NULL: from the worker.
-- Internal notes live in their own table, so that no query for the
-- worker's page can ever reach them.
CREATE TABLE case_message (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_rec (id),
	at BIGINT NOT NULL,
	user_id BIGINT REFERENCES app_user (id),
	body_sealed TEXT NOT NULL
);
CREATE INDEX case_message_case ON case_message (case_id, id);

CREATE TABLE case_note (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_rec (id),
	at BIGINT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES app_user (id),
	body_sealed TEXT NOT NULL
);
CREATE INDEX case_note_case ON case_note (case_id, id);

-- Evidence.  The bytes are sealed (secretbox) and kept in the database so
-- that app servers stay stateless.  internal = 1: added by staff, never
-- shown to the worker.
CREATE TABLE case_attachment (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_rec (id),
	at BIGINT NOT NULL,
	user_id BIGINT REFERENCES app_user (id),
	internal INTEGER NOT NULL DEFAULT 0,
	filename_sealed TEXT NOT NULL,
	mime TEXT NOT NULL,
	size BIGINT NOT NULL,
	stripped INTEGER NOT NULL DEFAULT 0, -- metadata was removed
	data @BLOB@ NOT NULL
);
CREATE INDEX case_attachment_case ON case_attachment (case_id, id);

-- Face-to-face contacts: a visit to a hub, a meeting, a home visit.
CREATE TABLE case_contact (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_rec (id),
	on_date TEXT NOT NULL,
	place TEXT NOT NULL,
	who TEXT NOT NULL,
	summary_sealed TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES app_user (id),
	created_at BIGINT NOT NULL
);
CREATE INDEX case_contact_case ON case_contact (case_id, id);

-- Failures counted per key (a keyed hash of a reference or an address,
-- with a prefix saying what is counted), for PIN guessing and intake.
CREATE TABLE throttle (
	key TEXT PRIMARY KEY,
	hits INTEGER NOT NULL,
	window_start BIGINT NOT NULL
);

-- Emergency and anti-trafficking numbers shown at once to a worker in
-- danger, each with the official source it came from.
CREATE TABLE hotline (
	id @ID@,
	country TEXT NOT NULL,
	name TEXT NOT NULL,
	number TEXT NOT NULL,
	source_url TEXT NOT NULL,
	checked_on TEXT NOT NULL DEFAULT '', -- when someone last checked it
	sort INTEGER NOT NULL DEFAULT 0,
	is_demo INTEGER NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL
);
CREATE INDEX hotline_country ON hotline (country, sort);

-- Routing: which organisation receives new cases of a country.  Without a
-- rule, the affiliate of the country of work takes the case, else the one
-- of the country of origin, else the regional secretariat.
CREATE TABLE routing_rule (
	id @ID@,
	country TEXT NOT NULL,
	applies_to TEXT NOT NULL,  -- work | origin
	org_id BIGINT NOT NULL REFERENCES organisation (id),
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX routing_rule_key ON routing_rule (country, applies_to);

-- Hours to answer a case, per organisation and priority.  Without a row,
-- the defaults in model/case.c apply.
CREATE TABLE case_deadline (
	org_id BIGINT NOT NULL REFERENCES organisation (id),
	priority INTEGER NOT NULL,
	hours INTEGER NOT NULL,
	PRIMARY KEY (org_id, priority)
);
