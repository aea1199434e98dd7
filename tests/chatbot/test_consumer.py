"""The citizen's chat socket /ws/chat/: protocol, storage before sending, resume, dedupe,
limits and the origin check (docs/chat-protocol.md)."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from chatbot import service
from chatbot.models import Conversation, Message

from .chat_helpers import ask, citizen, clean_cache, drain, receive_until, welcome  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _count(**filters):
    return sync_to_async(Message.objects.filter(**filters).count)()


async def test_a_message_is_stored_and_answered_with_the_protocol_fields():
    """The citizen's message comes back numbered (the acknowledgement), then the assistant's
    reply with text, intent, sources and choices, both already stored."""
    socket = citizen("lang=zh-hans")
    hello = await welcome(socket)
    assert hello["resumed"] is False and hello["status"] == "bot" and hello["last_seq"] == 0
    assert len(hello["conversation"]) >= 40  # the random resume token

    messages = await ask(socket, "你好", client_id="m-1")
    ack, reply = messages[0], messages[1]
    assert ack == {**ack, "type": "citizen_message", "id": "m-1", "text": "你好", "seq": 1}
    assert reply["type"] == "reply" and reply["reply_to"] == "m-1" and reply["seq"] == 2
    assert reply["text"] and reply["intent"]
    assert isinstance(reply["sources"], list) and isinstance(reply["choices"], list)

    conv = await sync_to_async(Conversation.objects.get)(token=hello["conversation"])
    assert conv.last_seq == messages[-1]["seq"]
    assert await _count(conversation=conv, sender="citizen") == 1
    assert await _count(conversation=conv, sender="bot") == len([m for m in messages if m["type"] == "reply"])
    await socket.disconnect()


async def test_text_is_sanitized_before_it_is_stored():
    """Control characters and bidi overrides are removed; markup stays inert text."""
    socket = citizen()
    await welcome(socket)
    messages = await ask(socket, "  <b>hi</b>\u202e\x07 there  ", client_id="x")
    assert messages[0]["text"] == "<b>hi</b> there"
    stored = await sync_to_async(Message.objects.get)(client_id="x")
    assert stored.text == "<b>hi</b> there"
    await socket.disconnect()


async def test_a_reconnect_receives_every_message_it_missed():
    """Messages stored while the citizen was offline arrive on the next connection, after the
    last seq the client saw, in order and only once; a new page (last_seq=0) gets them all."""
    socket = citizen()
    hello = await welcome(socket)
    token = hello["conversation"]
    seen = await ask(socket, "hello", client_id="a")
    last_seen = seen[-1]["seq"]
    await socket.disconnect()

    conv = await sync_to_async(Conversation.objects.get)(token=token)
    officer = await sync_to_async(_officer)()
    await sync_to_async(service.staff_message)(conv, officer, "我是值班民警，请讲。")

    again = citizen(f"token={token}&last_seq={last_seen}")
    hello2 = await welcome(again)
    assert hello2["conversation"] == token and hello2["resumed"] is True
    missed = await drain(again)
    assert [m["type"] for m in missed] == ["staff_joined", "staff_message"]
    assert [m["seq"] for m in missed] == [last_seen + 1, last_seen + 2]
    assert missed[1]["text"] == "我是值班民警，请讲。"
    await again.disconnect()

    new_page = citizen(f"token={token}&last_seq=0")
    await welcome(new_page)
    everything = await drain(new_page)
    assert [m["seq"] for m in everything] == list(range(1, last_seen + 3))
    await new_page.disconnect()


async def test_resume_message_replays_from_the_given_seq():
    socket = citizen()
    await welcome(socket)
    first = await ask(socket, "hello", client_id="a")
    await socket.send_json_to({"type": "resume", "last_seq": 0})
    replayed = await drain(socket)
    assert [m["seq"] for m in replayed] == [m["seq"] for m in first]
    await socket.disconnect()


async def test_an_unknown_token_starts_a_new_conversation():
    socket = citizen("token=not-a-real-token&last_seq=5")
    hello = await welcome(socket)
    assert hello["resumed"] is False and hello["conversation"] != "not-a-real-token"
    assert await drain(socket) == []
    await socket.disconnect()


async def test_a_resent_client_id_is_not_answered_twice():
    """The same id again (a retry after a lost connection) returns the stored answer."""
    socket = citizen()
    await welcome(socket)
    first = await ask(socket, "how do I renew my passport", client_id="dup-1")
    bot_replies = await _count(sender="bot")
    again = await ask(socket, "how do I renew my passport", client_id="dup-1")
    assert [(m["type"], m["seq"]) for m in again] == [(m["type"], m["seq"]) for m in first]
    assert await _count(client_id="dup-1") == 1
    assert await _count(sender="bot") == bot_replies
    await socket.disconnect()

    # Also from another socket of the same conversation (e.g. after a reconnect).
    token = (await sync_to_async(Conversation.objects.get)()).token
    other = citizen(f"token={token}&last_seq={first[-1]['seq']}")
    await welcome(other)
    third = await ask(other, "how do I renew my passport", client_id="dup-1")
    assert [m["seq"] for m in third] == [m["seq"] for m in first]
    assert await _count(sender="bot") == bot_replies
    await other.disconnect()


async def test_an_over_long_message_is_refused_and_not_stored():
    socket = citizen()
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "长" * 2001, "id": "long"})
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == "too_long" and error["id"] == "long"
    assert "2000" in error["message"]
    assert await _count() == 0
    ok = await ask(socket, "长" * 2000, client_id="max")
    assert ok[0]["type"] == "citizen_message"
    await socket.disconnect()


async def test_bad_frames_get_an_error_and_the_socket_stays_open():
    socket = citizen()
    await welcome(socket)
    await socket.send_to(text_data="{not json")
    assert (await socket.receive_json_from())["code"] == "bad_json"
    await socket.send_json_to({"type": "dance"})
    assert (await socket.receive_json_from())["code"] == "unknown_type"
    await socket.send_json_to({"type": "message", "text": "   ", "id": "e"})
    assert (await socket.receive_json_from())["code"] == "empty"
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    await socket.disconnect()


async def test_messages_per_minute_per_connection_are_limited(settings):
    # A day-long window: a slow test run must not cross a window boundary between messages.
    settings.RATELIMITS = {**settings.RATELIMITS, "chat_message_connection": (2, 86400)}
    socket = citizen()
    await welcome(socket)
    await ask(socket, "hello", client_id="1")
    await ask(socket, "hello again", client_id="2")
    await socket.send_json_to({"type": "message", "text": "and again", "id": "3"})
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == "rate_limited"
    assert error["limit"] == "chat_message_connection" and error["id"] == "3" and error["retry_after"] > 0
    assert await _count(client_id="3") == 0

    # A second connection from the same address has its own per-connection budget.
    other = citizen()
    await welcome(other)
    assert (await ask(other, "hello", client_id="4"))[0]["type"] == "citizen_message"
    await socket.disconnect()
    await other.disconnect()


async def test_messages_per_minute_per_address_are_limited_across_connections(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "chat_message_address": (3, 86400)}
    first, second = citizen(address="203.0.113.9"), citizen(address="203.0.113.9")
    await welcome(first)
    await welcome(second)
    await ask(first, "one", client_id="1")
    await ask(second, "two", client_id="2")
    await ask(first, "three", client_id="3")
    await second.send_json_to({"type": "message", "text": "four", "id": "4"})
    error = await second.receive_json_from()
    assert error["code"] == "rate_limited" and error["limit"] == "chat_message_address"

    elsewhere = citizen(address="203.0.113.10")
    await welcome(elsewhere)
    assert (await ask(elsewhere, "hello", client_id="5"))[0]["type"] == "citizen_message"
    for socket in (first, second, elsewhere):
        await socket.disconnect()


async def test_concurrent_connections_per_address_are_limited(settings):
    """The third open socket from one address is told why and closed; closing one frees a slot."""
    settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS = 2
    first, second = citizen(address="192.0.2.1"), citizen(address="192.0.2.1")
    await welcome(first)
    await welcome(second)
    third = citizen(address="192.0.2.1")
    connected, _ = await third.connect()
    assert connected
    error = await third.receive_json_from()
    assert error["type"] == "error" and error["code"] == "too_many_connections"
    closed = await third.receive_output()
    assert closed["type"] == "websocket.close" and closed["code"] == 4429

    other_address = citizen(address="192.0.2.2")
    await welcome(other_address)

    await first.disconnect()
    fourth = citizen(address="192.0.2.1")
    await welcome(fourth)
    for socket in (second, other_address, fourth):
        await socket.disconnect()


async def test_a_foreign_origin_is_refused():
    """Only pages of this site (ALLOWED_HOSTS) may open the chat socket."""
    evil = citizen(origin=(b"origin", b"https://evil.example"))
    connected, _ = await evil.connect()
    assert connected is False
    no_origin = citizen(origin=None)
    connected, _ = await no_origin.connect()
    assert connected is False
    assert await sync_to_async(Conversation.objects.count)() == 0


async def test_feedback_is_saved_for_a_bot_answer_only():
    socket = citizen()
    await welcome(socket)
    messages = await ask(socket, "你好", client_id="f")
    reply = next(m for m in messages if m["type"] == "reply")
    await socket.send_json_to({"type": "feedback", "seq": reply["seq"], "helpful": False})
    saved = await socket.receive_json_from()
    assert saved == {"type": "feedback_saved", "seq": reply["seq"], "helpful": False}
    from chatbot.models import Feedback

    assert await sync_to_async(Feedback.objects.filter(message__seq=reply["seq"], helpful=False).count)() == 1
    await socket.send_json_to({"type": "feedback", "seq": messages[0]["seq"], "helpful": True})
    error = await socket.receive_json_from()
    assert error["code"] == "unknown_message"
    await socket.disconnect()


async def test_a_second_tab_sees_the_conversation_live():
    """Two sockets with the same token (two tabs) both receive every new message once."""
    tab1 = citizen()
    token = (await welcome(tab1))["conversation"]
    tab2 = citizen(f"token={token}&last_seq=0")
    await welcome(tab2)
    sent = await ask(tab1, "你好", client_id="t")
    echoed, _ = await receive_until(tab2, "reply")
    assert echoed["seq"] == sent[1]["seq"]
    rest = await drain(tab2)
    assert [m["seq"] for m in rest] == [m["seq"] for m in sent[2:]]
    await tab1.disconnect()
    await tab2.disconnect()


async def test_only_other_listeners_get_a_signal():
    """A socket sends its own messages itself: while it is the conversation's only socket, its
    messages put no signal on the channel layer (the expensive part of a message with Redis);
    once a second tab is open, every change is signalled to the conversation's group."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    tab1 = citizen()
    token = (await welcome(tab1))["conversation"]
    conv = await sync_to_async(Conversation.objects.get)(token=token)
    probe = await layer.new_channel()
    await layer.group_add(conv.group_name, probe)
    await ask(tab1, "你好", client_id="alone")
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(probe), 0.5)
    tab2 = citizen(f"token={token}")
    await welcome(tab2)
    sent = await ask(tab1, "谢谢", client_id="together")
    event = await asyncio.wait_for(layer.receive(probe), 5)
    assert event == {"type": "conversation.updated", "seq": sent[-1]["seq"]}
    await tab2.disconnect()
    await ask(tab1, "你好", client_id="alone-again")
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(probe), 0.5)
    await tab1.disconnect()


