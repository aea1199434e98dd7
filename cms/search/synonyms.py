"""Editor-maintained synonym sets (cms.models.SynonymSet), expanded at query time.

The sets are read from the database once and kept in memory per process (portal.versioned_cache,
docs/caching.md): saving or deleting a set bumps the shared version "synonyms", and every
process and host reloads them within a second.
"""

import re

from portal import versioned_cache

from . import analysis

_cache = versioned_cache.VersionedCache("synonyms")


def stamp():
    """The current version: changes whenever any process saved or deleted a synonym set."""
    return versioned_cache.version("synonyms")


def invalidate():
    """Make every process reload the synonym sets before its next query."""
    _cache.bump()


def _load():
    from cms.models import SynonymSet

    maps = {"zh-hans": [], "en": []}
    for syn in SynonymSet.objects.filter(enabled=True).order_by("id"):
        terms = []
        for term in syn.term_list:
            term = analysis.normalize(term).lower()
            if term and term not in terms:
                terms.append(term)
        if len(terms) > 1:
            maps.setdefault(syn.language, []).append(terms)
    return maps


def sets(lang):
    """The synonym sets of `lang`: lists of lower-case terms."""
    return _cache.get("all", _load).get(lang, [])


def _spans(text, term, lang):
    """(start, end) of every occurrence of `term` in `text` (English: whole words only)."""
    if lang == "en" or not analysis.has_han(term):
        pattern = r"(?<![\w])" + re.escape(term) + r"(?![\w])"
    else:
        pattern = re.escape(term)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def matches(text, lang, limit=6):
    """The synonym sets that `text` uses: [(terms of the set, the terms found in the text)].

    Chinese terms are found as substrings (citizens type no spaces), English terms as whole
    words. A match inside a longer match of another set does not count: in "老人走丢了" the set
    of 走丢 applies, not the set of 丢."""
    text = analysis.normalize(text).lower()
    found = []  # (start, end, set index, term)
    all_sets = sets(lang)
    for index, terms in enumerate(all_sets):
        for term in terms:
            for start, end in _spans(text, term, lang):
                found.append((start, end, index, term))
    kept = [
        m
        for m in found
        if not any(o[2] != m[2] and o[0] <= m[0] and m[1] <= o[1] and (o[1] - o[0]) > (m[1] - m[0]) for o in found)
    ]
    out = {}
    for _start, _end, index, term in kept:
        out.setdefault(index, [])
        if term not in out[index]:
            out[index].append(term)
    return [(all_sets[index], matched) for index, matched in list(out.items())[:limit]]


def expand(text, lang, limit=8):
    """Terms to add to a query for `text`: the other members of the sets it uses."""
    extra = []
    for terms, matched in matches(text, lang):
        for term in terms:
            if term not in matched and term not in extra:
                extra.append(term)
    return extra[:limit]
