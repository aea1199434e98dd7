"""Keep this host's search index and nginx page cache current from the change log (one per host)."""

import signal

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Apply the database change log to this host's search index and page cache, and run scheduled "
        "publishing when it is due (cms/search/changelog.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between polls at most (default: 0.5 when woken by PostgreSQL NOTIFY or Redis, else 0.05)",
        )
        parser.add_argument("--once", action="store_true", help="Apply what is pending and exit")
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help="Run what is due of scheduled publishing (go-live, expiry) under the follower's lock, and exit",
        )

    def handle(self, *args, interval, once, scheduled, **options):
        from cms.search import changelog

        if scheduled:
            ran = changelog.Follower().run_scheduled()
            self.stdout.write("scheduled publishing done" if ran else "another host is running scheduled publishing")
            return
        if once:
            applied = changelog.Follower().poll()
            self.stdout.write(f"applied {applied} changes")
            return
        stop = {"now": False}

        def request_stop(*_):
            stop["now"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        changelog.follow(interval=interval, stop=lambda: stop["now"])
