"""The hostile-input corpus against every public input and socket message field.

Corpus (tests/data/naughty/): the Big List of Naughty Strings (503, MIT) and 103 XSS vectors,
plus lone surrogates. Every string goes through the plain validation the inputs use (the request
form, the filing rules, the chat's frame validator and message rules, tracking); a sample goes
through HTTP (API, form, tracking, search, the /chat/ page) and the two sockets. Asserted: no 5xx,
no socket dropped or closed with 1011, no traceback or error in the log. The counts are printed
(`-s`). The browser test in tests/browser/test_hostile_pages.py shows the stored strings in
Chromium and checks that no script runs.
"""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.test import Client

from chatbot import consumers, service
from desk import actions
from desk.forms import InquiryForm, TrackForm
from desk.models import Inquiry

DATA = Path(__file__).resolve().parents[1] / "data" / "naughty"
BLNS = json.loads((DATA / "blns.json").read_text(encoding="utf-8"))
XSS = json.loads((DATA / "xss_vectors.json").read_text(encoding="utf-8"))
SURROGATES = ["\ud800", "a\udfffb", "\udbff\udc00\ud800", "身份证\ud83d"]
CORPUS = BLNS + XSS + SURROGATES
# Every 12th naughty string, every 4th vector, all surrogates: what goes through HTTP and sockets.
SAMPLE = BLNS[::12] + XSS[::4] + SURROGATES

COUNTS = {}


def count(name, n=1):
    COUNTS[name] = COUNTS.get(name, 0) + n


@pytest.fixture(autouse=True)
def no_limits(settings):
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    yield
    cache.clear()


def problems(caplog):
    return [
        f"{r.name}: {r.getMessage()[:200]}"
        for r in caplog.records
        if r.exc_info or r.levelname in ("ERROR", "CRITICAL") or "Traceback" in r.getMessage()
    ]


def storable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_the_corpus_is_there():
    assert len(BLNS) >= 500 and len(XSS) >= 100
    assert "<script>alert(123)</script>" in BLNS
    assert (DATA / "LICENSE-blns").read_text().startswith("The MIT License")


# --- Every string through plain validation ---------------------------------------------------


@pytest.mark.django_db
def test_every_string_through_the_validation_of_every_input(desk_config, caplog):
    fields = ("subject", "description", "location", "name", "phone", "email", "event_time", "kind", "category")
    base = {
        "kind": "consultation",
        "category": "id-card",
        "subject": "补办身份证",
        "description": "身份证丢了，怎么补办？需要带什么材料？",
        "name": "张三",
        "phone": "13800000000",
        "lang": "zh-hans",
    }
    form_base = {**base, "consent": "on", "form_token": "t" * 24}
    for text in CORPUS:
        # Each field is validated on its own, so one form checks the string in all text fields;
        # the filing rules (desk.actions) check each field of a form that passed.
        for data in ({**form_base, **dict.fromkeys(fields[:-2], text)}, {**form_base, "kind": text, "category": text}):
            form = InquiryForm(data)
            form.is_valid()
            count("form fields", 2 if data["kind"] == text else len(fields) - 2)
        for field in fields:
            try:
                actions._validate_new(
                    **{
                        **base,
                        "consent": True,
                        "location": "",
                        "email": "",
                        "event_time": None,
                        field: text,
                        "channel": "web",
                    }
                )
            except actions.ValidationError:
                pass
            count("filing rules")
        TrackForm({"reference": text, "access_code": text}).is_valid()
        actions.lookup(text, text)
        count("tracking look-up")
        for frame in (
            {"type": "message", "text": text, "id": text[:64], "lang": text},
            {"type": "choice", "choice": text, "id": "c"},
            {"type": "feedback", "seq": 2, "helpful": True, "comment": text},
            {"type": text},
        ):
            raw = json.dumps(frame)
            try:
                content = consumers.parse_frame(raw, consumers.CITIZEN_FIELDS)
            except consumers.FrameError as exc:
                assert exc.as_chat_error().as_event()["type"] == "error"
            else:
                if content["type"] == "message":
                    try:
                        cleaned = service.clean_message(content["text"])
                        service.clean_client_id(content.get("id"))
                        service.normalize_lang(content.get("lang"))
                        assert storable(cleaned)
                    except service.ChatError:
                        pass
            count("chat frames")
    assert Inquiry.objects.count() == 0
    assert problems(caplog) == []
    print("\nhostile inputs, validation:", COUNTS)


