-- 0001: organisations, staff accounts, sessions, settings, audit log.
-- Portable SQL: times are BIGINT seconds since 1970 UTC, booleans are
-- INTEGER 0/1, countries ISO 3166-1 alpha-2, languages BCP 47.

CREATE TABLE organisation (
	id @ID@,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	country TEXT NOT NULL,
	languages TEXT NOT NULL DEFAULT '',
	services TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	contact_phone TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	website TEXT NOT NULL DEFAULT '',
	referral_partner INTEGER NOT NULL DEFAULT 0,
	is_demo INTEGER NOT NULL DEFAULT 0,
	archived INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisation_country_name ON organisation (country, name);
CREATE INDEX organisation_kind ON organisation (kind);

-- "user" is a reserved word in PostgreSQL, hence app_user.
CREATE TABLE app_user (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES organisation (id),
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret TEXT,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	language TEXT NOT NULL DEFAULT '',
	is_demo INTEGER NOT NULL DEFAULT 0,
	last_login_at BIGINT NOT NULL DEFAULT 0,
	password_changed_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX app_user_org ON app_user (org_id);

-- Only a hash of the session token is stored.  stage 1: the password was
-- right and a one-time code is awaited; stage 2: fully signed in.
CREATE TABLE session (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	stage INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX session_user ON session (user_id);

-- Failed logins per source address (a keyed hash of it, not the address).
CREATE TABLE login_throttle (
	address_hash TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start BIGINT NOT NULL
);

CREATE TABLE setting (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- Append-only and hash-chained: hash = SHA-256 over prev_hash and this
-- entry's fields (model/audit.c).  The engine files forbid UPDATE/DELETE.
CREATE TABLE audit_log (
	id @ID@,
	at BIGINT NOT NULL,
	actor_user_id BIGINT,
	actor_label TEXT NOT NULL DEFAULT '',
	actor_org_id BIGINT,
	action TEXT NOT NULL,
	target_type TEXT NOT NULL DEFAULT '',
	target_id BIGINT,
	target_org_id BIGINT,
	address TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_target_org ON audit_log (target_org_id, id);
CREATE INDEX audit_log_actor_org ON audit_log (actor_org_id, id);