def _officer():
    from .chat_helpers import make_user

    return make_user("officer1", "Supervisors")


async def test_the_widget_continues_a_conversation_started_on_the_chat_page():
    """The session cookie carries the conversation from the no-JavaScript page to the socket."""
    from django.test import Client

    def start_on_the_page():
        client = Client()
        client.post("/zh-hans/chat/", {"action": "message", "text": "你好", "id": "page-1"})
        return client.cookies["sessionid"].value, client.session["chat_token"]

    session_id, token = await sync_to_async(start_on_the_page)()
    socket = citizen("last_seq=0")
    socket.scope["headers"] = [*socket.scope["headers"], (b"cookie", f"sessionid={session_id}".encode())]
    hello = await welcome(socket)
    assert hello["conversation"] == token and hello["resumed"] is True
    transcript = await drain(socket)
    assert transcript[0]["type"] == "citizen_message" and transcript[0]["id"] == "page-1"
    await socket.disconnect()


async def test_errors_are_in_the_page_language():
    for lang, words in (("en", "too long"), ("zh-hans", "太长")):
        socket = citizen(f"lang={lang}")
        await welcome(socket)
        await socket.send_json_to({"type": "message", "text": "x" * 2001, "id": "long"})
        error = await socket.receive_json_from()
        assert error["code"] == "too_long" and words in error["message"], error
        await socket.disconnect()
