"""The documented contracts, tested as an outside client would use them, from the docs alone:
docs/api-search.md, docs/api-inquiries.md, docs/chat-protocol.md and docs/open-data.md.

Requests are written as the docs show them (their examples verbatim where they have one); each
assertion is something a client would notice: a field present with its documented type, a
documented status and error shape, a documented header, documented message order."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from tests.chatbot.chat_helpers import citizen, drain, receive_until, welcome
from tests.desk import conftest as desk_fixtures
from tests.search import conftest as search_fixtures

# The fixtures the search and desk tests use, shared here (a conftest only reaches its own folder).
desk_config = desk_fixtures.desk_config
commit, locales, make_faq = search_fixtures.commit, search_fixtures.locales, search_fixtures.make_faq
search_dir, site = search_fixtures.search_dir, search_fixtures.site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _error_shape(data, code):
    assert set(data) == {"error"}
    assert data["error"]["code"] == code
    assert isinstance(data["error"]["message"], str) and data["error"]["message"]


# --- docs/api-search.md -------------------------------------------------------------------------


@pytest.fixture
def faqs(site, make_faq):
    make_faq("id-card-lost", "居民身份证遗失后如何补领？", "居民身份证遗失或被盗后，请尽快到派出所办理补领。")
    make_faq("id-card-lost", "How do I replace a lost ID card?", "At any police station, CNY 20.", lang="en")
    make_faq("passport-apply", "护照怎么办理？", "到出入境接待大厅办理护照。")
    make_faq("passport-apply", "How do I apply for a passport?", "At the exit-entry hall.", lang="en")
    make_faq("passport-lost", "护照丢了怎么办？", "护照遗失请先报失。")
    make_faq("passport-lost", "I lost my passport abroad or at home", "Report the loss first.", lang="en")


RESULT_TYPES = {"kind": str, "key": str, "lang": str, "title": str, "url": str, "snippet": str, "score": float}


def _check_search_body(data):
    assert {"results", "lang", "language_fallback"} <= set(data) <= {"results", "lang", "language_fallback", "searched"}
    assert data["lang"] in ("zh-hans", "en")
    assert isinstance(data["language_fallback"], bool)
    for result in data["results"]:
        assert set(result) == set(RESULT_TYPES)
        for name, kind in RESULT_TYPES.items():
            assert isinstance(result[name], kind), name
        assert result["kind"] in ("faq", "page")
        assert result["lang"] == data["lang"]
        # site-relative; "" when the item's language has no page to link it to (documented)
        assert result["url"] == "" or result["url"].startswith("/")
        assert "<" not in result["snippet"]


def test_search_doc_example_verbatim(client, faqs):
    response = client.get("/api/search?q=lost%20my%20passport&lang=en&kind=faq&limit=3")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    _check_search_body(data)
    assert data["lang"] == "en" and data["language_fallback"] is False
    assert "searched" not in data
    assert 1 <= len(data["results"]) <= 3
    assert all(r["kind"] == "faq" for r in data["results"])
    assert data["results"][0]["key"] == "passport-lost"


def test_search_defaults_when_optional_parameters_are_missing(client, faqs):
    """Only q: lang zh-hans, both kinds, at most 10."""
    data = client.get("/api/search?q=身份证").json()
    _check_search_body(data)
    assert data["lang"] == "zh-hans"
    assert data["results"] and data["results"][0]["key"] == "id-card-lost"


def test_search_unknown_parameters_are_ignored(client, faqs):
    response = client.get("/api/search?q=身份证&page=2&format=xml&callback=x")
    assert response.status_code == 200
    _check_search_body(response.json())


@pytest.mark.parametrize("limit", ["1", "50"])
def test_search_limit_at_the_documented_bounds(client, faqs, limit):
    response = client.get(f"/api/search?q=passport&lang=en&limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= int(limit)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "q"),
        ("q=", "q"),
        ("q=%20%20", "q"),
        ("q=%3F%21%2A", "q"),  # no letter, digit or character
        ("q=" + "x" * 4001, "q"),
        ("q=x&limit=0", "limit"),
        ("q=x&limit=51", "limit"),
        ("q=x&limit=ten", "limit"),
        ("q=x&kind=guide", "kind"),
        ("q=x&lang=fr", "lang"),
    ],
)
def test_search_invalid_parameters_get_the_documented_400(client, search_dir, query, field):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    _error_shape(data, "invalid")
    assert data["error"]["message"] == "Invalid parameters."
    assert field in data["error"]["fields"]
    assert all(isinstance(m, str) for m in data["error"]["fields"][field])


def test_search_q_of_4000_characters_is_accepted_and_searched_by_key_words(client, faqs):
    q = ("lost passport " * 400)[:4000]
    response = client.get("/api/search", {"q": q, "lang": "en"})
    assert response.status_code == 200
    data = response.json()
    _check_search_body(data)
    assert isinstance(data["searched"], str) and data["searched"]


def test_search_in_the_other_language_says_so(client, faqs):
    data = client.get("/api/search", {"q": "lost ID card", "lang": "zh-hans"}).json()
    _check_search_body(data)
    assert data["language_fallback"] is True and data["lang"] == "en"


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("zh-Hans", "zh-hans"),
        ("ZH-HANS", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-CN", "zh-hans"),
        ("EN", "en"),
        ("en-US", "en"),
    ],
)
def test_search_lang_codes_are_not_case_sensitive(client, faqs, written, meant):
    """Language tags are case-insensitive (BCP 47): `zh-Hans` is how most libraries write it."""
    response = client.get("/api/search", {"q": "身份证" if meant == "zh-hans" else "passport", "lang": written})
    assert response.status_code == 200
    assert response.json()["lang"] == meant


def test_search_non_utf8_query_string_is_a_400_not_a_500(client, search_dir):
    response = client.get("/api/search?q=%FF%FE")
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_search_other_methods_are_405(client, search_dir, method):
    for url in ("/api/search?q=x", "/api/search/suggest?q=x"):
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response.content == b""
        assert "GET" in response["Allow"]


def test_search_head_is_allowed(client, faqs):
    assert client.head("/api/search?q=passport&lang=en").status_code == 200
    assert client.head("/api/search/suggest?q=pass&lang=en").status_code == 200


def test_search_429_has_retry_after_and_the_documented_body(client, settings, faqs):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (2, 60)}
    for _ in range(2):
        assert client.get("/api/search?q=passport&lang=en").status_code == 200
    for url in ("/api/search?q=passport&lang=en", "/api/search/suggest?q=pass&lang=en"):
        response = client.get(url)
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        data = response.json()
        _error_shape(data, "rate_limited")
        assert data["error"]["message"] == "Too many requests; try again later."


def test_search_every_response_carries_no_store(client, settings, faqs):
    """ "Responses carry Cache-Control: no-store": errors too (a cached 429 or 400 would be
    served to the next request)."""
    assert client.get("/api/search?q=").headers["Cache-Control"] == "no-store"
    assert client.get("/api/search/suggest?limit=0").headers["Cache-Control"] == "no-store"
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (0, 60)}
    assert client.get("/api/search?q=passport").headers["Cache-Control"] == "no-store"


def test_suggest_doc_shape_and_incomplete_english_word(client, faqs):
    response = client.get("/api/search/suggest?q=pass&lang=en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {"suggestions"}
    assert data["suggestions"]
    for s in data["suggestions"]:
        assert set(s) == {"title", "url", "kind"}
        assert all(isinstance(s[k], str) for k in s)
        assert s["kind"] in ("faq", "page")
    assert any("passport" in s["title"].lower() for s in data["suggestions"])


@pytest.mark.parametrize("query", ["", "q=", "q=%20"])
def test_suggest_empty_or_missing_q_gives_no_suggestions(client, search_dir, query):
    response = client.get(f"/api/search/suggest?{query}")
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


@pytest.mark.parametrize(("limit", "status"), [("1", 200), ("10", 200), ("0", 400), ("11", 400)])
def test_suggest_limit_bounds(client, faqs, limit, status):
    response = client.get(f"/api/search/suggest?q=pass&lang=en&limit={limit}")
    assert response.status_code == status
    if status == 200:
        assert len(response.json()["suggestions"]) <= int(limit)
    else:
        _error_shape(response.json(), "invalid")
        assert "limit" in response.json()["error"]["fields"]


def test_suggest_q_of_200_characters_is_answered(client, faqs):
    response = client.get("/api/search/suggest", {"q": "p" * 200, "lang": "en"})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


@pytest.mark.parametrize("url", ["/api/search/?q=passport&lang=en", "/api/search/suggest/?q=pass&lang=en"])
def test_search_urls_with_a_trailing_slash_answer_the_same(client, faqs, url):
    """Clients often add a slash; the API answers there too rather than a 404 HTML page."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_search_sends_no_cors_headers(client, faqs):
    response = client.get("/api/search?q=passport&lang=en", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


# --- docs/api-inquiries.md ----------------------------------------------------------------------

DOC_BODY = """{"kind": "consultation", "category": "id-card", "subject": "Replacing a lost ID card",
       "description": "I lost my ID card on the metro. What do I bring?",
       "name": "Alex Chen", "phone": "13800000000", "email": "", "lang": "en", "consent": true}"""
DOC_KEY = "5f0c1e9a-7d4b-4c1e-9f59-0b7d2c3a9e11"


def _file(client, body=DOC_BODY, content_type="application/json", url="/api/inquiries", **headers):
    return client.post(url, body, content_type=content_type, headers=headers)


def _errors_shape(data):
    assert set(data) == {"errors"}
    assert isinstance(data["errors"], dict) and data["errors"]
    for name, messages in data["errors"].items():
        assert isinstance(name, str)
        assert isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)


