"""The "Sunshine" (阳光警务) admin menu: follow-ups for department supervisors and Supervisors;
the staff assessment and the junk/complaint review for Supervisors only."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from desk import permissions

from . import admin_urls


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_handle_follow_ups(request.user)


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_read_assessment(request.user)


class SunshineMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return permissions.can_handle_follow_ups(request.user)


@hooks.register("register_admin_urls")
def register_sunshine_admin_urls():
    return [path("sunshine/", include(admin_urls, namespace="sunshine_admin"))]


@hooks.register("register_admin_menu_item")
def register_sunshine_menu():
    menu = Menu(
        items=[
            FollowUpMenuItem(
                _("Rating follow-ups"),
                reverse("sunshine_admin:follow_ups"),
                name="sunshine-follow-ups",
                icon_name="warning",
                order=100,
            ),
            SupervisorMenuItem(
                _("Staff assessment"),
                reverse("sunshine_admin:assessment"),
                name="sunshine-assessment",
                icon_name="user",
                order=200,
            ),
            SupervisorMenuItem(
                _("Junk and complaint review"),
                reverse("sunshine_admin:review"),
                name="sunshine-review",
                icon_name="check",
                order=300,
            ),
        ]
    )
    return SunshineMenu(_("Sunshine"), menu, name="sunshine", icon_name="view", order=160)
