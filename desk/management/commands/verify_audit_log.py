"""`manage.py verify_audit_log`: walk the audit log's and the timeline's hash chains.

Prints one OK line per chain (entries, fields removed by retention, the head's position and
hash, which can be written down elsewhere to prove later that nothing was rewritten since), or
the first entry where a chain breaks, and then exits with status 1 (docs/audit-log.md).
"""

import sys

from django.core.management.base import BaseCommand

from desk import integrity


class Command(BaseCommand):
    help = "Verify the hash chains of the audit log and of the inquiries' timelines."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        broken = False
        for report in integrity.verify_all(using=database):
            if report.ok:
                self.stdout.write(
                    f"OK {report.chain}: {report.entries} entries, {report.redacted} fields removed by retention, "
                    f"head #{report.head_seq} {report.head_hash}"
                )
                continue
            broken = True
            where = f"entry #{report.broken_seq}" if report.broken_seq is not None else "an entry"
            if report.broken_pk is not None:
                where += f" (id {report.broken_pk})"
            self.stdout.write(
                f"BROKEN {report.chain}: {where}: {report.error}; {report.entries} entries before it verified"
            )
        if broken:
            sys.exit(1)
