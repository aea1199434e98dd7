"""Standard pages under each home: about, privacy notice, accessibility statement.

The privacy notice is the page the public request form and the chat widget link to
(/zh-hans/privacy/, /en/privacy/): it states what personal data the portal collects, why, how
long it is kept and who sees it. Bodies use the same (block type, value) format as notices.py.
"""

# ruff: noqa: E501 -- long Chinese prose strings (ruff counts each CJK character as two columns)

STANDARD_PAGES = [
    {
        "slug": "about",
        "zh": {
            "title": "关于我们",
            "summary": "阳光市公安局的职责、机构设置和联系方式。",
            "body": [
                (
                    "paragraph",
                    "<p>阳光市公安局是阳光市人民政府主管全市公安工作的职能部门，负责预防、制止和侦查违法犯罪活动，"
                    "维护社会治安秩序，依法管理户政、出入境、道路交通和治安行政事务，为群众提供户籍、证件和交通管理等政务服务。</p>",
                ),
                ("heading", "机构设置"),
                (
                    "paragraph",
                    "<ul><li>办公室、指挥中心、警务督察支队；</li>"
                    "<li>户政管理支队、出入境管理支队、治安管理支队、交通警察支队；</li>"
                    "<li>刑事侦查支队（反诈中心）、网络安全保卫支队；</li>"
                    "<li>光明、东湖、新港、桃源4个分局，下辖派出所28个（本门户列出主要对外服务派出所）。</li></ul>",
                ),
                ("heading", "联系我们"),
                (
                    "paragraph",
                    "<ul><li>地址：阳光市光明区人民路88号（邮编518000）</li>"
                    "<li>总机：0755-8810 0000（工作日9:00—17:00）</li>"
                    "<li>报警：110；交通事故：122；火警：119；急救：120；反诈咨询：96110；投诉民警：12389</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "网上咨询不能代替报警",
                        "text": "<p>本门户的在线咨询和诉求在工作时间处理。正在发生的违法犯罪或紧急危险，请立即拨打110。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "About us",
            "summary": "What Sunshine City Public Security Bureau does, how it is organised and how to reach us.",
            "body": [
                (
                    "paragraph",
                    "<p>Sunshine City Public Security Bureau is the city government department responsible for "
                    "policing. We prevent, stop and investigate crime, keep public order, and provide public "
                    "services such as household registration, ID cards, exit-entry documents and traffic "
                    "administration.</p>",
                ),
                ("heading", "How we are organised"),
                (
                    "paragraph",
                    "<ul><li>General Office, Command Centre and Police Inspection Division;</li>"
                    "<li>Household Registration, Exit-Entry, Public Order and Traffic Police divisions;</li>"
                    "<li>Criminal Investigation Division (with the Anti-Fraud Centre) and Cyber Security Division;</li>"
                    "<li>four district commands (Guangming, Donghu, Xingang, Taoyuan) with 28 police stations; this "
                    "portal lists the main stations that serve the public.</li></ul>",
                ),
                ("heading", "Contact us"),
                (
                    "paragraph",
                    "<ul><li>Address: 88 Renmin Road, Guangming District, Sunshine City 518000</li>"
                    "<li>Switchboard: 0755-8810 0000 (working days 9:00–17:00)</li>"
                    "<li>Police emergency: 110; traffic accidents: 122; fire: 119; ambulance: 120; anti-fraud "
                    "advice: 96110; complaints about the police: 12389</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "Online is not for emergencies",
                        "text": "<p>Questions and requests sent through this portal are handled during working "
                        "hours. If a crime is happening or someone is in danger, call 110 now.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "privacy",
        "zh": {
            "title": "隐私声明",
            "summary": "本门户收集哪些个人信息、为什么收集、保存多久、谁能看到，以及您享有的权利。",
            "body": [
                (
                    "paragraph",
                    "<p>阳光市公安局（以下简称“我们”）依照《中华人民共和国个人信息保护法》《中华人民共和国数据安全法》处理您的个人信息。"
                    "本声明适用于本门户的网站浏览、在线咨询（智能问答与人工客服）和在线诉求。</p>",
                ),
                ("heading", "我们收集哪些信息"),
                (
                    "paragraph",
                    "<ul><li><strong>在线诉求：</strong>诉求类型和内容、事发时间和地点；您选择提供的姓名、手机号码、电子邮箱；"
                    "为便于您查询而生成的受理编号和查询码。</li>"
                    "<li><strong>在线咨询：</strong>您与智能问答和客服人员的对话内容、对回答的评价。</li>"
                    "<li><strong>技术信息：</strong>访问的IP地址、访问时间和浏览器类型，用于安全防护和防止滥用。</li></ul>"
                    "<p>我们不要求您在咨询中提供身份证号码等敏感个人信息；请勿在对话中填写银行卡号、密码和验证码。</p>",
                ),
                ("heading", "为什么收集"),
                (
                    "paragraph",
                    "<p>仅用于：答复您的咨询、办理和回复您的诉求、在必要时与您联系；统计改进服务（统计时不识别个人）；"
                    "保障网站安全、防止恶意提交。发现涉及违法犯罪或紧急危险的信息，我们将依法开展处置。</p>",
                ),
                ("heading", "谁能看到"),
                (
                    "paragraph",
                    "<p>您的诉求只由被分派的承办单位民警、值班人员及其主管领导在授权范围内查看，每次查看和处理均记录日志。"
                    "除法律法规规定或经您同意外，我们不会向任何第三方提供您的个人信息，不用于商业用途。</p>",
                ),
                ("heading", "保存多久"),
                (
                    "paragraph",
                    "<ul><li>在线诉求及其办理记录：办结后保存3年，之后删除或匿名化；涉及案件的按案卷管理规定保存；</li>"
                    "<li>在线咨询对话：保存180天，未能解答的问题以去除联系方式后的文本用于改进问答；</li>"
                    "<li>访问日志：按《网络安全法》要求保存不少于6个月。</li></ul>",
                ),
                ("heading", "您的权利"),
                (
                    "paragraph",
                    "<p>您可以查阅、复制、更正您的个人信息，或在法律允许的范围内要求删除。请通过本门户“在线诉求”（类别选择“网站与政务公开”）提出，"
                    "或致电0755-8810 0000联系我们，我们将在15个工作日内答复。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "安全措施",
                        "text": "<p>全站使用加密传输（HTTPS），数据存放在本局管理的服务器上，不使用第三方统计、广告或外部字体脚本。</p>",
                    },
                ),
                ("paragraph", "<p>本声明更新日期：2026年10月1日。</p>"),
            ],
        },
        "en": {
            "title": "Privacy notice",
            "summary": "What personal data this portal collects, why, how long we keep it, who sees it and your "
            "rights.",
            "body": [
                (
                    "paragraph",
                    '<p>Sunshine City Public Security Bureau ("we") processes your personal data under the Personal '
                    "Information Protection Law and the Data Security Law. This notice covers browsing this portal, "
                    "the online chat (automatic answers and staff) and online requests.</p>",
                ),
                ("heading", "What we collect"),
                (
                    "paragraph",
                    "<ul><li><strong>Online requests:</strong> the type and content of your request, when and where "
                    "it happened; the name, mobile number and e-mail address you choose to give; and the reference "
                    "number and access code we create so that you can track it.</li>"
                    "<li><strong>Online chat:</strong> your conversation with the automatic assistant and staff, and "
                    "your ratings of the answers.</li>"
                    "<li><strong>Technical data:</strong> IP address, time of access and browser type, for security "
                    "and to prevent abuse.</li></ul>"
                    "<p>We do not ask for your ID number or other sensitive data in the chat. Never type bank card "
                    "numbers, passwords or verification codes into it.</p>",
                ),
                ("heading", "Why we collect it"),
                (
                    "paragraph",
                    "<p>Only to answer your questions, handle and reply to your request, contact you when needed, "
                    "improve our service through statistics that do not identify you, and keep the site secure. If "
                    "information points to a crime or an emergency, we act on it as the law requires.</p>",
                ),
                ("heading", "Who sees it"),
                (
                    "paragraph",
                    "<p>Your request is seen only by the officers of the unit it is assigned to, duty staff and their "
                    "supervisors, within their authorisation; every access and action is logged. We do not share "
                    "your data with anyone else unless the law requires it or you agree, and never use it for "
                    "commercial purposes.</p>",
                ),
                ("heading", "How long we keep it"),
                (
                    "paragraph",
                    "<ul><li>Online requests and their handling record: 3 years after closing, then deleted or "
                    "anonymised; requests that become part of a case file are kept under the case-file rules;</li>"
                    "<li>chat conversations: 180 days; unanswered questions are kept, without contact details, to "
                    "improve the answers;</li>"
                    "<li>access logs: at least 6 months, as the Cybersecurity Law requires.</li></ul>",
                ),
                ("heading", "Your rights"),
                (
                    "paragraph",
                    "<p>You can see, copy and correct your personal data, and ask us to delete it where the law "
                    'allows. Use the online request form (category "This website and open government") or call '
                    "0755-8810 0000; we answer within 15 working days.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "How we protect it",
                        "text": "<p>The whole site uses encrypted connections (HTTPS), data is stored on servers "
                        "managed by the bureau, and we use no third-party analytics, advertising, fonts or "
                        "scripts.</p>",
                    },
                ),
                ("paragraph", "<p>Last updated: 1 October 2026.</p>"),
            ],
        },
    },
    {
        "slug": "accessibility",
        "zh": {
            "title": "无障碍声明",
            "summary": "本门户力求让所有人都能使用，包括使用读屏软件、键盘或放大功能的用户。",
            "body": [
                (
                    "paragraph",
                    "<p>我们按照《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668—2019）和"
                    "WCAG 2.1 AA级要求建设本门户。</p>",
                ),
                ("heading", "您可以"),
                (
                    "paragraph",
                    "<ul><li>只用键盘完成浏览、搜索、咨询和提交诉求，焦点位置清晰可见；</li>"
                    "<li>使用读屏软件浏览，页面使用规范的标题、列表和表单标签；</li>"
                    "<li>将页面放大到200%而不丢失内容，手机上同样可用；</li>"
                    "<li>在关闭JavaScript的情况下使用全部主要功能；</li>"
                    "<li>随时切换简体中文和英文。</li></ul>",
                ),
                ("heading", "已知不足"),
                (
                    "paragraph",
                    "<p>部分早期上传的PDF附件（如申请表）可能不便于读屏软件阅读。如需其他格式，请通过在线诉求或致电0755-8810 0000告诉我们，"
                    "我们将在5个工作日内提供。</p>",
                ),
                ("heading", "反馈"),
                (
                    "paragraph",
                    "<p>使用中遇到障碍，请通过本门户“在线诉求”（类别选择“网站与政务公开”）反馈。听力、言语障碍人士报警可发送短信至12110。</p>",
                ),
            ],
        },
        "en": {
            "title": "Accessibility statement",
            "summary": "We want everyone to be able to use this portal, including people who use screen readers, a "
            "keyboard or magnification.",
            "body": [
                (
                    "paragraph",
                    "<p>This portal is built to meet the Chinese national standard GB/T 37668-2019 and WCAG 2.1 level "
                    "AA.</p>",
                ),
                ("heading", "You can"),
                (
                    "paragraph",
                    "<ul><li>browse, search, chat and submit requests with the keyboard alone, with a clearly visible "
                    "focus;</li>"
                    "<li>use a screen reader: pages use proper headings, lists and form labels;</li>"
                    "<li>zoom to 200% without losing content, and use the site on a phone;</li>"
                    "<li>use every main feature with JavaScript switched off;</li>"
                    "<li>switch between Simplified Chinese and English at any time.</li></ul>",
                ),
                ("heading", "Known issues"),
                (
                    "paragraph",
                    "<p>Some older PDF attachments (such as application forms) may be hard to read with a screen "
                    "reader. If you need another format, tell us through the online request form or on 0755-8810 0000 "
                    "and we will provide it within 5 working days.</p>",
                ),
                ("heading", "Feedback"),
                (
                    "paragraph",
                    "<p>If something on the site does not work for you, use the online request form "
                    '(category "This website and open government"). Deaf or speech-impaired people can contact the police by texting 12110.</p>',
                ),
            ],
        },
    },
]