def test_options_doc_example_verbatim(client, desk_config):
    response = client.get("/api/inquiries/options?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"lang", "kinds", "categories", "languages"}
    assert data["lang"] == "en"
    for kind in data["kinds"]:
        assert set(kind) == {"slug", "name", "contact", "anonymous_allowed", "categories"}
        assert set(kind["contact"]) == {"required", "one_of"}
        assert isinstance(kind["anonymous_allowed"], bool)
        assert all(isinstance(c, str) for c in kind["categories"])
    by_slug = {k["slug"]: k for k in data["kinds"]}
    assert by_slug["consultation"]["name"] == "Consultation"
    assert by_slug["consultation"]["contact"] == {"required": [], "one_of": ["phone", "email"]}
    assert by_slug["complaint"]["contact"] == {"required": ["name", "phone"], "one_of": []}
    assert by_slug["tip"]["anonymous_allowed"] is True
    assert "police-conduct" in by_slug["complaint"]["categories"]
    card = next(c for c in data["categories"] if c["slug"] == "id-card")
    assert set(card) == {"slug", "name", "kinds"} and card["name"] == "Resident ID card"
    assert {"code": "zh-hans", "name": "简体中文"} in data["languages"]
    assert {"code": "en", "name": "English"} in data["languages"]


def test_options_default_language_is_chinese(client, desk_config):
    assert client.get("/api/inquiries/options").json()["lang"] == "zh-hans"


def test_filing_doc_example_verbatim_then_replay_then_conflict(client, desk_config):
    first = _file(client, **{"Idempotency-Key": DOC_KEY})
    assert first.status_code == 201
    assert first["Content-Type"].startswith("application/json")
    data = first.json()
    assert set(data) == {"reference", "access_code", "status", "due_at", "track_url", "receipt"}
    assert data["status"] == "new"
    assert isinstance(data["due_at"], str) and data["due_at"][:4].isdigit()
    assert data["track_url"].endswith(f"/en/requests/track/?reference={data['reference']}")
    assert data["track_url"].startswith("http")
    assert set(data["receipt"]) == {"signature", "verify_url"}
    assert len(data["receipt"]["signature"]) == 91 and "=" not in data["receipt"]["signature"]
    assert "Idempotent-Replayed" not in first

    again = _file(client, **{"Idempotency-Key": DOC_KEY})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["reference"] == data["reference"]
    assert again.json()["access_code"] == data["access_code"]

    changed = _file(client, DOC_BODY.replace("metro", "bus"), **{"Idempotency-Key": DOC_KEY})
    assert changed.status_code == 409
    _errors_shape(changed.json())
    assert set(changed.json()["errors"]) == {"Idempotency-Key"}

    # Track it exactly as the doc shows.
    track = client.get(f"/api/inquiries/{data['reference']}?lang=en", headers={"X-Access-Code": data["access_code"]})
    assert track.status_code == 200
    shown = track.json()
    assert set(shown) == {
        "reference",
        "kind",
        "category",
        "subject",
        "status",
        "status_label",
        "created_at",
        "due_at",
        "department",
        "timeline",
    }
    assert shown["reference"] == data["reference"] and shown["kind"] == "consultation"
    assert shown["category"] == "id-card" and shown["subject"] == "Replacing a lost ID card"
    assert shown["status"] in ("new", "assigned", "in_progress", "replied", "closed")
    assert shown["status_label"] == "New" or isinstance(shown["status_label"], str)
    assert shown["timeline"] and shown["timeline"][0]["kind"] == "created"
    for item in shown["timeline"]:
        assert set(item) == {"kind", "label", "by", "text", "reason", "at"}
        assert all(isinstance(item[k], str) for k in item)

    # Verify its receipt as the doc shows.
    sig = data["receipt"]["signature"]
    verified = client.get(f"/api/receipts/verify?ref={data['reference']}&sig={sig}").json()
    assert set(verified) == {"valid", "reference", "kind", "department", "filed_at"}
    assert verified["valid"] is True and verified["kind"] == "consultation"
    assert verified["department"] == "household"
    tampered = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    assert client.get(f"/api/receipts/verify?ref={data['reference']}&sig={tampered}").json() == {"valid": False}
    assert client.get(f"/api/receipts/verify?ref=YG-2026-999999&sig={sig}").json() == {"valid": False}
    assert client.get("/api/receipts/verify").json() == {"valid": False}


def test_filing_without_idempotency_key_files_each_time(client, desk_config):
    one = _file(client).json()["reference"]
    two = _file(client).json()["reference"]
    assert one != two


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json;charset=UTF-8"])
def test_filing_accepts_json_with_a_charset(client, desk_config, content_type):
    assert _file(client, content_type=content_type).status_code == 201


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
)
def test_filing_with_another_content_type_is_415(client, desk_config, content_type):
    response = _file(client, content_type=content_type)
    assert response.status_code == 415
    _errors_shape(response.json())
    assert "__all__" in response.json()["errors"]


