"""Fifteen notices across the four categories, zh-hans and en, dated 2026.

Bodies are lists of (block type, value): ("heading", text), ("paragraph", html),
("callout", {"title", "text"}), ("document", document key from cms/demo/documents.py).
Two notices have already expired (they leave every listing) and two expire in the future.
`attachments` are document keys shown in the notice's attachment list.
"""

# ruff: noqa: E501 -- long Chinese prose strings (ruff counts each CJK character as two columns)

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


NOTICES = [
    # --- 通知公告 / Announcements -----------------------------------------------------------
    {
        "slug": "marathon-2026-traffic-control",
        "category": "announcement",
        "date": dt.date(2026, 11, 20),
        "expires_at": at(2027, 1, 6, 18),  # future: still shown
        "pinned": True,
        "attachments": ["marathon-traffic"],
        "zh": {
            "title": "关于2026阳光马拉松赛期间实施交通管制的通告",
            "department": "交通警察支队",
            "summary": "2026年12月6日5:00至13:30，人民路、滨江大道、沙湾路、湖滨路、东湖路分时段实施交通管制，请提前规划出行。",
            "body": [
                (
                    "paragraph",
                    "<p>为保障2026阳光马拉松赛安全顺利举行，根据《中华人民共和国道路交通安全法》第三十九条规定，"
                    "市公安局决定于2026年12月6日（星期日）对赛道沿线道路实施临时交通管制。现通告如下：</p>",
                ),
                ("heading", "一、管制时间和路段"),
                (
                    "paragraph",
                    "<ol><li>5:00—9:30：人民广场及人民路（光明路至文昌路）；</li>"
                    "<li>6:30—10:30：滨江大道（人民路至沙湾路）双向；</li>"
                    "<li>7:00—11:30：沙湾路、湖滨路；</li>"
                    "<li>7:30—13:30：东湖路（东湖公园终点区域）。</li></ol>"
                    "<p>各路段将在最后一名参赛选手通过、道路清扫完毕后逐段提前解除管制。</p>",
                ),
                ("heading", "二、出行建议"),
                (
                    "paragraph",
                    "<p>管制期间，除赛事保障车辆和执行紧急任务的警车、消防车、救护车外，其他车辆禁止驶入管制路段。"
                    "地铁2号线当日提前至5:30运营并加开班次，建议市民乘坐地铁出行。管制路段内的停车场当日暂停开放。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "请注意",
                        "text": "<p>违反管制规定的，由公安机关交通管理部门依法处理。咨询电话：122。</p>",
                    },
                ),
                ("document", "marathon-traffic"),
                ("paragraph", "<p>特此通告。</p><p>阳光市公安局<br/>2026年11月20日</p>"),
            ],
        },
        "en": {
            "title": "Road closures for the Sunshine Marathon 2026",
            "department": "Traffic Police Division",
            "summary": "On 6 December 2026, from 5:00 to 13:30, Renmin Road, Binjiang Avenue, Shawan Road, Hubin Road "
            "and Donghu Road close in stages. Please plan your journey.",
            "body": [
                (
                    "paragraph",
                    "<p>To keep the Sunshine Marathon 2026 safe, and under article 39 of the Road Traffic Safety Law, "
                    "the bureau will close roads along the course on Sunday 6 December 2026.</p>",
                ),
                ("heading", "Closed roads and times"),
                (
                    "paragraph",
                    "<ol><li>5:00–9:30: People's Square and Renmin Road (Guangming Road to Wenchang Road);</li>"
                    "<li>6:30–10:30: Binjiang Avenue, both directions (Renmin Road to Shawan Road);</li>"
                    "<li>7:00–11:30: Shawan Road and Hubin Road;</li>"
                    "<li>7:30–13:30: Donghu Road (finish area at Donghu Park).</li></ol>"
                    "<p>Each section reopens as soon as the last runner has passed and the road has been cleaned.</p>",
                ),
                ("heading", "Getting around"),
                (
                    "paragraph",
                    "<p>Only race vehicles and emergency police, fire and ambulance vehicles may enter the closed "
                    "roads. Metro Line 2 opens early, at 5:30, with extra trains: we recommend taking the metro. "
                    "Car parks on the closed roads are shut for the day.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "Please note",
                        "text": "<p>Drivers who ignore the closures will be dealt with by the traffic police. "
                        "Enquiries: 122.</p>",
                    },
                ),
                ("document", "marathon-traffic"),
                ("paragraph", "<p>Sunshine City Public Security Bureau, 20 November 2026</p>"),
            ],
        },
    },
    {
        "slug": "spring-festival-2026-hukou-hours",
        "category": "announcement",
        "date": dt.date(2026, 2, 5),
        "expires_at": at(2026, 2, 25),  # expired
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "关于2026年春节期间户籍窗口办公时间调整的通知",
            "department": "户政管理支队",
            "summary": "2月15日至2月23日春节假期期间，各派出所户籍窗口暂停办理业务，东湖派出所提供临时身份证应急办理。",
            "body": [
                (
                    "paragraph",
                    "<p>根据国务院办公厅2026年部分节假日安排，现将春节期间全市公安户籍窗口办公时间通知如下：</p>",
                ),
                (
                    "paragraph",
                    "<ul><li>2026年2月15日（除夕）至2月23日：各派出所户籍窗口暂停对外办公；</li>"
                    "<li>假期期间，东湖派出所每日9:00—17:00提供临时居民身份证、户籍证明应急办理；</li>"
                    "<li>2月14日（星期六）、2月28日（星期六）为调休工作日，户籍窗口正常办公；</li>"
                    "<li>2月24日起恢复正常办公。</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "温馨提示",
                        "text": "<p>节前是身份证办理高峰，有出行需要的请提前办理；报警求助请拨打110，全天24小时服务。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "Household registration windows over the 2026 Spring Festival",
            "department": "Household Registration Division",
            "summary": "From 15 to 23 February, police station household registration windows are closed; Donghu "
            "Police Station issues temporary ID cards for emergencies.",
            "body": [
                (
                    "paragraph",
                    "<p>Following the State Council's 2026 holiday schedule, household registration windows will "
                    "work as follows over the Spring Festival:</p>",
                ),
                (
                    "paragraph",
                    "<ul><li>15 February (New Year's Eve) to 23 February: all station windows closed;</li>"
                    "<li>during the holiday, Donghu Police Station issues temporary ID cards and household "
                    "certificates in emergencies, 9:00–17:00 daily;</li>"
                    "<li>Saturday 14 February and Saturday 28 February are working days: windows open as usual;</li>"
                    "<li>normal hours resume on 24 February.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "Tip",
                        "text": "<p>The weeks before the festival are the busiest for ID cards: apply early if you "
                        "plan to travel. For emergencies call 110, day and night.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "telecom-fraud-campaign-2026",
        "category": "announcement",
        "date": dt.date(2026, 3, 15),
        "expires_at": None,
        "pinned": True,
        "attachments": [],
        "zh": {
            "title": "关于开展打击治理电信网络诈骗专项整治的通告",
            "department": "刑事侦查支队（反诈中心）",
            "summary": "即日起至2026年12月31日，全市开展打击治理电信网络诈骗专项整治，依法严查出租出借银行卡、电话卡等违法行为，欢迎群众举报。",
            "body": [
                (
                    "paragraph",
                    "<p>为依法严厉打击电信网络诈骗违法犯罪，切实保护人民群众财产安全，根据《中华人民共和国反电信网络诈骗法》，"
                    "市公安局决定即日起至2026年12月31日在全市开展专项整治。现通告如下：</p>",
                ),
                ("heading", "一、严厉打击以下违法犯罪行为"),
                (
                    "paragraph",
                    "<ol><li>实施电信网络诈骗的；</li>"
                    "<li>非法买卖、出租、出借电话卡、银行卡、收款码、网络账号的（即“两卡”违法犯罪）；</li>"
                    "<li>为诈骗提供技术支持、广告推广、支付结算帮助，或帮助转移、取现诈骗资金的；</li>"
                    "<li>组织、介绍他人出境参与诈骗的。</li></ol>",
                ),
                ("heading", "二、主动投案从宽处理"),
                (
                    "paragraph",
                    "<p>涉案人员在2026年6月30日前主动投案、如实供述、积极退赃退赔的，依法从轻或减轻处罚。</p>",
                ),
                ("heading", "三、欢迎群众举报"),
                (
                    "paragraph",
                    "<p>举报电话：0755-8810 0110，或到就近派出所、通过本门户“在线诉求”举报。对举报有功的，依照有关规定给予奖励，"
                    "并严格为举报人保密。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "牢记",
                        "text": "<p>公检法机关不会电话办案，不存在“安全账户”。接到96110来电请务必接听。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "Campaign against telecom and online fraud",
            "department": "Criminal Investigation Division (Anti-Fraud Centre)",
            "summary": "Until 31 December 2026 the bureau is running a campaign against telecom and online fraud, "
            "including the renting out of bank and phone cards. Tip-offs are welcome.",
            "body": [
                (
                    "paragraph",
                    "<p>To protect residents' money and under the Anti-Telecom and Online Fraud Law, the bureau is "
                    "running a city-wide campaign from today until 31 December 2026.</p>",
                ),
                ("heading", "What we are targeting"),
                (
                    "paragraph",
                    "<ol><li>telecom and online fraud itself;</li>"
                    "<li>buying, selling, renting or lending phone cards, bank cards, payment QR codes or online "
                    "accounts;</li>"
                    "<li>providing technical support, advertising or payment services to fraudsters, or helping to "
                    "move or withdraw stolen money;</li>"
                    "<li>recruiting people to take part in fraud operations abroad.</li></ol>",
                ),
                ("heading", "Turning yourself in"),
                (
                    "paragraph",
                    "<p>People involved who give themselves up before 30 June 2026, tell the truth and repay what "
                    "they gained will be treated with leniency under the law.</p>",
                ),
                ("heading", "Report it"),
                (
                    "paragraph",
                    "<p>Call 0755-8810 0110, visit any police station or use the online request form on this "
                    "portal. Useful tip-offs are rewarded and informants' identities are kept confidential.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "Remember",
                        "text": "<p>The police, prosecutors and courts never handle cases by phone, and there is no "
                        'such thing as a "safe account". Always answer calls from 96110.</p>',
                    },
                ),
            ],
        },
    },
    {
        "slug": "cross-province-services",
        "category": "announcement",
        "date": dt.date(2026, 5, 10),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "关于新增一批户籍业务“跨省通办”“网上办”的公告",
            "department": "户政管理支队",
            "summary": "自2026年6月1日起，户口迁移、居民身份证换领补领、开具户籍类证明等12项业务可跨省通办，其中7项可全程网办。",
            "body": [
                (
                    "paragraph",
                    "<p>为进一步便利群众办事，自2026年6月1日起，本市新增以下户籍业务“跨省通办”“网上办”：</p>",
                ),
                (
                    "paragraph",
                    "<ul><li><strong>跨省通办：</strong>户口迁移（迁入地一地办理）、居民身份证首次申领、换领和补领、"
                    "临时居民身份证申领、户籍类证明开具、新生儿出生登记（父母一方为本市户籍）；</li>"
                    "<li><strong>全程网办：</strong>居住登记、居住证签注、无犯罪记录证明（电子）、身份证挂失、"
                    "户籍证明、养犬年检、办事预约。</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>网上办理入口：“阳光公安”政务服务平台及本门户各办事指南页面。办理中遇到问题，可在本门户在线咨询。</p>",
                ),
            ],
        },
        "en": {
            "title": "More household registration services available nationwide and online",
            "department": "Household Registration Division",
            "summary": "From 1 June 2026, twelve household registration services, including hukou transfers and ID "
            "cards, can be done in any province; seven can be done entirely online.",
            "body": [
                (
                    "paragraph",
                    "<p>To save residents unnecessary trips, from 1 June 2026 the following services become "
                    "available across provinces or online:</p>",
                ),
                (
                    "paragraph",
                    "<ul><li><strong>In any province:</strong> hukou transfers (handled entirely where you move "
                    "to), first, renewed and replacement ID cards, temporary ID cards, household registration "
                    "certificates, and birth registration when one parent is registered in Sunshine City;</li>"
                    "<li><strong>Fully online:</strong> residence registration, residence permit endorsement, "
                    "electronic no-criminal-record certificates, reporting a lost ID card, household certificates, "
                    "yearly dog registration renewal and appointment booking.</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>Apply on the Sunshine Police online service platform or from the service guides on this "
                    "portal. If you get stuck, ask us online.</p>",
                ),
            ],
        },
    },
    {
        "slug": "exit-entry-hall-relocation",
        "category": "announcement",
        "date": dt.date(2026, 8, 1),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "市出入境接待大厅迁址公告",
            "department": "出入境管理支队",
            "summary": "自2026年8月17日起，市出入境接待大厅迁至阳光市政务服务中心三楼，周六照常办公。",
            "body": [
                (
                    "paragraph",
                    "<p>自2026年8月17日（星期一）起，市出入境接待大厅由人民路原址迁至光明区市民大道1号阳光市政务服务中心三楼。"
                    "原址自8月15日起停止办理业务。</p>",
                ),
                (
                    "paragraph",
                    "<ul><li>办公时间：周一至周六9:00—17:00（法定节假日除外）；</li>"
                    "<li>交通：地铁2号线市民中心站A出口；</li>"
                    "<li>8月14日前受理、选择窗口领取的证件，请到新址领取。</li></ul>",
                ),
                ("paragraph", "<p>咨询电话：12367（国家移民管理局服务热线）。</p>"),
            ],
        },
        "en": {
            "title": "City Exit-Entry Service Hall has moved",
            "department": "Exit-Entry Administration Division",
            "summary": "From 17 August 2026 the City Exit-Entry Service Hall is on the 3rd floor of the Sunshine "
            "City Government Services Centre, open Saturdays as before.",
            "body": [
                (
                    "paragraph",
                    "<p>From Monday 17 August 2026 the City Exit-Entry Service Hall moves from Renmin Road to the 3rd "
                    "floor of the Sunshine City Government Services Centre, 1 Shimin Avenue, Guangming District. The "
                    "old hall closes on 15 August.</p>",
                ),
                (
                    "paragraph",
                    "<ul><li>Opening hours: Monday to Saturday 9:00–17:00 (closed on public holidays);</li>"
                    "<li>Getting there: Metro Line 2, Civic Centre station, exit A;</li>"
                    "<li>documents applied for before 14 August for collection at the window are collected at the "
                    "new hall.</li></ul>",
                ),
                ("paragraph", "<p>Enquiries: 12367 (National Immigration Administration hotline).</p>"),
            ],
        },
    },
    # --- 警情通报 / Police bulletins --------------------------------------------------------
    {
        "slug": "2026-q1-police-statistics",
        "category": "police-report",
        "date": dt.date(2026, 4, 10),
        "expires_at": None,
        "pinned": False,
        "attachments": ["q1-statistics"],
        "zh": {
            "title": "2026年第一季度全市警情通报",
            "department": "指挥中心",
            "summary": "一季度全市110接报警情86412起，刑事警情同比下降11.6%，电信网络诈骗警情下降18.4%。",
            "body": [
                (
                    "paragraph",
                    "<p>2026年第一季度，全市公安机关110共接报各类警情86412起，同比下降3.2%；其中刑事警情2184起，同比下降11.6%；"
                    "治安警情6541起，同比下降2.1%。</p>",
                ),
                ("heading", "主要特点"),
                (
                    "paragraph",
                    "<ul><li><strong>电信网络诈骗警情</strong>612起，同比下降18.4%，紧急止付涉案资金1.86亿元。"
                    "高发类型依次为刷单返利、虚假投资理财、冒充电商客服。</li>"
                    "<li><strong>盗窃警情</strong>903起，同比下降9.7%，以电动自行车盗窃和商超扒窃为主。</li>"
                    "<li><strong>求助类警情</strong>同比上升5.6%，春节期间老人走失、钥匙遗失求助较多。</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "提醒",
                        "text": "<p>电动自行车请停放在有监控的停车点并加装车锁；"
                        "凡是要求“先交钱”“下载陌生App”“屏幕共享”的都是诈骗。</p>",
                    },
                ),
                ("document", "q1-statistics"),
            ],
        },
        "en": {
            "title": "Police bulletin: first quarter of 2026",
            "department": "Command Centre",
            "summary": "110 received 86,412 calls in the first quarter; reported crime fell 11.6% and telecom "
            "fraud 18.4% year on year.",
            "body": [
                (
                    "paragraph",
                    "<p>In the first quarter of 2026 the city's 110 service received 86,412 calls, 3.2% fewer than a "
                    "year earlier. Criminal cases reported fell 11.6% to 2,184, and public-order incidents 2.1% to "
                    "6,541.</p>",
                ),
                ("heading", "Highlights"),
                (
                    "paragraph",
                    "<ul><li><strong>Telecom and online fraud:</strong> 612 cases, down 18.4%; 186 million yuan "
                    'stopped before it reached fraudsters. The most common scams were fake "paid task" jobs, fake '
                    "investments and fake shopping customer service.</li>"
                    "<li><strong>Theft:</strong> 903 cases, down 9.7%, mostly e-bike theft and pickpocketing in "
                    "shops.</li>"
                    "<li><strong>Requests for help</strong> rose 5.6%, with many elderly people lost and keys lost "
                    "over the Spring Festival.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "Stay safe",
                        "text": "<p>Park e-bikes where there is CCTV and add a second lock. Anyone who asks you to pay "
                        "first, install an unknown app or share your screen is a fraudster.</p>",
                    },
                ),
                ("document", "q1-statistics"),
            ],
        },
    },
    {
        "slug": "2026-q3-police-statistics",
        "category": "police-report",
        "date": dt.date(2026, 10, 12),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "2026年第三季度全市警情通报",
            "department": "指挥中心",
            "summary": "三季度刑事警情同比下降8.9%，暑期防溺水、夜间治安巡逻成效明显；交通事故警情略有上升。",
            "body": [
                (
                    "paragraph",
                    "<p>2026年第三季度，全市110共接报警情94127起，同比下降1.5%；刑事警情2035起，同比下降8.9%；"
                    "电信网络诈骗警情571起，同比下降12.3%。</p>",
                ),
                (
                    "paragraph",
                    "<p>暑期全市未发生中小学生溺水死亡事件；夏季夜间治安巡防期间，烧烤夜市等重点区域治安警情同比下降21%。"
                    "交通事故警情10381起，同比上升2.4%，以电动自行车和行人事故为主，请骑行佩戴头盔、不闯红灯。</p>",
                ),
            ],
        },
        "en": {
            "title": "Police bulletin: third quarter of 2026",
            "department": "Command Centre",
            "summary": "Reported crime fell 8.9% in the third quarter; summer water-safety and night patrols worked, "
            "while traffic accidents rose slightly.",
            "body": [
                (
                    "paragraph",
                    "<p>In the third quarter of 2026 the 110 service received 94,127 calls, down 1.5% year on year. "
                    "Criminal cases fell 8.9% to 2,035 and telecom fraud 12.3% to 571.</p>",
                ),
                (
                    "paragraph",
                    "<p>No school pupil drowned in the city this summer, and incidents around night markets and "
                    "barbecue streets fell 21% during the summer night patrols. Traffic accidents rose 2.4% to "
                    "10,381, mostly involving e-bikes and pedestrians: wear a helmet and wait for the green light.</p>",
                ),
            ],
        },
    },
    {
        "slug": "guangming-burglary-solved",
        "category": "police-report",
        "date": dt.date(2026, 9, 20),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "关于光明区系列入室盗窃案告破的警情通报",
            "department": "光明分局",
            "summary": "光明分局破获9月以来系列入室盗窃案，抓获犯罪嫌疑人2名，追回被盗财物价值12万余元。",
            "body": [
                (
                    "paragraph",
                    "<p>2026年9月2日至12日，光明区人民路、新华社区接连发生6起夜间入室盗窃案。光明分局成立专案组，"
                    "通过视频追踪和走访排查，于9月18日在外省将犯罪嫌疑人张某（男，31岁）、李某（男，27岁）抓获，"
                    "追回被盗现金、首饰、手机等财物价值12万余元。目前二人已被依法刑事拘留，案件正在进一步侦办中。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "防范提示",
                        "text": "<ul><li>外出和夜间睡前关好门窗，低楼层加装防盗窗；</li>"
                        "<li>现金和贵重物品不要放在显眼处；</li>"
                        "<li>发现门锁被撬、陌生人徘徊，立即拨打110。</li></ul>",
                    },
                ),
            ],
        },
        "en": {
            "title": "Series of burglaries in Guangming District solved",
            "department": "Guangming District Police",
            "summary": "Guangming District Police have arrested two suspects for a series of burglaries since "
            "September and recovered property worth over 120,000 yuan.",
            "body": [
                (
                    "paragraph",
                    "<p>Between 2 and 12 September 2026 there were six night-time burglaries around Renmin Road and "
                    "the Xinhua community. A dedicated team traced the suspects through CCTV and door-to-door "
                    "enquiries and on 18 September arrested Zhang (male, 31) and Li (male, 27) in another province. "
                    "Cash, jewellery and phones worth over 120,000 yuan were recovered. Both are in criminal "
                    "detention and the investigation continues.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "Protect your home",
                        "text": "<ul><li>Lock doors and windows when you go out and at night; fit window guards on "
                        "lower floors;</li><li>keep cash and valuables out of sight;</li>"
                        "<li>if you find a forced lock or someone loitering, call 110 at once.</li></ul>",
                    },
                ),
            ],
        },
    },
    # --- 警务公开 / Disclosure --------------------------------------------------------------
    {
        "slug": "2025-information-disclosure-report",
        "category": "disclosure",
        "date": dt.date(2026, 1, 30),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "阳光市公安局2025年政府信息公开工作年度报告",
            "department": "办公室",
            "summary": "2025年主动公开政府信息1286条，受理依申请公开147件，均在法定期限内答复。",
            "body": [
                (
                    "paragraph",
                    "<p>本报告根据《中华人民共和国政府信息公开条例》编制，内容包括主动公开情况、依申请公开情况、"
                    "行政复议和诉讼情况、存在的主要问题及改进措施。</p>",
                ),
                ("heading", "主要数据"),
                (
                    "paragraph",
                    "<ul><li>主动公开政府信息1286条，其中通知公告214条、办事指南更新96条、警情通报12期；</li>"
                    "<li>受理政府信息公开申请147件，全部在法定期限内答复，其中予以公开89件、部分公开21件、"
                    "不予公开（涉及个人隐私、正在调查的案件等）9件、信息不存在28件；</li>"
                    "<li>因政府信息公开被申请行政复议2件、提起行政诉讼1件，均维持原处理。</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>政府信息公开申请可通过本门户、信函或到市公安局政务服务窗口提交。</p>",
                ),
            ],
        },
        "en": {
            "title": "2025 annual report on government information disclosure",
            "department": "General Office",
            "summary": "In 2025 the bureau published 1,286 items proactively and answered all 147 information "
            "requests within the legal time limit.",
            "body": [
                (
                    "paragraph",
                    "<p>This report is made under the Regulations on Open Government Information. It covers "
                    "proactive disclosure, requests, reviews and lawsuits, and what we will improve.</p>",
                ),
                ("heading", "Key figures"),
                (
                    "paragraph",
                    "<ul><li>1,286 items published proactively, including 214 notices, 96 updated service guides "
                    "and 12 police bulletins;</li>"
                    "<li>147 information requests, all answered within the legal limit: 89 disclosed in full, 21 in "
                    "part, 9 refused (personal privacy, ongoing investigations) and 28 where the information did not "
                    "exist;</li>"
                    "<li>2 administrative reviews and 1 lawsuit about disclosure decisions; all decisions were "
                    "upheld.</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>You can request information through this portal, by letter or at the bureau's service "
                    "window.</p>",
                ),
            ],
        },
    },
    {
        "slug": "complaints-and-oversight",
        "category": "disclosure",
        "date": dt.date(2026, 2, 15),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "公安机关执法监督和投诉渠道公开",
            "department": "警务督察支队",
            "summary": "对民警执法、服务不满意，可拨打12389、来信来访或在本门户投诉；投诉受理后30日内答复。",
            "body": [
                (
                    "paragraph",
                    "<p>市公安局自觉接受人民群众监督。对公安机关和民警有违法违纪、执法不公、服务态度差等问题，可通过以下渠道反映：</p>",
                ),
                (
                    "paragraph",
                    "<ul><li>12389公安机关和公安民警违法违纪举报投诉电话（24小时）；</li>"
                    "<li>本门户“在线诉求”，选择“投诉”；</li>"
                    "<li>来信：阳光市光明区人民路88号 市公安局警务督察支队（邮编518000）；</li>"
                    "<li>来访：工作日9:00—12:00、13:30—17:00，市公安局一楼接待室。</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>投诉受理后，一般在30日内将调查处理结果告知投诉人；情况复杂的可延长30日并告知理由。"
                    "实名投诉人的信息严格保密，严禁打击报复。</p>",
                ),
            ],
        },
        "en": {
            "title": "How to complain about the police",
            "department": "Police Inspection Division",
            "summary": "If you are unhappy with how an officer acted or treated you, call 12389, write, visit or "
            "complain on this portal; you get an answer within 30 days.",
            "body": [
                (
                    "paragraph",
                    "<p>The bureau welcomes public scrutiny. To report misconduct, unfair enforcement or poor "
                    "service by the police or an officer:</p>",
                ),
                (
                    "paragraph",
                    "<ul><li>call 12389, the police misconduct complaints line (24 hours);</li>"
                    '<li>use the online request form on this portal and choose "complaint";</li>'
                    "<li>write to the Police Inspection Division, 88 Renmin Road, Guangming District, Sunshine City "
                    "518000;</li>"
                    "<li>visit the reception room on the ground floor of the bureau, working days 9:00–12:00 and "
                    "13:30–17:00.</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>We normally tell you the outcome within 30 days; complex cases may take 30 more days, and we "
                    "will tell you why. The identity of named complainants is kept confidential and any retaliation "
                    "is forbidden.</p>",
                ),
            ],
        },
    },
    {
        "slug": "2026-service-improvements",
        "category": "disclosure",
        "date": dt.date(2026, 6, 1),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "2026年公安政务服务便民利民十项措施",
            "department": "办公室",
            "summary": "推出周六延时服务、证件邮寄到家、“出生一件事”联办、老年人绿色通道等十项便民措施。",
            "body": [
                (
                    "paragraph",
                    "<ol><li>光明派出所、新港派出所户籍或交警窗口周六上午开放；</li>"
                    "<li>身份证、出入境证件、驾驶证均可选择邮寄到家；</li>"
                    "<li>“出生一件事”在全市分娩医院联办；</li>"
                    "<li>70周岁以上老人、残疾人、孕妇办事设绿色通道，行动不便的可预约上门采集；</li>"
                    "<li>无犯罪记录证明电子化，全程网办；</li>"
                    "<li>居住证签注网上办；</li>"
                    "<li>东湖派出所24小时应急办理临时身份证；</li>"
                    "<li>办事“一次告知”，材料不全的出具书面补正清单；</li>"
                    "<li>本门户提供中英文在线咨询和诉求受理，可查询办理进度；</li>"
                    "<li>对办事不满意的可“差评”，限期整改并回访。</li></ol>",
                ),
            ],
        },
        "en": {
            "title": "Ten ways we are making our services easier in 2026",
            "department": "General Office",
            "summary": "Saturday opening, documents delivered to your home, the birth package, priority lanes for "
            "older people and six more improvements.",
            "body": [
                (
                    "paragraph",
                    "<ol><li>Saturday-morning opening at the Guangming (household registration) and Xingang "
                    "(traffic) windows;</li>"
                    "<li>ID cards, exit-entry documents and driving licences can be posted to your home;</li>"
                    "<li>the birth package is available at every maternity hospital;</li>"
                    "<li>priority lanes for people over 70, disabled people and pregnant women, with home visits "
                    "for biometrics by appointment for those who cannot travel;</li>"
                    "<li>electronic no-criminal-record certificates, fully online;</li>"
                    "<li>residence permit endorsements online;</li>"
                    "<li>temporary ID cards 24 hours a day at Donghu Police Station;</li>"
                    '<li>"tell you once": if documents are missing, you get a written list of everything still '
                    "needed;</li>"
                    "<li>online questions and requests on this portal in Chinese and English, with progress "
                    "tracking;</li>"
                    "<li>rate our service: poor ratings are followed up and we call you back.</li></ol>",
                ),
            ],
        },
    },
    # --- 防范提示 / Safety tips -------------------------------------------------------------
    {
        "slug": "elderly-fraud-warning",
        "category": "prevention",
        "date": dt.date(2026, 5, 20),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "防范养老诈骗提示：警惕“高额回报”“免费体验”",
            "department": "刑事侦查支队（反诈中心）",
            "summary": "以养老投资、保健品、以房养老、代办养老保险为名的诈骗多发，请老年人和子女提高警惕。",
            "body": [
                (
                    "paragraph",
                    "<p>近期，我市发生多起针对老年人的养老诈骗案件。不法分子以“免费体检”“旅游赠礼”吸引老人，"
                    "再推销高价保健品、虚假养老项目投资，或以“以房养老”“代办养老保险”为名骗取钱财和房产。</p>",
                ),
                ("heading", "常见手法"),
                (
                    "paragraph",
                    "<ul><li>承诺“高额回报、保本付息”的养老公寓、养老项目投资；</li>"
                    "<li>讲座、义诊后高价推销“包治百病”的保健品；</li>"
                    "<li>声称可以“花钱补缴、提高养老金”的代办；</li>"
                    "<li>诱导老人抵押房产借款后购买“理财产品”。</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "记住“三不一多”",
                        "text": "<p>不轻信、不透露、不转账，多核实。遇到可疑情况先与子女商量，或拨打96110咨询。"
                        "子女请多关心父母，常回家看看。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "Protect older people from pension and care scams",
            "department": "Criminal Investigation Division (Anti-Fraud Centre)",
            "summary": "Scams sold as retirement investments, health products, equity release or help with "
            "pension contributions are on the rise: older people and their families should be alert.",
            "body": [
                (
                    "paragraph",
                    "<p>We have recently seen several scams targeting older residents. Fraudsters lure them with "
                    '"free health checks" or trips with gifts, then sell overpriced supplements and fake care-home '
                    "investments, or take money and homes through fake equity-release and pension schemes.</p>",
                ),
                ("heading", "Typical tricks"),
                (
                    "paragraph",
                    "<ul><li>care-home or retirement projects promising high, guaranteed returns;</li>"
                    '<li>"miracle" health products sold after lectures or free clinics;</li>'
                    "<li>agents who claim they can raise your pension if you pay to top up contributions;</li>"
                    '<li>persuading older people to mortgage their home and buy "investment products".</li></ul>',
                ),
                (
                    "callout",
                    {
                        "title": "Three don'ts and a do",
                        "text": "<p>Don't believe it, don't share details, don't transfer money, and do check. Talk "
                        "to your family first or call 96110. Children: keep in touch with your parents.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "fake-paid-task-scam",
        "category": "prevention",
        "date": dt.date(2026, 7, 8),
        "expires_at": None,
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "警惕“刷单返利”诈骗：先给小甜头，再骗大本金",
            "department": "刑事侦查支队（反诈中心）",
            "summary": "“刷单返利”是我市发案最多的诈骗类型，凡是网上兼职刷单、点赞返利的都是诈骗。",
            "body": [
                (
                    "paragraph",
                    "<p>骗子通过短信、社交群发布“动动手指日赚300元”的兼职广告，先让受害人完成点赞、关注等小任务并返还小额佣金，"
                    "再以“联单任务”“操作失误需补单”等理由诱骗受害人不断转账，最终拉黑失联。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "请牢记",
                        "text": "<p>刷单本身就是违法行为；所有要求先垫付资金的兼职都是诈骗。已被骗的，保存转账记录和聊天记录，立即拨打110。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": 'Beware the "paid task" scam: small rewards first, then they take the lot',
            "department": "Criminal Investigation Division (Anti-Fraud Centre)",
            "summary": 'Fake online "paid tasks" (liking, reviewing, boosting orders) are the most common scam in '
            "the city. Every such offer is a fraud.",
            "body": [
                (
                    "paragraph",
                    '<p>Scammers advertise "earn 300 yuan a day with a few taps" by text or in chat groups. Victims '
                    'are paid small commissions for liking or following, then asked to pay in for "combined tasks" '
                    'or to "fix a mistake", again and again, until the scammers disappear.</p>',
                ),
                (
                    "callout",
                    {
                        "title": "Remember",
                        "text": "<p>Faking orders is itself illegal, and any job that asks you to pay money first is a "
                        "scam. If you have been caught, keep the transfer records and chats and call 110 at "
                        "once.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "summer-drowning-prevention",
        "category": "prevention",
        "date": dt.date(2026, 7, 1),
        "expires_at": at(2026, 9, 1),  # expired
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "暑期防溺水安全提示",
            "department": "治安管理支队",
            "summary": "暑假期间，请家长看护好孩子，不私自下水游泳，不到无安全设施、无救护人员的水域游泳。",
            "body": [
                (
                    "paragraph",
                    "<p>暑期是溺水事故高发期。请家长切实履行监护责任，教育孩子做到“六不”：不私自下水游泳；不擅自与他人结伴游泳；"
                    "不在无家长或教师带领的情况下游泳；不到无安全设施、无救护人员的水域游泳；不到不熟悉的水域游泳；"
                    "不熟悉水性的学生不擅自下水施救。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "发现有人溺水",
                        "text": "<p>大声呼救，立即拨打110、120，借助竹竿、绳子、救生圈等施救，切勿手拉手盲目下水。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "Summer water safety",
            "department": "Public Order Division",
            "summary": "During the summer holidays, keep an eye on children near water: no swimming alone or where "
            "there are no lifeguards.",
            "body": [
                (
                    "paragraph",
                    "<p>Summer is when most drownings happen. Parents, please supervise your children and teach them "
                    "never to swim alone, never to swim without an adult, never to swim where there are no "
                    "lifeguards or safety equipment or in unfamiliar water, and never to jump in to rescue someone "
                    "if they are not strong swimmers.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "If someone is drowning",
                        "text": "<p>Shout for help, call 110 and 120, and reach them with a pole, rope or life ring. "
                        "Do not form a human chain into the water.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "winter-fire-and-gas-safety",
        "category": "prevention",
        "date": dt.date(2026, 11, 15),
        "expires_at": at(2027, 3, 1),  # future: still shown
        "pinned": False,
        "attachments": [],
        "zh": {
            "title": "冬季防火和防范一氧化碳中毒提示",
            "department": "治安管理支队",
            "summary": "入冬后电暖器、燃气热水器使用增多，请注意用电用气安全，电动自行车不要在楼道和室内充电。",
            "body": [
                (
                    "paragraph",
                    "<ul><li>电动自行车及其电池不要在楼道、门厅和室内停放充电，不要私拉电线“飞线充电”；</li>"
                    "<li>电暖器远离窗帘、被褥等可燃物，人走断电；</li>"
                    "<li>使用燃气热水器、炭火取暖时保持通风，不在密闭房间内烧炭；</li>"
                    "<li>出现头痛、头晕、恶心等一氧化碳中毒症状，立即开窗通风、离开现场，拨打120。</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "火警请拨打119",
                        "text": "<p>发生火灾时，用湿毛巾捂住口鼻，弯腰沿安全出口逃生，不乘电梯。</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "Winter fire and carbon monoxide safety",
            "department": "Public Order Division",
            "summary": "Heaters and gas water heaters are in use again: use electricity and gas safely, and never "
            "charge e-bikes in stairwells or indoors.",
            "body": [
                (
                    "paragraph",
                    "<ul><li>Do not park or charge e-bikes or their batteries in stairwells, lobbies or flats, and do "
                    "not run extension leads out of windows to charge them;</li>"
                    "<li>keep heaters away from curtains and bedding and switch them off when you leave;</li>"
                    "<li>ventilate rooms with gas water heaters or charcoal heating, and never burn charcoal in a "
                    "closed room;</li>"
                    "<li>headache, dizziness or nausea may be carbon monoxide poisoning: open the windows, get out "
                    "and call 120.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "Fire: call 119",
                        "text": "<p>Cover your nose and mouth with a damp cloth, keep low and leave by the stairs, "
                        "never the lift.</p>",
                    },
                ),
            ],
        },
    },
]
