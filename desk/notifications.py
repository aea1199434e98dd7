"""E-mail and SMS to citizens and supervisors: message building, queueing and backends.

Queueing writes a Notification row inside the caller's transaction (so it exists exactly when
the inquiry does); delivery happens later, outside any request, in `desk.tasks` (the
`manage.py desk_worker` loop; in DEBUG also a background thread started after commit). Staff
see each row's status and last error on the inquiry.

SMS backends (settings.SMS_BACKEND): "console" (prints), "memory" (appends to `sms_outbox`,
like Django's mail.outbox, for tests) or "http" (POST JSON {"to", "text"} to SMS_GATEWAY_URL
with "Authorization: Bearer SMS_GATEWAY_TOKEN"; any non-2xx answer is a failure). E-mail goes
through Django's mail framework (settings.EMAIL_BACKEND).
"""

import contextlib
import contextvars
import sys
import threading

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .choices import NotificationChannel, NotificationPurpose

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


# --- building and queueing ---------------------------------------------------------------


def site_url(path, base_url=None):
    """`path` on the portal's public address (desk.receipts.base_url: PORTAL_BASE_URL, else the
    request's address when the caller passes it, else WAGTAILADMIN_BASE_URL)."""
    from .receipts import base_url as public_base_url

    return (base_url or public_base_url()).rstrip("/") + path


def track_url(inquiry_or_reference, lang="zh-hans", base_url=None):
    reference = getattr(inquiry_or_reference, "reference", inquiry_or_reference)
    with translation.override(lang):
        path = reverse("desk:track")
    return site_url(f"{path}?reference={reference}", base_url)


def staff_path(inquiry):
    """The inquiry's page in the staff desk (H5's admin URLs), or the admin home as a fallback."""
    try:
        return reverse("desk_admin:inquiry", args=[inquiry.pk])
    except NoReverseMatch:
        return "/admin/"


def queue(*, channel, recipient, purpose, body, subject="", inquiry=None):
    from .models import Notification

    notification = Notification.objects.create(
        inquiry=inquiry,
        channel=channel,
        purpose=purpose,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        next_attempt_at=timezone.now(),
    )
    if not _inline_suppressed.get():  # decided now: the callback may run after the block
        transaction.on_commit(lambda: kick([notification.pk]))
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
    from . import receipts

    if not (inquiry.email or inquiry.phone):
        return []
    with translation.override(inquiry.lang):
        url = track_url(inquiry, inquiry.lang, base_url)
        signed = receipts.receipt(inquiry, inquiry.lang, base_url)
        subject = _("Your request %(reference)s was received") % {"reference": inquiry.reference}
        body = _(
            "We have received your request “%(subject)s”.\n\n"
            "Reference: %(reference)s\nAccess code: %(code)s\n\n"
            "Track it here with the reference and the access code: %(url)s\n\n"
            "Keep the access code private. In an emergency call 110."
        ) % {"subject": inquiry.subject, "reference": inquiry.reference, "code": access_code, "url": url}
        sms = _("Request %(reference)s received. Access code %(code)s. Track: %(url)s") % {
            "reference": inquiry.reference,
            "code": access_code,
            "url": url,
        }
        body += "\n\n" + _(
            "This receipt is signed by the bureau (electronic seal %(short_code)s). "
            "Anyone can check it here: %(verify_url)s"
        ) % {"short_code": signed["short_code"], "verify_url": signed["verify_url"]}
        sms += " " + _("Check the receipt: %(verify_url)s") % {"verify_url": signed["verify_url"]}
        return queue_to_citizen(inquiry, NotificationPurpose.RECEIPT, subject, body, sms)


def queue_reply_notice(inquiry):
    """Tell the citizen there is a reply (without its text: it needs the access code to read)."""
    with translation.override(inquiry.lang):
        url = track_url(inquiry, inquiry.lang)
        subject = _("There is a reply to your request %(reference)s") % {"reference": inquiry.reference}
        body = _(
            "The bureau has replied to your request %(reference)s.\n\n"
            "Read it here with your reference and access code: %(url)s"
        ) % {"reference": inquiry.reference, "url": url}
        sms = _("Reply to request %(reference)s: %(url)s") % {"reference": inquiry.reference, "url": url}
        return queue_to_citizen(inquiry, NotificationPurpose.REPLY, subject, body, sms)


def queue_escalation(inquiry, supervisors):
    """An overdue inquiry, by e-mail to each supervisor who has an address."""
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue: %(reference)s") % {"reference": inquiry.reference}
        body = _(
            "The inquiry %(reference)s (%(department)s) was due at %(due)s and has not been answered.\n\n%(url)s"
        ) % {
            "reference": inquiry.reference,
            "department": inquiry.department.name,
            "due": timezone.localtime(inquiry.due_at).strftime("%Y-%m-%d %H:%M"),
            "url": site_url(staff_path(inquiry)),
        }
    for user in supervisors:
        if user.email:
            created.append(
                queue(
                    channel=NotificationChannel.EMAIL,
                    recipient=user.email,
                    purpose=NotificationPurpose.ESCALATION,
                    subject=subject,
                    body=body,
                    inquiry=inquiry,
                )
            )
    return created


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


def kick(ids):
    """After commit: deliver at once in a background thread when DESK_NOTIFY_INLINE is on (the
    default under DEBUG, so `make run` sends without a worker). Never blocks the request; what
    fails here is retried by `manage.py desk_worker`."""
    if not getattr(settings, "DESK_NOTIFY_INLINE", settings.DEBUG):
        return
    from .tasks import deliver_ids

    threading.Thread(target=deliver_ids, args=(ids,), daemon=True, name="desk-notify").start()
