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


def test_the_demo_supervisor_supervises_every_department_and_is_emailed_the_follow_up_task(client):
    """Issue 11: in the demo the supervisor user is each department's supervisor, so a bad rating
    e-mails them the new follow-up task and they see it on the Sunshine follow-up list."""
    from django.urls import reverse

    from desk import actions
    from desk.choices import NotificationPurpose
    from desk.models import FollowUp, Notification
    from desk.permissions import visible_follow_ups

    for name, group in (("duty", "Duty staff"), ("supervisor", "Supervisors")):
        user = User.objects.create_user(name, f"{name}@police.example", "pw")
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    demo.seed()
    supervisor = User.objects.get(username="supervisor")
    assert all(supervisor in department.supervisors.all() for department in Department.objects.all())

    # The seeded closed request was rated 不满意: its follow-up task waits for the supervisor.
    seeded = FollowUp.objects.get()
    assert seeded.rating.score == 2 and seeded.inquiry.status == "closed"
    assert Notification.objects.filter(
        inquiry=seeded.inquiry, purpose=NotificationPurpose.FOLLOW_UP, recipient="supervisor@police.example"
    ).exists()

    # A request of another department, closed and rated 非常不满意 later, e-mails the supervisor too.
    inquiry = actions.open_inquiry(
        kind="consultation",
        category="passport-travel",
        subject="护照",
        description="请问护照办理进度在哪里可以查询？",
        phone="13800000009",
        lang="zh-hans",
        consent=True,
    ).inquiry
    assert inquiry.department.slug == "exit-entry"
    actions.claim(supervisor, inquiry)
    actions.close(supervisor, inquiry, "已答复。")
    actions.rate_inquiry(inquiry, 1, "没人回电话")
    mail = Notification.objects.get(inquiry=inquiry, purpose=NotificationPurpose.FOLLOW_UP)
    assert mail.recipient == "supervisor@police.example"
    assert inquiry.reference in mail.subject
    assert set(visible_follow_ups(supervisor).values_list("inquiry__reference", flat=True)) == {
        seeded.inquiry.reference,
        inquiry.reference,
    }
    from django.contrib.auth.models import Permission

    admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    Group.objects.get(name="Supervisors").permissions.add(admin)  # as cms.demo.users gives it
    client.force_login(supervisor)
    response = client.get(reverse("sunshine_admin:follow_ups"))
    assert response.status_code == 200
    page = response.content.decode()
    assert inquiry.reference in page and seeded.inquiry.reference in page
