"""Rendering chat text (escaped, line breaks kept, emergency numbers as tel: links) and the
chat's small icons."""

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


_HAN = re.compile(r"[\u3400-\u9fff]")


@register.filter
def answer_lang(text):
    """The language an answer is written in ("zh-hans" when it has Chinese characters, else
    "en"): the feedback question under it is asked in that language, as the widget does
    (static/chatbot/widget.js), not in the page's."""
    return "zh-hans" if _HAN.search(text or "") else "en"


# Inline SVG instead of emoji: servers and office PCs without an emoji font showed 👍/👎/💬 as
# empty boxes. Drawn in `currentColor` (the text colour, so contrast follows the CSS), always
# aria-hidden: the button or cell next to it carries the words.
_THUMB = (
    "M7 10.5 11 3c1.6 0 2.6 1.3 2.2 2.9L12.4 9H19c1.4 0 2.4 1.3 2 2.6l-1.9 6.8c-.3.9-1.1 1.6-2.1 1.6H7zM3 10.5h4V20H3z"
)
ICONS = {
    "thumb-up": f'<path d="{_THUMB}"/>',
    "thumb-down": f'<path transform="matrix(1 0 0 -1 0 24)" d="{_THUMB}"/>',
    "chat": '<path d="M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1h-9l-5 4v-4H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z"/>',
}


@register.simple_tag
def chat_icon(name, size=18):
    """An icon from ICONS as inline SVG (decorative: the label must be next to it)."""
    return mark_safe(  # noqa: S308 - fixed markup from ICONS, size is a number
        f'<svg class="chat-icon chat-icon--{name}" viewBox="0 0 24 24" width="{int(size)}" height="{int(size)}" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" '
        f'aria-hidden="true" focusable="false">{ICONS[name]}</svg>'
    )
