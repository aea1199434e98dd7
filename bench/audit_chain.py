"""How fast the handling log's hash chains are appended to and verified (desk.integrity).

    PORTAL_DATA_DIR=/tmp/bench-chain .venv/bin/python manage.py migrate -v0
    PORTAL_DATA_DIR=/tmp/bench-chain .venv/bin/python bench/audit_chain.py --entries 10000

appends `--entries` audit entries and as many timeline entries (one per transaction, as the
actions write them) to the database of the current settings, then runs the verification of
`manage.py verify_audit_log` over everything in the tables and prints both timings. Use a
throw-away database: the entries stay.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from desk import demo, integrity
    from desk.models import AuditLog, Category, Inquiry, TimelineEntry

    demo.seed_configuration()
    category = Category.objects.first()
    inquiry = Inquiry.objects.first()
    if inquiry is None:
        from desk import actions

        inquiry = actions.open_inquiry(
            kind="tip", category=category.slug, subject="bench", description="bench", lang="zh-hans", consent=True
        ).inquiry

    started = time.perf_counter()
    for n in range(args.entries):
        TimelineEntry.objects.create(inquiry=inquiry, kind="note", text=f"备注 {n}", data={"n": n})
        AuditLog.objects.create(username="bench", action="note", inquiry=inquiry, reference=inquiry.reference)
    appended = time.perf_counter() - started

    started = time.perf_counter()
    reports = integrity.verify_all()
    verified = time.perf_counter() - started
    total = sum(r.entries for r in reports)
    print(f"database: {connection.vendor}")
    print(
        f"append: {2 * args.entries} entries in {appended:.1f} s "
        f"({appended / (2 * args.entries) * 1000:.2f} ms per entry, one transaction each)"
    )
    print(f"verify: {total} entries in {verified:.1f} s ({total / verified:,.0f} entries/s)")
    for report in reports:
        print(f"  {report.chain}: {'OK' if report.ok else 'BROKEN ' + report.error} ({report.entries} entries)")


if __name__ == "__main__":
    main()
