"""The duty desk's live channel: `/ws/desk/` (protocol in docs/desk-staff.md).

Connect authorizes (anonymous → close 4401; signed in but not Duty staff / Supervisor → 4403;
nothing is sent before the close),
joins `desk.all` (Supervisors) or `desk.dept.<id>` for each of the user's departments, accepts,
marks the user present (desk.presence) and sends a snapshot (counts and the latest event
sequence number). Then it relays the events that desk.events sends after each commit, as
`{"type": "event", "event": "<type>", "id": <seq>, "data": {...}}`, and answers pings.

The channel layer only signals: the browser re-fetches the list (plain HTTP, with the usual
permission checks) when an event arrives or when it sees a gap in the ids.
"""

import asyncio
import contextlib
import json
import logging
import uuid

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.cache import cache

from . import events, permissions, presence

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_INTERNAL_ERROR = 1011
MAX_FRAME = 4096  # the browser sends {"type": "ping"} and {"type": "snapshot"}: nothing larger

# Keys of an event that are passed on to the browser (small, never HTML). Inquiry events carry
# ids and state only; chat events (chatbot.service) add the conversation id, the staff URL of
# the live chat and a short plain-text excerpt so an officer can judge an emergency at a glance.
RELAYED_KEYS = (
    "id",
    "reference",
    "department_id",
    "kind",
    "status",
    "priority",
    "urgent",
    "overdue",
    "assignee_id",
    "action",
    "conversation",
    "lang",
    "url",
    "excerpt",
)
EXCERPT_MAX = 200


@database_sync_to_async
def _staff_profile(user):
    """(allowed, is_supervisor, department ids, member of the supervision department)."""
    if not permissions.is_desk_staff(user):
        return False, False, set(), False
    from .models import Department

    supervisor = permissions.is_supervisor(user)
    departments = set(permissions.department_ids(user))
    supervision_member = Department.objects.filter(pk__in=departments, is_supervision=True).exists()
    return True, supervisor, departments, supervision_member


