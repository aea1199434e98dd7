"""Receipts anyone can verify (电子签章, desk.receipts): every receipt carries the bureau's Ed25519
signature over reference, kind, department and filing time; the API and the public /verify/ page
check it; a changed character is invalid; rotated keys keep old receipts valid. Links in receipts
use the portal's public address (PORTAL_BASE_URL, else the request's host), not 127.0.0.1:8000."""

import base64
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from desk import actions, notifications, receipts
from desk.models import Inquiry
from tests.chatbot import engine_support
from tests.desk.forms import form_token

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "consultation",
    "category": "id-card",
    "subject": "补办身份证",
    "description": "身份证丢了怎么办？需要带什么材料？",
    "name": "张三",
    "phone": "13800000000",
    "email": "zhang@example.com",
    "lang": "zh-hans",
    "consent": True,
}
PERSONAL = ("张三", "13800000000", "zhang@example.com", "补办身份证", "身份证丢了")


chat_content = pytest.fixture(scope="module")(engine_support.content_fixture)


@pytest.fixture(autouse=True)
def sms_outbox():
    notifications.sms_outbox.clear()
    yield notifications.sms_outbox
    notifications.sms_outbox.clear()


@pytest.fixture
def keys(tmp_path):
    """A key directory of this test's own (rotation tests change it)."""
    key_file = tmp_path / "signing" / "key.pem"
    old_dir = tmp_path / "signing" / "previous"
    with override_settings(PORTAL_SIGNING_KEY_FILE=str(key_file), PORTAL_SIGNING_OLD_KEYS_DIR=str(old_dir)):
        yield key_file, old_dir


def file_api(client, **extra):
    return client.post("/api/inquiries", json.dumps(BODY), content_type="application/json", **extra)


