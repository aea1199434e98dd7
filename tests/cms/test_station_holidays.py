"""Stations are closed on public holidays of the official schedule, open on make-up working days,
and their page says when they next open."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from cms.models import StationHours, StationPage
from desk import deadlines

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def station():
    """Monday–Friday 08:30–12:00 and 13:30–17:30, Saturday 09:00–12:00, Sunday closed."""
    deadlines.import_from_package()
    page = StationPage(title="城东派出所", address="和平路 88 号", phone="110", jurisdiction="和平街道")
    rows = []
    for day in range(5):
        rows.append(StationHours(weekday=day, opens=dt.time(8, 30), closes=dt.time(12, 0)))
        rows.append(StationHours(weekday=day, opens=dt.time(13, 30), closes=dt.time(17, 30)))
    rows.append(StationHours(weekday=5, opens=dt.time(9, 0), closes=dt.time(12, 0)))
    rows.append(StationHours(weekday=6, closed=True))
    page.hours = rows
    return page


def test_closed_on_a_public_holiday_that_falls_on_a_weekday(station):
    """Thursday 1 October 2026 (National Day) at 10:00 is within Thursday's hours, yet closed."""
    assert station.is_open(shanghai(2026, 10, 1, 10, 0)) is False
    assert station.is_open(shanghai(2026, 9, 30, 10, 0)) is True  # the day before: open


def test_open_with_weekday_hours_on_a_make_up_saturday(station):
    """Saturday 10 October 2026 is an official working day: the Monday hours apply."""
    assert station.is_open(shanghai(2026, 10, 10, 14, 0)) is True
    assert station.is_open(shanghai(2026, 10, 17, 14, 0)) is False  # an ordinary Saturday afternoon


def test_next_opening_skips_the_holiday_week(station):
    status = station.opening_status(shanghai(2026, 10, 1, 10, 0))
    assert status["open"] is False and status["holiday_today"] is True
    assert status["next_opens"] == shanghai(2026, 10, 8, 8, 30)


def test_open_now_says_until_when(station):
    status = station.opening_status(shanghai(2026, 11, 23, 9, 0))
    assert status == {
        "open": True,
        "closes": dt.time(12, 0),
        "next_opens": None,
        "holiday_today": False,
        "changes_at": shanghai(2026, 11, 23, 12, 0),
    }
    lunch = station.opening_status(shanghai(2026, 11, 23, 12, 30))
    assert lunch["next_opens"] == shanghai(2026, 11, 23, 13, 30)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh-hans", ["现在休息", "今日法定节假日", "10月8日（星期四）08:30 开始办公"]),
        ("en", ["Closed now", "public holiday today", "opens Thursday 8 October at 08:30"]),
    ],
)
def test_the_status_line_says_when_the_station_next_opens(station, monkeypatch, lang, expected):
    monkeypatch.setattr(timezone, "now", lambda: shanghai(2026, 10, 1, 10, 0))
    with translation.override(lang):
        html = Template('{% include "includes/station_status.html" %}').render(Context({"station": station}))
    for words in expected:
        assert words in html, html
