"""The bureau's service in numbers: plain functions over querysets (docs/open-data.md).

Months are calendar months in the bureau's time zone (settings.TIME_ZONE, Asia/Shanghai): a
request filed at 23:30 on 31 January Beijing time (15:30 UTC) counts in January.

What counts where:
- received: requests filed in the month (junk excluded: `Inquiry.objects.counted()`);
- closed, closed on time (closed_at ≤ due_at), working days to close, the ratings and their
  follow-ups: requests closed in the month (still closed now; a reopened request counts when it
  is closed again);
- working days to first reply: requests first answered in the month;
- complaints about police conduct and their outcome: complaints filed in the month.

Working days follow the desk's calendar (`desk.deadlines.is_workday`, Chinese holidays and make-up
days): the number of working days after the day of filing up to and including the day of the
event (same day = 0).

Everything is computed from fields that the retention job keeps when it anonymises a request
(kind, category, department, status, filing/due/first-reply/closing times, the rating's score,
the follow-up's done time, the complaint outcome), so past figures do not change.

Privacy: every count below SUPPRESSION_THRESHOLD (including 0) is suppressed — `None` here, "<5"
on the page, `null` in open data — and so is a rate or a median computed over fewer requests.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from desk.choices import BAD_RATING_MAX, Kind
from desk.deadlines import bureau_tz, is_workday
from desk.models import ComplaintOutcome, Inquiry

SUPPRESSION_THRESHOLD = 5
MAX_MONTHS = 60  # the longest range the open data answers in one request
CACHE_PREFIX = "sunshine:stats:v1"
CHAT_RETENTION_DAYS = 180  # chatbot.retention deletes conversations after this
OUTCOMES = tuple(ComplaintOutcome.Outcome.values)


# --- months ----------------------------------------------------------------------------------


def month_key(moment):
    local = timezone.localtime(moment, bureau_tz())
    return f"{local.year:04d}-{local.month:02d}"


def parse_month(text):
    """(year, month) from "YYYY-MM", or None."""
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-":
        return None
    try:
        year, month = int(text[:4]), int(text[5:])
    except ValueError:
        return None
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


def _shift(year, month, delta):
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def month_start(year, month):
    """Midnight at the start of the month, Asia/Shanghai (aware)."""
    return datetime.datetime(year, month, 1, tzinfo=bureau_tz())


def months_between(first, last):
    """["YYYY-MM", …] from `first` to `last` ((year, month) tuples), inclusive."""
    months = []
    year, month = first
    while (year, month) <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = _shift(year, month, 1)
    return months


def window_start(last, count=12):
    """The first of the `count` months that end with `last` (a (year, month))."""
    return _shift(*last, -(count - 1))


def last_months(now=None, count=12):
    """The last `count` months, the current one included, oldest first."""
    local = timezone.localtime(now or timezone.now(), bureau_tz())
    last = (local.year, local.month)
    return months_between(window_start(last, count), last)


# --- working days ----------------------------------------------------------------------------


class WorkdayIndex:
    """Working days between two dates in O(1) after a one-off pass over the range."""

    def __init__(self):
        self._base = None  # the day before the first indexed day
        self._cumulative = [0]  # working days in (base, base + i]

    def count(self, day):
        if self._base is None or day <= self._base:
            self._base = day - datetime.timedelta(days=400)
            self._cumulative = [0]
        offset = (day - self._base).days
        while len(self._cumulative) <= offset:
            current = self._base + datetime.timedelta(days=len(self._cumulative))
            self._cumulative.append(self._cumulative[-1] + (1 if is_workday(current) else 0))
        return self._cumulative[offset]

    def between(self, start, end):
        """Working days after `start` up to and including `end` (dates); 0 when end ≤ start."""
        if end <= start:
            return 0
        self.count(start)  # makes sure the base lies before `start`
        return self.count(end) - self.count(start)


# --- cells -----------------------------------------------------------------------------------


@dataclass
class Cell:
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    days_to_first_reply: list = field(default_factory=list)
    days_to_close: list = field(default_factory=list)
    ratings: dict = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    bad_ratings: int = 0
    bad_followed_up: int = 0
    conduct_received: int = 0
    outcomes: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    @property
    def any(self):
        return bool(self.received or self.closed or self.days_to_first_reply)

    def add(self, other):
        self.received += other.received
        self.closed += other.closed
        self.closed_on_time += other.closed_on_time
        self.days_to_first_reply.extend(other.days_to_first_reply)
        self.days_to_close.extend(other.days_to_close)
        for level in self.ratings:
            self.ratings[level] += other.ratings[level]
        self.bad_ratings += other.bad_ratings
        self.bad_followed_up += other.bad_followed_up
        self.conduct_received += other.conduct_received
        for outcome in self.outcomes:
            self.outcomes[outcome] += other.outcomes[outcome]
        return self

    # Published figures, suppressed: None where fewer than the threshold are counted.
    def figures(self):
        rated = sum(self.ratings.values())
        satisfied = self.ratings[5] + self.ratings[4] + self.ratings[3]
        return {
            "received": suppress(self.received),
            "closed": suppress(self.closed),
            "closed_on_time": suppress(self.closed_on_time),
            "closed_on_time_pct": rate(self.closed_on_time, self.closed),
            "median_working_days_to_first_reply": median(self.days_to_first_reply),
            "median_working_days_to_close": median(self.days_to_close),
            "ratings": {str(level): suppress(self.ratings[level]) for level in range(1, 6)},
            "rated": suppress(rated),
            "satisfaction_pct": rate(satisfied, rated),
            "bad_ratings": suppress(self.bad_ratings),
            "bad_ratings_followed_up": suppress(self.bad_followed_up),
            "bad_ratings_followed_up_pct": rate(self.bad_followed_up, self.bad_ratings),
            "conduct_received": suppress(self.conduct_received),
            "outcomes": {outcome: suppress(count) for outcome, count in self.outcomes.items()},
        }


def suppress(count):
    return count if count >= SUPPRESSION_THRESHOLD else None


def rate(part, whole):
    """Percentage with one decimal, or None when `whole` is below the threshold."""
    if whole < SUPPRESSION_THRESHOLD:
        return None
    return round(100.0 * part / whole, 1)


def median(values):
    if len(values) < SUPPRESSION_THRESHOLD:
        return None
    return round(float(statistics.median(values)), 1)


# --- collecting ------------------------------------------------------------------------------


def _range_filter(start, end):
    from django.db.models import Q

    return (
        Q(created_at__gte=start, created_at__lt=end)
        | Q(closed_at__gte=start, closed_at__lt=end)
        | Q(first_reply_at__gte=start, first_reply_at__lt=end)
    )


def _epoch_sql(vendor, column):
    if vendor == "postgresql":
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)"
    if vendor == "sqlite":  # Django stores UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]"
        return f"CAST(strftime('%%s', {column}) AS INTEGER)"  # %% : Django's placeholder style
    return None


FACT_FIELDS = (
    "kind",
    "category_id",
    "department_id",
    "status",
    "category__is_police_conduct",
    "rating__score",
    "follow_up__done_at",
    "complaint_outcome__outcome",
)


def fact_rows(start, end):
    """One tuple per counted request received, first answered or closed in [start, end):
    (kind, category_id, department_id, status, police_conduct, score, follow_up_done_at, outcome,
    created, first_reply, closed_at, on_time) with the times as Unix seconds.

    The times come from the database as integers: at 100,000 requests Django's conversion of
    every value to a datetime was most of the cost."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    base = Inquiry.objects.counted().filter(_range_filter(start, end)).order_by()
    table = Inquiry._meta.db_table
    epoch = {
        name: _epoch_sql(connection.vendor, f'"{table}"."{name}"')
        for name in ("created_at", "first_reply_at", "closed_at")
    }
    if None in epoch.values():  # another database: the portable (slower) way
        rows = base.values_list(*FACT_FIELDS, "created_at", "first_reply_at", "closed_at", "due_at")
        return [
            (
                *row[:8],
                int(row[8].timestamp()),
                int(row[9].timestamp()) if row[9] else None,
                int(row[10].timestamp()) if row[10] else None,
                1 if row[10] and row[11] and row[10] <= row[11] else 0,
            )
            for row in rows.iterator(chunk_size=5000)
        ]
    on_time = f'CASE WHEN "{table}"."closed_at" <= "{table}"."due_at" THEN 1 ELSE 0 END'
    queryset = base.annotate(
        e_created=RawSQL(epoch["created_at"], ()),  # noqa: S611 - fixed SQL, no input
        e_first=RawSQL(epoch["first_reply_at"], ()),  # noqa: S611
        e_closed=RawSQL(epoch["closed_at"], ()),  # noqa: S611
        e_on_time=RawSQL(on_time, ()),  # noqa: S611
    ).values_list(*FACT_FIELDS, "e_created", "e_first", "e_closed", "e_on_time")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:  # raw rows: no per-value converters
        cursor.execute(sql, params)
        return cursor.fetchall()


