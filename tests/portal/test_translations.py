"""Every role sees its pages in its language: no English left on the Chinese pages, and our
catalogues do not change the words of Wagtail's and Django's own screens (issue 10 item 12).

Two checks:
- the catalogues: a msgid we translate without a context must not also be translated,
  differently, by Wagtail or Django (ours would win everywhere, e.g. Wagtail's "Pages" menu read
  "分页" and page history "办理记录"), nor differently by two of our own apps;
- the pages: the demo site is seeded once, and the pages each role works with (citizen, editor,
  supervisor, duty officer) are fetched in Chinese; their visible text and announced attributes
  may not contain English words (runs of four or more Latin letters) outside a short list of
  proper nouns and codes, nor the wrong words the issue found.
"""

import gettext
import io
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
OUR_CATALOGUES = sorted(p for p in BASE_DIR.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo") if ".venv" not in p.parts)


def catalogue(path):
    with open(path, "rb") as f:
        return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if isinstance(k, str) and k}


def third_party_catalogue():
    """msgid → the translation Wagtail's and Django's catalogues give it (first app wins, as in
    Django's own merging), for the apps that are not ours."""
    theirs = {}
    paths = [
        Path(app.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        for app in apps.get_app_configs()
        if "site-packages" in app.path
    ]
    paths.append(Path(django.__file__).parent / "conf" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo")
    for path in paths:
        if path.exists():
            for msgid, text in catalogue(path).items():
                theirs.setdefault(msgid, text)
    return theirs


def test_our_catalogues_are_found():
    assert len(OUR_CATALOGUES) >= 4, OUR_CATALOGUES


def test_our_catalogues_do_not_retranslate_wagtail_or_django():
    theirs = third_party_catalogue()
    clashes = []
    for path in OUR_CATALOGUES:
        for msgid, text in catalogue(path).items():
            if "\x04" in msgid:  # has a context: cannot clash
                continue
            if msgid in theirs and theirs[msgid] != text:
                clashes.append(f"{path.relative_to(BASE_DIR)}: {msgid!r} → {text!r} (theirs: {theirs[msgid]!r})")
    assert not clashes, "give these a context (pgettext / {% translate … context … %}):\n" + "\n".join(clashes)


def test_our_catalogues_agree_with_each_other():
    seen = {}
    clashes = []
    for path in OUR_CATALOGUES:
        for msgid, text in catalogue(path).items():
            if msgid in seen and seen[msgid][1] != text:
                clashes.append(f"{msgid!r}: {seen[msgid][0]} → {seen[msgid][1]!r}, {path.parent} → {text!r}")
            seen.setdefault(msgid, (path.parent, text))
    assert not clashes, "\n".join(clashes)


# --- The pages each role sees ----------------------------------------------------------------

# Proper nouns, product names, formats and codes that stay in Latin letters on Chinese pages.
ALLOWED = {
    "Wagtail",  # the CMS's name in its own footer and logo text
    "Atom",  # the feed format
    "Chrome",
    "Firefox",
    "Safari",
    "Edge",
    "JavaScript",
    "HTML",
    "HTTPS",
    "Unicode",
    "English",  # the language switch names English in English
    "CSV",
    "JSON",
    "Markdown",
    "Draftail",
    "Whoosh",
    "Enter",  # key names in the chat's keyboard hint
    "Shift",
    "Apostille",  # the legal term, quoted in an FAQ answer
}
WORD = re.compile(r"(?<![A-Za-z0-9_@./:#-])[A-Za-z][A-Za-z’'-]{3,}(?![A-Za-z0-9_@./:-])")
ANNOUNCED = {"aria-label", "title", "placeholder", "alt", "aria-description", "value"}
HIDDEN_ELEMENTS = {"script", "style", "template", "svg", "noscript", "textarea", "code", "pre", "head", "select"}
# The names of stored records that are bilingual by design (e.g. "通知审核 / Notice moderation").
BILINGUAL = re.compile(r"[\u4e00-\u9fff）)]\s*/\s*[A-Za-z][A-Za-z ’'-]*")


class TextParser(HTMLParser):
    """The text a person reads (outside scripts, styles, templates…) and the attributes a
    screen reader announces or a button shows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        attrs = dict(attrs)
        if self.hidden:
            return
        for name in ANNOUNCED:
            if name == "value" and not (tag == "input" and attrs.get("type") in ("submit", "button")):
                continue
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(page_html):
    parser = TextParser()
    parser.feed(page_html)
    return " ".join(parser.parts)


def english_words(page_html, allowed=()):
    """Latin words of four or more letters in the text a person reads or hears."""
    text = BILINGUAL.sub(" ", visible_text(page_html))
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED and w not in allowed})


def test_english_words_finds_leftovers_and_skips_codes():
    assert english_words('<p>提交给Moderators approval</p><a title="Autosave is paused">x</a>') == [
        "Autosave",
        "Moderators",
        "approval",
        "paused",
    ]
    assert english_words("<p>YG-2026-000123 · zh@police.example · 110 · Atom</p><script>var x</script>") == []
    assert english_words("<td>主管审核 / Supervisor approval</td>") == []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo site, users and desk data, seeded once for the module and rolled back after it;
    plus one live chat in Chinese with a system message, for the duty officer's chat page."""
    with django_db_blocker.unblock():
        cache.clear()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True):
                call_command("seed_demo", stdout=io.StringIO())
            from wagtail.users.models import UserProfile

            from chatbot.models import Conversation, Message

            users = {
                u.username: u for u in get_user_model().objects.filter(username__in=["editor", "duty", "supervisor"])
            }
            for user in users.values():
                profile = UserProfile.get_for_user(user)
                profile.preferred_language = "zh-hans"
                profile.save()
            conversation = Conversation.objects.create(lang="zh-hans", status="live", assigned_to=users["duty"])
            Message.objects.create(conversation=conversation, seq=1, sender="citizen", text="我想找民警")
            Message.objects.create(
                conversation=conversation, seq=2, sender="system", text="民警加入了对话。", intent="staff_joined"
            )
            Message.objects.create(conversation=conversation, seq=3, sender="staff", author=users["duty"], text="您好")
            conversation.last_seq = 3
            conversation.save()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield {"users": users, "conversation": conversation}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        cache.clear()


def role_pages(demo):
    from cms.models import FAQ, HomePage, NoticePage
    from desk.models import Inquiry

    home = HomePage.objects.get(locale__language_code="zh-hans")
    notice = NoticePage.objects.live().filter(locale__language_code="zh-hans").first()
    faq = FAQ.objects.filter(locale__language_code="zh-hans").first()
    inquiry = Inquiry.objects.order_by("pk").first()
    rated = Inquiry.objects.filter(rating__isnull=False).order_by("pk").first()  # with its follow-up task
    complaint = Inquiry.objects.filter(category__is_police_conduct=True).order_by("pk").first()
    conversation = demo["conversation"]
    return {
        None: [
            "/zh-hans/",
            "/zh-hans/notices/",
            notice.get_url(),
            "/zh-hans/guides/",
            "/zh-hans/faq/",
            "/zh-hans/stations/",
            "/zh-hans/search/?q=身份证",
            "/zh-hans/requests/new/",
            "/zh-hans/requests/track/",
            "/zh-hans/chat/",
        ],
        "editor": [
            "/admin/",
            f"/admin/pages/{home.pk}/",
            f"/admin/pages/{notice.get_parent().pk}/",
            f"/admin/pages/{notice.pk}/edit/",
            f"/admin/pages/{notice.pk}/history/",
            "/admin/snippets/cms/faq/",
            f"/admin/snippets/cms/faq/edit/{faq.pk}/",
        ],
        "supervisor": [
            "/admin/",
            "/admin/desk/",
            f"/admin/desk/{inquiry.pk}/",
            f"/admin/desk/{rated.pk}/",
            f"/admin/desk/{complaint.pk}/",
            "/admin/desk/audit/",
            "/admin/chat/",
        ],
        "duty": [
            "/admin/",
            "/admin/desk/",
            "/admin/chat/",
            f"/admin/chat/{conversation.public_id}/",
        ],
    }


# Wrong words: on the pages where they were found, these were the wrong translation.
WRONG = {
    "supervisor": ["不办公", "null"],  # a closed request in the audit log; raw JSON
    "duty": ["通知公告", "状态: live", "zh-hans", "强 王"],  # chat system messages, raw codes, name order
}
# Wagtail's own screens (page explorer, editor, snippets, dashboard) are checked for what the
# portal puts on them or changes: its catalogues (above), its block, workflow and menu names,
# and the Wagtail strings Wagtail's catalogue leaves untranslated that it fills in. Wagtail's
# remaining untranslated strings are Wagtail's catalogue's gaps, not checked word by word.
WAGTAIL_SCREEN_RAW = [
    re.compile(r"Moderators approval"),
    re.compile(r'"(Heading|Paragraph|Callout|Material|Step)"'),
    re.compile(r"\d+ Pages"),
    re.compile(r"Autosave is paused"),
    re.compile(r'"label": "\\u5206\\u9875"|"label": "分页"'),  # the Pages menu as "分页"
]
WAGTAIL_SCREEN_VISIBLE = ["办理记录"]  # Wagtail's page history


def is_wagtail_screen(url):
    return url.startswith("/admin/") and not url.startswith(("/admin/desk/", "/admin/chat/"))


def content_words():
    """Words of stored content (what citizens wrote in English, English FAQs and category names):
    data shown as it was entered, not words of the interface."""
    from cms.models import FAQ
    from desk.models import Category, Department, Inquiry

    texts = []
    for inquiry in Inquiry.objects.all():
        texts += [inquiry.subject, inquiry.description, inquiry.name, inquiry.location]
    texts += [c.name_en for c in Category.objects.all()] + [d.name_en for d in Department.objects.all()]
    for faq in FAQ.objects.select_related("category"):
        texts += [faq.question, faq.key, faq.category.name, faq.category.slug]
    return set(WORD.findall(" ".join(t for t in texts if t)))


@pytest.mark.django_db
def test_every_role_sees_its_pages_in_chinese(demo, client):
    problems = []
    data_words = content_words()
    for role, urls in role_pages(demo).items():
        client.logout()
        if role:
            client.force_login(demo["users"][role])
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
            if response.status_code != 200:
                problems.append(f"{role or 'citizen'} {url}: HTTP {response.status_code}")
                continue
            page = response.content.decode()
            assert 'lang="zh-hans"' in page, url
            visible = visible_text(page)
            if is_wagtail_screen(url):
                for pattern in WAGTAIL_SCREEN_RAW:
                    if pattern.search(page):
                        problems.append(f"{role} {url}: {pattern.pattern!r}")
                for wrong in WAGTAIL_SCREEN_VISIBLE:
                    if wrong in visible:
                        problems.append(f"{role} {url}: wrong word {wrong!r}")
                continue
            words = english_words(page, allowed=data_words if role else ())
            if words:
                problems.append(f"{role or 'citizen'} {url}: {' '.join(words)}")
            for wrong in WRONG.get(role, []):
                if wrong in visible:
                    problems.append(f"{role} {url}: wrong word {wrong!r}")
    assert not problems, "\n".join(problems)
