"""Fixtures shared by the whole suite.

- `asgi_server`: the portal served by a real uvicorn process (HTTP and WebSocket) on a free
  port, using the test database and this test process's data directory (search index, media).
- `asgi_server_factory`: start several (e.g. two workers sharing Redis).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session", autouse=True)
def _db_pool_closed_at_end(django_db_setup, django_db_blocker):
    """The consumers' database pool (portal.dbpool) keeps a connection per thread: close them
    before the test database is dropped."""
    yield
    from portal.dbpool import close_connections

    with django_db_blocker.unblock():
        close_connections()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not listen on port {port} within {timeout}s")


class ServerProcess:
    def __init__(self, port, proc):
        self.port = port
        self.proc = proc
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def asgi_server_factory(transactional_db):
    from django.db import connection

    servers = []

    def start(extra_env=None, workers=1):
        port = free_port()
        env = {
            # A Redis is used only when a test passes one in extra_env, never an exported REDIS_URL.
            **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "PORTAL_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
            "PORTAL_TEST_DATA_DIR": str(settings.PORTAL_DATA_DIR),
            **(extra_env or {}),
        }
        cmd = [sys.executable, "manage.py", "serve", "--quiet", "--port", str(port), "--workers", str(workers)]
        proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env)
        server = ServerProcess(port, proc)
        servers.append(server)
        wait_for_port(port, proc)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def asgi_server(asgi_server_factory):
    return asgi_server_factory()


def require_service(name, host, port):
    """Skip outside CI when a local service is missing; in CI a missing service fails the run."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError:
        message = f"{name} is not reachable on {host}:{port}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def redis_url():
    require_service("Redis", "127.0.0.1", 6379)
    return os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
