"""Pages behind nginx (issue "Production topology"), one run, ratios against the targets.

Starts `manage.py serve_prod` (nginx in front of gunicorn and uvicorn, the change-log follower)
on a free port with the production settings, over the data directory that `make serve-prod`
(or `make run`) prepared, and measures:

- the cached home page through nginx vs nginx serving the same bytes as a static file (>= 0.8);
- uncached home, notice and guide pages straight from one app worker pinned to one core
  (gunicorn gthread, WSGI; uvicorn, ASGI, for comparison) (>= 100 requests/s each);
- publish -> anonymous readers through nginx see it (<= 1 s; the publish is made by this
  process, like an editor's on another host: the follower empties the cache);
- WebSocket chat p95 through nginx vs direct to uvicorn (`bench/chat_load.py`, <= 1.2x);
- app servers stopped -> cached pages still 200 (last, it stops them).

Needs Debian's nginx and wrk (`apt-get install nginx wrk`). Two cores are shared here: run it
on a quiet machine for figures to quote; the output says the load average at the start.

    PORTAL_DATA_DIR=var .venv/bin/python bench/pages.py [--duration 5] [--chat-sessions 200]
"""

import argparse
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


def production_env(data_dir):
    key_file = data_dir / "secret_key.txt"
    if not key_file.exists():
        raise SystemExit(f"{key_file} is missing: run `make serve-prod` (or `make run`) once first")
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PORTAL_DATA_DIR": str(data_dir),
        "DEBUG": "false",
        "SECRET_KEY": key_file.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "PORTAL_SIGNING_KEY_FILE": str(data_dir / "signing" / "receipt-key.pem"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "RATELIMIT_ENABLE": "false",
        "CHAT_MAX_CONNECTIONS_PER_ADDRESS": "5000",
    }


