/*
 * Demo cases: a dozen invented stories in the languages of the region,
 * each marked is_demo and beginning with "[DEMO]", moved along the
 * workflow so that every page has something to show.  Their PINs are
 * thrown away; nobody can open them from the worker's side.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/str.h"
#include "model/case.h"
#include "model/demo.h"
#include "model/hotline.h"

struct demo_case {
	const char *kind, *category, *country_work, *country_origin, *sector;
	const char *employer, *agency, *language, *method, *contact;
	bool danger;
	const char *description;
	enum case_status status; /* where to move it */
	const char *message;     /* a message from staff, or NULL */
	const char *remedy;      /* a remedy kind, or NULL */
};

/* clang-format off */
static const struct demo_case cases[] = {
	{"complaint", "wages", "TH", "MM", "fishing", "DEMO Sea Harvest Co.",
	 "DEMO Golden Bridge Recruitment", "my", "phone", "+66 81 000 0001",
	 false, "[DEMO] အလုပ်ရှင်က လစာ သုံးလ မပေးသေးဘူး။ ငါးဖမ်းလှေပေါ်မှာ တစ်နေ့ ၁၆ နာရီ အလုပ်လုပ်ရတယ်။",
	 CASE_IN_PROGRESS, "[DEMO] We have contacted the labour office in Samut Sakhon.", NULL},
	{"complaint", "wages", "TH", "KH", "construction", "DEMO Bangkok Towers Ltd.",
	 "", "km", "messaging", "LINE demo-worker-02", false,
	 "[DEMO] ក្រុមហ៊ុនមិនបានបើកប្រាក់ខែឱ្យខ្ញុំពីរខែហើយ។ ខ្ញុំធ្វើការនៅការដ្ឋានសំណង់។",
	 CASE_VERIFIED, NULL, NULL},
	{"complaint", "document_retention", "MY", "ID", "agriculture",
	 "DEMO Palm Estate Sdn Bhd", "DEMO Jaya Manpower", "id", "none", "",
	 false, "[DEMO] Paspor saya ditahan oleh majikan sejak saya tiba. Saya tidak bisa pulang.",
	 CASE_NEW, NULL, NULL},
	{"assistance", "forced_labour", "MY", "MM", "manufacturing",
	 "DEMO Glove Factory", "", "en", "phone", "+60 12 000 0004", true,
	 "[DEMO] We are locked in the dormitory at night and cannot leave. Please help.",
	 CASE_NEW, NULL, NULL},
	{"complaint", "recruitment_fees", "SG", "BD", "construction",
	 "DEMO Marina Builders", "DEMO Dhaka Overseas", "bn", "email",
	 "worker5@example.invalid", false,
	 "[DEMO] I paid 6,000 dollars to the agent in Dhaka and now I must repay a loan from my salary.",
	 CASE_RESOLVED, "[DEMO] The employer agreed to repay the fees.", "money_recovered"},
	{"inquiry", "immigration_status", "TH", "LA", "domestic_work", "", "",
	 "lo", "phone", "+66 81 000 0006", false,
	 "[DEMO] ນາຍຈ້າງບໍ່ຈ່າຍເງິນເດືອນ ແລະ ບັດອະນຸຍາດເຮັດວຽກຂອງຂ້ອຍໝົດອາຍຸແລ້ວ. ຂ້ອຍຄວນເຮັດແນວໃດ?",
	 CASE_VERIFIED, NULL, NULL},
	{"complaint", "contract_substitution", "MY", "VN", "manufacturing",
	 "DEMO Electronics Sdn Bhd", "DEMO Hanoi Labour Export", "vi", "phone",
	 "+60 12 000 0007", false,
	 "[DEMO] Hợp đồng ở Việt Nam ghi lương 1.500 ringgit nhưng ở đây chỉ trả 900 ringgit.",
	 CASE_IN_PROGRESS, "[DEMO] Please send us a photo of both contracts.", NULL},
	{"complaint", "osh", "TH", "MM", "manufacturing", "DEMO Canning Factory",
	 "", "th", "none", "", false,
	 "[DEMO] นายจ้างไม่จ่ายค่าจ้างสามเดือน และไม่มีอุปกรณ์ป้องกันในโรงงาน",
	 CASE_NEW, NULL, NULL},
	{"complaint", "abuse_violence", "SG", "PH", "domestic_work", "", "",
	 "fil", "messaging", "WhatsApp +65 9000 0009", false,
	 "[DEMO] Sinisigawan at sinasaktan ako ng amo ko. Wala akong day off.",
	 CASE_CLOSED, "[DEMO] You are now safe at the shelter. We closed the case as you asked.", "repatriation"},
	{"inquiry", "social_security", "MY", "NP", "services", "", "", "ne",
	 "email", "worker10@example.invalid", false,
	 "[DEMO] मेरो कम्पनीले सामाजिक सुरक्षा कटौती गर्छ तर दर्ता गरेको छैन।",
	 CASE_RESOLVED, "[DEMO] Your employer has now registered you with SOCSO.", "contract_corrected"},
	{"complaint", "wages", "TH", "MM", "fishing", "DEMO Sea Harvest Co.",
	 "DEMO Golden Bridge Recruitment", "en", "phone", "+66 81 000 0001",
	 false, "[DEMO] My employer has not paid my wages for three months. I work 16 hours a day on the boat.",
	 CASE_NEW, NULL, NULL},
	{"complaint", "death_injury", "ID", "ID", "construction",
	 "DEMO Jakarta Works", "", "id", "phone", "+62 81 000 0012", false,
	 "[DEMO] Teman saya jatuh dari perancah dan perusahaan tidak mau membayar biaya rumah sakit.",
	 CASE_IN_PROGRESS, NULL, NULL},
};
/* clang-format on */

