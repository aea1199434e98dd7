"""CPU per chat message, in-process (no network): what one uvicorn process spends on a message.

Runs the production settings (DEBUG off) over a prepared data directory, opens `--sessions`
conversations and sends `--messages` messages round-robin (the question mix of
`bench/chat_load.py`), either straight through `chatbot.service.handle_message` (`--path
service`) or through the WebSocket consumer with Channels' in-memory layer (`--path consumer`:
frame parsing, rate limits, the database pool, serialization, the socket's send). Prints CPU
milliseconds per message (process time: every thread of this process), and with `--profile` the
top of a cProfile run (cProfile sees one thread: with `--path consumer`, the event loop's part).

    PORTAL_DATA_DIR=/tmp/x .venv/bin/python bench/chat_cpu.py --path service --messages 600
    PORTAL_DATA_DIR=/tmp/x .venv/bin/python bench/chat_cpu.py --path service --profile 40
    PORTAL_DATA_DIR=/tmp/x .venv/bin/python bench/chat_cpu.py --path consumer --messages 600

The first pass over the question mix warms the per-process caches (`--warm-up` messages, not
counted), as a server that has been running a while has them.
"""

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))


def setup(data_dir):
    from pages import production_env

    os.environ.update(production_env(data_dir))
    import django

    django.setup()


def run_service(args, questions):
    from chatbot import service

    convs = [service.get_or_create_conversation(None, "zh-hans", "127.0.0.1")[0] for _ in range(args.sessions)]
    for conv in convs:  # one socket listens to each, as in the consumer: no signal is needed
        service.listener_joined(conv.pk)
    counter = iter(range(10**9))

    def one(i):
        text, lang = questions[i % len(questions)]
        conv = convs[i % len(convs)]
        with service.from_own_socket():
            service.handle_message(conv, text, f"c{next(counter)}", lang)

    for i in range(args.warm_up):
        one(i)
    profiler = cProfile.Profile() if args.profile else None
    started_cpu, started = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(args.messages):
        one(i)
    if profiler:
        profiler.disable()
    return started_cpu, started, profiler


async def run_consumer(args, questions):
    import json

    from channels.testing import WebsocketCommunicator

    from portal.asgi import application

    sockets = []
    for number in range(args.sessions):
        lang = "en" if number % 3 == 0 else "zh-hans"
        communicator = WebsocketCommunicator(
            application,
            f"/ws/chat/?lang={lang}&last_seq=0",
            headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
        )
        connected, _ = await communicator.connect(timeout=30)
        assert connected
        welcome = await communicator.receive_json_from(timeout=30)
        assert welcome["type"] == "welcome", welcome
        sockets.append(communicator)
    counter = iter(range(10**9))

    async def one(i):
        text, lang = questions[i % len(questions)]
        communicator = sockets[i % len(sockets)]
        client_id = f"c{next(counter)}"
        frame = {"type": "message", "text": text, "id": client_id, "lang": lang}
        await communicator.send_to(text_data=json.dumps(frame))
        while True:
            message = await communicator.receive_json_from(timeout=30)
            if message.get("reply_to") == client_id:
                break
        # The rest of the answer (further replies) arrives in the same flush.
        while not await communicator.receive_nothing(timeout=0.001):
            await communicator.receive_from()

    for i in range(args.warm_up):
        await one(i)
    profiler = cProfile.Profile() if args.profile else None
    started_cpu, started = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(args.messages):
        await one(i)
    if profiler:
        profiler.disable()
    result = started_cpu, started, profiler
    for communicator in sockets:
        await communicator.disconnect()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", choices=("service", "consumer"), default="service")
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--warm-up", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--mix", choices=("questions", "smalltalk"), default="questions")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N functions")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    args = parser.parse_args()
    data_dir = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")).resolve()
    setup(data_dir)
    import logging

    logging.disable(logging.WARNING)  # unanswered questions are logged at INFO/WARNING
    from chat_load import MIXES

    questions = MIXES[args.mix]
    profiler = None
    if args.path == "service":
        started_cpu, started, profiler = run_service(args, questions)
    else:
        started_cpu, started, profiler = asyncio.run(run_consumer(args, questions))
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    print(
        f"{args.path}: {args.messages} messages ({args.mix}, {args.sessions} conversations): "
        f"{cpu / args.messages * 1000:.2f} ms CPU, {wall / args.messages * 1000:.2f} ms wall per message"
        + (" (under cProfile)" if profiler else "")
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
