"""Intake load test: N concurrent clients file requests through POST /api/inquiries.

Prints requests/s, latency percentiles and errors, then (with --verify-db) checks in the
server's database that every acknowledged request (a 201 with a reference) is there exactly
once: "nothing lost, nothing doubled". Each request has its own Idempotency-Key; on a
connection error or a 5xx the client retries with the same key, so a retry after a crash
returns the first result instead of filing twice.

Usage (the server needs RATELIMIT_ENABLE=false, or the intake limit stops the run):

    # against a running server
    RATELIMIT_ENABLE=false .venv/bin/python manage.py serve --port 8000 &
    .venv/bin/python bench/intake_load.py --url http://127.0.0.1:8000 --clients 20 --requests 400 --verify-db

    # spawn a server on a fresh database (migrated and configured by --prepare)
    PORTAL_DATA_DIR=/tmp/bench-sqlite .venv/bin/python bench/intake_load.py --spawn --prepare --verify-db
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/intake_load.py --spawn --prepare --verify-db

    # two workers on Redis; one worker is killed (SIGKILL) mid-run and restarted by uvicorn
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/intake_load.py --kill-worker --prepare --verify-db

--verify-db uses the Django ORM with the same environment (DJANGO_SETTINGS_MODULE,
DATABASE_URL, PORTAL_DATA_DIR) as the server, so run it with the server's environment.
"""

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

BASE_DIR = Path(__file__).resolve().parent.parent
KINDS = [("consultation", "id-card"), ("service", "residence-permit"), ("tip", "fraud"), ("suggestion", "website")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(args):
    # DEBUG off: the production path (notifications wait in the queue for `desk_worker`).
    return {**os.environ, "RATELIMIT_ENABLE": "false", "DEBUG": "false", "DJANGO_SETTINGS_MODULE": args.settings}


def prepare(args):
    """Migrate the database and load the desk configuration (departments, categories, rules)."""
    env = server_env(args)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True)
    code = "from desk.demo import seed_configuration; seed_configuration()"
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True)


