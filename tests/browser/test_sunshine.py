"""Journey (好差评): a citizen rates a closed request 非常不满意 → the department's supervisor sees
the follow-up task in the admin → records the call-back and the fix → the citizen's tracking
page shows what was done, and the public numbers count the follow-up. In both languages."""

import re

import pytest
from playwright.sync_api import expect

from tests.desk.test_admin_support import PASSWORD, _group, _user, make_desk

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def static_files():
    """The admin needs Wagtail's CSS/JS (see tests/browser/test_desk.py)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _closed(desk, lang):
    from desk import actions

    result = actions.open_inquiry(
        kind="consultation",
        category="traffic-fines",
        subject="罚单处理" if lang == "zh-hans" else "Paying a fine",
        description="我想知道罚单在哪里处理。" if lang == "zh-hans" else "Where do I pay a parking fine?",
        name="陈七",
        phone="13600001111",
        lang=lang,
        consent=True,
    )
    actions.claim(desk.duty, result.inquiry)
    actions.close(desk.duty, result.inquiry, "已答复" if lang == "zh-hans" else "Answered")
    return result


@pytest.mark.parametrize(
    ("lang", "locale", "level", "followed_up", "fix"),
    [
        ("zh-hans", "zh-CN", "非常不满意", "已回访", "已约谈窗口民警，并在网站公布了罚单办理指南。"),
        (
            "en",
            "en-GB",
            "Very dissatisfied",
            "Followed up",
            "We spoke to the officer and published a guide to paying fines.",
        ),
    ],
)
def test_bad_rating_is_followed_up_and_shown(page_factory, output_dir, lang, locale, level, followed_up, fix):
    from desk import actions
    from desk.choices import GROUP_DUTY

    desk = make_desk()
    lead = _user("lead_traffic", _group(GROUP_DUTY), [desk.traffic])
    desk.traffic.supervisors.add(lead)
    # Four earlier bad ratings, already followed up: with the citizen's, five (the threshold).
    for _ in range(4):
        earlier = _closed(desk, lang).inquiry
        actions.rate_inquiry(earlier, 1)
        actions.record_follow_up(lead, earlier.follow_up, fix="已整改")
    mine = _closed(desk, lang)
    server = page_factory.server

    # The citizen tracks the closed request and rates it "very dissatisfied".
    citizen = page_factory(locale=locale)
    citizen.goto(f"{server.url}/{lang}/requests/track/")
    citizen.fill("input[name=reference]", mine.inquiry.reference)
    citizen.fill("input[name=access_code]", mine.access_code)
    citizen.locator("form.desk-form button[type=submit]").click()
    rating_form = citizen.locator("form[action$='/rate/']")
    rating_form.get_by_label(level, exact=True).check()
    rating_form.locator("button[type=submit]").click()
    expect(citizen.locator("#rating-result")).to_contain_text(level)
    expect(citizen.locator("#follow-up")).to_be_visible()

    # The department's supervisor sees the task and records the call-back and the fix.
    officer = page_factory(locale=locale)
    officer.goto(server.url + "/admin/login/")
    officer.fill("input[name=username]", lead.username)
    officer.fill("input[name=password]", PASSWORD)
    officer.locator("form button[type=submit], form input[type=submit]").first.click()
    officer.wait_for_url(re.compile(r"/admin/$"))
    officer.goto(server.url + "/admin/sunshine/follow-ups/")
    row = officer.locator(f'#open-follow-ups tr[data-reference="{mine.inquiry.reference}"]')
    expect(row).to_be_visible()
    row.get_by_role("link", name=mine.inquiry.reference).click()
    officer.fill("textarea[name=call_note]", "电话回访，市民表示理解。")
    officer.fill("textarea[name=fix]", fix)
    officer.locator("#record-follow-up").click()
    expect(officer.locator(f'#done-follow-ups tr[data-reference="{mine.inquiry.reference}"]')).to_be_visible()
    officer.screenshot(path=str(output_dir / f"sunshine-follow-ups-{lang}.png"), full_page=True)

    # The citizen's tracking page shows that it was followed up and what was done.
    citizen.reload()
    expect(citizen.locator("#follow-up")).to_contain_text(followed_up)
    expect(citizen.locator("#follow-up")).to_contain_text(fix)
    expect(citizen.locator("body")).not_to_contain_text("市民表示理解")  # the call notes stay internal
    citizen.screenshot(path=str(output_dir / f"sunshine-tracking-{lang}.png"), full_page=True)

    # The public numbers (linked from every page's footer) count the five followed-up bad ratings.
    citizen.locator("footer").get_by_role("link", name=re.compile("服务数据公开|Our service in numbers")).click()
    expect(citizen.locator("#total-followed-up")).to_have_text("5")
    expect(citizen.locator("#kpi-followed-up")).to_contain_text("5 / 5")
    expect(citizen.locator("#chart-volume")).to_have_attribute("role", "img")
    citizen.screenshot(path=str(output_dir / f"sunshine-numbers-{lang}.png"), full_page=True)
