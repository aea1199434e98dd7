"""Staff assessment (考评) per officer and per department for one month (Supervisors only).

For the month M (Asia/Shanghai):
- handled: requests closed in M (still closed), counted for their assignee and department;
- closed on time: of those, closed by their deadline (%);
- median first reply: working days from filing to the first public reply, for requests first
  answered in M;
- ratings: the five levels of the handled requests' ratings; bad ratings (不满意/非常不满意) and
  how many of their follow-ups are done;
- reopened: reopenings in M of the officer's (department's) requests;
- marked junk: junk markings made in M by the officer (in the department), and how many of them
  a supervisor overturned (`desk.actions.overturn_junk`): the junk-entry penalty.

Plain functions over querysets; the views only render and audit.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from desk.choices import BAD_RATING_MAX, EntryKind, Status
from desk.deadlines import bureau_tz
from desk.models import Department, Inquiry, TimelineEntry

from .stats import WorkdayIndex, _shift, month_start


@dataclass
class Score:
    handled: int = 0
    on_time: int = 0
    first_reply_days: list = field(default_factory=list)
    ratings: dict = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    bad_ratings: int = 0
    follow_ups_done: int = 0
    reopened: int = 0
    junk: int = 0
    junk_overturned: int = 0

    def row(self):
        return {
            "handled": self.handled,
            "closed_on_time_pct": round(100.0 * self.on_time / self.handled, 1) if self.handled else None,
            "median_first_reply_days": (
                round(float(statistics.median(self.first_reply_days)), 1) if self.first_reply_days else None
            ),
            "replied": len(self.first_reply_days),
            "ratings": {str(level): self.ratings[level] for level in range(1, 6)},
            "bad_ratings": self.bad_ratings,
            "follow_ups_done": self.follow_ups_done,
            "reopened": self.reopened,
            "junk": self.junk,
            "junk_overturned": self.junk_overturned,
        }


def assess(year, month):
    """{"officers": [row…], "departments": [row…]} for the month; each row has "key", "name"."""
    start, end = month_start(year, month), month_start(*_shift(year, month, 1))
    tz = bureau_tz()
    workdays = WorkdayIndex()
    officers = defaultdict(Score)
    departments = defaultdict(Score)

    closed = (
        Inquiry.objects.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .values_list("assignee_id", "department_id", "closed_at", "due_at", "rating__score", "follow_up__done_at")
        .order_by()
    )
    for assignee, department, closed_at, due_at, score, done in closed.iterator(chunk_size=5000):
        targets = [departments[department]] + ([officers[assignee]] if assignee else [])
        for target in targets:
            target.handled += 1
            target.on_time += closed_at <= due_at
            if score:
                target.ratings[score] += 1
                if score <= BAD_RATING_MAX:
                    target.bad_ratings += 1
                    target.follow_ups_done += done is not None

    replied = (
        Inquiry.objects.counted()
        .filter(first_reply_at__gte=start, first_reply_at__lt=end)
        .values_list("assignee_id", "department_id", "created_at", "first_reply_at")
        .order_by()
    )
    for assignee, department, created_at, first_reply_at in replied.iterator(chunk_size=5000):
        days = workdays.between(created_at.astimezone(tz).date(), first_reply_at.astimezone(tz).date())
        departments[department].first_reply_days.append(days)
        if assignee:
            officers[assignee].first_reply_days.append(days)

    reopenings = TimelineEntry.objects.filter(
        kind=EntryKind.REOPEN, created_at__gte=start, created_at__lt=end
    ).values_list("inquiry__assignee_id", "inquiry__department_id")
    for assignee, department in reopenings:
        departments[department].reopened += 1
        if assignee:
            officers[assignee].reopened += 1

    markings = list(
        TimelineEntry.objects.filter(kind=EntryKind.JUNK, created_at__gte=start, created_at__lt=end).values_list(
            "pk", "author_id", "inquiry__department_id"
        )
    )
    overturned = set(
        TimelineEntry.objects.filter(kind=EntryKind.OVERTURN_JUNK, data__junk_entry__in=[m[0] for m in markings])
        .values_list("data__junk_entry", flat=True)
        .order_by()
    )
    for pk, author, department in markings:
        targets = [departments[department]] + ([officers[author]] if author else [])
        for target in targets:
            target.junk += 1
            target.junk_overturned += pk in overturned

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=officers.keys())}
    names = {d.pk: d for d in Department.objects.filter(pk__in=departments.keys())}
    return {
        "officers": sorted(
            (
                {
                    "key": users[pk].username if pk in users else str(pk),
                    "name": (users[pk].get_full_name() or users[pk].username) if pk in users else str(pk),
                    **score.row(),
                }
                for pk, score in officers.items()
            ),
            key=lambda row: row["key"],
        ),
        "departments": sorted(
            (
                {"key": names[pk].slug, "name": names[pk].name, **score.row()}
                for pk, score in departments.items()
                if pk in names
            ),
            key=lambda row: row["key"],
        ),
    }
