"""What editors get: the admin in both languages, translation of pages and snippets, the
moderation workflow on notices, and the FAQ snippet listing."""

import re

import pytest
from django.contrib.auth.models import User
from wagtail.models import Locale, Page, Workflow
from wagtail.users.models import UserProfile

from cms.models import FAQ, NoticePage, StandardPage
from cms.workflows import WORKFLOW_NAME, ensure_notice_workflow


@pytest.fixture
def admin_client(client, site_tree):
    user = User.objects.create_superuser("chief", "chief@police.example", "pw-for-tests-1")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize(
    ("language", "lang_attr", "title_re"),
    [("en", 'lang="en"', r"<title>Dashboard"), ("zh-hans", 'lang="zh-hans"', r"<title>[\u4e00-\u9fff]+ - ")],
)
def test_admin_speaks_the_users_preferred_language(admin_client, language, lang_attr, title_re):
    """The admin follows each user's language preference (Chinese or English)."""
    profile = UserProfile.get_for_user(admin_client.user)
    profile.preferred_language = language
    profile.save()
    html = admin_client.get("/admin/").content.decode()
    assert lang_attr in html
    assert re.search(title_re, html)


def test_translate_page_creates_a_draft_translation(admin_client, site_tree):
    """The "Translate" action copies a Chinese page into English as an unpublished draft."""
    page = StandardPage(title="办事须知", slug="notes", summary="须知")
    site_tree.zh["home"].add_child(instance=page)
    page.save_revision().publish()
    en = Locale.objects.get(language_code="en")
    response = admin_client.post(f"/admin/translation/submit/page/{page.id}/", {"locales": [en.id]})
    assert response.status_code == 302
    translation = Page.objects.get(translation_key=page.translation_key, locale=en)
    assert translation.get_parent().id == site_tree.en["home"].id
    assert not translation.live


def test_translate_snippet_creates_a_draft_translation(admin_client, site_tree, client):
    """Translating an FAQ gives an English draft that is not shown on the English FAQ page."""
    source = FAQ(
        key="new-question",
        question="新的问题？",
        answer="<p>答案</p>",
        category=site_tree.zh["faq_category"],
        locale=site_tree.zh["faq_category"].locale,
    )
    source.save()
    source.save_revision().publish()
    en = Locale.objects.get(language_code="en")
    response = admin_client.post(f"/admin/translation/submit/snippet/cms/faq/{source.pk}/", {"locales": [en.id]})
    assert response.status_code == 302
    translation = FAQ.objects.get(translation_key=source.translation_key, locale=en)
    assert not translation.live and translation.live_revision is None
    assert "新的问题" not in client.get(site_tree.en["faq_page"].url).content.decode()


def test_faq_listing_finds_chinese_substrings(admin_client, site_tree):
    response = admin_client.get("/admin/snippets/cms/faq/", {"q": "身份证"})
    assert response.status_code == 200
    assert site_tree.zh["faq"].question in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/admin/snippets/cms/faqcategory/", "/admin/snippets/cms/synonymset/", "/admin/snippets/cms/faq/add/"]
)
def test_knowledge_base_admin_pages_load(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_notices_go_through_moderation(site_tree):
    """After ensure_notice_workflow(), notices in both languages use the notice moderation workflow;
    calling it again changes nothing."""
    workflow = ensure_notice_workflow()
    assert workflow.name == WORKFLOW_NAME and workflow.active
    for lang in ("zh-hans", "en"):
        notice = NoticePage.objects.get(pk=site_tree[lang]["notice_pinned"].pk)
        assert notice.get_workflow() == workflow
    count = Workflow.objects.count()
    assert ensure_notice_workflow() == workflow
    assert Workflow.objects.count() == count


def test_submitting_a_notice_for_moderation_keeps_it_unpublished(site_tree):
    """An editor's change submitted to the workflow does not go live until approved."""
    ensure_notice_workflow()
    editor = User.objects.create_superuser("editor1", "e@police.example", "pw-for-tests-1")
    notice = NoticePage.objects.get(pk=site_tree.zh["notice_report"].pk)
    notice.title = "十月警情通报（修订）"
    revision = notice.save_revision(user=editor)
    workflow_state = notice.get_workflow().start(notice, editor)
    assert workflow_state.status == "in_progress"
    notice.refresh_from_db()
    assert notice.live and notice.title == "十月警情通报"
    assert notice.latest_revision_id == revision.id