class LocalDays:
    """Unix seconds → the bureau's local day number, its month and working-day count, cached per
    hour and per day: 100,000 requests cost integer arithmetic, not datetime objects."""

    EPOCH = datetime.date(1970, 1, 1)

    def __init__(self):
        self.tz = bureau_tz()
        self._offsets = {}
        self._months = {}
        self._workdays = WorkdayIndex()
        self._counts = {}

    def day(self, seconds):
        hour = seconds // 3600
        offset = self._offsets.get(hour)
        if offset is None:
            moment = datetime.datetime.fromtimestamp(hour * 3600, tz=self.tz)
            offset = self._offsets[hour] = int(moment.utcoffset().total_seconds())
        return (seconds + offset) // 86400

    def month(self, day):
        key = self._months.get(day)
        if key is None:
            date = self.EPOCH + datetime.timedelta(days=day)
            key = self._months[day] = f"{date.year:04d}-{date.month:02d}"
        return key

    def start_at(self, day):
        """Index working days from `day` on (call once with the earliest day)."""
        self._workdays.count(self.EPOCH + datetime.timedelta(days=day))

    def _count(self, day):
        count = self._counts.get(day)
        if count is None:
            count = self._counts[day] = self._workdays.count(self.EPOCH + datetime.timedelta(days=day))
        return count

    def between(self, first_day, last_day):
        """Working days after `first_day` up to and including `last_day`."""
        if last_day <= first_day:
            return 0
        return self._count(last_day) - self._count(first_day)


