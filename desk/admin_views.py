"""Duty desk views inside the Wagtail admin: the queue, an inquiry's page, the audit log.

Thin views: reading goes through `desk.permissions.visible_inquiries` (so a Duty officer of
another department gets a 404 for a complaint, exactly as for a reference that does not exist),
every change goes through `desk.actions` (validation, permission, timeline, audit, events).
"""

import csv

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.sanitize import clean_text, text_to_html

from . import actions, deadlines, events, permissions
from .choices import OPEN_STATUSES, RATING_INDICATORS, AuditAction, Channel, Kind, Priority, Status
from .models import AuditLog, Category, ComplaintOutcome, Department, Inquiry
from .names import audit_detail, change_labels, display_name
from .queries import DEFAULT_SCOPE, SCOPES, queue_counts

PAGE_SIZE = 25

# --- The queue -------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's GET parameters, validated (unknown values are ignored, never an error page)."""

    scope = forms.ChoiceField(
        label=_("Show"), required=False, choices=[(k, v[0]) for k, v in SCOPES.items()], widget=forms.HiddenInput
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Reference, text or phone"), "type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["status"].choices = anything + list(Status.choices)
        self.fields["kind"].choices = anything + list(Kind.choices)
        self.fields["category"].choices = anything + [(c.slug, c.name) for c in Category.objects.all()]
        self.fields["channel"].choices = anything + list(Channel.choices)

    def filtered(self, queryset, user, now):
        data = self.cleaned_data if self.is_valid() else {}
        scope = data.get("scope") or DEFAULT_SCOPE
        queryset = queryset.filter(SCOPES[scope][1](user, now))
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("category"):
            queryset = queryset.filter(category__slug=data["category"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        query = clean_text(data.get("q") or "")
        if query:
            condition = Q(reference__iexact=query) | Q(subject__icontains=query) | Q(description__icontains=query)
            digits = "".join(ch for ch in query if ch.isdigit())
            if len(digits) >= 4:
                condition |= Q(phone__contains=digits)
            if query.upper().startswith("YG"):
                condition |= Q(reference__icontains=query)
            queryset = queryset.filter(condition)
        return queryset


def forbidden(request):
    """A real 403 page in the admin's look. (Wagtail's own permission_denied redirects to the
    dashboard with a message, which hides from scripts and tests that access was refused.)"""
    return TemplateResponse(request, "desk/admin/forbidden.html", {"header_title": _("Access denied")}, status=403)


class DeskStaffRequiredMixin:
    """Duty staff and Supervisors only; Editors (and everyone else) get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_desk_staff(request.user):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)
        except Http404:
            # LocaleMiddleware would turn this 404 into a redirect to /zh-hans/admin/… (Wagtail's
            # page catch-all makes any prefixed path "valid"). Judged against a URLconf without
            # language prefixes it leaves the 404 alone (the same trick as desk.api).
            request.urlconf = "desk.admin_urls"
            raise


class QueueView(DeskStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "desk/admin/queue.html"
    fragment_template_name = "desk/admin/queue_results.html"
    page_title = _("Duty desk")
    page_subtitle = _("Queue")
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Duty desk")}]

    def get_template_names(self):
        # desk.js re-fetches only the list (counts, rows, pagination) with this header; a
        # header rather than a parameter keeps the pagination links of the fragment clean.
        if self.request.headers.get("X-Desk-Fragment"):
            return [self.fragment_template_name]
        return [self.template_name]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ["X-Desk-Fragment"])
        add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        # Read before the list: an event after this point makes desk.js re-fetch (see the
        # snapshot comparison in desk.js), so nothing filed while the socket opens is missed.
        last_event_id = cache.get(events.SEQ_KEY, 0)
        form = QueueFilterForm(self.request.GET)
        form.is_valid()
        scope = form.cleaned_data.get("scope") or DEFAULT_SCOPE
        queryset = (
            form.filtered(permissions.visible_inquiries(user), user, now)
            .select_related("category", "department", "assignee")
            .order_by("-urgent", "due_at", "-created_at")
        )
        paginator = Paginator(queryset, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        counts = queue_counts(user, now)
        params = self.request.GET.copy()
        page_params = params.copy()
        params.pop("p", None)
        scope_links = []
        for name, (label, _apply) in SCOPES.items():
            link = params.copy()
            link["scope"] = name
            scope_links.append(
                {
                    "name": name,
                    "label": label,
                    "count": counts[name],
                    "query": link.urlencode(),
                    "active": name == scope,
                }
            )
        context.update(
            {
                "form": form,
                "scope": scope,
                "scope_links": scope_links,
                "counts": counts,
                "page": page,
                "items": page,
                "elided_page_range": paginator.get_elided_page_range(page.number),
                "inquiries": page.object_list,
                "now": now,
                "query_string": params.urlencode(),
                "fragment_url": reverse("desk_admin:queue") + ("?" + page_params.urlencode() if page_params else ""),
                "is_supervisor": permissions.is_supervisor(user),
                "last_event_id": last_event_id,
                "missing_holiday_years": deadlines.missing_years(now),
                "open_statuses": list(OPEN_STATUSES),
                "holiday_schedules_url": reverse("wagtailsnippets_desk_holidayschedule:list"),
            }
        )
        return context


# --- An inquiry ------------------------------------------------------------------------------


def get_visible_inquiry(user, pk):
    """The inquiry if `user` may see it; 404 otherwise (never reveal that it exists)."""
    queryset = permissions.visible_inquiries(user).select_related("category", "department", "assignee")
    try:
        return queryset.get(pk=pk)
    except Inquiry.DoesNotExist:
        raise Http404(_("No such inquiry.")) from None


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Public reply"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    find = forms.CharField(
        label=_("Find a canned reply"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words of the question or answer")}),
    )
    canned = forms.ChoiceField(label=_("Canned reply (published FAQ)"), required=False)

    def __init__(self, *args, faqs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.faqs = {str(faq.pk): faq for faq in faqs}
        self.fields["canned"].choices = [("", _("Choose an FAQ answer…"))] + [
            (str(faq.pk), faq.question) for faq in faqs
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, user=None, inquiry=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = permissions.allowed_departments(user)
        if inquiry is not None:
            queryset = queryset.exclude(pk=inquiry.department_id)
        self.fields["department"].queryset = queryset


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in candidates}
        self.fields["assignee"].choices = [(str(u.pk), display_name(u)) for u in candidates]


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for closing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CaseFileForm(forms.Form):
    case_file = forms.BooleanField(
        label=_("Part of a case file"),
        required=False,
        help_text=_("Kept under the case-file rules: the retention job never anonymises it."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("complaint", "Outcome"),
        choices=[("", "—"), *ComplaintOutcome.Outcome.choices],
    )


ACTION_MESSAGES = {
    "claim": _("You claimed this inquiry."),
    "assign": _("Inquiry assigned."),
    "transfer": _("Inquiry transferred."),
    "reply": _("Reply sent to the citizen."),
    "note": _("Internal note added."),
    "priority": _("Priority changed."),
    "close": _("Inquiry closed."),
    "reopen": _("Inquiry reopened."),
    "junk": _("Inquiry marked as junk."),
    "case_file": _("Case file setting saved."),
    "outcome": _("Complaint outcome recorded."),
}


class InquiryView(DeskStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """An inquiry's page: text, contact details (viewing is audited), timeline, actions."""

    template_name = "desk/admin/inquiry.html"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.bound_forms = {}

    def get_inquiry(self):
        if not hasattr(self, "inquiry"):
            self.inquiry = get_visible_inquiry(self.request.user, self.kwargs["pk"])
        return self.inquiry

    def get_page_title(self):
        return self.get_inquiry().reference

    def get_page_subtitle(self):
        return self.get_inquiry().subject

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("desk_admin:queue"), "label": _("Duty desk")},
            {"url": "", "label": self.get_inquiry().reference},
        ]

    # Forms ------------------------------------------------------------------------------------

    def faqs(self, query=""):
        """Published FAQs in the inquiry's language; with `query`, those whose question, answer
        or key contain it."""
        from cms.models import FAQ

        queryset = FAQ.objects.filter(live=True, locale__language_code=self.get_inquiry().lang)
        query = clean_text(query or "").strip()
        if query:
            queryset = queryset.filter(
                Q(question__icontains=query) | Q(answer__icontains=query) | Q(key__icontains=query)
            )
        return list(queryset.select_related("category").order_by("question")[:300])

    def assign_candidates(self):
        from django.contrib.auth import get_user_model

        inquiry = self.get_inquiry()
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name__in=["Duty staff", "Supervisors"]) | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )
        return [user for user in users if permissions.can_be_assignee(user, inquiry)]

    def make_form(self, name, data=None):
        if name in self.bound_forms:
            return self.bound_forms[name]
        inquiry = self.get_inquiry()
        user = self.request.user
        if name == "reply":
            return ReplyForm(data, faqs=self.faqs(), prefix="reply")
        if name == "note":
            return NoteForm(data, prefix="note")
        if name == "transfer":
            return TransferForm(data, user=user, inquiry=inquiry, prefix="transfer")
        if name == "assign":
            return AssignForm(data, candidates=self.assign_candidates(), prefix="assign")
        if name == "priority":
            return PriorityForm(data, initial={"priority": inquiry.priority}, prefix="priority")
        if name == "close":
            return CloseForm(data, prefix="close")
        if name in ("reopen", "junk", "claim"):
            return ReasonForm(data, prefix=name)
        if name == "case_file":
            return CaseFileForm(data, initial={"case_file": inquiry.case_file}, prefix="case_file")
        if name == "outcome":
            current = getattr(_related(inquiry, "complaint_outcome"), "outcome", "")
            return OutcomeForm(data, initial={"outcome": current}, prefix="outcome")
        raise Http404

    # Reading ----------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        inquiry = self.get_inquiry()
        actions.view_inquiry(request.user, inquiry, client_address=getattr(request, "client_address", ""))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.get_inquiry()
        user = self.request.user
        timeline = list(inquiry.timeline.select_related("author").order_by("created_at", "pk"))
        for entry in timeline:
            entry.text_html = text_to_html(entry.text)
            entry.public_reason_html = text_to_html(entry.public_reason)
            entry.change_from, entry.change_to = change_labels(entry)
        is_supervisor = permissions.is_supervisor(user)
        context.update(self.sunshine_context(inquiry, user))
        context.update(
            {
                "inquiry": inquiry,
                "description_html": text_to_html(inquiry.description),
                "timeline": timeline,
                "notifications": list(inquiry.notifications.order_by("-created_at", "-pk")),
                "conversations": list(_conversations(inquiry)),
                "is_supervisor": is_supervisor,
                "can_reassign": permissions.can_reassign(user, inquiry),
                "is_open": inquiry.status in OPEN_STATUSES or inquiry.status == Status.REPLIED,
                "is_closed": inquiry.status in (Status.CLOSED, Status.JUNK),
                "forms": {
                    name: self.make_form(name)
                    for name in (
                        "reply",
                        "note",
                        "transfer",
                        "assign",
                        "priority",
                        "close",
                        "reopen",
                        "junk",
                        "case_file",
                        "outcome",
                    )
                    if (name not in ("assign", "case_file") or is_supervisor)
                    and (name != "outcome" or _is_conduct_complaint(inquiry))
                },
                "now": timezone.now(),
            }
        )
        return context

    def sunshine_context(self, inquiry, user):
        """The citizen's 好差评 rating, its follow-up task and, for a complaint about police
        conduct, the complaint outcome (issue 11). The page itself is only for staff who may see
        the inquiry (`get_visible_inquiry`)."""
        rating = _related(inquiry, "rating")
        follow_up = _related(inquiry, "follow_up")
        conduct = _is_conduct_complaint(inquiry)
        return {
            "rating": rating,
            "rating_comment_html": text_to_html(rating.comment) if rating else "",
            "rating_indicators": [(label, getattr(rating, name)) for name, label in RATING_INDICATORS.items()]
            if rating
            else [],
            "follow_up": follow_up,
            "follow_up_fix_html": text_to_html(follow_up.fix) if follow_up else "",
            "follow_up_note_html": text_to_html(follow_up.call_note) if follow_up else "",
            "can_follow_up": follow_up is not None and permissions.can_follow_up(user, follow_up),
            "is_conduct_complaint": conduct,
            "complaint_outcome": _related(inquiry, "complaint_outcome") if conduct else None,
        }

    # Acting -----------------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        inquiry = self.get_inquiry()
        action = request.POST.get("action", "")
        if action not in ACTION_MESSAGES:
            raise Http404
        form = self.make_form(action, request.POST)
        if action == "reply" and "insert" in request.POST:
            return self._insert_canned(form)
        if action == "reply" and "find_canned" in request.POST:
            return self._find_canned(form)
        if action in ("assign", "case_file") and not permissions.is_supervisor(request.user):
            return forbidden(request)
        if not form.is_valid():
            return self._rerender(action, form)
        try:
            self.perform(action, inquiry, form.cleaned_data, form)
        except actions.ValidationError as error:
            for field, errors in _error_items(error):
                form.add_error(field if field in form.fields else None, errors)
            return self._rerender(action, form)
        messages.success(request, ACTION_MESSAGES[action])
        inquiry.refresh_from_db()
        if not permissions.can_view(request.user, inquiry):
            # Transferred to a department the officer is not in: back to the queue, not a 404.
            return redirect("desk_admin:queue")
        return redirect("desk_admin:inquiry", pk=inquiry.pk)

    def perform(self, action, inquiry, data, form):
        user = self.request.user
        address = getattr(self.request, "client_address", "")
        if action == "claim":
            actions.claim(user, inquiry, client_address=address)
        elif action == "assign":
            actions.assign(user, inquiry, form.candidates[data["assignee"]], client_address=address)
        elif action == "transfer":
            actions.transfer(user, inquiry, data["department"], data["reason"], client_address=address)
        elif action == "reply":
            actions.reply(user, inquiry, data["text"], client_address=address)
        elif action == "note":
            actions.note(user, inquiry, data["text"], client_address=address)
        elif action == "priority":
            actions.set_priority(user, inquiry, data["priority"], client_address=address)
        elif action == "close":
            actions.close(user, inquiry, data["reason"], client_address=address)
        elif action == "reopen":
            actions.reopen(user, inquiry, data.get("reason", ""), client_address=address)
        elif action == "junk":
            actions.mark_junk(user, inquiry, data.get("reason", ""), client_address=address)
        elif action == "case_file":
            actions.set_case_file(user, inquiry, data["case_file"], data.get("reason", ""), client_address=address)
        elif action == "outcome":
            actions.set_complaint_outcome(user, inquiry, data["outcome"], client_address=address)

    def _insert_canned(self, form):
        """No-JS path of the canned-reply select: put the FAQ's answer into the textarea."""
        data = form.data.copy()
        faq = form.faqs.get(form.data.get("reply-canned", ""))
        if faq is not None:
            current = form.data.get("reply-text", "").rstrip()
            answer = faq.answer_text
            data["reply-text"] = f"{current}\n\n{answer}" if current else answer
        fresh = ReplyForm(data, faqs=list(form.faqs.values()), prefix="reply")
        fresh.is_bound = False  # show it filled, without "this field is required" errors
        fresh.initial = {"text": data.get("reply-text", ""), "canned": data.get("reply-canned", "")}
        self.bound_forms["reply"] = fresh
        return self.render_to_response(self.get_context_data(open_form="reply"))

    def _find_canned(self, form):
        """No-JS path of the canned-reply search: list only the FAQs that match, keep the text."""
        query = form.data.get("reply-find", "")
        fresh = ReplyForm(faqs=self.faqs(query), prefix="reply")
        fresh.initial = {"text": form.data.get("reply-text", ""), "find": query}
        self.bound_forms["reply"] = fresh
        return self.render_to_response(self.get_context_data(open_form="reply"))

    def _rerender(self, action, form):
        self.bound_forms[action] = form
        response = self.render_to_response(self.get_context_data(open_form=action))
        response.status_code = 400
        return response


