"""/ws/chat/ under malformed and hostile frames: every frame is checked against the documented
schema and answered with an `error` (the socket stays open); an unexpected failure closes with
1011 and frees the connection slot; slots of sockets that vanished lapse within minutes."""

import pytest
from asgiref.sync import sync_to_async

from chatbot import consumers, service
from chatbot.models import Message

from .chat_helpers import citizen, clean_cache, welcome  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HOSTILE_FRAMES = {
    "lang number": '{"type": "message", "text": "hello", "id": "a", "lang": 5}',
    "lang list": '{"type": "message", "text": "hello", "id": "a", "lang": ["en"]}',
    "lang object": '{"type": "message", "text": "hello", "id": "a", "lang": {"x": 1}}',
    "lang on a choice": '{"type": "choice", "choice": "x", "id": "a", "lang": 7}',
    "last_seq 1e400": '{"type": "resume", "last_seq": 1e400}',
    "last_seq -1": '{"type": "resume", "last_seq": -1}',
    "seq Infinity": '{"type": "feedback", "seq": Infinity, "helpful": true}',
    "seq NaN": '{"type": "feedback", "seq": NaN, "helpful": true}',
    "seq 1e400": '{"type": "feedback", "seq": 1e400, "helpful": true}',
    "helpful string": '{"type": "feedback", "seq": 2, "helpful": "yes"}',
    "comment number": '{"type": "feedback", "seq": 2, "helpful": true, "comment": 5}',
    "id object": '{"type": "message", "text": "hello", "id": {"a": 1}}',
    "id 1e400": '{"type": "message", "text": "hello", "id": 1e400}',
    "text list": '{"type": "message", "text": ["hello"], "id": "a"}',
    "60,000 brackets": "[" * 60000 + "]" * 60000,
    "60,000 open brackets": "[" * 60000,
    "nested objects": '{"type": "ping", "x": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}",
    "lone surrogate in text": '{"type": "message", "text": "\\ud800", "id": "s"}',
    "lone surrogate in id": '{"type": "message", "text": "hello", "id": "\\udfff"}',
    "lone surrogate in type": '{"type": "\\ud800"}',
    "lone surrogate in a key": '{"type": "ping", "\\ud800": 1}',
    "type number": '{"type": 5}',
    "array": "[1, 2]",
    "string": '"ping"',
    "empty": "",
}


FRAMES = {name: {"text": text} for name, text in HOSTILE_FRAMES.items()}
FRAMES["binary"] = {"bytes": b"\x00\xff{}"}
FRAMES["empty binary"] = {"bytes": b""}


@pytest.mark.parametrize("frame", FRAMES.values(), ids=FRAMES.keys())
async def test_a_malformed_frame_gets_the_documented_error_and_the_socket_stays_open(frame):
    socket = citizen(address="203.0.113.50")
    await welcome(socket)
    await socket.send_input({"type": "websocket.receive", **frame})
    error = await socket.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] in ("bad_json", "bad_request")
    assert error["message"]
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from(timeout=5))["type"] == "pong"
    assert await sync_to_async(Message.objects.count)() == 0  # nothing half-stored
    await socket.disconnect()


async def test_a_wrong_field_type_names_the_field_in_the_page_language():
    socket = citizen("lang=en", address="203.0.113.51")
    await welcome(socket)
    await socket.send_to(text_data='{"type": "message", "text": "hello", "id": "a", "lang": 5}')
    error = await socket.receive_json_from(timeout=5)
    assert error == {**error, "code": "bad_request", "field": "lang"}
    assert "lang" in error["message"] and "text" in error["message"]
    zh = citizen("lang=zh-hans", address="203.0.113.51")
    await welcome(zh)
    await zh.send_to(text_data='{"type": "resume", "last_seq": 1e400}')
    error = await zh.receive_json_from(timeout=5)
    assert error["field"] == "last_seq" and "整数" in error["message"]
    await socket.disconnect()
    await zh.disconnect()


async def test_an_unexpected_failure_closes_with_1011_and_frees_the_slot(settings, monkeypatch, caplog):
    settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS = 1

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "handle_message", broken)
    socket = citizen(address="203.0.113.52")
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "hello", "id": "x"})
    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 1011}
    assert "chat socket failed" in caplog.text
    assert await sync_to_async(consumers.open_connection_count)("203.0.113.52") == 0

    again = citizen(address="203.0.113.52")  # the address is not locked out
    hello = await welcome(again)
    assert hello["type"] == "welcome"
    await again.disconnect()


async def test_slots_of_sockets_that_vanished_lapse_within_minutes(settings, monkeypatch):
    """A worker that died never gave its sockets' slots back: they lapse after SLOT_TTL."""
    settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS = 2
    now = [1_000_000.0]
    monkeypatch.setattr(consumers, "_now", lambda: now[0])
    for _ in range(2):  # two sockets of a worker that then died
        assert await sync_to_async(consumers.acquire_connection_slot)("203.0.113.53")
    refused = citizen(address="203.0.113.53")
    await refused.connect()
    assert (await refused.receive_json_from(timeout=5))["code"] == "too_many_connections"

    now[0] += consumers.SLOT_TTL + 1
    assert consumers.SLOT_TTL <= 300
    socket = citizen(address="203.0.113.53")
    assert (await welcome(socket))["type"] == "welcome"
    await socket.disconnect()
    assert await sync_to_async(consumers.open_connection_count)("203.0.113.53") == 0


async def test_a_live_socket_keeps_its_slot_by_refreshing_it(settings, monkeypatch):
    settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS = 1
    now = [2_000_000.0]
    monkeypatch.setattr(consumers, "_now", lambda: now[0])
    socket = citizen(address="203.0.113.54")
    await welcome(socket)
    for _ in range(5):  # ten minutes of refreshes
        now[0] += consumers.SLOT_REFRESH * 2
        slot = next(iter((await sync_to_async(consumers.cache.get)("chat:connections:203.0.113.54")).keys()))
        await sync_to_async(consumers.refresh_connection_slot)("203.0.113.54", slot)
    assert await sync_to_async(consumers.open_connection_count)("203.0.113.54") == 1
    await socket.disconnect()
