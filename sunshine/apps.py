from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SunshineConfig(AppConfig):
    """阳光警务: the service in public numbers, open data, rating follow-ups, staff assessment."""

    name = "sunshine"
    verbose_name = _("Sunshine")
