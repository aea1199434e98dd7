from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatbotConfig(AppConfig):
    name = "chatbot"
    verbose_name = _("Chatbot")

    def ready(self):
        # The engine's admin (emergency patterns snippet); wagtail_hooks.py is the transport's.
        from . import engine_hooks  # noqa: F401
