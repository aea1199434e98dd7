"""How long the public statistics take with many requests in the database.

Creates a throwaway SQLite data directory (or uses --data-dir), migrates it, seeds the demo
departments and categories, bulk-creates N requests spread over the last 14 months (about 70 %
closed, 30 % of those rated, bad ratings with follow-ups, some police-conduct complaints with an
outcome, some junk), then times in-process (Django test client, DEBUG off):

- /zh-hans/sunshine/ cold (cache empty: the figures are computed) and warm (cached, ≤ 60 s old),
- /api/open-data/service-stats.json cold and warm,
- the duty desk's queue counts query, alone and right after a cold statistics computation.

    .venv/bin/python bench/sunshine_stats.py --count 100000
    .venv/bin/python bench/sunshine_stats.py --count 100000 --data-dir /tmp/sun-bench --keep   # reuse
    .venv/bin/python bench/sunshine_stats.py --database-url postgres://postgres@127.0.0.1:5432/sun_bench

Figures go to stdout; see docs/open-data.md ("Cost").
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="requests to create")
    parser.add_argument("--data-dir", help="data directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (and reuse its data)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", help="a PostgreSQL database (default: SQLite in the data directory)")
    return parser.parse_args()


def setup(data_dir, database_url=None):
    # The test settings (DEBUG off, local-memory cache, plain static storage) on this data
    # directory's SQLite database.
    os.environ["PORTAL_DATA_DIR"] = os.environ["PORTAL_TEST_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def populate(count, seed):  # noqa: C901 - one flat generator of plausible data
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone

    from desk import deadlines, demo
    from desk.choices import GROUP_DUTY, Kind, Status
    from desk.models import ComplaintOutcome, FollowUp, Inquiry, Rating

    if Inquiry.objects.count() >= count:
        return Inquiry.objects.count()
    rng = random.Random(seed)
    departments, categories = demo.seed_configuration()
    departments = list(departments.values())
    categories = list(categories.values())
    duty = Group.objects.get_or_create(name=GROUP_DUTY)[0]
    officers = []
    for index in range(30):
        user, _ = User.objects.get_or_create(username=f"bench{index}")
        user.groups.add(duty)
        officers.append(user)
    now = timezone.now()
    start = now - datetime.timedelta(days=425)
    span = (now - start).total_seconds()
    statuses = (
        [Status.CLOSED] * 70 + [Status.REPLIED] * 10 + [Status.IN_PROGRESS] * 8 + [Status.NEW] * 9 + [Status.JUNK] * 3
    )
    batch = []
    created = 0
    first_ref = Inquiry.objects.count()
    for index in range(first_ref, count):
        filed = start + datetime.timedelta(seconds=rng.random() * span)
        category = rng.choice(categories)
        kind = category.kind or rng.choice(Kind.values)
        status = rng.choice(statuses)
        department = rng.choice(departments)
        due = deadlines.end_of_day((filed + datetime.timedelta(days=rng.choice([3, 5, 7, 14]))).date())
        first_reply = closed = None
        if status != Status.NEW:
            first_reply = filed + datetime.timedelta(hours=rng.expovariate(1 / 40))
            if first_reply > now:
                first_reply = now
        if status in (Status.CLOSED, Status.JUNK):
            closed = (first_reply or filed) + datetime.timedelta(hours=rng.expovariate(1 / 60))
            if closed > now:
                closed = now
        inquiry = Inquiry(
            reference=f"YG-B-{index:07d}",
            access_code_salt="0" * 32,
            access_code_hash="0" * 64,
            kind=kind,
            category=category,
            subject="bench",
            description="bench",
            status=status,
            department=department,
            assignee=rng.choice(officers) if status != Status.NEW else None,
            created_at=filed,
            updated_at=closed or first_reply or filed,
            due_at=due,
            first_reply_at=first_reply,
            closed_at=closed,
            confidential=category.is_police_conduct,
        )
        batch.append(inquiry)
        if len(batch) == 5000 or index == count - 1:
            with transaction.atomic():
                Inquiry.objects.bulk_create(batch)
                saved = {i.reference: i for i in Inquiry.objects.filter(reference__in=[b.reference for b in batch])}
                new_ratings, outcomes = [], []
                for item in batch:
                    row = saved[item.reference]
                    if row.status == Status.CLOSED and rng.random() < 0.3:
                        score = rng.choices([5, 4, 3, 2, 1], weights=[50, 25, 12, 8, 5])[0]
                        new_ratings.append(Rating(inquiry=row, score=score, created_at=row.closed_at))
                    if row.kind == Kind.COMPLAINT and row.confidential and row.status == Status.CLOSED:
                        outcomes.append(
                            ComplaintOutcome(inquiry=row, outcome=rng.choice(ComplaintOutcome.Outcome.values))
                        )
                Rating.objects.bulk_create(new_ratings)
                ComplaintOutcome.objects.bulk_create(outcomes)
                ratings = Rating.objects.filter(inquiry_id__in=[saved[b.reference].pk for b in batch], score__lte=2)
                follow_ups = []
                for rating in ratings.select_related("inquiry"):
                    done = rating.created_at + datetime.timedelta(days=2) if rng.random() < 0.85 else None
                    follow_ups.append(
                        FollowUp(
                            inquiry=rating.inquiry,
                            rating=rating,
                            department_id=rating.inquiry.department_id,
                            created_at=rating.created_at,
                            due_at=rating.created_at + datetime.timedelta(days=4),
                            done_at=done if done and done < now else None,
                            called_back_at=done if done and done < now else None,
                            fix="bench" if done else "",
                        )
                    )
                FollowUp.objects.bulk_create(follow_ups)
            created += len(batch)
            batch = []
            print(f"  created {first_ref + created:,} requests", file=sys.stderr, flush=True)
    return Inquiry.objects.count()


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def fmt(times):
    return f"median {statistics.median(times):8.1f} ms  (runs: {', '.join(f'{t:.0f}' for t in times)})"


def main():
    args = parse_args()
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="sunshine-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        setup(data_dir, args.database_url)
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        from desk.admin_views import queue_counts
        from desk.models import Inquiry

        started = time.perf_counter()
        total = populate(args.count, args.seed)
        print(f"requests in the database: {total:,} (populated in {time.perf_counter() - started:.0f} s)")
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        client = Client()

        def page():
            response = client.get("/zh-hans/sunshine/")
            assert response.status_code == 200, response.status_code

        def api():
            response = client.get("/api/open-data/service-stats.json")
            assert response.status_code == 200, response.status_code

        def cold(view):
            def run():
                cache.clear()
                view()

            return run

        page()  # imports, templates, translation catalogues
        print(f"/zh-hans/sunshine/ cold: {fmt(timed(cold(page), args.repeat))}")
        print(f"/zh-hans/sunshine/ warm: {fmt(timed(page, args.repeat * 3))}")
        print(f"open data JSON    cold: {fmt(timed(cold(api), args.repeat))}")
        print(f"open data JSON    warm: {fmt(timed(api, args.repeat * 3))}")

        from django.contrib.auth.models import User

        supervisor, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"is_superuser": True})
        print(f"desk queue counts alone          : {fmt(timed(lambda: queue_counts(supervisor), args.repeat))}")

        # The desk while the statistics are being computed in another thread (what a cold page
        # or the worker's refresh does once a minute).
        import threading

        from django.db import connections

        from sunshine.stats import refresh_cache

        def compute():
            refresh_cache()
            connections.close_all()

        during = []
        thread = threading.Thread(target=compute)
        thread.start()
        while thread.is_alive():
            during.extend(timed(lambda: queue_counts(supervisor), 1))
        thread.join()
        print(f"desk queue counts during refresh : {fmt(during)}")
        started = time.perf_counter()
        refresh_cache()
        print(f"worker refresh_cache()           : {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"open requests: {Inquiry.objects.open().count():,}")
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
