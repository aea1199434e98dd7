"""Safety in the chat widget (issue 9 §4), in Chromium against a real server: an emergency reply
disables the buttons of earlier replies, has no 👍/👎, and pins the numbers above the
conversation until the citizen hides them with a keyboard-usable button, in both languages."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_chat import FIRST_ANSWER, open_chat, say, static_files  # noqa: F401
from tests.chatbot.engine_support import build_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content():
    return build_content()


@pytest.mark.parametrize(
    ("path", "locale", "first", "alarm", "hide"),
    [
        ("/zh-hans/", "zh-CN", "我要投诉", "救命 有人在砸我家门", "收起紧急电话"),
        ("/en/", "en-GB", "I want to file a complaint", "my dad collapsed", "Hide the emergency numbers"),
    ],
)
def test_an_emergency_reply_clears_choices_and_stays_pinned_until_hidden(
    page_factory, content, output_dir, path, locale, first, alarm, hide
):
    page = page_factory(locale=locale, viewport={"width": 390, "height": 700})
    page.goto(page_factory.server.url + path)
    panel = open_chat(page)
    say(page, first)
    earlier = panel.locator(".chat-choice")
    expect(earlier.first).to_be_enabled(timeout=FIRST_ANSWER)
    pending = earlier.count()

    say(page, alarm)
    reply = panel.locator(".chat-msg--emergency")
    expect(reply).to_be_visible(timeout=20_000)
    for i in range(pending):
        expect(earlier.nth(i)).to_be_disabled()
    expect(reply.locator(".chat-feedback")).to_have_count(0)

    banner = panel.locator("[data-chat-alert]")
    expect(banner).to_be_visible()
    expect(banner.locator('a[href="tel:110"]')).to_be_visible()
    # More conversation scrolls the log, not the banner: it stays in view.
    for text in ("?", "??", "???"):
        say(page, text)
    expect(panel.locator(".chat-msg--citizen[data-seq]")).to_have_count(5, timeout=20_000)
    expect(banner).to_be_in_viewport()
    page.screenshot(path=str(output_dir / f"chat-emergency-pinned-{locale}.png"))

    button = banner.get_by_role("button", name=hide, exact=True)
    button.focus()
    page.keyboard.press("Enter")
    expect(banner).to_be_hidden()
    expect(page.locator("#chat-widget-text")).to_be_focused()
    # Hidden stays hidden on the next page; the reply itself is still in the transcript.
    page.reload()
    expect(panel.locator(".chat-msg--emergency")).to_be_visible(timeout=20_000)
    expect(banner).to_be_hidden()
