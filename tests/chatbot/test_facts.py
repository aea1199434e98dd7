"""Answers from structured content: a station's hours, address and phone from its station page,
a guide's fee, time limit and materials from the guide's fields, each citing its page."""

import datetime as dt

import pytest
from django.utils import timezone

from chatbot.engine import facts, respond
from cms.search.index import Hit
from tests.chatbot import engine_support

content = pytest.fixture(scope="module")(engine_support.content_fixture)

pytestmark = pytest.mark.django_db


def first(result):
    return result.replies[0]


def test_station_opening_hours_from_the_station_page(content):
    reply = first(respond({}, "城东派出所几点下班", "zh-hans", page_lang="zh-hans"))
    assert reply.intent == "faq"
    assert "城东派出所" in reply.text
    assert "13:30–17:30" in reply.text  # the afternoon period of a weekday
    assert reply.sources[0]["url"] == content.zh["station"].get_url()


def test_station_by_short_name_and_in_english(content):
    reply = first(respond({}, "城东所电话多少", "zh-hans", page_lang="zh-hans"))
    assert "0571-8765 4321" in reply.text
    reply = first(respond({}, "What is the address of Chengdong police station?", "en", page_lang="en"))
    assert "88 Heping Road" in reply.text
    assert reply.sources[0]["title"] == "Chengdong Police Station"


def test_open_now_follows_the_bureau_clock(content):
    station = content.zh["station"]
    tz = timezone.get_default_timezone()
    sunday = dt.datetime(2026, 12, 6, 10, 0, tzinfo=tz)  # closed all day on Sundays
    monday = dt.datetime(2026, 12, 7, 9, 0, tzinfo=tz)
    closed = facts.about_station("城东派出所现在开门吗", "zh-hans", now=sunday)
    opened = facts.about_station("城东派出所现在开门吗", "zh-hans", now=monday)
    assert "现在不在办公时间" in closed.text and station.title in closed.text
    assert "现在正在办公" in opened.text


def test_a_question_naming_no_station_is_not_a_station_fact(content):
    assert facts.about_station("派出所几点下班", "zh-hans") is None
    assert facts.about_station("城东派出所在哪个区管辖什么", "zh-hans") is not None  # asks where: the address
    assert facts.about_station("城东派出所", "zh-hans") is None  # names it but asks nothing


def test_guide_fee_and_time_limit_from_the_guide_fields(content):
    guide = content.zh["guide"]
    hit = Hit(kind="page", key=str(guide.pk), lang="zh-hans", title=guide.title, url="", snippet="", score=1.0)
    hit.object_id = guide.pk
    fact = facts.about_guide("身份证补办要多少钱", "zh-hans", hit, None)
    assert "补领 20 元" in fact.text
    assert fact.source["url"] == guide.get_url()
    assert "20 个工作日" in facts.about_guide("补领身份证要多久", "zh-hans", hit, None).text
    materials = facts.about_guide("补领身份证要带什么材料", "zh-hans", hit, None).text
    assert "户口簿" in materials and "近期照片" in materials


def test_the_chat_answers_a_fee_question_from_the_guide(content):
    reply = first(respond({}, "居民身份证补领收费多少", "zh-hans", page_lang="zh-hans"))
    assert reply.intent == "faq", reply.text
    assert "补领 20 元" in reply.text
    assert reply.sources[0]["url"] == content.zh["guide"].get_url()


def test_a_guide_fact_is_kept_until_the_guide_changes(content, django_assert_num_queries):
    """Citizens ask the same fee question over and over: the second costs no query, and a
    publish of the guide is in the next answer."""
    question = "居民身份证补领收费多少"
    assert "补领 20 元" in facts.about_guide(question, "zh-hans").text
    with django_assert_num_queries(0):
        assert "补领 20 元" in facts.about_guide(question, "zh-hans").text
    guide = content.zh["guide"].specific
    old_fees = guide.fees
    guide.fees = old_fees.replace("补领 20 元", "补领 25 元")
    guide.save_revision().publish()
    try:
        assert "补领 25 元" in facts.about_guide(question, "zh-hans").text
    finally:
        guide.fees = old_fees
        guide.save_revision().publish()
    assert "补领 20 元" in facts.about_guide(question, "zh-hans").text
