"""The chat's part of the privacy notice's retention periods (run by portal.retention).

"Chat conversations: 180 days; unanswered questions are kept, without contact details, to
improve the answers." So a conversation with no message for 180 days is deleted with its
messages and their 👍/👎 feedback (its client address goes with it); an unanswered question
first asked more than 180 days ago stays in the editors' report with phone numbers, e-mail
addresses, ID numbers and messenger ids replaced by "***".
"""

import datetime
import re

from django.db import transaction
from django.utils import timezone

from .models import Conversation, UnansweredQuestion

CONVERSATION_RETENTION = datetime.timedelta(days=180)
BATCH = 200
MASK = "***"

_CONTACT = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"(?i)(?:微信号?|wechat|weixin|qq)\s*(?:号|id)?\s*[:：]?\s*[a-z0-9_-]{5,}"),  # messenger ids
    re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])"),  # ID card number
    re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"),  # mobile: 138 0000 0000
    re.compile(r"(?<![\d-])0\d{2,3}[\s-]?\d{7,8}(?!\d)"),  # landline: 0755-88100000
    re.compile(r"(?<!\d)\d{7,}(?!\d)"),  # any other long number (QQ, landline without area code)
]


def strip_contact_details(text):
    """`text` with e-mail addresses, phone and ID numbers and messenger ids replaced by ***."""
    for pattern in _CONTACT:
        text = pattern.sub(MASK, text)
    return text


def expired_conversations(now=None):
    return Conversation.objects.filter(updated_at__lt=(now or timezone.now()) - CONVERSATION_RETENTION)


def delete_conversations(now=None, dry_run=False):
    """Delete conversations idle for 180 days (messages and feedback too); returns how many."""
    if dry_run:
        return expired_conversations(now).count()
    total = 0
    while True:
        ids = list(expired_conversations(now).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        with transaction.atomic():
            # Checked again in the delete: a conversation resumed meanwhile is kept.
            expired_conversations(now).filter(pk__in=ids).delete()
        total += len(ids)


def strip_unanswered_questions(now=None, dry_run=False):
    """Remove contact details from unanswered questions first asked more than 180 days ago
    (merging one that then equals another); returns how many questions changed."""
    cutoff = (now or timezone.now()) - CONVERSATION_RETENTION
    changed = 0
    rows = UnansweredQuestion.objects.filter(first_asked__lt=cutoff).values_list("pk", "example")
    for pk, example in rows.iterator():
        if strip_contact_details(example) == example:
            continue
        changed += 1
        if not dry_run:
            _strip(pk)
    return changed


def _strip(pk):
    from .service import normalize_question

    with transaction.atomic():
        row = UnansweredQuestion.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            return
        example = strip_contact_details(row.example)
        normalized = normalize_question(example)
        if not normalized:  # nothing but contact details: no question to keep
            row.delete()
            return
        same = (
            UnansweredQuestion.objects.select_for_update()
            .filter(normalized=normalized, lang=row.lang)
            .exclude(pk=row.pk)
            .first()
        )
        if same is None:
            row.example, row.normalized = example, normalized
            row.save(update_fields=["example", "normalized"])
            return
        same.count += row.count
        same.first_asked = min(same.first_asked, row.first_asked)
        same.last_asked = max(same.last_asked, row.last_asked)
        same.example = strip_contact_details(same.example)
        same.save(update_fields=["count", "first_asked", "last_asked", "example"])
        row.delete()
