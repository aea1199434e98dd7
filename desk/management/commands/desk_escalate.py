"""Escalate overdue inquiries to the Supervisors once (also done by `desk_worker`)."""

from django.core.management.base import BaseCommand

from desk import jobs


class Command(BaseCommand):
    help = "Escalate every overdue, not yet escalated inquiry to the Supervisors (e-mail + timeline)."

    def handle(self, *args, **options):
        count = jobs.escalate_overdue()
        self.stdout.write(f"escalated {count} overdue inquiries")
