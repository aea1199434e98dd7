"""What a citizen sees: every page type in both languages, notice expiry, the language switch,
feeds, the sitemap, robots.txt, the / redirect and localized error pages."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import loader
from django.utils import timezone, translation

from cms import factories
from cms.models import FAQ, NoticeIndexPage, NoticePage

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_NAMES = [
    "home",
    "notices",
    "notice_pinned",
    "guides",
    "guide",
    "faq_page",
    "stations",
    "station",
    "about",
    "privacy",
    "accessibility",
]


def html_of(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_type_renders_in_both_languages(client, site_tree, lang, name):
    """Each page type renders in each language with its title, the right <html lang>, the
    emergency numbers as tel: links, the search form and the chat widget."""
    page = site_tree[lang][name]
    assert page.url.startswith(f"/{lang}/")
    html = html_of(client, page.url)
    assert page.title in html
    assert f'<html lang="{"zh-Hans" if lang == "zh-hans" else "en"}">' in html
    for number in ("110", "119", "120", "122", "96110", "12389"):
        assert f'href="tel:{number}"' in html
    assert f'action="/{lang}/search/"' in html
    assert 'data-suggest-url="/api/search/suggest"' in html
    assert f'href="/{lang}/requests/new/"' in html
    assert f'href="/{lang}/requests/track/"' in html
    assert "css/portal.css" in html
    assert 'id="main"' in html and "skip-link" in html


def test_chinese_pages_use_chinese_interface_text(client, site_tree):
    """Interface text comes from the Chinese catalog on /zh-hans/ and stays English on /en/."""
    zh = html_of(client, site_tree.zh["home"].url)
    en = html_of(client, site_tree.en["home"].url)
    assert "跳到主要内容" in zh and "报警" in zh and "办事指南" in zh
    assert "Skip to main content" in en and "Police" in en and "Service guides" in en


def test_home_lists_pinned_first_and_leaves_out_expired(client, site_tree):
    """The home page shows the pinned notice first and no expired notice."""
    html = html_of(client, site_tree.zh["home"].url)
    titles = [site_tree.zh[n].title for n in ("notice_pinned", "notice_report", "notice_fraud")]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert site_tree.zh["notice_expired"].title not in html


def test_home_shows_featured_guides_or_falls_back_to_first_guides(client, site_tree):
    """Without featured guides the first guides appear; once chosen, only the featured ones."""
    home = site_tree.zh["home"]
    html = html_of(client, home.url)
    assert site_tree.zh["guide"].title in html and site_tree.zh["passport"].title in html
    home.featured_guides.set([site_tree.zh["passport"]])
    home.save_revision().publish()
    html = html_of(client, home.url)
    assert site_tree.zh["passport"].title in html
    assert site_tree.zh["guide"].title not in html


def test_notice_index_filters_by_category(client, site_tree):
    """?category= keeps only that category; an unknown category shows everything current."""
    index = site_tree.en["notices"]
    html = html_of(client, index.url + "?category=prevention")
    assert site_tree.en["notice_fraud"].title in html
    assert site_tree.en["notice_report"].title not in html
    assert 'aria-current="page">Safety tips<' in html
    html = html_of(client, index.url + "?category=nonsense")
    assert site_tree.en["notice_fraud"].title in html and site_tree.en["notice_report"].title in html


def test_notice_index_paginates(client, site_tree, monkeypatch):
    """Listings are split into pages with next/previous links; a bad page number shows page 1."""
    monkeypatch.setattr(NoticeIndexPage, "page_size", 2)
    index = site_tree.zh["notices"]
    first = html_of(client, index.url)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = html_of(client, index.url + "?page=2")
    assert 'rel="prev"' in second
    assert site_tree.zh["notice_fraud"].title in second
    assert site_tree.zh["notice_fraud"].title not in first
    assert html_of(client, index.url + "?page=abc") == first


def test_expired_notice_leaves_listings_but_stays_reachable(client, site_tree):
    """An expired notice is not listed, but its own page loads and says it has expired."""
    expired = site_tree.en["notice_expired"]
    assert expired.title not in html_of(client, site_tree.en["notices"].url)
    html = html_of(client, expired.url)
    assert "This notice expired on" in html
    zh = html_of(client, site_tree.zh["notice_expired"].url)
    assert "本通知已于" in zh
    current = html_of(client, site_tree.en["notice_pinned"].url)
    assert "expired on" not in current


def test_notice_expires_at_the_moment_set(client, site_tree):
    """A notice whose expiry moment passes disappears from the index without republishing."""
    notice = NoticePage.objects.get(pk=site_tree.en["notice_report"].pk)
    notice.expires_at = timezone.now() + dt.timedelta(hours=1)
    notice.save_revision().publish()
    assert notice.title in html_of(client, site_tree.en["notices"].url)
    NoticePage.objects.filter(pk=notice.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert notice.title not in html_of(client, site_tree.en["notices"].url)


def test_notice_page_shows_department_date_and_category(client, site_tree):
    notice = site_tree.zh["notice_pinned"]
    html = html_of(client, notice.url)
    assert "市公安局办公室" in html
    assert 'datetime="2026-11-20"' in html
    assert "通知公告" in html


def test_service_guide_shows_structured_fields(client, site_tree):
    """Materials as a list, steps in order, fees, time limit, legal basis, linked station with
    its open state, related FAQ and the last-reviewed date."""
    guide = site_tree.zh["guide"]
    html = html_of(client, guide.url)
    assert re.search(r'<ul class="materials">.*户口簿.*近期照片.*</ul>', html, re.S)
    assert re.search(r'<ol class="steps">.*提交申请.*领取证件.*</ol>', html, re.S)
    for text in ("补领 20 元", "20 个工作日", "中华人民共和国居民身份证法", "最后审核", 'datetime="2026-10-01"'):
        assert text in html
    assert site_tree.zh["station"].url in html
    assert ("现在办公" in html) or ("现在休息" in html)
    assert site_tree.zh["faq"].question in html


def test_service_guide_related_faqs_are_published_and_same_language(client, site_tree):
    """Only live FAQs of the guide's language are listed; a draft FAQ disappears."""
    html = html_of(client, site_tree.en["guide"].url)
    assert site_tree.en["faq"].question in html
    assert site_tree.zh["faq"].question not in html
    FAQ.objects.filter(pk=site_tree.en["faq"].pk).update(live=False)
    assert site_tree.en["faq"].question not in html_of(client, site_tree.en["guide"].url)


