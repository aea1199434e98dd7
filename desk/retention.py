"""The duty desk's part of the privacy notice's retention periods (run by portal.retention).

- Online requests and their handling record: 3 years after closing, then anonymised; a request
  that is part of a case file (`Inquiry.case_file`) is kept under the case-file rules instead.
  Anonymised, not deleted: the row keeps what statistics count (kind, category, department,
  status, channel, the filing, due, first-reply and closing times, the rating's score), so
  response-time figures for past years do not change when old requests reach their end.
- Technical data (the citizen's and the officer's IP address, kept "for security and to prevent
  abuse"): the notice keeps access logs at least 6 months; addresses older than that are
  cleared from inquiries, citizen messages and audit-log entries.

Every function takes `now` and `dry_run` and returns how many rows it changed (or would change).
Citizens cannot upload files: there are no attachments to delete.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import integrity
from .choices import AuditAction, EntryKind, Status
from .models import AuditLog, FollowUp, IdempotencyRecord, Inquiry, Notification, Rating, TimelineEntry

BATCH = 200
# Audit entries whose detail is free text an officer wrote (reasons): blanked at anonymisation.
# The others hold ids and choices (who assigned whom, from which priority to which).
FREE_TEXT_AUDIT = (
    AuditAction.CLOSE,
    AuditAction.REOPEN,
    AuditAction.JUNK,
    AuditAction.URGENT,
    AuditAction.CASE_FILE,
    AuditAction.OVERTURN_JUNK,
)


def years_before(moment, years):
    """The same calendar day `years` earlier (29 February → 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def months_before(moment, months):
    """The same day `months` calendar months earlier (31 → the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    first_of_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (first_of_next - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def anonymizable(now=None):
    """Closed (or junk) requests closed more than 3 years ago, not yet anonymised, not case files."""
    cutoff = years_before(timezone.localtime(now or timezone.now()), 3)
    return Inquiry.objects.filter(
        status__in=[Status.CLOSED, Status.JUNK],
        closed_at__lt=cutoff,
        anonymized_at__isnull=True,
        case_file=False,
    )


def anonymize_inquiries(now=None, dry_run=False):
    """Remove the personal data of requests past their retention; returns how many."""
    now = now or timezone.now()
    if dry_run:
        return anonymizable(now).count()
    total = 0
    while True:
        with transaction.atomic():
            # Locked and checked again: a request reopened meanwhile is left alone.
            ids = list(anonymizable(now).select_for_update().order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return total
            _anonymize(ids, now)
        total += len(ids)


def _anonymize(ids, now):
    Inquiry.objects.filter(pk__in=ids).update(
        subject="",
        description="",
        location="",
        event_time=None,
        name="",
        phone="",
        email="",
        client_address="",
        # Without a code hash no access code matches: the request cannot be tracked any more.
        access_code_salt="",
        access_code_hash="",
        anonymized_at=now,
    )
    # Through the hash chain's retention path: the chain keeps the digests, so it stays valid.
    integrity.redact(TimelineEntry.objects.filter(inquiry_id__in=ids), ["text", "public_reason", "address"])
    Rating.objects.filter(inquiry_id__in=ids).update(comment="")
    # The follow-up's notes go; whether and when it was done stays (the statistics count it).
    FollowUp.objects.filter(inquiry_id__in=ids).update(call_note="", fix="")
    Notification.objects.filter(inquiry_id__in=ids).delete()  # recipients and texts
    IdempotencyRecord.objects.filter(inquiry_id__in=ids).delete()  # sealed access codes
    AuditLog.objects.filter(inquiry_id__in=ids, action__in=FREE_TEXT_AUDIT).redact("detail")
    AuditLog.objects.bulk_create(
        AuditLog(
            username="retention",
            action=AuditAction.ANONYMIZE,
            inquiry_id=pk,
            reference=reference,
            detail="3 years after closing (privacy notice)",
            created_at=now,
        )
        for pk, reference in Inquiry.objects.filter(pk__in=ids).values_list("pk", "reference")
    )


def clear_addresses(now=None, dry_run=False):
    """Clear IP addresses older than 6 months (inquiries, citizen messages, audit entries);
    returns how many rows."""
    cutoff = months_before(timezone.localtime(now or timezone.now()), 6)
    inquiries = Inquiry.objects.filter(created_at__lt=cutoff).exclude(client_address="")
    entries = TimelineEntry.objects.filter(
        created_at__lt=cutoff, kind=EntryKind.CITIZEN_MESSAGE, data__has_key="address"
    )
    audit = AuditLog.objects.filter(created_at__lt=cutoff).exclude(client_address="")
    if dry_run:
        return inquiries.count() + entries.count() + audit.count()
    total = inquiries.update(client_address="")
    total += integrity.redact(entries, ["address"])
    total += audit.redact("client_address")
    return total
