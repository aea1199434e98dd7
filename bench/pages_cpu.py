"""CPU time per uncached page (issue "Uncached pages fast too"), robust to a busy machine.

Requests/s from one pinned core (bench/pages.py) move with whatever else runs on the machine;
the CPU time that one request costs the app process does not (much). This renders each page
`--requests` times in this process through the production WSGI application (the production
settings, DEBUG off, the cached template loader, persistent database connection as gunicorn
runs it, no nginx, so nothing is served from the page cache) and reports, per page, the median
and mean `time.process_time()` per request, the wall time and the queries per request. The
budget for 100 requests/s on one core is about 10 ms including gunicorn's own work (~1 ms).

    PORTAL_DATA_DIR=var .venv/bin/python bench/pages_cpu.py [--requests 200] [--cold] [--profile guide]

`--cold` empties the fragment cache (cms/fragments.py) before every request: the first request
for a page after a content change, when nginx's cache has been emptied too.

`--profile NAME` runs cProfile over that page's requests and prints the top functions by
cumulative and by own time. The data directory is one `make run`/`make serve-prod` prepared.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.pages import production_env  # noqa: E402


def page_paths():
    from cms.models import HomePage, NoticePage, ServiceGuidePage, StationIndexPage, StationPage

    def first(model, **filters):
        qs = model.objects.live().filter(locale__language_code="zh-hans", **filters)
        return qs.order_by("path").first()

    return {
        "home": first(HomePage).url,
        "notice": NoticePage.objects.live().filter(locale__language_code="zh-hans").current().first().url,
        "guide": first(ServiceGuidePage).url,
        "stations": first(StationIndexPage).url,
        "station": first(StationPage).url,
        "home-en": HomePage.objects.live().filter(locale__language_code="en").first().url,
    }


def make_environ(path, host="127.0.0.1"):
    from io import BytesIO

    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def request(app, path):
    status_headers = []

    def start_response(status, headers, exc_info=None):
        status_headers.append(status)

    result = app(make_environ(path), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status = status_headers[0]
    if not status.startswith("200"):
        raise SystemExit(f"{path}: {status}")
    return body


def measure(app, path, n, cold=False):
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection

    fragments = caches[settings.FRAGMENT_CACHE] if cold and getattr(settings, "FRAGMENT_CACHE", "") else None

    queries = []
    counter = [0]

    def count(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    cpu, wall = [], []
    for _ in range(n):
        counter[0] = 0
        if fragments is not None:
            fragments.clear()  # as after a content change (and a little worse: Wagtail's own entries too)
        with connection.execute_wrapper(count):
            w0, c0 = time.perf_counter(), time.process_time()
            request(app, path)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        queries.append(counter[0])
    return cpu, wall, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="requests per page (after 20 warm-up requests)")
    parser.add_argument("--pages", default="home,notice,guide,stations,station", help="comma-separated page names")
    parser.add_argument("--profile", default="", help="a page name: cProfile its requests")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--cold", action="store_true", help="empty the fragment cache before each request (the first after a change)"
    )
    parser.add_argument("--sampling", action="store_true", help="with --profile: pyinstrument (if importable)")
    args = parser.parse_args()

    data_dir = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")).resolve()
    os.environ.update(production_env(data_dir))
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")  # as serve_prod runs gunicorn
    os.environ["PORTAL_WARM_UP"] = "false"
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    paths = page_paths()
    names = [n for n in args.pages.split(",") if n]
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'page':<10} {'path':<44} {'cpu ms median':>13} {'cpu ms mean':>11} {'wall ms median':>14} {'queries':>7}")
    for name in names:
        path = paths[name]
        for _ in range(20):
            request(app, path)
        cpu, wall, queries = measure(app, path, args.requests, args.cold)
        print(
            f"{name:<10} {path[:44]:<44} {statistics.median(cpu) * 1000:>13.2f} {statistics.mean(cpu) * 1000:>11.2f}"
            f" {statistics.median(wall) * 1000:>14.2f} {max(queries):>7}",
            flush=True,
        )
    if args.profile and args.sampling:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.requests):
            request(app, paths[args.profile])
        profiler.stop()
        print(
            profiler.output_text(
                unicode=False, color=False, show_all=True, processor_options={"filter_threshold": 0.015}
            )
        )
    elif args.profile:
        path = paths[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            request(app, path)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
