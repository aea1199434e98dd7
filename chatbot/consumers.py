"""WebSocket consumers: the citizen's chat (/ws/chat/) and an officer's live chat
(/ws/chat/staff/<conversation id>/). The protocol is documented in docs/chat-protocol.md.

Both are thin: every decision is in chatbot.service. Each socket keeps a cursor `sent_seq`
(the highest message seq it has sent) and, whenever it learns that the conversation changed
(its own input, or a "conversation.updated" signal from the channel layer), it sends the
stored messages above the cursor in order. The database is the record; the signal may be lost.
"""

import asyncio
import contextlib
import json
import logging
import math
import secrets
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from desk.names import display_name
from portal import ratelimit
from portal.dbpool import db_pool
from portal.net import scope_address

from . import service
from .service import ChatError

logger = logging.getLogger(__name__)


def in_pool(func):
    """Run `func` (ORM and engine work) in the database pool (portal.dbpool) rather than the one
    thread-sensitive thread: answers for different conversations then overlap their database
    waits, and each pool thread keeps its connection. Everything it touches is safe across
    threads (a connection and a search reader per thread; rows locked per conversation)."""
    return db_pool(func)


CLOSE_LIMIT = 4429  # too many connections from one address (after an "error" message)
CLOSE_FORBIDDEN = 4403
CLOSE_INTERNAL_ERROR = 1011  # an unexpected failure: the socket is closed properly, its slot freed
TYPING_INTERVAL = 2.0  # seconds: at most one typing signal per connection in this interval

# --- Open sockets per client address ----------------------------------------------------------
#
# Each open socket holds a slot of its address: an entry {slot id: expires at} in one cache key
# per address (the cache is shared by the workers). A socket refreshes its entry every
# SLOT_REFRESH seconds while it lives and removes it when it ends, however it ends (the
# consumer's __call__ frees it in a `finally`). If a worker dies, its entries lapse after
# SLOT_TTL seconds: a crash never locks an address (a shared NAT) out for longer than that.
# Two workers writing the same address at the same instant can lose an entry; the lost socket
# puts it back at its next refresh (the count errs towards letting a citizen in).
SLOT_TTL = 180
SLOT_REFRESH = 60


def _now():
    return time.time()


def _connections_key(address):
    return f"chat:connections:{address}"


def _live_slots(key, now):
    return {slot: expires for slot, expires in (cache.get(key) or {}).items() if expires > now}


def acquire_connection_slot(address):
    """Take a slot for one more open chat socket from this address: the slot id, or None when
    the address already holds CHAT_MAX_CONNECTIONS_PER_ADDRESS live slots."""
    key, now = _connections_key(address), _now()
    slots = _live_slots(key, now)
    if len(slots) >= settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS:
        return None
    slot = secrets.token_hex(8)
    slots[slot] = now + SLOT_TTL
    cache.set(key, slots, timeout=SLOT_TTL)
    return slot


def refresh_connection_slot(address, slot):
    key, now = _connections_key(address), _now()
    slots = _live_slots(key, now)
    slots[slot] = now + SLOT_TTL
    cache.set(key, slots, timeout=SLOT_TTL)


def release_connection_slot(address, slot):
    key, now = _connections_key(address), _now()
    slots = _live_slots(key, now)
    slots.pop(slot, None)
    if slots:
        cache.set(key, slots, timeout=SLOT_TTL)
    else:
        cache.delete(key)


def open_connection_count(address):
    return len(_live_slots(_connections_key(address), _now()))


# --- Frames: one validator for the documented schema (docs/chat-protocol.md) -------------------

MAX_FRAME_DEPTH = 4  # {"type": …, "id": …}: nothing a client sends nests deeper


