"""The chat widget in Chromium against a real server process: a Chinese question answered from
the demo FAQs with a source link that works (and the conversation follows to the next page), an
emergency answered with the numbers first, a request filed in the chat and found on the
tracking page, and a live handover to an officer who has the duty desk open in another browser."""

import re

import pytest
from playwright.sync_api import expect

from chatbot.models import Conversation
from tests.chatbot.chat_helpers import make_user
from tests.chatbot.engine_support import build_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_ANSWER = 40_000  # ms: the server process loads jieba and opens the index on first use
PASSWORD = "pw-123456"


@pytest.fixture(scope="module", autouse=True)
def static_files():
    """The admin's own CSS/JS come from STATIC_ROOT (WhiteNoise, DEBUG off): collect them."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def content():
    """Pages, the demo FAQs, the desk configuration and the search index, committed."""
    return build_content()


def open_chat(page):
    page.locator("#chat-launcher").click()
    panel = page.locator("#chat-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#chat-widget-text")).to_be_focused()
    return panel


def say(page, text):
    page.locator("#chat-widget-text").fill(text)
    page.keyboard.press("Enter")


def last_bot(page):
    return page.locator("#chat-panel .chat-msg--bot[data-seq]").last


def test_a_chinese_question_is_answered_with_a_source_that_opens(page_factory, content, output_dir):
    server = page_factory.server
    page = page_factory(locale="zh-CN")
    page.goto(server.url + "/")
    launcher = page.locator("#chat-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    panel = open_chat(page)
    expect(launcher).to_have_attribute("aria-expanded", "true")

    say(page, "护照丢了")
    expect(panel.locator(".chat-msg--citizen[data-seq]")).to_contain_text("护照丢了")
    answer = last_bot(page)
    expect(answer).to_be_visible(timeout=FIRST_ANSWER)
    source = answer.locator(".chat-sources a").first
    expect(source).to_be_visible()
    expect(answer.locator(".chat-feedback button")).to_have_count(2)
    # 👍/👎 are drawn (inline SVG, no emoji font on this machine), named for screen readers,
    # and work from the keyboard.
    helpful = answer.get_by_role("button", name="有帮助", exact=True)
    icon = helpful.locator("svg")
    expect(icon).to_be_visible()
    assert icon.bounding_box()["width"] >= 16
    assert icon.get_attribute("aria-hidden") == "true"
    expect(answer.get_by_role("button", name="没有帮助", exact=True).locator("svg")).to_be_visible()
    helpful.focus()
    page.keyboard.press("Enter")
    expect(helpful).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(output_dir / "chat-widget-answer.png"))
    href = source.get_attribute("href")
    assert href.startswith("/zh-hans/")
    source.click()
    page.wait_for_url(re.compile(re.escape(href.split("#")[0])))

    # The conversation followed to the new page: the panel is open with the transcript.
    expect(page.locator("#chat-panel")).to_be_visible()
    expect(page.locator("#chat-panel .chat-msg--citizen")).to_contain_text("护照丢了")
    # Esc closes the panel and gives the focus back to the launcher.
    page.locator("#chat-widget-text").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#chat-panel")).to_be_hidden()
    expect(page.locator("#chat-launcher")).to_be_focused()


def test_an_emergency_gets_the_numbers_first(page_factory, content, output_dir):
    page = page_factory(locale="zh-CN")
    page.goto(page_factory.server.url + "/zh-hans/")
    open_chat(page)
    say(page, "有人拿刀砍人，快来救命")
    reply = page.locator("#chat-panel .chat-msg--emergency").first
    expect(reply).to_be_visible(timeout=FIRST_ANSWER)
    # The first thing in the answer, before any text: call buttons for 110 etc.
    first_child_class = reply.evaluate("li => li.children[1].className")
    assert "chat-msg__numbers" in first_child_class
    expect(reply.locator('.chat-msg__numbers a[href="tel:110"]')).to_be_visible()
    page.screenshot(path=str(output_dir / "chat-widget-emergency.png"))
    assert Conversation.objects.get().urgent is True


def test_a_request_filed_in_the_chat_is_found_on_the_tracking_page(page_factory, content):
    page = page_factory(locale="zh-CN")
    page.goto(page_factory.server.url + "/zh-hans/")
    open_chat(page)
    say(page, "我要提交一个咨询")
    expect(last_bot(page)).to_be_visible(timeout=FIRST_ANSWER)
    answers = {
        "description": "我想咨询身份证补办需要带哪些材料，办理要多久？",
        "name": "张三",
        "phone": "13800138000",
        "phone_or_email": "13800138000",
        "contact_optional": "13800138000",
    }
    for _ in range(12):
        seen = page.locator("#chat-panel .chat-msg[data-seq]").count()
        state = Conversation.objects.get().state
        step = state.get("step")
        if state.get("flow") != "request":
            break
        choices = page.locator("#chat-panel .chat-choice:not([disabled])")
        if step == "kind":
            page.locator('.chat-choice[data-choice="kind:consultation"]:not([disabled])').click()
        elif step in ("category",):
            choices.first.click()
        elif step == "consent":
            page.locator('.chat-choice[data-choice="consent:yes"]:not([disabled])').click()
        elif step == "summary":
            page.locator('.chat-choice[data-choice="submit"]:not([disabled])').click()
        elif step in answers:
            say(page, answers[step])
        else:
            say(page, "我想提交咨询")
        expect(page.locator("#chat-panel .chat-msg[data-seq]")).not_to_have_count(seen, timeout=20_000)
        page.wait_for_timeout(300)
    text = last_bot(page).inner_text()
    reference = re.search(r"YG-\d{4}-\d{6}", text).group(0)
    code = re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}", text).group(0)
    conv = Conversation.objects.select_related("inquiry").get()
    assert conv.inquiry is not None and conv.inquiry.reference == reference and conv.inquiry.channel == "chat"

    tracking = page_factory(locale="zh-CN")
    tracking.goto(page_factory.server.url + "/zh-hans/requests/track/")
    tracking.fill("input[name=reference]", reference)
    tracking.fill("input[name=access_code]", code)
    tracking.locator("main form button[type=submit]").first.click()
    expect(tracking.locator("main")).to_contain_text(reference)
    expect(tracking.locator("main")).to_contain_text("身份证补办")


def test_a_citizen_is_handed_over_to_an_officer_with_the_desk_open(page_factory, content, output_dir):
    from desk.models import Department

    server = page_factory.server
    officer_user = make_user("duty-chat", "Duty staff")
    Department.objects.first().members.add(officer_user)

    officer = page_factory(locale="zh-CN")
    officer.goto(server.url + "/admin/login/")
    officer.fill("input[name=username]", "duty-chat")
    officer.fill("input[name=password]", PASSWORD)
    officer.locator("form button[type=submit], form input[type=submit]").first.click()
    officer.wait_for_url(re.compile(r"/admin/$"))
    officer.goto(server.url + "/admin/desk/")
    expect(officer.locator("#desk-live-status")).to_have_attribute("data-state", "live")

    citizen = page_factory(locale="zh-CN")
    citizen.goto(server.url + "/zh-hans/")
    open_chat(citizen)
    say(citizen, "我要找人工客服")
    confirm = citizen.locator('.chat-choice[data-choice="handover:yes"]')
    expect(confirm).to_be_visible(timeout=FIRST_ANSWER)
    # Before the handover the citizen is told what will be shared.
    expect(last_bot(citizen)).to_contain_text("对话的全部内容")
    confirm.click()
    expect(citizen.locator("#chat-panel .chat-msg--system").last).to_be_visible(timeout=20_000)
    conv = Conversation.objects.get()
    assert conv.status == "waiting"

    # The officer opens the live chats in a second tab (the desk tab stays open) and joins.
    chats = officer.context.new_page()
    chats.goto(server.url + "/admin/chat/")
    chats.locator(f'tr[data-conversation="{conv.public_id}"] a.button').click()
    chats.wait_for_url(re.compile(rf"/admin/chat/{conv.public_id}/$"))
    expect(chats.locator("[data-staff-log]")).to_contain_text("我要找人工客服")
    online = chats.locator("#staff-chat").get_attribute("data-l-online")
    expect(chats.locator("[data-staff-live]")).to_have_text(online, timeout=10_000)
    chats.locator("[data-staff-join]").click()
    # Citizens see the officer's role (and badge number), never the name or username.
    joined = citizen.locator("#chat-panel .chat-msg--system").last
    expect(joined).to_contain_text("值班民警已加入对话", timeout=10_000)
    expect(joined).not_to_contain_text("duty-chat")

    # Typing is shown on both sides, then the messages.
    chats.locator("[data-staff-input]").press_sequentially("您好", delay=50)
    expect(citizen.locator("[data-chat-typing]")).to_be_visible(timeout=10_000)
    chats.locator("[data-staff-input]").press("Enter")
    expect(citizen.locator("#chat-panel .chat-msg--staff")).to_contain_text("您好", timeout=10_000)
    citizen.locator("#chat-widget-text").press_sequentially("我的身份证丢了", delay=50)
    expect(chats.locator("[data-staff-typing]")).to_be_visible(timeout=10_000)
    citizen.keyboard.press("Enter")
    expect(chats.locator("[data-staff-log] .chat-msg--citizen").last).to_contain_text("我的身份证丢了", timeout=10_000)
    citizen.screenshot(path=str(output_dir / "chat-widget-live.png"))
    chats.screenshot(path=str(output_dir / "chat-admin-live.png"), full_page=True)
    chats.close()
