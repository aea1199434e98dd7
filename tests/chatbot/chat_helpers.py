"""Shared helpers for the chat transport tests (consumers, views, Redis): sockets on the real
ASGI application (origin check and session auth included), users in the real groups, and a
listener on the duty desk's channel-layer group."""

import asyncio
import itertools

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache

from chatbot.routing import websocket_urlpatterns

ORIGIN = (b"origin", b"http://testserver")
HOST = (b"host", b"testserver")
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def clean_cache():
    """Rate-limit windows, connection counts and presence live in the (locmem) cache."""
    cache.clear()
    yield
    cache.clear()


def application():
    from portal.asgi import application as app

    return app


def citizen(query="", address="198.51.100.7", origin=ORIGIN):
    """A citizen's /ws/chat/ socket through the whole ASGI stack (origin check, sessions)."""
    headers = [HOST] + ([origin] if origin else [])
    communicator = WebsocketCommunicator(application(), f"/ws/chat/{'?' + query if query else ''}", headers=headers)
    communicator.scope["client"] = (address, 40000 + next(_ids))
    return communicator


def staff_socket(user, conversation_id, query=""):
    """An officer's socket: the chat routes with `user` as the authenticated user (what the
    session middleware would put in the scope)."""
    path = f"/ws/chat/staff/{conversation_id}/{'?' + query if query else ''}"
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path, headers=[HOST, ORIGIN])
    communicator.scope["user"] = user
    communicator.scope["client"] = ("10.0.0.5", 50000 + next(_ids))
    return communicator


async def receive_until(communicator, wanted, timeout=5):
    """Collect messages until one of type `wanted` arrives; returns (that one, all before it)."""
    seen = []
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] == wanted:
            return message, seen
        seen.append(message)


async def drain(communicator, quiet=0.3, first=None):
    """Everything that arrives until `quiet` seconds pass without a message; with `first`, wait
    up to that many seconds for the first one (the engine may be warming up)."""
    messages = []
    if first:
        messages.append(await communicator.receive_json_from(timeout=first))
    # receive_nothing() waits without cancelling the application (a receive timeout would).
    while not await communicator.receive_nothing(timeout=quiet, interval=0.02):
        messages.append(await communicator.receive_json_from())
    return messages


async def welcome(communicator):
    connected, _ = await communicator.connect()
    assert connected
    first = await communicator.receive_json_from()
    assert first["type"] == "welcome"
    return first


async def ask(communicator, text, client_id=None, expect_reply=True, **extra):
    """Send a message and return what follows: the acknowledgement (or an error), then, with
    `expect_reply`, everything up to the assistant's reply to it, then until the socket is quiet."""
    client_id = client_id or f"c{next(_ids)}"
    await communicator.send_json_to({"type": "message", "text": text, "id": client_id, **extra})
    messages = [await communicator.receive_json_from(timeout=20)]
    if expect_reply and messages[0]["type"] == "citizen_message":
        while not (messages[-1]["type"] == "reply" and messages[-1]["reply_to"] == client_id):
            messages.append(await communicator.receive_json_from(timeout=20))
    return messages + await drain(communicator)


def make_user(username, group):
    """A user in one of the real groups, which (as seed_demo sets up) may log into the admin."""
    user = User.objects.create_user(username, f"{username}@police.example", "pw-123456")
    group_obj = Group.objects.get_or_create(name=group)[0]
    group_obj.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group_obj)
    return user


class DeskListener:
    """Listens on the duty desk's `desk.all` group, where desk.events sends chat events."""

    def __init__(self):
        self.layer = get_channel_layer()

    async def start(self):
        self.channel = await self.layer.new_channel()
        await self.layer.group_add("desk.all", self.channel)
        return self

    async def next(self, timeout=3):
        return await asyncio.wait_for(self.layer.receive(self.channel), timeout)

    async def events(self, quiet=0.3):
        found = []
        while True:
            try:
                found.append(await self.next(timeout=quiet))
            except TimeoutError:
                return found


async def on_duty(user=None):
    """Record a live desk connection for a Supervisor (what the /ws/desk/ consumer does)."""
    from desk.presence import mark_present

    await sync_to_async(mark_present)(f"test-{next(_ids)}", (), True)
