"""Issue 10 item 9: the request form, the API and the chat apply the same rules to a phone number
and a description, and the form lists every error at the top with a link to its field."""

import json
import re

import pytest
from django.core.cache import cache

from desk import actions
from desk.models import Inquiry
from tests.desk.forms import NEW, NEW_EN, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def summary_links(html):
    summary = re.search(r'<div class="desk-alert desk-error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return dict(re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(0), re.S))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("12345", False),
        ("1380013", True),
        ("13800138000", True),
        ("138 0013 8000", True),
        ("010-12345678", True),
        ("+86 138 0013 8000", True),
        ("1234567890123456", False),
        ("138--0013", False),
        ("电话", False),
    ],
)
def test_one_phone_rule(value, ok):
    assert actions.valid_phone(value) is ok


def test_one_description_rule():
    assert actions.description_too_short("身份证丢了怎么办")
    assert not actions.description_too_short("身份证丢了，怎么补办？")


def test_form_refuses_a_short_phone_and_description_and_lists_both_errors_with_links(client, desk_config):
    data = form_data(client, phone="12345", description="丢了！", subject="补办身份证(原样保留)")
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert not Inquiry.objects.exists()
    html = response.content.decode()
    links = summary_links(html)
    assert set(links) == {"id_phone", "id_description"}
    assert links["id_description"] == "具体内容：请至少用 10 个字描述：时间、地点、经过。"
    assert links["id_phone"].startswith("手机")
    # The summary is the first thing in the content, before the form; the fields keep what was typed.
    assert html.index('id="form-errors"') < html.index('<form class="desk-form"')
    assert 'value="12345"' in html and "丢了！</textarea>" in html and 'value="补办身份证(原样保留)"' in html
    # Without JavaScript the answer opens at the summary (the form posts to #form-errors).
    assert 'action="/zh-hans/requests/new/#form-errors"' in html
    assert 'src="/static/desk/error-summary.js"' in html


def test_a_radio_group_error_links_to_its_first_option(client, desk_config):
    data = form_data(client, NEW_EN)
    del data["kind"]
    html = client.post(NEW_EN, data).content.decode()
    assert "id_kind_0" in summary_links(html)
    assert 'id="id_kind_0"' in html


def test_api_applies_the_same_rules(client, desk_config):
    body = {
        "kind": "consultation",
        "category": "id-card",
        "subject": "补办身份证",
        "description": "丢了",
        "phone": "12345",
        "lang": "zh-hans",
        "consent": True,
    }
    response = client.post("/api/inquiries", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"phone", "description"}
    assert not Inquiry.objects.exists()
