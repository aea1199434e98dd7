"""Admin editing of the desk's configuration: departments (and their members), categories,
routing rules, response time limits and holiday schedules, as Wagtail snippets grouped under
"Desk settings".

Imported from DeskConfig.ready(); the Duty desk menu itself is in desk/wagtail_hooks.py.
Supervisors get the model permissions from `desk.demo.grant_config_permissions`.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, Department, HolidaySchedule, ResponseTimeLimit, RoutingRule, StaffProfile
from .names import display_name


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name_zh", "name_en", "slug", "is_supervision", "is_default"]
    search_fields = ["name_zh", "name_en", "slug"]
    panels = [
        FieldPanel("name_zh"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("is_supervision"),
        FieldPanel("is_default"),
        FieldPanel("members"),
        FieldPanel("supervisors"),
    ]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = pgettext_lazy("desk", "Categories")
    list_display = ["name_zh", "name_en", "slug", "kind", "is_police_conduct", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name_zh", "name_en", "slug"]


class RoutingRuleViewSet(SnippetViewSet):
    model = RoutingRule
    icon = "redirect"
    menu_label = _("Routing rules")
    list_display = ["__str__", "kind", "category", "department"]
    list_filter = ["kind", "department"]


class ResponseTimeLimitViewSet(SnippetViewSet):
    model = ResponseTimeLimit
    icon = "time"
    menu_label = _("Response time limits")
    list_display = ["__str__", "kind", "category", "working_days"]
    list_filter = ["kind"]


class HolidayScheduleForm(WagtailAdminModelForm):
    """Every date belongs to the schedule's year, and appears once. (Checked after the inline
    forms are cleaned: ClusterForm validates them after the form's own clean().)"""

    def is_valid(self):
        valid = super().is_valid()
        year = self.cleaned_data.get("year") if hasattr(self, "cleaned_data") else None
        seen = set()
        for form in self.formsets["days"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            day = data.get("date")
            if day is None or data.get("DELETE"):
                continue
            if year and day.year != year:
                form.add_error("date", _("This date is not in %(year)s.") % {"year": year})
                valid = False
            elif day in seen:
                form.add_error("date", _("This date is already in the schedule."))
                valid = False
            seen.add(day)
        return valid


class HolidayScheduleViewSet(SnippetViewSet):
    model = HolidaySchedule
    icon = "date"
    menu_label = _("Holiday schedules")
    list_display = ["year", "note"]
    edit_handler = ObjectList(
        [
            FieldPanel("year"),
            FieldPanel("note"),
            InlinePanel(
                "days",
                label=_("Holidays and make-up working days"),
                panels=[FieldRowPanel([FieldPanel("date"), FieldPanel("kind"), FieldPanel("name")])],
            ),
        ],
        base_form_class=HolidayScheduleForm,
    )


class StaffProfileViewSet(SnippetViewSet):
    """Badge numbers (警号): citizens see an officer's badge number, never the name."""

    model = StaffProfile
    icon = "user"
    menu_label = _("Badge numbers")
    list_display = [
        TitleColumn("user", label=_("Staff member"), accessor=lambda profile: display_name(profile.user)),
        "badge_number",
    ]
    search_fields = ["badge_number", "user__username", "user__first_name", "user__last_name"]
    panels = [FieldPanel("user"), FieldPanel("badge_number")]


class DeskSettingsGroup(SnippetViewSetGroup):
    menu_label = _("Desk settings")
    menu_icon = "cog"
    menu_order = 910
    items = (
        DepartmentViewSet,
        CategoryViewSet,
        RoutingRuleViewSet,
        ResponseTimeLimitViewSet,
        HolidayScheduleViewSet,
        StaffProfileViewSet,
    )


def register():
    register_snippet(DeskSettingsGroup)