@pytest.mark.parametrize(
    "raw",
    [b"{", b"[1, 2]", b'"text"', b"null", b"\xff\xfe{}", b'{"kind": NaN}', "{}".encode("utf-16")],
)
def test_filing_an_unreadable_body_is_400_never_500(client, desk_config, raw):
    response = _file(client, raw)
    assert response.status_code == 400
    _errors_shape(response.json())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": 5}, "subject"),
        ({"consent": "true"}, "consent"),
        ({"consent": False}, "consent"),
        ({"phone": "", "email": ""}, None),  # one of phone/email
        ({"subject": "x" * 201}, "subject"),
        ({"description": "x" * 5001}, "description"),
        ({"location": "x" * 201}, "location"),
        ({"category": "no-such"}, "category"),
        ({"kind": "no-such"}, "kind"),
        ({"colour": "blue"}, "colour"),
        ({"event_time": "yesterday"}, "event_time"),
        ({"kind": ["consultation"]}, "kind"),
        ({"name": None}, None),
    ],
)
def test_filing_field_errors_are_400_with_the_documented_shape(client, desk_config, change, field):
    body = {**json.loads(DOC_BODY), **change}
    response = _file(client, json.dumps(body))
    if change == {"name": None}:  # null for an optional contact field: accepted or a field error
        assert response.status_code in (201, 400)
        if response.status_code == 400:
            _errors_shape(response.json())
        return
    assert response.status_code == 400, response.content
    _errors_shape(response.json())
    if field:
        assert field in response.json()["errors"]


