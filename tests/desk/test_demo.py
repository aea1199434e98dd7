"""desk.demo.seed(): the demo configuration and inquiries, idempotent."""

import pytest
from django.contrib.auth.models import Group, User

from desk import demo
from desk.models import AuditLog, Category, Department, Inquiry, ResponseTimeLimit, RoutingRule, TimelineEntry
from desk.permissions import visible_inquiries

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count() for m in (Department, Category, RoutingRule, ResponseTimeLimit, Inquiry, TimelineEntry)
    ] + [AuditLog.objects.count()]


def test_seed_builds_a_working_desk_and_a_second_run_changes_nothing():
    for name, group in (("duty", "Duty staff"), ("supervisor", "Supervisors")):
        user = User.objects.create_user(name, f"{name}@police.example", "pw")
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    assert Department.objects.get(is_supervision=True).slug == "supervision"
    statuses = set(Inquiry.objects.values_list("status", flat=True))
    assert statuses >= {"new", "assigned", "in_progress", "replied", "closed"}
    conduct = Inquiry.objects.get(confidential=True)
    duty = User.objects.get(username="duty")
    supervisor = User.objects.get(username="supervisor")
    assert conduct not in visible_inquiries(duty)
    assert conduct in visible_inquiries(supervisor)
    assert visible_inquiries(duty).exists()
    assert Group.objects.get(name="Supervisors").permissions.filter(codename="change_routingrule").exists()
