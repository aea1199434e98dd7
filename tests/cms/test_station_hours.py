"""'Open now' for police stations, computed in the bureau's time zone (Asia/Shanghai)."""

import datetime as dt
import zoneinfo

import pytest

from cms.models import StationHours, StationPage

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# Building a page looks up the default locale; no content is saved.
pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    """Monday–Friday 08:30–12:00 and 13:30–17:30 (lunch break), Saturday 09:00–12:00, Sunday closed."""
    page = StationPage(title="城东派出所", address="和平路 88 号", phone="110", jurisdiction="和平街道")
    rows = []
    for day in range(5):
        rows.append(StationHours(weekday=day, opens=dt.time(8, 30), closes=dt.time(12, 0)))
        rows.append(StationHours(weekday=day, opens=dt.time(13, 30), closes=dt.time(17, 30)))
    rows.append(StationHours(weekday=5, opens=dt.time(9, 0), closes=dt.time(12, 0)))
    rows.append(StationHours(weekday=6, closed=True))
    page.hours = rows
    return page


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


# 2026-11-23 is a Monday.
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (shanghai(2026, 11, 23, 8, 29), False),  # before opening
        (shanghai(2026, 11, 23, 8, 30), True),  # at opening
        (shanghai(2026, 11, 23, 11, 59, 59), True),  # just before the lunch break
        (shanghai(2026, 11, 23, 12, 0), False),  # lunch break starts: closing time is exclusive
        (shanghai(2026, 11, 23, 13, 0), False),  # during the lunch break
        (shanghai(2026, 11, 23, 13, 30), True),  # afternoon period
        (shanghai(2026, 11, 23, 17, 29), True),  # just before closing
        (shanghai(2026, 11, 23, 17, 30), False),  # at closing
        (shanghai(2026, 11, 28, 10, 0), True),  # Saturday morning
        (shanghai(2026, 11, 28, 14, 0), False),  # Saturday afternoon
        (shanghai(2026, 11, 29, 10, 0), False),  # Sunday: closed all day
    ],
)
def test_open_now_follows_weekly_hours(station, moment, expected):
    """A station is open only inside one of its periods for that weekday; closing is exclusive."""
    assert station.is_open(moment) is expected


def test_open_now_uses_shanghai_time_not_utc(station):
    """Monday 01:00 UTC is 09:00 in Shanghai: open, although it is 01:00 in UTC."""
    assert station.is_open(dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)) is True
    # Sunday 23:00 UTC is Monday 07:00 in Shanghai: not open yet, and not "Sunday closed" either.
    assert station.is_open(dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.UTC)) is False
    # Monday 16:00 UTC is Tuesday 00:00 in Shanghai.
    assert station.is_open(dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)) is False


def test_closed_day_row_is_never_open():
    """A weekday marked "closed all day" is closed even if its times would cover the moment."""
    page = StationPage(title="x", address="x", phone="x", jurisdiction="x")
    page.hours = [StationHours(weekday=0, opens=dt.time(0, 0), closes=dt.time(23, 59), closed=True)]
    assert page.is_open(shanghai(2026, 11, 23, 12, 0)) is False


def test_station_without_hours_is_closed():
    """No opening hours at all means never open."""
    page = StationPage(title="x", address="x", phone="x", jurisdiction="x")
    assert page.is_open(shanghai(2026, 11, 23, 12, 0)) is False


def test_hours_rows_list_every_weekday_with_periods_in_order(station):
    """The hours table has seven rows, Monday first; split days list both periods; today is marked."""
    rows = station.hours_rows(shanghai(2026, 11, 29, 10, 0))  # a Sunday
    assert len(rows) == 7
    assert [(h.opens, h.closes) for h in rows[0]["periods"]] == [
        (dt.time(8, 30), dt.time(12, 0)),
        (dt.time(13, 30), dt.time(17, 30)),
    ]
    assert rows[6]["periods"] == []
    assert [r["today"] for r in rows] == [False] * 6 + [True]


@pytest.mark.parametrize(
    ("moment", "changes"),
    [
        (shanghai(2026, 11, 23, 11, 50), shanghai(2026, 11, 23, 12, 0)),  # open: until the lunch break
        (shanghai(2026, 11, 23, 12, 10), shanghai(2026, 11, 23, 13, 30)),  # lunch: until it reopens
        (shanghai(2026, 11, 23, 20, 0), shanghai(2026, 11, 24, 0, 0)),  # evening: "tomorrow" turns "today"
        (shanghai(2026, 11, 29, 10, 0), shanghai(2026, 11, 30, 0, 0)),  # Sunday, closed all day
    ],
)
def test_opening_status_says_when_it_next_changes(station, moment, changes):
    """The moment the words on the page change: a cached page must not outlive it."""
    assert station.opening_status(moment)["changes_at"] == changes