def test_filing_at_the_documented_length_limits(client, desk_config):
    body = {
        **json.loads(DOC_BODY),
        "subject": "s" * 200,
        "description": "d" * 5000,
        "location": "l" * 200,
        "event_time": "2026-11-25T09:30:00",
    }
    assert _file(client, json.dumps(body)).status_code == 201


def test_filing_event_time_with_an_offset_is_accepted(client, desk_config):
    body = {**json.loads(DOC_BODY), "event_time": "2026-11-25T01:30:00Z"}
    assert _file(client, json.dumps(body)).status_code == 201


def test_filing_errors_are_localized_by_body_lang(client, desk_config):
    body = {**json.loads(DOC_BODY), "consent": False}
    en = _file(client, json.dumps(body)).json()["errors"]["consent"][0]
    zh = _file(client, json.dumps({**body, "lang": "zh-hans"})).json()["errors"]["consent"][0]
    assert en == "Please agree to the privacy notice." and en != zh


def test_query_lang_localizes_errors_before_the_body_is_read(client, desk_config):
    en = _file(client, "{", url="/api/inquiries?lang=en").json()["errors"]["__all__"][0]
    zh = _file(client, "{").json()["errors"]["__all__"][0]
    assert en != zh and en.isascii()


@pytest.mark.parametrize("key", ["", "k" * 101])
def test_filing_with_a_bad_idempotency_key_is_400(client, desk_config, key):
    response = _file(client, **{"Idempotency-Key": key})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


def test_filing_an_empty_json_body_is_400(client, desk_config):
    """Content-Type application/json with no body at all (the test client drops the header for an
    empty body, so it is set by hand)."""
    response = client.generic("POST", "/api/inquiries", b"", CONTENT_TYPE="application/json")
    assert response.status_code == 400
    _errors_shape(response.json())


@pytest.mark.parametrize(
    "url", ["/api/inquiries/", "/api/inquiries/options/?lang=en", "/api/receipts/verify/?ref=x&sig=y"]
)
def test_inquiry_urls_with_a_trailing_slash_answer_the_same(client, desk_config, url):
    response = _file(client, url=url) if url == "/api/inquiries/" else client.get(url)
    assert response.status_code in (200, 201)
    assert response["Content-Type"].startswith("application/json")


def test_tracking_url_with_a_trailing_slash(client, desk_config):
    data = _file(client).json()
    response = client.get(f"/api/inquiries/{data['reference']}/", headers={"X-Access-Code": data["access_code"]})
    assert response.status_code == 200 and response.json()["reference"] == data["reference"]


def test_filing_with_a_100_character_idempotency_key_is_accepted(client, desk_config):
    assert _file(client, **{"Idempotency-Key": "k" * 100}).status_code == 201


def test_filing_get_is_405(client, desk_config):
    assert client.get("/api/inquiries").status_code == 405


