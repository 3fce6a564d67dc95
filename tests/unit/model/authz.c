/*
 * Tests for src/model/authz.c: the whole matrix of role × action × target,
 * written out below as data from the rules in authz.c's comment (not
 * computed by calling authz_can), then the role a user action gives or
 * touches, role names and labels, and which roles must use two factors.
 *
 * The actor belongs to organisation 10 in Thailand.  The targets are:
 *   OWN    organisation 10 (TH), the actor's own
 *   SAME   organisation 11, another one in TH
 *   OTHER  organisation 20 in VN
 *   SEC    organisation 1, the secretariat — placed in TH, the actor's
 *          own country, so that only its being the secretariat counts
 *   NULL   no target (page-level questions: "may I open the audit log?")
 * For the user actions the target account holds (or is to get) the
 * focal-point role; the role dimension has its own table further down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/str.h"
#include "model/authz.h"

enum { T_OWN, T_SAME, T_OTHER, T_SEC, T_NULL, T__MAX };

static const struct authz_target targets[T__MAX - 1] = {
	[T_OWN] = {10, "TH", false, ROLE_FOCAL_POINT},
	[T_SAME] = {11, "TH", false, ROLE_FOCAL_POINT},
	[T_OTHER] = {20, "VN", false, ROLE_FOCAL_POINT},
	[T_SEC] = {1, "TH", true, ROLE_FOCAL_POINT},
};

static const char *const target_names[T__MAX] = {
	"own org", "same country", "other country", "secretariat", "NULL"};

static const char *const action_names[AUTHZ__MAX] = {
	[AUTHZ_STAFF_AREA] = "STAFF_AREA",
	[AUTHZ_ORG_LIST] = "ORG_LIST",
	[AUTHZ_ORG_VIEW] = "ORG_VIEW",
	[AUTHZ_ORG_CREATE] = "ORG_CREATE",
	[AUTHZ_ORG_EDIT] = "ORG_EDIT",
	[AUTHZ_USER_LIST] = "USER_LIST",
	[AUTHZ_USER_VIEW] = "USER_VIEW",
	[AUTHZ_USER_CREATE] = "USER_CREATE",
	[AUTHZ_USER_EDIT] = "USER_EDIT",
	[AUTHZ_AUDIT_VIEW] = "AUDIT_VIEW",
	[AUTHZ_SETTINGS_EDIT] = "SETTINGS_EDIT",
	[AUTHZ_CASE_LIST] = "CASE_LIST",
	[AUTHZ_CASE_CREATE] = "CASE_CREATE",
	[AUTHZ_CASE_VIEW] = "CASE_VIEW",
	[AUTHZ_CASE_WORK] = "CASE_WORK",
	[AUTHZ_HOTLINE_EDIT] = "HOTLINE_EDIT",
	[AUTHZ_ROUTING_EDIT] = "ROUTING_EDIT",
	[AUTHZ_DEADLINE_EDIT] = "DEADLINE_EDIT",
};

/*
 * The expected answers.  Each string is one action's answers for the
 * targets OWN, SAME, OTHER, SEC, NULL: 'Y' allowed, '.' refused.
 *
 * The list actions (ORG_LIST, USER_LIST) are page-level: whether the list
 * page opens at all, whatever record is named; the rows are then limited
 * by the list's own filter (model/org.h, model/user.h).
 */
struct role_rules {
	enum role role;
	const char *name;
	const char *row[AUTHZ__MAX];
};

