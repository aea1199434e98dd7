"""Sunshine's staff pages in the Wagtail admin: rating follow-ups (department supervisors and
the bureau's Supervisors), the staff assessment (Supervisors only, every view and export
audited), overturning junk markings and recording complaint outcomes (Supervisors).

Thin views: reading starts from `desk.permissions`, every change goes through `desk.actions`.
"""

import csv
import io

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from desk import actions, permissions
from desk.admin_views import forbidden
from desk.choices import AuditAction, EntryKind, Status
from desk.models import ComplaintOutcome, FollowUp, Inquiry, TimelineEntry

from . import assessment, stats


def _month_param(request):
    parsed = stats.parse_month(request.GET.get("month", ""))
    if parsed:
        return parsed
    local = timezone.localtime(timezone.now(), stats.bureau_tz())
    return local.year, local.month


class _Guarded:
    allowed = staticmethod(permissions.is_supervisor)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return forbidden(request)
        try:
            response = super().dispatch(request, *args, **kwargs)
        except actions.PermissionDenied:
            return forbidden(request)
        except Http404:
            request.urlconf = "sunshine.admin_urls"
            raise
        add_never_cache_headers(response)
        return response


# --- follow-ups ------------------------------------------------------------------------------


class FollowUpForm(forms.Form):
    called_back_at = forms.DateTimeField(
        label=_("Called back at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    call_note = forms.CharField(
        label=_("Call-back notes (internal)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    fix = forms.CharField(
        label=_("What was done (shown to the citizen)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FollowUpListView(_Guarded, WagtailAdminTemplateMixin, TemplateView):
    allowed = staticmethod(permissions.can_handle_follow_ups)
    template_name = "sunshine/admin/follow_ups.html"
    page_title = _("Rating follow-ups")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = permissions.visible_follow_ups(self.request.user).select_related(
            "inquiry", "department", "rating", "done_by"
        )
        context.update(
            {
                "open_tasks": list(visible.open().order_by("due_at", "pk")),
                "done_tasks": list(visible.filter(done_at__isnull=False).order_by("-done_at")[:50]),
                "now": timezone.now(),
            }
        )
        return context


class FollowUpView(_Guarded, WagtailAdminTemplateMixin, TemplateView):
    allowed = staticmethod(permissions.can_handle_follow_ups)
    template_name = "sunshine/admin/follow_up.html"
    page_title = _("Rating follow-up")
    header_icon = "warning"

    def get_task(self):
        queryset = permissions.visible_follow_ups(self.request.user).select_related("inquiry", "department", "rating")
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except FollowUp.DoesNotExist:
            raise Http404(_("No such follow-up.")) from None

    def get_page_subtitle(self):
        return self.get_task().inquiry.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_open"] = permissions.can_view(self.request.user, kwargs["task"].inquiry)
        return context

    def get(self, request, *args, **kwargs):
        task = self.get_task()
        # The page shows the citizen's contact details (to call back): a view of personal data.
        actions.record_audit(
            request.user,
            AuditAction.VIEW,
            task.inquiry,
            client_address=request.client_address,
            personal_data_viewed=True,
            detail="rating follow-up",
        )
        local = timezone.localtime(timezone.now())
        form = FollowUpForm(initial={"called_back_at": local.replace(second=0, microsecond=0, tzinfo=None)})
        return self.render_to_response(self.get_context_data(task=task, form=form))

    def post(self, request, *args, **kwargs):
        task = self.get_task()
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                actions.record_follow_up(
                    request.user,
                    task,
                    fix=form.cleaned_data["fix"],
                    call_note=form.cleaned_data["call_note"],
                    called_back_at=form.cleaned_data["called_back_at"],
                    client_address=request.client_address,
                )
            except actions.ValidationError as exc:
                for name, errors in exc.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(
                    request, _("The follow-up of %(reference)s is recorded.") % {"reference": task.inquiry.reference}
                )
                return redirect("sunshine_admin:follow_ups")
        response = self.render_to_response(self.get_context_data(task=task, form=form))
        response.status_code = 400
        return response


# --- staff assessment ------------------------------------------------------------------------


class AssessmentView(_Guarded, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sunshine/admin/assessment.html"
    page_title = _("Staff assessment")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = _month_param(self.request)
        key = f"{year:04d}-{month:02d}"
        actions.record_audit(
            self.request.user,
            AuditAction.ASSESSMENT,
            detail=f"viewed {key}",
            client_address=self.request.client_address,
        )
        context.update(
            {
                "month": key,
                "months": stats.last_months(count=12)[::-1],
                "result": assessment.assess(year, month),
                "levels": ["5", "4", "3", "2", "1"],
                "export_url": reverse("sunshine_admin:assessment_export") + f"?month={key}",
            }
        )
        return context


ASSESSMENT_COLUMNS = [
    "scope",
    "key",
    "name",
    "month",
    "handled",
    "closed_on_time_pct",
    "median_first_reply_days",
    "ratings_5",
    "ratings_4",
    "ratings_3",
    "ratings_2",
    "ratings_1",
    "bad_ratings",
    "follow_ups_done",
    "reopened",
    "junk",
    "junk_overturned",
]


def _csv_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def assessment_export(request):
    if not permissions.can_read_assessment(request.user):
        return forbidden(request)
    year, month = _month_param(request)
    key = f"{year:04d}-{month:02d}"
    actions.record_audit(
        request.user, AuditAction.EXPORT, detail=f"staff assessment {key}", client_address=request.client_address
    )
    result = assessment.assess(year, month)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ASSESSMENT_COLUMNS)
    for scope in ("departments", "officers"):
        for row in result[scope]:
            flat = {**row, "scope": scope[:-1], "month": key, **{f"ratings_{k}": v for k, v in row["ratings"].items()}}
            writer.writerow([_csv_safe(flat[column]) for column in ASSESSMENT_COLUMNS])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="staff-assessment-{key}.csv"'
    add_never_cache_headers(response)
    return response


# --- junk markings and complaint outcomes (Supervisors) ---------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why the marking was wrong"), max_length=1000)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("sunshine", "Outcome"), choices=ComplaintOutcome.Outcome.choices)


class ReviewView(_Guarded, WagtailAdminTemplateMixin, TemplateView):
    """Requests marked as junk (overturn a wrong marking) and closed complaints about police
    conduct without an outcome yet."""

    template_name = "sunshine/admin/review.html"
    page_title = _("Junk markings and complaint outcomes")
    header_icon = "check"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        junk = list(
            Inquiry.objects.filter(status=Status.JUNK).select_related("department").order_by("-closed_at")[:100]
        )
        markers = {}
        for entry in (
            TimelineEntry.objects.filter(inquiry__in=junk, kind=EntryKind.JUNK)
            .select_related("author")
            .order_by("created_at")
        ):
            markers[entry.inquiry_id] = entry
        complaints = (
            Inquiry.objects.filter(status=Status.CLOSED, kind="complaint", category__is_police_conduct=True)
            .filter(complaint_outcome__isnull=True)
            .select_related("department")
            .order_by("-closed_at")[:100]
        )
        context.update(
            {
                "junk": [(inquiry, markers.get(inquiry.pk)) for inquiry in junk],
                "complaints": complaints,
                "reason_form": kwargs.get("reason_form") or ReasonForm(),
                "outcome_form": OutcomeForm(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        inquiry = Inquiry.objects.filter(pk=request.POST.get("inquiry")).first()
        if inquiry is None:
            raise Http404(_("No such inquiry."))
        if request.POST.get("action") == "overturn":
            form = ReasonForm(request.POST)
            if form.is_valid():
                try:
                    actions.overturn_junk(
                        request.user, inquiry, form.cleaned_data["reason"], client_address=request.client_address
                    )
                    messages.success(
                        request,
                        _("The junk marking of %(reference)s was overturned.") % {"reference": inquiry.reference},
                    )
                except actions.ValidationError as exc:
                    messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
            else:
                messages.error(request, _("Give the reason."))
        elif request.POST.get("action") == "outcome":
            form = OutcomeForm(request.POST)
            if form.is_valid():
                try:
                    actions.set_complaint_outcome(
                        request.user, inquiry, form.cleaned_data["outcome"], client_address=request.client_address
                    )
                    messages.success(
                        request, _("The outcome of %(reference)s is recorded.") % {"reference": inquiry.reference}
                    )
                except actions.ValidationError as exc:
                    messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("sunshine_admin:review")
