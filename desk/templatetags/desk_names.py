"""`{{ user|staff_name }}` (staff among staff) and `{{ user|officer_label }}` (what citizens see)."""

from django import template

from desk.names import display_name, public_label

register = template.Library()


@register.filter
def staff_name(user):
    return display_name(user)


@register.filter
def officer_label(user):
    return public_label(user)