/* clang-format off */
static const struct role_rules expected[] = {
	/* Nobody signed in: nothing. */
	{ROLE_NONE, "none", {
		[AUTHZ_STAFF_AREA]    = ".....",
		[AUTHZ_ORG_LIST]      = ".....",
		[AUTHZ_ORG_VIEW]      = ".....",
		[AUTHZ_ORG_CREATE]    = ".....",
		[AUTHZ_ORG_EDIT]      = ".....",
		[AUTHZ_USER_LIST]     = ".....",
		[AUTHZ_USER_VIEW]     = ".....",
		[AUTHZ_USER_CREATE]   = ".....",
		[AUTHZ_USER_EDIT]     = ".....",
		[AUTHZ_AUDIT_VIEW]    = ".....",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = ".....",
		[AUTHZ_CASE_CREATE]     = ".....",
		[AUTHZ_CASE_VIEW]       = ".....",
		[AUTHZ_CASE_WORK]       = ".....",
		[AUTHZ_HOTLINE_EDIT]    = ".....",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = ".....",
	}},
	/* The secretariat: everything, everywhere. */
	{ROLE_REGIONAL_ADMIN, "regional admin", {
		[AUTHZ_STAFF_AREA]    = "YYYYY",
		[AUTHZ_ORG_LIST]      = "YYYYY",
		[AUTHZ_ORG_VIEW]      = "YYYYY",
		[AUTHZ_ORG_CREATE]    = "YYYYY",
		[AUTHZ_ORG_EDIT]      = "YYYYY",
		[AUTHZ_USER_LIST]     = "YYYYY",
		[AUTHZ_USER_VIEW]     = "YYYYY",
		[AUTHZ_USER_CREATE]   = "YYYYY",
		[AUTHZ_USER_EDIT]     = "YYYYY",
		[AUTHZ_AUDIT_VIEW]    = "YYYYY",
		[AUTHZ_SETTINGS_EDIT] = "YYYYY",
		[AUTHZ_CASE_LIST]       = "YYYYY",
		[AUTHZ_CASE_CREATE]     = "YYYYY",
		[AUTHZ_CASE_VIEW]       = "YYYYY",
		[AUTHZ_CASE_WORK]       = "YYYYY",
		[AUTHZ_HOTLINE_EDIT]    = "YYYYY",
		[AUTHZ_ROUTING_EDIT]    = "YYYYY",
		[AUTHZ_DEADLINE_EDIT]   = "YYYYY",
	}},
	/* Their own country: the whole directory to read; organisations of
	 * their country, not the secretariat, to create and edit; accounts
	 * of those organisations; the audit entries about them. */
	{ROLE_AFFILIATE_ADMIN, "affiliate admin", {
		[AUTHZ_STAFF_AREA]    = "YYYYY",
		[AUTHZ_ORG_LIST]      = "YYYYY",
		[AUTHZ_ORG_VIEW]      = "YYYYY",
		[AUTHZ_ORG_CREATE]    = "YY...",
		[AUTHZ_ORG_EDIT]      = "YY...",
		[AUTHZ_USER_LIST]     = "YYYYY",
		[AUTHZ_USER_VIEW]     = "YY...",
		[AUTHZ_USER_CREATE]   = "YY...",
		[AUTHZ_USER_EDIT]     = "YY...",
		[AUTHZ_AUDIT_VIEW]    = "YY..Y",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = "YYYYY",
		[AUTHZ_CASE_CREATE]     = "YYYYY",
		[AUTHZ_CASE_VIEW]       = "YY...",
		[AUTHZ_CASE_WORK]       = "YY...",
		[AUTHZ_HOTLINE_EDIT]    = "YY.Y.",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = "Y....",
	}},
	/* Works cases and reads the directory. */
	{ROLE_FOCAL_POINT, "focal point", {
		[AUTHZ_STAFF_AREA]    = "YYYYY",
		[AUTHZ_ORG_LIST]      = "YYYYY",
		[AUTHZ_ORG_VIEW]      = "YYYYY",
		[AUTHZ_ORG_CREATE]    = ".....",
		[AUTHZ_ORG_EDIT]      = ".....",
		[AUTHZ_USER_LIST]     = ".....",
		[AUTHZ_USER_VIEW]     = ".....",
		[AUTHZ_USER_CREATE]   = ".....",
		[AUTHZ_USER_EDIT]     = ".....",
		[AUTHZ_AUDIT_VIEW]    = ".....",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = "YYYYY",
		[AUTHZ_CASE_CREATE]     = "YYYYY",
		[AUTHZ_CASE_VIEW]       = "Y....",
		[AUTHZ_CASE_WORK]       = "Y....",
		[AUTHZ_HOTLINE_EDIT]    = ".....",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = ".....",
	}},
	/* Sees only their own organisation. */
	{ROLE_PARTNER_USER, "partner user", {
		[AUTHZ_STAFF_AREA]    = "YYYYY",
		[AUTHZ_ORG_LIST]      = ".....",
		[AUTHZ_ORG_VIEW]      = "Y....",
		[AUTHZ_ORG_CREATE]    = ".....",
		[AUTHZ_ORG_EDIT]      = ".....",
		[AUTHZ_USER_LIST]     = ".....",
		[AUTHZ_USER_VIEW]     = ".....",
		[AUTHZ_USER_CREATE]   = ".....",
		[AUTHZ_USER_EDIT]     = ".....",
		[AUTHZ_AUDIT_VIEW]    = ".....",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = ".....",
		[AUTHZ_CASE_CREATE]     = ".....",
		[AUTHZ_CASE_VIEW]       = ".....",
		[AUTHZ_CASE_WORK]       = ".....",
		[AUTHZ_HOTLINE_EDIT]    = ".....",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = ".....",
	}},
	/* Values outside the enum are treated as nobody. */
	{ROLE__MAX, "ROLE__MAX", {
		[AUTHZ_STAFF_AREA]    = ".....",
		[AUTHZ_ORG_LIST]      = ".....",
		[AUTHZ_ORG_VIEW]      = ".....",
		[AUTHZ_ORG_CREATE]    = ".....",
		[AUTHZ_ORG_EDIT]      = ".....",
		[AUTHZ_USER_LIST]     = ".....",
		[AUTHZ_USER_VIEW]     = ".....",
		[AUTHZ_USER_CREATE]   = ".....",
		[AUTHZ_USER_EDIT]     = ".....",
		[AUTHZ_AUDIT_VIEW]    = ".....",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = ".....",
		[AUTHZ_CASE_CREATE]     = ".....",
		[AUTHZ_CASE_VIEW]       = ".....",
		[AUTHZ_CASE_WORK]       = ".....",
		[AUTHZ_HOTLINE_EDIT]    = ".....",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = ".....",
	}},
	{(enum role)99, "role 99", {
		[AUTHZ_STAFF_AREA]    = ".....",
		[AUTHZ_ORG_LIST]      = ".....",
		[AUTHZ_ORG_VIEW]      = ".....",
		[AUTHZ_ORG_CREATE]    = ".....",
		[AUTHZ_ORG_EDIT]      = ".....",
		[AUTHZ_USER_LIST]     = ".....",
		[AUTHZ_USER_VIEW]     = ".....",
		[AUTHZ_USER_CREATE]   = ".....",
		[AUTHZ_USER_EDIT]     = ".....",
		[AUTHZ_AUDIT_VIEW]    = ".....",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = ".....",
		[AUTHZ_CASE_CREATE]     = ".....",
		[AUTHZ_CASE_VIEW]       = ".....",
		[AUTHZ_CASE_WORK]       = ".....",
		[AUTHZ_HOTLINE_EDIT]    = ".....",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = ".....",
	}},
	{(enum role)-1, "role -1", {
		[AUTHZ_STAFF_AREA]    = ".....",
		[AUTHZ_ORG_LIST]      = ".....",
		[AUTHZ_ORG_VIEW]      = ".....",
		[AUTHZ_ORG_CREATE]    = ".....",
		[AUTHZ_ORG_EDIT]      = ".....",
		[AUTHZ_USER_LIST]     = ".....",
		[AUTHZ_USER_VIEW]     = ".....",
		[AUTHZ_USER_CREATE]   = ".....",
		[AUTHZ_USER_EDIT]     = ".....",
		[AUTHZ_AUDIT_VIEW]    = ".....",
		[AUTHZ_SETTINGS_EDIT] = ".....",
		[AUTHZ_CASE_LIST]       = ".....",
		[AUTHZ_CASE_CREATE]     = ".....",
		[AUTHZ_CASE_VIEW]       = ".....",
		[AUTHZ_CASE_WORK]       = ".....",
		[AUTHZ_HOTLINE_EDIT]    = ".....",
		[AUTHZ_ROUTING_EDIT]    = ".....",
		[AUTHZ_DEADLINE_EDIT]   = ".....",
	}},
};
/* clang-format on */

