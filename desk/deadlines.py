"""Response deadlines in working days, counting Chinese public holidays and make-up workdays.

The calendar is `HolidaySchedule`: staff enter each year's official holidays and the weekend
days that become workdays (调休) in the admin (Desk settings → Holiday schedules); years the
`chinesecalendar` package knows are prefilled from it (`manage.py desk_holidays`). Any day not
in the schedule is a working day from Monday to Friday.

A year without a schedule is never guessed silently: the computation counts Monday–Friday for
it, remembers that it did (`Calendar.fallback_years`, logged as a warning), and the desk warns
staff and supervisors (`missing_years`) until someone enters the schedule.

A deadline is the end (23:59:59) of the N-th working day after the day of filing, in the
bureau's time zone (settings.TIME_ZONE, Asia/Shanghai). Filing on a holiday or a weekend does
not count that day.
"""

import datetime
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .choices import DayKind

logger = logging.getLogger(__name__)

DEFAULT_WORKING_DAYS = 5
# How far ahead a missing schedule is reported: the longest time limit (15 working days) plus
# a Spring Festival week fits well within it.
LOOKAHEAD = datetime.timedelta(days=45)


def bureau_tz():
    return ZoneInfo(settings.TIME_ZONE)


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), bureau_tz()).date()


@dataclass(frozen=True)
class YearCalendar:
    year: int
    days: dict  # date -> (DayKind, name)
    scheduled: bool

    def kind(self, day):
        """DayKind.HOLIDAY, DayKind.WORKDAY (a make-up day) or None (an ordinary day)."""
        entry = self.days.get(day)
        return entry[0] if entry else None

    def name(self, day):
        entry = self.days.get(day)
        return entry[1] if entry else ""

    def is_workday(self, day):
        kind = self.kind(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5


@dataclass
class Calendar:
    """The holiday schedules, read once per year for one computation (a deadline, a station's
    next opening). `fallback_years` lists the years that had no schedule."""

    years: dict = field(default_factory=dict)
    fallback_years: set = field(default_factory=set)

    def year(self, year):
        if year not in self.years:
            self.years[year] = load_year(year)
        calendar = self.years[year]
        if not calendar.scheduled and year not in self.fallback_years:
            self.fallback_years.add(year)
            logger.warning("no holiday schedule for %s: counting Monday-Friday as working days", year)
        return calendar

    def kind(self, day):
        return self.year(day.year).kind(day)

    def name(self, day):
        return self.year(day.year).name(day)

    def is_workday(self, day):
        return self.year(day.year).is_workday(day)


def load_year(year):
    from .models import HolidayDate, HolidaySchedule

    if not HolidaySchedule.objects.filter(year=year).exists():
        return YearCalendar(year=year, days={}, scheduled=False)
    rows = HolidayDate.objects.filter(schedule__year=year).values_list("date", "kind", "name")
    return YearCalendar(year=year, days={day: (kind, name) for day, kind, name in rows}, scheduled=True)


def is_workday(day, calendar=None):
    """True when `day` (a date) is an official working day in mainland China."""
    return (calendar or Calendar()).is_workday(day)


def add_working_days(day, count, calendar=None):
    """The date of the `count`-th working day after `day` (`day` itself is not counted)."""
    calendar = calendar or Calendar()
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if calendar.is_workday(current):
            remaining -= 1
    return current


def end_of_day(day):
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=bureau_tz())


def due_at(filed_at, working_days, calendar=None):
    """Deadline for something filed at `filed_at` (aware) with a limit of `working_days`."""
    local_day = timezone.localtime(filed_at, bureau_tz()).date()
    return end_of_day(add_working_days(local_day, working_days, calendar))


def missing_years(now=None, lookahead=LOOKAHEAD):
    """Years from today to `lookahead` ahead that have no holiday schedule (the desk warns)."""
    from .models import HolidaySchedule

    today = local_today(now)
    years = set(range(today.year, (today + lookahead).year + 1))
    return sorted(years - set(HolidaySchedule.objects.filter(year__in=years).values_list("year", flat=True)))


def package_years():
    """The years the installed `chinesecalendar` package has official data for."""
    import chinese_calendar

    return sorted({day.year for day in chinese_calendar.holidays})


def import_from_package(years=None, *, schedule_model=None, date_model=None):
    """Create a HolidaySchedule for each year the package knows (or each of `years`) that has
    none yet; an existing schedule (maybe edited by staff) is left alone. Returns the years
    created. The models can be passed in (a data migration's historical models)."""
    import chinese_calendar

    if schedule_model is None:
        from .models import HolidayDate as date_model
        from .models import HolidaySchedule as schedule_model

    known = set(package_years())
    wanted = known if years is None else set(years) & known
    existing = set(schedule_model.objects.filter(year__in=wanted).values_list("year", flat=True))
    created = []
    for year in sorted(wanted - existing):
        schedule = schedule_model.objects.create(
            year=year, note=f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
        )
        days = [(d, DayKind.HOLIDAY, n) for d, n in chinese_calendar.holidays.items() if d.year == year]
        days += [(d, DayKind.WORKDAY, n) for d, n in chinese_calendar.workdays.items() if d.year == year]
        date_model.objects.bulk_create(
            [
                date_model(schedule=schedule, date=d, kind=kind, name=str(name or "")[:60], sort_order=i)
                for i, (d, kind, name) in enumerate(sorted(days))
            ]
        )
        created.append(year)
    return created


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
