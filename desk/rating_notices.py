"""Messages of 好差评: the closing notice with the rating link (to the citizen) and the
follow-up task of a bad rating (to the department's supervisors, then the bureau's Supervisors
when it is overdue). Queued like every other notification (`desk.notifications.queue`), inside
the caller's transaction."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import notifications
from .choices import NotificationChannel, NotificationPurpose

RATE_LINK_SALT = "desk.rate-link"
RATE_LINK_MAX_AGE = 60 * 60 * 24 * 90  # a rating link in the closing notice works for 90 days


def rate_token(inquiry):
    return signing.dumps({"r": inquiry.reference, "p": inquiry.pk}, salt=RATE_LINK_SALT, compress=True)


def read_rate_token(token):
    """(reference, pk) of a valid, unexpired rating link, else None."""
    try:
        data = signing.loads(token, salt=RATE_LINK_SALT, max_age=RATE_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), str) or not isinstance(data.get("p"), int):
        return None
    return data["r"], data["p"]


def rate_url(inquiry, lang="zh-hans"):
    with translation.override(lang):
        path = reverse("desk:rate_link", args=[rate_token(inquiry)])
    return notifications.site_url(path)


def queue_closing_notice(inquiry):
    """Tell the citizen the request is closed, with a link to rate the handling (好差评)."""
    with translation.override(inquiry.lang):
        url = rate_url(inquiry, inquiry.lang)
        subject = _("Your request %(reference)s is closed") % {"reference": inquiry.reference}
        body = _(
            "Your request %(reference)s has been closed. The reason is on the tracking page.\n\n"
            "Please tell us how satisfied you are (very satisfied … very dissatisfied): %(url)s\n\n"
            "Every dissatisfied rating is checked and you will be called back."
        ) % {"reference": inquiry.reference, "url": url}
        sms = _("Request %(reference)s closed. Please rate our service: %(url)s") % {
            "reference": inquiry.reference,
            "url": url,
        }
        return notifications.queue_to_citizen(inquiry, NotificationPurpose.CLOSING, subject, body, sms)


def _queue_to_staff(users, inquiry, subject, body):
    created = []
    for user in users:
        if user.email:
            created.append(
                notifications.queue(
                    channel=NotificationChannel.EMAIL,
                    recipient=user.email,
                    purpose=NotificationPurpose.FOLLOW_UP,
                    subject=subject,
                    body=body,
                    inquiry=inquiry,
                )
            )
    return created


def follow_up_url():
    try:
        return notifications.site_url(reverse("sunshine_admin:follow_ups"))
    except Exception:  # the admin URLs are not mounted (a minimal URLconf)
        return notifications.site_url("/admin/")


def queue_follow_up_task(follow_up, users):
    """A new follow-up task, by e-mail to the department's supervisors."""
    with translation.override(settings.LANGUAGE_CODE):
        inquiry = follow_up.inquiry
        subject = _("Dissatisfied rating: call back %(reference)s") % {"reference": inquiry.reference}
        body = _(
            "The citizen rated %(reference)s (%(department)s) as “%(level)s”. Call them back and record "
            "the fix by %(due)s.\n\n%(url)s"
        ) % {
            "reference": inquiry.reference,
            "department": follow_up.department.name,
            "level": follow_up.rating.get_score_display(),
            "due": timezone.localtime(follow_up.due_at).strftime("%Y-%m-%d %H:%M"),
            "url": follow_up_url(),
        }
    return _queue_to_staff(users, inquiry, subject, body)


def queue_follow_up_escalation(follow_up, supervisors):
    """An overdue follow-up, by e-mail to the bureau's Supervisors."""
    with translation.override(settings.LANGUAGE_CODE):
        inquiry = follow_up.inquiry
        subject = _("Overdue follow-up: %(reference)s") % {"reference": inquiry.reference}
        body = _(
            "The follow-up of the dissatisfied rating of %(reference)s (%(department)s) was due at %(due)s "
            "and has not been recorded.\n\n%(url)s"
        ) % {
            "reference": inquiry.reference,
            "department": follow_up.department.name,
            "due": timezone.localtime(follow_up.due_at).strftime("%Y-%m-%d %H:%M"),
            "url": follow_up_url(),
        }
    return _queue_to_staff(supervisors, inquiry, subject, body)