def wrk(url, duration, connections, threads=1):
    out = subprocess.run(  # noqa: S603
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses under load")
    return rate


def nginx_workers(master):
    """nginx's worker processes (the children of its master; the cache manager idles)."""
    with open(f"/proc/{master}/task/{master}/children") as f:
        return [int(pid) for pid in f.read().split()]


def cpu_seconds(pids):
    """User + system CPU seconds used so far by `pids` (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def fetch(url, headers=None):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (cold starts are slow here)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def app_server(kind, port, env):
    """One worker process pinned to core 0."""
    python = sys.executable
    if kind == "gunicorn":
        cmd = [
            str(Path(python).with_name("gunicorn")),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ]
    else:
        cmd = [python, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet"]
    taskset = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    proc = subprocess.Popen([*taskset, *cmd], cwd=BASE_DIR, env=env)  # noqa: S603
    wait_for_port(port)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def chat_p95(url, sessions, duration):
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(BASE_DIR / "bench" / "chat_load.py"),
            "--url",
            url,
            "--sessions",
            str(sessions),
            "--duration",
            str(duration),
            "--ramp",
            str(max(2, sessions // 100)),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"reply latency\s+p50 (\d+) ms, p95 (\d+) ms", out)
    if not match:
        raise SystemExit(f"chat_load.py printed no latency:\n{out}")
    connected = re.search(r"(\d+) connected at peak", out)
    return int(match.group(2)), int(connected.group(1)) if connected else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=5, help="seconds per throughput measurement")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections for the cached pages")
    parser.add_argument("--chat-sessions", type=int, default=200, help="WebSocket sessions (1,000 on a quiet machine)")
    parser.add_argument("--chat-duration", type=float, default=15)
    parser.add_argument("--publishes", type=int, default=5)
    args = parser.parse_args()
    duration = max(1, int(args.duration))
    if not shutil.which("wrk") or not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        raise SystemExit("needs Debian's nginx and wrk: apt-get install nginx wrk")

    data_dir = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")).resolve()
    env = {**os.environ, **production_env(data_dir)}
    os.environ.update(production_env(data_dir))
    import django

    django.setup()
    logging.disable(logging.INFO)  # the publishes' log lines
    from django.conf import settings

    from cms.models import HomePage, NoticePage, ServiceGuidePage

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    port = free_port()
    state_file = data_dir / "nginx" / "serve-prod.json"
    state_file.unlink(missing_ok=True)
    serve = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "serve_prod", "--port", str(port), "--no-worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    results = []

    def report(measure, value, target, ok):
        results.append((measure, value, target, ok))
        print(f"{measure:<58} {value:<26} {target:<12} {'ok' if ok else 'MISSED'}", flush=True)

    try:
        wait_for_port(port)
        while not state_file.exists():
            time.sleep(0.1)
        state = json.loads(state_file.read_text())
        base = state["url"]
        home = HomePage.objects.live().filter(locale__language_code="zh-hans").first().url
        notice_page = NoticePage.objects.live().filter(locale__language_code="zh-hans").current().first()
        guide = ServiceGuidePage.objects.live().filter(locale__language_code="zh-hans").first().url
        paths = {"home": home, "notice": notice_page.url, "guide": guide}
        print(f"nginx on {base}; pages {paths}")
        print(f"{'measure':<58} {'value':<26} {'target':<12}")

        # 1. Cached page vs the same bytes as a static file.
        for _ in range(100):
            status, headers, body = fetch(base + home)
            if headers.get("X-Cache-Status") == "HIT":
                break
            time.sleep(0.2)
        assert headers.get("X-Cache-Status") == "HIT", headers
        static_dir = Path(settings.STATIC_ROOT) / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "home.html").write_bytes(body)
        workers = nginx_workers(state["pids"]["nginx"])
        cpu_before = cpu_seconds(workers)
        cached = wrk(base + home, duration, args.connections)
        cpu_cached = cpu_seconds(workers) - cpu_before
        cpu_before = cpu_seconds(workers)
        static = wrk(base + "/static/bench/home.html", duration, args.connections)
        cpu_static = cpu_seconds(workers) - cpu_before
        ratio = cached / static
        value = f"{ratio:.2f} ({cached:.0f}/{static:.0f})"
        report("cached home via nginx / same bytes as a static file", value, ">= 0.8", ratio >= 0.8)
        # The rates share two cores with wrk and whatever else runs; nginx's own CPU time per
        # request is what the cache path costs, and moves much less with the machine's load.
        us_cached = cpu_cached / (cached * duration) * 1e6
        us_static = cpu_static / (static * duration) * 1e6
        value = f"{us_static / us_cached:.2f} ({us_cached:.1f}/{us_static:.1f} us)"
        print(f"{'  nginx CPU per request: static / cached home':<58} {value:<26}", flush=True)

        # 2. Uncached pages, one worker on one core (no nginx, no page cache).
        for kind in ("gunicorn", "uvicorn"):
            app_port = free_port()
            server_env = {**env, "PORTAL_WARM_UP": "false"}
            if kind == "gunicorn":
                server_env["DB_CONN_MAX_AGE"] = "60"  # as serve_prod runs it
            proc = app_server(kind, app_port, server_env)
            try:
                for name, path in paths.items():
                    for _ in range(5):
                        fetch(f"http://127.0.0.1:{app_port}{path}")
                    rate = wrk(f"http://127.0.0.1:{app_port}{path}", duration, 2)
                    label = f"uncached {name}, 1 worker on 1 core ({kind}, {'WSGI' if kind == 'gunicorn' else 'ASGI'})"
                    report(label, f"{rate:.0f} req/s", ">= 100", rate >= 100)
            finally:
                stop(proc)

        # 3. Publish -> seen by anonymous readers through nginx.
        notice_url = base + notice_page.url
        original = notice_page.title
        worst = 0.0
        try:
            for i in range(args.publishes):
                while fetch(notice_url)[1].get("X-Cache-Status") != "HIT":
                    time.sleep(0.05)
                page = NoticePage.objects.get(pk=notice_page.pk)
                page.title = f"{original}（bench {i}）"
                started = time.monotonic()
                page.save_revision().publish()
                while f"（bench {i}）" not in fetch(notice_url)[2].decode():
                    if time.monotonic() - started > 10:
                        break
                    time.sleep(0.01)
                worst = max(worst, time.monotonic() - started)
        finally:
            page = NoticePage.objects.get(pk=notice_page.pk)
            page.title = original
            page.save_revision().publish()
        label = f"publish -> anonymous readers see it (worst of {args.publishes})"
        report(label, f"{worst:.2f} s", "<= 1 s", worst <= 1.0)

        # 4. Chat through nginx vs direct (after a short warm-up of the chat engine).
        chat_p95(f"ws://127.0.0.1:{state['ws_port']}", 10, 3)
        direct, direct_n = chat_p95(f"ws://127.0.0.1:{state['ws_port']}", args.chat_sessions, args.chat_duration)
        proxied, proxied_n = chat_p95(base.replace("http://", "ws://"), args.chat_sessions, args.chat_duration)
        ratio = proxied / max(direct, 1)
        report(
            f"chat p95 via nginx / direct ({args.chat_sessions} sessions)",
            f"{ratio:.2f} ({proxied}/{direct} ms; {proxied_n}/{direct_n} up)",
            "<= 1.2",
            ratio <= 1.2,
        )

        # 5. The app servers stop: cached pages are still served.
        for path in paths.values():
            fetch(base + path)
        for name in ("pages", "ws"):
            os.kill(state["pids"][name], signal.SIGTERM)
        for port_name in ("pages_port", "ws_port"):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", state[port_name]), timeout=0.2).close()
                    time.sleep(0.2)
                except OSError:
                    break
        codes = {name: fetch(base + path)[0] for name, path in paths.items()}
        report("app servers stopped -> cached pages", json.dumps(codes), "all 200", set(codes.values()) == {200})
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
    missed = [r for r in results if not r[3]]
    print(f"{len(results) - len(missed)} of {len(results)} targets met")


if __name__ == "__main__":
    main()