def cube(first, last):
    """{(month, kind, category_id, department_id): Cell} for months `first`..`last` ((y, m))."""
    start = month_start(*first)
    end = month_start(*_shift(*last, 1))
    lo, hi = int(start.timestamp()), int(end.timestamp())
    days = LocalDays()
    cells = defaultdict(Cell)
    rows = fact_rows(start, end)
    if rows:
        days.start_at(days.day(min(row[8] for row in rows)) - 1)
    day_of, month_of, between = days.day, days.month, days.between  # (locals: a hot loop)
    complaint = Kind.COMPLAINT.value
    for (
        kind,
        category,
        department,
        status,
        conduct,
        score,
        done,
        outcome,
        created,
        first_reply,
        closed,
        on_time,
    ) in rows:
        created_day = day_of(created)
        if lo <= created < hi:
            cell = cells[(month_of(created_day), kind, category, department)]
            cell.received += 1
            if conduct and kind == complaint:
                cell.conduct_received += 1
                if outcome:
                    cell.outcomes[outcome] += 1
        if first_reply is not None and lo <= first_reply < hi:
            day = day_of(first_reply)
            cells[(month_of(day), kind, category, department)].days_to_first_reply.append(between(created_day, day))
        if status == "closed" and closed is not None and lo <= closed < hi:
            day = day_of(closed)
            cell = cells[(month_of(day), kind, category, department)]
            cell.closed += 1
            cell.closed_on_time += on_time
            cell.days_to_close.append(between(created_day, day))
            if score:
                cell.ratings[score] += 1
                if score <= BAD_RATING_MAX:
                    cell.bad_ratings += 1
                    if done is not None:
                        cell.bad_followed_up += 1
    return dict(cells)


def group(cells, key):
    """Merge cells by `key(month, kind, category_id, department_id)` → {key: Cell}."""
    merged = defaultdict(Cell)
    for parts, cell in cells.items():
        merged[key(*parts)].add(cell)
    return merged


# --- chat ------------------------------------------------------------------------------------


def chat_by_month(months, now=None):
    """{month: {"answered": n|None, "handed_over": n|None, "kept": bool}}: bot answers that cite
    published content, and conversations handed over to an officer. Conversations are deleted
    after 180 days (chatbot.retention), so older months are marked as not kept."""
    from chatbot.models import Conversation, Message

    now = now or timezone.now()
    first, last = parse_month(months[0]), parse_month(months[-1])
    start, end = month_start(*first), month_start(*_shift(*last, 1))
    oldest_kept = now - datetime.timedelta(days=CHAT_RETENTION_DAYS)
    answered = defaultdict(int)
    handed = defaultdict(int)
    messages = (
        Message.objects.filter(sender=Message.Sender.BOT, created_at__gte=start, created_at__lt=end)
        .exclude(sources=[])
        .values_list("created_at", flat=True)
    )
    for moment in messages.iterator(chunk_size=5000):
        answered[month_key(moment)] += 1
    conversations = Conversation.objects.filter(
        handover_requested_at__gte=start, handover_requested_at__lt=end
    ).values_list("handover_requested_at", flat=True)
    for moment in conversations.iterator(chunk_size=5000):
        handed[month_key(moment)] += 1
    result = {}
    for month in months:
        year, number = parse_month(month)
        kept = month_start(year, number) >= oldest_kept
        result[month] = {
            "answered": suppress(answered[month]) if kept else None,
            "handed_over": suppress(handed[month]) if kept else None,
            "kept": kept,
        }
    return result


