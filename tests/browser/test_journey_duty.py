"""Journey: a duty officer, in each admin language, takes a citizen's request from the queue,
replies, and the citizen reads the reply. Staff see the officer's name family name first
("王强", not "强 王") and never a username in the timeline; status badges stay whole (issue 10
items 12 and 13; the live-queue walk in Chinese is tests/browser/test_desk.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.desk.test_admin_support import PASSWORD, file_request, make_desk

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def static_files():
    """The admin needs Wagtail's CSS/JS collected (see tests/browser/test_desk.py)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


CASES = {
    "zh-hans": {"locale": "zh-CN", "reply": "您好，请携带驾驶证到交警支队窗口处理。", "no": ["强 王", "不办公"]},
    "en": {
        "locale": "en-GB",
        "reply": "Hello, please bring your driving licence to the traffic police counter.",
        "no": ["强 王"],
    },
}


@pytest.mark.parametrize("language", list(CASES))
def test_duty_officer_claims_and_replies_and_the_citizen_reads_it(page_factory, language, output_dir):
    from wagtail.users.models import UserProfile

    case = CASES[language]
    desk = make_desk()
    desk.duty.first_name, desk.duty.last_name = "强", "王"
    desk.duty.save()
    profile = UserProfile.get_for_user(desk.duty)
    profile.preferred_language = language
    profile.save()
    filed = file_request(subject="电子眼罚单查询", lang=language)
    server = page_factory.server

    officer = page_factory(locale=case["locale"])
    officer.goto(server.url + "/admin/login/")
    officer.fill("input[name=username]", desk.duty.username)
    officer.fill("input[name=password]", PASSWORD)
    officer.locator("form button[type=submit], form input[type=submit]").first.click()
    officer.wait_for_url(re.compile(r"/admin/$"))
    officer.goto(server.url + "/admin/desk/")
    expect(officer.locator("html")).to_have_attribute("lang", language)
    row = officer.locator(f'#desk-queue-results tr[data-reference="{filed.inquiry.reference}"]')
    expect(row).to_be_visible()
    badge = row.locator(".desk-status")
    assert badge.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
    row.get_by_role("link", name=filed.inquiry.reference).click()

    officer.locator("form:has(input[name=action][value=claim]) button[type=submit]").click()
    timeline = officer.locator(".desk-timeline")
    expect(timeline).to_contain_text("王强")
    expect(timeline).not_to_contain_text(desk.duty.username)
    for wrong in case["no"]:
        expect(officer.locator("main, #main, body").first).not_to_contain_text(wrong)

    officer.fill("#id_reply-text", case["reply"])
    officer.locator("#desk-reply button[type=submit]:not([name])").click()
    expect(officer.locator(".desk-entry--public").last).to_contain_text(case["reply"][:20])
    officer.screenshot(path=str(output_dir / f"journey-duty-{language}.png"), full_page=True)

    citizen = page_factory(locale=case["locale"])
    citizen.goto(f"{server.url}/{language}/requests/track/")
    citizen.fill("input[name=reference]", filed.inquiry.reference)
    citizen.fill("input[name=access_code]", filed.access_code)
    citizen.locator("form.desk-form button[type=submit]").click()
    expect(citizen.locator("#timeline")).to_contain_text(case["reply"][:20])
    expect(citizen.locator("body")).not_to_contain_text("王强")