/* Staff of the regional secretariat see and work every case, whatever
 * their role — except partner users, who see none. */
static void
test_secretariat_staff(void **state)
{
	(void)state;
	for (enum role r = ROLE_REGIONAL_ADMIN; r < ROLE__MAX; r++) {
		struct actor a = {.user_id = 1,
				  .org_id = 1,
				  .country = "SG",
				  .role = r,
				  .secretariat = true,
				  .label = "x",
				  .address = ""};
		for (int t = T_OWN; t < T_NULL; t++) {
			bool want = r != ROLE_PARTNER_USER;
			assert_int_equal(
				authz_can(&a, AUTHZ_CASE_VIEW, &targets[t]),
				want);
			assert_int_equal(
				authz_can(&a, AUTHZ_CASE_WORK, &targets[t]),
				want);
		}
		/* A case always has an owner: no target, no case. */
		assert_int_equal(authz_can(&a, AUTHZ_CASE_VIEW, NULL),
				 r == ROLE_REGIONAL_ADMIN);
	}
}

static struct actor
actor_of(enum role r)
{
	struct actor a = {.user_id = 100,
			  .org_id = 10,
			  .country = "TH",
			  .role = r,
			  .label = "someone@example.org",
			  .address = "192.0.2.1"};
	return a;
}

