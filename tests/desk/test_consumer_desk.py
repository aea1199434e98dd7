"""The staff live channel /ws/desk/: who may connect, who receives which events, presence."""

import asyncio
import contextlib

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from desk import actions, presence
from desk.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, DeskConsumer
from desk.models import RoutingRule

from .test_admin_support import file_request, make_desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def clean_cache():
    """Presence and the event counter live in the (per-process) cache: start every test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(transactional_db):
    return make_desk()


async def connect(user):
    communicator = WebsocketCommunicator(DeskConsumer.as_asgi(), "/ws/desk/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def connected_as(user):
    communicator, connected, code = await connect(user)
    assert connected, code
    snapshot = await communicator.receive_json_from()
    assert snapshot["type"] == "snapshot"
    return communicator, snapshot


file_async = database_sync_to_async(file_request)


async def refused_with(user):
    """The close code a refused connection gets (it is accepted and closed at once, with no data)."""
    communicator, connected, _ = await connect(user)
    assert connected
    message = await communicator.receive_output(timeout=2)
    assert message["type"] == "websocket.close"
    await communicator.wait()
    return message["code"]


async def test_anonymous_connections_are_refused(desk):
    assert await refused_with(AnonymousUser()) == CLOSE_UNAUTHENTICATED


async def test_editors_are_refused(desk):
    assert await refused_with(desk.editor) == CLOSE_FORBIDDEN
    assert not await database_sync_to_async(presence.is_anyone_on_duty)()


async def test_snapshot_has_counts_and_the_latest_event_id(desk):
    await file_async()
    communicator, snapshot = await connected_as(desk.duty)
    assert snapshot["counts"]["active"] == 1
    assert snapshot["counts"]["unassigned"] == 1
    assert isinstance(snapshot["last_event_id"], int) and snapshot["last_event_id"] >= 1
    await communicator.disconnect()


async def test_duty_officer_gets_their_departments_new_inquiry_but_never_a_complaint(desk):
    communicator, snapshot = await connected_as(desk.duty)
    result = await file_async(subject="罚单疑问")
    event = await communicator.receive_json_from(timeout=3)
    assert event["type"] == "event"
    assert event["event"] == "inquiry.created"
    assert event["data"]["reference"] == result.inquiry.reference
    assert event["id"] > snapshot["last_event_id"]
    assert "phone" not in str(event) and "13800138000" not in str(event)  # no personal data

    await file_async(subject="投诉民警", kind="complaint", category="police-conduct")
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_supervision_officer_and_supervisor_get_the_complaint(desk):
    inspector, _ = await connected_as(desk.inspector)
    supervisor, _ = await connected_as(desk.supervisor)
    complaint = await file_async(subject="投诉民警", kind="complaint", category="police-conduct")
    for communicator in (inspector, supervisor):
        event = await communicator.receive_json_from(timeout=3)
        assert event["event"] == "inquiry.created"
        assert event["data"]["reference"] == complaint.inquiry.reference
    await inspector.disconnect()
    await supervisor.disconnect()


async def test_supervisor_receives_every_departments_events(desk):
    communicator, _ = await connected_as(desk.supervisor)
    traffic = await file_async(subject="交通")
    event = await communicator.receive_json_from(timeout=3)
    assert event["data"]["reference"] == traffic.inquiry.reference
    # An assignment in that department reaches the supervisor too.
    await database_sync_to_async(actions.claim)(desk.duty, traffic.inquiry)
    event = await communicator.receive_json_from(timeout=3)
    assert event["event"] == "inquiry.updated"
    assert event["data"]["action"] == "assign"
    assert event["data"]["assignee_id"] == desk.duty.pk
    await communicator.disconnect()


async def test_other_department_does_not_hear_about_traffic(desk):
    communicator, _ = await connected_as(desk.other_duty)
    await file_async(subject="交通")
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_member_of_two_groups_gets_each_event_once(desk):
    await database_sync_to_async(desk.household.members.add)(desk.duty)
    communicator, _ = await connected_as(desk.duty)
    inquiry = (await file_async()).inquiry
    await database_sync_to_async(actions.transfer)(desk.duty, inquiry, desk.household, "户政业务")
    first = await communicator.receive_json_from(timeout=3)
    second = await communicator.receive_json_from(timeout=3)
    assert (first["event"], second["event"]) == ("inquiry.created", "inquiry.updated")
    assert await communicator.receive_nothing(timeout=0.5)  # sent to both groups, relayed once
    await communicator.disconnect()


async def test_ping_is_answered(desk):
    communicator, _ = await connected_as(desk.duty)
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.send_json_to({"type": "nonsense"})
    await communicator.send_to(text_data="not json at all")  # ignored, the socket stays open
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_presence_is_true_while_connected_and_false_after(desk):
    on_duty = database_sync_to_async(presence.is_anyone_on_duty)
    assert not await on_duty()
    assert not await on_duty(desk.traffic.pk)

    communicator, _ = await connected_as(desk.duty)
    assert await on_duty()
    assert await on_duty(desk.traffic.pk)
    assert not await on_duty(desk.household.pk)  # nobody of that department is online

    await communicator.disconnect()
    assert not await on_duty()
    assert not await on_duty(desk.traffic.pk)


async def test_a_connected_supervisor_counts_for_every_department(desk):
    on_duty = database_sync_to_async(presence.is_anyone_on_duty)
    communicator, _ = await connected_as(desk.supervisor)
    assert await on_duty(desk.household.pk)
    assert await on_duty(desk.supervision.pk)
    await communicator.disconnect()
    assert not await on_duty(desk.household.pk)


async def test_chat_handover_event_is_relayed_small_and_safe(desk):
    """A chat handover (sent by the chatbot through desk.events) reaches the desk with the
    conversation, its staff URL and a short excerpt; foreign links are dropped."""
    from desk import events

    communicator, _ = await connected_as(desk.supervisor)
    send = database_sync_to_async(events.send_event)
    await send(
        "chat.handover",
        {"conversation": 7, "status": "waiting", "url": "/admin/chat/7/", "excerpt": "我要找民警" * 100, "token": "s"},
    )
    event = await communicator.receive_json_from(timeout=3)
    assert event["event"] == "chat.handover"
    assert event["data"]["conversation"] == 7
    assert event["data"]["url"] == "/admin/chat/7/"
    assert len(event["data"]["excerpt"]) == 200
    assert "token" not in event["data"]  # only the documented keys are passed on

    await send("chat.emergency", {"conversation": 8, "url": "https://evil.example/x", "urgent": True})
    event = await communicator.receive_json_from(timeout=3)
    assert event["data"]["urgent"] is True
    assert "url" not in event["data"]
    await communicator.disconnect()


async def test_an_officer_taken_off_duty_is_disconnected_at_the_next_heartbeat(desk, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT_INTERVAL", 0.2)
    communicator, _ = await connected_as(desk.duty)
    await database_sync_to_async(desk.duty.groups.clear)()
    message = await communicator.receive_output(timeout=3)
    assert message["type"] == "websocket.close"
    assert message["code"] == CLOSE_FORBIDDEN
    assert not await database_sync_to_async(presence.is_anyone_on_duty)(desk.traffic.pk)


async def test_a_new_department_takes_effect_without_reconnecting(desk, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT_INTERVAL", 0.2)
    communicator, _ = await connected_as(desk.duty)
    on_duty = database_sync_to_async(presence.is_anyone_on_duty)
    assert not await on_duty(desk.household.pk)
    await database_sync_to_async(desk.household.members.add)(desk.duty)
    for _ in range(30):
        if await on_duty(desk.household.pk):
            break
        await asyncio.sleep(0.1)
    assert await on_duty(desk.household.pk)
    await database_sync_to_async(desk.traffic.members.remove)(desk.duty)
    for _ in range(30):
        if not await on_duty(desk.traffic.pk):
            break
        await asyncio.sleep(0.1)
    assert not await on_duty(desk.traffic.pk)
    # Now traffic events no longer arrive; a household inquiry does.
    await file_async(subject="交通")
    household = await database_sync_to_async(RoutingRule.objects.create)(department=desk.household, kind="suggestion")
    assert household.pk
    filed = await file_async(subject="户籍建议", kind="suggestion")
    event = await communicator.receive_json_from(timeout=3)
    assert event["data"]["reference"] == filed.inquiry.reference
    await communicator.disconnect()


MALFORMED_FRAMES = {
    "binary": {"bytes": b"\x00\x01\xff"},
    "empty text": {"text": ""},
    "empty binary": {"bytes": b""},
    "60,000 nested brackets": {"text": "[" * 60000 + "]" * 60000},
    "60,000 open brackets": {"text": "[" * 60000},
    "not json": {"text": "{ping"},
    "lone surrogate": {"text": '{"type": "\\ud800"}'},
    "type object": {"text": '{"type": {"a": 1}}'},
    "Infinity": {"text": '{"type": "ping", "x": Infinity}'},
}


@pytest.mark.parametrize("frame", MALFORMED_FRAMES.values(), ids=MALFORMED_FRAMES.keys())
async def test_a_malformed_frame_is_ignored_and_the_socket_stays_open(desk, frame):
    communicator, _snapshot = await connected_as(desk.duty)
    await communicator.send_input({"type": "websocket.receive", **frame})
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=5)) == {"type": "pong"}
    assert await database_sync_to_async(presence.is_anyone_on_duty)(desk.traffic.pk)
    await communicator.disconnect()


async def test_presence_ends_with_the_socket_whatever_ends_it(desk, monkeypatch, caplog):
    """A handler that fails closes the socket with 1011, and the officer stops counting as on
    duty at once: the chat must not tell a citizen that an officer has been asked to join."""
    communicator, _snapshot = await connected_as(desk.duty)
    on_duty = database_sync_to_async(presence.is_anyone_on_duty)
    assert await on_duty(desk.traffic.pk)

    async def broken(user):
        raise RuntimeError("database went away")

    monkeypatch.setattr("desk.consumers._snapshot", broken)
    await communicator.send_json_to({"type": "snapshot"})
    closed = await communicator.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 1011}
    assert "desk socket failed" in caplog.text
    assert not await on_duty(desk.traffic.pk)
    assert not await on_duty()


async def test_presence_ends_when_the_consumer_task_is_cancelled(desk):
    """The server cancels the application task of a connection that vanished: presence goes too."""
    communicator, _snapshot = await connected_as(desk.duty)
    on_duty = database_sync_to_async(presence.is_anyone_on_duty)
    assert await on_duty(desk.traffic.pk)
    communicator.future.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await communicator.future
    assert not await on_duty(desk.traffic.pk)
