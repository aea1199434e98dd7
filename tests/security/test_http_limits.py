"""Hostile HTTP bodies on the public form: a 400 with a field error (413 for size), no 500, no
traceback in the log, nothing half-stored."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from desk.models import Inquiry
from tests.desk.forms import form_data

pytestmark = pytest.mark.django_db

NEW = "/zh-hans/requests/new/"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def no_traceback(caplog):
    return not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.parametrize("event_time", ["0001-01-01T00:00", "0001-01-01", "1899-12-31 23:59"])
def test_the_form_refuses_an_event_time_out_of_range_with_a_field_error(client, desk_config, caplog, event_time):
    response = client.post(NEW, form_data(client, event_time=event_time))
    assert response.status_code == 400
    assert "event_time" in response.context["form"].errors
    assert Inquiry.objects.count() == 0 and no_traceback(caplog)


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "%ED%BF%BF", "abc%ED%A0%80def", "%C0%AF", "%FF"])
def test_the_form_survives_invalid_utf8_and_surrogates(client, desk_config, caplog, encoded):
    body = urlencode(form_data(client, subject="X")).replace("subject=X", "subject=" + encoded)
    response = client.post(NEW, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    assert no_traceback(caplog)
    for inquiry in Inquiry.objects.all():
        inquiry.subject.encode("utf-8")  # whatever was stored can be shown


def test_a_lone_surrogate_reaching_the_actions_is_a_field_error(desk_config):
    from desk import actions

    with pytest.raises(actions.ValidationError) as caught:
        actions.open_inquiry(
            kind="consultation",
            category="id-card",
            subject="a\ud800b",
            description="身份证丢了，怎么补办？需要带什么材料？",
            phone="13800000000",
            lang="zh-hans",
            consent=True,
        )
    assert "subject" in caught.value.errors
    assert Inquiry.objects.count() == 0


def test_a_form_body_over_the_upload_limit_is_a_413_without_a_traceback(client, desk_config, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    response = client.post(NEW, form_data(client, description="x" * 100_000))
    assert response.status_code == 413
    assert no_traceback(caplog)
    assert Inquiry.objects.count() == 0


def test_a_double_submission_of_the_form_does_not_use_up_the_create_limit(client, desk_config, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_create": (2, 600)}
    data = form_data(client)
    for _ in range(5):
        response = client.post(NEW, data)
        assert response.status_code == 302
    assert Inquiry.objects.count() == 1
    assert client.post(NEW, form_data(client, subject="second")).status_code == 302
    assert client.post(NEW, form_data(client, subject="third")).status_code == 429
