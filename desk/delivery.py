"""Sending queued notifications: SMS backends, e-mail, leasing rows, retries.

The Notification rows are the durable queue (`desk.notifications` writes them). `deliver_due()`
claims due rows (a lease: the row's next attempt is pushed `LEASE` ahead and its attempt count
raised inside a short transaction, with SKIP LOCKED on PostgreSQL), sends them outside any
transaction, and records the outcome. A worker that dies mid-send leaves the row to be retried
when the lease expires (at-least-once delivery). Failures retry with exponential backoff: 1, 2,
4, … minutes, capped at 6 hours, for MAX_ATTEMPTS attempts; then the row stays "failed" with its
last error, which staff see on the inquiry.

SMS backends (settings.SMS_BACKEND): "console" (prints), "memory" (appends to `sms_outbox`,
like Django's mail.outbox, for tests) or "http" (POST JSON {"to", "text"} to SMS_GATEWAY_URL
with "Authorization: Bearer SMS_GATEWAY_TOKEN"; any non-2xx answer is a failure). E-mail goes
through Django's mail framework (settings.EMAIL_BACKEND).

Imports only `desk.models` and `desk.choices`: nothing here knows about inquiries' life cycle.
"""

import contextlib
import contextvars
import datetime
import logging
import sys
import threading

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .choices import NotificationChannel, NotificationStatus
from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = datetime.timedelta(minutes=1)
BACKOFF_MAX = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(minutes=10)

# In-memory SMS outbox of the "memory" backend: a list of {"to", "text"} dicts.
sms_outbox = []


class DeliveryError(Exception):
    pass


class ConsoleSMSBackend:
    def send(self, to, text):
        sys.stdout.write(f"[SMS to {to}] {text}\n")
        sys.stdout.flush()


class MemorySMSBackend:
    def send(self, to, text):
        sms_outbox.append({"to": to, "text": text})


class HttpSMSBackend:
    timeout = 10

    def send(self, to, text):
        import httpx

        if not settings.SMS_GATEWAY_URL:
            raise DeliveryError("SMS_GATEWAY_URL is not set")
        headers = {}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        try:
            response = httpx.post(
                settings.SMS_GATEWAY_URL, json={"to": to, "text": text}, headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"SMS gateway unreachable: {exc}") from exc
        if not response.is_success:
            raise DeliveryError(f"SMS gateway answered {response.status_code}: {response.text[:200]}")


SMS_BACKENDS = {"console": ConsoleSMSBackend, "memory": MemorySMSBackend, "http": HttpSMSBackend}


def get_sms_backend():
    try:
        return SMS_BACKENDS[settings.SMS_BACKEND]()
    except KeyError:
        raise DeliveryError(f"unknown SMS_BACKEND {settings.SMS_BACKEND!r}") from None


def send_now(notification):
    """Deliver one notification; raises DeliveryError (or the mail backend's error) on failure."""
    if notification.channel == NotificationChannel.EMAIL:
        sent = send_mail(
            notification.subject or notification.body[:60],
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient],
            fail_silently=False,
        )
        if sent != 1:
            raise DeliveryError("the mail backend accepted no message")
    elif notification.channel == NotificationChannel.SMS:
        get_sms_backend().send(notification.recipient, notification.body)
    else:
        raise DeliveryError(f"unknown channel {notification.channel!r}")


# --- leasing and retries ---------------------------------------------------------------------


def backoff(attempts):
    """Delay after the `attempts`-th failed attempt."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _due_filter(now):
    return Q(status__in=[NotificationStatus.QUEUED, NotificationStatus.FAILED], next_attempt_at__lte=now)


def claim(now=None, limit=50, ids=None):
    """Lease up to `limit` due notifications; returns them."""
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


# --- the first attempt right after commit ----------------------------------------------------

_inline_suppressed = contextvars.ContextVar("desk_inline_suppressed", default=False)


@contextlib.contextmanager
def queue_only():
    """Inside this block nothing is sent in a background thread (e.g. while seeding demo data):
    the rows wait for `desk_worker`."""
    token = _inline_suppressed.set(True)
    try:
        yield
    finally:
        _inline_suppressed.reset(token)


def inline_suppressed():
    return _inline_suppressed.get()


def kick(ids):
    """After commit: deliver at once in a background thread when DESK_NOTIFY_INLINE is on (the
    default under DEBUG, so `make run` sends without a worker). Never blocks the request; what
    fails here is retried by `manage.py desk_worker`."""
    if not getattr(settings, "DESK_NOTIFY_INLINE", settings.DEBUG):
        return
    threading.Thread(target=deliver_ids, args=(ids,), daemon=True, name="desk-notify").start()
