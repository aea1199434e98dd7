from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def count(value):
    """A suppressed count (None) reads "<5"."""
    return "<5" if value is None else number_format(value, force_grouping=True)


@register.filter
def pct(value):
    return "—" if value is None else f"{value:g}%"


@register.filter
def days(value):
    return "—" if value is None else _("%(days)s wd") % {"days": f"{value:g}"}


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
