#include "model/demo.h"

#include <string.h>

#include "base/log.h"
#include "model/org.h"
#include "model/user.h"

struct demo_org {
	const char *country;
	const char *name;
	enum org_kind kind;
	const char *languages;
	const char *phone;
	const char *slug; /* for e-mail addresses */
};

static const struct demo_org orgs[] = {
	{"SG", "DEMO Regional Secretariat", ORG_REGIONAL_SECRETARIAT, "en",
	 "+65 0000 0000", "secretariat"},
	{"PH", "DEMO Philippine Union Centre", ORG_AFFILIATE, "fil en",
	 "+63 0000 0000", "ph"},
	{"ID", "DEMO Indonesian Union Centre", ORG_AFFILIATE, "id en",
	 "+62 0000 0000", "id"},
	{"MY", "DEMO Malaysian Union Centre", ORG_AFFILIATE, "ms en",
	 "+60 0000 0000", "my"},
	{"SG", "DEMO Singapore Union Centre", ORG_AFFILIATE, "en ms",
	 "+65 0000 0001", "sg"},
	{"TH", "DEMO Thai Union Centre", ORG_AFFILIATE, "th en my km lo",
	 "+66 0000 0000", "th"},
	{"VN", "DEMO Vietnamese Union Centre", ORG_AFFILIATE, "vi en",
	 "+84 0000 0000", "vn"},
	{"KH", "DEMO Cambodian Union Centre", ORG_AFFILIATE, "km en",
	 "+855 0000 0000", "kh"},
	{"MM", "DEMO Myanmar Union Centre", ORG_AFFILIATE, "my en",
	 "+95 0000 0000", "mm"},
	{"LA", "DEMO Lao Union Centre", ORG_AFFILIATE, "lo en",
	 "+856 0000 0000", "la"},
	{"MY", "DEMO Migrant Shelter NGO", ORG_NGO, "ms en id", "+60 0000 0001",
	 "ngo-my"},
	{"TH", "DEMO Provincial Labour Office", ORG_GOVERNMENT_AGENCY, "th",
	 "+66 0000 0001", "gov-th"},
};

struct demo_person {
	const char *local;
	enum role role;
	const char *name;
};

int
demo_present(struct db *db)
{
	int64_t n = 0;
	db_query_int(db, &n,
		     "SELECT count(*) FROM organisation WHERE is_demo = 1", "");
	return n > 0;
}

static void
print_logins(FILE *out)
{
	fprintf(out,
		"Demo logins (DEMO DATA — every password is %s):\n"
		"  regional admin   admin@secretariat.demo.atis.invalid\n"
		"  affiliate admin  admin@ph.demo.atis.invalid (and @id, @my, "
		"@sg, @th, @vn, @kh, @mm, @la)\n"
		"  focal point      focal@ph.demo.atis.invalid (and the other "
		"countries)\n"
		"  partner user     partner@ngo-my.demo.atis.invalid\n"
		"Admins set up two-step verification (an authenticator app) at "
		"their first sign-in; focal points and partners need not.\n",
		DEMO_PASSWORD);
}

enum err
demo_fill(struct db *db, const struct case_keys *keys, FILE *out)
{
	if (demo_present(db)) {
		print_logins(out);
		return ERR_EXISTS;
	}
	struct actor sys = {.label = "atis demo", .address = ""};
	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
		const struct demo_org *d = &orgs[i];
		char email[128];
		snprintf(email, sizeof email, "contact@%s.demo.atis.invalid",
			 d->slug);
		struct org o = {
			.name = d->name,
			.kind = d->kind,
			.country = d->country,
			.languages = d->languages,
			.services = "DEMO: information, counselling, help with "
				    "complaints",
			.contact_email = email,
			.contact_phone = d->phone,
			.address = "DEMO address — not a real place",
			.referral_partner = d->kind != ORG_REGIONAL_SECRETARIAT,
			.is_demo = true,
		};
		struct check c = {0};
		int64_t id;
		enum err rc = org_create(db, &sys, &o, &c, &id);
		if (rc) {
			log_error("demo: cannot add %s: %s", d->name,
				  err_str(rc));
			return rc;
		}
		struct demo_person people[2];
		size_t n = 0;
		if (d->kind == ORG_REGIONAL_SECRETARIAT) {
			people[n++] = (struct demo_person){
				"admin", ROLE_REGIONAL_ADMIN,
				"DEMO Regional Admin"};
		} else if (d->kind == ORG_AFFILIATE) {
			people[n++] = (struct demo_person){
				"admin", ROLE_AFFILIATE_ADMIN,
				"DEMO Affiliate Admin"};
			people[n++] = (struct demo_person){
				"focal", ROLE_FOCAL_POINT, "DEMO Focal Point"};
		} else {
			people[n++] = (struct demo_person){"partner",
							   ROLE_PARTNER_USER,
							   "DEMO Partner User"};
		}
		for (size_t k = 0; k < n; k++) {
			char uemail[128], uname[128];
			snprintf(uemail, sizeof uemail,
				 "%s@%s.demo.atis.invalid", people[k].local,
				 d->slug);
			snprintf(uname, sizeof uname, "%s (%s)", people[k].name,
				 d->country);
			struct user_input in = {
				.email = uemail,
				.name = uname,
				.org_id = id,
				.role = people[k].role,
				.password = DEMO_PASSWORD,
				.language = "",
				.is_demo = true,
			};
			struct check uc = {0};
			int64_t uid;
			rc = user_create(db, &sys, &in, &uc, &uid);
			if (rc) {
				log_error("demo: cannot add %s: %s", uemail,
					  err_str(rc));
				return rc;
			}
		}
	}
	/* The cases are worked by the demo regional admin. */
	struct actor staff = {.label = "atis demo",
			      .address = "",
			      .role = ROLE_REGIONAL_ADMIN,
			      .secretariat = true};
	if (db_query_int(db, &staff.user_id,
			 "SELECT id FROM app_user WHERE email = ?", "t",
			 "admin@secretariat.demo.atis.invalid") ||
	    db_query_int(db, &staff.org_id,
			 "SELECT org_id FROM app_user WHERE id = ?", "i",
			 staff.user_id))
		return ERR_DB;
	enum err rc = demo_cases_fill(db, keys, &staff);
	if (rc)
		return rc;
	print_logins(out);
	return ERR_OK;
}
