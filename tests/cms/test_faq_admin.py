"""Issue 10 item 10: editing FAQs in the admin. A duplicate key is a field error (it was a 500
IntegrityError); the newest FAQ, a draft included, is on the list's first page; the JSONL import
that `manage.py import_faqs` takes is offered in the admin, all or nothing, with its report."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale

from cms import factories
from cms.models import FAQ

pytestmark = pytest.mark.django_db


def make_editor(username="faq-editor", perms=("add_faq", "change_faq", "view_faq", "publish_faq")):
    group, _ = Group.objects.get_or_create(name=f"{username}-group")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="cms", codename__in=perms))
    user = get_user_model().objects.create_user(username, password="pw-for-tests-1")
    user.groups.add(group)
    return user


@pytest.fixture
def editor_client(client):
    factories.ensure_locales()
    client.force_login(make_editor())
    return client


def test_a_second_faq_with_an_existing_key_is_a_field_error(editor_client):
    existing = factories.make_faq(key="id-card-lost", question="身份证丢了怎么办？")
    response = editor_client.post(
        "/admin/snippets/cms/faq/add/?locale=zh-hans",
        {
            "key": "id-card-lost",
            "question": "身份证丢了怎么补办？",
            "paraphrases": "",
            "answer": json.dumps(
                {
                    "blocks": [
                        {
                            "key": "a",
                            "type": "unstyled",
                            "text": "先挂失。",
                            "depth": 0,
                            "inlineStyleRanges": [],
                            "entityRanges": [],
                        }
                    ],
                    "entityMap": {},
                }
            ),
            "category": existing.category_id,
            "related_guide": "",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert (
        "本语言已有常见问题使用标识" in response.content.decode() or "already has the key" in response.content.decode()
    )
    assert FAQ.objects.filter(key="id-card-lost").count() == 1
    # The same key in the other language is the FAQ's translation, and allowed.
    en = Locale.objects.get(language_code="en")
    factories.make_faq(key="id-card-lost", locale=en, translation_of=existing, question="Lost ID card?")
    assert FAQ.objects.filter(key="id-card-lost").count() == 2


def test_the_newest_faq_and_a_fresh_draft_are_on_the_first_page(editor_client):
    for number in range(60):
        factories.make_faq(key=f"faq-{number:02d}", question=f"问题{number:02d}")
    draft = factories.make_faq(key="zz-draft", question="龥最后一个草稿", live=False)
    html = editor_client.get("/admin/snippets/cms/faq/").content.decode()
    assert draft.question in html


def upload(lines, name="faqs.jsonl"):
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="application/jsonl")


def line(**fields):
    base = {
        "key": "passport-fee",
        "lang": "zh-hans",
        "category": "exit-entry",
        "question": "护照多少钱？",
        "answer": "120 元。",
    }
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


def test_the_admin_imports_a_jsonl_file_and_reports_like_the_command(editor_client):
    response = editor_client.get("/admin/faq-import/")
    assert response.status_code == 200 and 'type="file"' in response.content.decode()
    lines = [line(), line(lang="en", question="How much is a passport?", answer="CNY 120.")]
    response = editor_client.post("/admin/faq-import/", {"file": upload(lines)}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/snippets/cms/faq/"
    assert "常见问题已导入：新建 2 条，更新 0 条，未变 0 条。" in response.content.decode()
    assert FAQ.objects.filter(key="passport-fee", live=True).count() == 2
    again = editor_client.post("/admin/faq-import/", {"file": upload(lines)}, follow=True).content.decode()
    assert "新建 0 条，更新 0 条，未变 2 条" in again


def test_an_invalid_line_imports_nothing_and_says_which(editor_client):
    lines = [line(), line(key="bad key!", question="坏的")]
    response = editor_client.post("/admin/faq-import/", {"file": upload(lines)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 2 行" in html and "未导入任何内容" in html
    assert not FAQ.objects.filter(key="passport-fee").exists()


def test_only_faq_editors_may_import(client):
    factories.ensure_locales()
    client.force_login(make_editor("reader", perms=("view_faq",)))
    assert client.get("/admin/faq-import/").status_code in (302, 403)
    response = client.post("/admin/faq-import/", {"file": upload([line()])})
    assert response.status_code in (302, 403)
    assert not FAQ.objects.exists()
