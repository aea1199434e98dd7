"""Handover to a person and emergencies over the sockets: with an officer on duty the citizen
waits, the officer joins from /ws/chat/staff/<id>/ and both sides see joined/typing/messages/left;
with nobody on duty the request is turned into the engine's "file a request" path; an emergency
flags the conversation urgent and alerts the desk."""

import uuid

import pytest
from asgiref.sync import sync_to_async

from chatbot import service
from chatbot.models import Conversation, Message
from desk.models import StaffProfile

from .chat_helpers import (  # noqa: F401
    DeskListener,
    ask,
    citizen,
    clean_cache,
    drain,
    make_user,
    on_duty,
    receive_until,
    staff_socket,
    welcome,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HANDOVER_ZH = "我要找人工客服"
EMERGENCY_ZH = "有人拿刀砍人，快来救命"


async def ask_for_a_person(socket):
    """Ask for a person and confirm whatever the assistant asks before handing over."""
    messages = await ask(socket, HANDOVER_ZH, client_id="h1")
    for _ in range(3):
        if any(m["type"] == "notice" and m.get("event") == "handover_waiting" for m in messages):
            break
        choices = [c for m in messages if m["type"] == "reply" for c in m["choices"]]
        confirm = next((c for c in choices if any(w in c["id"].lower() for w in ("confirm", "yes", "handover"))), None)
        if confirm is None:
            break
        await socket.send_json_to({"type": "choice", "choice": confirm["id"], "id": f"h-{confirm['id']}"})
        messages += await drain(socket, first=20)
    return messages


async def test_with_an_officer_on_duty_the_citizen_chats_live_with_them():
    await on_duty()
    desk = await DeskListener().start()
    socket = citizen()
    token = (await welcome(socket))["conversation"]
    messages = await ask_for_a_person(socket)
    replies = [m for m in messages if m["type"] == "reply"]
    assert replies, "the assistant says what will happen before the handover"
    waiting = next(m for m in messages if m["type"] == "notice")
    assert waiting["event"] == "handover_waiting"
    conv = await sync_to_async(Conversation.objects.get)(token=token)
    assert conv.status == "waiting"
    events = await desk.events()
    handover = next(e for e in events if e["type"] == "chat.handover")
    assert handover["conversation"] == str(conv.public_id) and handover["url"] == f"/admin/chat/{conv.public_id}/"

    officer = await sync_to_async(make_user)("duty-officer", "Duty staff")
    # Citizens see the officer's badge number, never the name or username (issue 10 item 13).
    await sync_to_async(StaffProfile.objects.create)(user=officer, badge_number="031207")
    staff = staff_socket(officer, conv.public_id, "last_seq=0")
    snapshot = await welcome(staff)
    assert snapshot["status"] == "waiting"
    transcript = await drain(staff)
    assert any(m["type"] == "citizen_message" and m["text"] == HANDOVER_ZH for m in transcript)

    await staff.send_json_to({"type": "join"})
    joined, _ = await receive_until(socket, "staff_joined")
    assert joined["name"] == "警号 031207" and "duty-officer" not in joined["text"]
    assert (await receive_until(staff, "status"))[0] == {"type": "status", "status": "live", "joined": True}

    await staff.send_json_to({"type": "typing"})
    assert await socket.receive_json_from() == {"type": "typing", "from": "staff"}
    await socket.send_json_to({"type": "typing"})
    typing, _ = await receive_until(staff, "typing")
    assert typing == {"type": "typing", "from": "citizen"}

    await staff.send_json_to({"type": "message", "text": "您好，我是值班民警。", "id": "s1"})
    said, _ = await receive_until(socket, "staff_message")
    assert said["text"] == "您好，我是值班民警。" and said["name"] == "警号 031207"

    bot_before = await sync_to_async(Message.objects.filter(sender="bot").count)()
    sent = await ask(socket, "我的身份证丢了", client_id="c-live", expect_reply=False)
    assert [m["type"] for m in sent] == ["citizen_message"], "the assistant is quiet while an officer chats"
    heard, _ = await receive_until(staff, "citizen_message")
    assert heard["text"] == "我的身份证丢了"
    assert await sync_to_async(Message.objects.filter(sender="bot").count)() == bot_before

    await staff.send_json_to({"type": "leave"})
    left, _ = await receive_until(socket, "staff_left")
    assert left["name"] == "警号 031207" and "duty-officer" not in left["text"]
    assert (await sync_to_async(Conversation.objects.get)(pk=conv.pk)).status == "bot"
    await staff.disconnect()
    await socket.disconnect()


async def test_with_nobody_on_duty_a_request_for_a_person_becomes_a_request():
    desk = await DeskListener().start()
    socket = citizen()
    token = (await welcome(socket))["conversation"]
    messages = await ask_for_a_person(socket)
    assert not any(m["type"] == "notice" for m in messages)
    last = [m for m in messages if m["type"] == "reply"][-1]
    assert last["intent"] in ("handover", "request"), last
    conv = await sync_to_async(Conversation.objects.get)(token=token)
    assert conv.status == "bot"
    assert not [e for e in await desk.events() if e["type"] == "chat.handover"]
    await socket.disconnect()


async def test_an_emergency_is_answered_with_the_numbers_first_and_alerts_the_desk():
    desk = await DeskListener().start()
    socket = citizen()
    token = (await welcome(socket))["conversation"]
    messages = await ask(socket, EMERGENCY_ZH, client_id="sos")
    first_reply = next(m for m in messages if m["type"] == "reply")
    assert first_reply["intent"] == "emergency"
    assert (
        first_reply["text"].lstrip().startswith(("110", "拨打", "请立即", "【", "紧急", "Call"))
        or "110" in first_reply["text"][:40]
    )
    conv = await sync_to_async(Conversation.objects.get)(token=token)
    assert conv.urgent is True
    events = await desk.events()
    alert = next(e for e in events if e["type"] == "chat.emergency")
    assert (
        alert["conversation"] == str(conv.public_id)
        and alert["urgent"] is True
        and EMERGENCY_ZH[:10] in alert["excerpt"]
    )
    await socket.disconnect()


async def test_an_emergency_during_a_live_chat_is_still_answered_at_once():
    await on_duty()
    socket = citizen()
    token = (await welcome(socket))["conversation"]
    conv = await sync_to_async(Conversation.objects.get)(token=token)
    officer = await sync_to_async(make_user)("sup", "Supervisors")
    await sync_to_async(service.staff_join)(conv, officer)
    await drain(socket)
    messages = await ask(socket, EMERGENCY_ZH, client_id="sos2")
    assert any(m["type"] == "reply" and m["intent"] == "emergency" for m in messages)
    await socket.disconnect()


async def test_the_staff_socket_is_refused_to_anyone_but_duty_staff_and_supervisors():
    from django.contrib.auth.models import AnonymousUser

    conv = await sync_to_async(Conversation.objects.create)()
    editor = await sync_to_async(make_user)("editor", "Editors")
    for user in (AnonymousUser(), editor):
        socket = staff_socket(user, conv.public_id)
        connected, code = await socket.connect()
        assert connected is False and code == 4403
    officer = await sync_to_async(make_user)("duty2", "Duty staff")
    socket = staff_socket(officer, uuid.uuid4())
    connected, _ = await socket.connect()
    assert connected is False, "an unknown conversation is refused like a forbidden one"


async def test_duty_staff_of_another_department_cannot_open_a_chat_with_a_request():
    from desk import demo
    from desk.models import Inquiry

    departments, categories = await sync_to_async(demo.seed_configuration)()

    def file():
        from desk import actions

        category = next(c for c in categories.values() if c.allows_kind("consultation"))
        result = actions.open_inquiry(
            kind="consultation",
            category=category,
            subject="身份证",
            description="身份证补办要带什么材料？",
            phone="13800000000",
            consent=True,
            channel="chat",
        )
        return Inquiry.objects.select_related("department").get(pk=result.inquiry.pk)

    inquiry = await sync_to_async(file)()
    conv = await sync_to_async(Conversation.objects.create)(inquiry=inquiry)
    other = next(d for d in departments.values() if d.pk != inquiry.department_id and not d.is_supervision)

    def officer_of(department, name):
        user = make_user(name, "Duty staff")
        department.members.add(user)
        return user

    outsider = await sync_to_async(officer_of)(other, "outsider")
    socket = staff_socket(outsider, conv.public_id)
    assert (await socket.connect())[0] is False
    insider = await sync_to_async(officer_of)(inquiry.department, "insider")
    socket = staff_socket(insider, conv.public_id)
    await welcome(socket)
    await socket.disconnect()
