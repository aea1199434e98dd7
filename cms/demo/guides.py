"""Thirteen service guides (办事指南) in structured fields, zh-hans and en.

Fees and time limits follow the national rules cited in each guide's legal basis (e.g. ID card:
20 yuan, 40 yuan for a lost or damaged card, temporary ID 10 yuan; statutory limit 60 days).
`stations` are station slugs (cms/demo/stations.py); `forms` are keys of cms/demo/documents.py.
`FEATURED` are the six most used guides shown on the home page, in order.
"""

# ruff: noqa: E501 -- long Chinese prose strings (ruff counts each CJK character as two columns)

import datetime as dt

ALL_STATIONS = ["guangming", "donghu", "binjiang", "xingang", "taoyuan"]
HUKOU_STATIONS = ["guangming", "binjiang", "xingang", "taoyuan"]

FEATURED = [
    "id-card-replacement",
    "id-card",
    "residence-permit",
    "passport",
    "hk-macau-permit",
    "no-criminal-record",
]

ID_CARD_LEGAL_ZH = (
    "<ul><li>《中华人民共和国居民身份证法》</li>"
    "<li>《国家发展改革委 财政部关于第二代居民身份证收费标准等有关问题的通知》（发改价格〔2003〕2322号）</li>"
    "<li>《临时居民身份证管理办法》</li></ul>"
)
ID_CARD_LEGAL_EN = (
    "<ul><li>Resident Identity Card Law of the People's Republic of China</li>"
    "<li>NDRC and Ministry of Finance notice on second-generation ID card fees (Fagai Jiage [2003] No. 2322)</li>"
    "<li>Measures for the Administration of Temporary Resident Identity Cards</li></ul>"
)

