"""The contract of chatbot.engine.gateway.DeskGateway: the same checks against the real desk
(desk.chat_gateway over desk.actions and the database) and the in-memory desk the engine's
tests use (memory_desk.py), so that the two cannot drift apart."""

import datetime
import re

import pytest
from django.utils import timezone

from chatbot.engine.gateway import DeskGateway, Filed, RequestInvalid, Tracked
from desk.models import REFERENCE_RE

from .chat_helpers import make_user
from .memory_desk import MemoryDesk

ADDRESS = "203.0.113.50"


class RealSide:
    """The real desk, seeded with the demo configuration (the in-memory desk's default)."""

    def __init__(self):
        from desk import demo
        from desk.chat_gateway import DeskGateway as RealDeskGateway

        demo.seed_configuration()
        self.gateway = RealDeskGateway(client_address=ADDRESS)
        self.anonymous = RealDeskGateway()
        self.staff = make_user("contract-sup", "Supervisors")

    def _inquiry(self, reference):
        from desk.models import Inquiry

        return Inquiry.objects.get(reference=reference)

    def reply(self, reference, text):
        from desk import actions

        actions.reply(self.staff, self._inquiry(reference), text)

    def close(self, reference, text):
        from desk import actions

        actions.close(self.staff, self._inquiry(reference), text)

    def rate(self, reference):
        from desk import actions

        actions.rate_inquiry(self._inquiry(reference), 5)


class MemorySide:
    def __init__(self):
        desk = MemoryDesk()
        self.gateway = desk.for_address(ADDRESS)
        self.anonymous = desk
        self.desk = desk

    def reply(self, reference, text):
        self.desk.reply(reference, text)

    def close(self, reference, text):
        self.desk.close(reference, text)

    def rate(self, reference):
        self.desk.rate(reference)


@pytest.fixture(params=["real", "memory"])
def side(request, db, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_track": (3, 600)}
    from django.core.cache import cache

    cache.clear()  # the real desk's budgets live in the cache
    return RealSide() if request.param == "real" else MemorySide()


GOOD = {
    "kind": "complaint",
    "category": "public-order",
    "subject": "楼下烧烤店噪音",
    "description": "楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。",
    "name": "王小明",
    "phone": "13800001234",
    "email": "",
    "lang": "zh-hans",
    "consent": True,
}
_keys = iter(range(1_000_000))


def file(side, **changes):
    """File GOOD with `changes`; a new idempotency key unless one is given."""
    return side.gateway.open_request(**{**GOOD, "idempotency_key": f"contract-{next(_keys)}", **changes})


def test_it_is_a_desk_gateway(side):
    assert isinstance(side.gateway, DeskGateway)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_options_offer_every_kind_with_its_contact_rule_and_fitting_categories(side, lang):
    options = side.gateway.options(lang)
    kinds = {k["slug"]: k for k in options["kinds"]}
    assert set(kinds) == {"consultation", "complaint", "tip", "service", "suggestion"}
    assert kinds["complaint"]["contact"] == {"required": ["name", "phone"], "one_of": []}
    assert kinds["consultation"]["contact"] == {"required": [], "one_of": ["phone", "email"]}
    slugs = [c["slug"] for c in options["categories"]]
    assert "public-order" in slugs and "id-card" in slugs
    for kind in kinds.values():
        assert set(kind["categories"]) <= set(slugs) and kind["categories"]
    names = {c["slug"]: c["name"] for c in options["categories"]}
    assert names["id-card"] == ("居民身份证" if lang == "zh-hans" else "Resident ID card")
    assert kinds["complaint"]["name"] == ("投诉" if lang == "zh-hans" else "Complaint")


def test_the_same_phone_and_description_rules(side):
    gateway = side.gateway
    for phone in ("13800001234", "+86 138 0000 1234", "010-12345678"):
        assert gateway.valid_phone(phone), phone
    for phone in ("12", "12345", "phone", "", "1380000123456789012"):
        assert not gateway.valid_phone(phone), phone
    assert gateway.description_too_short("太吵了")
    assert gateway.description_too_short("   ")
    assert not gateway.description_too_short("楼下烧烤店每天营业到凌晨三点。")


def test_a_valid_request_is_filed_and_can_be_looked_up(side):
    filed = file(side)
    assert isinstance(filed, Filed)
    assert REFERENCE_RE.match(filed.reference)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}", filed.access_code)
    assert filed.due_at > timezone.now() + datetime.timedelta(days=5)
    assert filed.receipt_code and filed.receipt_url.startswith("/zh-hans/")
    found = side.gateway.look_up(filed.reference, filed.access_code, "zh-hans")
    assert isinstance(found, Tracked)
    assert (found.reference, found.status, found.latest_reply, found.rate_url) == (filed.reference, "new", None, "")
    assert found.status_label == "新提交" or found.status_label  # localised label
    english = side.gateway.look_up(filed.reference, filed.access_code, "en")
    assert english.status_label == "New"
    second = file(side)
    assert second.reference != filed.reference


