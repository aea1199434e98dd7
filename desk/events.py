"""Real-time events for the staff desk, sent to channel-layer groups only after commit.

Groups: `desk.all` (Supervisors: everything) and `desk.dept.<id>` (that department's Duty staff).
An event is small: `{"type": "inquiry.created", "id": 42, "seq": 1187}`; `seq` increases with
every event sent by any process (a counter in the shared cache; Redis when REDIS_URL is set), so
a client that sees a jump re-fetches its list. Never HTML, never personal data.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GROUP_ALL = "desk.all"
SEQ_KEY = "desk:event-seq"


def department_group(department_id):
    return f"desk.dept.{department_id}"


def next_seq():
    cache.add(SEQ_KEY, 0, timeout=None)
    try:
        return cache.incr(SEQ_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(SEQ_KEY, 1, timeout=None)
        return 1


def groups_for(department_ids=None):
    groups = [GROUP_ALL]
    for department_id in department_ids or ():
        if department_id is not None:
            groups.append(department_group(department_id))
    return list(dict.fromkeys(groups))


def send_event(event_type, data, department_ids=None):
    """Send now (use `send_event_on_commit` from actions). Failures are logged, never raised."""
    layer = get_channel_layer()
    if layer is None:
        return None
    message = {**data, "type": event_type, "seq": next_seq()}
    for group in groups_for(department_ids):
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:  # the request is committed; a lost live event only delays the UI
            logger.exception("could not send desk event %s to %s", event_type, group)
    return message


def send_event_on_commit(event_type, data, department_ids=None):
    """Send `{"type": event_type, **data, "seq": N}` to desk.all and each department's group after
    the current transaction commits (at once when there is none). Nothing is sent on rollback."""
    data = dict(data)
    department_ids = list(department_ids or ())
    transaction.on_commit(lambda: send_event(event_type, data, department_ids))