def test_filing_429_has_retry_after_and_the_errors_shape(client, desk_config, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_create": (1, 600)}
    assert _file(client).status_code == 201
    response = _file(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    _errors_shape(response.json())


def test_tracking_404_is_the_same_for_wrong_code_missing_header_and_unknown_reference(client, desk_config):
    data = _file(client).json()
    wrong = client.get(f"/api/inquiries/{data['reference']}", headers={"X-Access-Code": "AAAAA-BBBBB"})
    missing = client.get(f"/api/inquiries/{data['reference']}")
    unknown = client.get("/api/inquiries/YG-2026-999999", headers={"X-Access-Code": data["access_code"]})
    assert wrong.status_code == missing.status_code == unknown.status_code == 404
    assert wrong.content == missing.content == unknown.content
    _errors_shape(wrong.json())


def test_tracking_429_has_retry_after_every_time(client, desk_config, settings):
    """ "a limited call gets 429 with Retry-After": also once the limit is already used up."""
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_track": (2, 600)}
    for _ in range(2):
        assert client.get("/api/inquiries/YG-2026-999999").status_code == 404
    for _ in range(2):
        response = client.get("/api/inquiries/YG-2026-999999")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        _errors_shape(response.json())


def test_receipt_verify_429_has_retry_after(client, desk_config, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "receipt_verify": (1, 60)}
    assert client.get("/api/receipts/verify?ref=x&sig=y").status_code == 200
    response = client.get("/api/receipts/verify?ref=x&sig=y")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(("written", "meant"), [("EN", "en"), ("zh-Hans", "zh-hans")])
def test_options_lang_is_not_case_sensitive(client, desk_config, written, meant):
    assert client.get(f"/api/inquiries/options?lang={written}").json()["lang"] == meant


def test_inquiry_api_sends_no_cors_headers(client, desk_config):
    response = _file(client, Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    options = client.options("/api/inquiries", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in options


# --- docs/chat-protocol.md ----------------------------------------------------------------------

chat = pytest.mark.django_db(transaction=True)


@chat
@pytest.mark.asyncio
async def test_chat_welcome_has_the_documented_fields():
    socket = citizen("lang=zh-hans")
    hello = await welcome(socket)
    assert set(hello) == {"type", "conversation", "resumed", "status", "last_seq", "lang", "max_length"}
    assert isinstance(hello["conversation"], str) and len(hello["conversation"]) == 43
    assert hello["resumed"] is False and hello["status"] == "bot"
    assert hello["last_seq"] == 0 and hello["lang"] == "zh-hans" and hello["max_length"] == 2000
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_without_any_parameter_connects():
    socket = citizen()
    hello = await welcome(socket)
    assert hello["lang"] in ("zh-hans", "en")
    await socket.disconnect()


@chat
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("written", "meant"), [("en-US", "en"), ("EN", "en"), ("zh-Hans", "zh-hans"), ("zh", "zh-hans")]
)
async def test_chat_lang_written_differently(written, meant):
    socket = citizen(f"lang={written}")
    hello = await welcome(socket)
    assert hello["lang"] == meant
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_doc_example_order_and_shapes_then_dedupe():
    socket = citizen("lang=zh-hans")
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "身份证丢了怎么补办", "id": "c1a2b3"})
    ack = await socket.receive_json_from(timeout=20)
    assert ack["type"] == "citizen_message"
    assert set(ack) == {"type", "id", "text", "seq", "at"}
    assert ack["id"] == "c1a2b3" and ack["text"] == "身份证丢了怎么补办" and ack["seq"] == 1
    reply, between = await receive_until(socket, "reply", timeout=20)
    assert between == []
    assert {"type", "id", "reply_to", "seq", "intent", "text", "sources", "choices", "links", "rateable", "at"} <= set(
        reply
    )
    assert reply["id"] == f"b{reply['seq']}" and reply["seq"] == 2 and reply["reply_to"] == "c1a2b3"
    assert isinstance(reply["text"], str) and reply["text"]
    assert reply["intent"] in (
        "emergency",
        "faq",
        "clarify",
        "unknown",
        "request",
        "track",
        "handover",
        "greeting",
        "help",
        "thanks",
        "goodbye",
        "fallback",
    )
    assert isinstance(reply["rateable"], bool)
    for source in reply["sources"]:
        assert {"key", "title", "url"} <= set(source)
    for choice in reply["choices"]:
        assert {"id", "label"} <= set(choice)
    for link in reply["links"]:
        assert {"label", "url"} <= set(link)
    rest = await drain(socket)
    last = max([reply["seq"]] + [m["seq"] for m in rest if "seq" in m and m["type"] != "feedback_saved"])

    # The same client id again: the stored answer again, nothing new stored.
    await socket.send_json_to({"type": "message", "text": "身份证丢了怎么补办", "id": "c1a2b3"})
    again = await drain(socket, first=10)
    assert again[0]["type"] == "citizen_message" and again[0]["seq"] == 1
    assert any(m["type"] == "reply" and m["seq"] == 2 for m in again)
    assert max(m["seq"] for m in again) == last

    # Feedback on the reply, and on a seq that is not a reply.
    await socket.send_json_to({"type": "feedback", "seq": 2, "helpful": True})
    saved = await socket.receive_json_from(timeout=5)
    if reply["rateable"]:
        assert saved == {"type": "feedback_saved", "seq": 2, "helpful": True}
    await socket.send_json_to({"type": "feedback", "seq": 1, "helpful": False})
    refused = await socket.receive_json_from(timeout=5)
    assert refused["type"] == "error" and refused["code"] == "unknown_message"

    # resume sends everything after last_seq again
    await socket.send_json_to({"type": "resume", "last_seq": 0})
    replayed = await drain(socket, first=5)
    assert [m["seq"] for m in replayed] == list(range(1, last + 1))
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_ping_pong_and_token_resume():
    socket = citizen("lang=en")
    hello = await welcome(socket)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.send_json_to({"type": "message", "text": "hello", "id": 7})
    first = await drain(socket, first=20)
    # a numeric client id comes back as a string (documented): ids are stored as text
    assert first[0]["type"] == "citizen_message" and first[0]["id"] == "7"
    assert next(m for m in first if m["type"] == "reply")["reply_to"] == "7"
    await socket.disconnect()

    again = citizen(f"lang=en&token={hello['conversation']}&last_seq=1")
    hello2 = await welcome(again)
    assert hello2["resumed"] is True and hello2["conversation"] == hello["conversation"]
    after = await drain(again)
    assert after and all(m["seq"] > 1 for m in after)
    await again.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_unknown_token_starts_a_new_conversation():
    socket = citizen("token=not-a-real-token")
    hello = await welcome(socket)
    assert hello["resumed"] is False and hello["conversation"] != "not-a-real-token"
    await socket.disconnect()


@chat
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("frame", "code", "field"),
    [
        ("not json", "bad_json", None),
        ('{"type": "message", "text": NaN, "id": "x"}', "bad_json", None),
        ("[1, 2]", "bad_request", "type"),
        ('{"text": "hi"}', "bad_request", "type"),
        ('{"type": 5}', "bad_request", "type"),
        ('{"type": "message", "text": 5, "id": "x"}', "bad_request", "text"),
        ('{"type": "message", "text": "hi", "id": true}', "bad_request", "id"),
        ('{"type": "message", "text": "hi", "id": "x", "lang": 1}', "bad_request", "lang"),
        ('{"type": "feedback", "seq": "2", "helpful": true}', "bad_request", "seq"),
        ('{"type": "feedback", "seq": -1, "helpful": true}', "bad_request", "seq"),
        ('{"type": "feedback", "seq": 2, "helpful": "yes"}', "bad_request", "helpful"),
        ('{"type": "resume", "last_seq": 1.5}', "bad_request", "last_seq"),
        ('{"type": "message", "text": "\\ud800", "id": "x"}', "bad_request", None),
        ('{"type": "message", "text": "hi", "id": "x", "n": 1e400}', "bad_request", None),
        ('{"type": "message", "text": "hi", "id": "x", "a": [[[[1]]]]}', "bad_request", None),
        ('{"type": "dance"}', "unknown_type", None),
        ('{"type": "message", "text": "   ", "id": "x"}', "empty", None),
    ],
)
async def test_chat_frames_that_do_not_fit(frame, code, field):
    socket = citizen("lang=en")
    await welcome(socket)
    await socket.send_to(text_data=frame)
    error = await socket.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if field:
        assert error["field"] == field
    # the socket stays open
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_binary_frame_is_bad_request():
    socket = citizen()
    await welcome(socket)
    await socket.send_to(bytes_data=b"\x00\x01")
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == "bad_request"
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_text_at_and_over_the_limit():
    from chatbot.models import Message

    socket = citizen("lang=en")
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "a" * 2001, "id": "long"})
    error = await socket.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "too_long" and error["max_length"] == 2000
    assert error["id"] == "long"
    assert await sync_to_async(Message.objects.filter(client_id="long").count)() == 0
    await socket.send_json_to({"type": "message", "text": "a" * 2000, "id": "edge"})
    ack = await socket.receive_json_from(timeout=20)
    assert ack["type"] == "citizen_message" and ack["id"] == "edge"
    await drain(socket, first=20)
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_client_id_of_65_characters_is_refused_64_accepted():
    socket = citizen("lang=en")
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "hello", "id": "i" * 65})
    error = await socket.receive_json_from(timeout=5)
    # "bad_request names the field"
    assert error["type"] == "error" and error["code"] == "bad_request" and error["field"] == "id"
    await socket.send_json_to({"type": "message", "text": "hello", "id": "i" * 64})
    ack = await socket.receive_json_from(timeout=20)
    assert ack["type"] == "citizen_message" and ack["id"] == "i" * 64
    await drain(socket, first=20)
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_unknown_choice():
    socket = citizen("lang=en")
    await welcome(socket)
    await socket.send_json_to({"type": "choice", "choice": "nope", "id": "ch1"})
    error = await socket.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["code"] == "unknown_choice"
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_rate_limited_error_fields(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "chat_message_connection": (1, 60)}
    socket = citizen("lang=en")
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "hello", "id": "r1"})
    await drain(socket, first=20)
    await socket.send_json_to({"type": "message", "text": "hello again", "id": "r2"})
    error = await socket.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "rate_limited"
    assert error["limit"] == "chat_message_connection" and error["retry_after"] > 0
    assert error["id"] == "r2"
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_handshake_without_origin_is_refused():
    socket = citizen(origin=None)
    connected, _ = await socket.connect()
    assert not connected
    bad = citizen(origin=(b"origin", b"https://evil.example"))
    connected, _ = await bad.connect()
    assert not connected