/* Asks one cell of the matrix; false (and says so) when the answer is
 * not the expected one. */
static bool
cell_ok(const struct actor *a, const char *role, int act, int t, char expect)
{
	assert_true(expect == 'Y' || expect == '.');
	const struct authz_target *tp = t == T_NULL ? NULL : &targets[t];
	bool want = expect == 'Y';
	bool got = authz_can(a, (enum authz_action)act, tp);
	if (got != want)
		print_error("%s %s %s: got %s, want %s\n", role,
			    action_names[act], target_names[t],
			    got ? "yes" : "no", want ? "yes" : "no");
	return got == want;
}

static void
test_matrix(void **state)
{
	(void)state;
	int cells = 0, wrong = 0;
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const struct role_rules *r = &expected[i];
		struct actor a = actor_of(r->role);
		for (int act = 0; act < AUTHZ__MAX; act++) {
			const char *row = r->row[act];
			assert_non_null(row);
			assert_int_equal(strlen(row), T__MAX);
			for (int t = 0; t < T__MAX; t++) {
				cells++;
				if (!cell_ok(&a, r->name, act, t, row[t]))
					wrong++;
			}
		}
	}
	assert_int_equal(cells, 8 * AUTHZ__MAX * T__MAX);
	assert_int_equal(wrong, 0);
}

/*
 * An affiliate admin manages focal point and partner user accounts only —
 * never an admin's, their peers' included; the regional admin manages
 * every role.  Targets: an organisation in the admin's
 * country (SAME).  Columns: the target account's role REGIONAL_ADMIN,
 * AFFILIATE_ADMIN, FOCAL_POINT, PARTNER_USER.
 */
static void
test_user_roles(void **state)
{
	(void)state;
	static const enum role roles[] = {ROLE_REGIONAL_ADMIN,
					  ROLE_AFFILIATE_ADMIN,
					  ROLE_FOCAL_POINT, ROLE_PARTNER_USER};
	static const struct {
		enum role actor;
		const char *row; /* VIEW, CREATE, EDIT share one row */
	} want[] = {
		{ROLE_REGIONAL_ADMIN, "YYYY"},
		{ROLE_AFFILIATE_ADMIN, "..YY"},
		{ROLE_FOCAL_POINT, "...."},
		{ROLE_PARTNER_USER, "...."},
	};
	static const enum authz_action acts[] = {
		AUTHZ_USER_VIEW, AUTHZ_USER_CREATE, AUTHZ_USER_EDIT};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct actor a = actor_of(want[i].actor);
		for (size_t k = 0; k < 4; k++) {
			struct authz_target t = targets[T_SAME];
			t.role = roles[k];
			for (size_t x = 0; x < 3; x++) {
				bool got = authz_can(&a, acts[x], &t);
				if (got != (want[i].row[k] == 'Y'))
					fail_msg("%s %s on a %s: got %d",
						 role_name(want[i].actor),
						 action_names[acts[x]],
						 role_name(roles[k]), got);
			}
			/* Own organisation: the same answers. */
			t.org_id = a.org_id;
			for (size_t x = 0; x < 3; x++)
				assert_int_equal(authz_can(&a, acts[x], &t),
						 want[i].row[k] == 'Y');
		}
	}
}

/* "Anyone signed in may see their own organisation." */
static void
test_own_org_visible(void **state)
{
	(void)state;
	for (int r = ROLE_NONE + 1; r < ROLE__MAX; r++) {
		struct actor a = actor_of((enum role)r);
		struct authz_target own = {.org_id = a.org_id,
					   .country = a.country};
		assert_true(authz_can(&a, AUTHZ_ORG_VIEW, &own));
		assert_true(authz_can(&a, AUTHZ_STAFF_AREA, &own));
	}
	/* An organisation id of 0 is nobody's own. */
	struct actor p = actor_of(ROLE_PARTNER_USER);
	p.org_id = 0;
	struct authz_target zero = {.org_id = 0, .country = "TH"};
	assert_false(authz_can(&p, AUTHZ_ORG_VIEW, &zero));
}

