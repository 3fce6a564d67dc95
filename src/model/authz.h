/*
 * authz.h — who may do what.  The one place that decides it.
 *
 * Every handler asks authz_can() before it reads or changes anything; the
 * unit test tests/unit/model/authz.c walks the whole matrix of role ×
 * action × a record of one's own organisation, of another organisation in
 * the same country, and of another country.
 */
#ifndef ATIS_MODEL_AUTHZ_H
#define ATIS_MODEL_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_REGIONAL_ADMIN,
	ROLE_AFFILIATE_ADMIN,
	ROLE_FOCAL_POINT,
	ROLE_PARTNER_USER,
	ROLE__MAX
};

/* "regional_admin" … as stored in the database; NULL for ROLE_NONE. */
const char *role_name(enum role r);
/* ROLE_NONE when `name` is not a role. */
enum role role_parse(const char *name);
/* An English label for pages (translate it). */
const char *role_label(enum role r);

/* The person acting: a signed-in user, or ROLE_NONE for the public and
 * for command-line tools (which pass the `system` actor). */
struct actor {
	int64_t user_id;
	int64_t org_id;
	char country[3];
	enum role role;
	bool secretariat;    /* works for the regional secretariat */
	const char *label;   /* the user's e-mail, or "system" */
	const char *address; /* remote address, "" when none */
};

enum authz_action {
	AUTHZ_STAFF_AREA, /* see the staff pages at all */
	AUTHZ_ORG_LIST,   /* list the directory of organisations */
	AUTHZ_ORG_VIEW,
	AUTHZ_ORG_CREATE, /* target: the new organisation's country/kind */
	AUTHZ_ORG_EDIT,
	AUTHZ_USER_LIST,
	AUTHZ_USER_VIEW,
	AUTHZ_USER_CREATE, /* target: the new user's org and role */
	AUTHZ_USER_EDIT,
	AUTHZ_AUDIT_VIEW, /* target: the entry's organisation */
	AUTHZ_SETTINGS_EDIT,
	AUTHZ_CASE_LIST,     /* open the inbox at all (rows: case_list scope) */
	AUTHZ_CASE_CREATE,   /* staff intake of hotline calls and walk-ins */
	AUTHZ_CASE_VIEW,     /* target: the case's owning organisation */
	AUTHZ_CASE_WORK,     /* every change to a case, its notes, messages */
	AUTHZ_HOTLINE_EDIT,  /* target: the number's country */
	AUTHZ_ROUTING_EDIT,  /* the routing rules of the whole region */
	AUTHZ_DEADLINE_EDIT, /* target: the organisation whose deadlines */
	AUTHZ__MAX
};

/* The record acted on.  Fields that do not apply are zero. */
struct authz_target {
	int64_t org_id;          /* the organisation the record belongs to */
	const char *country;     /* that organisation's country */
	bool org_is_secretariat; /* that organisation is the secretariat */
	enum role role;          /* for users: the role held or to be given */
};

bool authz_can(const struct actor *who, enum authz_action action,
	       const struct authz_target *target);

/* True when an actor of this role must use a second factor whatever the
 * site setting says. */
bool authz_role_requires_2fa(enum role r);

#endif
