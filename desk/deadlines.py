"""Response deadlines in working days, counting Chinese public holidays and make-up workdays.

The calendar comes from the maintained `chinesecalendar` package (import `chinese_calendar`),
which knows each year's official holidays and the weekend days that become workdays (调休).
For a year the package does not cover yet, Monday–Friday are taken as workdays (a warning is
logged; upgrade the package when the State Council publishes the next year's schedule).

A deadline is the end (23:59:59) of the N-th working day after the day of filing, in the
bureau's time zone (settings.TIME_ZONE, Asia/Shanghai). Filing on a holiday or a weekend does
not count that day.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_WORKING_DAYS = 5


def bureau_tz():
    return ZoneInfo(settings.TIME_ZONE)


def is_workday(day):
    """True when `day` (a date) is an official working day in mainland China."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("chinesecalendar has no data for %s; counting Monday-Friday", day.year)
        return day.weekday() < 5


def add_working_days(day, count):
    """The date of the `count`-th working day after `day` (`day` itself is not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def end_of_day(day):
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=bureau_tz())


def due_at(filed_at, working_days):
    """Deadline for something filed at `filed_at` (aware) with a limit of `working_days`."""
    local_day = timezone.localtime(filed_at, bureau_tz()).date()
    return end_of_day(add_working_days(local_day, working_days))


def working_days_for(kind, category):
    """The most specific ResponseTimeLimit: kind+category, category, kind, then the catch-all."""
    from .models import ResponseTimeLimit

    candidates = {
        (limit.kind, limit.category_id): limit.working_days
        for limit in ResponseTimeLimit.objects.filter(kind__in=[kind, ""]).filter(
            category_id__in=[getattr(category, "pk", None)]
        )
    }
    candidates.update(
        {
            (limit.kind, None): limit.working_days
            for limit in ResponseTimeLimit.objects.filter(kind__in=[kind, ""], category__isnull=True)
        }
    )
    category_id = getattr(category, "pk", None)
    for key in ((kind, category_id), ("", category_id), (kind, None), ("", None)):
        if key in candidates:
            return candidates[key]
    return DEFAULT_WORKING_DAYS


def overdue_inquiries(now=None):
    from .models import Inquiry

    return Inquiry.objects.overdue(now or timezone.now())
