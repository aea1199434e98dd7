"""Chinese search in the admin's snippet listings (loaded by Wagtail: cms.search is an app).

The FAQ, category and synonym listings (cms/wagtail_hooks.py) search with the database's
icontains, which finds "身份证" but not "身份证补领流程" (no row contains that exact phrase). Here
their index views learn to segment a Chinese query: rows containing every word (身份证 AND 补领)
first; when no row has them all, rows with any of them. Ordering and filters keep working because
this stays an ORM filter. Page listings use Wagtail's search backend, which cms.search.
wagtail_backend teaches the same.
"""

from functools import reduce
from operator import and_, or_

from django.db.models import Q
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import analysis


def segmented_filter(queryset, fields, query):
    """Rows where every word of a Chinese query occurs in one of `fields` (else any word)."""
    words = [w for w in dict.fromkeys(analysis.cut(query)) if w.lower() not in analysis.ZH_STOP_WORDS]
    if not words or not fields:
        return None
    per_word = [reduce(or_, (Q(**{f"{field}__icontains": w}) for field in fields)) for w in words[:10]]
    narrowed = queryset.filter(reduce(and_, per_word))
    if narrowed.exists():
        return narrowed
    return queryset.filter(reduce(or_, per_word))


def segmented_index_view(base):
    class SegmentedSearchIndexView(base):
        def search_queryset(self, queryset):
            query = self.search_query if self.is_searching else ""
            if query and not self.search_backend_name and analysis.has_han(query):
                found = segmented_filter(queryset, self.search_fields, query)
                if found is not None:
                    return found
            return super().search_queryset(queryset)

    SegmentedSearchIndexView.__name__ = f"Segmented{base.__name__}"
    return SegmentedSearchIndexView


def _install():
    from cms.models import FAQ, FAQCategory, SynonymSet

    for model in (FAQ, FAQCategory, SynonymSet):
        viewset = getattr(model, "snippet_viewset", None)
        if viewset is not None and not viewset.index_view_class.__name__.startswith("Segmented"):
            viewset.index_view_class = segmented_index_view(viewset.index_view_class)


_install()


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    from django.urls import include, path

    from . import admin_views

    urls = [
        path("attach/", admin_views.attach, name="attach"),
        path("no-click/", admin_views.no_click, name="no_click"),
    ]
    return [path("search/", include((urls, "search_admin"), namespace="search_admin"))]


class _PublisherMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cms.publish_faq")


@hooks.register("register_reports_menu_item")
def register_no_click_report():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    return _PublisherMenuItem(
        _("Searches with no click"), reverse("search_admin:no_click"), name="search-no-click", icon_name="search"
    )
