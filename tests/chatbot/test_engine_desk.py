"""The chat engine's request and tracking flows against the in-memory desk (memory_desk.py, an
implementation of chatbot.engine.gateway.DeskGateway): no database.

The tests themselves may not touch the database (no `django_db` mark: pytest-django refuses any
query). The one thing the engine reads from it besides the desk is the editors' emergency
patterns, compiled once per process (portal.versioned_cache): the module's fixture compiles them
once from the real (empty) table before the tests start. The same flows over the real desk are
in test_engine.py; test_gateway_contract.py keeps the two desks alike."""

import re

import pytest

from chatbot import emergency
from chatbot.engine import handover_unavailable, respond

from .conversation import Chat, choice_ids
from .memory_desk import MemoryDesk


@pytest.fixture(scope="module", autouse=True)
def _emergency_patterns_compiled(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        emergency.patterns()


def file_complaint(chat):
    start = chat.say("我要投诉")
    chat.press(start, "cat:public-order")
    chat.say("楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。")
    chat.say("王小明")
    consent = chat.say("13800001234")
    summary = chat.press(consent, "consent:yes")
    return chat.press(summary, "submit")


def test_a_complaint_is_filed_with_what_the_citizen_typed():
    desk = MemoryDesk()
    chat = Chat(desk=desk, to_json=False)
    done = file_complaint(chat)
    assert len(desk.requests) == 1
    (request,) = desk.requests.values()
    assert request["kind"] == "complaint" and request["category"] == "public-order"
    assert request["name"] == "王小明" and request["phone"] == "13800001234"
    assert request["description"] == "楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。"
    assert request["reference"] in done.text
    code = re.search(r"查询码：(\S+)", done.text).group(1)
    assert desk.look_up(request["reference"], code, "zh-hans") is not None
    assert done.actions == [{"type": "inquiry_created", "reference": request["reference"]}]
    links = [link["url"] for reply in done.replies for link in reply.links]
    assert any(url.startswith("/zh-hans/requests/track/?reference=") for url in links)
    assert chat.state["flow"] is None and chat.state["filed"] == 1


def test_a_bad_phone_and_a_short_description_are_asked_again_by_the_desks_rules():
    chat = Chat(desk=MemoryDesk(), to_json=False)
    start = chat.say("我要投诉")
    chat.press(start, "cat:public-order")
    short = chat.say("太吵了")
    assert chat.state["step"] == "description" and "description" not in chat.state["data"]
    assert short.intents == ["request"]
    chat.say("楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。")
    chat.say("王小明")
    bad = chat.say("12345")
    assert "格式不对" in bad.text and chat.state["step"] == "phone"


def test_only_the_categories_the_desk_offers_for_the_kind_are_offered():
    desk = MemoryDesk([("noise", "噪音", "Noise", "complaint"), ("website", "网站", "Website", "suggestion")])
    chat = Chat(desk=desk, to_json=False)
    start = chat.say("我要投诉")
    assert [c for c in choice_ids(start) if c.startswith("cat:")] == ["cat:noise"]


def test_a_refusal_by_the_desk_asks_again_for_what_it_refused():
    """Between the citizen's choice and the submit the desk withdrew the category: the desk's
    message is shown and the category is asked again; nothing is filed."""
    desk = MemoryDesk()
    chat = Chat(desk=desk, to_json=False)
    start = chat.say("我要投诉")
    chat.press(start, "cat:public-order")
    chat.say("楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。")
    chat.say("王小明")
    consent = chat.say("13800001234")
    summary = chat.press(consent, "consent:yes")
    desk.categories = [row for row in desk.categories if row[0] != "public-order"]
    refused = chat.press(summary, "submit")
    assert desk.requests == {}
    assert "Choose a category." in refused.text
    assert chat.state["step"] == "category" and "cat:public-order" not in choice_ids(refused)


def test_the_same_conversation_retrying_a_submit_files_once():
    """The idempotency key is the conversation's: a transport that runs the same turn twice
    (a retry after a lost answer) files one request."""
    desk = MemoryDesk()
    chat = Chat(desk=desk, to_json=False)
    start = chat.say("我要投诉")
    chat.press(start, "cat:public-order")
    chat.say("楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。")
    chat.say("王小明")
    consent = chat.say("13800001234")
    summary = chat.press(consent, "consent:yes")
    state = chat.state
    first = respond(state, "提交", choice="submit", desk=desk)
    again = respond(state, "提交", choice="submit", desk=desk)
    assert len(desk.requests) == 1
    assert first.actions == again.actions
    assert summary.intents == ["request"]


def _filed(desk):
    chat = Chat(desk=desk, to_json=False)
    done = file_complaint(chat)
    reference = done.actions[0]["reference"]
    return reference, re.search(r"查询码：(\S+)", done.text).group(1)


def test_tracking_shows_the_status_and_the_latest_reply():
    desk = MemoryDesk()
    reference, code = _filed(desk)
    desk.reply(reference, "已联系城管部门处理，请留意。")
    chat = Chat(desk=desk, to_json=False)
    chat.say(f"帮我查一下 {reference}")
    shown = chat.say(code.lower())
    assert "已联系城管部门处理" in shown.text and "已答复" in shown.text
    assert shown.actions == [{"type": "track_attempt", "reference": reference, "ok": True}]
    assert not [link for reply in shown.replies for link in reply.links]  # not closed: no rating


def test_a_closed_unrated_request_offers_the_rating_link_once_rated_not():
    desk = MemoryDesk()
    reference, code = _filed(desk)
    desk.close(reference, "已处理完毕。")
    shown = Chat(desk=desk, to_json=False).say(f"track {reference} {code}")
    assert [link["url"] for reply in shown.replies for link in reply.links] == [
        desk.look_up(reference, code, "en").rate_url
    ]
    desk.rate(reference)
    again = Chat(desk=desk, to_json=False).say(f"track {reference} {code}")
    assert not [link for reply in again.replies for link in reply.links]


def test_three_wrong_codes_end_the_flow_and_reveal_nothing():
    desk = MemoryDesk()
    reference, _code = _filed(desk)
    chat = Chat(desk=desk, to_json=False)
    chat.say(reference)
    wrong = chat.say("AAAAA-BBBBB")
    assert "不匹配" in wrong.text and "烧烤" not in wrong.text
    chat.say("CCCCC-DDDDD")
    third = chat.say("EEEEE-FFFFF")
    assert "/zh-hans/requests/track/" in third.text and chat.state["flow"] is None


def test_the_address_budget_of_wrong_codes_is_the_desks(settings):
    """Wrong codes are charged to the citizen's address by the desk: once the budget is used up
    a new conversation from the same address is told to wait, even with the right code; another
    address is not."""
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_track": (2, 600)}
    desk = MemoryDesk()
    reference, code = _filed(desk)
    mine = desk.for_address("203.0.113.7")
    chat = Chat(desk=mine, to_json=False)
    chat.say(reference)
    chat.say("AAAAA-BBBBB")
    chat.say("CCCCC-DDDDD")
    blocked = Chat(desk=mine, to_json=False).say(f"帮我查一下 {reference} {code}")
    assert "分钟后" in blocked.text and "烧烤" not in blocked.text
    assert blocked.actions == []  # no look-up at all
    other = Chat(desk=desk.for_address("198.51.100.1"), to_json=False).say(f"帮我查一下 {reference} {code}")
    assert "状态" in other.text


def test_nobody_on_duty_turns_into_a_request_through_the_desk():
    desk = MemoryDesk([("noise", "噪音", "Noise", "")])
    result = handover_unavailable({"last_question": "夜里楼下一直很吵，应该找谁？"}, "zh-hans", desk=desk)
    assert result.state["flow"] == "request"
    assert [c for c in choice_ids(result) if c.startswith("kind:")]
