"""A citizen's journey in a real browser (Chromium): home → switch language → a service guide
→ a notice, with no console errors and no request to any other host (the page_factory
fixture checks both). Screenshots of the home page at phone and desktop widths go to the test
run's output directory."""

import re

import pytest
from playwright.sync_api import expect

from tests.cms.tree import build_site

pytestmark = pytest.mark.browser


@pytest.fixture
def content(transactional_db):
    """The bilingual tree, committed so the server process sees it."""
    from django.core.cache import cache

    cache.clear()
    return build_site()


def test_home_language_switch_guide_and_notice(page_factory, content, output_dir):
    server = page_factory.server
    page = page_factory(locale="zh-CN")
    page.goto(server.url + "/")
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(".emergency a[href='tel:110']")).to_be_visible()

    # Keyboard: the first Tab reaches the skip link.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()

    # Switch language: the English home page.
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(content.en["home"].title)

    # A service guide, reached from the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Service guides").click()
    page.get_by_role("link", name=content.en["guide"].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(content.en["guide"].title)
    expect(page.locator("ol.steps > li")).to_have_count(2)
    expect(page.get_by_text("20 working days", exact=True)).to_be_visible()

    # The language switch on the guide goes to its Chinese translation.
    zh_guide_url = (
        page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").get_attribute("href")
    )
    assert zh_guide_url == content.zh["guide"].url

    # A notice, from the notices index.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notices").click()
    page.get_by_role("link", name=content.en["notice_pinned"].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(content.en["notice_pinned"].title)
    expect(page.get_by_text("Bureau office")).to_be_visible()


def test_home_screenshots_at_phone_and_desktop_widths(page_factory, content, output_dir):
    """The home page fits a phone screen (no sideways scrolling) and a desktop one."""
    server = page_factory.server
    for name, viewport in [("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})]:
        page = page_factory(locale="zh-CN", viewport=viewport)
        page.goto(server.url + "/zh-hans/")
        expect(page.locator(".emergency a[href='tel:110']")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        path = output_dir / f"home-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000


def test_site_works_without_javascript(page_factory, content):
    """With JavaScript off the pages, the search form and the language switch still work."""
    server = page_factory.server
    page = page_factory(locale="en-US", java_script_enabled=False)
    page.goto(server.url + "/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    page.goto(server.url + content.zh["faq_page"].url)
    page.get_by_text(content.zh["faq"].question).click()  # <details> opens without JavaScript
    expect(page.get_by_text("请先挂失")).to_be_visible()
