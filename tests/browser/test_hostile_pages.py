"""The hostile-input corpus shown back in Chromium: no script runs on any page that displays
stored input (citizen tracking page, the duty desk's inquiry page, the officer's live chat, the
chat widget and /chat/ page, search results). A vector that ran would open a dialog, set a flag,
or, blocked by the Content-Security-Policy, log a console error; page_factory fails on console
errors and on requests to other hosts."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from chatbot import service
from chatbot.models import Conversation
from desk import actions
from tests.desk.test_admin_support import PASSWORD, make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[1] / "data" / "naughty"
XSS = json.loads((DATA / "xss_vectors.json").read_text(encoding="utf-8"))
BLNS = json.loads((DATA / "blns.json").read_text(encoding="utf-8"))
# Every vector, and every naughty string that is markup or script.
SHOWN = XSS + [s for s in BLNS if re.search(r"[<>]|script|alert|javascript", s, re.IGNORECASE) and s not in XSS]
TRAP = (
    "window.__ran = [];"
    "for (const f of ['alert', 'prompt', 'confirm', 'print']) { window[f] = () => window.__ran.push(f); }"
)


@pytest.fixture(scope="module", autouse=True)
def static_files():
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def watch(page, seen):
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    page.add_init_script(TRAP)


def assert_nothing_ran(page, seen, where):
    assert page.evaluate("window.__ran") == [], where
    assert seen == [], where


@pytest.fixture
def hostile(transactional_db):
    """Requests and a chat full of the corpus (stored before the browser's event loop starts)."""
    desk = make_desk()
    filed = []
    for group in chunks(SHOWN, 25):
        result = actions.open_inquiry(
            kind="consultation",
            category=desk.fines,
            subject=group[0][:200],
            description="\n".join(group)[:5000],
            name=group[1][:100],
            location=group[2][:200],
            phone="13800000000",
            lang="zh-hans",
            consent=True,
        )
        actions.add_followup(result.inquiry, "\n".join(reversed(group))[:5000])
        actions.reply(desk.supervisor, result.inquiry, "\n".join(group[::2])[:5000])
        filed.append(result)
    conv = Conversation.objects.create(lang="zh-hans")
    for n, text in enumerate(SHOWN[:60]):
        service.handle_message(conv, text[:2000], f"x{n}")
    print(f"\nhostile pages: {len(SHOWN)} strings in {len(filed)} requests, 60 chat messages")
    return desk, filed, conv


def test_no_script_runs_on_the_pages_that_show_hostile_input(hostile, page_factory):
    desk, filed, conv = hostile
    server = page_factory.server
    seen = []
    # The citizen: tracking page of each request, the /chat/ page and the widget.
    citizen = page_factory(locale="zh-CN")
    watch(citizen, seen)
    for result in filed:
        citizen.goto(server.url + "/zh-hans/requests/track/")
        citizen.fill("input[name=reference]", result.inquiry.reference)
        citizen.fill("input[name=access_code]", result.access_code)
        citizen.locator("main form button[type=submit]").first.click()
        citizen.wait_for_url(re.compile(rf"/requests/track/{result.inquiry.reference}/"))
        expect(citizen.locator("main")).to_contain_text(result.inquiry.reference)
        assert_nothing_ran(citizen, seen, result.inquiry.reference)
    citizen.context.add_init_script(
        f"sessionStorage.setItem('portal.chat.token', {json.dumps(conv.token)});"
        "sessionStorage.setItem('portal.chat.open', '1');"
    )
    citizen.goto(server.url + "/zh-hans/requests/new/")
    expect(citizen.locator("#chat-panel .chat-msg[data-seq]").nth(59)).to_be_attached(timeout=20_000)
    assert_nothing_ran(citizen, seen, "widget")
    citizen.goto(server.url + "/zh-hans/chat/")  # the page without JavaScript, same session
    assert_nothing_ran(citizen, seen, "chat page")
    for text in SHOWN[:12]:
        citizen.goto(server.url + "/zh-hans/search/?q=" + quote(text))
        assert_nothing_ran(citizen, seen, f"search {text}")

    # The officer: the desk's inquiry pages and the live chat.
    officer = page_factory(locale="zh-CN")
    watch(officer, seen)
    officer.goto(server.url + "/admin/login/")
    officer.fill("input[name=username]", desk.supervisor.username)
    officer.fill("input[name=password]", PASSWORD)
    officer.locator("form button[type=submit], form input[type=submit]").first.click()
    officer.wait_for_url(re.compile(r"/admin/$"))
    officer.goto(server.url + "/admin/desk/")
    expect(officer.locator("#desk-queue-results")).to_contain_text(filed[0].inquiry.reference)
    assert_nothing_ran(officer, seen, "queue")
    for result in filed:
        officer.goto(server.url + f"/admin/desk/{result.inquiry.pk}/")
        expect(officer.locator("main")).to_contain_text(result.inquiry.reference)
        assert_nothing_ran(officer, seen, f"desk {result.inquiry.reference}")
    officer.goto(server.url + service.live_chat_url(conv))
    expect(officer.locator("main")).to_contain_text("alert")
    assert_nothing_ran(officer, seen, "live chat")
