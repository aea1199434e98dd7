"""Load test for the chat: N concurrent WebSocket sessions against a running server.

Each session connects to /ws/chat/ (with an Origin header, as a browser would), waits for the
welcome, then sends a message every few seconds (a mix of Chinese and English questions: FAQ
look-ups, small talk, unanswerable ones) and measures the time from sending to the first reply
that answers it (`reply_to` = the message id). It prints connected sessions, messages/s,
p50/p95/p99 reply latency and every kind of error.

    # the embedded default (one process, in-memory channel layer, SQLite), as a deployment runs
    # it (DEBUG off: with DEBUG on, Django records and formats every SQL query):
    DEBUG=false RATELIMIT_ENABLE=false CHAT_MAX_CONNECTIONS_PER_ADDRESS=5000 \\
        .venv/bin/python manage.py serve --port 8001 --quiet
    .venv/bin/python bench/chat_load.py --url ws://127.0.0.1:8001 --sessions 1000 --duration 30 --ramp 15

    # scale-out: PostgreSQL, Redis channel layer and cache, two workers (migrate and seed_demo
    # that database first):
    DEBUG=false SECRET_KEY=... DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        REDIS_URL=redis://127.0.0.1:6379/3 RATELIMIT_ENABLE=false CHAT_MAX_CONNECTIONS_PER_ADDRESS=5000 \\
        .venv/bin/python manage.py serve --port 8001 --workers 2 --quiet

Raise the open-file limit first (`ulimit -n 16384`): every session is a socket on both sides.
The limits (rate, connections per address) must be lifted on the server, since all sessions
come from one address. Exit status 1 when any error occurred or a session failed to connect.
"""

import argparse
import asyncio
import itertools
import json
import random
import statistics
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import websockets

QUESTIONS = [
    ("身份证丢了怎么补办", "zh-hans"),
    ("护照到期了怎么换发", "zh-hans"),
    ("居住证需要什么材料", "zh-hans"),
    ("户口迁移怎么办理", "zh-hans"),
    ("派出所几点上班", "zh-hans"),
    ("驾驶证换证要带什么", "zh-hans"),
    ("你好", "zh-hans"),
    ("谢谢", "zh-hans"),
    ("今天天气怎么样", "zh-hans"),
    ("How do I renew my passport?", "en"),
    ("I lost my ID card, what should I do?", "en"),
    ("Where is the nearest police station?", "en"),
    ("What can you do?", "en"),
    ("hello", "en"),
    ("Can I bring my cat to the office?", "en"),
]


# Small talk only: the engine answers without searching, so this measures the transport (socket,
# storage, channel layer) rather than the search engine.
SMALL_TALK = [("你好", "zh-hans"), ("谢谢", "zh-hans"), ("hello", "en"), ("thanks", "en"), ("你能做什么", "zh-hans")]
MIXES = {"questions": QUESTIONS, "smalltalk": SMALL_TALK}


class Stats:
    def __init__(self):
        self.connected = 0
        self.peak = 0
        self.connect_times = []
        self.latencies = []
        self.sent = 0
        self.answered = 0
        self.errors = Counter()
        self.first_reply_at = None
        self.last_reply_at = None

    def error(self, kind):
        self.errors[kind] += 1


