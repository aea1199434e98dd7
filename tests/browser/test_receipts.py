"""Journey: a citizen files a request and gets a receipt with the bureau's electronic seal (seal
code, QR code); someone else checks it on the public verify page at phone width with JavaScript
off; a receipt with one changed character is reported as not valid."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_receipt_is_checked_on_the_verify_page(page_factory, output_dir):
    from desk import demo

    demo.seed_configuration()
    server = page_factory.server

    citizen = page_factory(locale="zh-CN")
    citizen.goto(server.url + "/zh-hans/requests/new/")
    citizen.check("input[name=kind][value=consultation]")
    citizen.select_option("select[name=category]", "id-card")
    citizen.fill("input[name=subject]", "补办身份证")
    citizen.fill("textarea[name=description]", "身份证丢了，需要带什么材料补办？")
    citizen.fill("input[name=phone]", "13700001111")
    citizen.check("input[name=consent]")
    citizen.locator("form.desk-form button[type=submit]").click()
    reference = citizen.locator("#reference").inner_text().strip()
    seal_code = citizen.locator("#seal-code").inner_text().strip()
    signature = citizen.locator("#seal-signature").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{4}( [A-Za-z0-9_-]{4}){3}", seal_code)
    assert signature.startswith(seal_code.replace(" ", ""))
    expect(citizen.locator(".desk-seal svg.receipt-qr")).to_be_visible()
    verify_url = citizen.locator("#seal-verify").get_attribute("href")
    assert verify_url.startswith(server.url + "/zh-hans/verify/?ref=" + reference)
    citizen.screenshot(path=str(output_dir / "receipt-confirmation.png"), full_page=True)

    # Someone the citizen shows the receipt to checks it on a phone, without JavaScript.
    checker = page_factory(locale="en-US", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    checker.goto(verify_url.replace("/zh-hans/", "/en/"))
    expect(checker.locator("#verify-result")).to_contain_text("Genuine")
    expect(checker.locator("#verify-result")).to_contain_text(reference)
    expect(checker.locator("#verify-result")).not_to_contain_text("13700001111")
    checker.screenshot(path=str(output_dir / "receipt-verify-phone.png"), full_page=True)

    # One character changed in the signature: not valid.
    changed = signature[:20] + ("B" if signature[20] != "B" else "C") + signature[21:]
    checker.fill("#verify-sig", changed)
    checker.locator("form.desk-form button[type=submit]").click()
    expect(checker.locator("#verify-result")).to_contain_text("Not valid")

    # The printable receipt, from the citizen's browser.
    citizen.goto(server.url + f"/zh-hans/requests/track/{reference}/receipt/")
    expect(citizen.locator("h1")).to_contain_text(reference)
    expect(citizen.locator("#seal-code")).to_have_text(seal_code)
