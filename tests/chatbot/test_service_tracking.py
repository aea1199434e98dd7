"""Tracking a request in the chat shares the tracking page's budget of wrong access codes per
client address (RATELIMIT_INQUIRY_TRACK): a new conversation buys no new guesses, and once the
budget is used up the citizen is told how long to wait and sees no status, even for the right
code."""

import re

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from chatbot.engine import respond
from desk import actions as desk_actions
from desk import demo

from .chat_helpers import ask, citizen, clean_cache, welcome  # noqa: F401

CHAT = "/zh-hans/chat/"
TRACK_PAGE = "/zh-hans/requests/track/"


def _file():
    demo.seed_configuration()
    return desk_actions.open_inquiry(
        kind="consultation",
        category="id-card",
        subject="补办身份证",
        description="身份证丢了，补办需要带什么材料？",
        phone="13800000000",
        lang="zh-hans",
        consent=True,
    )


@pytest.fixture
def filed(db):
    return _file()


@pytest.fixture
def budget_of_two(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_track": (2, 600)}


def chat(client, text):
    """Send a message through the /chat/ page; return the assistant's answer to it."""
    from chatbot.models import Message

    assert client.post(CHAT, {"action": "message", "text": text}).status_code == 302
    return Message.objects.filter(sender="bot").latest("pk").text


def minutes_to_wait(text):
    found = re.search(r"请(\d+)分钟后", text)
    assert found, text
    return int(found.group(1))


@pytest.mark.django_db
def test_a_new_conversation_does_not_buy_more_guesses(filed, budget_of_two):
    """Two wrong codes use up the budget; in a fresh conversation even the right code only
    gets "wait N minutes", never the status."""
    client = Client(REMOTE_ADDR="198.51.100.30")
    reference = filed.inquiry.reference
    assert "查询码" in chat(client, f"帮我查一下 {reference}")
    assert "不匹配" in chat(client, "AAAAA-BBBBB")
    assert "不匹配" in chat(client, "CCCCC-DDDDD")

    client.post(CHAT, {"action": "restart"})
    answer = chat(client, f"查询进度 {reference} {filed.access_code}")
    assert 1 <= minutes_to_wait(answer) <= 11
    assert "答复期限" not in answer and "状态" not in answer

    # Another address still has its own budget.
    other = Client(REMOTE_ADDR="198.51.100.31")
    assert "答复期限" in chat(other, f"查询进度 {reference} {filed.access_code}")


@pytest.mark.django_db
def test_wrong_codes_in_the_chat_and_on_the_tracking_page_count_together(filed, budget_of_two):
    """The chat's wrong codes lock the tracking page too, and the page's lock the chat."""
    reference = filed.inquiry.reference
    by_chat = Client(REMOTE_ADDR="198.51.100.32")
    chat(by_chat, f"{reference} AAAAA-BBBBB")
    chat(by_chat, f"{reference} CCCCC-DDDDD")
    page = by_chat.post(TRACK_PAGE, {"reference": reference, "access_code": filed.access_code})
    assert page.status_code == 429

    by_page = Client(REMOTE_ADDR="198.51.100.33")
    for code in ("AAAAA-BBBBB", "CCCCC-DDDDD"):
        assert by_page.post(TRACK_PAGE, {"reference": reference, "access_code": code}).status_code == 200
    answer = chat(by_page, f"{reference} {filed.access_code}")
    assert minutes_to_wait(answer) >= 1 and "答复期限" not in answer


@pytest.mark.django_db
def test_the_right_code_does_not_use_the_budget(filed, budget_of_two):
    """Only wrong codes count: a citizen who tracks their request often is never locked out."""
    client = Client(REMOTE_ADDR="198.51.100.34")
    for _ in range(4):
        assert "答复期限" in chat(client, f"{filed.inquiry.reference} {filed.access_code}")


def test_the_engine_looks_nothing_up_while_the_citizen_must_wait(filed):
    """With a wait from the transport the reply says how long in the message's language, and
    no look-up happens (no track_attempt action)."""
    result = respond({}, f"track {filed.inquiry.reference} {filed.access_code}", "en", track_wait=lambda: 150)
    assert result.intents == ["track"]
    assert "wait 3 minutes" in result.text and "Status" not in result.text
    assert result.actions == []
    one = respond({}, f"track {filed.inquiry.reference} {filed.access_code}", "en", track_wait=lambda: 30)
    assert "wait 1 minute," in one.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_websocket_chat_is_limited_in_english(settings):
    """The same budget on the socket; the wait is said in English for an English message."""
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_track": (1, 600)}
    result = await sync_to_async(_file)()
    reference = result.inquiry.reference
    socket = citizen("lang=en", address="198.51.100.35")
    await welcome(socket)
    wrong = await ask(socket, f"track {reference} AAAAA-BBBBB")
    assert "do not match" in wrong[-1]["text"]
    messages = await ask(socket, f"track {reference} {result.access_code}")
    reply = [m for m in messages if m["type"] == "reply"][-1]
    assert re.search(r"please wait \d+ minutes?", reply["text"]) and "Status" not in reply["text"]
    await socket.disconnect()
