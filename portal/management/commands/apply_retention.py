"""Apply the privacy notice's retention periods now (portal.retention).

    python manage.py apply_retention --dry-run   # only count what would change
    python manage.py apply_retention

`desk_worker` does the same once a day.
"""

from django.core.management.base import BaseCommand

from portal.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise, delete or clear personal data past the privacy notice's retention periods."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing")

    def handle(self, *args, dry_run, **options):
        results = apply_retention(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run, nothing changed. Due now:")
        for what, count in results:
            self.stdout.write(f"{what}: {count}")
