"""Rendering chat text: escaped, line breaks kept, emergency numbers as tel: links."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.context_processors import EMERGENCY_NUMBERS

register = template.Library()

_NUMBERS = sorted((number for number, _label in EMERGENCY_NUMBERS), key=len, reverse=True)
# A number on its own (not part of a longer number, reference or phone number).
EMERGENCY_NUMBER_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, _NUMBERS)) + r")(?![\w-])")


@register.filter
def chat_text(text):
    """Plain chat text as safe HTML: escaped first, then emergency numbers become tel: links."""
    escaped = escape(text or "")
    linked = EMERGENCY_NUMBER_RE.sub(r'<a class="chat-tel" href="tel:\1">\1</a>', escaped)
    return mark_safe(linked.replace("\n", "<br>"))  # noqa: S308 - built from escaped text only
