"""The first screen of a phone (390 × 844) in both languages: the emergency numbers, the search and
the start of the content are all visible; the menu folds behind a menu button that works with the
keyboard and without JavaScript; the chat button covers no control. Positions are measured with
Playwright's bounding boxes."""

import pytest
from playwright.sync_api import expect

from tests.cms.tree import build_site

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LANGS = [("zh-hans", "zh-CN"), ("en", "en-US")]
# Where the page's own content (the first heading) must start at the latest: a compact header
# (emergency numbers, name, language, menu button, search) fits in well under a quarter of
# the screen.
CONTENT_TOP_MAX = 230


@pytest.fixture
def content(transactional_db):
    from django.core.cache import cache

    cache.clear()
    return build_site()


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def controls_covered_by(page, cover):
    """Visible links, buttons and inputs outside the chat widget whose box meets `cover`."""
    return page.evaluate(
        """(cover) => Array.from(document.querySelectorAll('a[href], button, input, select, textarea'))
            .filter((el) => !el.closest('#chat-widget'))
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden')
            .filter(([el, r]) => !(r.right <= cover.x || cover.x + cover.width <= r.left
                                   || r.bottom <= cover.y || cover.y + cover.height <= r.top))
            .map(([el, r]) => (el.textContent || el.getAttribute('placeholder') || el.tagName).trim().slice(0, 40))""",
        cover,
    )


@pytest.mark.parametrize(("lang", "browser_locale"), LANGS)
def test_the_first_phone_screen_shows_emergency_numbers_search_and_content(page_factory, content, lang, browser_locale):
    page = page_factory(locale=browser_locale, viewport=PHONE)
    page.goto(f"{page_factory.server.url}/{lang}/")
    for number in ("110", "119", "120"):
        link = box(page.locator(f".emergency a[href='tel:{number}']"))
        assert link["y"] + link["height"] <= PHONE["height"] and link["x"] + link["width"] <= PHONE["width"]
    search = box(page.locator("#home-search-q"))
    assert search["y"] + search["height"] <= PHONE["height"]
    heading = box(page.locator("main h1"))
    search_end = search["y"] + search["height"]
    print(f"phone {lang}: content starts {heading['y']:.0f} px down, search box ends at {search_end:.0f} px")
    assert heading["y"] <= CONTENT_TOP_MAX, f"the content starts {heading['y']:.0f} px down ({lang})"
    header = box(page.locator(".site-header"))
    assert header["y"] + header["height"] <= CONTENT_TOP_MAX
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(("lang", "browser_locale"), LANGS)
def test_the_menu_folds_behind_a_button_that_the_keyboard_opens(page_factory, content, lang, browser_locale):
    page = page_factory(locale=browser_locale, viewport=PHONE)
    page.goto(f"{page_factory.server.url}/{lang}/")
    stations = page.locator(".main-nav").get_by_role("link", name="派出所" if lang == "zh-hans" else "Police stations")
    expect(stations).to_be_hidden()
    toggle = page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    toggle_box = box(toggle)
    assert toggle_box["y"] + toggle_box["height"] <= CONTENT_TOP_MAX
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    expect(stations).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    expect(stations).to_be_hidden()


def test_the_menu_opens_without_javascript(page_factory, content):
    page = page_factory(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    page.goto(f"{page_factory.server.url}/zh-hans/")
    stations = page.locator(".main-nav").get_by_role("link", name="派出所")
    expect(stations).to_be_hidden()
    page.locator(".menu-toggle").click()
    expect(stations).to_be_visible()
    stations.click()
    expect(page.locator("main h1")).to_have_text("派出所")


def test_the_menu_stays_open_on_a_desktop(page_factory, content):
    page = page_factory(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.goto(f"{page_factory.server.url}/zh-hans/")
    expect(page.locator(".main-nav").get_by_role("link", name="派出所")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()


@pytest.mark.parametrize(("lang", "browser_locale"), LANGS)
def test_the_chat_button_covers_no_control_on_a_phone(page_factory, content, lang, browser_locale):
    page = page_factory(locale=browser_locale, viewport=PHONE)
    page.goto(f"{page_factory.server.url}/{lang}/")
    launcher = page.locator("#chat-launcher")
    expect(launcher).to_be_visible()
    cover = box(launcher)
    assert controls_covered_by(page, cover) == []
    # Nor at the end of the page, where the footer's links are.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert controls_covered_by(page, box(launcher)) == []