@chat
@pytest.mark.asyncio
async def test_chat_trailing_slash_is_optional():
    """The documented URL is /ws/chat/ ; a client that drops the slash still gets the chat."""
    from channels.testing import WebsocketCommunicator

    from tests.chatbot.chat_helpers import HOST, ORIGIN, application

    socket = WebsocketCommunicator(application(), "/ws/chat?lang=en", headers=[HOST, ORIGIN])
    socket.scope["client"] = ("198.51.100.9", 41000)
    hello = await welcome(socket)
    assert hello["lang"] == "en"
    await socket.disconnect()


# --- docs/open-data.md --------------------------------------------------------------------------

ROW_FIELDS = {
    "month",
    "kind",
    "department",
    "received",
    "closed",
    "closed_on_time",
    "median_working_days_to_close",
    "ratings",
    "bad_ratings_followed_up",
}


def _file_directly(count, **overrides):
    from desk import actions

    for _ in range(count):
        actions.open_inquiry(**{**json.loads(DOC_BODY), "email": "alex@example.com", **overrides})


def test_open_data_json_shape_and_headers(client, desk_config):
    _file_directly(6)
    _file_directly(1, kind="complaint", category="police-conduct")
    response = client.get("/api/open-data/service-stats.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    data = response.json()
    assert set(data) == {"generated_at", "suppression_threshold", "rows"}
    assert isinstance(data["generated_at"], str) and data["generated_at"].endswith("+08:00")
    assert data["suppression_threshold"] == 5
    assert data["rows"]
    options = client.get("/api/inquiries/options").json()
    kinds = {k["slug"] for k in options["kinds"]}
    for row in data["rows"]:
        assert set(row) == ROW_FIELDS
        assert len(row["month"]) == 7 and row["month"][4] == "-"
        assert row["kind"] in kinds and isinstance(row["department"], str) and row["department"]
        for name in ("received", "closed", "closed_on_time", "bad_ratings_followed_up"):
            assert row[name] is None or (isinstance(row[name], int) and row[name] >= 5)
        assert set(row["ratings"]) == {"1", "2", "3", "4", "5"}
        assert row["median_working_days_to_close"] is None or isinstance(row["median_working_days_to_close"], float)
    assert sorted(data["rows"], key=lambda r: (r["month"], r["kind"], r["department"])) == data["rows"]
    consultation = next(r for r in data["rows"] if r["kind"] == "consultation")
    assert consultation["received"] == 6 and consultation["department"] == "household"
    complaint = next(r for r in data["rows"] if r["kind"] == "complaint")
    assert complaint["received"] is None  # 1 is below the threshold: null


def test_open_data_csv_has_the_documented_columns(client, desk_config):
    _file_directly(6)
    response = client.get("/api/open-data/service-stats.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == (
        "month,kind,department,received,closed,closed_on_time,median_working_days_to_close,"
        "ratings_1,ratings_2,ratings_3,ratings_4,ratings_5,bad_ratings_followed_up"
    )
    assert len(lines) >= 2 and ",consultation,household,6," in lines[1]


@pytest.mark.parametrize(
    "query",
    ["from=2026-13", "from=2026/01", "to=banana", "from=2026-06&to=2026-01", "from=2020-01&to=2025-01"],
)
def test_open_data_bad_ranges_are_400(client, desk_config, query):
    response = client.get(f"/api/open-data/service-stats.json?{query}")
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"errors"} and isinstance(data["errors"]["__all__"][0], str)
    assert client.get(f"/api/open-data/service-stats.csv?{query}").status_code == 400


