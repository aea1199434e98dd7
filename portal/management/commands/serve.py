"""Serve HTTP and WebSocket on one port with uvicorn (what `make run` and the tests use)."""

import os
import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand

# The server's own WebSocket frame limit: chat messages are at most 2,000 characters, so 64 KiB
# is plenty (uvicorn's default is 16 MiB). Per-message compression is off (CPU and zip bombs).
WS_MAX_SIZE = 65536


class Command(BaseCommand):
    help = "Serve the portal (HTTP and WebSocket) with uvicorn on one port."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1, help="Worker processes (needs REDIS_URL above 1)")
        parser.add_argument("--quiet", action="store_true", help="No banner, warnings only")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `manage.py desk_worker` (notifications, retries, escalation) as a child process",
        )

    def handle(self, *args, host, port, workers, quiet, with_worker, **options):
        if workers > 1 and not settings.REDIS_URL:
            self.stderr.write("Several workers need REDIS_URL (a shared channel layer and cache).")
            raise SystemExit(2)
        if not quiet:
            url = f"http://{host}:{port}/"
            self.stdout.write(self.style.SUCCESS(f"Sunshine Policing Portal: {url}"))
            self.stdout.write(f"  Admin and duty desk: {url}admin/")
            if settings.DEBUG:
                self.stdout.write(
                    f"  Demo logins: editor, duty, supervisor / password {settings.PORTAL_DEMO_PASSWORD!r}"
                )
        worker = None
        if with_worker:
            manage = os.path.join(settings.BASE_DIR, "manage.py")
            worker = subprocess.Popen([sys.executable, manage, "desk_worker"])  # noqa: S603 (our own command)
        try:
            self.run_server(host, port, workers, quiet)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(10)

    def run_server(self, host, port, workers, quiet):
        uvicorn.run(
            "portal.asgi:application",
            host=host,
            port=port,
            workers=workers,
            ws_max_size=WS_MAX_SIZE,
            ws_per_message_deflate=False,
            log_level="warning" if quiet else "info",
            proxy_headers=False,  # the client address is decided by portal.net (TRUSTED_PROXIES)
            lifespan="off",
        )
