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


def last_months(now=None, count=12):
    """The last `count` months, the current one included, oldest first."""
    local = timezone.localtime(now or timezone.now(), bureau_tz())
    last = (local.year, local.month)
    return months_between(_shift(*last, -(count - 1)), last)


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
    outcomes: dict = field(default_factory=lambda: dict.fromkeys(ComplaintOutcome.Outcome.values, 0))

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

FIELDS = (
    "kind",
    "category_id",
    "department_id",
    "status",
    "created_at",
    "due_at",
    "first_reply_at",
    "closed_at",
    "category__is_police_conduct",
    "rating__score",
    "follow_up__done_at",
    "complaint_outcome__outcome",
)


def cube(first, last):
    """{(month, kind, category_id, department_id): Cell} for months `first`..`last` ((y, m))."""
    start = month_start(*first)
    end = month_start(*_shift(*last, 1))
    tz = bureau_tz()
    workdays = WorkdayIndex()
    cells = defaultdict(Cell)
    rows = (
        Inquiry.objects.counted()
        .filter(
            # Received, first answered or closed within the range.
            _between("created_at", start, end)
            | _between("closed_at", start, end)
            | _between("first_reply_at", start, end)
        )
        .values_list(*FIELDS)
        .order_by()
    )
    for (
        kind,
        category_id,
        department_id,
        status,
        created,
        due,
        first_reply,
        closed,
        conduct,
        score,
        done,
        outcome,
    ) in rows.iterator(chunk_size=5000):
        created_local = created.astimezone(tz)
        created_day = created_local.date()
        if start <= created < end:
            cell = cells[(f"{created_local.year:04d}-{created_local.month:02d}", kind, category_id, department_id)]
            cell.received += 1
            if conduct and kind == Kind.COMPLAINT:
                cell.conduct_received += 1
                if outcome:
                    cell.outcomes[outcome] += 1
        if first_reply is not None and start <= first_reply < end:
            local = first_reply.astimezone(tz)
            cell = cells[(f"{local.year:04d}-{local.month:02d}", kind, category_id, department_id)]
            cell.days_to_first_reply.append(workdays.between(created_day, local.date()))
        if status == "closed" and closed is not None and start <= closed < end:
            local = closed.astimezone(tz)
            cell = cells[(f"{local.year:04d}-{local.month:02d}", kind, category_id, department_id)]
            cell.closed += 1
            if due is not None and closed <= due:
                cell.closed_on_time += 1
            cell.days_to_close.append(workdays.between(created_day, local.date()))
            if score:
                cell.ratings[score] += 1
                if score <= BAD_RATING_MAX:
                    cell.bad_ratings += 1
                    if done is not None:
                        cell.bad_followed_up += 1
    return dict(cells)


def _between(name, start, end):
    from django.db.models import Q

    return Q(**{f"{name}__gte": start, f"{name}__lt": end})


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
    max_age = settings.SUNSHINE_STATS_MAX_AGE
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = compute()
    cache.set(key, value, max_age)
    return value


def open_data_rows(first, last):
    """The open-data rows (docs/open-data.md) for months `first`..`last`, a row per month ×
    kind × department that has any request, with the codes of /api/inquiries/options."""
    from desk.models import Department

    slugs = dict(Department.objects.values_list("pk", "slug"))
    merged = group(cube(first, last), lambda month, kind, category, department: (month, kind, department))
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


def open_data(first, last):
    """{"generated_at", "suppression_threshold", "rows"}, at most SUNSHINE_STATS_MAX_AGE old."""
    key = f"{CACHE_PREFIX}:open:{first[0]}-{first[1]}:{last[0]}-{last[1]}"

    def compute():
        return {
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "suppression_threshold": SUPPRESSION_THRESHOLD,
            "rows": open_data_rows(first, last),
        }

    return _cached(key, compute)


def service_summary(now=None):
    """The public page's figures for the last 12 months: per month, per kind, per category and
    per department (figures already suppressed), the totals, chat figures and "as of"."""
    key = f"{CACHE_PREFIX}:summary"
    return _cached(key, lambda: compute_summary(now))


def compute_summary(now=None):
    from desk.models import Category, Department

    now = now or timezone.now()
    months = last_months(now)
    first, last = parse_month(months[0]), parse_month(months[-1])
    cells = cube(first, last)
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