@pytest.mark.parametrize("query", ["from=2021-01&to=2025-12", "from=2026-01", "to=2026-06", "to=2024-03", ""])
def test_open_data_ranges_within_the_limit(client, desk_config, query):
    """60 months is the documented maximum; either end alone is allowed (`to` alone, even years
    back, is the 12 months ending with it, not a reversed range)."""
    response = client.get(f"/api/open-data/service-stats.json?{query}")
    assert response.status_code == 200
    assert isinstance(response.json()["rows"], list)


@pytest.mark.parametrize(("written", "meant"), [("en-US", "en"), ("EN", "en"), ("zh-Hans", "zh-hans")])
def test_filing_body_lang_written_differently(client, desk_config, written, meant):
    response = _file(client, DOC_BODY.replace('"lang": "en"', f'"lang": "{written}"'))
    assert response.status_code == 201
    assert f"/{meant}/requests/track/" in response.json()["track_url"]


def test_filing_body_lang_unknown_is_a_field_error(client, desk_config):
    response = _file(client, DOC_BODY.replace('"lang": "en"', '"lang": "fr"'))
    assert response.status_code == 400 and "lang" in response.json()["errors"]


def test_filing_a_body_over_64_kib_is_413(client, desk_config):
    body = {**json.loads(DOC_BODY), "description": "x" * 70000}
    response = _file(client, json.dumps(body))
    assert response.status_code == 413
    _errors_shape(response.json())


