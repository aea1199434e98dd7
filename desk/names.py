"""How people are named on the portal.

- Among staff: the full name, a Chinese name family name first with no space ("王强", not
  Django's "强 王"); a Latin name given name first ("Alex Chen"); the username when no name.
- To citizens: never an officer's name. They see the role (the "Officer" label the page already
  shows, or "Supervisor") and the badge number (警号) from the officer's StaffProfile.
"""

import re

from django.utils.translation import pgettext

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def display_name(user):
    """The name staff see for a colleague."""
    if user is None:
        return ""
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    if CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part) or user.get_username()


def badge_number(user):
    from .models import StaffProfile

    if user is None:
        return ""
    profile = StaffProfile.objects.filter(user_id=user.pk).only("badge_number").first()
    return profile.badge_number if profile else ""


def public_label(user):
    """What a citizen sees for an officer after the "Officer" label: role when it is not a duty
    officer's, and the badge number; never the name."""
    from .permissions import is_supervisor

    if user is None:
        return ""
    parts = []
    if is_supervisor(user):
        parts.append(pgettext("officer role", "Supervisor"))
    badge = badge_number(user)
    if badge:
        parts.append(pgettext("officer badge", "Badge no. %(number)s") % {"number": badge})
    return " · ".join(parts)


def change_labels(entry):
    """A timeline entry's "from → to" in words: people by name, departments by name, priorities
    by label (the entry stores usernames, slugs and codes)."""
    from django.contrib.auth import get_user_model

    from .choices import EntryKind, Priority
    from .models import Department

    data = entry.data or {}
    before, after = data.get("from"), data.get("to")
    if entry.kind == EntryKind.ASSIGN:
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[before, after])}
        return tuple(display_name(users[v]) if v in users else (v or "") for v in (before, after))
    if entry.kind == EntryKind.TRANSFER:
        names = dict(Department.objects.filter(slug__in=[before, after]).values_list("slug", "name"))
        return tuple(names.get(v, v or "") for v in (before, after))
    if entry.kind == EntryKind.PRIORITY:
        labels = dict(Priority.choices)
        return tuple(str(labels.get(v, v or "")) for v in (before, after))
    return (before or "", after or "")