/* The path from "new" to each status, one allowed move at a time. */
static const enum case_status path[] = {CASE_VERIFIED, CASE_IN_PROGRESS,
					CASE_RESOLVED, CASE_CLOSED};

enum err
demo_cases_fill(struct db *db, const struct case_keys *k,
		const struct actor *sys)
{
	struct actor web = {.label = "atis demo (as a worker)", .address = ""};
	enum err rc = hotline_add_demo(db);
	if (rc) {
		log_error("demo: cannot add the emergency numbers: %s",
			  err_str(rc));
		return rc;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct demo_case *d = &cases[i];
		struct case_input in = {
			.kind = d->kind,
			.category = d->category,
			.description = d->description,
			.country_work = d->country_work,
			.country_origin = d->country_origin,
			.sector = d->sector,
			.employer = d->employer,
			.agency = d->agency,
			.language = d->language,
			.contact_method = d->method,
			.contact = d->contact,
			.consent_contact = d->contact[0] != '\0',
			.consent_share = i % 2 == 0,
			.danger = d->danger,
			.channel = i % 3 == 1 ? "hotline" : "web",
			.is_demo = true,
		};
		struct check c = {0};
		int64_t id;
		char ref[CASE_REFERENCE_LEN + 1], pin[CASE_PIN_LEN + 1];
		if ((rc = case_create(db, k, &web, &in, &c, &id, ref, pin))) {
			log_error("demo: cannot add case %zu: %s (%s)", i,
				  err_str(rc),
				  c.n ? c.items[0].field : "no field");
			return rc;
		}
		crypto_wipe(pin, sizeof pin);
		for (size_t s = 0;
		     d->status != CASE_NEW && s < sizeof path / sizeof path[0];
		     s++) {
			struct check sc = {0};
			if ((rc = case_set_status(db, sys, id, path[s], &sc)))
				return rc;
			if (path[s] == CASE_VERIFIED && d->message) {
				if ((rc = case_add_message(db, k, sys, id,
							   d->message, &sc)))
					return rc;
			}
			if (path[s] == CASE_IN_PROGRESS && d->remedy) {
				struct case_remedy r = {
					.kind = d->remedy,
					.amount = str_eq(d->remedy,
							 "money_recovered")
							  ? "6000"
							  : "",
					.currency = "SGD",
					.date = "2026-10-01",
					.note = "[DEMO]",
				};
				if ((rc = case_record_remedy(db, k, sys, id, &r,
							     &sc)))
					return rc;
			}
			if (path[s] == d->status)
				break;
		}
	}
	return ERR_OK;
}