def test_get_endpoints_answer_head(client, desk_config):
    """HEAD is GET without a body (HTTP): curl -I and link checkers use it."""
    for url in ("/api/inquiries/options", "/api/open-data/service-stats.json", "/api/open-data/service-stats.csv"):
        assert client.head(url).status_code == 200, url


def test_suggest_q_over_4000_characters_is_the_documented_400(client, search_dir):
    response = client.get("/api/search/suggest", {"q": "x" * 4001})
    assert response.status_code == 400
    _error_shape(response.json(), "invalid")
    assert "q" in response.json()["error"]["fields"]


@chat
@pytest.mark.asyncio
async def test_chat_message_without_id_is_answered_with_null_ids():
    socket = citizen("lang=en")
    await welcome(socket)
    await socket.send_json_to({"type": "message", "text": "hello"})
    messages = await drain(socket, first=20)
    assert messages[0]["type"] == "citizen_message" and messages[0]["id"] is None
    assert next(m for m in messages if m["type"] == "reply")["reply_to"] is None
    await socket.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_too_many_connections_is_an_error_then_close_4429(settings):
    settings.CHAT_MAX_CONNECTIONS_PER_ADDRESS = 1
    first = citizen(address="203.0.113.9")
    await welcome(first)
    second = citizen(address="203.0.113.9")
    connected, _ = await second.connect()
    assert connected
    error = await second.receive_json_from()
    assert error["type"] == "error" and error["code"] == "too_many_connections"
    closed = await second.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": 4429}
    await first.disconnect()


@chat
@pytest.mark.asyncio
async def test_chat_officer_socket_shapes_as_documented():
    """welcome (conversation, status, urgent, last_seq, lang, assigned_to, you), `status` after
    each action, and the stored staff_joined / staff_message / staff_left with their fields."""
    from chatbot.models import Conversation
    from tests.chatbot.chat_helpers import make_user, staff_socket

    socket = citizen("lang=en")
    token = (await welcome(socket))["conversation"]
    await socket.send_json_to({"type": "message", "text": "hello", "id": "h"})
    await drain(socket, first=20)
    conv = await sync_to_async(Conversation.objects.get)(token=token)
    officer = await sync_to_async(make_user)("contract-officer", "Duty staff")
    staff = staff_socket(officer, conv.public_id, "last_seq=0&lang=en")
    hello = await welcome(staff)
    assert set(hello) == {"type", "conversation", "status", "urgent", "last_seq", "lang", "assigned_to", "you"}
    assert hello["conversation"] == str(conv.public_id) and hello["conversation"] != token
    assert hello["status"] == "bot" and hello["urgent"] is False and hello["assigned_to"] is None
    assert isinstance(hello["you"], str) and hello["last_seq"] >= 2
    transcript = await drain(staff)
    assert [m["seq"] for m in transcript] == list(range(1, hello["last_seq"] + 1))

    await staff.send_json_to({"type": "join"})
    status, _ = await receive_until(staff, "status")
    assert status == {"type": "status", "status": "live", "joined": True}
    joined, _ = await receive_until(socket, "staff_joined")
    assert {"type", "text", "name", "seq", "at"} <= set(joined)
    assert isinstance(joined["text"], str) and isinstance(joined["name"], str)

    await staff.send_json_to({"type": "message", "text": "Officer here.", "id": "s1"})
    said, _ = await receive_until(socket, "staff_message")
    assert set(said) == {"type", "id", "text", "name", "seq", "at"}
    assert said["id"] == "s1" and said["text"] == "Officer here."

    await staff.send_json_to({"type": "message", "text": "x" * 2001, "id": "s2"})
    too_long, _ = await receive_until(staff, "error")
    assert too_long["code"] == "too_long"

    await staff.send_json_to({"type": "leave"})
    assert (await receive_until(staff, "status"))[0] == {"type": "status", "status": "bot", "joined": False}
    left, _ = await receive_until(socket, "staff_left")
    assert {"type", "text", "name", "seq", "at"} <= set(left)
    await staff.disconnect()
    await socket.disconnect()
