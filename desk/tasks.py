"""Background work of the duty desk: notification delivery with retries, overdue escalation,
forgetting old idempotency keys.

The Notification rows are the durable queue. `deliver_due()` claims due rows (a lease: the
row's next attempt is pushed `LEASE` ahead and its attempt count raised inside a short
transaction, with SKIP LOCKED on PostgreSQL), sends them outside any transaction, and records
the outcome. A worker that dies mid-send leaves the row to be retried when the lease expires
(at-least-once delivery). Failures retry with exponential backoff: 1, 2, 4, … minutes, capped
at 6 hours, for MAX_ATTEMPTS attempts; then the row stays "failed" with its last error, which
staff see on the inquiry.

Run `manage.py desk_worker` next to the web server (it loops: deliver, escalate, purge, sleep).
"""

import datetime
import logging

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .choices import NotificationStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = datetime.timedelta(minutes=1)
BACKOFF_MAX = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(minutes=10)
# How long an Idempotency-Key (API), form token or chat filing key is remembered: a retry within
# this time gets the first answer (docs/api-inquiries.md). Retries follow a timeout or an error
# within minutes; a week also covers a client that queued its retries over a long weekend.
IDEMPOTENCY_KEY_RETENTION = datetime.timedelta(days=7)
PURGE_BATCH = 1000


def backoff(attempts):
    """Delay after the `attempts`-th failed attempt."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _due_filter(now):
    return Q(status__in=[NotificationStatus.QUEUED, NotificationStatus.FAILED], next_attempt_at__lte=now)


def claim(now=None, limit=50, ids=None):
    """Lease up to `limit` due notifications; returns them."""
    from .models import Notification

    now = now or timezone.now()
    with transaction.atomic():
        queryset = Notification.objects.filter(_due_filter(now)).order_by("next_attempt_at", "pk")
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        rows = list(queryset[:limit])
        if rows:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                next_attempt_at=now + LEASE, attempts=F("attempts") + 1
            )
    for row in rows:
        row.attempts += 1
    return rows


def deliver(notification, now=None):
    """Send one leased notification and record the outcome. Returns True when sent."""
    from .models import Notification
    from .notifications import send_now

    try:
        send_now(notification)
    except Exception as exc:
        now = now or timezone.now()
        give_up = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification.pk).update(
            status=NotificationStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=None if give_up else now + backoff(notification.attempts),
        )
        logger.warning("notification %s attempt %s failed: %s", notification.pk, notification.attempts, exc)
        return False
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    return True


def deliver_due(now=None, limit=50):
    """Deliver every due notification (one batch). Returns (sent, failed)."""
    sent = failed = 0
    for notification in claim(now=now, limit=limit):
        if deliver(notification, now=now):
            sent += 1
        else:
            failed += 1
    return sent, failed


def deliver_ids(ids):
    """First attempt for freshly queued notifications (the after-commit background thread)."""
    try:
        for notification in claim(ids=ids, limit=len(ids)):
            deliver(notification)
    except Exception:  # the worker retries whatever is left
        logger.exception("inline notification delivery failed")
    finally:
        connection.close()


def escalate_overdue(now=None):
    """Escalate every overdue inquiry not yet escalated; returns how many."""
    from .actions import escalate
    from .deadlines import overdue_inquiries

    count = 0
    for inquiry in overdue_inquiries(now).filter(escalated_at__isnull=True).only("pk"):
        if escalate(inquiry, now=now):
            count += 1
    return count


def purge_idempotency_records(now=None, keep=IDEMPOTENCY_KEY_RETENTION, batch_size=PURGE_BATCH):
    """Forget idempotency keys older than `keep` (the inquiries stay); returns how many.

    The records hold the access code sealed with SECRET_KEY, so they are not kept longer than
    a retry needs. Deleted in batches: on SQLite each batch holds the write lock only briefly.
    """
    from .models import IdempotencyRecord

    cutoff = (now or timezone.now()) - keep
    total = 0
    while True:
        batch = list(IdempotencyRecord.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not batch:
            return total
        total += IdempotencyRecord.objects.filter(pk__in=batch).delete()[0]
