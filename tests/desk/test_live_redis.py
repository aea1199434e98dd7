"""The live-update path over the Redis channel layer with two server processes.

A duty officer's /ws/desk/ connection is held by server A; a citizen files a request through
the JSON API on server B; the event crosses processes through Redis and reaches the officer.
Presence is written to the shared (Redis) cache, so another process sees the officer on duty.
"""

import asyncio
import json
import urllib.request

import pytest
import websockets
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from desk import presence

from .test_admin_support import make_desk

pytestmark = pytest.mark.redis


def staff_cookie(user):
    """A real session for `user` in the shared test database, as a Cookie header."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def post_json(url, payload):
    request = urllib.request.Request(  # noqa: S310 (http:// URL of the local test server)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (a local test server)
        return response.status, json.loads(response.read())


async def receive(ws, wanted, timeout=10):
    """The next message of type `wanted` (skipping pongs and others)."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message.get("type") == wanted:
                return message


def test_staff_on_server_a_hears_about_a_request_filed_on_server_b(asgi_server_factory, redis_url, monkeypatch):
    desk = make_desk()
    env = {"REDIS_URL": redis_url, "PORTAL_TEST_RATELIMIT_ENABLE": "false"}
    server_a = asgi_server_factory(extra_env=env)
    server_b = asgi_server_factory(extra_env=env)
    cookie = staff_cookie(desk.duty)
    shared_cache = RedisCache(redis_url, {})
    monkeypatch.setattr(presence, "cache", shared_cache)

    async def scenario():
        headers = {"Cookie": cookie}
        async with websockets.connect(
            server_a.ws_url + "/ws/desk/", origin=server_a.url, additional_headers=headers
        ) as ws:
            snapshot = await receive(ws, "snapshot")
            # Presence written by server A is visible to any process through Redis.
            assert await asyncio.to_thread(presence.is_anyone_on_duty, desk.traffic.pk)

            status, body = await asyncio.to_thread(
                post_json,
                server_b.url + "/api/inquiries",
                {
                    "kind": "consultation",
                    "category": "traffic-fines",
                    "subject": "跨进程测试",
                    "description": "通过另一台服务器提交",
                    "phone": "13800138000",
                    "lang": "zh-hans",
                    "consent": True,
                },
            )
            assert status == 201, body
            event = await receive(ws, "event")
            assert event["event"] == "inquiry.created"
            assert event["data"]["reference"] == body["reference"]
            assert event["id"] > snapshot["last_event_id"]
        # After the socket closes, server A removes the officer from the shared presence.
        for _ in range(50):
            if not await asyncio.to_thread(presence.is_anyone_on_duty, desk.traffic.pk):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("presence still true after disconnect")

    asyncio.run(scenario())


def test_editor_session_is_refused_by_the_real_server(asgi_server_factory, redis_url):
    """Over a real server too: an Editor's session cannot open /ws/desk/, nor a foreign origin."""
    desk = make_desk()
    server = asgi_server_factory(extra_env={"REDIS_URL": redis_url})
    editor_cookie, duty_cookie = staff_cookie(desk.editor), staff_cookie(desk.duty)

    async def scenario():
        async with websockets.connect(
            server.ws_url + "/ws/desk/", origin=server.url, additional_headers={"Cookie": editor_cookie}
        ) as ws:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4403
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(
                server.ws_url + "/ws/desk/",
                origin="http://evil.example",
                additional_headers={"Cookie": duty_cookie},
            ):
                pass

    asyncio.run(scenario())
