"""Pages that miss nginx's cache are fast too: a query budget per page type, with the settings
used behind nginx (FRAGMENT_CACHE), both on a repeated request (routes, bodies, listings'
data, navigation and footer come from the fragment cache: cms/fragments.py) and on the first
request after a content change (the change log's version moved: everything is read again
except Wagtail's own site-root cache), and listings whose query count does not grow with their
length (no N+1), counted after a change."""

import datetime as dt

import pytest
from django.core.cache import cache

from cms.factories import add_page as add_child
from cms.models import NoticePage, StationHours, StationPage
from tests.cms.conftest import site_tree, site_tree_module  # noqa: F401 (fixtures)

# Queries per page, warm fragment cache: the change log's latest id (the fragments' version),
# and for the listings not kept as fragments (the notice list pages by their query string, the
# guide index, the FAQ page) their own lists.
BUDGETS = {
    "home": 1,
    "notice_fraud": 1,
    "guide": 1,
    "notices": 4,
    "guides": 3,
    "faq_page": 2,
    "stations": 1,
    "station": 1,
}

# The first request after a content change: Wagtail needs about seven queries to find and check
# a page (site, locale, one per level of the path, view restrictions); navigation, language
# switch and footer about five; "open now" on station and guide pages reads the holiday
# calendar of this year and the next (four).
AFTER_CHANGE_BUDGETS = {
    "home": 20,
    "notice_fraud": 19,
    "guide": 25,
    "notices": 19,
    "guides": 18,
    "faq_page": 17,
    "stations": 22,
    "station": 22,
}


@pytest.fixture(autouse=True)
def _fresh_fragments(settings):
    settings.FRAGMENT_CACHE = "default"  # as behind nginx (portal/settings/nginx.py)
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_page_query_budget(client, site_tree, django_assert_max_num_queries, name):  # noqa: F811
    url = site_tree.zh[name].url
    assert client.get(url).status_code == 200  # fills the fragment cache
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200


def move_version():
    """What every content change does to the fragments: a new change log row."""
    from cms.search.changelog import IndexChange

    IndexChange.objects.create(model_label="tests.change", action=IndexChange.Action.SETTINGS)


@pytest.mark.parametrize("name", sorted(AFTER_CHANGE_BUDGETS))
def test_page_query_budget_after_a_change(client, site_tree, django_assert_max_num_queries, name):  # noqa: F811
    url = site_tree.zh[name].url
    assert client.get(url).status_code == 200
    move_version()
    with django_assert_max_num_queries(AFTER_CHANGE_BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200


def test_cached_language_switch_and_footer_follow_unpublish_and_settings(
    client,
    site_tree,  # noqa: F811
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """The fragment cache's key moves with the change log: an unpublished translation leaves
    the language switch and a new bureau name is in the footer on the next request."""
    from cms.models import BureauSettings
    from cms.search import changelog

    notice_zh, notice_en = site_tree.zh["notice_fraud"], site_tree.en["notice_fraud"]
    url = notice_zh.url
    assert f'href="{notice_en.url}"' in client.get(url).content.decode()
    with django_assert_max_num_queries(BUDGETS["notice_fraud"]):
        client.get(url)

    before = changelog.latest_id()
    with django_capture_on_commit_callbacks(execute=True):
        notice_en.specific.unpublish()  # Wagtail's page_unpublished -> cms.search.signals
    assert changelog.latest_id() > before
    page = client.get(url).content.decode()
    assert f'href="{notice_en.url}"' not in page
    assert 'href="/en/"' in page  # the English home instead

    bureau = BureauSettings.for_site(site_tree.zh["home"].get_site())
    bureau.name = "阳光市公安局（新名称）"
    with django_capture_on_commit_callbacks(execute=True):
        bureau.save()
    assert "阳光市公安局（新名称）" in client.get(url).content.decode()


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    move_version()  # counted as the first request after a change: nothing comes from fragments
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listings_have_no_n_plus_one(client, site_tree, django_assert_max_num_queries):  # noqa: F811
    tree = site_tree.zh
    urls = [tree["home"].url, tree["notices"].url, tree["stations"].url, tree["guide"].url]
    before = [count_queries(client, url, django_assert_max_num_queries) for url in urls]
    for i in range(4):
        add_child(
            tree["notices"],
            NoticePage(
                title=f"新增通知{i}",
                slug=f"extra-{i}",
                category="announcement",
                department="市公安局",
                date=dt.date(2026, 11, 25),
                summary="摘要",
                body=[("paragraph", "<p>正文</p>")],
            ),
        )
        station = add_child(
            tree["stations"],
            StationPage(title=f"新站{i}", slug=f"station-{i}", address="某路1号", phone="110", jurisdiction="某街道"),
        )
        StationHours.objects.create(station=station, weekday=0)
        guide = tree["guide"].specific
        guide.stations.add(station)
        guide.save_revision().publish()
    cache.clear()
    after = [count_queries(client, url, django_assert_max_num_queries) for url in urls]
    assert after == before, f"queries grew with the listings: {before} -> {after}"
