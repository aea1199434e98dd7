"""The "Duty desk" (值班台) menu and its admin URLs.

Shown to Duty staff and Supervisors only (Editors never see it); "Audit log" to Supervisors
only. The Queue item carries a badge-like count of the user's open, unassigned-or-mine items.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import admin_urls, permissions


class DeskStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_desk_staff(request.user)


class QueueMenuItem(DeskStaffMenuItem):
    """ "Queue (N)": N is the number of open items waiting for this user (overdue included)."""

    def render_component(self, request):
        from .queries import menu_badge_count

        count = menu_badge_count(request.user)
        label = f"{self.label} ({count})" if count else self.label
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_read_audit(request.user)


@hooks.register("register_admin_urls")
def register_desk_admin_urls():
    return [path("desk/", include(admin_urls, namespace="desk_admin"))]


@hooks.register("register_admin_menu_item")
def register_desk_menu():
    menu = Menu(
        items=[
            QueueMenuItem(_("Queue"), reverse("desk_admin:queue"), name="desk-queue", icon_name="list-ul", order=100),
            AuditMenuItem(
                _("Audit log"), reverse("desk_admin:audit"), name="desk-audit", icon_name="history", order=200
            ),
        ]
    )
    return SubmenuMenuItem(_("Duty desk"), menu, name="duty-desk", icon_name="tasks", order=150)
