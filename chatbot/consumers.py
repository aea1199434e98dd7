"""WebSocket consumers: the citizen's chat (/ws/chat/) and an officer's live chat
(/ws/chat/staff/<conversation id>/). The protocol is documented in docs/chat-protocol.md.

Both are thin: every decision is in chatbot.service. Each socket keeps a cursor `sent_seq`
(the highest message seq it has sent) and, whenever it learns that the conversation changed
(its own input, or a "conversation.updated" signal from the channel layer), it sends the
stored messages above the cursor in order. The database is the record; the signal may be lost.
"""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

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
TYPING_INTERVAL = 2.0  # seconds: at most one typing signal per connection in this interval
CONNECTION_COUNT_TTL = 6 * 3600  # a crashed worker's counts expire eventually


def _connections_key(address):
    return f"chat:connections:{address}"


def acquire_connection_slot(address):
    """Count one more open chat socket for this address; False when over the limit."""
    key = _connections_key(address)
    cache.add(key, 0, timeout=CONNECTION_COUNT_TTL)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=CONNECTION_COUNT_TTL)
        count = 1
    if count > settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS:
        release_connection_slot(address)
        return False
    return True


def release_connection_slot(address):
    key = _connections_key(address)
    try:
        if cache.decr(key) < 0:
            cache.set(key, 0, timeout=CONNECTION_COUNT_TTL)
    except ValueError:
        pass


def _query(scope):
    return {k: v[-1] for k, v in parse_qs(scope.get("query_string", b"").decode("latin-1")).items()}


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
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

    async def dispatch(self, message):
        """As Channels' dispatch, without its `aclose_old_connections()` before every handler: that
        is a hop to the one thread-sensitive thread for each frame and each signal, and these
        sockets never use that thread's connection (their database work runs in portal.dbpool,
        which looks after its own connections)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error(ChatError("bad_request", _("Send JSON text frames.")))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error(ChatError("bad_json", _("That was not valid JSON.")))
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error(ChatError("bad_request", _("Every message needs a type.")))
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
            return await in_pool(service.serialize)(msg)
        return service.serialize(msg)

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

    async def connect(self):
        self.flush_lock = asyncio.Lock()
        self.last_typing = 0.0
        self.address = scope_address(self.scope)
        self.slot = False
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
        if not self.slot:
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

    async def disconnect(self, code):
        if self.conv is not None:
            await self.channel_layer.group_discard(self.conv.group_name, self.channel_name)
            await self.stop_listening()
        if getattr(self, "slot", False):
            self.slot = False
            await in_pool(release_connection_slot)(self.address)

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
    """An officer's live-chat socket: /ws/chat/staff/<conversation id>/?last_seq=…

    Only Duty staff and Supervisors who may see the conversation (the department of the linked
    request, like the desk) can connect; others are refused at the handshake.
    """

    typing_from = "staff"

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
                "conversation": self.conv.pk,
                "status": self.conv.status,
                "urgent": self.conv.urgent,
                "last_seq": self.conv.last_seq,
                "lang": self.conv.lang,
                "assigned_to": display_name(self.conv.assigned_to) if self.conv.assigned_to_id else None,
                "you": display_name(self.user),
            }
        )
        await self.flush()

    def load(self, conv_id):
        if not service.is_chat_staff(self.user):
            return None
        return service.visible_conversations(self.user).filter(pk=conv_id).first()

    async def disconnect(self, code):
        if self.conv is None:
            return
        await self.channel_layer.group_discard(self.conv.group_name, self.channel_name)
        await self.stop_listening()
        if self.joined:
            # Closing the live chat leaves it: the citizen is told and the assistant takes over.
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
