"""A small bilingual site tree for tests (and the browser test's live server).

`build_site()` creates, in zh-hans and en: home, notices (pinned, ordinary, expired, per
category), service guides (with materials, steps, a station, a related FAQ), the FAQ page,
a station directory with one station, and the standard pages about/privacy/accessibility.
It returns a `SiteTree` with the pages by name and language.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Page, Site

from cms.factories import add_page, ensure_faq_category, ensure_locales, ensure_translation, make_faq, publish
from cms.models import (
    FAQIndexPage,
    HomePage,
    NoticeIndexPage,
    NoticePage,
    ServiceGuideIndexPage,
    ServiceGuidePage,
    StandardPage,
    StationHours,
    StationIndexPage,
    StationPage,
)

LANGS = ("zh-hans", "en")


@dataclass
class SiteTree:
    zh: dict = field(default_factory=dict)
    en: dict = field(default_factory=dict)

    def __getitem__(self, lang):
        return self.zh if lang == "zh-hans" else self.en


def translate(page, locale, **fields):
    """Copy `page` into `locale` (its parent must be translated already), set `fields`, publish."""
    return ensure_translation(page, locale, fields)[0]


def build_site(now=None):
    """Build the bilingual tree described in the module docstring; returns a SiteTree."""
    now = now or timezone.now()
    zh_locale, en_locale = ensure_locales()
    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the rows Wagtail's migrations create
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=zh_locale))
    # Wagtail's install creates a "Welcome" page as the default site root: replace it.
    for child in root.get_children():
        if not isinstance(child.specific, HomePage):
            child.delete()
    root.refresh_from_db()
    tree = SiteTree()

    home = HomePage(
        title="阳光市公安局", slug="home", intro="为市民提供办事指南、警务公开和在线咨询。", locale=zh_locale
    )
    root.add_child(instance=home)
    publish(home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "portal"}
    )
    Site.clear_site_root_paths_cache()
    home_en = translate(
        home,
        en_locale,
        title="Sunshine City Public Security Bureau",
        intro="Service guides, police affairs and online help for residents.",
    )
    tree.zh["home"], tree.en["home"] = home, home_en

    # Stations
    stations = add_page(
        home, StationIndexPage(title="派出所", slug="stations", intro="全市派出所地址、电话和办公时间。")
    )
    stations_en = translate(stations, en_locale, title="Police stations", intro="Addresses, phones and opening hours.")
    station = StationPage(
        title="城东派出所",
        slug="chengdong",
        address="阳光市东城区和平路 88 号",
        phone="0571-8765 4321",
        jurisdiction="和平街道、东湖社区",
        latitude="30.274084",
        longitude="120.155070",
    )
    for day in range(5):  # Monday to Friday: split day with a lunch break
        station.hours.add(StationHours(weekday=day, opens=dt.time(8, 30), closes=dt.time(12, 0)))
        station.hours.add(StationHours(weekday=day, opens=dt.time(13, 30), closes=dt.time(17, 30)))
    station.hours.add(StationHours(weekday=5, opens=dt.time(9, 0), closes=dt.time(12, 0)))
    station.hours.add(StationHours(weekday=6, closed=True))
    add_page(stations, station)
    station_en = translate(
        station,
        en_locale,
        title="Chengdong Police Station",
        address="88 Heping Road, Dongcheng District",
        jurisdiction="Heping subdistrict, Donghu community",
    )
    tree.zh.update(stations=stations, station=station)
    tree.en.update(stations=stations_en, station=station_en)

    # Service guides
    guides = add_page(
        home, ServiceGuideIndexPage(title="办事指南", slug="guides", intro="常用业务的办理条件、材料和流程。")
    )
    guides_en = translate(
        guides, en_locale, title="Service guides", intro="Who may apply, what to bring, and the steps."
    )
    guide = ServiceGuidePage(
        title="居民身份证补领",
        slug="id-card-replacement",
        summary="居民身份证丢失或损坏后申请补领。",
        service_area="户籍",
        eligibility="<p>本市户籍居民。</p>",
        materials=[
            ("material", {"name": "户口簿", "note": "原件"}),
            ("material", {"name": "近期照片", "note": "现场采集"}),
        ],
        steps=[
            ("step", {"title": "提交申请", "description": "到户籍窗口提交材料。"}),
            ("step", {"title": "领取证件", "description": "20 个工作日后领取。"}),
        ],
        fees="补领 20 元",
        time_limit="20 个工作日",
        legal_basis="<p>《中华人民共和国居民身份证法》</p>",
        where_and_when="各派出所户籍窗口，工作日办理。",
        last_reviewed=dt.date(2026, 10, 1),
    )
    guides.add_child(instance=guide)
    guide.stations.add(station)
    publish(guide)
    guide_en = translate(
        guide,
        en_locale,
        title="Replacing a resident ID card",
        summary="Apply for a new resident ID card after loss or damage.",
        service_area="Household registration",
        eligibility="<p>Residents registered in the city.</p>",
        materials=[("material", {"name": "Household register", "note": "original"})],
        steps=[
            ("step", {"title": "Apply", "description": "Hand in the materials at the registration window."}),
            ("step", {"title": "Collect", "description": "Collect the card after 20 working days."}),
        ],
        fees="CNY 20",
        time_limit="20 working days",
        legal_basis="<p>Resident Identity Card Law</p>",
        where_and_when="Registration windows of every police station, on working days.",
    )
    guide_en.stations.set([station_en])
    publish(guide_en)
    passport = add_page(
        guides,
        ServiceGuidePage(
            title="普通护照申领",
            slug="passport",
            summary="首次申领或换发普通护照。",
            eligibility="<p>中国公民。</p>",
            materials=[("material", {"name": "居民身份证", "note": ""})],
            steps=[("step", {"title": "预约", "description": ""})],
            fees="120 元",
            time_limit="7 个工作日",
        ),
    )
    passport_en = translate(passport, en_locale, title="Applying for a passport", summary="First passport or renewal.")
    tree.zh.update(guides=guides, guide=guide, passport=passport)
    tree.en.update(guides=guides_en, guide=guide_en, passport=passport_en)

    # FAQs
    faq_page = add_page(home, FAQIndexPage(title="常见问题", slug="faq", intro="市民最常问的问题。"))
    faq_page_en = translate(faq_page, en_locale, title="Frequently asked questions", intro="What residents ask most.")
    cat = ensure_faq_category("id-cards", "户籍与身份证", locale=zh_locale)
    cat_en = ensure_faq_category("id-cards", "ID cards", locale=en_locale)
    faq = make_faq(
        key="id-card-lost",
        question="身份证丢了怎么办？",
        answer="<p>请先挂失，再到户籍窗口补领。</p>",
        category=cat,
        related_guide=guide,
        locale=zh_locale,
    )
    faq_en = make_faq(
        question="What do I do if I lose my ID card?",
        answer="<p>Report the loss, then apply for a replacement.</p>",
        category=cat_en,
        related_guide=guide_en,
        locale=en_locale,
        translation_of=faq,
    )
    tree.zh.update(faq_page=faq_page, faq=faq, faq_category=cat)
    tree.en.update(faq_page=faq_page_en, faq=faq_en, faq_category=cat_en)

    # Notices
    notices = add_page(home, NoticeIndexPage(title="通知公告", slug="notices", intro="本局发布的通知、通报和提示。"))
    notices_en = translate(notices, en_locale, title="Notices", intro="Announcements, bulletins and safety tips.")
    tree.zh["notices"], tree.en["notices"] = notices, notices_en
    specs = [
        (
            "pinned",
            "春节期间户籍窗口办公时间调整",
            "Registration windows over the Spring Festival",
            "announcement",
            True,
            None,
        ),
        ("report", "十月警情通报", "October police bulletin", "police-report", False, None),
        ("fraud", "警惕冒充客服诈骗", "Beware of fake customer service calls", "prevention", False, None),
        (
            "expired",
            "国庆假期交通管制",
            "National Day traffic controls",
            "announcement",
            False,
            now - dt.timedelta(days=1),
        ),
    ]
    for i, (name, title_zh, title_en, category, pinned, expires_at) in enumerate(specs):
        notice = add_page(
            notices,
            NoticePage(
                title=title_zh,
                slug=f"notice-{name}",
                category=category,
                department="市公安局办公室",
                date=dt.date(2026, 11, 20) - dt.timedelta(days=i),
                pinned=pinned,
                expires_at=expires_at,
                summary=f"{title_zh}（摘要）",
                body=[("paragraph", f"<p>{title_zh}的正文。</p>")],
            ),
        )
        notice_en = translate(
            notice,
            en_locale,
            title=title_en,
            department="Bureau office",
            summary=f"{title_en} (summary)",
            body=[("paragraph", f"<p>Body of {title_en}.</p>")],
        )
        tree.zh[f"notice_{name}"], tree.en[f"notice_{name}"] = notice, notice_en

    # Standard pages
    for slug, title_zh, title_en in [
        ("about", "关于我们", "About us"),
        ("privacy", "隐私声明", "Privacy notice"),
        ("accessibility", "无障碍声明", "Accessibility statement"),
    ]:
        page = add_page(
            home,
            StandardPage(
                title=title_zh,
                slug=slug,
                summary=f"{title_zh}。",
                body=[("heading", title_zh), ("callout", {"title": "注意", "text": "<p>提示内容</p>"})],
            ),
        )
        page_en = translate(page, en_locale, title=title_en, summary=f"{title_en}.", body=[("heading", title_en)])
        tree.zh[slug], tree.en[slug] = page, page_en
    Site.clear_site_root_paths_cache()
    return tree
