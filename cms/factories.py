"""Builders for cms content, shared by tests and `manage.py seed_demo`.

Plain functions rather than factory_boy classes: Wagtail pages must be created *under a parent*
(tree paths) and then published through a revision, which factory_boy's create() does not model
well. Every builder creates real, published rows through Wagtail's own API (add_child →
save_revision → publish, copy_for_translation for translations), so what a test builds is what an
editor would have built in the admin.

The `ensure_*` functions are idempotent: they look the object up first (page by parent and slug,
translation by translation_key and locale, document by title, FAQ by key and locale) and create it
only when missing. An existing object is returned untouched, so a second run writes nothing and
an editor's later changes to demo content are never overwritten.

Typical test use::

    tree = build_site()                       # zh-hans + en homes and all index pages
    guide = make_guide(tree.zh.guides, title="居民身份证补领")
    make_notice(tree.zh.notices, title="交通管制通告", expires_at=past)
    make_station(tree.en.stations, title="Riverside Police Station")
    make_faq(key="id-lost", question="身份证丢了怎么办？", related_guide=guide)
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page, Site

from .models import (
    FAQ,
    BureauSettings,
    FAQCategory,
    FAQIndexPage,
    HomePage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    ServiceGuideForm,
    ServiceGuideIndexPage,
    ServiceGuidePage,
    StandardPage,
    StationHours,
    StationIndexPage,
    StationPage,
)

ZH = "zh-hans"
EN = "en"

_counter = itertools.count(1)


def _unique(prefix):
    return f"{prefix}-{next(_counter)}"


# --- Locales and publishing -----------------------------------------------------------------


def ensure_locales():
    """The two content locales, (zh-hans, en), created if missing. zh-hans is the default."""
    zh, _ = Locale.objects.get_or_create(language_code=ZH)
    en, _ = Locale.objects.get_or_create(language_code=EN)
    return zh, en


def publish(obj, user=None):
    """Save a revision of a page (or draft-state snippet) and publish it, as the admin does."""
    revision = obj.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    obj.refresh_from_db()
    return obj


def add_page(parent, page, *, live=True, user=None):
    """Add `page` (an unsaved instance) under `parent` in the parent's locale; publish it unless
    live=False (then it stays a draft with one revision)."""
    if not live:
        page.live = False
    parent.add_child(instance=page)
    if live:
        return publish(page, user=user)
    page.save_revision(user=user, log_action=True)
    return page


def child(parent, slug, model=Page):
    """The child of `parent` with this slug (as `model`), or None."""
    return model.objects.child_of(parent).filter(slug=slug).first()


def ensure_page(parent, model, slug, fields, *, live=True, user=None):
    """The child `slug` of `parent`, created (and published) from `fields` only if missing.
    `fields` may be a callable returning the field dict, so that expensive values (documents)
    are only built when the page is actually created."""
    existing = child(parent, slug, model)
    if existing is not None:
        return existing, False
    values = fields() if callable(fields) else dict(fields)
    relations = {k: values.pop(k) for k in list(values) if k in _relation_names(model)}
    page = model(slug=slug, **values)
    for name, value in relations.items():
        setattr(page, name, value)
    return add_page(parent, page, live=live, user=user), True


def _relation_names(model):
    """Names of the ParentalKey children and ParentalManyToMany fields of a page model."""
    names = {rel.get_accessor_name() for rel in model._meta.related_objects if rel.related_model is not None}
    names |= {f.name for f in model._meta.many_to_many}
    return names


def ensure_translation(page, locale, fields, *, user=None):
    """The `locale` translation of `page`, created with Wagtail's copy_for_translation (so it shares
    the translation_key and sits under the translated parent), filled with `fields` (translated
    texts; relation fields such as `stations`, `forms`, `hours` and `attachments` are replaced) and
    published. An existing translation is returned untouched. `fields` may be a callable."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific, False
    translated = page.specific.copy_for_translation(locale).specific
    values = fields() if callable(fields) else dict(fields)
    for name, value in values.items():
        setattr(translated, name, value)
    translated.save()
    return publish(translated, user=user), True


def translated(page, locale):
    """`page` in `locale` (specific), or None."""
    found = page.get_translation_or_none(locale)
    return found.specific if found is not None else None


# --- Site tree ------------------------------------------------------------------------------