def test_faq_page_groups_by_category_with_anchors(client, site_tree):
    """FAQs appear under their category heading, each with an id="faq-<key>" anchor."""
    html = html_of(client, site_tree.en["faq_page"].url)
    assert 'id="faq-id-card-lost"' in html
    assert re.search(r"<h2[^>]*>ID cards</h2>.*What do I do if I lose my ID card\?", html, re.S)
    assert site_tree.en["faq"].get_url() == site_tree.en["faq_page"].url + "#faq-id-card-lost"
    assert f'href="{site_tree.en["guide"].url}"' in html  # the FAQ's related service guide


def test_station_page_shows_hours_table_and_phone(client, site_tree):
    html = html_of(client, site_tree.en["station"].url)
    assert 'href="tel:057187654321"' in html
    assert "08:30–12:00, 13:30–17:30" in html
    assert re.search(r"Sunday.*?</th>\s*<td>Closed</td>", html, re.S)
    assert ("Open now" in html) or ("Closed now" in html)


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC), "Open now"),  # Monday 10:00 in Shanghai
        (dt.datetime(2026, 11, 23, 4, 30, tzinfo=dt.UTC), "Closed now"),  # Monday 12:30: lunch break
        (dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.UTC), "Closed now"),  # Sunday
    ],
)
def test_station_directory_shows_open_state_at_request_time(client, site_tree, monkeypatch, moment, label):
    """The directory computes open/closed when the page is requested, in Shanghai time."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    html = html_of(client, site_tree.en["stations"].url)
    assert label in html


def test_language_switch_goes_to_the_translation(client, site_tree):
    """On a page with a translation, the switch links to the translated page."""
    html = html_of(client, site_tree.zh["guide"].url)
    assert f'href="{site_tree.en["guide"].url}" hreflang="en"' in html
    html = html_of(client, site_tree.en["station"].url)
    assert f'href="{site_tree.zh["station"].url}" hreflang="zh-Hans"' in html


def test_language_switch_falls_back_to_home_without_translation(client, site_tree):
    """Without a live translation the switch goes to the other language's home page."""
    site_tree.en["passport"].unpublish()
    html = html_of(client, site_tree.zh["passport"].url)
    assert 'href="/en/" hreflang="en"' in html


