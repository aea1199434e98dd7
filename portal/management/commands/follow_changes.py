"""Keep this host's search index and nginx page cache current from the change log (one per host)."""

import signal

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply the database change log to this host's search index and page cache (cms/search/changelog.py)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.25, help="Seconds between polls")
        parser.add_argument("--once", action="store_true", help="Apply what is pending and exit")

    def handle(self, *args, interval, once, **options):
        from cms.search import changelog

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