def spawn_server(args, workers):
    port = free_port()
    cmd = [sys.executable, "manage.py", "serve", "--quiet", "--port", str(port), "--workers", str(workers)]
    # Own process group, so that stopping it also stops uvicorn's worker processes.
    log = open(args.server_log, "ab")  # noqa: SIM115 - open for the server's lifetime
    print(f"  server output: {args.server_log}")
    proc = subprocess.Popen(
        cmd, cwd=BASE_DIR, env=server_env(args), start_new_session=True, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/inquiries/options", timeout=2).status_code == 200:
                return proc, f"http://127.0.0.1:{port}"
        except httpx.HTTPError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit("server did not start")


def stop_server(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # leftovers of the group (workers), by group id
    except ProcessLookupError:
        pass
    proc.wait()


def worker_pids(supervisor_pid):
    path = Path(f"/proc/{supervisor_pid}/task/{supervisor_pid}/children")
    pids = [int(pid) for pid in path.read_text().split()] if path.exists() else []
    # uvicorn's spawn start method may add a resource tracker; keep processes running the app.
    workers = []
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"resource_tracker" not in cmdline:
            workers.append(pid)
    return workers


class Stats:
    def __init__(self):
        self.latencies = []
        self.acked = {}  # idempotency key -> reference
        self.errors = {}
        self.retries = 0
        self.replays = 0


async def client_loop(client, url, run_id, jobs, stats, max_retries):
    while True:
        try:
            n = jobs.pop()
        except IndexError:
            return
        kind, category = KINDS[n % len(KINDS)]
        body = {
            "kind": kind,
            "category": category,
            "subject": f"bench-{run_id}-{n}",
            "description": "Load test request. 压力测试。",
            "name": "Bench",
            "phone": "13800000000",
            "email": "",
            "lang": "zh-hans",
            "consent": True,
        }
        key = f"{run_id}-{n}"
        started = time.perf_counter()
        for attempt in range(max_retries + 1):
            try:
                response = await client.post(f"{url}/api/inquiries", json=body, headers={"Idempotency-Key": key})
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            else:
                if response.status_code == 201:
                    stats.acked[key] = response.json()["reference"]
                    if response.headers.get("Idempotent-Replayed"):
                        stats.replays += 1
                    stats.latencies.append(time.perf_counter() - started)
                    break
                outcome = f"HTTP {response.status_code}"
                if response.status_code < 500:
                    stats.errors[outcome] = stats.errors.get(outcome, 0) + 1
                    break
            if attempt == max_retries:
                stats.errors[outcome] = stats.errors.get(outcome, 0) + 1
                break
            stats.retries += 1
            await asyncio.sleep(min(0.2 * 2**attempt, 3))


async def killer(supervisor_pid, stats, total, kill_at, report):
    while len(stats.acked) < kill_at:
        await asyncio.sleep(0.05)
    victims = worker_pids(supervisor_pid)
    if not victims:
        report.append("no worker process found to kill")
        return
    os.kill(victims[0], signal.SIGKILL)
    report.append(f"killed worker pid {victims[0]} after {len(stats.acked)} of {total} acknowledged requests")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = worker_pids(supervisor_pid)
        if len(now) >= len(victims) and victims[0] not in now:
            report.append(f"uvicorn restarted it: workers now {now}")
            return
    report.append("the killed worker was not replaced within 60 s")


async def run(args, url, supervisor_pid=None):
    run_id = uuid.uuid4().hex[:8]
    jobs = list(range(args.requests))[::-1]
    stats = Stats()
    report = []
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(timeout=args.timeout, limits=limits) as client:
        started = time.perf_counter()
        tasks = [client_loop(client, url, run_id, jobs, stats, args.retries) for _ in range(args.clients)]
        if supervisor_pid is not None:
            tasks.append(killer(supervisor_pid, stats, args.requests, args.requests // 3, report))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return run_id, stats, elapsed, report


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def verify(args, run_id, stats):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", args.settings)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db.models import Count

    from desk.models import Inquiry

    rows = Inquiry.objects.filter(subject__startswith=f"bench-{run_id}-")
    in_db = dict(rows.values_list("reference", "subject"))
    duplicated = rows.values("subject").annotate(n=Count("id")).filter(n__gt=1).count()
    acked_refs = set(stats.acked.values())
    lost = acked_refs - set(in_db)
    unacknowledged = set(in_db) - acked_refs
    return {
        "in_db": len(in_db),
        "acknowledged": len(acked_refs),
        "lost": len(lost),
        "duplicated": duplicated,
        "unacknowledged_in_db": len(unacknowledged),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--retries", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--settings", default=os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.dev"))
    parser.add_argument("--verify-db", action="store_true", help="Check the acknowledged references in the database")
    parser.add_argument("--prepare", action="store_true", help="Migrate and load the desk configuration first")
    parser.add_argument("--spawn", action="store_true", help="Start `manage.py serve` for the run")
    parser.add_argument("--workers", type=int, default=1, help="Workers of the spawned server")
    parser.add_argument(
        "--server-log", default=os.path.join(tempfile.gettempdir(), "intake-server.log"), help="Spawned server output"
    )
    parser.add_argument(
        "--kill-worker", action="store_true", help="Spawn 2 workers (needs REDIS_URL) and kill one mid-run"
    )
    args = parser.parse_args()

    if args.prepare:
        prepare(args)
    proc = None
    url = args.url
    supervisor_pid = None
    if args.kill_worker:
        if not os.environ.get("REDIS_URL"):
            raise SystemExit("--kill-worker needs REDIS_URL (two workers share the cache and channel layer)")
        proc, url = spawn_server(args, max(args.workers, 2))
        supervisor_pid = proc.pid
        time.sleep(1.0)
    elif args.spawn:
        proc, url = spawn_server(args, args.workers)
    try:
        run_id, stats, elapsed, report = asyncio.run(run(args, url, supervisor_pid))
    finally:
        if proc is not None:
            stop_server(proc)

    ok = len(stats.latencies)
    database = os.environ.get("DATABASE_URL", "").split("@")[-1] or "sqlite"
    print(f"intake_load: {args.clients} clients, {args.requests} requests, database {database}, run {run_id}")
    for line in report:
        print(f"  {line}")
    print(f"  acknowledged (201): {ok}   errors: {sum(stats.errors.values())} {stats.errors or ''}")
    print(f"  retries: {stats.retries}   idempotent replays: {stats.replays}")
    print(f"  wall time: {elapsed:.2f} s   throughput: {ok / elapsed:.1f} requests/s")
    if ok:
        print(
            "  latency ms: p50 {:.0f}  p95 {:.0f}  p99 {:.0f}  max {:.0f}  mean {:.0f}".format(
                *(1000 * percentile(stats.latencies, f) for f in (0.5, 0.95, 0.99)),
                1000 * max(stats.latencies),
                1000 * statistics.mean(stats.latencies),
            )
        )
    failed = bool(stats.errors)
    if args.verify_db:
        result = verify(args, run_id, stats)
        print(
            "  database: {in_db} rows for this run; acknowledged {acknowledged}; lost {lost}; duplicated {duplicated}; "
            "committed but never acknowledged {unacknowledged_in_db}".format(**result)
        )
        failed = failed or result["lost"] or result["duplicated"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
