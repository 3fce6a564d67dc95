/*
 * The rules, in words:
 *
 * - A regional admin (the secretariat) may do everything, everywhere.
 * - An affiliate admin administers their own country: they see the whole
 *   directory, create and edit organisations of their country (not the
 *   secretariat), and manage the focal point and partner user accounts of
 *   organisations in their country.  Admin accounts — their peers' and
 *   regional ones — are the regional admins' to manage, so no affiliate
 *   admin can take over another's account.  They read the audit entries
 *   about their own country's organisations.
 * - A focal point reads the directory and works the cases of their own
 *   organisation; an affiliate admin works every case owned by an
 *   organisation of their country, and sets their organisation's
 *   deadlines and their country's emergency numbers.  Staff of the
 *   regional secretariat (any role) see and work every case.  Routing
 *   rules are the regional admins' alone.
 * - A partner user sees only their own organisation, and no case (cases
 *   referred to them come with the referral issue).
 * - Anyone signed in may see their own organisation.
 */
#include "model/authz.h"

#include <string.h>

#include "base/i18n.h"
#include "base/str.h"

static const char *const names[ROLE__MAX] = {
	[ROLE_REGIONAL_ADMIN] = "regional_admin",
	[ROLE_AFFILIATE_ADMIN] = "affiliate_admin",
	[ROLE_FOCAL_POINT] = "focal_point",
	[ROLE_PARTNER_USER] = "partner_user",
};

static const char *const labels[ROLE__MAX] = {
	[ROLE_REGIONAL_ADMIN] = N_("Regional admin"),
	[ROLE_AFFILIATE_ADMIN] = N_("Affiliate admin"),
	[ROLE_FOCAL_POINT] = N_("Focal point"),
	[ROLE_PARTNER_USER] = N_("Partner user"),
};

const char *
role_name(enum role r)
{
	return (r > ROLE_NONE && r < ROLE__MAX) ? names[r] : NULL;
}

const char *
role_label(enum role r)
{
	return (r > ROLE_NONE && r < ROLE__MAX) ? labels[r] : "";
}

enum role
role_parse(const char *name)
{
	for (int r = ROLE_NONE + 1; r < ROLE__MAX; r++)
		if (str_eq(names[r], name))
			return (enum role)r;
	return ROLE_NONE;
}

bool
authz_role_requires_2fa(enum role r)
{
	return r == ROLE_REGIONAL_ADMIN || r == ROLE_AFFILIATE_ADMIN;
}

static bool
same_country(const struct actor *who, const struct authz_target *t)
{
	return t != NULL && t->country != NULL &&
	       strcmp(who->country, t->country) == 0;
}

static bool
own_org(const struct actor *who, const struct authz_target *t)
{
	return t != NULL && t->org_id != 0 && t->org_id == who->org_id;
}

bool
authz_can(const struct actor *who, enum authz_action action,
	  const struct authz_target *t)
{
	if (who == NULL || who->role <= ROLE_NONE || who->role >= ROLE__MAX)
		return false;
	if (who->role == ROLE_REGIONAL_ADMIN)
		return true;
	bool admin = who->role == ROLE_AFFILIATE_ADMIN;
	bool local = same_country(who, t) && !(t && t->org_is_secretariat);

	switch (action) {
	case AUTHZ_STAFF_AREA: return true;
	case AUTHZ_ORG_LIST: return who->role != ROLE_PARTNER_USER;
	case AUTHZ_ORG_VIEW:
		if (own_org(who, t))
			return true;
		return who->role != ROLE_PARTNER_USER;
	case AUTHZ_ORG_CREATE:
	case AUTHZ_ORG_EDIT: return admin && local;
	case AUTHZ_USER_LIST: return admin;
	case AUTHZ_USER_VIEW:
	case AUTHZ_USER_EDIT:
	case AUTHZ_USER_CREATE:
		return admin && local &&
		       (t->role == ROLE_FOCAL_POINT ||
			t->role == ROLE_PARTNER_USER);
	case AUTHZ_AUDIT_VIEW:
		return admin && (t == NULL || t->org_id == 0 || local);
	case AUTHZ_CASE_LIST:
	case AUTHZ_CASE_CREATE: return who->role != ROLE_PARTNER_USER;
	case AUTHZ_CASE_VIEW:
	case AUTHZ_CASE_WORK:
		if (who->role == ROLE_PARTNER_USER || t == NULL ||
		    t->org_id == 0)
			return false;
		if (who->secretariat || own_org(who, t))
			return true;
		return admin && local;
	case AUTHZ_HOTLINE_EDIT: return admin && same_country(who, t);
	case AUTHZ_DEADLINE_EDIT: return admin && own_org(who, t);
	case AUTHZ_ROUTING_EDIT:
	case AUTHZ_SETTINGS_EDIT:
	case AUTHZ__MAX: return false;
	}
	return false;
}