async def session(number, args, stats, stop_at, ids):
    url = f"{args.url.rstrip('/')}/ws/chat/?lang={'en' if number % 3 == 0 else 'zh-hans'}&last_seq=0"
    started = time.perf_counter()
    counted = False
    try:
        ws = await websockets.connect(
            url,
            origin=args.origin,
            open_timeout=args.timeout,
            ping_interval=None,
            max_size=2**16,
            compression=None,
        )
    except Exception as exc:  # noqa: BLE001 - every failure is counted by kind
        stats.error(f"connect: {type(exc).__name__}")
        return
    try:
        welcome = json.loads(await asyncio.wait_for(ws.recv(), args.timeout))
        if welcome.get("type") != "welcome":
            stats.error(f"connect: {welcome.get('code') or welcome.get('type')}")
            return
        stats.connect_times.append(time.perf_counter() - started)
        stats.connected += 1
        counted = True
        stats.peak = max(stats.peak, stats.connected)
        # Spread the first message over one interval so that sessions do not move in lockstep.
        await asyncio.sleep(random.uniform(0, args.interval))
        while time.monotonic() < stop_at:
            text, lang = random.choice(MIXES[args.mix])
            client_id = f"b{number}-{next(ids)}"
            sent_at = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": text, "id": client_id, "lang": lang}))
            stats.sent += 1
            answered = False
            deadline = sent_at + args.timeout
            while not answered:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    stats.error("reply timeout")
                    break
                try:
                    message = json.loads(await asyncio.wait_for(ws.recv(), remaining))
                except TimeoutError:
                    stats.error("reply timeout")
                    break
                if message.get("type") == "error":
                    stats.error(f"error: {message.get('code')}")
                    break
                if message.get("reply_to") == client_id:
                    now = time.perf_counter()
                    stats.latencies.append(now - sent_at)
                    stats.answered += 1
                    stats.first_reply_at = stats.first_reply_at or now
                    stats.last_reply_at = now
                    answered = True
            # The rest of the answer (further replies) arrives while we wait for the next turn.
            await asyncio.sleep(max(0.0, args.interval * random.uniform(0.8, 1.2) - (time.perf_counter() - sent_at)))
    except websockets.ConnectionClosed as exc:
        stats.error(f"closed: {exc.rcvd.code if exc.rcvd else 'no close frame'}")
    except Exception as exc:  # noqa: BLE001
        stats.error(f"session: {type(exc).__name__}")
    finally:
        if counted:
            stats.connected -= 1
        try:
            await ws.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken socket
            pass


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def main(args):
    stats = Stats()
    ids = itertools.count(1)
    start = time.monotonic()
    stop_at = start + args.ramp + args.duration
    tasks = []
    for number in range(args.sessions):
        tasks.append(asyncio.create_task(session(number, args, stats, stop_at, ids)))
        # Ramp up: open the sessions evenly over --ramp seconds.
        await asyncio.sleep(args.ramp / max(1, args.sessions))

    async def report():
        while any(not t.done() for t in tasks):
            await asyncio.sleep(5)
            if not args.quiet:
                print(
                    f"  t={time.monotonic() - start:5.0f}s connected={stats.connected} sent={stats.sent} "
                    f"answered={stats.answered} errors={sum(stats.errors.values())}",
                    file=sys.stderr,
                )

    reporter = asyncio.create_task(report())
    await asyncio.gather(*tasks)
    reporter.cancel()
    elapsed = (stats.last_reply_at - stats.first_reply_at) if stats.answered > 1 else float("nan")
    lat = [x * 1000 for x in stats.latencies]
    print(f"server              {args.url} (mix: {args.mix}, a message every {args.interval:g} s per session)")
    print(f"sessions            {args.sessions} requested, {stats.peak} connected at peak")
    print(
        f"connect time        p50 {percentile(stats.connect_times, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(stats.connect_times, 0.95) * 1000:.0f} ms"
    )
    print(
        f"messages            {stats.sent} sent, {stats.answered} answered in {elapsed:.1f} s "
        f"({stats.answered / elapsed if elapsed == elapsed and elapsed else 0:.1f} messages/s)"
    )
    print(
        f"reply latency       p50 {percentile(lat, 0.5):.0f} ms, p95 {percentile(lat, 0.95):.0f} ms, "
        f"p99 {percentile(lat, 0.99):.0f} ms, max {max(lat) if lat else float('nan'):.0f} ms, "
        f"mean {statistics.fmean(lat) if lat else float('nan'):.0f} ms"
    )
    errors = sum(stats.errors.values())
    print(f"errors              {errors}" + "".join(f"\n  {n:6d}  {k}" for k, n in stats.errors.most_common()))
    return 1 if errors or stats.peak < args.sessions else 0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8000", help="the server's ws:// base URL")
    parser.add_argument("--origin", default=None, help="Origin header (default: the server's http:// URL)")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60, help="seconds of steady load after the ramp")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which sessions connect")
    parser.add_argument("--interval", type=float, default=5, help="seconds between one session's messages")
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for a connection or a reply")
    parser.add_argument("--mix", choices=sorted(MIXES), default="questions", help="what the sessions ask")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if args.origin is None:
        parts = urlsplit(args.url)
        args.origin = f"{'https' if parts.scheme == 'wss' else 'http'}://{parts.netloc}"
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
