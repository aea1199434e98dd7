"""Journey: a citizen files a request; a duty officer sees it appear live in the queue (no
reload), opens it and replies; the citizen reads the reply on the tracking page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.desk.test_admin_support import PASSWORD, make_desk

pytestmark = pytest.mark.browser


def zh_url(name):
    with translation.override("zh-hans"):
        return reverse(name)


@pytest.fixture(scope="module", autouse=True)
def static_files():
    """The admin needs Wagtail's CSS/JS: the test server (DEBUG off, WhiteNoise) serves only
    STATIC_ROOT, which is empty in a fresh test data directory, so collect it first."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def test_citizen_request_appears_live_for_the_duty_officer_who_replies(page_factory, output_dir):
    desk = make_desk()
    server = page_factory.server

    # The officer signs in to the admin and opens the queue.
    officer = page_factory(locale="zh-CN")
    officer.goto(server.url + reverse("wagtailadmin_login"))
    officer.fill("input[name=username]", desk.duty.username)
    officer.fill("input[name=password]", PASSWORD)
    officer.locator("form button[type=submit], form input[type=submit]").first.click()
    officer.wait_for_url(re.compile(r"/admin/$"))
    officer.goto(server.url + reverse("desk_admin:queue"))
    status = officer.locator("#desk-live-status")
    expect(status).to_have_attribute("data-state", "live")
    expect(officer.locator("#desk-queue-results")).not_to_contain_text("YG-")
    officer.evaluate("window.__notReloaded = true")

    # A citizen files a request through the public form.
    citizen = page_factory(locale="zh-CN")
    citizen.goto(server.url + zh_url("desk:new"))
    citizen.check("input[name=kind][value=consultation]")
    citizen.select_option("select[name=category]", "traffic-fines")
    citizen.fill("input[name=subject]", "电子眼罚单查询")
    citizen.fill("textarea[name=description]", "我的车被拍到违停，想知道在哪里处理。")
    citizen.fill("input[name=name]", "李四")
    citizen.fill("input[name=phone]", "13700001111")
    citizen.check("input[name=consent]")
    citizen.locator("form.desk-form button[type=submit]").click()
    reference = citizen.locator("#reference").inner_text().strip()
    access_code = citizen.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"YG-\d{4}-\d{6}", reference)

    # It appears in the officer's queue without a reload.
    row = officer.locator(f'#desk-queue-results tr[data-reference="{reference}"]')
    expect(row).to_be_visible()
    assert officer.evaluate("window.__notReloaded") is True
    expect(row).to_contain_text("电子眼罚单查询")
    officer.screenshot(path=str(output_dir / "desk-queue-live.png"), full_page=True)

    # The officer opens it and replies.
    row.get_by_role("link", name=reference).click()
    expect(officer.locator("#desk-text-heading")).to_have_text("电子眼罚单查询")
    officer.fill("#id_reply-text", "您好，请携带驾驶证到交警支队窗口处理，或通过交管12123在线处理。")
    officer.locator("#desk-reply button[type=submit]:not([name])").click()
    expect(officer.locator(".desk-entry--public").last).to_contain_text("交管12123")
    officer.screenshot(path=str(output_dir / "desk-inquiry.png"), full_page=True)

    # The citizen tracks the request and reads the reply.
    citizen.goto(server.url + zh_url("desk:track"))
    citizen.fill("input[name=reference]", reference)
    citizen.fill("input[name=access_code]", access_code)
    citizen.locator("form.desk-form button[type=submit]").click()
    expect(citizen.locator("#timeline")).to_contain_text("交管12123")
    citizen.screenshot(path=str(output_dir / "desk-citizen-reply.png"), full_page=True)