@dataclass
class LocaleTree:
    """The home page of one locale and its fixed sections."""

    home: HomePage
    notices: NoticeIndexPage
    guides: ServiceGuideIndexPage
    faq: FAQIndexPage
    stations: StationIndexPage


@dataclass
class SiteTree:
    site: Site
    zh: LocaleTree
    en: LocaleTree
    zh_locale: Locale
    en_locale: Locale

    def tree(self, language_code):
        return self.zh if language_code == ZH else self.en


# Slugs and titles of the fixed sections (same slugs in both locales: /zh-hans/notices/, /en/notices/).
SECTIONS = [
    # attr, model, slug, (zh title, en title), (zh intro, en intro)
    (
        "notices",
        NoticeIndexPage,
        "notices",
        ("通知公告", "Notices"),
        (
            "本局发布的通知公告、警情通报、警务公开信息和防范提示。已过期的通知不再列出。",
            "Announcements, police bulletins, disclosures and safety tips from the bureau. "
            "Expired notices are no longer listed.",
        ),
    ),
    (
        "guides",
        ServiceGuideIndexPage,
        "guides",
        ("办事指南", "Service guides"),
        (
            "户籍、身份证、出入境、交通管理、治安等业务的办理条件、所需材料、流程、收费和办理时限。",
            "Who may apply, what to bring, the steps, fees and time limits for household registration, "
            "ID cards, exit-entry documents, traffic and public-order services.",
        ),
    ),
    (
        "faq",
        FAQIndexPage,
        "faq",
        ("常见问题", "Frequently asked questions"),
        (
            "群众办事时最常问到的问题及解答，按业务分类。",
            "The questions people ask us most often, grouped by topic.",
        ),
    ),
    (
        "stations",
        StationIndexPage,
        "stations",
        ("派出所与办事网点", "Police stations and service halls"),
        (
            "各派出所地址、电话、管辖范围和对外办公时间。紧急情况请直接拨打110。",
            "Addresses, phone numbers, areas served and opening hours of our police stations. "
            "In an emergency, call 110.",
        ),
    ),
]

HOME_TITLES = ("阳光市公安局", "Sunshine City Public Security Bureau")
HOME_INTROS = (
    "对党忠诚、服务人民、执法公正、纪律严明。在这里查询办事指南、通知公告和派出所信息，在线咨询和提交诉求。",
    "Find service guides, notices and police stations, ask us a question online or submit a request. "
    "We serve everyone who lives in, works in or visits Sunshine City.",
)


