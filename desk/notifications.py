"""Queueing e-mail and SMS to citizens and supervisors.

Queueing writes a Notification row inside the caller's transaction (so it exists exactly when
the inquiry does); `desk.messages` builds the texts, `desk.delivery` sends the rows later,
outside any request (the `manage.py desk_worker` loop; with DESK_NOTIFY_INLINE also a background
thread started after commit). Staff see each row's status and last error on the inquiry.

Imports go one way: desk.actions → desk.notifications → desk.messages, desk.delivery.
"""

from django.db import transaction
from django.utils import timezone

from . import delivery, messages
from .choices import NotificationChannel, NotificationPurpose
from .delivery import queue_only, sms_outbox  # noqa: F401 (the names callers and tests use)
from .messages import site_url, staff_path, track_url  # noqa: F401
from .models import Notification


def queue(*, channel, recipient, purpose, body, subject="", inquiry=None):
    notification = Notification.objects.create(
        inquiry=inquiry,
        channel=channel,
        purpose=purpose,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        next_attempt_at=timezone.now(),
    )
    if not delivery.inline_suppressed():  # decided now: the callback may run after the block
        transaction.on_commit(lambda: delivery.kick([notification.pk]))
    return notification


def queue_to_citizen(inquiry, purpose, subject, body, sms_text):
    created = []
    if inquiry.email:
        created.append(
            queue(
                channel=NotificationChannel.EMAIL,
                recipient=inquiry.email,
                purpose=purpose,
                subject=subject,
                body=body,
                inquiry=inquiry,
            )
        )
    if inquiry.phone:
        created.append(
            queue(
                channel=NotificationChannel.SMS,
                recipient=inquiry.phone,
                purpose=purpose,
                body=sms_text,
                inquiry=inquiry,
            )
        )
    return created


def queue_receipt(inquiry, access_code, base_url=None):
    """Reference, access code, tracking link and the signed receipt's check link to the citizen
    (e-mail and/or SMS)."""
    if not (inquiry.email or inquiry.phone):
        return []
    subject, body, sms = messages.receipt(inquiry, access_code, base_url)
    return queue_to_citizen(inquiry, NotificationPurpose.RECEIPT, subject, body, sms)


def queue_reply_notice(inquiry):
    """Tell the citizen there is a reply (without its text: it needs the access code to read)."""
    subject, body, sms = messages.reply_notice(inquiry)
    return queue_to_citizen(inquiry, NotificationPurpose.REPLY, subject, body, sms)


def queue_escalation(inquiry, supervisors):
    """An overdue inquiry, by e-mail to each supervisor who has an address."""
    subject, body = messages.escalation(inquiry)
    return [
        queue(
            channel=NotificationChannel.EMAIL,
            recipient=user.email,
            purpose=NotificationPurpose.ESCALATION,
            subject=subject,
            body=body,
            inquiry=inquiry,
        )
        for user in supervisors
        if user.email
    ]
