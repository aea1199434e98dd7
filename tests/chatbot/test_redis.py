"""A live chat across two server processes over the Redis channel layer: the citizen is
connected to server A, the duty officer (signed in with a real session cookie) to server B.
Presence, the handover event and every chat message cross processes through Redis."""

import asyncio
import json

import pytest
import websockets
from django.test import Client

from .chat_helpers import make_user

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def session_cookie(user):
    """A real session for `user` in the shared test database, as a Cookie header."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def receive(ws, wanted, timeout=15, **match):
    """The next message of type `wanted` (whose fields equal `match`), skipping others."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message.get("type") == wanted and all(message.get(k) == v for k, v in match.items()):
                return message


def test_citizen_on_one_server_chats_live_with_an_officer_on_another(asgi_server_factory, redis_url):
    officer = make_user("sup-redis", "Supervisors")
    cookie = {"Cookie": session_cookie(officer)}
    env = {"REDIS_URL": redis_url, "PORTAL_TEST_RATELIMIT_ENABLE": "false", "CHAT_MAX_CONNECTIONS_PER_ADDRESS": "1000"}
    server_a = asgi_server_factory(extra_env=env)
    server_b = asgi_server_factory(extra_env=env)

    async def scenario():
        # The officer has the duty desk open on server B: on duty, as seen from server A too.
        async with websockets.connect(
            server_b.ws_url + "/ws/desk/", origin=server_b.url, additional_headers=cookie
        ) as desk:
            await receive(desk, "snapshot")
            async with websockets.connect(
                server_a.ws_url + "/ws/chat/?lang=zh-hans&last_seq=0", origin=server_a.url
            ) as citizen:
                await receive(citizen, "welcome")
                await citizen.send(json.dumps({"type": "message", "text": "我要找人工客服", "id": "h1"}))
                offer = await receive(citizen, "reply", reply_to="h1", timeout=30)
                confirm = next(c for c in offer["choices"] if c["id"] == "handover:yes")
                await citizen.send(json.dumps({"type": "choice", "choice": confirm["id"], "id": "h2"}))
                await receive(citizen, "notice", event="handover_waiting")

                handover = await receive(desk, "event")
                while handover.get("event") != "chat.handover":
                    handover = await receive(desk, "event")
                conversation = handover["data"]["conversation"]

                async with websockets.connect(
                    f"{server_b.ws_url}/ws/chat/staff/{conversation}/?last_seq=0",
                    origin=server_b.url,
                    additional_headers=cookie,
                ) as staff:
                    await receive(staff, "welcome")
                    await receive(staff, "citizen_message", text="我要找人工客服")
                    await staff.send(json.dumps({"type": "join"}))
                    joined = await receive(citizen, "staff_joined")
                    assert joined["name"] == "值班主管" and "sup-redis" not in joined["text"]

                    await staff.send(json.dumps({"type": "typing"}))
                    assert (await receive(citizen, "typing"))["from"] == "staff"
                    await citizen.send(json.dumps({"type": "typing"}))
                    assert (await receive(staff, "typing"))["from"] == "citizen"

                    await staff.send(json.dumps({"type": "message", "text": "您好，我是值班民警。", "id": "s1"}))
                    said = await receive(citizen, "staff_message")
                    assert said["text"] == "您好，我是值班民警。"
                    await citizen.send(json.dumps({"type": "message", "text": "我的电动车被偷了", "id": "c3"}))
                    heard = await receive(staff, "citizen_message", id="c3")
                    assert heard["text"] == "我的电动车被偷了"

                    await staff.send(json.dumps({"type": "leave"}))
                    await receive(citizen, "staff_left")

    asyncio.run(scenario())


def test_the_staff_socket_needs_a_staff_session_on_a_real_server(asgi_server_factory, redis_url):
    editor_cookie = {"Cookie": session_cookie(make_user("editor-redis", "Editors"))}
    server = asgi_server_factory(extra_env={"REDIS_URL": redis_url})

    async def scenario():
        for headers in ({}, editor_cookie):
            with pytest.raises(websockets.InvalidStatus):
                async with websockets.connect(
                    server.ws_url + "/ws/chat/staff/00000000-0000-4000-8000-000000000001/",
                    origin=server.url,
                    additional_headers=headers,
                ) as ws:
                    await ws.recv()
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(server.ws_url + "/ws/chat/", origin="https://evil.example") as ws:
                await ws.recv()

    asyncio.run(scenario())


def test_an_idle_socket_survives_quiet_minutes_on_redis(asgi_server_factory, redis_url):
    """A worker with nothing to receive for longer than channels_redis's 5-second blocking pop
    keeps its sockets: a citizen who reads for a while and then asks is still connected and
    answered (redis-py's default read timeout of 5 s used to break the socket)."""
    env = {"REDIS_URL": redis_url, "PORTAL_TEST_RATELIMIT_ENABLE": "false"}
    server = asgi_server_factory(extra_env=env)

    async def scenario():
        async with websockets.connect(server.ws_url + "/ws/chat/?lang=en", origin=server.url) as ws:
            await receive(ws, "welcome")
            await asyncio.sleep(12)
            await ws.send(json.dumps({"type": "message", "text": "hello", "id": "after-quiet"}))
            reply = await receive(ws, "reply", reply_to="after-quiet")
            assert reply["intent"] == "greeting"

    asyncio.run(scenario())
