/*
 * phrases.h — the phrase banks of bench/gencases.c: sentences a migrant
 * worker might write to a helpdesk, in the languages of the region, by
 * topic.  A description is assembled from a few of them (gencases.c).
 *
 * Placeholders, filled in by the generator: {n} a small number (2-6),
 * {h} hours a day (12-18), {m} an amount of money, {cur} the currency of
 * the country of work in words (English sentences only).
 *
 * The "rare" topic holds one sentence per language with a word that
 * appears nowhere else (crocodile, จระเข้ …); the generator adds it to
 * about one description in 5,000, so that a search for it finds a few
 * dozen cases in a million.
 */
#ifndef ATIS_BENCH_PHRASES_H
#define ATIS_BENCH_PHRASES_H

enum topic {
	T_WAGES,
	T_FEES,
	T_DOCS,
	T_OVERTIME,
	T_INJURY,
	T_CONTRACT,
	T_ABUSE,
	T_FORCED,
	T_SOCIAL,
	T_VISA,
	T_HOME,
	T_GENERAL,
	T_RARE,
	T__COUNT
};

struct phrase {
	const char *lang;
	enum topic topic;
	const char *text;
};

/* clang-format off */
static const struct phrase phrases[] = {
	/* ---- English ---------------------------------------------------- */
	{"en", T_WAGES, "My employer has not paid my wages for {n} months."},
	{"en", T_WAGES, "The boss pays only {m} {cur} a month, less than the minimum wage."},
	{"en", T_WAGES, "They deduct money from my salary every month for food and the room without telling us why."},
	{"en", T_WAGES, "When I asked for my salary the supervisor said I must wait until the end of the season."},
	{"en", T_WAGES, "We were paid half of our wages in cash and the rest was never paid."},
	{"en", T_FEES, "I paid {m} {cur} to the agent before I left home and I am still paying back the loan."},
	{"en", T_FEES, "The agency took {n} months of my salary as a fee that was never in my contract."},
	{"en", T_FEES, "We had to borrow money from a moneylender in our village to pay the recruitment fee."},
	{"en", T_DOCS, "The employer keeps my passport and work permit and will not give them back."},
	{"en", T_DOCS, "My passport was taken by the agent when I arrived at the airport."},
	{"en", T_DOCS, "Without my documents I am afraid to go outside because the police may arrest me."},
	{"en", T_OVERTIME, "We work {h} hours a day, seven days a week, and overtime is not paid."},
	{"en", T_OVERTIME, "I have had no day off since I started this job."},
	{"en", T_INJURY, "I hurt my hand on the machine and the company will not pay for the hospital."},
	{"en", T_INJURY, "A friend fell from the scaffolding and the employer sent him home without any compensation."},
	{"en", T_INJURY, "There are no gloves or masks in the factory and many workers are sick from the chemicals."},
	{"en", T_CONTRACT, "The contract I signed at home said {m} {cur} but here I receive much less."},
	{"en", T_CONTRACT, "They made me sign a new contract in a language I cannot read."},
	{"en", T_ABUSE, "The supervisor shouts at us and sometimes hits the workers."},
	{"en", T_ABUSE, "My employer locks me in the house and does not let me use the phone."},
	{"en", T_FORCED, "We are not allowed to leave the boat and the captain says we owe him money."},
	{"en", T_FORCED, "The gate of the dormitory is locked at night and guards watch us."},
	{"en", T_SOCIAL, "The company deducts social security every month but I am not registered."},
	{"en", T_VISA, "My work permit expired and the employer did not renew it."},
	{"en", T_VISA, "I want to change employer but the agency says my visa will be cancelled."},
	{"en", T_HOME, "I want to go home but I have no money for the ticket."},
	{"en", T_GENERAL, "Please help me, I do not know who else to ask."},
	{"en", T_GENERAL, "There are {n} other workers from my village with the same problem."},
	{"en", T_GENERAL, "I am afraid that I will lose my job if I complain."},
	{"en", T_GENERAL, "Please contact me after six in the evening when I finish work."},
	{"en", T_RARE, "Before this I worked on a crocodile farm near the border."},

	/* ---- Thai ------------------------------------------------------- */
	{"th", T_WAGES, "นายจ้างไม่จ่ายค่าจ้างมา {n} เดือนแล้ว"},
	{"th", T_WAGES, "นายจ้างจ่ายเงินเดือนให้แค่ {m} บาท ต่ำกว่าค่าแรงขั้นต่ำ"},
	{"th", T_WAGES, "นายจ้างหักเงินค่าอาหารและค่าห้องทุกเดือนโดยไม่บอกเหตุผล"},
	{"th", T_WAGES, "พอขอเงินเดือน หัวหน้าบอกให้รอจนหมดฤดูกาลก่อน"},
	{"th", T_FEES, "ฉันจ่ายค่านายหน้า {m} บาทให้เอเจนซี่ก่อนมาทำงาน และยังต้องใช้หนี้อยู่"},
	{"th", T_FEES, "บริษัทจัดหางานหักเงินเดือนของฉันไป {n} เดือนเป็นค่าธรรมเนียม"},
	{"th", T_DOCS, "นายจ้างยึดหนังสือเดินทางและใบอนุญาตทำงานของฉันไว้ ไม่ยอมคืน"},
	{"th", T_DOCS, "ฉันไม่กล้าออกไปข้างนอกเพราะไม่มีเอกสาร กลัวตำรวจจับ"},
	{"th", T_OVERTIME, "ต้องทำงานวันละ {h} ชั่วโมง ไม่มีวันหยุด และไม่ได้ค่าล่วงเวลา"},
	{"th", T_INJURY, "ฉันได้รับบาดเจ็บที่มือจากเครื่องจักร แต่บริษัทไม่จ่ายค่ารักษาพยาบาล"},
	{"th", T_INJURY, "ในโรงงานไม่มีอุปกรณ์ป้องกัน คนงานหลายคนป่วยเพราะสารเคมี"},
	{"th", T_CONTRACT, "สัญญาที่เซ็นที่บ้านเขียนว่าได้เงินเดือน {m} บาท แต่ที่นี่ได้น้อยกว่ามาก"},
	{"th", T_ABUSE, "หัวหน้างานด่าและทำร้ายร่างกายคนงาน"},
	{"th", T_ABUSE, "นายจ้างขังฉันไว้ในบ้านและไม่ให้ใช้โทรศัพท์"},
	{"th", T_FORCED, "เราออกจากเรือไม่ได้ ไต้ก๋งบอกว่าเราเป็นหนี้เขาอยู่"},
	{"th", T_SOCIAL, "บริษัทหักเงินประกันสังคมทุกเดือน แต่ไม่ได้ขึ้นทะเบียนให้ฉัน"},
	{"th", T_VISA, "ใบอนุญาตทำงานของฉันหมดอายุแล้ว นายจ้างไม่ต่อให้"},
	{"th", T_HOME, "ฉันอยากกลับบ้าน แต่ไม่มีเงินค่าเดินทาง"},
	{"th", T_GENERAL, "ช่วยฉันด้วย ฉันไม่รู้จะถามใคร"},
	{"th", T_GENERAL, "มีเพื่อนคนงานอีก {n} คนที่มีปัญหาเหมือนกัน"},
	{"th", T_GENERAL, "ฉันกลัวว่าจะถูกไล่ออกถ้าร้องเรียน"},
	{"th", T_RARE, "ก่อนหน้านี้ฉันเคยทำงานที่ฟาร์มจระเข้ใกล้ชายแดน"},

	/* ---- Burmese ---------------------------------------------------- */
	{"my", T_WAGES, "အလုပ်ရှင်က လစာ {n} လ မပေးသေးဘူး။"},
	{"my", T_WAGES, "တစ်လကို {m} ဘတ်ပဲ ပေးတယ်၊ အနည်းဆုံးလုပ်ခထက် နည်းတယ်။"},
	{"my", T_WAGES, "အစားအသောက်နဲ့ အခန်းခအတွက် လစာထဲက လစဉ် ဖြတ်တောက်တယ်။"},
	{"my", T_FEES, "အိမ်ကမထွက်ခင် အေးဂျင့်ကို {m} ကျပ် ပေးခဲ့ရတယ်၊ အကြွေး အခုထိ ဆပ်နေရတုန်းပဲ။"},
	{"my", T_DOCS, "အလုပ်ရှင်က ကျွန်တော့် ပတ်စပို့နဲ့ အလုပ်ပါမစ်ကို သိမ်းထားပြီး ပြန်မပေးဘူး။"},
	{"my", T_DOCS, "စာရွက်စာတမ်း မရှိလို့ ရဲဖမ်းမှာ ကြောက်ပြီး အပြင်မထွက်ရဲဘူး။"},
	{"my", T_OVERTIME, "တစ်နေ့ {h} နာရီ အလုပ်လုပ်ရတယ်၊ အချိန်ပို လုပ်ခ မရဘူး။"},
	{"my", T_INJURY, "စက်မှာ လက်ထိခိုက်ဒဏ်ရာရခဲ့ပေမဲ့ ကုမ္ပဏီက ဆေးရုံစရိတ် မပေးဘူး။"},
	{"my", T_ABUSE, "ကြီးကြပ်ရေးမှူးက အလုပ်သမားတွေကို ဆဲဆိုပြီး ရိုက်နှက်တယ်။"},
	{"my", T_FORCED, "ငါးဖမ်းလှေပေါ်က ဆင်းခွင့်မရဘူး၊ ကပ္ပတိန်က အကြွေးရှိတယ်လို့ ပြောတယ်။"},
	{"my", T_HOME, "အိမ်ပြန်ချင်ပေမဲ့ လက်မှတ်ဖိုး ငွေမရှိဘူး။"},
	{"my", T_GENERAL, "ကျေးဇူးပြုပြီး ကူညီပေးပါ။"},
	{"my", T_GENERAL, "ကျွန်တော့်ရွာက အလုပ်သမား {n} ယောက်လည်း ဒီပြဿနာပဲ ကြုံနေရတယ်။"},

	/* ---- Khmer ------------------------------------------------------ */
	{"km", T_WAGES, "ក្រុមហ៊ុនមិនបានបើកប្រាក់ខែឱ្យខ្ញុំ {n} ខែហើយ។"},
	{"km", T_WAGES, "ថៅកែកាត់ប្រាក់ខែរបស់ខ្ញុំរៀងរាល់ខែសម្រាប់ថ្លៃអាហារ និងថ្លៃបន្ទប់។"},
	{"km", T_FEES, "ខ្ញុំបានបង់ប្រាក់ {m} បាតឱ្យភ្នាក់ងារ ហើយនៅតែជំពាក់បំណុល។"},
	{"km", T_DOCS, "ថៅកែរក្សាទុកលិខិតឆ្លងដែន និងប័ណ្ណការងាររបស់ខ្ញុំ ហើយមិនព្រមឱ្យមកវិញទេ។"},
	{"km", T_OVERTIME, "ខ្ញុំធ្វើការ {h} ម៉ោងក្នុងមួយថ្ងៃ ដោយគ្មានថ្ងៃឈប់សម្រាក។"},
	{"km", T_INJURY, "ខ្ញុំរងរបួសនៅការដ្ឋានសំណង់ ប៉ុន្តែក្រុមហ៊ុនមិនចេញថ្លៃព្យាបាលទេ។"},
	{"km", T_ABUSE, "មេការស្រែកជេរ និងវាយកម្មករ។"},
	{"km", T_HOME, "ខ្ញុំចង់ត្រឡប់ទៅផ្ទះវិញ ប៉ុន្តែគ្មានលុយទិញសំបុត្រ។"},
	{"km", T_GENERAL, "សូមជួយខ្ញុំផង។"},
	{"km", T_GENERAL, "មានកម្មករ {n} នាក់ទៀតមានបញ្ហាដូចគ្នា។"},

	/* ---- Indonesian ------------------------------------------------- */
	{"id", T_WAGES, "Majikan saya belum membayar gaji saya selama {n} bulan."},
	{"id", T_WAGES, "Gaji saya hanya {m} ringgit sebulan, di bawah upah minimum."},
	{"id", T_WAGES, "Setiap bulan gaji saya dipotong untuk makan dan kamar tanpa penjelasan."},
	{"id", T_FEES, "Saya membayar {m} ringgit kepada agen sebelum berangkat dan masih harus membayar utang."},
	{"id", T_FEES, "Agensi memotong gaji saya selama {n} bulan sebagai biaya penempatan."},
	{"id", T_DOCS, "Paspor saya ditahan oleh majikan sejak saya tiba."},
	{"id", T_DOCS, "Tanpa dokumen saya takut keluar karena polisi bisa menangkap saya."},
	{"id", T_OVERTIME, "Kami bekerja {h} jam sehari tanpa hari libur dan lembur tidak dibayar."},
	{"id", T_INJURY, "Teman saya jatuh dari perancah dan perusahaan tidak mau membayar biaya rumah sakit."},
	{"id", T_INJURY, "Tangan saya terluka oleh mesin tetapi perusahaan tidak mau menanggung biaya pengobatan."},
	{"id", T_CONTRACT, "Kontrak yang saya tanda tangani di Indonesia berbeda dengan kontrak di sini."},
	{"id", T_ABUSE, "Majikan sering memarahi dan memukul saya."},
	{"id", T_FORCED, "Kami tidak boleh keluar dari asrama pada malam hari."},
	{"id", T_VISA, "Izin kerja saya sudah habis dan majikan tidak mau memperpanjangnya."},
	{"id", T_HOME, "Saya ingin pulang tetapi tidak punya uang untuk tiket."},
	{"id", T_GENERAL, "Tolong bantu saya, saya tidak tahu harus bertanya kepada siapa."},
	{"id", T_GENERAL, "Ada {n} pekerja lain dari desa saya dengan masalah yang sama."},

	/* ---- Vietnamese ------------------------------------------------- */
	{"vi", T_WAGES, "Chủ lao động chưa trả lương cho tôi {n} tháng nay."},
	{"vi", T_WAGES, "Mỗi tháng công ty trừ tiền ăn và tiền phòng vào lương mà không giải thích."},
	{"vi", T_CONTRACT, "Hợp đồng ở Việt Nam ghi lương {m} ringgit nhưng ở đây chỉ trả một nửa."},
	{"vi", T_FEES, "Tôi đã trả {m} đô la phí môi giới cho công ty và vẫn đang trả nợ ngân hàng."},
	{"vi", T_DOCS, "Công ty giữ hộ chiếu của tôi và không trả lại."},
	{"vi", T_OVERTIME, "Chúng tôi phải làm {h} tiếng mỗi ngày, không có ngày nghỉ và không được trả tiền làm thêm giờ."},
	{"vi", T_INJURY, "Tôi bị thương ở tay khi làm việc với máy nhưng công ty không trả tiền viện phí."},
	{"vi", T_ABUSE, "Quản lý thường xuyên chửi mắng và đánh công nhân."},
	{"vi", T_VISA, "Giấy phép lao động của tôi đã hết hạn và chủ không gia hạn."},
	{"vi", T_HOME, "Tôi muốn về nước nhưng không có tiền mua vé máy bay."},
	{"vi", T_GENERAL, "Xin hãy giúp tôi."},
	{"vi", T_GENERAL, "Có {n} người cùng quê tôi cũng gặp vấn đề này."},

	/* ---- Tagalog ---------------------------------------------------- */
	{"fil", T_WAGES, "Hindi pa binabayaran ng amo ko ang sahod ko nang {n} buwan."},
	{"fil", T_WAGES, "Kinakaltasan ang sahod ko bawat buwan para sa pagkain at kuwarto."},
	{"fil", T_FEES, "Nagbayad ako ng {m} piso sa ahensya bago umalis at may utang pa ako."},
	{"fil", T_DOCS, "Kinuha ng amo ko ang pasaporte ko at ayaw niyang ibalik."},
	{"fil", T_OVERTIME, "Nagtatrabaho ako nang {h} oras bawat araw at wala akong day off."},
	{"fil", T_INJURY, "Nasugatan ako sa trabaho pero ayaw bayaran ng kumpanya ang ospital."},
	{"fil", T_ABUSE, "Sinisigawan at sinasaktan ako ng amo ko."},
	{"fil", T_FORCED, "Hindi ako pinapayagang lumabas ng bahay at kinuha ang cellphone ko."},
	{"fil", T_CONTRACT, "Iba ang kontratang pinirmahan ko sa Pilipinas sa kontrata dito."},
	{"fil", T_VISA, "Paso na ang work permit ko at hindi ito nirenew ng amo ko."},
	{"fil", T_HOME, "Gusto ko nang umuwi pero wala akong pera para sa tiket."},
	{"fil", T_GENERAL, "Tulungan po ninyo ako."},
	{"fil", T_GENERAL, "May {n} pang ibang manggagawa na may parehong problema."},
};
/* clang-format on */

#endif
