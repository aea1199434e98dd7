from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search (cms.search): loads the Chinese segmenter once per process and connects the
    signals that keep the index in step with published content."""

    name = "cms.search"
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self):
        from . import analysis, signals

        analysis.initialize()  # once per process, never on a request
        signals.connect()
