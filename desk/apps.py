from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Duty desk")

    def ready(self):
        from . import wagtail_hooks_config

        wagtail_hooks_config.register()

        from . import integrity

        integrity.connect_signals()