def test_the_code_is_read_however_it_is_typed(side):
    filed = file(side)
    code = filed.access_code
    typed = f" {code[:5].lower()}-{code[5:]} "
    assert side.gateway.look_up(filed.reference.lower(), typed, "zh-hans") is not None


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kind": "parking"}, {"kind"}),
        ({"category": "no-such-category"}, {"category"}),
        ({"kind": "suggestion", "category": "drugs-gambling"}, {"category"}),
        ({"name": ""}, {"name"}),
        ({"phone": ""}, {"phone"}),
        ({"phone": "12345"}, {"phone"}),
        ({"description": "太吵了"}, {"description"}),
        ({"consent": False}, {"consent"}),
        ({"kind": "consultation", "category": "id-card", "phone": "", "name": ""}, {"phone", "email"}),
        ({"kind": "consultation", "category": "id-card", "phone": "", "email": "not-an-address"}, {"email"}),
        ({"email": "not-an-address"}, {"email"}),
        ({"subject": ""}, {"subject"}),
        ({"idempotency_key": ""}, {"idempotency_key"}),
    ],
)
def test_the_same_requests_are_refused_for_the_same_fields(side, changes, fields):
    with pytest.raises(RequestInvalid) as refused:
        file(side, **changes)
    assert set(refused.value.errors) == fields
    assert all(refused.value.errors[field] for field in fields)


def test_an_anonymous_tip_and_an_e_mail_only_consultation_are_accepted(side):
    tip = file(side, kind="tip", category="drugs-gambling", name="", phone="")
    consultation = file(side, kind="consultation", category="id-card", phone="", email="mum@example.com")
    assert tip.reference != consultation.reference


def test_the_same_idempotency_key_files_once(side):
    first = file(side, idempotency_key="chat-abc-0")
    again = file(side, idempotency_key="chat-abc-0")
    assert (again.reference, again.access_code) == (first.reference, first.access_code)
    other = file(side, idempotency_key="chat-abc-1")
    assert other.reference != first.reference


def test_a_wrong_code_or_an_unknown_reference_finds_nothing(side):
    filed = file(side)
    assert side.gateway.look_up(filed.reference, "AAAAABBBBB", "zh-hans") is None
    assert side.gateway.look_up("YG-2026-999999", filed.access_code, "zh-hans") is None
    assert side.gateway.look_up("not a reference", filed.access_code, "zh-hans") is None
    assert side.gateway.look_up(filed.reference, "", "zh-hans") is None


def test_the_latest_public_reply_and_the_rating_link(side):
    filed = file(side)
    side.reply(filed.reference, "已联系城管部门处理，请留意。")
    found = side.gateway.look_up(filed.reference, filed.access_code, "zh-hans")
    assert found.status == "replied" and found.latest_reply["text"] == "已联系城管部门处理，请留意。"
    assert found.rate_url == ""
    side.close(filed.reference, "已处理完毕，店铺已整改。")
    closed = side.gateway.look_up(filed.reference, filed.access_code, "zh-hans")
    # the closing reason is not a reply: the latest reply stays the last one written
    assert closed.status == "closed" and closed.latest_reply["text"] == "已联系城管部门处理，请留意。"
    assert closed.rate_url.startswith("/zh-hans/")
    side.rate(filed.reference)
    assert side.gateway.look_up(filed.reference, filed.access_code, "zh-hans").rate_url == ""


def test_wrong_codes_use_up_the_addresss_budget(side):
    """Three wrong codes (the budget set above) and the address must wait; the right code is not
    charged; a gateway without an address is never charged nor told to wait."""
    filed = file(side)
    gateway = side.gateway
    assert gateway.track_wait() == 0
    assert gateway.look_up(filed.reference, filed.access_code, "zh-hans") is not None
    for _ in range(2):
        gateway.look_up(filed.reference, "AAAAABBBBB", "zh-hans")
    assert gateway.track_wait() == 0
    gateway.look_up(filed.reference, "AAAAABBBBB", "zh-hans")
    assert 0 < gateway.track_wait() <= 601
    for _ in range(5):
        side.anonymous.look_up(filed.reference, "AAAAABBBBB", "zh-hans")
    assert side.anonymous.track_wait() == 0
