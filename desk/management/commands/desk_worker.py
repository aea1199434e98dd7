"""Run the desk's background work: notification delivery (with retries), overdue escalation,
forgetting idempotency keys older than a week (desk.jobs.IDEMPOTENCY_KEY_RETENTION) and, once
a day, the privacy notice's retention periods (portal.retention, also `manage.py apply_retention`).

    python manage.py desk_worker              # loop forever (deploy next to `manage.py serve`)
    python manage.py desk_worker --once       # one pass (cron, tests)

Several workers may run at once: notifications are leased (SKIP LOCKED on PostgreSQL) and an
inquiry is escalated at most once (row lock + escalated_at).
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from desk import delivery, jobs
from desk.follow_ups import escalate_overdue_follow_ups
from portal.retention import apply_retention
from sunshine.stats import refresh_cache as refresh_statistics

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver notifications, escalate overdue inquiries, purge old keys, apply retention (loops unless --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between delivery passes")
        parser.add_argument(
            "--escalate-every", type=float, default=60.0, help="Seconds between overdue escalation passes"
        )
        parser.add_argument(
            "--purge-every", type=float, default=3600.0, help="Seconds between passes that forget old idempotency keys"
        )
        parser.add_argument(
            "--retention-every", type=float, default=86400.0, help="Seconds between retention passes (privacy notice)"
        )

    def handle(self, *args, once, interval, escalate_every, purge_every, retention_every, **options):
        stop = {"now": False}

        def request_stop(*_):
            stop["now"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        last_escalation = 0.0
        last_purge = last_retention = float("-inf")
        while True:
            if not connection.in_atomic_block:  # (tests run the command inside a transaction)
                close_old_connections()
            sent, failed = delivery.deliver_due()
            if sent or failed:
                self.stdout.write(f"notifications: {sent} sent, {failed} failed")
            if time.monotonic() - last_escalation >= escalate_every or once:
                escalated = jobs.escalate_overdue()
                last_escalation = time.monotonic()
                if escalated:
                    self.stdout.write(f"escalated {escalated} overdue inquiries")
                follow_ups = escalate_overdue_follow_ups()
                if follow_ups:
                    self.stdout.write(f"escalated {follow_ups} overdue rating follow-ups")
                try:  # the public statistics, recomputed before they expire (docs/open-data.md)
                    refresh_statistics()
                except Exception:
                    logger.exception("statistics refresh failed")
            if time.monotonic() - last_purge >= purge_every or once:
                purged = jobs.purge_idempotency_records()
                last_purge = time.monotonic()
                if purged:
                    self.stdout.write(f"forgot {purged} idempotency keys")
            if time.monotonic() - last_retention >= retention_every or once:
                last_retention = time.monotonic()
                try:
                    results = apply_retention()
                except Exception:  # notifications must keep going; the next day's pass retries
                    logger.exception("retention pass failed")
                    results = []
                for what, count in results:
                    if count:
                        self.stdout.write(f"retention: {what}: {count}")
            if once or stop["now"]:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stop["now"]:
                time.sleep(0.2)
            if stop["now"]:
                return
