"""The JSON API: options, filing (201/400/409/415), idempotency and tracking (200/404)."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from desk import actions
from desk.models import Inquiry

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "consultation",
    "category": "id-card",
    "subject": "How do I replace my ID card?",
    "description": "I lost it on the metro.",
    "name": "Alex",
    "phone": "13800000000",
    "email": "alex@example.com",
    "lang": "en",
    "consent": True,
}


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(reverse("desk_api_create"), data, content_type="application/json", headers=headers)


def test_options_list_kinds_and_localized_categories(client, desk_config):
    en = client.get(reverse("desk_api_options"), {"lang": "en"}).json()
    zh = client.get(reverse("desk_api_options")).json()
    assert {k["slug"] for k in en["kinds"]} == {"consultation", "complaint", "tip", "service", "suggestion"}
    assert next(c for c in en["categories"] if c["slug"] == "id-card")["name"] == "Resident ID card"
    assert next(c for c in zh["categories"] if c["slug"] == "id-card")["name"] == "居民身份证"
    tip = next(k for k in en["kinds"] if k["slug"] == "tip")
    assert tip["contact"] == {"required": [], "one_of": []}


def test_filing_returns_201_with_reference_code_and_tracking_url(client, desk_config):
    response = post(client, BODY)
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"reference", "access_code", "status", "due_at", "track_url", "receipt"}
    inquiry = Inquiry.objects.get(reference=data["reference"])
    assert inquiry.channel == "api" and inquiry.check_access_code(data["access_code"])
    assert data["status"] == "new" and data["due_at"].startswith(str(inquiry.due_at.year))
    assert data["track_url"].endswith(f"/en/requests/track/?reference={data['reference']}")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "kind": "nope"}, "kind"),
        ({**BODY, "consent": "true"}, "consent"),
        ({**BODY, "subject": ["a"]}, "subject"),
        ({**BODY, "email": 12}, "email"),
        ({**BODY, "category": None}, "category"),
        ({**BODY, "kind": "complaint", "category": "other", "name": ""}, "name"),
        ({**BODY, "extra": 1}, "extra"),
    ],
)
def test_bad_fields_are_400_with_per_field_errors(client, desk_config, body, field):
    response = post(client, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "null", '"text"', b"\xff\xfe"])
def test_malformed_json_is_400_not_500(client, desk_config, raw):
    response = post(client, raw)
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]


def test_errors_follow_the_requested_language(client, desk_config):
    en = post(client, {**BODY, "subject": ""}).json()["errors"]["subject"]
    zh = post(client, {**BODY, "subject": "", "lang": "zh-hans"}).json()["errors"]["subject"]
    assert en == ["This field is required."]
    assert zh != en and zh[0]


def test_form_encoded_posts_are_refused(client, desk_config):
    response = client.post(reverse("desk_api_create"), BODY)
    assert response.status_code == 415
    assert Inquiry.objects.count() == 0


def test_idempotency_key_replays_the_first_result(client, desk_config):
    first = post(client, BODY, Idempotency_Key="k-123")
    second = post(client, BODY, Idempotency_Key="k-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Inquiry.objects.count() == 1
    conflict = post(client, {**BODY, "subject": "different"}, Idempotency_Key="k-123")
    assert conflict.status_code == 409 and "Idempotency-Key" in conflict.json()["errors"]
    assert post(client, BODY, Idempotency_Key="k-456").json()["reference"] != first.json()["reference"]
    assert Inquiry.objects.count() == 2


def test_tracking_needs_the_code_and_404s_alike(client, desk_config, duty):
    result = actions.open_inquiry(**{**BODY, "lang": "en"})
    actions.reply(duty, result.inquiry, "Bring your household register.")
    actions.note(duty, result.inquiry, "internal only")
    url = reverse("desk_api_detail", args=[result.inquiry.reference])
    ok = client.get(url, headers={"X-Access-Code": result.access_code})
    assert ok.status_code == 200
    data = ok.json()
    assert data["status"] == "replied"
    texts = [item["text"] for item in data["timeline"]]
    assert "Bring your household register." in texts and "internal only" not in texts
    wrong = client.get(url, headers={"X-Access-Code": "AAAAA-AAAAA"})
    assert wrong.status_code == 404, wrong.headers
    unknown = client.get(
        reverse("desk_api_detail", args=["YG-2000-000001"]), headers={"X-Access-Code": result.access_code}
    )
    missing = client.get(url)
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.content == unknown.content == missing.content


def test_api_is_rate_limited(client, desk_config, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_create": (2, 600)}
    assert post(client, BODY).status_code == 201
    assert post(client, {**BODY, "subject": "2"}).status_code == 201
    limited = post(client, {**BODY, "subject": "3"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Inquiry.objects.count() == 2


# --- Hostile bodies: a field error (or 413), never a 500, nothing half-stored ----------------


@pytest.mark.parametrize(
    "event_time", ["0001-01-01T00:00:00", "0001-01-01", "9999-12-31T23:59:59", "0001-01-01T00:00:00+14:00"]
)
def test_an_event_time_out_of_range_is_a_field_error(client, desk_config, event_time):
    response = post(client, {**BODY, "event_time": event_time})
    assert response.status_code == 400
    assert "event_time" in response.json()["errors"]
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize("depth", [1000, 20_000])
def test_deeply_nested_json_is_a_400(client, desk_config, depth):
    response = post(client, "[" * depth + "]" * depth)
    assert response.status_code == 400 and response.json()["errors"]["__all__"]
    nested_field = post(
        client, json.dumps({**BODY, "subject": "x"})[:-1] + ', "location": ' + "[" * 1000 + "]" * 1000 + "}"
    )
    assert nested_field.status_code == 400


@pytest.mark.parametrize("field", ["subject", "description", "name", "location", "phone", "email"])
def test_a_lone_surrogate_in_a_text_field_is_a_field_error(client, desk_config, field):
    body = json.dumps({**BODY, field: "abc\ud800def"})  # json.dumps escapes it as \ud800
    assert "\\ud800" in body
    response = post(client, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Inquiry.objects.count() == 0


def test_a_body_over_the_upload_limit_is_a_413_without_a_traceback(client, desk_config, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    big = json.dumps({**BODY, "description": "x" * 200_000})
    response = post(client, big)
    assert response.status_code == 413
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.exc_info]
    assert Inquiry.objects.count() == 0


def test_a_retry_with_the_same_idempotency_key_does_not_use_up_the_create_limit(client, desk_config, settings):
    """A retry gets the first answer: six identical retries within the window are not refused."""
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_create": (5, 600)}
    first = post(client, BODY, Idempotency_Key="retry-1")
    assert first.status_code == 201
    for _ in range(8):
        again = post(client, BODY, Idempotency_Key="retry-1")
        assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert again.json()["reference"] == first.json()["reference"]
    # The budget is still there for new requests: four more (five in all) …
    for n in range(4):
        assert post(client, {**BODY, "subject": f"new {n}"}).status_code == 201
    # … and then the limit holds, for a new key too.
    assert post(client, {**BODY, "subject": "one too many"}, Idempotency_Key="retry-2").status_code == 429
    assert Inquiry.objects.count() == 5
