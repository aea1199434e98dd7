"""The fragments kept across requests (cms/fragments.py: routes, page bodies, listings' data,
the holiday calendar, navigation and footer) follow every change on the next request: the
settings used behind nginx (FRAGMENT_CACHE), each page read once before the change so that
its fragments are in the cache, then the change (committed, so that the change log hears it),
then the page again."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from cms.factories import add_page, publish
from cms.models import NoticeAttachment, NoticePage
from cms.search.changelog import IndexChange
from tests.cms.conftest import site_tree, site_tree_module  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _fragments(settings):
    settings.FRAGMENT_CACHE = "default"  # as behind nginx (portal/settings/nginx.py)
    cache.clear()
    yield
    cache.clear()


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def warm(client, *urls):
    """Read each page twice: the second read comes from the fragment cache."""
    for url in urls:
        html(client, url)
        html(client, url)


def test_the_second_read_comes_from_the_cache(client, site_tree, django_assert_max_num_queries):  # noqa: F811
    """Otherwise the tests below would prove nothing."""
    url = site_tree.zh["guide"].url
    first = html(client, url)
    with django_assert_max_num_queries(1):  # the content version only
        assert html(client, url) == first


def test_publish_changes_the_page_its_listings_and_the_home_page(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    tree = site_tree.zh
    home, guide_url = tree["home"].url, tree["guide"].url
    warm(client, home, guide_url, tree["notices"].url, tree["stations"].url)

    guide = tree["guide"].specific
    guide.title = "居民身份证补领（新版）"
    guide.summary = "新的一句话说明"
    guide.steps = [("step", {"title": "网上预约新步骤", "description": "先在网上预约"})]
    with django_capture_on_commit_callbacks(execute=True):
        publish(guide)
    page = html(client, guide_url)
    assert "新的一句话说明" in page and "网上预约新步骤" in page and "居民身份证补领（新版）" in page

    with django_capture_on_commit_callbacks(execute=True):
        notice = add_page(
            tree["notices"],
            NoticePage(
                title="新发布的通知",
                slug="brand-new",
                category="announcement",
                department="市公安局",
                date=timezone.localdate(),
                pinned=True,
                summary="摘要",
                body=[("paragraph", "<p>正文</p>")],
            ),
        )
    assert "新发布的通知" in html(client, home)
    assert "新发布的通知" in html(client, tree["notices"].url)
    assert "新发布的通知" in html(client, notice.url)

    station = tree["station"].specific
    station.address = "光明路99号（新址）"
    with django_capture_on_commit_callbacks(execute=True):
        publish(station)
    assert "光明路99号（新址）" in html(client, tree["stations"].url)
    assert "光明路99号（新址）" in html(client, station.url)


def test_unpublish_move_and_delete_change_the_routes(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    tree = site_tree.zh
    fraud, report = tree["notice_fraud"].specific, tree["notice_report"].specific
    warm(client, fraud.url, report.url, tree["home"].url, tree["about"].url)

    with django_capture_on_commit_callbacks(execute=True):
        fraud.unpublish()
    html(client, fraud.url, status=404)
    assert fraud.title not in html(client, tree["home"].url)

    old_url = report.url
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    html(client, old_url, status=404)

    about = tree["about"].specific
    old_url = about.url
    with django_capture_on_commit_callbacks(execute=True):
        about.move(tree["privacy"], pos="last-child")
    about.refresh_from_db()
    response = client.get(old_url)  # Wagtail's automatic redirect, not the cached route
    assert response.status_code == 301 and response["Location"] == about.url
    assert about.title in html(client, about.url)


def test_another_change_log_that_reached_the_same_id_does_not_reuse_the_fragments(client, site_tree):  # noqa: F811
    """The cache (Redis) outlives a database: a restored backup, a database created again,
    staging next to production on one Redis, or CI's suite on SQLite and then on PostgreSQL
    bring a change log whose latest id was seen before, with other content. (The two-host page
    cache test served another run's notice from Redis this way and missed its 1 s bound.)"""
    guide = site_tree.zh["guide"]
    if not IndexChange.objects.exists():
        IndexChange.objects.create(model_label="cms.faq", object_id="0")
    warm(client, guide.url)
    latest = IndexChange.objects.order_by("-id").first()
    # The other database: the same latest id, other content (written without the change log).
    IndexChange.objects.filter(pk=latest.pk).delete()
    Page.objects.filter(pk=guide.pk).update(title="另一个数据库里的指南")
    IndexChange.objects.create(pk=latest.pk, model_label=latest.model_label, object_id=latest.object_id)
    assert "另一个数据库里的指南" in html(client, guide.url)


def test_view_restriction_added_after_the_route_was_cached(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from wagtail.models import PageViewRestriction

    url = site_tree.zh["guide"].url
    warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=site_tree.zh["guides"], restriction_type=PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 302 and "/_util/login/" in response["Location"]


def test_document_title_edit_changes_the_attachment_link(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    document = get_document_model().objects.create(title="旧的附件标题", file=ContentFile(b"%PDF-1.4\n", name="a.pdf"))
    notice = site_tree.zh["notice_fraud"].specific
    NoticeAttachment.objects.create(page=notice, document=document, sort_order=0)
    with django_capture_on_commit_callbacks(execute=True):
        publish(notice)
    warm(client, notice.url)
    assert "旧的附件标题" in html(client, notice.url)

    document.title = "新的附件标题"
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert "新的附件标题" in html(client, notice.url)


def test_bureau_settings_edit_changes_the_footer_of_a_cached_page(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from cms.models import BureauSettings

    url = site_tree.zh["guide"].url
    warm(client, url)
    bureau = BureauSettings.for_site(site_tree.zh["home"].get_site())
    bureau.phone = "0571-12345678"
    with django_capture_on_commit_callbacks(execute=True):
        bureau.save()
    assert "0571-12345678" in html(client, url)


def test_holiday_schedule_edit_changes_open_now(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from desk.models import HolidayDate, HolidaySchedule

    urls = [site_tree.en["stations"].url, site_tree.en["station"].url, site_tree.en["guide"].url]
    warm(client, *urls)
    today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    assert all("public holiday today" not in html(client, url) for url in urls)
    with django_capture_on_commit_callbacks(execute=True):
        schedule, _ = HolidaySchedule.objects.get_or_create(year=today.year)
        HolidayDate.objects.filter(schedule=schedule, date=today).delete()
        HolidayDate.objects.create(schedule=schedule, date=today, kind="holiday", name="测试假日")
    for url in urls:
        assert "public holiday today" in html(client, url), url


def test_home_page_drops_a_notice_when_it_expires(
    client,
    site_tree,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Expiry writes no change log row: the cached list lasts only until its first expiry."""
    with django_capture_on_commit_callbacks(execute=True):
        notice = add_page(
            site_tree.zh["notices"],
            NoticePage(
                title="即将到期的通知",
                slug="expiring",
                category="announcement",
                department="市公安局",
                date=timezone.localdate(),
                pinned=True,
                expires_at=timezone.now() + dt.timedelta(hours=1),
                summary="摘要",
                body=[("paragraph", "<p>正文</p>")],
            ),
        )
    # The 1.5 s start after publishing, which alone can take that long on a loaded machine; no
    # page has been read yet, so this is the expiry every cached fragment below is built with.
    NoticePage.objects.filter(pk=notice.pk).update(expires_at=timezone.now() + dt.timedelta(seconds=1.5))
    notice.refresh_from_db()
    home = site_tree.zh["home"].url
    warm(client, home, notice.url)
    assert "即将到期的通知" in html(client, home)
    assert "banner--expired" not in html(client, notice.url)
    time.sleep(max(0.0, (notice.expires_at - timezone.now()).total_seconds()) + 0.1)
    assert "即将到期的通知" not in html(client, home)
    assert "banner--expired" in html(client, notice.url)  # its own page says so at once


def test_preview_shows_the_draft_not_the_cached_page(client, site_tree):  # noqa: F811
    guide = site_tree.zh["guide"].specific
    warm(client, guide.url)
    guide.summary = "尚未发布的草稿摘要"
    response = guide.make_preview_request()
    assert response.status_code == 200
    assert "尚未发布的草稿摘要" in response.content.decode()
    assert "尚未发布的草稿摘要" not in html(client, guide.url)  # the live page is unchanged


def test_a_station_page_is_cached_by_nginx_only_until_open_now_changes(client, site_tree, settings, tmp_path):  # noqa: F811
    """Behind nginx a page is kept 10 minutes without a change; a station page whose "open now"
    turns within that time says so (X-Accel-Expires), so nobody is told a station is open after
    it has closed. A page without anything time-dependent keeps nginx's lifetime."""
    from cms.models import StationHours

    settings.PAGE_CACHE_DIR = str(tmp_path)
    settings.PAGE_CACHE_VALID = 600
    station = site_tree.en["station"].specific
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    closes = now + dt.timedelta(minutes=5)
    if closes.date() != now.date():  # near midnight: the day's change comes first anyway
        closes = now.replace(hour=23, minute=59, second=59)
    StationHours.objects.filter(station=station).delete()
    for weekday in range(7):
        StationHours.objects.create(station=station, weekday=weekday, opens=dt.time(0, 0), closes=closes.time())
    cache.clear()  # the hours are edited with the page: its publish moves the content version

    response = client.get(station.url)
    assert response.status_code == 200
    assert "Open" in response.content.decode()
    seconds = int(response["X-Accel-Expires"])
    assert 1 <= seconds <= (closes - now).total_seconds() + 1

    response = client.get(site_tree.en["notices"].url)
    assert response.status_code == 200
    assert "X-Accel-Expires" not in response


def test_a_shared_cache_is_read_once_per_process_and_follows_a_publish(
    client,
    site_tree,  # noqa: F811
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """With Redis (here a file cache: shared between processes too) each page read 5-10
    entries over the network on every request; the process keeps a copy (cms.fragments.
    LocalFront) under the same keys, so the next request reads none and a change, which moves
    the keys, is still on the page at once."""
    from django.core.cache.backends.filebased import FileBasedCache

    from cms import fragments

    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    settings.FRAGMENT_CACHE = "shared"
    reads = []
    real_get = FileBasedCache.get

    def counted_get(self, key, *args, **kwargs):
        reads.append(key)
        return real_get(self, key, *args, **kwargs)

    monkeypatch.setattr(FileBasedCache, "get", counted_get)
    guide = Page.objects.get(pk=site_tree.zh["guide"].pk).specific  # (the fixture's copy is shared)
    assert isinstance(fragments.fragment_cache(), fragments.LocalFront)
    first = html(client, guide.url)
    assert reads, "the page read nothing from the shared cache"
    reads.clear()
    assert html(client, guide.url) == first
    assert reads == []
    guide.title = "居民身份证补领（本进程）"
    with django_capture_on_commit_callbacks(execute=True):
        publish(guide)
    assert "居民身份证补领（本进程）" in html(client, guide.url)


def test_the_process_copy_gives_each_request_its_own_objects(settings, tmp_path):
    from cms import fragments

    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    front = fragments.LocalFront("shared", max_entries=2)
    front.set("a", {"hours": ["09:00"]}, 60)
    front.get("a")["hours"].append("changed by one request")
    assert front.get("a") == {"hours": ["09:00"]}
    front.set("b", 2, 60)
    front.set("c", 3, 60)
    assert list(front.entries) == ["b", "c"]  # the oldest copy went; the shared cache keeps it
    assert front.get("a") == {"hours": ["09:00"]}
    front.max_age = 0
    front.entries.clear()
    front.set("d", 4, 60)
    from django.core.cache import caches

    caches["shared"].set("d", 5, 60)  # (stands for an entry that changed with time, like the calendar)
    assert front.get("d") == 5  # a copy past its age is read again


@pytest.mark.django_db
def test_the_content_version_moves_before_the_host_cache_is_emptied(settings, tmp_path, monkeypatch):
    """A page rendered after the purge must not find the old version's route and fragments:
    nginx would store it (the purge's generation check sees nothing) until a follower purges."""
    from cms.search import changelog
    from portal import pagecache

    settings.PAGE_CACHE_DIR = str(tmp_path)
    before = changelog.latest_version()
    at_purge = []
    real_purge = pagecache.purge

    def purge(root=None):
        at_purge.append(changelog.latest_version())
        return real_purge(root)

    monkeypatch.setattr(pagecache, "purge", purge)
    changelog.record([("page", 1)])
    assert at_purge and at_purge[0] != before
