"""Admin for what editors publish besides pages: FAQs, their categories and search synonyms,
grouped under one "Knowledge base" menu placed after Pages and the duty desk / chat menus.

Listing search uses plain database filtering (icontains), which finds Chinese substrings;
Wagtail's search backend would need segmented queries for that.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import FAQ, FAQCategory, SynonymSet


class FAQViewSet(SnippetViewSet):
    model = FAQ
    icon = "help"
    menu_label = _("FAQs")
    menu_order = 100
    list_display = ["question", "key", "category", "updated_at"]
    list_filter = ["category", "live"]
    list_per_page = 50
    search_fields = ["question", "paraphrases", "key"]
    search_backend_name = None
    # Most recently changed first: a draft (autosave creates them) is on the first page, not
    # filed away among a hundred published FAQs by category and question.
    ordering = ["-updated_at", "question"]
    inspect_view_enabled = True


class FAQCategoryViewSet(SnippetViewSet):
    model = FAQCategory
    icon = "folder-open-inverse"
    menu_label = _("FAQ categories")
    menu_order = 200
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["sort_order", "name"]


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    icon = "link"
    menu_label = _("Search synonyms")
    menu_order = 300
    list_display = ["__str__", "language", "note", BooleanColumn("is_builtin", label=_("Built-in")), "enabled"]
    list_filter = ["language", "enabled"]
    search_fields = ["terms", "note"]
    search_backend_name = None


class KnowledgeBaseGroup(SnippetViewSetGroup):
    items = (FAQViewSet, FAQCategoryViewSet, SynonymSetViewSet)
    menu_icon = "help"
    menu_label = _("Knowledge base")
    menu_name = "knowledge-base"
    menu_order = 180
    submenu_hook = "register_knowledge_base_menu_item"


class FAQImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_import(request.user)


@hooks.register("register_knowledge_base_menu_item")
def faq_import_menu_item():
    return FAQImportMenuItem(
        _("Import FAQs"), reverse("cms_faq_import"), name="faq-import", icon_name="upload", order=150
    )


@hooks.register("register_admin_urls")
def faq_import_urls():
    return [path("faq-import/", admin_views.faq_import, name="cms_faq_import")]


register_snippet(KnowledgeBaseGroup)
