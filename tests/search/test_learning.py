"""Learning from editors: a citizen's phrasing nothing answered is attached to the FAQ that
answers it in one action (admin form → cms.search.learning), and the next identical or similar
question finds that FAQ."""

import pytest

from cms.models import FAQ, SynonymSet
from cms.search import index
from tests.search.conftest import keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def faqs(make_faq):
    SynonymSet.objects.all().delete()  # the phrasing alone must do it, not a built-in set
    make_faq("dog", "养犬登记如何办理？", "携犬只免疫证明到派出所办理养犬登记。")
    make_faq("pp", "普通护照如何申请？", "到出入境窗口申请。")


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.com", "pw")
    client.force_login(user)
    return client


def test_attaching_a_phrasing_makes_the_next_similar_question_find_the_faq(editor_client, faqs, commit):
    phrasing = "家里的汪星人要不要上个牌"
    assert "dog" not in keys(index.search(phrasing))[:1]
    dog = FAQ.objects.get(key="dog")
    page = editor_client.get("/admin/search/attach/", {"q": phrasing, "lang": "zh-hans"})
    assert page.status_code == 200 and phrasing in page.content.decode()
    response = commit(
        editor_client.post,
        "/admin/search/attach/",
        {"phrasing": phrasing, "lang": "zh-hans", "faq": dog.pk, "next": "/admin/chat/unanswered/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/chat/unanswered/"
    dog.refresh_from_db()
    assert dog.paraphrase_list[-1] == phrasing and dog.live and not dog.has_unpublished_changes
    assert keys(index.search(phrasing))[:1] == ["dog"]  # the same question
    assert keys(index.search("汪星人上牌怎么弄"))[:1] == ["dog"]  # a similar one
    # a second time changes nothing
    commit(editor_client.post, "/admin/search/attach/", {"phrasing": phrasing, "lang": "zh-hans", "faq": dog.pk})
    dog.refresh_from_db()
    assert dog.paraphrase_list.count(phrasing) == 1


def test_attach_needs_publish_permission_and_valid_input(editor_client, faqs, django_user_model):
    from django.contrib.auth.models import Permission
    from django.test import Client

    nobody = django_user_model.objects.create_user("nobody", password="pw")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    other = Client()
    other.force_login(nobody)
    dog = FAQ.objects.get(key="dog")
    refused = other.post("/admin/search/attach/", {"phrasing": "狗牌", "lang": "zh-hans", "faq": dog.pk})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    dog.refresh_from_db()
    assert dog.paraphrase_list == []
    response = editor_client.post("/admin/search/attach/", {"phrasing": "", "lang": "zh-hans", "faq": dog.pk})
    assert response.status_code == 400
    response = editor_client.post(
        "/admin/search/attach/", {"phrasing": "x", "lang": "zh-hans", "faq": dog.pk, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/search/attach/"
