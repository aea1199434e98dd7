"""The texts the desk sends: receipts, reply notices and escalations, with the links in them.

Plain functions that build (subject, body, sms) from an inquiry; nothing here writes a row or
sends anything (`desk.notifications` queues what these build, `desk.delivery` sends it).
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _


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
    """The inquiry's page in the staff desk, or the admin home as a fallback."""
    try:
        return reverse("desk_admin:inquiry", args=[inquiry.pk])
    except NoReverseMatch:
        return "/admin/"


def receipt(inquiry, access_code, base_url=None):
    """(subject, body, sms) telling the citizen the reference, access code, tracking link and the
    signed receipt's check link."""
    from . import receipts

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
    return subject, body, sms


def reply_notice(inquiry):
    """(subject, body, sms): there is a reply (without its text: it needs the access code)."""
    with translation.override(inquiry.lang):
        url = track_url(inquiry, inquiry.lang)
        subject = _("There is a reply to your request %(reference)s") % {"reference": inquiry.reference}
        body = _(
            "The bureau has replied to your request %(reference)s.\n\n"
            "Read it here with your reference and access code: %(url)s"
        ) % {"reference": inquiry.reference, "url": url}
        sms = _("Reply to request %(reference)s: %(url)s") % {"reference": inquiry.reference, "url": url}
    return subject, body, sms


def escalation(inquiry):
    """(subject, body) of the overdue e-mail to supervisors, in the bureau's language."""
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
    return subject, body