@database_sync_to_async
def _reload_user(pk):
    """A fresh user object (permission helpers cache groups and departments on the instance)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).first()


@database_sync_to_async
def _snapshot(user):
    from .queries import queue_counts

    return queue_counts(user)


class DeskConsumer(AsyncJsonWebsocketConsumer):
    """One staff browser tab's live connection to the desk."""

    groups = []  # joined explicitly in connect, after authorization

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        allowed, supervisor, departments, supervision_member = await _staff_profile(user)
        if not allowed:
            await self._refuse(CLOSE_FORBIDDEN)
            return
        self.user = user
        self.supervisor = supervisor
        self.departments = departments
        self.supervision_member = supervision_member
        self.conn_id = uuid.uuid4().hex
        self.seen = set()  # event sequence numbers already relayed (a member of two groups gets both)
        self.joined = [events.GROUP_ALL] if supervisor else [events.department_group(d) for d in sorted(departments)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self._mark_present()
        self.heartbeat = asyncio.ensure_future(self._heartbeat())
        counts = await _snapshot(user)
        await self.send_json(
            {
                "type": "snapshot",
                "counts": counts,
                "last_event_id": await cache.aget(events.SEQ_KEY, 0),
                "supervisor": supervisor,
                "departments": sorted(departments),
                "heartbeat": presence.HEARTBEAT_INTERVAL,
            }
        )

    async def _refuse(self, code):
        """Accept, then close at once with the reason code: closing before accepting would only
        give the browser an HTTP 403 on the handshake, and desk.js could not tell "signed out"
        (4401: stop reconnecting, sign in again) from a network failure (retry)."""
        await self.accept()
        await self.close(code=code)

    async def __call__(self, scope, receive, send):
        """Presence ends with the socket, whatever ends it: a close, a lost connection, a cancelled
        task or an exception that escaped a handler (then the heartbeat would otherwise go on
        marking a dead socket present, and the chat would promise citizens an officer)."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()

    async def _leave(self):
        """Stop the heartbeat, leave the groups, forget the presence (idempotent)."""
        if not hasattr(self, "conn_id") or getattr(self, "left", False):
            return
        self.left = True
        if getattr(self, "heartbeat", None) is not None:
            self.heartbeat.cancel()
        try:
            for group in self.joined:
                await self.channel_layer.group_discard(group, self.channel_name)
        finally:
            await database_sync_to_async(presence.mark_absent)(self.conn_id, self.departments, self.supervisor)

    async def disconnect(self, code):
        await self._leave()

    async def _mark_present(self):
        await database_sync_to_async(presence.mark_present)(self.conn_id, self.departments, self.supervisor)

    async def _heartbeat(self):
        """Refresh presence while the connection lives (a crashed worker's entries expire), and
        re-check the user: someone deactivated or taken off duty is disconnected (4403), and a
        change of departments takes effect without a reconnect."""
        while True:
            await asyncio.sleep(presence.HEARTBEAT_INTERVAL)
            try:
                if not await self._recheck():
                    await database_sync_to_async(presence.mark_absent)(self.conn_id, self.departments, self.supervisor)
                    await self.close(code=CLOSE_FORBIDDEN)
                    return
                await self._mark_present()
            except Exception:  # a database or cache hiccup must not end the loop; the next beat retries
                logger.exception("desk presence heartbeat failed")

    async def _recheck(self):
        user = await _reload_user(self.user.pk)
        allowed, supervisor, departments, supervision_member = await _staff_profile(user)
        if not allowed:
            return False
        joined = [events.GROUP_ALL] if supervisor else [events.department_group(d) for d in sorted(departments)]
        for group in set(self.joined) - set(joined):
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in set(joined) - set(self.joined):
            await self.channel_layer.group_add(group, self.channel_name)
        if departments != self.departments or supervisor != self.supervisor:
            # Presence is recorded per department: forget the old entry before writing the new one.
            await database_sync_to_async(presence.mark_absent)(self.conn_id, self.departments, self.supervisor)
        self.user, self.joined = user, joined
        self.supervisor, self.departments, self.supervision_member = supervisor, departments, supervision_member
        return True

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Malformed frames (binary, empty, not JSON, deeply nested, over MAX_FRAME) are ignored:
        the socket stays open, nothing is raised."""
        if not text_data or len(text_data) > MAX_FRAME:
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        if content.get("type") == "ping":
            await self._mark_present()
            await self.send_json({"type": "pong"})
        elif content.get("type") == "snapshot":
            counts = await _snapshot(self.user)
            last = await cache.aget(events.SEQ_KEY, 0)
            await self.send_json({"type": "snapshot", "counts": counts, "last_event_id": last})

    async def dispatch(self, message):
        """Channel-layer events (types like "inquiry.created") have no handler method of their
        own: every non-WebSocket message with a dotted type is relayed through `relay_event`."""
        message_type = message.get("type", "")
        try:
            if not message_type.startswith("websocket.") and "." in message_type:
                await self.relay_event(message)
                return
            await super().dispatch(message)
        except (StopConsumer, asyncio.CancelledError):
            raise
        except Exception:
            # Never a drop without a close frame: log, close with 1011, and end presence now.
            logger.exception("desk socket failed on %s", message_type)
            await self._leave()
            with contextlib.suppress(Exception):
                await self.close(code=CLOSE_INTERNAL_ERROR)
            raise StopConsumer() from None

    def _may_receive(self, message):
        if self.supervisor:
            return True
        # Complaints about police conduct: supervision department (and Supervisors) only, even
        # if an event were ever sent to another group by mistake.
        if message.get("confidential") and not self.supervision_member:
            return False
        department = message.get("department_id")
        return department is None or department in self.departments

    async def relay_event(self, message):
        seq = message.get("seq")
        if seq is not None:
            if seq in self.seen:
                return
            self.seen.add(seq)
            if len(self.seen) > 500:
                self.seen = set(sorted(self.seen)[-250:])
        if not self._may_receive(message):
            return
        data = {key: message[key] for key in RELAYED_KEYS if key in message}
        if isinstance(data.get("excerpt"), str):
            data["excerpt"] = data["excerpt"][:EXCERPT_MAX]
        if isinstance(data.get("url"), str) and not data["url"].startswith("/"):
            del data["url"]  # only links into this site
        await self.send_json({"type": "event", "event": message["type"], "id": seq, "data": data})
