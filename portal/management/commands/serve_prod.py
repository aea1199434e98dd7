"""Run the production topology on this machine (`make serve-prod`): nginx in front on PORT, the
page server (gunicorn, WSGI), the WebSocket server (uvicorn, ASGI: `manage.py serve`), the
desk worker and the change-log follower behind it on loopback. Ctrl-C stops all of it.

nginx runs as the current user from a configuration generated into the data directory
(`<PORTAL_DATA_DIR>/nginx/`: its pid file, temp and cache directories), with `-p` so no system
nginx service is involved. The app servers get this process's environment (settings module,
database, Redis) plus what the topology needs: PAGE_CACHE_DIR, NGINX_SENDFILE, TRUSTED_PROXIES.
`<data dir>/nginx/serve-prod.json` tells the process ids and ports (tests and bench read it).
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import pagecache

DEPLOY_DIR = Path(settings.BASE_DIR) / "deploy" / "nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=60.0, procs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs:
            if proc.poll() is not None:
                raise CommandError(f"{name} exited with code {proc.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise CommandError(f"nothing listens on port {port} after {timeout:.0f}s")


def duration_seconds(value):
    """nginx's time syntax ("10m", "2s", "1h", "90") in seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = value.strip()
    if value[-1:] in units:
        return int(value[:-1]) * units[value[-1]]
    return int(value)


def render(template, values):
    text = template.read_text()
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", str(value))
    return text


class Command(BaseCommand):
    help = "Serve the portal behind nginx with its page cache (the production topology, on this machine)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
        parser.add_argument("--host", default="127.0.0.1", help="Address nginx listens on")
        parser.add_argument("--page-workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--page-threads", type=int, default=4, help="threads per gunicorn worker")
        parser.add_argument("--ws-workers", type=int, default=1, help="uvicorn workers (above 1 needs REDIS_URL)")
        parser.add_argument("--cache-valid", default="10m", help="nginx proxy_cache_valid for pages (e.g. 10m, 2s)")
        parser.add_argument("--no-worker", action="store_true", help="Do not start desk_worker")
        parser.add_argument("--print-config", action="store_true", help="Print the nginx site for these ports, exit")

    def handle(
        self, *args, port, host, page_workers, page_threads, ws_workers, cache_valid, no_worker, print_config, **options
    ):
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        prefix = Path(settings.PORTAL_DATA_DIR) / "nginx"
        pages_port, ws_port = free_port(), free_port()
        shared = bool(settings.REDIS_URL)
        values = {
            "LISTEN": f"{host}:{port}",
            "PAGES": f"127.0.0.1:{pages_port}",
            # Without Redis the channel layer and rate limits live in the ASGI process: forms,
            # APIs, admin and chat pages go there so that the desk and the limits see them.
            "APP": f"127.0.0.1:{pages_port if shared else ws_port}",
            "WS": f"127.0.0.1:{ws_port}",
            "CACHE_DIR": prefix / "cache",
            "STATIC_ROOT": settings.STATIC_ROOT,
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "PREFIX": prefix,
            "CACHE_VALID": cache_valid,
            # As root, nginx's workers would switch to `nobody` and could not share the cache
            # directory with the app (which empties it): they stay the current user.
            "USER": f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else "",
        }
        site = render(DEPLOY_DIR / "portal.conf", values)
        if print_config:
            self.stdout.write(site)
            return
        if nginx is None:
            raise CommandError("nginx is not installed (apt-get install nginx)")
        for sub in ("cache", "tmp"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        # Content may have changed while nginx was not running: start with an empty cache.
        pagecache.purge(prefix / "cache")
        (prefix / "portal.conf").write_text(site)
        (prefix / "nginx.conf").write_text(render(DEPLOY_DIR / "serve-prod-main.conf", values))
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)

        env = {
            **os.environ,
            "PAGE_CACHE_DIR": str(prefix / "cache"),
            "PAGE_CACHE_VALID": str(duration_seconds(cache_valid)),
            "NGINX_SENDFILE": "true",
            "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "127.0.0.1"),
            "PYTHONUNBUFFERED": "1",
        }
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.production"))
        python, manage = sys.executable, str(Path(settings.BASE_DIR) / "manage.py")
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        commands = [
            (
                "pages",
                [
                    gunicorn,
                    "portal.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{pages_port}",
                    "--worker-class",
                    "gthread",
                    "--workers",
                    str(page_workers),
                    "--threads",
                    str(page_threads),
                    "--keep-alive",
                    "75",
                    "--log-level",
                    "warning",
                    "--chdir",
                    str(settings.BASE_DIR),
                ],
            ),
            (
                "ws",
                [python, manage, "serve", "--host", "127.0.0.1", "--port", str(ws_port), "--quiet"]
                + (["--workers", str(ws_workers)] if ws_workers > 1 else []),
            ),
            ("follow", [python, manage, "follow_changes"]),
        ]
        if not no_worker:
            commands.append(("desk_worker", [python, manage, "desk_worker"]))

        page_env = {**env, "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60")}
        procs = []
        stopping = {"now": False}

        def stop(*_):
            stopping["now"] = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, cmd in commands:
                cmd_env = page_env if name == "pages" else env
                procs.append((name, subprocess.Popen(cmd, env=cmd_env, start_new_session=True)))  # noqa: S603
            wait_for_port(pages_port, procs=procs)
            wait_for_port(ws_port, procs=procs)
            nginx_cmd = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
            check = subprocess.run([*nginx_cmd, "-t", "-q"], capture_output=True, text=True)  # noqa: S603
            if check.returncode != 0:
                raise CommandError(f"nginx rejected the configuration:\n{check.stderr}")
            procs.append(("nginx", subprocess.Popen(nginx_cmd, start_new_session=True)))  # noqa: S603
            wait_for_port(port, procs=procs)
            state = {
                "url": f"http://{host}:{port}",
                "port": port,
                "pages_port": pages_port,
                "ws_port": ws_port,
                "cache_dir": str(prefix / "cache"),
                "pids": {name: proc.pid for name, proc in procs},
            }
            (prefix / "serve-prod.json").write_text(json.dumps(state, indent=2))
            self.stdout.write(self.style.SUCCESS(f"Sunshine Policing Portal behind nginx: http://{host}:{port}/"))
            self.stdout.write(
                f"  pages: gunicorn 127.0.0.1:{pages_port} ({page_workers}x{page_threads} threads), "
                f"WebSockets: uvicorn 127.0.0.1:{ws_port}, nginx config {prefix / 'nginx.conf'}"
            )
            self.stdout.flush()
            reported = set()
            while not stopping["now"]:
                for name, proc in procs:
                    if proc.poll() is not None and name not in reported:
                        # Keep the others running: nginx serves cached pages while an app
                        # server is down (stale on error); Ctrl-C stops everything.
                        reported.add(name)
                        self.stderr.write(f"{name} exited with code {proc.returncode}")
                time.sleep(0.2)
        finally:
            self.shutdown(procs)

    def shutdown(self, procs):
        for _name, proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGQUIT if _name == "nginx" else signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc in procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