def test_language_switch_on_other_views_keeps_path_and_query(client, site_tree):
    """On a view that is not a page (site search), the switch opens the same view and query in
    the other language."""
    html = html_of(client, "/en/search/?q=passport")
    assert 'href="/zh-hans/search/?q=passport" hreflang="zh-Hans"' in html


def test_language_switch_on_404_goes_to_home(client, site_tree):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert 'href="/zh-hans/" hreflang="zh-Hans"' in response.content.decode()


@pytest.mark.parametrize(
    ("accept", "target"),
    [("en-US,en;q=0.9", "/en/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("fr-FR", "/zh-hans/"), (None, "/zh-hans/")],
)
def test_root_redirects_by_browser_language(client, site_tree, accept, target):
    """/ redirects to the browser's preferred language; Chinese when there is no match."""
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/", **headers)
    assert response.status_code in (301, 302)
    assert response["Location"] == target


def test_404_is_localized(client, site_tree):
    en = client.get("/en/no-such-page/")
    zh = client.get("/zh-hans/no-such-page/")
    assert en.status_code == zh.status_code == 404
    assert "Page not found" in en.content.decode()
    assert "页面不存在" in zh.content.decode()
    assert 'href="tel:110"' in zh.content.decode()


def test_500_renders_without_request_context():
    """The 500 page renders with no request and no database, in the active language."""
    with translation.override("zh-hans"):
        html = loader.render_to_string("500.html")
    assert 'lang="zh-Hans"' in html and "tel:110" in html and "抱歉" in html
    with translation.override("en"):
        html = loader.render_to_string("500.html")
    assert 'lang="en"' in html and "Sorry, something went wrong" in html


def feed_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, produced by the test
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


def test_notice_feed_lists_current_notices_of_one_language(client, site_tree):
    """The Atom feed lists current notices of the requested language, no expired ones."""
    titles = feed_entries(client.get("/feeds/notices.atom?lang=en"))
    assert site_tree.en["notice_pinned"].title in titles
    assert site_tree.en["notice_fraud"].title in titles
    assert site_tree.en["notice_expired"].title not in titles
    assert site_tree.zh["notice_pinned"].title not in titles
    zh_titles = feed_entries(client.get("/feeds/notices.atom"))
    assert site_tree.zh["notice_pinned"].title in zh_titles


def test_category_feed_and_drafts(client, site_tree):
    """A category feed holds only that category; unpublished notices never appear."""
    titles = feed_entries(client.get("/feeds/notices/prevention.atom?lang=zh-hans"))
    assert titles == [site_tree.zh["notice_fraud"].title]
    site_tree.zh["notice_fraud"].unpublish()
    assert feed_entries(client.get("/feeds/notices/prevention.atom?lang=zh-hans")) == []


@pytest.mark.parametrize(
    "url", ["/feeds/notices.atom?lang=fr", "/feeds/notices/nonsense.atom", "/feeds/notices/x.atom?lang=en"]
)
def test_bad_feed_language_or_category_is_404(client, site_tree, url):
    assert client.get(url).status_code == 404


def test_sitemap_lists_both_languages_without_expired(client, site_tree):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for lang in ("zh-hans", "en"):
        assert site_tree[lang]["guide"].url in body
        assert site_tree[lang]["home"].url in body
        assert site_tree[lang]["notice_expired"].url not in body


def test_robots_txt_points_to_sitemap(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


def test_faq_page_queries_do_not_grow_with_the_number_of_faqs(client, site_tree, django_assert_max_num_queries):
    """The FAQ page costs the same number of queries for 1 or 11 FAQs (no query per FAQ)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = site_tree.zh["faq_page"].url
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(10):
        factories.make_faq(
            key=f"extra-{i}",
            question=f"问题 {i}？",
            answer="<p>答案</p>",
            category=site_tree.zh["faq_category"],
            related_guide=site_tree.zh["guide"],
            locale=site_tree.zh["faq_category"].locale,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = html_of(client, url)
    assert "问题 9？" in html


def test_home_page_query_budget(client, site_tree, django_assert_max_num_queries):
    """The home page stays within a fixed query budget."""
    client.get(site_tree.zh["home"].url)
    with django_assert_max_num_queries(30):
        html_of(client, site_tree.zh["home"].url)
