"""Every text the assistant says, in both languages.

A bilingual table rather than gettext: the engine answers in the language of each message (not the
request's), replies are built from several parts, and a table keeps each pair side by side so
that a translator sees both. `say(key, lang, **values)` formats one entry.
"""

LANGS = ("zh-hans", "en")

MESSAGES = {
    # --- emergency -------------------------------------------------------------------------
    "emergency": {
        "zh-hans": (
            "如遇紧急情况，请立即拨打电话：110 报警，119 火警，120 急救。\n"
            "本对话不是紧急求助渠道，无人实时值守，不能代替拨打电话。"
            "我们已将本对话标记为紧急并通知值班民警查看。请先确保自身安全。"
        ),
        "en": (
            "If this is an emergency, call now: 110 police, 119 fire, 120 ambulance.\n"
            "This chat is not an emergency line and is not watched around the clock; it cannot replace a call. "
            "We have marked this conversation as urgent for the duty officers. Get yourself to safety first."
        ),
    },
    "emergency_fire": {
        "zh-hans": "如有火情，请立即拨打 119，并尽快撤离到安全地带，不要乘坐电梯。",
        "en": "For a fire, call 119 now and get out to a safe place; do not use the lift.",
    },
    "emergency_medical": {
        "zh-hans": "如有人受伤或突发疾病，请立即拨打 120 急救电话。",
        "en": "If someone is hurt or ill, call 120 for an ambulance now.",
    },
    "emergency_suicide": {
        "zh-hans": "如果你或身边的人有轻生的想法，请立即拨打 110 或 120，你并不孤单，身边的人和我们都愿意帮助你。",
        "en": "If you or someone near you is thinking of suicide, call 110 or 120 now. "
        "You are not alone; people want to help.",
    },
    "emergency_resume": {
        "zh-hans": "如果你现在安全，我们可以继续刚才的事情：",
        "en": "If you are safe now, we can carry on where we were:",
    },
    # --- facts from station pages and service guides (chatbot.engine.facts) -------------------
    "fact_hours": {"zh-hans": "{name}的办公时间：", "en": "Opening hours of {name}:"},
    "fact_open_now": {"zh-hans": "现在正在办公。", "en": "It is open now."},
    "fact_closed_now": {"zh-hans": "现在不在办公时间。", "en": "It is closed now."},
    "fact_closed": {"zh-hans": "休息", "en": "closed"},
    "fact_address": {"zh-hans": "{name}的地址：{value}", "en": "Address of {name}: {value}"},
    "fact_phone": {"zh-hans": "{name}的电话：{value}", "en": "Phone of {name}: {value}"},
    "fact_fee": {"zh-hans": "{name}的收费：{value}", "en": "Fees for {name}: {value}"},
    "fact_time_limit": {"zh-hans": "{name}的办理时限：{value}", "en": "Time limit for {name}: {value}"},
    "fact_materials": {"zh-hans": "{name}需要的材料：", "en": "What to bring for {name}:"},
    "fact_where": {"zh-hans": "{name}的办理地点和时间：{value}", "en": "Where and when for {name}: {value}"},
    # --- small talk ------------------------------------------------------------------------
    "greeting": {
        "zh-hans": "您好！我是阳光警务在线助手。我可以回答办事问题、帮您提交诉求、查询办理进度，"
        "或转接值班民警。请问有什么可以帮您？",
        "en": (
            "Hello! I am the Sunshine Policing online assistant. I can answer questions about our services, "
            "help you file a request, track one, or put you through to a duty officer. How can I help?"
        ),
    },
    "help": {
        "zh-hans": (
            "我可以：\n1. 回答常见问题（如身份证、户口、出入境、交通、防诈骗），并给出来源链接；\n"
            "2. 帮您提交咨询、投诉、举报线索、办事申请或建议；\n3. 凭受理编号和查询码查询进度；\n"
            "4. 值班时间转接值班民警。\n紧急情况请直接拨打 110。"
        ),
        "en": (
            "I can:\n1. answer common questions (ID cards, household registration, travel documents, traffic, fraud) "
            "with a link to the source;\n2. help you file a consultation, complaint, tip, service request or "
            "suggestion;\n3. track a request with its reference and access code;\n"
            "4. put you through to a duty officer during duty hours.\nIn an emergency, call 110."
        ),
    },
    "thanks": {
        "zh-hans": "不客气！还有其他问题可以随时问我。",
        "en": "You are welcome! Ask me anything else at any time.",
    },
    "goodbye": {
        "zh-hans": "再见，祝您平安！如需帮助，随时回来。",
        "en": "Goodbye and stay safe! Come back any time you need help.",
    },
    "cancelled": {
        "zh-hans": "好的，已取消。还有什么可以帮您？",
        "en": "OK, cancelled. What else can I do for you?",
    },
    # --- answers ---------------------------------------------------------------------------
    "faq_intro": {"zh-hans": "", "en": ""},
    "page_intro": {
        "zh-hans": "这个页面可能有您要的信息：",
        "en": "This page may have what you are looking for:",
    },
    "more_at_source": {
        "zh-hans": "（内容较长，完整内容请看来源页面。）",
        "en": "(Shortened: see the source page for the full answer.)",
    },
    "clarify": {
        "zh-hans": "我不太确定您问的是哪一个，您是想问：",
        "en": "I am not sure which one you mean. Did you mean:",
    },
    "clarify_none": {"zh-hans": "都不是", "en": "None of these"},
    "unknown": {
        "zh-hans": "抱歉，我没有找到可靠的答案，不想给您错误的信息。"
        "您可以换个说法再问，也可以请值班民警回答或提交一个诉求。",
        "en": (
            "Sorry, I could not find a reliable answer and I do not want to guess. You can rephrase the question, "
            "ask a person, or file a request and we will answer it."
        ),
    },
    "faq_gone": {
        "zh-hans": "抱歉，这条内容已经不再公开了。",
        "en": "Sorry, that answer is no longer published.",
    },
    "fallback": {
        "zh-hans": "抱歉，我没有理解。您可以选择：",
        "en": "Sorry, I did not understand. You can choose:",
    },
    "fallback_once": {
        "zh-hans": "抱歉，我没有理解，请换个说法试试。",
        "en": "Sorry, I did not understand that. Could you put it another way?",
    },
    # --- menu ------------------------------------------------------------------------------
    "menu_ask": {"zh-hans": "问一个问题", "en": "Ask a question"},
    "menu_request": {"zh-hans": "提交诉求", "en": "File a request"},
    "menu_track": {"zh-hans": "查询进度", "en": "Track a request"},
    "menu_handover": {"zh-hans": "转人工（值班民警）", "en": "Talk to a person"},
    "menu_continue": {"zh-hans": "继续刚才的事情", "en": "Carry on where we were"},
    "menu_cancel": {"zh-hans": "取消", "en": "Cancel"},
    "ask_prompt": {
        "zh-hans": "请直接输入您的问题，例如“身份证丢了怎么补办”。",
        "en": "Type your question, for example “How do I replace a lost ID card?”",
    },
    # --- request flow ----------------------------------------------------------------------
    "req_start": {
        "zh-hans": "好的，我来帮您提交诉求（随时输入“取消”可以退出）。",
        "en": "OK, I will help you file a request (type “cancel” at any time to stop).",
    },
    "req_kind": {"zh-hans": "请选择诉求类型：", "en": "What kind of request is it?"},
    "req_category": {"zh-hans": "请选择类别：", "en": "Which topic is it about?"},
    "req_description": {
        "zh-hans": "请描述具体情况（时间、地点、经过、您的诉求），至少 10 个字。",
        "en": "Please describe it (when, where, what happened, what you would like us to do), at least 10 characters.",
    },
    "req_description_short": {
        "zh-hans": "描述太短了，请再多写一点，至少 10 个字。",
        "en": "That is a bit short; please write at least 10 characters.",
    },
    "req_name": {"zh-hans": "请问您的姓名？", "en": "What is your name?"},
    "req_phone": {
        "zh-hans": "请留下您的手机号码，以便我们联系您。",
        "en": "Your phone number, so that we can reach you?",
    },
    "req_phone_or_email": {
        "zh-hans": "请留下手机号码或电子邮箱（二选一），以便我们答复您。",
        "en": "A phone number or an e-mail address (either), so that we can answer you?",
    },
    "req_contact_optional": {
        "zh-hans": "此类诉求可以匿名。如需我们联系您，请留下手机号码或邮箱；不需要请选择“匿名提交”。",
        "en": "This kind of request may be anonymous. Leave a phone number or e-mail if you want an answer, "
        "or choose “Stay anonymous”.",
    },
    "req_anonymous": {"zh-hans": "匿名提交", "en": "Stay anonymous"},
    "req_bad_phone": {
        "zh-hans": "这个号码格式不对，请输入手机号码（如 13800000000）。",
        "en": "That does not look like a phone number (e.g. 13800000000). Please try again.",
    },
    "req_bad_contact": {
        "zh-hans": "请输入有效的手机号码或电子邮箱。",
        "en": "Please enter a valid phone number or e-mail address.",
    },
    "req_bad_name": {"zh-hans": "请输入姓名（不超过 100 个字）。", "en": "Please enter a name (up to 100 characters)."},
    "req_consent": {
        "zh-hans": "提交前请阅读隐私说明（{privacy_url}）：我们只将您提供的信息用于处理本诉求。您同意吗？",
        "en": "Before filing, please read the privacy notice ({privacy_url}): we use what you give us only to "
        "handle this request. Do you agree?",
    },
    "req_consent_needed": {
        "zh-hans": "没有您的同意我们无法提交。您可以同意后继续，或者取消。",
        "en": "We cannot file it without your agreement. You can agree and continue, or cancel.",
    },
    "privacy_title": {"zh-hans": "隐私说明", "en": "Privacy notice"},
    "yes": {"zh-hans": "是，同意", "en": "Yes, I agree"},
    "no": {"zh-hans": "不同意", "en": "No"},
    "req_summary": {
        "zh-hans": "请核对以下信息：\n类型：{kind}\n类别：{category}\n描述：{description}\n联系方式：{contact}\n"
        "确认无误请选择“提交”，需要修改请选择对应项目。",
        "en": "Please check:\nKind: {kind}\nTopic: {category}\nDescription: {description}\nContact: {contact}\n"
        "Choose “Submit” if this is right, or the item you want to change.",
    },
    "anonymous": {"zh-hans": "匿名", "en": "anonymous"},
    "req_submit": {"zh-hans": "提交", "en": "Submit"},
    "req_edit_kind": {"zh-hans": "修改类型", "en": "Change kind"},
    "req_edit_category": {"zh-hans": "修改类别", "en": "Change topic"},
    "req_edit_description": {"zh-hans": "修改描述", "en": "Change description"},
    "req_edit_contact": {"zh-hans": "修改联系方式", "en": "Change contact"},
    "req_created": {
        "zh-hans": "已提交！受理编号：{reference}\n查询码：{access_code}\n请妥善保存查询码，它只显示这一次。"
        "您可以在 {track_url} 或在这里输入受理编号查询进度。我们将在 {due} 前答复。",
        "en": "Filed! Reference: {reference}\nAccess code: {access_code}\nKeep the access code safe: it is shown only "
        "this once. Track it at {track_url} or by typing the reference here. We will answer by {due}.",
    },
    "req_track_link": {"zh-hans": "查询诉求 {reference} 的进度", "en": "Track request {reference}"},
    "req_verify_link": {
        "zh-hans": "核验回执（电子签章 {code}）",
        "en": "Check the receipt (electronic seal {code})",
    },
    "req_failed": {
        "zh-hans": "提交时出现问题：{errors}",
        "en": "Something needs fixing before we can file it: {errors}",
    },
    "req_error_unexpected": {
        "zh-hans": "抱歉，系统暂时无法提交，您填写的内容都还在。请稍后输入“提交”重试，或使用网页表单 {form_url}。",
        "en": "Sorry, we could not file it just now; nothing you typed is lost. Type “submit” to try again later, "
        "or use the web form at {form_url}.",
    },
    "req_invalid_choice": {
        "zh-hans": "请从下面的选项中选择一个（也可以输入序号）。",
        "en": "Please pick one of the options below (or type its number).",
    },
    # --- tracking --------------------------------------------------------------------------
    "track_ask_reference": {
        "zh-hans": "请输入受理编号（如 YG-2026-000123）。",
        "en": "Please type the reference (e.g. YG-2026-000123).",
    },
    "track_bad_reference": {
        "zh-hans": "没有识别到受理编号，格式应为 YG-年份-六位数字，例如 YG-2026-000123。",
        "en": "I could not find a reference in that. It looks like YG-year-number, e.g. YG-2026-000123.",
    },
    "track_ask_code": {
        "zh-hans": "请输入受理时给您的查询码（10 位字母数字，如 ABCDE-FGH23）。",
        "en": "Please type the access code you were given when filing (10 letters and digits, e.g. ABCDE-FGH23).",
    },
    "track_not_found": {
        "zh-hans": "受理编号和查询码不匹配，请核对后重试。",
        "en": "The reference and access code do not match. Please check them and try again.",
    },
    "track_give_up": {
        "zh-hans": "多次核对未通过。请在 {track_url} 查询，或转人工咨询。",
        "en": "That did not match several times. Please try the tracking page at {track_url}, or ask a person.",
    },
    "track_wait": {
        "zh-hans": "查询尝试次数过多。为保护诉求信息，请{minutes}分钟后再输入受理编号和查询码。",
        "en": "Too many tracking attempts from your network. To protect everyone's requests, please wait "
        "{minutes} minutes, then give the reference and access code again.",
    },
    "track_wait_one": {
        "zh-hans": "查询尝试次数过多。为保护诉求信息，请1分钟后再输入受理编号和查询码。",
        "en": "Too many tracking attempts from your network. To protect everyone's requests, please wait "
        "1 minute, then give the reference and access code again.",
    },
    "track_status": {
        "zh-hans": "受理编号 {reference}\n状态：{status}\n答复期限：{due}",
        "en": "Reference {reference}\nStatus: {status}\nAnswer due by: {due}",
    },
    "track_latest_reply": {
        "zh-hans": "最新答复（{at}）：{text}",
        "en": "Latest reply ({at}): {text}",
    },
    "track_no_reply": {
        "zh-hans": "目前还没有答复，我们会尽快处理。",
        "en": "There is no reply yet; we are working on it.",
    },
    "track_more": {
        "zh-hans": "完整记录和补充留言请访问 {track_url}",
        "en": "For the full history and to add a message, visit {track_url}",
    },
    "track_rate": {
        "zh-hans": "本诉求已办结。请对我们的服务进行评价（好差评），每一条差评都会回访。",
        "en": "This request is closed. Please rate our service: every dissatisfied rating is followed up.",
    },
    "track_rate_link": {"zh-hans": "评价服务", "en": "Rate our service"},
    # --- handover --------------------------------------------------------------------------
    "handover_confirm": {
        "zh-hans": "转接后，值班民警将看到本次对话的全部内容（包括您在对话中留下的联系方式），并在这里与您实时交流。"
        "确定转人工吗？",
        "en": "If you go ahead, the duty officer will see this whole conversation (including any contact details you "
        "typed here) and chat with you here. Shall I put you through?",
    },
    "handover_yes": {"zh-hans": "确定转人工", "en": "Yes, put me through"},
    "handover_no": {"zh-hans": "不用了", "en": "No, thanks"},
    "handover_requested": {
        "zh-hans": "正在为您联系值班民警……",
        "en": "Contacting a duty officer…",
    },
    "handover_declined": {
        "zh-hans": "好的，不转人工。还有什么可以帮您？",
        "en": "OK, no transfer. What else can I do for you?",
    },
    "handover_unavailable": {
        "zh-hans": "抱歉，现在没有值班民警在线。我可以帮您把问题提交为诉求，值班民警会在工作时间答复您。",
        "en": "Sorry, no duty officer is online right now. I can file your question as a request, and the duty "
        "officers will answer it during working hours.",
    },
}


def say(key, lang, **values):
    """The text `key` in `lang` (zh-hans when lang is unknown), formatted with values."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["zh-hans"]
    return text.format(**values) if values else text


def check_complete():
    """Every entry has both languages (used by the tests)."""
    return [key for key, entry in MESSAGES.items() if set(entry) != set(LANGS)]
