"""The search page /<lang>/search/: results, filters, language switch, pagination, "did you
mean", the no-results help; all server-rendered (works without JavaScript)."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


@pytest.fixture
def content(make_faq, make_guide, make_notice):
    make_faq("pp", "护照过期了怎么换发？", "到出入境窗口换发护照，工本费120元。", paraphrases=["护照到期换新"])
    make_faq("pp", "How do I renew my passport?", "At any exit-entry counter, CNY 120.", lang="en")
    guide = make_guide("普通护照申请", "护照申请办事指南。")
    notice = make_notice("护照业务暂停通知", "系统升级，护照业务暂停一天。")
    return {"guide": guide, "notice": notice}


def test_results_with_highlighted_snippets(client, content):
    """A search lists FAQs, guides and notices with the matched words highlighted."""
    response = client.get("/zh-hans/search/", {"q": "护照过期"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "护照过期了怎么换发？" in html and "普通护照申请" in html and "护照业务暂停通知" in html
    assert "<strong>护照</strong>" in html
    assert 'href="?q=%E6%8A%A4%E7%85%A7%E8%BF%87%E6%9C%9F&amp;type=faq"' in html


@pytest.mark.parametrize(
    ("type_", "present", "absent"),
    [
        ("faq", "护照过期了怎么换发？", "普通护照申请"),
        ("guide", "普通护照申请", "护照业务暂停通知"),
        ("notice", "护照业务暂停通知", "护照过期了怎么换发？"),
    ],
)
def test_each_filter(client, content, type_, present, absent):
    """Each filter shows only its kind of result and is marked current."""
    html = client.get("/zh-hans/search/", {"q": "护照", "type": type_}).content.decode()
    assert present in html and absent not in html
    assert f'type={type_}" aria-current="page"' in html


def test_language_switch(client, content):
    """By default only the page's language; "all languages" adds the English FAQ."""
    html = client.get("/zh-hans/search/", {"q": "护照 passport"}).content.decode()
    assert "How do I renew my passport?" not in html
    html = client.get("/zh-hans/search/", {"q": "护照 passport", "all": "1"}).content.decode()
    assert "How do I renew my passport?" in html


def test_pagination(client, make_faq):
    """More than ten results are split into pages with next/previous links."""
    for i in range(13):
        make_faq(f"dog-{i}", f"养犬问题第{i}号", "养犬登记。")
    page1 = client.get("/zh-hans/search/", {"q": "养犬"}).content.decode()
    assert "13" in page1 and 'rel="next"' in page1 and page1.count('class="search-result"') == 10
    page2 = client.get("/zh-hans/search/", {"q": "养犬", "page": "2"}).content.decode()
    assert page2.count('class="search-result"') == 3 and 'rel="prev"' in page2


def test_did_you_mean(client, content):
    """A misspelled English query offers the corrected spelling as a link."""
    html = client.get("/en/search/", {"q": "pasport"}).content.decode()
    assert "Did you mean" in html and ">passport</a>" in html
    assert "How do I renew my passport?" in html


def test_no_results_offers_help(client, content):
    """Nothing found: suggested FAQs, the chat and the request form are offered."""
    html = client.get("/zh-hans/search/", {"q": "火星签证"}).content.decode()
    assert 'class="no-results"' in html
    assert 'href="/zh-hans/chat/"' in html and 'href="/zh-hans/requests/new/"' in html
    assert "护照过期了怎么换发？" in html  # a suggested FAQ


def test_english_on_the_chinese_page_shows_english_results_and_says_so(client, content):
    html = client.get("/zh-hans/search/", {"q": "renew passport"}).content.decode()
    assert "How do I renew my passport?" in html
    assert 'class="search-fallback"' in html and "showing results in English" not in html  # in Chinese
    assert 'class="no-results"' not in html


def test_a_long_question_is_searched_by_its_key_words(client, content):
    question = "请问一下，" * 40 + "护照过期了怎么办"
    response = client.get("/zh-hans/search/", {"q": question})
    assert response.status_code == 200
    html = response.content.decode()
    assert "护照过期了怎么换发？" in html and 'class="search-shortened"' in html


def test_bad_parameters_are_a_400_page_not_a_500(client, content):
    """Invalid filters or page numbers render the page with a message."""
    response = client.get("/zh-hans/search/", {"q": "护照", "type": "video", "page": "x"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_empty_search_page(client, search_dir):
    """Without a query the page shows just the form."""
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_rate_limited_page(client, settings, content):
    """Past the limit the page says so with a 429 instead of searching."""
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (1, 60)}
    assert client.get("/zh-hans/search/", {"q": "护照"}).status_code == 200
    assert client.get("/zh-hans/search/", {"q": "护照"}).status_code == 429
