"""Journey: a citizen files a request with the form, in Chinese at desktop width and in English
at phone width. A too-short description and the phone number "12345" are refused: the error
summary at the top lists both with links and takes the focus; a link moves the focus to its
field; nothing typed is lost; corrected, the request is filed and found with the tracking form
(issue 10 item 9)."""

import re

import pytest
from playwright.sync_api import expect

from tests.desk.test_admin_support import make_desk

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CASES = {
    "zh-hans": {
        "locale": "zh-CN",
        "viewport": DESKTOP,
        "subject": "电子眼罚单查询",
        "name": "李四",
        "description": "我的车被拍到违停，想知道在哪里处理。",
        "summary": "请更正以下问题",
    },
    "en": {
        "locale": "en-GB",
        "viewport": PHONE,
        "subject": "Speed camera fine",
        "name": "Alex Chen",
        "description": "My car was photographed parking; where do I deal with the fine?",
        "summary": "There is a problem",
    },
}


@pytest.mark.parametrize("lang", list(CASES))
def test_citizen_corrects_the_form_from_the_error_summary_and_files(page_factory, lang, output_dir):
    case = CASES[lang]
    make_desk()
    server = page_factory.server
    # The refused form is answered 400 (and Chromium logs that); nothing else may log an error.
    page_factory.expect_console_error("status of 400 (Bad Request)")
    citizen = page_factory(locale=case["locale"], viewport=case["viewport"])
    citizen.goto(f"{server.url}/{lang}/requests/new/")
    citizen.check("input[name=kind][value=consultation]")
    citizen.select_option("select[name=category]", "traffic-fines")
    citizen.fill("input[name=subject]", case["subject"])
    citizen.fill("textarea[name=description]", "短" if lang == "zh-hans" else "Fine?")
    citizen.fill("input[name=name]", case["name"])
    citizen.fill("input[name=phone]", "12345")
    citizen.check("input[name=consent]")
    citizen.locator("form.desk-form button[type=submit]").click()

    summary = citizen.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(case["summary"])
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < case["viewport"]["height"], "the summary is on the first screen"
    links = summary.locator("a")
    expect(links).to_have_count(2)
    assert {links.nth(i).get_attribute("href") for i in range(2)} == {"#id_description", "#id_phone"}
    # Nothing typed is lost.
    expect(citizen.locator("input[name=subject]")).to_have_value(case["subject"])
    expect(citizen.locator("input[name=phone]")).to_have_value("12345")
    expect(citizen.locator("input[name=consent]")).to_be_checked()
    citizen.screenshot(path=str(output_dir / f"journey-citizen-errors-{lang}.png"), full_page=False)

    summary.locator('a[href="#id_phone"]').click()
    expect(citizen.locator("#id_phone")).to_be_focused()
    citizen.fill("#id_phone", "13700001111")
    citizen.fill("#id_description", case["description"])
    citizen.locator("form.desk-form button[type=submit]").click()

    reference = citizen.locator("#reference").inner_text().strip()
    access_code = citizen.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"YG-\d{4}-\d{6}", reference)
    citizen.goto(f"{server.url}/{lang}/requests/track/")
    citizen.fill("input[name=reference]", reference)
    citizen.fill("input[name=access_code]", access_code)
    citizen.locator("form.desk-form button[type=submit]").click()
    expect(citizen.locator("h1, h2").first).to_be_visible()
    expect(citizen.get_by_text(case["subject"]).first).to_be_visible()
