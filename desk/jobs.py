"""Scheduled work of the duty desk: escalating overdue inquiries and forgetting old idempotency
keys. `manage.py desk_worker` runs these (with `desk.delivery.deliver_due`) in a loop.

Imports go one way: desk.jobs → desk.actions (which changes inquiries) and desk.deadlines.
"""

import datetime

from django.utils import timezone

from . import actions, deadlines
from .models import IdempotencyRecord

# How long an Idempotency-Key (API), form token or chat filing key is remembered: a retry within
# this time gets the first answer (docs/api-inquiries.md). Retries follow a timeout or an error
# within minutes; a week also covers a client that queued its retries over a long weekend.
IDEMPOTENCY_KEY_RETENTION = datetime.timedelta(days=7)
PURGE_BATCH = 1000


def escalate_overdue(now=None):
    """Escalate every overdue inquiry not yet escalated; returns how many."""
    count = 0
    for inquiry in deadlines.overdue_inquiries(now).filter(escalated_at__isnull=True).only("pk"):
        if actions.escalate(inquiry, now=now):
            count += 1
    return count


def purge_idempotency_records(now=None, keep=IDEMPOTENCY_KEY_RETENTION, batch_size=PURGE_BATCH):
    """Forget idempotency keys older than `keep` (the inquiries stay); returns how many.

    The records hold the access code sealed with SECRET_KEY, so they are not kept longer than
    a retry needs. Deleted in batches: on SQLite each batch holds the write lock only briefly.
    """
    cutoff = (now or timezone.now()) - keep
    total = 0
    while True:
        batch = list(IdempotencyRecord.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not batch:
            return total
        total += IdempotencyRecord.objects.filter(pk__in=batch).delete()[0]
