"""Background work of 好差评: escalate rating follow-ups that are past their due date to the
bureau's Supervisors (run by `desk_worker` with the overdue escalation, every minute)."""

from django.utils import timezone


def escalate_overdue_follow_ups(now=None):
    """Escalate every overdue, not yet escalated follow-up once; returns how many."""
    from .actions import escalate_follow_up
    from .models import FollowUp

    now = now or timezone.now()
    count = 0
    for task in FollowUp.objects.overdue(now).filter(escalated_at__isnull=True).only("pk"):
        if escalate_follow_up(task, now=now):
            count += 1
    return count