def _related(inquiry, name):
    """The reverse one-to-one `name` (rating, follow_up, complaint_outcome), or None."""
    try:
        return getattr(inquiry, name)
    except ObjectDoesNotExist:
        return None


def _is_conduct_complaint(inquiry):
    return inquiry.kind == Kind.COMPLAINT and inquiry.category_id is not None and inquiry.category.is_police_conduct


def _error_items(error):
    """Field → messages from desk.actions.ValidationError (a dict-like error)."""
    detail = getattr(error, "errors", None) or getattr(error, "message_dict", None)
    if detail is None and error.args and isinstance(error.args[0], dict):
        detail = error.args[0]
    if isinstance(detail, dict):
        return [
            (field, [str(m) for m in (msgs if isinstance(msgs, list | tuple) else [msgs])])
            for field, msgs in detail.items()
        ]
    return [(None, [str(error)])]


def _conversations(inquiry):
    """The chat conversations this inquiry came from (chatbot.Conversation), if any."""
    related = getattr(inquiry, "conversations", None)
    if related is None:
        return []
    return related.order_by("-created_at")[:5]


# --- Audit log -------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=pgettext_lazy("desk", "Action"), required=False)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=20)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=pgettext_lazy("desk", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    personal = forms.BooleanField(label=_("Only views of personal data"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any"))] + list(AuditAction.choices)

    def filtered(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("user"):
            queryset = queryset.filter(username__icontains=data["user"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("reference"):
            queryset = queryset.filter(reference__icontains=data["reference"].strip())
        if data.get("date_from"):
            queryset = queryset.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(created_at__date__lte=data["date_to"])
        if data.get("personal"):
            queryset = queryset.filter(personal_data_viewed=True)
        return queryset


class SupervisorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_read_audit(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class AuditLogView(SupervisorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "desk/admin/audit.html"
    page_title = _("Audit log")
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("desk_admin:queue"), "label": _("Duty desk")},
            {"url": "", "label": _("Audit log")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET)
        entries = form.filtered(AuditLog.objects.select_related("inquiry", "user").order_by("-created_at", "-pk"))
        paginator = Paginator(entries, 50)
        page = paginator.get_page(self.request.GET.get("p"))
        for entry in page:
            entry.detail_display = audit_detail(entry)
        params = self.request.GET.copy()
        params.pop("p", None)
        context.update(
            {
                "form": form,
                "page": page,
                "items": page,
                "elided_page_range": paginator.get_elided_page_range(page.number),
                "export_url": reverse("desk_admin:audit_export") + ("?" + params.urlencode() if params else ""),
            }
        )
        return context


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = ["time", "user", "action", "reference", "personal_data_viewed", "detail", "client_address"]


def _csv_safe(value):
    """Neutralize spreadsheet formulas (=, +, -, @ at the start of a cell)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def audit_export(request):
    """The audit log (with the same filters as the page) as a streamed CSV file."""
    if not permissions.can_read_audit(request.user):
        return forbidden(request)
    form = AuditFilterForm(request.GET)
    entries = form.filtered(AuditLog.objects.order_by("created_at", "pk"))
    actions.record_audit(
        request.user,
        AuditAction.EXPORT,
        detail=f"audit log CSV; filters: {request.GET.urlencode() or '-'}",
        client_address=getattr(request, "client_address", ""),
    )
    writer = csv.writer(_Echo())
    tz = timezone.get_current_timezone()

    def rows():
        yield "\ufeff"  # BOM: spreadsheet programs then read the Chinese text as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        for entry in entries.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.created_at, tz).isoformat(),
                    _csv_safe(entry.username),
                    entry.action,
                    _csv_safe(entry.reference),
                    "yes" if entry.personal_data_viewed else "no",
                    _csv_safe(entry.detail),
                    _csv_safe(entry.client_address),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="desk-audit-{stamp}.csv"'
    return response
