"""A citizen's message is stored with its answer in one transaction, and never lost when the
answer fails."""

import pytest

from chatbot import service
from chatbot.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def stored(conv):
    return list(Message.objects.filter(conversation=conv).order_by("seq").values_list("seq", "sender", "intent"))


def test_message_and_answer_are_numbered_together():
    conv, _ = service.get_or_create_conversation(None, "zh-hans")
    result = service.handle_message(conv, "你好", client_id="c1")
    assert [m.seq for m in result.messages] == [1, 2]
    assert stored(conv) == [(1, "citizen", ""), (2, "bot", "greeting")]
    conv.refresh_from_db()
    assert conv.last_seq == 2


def test_engine_failure_keeps_the_message_and_apologises(monkeypatch):
    conv, _ = service.get_or_create_conversation(None, "zh-hans")

    def broken(*args, **kwargs):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(service, "_engine_respond", broken)
    result = service.handle_message(conv, "我的身份证丢了", client_id="c1")
    assert stored(conv) == [(1, "citizen", ""), (2, "bot", "fallback")]
    assert "110" in result.replies[0].text


def test_a_failing_action_rolls_back_the_answer_but_not_the_message(monkeypatch):
    """Storing the answer fails half-way (an action raises after the replies were written): the
    replies and the state change are undone, the citizen's message stays, an apology follows,
    and the numbering has no gap."""
    conv, _ = service.get_or_create_conversation(None, "zh-hans")
    service.handle_message(conv, "你好", client_id="c1")
    conv.refresh_from_db()
    saved_state = conv.state

    def broken(*args, **kwargs):
        raise RuntimeError("desk action failed")

    monkeypatch.setattr(service, "_run_actions", broken)
    service.handle_message(conv, "我要投诉", client_id="c2")
    assert stored(conv)[2:] == [(3, "citizen", ""), (4, "bot", "fallback")]
    conv.refresh_from_db()
    assert conv.last_seq == 4 and conv.state == saved_state


def test_a_resent_message_is_answered_once():
    conv, _ = service.get_or_create_conversation(None, "en")
    first = service.handle_message(conv, "hello", client_id="same")
    again = service.handle_message(conv, "hello", client_id="same")
    assert again.duplicate and [m.pk for m in again.messages] == [m.pk for m in first.messages]
    assert len(stored(conv)) == 2
