from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Duty desk")

    def ready(self):
        from django.core import checks

        from . import integrity, names, receipts, wagtail_hooks_config

        names.use_for_user_model()
        wagtail_hooks_config.register()
        integrity.connect_signals()
        checks.register(receipts.check_base_url)