def ensure_root(locale=None):
    """Wagtail's tree root page. Wagtail's migrations create it, but a transactional test's flush
    removes every row, so create it again when it is missing."""
    root = Page.get_first_root_node()
    if root is None:
        locale = locale or Locale.objects.get_or_create(language_code=ZH)[0]
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def ensure_root_collection():
    """The root collection of documents and images (recreated after a flush, like the root page)."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def ensure_home(zh_locale, *, title=HOME_TITLES[0], intro=HOME_INTROS[0]):
    """The zh-hans HomePage as the default Site's root. Wagtail's initial "Welcome" page is
    replaced properly: the new home is created under the tree root, the Site is pointed at it,
    then the old page is deleted (deleting it first would cascade-delete the Site)."""
    root = ensure_root(zh_locale)
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.child_of(root).filter(locale=zh_locale).first()
    if home is None:
        old_root = site.root_page if site is not None else None
        if old_root is not None and old_root.slug == "home" and old_root.depth == 2:
            # Free the slug "home" for the new page; the old page is deleted below.
            old_root.slug = "welcome-replaced"
            old_root.save(update_fields=["slug", "url_path"])
        home = HomePage(title=title, slug="home", intro=intro, locale=zh_locale)
        root.add_child(instance=home)
        publish(home)
        if site is None:
            site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save(update_fields=["root_page"])
        if old_root is not None and not isinstance(old_root.specific, HomePage):
            old_root.delete()
    elif site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return site, home


def build_site(*, bureau=True):
    """The whole fixed structure in both locales: the zh-hans HomePage as the default Site's root
    (replacing Wagtail's welcome page), its English translation as a sibling, and under each home
    the notices, guides, faq and stations sections. Idempotent. Returns a SiteTree."""
    with transaction.atomic():
        zh_locale, en_locale = ensure_locales()
        site, zh_home = ensure_home(zh_locale)
        en_home, _ = ensure_translation(zh_home, en_locale, {"title": HOME_TITLES[1], "intro": HOME_INTROS[1]})
        if bureau:
            ensure_bureau_settings(site)
        zh_sections, en_sections = {}, {}
        for attr, model, slug, titles, intros in SECTIONS:
            zh_page, _ = ensure_page(zh_home, model, slug, {"title": titles[0], "intro": intros[0]})
            zh_sections[attr] = zh_page
            en_sections[attr], _ = ensure_translation(zh_page, en_locale, {"title": titles[1], "intro": intros[1]})
        return SiteTree(
            site=site,
            zh=LocaleTree(home=zh_home, **zh_sections),
            en=LocaleTree(home=en_home, **en_sections),
            zh_locale=zh_locale,
            en_locale=en_locale,
        )


BUREAU = {
    "name": "阳光市公安局",
    "name_en": "Sunshine City Public Security Bureau",
    "address": "阳光市光明区人民路88号（邮编 518000）",
    "address_en": "88 Renmin Road, Guangming District, Sunshine City 518000",
    "phone": "0755-8810 0000",
}
# Earlier demo data had both languages in `address`: replaced when the demo is seeded again.
OLD_DEMO_ADDRESS = "阳光市光明区人民路88号（邮编 518000） / 88 Renmin Road, Guangming District, Sunshine City 518000"


def ensure_bureau_settings(site):
    """BureauSettings for `site`, filled with the bureau's identity when first created; on a
    later run only empty fields are filled (what an editor typed stays)."""
    obj, created = BureauSettings.objects.get_or_create(site=site, defaults=BUREAU)
    if created:
        return obj
    changed = [name for name, value in BUREAU.items() if not getattr(obj, name)]
    for name in changed:
        setattr(obj, name, BUREAU[name])
    if obj.address == OLD_DEMO_ADDRESS:
        obj.address = BUREAU["address"]
        changed.append("address")
    if changed:
        obj.save(update_fields=changed)
    return obj


# --- Documents ------------------------------------------------------------------------------


def ensure_document(title, filename, content: bytes):
    """A Wagtail document with this title in the root collection, created from `content` if
    missing. The file goes to settings.MEDIA_ROOT (Wagtail's default storage)."""
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    doc = Document(title=title, collection=ensure_root_collection())
    doc.file.save(filename, ContentFile(content), save=False)
    doc._set_document_file_metadata()
    doc.save()
    return doc, True


# --- Content builders for tests (simple defaults; publish by default) ------------------------


def make_notice(
    index,
    *,
    title=None,
    slug=None,
    category="announcement",
    department="办公室",
    date=None,
    expires_at=None,
    pinned=False,
    summary="",
    body=None,
    attachments=(),
    live=True,
):
    """A published NoticePage under `index`. `body` is raw stream data (list of {"type", "value"})
    or a plain string turned into one paragraph; `attachments` are (document, link text) pairs."""
    title = title or _unique("通知")
    if body is None or isinstance(body, str):
        body = [{"type": "paragraph", "value": f"<p>{body or title}</p>"}]
    page = NoticePage(
        title=title,
        slug=slug or _unique("notice"),
        category=category,
        department=department,
        date=date or dt.date.today(),
        expires_at=expires_at,
        pinned=pinned,
        summary=summary,
        body=body,
    )
    page.attachments = [NoticeAttachment(document=d, title=t) for d, t in attachments]
    return add_page(index, page, live=live)


def make_guide(
    index,
    *,
    title=None,
    slug=None,
    summary=None,
    service_area="",
    eligibility="<p>本市户籍居民。</p>",
    materials=(("居民身份证", "原件"),),
    steps=(("提交申请", "到窗口提交材料。"),),
    fees="免费",
    time_limit="即时办结",
    legal_basis="",
    where_and_when="",
    stations=(),
    forms=(),
    last_reviewed=None,
    live=True,
):
    """A published ServiceGuidePage under `index` with every structured field filled.
    `materials` are (name, note) pairs, `steps` (title, description) pairs, `forms`
    (document, link text) pairs, `stations` StationPages."""
    title = title or _unique("办事指南")
    page = ServiceGuidePage(
        title=title,
        slug=slug or _unique("guide"),
        summary=summary or title,
        service_area=service_area,
        eligibility=eligibility,
        materials=material_stream(materials),
        steps=step_stream(steps),
        fees=fees,
        time_limit=time_limit,
        legal_basis=legal_basis,
        where_and_when=where_and_when,
        last_reviewed=last_reviewed or dt.date.today(),
    )
    page.stations = list(stations)
    page.forms = [ServiceGuideForm(document=d, title=t) for d, t in forms]
    return add_page(index, page, live=live)


WEEKDAY_HOURS = [(day, dt.time(8, 30), dt.time(12, 0)) for day in range(5)] + [
    (day, dt.time(14, 0), dt.time(17, 30)) for day in range(5)
]


def make_station(
    index,
    *,
    title=None,
    slug=None,
    address="人民路1号",
    phone="0755-8810 0110",
    jurisdiction="光明街道",
    latitude=None,
    longitude=None,
    hours=None,
    closed_days=(),
    live=True,
):
    """A published StationPage under `index`. `hours` are (weekday, opens, closes) rows
    (default Mon–Fri 08:30–12:00 and 14:00–17:30); `closed_days` adds "closed all day" rows."""
    page = StationPage(
        title=title or _unique("派出所"),
        slug=slug or _unique("station"),
        address=address,
        phone=phone,
        jurisdiction=jurisdiction,
        latitude=latitude,
        longitude=longitude,
    )
    page.hours = hour_rows(hours if hours is not None else WEEKDAY_HOURS, closed_days)
    return add_page(index, page, live=live)


def make_standard_page(parent, *, title=None, slug=None, summary="", body=None, live=True):
    """A published StandardPage under `parent` (a HomePage or StandardPage)."""
    title = title or _unique("页面")
    if body is None or isinstance(body, str):
        body = [{"type": "paragraph", "value": f"<p>{body or title}</p>"}]
    page = StandardPage(title=title, slug=slug or _unique("page"), summary=summary, body=body)
    return add_page(parent, page, live=live)


def ensure_faq_category(slug, name, *, locale=None, sort_order=0):
    """The FAQ category `slug` in `locale`, created if missing as the translation of the same
    slug in another locale (as cms.faq_import does)."""
    locale = locale or Locale.get_default()
    category = FAQCategory.objects.filter(slug=slug, locale=locale).first()
    if category is None:
        twin = FAQCategory.objects.filter(slug=slug).exclude(locale=locale).first()
        category = FAQCategory(slug=slug, locale=locale, name=name, sort_order=sort_order)
        if twin is not None:
            category.translation_key = twin.translation_key
        category.save()
    return category


def make_faq(
    *,
    key=None,
    question=None,
    answer="<p>请携带居民身份证到户籍窗口办理。</p>",
    paraphrases=(),
    category=None,
    locale=None,
    related_guide=None,
    translation_of=None,
    live=True,
):
    """A FAQ snippet, published (live) unless live=False. `translation_of` makes it the
    translation of another FAQ (same key and translation_key, another locale)."""
    locale = locale or (related_guide.locale if related_guide else Locale.get_default())
    if translation_of is not None:
        key = key or translation_of.key
    key = key or _unique("faq")
    if category is None:
        category = ensure_faq_category("general", "综合" if locale.language_code == ZH else "General", locale=locale)
    faq = FAQ(
        key=key,
        question=question or f"{key}?",
        paraphrases="\n".join(paraphrases),
        answer=answer,
        category=category,
        locale=locale,
        related_guide=related_guide,
        live=False,
    )
    if translation_of is not None:
        faq.translation_key = translation_of.translation_key
    faq.save()
    if live:
        publish(faq)
    else:
        faq.save_revision(log_action=True)
    return faq


# --- Raw stream helpers ---------------------------------------------------------------------


def material_stream(pairs):
    return [{"type": "material", "value": {"name": name, "note": note}} for name, note in pairs]


def step_stream(pairs):
    return [{"type": "step", "value": {"title": title, "description": text}} for title, text in pairs]


def hour_rows(hours, closed_days=()):
    rows = [
        StationHours(weekday=day, opens=opens, closes=closes, sort_order=i)
        for i, (day, opens, closes) in enumerate(sorted(hours))
    ]
    rows += [StationHours(weekday=day, closed=True, opens=dt.time(0, 0), closes=dt.time(0, 0)) for day in closed_days]
    return rows
