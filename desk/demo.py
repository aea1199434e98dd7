"""Demo data of the duty desk, called by `manage.py seed_demo` after groups and users exist.

Departments, categories, routing rules, response time limits, the demo users' department
memberships and a handful of inquiries in various states. Idempotent: a second run changes
nothing (departments, categories and rules are upserted by slug; demo inquiries are filed only
when no demo inquiry exists yet).
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from . import deadlines
from .choices import GROUP_SUPERVISORS, Kind
from .models import Category, Department, Inquiry, ResponseTimeLimit, RoutingRule, StaffProfile

DEPARTMENTS = [
    # slug, zh, en, is_supervision, is_default
    ("household", "户政管理", "Household registration", False, False),
    ("exit-entry", "出入境管理", "Exit and entry administration", False, False),
    ("traffic", "交通管理", "Traffic management", False, False),
    ("public-order", "治安管理", "Public order", False, False),
    ("anti-fraud", "刑侦/反诈", "Criminal investigation / anti-fraud", False, False),
    ("supervision", "督察", "Police supervision (督察)", True, False),
    ("general", "综合服务", "General services", False, True),
]

CATEGORIES = [
    # slug, zh, en, kind ("" = any), police conduct
    ("id-card", "居民身份证", "Resident ID card", "", False),
    ("household-registration", "户口登记与迁移", "Household registration and transfer", "", False),
    ("residence-permit", "居住证", "Residence permit", "", False),
    ("passport-travel", "护照与港澳台通行证", "Passports and travel permits", "", False),
    ("vehicles-licences", "机动车与驾驶证", "Vehicles and driving licences", "", False),
    ("traffic-violations", "交通违法与事故", "Traffic violations and accidents", "", False),
    ("public-order", "治安与噪音扰民", "Public order and noise", "", False),
    ("fraud", "电信网络诈骗", "Telecom and online fraud", "", False),
    ("drugs-gambling", "涉毒涉赌线索", "Drugs and gambling", Kind.TIP, False),
    ("certificates", "无犯罪记录证明等证明", "Certificates (no criminal record etc.)", "", False),
    ("police-conduct", "民警执法与作风", "Conduct of police officers", Kind.COMPLAINT, True),
    ("website", "网站与政务公开", "This website and open government", "", False),
    ("other", "其他", "Other", "", False),
]

ROUTES = [
    # kind ("" = any), category slug (None = any), department slug
    ("", "id-card", "household"),
    ("", "household-registration", "household"),
    ("", "residence-permit", "household"),
    ("", "certificates", "household"),
    ("", "passport-travel", "exit-entry"),
    ("", "vehicles-licences", "traffic"),
    ("", "traffic-violations", "traffic"),
    ("", "public-order", "public-order"),
    ("", "fraud", "anti-fraud"),
    ("", "drugs-gambling", "anti-fraud"),
    (Kind.TIP, None, "public-order"),
    ("", None, "general"),
]

TIME_LIMITS = [
    # kind, category slug, working days
    ("", None, 5),
    (Kind.CONSULTATION, None, 3),
    (Kind.COMPLAINT, None, 10),
    (Kind.SERVICE, None, 5),
    (Kind.SUGGESTION, None, 15),
    (Kind.TIP, None, 5),
    (Kind.TIP, "fraud", 1),
]

DEMO_INQUIRIES = [
    # kind, category, subject, description, contact, lang, script
    (
        Kind.CONSULTATION,
        "id-card",
        "身份证丢失后如何补办？",
        "我的身份证上周在地铁上丢失了，请问补办需要带哪些材料？可以在哪个派出所办理？",
        {"name": "王芳", "phone": "13800000001"},
        "zh-hans",
        "new",
    ),
    (
        Kind.SERVICE,
        "residence-permit",
        "Residence permit renewal appointment",
        "My residence permit expires next month. Can I renew it at the station near my office?",
        {"name": "Alex Chen", "phone": "13800000002", "email": "alex@example.com"},
        "en",
        "replied",
    ),
    (
        Kind.COMPLAINT,
        "police-conduct",
        "窗口民警态度生硬",
        "11月20日上午在城东派出所户籍窗口办理业务时，工作人员态度生硬，未一次性告知所需材料。",
        {"name": "李强", "phone": "13800000003"},
        "zh-hans",
        "new",
    ),
    (
        Kind.TIP,
        "fraud",
        "冒充客服退款的诈骗电话",
        "今天接到自称某购物平台客服的电话，要求我下载会议软件并共享屏幕办理退款。",
        {},
        "zh-hans",
        "assigned",
    ),
    (
        Kind.SUGGESTION,
        "website",
        "建议增加办事指南的英文版本",
        "网站上部分办事指南还没有英文版，希望补充，方便外籍人士办理居住登记。",
        {"email": "citizen@example.com"},
        "zh-hans",
        "closed",
    ),
    (
        Kind.CONSULTATION,
        "traffic-violations",
        "交通违法记录查询",
        "请问如何查询本人名下机动车的交通违法记录并在线缴纳罚款？",
        {"phone": "13800000006"},
        "zh-hans",
        "in_progress",
    ),
]

DEMO_CLIENT_ADDRESS = "demo-seed"

# The citizen's 不满意 (2) rating of the closed demo request: comment and indicators.
DEMO_BAD_RATING = ("英文办事指南仍未补充，回复也没有说明什么时候能完成。", {"efficiency": 2, "convenience": 3})


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def seed_configuration():
    departments = {}
    for slug, zh, en, supervision, default in DEPARTMENTS:
        departments[slug], _ = Department.objects.update_or_create(
            slug=slug, defaults={"name_zh": zh, "name_en": en, "is_supervision": supervision, "is_default": default}
        )
    categories = {}
    for order, (slug, zh, en, kind, conduct) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={"name_zh": zh, "name_en": en, "kind": kind, "is_police_conduct": conduct, "sort_order": order},
        )
    for kind, category, department in ROUTES:
        RoutingRule.objects.update_or_create(
            kind=kind, category=categories.get(category), defaults={"department": departments[department]}
        )
    for kind, category, days in TIME_LIMITS:
        ResponseTimeLimit.objects.update_or_create(
            kind=kind, category=categories.get(category), defaults={"working_days": days}
        )
    deadlines.import_from_package()  # (also a data migration; a flushed test database needs it again)
    return departments, categories


def attach_users(departments):
    users = get_user_model().objects
    duty = users.filter(username="duty").first()
    if duty is not None:
        duty.desk_departments.add(departments["general"], departments["household"])
    supervisor = users.filter(username="supervisor").first()
    if supervisor is not None:
        supervisor.desk_departments.add(departments["supervision"])
    for user, badge in ((duty, "031207"), (supervisor, "030118")):
        if user is not None:
            StaffProfile.objects.get_or_create(user=user, defaults={"badge_number": badge})
    if supervisor is not None:
        # The demo supervisor is every department's supervisor (Department.supervisors): the one who
        # is e-mailed a new rating follow-up task and calls the citizen back (issue 11).
        for department in departments.values():
            department.supervisors.add(supervisor)
    return duty, supervisor


def seed_inquiries(duty, supervisor):
    from . import actions

    if Inquiry.objects.filter(client_address=DEMO_CLIENT_ADDRESS).exists():
        return 0
    count = 0
    for kind, category, subject, description, contact, lang, script in DEMO_INQUIRIES:
        result = actions.open_inquiry(
            kind=kind,
            category=category,
            subject=subject,
            description=description,
            lang=lang,
            consent=True,
            channel="web",
            client_address=DEMO_CLIENT_ADDRESS,
            **contact,
        )
        inquiry = result.inquiry
        count += 1
        staff = supervisor if inquiry.confidential else duty
        if staff is None or script == "new":
            continue
        staff = supervisor if supervisor is not None and not _can(staff, inquiry) else staff
        if script in ("assigned", "in_progress", "replied", "closed"):
            actions.claim(staff, inquiry)
        if script == "in_progress":
            actions.note(staff, inquiry, "已电话联系，正在核实。")
        if script in ("replied", "closed"):
            text = (
                "您好，居住证可在居住地任一派出所办理签注，请携带身份证和居住证原件。"
                if lang == "zh-hans"
                else "Hello, you can renew it at any station in your area. Bring your ID and the current permit."
            )
            actions.reply(staff, inquiry, text)
        if script == "closed":
            actions.close(staff, inquiry, "建议已转交网站编辑部门，感谢您的支持。")
            # A 不满意 rating: opens the follow-up task the department's supervisors are e-mailed about.
            actions.rate_inquiry(inquiry, 2, DEMO_BAD_RATING[0], indicators=DEMO_BAD_RATING[1])
    return count


def _can(user, inquiry):
    from .permissions import can_view

    return can_view(user, inquiry)


def grant_config_permissions():
    """Supervisors may edit departments, categories, routing rules, time limits and holiday schedules
    (Desk settings)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name=GROUP_SUPERVISORS).first()
    if group is None:
        return
    models = [
        "department",
        "category",
        "routingrule",
        "responsetimelimit",
        "holidayschedule",
        "holidaydate",
        "staffprofile",
    ]
    codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="desk", codename__in=codenames))


def seed(stdout=None):
    """Create the desk's demo data; a second run changes nothing."""
    departments, _categories = seed_configuration()
    grant_config_permissions()
    duty, supervisor = attach_users(departments)
    from .delivery import queue_only

    with queue_only():  # demo receipts wait for `desk_worker` instead of printing during the seed
        created = seed_inquiries(duty, supervisor)
    _say(stdout, f"desk: {len(departments)} departments, {len(CATEGORIES)} categories, {created} demo inquiries")