GUIDES = [
    # --- ID card: loss and replacement (the most asked question) ---------------------------
    {
        "slug": "id-card-replacement",
        "stations": ALL_STATIONS,
        "forms": ["id-card-form"],
        "last_reviewed": dt.date(2026, 10, 15),
        "zh": {
            "title": "居民身份证挂失与补领（含临时身份证）",
            "summary": "身份证丢了怎么办：先挂失，再到任一派出所补领；急用可同时申请临时身份证。",
            "service_area": "户政 · 居民身份证",
            "eligibility": (
                "<p>居民身份证丢失、被盗的本人。全国已实行补领“跨省通办”，可在户籍地或居住地任一派出所户籍窗口办理。</p>"
                "<ul><li>未满16周岁的，由父母或其他监护人陪同办理。</li>"
                "<li>怀疑身份证被他人冒用（如被冒名开户、贷款）的，请同时到派出所报案。</li></ul>"
            ),
            "materials": [
                ("居民户口簿", "本市户籍居民携带；外省户籍在本市补领的，可凭本人身份信息核验，无需户口簿"),
                ("本人到场", "现场免费采集人像和指纹；也可提供照相馆出具的符合标准的数码相片回执"),
                ("监护人居民身份证", "仅未满16周岁的申请人需要，原件"),
            ],
            "steps": [
                (
                    "立即挂失",
                    "发现身份证丢失后，尽快到任一派出所户籍窗口或通过“阳光公安”政务服务平台申报挂失。"
                    "挂失后原证在全国公安系统中标记为作废，可防止被他人冒用。",
                ),
                (
                    "申请补领",
                    "到户籍窗口取号（可在网上预约时段），民警核对户口信息，现场采集照片和指纹，签字确认后打印受理回执。",
                ),
                (
                    "急用时申请临时居民身份证",
                    "需要乘坐飞机、住宿、办理银行业务的，可在受理补领的同时申请临时居民身份证，一般当场或当日领取，有效期3个月。"
                    "只坐火车的，可在“铁路12306”App申请电子临时乘车身份证明，或到车站公安制证口免费办理。",
                ),
                ("缴纳工本费", "在窗口扫码或刷卡缴费，取得财政票据。"),
                (
                    "领取新证",
                    "凭受理回执到受理窗口领取，或在受理时选择邮政EMS寄递到家。挂失后找回的原证已作废，不能再使用，请交回派出所。",
                ),
            ],
            "fees": (
                "丢失补领居民身份证：工本费每证40元；临时居民身份证：每证10元。"
                "（依据发改价格〔2003〕2322号。城乡居民最低生活保障对象凭证明免收。选择邮寄的，邮费由寄递企业收取。）"
            ),
            "time_limit": "法定60日内发证（《居民身份证法》第十四条）；本市承诺15个工作日；临时身份证一般当场发放",
            "legal_basis": ID_CARD_LEGAL_ZH,
            "where_and_when": (
                "全市各派出所户籍窗口（见下方链接），工作日办理；东湖派出所全天24小时受理挂失和临时身份证申请。"
                "挂失可通过“阳光公安”政务服务平台网上办理。"
            ),
        },
        "en": {
            "title": "Lost or stolen ID card: report and replacement (including temporary ID)",
            "summary": "Lost your ID card? Report the loss, then apply for a replacement at any police station. "
            "If you need ID urgently, apply for a temporary card at the same time.",
            "service_area": "Household registration · ID cards",
            "eligibility": (
                "<p>Anyone whose resident identity card has been lost or stolen. Replacements can be applied for "
                "nationwide: at any police station household registration window where you are registered or "
                "where you live.</p>"
                "<ul><li>Applicants under 16 come with a parent or guardian.</li>"
                "<li>If you think someone is using your card (for example to open accounts or take out loans), "
                "also report it to the police.</li></ul>"
            ),
            "materials": [
                (
                    "Household register (hukou booklet)",
                    "If you are registered in Sunshine City; applicants registered in another province are "
                    "verified from national records and do not need it",
                ),
                (
                    "You, in person",
                    "Your photo and fingerprints are taken at the window free of charge; a photo receipt from "
                    "an approved studio is also accepted",
                ),
                ("Parent or guardian's ID card", "Original; only for applicants under 16"),
            ],
            "steps": [
                (
                    "Report the loss at once",
                    "Report the lost card at any police station household registration window or on the "
                    "Sunshine Police online service platform. The old card is then flagged as invalid "
                    "nationwide, so nobody else can use it.",
                ),
                (
                    "Apply for a replacement",
                    "Take a ticket at the window (or book a time slot online). Officers check your registration, "
                    "take your photo and fingerprints, and print a receipt for you to sign.",
                ),
                (
                    "Need ID urgently? Ask for a temporary card",
                    "For flights, hotels or banking you can apply for a temporary ID card at the same time; it "
                    "is usually issued the same day and is valid for 3 months. For train travel only, request "
                    "an electronic temporary travel ID in the Railway 12306 app, or get a free paper one from the "
                    "station police office.",
                ),
                ("Pay the fee", "Pay at the window by QR code or bank card and keep the official receipt."),
                (
                    "Collect your new card",
                    "Collect it at the same window with your receipt, or choose EMS delivery to your home when "
                    "you apply. If the old card turns up, it can no longer be used: hand it in at a police station.",
                ),
            ],
            "fees": (
                "Replacement of a lost ID card: 40 yuan. Temporary ID card: 10 yuan. "
                "(Fagai Jiage [2003] No. 2322. Free for recipients of the minimum living allowance. Postage for "
                "delivery is charged by the courier.)"
            ),
            "time_limit": "Within 60 days by law (ID Card Law, art. 14); in Sunshine City usually 15 working days; "
            "temporary cards usually the same day",
            "legal_basis": ID_CARD_LEGAL_EN,
            "where_and_when": (
                "Household registration windows at every police station (listed below) on working days. "
                "Donghu Police Station takes loss reports and temporary ID applications 24 hours a day. "
                "Loss reports can also be made on the Sunshine Police online service platform."
            ),
        },
    },
    # --- ID card: first application and renewal ---------------------------------------------
    {
        "slug": "id-card",
        "stations": HUKOU_STATIONS,
        "forms": ["id-card-form"],
        "last_reviewed": dt.date(2026, 10, 15),
        "zh": {
            "title": "居民身份证首次申领与到期换领",
            "summary": "年满16周岁首次申领、证件有效期将满或损坏、登记项目变更时申领或换领居民身份证。",
            "service_area": "户政 · 居民身份证",
            "eligibility": (
                "<ul><li><strong>首次申领：</strong>年满16周岁的中国公民应当申领；未满16周岁的可以自愿申领。</li>"
                "<li><strong>到期换领：</strong>有效期满前3个月内即可申请；已过期的也可办理。</li>"
                "<li><strong>其他换领：</strong>证件严重损坏无法辨认，或姓名、出生日期、民族、住址等登记项目变更的。</li></ul>"
                "<p>有效期：未满16周岁5年；16至25周岁10年；26至45周岁20年；46周岁以上长期。</p>"
            ),
            "materials": [
                ("居民户口簿", "原件；跨省异地换领的无需户口簿"),
                ("原居民身份证", "换领时交回原证；损坏的也须交回"),
                ("监护人居民身份证", "未满16周岁申领时由监护人陪同并携带"),
                ("人像照片", "现场免费采集；也可提供符合标准的数码相片回执"),
            ],
            "steps": [
                ("预约或取号", "在“阳光公安”政务服务平台预约办理时段，或到窗口直接取号，预约群众优先叫号。"),
                ("受理与采集", "民警核对户口登记信息，现场采集人像和指纹，申请人核对信息无误后签字。"),
                ("缴费", "在窗口扫码或刷卡缴纳工本费。"),
                ("领证", "凭受理回执到受理窗口领取，或在受理时选择EMS邮寄到家；他人代领须带代领人身份证和受理回执。"),
            ],
            "fees": (
                "首次申领、到期换领、信息变更换领：每证20元；损坏换领：每证40元（发改价格〔2003〕2322号）。"
                "城乡低保对象凭证明免收。"
            ),
            "time_limit": "法定60日内发证；本市承诺15个工作日，跨省异地受理的一般30个工作日",
            "legal_basis": ID_CARD_LEGAL_ZH,
            "where_and_when": (
                "户籍所在地或居住地任一派出所户籍窗口。工作日上午9:00—12:00、下午13:30—17:00（各所略有不同，"
                "见派出所页面）；光明派出所周六上午开放户籍窗口。"
            ),
        },
        "en": {
            "title": "ID card: first application and renewal",
            "summary": "Apply for your first resident identity card at 16, or renew it when it is about to expire, "
            "is damaged or your registered details have changed.",
            "service_area": "Household registration · ID cards",
            "eligibility": (
                "<ul><li><strong>First card:</strong> Chinese citizens must apply at 16; children under 16 may "
                "apply voluntarily.</li>"
                "<li><strong>Renewal:</strong> from 3 months before the expiry date, or at any time after it.</li>"
                "<li><strong>Other renewals:</strong> the card is too damaged to read, or your name, date of birth, "
                "ethnicity or address has changed.</li></ul>"
                "<p>Validity: 5 years under 16; 10 years from 16 to 25; 20 years from 26 to 45; no expiry from 46.</p>"
            ),
            "materials": [
                ("Household register (hukou booklet)", "Original; not needed if you renew outside your home province"),
                ("Your current ID card", "Handed in when you renew, including a damaged card"),
                ("Parent or guardian's ID card", "For applicants under 16, who come with a parent or guardian"),
                ("Photo", "Taken free of charge at the window; an approved studio's photo receipt is also accepted"),
            ],
            "steps": [
                (
                    "Book or take a ticket",
                    "Book a time slot on the Sunshine Police online service platform, or take a ticket at the "
                    "window; booked applicants are called first.",
                ),
                (
                    "Application and biometrics",
                    "Officers check your registration details and take your photo and fingerprints; you check the "
                    "details and sign.",
                ),
                ("Pay the fee", "Pay at the window by QR code or bank card."),
                (
                    "Collect the card",
                    "Collect it with your receipt at the same window, or choose EMS delivery when you apply. "
                    "Someone else may collect it with their own ID card and your receipt.",
                ),
            ],
            "fees": (
                "First card, renewal at expiry or change of details: 20 yuan. Replacement of a damaged card: "
                "40 yuan (Fagai Jiage [2003] No. 2322). Free for recipients of the minimum living allowance."
            ),
            "time_limit": "Within 60 days by law; in Sunshine City 15 working days, or usually 30 working days if "
            "you apply outside your home province",
            "legal_basis": ID_CARD_LEGAL_EN,
            "where_and_when": (
                "Any police station household registration window where you are registered or where you live. "
                "Working days 9:00–12:00 and 13:30–17:00 (slightly different at some stations, see the station "
                "pages). Guangming Police Station also opens its window on Saturday mornings."
            ),
        },
    },
    # --- Household registration transfer ----------------------------------------------------
    {
        "slug": "household-transfer",
        "stations": HUKOU_STATIONS,
        "forms": ["hukou-transfer-form"],
        "last_reviewed": dt.date(2026, 9, 1),
        "zh": {
            "title": "户口迁移（迁入本市）",
            "summary": "符合本市落户条件的，直接向迁入地派出所申请，户口迁移“一地办理”，无需回原籍开具准迁证和迁移证。",
            "service_area": "户政 · 户口登记",
            "eligibility": (
                "<p>符合下列条件之一的中国公民及其共同居住的配偶、未成年子女：</p>"
                "<ul><li><strong>购房落户：</strong>在本市拥有合法产权住房并实际居住；</li>"
                "<li><strong>就业落户：</strong>在本市合法稳定就业，连续缴纳城镇职工社会保险满12个月；</li>"
                "<li><strong>人才落户：</strong>全日制大专以上学历或具有中级以上职称、技师以上职业资格；</li>"
                "<li><strong>投靠落户：</strong>投靠本市户籍的配偶、父母、成年子女。</li></ul>"
            ),
            "materials": [
                ("申请人居民身份证、居民户口簿", "原件；随迁人员的身份证件和户口簿"),
                (
                    "落户条件证明",
                    "按条件提供：不动产权证书；劳动合同和社保缴费记录；毕业证书或职称、技能证书；亲属关系证明（结婚证、出生医学证明等）",
                ),
                ("户主或房屋产权人同意入户的书面意见", "投靠入户或入他人户内时提供；产权人到场签字亦可"),
                ("《户口迁移申请表》", "可在本页下载填写，或在窗口领取"),
            ],
            "steps": [
                ("自查条件并准备材料", "对照上方条件准备材料；不确定的可先电话咨询迁入地派出所或在本门户在线咨询。"),
                ("向迁入地派出所提交申请", "到迁入地址所属派出所户籍窗口提交材料，民警当场审核材料是否齐全。"),
                ("审核", "派出所审核后报区公安分局审批，并通过全国户口迁移系统与迁出地公安机关核对、办理迁出。"),
                ("落户", "审批通过后通知申请人到窗口办理落户，签发新户口簿（或加页），并可同时申请换领居民身份证。"),
            ],
            "fees": "免费",
            "time_limit": "材料齐全的，5个工作日内作出审批决定；法定不超过20个工作日",
            "legal_basis": (
                "<ul><li>《中华人民共和国户口登记条例》</li>"
                "<li>《国务院关于进一步推进户籍制度改革的意见》（国发〔2014〕25号）</li>"
                "<li>《公安部关于推行户口迁移“跨省通办”的通知》</li>"
                "<li>《阳光市户籍迁入管理规定》</li></ul>"
            ),
            "where_and_when": "迁入地址所属派出所户籍窗口，工作日办理。可在“阳光公安”政务服务平台先行网上预审。",
        },
        "en": {
            "title": "Moving your household registration (hukou) to Sunshine City",
            "summary": "If you meet the city's registration criteria, apply at the police station of your new "
            "address: the whole transfer is handled there, with no trip back to your old registration office.",
            "service_area": "Household registration",
            "eligibility": (
                "<p>Chinese citizens who meet one of the following, together with a spouse and minor children "
                "who live with them:</p>"
                "<ul><li><strong>Home owners:</strong> you own and live in a home in the city;</li>"
                "<li><strong>Employment:</strong> you work in the city and have paid urban employee social "
                "insurance for 12 consecutive months;</li>"
                "<li><strong>Qualifications:</strong> a full-time college degree or higher, an intermediate or "
                "higher professional title, or a technician-level vocational certificate;</li>"
                "<li><strong>Family:</strong> joining a spouse, parent or adult child registered in the city.</li>"
                "</ul>"
            ),
            "materials": [
                (
                    "ID card and household register of the applicant",
                    "Originals, and those of family members moving with you",
                ),
                (
                    "Proof that you qualify",
                    "Depending on the route: property certificate; employment contract and social insurance "
                    "record; diploma or professional certificate; proof of family relationship (marriage or "
                    "birth certificate)",
                ),
                (
                    "Written consent of the head of household or home owner",
                    "When you join someone else's household or register at their address; they may also sign "
                    "at the window",
                ),
                ("Household registration transfer form", "Download it from this page or pick one up at the window"),
            ],
            "steps": [
                (
                    "Check the criteria and gather documents",
                    "If you are unsure whether you qualify, call the police station of your new address or ask us "
                    "online first.",
                ),
                (
                    "Apply at the police station of your new address",
                    "Hand in your documents at the household registration window; officers check that they are "
                    "complete on the spot.",
                ),
                (
                    "Review",
                    "The station reviews the application and the district police approve it; the transfer out of "
                    "your old registration is arranged with your previous police office through the national "
                    "system.",
                ),
                (
                    "Registration",
                    "Once approved, you are called back to collect the new or updated household register, and can "
                    "apply for a new ID card at the same visit.",
                ),
            ],
            "fees": "Free of charge",
            "time_limit": "Decision within 5 working days when the application is complete; 20 working days at most",
            "legal_basis": (
                "<ul><li>Regulations of the People's Republic of China on Household Registration</li>"
                "<li>State Council opinions on further reform of the household registration system (Guofa [2014] "
                "No. 25)</li>"
                "<li>Ministry of Public Security notice on handling household transfers across provinces</li>"
                "<li>Sunshine City rules on registering new residents</li></ul>"
            ),
            "where_and_when": "The household registration window of the police station that covers your new "
            "address, on working days. You can have your documents pre-checked on the Sunshine Police online "
            "service platform.",
        },
    },
    # --- Birth registration -----------------------------------------------------------------
    {
        "slug": "newborn-registration",
        "stations": HUKOU_STATIONS,
        "forms": [],
        "last_reviewed": dt.date(2026, 6, 20),
        "zh": {
            "title": "新生儿出生登记（报户口）",
            "summary": "婴儿出生后一个月内，由父母或监护人申报出生登记；可在分娩医院“出生一件事”一次联办。",
            "service_area": "户政 · 户口登记",
            "eligibility": (
                "<p>父母一方为本市户籍的新生儿，可随父或随母在本市落户。由父母、其他监护人或户主申报。</p>"
                "<p>超过一个月未申报的仍可办理，不收取任何费用，也不以缴纳社会抚养费等为前提。</p>"
            ),
            "materials": [
                ("《出生医学证明》", "原件，由分娩医院签发"),
                ("父母双方居民户口簿和居民身份证", "原件；一方为外省户籍的提供其户籍信息"),
                ("父母结婚证", "原件；非婚生育的，提供亲子关系说明或证明，不影响落户"),
            ],
            "steps": [
                (
                    "选择办理方式",
                    "在本市分娩医院出生的，可在医院“出生一件事”服务点或网上一次提交出生登记、医保参保、社保卡申领；也可到派出所办理。",
                ),
                ("提交材料", "到随迁一方户口所在地派出所户籍窗口，或在“出生一件事”平台上传材料。"),
                ("审核登记", "民警核对材料，为新生儿登记户口，编制公民身份号码。"),
                ("取得户口簿", "户口簿当场加页打印；网上办理的可选择邮寄。"),
            ],
            "fees": "免费",
            "time_limit": "材料齐全的当场办结；网上“出生一件事”申请3个工作日内办结",
            "legal_basis": (
                "<ul><li>《中华人民共和国户口登记条例》第七条</li>"
                "<li>《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）</li></ul>"
            ),
            "where_and_when": "随父或随母落户一方的户口所在地派出所户籍窗口，工作日办理；“出生一件事”可在本市各分娩医院和网上办理。",
        },
        "en": {
            "title": "Registering a birth (newborn hukou)",
            "summary": "Register your baby's birth within one month. In Sunshine City you can do it together with "
            'health insurance and other services through the hospital\'s "birth package".',
            "service_area": "Household registration",
            "eligibility": (
                "<p>Babies with at least one parent registered in Sunshine City can be registered with either "
                "parent. The parents, another guardian or the head of household apply.</p>"
                "<p>Late registrations are still accepted, free of charge and without any other payment as a "
                "precondition.</p>"
            ),
            "materials": [
                ("Birth medical certificate", "Original, issued by the hospital where the baby was born"),
                (
                    "Both parents' household registers and ID cards",
                    "Originals; for a parent registered in another province, their registration details",
                ),
                (
                    "Parents' marriage certificate",
                    "Original; unmarried parents provide a statement or proof of parentage instead, which does "
                    "not affect registration",
                ),
            ],
            "steps": [
                (
                    "Choose how to apply",
                    "If the baby was born in a Sunshine City hospital, the hospital's birth-package desk (or the "
                    "online service) registers the birth, health insurance and social security card in one "
                    "application. You can also go to the police station.",
                ),
                (
                    "Hand in the documents",
                    "At the household registration window of the parent the baby will be registered with, or by "
                    "uploading them online.",
                ),
                ("Registration", "Officers check the documents, register the baby and assign an ID number."),
                ("Household register", "A new page is printed on the spot; online applicants can have it posted."),
            ],
            "fees": "Free of charge",
            "time_limit": "On the spot when the documents are complete; online birth-package applications within 3 "
            "working days",
            "legal_basis": (
                "<ul><li>Regulations on Household Registration, article 7</li>"
                "<li>State Council General Office opinions on registering people without hukou (Guobanfa [2015] "
                "No. 96)</li></ul>"
            ),
            "where_and_when": "The household registration window of the police station where the chosen parent is "
            "registered, on working days; the birth package is available at every maternity hospital in the city "
            "and online.",
        },
    },
    # --- Residence permit -------------------------------------------------------------------
    {
        "slug": "residence-permit",
        "stations": ALL_STATIONS,
        "forms": [],
        "last_reviewed": dt.date(2026, 8, 10),
        "zh": {
            "title": "居住证申领与签注",
            "summary": "非本市户籍人员在本市居住半年以上，有稳定就业、住所或就读的，可申领居住证，享受本市基本公共服务。",
            "service_area": "户政 · 流动人口服务",
            "eligibility": (
                "<p>离开常住户口所在地，在本市居住半年以上，并符合下列条件之一的中国公民：</p>"
                "<ul><li>有合法稳定就业；</li><li>有合法稳定住所；</li><li>连续就读。</li></ul>"
                "<p>前提是已在居住地派出所办理居住登记（到达后30日内申报）并满半年。未满16周岁的由监护人代为申领。</p>"
            ),
            "materials": [
                ("居民身份证", "原件"),
                ("住所证明", "房屋租赁合同、不动产权证书，或单位、学校出具的住宿证明"),
                ("就业或就读证明（与住所证明择一满足条件即可）", "劳动合同、营业执照，或学校出具的在读证明"),
                ("近期照片", "现场免费采集"),
            ],
            "steps": [
                ("办理居住登记", "到达本市30日内，到居住地派出所、社区警务室或网上申报居住登记。"),
                ("申领居住证", "居住满半年后，携带材料到居住地派出所或受委托的社区服务站提交申请。"),
                ("制证领证", "15日内制发居住证，凭回执领取。"),
                (
                    "每年签注",
                    "在本市连续居住的，每满一年之日前一个月内到派出所、社区服务站或网上办理签注；逾期未签注的，居住年限不连续计算。",
                ),
            ],
            "fees": "首次申领免费；换领、补领工本费每证20元；签注免费",
            "time_limit": "自受理之日起15日内发放居住证（《居住证暂行条例》第十一条）",
            "legal_basis": (
                "<ul><li>《居住证暂行条例》（国务院令第663号）</li><li>《阳光市流动人口服务管理办法》</li></ul>"
            ),
            "where_and_when": "居住地派出所户籍窗口或社区服务站，工作日办理；居住登记和签注可在“阳光公安”政务服务平台网上办理。",
        },
        "en": {
            "title": "Residence permit: application and yearly endorsement",
            "summary": "If your hukou is elsewhere and you have lived in Sunshine City for six months with a job, "
            "a home or a place at school, a residence permit gives you access to the city's public services.",
            "service_area": "Household registration · Residents from elsewhere",
            "eligibility": (
                "<p>Chinese citizens who have left their place of household registration, have lived in Sunshine "
                "City for at least six months and meet one of these conditions:</p>"
                "<ul><li>a lawful, stable job;</li><li>a lawful, stable home;</li><li>continuous study at a "
                "school here.</li></ul>"
                "<p>You must have registered your residence (within 30 days of arriving) at least six months "
                "earlier. A guardian applies for children under 16.</p>"
            ),
            "materials": [
                ("ID card", "Original"),
                (
                    "Proof of address",
                    "Tenancy agreement, property certificate, or housing certificate from your employer or school",
                ),
                (
                    "Proof of work or study (if that is your qualifying condition)",
                    "Employment contract, business licence or certificate of enrolment",
                ),
                ("Photo", "Taken free of charge at the window"),
            ],
            "steps": [
                (
                    "Register your residence",
                    "Within 30 days of arriving, register at the local police station, the community police office "
                    "or online.",
                ),
                (
                    "Apply for the permit",
                    "After six months, apply at the police station for your address or at an authorised "
                    "community service centre.",
                ),
                ("Collect the permit", "Issued within 15 days; collect it with your receipt."),
                (
                    "Renew the endorsement every year",
                    "Within the month before each anniversary, have it endorsed at a police station, community "
                    "centre or online. Without the endorsement your years of residence stop counting.",
                ),
            ],
            "fees": "First permit free; renewal or replacement 20 yuan; yearly endorsement free",
            "time_limit": "Issued within 15 days of the application (Interim Regulations on Residence Permits, "
            "art. 11)",
            "legal_basis": (
                "<ul><li>Interim Regulations on Residence Permits (State Council Decree No. 663)</li>"
                "<li>Sunshine City measures on services for residents from elsewhere</li></ul>"
            ),
            "where_and_when": "The household registration window of your local police station, or a community "
            "service centre, on working days. Residence registration and endorsements can also be done on the "
            "Sunshine Police online service platform.",
        },
    },
    # --- Passport ---------------------------------------------------------------------------
    {
        "slug": "passport",
        "stations": ["guangming", "donghu"],
        "forms": [],
        "last_reviewed": dt.date(2026, 9, 20),
        "zh": {
            "title": "普通护照申请、换发与补发",
            "summary": "中国公民出国旅游、探亲、留学、工作，可在全国任一出入境窗口申请普通护照，无需回户籍地。",
            "service_area": "出入境",
            "eligibility": (
                "<ul><li>中国公民首次申请，或护照有效期不足6个月、签证页用完、损毁、遗失的。</li>"
                "<li>国家工作人员等登记备案人员，须先经所在单位按管理权限审批同意。</li>"
                "<li>未满16周岁的由监护人陪同申请。</li></ul>"
            ),
            "materials": [
                ("居民身份证", "原件；未满16周岁的可提交户口簿或出生医学证明"),
                ("监护人身份证件及监护关系证明", "未满16周岁申请人需要"),
                ("原护照", "换发时提交；有效签证可剪角后退还继续使用"),
                ("单位意见", "登记备案的国家工作人员提交所在单位出具的同意出境意见"),
                ("人像照片", "窗口现场免费采集，无需自带"),
            ],
            "steps": [
                ("预约", "通过“移民局”App或本门户链接预约办理时段；未预约也可现场取号。"),
                ("受理", "到出入境窗口核验身份，现场拍照、采集指纹，签署申请表。"),
                ("缴费", "扫码或刷卡缴纳证件费。"),
                ("审批签发", "7个工作日内审批签发，可通过“移民局”App或12367查询进度。"),
                ("领取", "凭回执到窗口领取，或受理时选择EMS邮寄（邮费到付）。"),
            ],
            "fees": "普通护照每本120元（含换发、补发）",
            "time_limit": "7个工作日内审批签发；《护照法》规定的法定时限为15日，偏远地区30日",
            "legal_basis": (
                "<ul><li>《中华人民共和国护照法》</li><li>《中华人民共和国出境入境管理法》</li>"
                "<li>《中华人民共和国普通护照和出入境通行证签发管理办法》</li></ul>"
            ),
            "where_and_when": (
                "市出入境接待大厅（阳光市政务服务中心三楼，周一至周六9:00—17:00）；光明派出所、东湖派出所设有出入境便民窗口和自助签注机。"
                "国家移民管理局服务热线12367。"
            ),
        },
        "en": {
            "title": "Ordinary passport: new, renewed or replacement",
            "summary": "Chinese citizens can apply for a passport for travel, family visits, study or work at any "
            "exit-entry office in the country, not only where their hukou is.",
            "service_area": "Exit-entry",
            "eligibility": (
                "<ul><li>First passports, and renewals when the passport has less than six months left, is out of "
                "visa pages, damaged or lost.</li>"
                "<li>Public employees who are on the exit registration list need their employer's approval first."
                "</li><li>Applicants under 16 come with a guardian.</li></ul>"
            ),
            "materials": [
                ("ID card", "Original; under 16s may use the household register or birth medical certificate"),
                ("Guardian's ID and proof of guardianship", "For applicants under 16"),
                ("Your old passport", "When renewing; valid visas are returned to you with the corner cut"),
                ("Employer's approval", "Only for public employees on the exit registration list"),
                ("Photo", "Taken free of charge at the window; do not bring your own"),
            ],
            "steps": [
                (
                    "Book an appointment",
                    "Book a slot in the National Immigration Administration (NIA) app or through "
                    "this portal, or take a ticket on the day.",
                ),
                (
                    "Apply",
                    "At the window your identity is checked, your photo and fingerprints are taken and you sign "
                    "the form.",
                ),
                ("Pay", "Pay the fee by QR code or bank card."),
                ("Approval", "The passport is issued within 7 working days; track it in the NIA app or on 12367."),
                ("Collection", "Collect it with your receipt or choose EMS delivery (postage paid on delivery)."),
            ],
            "fees": "120 yuan per passport (also for renewals and replacements)",
            "time_limit": "Issued within 7 working days; the legal maximum under the Passport Law is 15 days (30 in "
            "remote areas)",
            "legal_basis": (
                "<ul><li>Passport Law of the People's Republic of China</li>"
                "<li>Exit and Entry Administration Law</li>"
                "<li>Measures on issuing ordinary passports and exit-entry permits</li></ul>"
            ),
            "where_and_when": (
                "City Exit-Entry Service Hall (3rd floor, Sunshine City Government Services Centre, Monday to "
                "Saturday 9:00–17:00). Guangming and Donghu police stations have exit-entry windows and "
                "self-service endorsement kiosks. NIA hotline: 12367."
            ),
        },
    },
    # --- Hong Kong and Macao travel permit --------------------------------------------------
    {
        "slug": "hk-macau-permit",
        "stations": ["guangming", "donghu"],
        "forms": [],
        "last_reviewed": dt.date(2026, 9, 20),
        "zh": {
            "title": "往来港澳通行证及签注",
            "summary": "内地居民前往香港、澳门旅游、探亲、商务，须持往来港澳通行证和相应签注；再次签注可在自助签注机即时办理。",
            "service_area": "出入境",
            "eligibility": (
                "<p>内地居民均可申请，全国通办。签注种类：个人旅游、团队旅游、探亲、商务、逗留等；探亲、商务等签注需符合相应条件。</p>"
            ),
            "materials": [
                ("居民身份证", "原件；未满16周岁的提交户口簿，由监护人陪同"),
                ("签注相关证明", "探亲签注提交亲属关系证明，商务签注提交单位备案等材料；旅游签注无需"),
                ("人像照片", "现场免费采集"),
            ],
            "steps": [
                ("预约", "通过“移民局”App预约，或现场取号。"),
                ("申请证件和签注", "在窗口同时申请通行证和首次签注，现场拍照、采集指纹。"),
                ("领证", "7个工作日内签发，窗口领取或EMS邮寄。"),
                (
                    "再次签注",
                    "持有效电子通行证的，签注用完后可在任一自助签注机即时办理再次签注，或在“移民局”App网上申请。",
                ),
            ],
            "fees": "电子往来港澳通行证每证60元；签注：一次有效15元，二次有效30元，团队旅游签注每次15元",
            "time_limit": "7个工作日；自助签注即时办结",
            "legal_basis": (
                "<ul><li>《中华人民共和国出境入境管理法》</li><li>《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》</li></ul>"
            ),
            "where_and_when": "市出入境接待大厅（周一至周六9:00—17:00）；光明、东湖派出所自助签注机（东湖派出所24小时开放）。",
        },
        "en": {
            "title": "Travel permit and endorsements for Hong Kong and Macao",
            "summary": "To visit Hong Kong or Macao, mainland residents need the two-way travel permit and an "
            "endorsement for the trip; further endorsements are issued instantly at self-service kiosks.",
            "service_area": "Exit-entry",
            "eligibility": (
                "<p>Any mainland resident, at any exit-entry office in the country. Endorsement types: individual "
                "tourism, group tourism, family visit, business, stay and others; family and business "
                "endorsements have their own conditions.</p>"
            ),
            "materials": [
                ("ID card", "Original; under 16s bring the household register and come with a guardian"),
                (
                    "Supporting documents for the endorsement",
                    "Proof of family relationship for family visits, your "
                    "company's registration for business trips; none for tourism",
                ),
                ("Photo", "Taken free of charge at the window"),
            ],
            "steps": [
                ("Book", "Book in the NIA app, or take a ticket on the day."),
                (
                    "Apply for the permit and endorsement",
                    "Apply for both at once; your photo and fingerprints are taken at the window.",
                ),
                ("Collect", "Issued within 7 working days; collect it or have it sent by EMS."),
                (
                    "Further endorsements",
                    "With a valid electronic permit, add a new endorsement at any self-service kiosk in minutes, "
                    "or apply in the NIA app.",
                ),
            ],
            "fees": "Electronic permit 60 yuan; endorsements: single trip 15 yuan, two trips 30 yuan, group "
            "tourism 15 yuan per trip",
            "time_limit": "7 working days; self-service endorsements immediately",
            "legal_basis": (
                "<ul><li>Exit and Entry Administration Law</li>"
                "<li>Interim measures on private travel by Chinese citizens to Hong Kong and Macao</li></ul>"
            ),
            "where_and_when": "City Exit-Entry Service Hall (Monday to Saturday 9:00–17:00); self-service kiosks at "
            "Guangming and Donghu police stations (Donghu's is open 24 hours).",
        },
    },
    # --- Taiwan travel permit ---------------------------------------------------------------
    {
        "slug": "taiwan-permit",
        "stations": ["guangming"],
        "forms": [],
        "last_reviewed": dt.date(2026, 9, 20),
        "zh": {
            "title": "大陆居民往来台湾通行证及签注",
            "summary": "大陆居民前往台湾探亲、商务、参加交流活动等，须持往来台湾通行证和相应签注。",
            "service_area": "出入境",
            "eligibility": (
                "<p>大陆居民均可申请通行证，全国通办。签注分团队旅游、探亲、商务、学习、应邀等，须符合相应条件；"
                "赴台旅游政策可能调整，请以国家移民管理局最新公告为准。</p>"
                "<p>入台还须持台湾方面签发的入出境许可证，一般由邀请方或旅行社代办。</p>"
            ),
            "materials": [
                ("居民身份证", "原件；未满16周岁的提交户口簿，由监护人陪同"),
                ("签注相关证明", "探亲签注提交在台亲属的关系证明；应邀、商务签注提交邀请函及单位意见"),
                ("人像照片", "现场免费采集"),
            ],
            "steps": [
                ("预约", "通过“移民局”App预约，或现场取号。"),
                ("申请", "在出入境窗口申请通行证及签注，现场拍照、采集指纹。"),
                ("领证", "7个工作日内签发，窗口领取或EMS邮寄。"),
            ],
            "fees": "电子往来台湾通行证每证60元；一次有效签注15元",
            "time_limit": "7个工作日",
            "legal_basis": "<ul><li>《中国公民往来台湾地区管理办法》</li><li>《中华人民共和国出境入境管理法》</li></ul>",
            "where_and_when": "市出入境接待大厅（周一至周六9:00—17:00）；光明派出所出入境便民窗口（工作日）。咨询电话12367。",
        },
        "en": {
            "title": "Travel permit and endorsements for Taiwan",
            "summary": "Mainland residents travelling to Taiwan for family visits, business or exchanges need the "
            "Taiwan travel permit and an endorsement for the trip.",
            "service_area": "Exit-entry",
            "eligibility": (
                "<p>Any mainland resident may apply for the permit, at any exit-entry office. Endorsements (group "
                "tourism, family visit, business, study, invitation) each have their own conditions; rules on "
                "tourism change from time to time, so check the National Immigration Administration's latest "
                "notice.</p>"
                "<p>You also need an entry permit issued by the Taiwan side, usually arranged by your host or "
                "travel agency.</p>"
            ),
            "materials": [
                ("ID card", "Original; under 16s bring the household register and come with a guardian"),
                (
                    "Supporting documents for the endorsement",
                    "Proof of relationship to family in Taiwan, or the "
                    "invitation letter and your employer's approval for invited and business trips",
                ),
                ("Photo", "Taken free of charge at the window"),
            ],
            "steps": [
                ("Book", "Book in the NIA app, or take a ticket on the day."),
                ("Apply", "Apply for the permit and endorsement; your photo and fingerprints are taken at the window."),
                ("Collect", "Issued within 7 working days; collect it or have it sent by EMS."),
            ],
            "fees": "Electronic permit 60 yuan; single-trip endorsement 15 yuan",
            "time_limit": "7 working days",
            "legal_basis": "<ul><li>Measures on travel by Chinese citizens to and from Taiwan</li>"
            "<li>Exit and Entry Administration Law</li></ul>",
            "where_and_when": "City Exit-Entry Service Hall (Monday to Saturday 9:00–17:00); exit-entry window at "
            "Guangming Police Station (working days). Hotline 12367.",
        },
    },
    # --- No-criminal-record certificate -----------------------------------------------------
    {
        "slug": "no-criminal-record",
        "stations": HUKOU_STATIONS,
        "forms": ["criminal-record-form"],
        "last_reviewed": dt.date(2026, 7, 5),
        "zh": {
            "title": "无犯罪记录证明",
            "summary": "因入职、入学、出国、参军等需要，本人或受委托人可向派出所申请开具无犯罪记录证明，也可网上申请电子证明。",
            "service_area": "证明开具",
            "eligibility": (
                "<ul><li>中国公民本人；本人不便到场的，可委托他人代为申请。</li>"
                "<li>户籍地派出所，或持本市居住证在居住地派出所申请。</li>"
                "<li>单位为录用人员查询的，须取得被查询人书面授权。</li></ul>"
            ),
            "materials": [
                ("居民身份证", "原件；居住地申请的另交居住证"),
                ("《无犯罪记录证明申请表》", "可在本页下载，或在窗口填写，注明用途"),
                (
                    "委托书和受托人身份证",
                    "委托他人办理时提交：申请人签名的委托书、申请人身份证复印件、受托人身份证原件",
                ),
            ],
            "steps": [
                ("提出申请", "到派出所户籍窗口提交，或在“阳光公安”政务服务平台网上申请电子证明。"),
                ("查询核实", "公安机关查询全国违法犯罪人员信息；需要调查核实的，会电话联系申请人。"),
                ("出具证明", "查询无犯罪记录的出具证明；网上申请的在平台下载，可扫码验真。"),
            ],
            "fees": "免费",
            "time_limit": "符合条件的当场出具；需调查核实的3个工作日内出具，最长不超过15个工作日",
            "legal_basis": "<ul><li>《公安机关办理犯罪记录查询工作规定》（公通字〔2021〕19号）</li></ul>",
            "where_and_when": "户籍地或居住地派出所户籍窗口，工作日办理。出国使用的，出证后到公证处办理公证，送往《取消外国公文认证要求的公约》缔约国的再办理附加证明书。",
        },
        "en": {
            "title": "Certificate of no criminal record",
            "summary": "For a job, school, emigration or military service you (or someone you authorise) can "
            "get a no-criminal-record certificate from a police station, or an electronic one online.",
            "service_area": "Certificates",
            "eligibility": (
                "<ul><li>Chinese citizens, in person or through someone they authorise.</li>"
                "<li>At the police station where your hukou is, or where you live if you hold a Sunshine City "
                "residence permit.</li>"
                "<li>Employers checking a new hire need that person's written authorisation.</li></ul>"
            ),
            "materials": [
                ("ID card", "Original; plus your residence permit if you apply where you live"),
                ("Application form", "Download it from this page or fill it in at the window, stating the purpose"),
                (
                    "Authorisation and the representative's ID card",
                    "If someone applies for you: your signed "
                    "authorisation, a copy of your ID card and their original ID card",
                ),
            ],
            "steps": [
                (
                    "Apply",
                    "At the household registration window of the police station, or online on the Sunshine "
                    "Police service platform for an electronic certificate.",
                ),
                (
                    "Records check",
                    "The national records are searched; if anything needs checking, an officer will phone you.",
                ),
                (
                    "Certificate issued",
                    "Issued if no criminal record is found; online certificates are downloaded "
                    "and can be verified by QR code.",
                ),
            ],
            "fees": "Free of charge",
            "time_limit": "On the spot in most cases; within 3 working days if records must be checked, 15 working "
            "days at most",
            "legal_basis": "<ul><li>Provisions on public security organs handling criminal record checks (Gongtongzi "
            "[2021] No. 19)</li></ul>",
            "where_and_when": "The household registration window of the police station where you are registered or "
            "live, on working days. For use abroad, have the certificate notarised; for countries party to the "
            "Apostille Convention, then obtain an apostille.",
        },
    },
    # --- Driving licence --------------------------------------------------------------------
    {
        "slug": "driving-licence",
        "stations": ["xingang"],
        "forms": [],
        "last_reviewed": dt.date(2026, 5, 12),
        "zh": {
            "title": "机动车驾驶证期满换证、遗失补证",
            "summary": "驾驶证有效期满前90日内换证，遗失、损毁的申请补证；可通过“交管12123”App全程网办并邮寄。",
            "service_area": "交通管理 · 驾驶证",
            "eligibility": (
                "<ul><li><strong>期满换证：</strong>有效期满前90日内申请，全国通办；超过有效期不满1年的仍可换证。</li>"
                "<li><strong>补证：</strong>驾驶证遗失、损毁无法辨认的；被扣押、暂扣期间不得补证。</li>"
                "<li>超过有效期1年以上未换证的，驾驶证被注销，注销后2年内可通过科目一考试恢复驾驶资格。</li></ul>"
            ),
            "materials": [
                ("居民身份证", "原件"),
                ("机动车驾驶证", "换证时交回；遗失补证无需"),
                ("身体条件证明", "换证时提交，由县级以上医疗机构出具，多数体检医院可直接电子上传"),
            ],
            "steps": [
                ("网上或窗口申请", "在“交管12123”App选择“期满换证”或“遗失补证”，或到车管所、交警服务站窗口申请。"),
                ("体检信息核验", "换证的，系统自动调取电子体检信息；未体检的先到指定医院体检。"),
                ("缴费", "缴纳驾驶证工本费。"),
                ("领取新证", "窗口当场领取，或网上申请后EMS邮寄。补证期间可在“交管12123”申领电子驾驶证。"),
            ],
            "fees": "驾驶证工本费每证10元",
            "time_limit": "窗口当场办结；网上申请1个工作日内制证邮寄",
            "legal_basis": (
                "<ul><li>《中华人民共和国道路交通安全法》</li><li>《机动车驾驶证申领和使用规定》（公安部令第162号）</li></ul>"
            ),
            "where_and_when": "市车辆管理所（新港区港城大道200号，周一至周六8:30—17:30）；新港派出所交警服务站（工作日及周末上午）。",
        },
        "en": {
            "title": "Driving licence: renewal at expiry and replacement",
            "summary": "Renew your driving licence in the 90 days before it expires, or replace a lost or damaged "
            "one; both can be done fully online in the Traffic Management 12123 app.",
            "service_area": "Traffic · Driving licences",
            "eligibility": (
                "<ul><li><strong>Renewal:</strong> from 90 days before expiry, anywhere in the country; you can "
                "still renew up to one year after expiry.</li>"
                "<li><strong>Replacement:</strong> when the licence is lost or too damaged to read; not while it "
                "is seized or suspended.</li>"
                "<li>A licence not renewed more than a year after expiry is cancelled; within two years you can "
                "restore it by passing the theory test (subject 1).</li></ul>"
            ),
            "materials": [
                ("ID card", "Original"),
                ("Driving licence", "Handed in when renewing; not needed for a lost licence"),
                (
                    "Medical certificate",
                    "For renewals, from a hospital at county level or above; most hospitals upload it electronically",
                ),
            ],
            "steps": [
                (
                    "Apply online or at a window",
                    'In the 12123 app choose "renewal" or "replacement", or go to the '
                    "vehicle administration office or a traffic police service point.",
                ),
                (
                    "Medical check",
                    "For renewals the electronic medical record is retrieved automatically; if you "
                    "have none, have a check-up at a designated hospital first.",
                ),
                ("Pay", "Pay the licence fee."),
                (
                    "Get the new licence",
                    "Issued on the spot at a window, or posted by EMS if you applied online. "
                    "Meanwhile you can use the electronic licence in the 12123 app.",
                ),
            ],
            "fees": "10 yuan per licence",
            "time_limit": "On the spot at a window; online applications are posted within 1 working day",
            "legal_basis": (
                "<ul><li>Road Traffic Safety Law of the People's Republic of China</li>"
                "<li>Provisions on applying for and using motor vehicle driving licences (MPS Decree No. 162)</li>"
                "</ul>"
            ),
            "where_and_when": "City Vehicle Administration Office (200 Gangcheng Avenue, Xingang District, Monday to "
            "Saturday 8:30–17:30); traffic police service point at Xingang Police Station (working days and "
            "weekend mornings).",
        },
    },
    # --- Vehicle registration and traffic violations ----------------------------------------
    {
        "slug": "vehicle-services",
        "stations": ["xingang"],
        "forms": [],
        "last_reviewed": dt.date(2026, 5, 12),
        "zh": {
            "title": "机动车注册登记（新车上牌）与交通违法处理",
            "summary": "新车办理注册登记领取号牌；电子监控记录的交通违法可在“交管12123”App查询、缴款，或到窗口处理。",
            "service_area": "交通管理 · 机动车",
            "eligibility": (
                "<ul><li><strong>注册登记：</strong>新购机动车的所有人，在本市有住所（外地户籍持本市居住证）或为本市登记的单位。</li>"
                "<li><strong>违法处理：</strong>机动车所有人或违法时的驾驶人，凭本人驾驶证处理。</li></ul>"
            ),
            "materials": [
                ("机动车所有人身份证明", "居民身份证；外地户籍另交居住证；单位提交统一社会信用代码证明"),
                ("购车发票", "机动车销售统一发票"),
                ("整车出厂合格证明", "进口车提交进口凭证"),
                ("交强险保险凭证", "电子保单信息已联网核查"),
                ("机动车驾驶证", "处理交通违法时携带"),
            ],
            "steps": [
                ("网上选号", "在“交管12123”App预选号牌号码，或到现场选号。"),
                ("车辆查验", "到车管所或登记服务站查验车辆；国产免检车型简化查验。"),
                ("提交材料、缴费", "提交材料，缴纳号牌、行驶证和登记证书工本费。"),
                ("领取号牌证件", "当场领取号牌、行驶证、登记证书和检验合格标志，或选择邮寄。"),
                (
                    "交通违法处理",
                    "在“交管12123”确认违法并网上缴款；需要接受处理的到窗口办理。收到处罚决定后15日内缴款，逾期每日加处罚款数额3%。",
                ),
            ],
            "fees": "汽车号牌每副100元，临时号牌每张5元，行驶证每证10元，登记证书每证10元；交通违法罚款按处罚决定缴纳",
            "time_limit": "注册登记材料齐全、查验合格的当日办结；违法处理当场办结",
            "legal_basis": (
                "<ul><li>《中华人民共和国道路交通安全法》及其实施条例</li><li>《机动车登记规定》（公安部令第164号）</li>"
                "<li>《道路交通安全违法行为处理程序规定》</li></ul>"
            ),
            "where_and_when": "市车辆管理所（新港区港城大道200号，周一至周六8:30—17:30）；新港派出所交警服务站可处理交通违法。",
        },
        "en": {
            "title": "Registering a new vehicle and dealing with traffic offences",
            "summary": "Register a new car to get its number plates; check and pay fines for camera-recorded "
            "traffic offences in the 12123 app or at a traffic police window.",
            "service_area": "Traffic · Vehicles",
            "eligibility": (
                "<ul><li><strong>Registration:</strong> owners of a new vehicle who live in Sunshine City (hukou or "
                "residence permit), or organisations registered here.</li>"
                "<li><strong>Traffic offences:</strong> the vehicle owner or the driver at the time, with their "
                "own driving licence.</li></ul>"
            ),
            "materials": [
                (
                    "Owner's proof of identity",
                    "ID card, plus a residence permit if your hukou is elsewhere; "
                    "organisations bring their unified social credit code certificate",
                ),
                ("Purchase invoice", "The unified motor vehicle sales invoice"),
                ("Certificate of conformity", "From the manufacturer; import documents for imported cars"),
                ("Compulsory traffic insurance", "The electronic policy is checked online"),
                ("Driving licence", "When dealing with traffic offences"),
            ],
            "steps": [
                ("Choose a plate number", "Pick one in the 12123 app in advance, or on site."),
                (
                    "Vehicle inspection",
                    "Bring the car to the vehicle administration office or a registration "
                    "point; simplified for domestic models exempt from testing.",
                ),
                (
                    "Documents and fees",
                    "Hand in the documents and pay for the plates, registration certificate and vehicle licence.",
                ),
                (
                    "Plates and papers",
                    "Receive the plates, vehicle licence, registration certificate and "
                    "inspection sticker on the spot, or have them posted.",
                ),
                (
                    "Traffic offences",
                    "Confirm the offence and pay in the 12123 app; offences that need an interview are handled at "
                    "a window. Pay within 15 days of the decision; late payment adds 3% of the fine per day.",
                ),
            ],
            "fees": "Car plates 100 yuan a pair, temporary plate 5 yuan, vehicle licence 10 yuan, registration "
            "certificate 10 yuan; fines as set in the penalty decision",
            "time_limit": "Registration the same day once the car passes inspection; offences on the spot",
            "legal_basis": (
                "<ul><li>Road Traffic Safety Law and its implementing regulations</li>"
                "<li>Provisions on Motor Vehicle Registration (MPS Decree No. 164)</li>"
                "<li>Provisions on procedures for handling road traffic violations</li></ul>"
            ),
            "where_and_when": "City Vehicle Administration Office (200 Gangcheng Avenue, Xingang District, Monday to "
            "Saturday 8:30–17:30); traffic offences also at the traffic police service point in Xingang Police "
            "Station.",
        },
    },
    # --- Dog registration -------------------------------------------------------------------
    {
        "slug": "dog-registration",
        "stations": HUKOU_STATIONS,
        "forms": ["dog-registration-form"],
        "last_reviewed": dt.date(2026, 4, 1),
        "zh": {
            "title": "养犬登记与年检",
            "summary": "在本市城区养犬，应在犬只取得狂犬病免疫证明后30日内办理养犬登记，植入电子标识，每年年检。",
            "service_area": "治安管理 · 养犬",
            "eligibility": (
                "<ul><li>在本市城区饲养犬只的年满18周岁、具有完全民事行为能力的居民；每户限养一只。</li>"
                "<li>城区禁止饲养烈性犬、大型犬（名录见登记点公告），导盲犬、扶助犬除外。</li></ul>"
            ),
            "materials": [
                ("犬主居民身份证", "原件；外地户籍另交居住证"),
                ("住所证明", "不动产权证书或房屋租赁合同"),
                ("狂犬病免疫证明", "由动物诊疗机构出具，在有效期内"),
                ("犬只照片", "正面、侧面各一张，可现场拍摄"),
                ("《养犬登记申请表》", "可在本页下载填写"),
            ],
            "steps": [
                ("免疫", "到动物诊疗机构为犬只接种狂犬病疫苗，取得免疫证明。"),
                ("登记", "30日内携带犬只和材料到居住地派出所或区养犬登记服务点申请，现场植入电子标识。"),
                ("领取犬牌", "审核通过后发放养犬登记证和犬牌，出户时犬只须佩戴犬牌。"),
                ("年检", "每年凭新的免疫证明到登记点或网上办理年检。"),
            ],
            "fees": "养犬登记和年检免费；疫苗接种和电子标识植入由动物诊疗机构按标价收费",
            "time_limit": "材料齐全的，5个工作日内发放养犬登记证",
            "legal_basis": ("<ul><li>《中华人民共和国动物防疫法》第三十条</li><li>《阳光市养犬管理条例》</li></ul>"),
            "where_and_when": "居住地派出所户籍窗口（工作日）或各区养犬登记服务点；年检可在“阳光公安”政务服务平台办理。",
        },
        "en": {
            "title": "Dog registration and yearly renewal",
            "summary": "Dogs kept in the city's urban districts must be registered within 30 days of their rabies "
            "vaccination, microchipped and renewed every year.",
            "service_area": "Public order · Dogs",
            "eligibility": (
                "<ul><li>Adult residents (18 or older) keeping a dog in the urban districts; one dog per "
                "household.</li>"
                "<li>Aggressive and large breeds (listed at the registration points) are banned in urban "
                "districts, except guide and assistance dogs.</li></ul>"
            ),
            "materials": [
                ("Owner's ID card", "Original, plus a residence permit if your hukou is elsewhere"),
                ("Proof of address", "Property certificate or tenancy agreement"),
                ("Rabies vaccination certificate", "From a veterinary clinic, still valid"),
                ("Photos of the dog", "One from the front and one from the side; can be taken on site"),
                ("Dog registration form", "Download it from this page"),
            ],
            "steps": [
                ("Vaccinate", "Have your dog vaccinated against rabies at a veterinary clinic."),
                (
                    "Register",
                    "Within 30 days, bring the dog and documents to your local police station or a "
                    "district registration point; the microchip is implanted there.",
                ),
                (
                    "Get the tag",
                    "You receive the registration certificate and a tag, which the dog must wear outdoors.",
                ),
                ("Renew every year", "Bring the new vaccination certificate to a registration point or renew online."),
            ],
            "fees": "Registration and renewal are free; vaccination and microchipping are charged by the clinic",
            "time_limit": "Certificate issued within 5 working days of a complete application",
            "legal_basis": (
                "<ul><li>Animal Epidemic Prevention Law of the People's Republic of China, art. 30</li>"
                "<li>Sunshine City Dog Regulations</li></ul>"
            ),
            "where_and_when": "Your local police station's household registration window (working days) or a "
            "district dog registration point; renewals also on the Sunshine Police online service platform.",
        },
    },
    # --- Special trades ---------------------------------------------------------------------
    {
        "slug": "special-trade-permit",
        "stations": ["guangming", "binjiang", "xingang"],
        "forms": ["hotel-permit-form"],
        "last_reviewed": dt.date(2026, 3, 18),
        "zh": {
            "title": "特种行业许可证（旅馆业）与公章刻制备案",
            "summary": "开办旅馆、酒店、经营性民宿须取得公安机关核发的特种行业许可证；公章刻制企业实行备案管理。",
            "service_area": "治安管理 · 特种行业",
            "eligibility": (
                "<ul><li><strong>旅馆业：</strong>已取得营业执照、在本市开办宾馆、酒店、招待所、经营性民宿等住宿服务的企业和个体工商户。</li>"
                "<li><strong>公章刻制业：</strong>从事印章刻制的企业，取得营业执照后向所在地公安机关备案；"
                "企业刻制公章不再审批，由刻制企业通过系统备案。</li></ul>"
            ),
            "materials": [
                ("《特种行业许可证申请表》", "可在本页下载填写"),
                ("营业执照", "副本原件"),
                ("法定代表人或负责人居民身份证", "原件"),
                ("经营场所产权证明或租赁合同", "原件及复印件"),
                ("经营场所平面图", "标明客房、前台、监控点位和安全出口"),
                ("消防安全检查合格证明或告知承诺书", "由消防救援机构出具"),
                ("治安保卫制度和安全管理人员名单", "含前台实名登记、访客登记、可疑情况报告制度"),
            ],
            "steps": [
                ("提交申请", "向经营场所所在地派出所提交材料，由区公安分局治安部门受理。"),
                ("现场检查", "民警上门检查旅客住宿登记系统、身份证阅读器、视频监控（录像保存不少于30日）和安全设施。"),
                ("审批发证", "符合条件的核发特种行业许可证；不符合的书面说明理由。"),
                ("开业后", "每位旅客入住时查验身份证件并如实登记上传，接待未成年人按规定询问、记录监护人联系方式。"),
            ],
            "fees": "免费",
            "time_limit": "受理后20个工作日内作出决定（含现场检查）；本市承诺10个工作日",
            "legal_basis": (
                "<ul><li>《旅馆业治安管理办法》</li>"
                "<li>《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）</li>"
                "<li>《中华人民共和国行政许可法》第四十二条</li></ul>"
            ),
            "where_and_when": "经营场所所在地派出所或区公安分局政务窗口，工作日办理；可在“阳光公安”政务服务平台网上申请。",
        },
        "en": {
            "title": "Special-trade permit for hotels and registering seal engravers",
            "summary": "Hotels, guesthouses and commercial homestays need a special-trade permit from the police "
            "before opening; seal-engraving businesses register with the police instead.",
            "service_area": "Public order · Special trades",
            "eligibility": (
                "<ul><li><strong>Accommodation:</strong> businesses with a business licence that run a hotel, "
                "guesthouse, hostel or commercial homestay in the city.</li>"
                "<li><strong>Seal engraving:</strong> engraving businesses register with the local police once they "
                "have a business licence. Companies ordering official seals need no approval: the engraver "
                "records each seal in the police system.</li></ul>"
            ),
            "materials": [
                ("Application form", "Download it from this page"),
                ("Business licence", "Original duplicate"),
                ("ID card of the legal representative or manager", "Original"),
                ("Property certificate or lease of the premises", "Original and a copy"),
                ("Floor plan", "Showing rooms, reception, camera positions and emergency exits"),
                ("Fire safety inspection certificate or signed commitment", "Issued by the fire and rescue service"),
                (
                    "Security rules and staff list",
                    "Including guest ID registration, visitor logs and reporting of suspicious activity",
                ),
            ],
            "steps": [
                (
                    "Apply",
                    "Hand in the documents at the police station for the premises; the district police "
                    "public-order unit handles the application.",
                ),
                (
                    "On-site inspection",
                    "Officers check the guest registration system, ID card reader, CCTV "
                    "(recordings kept at least 30 days) and safety equipment.",
                ),
                (
                    "Decision",
                    "The permit is issued if all conditions are met; otherwise you get the reasons in writing.",
                ),
                (
                    "Once open",
                    "Check and register every guest's ID on arrival; for guests under 18, record a parent "
                    "or guardian's contact details as required.",
                ),
            ],
            "fees": "Free of charge",
            "time_limit": "Decision within 20 working days including the inspection; Sunshine City aims for 10 "
            "working days",
            "legal_basis": (
                "<ul><li>Measures for the Public Security Administration of the Hotel Industry</li>"
                "<li>State Council decision on administrative approvals that are retained (Decree No. 412)</li>"
                "<li>Administrative Licensing Law, art. 42</li></ul>"
            ),
            "where_and_when": "The police station for your premises or the district police service window, on "
            "working days; or online on the Sunshine Police service platform.",
        },
    },
]
