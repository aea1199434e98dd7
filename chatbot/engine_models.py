"""Models owned by the chat engine (imported by chatbot/models.py with a star import).

`EmergencyPattern`: editors extend or override the built-in emergency phrases shipped in
chatbot/emergency.py. A change takes effect on the next message (the compiled set is cached and
invalidated on save and delete, across processes through the shared cache).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["EmergencyPattern"]


class EmergencyPattern(models.Model):
    """One phrase or regular expression the emergency detector looks for."""

    class Kind(models.TextChoices):
        TRIGGER = "trigger", _("Trigger (signals an emergency)")
        EXCLUSION = "exclusion", _("Exclusion (harmless phrase that looks like one)")

    class Language(models.TextChoices):
        ANY = "any", _("Any language")
        ZH_HANS = "zh-hans", _("Chinese")
        EN = "en", pgettext_lazy("chat", "English")

    class Category(models.TextChoices):
        DANGER = "danger", _("Danger to life")
        VIOLENCE = "violence", _("Violence or weapon")
        CRIME = "crime", _("Crime in progress")
        FIRE = "fire", _("Fire, smoke, gas or explosion")
        MEDICAL = "medical", _("Medical emergency")
        THREAT = "threat", _("Followed or threatened")
        SUICIDE = "suicide", _("Suicide or self-harm")
        KIDNAPPING = "kidnapping", _("Kidnapping or missing person")

    pattern = models.CharField(
        _("pattern"),
        max_length=300,
        help_text=_(
            "A phrase (matched anywhere in the message, ignoring case, full-width characters and spaces; "
            "traditional characters are converted to simplified) or, if 'regular expression' is ticked, a "
            "Python regular expression. To stop a built-in phrase from firing on a harmless message, add an "
            "exclusion."
        ),
    )
    is_regex = models.BooleanField(_("regular expression"), default=False)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ANY)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.TRIGGER,
        help_text=_(
            "Exclusions are removed from the message before triggers are looked for (e.g. 跳楼价, fire drill)."
        ),
    )
    category = models.CharField(
        pgettext_lazy("chat", "category"),
        max_length=20,
        choices=Category.choices,
        default=Category.DANGER,
        help_text=_("Decides which numbers are shown first (fire: 119, medical: 120, otherwise 110)."),
    )
    weight = models.FloatField(
        _("weight"),
        default=1.0,
        help_text=_(
            "1.0 signals an emergency on its own; 0.5 only together with another sign (e.g. 'now', a second "
            "phrase). Questions about procedures, past events and hypotheticals lower the score."
        ),
    )
    active = models.BooleanField(pgettext_lazy("chat", "active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Why this pattern exists."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("emergency pattern")
        verbose_name_plural = _("emergency patterns")
        ordering = ["kind", "category", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "language", "kind"], name="chatbot_emergencypattern_unique")
        ]

    def __str__(self):
        return self.pattern

    def clean(self):
        if self.is_regex:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValidationError(
                    {"pattern": _("Not a valid regular expression: %(error)s") % {"error": exc}}
                ) from exc
        if not 0 < self.weight <= 3:
            raise ValidationError({"weight": _("Use a weight between 0.1 and 3.")})


def _patterns_changed(sender, **kwargs):
    """An editor's change takes effect on the next message: forget the compiled set now (this
    process, this transaction) and again after commit (other processes, via the shared cache)."""
    from chatbot import emergency

    emergency.invalidate()
    transaction.on_commit(emergency.invalidate)


post_save.connect(_patterns_changed, sender=EmergencyPattern, dispatch_uid="chatbot_emergency_pattern_saved")
post_delete.connect(_patterns_changed, sender=EmergencyPattern, dispatch_uid="chatbot_emergency_pattern_deleted")
