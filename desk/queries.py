"""Reading the queue: its views (scopes) and the counts shown next to them, in the menu badge and
in the desk socket's snapshot. Read-only; changes go through `desk.actions`."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions
from .choices import ACTIVE_STATUSES, OPEN_STATUSES

# Each view of the queue is one condition, used both to filter the list and to count it, so the
# number next to a view is always the number of rows it shows.
SCOPES = {
    # name: (label, condition(user, now) -> Q)
    "active": (_("All active"), lambda user, now: Q(status__in=ACTIVE_STATUSES)),
    "mine": (_("Mine"), lambda user, now: Q(assignee_id=user.pk, status__in=ACTIVE_STATUSES)),
    "unassigned": (_("Unassigned"), lambda user, now: Q(assignee__isnull=True, status__in=OPEN_STATUSES)),
    "department": (
        _("My department"),
        lambda user, now: Q(department_id__in=permissions.department_ids(user), status__in=ACTIVE_STATUSES),
    ),
    "overdue": (_("Overdue"), lambda user, now: Q(status__in=OPEN_STATUSES, due_at__lt=now)),
    "all": (_("Everything"), lambda user, now: Q()),
}
DEFAULT_SCOPE = "active"


def queue_counts(user, now=None):
    """Counts per queue view for `user`, in one query (also sent in the live snapshot)."""
    now = now or timezone.now()
    aggregates = {name: Count("pk", filter=condition(user, now)) for name, (_label, condition) in SCOPES.items()}
    aggregates["urgent"] = Count("pk", filter=Q(urgent=True, status__in=OPEN_STATUSES))
    return permissions.visible_inquiries(user).aggregate(**aggregates)


def menu_badge_count(user):
    """The number shown next to "Queue" in the menu: open items that are mine or unassigned."""
    return (
        permissions.visible_inquiries(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(assignee__isnull=True) | Q(assignee=user))
        .count()
    )
