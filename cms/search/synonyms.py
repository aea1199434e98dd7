"""Editor-maintained synonym sets (cms.models.SynonymSet), expanded at query time.

The sets are read from the database once and kept in memory per process. Saving or deleting a
set writes a new token to a stamp file next to the index; every query compares that token (a
few microseconds), so all worker processes pick up the change without a cache server.
"""

import re
import threading
import uuid

from django.conf import settings

from . import analysis

_lock = threading.Lock()
_cache = {"stamp": None, "maps": None}


def _stamp_path():
    return settings.SEARCH_INDEX_DIR.parent / "search-synonyms.stamp"


def _read_stamp():
    try:
        return _stamp_path().read_text()
    except OSError:
        return ""


def invalidate():
    """Make every process reload the synonym sets before its next query."""
    path = _stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(uuid.uuid4().hex)
    with _lock:
        _cache["stamp"] = None
        _cache["maps"] = None


def _load():
    from cms.models import SynonymSet

    maps = {"zh-hans": [], "en": []}
    for syn in SynonymSet.objects.all().order_by("id"):
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
    stamp = _read_stamp()
    maps = _cache["maps"]
    if maps is None or _cache["stamp"] != stamp:
        with _lock:
            maps = _load()
            _cache["maps"] = maps
            _cache["stamp"] = stamp
    return maps.get(lang, [])


def _contains(text, term, lang):
    if lang == "en" or not analysis.has_han(term):
        return re.search(r"(?<![\w])" + re.escape(term) + r"(?![\w])", text) is not None
    return term in text


def expand(text, lang, limit=8):
    """Terms to add to a query for `text`: the other members of every set one of whose terms
    occurs in the text (Chinese: as a substring, since citizens do not type spaces; English: as
    whole words). At most `limit` terms, in set order."""
    text = analysis.normalize(text).lower()
    found = []
    for terms in sets(lang):
        if any(_contains(text, term, lang) for term in terms):
            for term in terms:
                if term not in found and not _contains(text, term, lang):
                    found.append(term)
                    if len(found) >= limit:
                        return found
    return found
