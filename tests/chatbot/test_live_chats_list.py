"""What the officer sees of a chat that asks for a person: the citizen's question (not the
button that confirmed the handover), waiting chats above older emergencies, and how long the
citizen has waited."""

import asyncio
import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse
from django.utils import timezone

from chatbot import service
from chatbot.models import Conversation, Message
from desk.presence import mark_present

from .chat_helpers import make_user

pytestmark = pytest.mark.django_db


async def next_event(layer, channel, event_type, timeout=3):
    while True:
        event = await asyncio.wait_for(layer.receive(channel), timeout)
        if event.get("type") == event_type:
            return event


QUESTION = "我的身份证丢了，在外地能补办吗？"


def test_the_desk_is_told_the_citizens_question_not_the_button(django_capture_on_commit_callbacks, db):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("desk.all", channel)
    mark_present("test-desk", (), True)
    conv = service.get_or_create_conversation(None, "zh-hans")[0]
    service.handle_message(conv, QUESTION)
    confirm = service.handle_message(conv, "转人工")
    choices = [c["id"] for m in confirm.replies for c in m.choices]
    assert "handover:yes" in choices
    with django_capture_on_commit_callbacks(execute=True):
        service.handle_choice(conv, "handover:yes")
    handover = async_to_sync(next_event)(layer, channel, "chat.handover")
    assert handover["excerpt"] == QUESTION


def test_waiting_chats_come_first_with_the_question_and_the_wait(client, db):
    officer = make_user("duty-list", "Duty staff")
    now = timezone.now()
    old_emergency = Conversation.objects.create(lang="zh-hans", urgent=True, state={"last_question": "有人打架"})
    Conversation.objects.filter(pk=old_emergency.pk).update(updated_at=now - dt.timedelta(hours=5))
    waiting = Conversation.objects.create(
        lang="zh-hans",
        status=Conversation.Status.WAITING,
        handover_requested_at=now - dt.timedelta(minutes=7),
        state={"last_question": QUESTION},
    )
    client.force_login(officer)
    page = client.get(reverse("chatbot_admin:live_chats")).content.decode()
    waiting_at = page.index(f'data-conversation="{waiting.public_id}"')
    assert waiting_at < page.index(f'data-conversation="{old_emergency.public_id}"')
    row = page[page.index(f'data-conversation="{waiting.public_id}"') :]
    row = row[: row.index("</tr>")]
    assert QUESTION in row
    assert "7" in row[row.index("data-waiting-since") :] and ("分钟" in row or "minutes" in row)


def test_no_thumbs_on_the_steps_of_filing_a_request(client, db):
    """Answers may be rated; the questions of the request form in the chat may not."""
    conv = service.get_or_create_conversation(None, "zh-hans")[0]
    steps = service.handle_message(conv, "我要提交咨询").replies
    assert steps and all(m.intent == "request" for m in steps)
    wire = [service.serialize(m) for m in steps]
    assert [w["rateable"] for w in wire] == [False] * len(wire)
    with pytest.raises(service.ChatError):
        service.handle_feedback(conv, steps[-1].seq, True)
    answer = Message.objects.create(conversation=conv, seq=conv.last_seq + 100, sender="bot", intent="faq", text="…")
    assert service.serialize(answer)["rateable"] is True
    assert service.handle_feedback(conv, answer.seq, True).helpful is True
