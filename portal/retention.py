"""The privacy notice's retention periods, applied (docs/deployment.md, "Retention").

The privacy notice (cms/demo/pages.py, "How long we keep it") promises:

- online requests and their handling record: 3 years after closing, then deleted or
  anonymised; requests that become part of a case file are kept under the case-file rules
  → `desk.retention.anonymize_inquiries` (anonymised, so that statistics of past years stay);
- chat conversations: 180 days; unanswered questions are kept without contact details
  → `chatbot.retention.delete_conversations`, `chatbot.retention.strip_unanswered_questions`;
- access logs: at least 6 months (Cybersecurity Law) → `desk.retention.clear_addresses` clears
  IP addresses once they are older than that; the web server's own access log is kept by the
  deployment (docs/deployment.md).

`manage.py apply_retention [--dry-run]` runs it by hand; `desk_worker` runs it once a day.
"""

from django.utils import timezone


def apply_retention(now=None, dry_run=False):
    """Apply every retention period; returns [(what, count)] (with `dry_run`: what would change)."""
    from chatbot import retention as chat
    from desk import retention as desk

    now = now or timezone.now()
    steps = [
        ("inquiries anonymised (closed more than 3 years ago)", desk.anonymize_inquiries),
        ("records cleared of IP addresses older than 6 months", desk.clear_addresses),
        ("chat conversations deleted (no message for 180 days)", chat.delete_conversations),
        ("unanswered questions stripped of contact details", chat.strip_unanswered_questions),
    ]
    return [(what, step(now=now, dry_run=dry_run)) for what, step in steps]
