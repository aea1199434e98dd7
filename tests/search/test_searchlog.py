"""Searches that led to no click (cms.search.searchlog): the search page logs what was searched
(privacy-safe), its result links go through /search/click/ (which only follows local paths),
and the editors' report lists the searches nobody clicked, each row linking to the attach
action that teaches search the citizen's words. Also: the chat's unanswered questions link to
the same action."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from cms.models import FAQ, SearchLog, SynonymSet
from cms.search import index
from tests.search.conftest import keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


@pytest.fixture
def faqs(site, make_faq):
    SynonymSet.objects.all().delete()
    make_faq("dog", "养犬登记如何办理？", "携犬只免疫证明到派出所办理养犬登记。")
    make_faq("pp", "普通护照如何申请？", "到出入境窗口申请。")


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.com", "pw")
    client.force_login(user)
    return client


def result_links(html):
    return [unescape(h) for h in re.findall(r'class="search-result__title"><a href="([^"]+)"', html)]


def test_a_clicked_result_goes_to_the_page_and_is_not_in_the_report(client, editor_client, faqs):
    page = client.get("/zh-hans/search/", {"q": "护照申请"})
    links = result_links(page.content.decode())
    assert links and all(link.startswith("/zh-hans/search/click/?") for link in links)
    target = parse_qs(urlsplit(links[0]).query)["to"][0]
    followed = client.get(links[0])
    assert followed.status_code == 302 and followed["Location"] == target
    assert SearchLog.objects.get().clicked is not None
    report = editor_client.get("/admin/search/no-click/").content.decode()
    assert "护照申请" not in report


def test_the_report_lists_a_search_nobody_clicked_and_attaching_it_teaches_search(client, editor_client, faqs, commit):
    phrasing = "家里的汪星人要不要上个牌"
    assert "dog" not in keys(index.search(phrasing))[:1]
    for _ in range(2):
        client.get("/zh-hans/search/", {"q": phrasing})
    client.get("/zh-hans/search/", {"q": "护照申请"})
    assert SearchLog.objects.filter(clicked__isnull=True).count() == 3

    report = editor_client.get("/admin/search/no-click/")
    assert report.status_code == 200
    html = report.content.decode()
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>(\d+)</td>", html)
    assert rows[:2] == [(phrasing, "2"), ("护照申请", "1")]  # most frequent first
    attach = unescape(re.search(r'href="(/admin/search/attach/\?[^"]+)"', html).group(1))
    params = parse_qs(urlsplit(attach).query)
    assert params["q"] == [phrasing] and params["lang"] == ["zh-hans"] and params["next"] == ["/admin/search/no-click/"]

    form = editor_client.get(attach)
    assert form.status_code == 200 and phrasing in form.content.decode()
    dog = FAQ.objects.get(key="dog")
    done = commit(
        editor_client.post,
        "/admin/search/attach/",
        {"phrasing": phrasing, "lang": "zh-hans", "faq": dog.pk, "next": params["next"][0]},
    )
    assert done.status_code == 302 and done["Location"] == "/admin/search/no-click/"
    # The next identical search finds the FAQ first.
    page = client.get("/zh-hans/search/", {"q": phrasing}).content.decode()
    assert keys(index.search(phrasing))[:1] == ["dog"]
    assert "养犬登记如何办理？" in re.findall(r'class="search-result__title"><a [^>]+>([^<]+)<', page)[0]


@pytest.mark.parametrize(
    "to",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", ""],
)
def test_the_click_redirect_refuses_other_hosts(client, to):
    response = client.get("/zh-hans/search/click/", {"s": "x", "to": to})
    assert response.status_code == 400
    assert "Location" not in response


def test_personal_numbers_are_not_stored_and_nothing_identifies_the_citizen(client, faqs):
    client.get("/zh-hans/search/", {"q": "身份证 110101199003071234 电话13800138000 a@b.cn"})
    row = SearchLog.objects.get()
    assert "1101011990" not in row.query and "13800138000" not in row.query and "a@b.cn" not in row.query
    assert row.query.startswith("身份证 ###")
    assert {f.name for f in SearchLog._meta.get_fields()} == {
        "id",
        "token",
        "query",
        "normalized",
        "lang",
        "results",
        "created",
        "clicked",
    }


def test_the_report_needs_the_publish_permission(client, django_user_model):
    from django.contrib.auth.models import Permission

    nobody = django_user_model.objects.create_user("nobody", password="pw")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    response = client.get("/admin/search/no-click/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_chats_unanswered_questions_link_to_the_attach_action(editor_client):
    from chatbot import service

    service.log_unanswered("家里的汪星人要不要上个牌", "zh-hans", 0.1)
    html = editor_client.get("/admin/chat/unanswered/").content.decode()
    attach = unescape(re.search(r'href="(/admin/search/attach/\?[^"]+)"', html).group(1))
    params = parse_qs(urlsplit(attach).query)
    assert params["q"] == ["家里的汪星人要不要上个牌"] and params["lang"] == ["zh-hans"]
    assert params["next"] == ["/admin/chat/unanswered/"]
