from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Duty desk")

    def ready(self):
        from django.core import checks

        from . import integrity, receipts, wagtail_hooks_config

        wagtail_hooks_config.register()
        integrity.connect_signals()
        checks.register(receipts.check_base_url)
