"""The chat's admin menu: "Live chats" for Duty staff and Supervisors; the editors' reports
("Unanswered questions", "Answer feedback") for Editors and Supervisors."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views, service

admin_urlpatterns = [
    path("", admin_views.LiveChatsView.as_view(), name="live_chats"),
    path("<uuid:pk>/", admin_views.LiveChatView.as_view(), name="live_chat"),
    path("unanswered/", admin_views.UnansweredReportView.as_view(), name="unanswered"),
    path("feedback/", admin_views.FeedbackReportView.as_view(), name="feedback"),
]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return service.is_chat_staff(request.user)


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.is_editor(request.user)


class ChatSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return service.is_chat_staff(request.user) or admin_views.is_editor(request.user)


@hooks.register("register_admin_urls")
def register_chat_admin_urls():
    return [path("chat/", include((admin_urlpatterns, "chatbot_admin"), namespace="chatbot_admin"))]


@hooks.register("register_admin_menu_item")
def register_chat_menu():
    menu = Menu(
        items=[
            StaffMenuItem(
                _("Live chats"), reverse("chatbot_admin:live_chats"), name="chat-live", icon_name="comment", order=100
            ),
            EditorMenuItem(
                _("Unanswered questions"),
                reverse("chatbot_admin:unanswered"),
                name="chat-unanswered",
                icon_name="help",
                order=200,
            ),
            EditorMenuItem(
                _("Answer feedback"),
                reverse("chatbot_admin:feedback"),
                name="chat-feedback",
                icon_name="pick",
                order=300,
            ),
        ]
    )
    return ChatSubmenu(pgettext_lazy("chat", "Chat"), menu, name="chat", icon_name="comment", order=160)
