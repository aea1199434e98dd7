"""Publish -> anonymous readers see it, through nginx's page cache (issue 12), with the time split.

Starts `manage.py serve_prod` (nginx, gunicorn, uvicorn, the change-log follower) on a free port
over a prepared data directory (as bench/pages.py), then publishes a notice `--publishes` times
from this process and measures, for each, from the start of `publish()`:

- commit   the publish has committed (its on_commit work in this process follows);
- purged   the notice's cache file has gone from nginx's cache directory (watched every 2 ms);
- seen     the first anonymous response through nginx carrying the new title (a reader
           reloading every 10 ms from the start; another reader thread keeps the page hot).

`--other-host` (default) publishes like an editor on another host: this process does not touch
the cache, the follower must. `--same-host` publishes like the admin of this host (this process
empties the cache on commit); add `--stop-follower` to show that alone suffices.

    PORTAL_DATA_DIR=var .venv/bin/python bench/publish.py [--publishes 12] [--same-host]
"""

import argparse
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from pages import fetch, free_port, production_env, wait_for_port  # noqa: E402


def cache_file(cache_dir, key):
    """nginx's file for `key` with `levels=1:2` (deploy/nginx/portal.conf)."""
    digest = hashlib.md5(key.encode()).hexdigest()  # noqa: S324 (nginx's own naming)
    return Path(cache_dir) / digest[-1] / digest[-3:-1] / digest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publishes", type=int, default=12)
    parser.add_argument("--port", type=int, default=0, help="nginx port (default: a free one)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--other-host", dest="same_host", action="store_false", default=False)
    where.add_argument("--same-host", dest="same_host", action="store_true")
    parser.add_argument("--stop-follower", action="store_true", help="stop the follower first (with --same-host)")
    parser.add_argument("--readers", type=int, default=1, help="threads re-reading the page all the time")
    parser.add_argument(
        "--warm-up",
        type=int,
        default=1,
        help="publishes not counted: the first render after a start may hit a cold gunicorn worker (~1 s here)",
    )
    args = parser.parse_args()

    data_dir = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")).resolve()
    env = {**os.environ, **production_env(data_dir)}
    os.environ.update(production_env(data_dir))
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.conf import settings
    from django.db import transaction

    from cms.models import NoticePage

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    port = args.port or free_port()
    state_file = data_dir / "nginx" / "serve-prod.json"
    state_file.unlink(missing_ok=True)
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve_prod", "--port", str(port), "--no-worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    stop_readers = threading.Event()
    try:
        wait_for_port(port)
        while not state_file.exists():
            time.sleep(0.1)
        state = json.loads(state_file.read_text())
        if args.same_host:
            settings.PAGE_CACHE_DIR = state["cache_dir"]
        if args.stop_follower:
            os.kill(state["pids"]["follow"], signal.SIGTERM)
        base = state["url"]
        notice = NoticePage.objects.live().filter(locale__language_code="zh-hans").current().first()
        url = base + notice.url
        # nginx's $host is the Host header without the port
        path = cache_file(state["cache_dir"], f"http127.0.0.1{notice.url}")
        where = "same host (this process purges on commit)" if args.same_host else "other host (the follower purges)"
        print(f"nginx on {base}; notice {notice.url}; publishing as {where}")

        def reader():
            while not stop_readers.is_set():
                fetch(url)
                time.sleep(0.02)

        for _ in range(args.readers):
            threading.Thread(target=reader, daemon=True).start()

        original = notice.title
        rows = []
        try:
            for i in range(-args.warm_up, args.publishes):
                deadline = time.monotonic() + 30
                while fetch(url)[1].get("X-Cache-Status") != "HIT" or not path.exists():
                    if time.monotonic() > deadline:
                        raise SystemExit(f"the notice is not cached at {path}")
                    time.sleep(0.05)
                time.sleep(0.3)
                marker = f"（bench {i + args.warm_up}）"
                page = NoticePage.objects.get(pk=notice.pk)
                page.title = f"{original}{marker}"
                revision = page.save_revision()
                purged = {}

                try:
                    inode = path.stat().st_ino
                except FileNotFoundError:  # refilled meanwhile by the reader thread
                    continue

                def watch(started, purged=purged, inode=inode):
                    # gone, or replaced by a new file (a reader may refill it between two looks)
                    while time.monotonic() - started < 10:
                        try:
                            if path.stat().st_ino != inode:
                                break
                        except FileNotFoundError:
                            break
                        time.sleep(0.002)
                    purged["at"] = time.monotonic()

                seen = {}

                def probe(started, seen=seen, marker=marker):
                    # an anonymous reader reloading every 10 ms from the moment the editor publishes
                    while time.monotonic() - started < 10:
                        _status, headers, body = fetch(url)
                        if marker in body.decode():
                            seen["at"], seen["status"] = time.monotonic(), headers.get("X-Cache-Status")
                            return
                        time.sleep(0.01)
                    seen["at"], seen["status"] = time.monotonic(), "never"

                started = time.monotonic()
                threads = [threading.Thread(target=f, args=(started,)) for f in (watch, probe)]
                for thread in threads:
                    thread.start()
                commit = {}
                with transaction.atomic():
                    # the first callback after the commit: the moment the publish is in the database
                    transaction.on_commit(lambda commit=commit: commit.setdefault("at", time.monotonic()))
                    revision.publish()
                for thread in threads:
                    thread.join()
                status = seen["status"]
                if i < 0:
                    print(f"  warm-up: seen {seen['at'] - started:.3f} s ({seen['status']}), not counted")
                    continue
                rows.append((commit["at"] - started, purged["at"] - started, seen["at"] - started, status))
                print(
                    f"  #{i:<2} committed {rows[-1][0]:.3f}  purged {rows[-1][1]:.3f}  seen {rows[-1][2]:.3f} s"
                    f"  ({status})",
                    flush=True,
                )
        finally:
            page = NoticePage.objects.get(pk=notice.pk)
            page.title = original
            page.save_revision().publish()
        seen = [r[2] for r in rows]
        print(
            f"publish -> seen over {len(seen)}: median {statistics.median(seen):.3f} s, worst {max(seen):.3f} s; "
            f"median committed {statistics.median(r[0] for r in rows):.3f}, "
            f"purged {statistics.median(r[1] for r in rows):.3f}"
        )
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        stop_readers.set()
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()


if __name__ == "__main__":
    main()