# --- A sample through HTTP --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sample_through_every_public_http_input(desk_config, caplog):
    client = Client(REMOTE_ADDR="203.0.113.80")
    statuses = {}

    def check(response, what):
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, what
        count("http requests")

    stored = 0
    for n, text in enumerate(SAMPLE):
        body = {
            "kind": "consultation",
            "category": "id-card",
            "subject": f"naughty {n} {text}"[:200],
            "description": f"hostile input {n}: {text}",
            "location": text[:200],
            "name": text[:100],
            "phone": "13800000000",
            "lang": "zh-hans",
            "consent": True,
        }
        response = client.post("/api/inquiries", json.dumps(body), content_type="application/json")
        check(response, ("api", text))
        stored += response.status_code == 201
        for fields in (("phone", "email", "event_time"), ("kind", "category", "lang")):  # each checked alone
            check(
                client.post(
                    "/api/inquiries",
                    json.dumps({**body, **dict.fromkeys(fields, text)}),
                    content_type="application/json",
                ),
                ("api", fields, text),
            )
        if storable(text):
            check(client.get("/zh-hans/search/?q=" + quote(text)), ("search", text))
            check(client.get("/api/search?q=" + quote(text)), ("search api", text))
            check(client.post("/zh-hans/requests/track/", {"reference": text, "access_code": text}), ("track", text))
            check(client.post("/zh-hans/chat/", {"action": "message", "text": text, "id": f"h{n}"}), ("chat", text))
            check(client.post("/zh-hans/chat/", {"action": "choice", "choice": text}), ("chat choice", text))
            check(client.get("/zh-hans/requests/new/?kind=" + quote(text)), ("form", text))
            check(
                client.post("/zh-hans/requests/new/", {"subject": text, "description": text, "phone": text}),
                ("form", text),
            )
        encoded = quote(text, errors="surrogatepass")
        check(client.get("/zh-hans/search/?q=" + encoded), ("search raw", text))
        check(
            client.post(
                "/zh-hans/requests/track/",
                f"reference={encoded}&access_code={encoded}",
                content_type="application/x-www-form-urlencoded",
            ),
            ("track raw", text),
        )
        if text.isascii() and text.isprintable():
            check(client.get("/api/inquiries/YG-2026-000001", headers={"X-Access-Code": text}), ("api track", text))
    assert stored > len(SAMPLE) // 2
    assert problems(caplog) == []
    print("\nhostile inputs, HTTP:", len(SAMPLE), "strings,", COUNTS["http requests"], "requests", statuses)


# --- A sample through both sockets ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_sample_through_every_socket_message_field(caplog):
    from tests.chatbot.chat_helpers import citizen, welcome

    socket = citizen("lang=zh-hans", address="203.0.113.81")
    await welcome(socket)
    frames = 0
    for n, text in enumerate(SAMPLE):
        for frame in (
            {"type": "message", "text": text, "id": f"m{n}"},
            {"type": "message", "text": "你好", "id": text[:64] or "x", "lang": text},
            {"type": "choice", "choice": text, "id": f"c{n}"},
            {"type": "feedback", "seq": 2, "helpful": True, "comment": text},
            {"type": text},
        ):
            await socket.send_to(text_data=json.dumps(frame))
            frames += 1
            await socket.send_json_to({"type": "ping"})
            while True:  # everything up to the pong: no close among it
                out = await socket.receive_output(timeout=20)
                assert out["type"] == "websocket.send", out
                if json.loads(out["text"]).get("type") == "pong":
                    break
    await socket.disconnect()
    assert await sync_to_async(lambda: consumers.open_connection_count("203.0.113.81"))() == 0
    assert problems(caplog) == []
    print("\nhostile inputs, chat socket:", frames, "frames")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_sample_through_the_desk_socket():
    from channels.testing import WebsocketCommunicator

    from desk.consumers import DeskConsumer
    from tests.desk.test_admin_support import make_desk

    desk = await sync_to_async(make_desk)()
    socket = WebsocketCommunicator(DeskConsumer.as_asgi(), "/ws/desk/")
    socket.scope["user"] = desk.duty
    assert (await socket.connect())[0]
    assert (await socket.receive_json_from())["type"] == "snapshot"
    for text in SAMPLE:
        for frame in ({"type": text}, {"type": "ping", "x": text}, text):
            await socket.send_to(text_data=json.dumps(frame))
        await socket.send_json_to({"type": "ping"})
        assert (await socket.receive_json_from(timeout=10)) == {"type": "pong"}
    await socket.disconnect()