def flip(text, index):
    """`text` with the character at `index` changed to another one of the same alphabet."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    if text[index].isdigit() and text.startswith("YG-"):
        replacement = str((int(text[index]) + 1) % 10)
    else:
        replacement = alphabet[(alphabet.index(text[index]) + 1) % len(alphabet)]
    return text[:index] + replacement + text[index + 1 :]


def test_the_api_answers_a_receipt_that_the_verify_api_accepts(client, desk_config, keys):
    response = file_api(client)
    assert response.status_code == 201
    data = response.json()
    signature = data["receipt"]["signature"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{91}", signature), "URL-safe base64 without padding"
    assert data["receipt"]["verify_url"].startswith("http://testserver/zh-hans/verify/?ref=")
    assert f"sig={signature}" in data["receipt"]["verify_url"]

    check = client.get("/api/receipts/verify", {"ref": data["reference"], "sig": signature})
    assert check.status_code == 200
    inquiry = Inquiry.objects.get(reference=data["reference"])
    assert check.json() == {
        "valid": True,
        "reference": inquiry.reference,
        "kind": "consultation",
        "department": inquiry.department.slug,
        "filed_at": check.json()["filed_at"],
    }
    assert "+08:00" in check.json()["filed_at"]
    assert not any(value in check.content.decode() for value in PERSONAL), "no personal data"


def test_a_changed_character_in_the_reference_or_the_signature_is_invalid(client, file_inquiry, keys):
    first = file_inquiry().inquiry
    second = file_inquiry().inquiry
    signature = receipts.sign(first)
    assert receipts.verify(first.reference, signature)["valid"] is True
    for index in range(len(signature)):
        assert receipts.verify(first.reference, flip(signature, index)) == {"valid": False}, index
    for index in range(3, len(first.reference)):
        if first.reference[index].isdigit():
            assert receipts.verify(flip(first.reference, index), signature) == {"valid": False}, index
    assert receipts.verify(second.reference, signature) == {"valid": False}, "another request's reference"
    assert receipts.verify(first.reference, receipts.sign(second)) == {"valid": False}
    for bad in ("", signature[:-1], signature + "A", signature + "=", signature.lower(), "x" * 91):
        assert receipts.verify(first.reference, bad) == {"valid": False}
    assert client.get("/api/receipts/verify", {"ref": first.reference, "sig": flip(signature, 40)}).json() == {
        "valid": False
    }
    assert client.get("/api/receipts/verify", {"ref": "", "sig": ""}).status_code == 200


def test_the_signature_covers_reference_kind_department_and_filing_time_with_the_published_key(file_inquiry, keys):
    """Anyone with the bureau's public key checks a receipt without the portal."""
    inquiry = file_inquiry().inquiry
    raw = base64.urlsafe_b64decode(receipts.sign(inquiry) + "=")
    public_pem = receipts.public_pem(receipts.signing_key())
    public_key = serialization.load_pem_public_key(public_pem)
    filed = inquiry.created_at.astimezone(__import__("datetime").UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    signed = f"sunshine-receipt-v1\n{inquiry.reference}\n{inquiry.kind}\n{inquiry.department.slug}\n{filed}"
    public_key.verify(raw[:64], signed.encode())  # raises when it does not match
    assert raw[64:] == receipts.key_id(public_key)


def test_a_transfer_later_does_not_invalidate_the_receipt(file_inquiry, supervisor, departments, keys):
    inquiry = file_inquiry().inquiry
    signature = receipts.sign(inquiry)
    filed_with = inquiry.department.slug
    target = next(d for slug, d in departments.items() if slug not in (filed_with, "supervision"))
    actions.transfer(supervisor, inquiry, target, "转交")
    result = receipts.verify(inquiry.reference, signature)
    assert result["valid"] is True and result["department"] == filed_with


def test_key_rotation_keeps_old_receipts_verifiable(file_inquiry, keys):
    key_file, old_dir = keys
    inquiry = file_inquiry().inquiry
    old_signature = receipts.sign(inquiry)
    old_key = receipts.signing_key()

    # Rotation as docs/deployment.md describes it: keep the old public key, put a new key in place.
    old_dir.mkdir(parents=True)
    (old_dir / "2026.pem").write_bytes(receipts.public_pem(old_key))
    key_file.unlink()
    receipts.generate_key_file(key_file)

    new_signature = receipts.sign(inquiry)
    assert new_signature != old_signature
    assert new_signature[-6:] != old_signature[-6:], "another key id"
    assert receipts.verify(inquiry.reference, old_signature)["valid"] is True
    assert receipts.verify(inquiry.reference, new_signature)["valid"] is True
    newer = file_inquiry().inquiry
    assert receipts.verify(newer.reference, receipts.sign(newer))["valid"] is True

    (old_dir / "2026.pem").unlink()  # a key that is no longer kept: its receipts no longer verify
    assert receipts.verify(inquiry.reference, old_signature) == {"valid": False}


def test_a_missing_key_file_is_an_error_where_generating_is_off(tmp_path, file_inquiry, keys):
    from django.core.exceptions import ImproperlyConfigured

    inquiry = file_inquiry().inquiry
    with (
        override_settings(PORTAL_SIGNING_KEY_FILE=str(tmp_path / "none.pem"), PORTAL_SIGNING_KEY_GENERATE=False),
        pytest.raises(ImproperlyConfigured),
    ):
        receipts.sign(inquiry)


@pytest.mark.parametrize(
    ("lang", "genuine", "not_valid"), [("zh-hans", "真实有效", "无效"), ("en", "Genuine", "Not valid")]
)
def test_the_public_verify_page_checks_a_receipt_in_both_languages(
    client, file_inquiry, keys, lang, genuine, not_valid
):
    inquiry = file_inquiry().inquiry
    signature = receipts.sign(inquiry)
    page = client.get(f"/{lang}/verify/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'method="get"' in html
        and 'name="ref"' in html
        and 'name="sig"' in html
        and "<script" not in html.split("<main")[1].split("</main>")[0]
    )

    good = client.get(f"/{lang}/verify/", {"ref": inquiry.reference, "sig": signature}).content.decode()
    name = inquiry.department.name_zh if lang == "zh-hans" else inquiry.department.name_en
    assert genuine in good and name in good
    assert inquiry.reference in good and receipts.short_code(signature) in good
    assert not any(value in good for value in PERSONAL)

    bad = client.get(f"/{lang}/verify/", {"ref": inquiry.reference, "sig": flip(signature, 10)}).content.decode()
    assert not_valid in bad and genuine not in bad


def test_the_confirmation_page_and_the_printable_receipt_carry_the_seal(client, desk_config, keys):
    with translation.override("zh-hans"):
        new, done_url = reverse("desk:new"), reverse("desk:done")
    data = {**BODY, "consent": "on", "form_token": form_token(client, new)}
    response = client.post(new, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    done = client.get(done_url).content.decode()
    inquiry = Inquiry.objects.get()
    signature = receipts.sign(inquiry)
    assert receipts.short_code(signature) in done
    assert "<svg" in done and 'class="receipt-qr"' in done, "a QR code drawn on the server"
    assert f"http://testserver/zh-hans/verify/?ref={inquiry.reference}&amp;sig={signature}" in done

    with translation.override("zh-hans"):
        receipt_url = reverse("desk:receipt", args=[inquiry.reference])
    assert receipt_url in done
    printable = client.get(receipt_url)
    assert printable.status_code == 200
    html = printable.content.decode()
    assert inquiry.reference in html and signature in html and "<svg" in html
    assert inquiry.department.name_zh in html

    other = client.__class__()
    assert other.get(receipt_url).status_code == 302, "only this browser"


def test_the_receipt_e_mail_and_sms_carry_the_check_link(file_inquiry, keys, sms_outbox):
    from desk.delivery import deliver_due

    inquiry = file_inquiry().inquiry
    deliver_due()
    signature = receipts.sign(inquiry)
    verify = receipts.verify_url(inquiry.reference, signature, "zh-hans")
    assert any(verify in message.body and receipts.short_code(signature) in message.body for message in mail.outbox)
    assert any(verify in sms["text"] for sms in sms_outbox)


@override_settings(
    PORTAL_BASE_URL="https://portal.example.gov.cn", ALLOWED_HOSTS=["portal.example.gov.cn", "testserver"]
)
def test_links_in_receipts_use_the_public_base_url(client, desk_config, keys, sms_outbox):
    from desk.delivery import deliver_due

    data = file_api(client).json()
    assert data["track_url"].startswith("https://portal.example.gov.cn/zh-hans/requests/track/?reference=")
    assert data["receipt"]["verify_url"].startswith("https://portal.example.gov.cn/zh-hans/verify/?ref=")
    deliver_due()
    texts = [m.body for m in mail.outbox] + [s["text"] for s in sms_outbox]
    assert texts and all("https://portal.example.gov.cn/zh-hans/" in text for text in texts)
    assert not any("127.0.0.1" in text for text in texts)


@override_settings(ALLOWED_HOSTS=["portal.example.test", "testserver"], WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_without_a_base_url_links_use_the_address_the_citizen_used(client, desk_config, keys, sms_outbox):
    from desk.delivery import deliver_due

    data = file_api(client, HTTP_HOST="portal.example.test").json()
    assert data["track_url"].startswith("http://portal.example.test/zh-hans/requests/track/")
    assert data["receipt"]["verify_url"].startswith("http://portal.example.test/zh-hans/verify/")
    deliver_due()
    texts = [m.body for m in mail.outbox] + [s["text"] for s in sms_outbox]
    assert texts and not any("127.0.0.1" in text for text in texts)
    assert all("http://portal.example.test/" in text for text in texts)
    refused = file_api(client, HTTP_HOST="evil.example.com")
    assert refused.status_code == 400, "a host outside ALLOWED_HOSTS never makes it into a link"


def test_a_base_url_outside_allowed_hosts_fails_the_system_check():
    with override_settings(PORTAL_BASE_URL="https://elsewhere.example.com"):
        errors = receipts.check_base_url()
    assert [e.id for e in errors] == ["desk.E001"]
    assert receipts.check_base_url() == []


def test_the_chat_receipt_links_to_tracking_and_to_the_check(chat_content, keys):
    from tests.chatbot.conversation import Chat, choice_ids

    chat = Chat(page_lang="en")
    kinds = chat.say("I want to file a request")
    chat.say(str(choice_ids(kinds).index("kind:tip") + 1))
    chat.say(str(choice_ids(chat.results[-1]).index("cat:drugs-gambling") + 1))
    chat.say("There is a gambling den behind the market on Spring Road, open every night.")
    chat.say("skip")
    chat.say("yes")
    done = chat.say("submit")
    inquiry = Inquiry.objects.get(channel="chat")
    links = [link for reply in done.replies for link in reply.links]
    urls = [link["url"] for link in links]
    assert f"/en/requests/track/?reference={inquiry.reference}" in urls
    verify = next(url for url in urls if url.startswith("/en/verify/"))
    ref = re.search(r"ref=([^&]+)", verify).group(1)
    sig = re.search(r"sig=([^&]+)", verify).group(1)
    assert receipts.verify(ref, sig)["valid"] is True
    assert any("Track" in link["label"] for link in links)


def test_the_development_key_is_generated_private(tmp_path):
    path = receipts.generate_key_file(tmp_path / "k" / "key.pem")
    assert Path(path).stat().st_mode & 0o077 == 0
    assert b"PRIVATE KEY" in Path(path).read_bytes()


def test_the_seal_code_is_the_signature_start_in_groups_of_four(file_inquiry, keys):
    """Grouped with spaces: "-" is one of the signature's own characters."""
    signature = receipts.sign(file_inquiry().inquiry)
    code = receipts.short_code(signature)
    assert re.fullmatch(r"\S{4} \S{4} \S{4} \S{4}", code)
    assert code.replace(" ", "") == signature[:16]
