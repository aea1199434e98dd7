"""Shared set-up for the duty-desk staff tests (admin views, consumer, live): departments,
categories, the three staff groups with admin access, and one user per role.

Plain functions (no fixtures here): each test module wraps them in its own fixtures.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from desk import actions
from desk.choices import GROUP_DUTY, GROUP_EDITORS, GROUP_SUPERVISORS
from desk.models import Category, Department

PASSWORD = "staff-test-password-1"


def _group(name):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    return group


def _user(username, group, departments=()):
    email = f"{username}@police.example"
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, email=email)
    user.groups.add(group)
    for department in departments:
        department.members.add(user)
    return user


def make_desk():
    """Departments, categories and users; returns a namespace with all of them."""
    traffic = Department.objects.create(slug="traffic", name_zh="交警支队", name_en="Traffic", is_default=True)
    household = Department.objects.create(slug="household", name_zh="户政", name_en="Household registration")
    supervision = Department.objects.create(
        slug="supervision", name_zh="督察", name_en="Supervision", is_supervision=True
    )
    fines = Category.objects.create(slug="traffic-fines", name_zh="交通罚款", name_en="Traffic fines")
    conduct = Category.objects.create(
        slug="police-conduct", name_zh="民警执法", name_en="Police conduct", kind="complaint", is_police_conduct=True
    )
    duty, supervisors, editors = _group(GROUP_DUTY), _group(GROUP_SUPERVISORS), _group(GROUP_EDITORS)
    return SimpleNamespace(
        traffic=traffic,
        household=household,
        supervision=supervision,
        fines=fines,
        conduct=conduct,
        duty=_user("duty_traffic", duty, [traffic]),
        duty2=_user("duty_traffic2", duty, [traffic]),
        other_duty=_user("duty_household", duty, [household]),
        inspector=_user("duty_supervision", duty, [supervision]),
        supervisor=_user("supervisor", supervisors),
        editor=_user("editor", editors),
    )


def file_request(subject="罚单疑问", kind="consultation", category="traffic-fines", **extra):
    """File an inquiry the way a citizen does (desk.actions.open_inquiry)."""
    data = {
        "kind": kind,
        "category": category,
        "subject": subject,
        "description": extra.pop("description", "我收到一张罚单，想了解如何缴纳。"),
        "name": "张三",
        "phone": "13800138000",
        "email": "citizen@example.com",
        "consent": True,
        **extra,
    }
    return actions.open_inquiry(**data)
