"""Wagtail's own admin search finds Chinese: the snippet listing segments the query."""

import pytest

from cms.search.wagtail_backend import segment_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


def test_segment_query():
    """Chinese queries are segmented and OR-ed; other queries are left alone."""
    query, operator = segment_query("身份证补办")
    assert operator == "or" and "身份证" in query.split()
    assert segment_query("passport") == ("passport", None)


def test_admin_snippet_search_finds_chinese(admin_client, make_faq):
    """Searching FAQs in the admin for 身份证 (and for a whole phrase) finds the ID-card FAQs."""
    make_faq("id-lost", "居民身份证遗失后如何补领？", "补领。", paraphrases=["身份证丢了怎么办"])
    make_faq("dog", "养犬登记怎么办？", "到派出所。")
    for url in ("/admin/snippets/cms/faq/", "/admin/snippets/cms/faq/results/"):  # page and live search
        for q in ("身份证", "身份证补领流程"):
            html = admin_client.get(url, {"q": q}).content.decode()
            assert "居民身份证遗失后如何补领？" in html, (url, q)
            assert "养犬登记怎么办？" not in html, (url, q)
