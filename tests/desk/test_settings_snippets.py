"""Desk settings in the admin: Supervisors edit routing rules, departments, categories and time
limits; Duty staff cannot."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from desk import demo
from desk.models import RoutingRule
from desk.routing_rules import route

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_supervisor(supervisor):
    supervisor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    demo.grant_config_permissions()
    return supervisor


def test_supervisor_edits_a_routing_rule_in_the_admin_and_routing_follows(client, admin_supervisor, desk_config):
    departments, categories = desk_config["departments"], desk_config["categories"]
    client.force_login(admin_supervisor)
    listing = client.get(reverse("wagtailsnippets_desk_routingrule:list"))
    assert listing.status_code == 200
    rule = RoutingRule.objects.get(kind="", category=categories["fraud"])
    response = client.post(
        reverse("wagtailsnippets_desk_routingrule:edit", args=[rule.pk]),
        {"kind": "", "category": categories["fraud"].pk, "department": departments["public-order"].pk},
    )
    assert response.status_code == 302
    assert route("consultation", categories["fraud"]).department == departments["public-order"]
    for model in ("department", "category", "responsetimelimit"):
        assert client.get(reverse(f"wagtailsnippets_desk_{model}:list")).status_code == 200


def test_duty_staff_cannot_edit_desk_settings(client, duty):
    duty.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(duty)
    assert client.get(reverse("wagtailsnippets_desk_routingrule:list")).status_code in (302, 403)