class FrameError(Exception):
    """A frame that does not fit the protocol: answered with an `error`, the socket stays open."""

    def __init__(self, code, field=None, expected=None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.expected = expected

    def as_chat_error(self):
        if self.code == "bad_json":
            return ChatError("bad_json", _("That was not valid JSON."))
        if self.field == "type":
            return ChatError("bad_request", _("Every message needs a type."), field="type")
        field = str(self.field or "")[:32]
        if self.expected is not None:
            message = _("The field “%(field)s” must be %(expected)s.") % {
                "field": field,
                "expected": _EXPECTED[self.expected],
            }
        elif field:
            message = _("The field “%(field)s” is not valid.") % {"field": field}
        else:
            message = _("That message does not fit the chat protocol.")
        return ChatError("bad_request", message, **({"field": field} if field else {}))


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_frame(text_data, schema):
    """The JSON object of one text frame, or FrameError: invalid JSON (NaN and Infinity included),
    not an object with a type, a field of the wrong type (`schema`), nesting deeper than any
    message needs, lone surrogates and non-finite numbers anywhere."""
    try:
        content = json.loads(text_data, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise FrameError("bad_json") from None
    if not isinstance(content, dict) or not isinstance(content.get("type"), str):
        raise FrameError("bad_request", "type")
    check_fields(content, schema)
    stack = [(content, 1, None)]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_FRAME_DEPTH:
            raise FrameError("bad_request", field)
        if isinstance(value, dict):
            for name, item in value.items():
                if not _is_text(name):
                    raise FrameError("bad_request", field)
                stack.append((item, depth + 1, field or name))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str):
            if not _is_text(value):
                raise FrameError("bad_request", field)
        elif isinstance(value, float) and not math.isfinite(value):
            raise FrameError("bad_request", field)
    return content


def _is_text(value):
    """A string that can be stored and sent: no lone surrogate halves, no NUL (PostgreSQL)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


TEXT, INTEGER, BOOLEAN, CLIENT_ID = "text", "integer", "boolean", "client id"

# The fields each client → server type may carry, with their type ({} for none); required ones
# are checked where they are used (their absence has its own documented error).
CITIZEN_FIELDS = {
    "message": {"text": TEXT, "id": CLIENT_ID, "lang": TEXT},
    "choice": {"choice": CLIENT_ID, "id": CLIENT_ID, "lang": TEXT},
    "feedback": {"seq": INTEGER, "helpful": BOOLEAN, "comment": TEXT},
    "typing": {},
    "resume": {"last_seq": INTEGER},
    "ping": {},
}
STAFF_FIELDS = {
    "join": {},
    "leave": {},
    "message": {"text": TEXT, "id": CLIENT_ID},
    "typing": {},
    "resume": {"last_seq": INTEGER},
    "ping": {},
}


def _fits(value, kind):
    if value is None:
        return True
    if kind == TEXT:
        return isinstance(value, str)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    if kind == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53
    # CLIENT_ID: a string or a whole number (widgets send either)
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53)


def check_fields(content, schema):
    """FrameError for a field of a known type whose value has the wrong type (unknown types are
    answered `unknown_type` by the consumer; unknown fields are ignored)."""
    fields = schema.get(content["type"])
    if fields is None:
        return
    for name, kind in fields.items():
        if not _fits(content.get(name), kind):
            raise FrameError("bad_request", name, kind)


_EXPECTED = {
    TEXT: pgettext_lazy("chat field type", "text"),
    INTEGER: pgettext_lazy("chat field type", "a whole number of 0 or more"),
    BOOLEAN: pgettext_lazy("chat field type", "true or false"),
    CLIENT_ID: pgettext_lazy("chat field type", "text or a whole number"),
}


def _query(scope):
    return {k: v[-1] for k, v in parse_qs(scope.get("query_string", b"").decode("latin-1")).items()}


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number >= 0 else None


class ConversationSocket(AsyncJsonWebsocketConsumer):
    """What both sockets share: the cursor, flushing stored messages, typing, errors."""

    typing_from = "citizen"

    conv = None
    sent_seq = 0

    listening = False

    async def stop_listening(self):
        if self.listening:
            self.listening = False
            await in_pool(service.listener_left)(self.conv.pk)

    schema = CITIZEN_FIELDS
    ended = False
    for_staff = False
    reveal = None  # {seq: text} of replies this socket shows once with their access code

    async def __call__(self, scope, receive, send):
        """Whatever ends the consumer (a close, a lost connection, a cancelled task, an exception
        that escaped), what the socket held is given back here: its connection slot, its listener
        count, a live chat it had joined."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.end()

    async def end(self):
        """Give back what this socket holds (idempotent; disconnect() and __call__ both call it)."""
        if self.ended:
            return
        self.ended = True
        try:
            await self.release()
        except Exception:
            logger.exception("chat socket: cleaning up failed")

    async def release(self):
        """What a socket gives back when it ends (each consumer adds its own)."""
        if self.conv is not None:
            await self.channel_layer.group_discard(self.conv.group_name, self.channel_name)
            await self.stop_listening()

    async def disconnect(self, code):
        await self.end()

    async def dispatch(self, message):
        """As Channels' dispatch, without its `aclose_old_connections()` before every handler: that
        is a hop to the one thread-sensitive thread for each frame and each signal, and these
        sockets never use that thread's connection (their database work runs in portal.dbpool,
        which looks after its own connections).

        An unexpected exception in a handler is logged and the socket is closed with 1011 (never
        dropped without a close frame), and what it held is given back at once."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except (StopConsumer, asyncio.CancelledError):
            raise
        except Exception:
            logger.exception("chat socket failed on %s", message.get("type"))
            await self.end()
            with contextlib.suppress(Exception):  # the connection may already be gone
                await self.close(code=CLOSE_INTERNAL_ERROR)
            raise StopConsumer() from None

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error(ChatError("bad_request", _("Send JSON text frames.")))
            return
        try:
            content = parse_frame(text_data, self.schema)
        except FrameError as exc:
            with translation.override(self.lang):
                await self.send_error(exc.as_chat_error())
            return
        await self.receive_json(content)

    async def send_error(self, error, **extra):
        with translation.override(self.lang):
            payload = error.as_event()
        await self.send_json({**payload, **extra})

    async def flush(self, messages=None):
        """Send every stored message above the cursor, in order, exactly once per socket."""
        async with self.flush_lock:
            if (
                messages
                and messages[0].seq == self.sent_seq + 1
                and all(b.seq == a.seq + 1 for a, b in zip(messages, messages[1:], strict=False))
            ):
                pending = messages
            else:
                pending = await in_pool(service.messages_since)(self.conv.pk, self.sent_seq)
            while pending:
                for msg in pending:
                    if msg.seq <= self.sent_seq:
                        continue
                    await self.send_json(await self.serialize(msg))
                    self.sent_seq = msg.seq
                if len(pending) < service.PAGE:
                    break
                pending = await in_pool(service.messages_since)(self.conv.pk, self.sent_seq)

    async def serialize(self, msg):
        cached = msg._state.fields_cache
        # An officer's public label (role, badge number: desk.names) is read from the database.
        if msg.author_id or (msg.reply_to_id and "reply_to" not in cached):
            data = await in_pool(service.serialize)(msg, self.for_staff)
        else:
            data = service.serialize(msg, self.for_staff)
        revealed = self.reveal.pop(msg.seq, None) if self.reveal else None
        if revealed is not None:
            data["text"] = revealed  # the receipt's access code, shown once to this socket only
        return data

    async def resume(self, last_seq):
        last_seq = _int_or_none(last_seq)
        if last_seq is None:
            await self.send_error(ChatError("bad_request", _("resume needs last_seq (a number).")))
            return
        async with self.flush_lock:
            self.sent_seq = last_seq
        await self.flush()

    async def send_typing(self):
        now = time.monotonic()
        if now - self.last_typing < TYPING_INTERVAL:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            self.conv.group_name, {"type": "chat.typing", "from": self.typing_from, "sender": self.channel_name}
        )

    # Channel-layer events (handler names equal event types).

    async def conversation_updated(self, event):
        if event.get("seq", 0) > self.sent_seq:
            await self.flush()

    async def chat_typing(self, event):
        if event.get("sender") != self.channel_name and event.get("from") != self.typing_from:
            await self.send_json({"type": "typing", "from": event.get("from")})


class ChatConsumer(ConversationSocket):
    """A citizen's chat socket: /ws/chat/?token=…&last_seq=…&lang=…"""

    typing_from = "citizen"
    slot = None
    slot_refresher = None

    async def connect(self):
        self.flush_lock = asyncio.Lock()
        self.last_typing = 0.0
        self.address = scope_address(self.scope)
        self.slot = None
        self.slot_refresher = None
        query = _query(self.scope)
        self.lang = service.normalize_lang(query.get("lang"))
        try:
            ratelimit.hit("chat_connections_address", self.address)
        except ratelimit.RateLimited as exc:
            await self.refuse(
                ChatError(
                    "rate_limited",
                    _("Too many new connections from your network. Please wait a minute."),
                    retry_after=exc.retry_after,
                )
            )
            return
        self.slot = await in_pool(acquire_connection_slot)(self.address)
        if self.slot is None:
            await self.refuse(
                ChatError(
                    "too_many_connections",
                    _("Too many chat windows are open from your network. Please close one and try again."),
                )
            )
            return
        session = self.scope.get("session")
        token = query.get("token") or (session.get("chat_token") if session is not None else None)
        self.conv, created = await in_pool(service.get_or_create_conversation)(token, self.lang, self.address)
        self.lang = service.normalize_lang(query.get("lang"), default=self.conv.lang)
        await self.remember_in_session(session)
        self.slot_refresher = asyncio.ensure_future(self.refresh_slot())
        await self.channel_layer.group_add(self.conv.group_name, self.channel_name)
        await in_pool(service.listener_joined)(self.conv.pk)
        self.listening = True
        await self.accept()
        last_seq = _int_or_none(query.get("last_seq"))
        self.sent_seq = last_seq if last_seq is not None else 0
        await self.send_json(
            {
                "type": "welcome",
                "conversation": self.conv.token,
                "resumed": not created,
                "status": self.conv.status,
                "last_seq": self.conv.last_seq,
                "lang": self.conv.lang,
                "max_length": service.MAX_MESSAGE_LENGTH,
            }
        )
        if self.conv.last_seq > self.sent_seq:  # (a new conversation has nothing to catch up)
            await self.flush()

    async def refuse(self, error):
        await self.accept()
        await self.send_error(error)
        await self.close(code=CLOSE_LIMIT)

    async def remember_in_session(self, session):
        """Keep the token in the HTTP session (when the browser has one) so the /chat/ page and
        the next page's widget resume the same conversation."""
        if session is None or not session.session_key:
            return

        def save():
            if session.get("chat_token") != self.conv.token:
                session["chat_token"] = self.conv.token
                session.save()

        try:
            await in_pool(save)()
        except Exception:  # a session that cannot be saved does not stop the chat
            logger.warning("could not store the chat token in the session", exc_info=True)

    async def refresh_slot(self):
        """Keep this socket's slot alive while it is open (a dead worker's slots lapse)."""
        while True:
            await asyncio.sleep(SLOT_REFRESH)
            try:
                await in_pool(refresh_connection_slot)(self.address, self.slot)
            except Exception:  # a cache hiccup: the next refresh retries
                logger.warning("chat: could not refresh a connection slot", exc_info=True)

    async def release(self):
        if self.slot_refresher is not None:
            self.slot_refresher.cancel()
        await super().release()
        if self.slot is not None:
            slot, self.slot = self.slot, None
            await in_pool(release_connection_slot)(self.address, slot)

    async def receive_json(self, content, **kwargs):
        if self.conv is None:
            return
        # Errors and system texts in the page's language (the context is per consumer task).
        with translation.override(self.lang):
            await self.dispatch_input(content)

    async def dispatch_input(self, content):
        kind = content["type"]
        if kind in ("message", "choice"):
            await self.on_input(content)
        elif kind == "feedback":
            await self.on_feedback(content)
        elif kind == "typing":
            await self.send_typing()
        elif kind == "resume":
            await self.resume(content.get("last_seq"))
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error(ChatError("unknown_type", _("Unknown message type.")), got=kind[:32])

    async def on_input(self, content):
        client_id = content.get("id")
        lang = service.normalize_lang(content.get("lang"), default=self.lang) if content.get("lang") else None
        reply_to = {"id": client_id} if isinstance(client_id, str | int) else {}
        try:
            if content["type"] == "message":
                # Validate before counting, so that an over-long message costs nothing.
                service.clean_message(content.get("text"))
            ratelimit.hit("chat_message_connection", self.channel_name)
            ratelimit.hit("chat_message_address", self.address)
        except ChatError as exc:
            await self.send_error(exc, **reply_to)
            return
        except ratelimit.RateLimited as exc:
            message = (
                _("You are sending messages too fast. Please wait %(seconds)s seconds.")
                if exc.name == "chat_message_connection"
                else _("Too many messages from your network. Please wait %(seconds)s seconds.")
            )
            with translation.override(self.lang):
                text = message % {"seconds": exc.retry_after}
            await self.send_error(
                ChatError("rate_limited", text, limit=exc.name, retry_after=exc.retry_after), **reply_to
            )
            return
        try:
            with service.from_own_socket():  # this socket sends the result itself
                if content["type"] == "message":
                    result = await in_pool(service.handle_message)(self.conv, content.get("text"), client_id, lang)
                else:
                    result = await in_pool(service.handle_choice)(self.conv, content.get("choice"), client_id, lang)
        except ChatError as exc:
            await self.send_error(exc, **reply_to)
            return
        self.reveal = {m.seq: m.revealed_text for m in result.replies if getattr(m, "revealed_text", None)} or None
        if result.duplicate:
            # Answered before: send the stored answer again (the client ignores seqs it has).
            for msg in result.messages:
                await self.send_json(await self.serialize(msg))
        # The citizen's message (as stored, with its seq), then the answer: stored before sent.
        await self.flush(None if result.duplicate else result.messages)

    async def on_feedback(self, content):
        try:
            ratelimit.hit("chat_feedback", self.address)
            await in_pool(service.handle_feedback)(
                self.conv, content.get("seq"), content.get("helpful"), content.get("comment", "")
            )
        except ChatError as exc:
            await self.send_error(exc, seq=content.get("seq"))
            return
        except ratelimit.RateLimited as exc:
            with translation.override(self.lang):
                error = ChatError("rate_limited", _("Too much feedback at once."), retry_after=exc.retry_after)
            await self.send_error(error)
            return
        await self.send_json({"type": "feedback_saved", "seq": content.get("seq"), "helpful": content.get("helpful")})


class StaffChatConsumer(ConversationSocket):
    """An officer's live-chat socket: /ws/chat/staff/<conversation public id>/?last_seq=…

    Only Duty staff and Supervisors who may see the conversation (the department of the linked
    request, like the desk) can connect; others are refused at the handshake.
    """

    typing_from = "staff"
    schema = STAFF_FIELDS
    joined = False
    for_staff = True

    async def connect(self):
        self.flush_lock = asyncio.Lock()
        self.last_typing = 0.0
        self.user = self.scope.get("user")
        query = _query(self.scope)
        self.lang = service.normalize_lang(query.get("lang"))
        self.joined = False
        conv_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        self.conv = await in_pool(self.load)(conv_id)
        if self.conv is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.joined = self.conv.status == "live" and self.conv.assigned_to_id == self.user.pk
        await self.channel_layer.group_add(self.conv.group_name, self.channel_name)
        await in_pool(service.listener_joined)(self.conv.pk)
        self.listening = True
        await self.accept()
        last_seq = _int_or_none(query.get("last_seq"))
        self.sent_seq = last_seq if last_seq is not None else 0
        await self.send_json(
            {
                "type": "welcome",
                "conversation": str(self.conv.public_id),
                "status": self.conv.status,
                "urgent": self.conv.urgent,
                "last_seq": self.conv.last_seq,
                "lang": self.conv.lang,
                "assigned_to": display_name(self.conv.assigned_to) if self.conv.assigned_to_id else None,
                "you": display_name(self.user),
            }
        )
        await self.flush()

    def load(self, public_id):
        if not service.is_chat_staff(self.user):
            return None
        return service.visible_conversations(self.user).filter(public_id=public_id).first()

    async def release(self):
        await super().release()
        if self.conv is not None and self.joined:
            # Closing the live chat leaves it: the citizen is told and the assistant takes over.
            self.joined = False
            await in_pool(service.staff_leave)(self.conv, self.user)

    async def receive_json(self, content, **kwargs):
        if self.conv is None:
            return
        with translation.override(self.lang):
            await self.dispatch_input(content)

    async def dispatch_input(self, content):
        kind = content["type"]
        if kind == "typing":
            await self.send_typing()
        elif kind == "resume":
            await self.resume(content.get("last_seq"))
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind in ("join", "leave", "message"):
            try:
                with service.from_own_socket():  # this socket sends the result itself (flush below)
                    await self.act(kind, content)
            except ChatError as exc:
                await self.send_error(exc)
                return
            await self.send_json({"type": "status", "status": self.conv.status, "joined": self.joined})
            await self.flush()
        else:
            await self.send_error(ChatError("unknown_type", _("Unknown message type.")), got=kind[:32])

    async def act(self, kind, content):
        if kind == "join":
            await in_pool(service.staff_join)(self.conv, self.user)
            self.joined = True
        elif kind == "leave":
            await in_pool(service.staff_leave)(self.conv, self.user)
            self.joined = False
        else:
            await in_pool(service.staff_message)(self.conv, self.user, content.get("text"), content.get("id"))
            self.joined = True
