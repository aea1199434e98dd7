"""Deadlines count Chinese working days: public holidays are skipped, make-up workdays count."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from desk import actions, deadlines, jobs
from desk.choices import EntryKind
from desk.models import Notification, ResponseTimeLimit

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def holiday_schedules(db):
    """The official schedules the package knows (the data migration creates them too; a test that
    flushed the database may have removed them)."""
    deadlines.import_from_package()


def at(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=SH)


def test_national_day_week_is_skipped_and_the_make_up_saturday_counts():
    """Filed Wed 30 Sep 2026: 1–7 Oct are holidays, Thu 8 and Fri 9 are workdays, and Sat 10 Oct
    is a make-up workday (调休), so 3 working days end on Saturday 10 October."""
    assert deadlines.is_workday(datetime.date(2026, 10, 10))  # a Saturday
    assert not deadlines.is_workday(datetime.date(2026, 10, 5))  # a Monday in the holiday
    due = deadlines.due_at(at(2026, 9, 30), 3)
    assert due == datetime.datetime(2026, 10, 10, 23, 59, 59, tzinfo=SH)
    assert deadlines.due_at(at(2026, 9, 30), 4) == datetime.datetime(2026, 10, 12, 23, 59, 59, tzinfo=SH)


def test_spring_festival_with_make_up_days_on_both_sides():
    """Fri 13 Feb 2026 + 1 working day is Sat 14 Feb (a make-up workday); the next one is 24 Feb."""
    assert deadlines.add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 14)
    assert deadlines.add_working_days(datetime.date(2026, 2, 13), 2) == datetime.date(2026, 2, 24)


def test_ordinary_weekend_is_skipped_and_the_filing_day_does_not_count():
    # Fri 6 Nov 2026 + 1 → Mon 9 Nov
    assert deadlines.add_working_days(datetime.date(2026, 11, 6), 1) == datetime.date(2026, 11, 9)
    # Filed late on Saturday night (Shanghai), 1 working day → Monday
    late_saturday_utc = datetime.datetime(2026, 11, 7, 15, 30, tzinfo=datetime.UTC)  # 23:30 in Shanghai
    assert timezone.localtime(deadlines.due_at(late_saturday_utc, 1), SH).date() == datetime.date(2026, 11, 9)


def test_years_without_a_schedule_fall_back_to_weekdays_and_say_so():
    calendar = deadlines.Calendar()
    assert calendar.is_workday(datetime.date(2031, 3, 3))  # a Monday
    assert not calendar.is_workday(datetime.date(2031, 3, 2))  # a Sunday
    assert calendar.fallback_years == {2031}


@pytest.mark.django_db
def test_the_most_specific_time_limit_applies(desk_config):
    categories = desk_config["categories"]
    assert deadlines.working_days_for("tip", categories["fraud"]) == 1
    assert deadlines.working_days_for("tip", categories["id-card"]) == 5
    assert deadlines.working_days_for("complaint", categories["id-card"]) == 10
    ResponseTimeLimit.objects.create(kind="", category=categories["id-card"], working_days=2)
    assert deadlines.working_days_for("consultation", categories["id-card"]) == 2
    ResponseTimeLimit.objects.all().delete()
    assert deadlines.working_days_for("consultation", categories["id-card"]) == deadlines.DEFAULT_WORKING_DAYS


@pytest.mark.django_db
def test_overdue_inquiries_are_escalated_to_supervisors_once(file_inquiry, supervisor, duty):
    inquiry = file_inquiry().inquiry
    assert not inquiry.is_overdue
    later = inquiry.due_at + datetime.timedelta(minutes=1)
    assert list(deadlines.overdue_inquiries(later)) == [inquiry]
    assert jobs.escalate_overdue(now=later) == 1
    assert jobs.escalate_overdue(now=later) == 0
    inquiry.refresh_from_db()
    assert inquiry.escalated_at == later
    mail = Notification.objects.get(purpose="escalation")
    assert mail.recipient == supervisor.email and inquiry.reference in mail.body
    assert inquiry.timeline.filter(kind=EntryKind.ESCALATION, public=False).exists()


@pytest.mark.django_db
def test_answered_inquiries_are_not_overdue(file_inquiry, duty):
    inquiry = file_inquiry().inquiry
    actions.reply(duty, inquiry, "已答复")
    later = inquiry.due_at + datetime.timedelta(days=1)
    assert not deadlines.overdue_inquiries(later).exists()
    assert jobs.escalate_overdue(now=later) == 0