# --- what the page and the open data use (cached) ----------------------------------------------


def _cached(key, compute):
    """The cached value of `key`, or compute and cache it for SUNSHINE_STATS_MAX_AGE seconds.
    `refresh_cache()` (desk_worker, every minute) recomputes the public page's figures before
    they expire, so with a shared cache (Redis) visitors never wait for a computation."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = compute()
    cache.set(key, value, settings.SUNSHINE_STATS_MAX_AGE)
    return value


def refresh_cache(now=None):
    """Recompute the page's figures and the default open data now (run every minute by
    desk_worker). Returns the "as of" time."""
    now = now or timezone.now()
    months = last_months(now)
    first, last = parse_month(months[0]), parse_month(months[-1])
    cells = cube(first, last)  # once for both
    summary = compute_summary(now, cells)
    cache.set(SUMMARY_KEY, summary, settings.SUNSHINE_STATS_MAX_AGE)
    payload = _open_data_payload(first, last, cells, now)
    cache.set(_open_data_key(first, last), payload, settings.SUNSHINE_STATS_MAX_AGE)
    return summary["as_of"]


def open_data_rows(first, last, cells=None):
    """The open-data rows (docs/open-data.md) for months `first`..`last`, a row per month ×
    kind × department that has any request, with the codes of /api/inquiries/options."""
    from desk.models import Department

    slugs = dict(Department.objects.values_list("pk", "slug"))
    cells = cube(first, last) if cells is None else cells
    merged = group(cells, lambda month, kind, category, department: (month, kind, department))
    rows = []
    for (month, kind, department), cell in sorted(
        merged.items(), key=lambda item: (item[0][0], item[0][1], slugs.get(item[0][2], ""))
    ):
        if not cell.any:
            continue
        figures = cell.figures()
        rows.append(
            {
                "month": month,
                "kind": kind,
                "department": slugs.get(department, ""),
                "received": figures["received"],
                "closed": figures["closed"],
                "closed_on_time": figures["closed_on_time"],
                "median_working_days_to_close": figures["median_working_days_to_close"],
                "ratings": figures["ratings"],
                "bad_ratings_followed_up": figures["bad_ratings_followed_up"],
            }
        )
    return rows


def _open_data_key(first, last):
    return f"{CACHE_PREFIX}:open:{first[0]}-{first[1]}:{last[0]}-{last[1]}"


def _open_data_payload(first, last, cells=None, now=None):
    return {
        "generated_at": timezone.localtime(now or timezone.now(), bureau_tz()).isoformat(timespec="seconds"),
        "suppression_threshold": SUPPRESSION_THRESHOLD,
        "rows": open_data_rows(first, last, cells),
    }


def open_data(first, last):
    """{"generated_at", "suppression_threshold", "rows"}, at most SUNSHINE_STATS_MAX_AGE old."""
    return _cached(_open_data_key(first, last), lambda: _open_data_payload(first, last))


SUMMARY_KEY = f"{CACHE_PREFIX}:summary"


def service_summary(now=None):
    """The public page's figures for the last 12 months: per month, per kind, per category and
    per department (figures already suppressed), the totals, chat figures and "as of"."""
    return _cached(SUMMARY_KEY, lambda: compute_summary(now))


def compute_summary(now=None, cells=None):
    from desk.models import Category, Department

    now = now or timezone.now()
    months = last_months(now)
    first, last = parse_month(months[0]), parse_month(months[-1])
    cells = cube(first, last) if cells is None else cells
    by_month = group(cells, lambda month, kind, category, department: month)
    by_kind = group(cells, lambda month, kind, category, department: kind)
    by_category = group(cells, lambda month, kind, category, department: category)
    by_department = group(cells, lambda month, kind, category, department: department)
    total = Cell()
    for cell in by_month.values():
        total.add(cell)
    categories = {c.pk: c for c in Category.objects.all()}
    departments = {d.pk: d for d in Department.objects.all()}
    return {
        "as_of": now,
        "months": months,
        "by_month": [{"key": month, **by_month.get(month, Cell()).figures()} for month in months],
        "by_kind": [{"key": kind.value, **by_kind.get(kind.value, Cell()).figures()} for kind in Kind],
        "by_category": [
            {"key": c.slug, "name_zh": c.name_zh, "name_en": c.name_en, **by_category[pk].figures()}
            for pk, c in categories.items()
            if pk in by_category
        ],
        "by_department": [
            {"key": d.slug, "name_zh": d.name_zh, "name_en": d.name_en, **by_department[pk].figures()}
            for pk, d in departments.items()
            if pk in by_department
        ],
        "total": total.figures(),
        "chat": chat_by_month(months, now),
    }
