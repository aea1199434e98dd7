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


def test_synonym_listing_marks_builtin_sets_and_filters_switched_off_ones(admin_client):
    """The built-in lexicon is in the admin without demo content, marked built-in; an editor can
    switch a set off and filter by it."""
    from cms.models import SynonymSet

    own = SynonymSet.objects.create(language="zh-hans", terms="汪星人, 狗", note="mine")
    off = SynonymSet.objects.exclude(builtin_key="").first()
    off.enabled = False
    off.save()
    html = admin_client.get("/admin/snippets/cms/synonymset/").content.decode()
    assert "内置" in html and "补领 = 补办" in html  # the admin speaks zh-hans by default
    html = admin_client.get("/admin/snippets/cms/synonymset/", {"enabled": "false"}).content.decode()
    assert str(off) in html and "汪星人 = 狗" not in html
    edit = admin_client.get(f"/admin/snippets/cms/synonymset/edit/{own.pk}/").content.decode()
    assert 'name="enabled"' in edit
