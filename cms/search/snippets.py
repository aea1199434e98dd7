"""Snippets: the part of a document's body that best shows the query's words, highlighted."""

import functools
import logging

from django.utils.html import escape

from portal.sanitize import clean_html

from .documents import _suffix
from .store import _analyzers

logger = logging.getLogger("cms.search.index")


SNIPPET_CHARS = 160


def _snippet(stored, lang, terms):
    """(plain text, HTML) of the part of a document's body that best shows the query's words:
    the window of SNIPPET_CHARS characters with the most matched words, starting a little before
    the first of them, with the matches in <strong>. The body's words come from the same analyzer
    as the index (so "renewing" shows for "renew"), cached per text."""
    text = stored.get(f"body_{_suffix(lang)}", "") or ""
    html = ""
    if text and terms:
        try:
            html, plain = _highlight(text, _suffix(lang), frozenset(terms), 60 if lang == "en" else 30)
        except Exception:  # a highlighting failure must never fail the search
            logger.exception("search: highlighting failed")
            html = ""
    if html:
        return plain, clean_html(html)
    plain = text[:SNIPPET_CHARS].rstrip() + ("…" if len(text) > SNIPPET_CHARS else "")
    return plain, clean_html(escape(plain))


@functools.lru_cache(maxsize=4096)
def _body_tokens(suffix, text):
    """(term, start, end) of every word of `text` as the index analyzes it."""
    analyzer = _analyzers()[suffix]
    return tuple(
        (token.text, token.startchar, token.endchar)
        for token in analyzer(text, chars=True, mode="query", removestops=False)
    )


def _highlight(text, suffix, terms, surround):
    """(HTML, plain) of the best window, or ("", "") when no word of `terms` is in `text`."""
    matches = []
    for term, start, end in _body_tokens(suffix, text):
        if term in terms and (not matches or start >= matches[-1][1]):
            matches.append((start, end))
    if not matches:
        return "", ""
    best = (0, 0, 0)  # (matches in the window, window start, index of its first match)
    for i, (start, _end) in enumerate(matches):
        window = max(0, start - surround)
        count = 0
        for _s, e in matches[i:]:
            if e > window + SNIPPET_CHARS:
                break
            count += 1
        if count > best[0]:
            best = (count, window, i)
    _count, window, first = best
    stop = min(len(text), window + SNIPPET_CHARS)
    parts = []
    pos = window
    for start, end in matches[first:]:
        if end > stop:
            break
        parts.append(escape(text[pos:start]))
        parts.append(f"<strong>{escape(text[start:end])}</strong>")
        pos = end
    parts.append(escape(text[pos:stop]))
    return "".join(parts).strip(), text[window:stop].strip()