/* Creating an organisation: the target is the new one's country, with no
 * id yet. */
static void
test_org_create_new(void **state)
{
	(void)state;
	struct authz_target th = {.country = "TH"};
	struct authz_target vn = {.country = "VN"};
	struct authz_target sec = {.country = "TH", .org_is_secretariat = true};
	struct authz_target none = {0};
	struct actor aff = actor_of(ROLE_AFFILIATE_ADMIN);
	assert_true(authz_can(&aff, AUTHZ_ORG_CREATE, &th));
	assert_false(authz_can(&aff, AUTHZ_ORG_CREATE, &vn));
	assert_false(authz_can(&aff, AUTHZ_ORG_CREATE, &sec));
	assert_false(authz_can(&aff, AUTHZ_ORG_CREATE, &none));
	struct actor reg = actor_of(ROLE_REGIONAL_ADMIN);
	assert_true(authz_can(&reg, AUTHZ_ORG_CREATE, &vn));
	assert_true(authz_can(&reg, AUTHZ_ORG_CREATE, &sec));
	for (int r = ROLE_FOCAL_POINT; r < ROLE__MAX; r++) {
		struct actor a = actor_of((enum role)r);
		assert_false(authz_can(&a, AUTHZ_ORG_CREATE, &th));
	}
}

static void
test_no_actor(void **state)
{
	(void)state;
	for (int act = 0; act < AUTHZ__MAX; act++) {
		assert_false(authz_can(NULL, (enum authz_action)act, NULL));
		assert_false(authz_can(NULL, (enum authz_action)act,
				       &targets[T_OWN]));
	}
	/* An action outside the enum is refused to everyone but the
	 * secretariat, who may do everything. */
	struct actor aff = actor_of(ROLE_AFFILIATE_ADMIN);
	assert_false(authz_can(&aff, AUTHZ__MAX, &targets[T_OWN]));
	assert_false(authz_can(&aff, (enum authz_action)77, &targets[T_OWN]));
}

static void
test_role_names(void **state)
{
	(void)state;
	static const char *const names[ROLE__MAX] = {
		[ROLE_REGIONAL_ADMIN] = "regional_admin",
		[ROLE_AFFILIATE_ADMIN] = "affiliate_admin",
		[ROLE_FOCAL_POINT] = "focal_point",
		[ROLE_PARTNER_USER] = "partner_user",
	};
	for (int r = ROLE_NONE + 1; r < ROLE__MAX; r++) {
		assert_string_equal(role_name((enum role)r), names[r]);
		assert_int_equal(role_parse(role_name((enum role)r)), r);
		assert_false(str_empty(role_label((enum role)r)));
	}
	assert_null(role_name(ROLE_NONE));
	assert_null(role_name(ROLE__MAX));
	assert_null(role_name((enum role) - 1));
	assert_string_equal(role_label(ROLE_NONE), "");
	assert_string_equal(role_label(ROLE__MAX), "");
	assert_int_equal(role_parse(NULL), ROLE_NONE);
	assert_int_equal(role_parse(""), ROLE_NONE);
	assert_int_equal(role_parse("admin"), ROLE_NONE);
	assert_int_equal(role_parse("Regional_Admin"), ROLE_NONE);
	assert_int_equal(role_parse("regional_admin "), ROLE_NONE);
	assert_int_equal(role_parse("Regional admin"), ROLE_NONE);
}

static void
test_requires_2fa(void **state)
{
	(void)state;
	assert_true(authz_role_requires_2fa(ROLE_REGIONAL_ADMIN));
	assert_true(authz_role_requires_2fa(ROLE_AFFILIATE_ADMIN));
	assert_false(authz_role_requires_2fa(ROLE_FOCAL_POINT));
	assert_false(authz_role_requires_2fa(ROLE_PARTNER_USER));
	assert_false(authz_role_requires_2fa(ROLE_NONE));
	assert_false(authz_role_requires_2fa(ROLE__MAX));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_secretariat_staff),
		cmocka_unit_test(test_user_roles),
		cmocka_unit_test(test_own_org_visible),
		cmocka_unit_test(test_org_create_new),
		cmocka_unit_test(test_no_actor),
		cmocka_unit_test(test_role_names),
		cmocka_unit_test(test_requires_2fa),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
