"""Who may see and change which inquiries.

- Supervisors (group "Supervisors", or a superuser) see every inquiry, reassign and read the
  audit log.
- Duty staff (group "Duty staff") see only the inquiries of the departments they are members of
  (Department.members). A confidential inquiry (complaint about police conduct) is visible only
  inside the supervision department.
- Everyone else (Editors, citizens) sees none.
"""

from django.db.models import Q

from .choices import GROUP_DUTY, GROUP_SUPERVISORS


def _group_names(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_desk_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._desk_group_names = cached
    return cached


def is_supervisor(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or GROUP_SUPERVISORS in _group_names(user)


def is_duty(user):
    return GROUP_DUTY in _group_names(user)


def is_desk_staff(user):
    """May use the duty desk at all (the /ws/desk/ socket, the Duty desk menu)."""
    return is_supervisor(user) or is_duty(user)


def department_ids(user):
    """Ids of the departments whose inquiries `user` works on (empty for non-staff)."""
    if not is_desk_staff(user):
        return set()
    cached = getattr(user, "_desk_department_ids", None)
    if cached is None:
        cached = set(user.desk_departments.values_list("pk", flat=True))
        user._desk_department_ids = cached
    return cached


def visible_inquiries(user, queryset=None):
    """The inquiries `user` may see."""
    from .models import Inquiry

    queryset = Inquiry.objects.all() if queryset is None else queryset
    if is_supervisor(user):
        return queryset
    if is_duty(user):
        ids = department_ids(user)
        return queryset.filter(department_id__in=ids).filter(Q(confidential=False) | Q(department__is_supervision=True))
    return queryset.none()


def can_view(user, inquiry):
    if is_supervisor(user):
        return True
    if not is_duty(user) or inquiry.department_id not in department_ids(user):
        return False
    return not inquiry.confidential or inquiry.department.is_supervision


can_act = can_view


def can_reassign(user, inquiry):
    """Supervisors reassign anything; Duty staff only an unassigned inquiry or their own."""
    if is_supervisor(user):
        return True
    return can_view(user, inquiry) and inquiry.assignee_id in (None, user.pk)


def can_be_assignee(user, inquiry):
    """An assignee must be able to see the inquiry."""
    return user is not None and user.is_active and can_view(user, inquiry)


def can_read_audit(user):
    return is_supervisor(user)


def allowed_departments(user):
    """Departments `user` may pick as a transfer target."""
    from .models import Department

    return Department.objects.all() if is_desk_staff(user) else Department.objects.none()


def supervised_department_ids(user):
    """Ids of the departments whose rating follow-ups `user` handles as a department supervisor."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_desk_supervised_ids", None)
    if cached is None:
        cached = set(user.desk_supervised_departments.values_list("pk", flat=True))
        user._desk_supervised_ids = cached
    return cached


def can_handle_follow_ups(user):
    """Sees the follow-up list: the bureau's Supervisors and department supervisors."""
    return is_supervisor(user) or bool(supervised_department_ids(user))


def visible_follow_ups(user, queryset=None):
    """The rating follow-ups `user` may see and record: all for Supervisors, their departments'
    for department supervisors, none for anyone else."""
    from .models import FollowUp

    queryset = FollowUp.objects.all() if queryset is None else queryset
    if is_supervisor(user):
        return queryset
    ids = supervised_department_ids(user)
    return queryset.filter(department_id__in=ids) if ids else queryset.none()


def can_follow_up(user, follow_up):
    return is_supervisor(user) or follow_up.department_id in supervised_department_ids(user)


def can_read_assessment(user):
    """The staff assessment (考评) is for the bureau's Supervisors only."""
    return is_supervisor(user)
