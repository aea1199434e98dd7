"""Chat pages inside the Wagtail admin.

- "Live chats" (Duty staff, Supervisors): conversations waiting for an officer, live, or urgent;
  a live-chat page per conversation (transcript + chat box over /ws/chat/staff/<id>/; the same
  actions also work as plain form posts).
- "Unanswered questions" (Editors, Supervisors): what citizens asked that the assistant could not
  answer, with counts, sortable, filtered by language.
- "Answer feedback" (Editors, Supervisors): 👍/👎 counts per answer.

Views are thin: conversations are read through `service.visible_conversations` (the desk's
department rule), every change goes through chatbot.service.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import service
from .models import Conversation, Feedback, Message, UnansweredQuestion
from .service import ChatError

PAGE_SIZE = 50
RECENT = timedelta(hours=24)


def is_editor(user):
    """Editors (and Supervisors, superusers) read the content reports."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=("Editors", "Supervisors")).exists()


class ChatStaffRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not service.is_chat_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EditorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def live_conversations(user, now=None):
    """What an officer should look at: waiting or live chats, and urgent ones of the last day."""
    now = now or timezone.now()
    active = Q(status__in=(Conversation.Status.WAITING, Conversation.Status.LIVE))
    urgent = Q(urgent=True, updated_at__gte=now - RECENT) & ~Q(status=Conversation.Status.CLOSED)
    # Citizens waiting for an officer come first, longest wait first (urgent ones before the
    # others), then live chats, then the day's other urgent conversations.
    rank = Case(
        When(status=Conversation.Status.WAITING, then=Value(0)),
        When(status=Conversation.Status.LIVE, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        service.visible_conversations(user)
        .filter(active | urgent)
        .order_by(rank, "-urgent", "handover_requested_at", "-updated_at")
    )


class LiveChatsView(ChatStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "chatbot/admin/live_chats.html"
    page_title = _("Live chats")
    header_icon = "comment"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Live chats")}]

    def get_context_data(self, **kwargs):
        from desk.presence import on_duty_count

        context = super().get_context_data(**kwargs)
        conversations = list(live_conversations(self.request.user)[:200])
        previews = {}
        for msg in (
            Message.objects.filter(conversation__in=conversations, sender=Message.Sender.CITIZEN)
            .order_by("conversation_id", "-seq")
            .values("conversation_id", "text")
        ):
            previews.setdefault(msg["conversation_id"], service.mask_access_codes(msg["text"]))
        # The citizen's last question (the engine keeps it), not the words of the last button
        # pressed ("确定转人工"); the last message when no question was asked.
        context["conversations"] = [
            (c, service.mask_access_codes((c.state or {}).get("last_question") or previews.get(c.pk, "")))
            for c in conversations
        ]
        context["now"] = timezone.now()
        context["on_duty"] = on_duty_count()
        return context


class LiveChatView(ChatStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """One conversation for an officer: the transcript, join/leave, and a chat box."""

    template_name = "chatbot/admin/live_chat.html"
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not service.is_chat_staff(request.user):
            raise PermissionDenied
        self.conversation = service.visible_conversations(request.user).filter(public_id=kwargs["pk"]).first()
        if self.conversation is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Chat %(id)s") % {"id": self.conversation.short_id}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("chatbot_admin:live_chats"), "label": _("Live chats")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        conv, user = self.conversation, request.user
        try:
            if action == "join":
                service.staff_join(conv, user)
            elif action == "leave":
                service.staff_leave(conv, user)
            elif action == "message":
                service.staff_message(conv, user, request.POST.get("text", ""), request.POST.get("id", ""))
            elif action == "close":
                service.close_conversation(conv, user)
            else:
                raise ChatError("bad_request", _("Unknown action."))
        except ChatError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("chatbot_admin:live_chat", args=[conv.public_id]) + "#chat-form")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conv = self.conversation
        context["conversation"] = conv
        messages = service.transcript(conv)
        for msg in messages:  # access codes masked, also in transcripts stored before masking
            msg.text = service.staff_text(msg)
        context["chat_messages"] = messages
        context["joined"] = conv.status == Conversation.Status.LIVE and conv.assigned_to_id == self.request.user.pk
        context["ws_path"] = f"/ws/chat/staff/{conv.public_id}/"
        context["inquiry_url"] = reverse("desk_admin:inquiry", args=[conv.inquiry_id]) if conv.inquiry_id else ""
        return context


SORTS = {
    "count": ("-count", "-last_asked"),
    "-count": ("count", "last_asked"),
    "last_asked": ("-last_asked",),
    "-last_asked": ("last_asked",),
    "confidence": ("confidence", "-count"),
    "-confidence": ("-confidence", "-count"),
    "question": ("normalized",),
}


class UnansweredReportView(EditorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """What citizens asked that we could not answer: the editors' to-do list for new FAQs."""

    template_name = "chatbot/admin/unanswered.html"
    page_title = _("What citizens asked that we could not answer")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Unanswered questions")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort = self.request.GET.get("sort", "count")
        if sort not in SORTS:
            sort = "count"
        lang = self.request.GET.get("lang", "")
        queryset = UnansweredQuestion.objects.all()
        if lang in service.LANGS:
            queryset = queryset.filter(lang=lang)
        else:
            lang = ""
        queryset = queryset.order_by(*SORTS[sort])
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            {
                "page_obj": page,
                "questions": page.object_list,
                "sort": sort,
                "lang": lang,
                "languages": [(code, name) for code, name in _languages()],
                "total": queryset.count(),
                "columns": _columns(sort),
            }
        )
        return context


# column key → (label, sort when clicked, sort order of the column's default direction)
COLUMNS = [
    ("question", _("Question"), "ascending"),
    ("count", _("Times asked"), "descending"),
    ("confidence", _("Best match confidence"), "ascending"),
    ("last_asked", _("Last asked"), "descending"),
]


def _columns(sort):
    """Header links: clicking the sorted column reverses it; aria-sort says the current order."""
    flip = {"ascending": "descending", "descending": "ascending"}
    columns = []
    for key, label, direction in COLUMNS:
        aria = None
        next_sort = key
        if sort == key:
            aria, next_sort = direction, (f"-{key}" if f"-{key}" in SORTS else key)
        elif sort == f"-{key}":
            aria = flip[direction]
        columns.append({"key": key, "label": label, "sort": next_sort, "aria": aria})
    return columns


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


def feedback_summary(lang=None, limit=200):
    """👍/👎 counts per answer text (the same FAQ answer counts together), worst first."""
    queryset = Feedback.objects.all()
    if lang:
        queryset = queryset.filter(message__conversation__lang=lang)
    rows = (
        queryset.values("message__text", "message__intent")
        .annotate(
            up=Count("pk", filter=Q(helpful=True)),
            down=Count("pk", filter=Q(helpful=False)),
            last=Max("updated_at"),
        )
        .order_by("-down", "up", "-last")[:limit]
    )
    return list(rows)


class FeedbackReportView(EditorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "chatbot/admin/feedback.html"
    page_title = _("Answer feedback")
    header_icon = "pick"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Answer feedback")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = Feedback.objects.aggregate(
            up=Count("pk", filter=Q(helpful=True)), down=Count("pk", filter=Q(helpful=False))
        )
        context.update({"rows": feedback_summary(), "totals": totals})
        return context
