"""The search page and the header autocomplete in Chromium, against a real server process that
reads the index this test process writes (two processes sharing one Whoosh index)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAQ_LINES = [
    '{"key": "id-card-lost", "lang": "zh-hans", "category": "id-card", "question": "居民身份证遗失后如何补领？", '
    '"answer": "居民身份证遗失后到派出所补领，工本费20元。", "paraphrases": ["身份证丢了怎么办"]}',
    '{"key": "id-card-renewal", "lang": "zh-hans", "category": "id-card", "question": "身份证到期如何换领？", '
    '"answer": "有效期满前3个月内换领。", "paraphrases": []}',
    '{"key": "id-card-lost", "lang": "en", "category": "id-card", "question": "How do I replace a lost ID card?", '
    '"answer": "At any police station.", "paraphrases": []}',
]


@pytest.fixture
def content():
    from cms.faq_import import import_faqs
    from cms.search import index

    import_faqs(FAQ_LINES)
    index.rebuild()


def test_search_page_shows_results(page_factory, content):
    """A colloquial question finds the right FAQ, with the matched words highlighted."""
    page = page_factory()
    page.goto(f"{page_factory.server.url}/zh-hans/search/?q=身份证掉了怎么办")
    first = page.locator(".search-result").first
    assert first.locator(".search-result__title").inner_text() == "居民身份证遗失后如何补领？"
    assert page.locator(".search-result strong").count() >= 1
    assert page.locator(".filters a[aria-current]").inner_text()


def test_search_works_without_javascript(page_factory, content):
    """With JavaScript off the search form submits and the results page renders."""
    page = page_factory(java_script_enabled=False)
    page.goto(f"{page_factory.server.url}/en/search/")
    page.fill("#search-q", "lost ID card")
    page.click(".search-form button[type=submit]")
    page.wait_for_url("**/en/search/?q=lost+ID+card*")
    assert page.locator(".search-result__title").first.inner_text() == "How do I replace a lost ID card?"


def test_header_autocomplete_offers_suggestions(page_factory, content):
    """Typing in the header search box opens an accessible list of suggestions that the
    keyboard can move through and close."""
    page = page_factory()
    page.goto(f"{page_factory.server.url}/zh-hans/search/")
    box = page.locator("#site-search-q")
    box.click()
    box.press_sequentially("身份证", delay=50)
    options = page.locator("[role=listbox] [role=option]")
    options.first.wait_for(state="visible")
    titles = options.all_inner_texts()
    assert "居民身份证遗失后如何补领？" in titles
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("[role=listbox]").first.is_hidden()
