"""Admin for the chat engine's editor-maintained data: the emergency patterns snippet.

Imported from ChatbotConfig.ready() (chatbot/wagtail_hooks.py belongs to the transport).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .engine_models import EmergencyPattern


class EmergencyPatternViewSet(SnippetViewSet):
    model = EmergencyPattern
    icon = "warning"
    menu_label = _("Emergency patterns")
    menu_name = "emergency-patterns"
    add_to_admin_menu = False  # under Snippets
    list_display = ["pattern", "kind", "category", "language", "weight", "active", "updated_at"]
    list_filter = ["kind", "category", "language", "active"]
    search_fields = ["pattern", "note"]
    search_backend_name = None  # plain QuerySet filtering: the model is not in a search index
    panels = [
        FieldPanel("pattern"),
        FieldPanel("is_regex"),
        FieldPanel("kind"),
        FieldPanel("category"),
        FieldPanel("language"),
        FieldPanel("weight"),
        FieldPanel("active"),
        FieldPanel("note"),
    ]


register_snippet(EmergencyPatternViewSet)
