"""The one sanitizing policy for user-supplied text and HTML (nh3, the Rust ammonia binding).

- `clean_html(html)`: HTML from an import file or a rich-text source: keep a small set of
  formatting tags and safe links, drop everything else (scripts and styles with their content).
- `text_to_html(text)`: plain text typed by a citizen, rendered as HTML: escaped, line breaks
  kept, URLs linked with rel="nofollow noopener", then cleaned by the same policy.
- `clean_text(text)`: plain text to store: control characters removed, newlines normalized,
  surrounding white space stripped. It is still escaped when rendered (Django autoescape).
"""

import html as html_lib
import re
import unicodedata

import nh3
from django.utils.html import escape, linebreaks, urlize

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "nofollow noopener noreferrer"

_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|td|th|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_html(html):
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )


def clean_text(text):
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def text_to_html(text):
    return clean_html(linebreaks(urlize(escape(clean_text(text)), nofollow=True)))


def strip_tags(html):
    """Plain text of an HTML fragment (for snippets, search and chat)."""
    # Block boundaries become spaces, so that "<p>a</p><p>b</p>" does not read "ab".
    html = _BLOCK_END.sub(" ", html or "")
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
