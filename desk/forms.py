"""Forms of the public side: filing, tracking, follow-up and rating.

The forms only shape the HTML; the rules (required contacts per kind, lengths, categories that
fit a kind) live in `desk.actions` and come back as field errors via `add_action_errors`.
"""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import RATING_INDICATORS, Kind, Lang, Satisfaction
from .models import Category


def category_choices():
    """Categories grouped by kind for a <select> with <optgroup>s (works without JavaScript)."""
    categories = list(Category.objects.filter(active=True))
    general = [(c.slug, c.name) for c in categories if not c.kind]
    choices = [("", _("Choose a category"))]
    if general:
        choices.append((_("All kinds of request"), general))
    for kind in Kind:
        specific = [(c.slug, c.name) for c in categories if c.kind == kind.value]
        if specific:
            choices.append((kind.label, specific))
    return choices


class InquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=Kind.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Category"), choices=())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("desk", "Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened or what would you like to know? Do not include passwords or bank details."),
    )
    location = forms.CharField(label=_("Location (optional)"), max_length=200, required=False)
    event_time = forms.DateTimeField(
        label=_("Time of the event (optional)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    name = forms.CharField(
        label=pgettext_lazy("desk", "Name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    lang = forms.ChoiceField(label=_("Preferred language for our answer"), choices=Lang.choices)
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is processed to handle this request."),
        error_messages={"required": _("Please agree to the privacy notice.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden); a bot that fills it is refused.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # One-time token: a double submission of the same page files one request (idempotency key).
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, lang="zh-hans", **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("lang", lang)
        initial.setdefault("form_token", secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        for name in ("website",):
            self.fields[name].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def add_action_errors(self, errors):
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)

    def action_kwargs(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "category": data["category"],
            "subject": data["subject"],
            "description": data["description"],
            "location": data["location"],
            "event_time": data["event_time"],
            "name": data["name"],
            "phone": data["phone"],
            "email": data["email"],
            "lang": data["lang"],
            "consent": data["consent"],
        }


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "YG-2026-000123", "autocapitalize": "characters"}),
    )
    access_code = forms.CharField(
        label=_("Access code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class FollowupForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("desk", "Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class RatingForm(forms.Form):
    """好差评: five levels (5 = 非常满意 … 1 = 非常不满意), the national online indicators as
    optional 1–5 stars, and a comment."""

    score = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stars = [(str(n), f"{n} / 5") for n in range(5, 0, -1)]
        for name, label in RATING_INDICATORS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                empty_value=None,
                required=False,
                choices=stars,
                widget=forms.RadioSelect,
            )

    def indicator_fields(self):
        return [self[name] for name in RATING_INDICATORS]

    def indicators(self):
        return {name: self.cleaned_data.get(name) for name in RATING_INDICATORS}
