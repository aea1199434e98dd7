"""How people are named on the portal.

- Among staff: the full name, a Chinese name family name first with no space ("王强", not
  Django's "强 王"); a Latin name given name first ("Alex Chen"); the username when no name.
- To citizens: never an officer's name. They see the role (the "Officer" label the page already
  shows, or "Supervisor") and the badge number (警号) from the officer's StaffProfile.
"""

import re

from django.apps import apps
from django.utils.translation import pgettext

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def full_name(user):
    """The full name, "" when the user has none: a Chinese name family name first with no space,
    a Latin name given name first. Installed as the user model's `get_full_name` (see
    `use_for_user_model`), so Wagtail's admin says "王强" too."""
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    if CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def display_name(user):
    """The name staff see for a colleague."""
    if user is None:
        return ""
    return full_name(user) or user.get_username()


def use_for_user_model():
    """Make the user model's `get_full_name` put a Chinese family name first (desk.apps.ready).

    Wagtail names people through `user.get_full_name()` everywhere (the dashboard, page and
    workflow history, "locked by", the audit log, reports, notification e-mails), some of it
    calling the method directly rather than `wagtail.admin.utils.get_user_display_name`, and it
    has no hook for it. Django's AbstractUser joins "first last" ("强 王"). Replacing the method on
    the model class changes it in one place for all of them without a custom user model (which
    would need a migration of every table pointing at auth.User)."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    if not {"first_name", "last_name"} <= {field.name for field in model._meta.get_fields()}:
        return
    model.get_full_name = full_name


def badge_number(user):
    StaffProfile = apps.get_model("desk", "StaffProfile")

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
    return _labels(entry.kind, entry.data or {})


def _labels(kind, data):
    from django.contrib.auth import get_user_model

    Department = apps.get_model("desk", "Department")

    before, after = data.get("from"), data.get("to")
    if kind in ("assign", "claim"):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[before, after])}
        return tuple(display_name(users[v]) if v in users else (v or "") for v in (before, after))
    if kind == "transfer":
        names = {d.slug: d.name for d in Department.objects.filter(slug__in=[before, after])}
        return tuple(names.get(v, v or "") for v in (before, after))
    if kind == "priority":
        from .choices import Priority

        labels = dict(Priority.choices)
        return tuple(str(labels.get(v, v or "")) for v in (before, after))
    return (before or "", after or "")


ESCALATED = re.compile(r"^notified (\d+) supervisors$")


def audit_detail(entry):
    """An audit log entry's detail in words: "— → 王强 (已分派)" rather than the stored JSON
    {"from": null, "to": "duty", "status": "assigned"}; other details as written."""
    import json

    from django.utils.translation import ngettext

    from .choices import Status

    detail = entry.detail or ""
    escalated = ESCALATED.match(detail)
    if escalated:
        count = int(escalated.group(1))
        return ngettext("%(count)d supervisor notified", "%(count)d supervisors notified", count) % {"count": count}
    if not detail.startswith("{"):
        return detail
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict) or not ({"from", "to"} & set(data)):
        return detail
    before, after = _labels(entry.action, data)
    text = f"{before or '—'} → {after or '—'}"
    if data.get("status") in Status.values:
        text += f" ({Status(data['status']).label})"
    return text
