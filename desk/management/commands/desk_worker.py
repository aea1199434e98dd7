"""Run the desk's background work: notification delivery (with retries), overdue escalation and
forgetting idempotency keys older than a week (desk.tasks.IDEMPOTENCY_KEY_RETENTION).

    python manage.py desk_worker              # loop forever (deploy next to `manage.py serve`)
    python manage.py desk_worker --once       # one pass (cron, tests)

Several workers may run at once: notifications are leased (SKIP LOCKED on PostgreSQL) and an
inquiry is escalated at most once (row lock + escalated_at).
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from desk import tasks


class Command(BaseCommand):
    help = "Deliver queued notifications, escalate overdue inquiries, purge old keys (loops unless --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between delivery passes")
        parser.add_argument(
            "--escalate-every", type=float, default=60.0, help="Seconds between overdue escalation passes"
        )
        parser.add_argument(
            "--purge-every", type=float, default=3600.0, help="Seconds between passes that forget old idempotency keys"
        )

    def handle(self, *args, once, interval, escalate_every, purge_every, **options):
        stop = {"now": False}

        def request_stop(*_):
            stop["now"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        last_escalation = 0.0
        last_purge = float("-inf")
        while True:
            if not connection.in_atomic_block:  # (tests run the command inside a transaction)
                close_old_connections()
            sent, failed = tasks.deliver_due()
            if sent or failed:
                self.stdout.write(f"notifications: {sent} sent, {failed} failed")
            if time.monotonic() - last_escalation >= escalate_every or once:
                escalated = tasks.escalate_overdue()
                last_escalation = time.monotonic()
                if escalated:
                    self.stdout.write(f"escalated {escalated} overdue inquiries")
            if time.monotonic() - last_purge >= purge_every or once:
                purged = tasks.purge_idempotency_records()
                last_purge = time.monotonic()
                if purged:
                    self.stdout.write(f"forgot {purged} idempotency keys")
            if once or stop["now"]:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stop["now"]:
                time.sleep(0.2)
            if stop["now"]:
                return
