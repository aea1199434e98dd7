"""The official holiday schedule: staff enter each year's holidays and make-up working days,
deadlines and stations' opening hours follow it, and a year without one is flagged, not guessed."""

import datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from desk import deadlines, demo
from desk.choices import DayKind
from desk.models import HolidayDate, HolidaySchedule

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=10, minute=0):
    return datetime.datetime(y, m, d, hour, minute, tzinfo=SH)


@pytest.fixture
def schedules(db):
    """The schedules the package knows (what the data migration and seeding create)."""
    deadlines.import_from_package()


def enter_2027():
    """What staff enter from the State Council's notice for 2027 (New Year's Day part)."""
    schedule = HolidaySchedule.objects.create(year=2027, note="国办发明电〔2026〕")
    for day in (1, 2, 3):
        HolidayDate.objects.create(schedule=schedule, date=datetime.date(2027, 1, day), kind=DayKind.HOLIDAY)
    return schedule


def test_the_prefilled_schedule_agrees_with_the_package_day_by_day(schedules):
    calendar = deadlines.Calendar()
    day = datetime.date(2025, 1, 1)
    while day.year < 2027:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)
    assert calendar.fallback_years == set()


def test_a_year_without_a_schedule_is_counted_monday_to_friday_and_flagged(schedules):
    """1 January 2027 is a public holiday, but nobody has entered 2027: the deadline counts it as
    a working day only with the fallback flagged, and the desk says so."""
    assert HolidaySchedule.objects.filter(year=2027).count() == 0
    calendar = deadlines.Calendar()
    due = deadlines.due_at(at(2026, 12, 31), 1, calendar)
    assert due.date() == datetime.date(2027, 1, 1)
    assert calendar.fallback_years == {2027}
    assert deadlines.missing_years(at(2026, 12, 1)) == [2027]
    assert deadlines.missing_years(at(2026, 6, 1)) == []


def test_once_staff_enter_2027_its_holidays_are_skipped(schedules):
    enter_2027()
    calendar = deadlines.Calendar()
    # Thu 31 Dec 2026 + 1 working day: 1-3 January are holidays, so Monday 4 January 2027.
    assert deadlines.due_at(at(2026, 12, 31), 1, calendar).date() == datetime.date(2027, 1, 4)
    assert calendar.fallback_years == set()
    assert deadlines.missing_years(at(2026, 12, 1)) == []


def test_a_make_up_saturday_counts_and_a_weekday_holiday_does_not(schedules):
    assert deadlines.is_workday(datetime.date(2026, 10, 10))  # Saturday, 调休
    assert not deadlines.is_workday(datetime.date(2026, 10, 5))  # Monday, National Day week


def test_the_command_prefills_only_missing_years_and_leaves_edits_alone(schedules):
    from io import StringIO

    from django.core.management import call_command

    schedule = HolidaySchedule.objects.get(year=2026)
    schedule.days.filter(date=datetime.date(2026, 10, 7)).delete()  # a (hypothetical) staff edit
    out = StringIO()
    call_command("desk_holidays", "--year", "2026", "--year", "2027", stdout=out)
    assert "created holiday schedules: none" in out.getvalue()
    assert "no data for 2027" in out.getvalue()
    assert not schedule.days.filter(date=datetime.date(2026, 10, 7)).exists()


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_supervisor(supervisor):
    supervisor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    demo.grant_config_permissions()
    return supervisor


def schedule_form(year, days):
    return nested_form_data(
        {
            "year": year,
            "note": "国务院办公厅通知",
            "days": inline_formset(
                [{"date": day.isoformat(), "kind": kind, "name": name} for day, kind, name in days], initial=0
            ),
        }
    )


def test_a_supervisor_enters_next_years_schedule_in_the_admin(client, admin_supervisor, schedules):
    client.force_login(admin_supervisor)
    add_url = reverse("wagtailsnippets_desk_holidayschedule:add")
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        schedule_form(
            2027,
            [
                (datetime.date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
                (datetime.date(2027, 2, 6), DayKind.WORKDAY, "春节"),
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not deadlines.is_workday(datetime.date(2027, 1, 1))
    assert deadlines.is_workday(datetime.date(2027, 2, 6))  # a Saturday


def test_a_date_outside_the_schedules_year_is_refused(client, admin_supervisor, schedules):
    client.force_login(admin_supervisor)
    response = client.post(
        reverse("wagtailsnippets_desk_holidayschedule:add"),
        schedule_form(2027, [(datetime.date(2028, 1, 1), DayKind.HOLIDAY, "")]),
    )
    assert response.status_code == 200
    assert "2027" in response.content.decode() and not HolidaySchedule.objects.filter(year=2027).exists()


def test_the_queue_warns_when_the_coming_year_has_no_schedule(client, admin_supervisor, schedules, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(2026, 12, 5))
    client.force_login(admin_supervisor)
    page = client.get(reverse("desk_admin:queue")).content.decode()
    assert 'id="desk-holiday-warning"' in page and "2027" in page
    enter_2027()
    page = client.get(reverse("desk_admin:queue")).content.decode()
    assert 'id="desk-holiday-warning"' not in page
