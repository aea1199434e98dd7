"""The public pages: filing with the form, the one-time receipt, tracking, follow-up, rating."""

import re

import pytest
from django.core.cache import cache

from desk import actions
from desk.models import Inquiry
from tests.desk.forms import NEW, NEW_EN, form_data, url_in

pytestmark = pytest.mark.django_db


TRACK = url_in("zh-hans", "desk:track")


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_form_shows_the_emergency_line_privacy_link_and_all_fields(client, desk_config):
    page = client.get(NEW_EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Emergency? Call 110 now." in html
    assert 'href="/en/privacy/"' in html
    for name in ("kind", "category", "subject", "description", "location", "event_time", "name", "phone", "email"):
        assert f'name="{name}"' in html
    assert html.index("Emergency? Call 110 now.") < html.index('<form class="desk-form"')
    assert "Resident ID card" in html
    chinese = client.get(NEW).content.decode()
    assert "居民身份证" in chinese


def test_filing_shows_reference_and_code_once_then_tracks(client, desk_config):
    response = client.post(NEW, form_data(client))
    assert response.status_code == 302 and response["Location"].endswith("/requests/new/done/")
    inquiry = Inquiry.objects.get()
    assert inquiry.channel == "web" and inquiry.client_address == "127.0.0.1"
    receipt = client.get(response["Location"]).content.decode()
    assert inquiry.reference in receipt
    code = re.search(r'id="access-code">([A-Z0-9-]+)<', receipt).group(1)
    assert inquiry.check_access_code(code)
    again = client.get(response["Location"]).content.decode()
    assert code not in again  # shown only once
    # The tracking page works for another browser with reference + code.
    other = client.__class__()
    detail = other.post(TRACK, {"reference": inquiry.reference, "access_code": code}, follow=True)
    assert inquiry.subject in detail.content.decode()


def test_errors_keep_everything_typed(client, desk_config):
    """A missing phone for a complaint: the form comes back with every value and a clear message."""
    data = form_data(client, NEW_EN, kind="complaint", category="other", phone="", description="Long text\nline 2")
    response = client.post(NEW_EN, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required for this kind of request." in html
    assert 'value="补办身份证"' in html and "Long text\nline 2" in html and 'value="张三"' in html
    assert 'value="complaint" checked' in html or 'value="complaint"\n' in html or "checked" in html
    assert Inquiry.objects.count() == 0


def test_missing_consent_is_refused_in_chinese(client, desk_config):
    data = form_data(client)
    del data["consent"]
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "隐私" in response.content.decode()
    assert Inquiry.objects.count() == 0


def test_honeypot_files_nothing(client, desk_config):
    response = client.post(NEW, form_data(client, website="http://spam.example"))
    assert response.status_code == 400
    assert Inquiry.objects.count() == 0


def test_double_submission_files_one_request(client, desk_config):
    data = form_data(client)
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert Inquiry.objects.count() == 1


def test_form_is_rate_limited_per_client(client, desk_config, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_create": (2, 600)}
    for _ in range(2):
        assert client.post(NEW, form_data(client)).status_code == 302
    blocked = client.post(NEW, form_data(client, subject="third"))
    assert blocked.status_code == 429
    assert 'value="third"' in blocked.content.decode()
    assert Inquiry.objects.count() == 2


def test_wrong_code_and_unknown_reference_look_the_same_and_are_rate_limited(client, desk_config, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "inquiry_track": (3, 600)}
    result = actions.open_inquiry(
        kind="tip", category="fraud", subject="可疑电话线索", description="tip detail", consent=True, client_address="x"
    )
    ref = result.inquiry.reference
    unknown_ref = ref[:-1] + ("9" if ref[-1] != "9" else "8")
    wrong = client.post(TRACK, {"reference": ref, "access_code": "WRONG-CODE1"})
    unknown = client.post(TRACK, {"reference": unknown_ref, "access_code": "WRONG-CODE1"})
    assert wrong.status_code == unknown.status_code == 200

    def normalize(response, reference):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return html.replace(reference, "REF")

    assert normalize(wrong, ref) == normalize(unknown, unknown_ref)
    client.post(TRACK, {"reference": ref, "access_code": "WRONG-CODE2"})
    # Limit used up: even the right code is refused now, with no hint.
    limited = client.post(TRACK, {"reference": ref, "access_code": result.access_code})
    assert limited.status_code == 429
    assert result.inquiry.subject not in limited.content.decode()


def test_tracking_page_shows_status_due_date_and_public_timeline_only(client, desk_config, duty):
    result = actions.open_inquiry(
        kind="consultation",
        category="id-card",
        subject="补办",
        description="<b>怎么办</b>",
        phone="13800000000",
        consent=True,
    )
    actions.note(duty, result.inquiry, "内部备注不可见")
    actions.reply(duty, result.inquiry, "请到派出所办理")
    credentials = {"reference": result.inquiry.reference, "access_code": result.access_code}
    response = client.post(TRACK, credentials, follow=True)
    html = response.content.decode()
    assert "请到派出所办理" in html and "内部备注不可见" not in html
    assert "&lt;b&gt;怎么办&lt;/b&gt;" in html  # the citizen's text is escaped
    assert result.inquiry.due_at.astimezone().strftime("%Y") in html
    assert 'id="status"' in html and "已答复" in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_follow_up_message_and_rating_after_closing(client, desk_config, duty):
    result = actions.open_inquiry(
        kind="suggestion", category="website", subject="建议", description="希望网站增加英文页面", consent=True
    )
    detail_url = client.post(TRACK, {"reference": result.inquiry.reference, "access_code": result.access_code})[
        "Location"
    ]
    sent = client.post(detail_url + "message/", {"text": "补充一点"})
    assert sent.status_code == 302
    assert result.inquiry.timeline.filter(kind="citizen_message", text="补充一点").exists()
    assert "补充一点" in client.get(detail_url).content.decode()
    # No rating while open.
    assert client.post(detail_url + "rate/", {"score": "5"}).status_code == 400
    actions.close(duty, result.inquiry, "已采纳")
    page = client.get(detail_url).content.decode()
    assert "已采纳" in page and 'name="score"' in page and 'name="text"' not in page
    assert client.post(detail_url + "rate/", {"score": "4", "comment": "很好"}).status_code == 302
    result.inquiry.refresh_from_db()
    assert result.inquiry.rating.score == 4
    assert 'name="score"' not in client.get(detail_url).content.decode()


def test_detail_without_session_access_sends_back_to_the_tracking_form(client, desk_config):
    result = actions.open_inquiry(kind="tip", category="fraud", subject="s", description="tip details", consent=True)
    response = client.get(f"{TRACK}{result.inquiry.reference}/")
    assert response.status_code == 302 and response["Location"].startswith(TRACK)
    assert client.post(f"{TRACK}{result.inquiry.reference}/message/", {"text": "x"}).status_code == 302
    assert not result.inquiry.timeline.filter(kind="citizen_message").exists()
