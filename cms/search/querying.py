"""Building a query: cleaning and cutting the input, analysis, synonym concepts, English
spelling, the fields and weights each term is looked up in, and the Chinese complements
(character and pinyin bigrams). See docs/search.md "Querying"."""

import functools
import math
import re
import unicodedata

from whoosh.matching import DisjunctionMaxMatcher
from whoosh.query import And, DisjunctionMax, Or, Term

from . import analysis, synonyms, thesaurus, thesaurus_en
from .documents import _suffix
from .store import _analyzers

# Bounds that make every query cheap, whatever the input (cf. Wagtail's CVE-2024-39317).
MAX_QUERY_CHARS = 200  # longer input is cut to its most informative terms (see _shorten)


MAX_INPUT_CHARS = 4000  # longer input is refused (HTTP 400): nobody types that much


MAX_QUERY_TERMS = 12


MAX_EXPANSION_TERMS = 8


# Field weights. A citizen's question is closest to an FAQ's question and its alternate
# phrasings; the answer and page body decide only when those tie.
FIELD_WEIGHTS = {"title": 3.0, "alt": 3.0, "category": 0.8, "body": 0.6}


# Fields a query looks in: the question side (question and alternate phrasings, or a page's title
# and description) and the body (answer or page text, with the category name). Two fields, not
# four, halve the matchers per query word; measured with no loss of quality.
QUERY_FIELDS = ("alt", "body")


EXPANSION_WEIGHT = 0.7


CORRECTION_WEIGHT = 0.8


# The general thesaurus (cms/search/thesaurus.py, settings.SEARCH_THESAURUS): a query word's
# synonyms that occur in the index join the word's concept as extra alternatives at this weight
# (times the word's own). A synonym of one character is not added (too ambiguous; a typed word
# of one character, 娃 or 丢, is expanded); a word or synonym found in more than
# THESAURUS_MAX_DF_SHARE of the documents is not expanded or added; at most
# THESAURUS_PER_WORD synonyms a word and MAX_THESAURUS_TERMS a query. Chosen on
# ../shared/eval/police-dev (docs/search.md).
THESAURUS_WEIGHT = 0.7
THESAURUS_PER_WORD = 3
MAX_THESAURUS_TERMS = 8
THESAURUS_MAX_DF_SHARE = 0.1
THESAURUS_MIN_DOCS = 5  # ... but never fewer than this, so that a small index is expanded at all


# Chinese words that are common in general language ("多少", "时间", "去", "一次", "现在") say
# little about which service a citizen means, but in a small FAQ collection one paraphrase that
# happens to contain them gives them a high idf. A typed word's concept is weighted down by how
# common the word is in general Chinese (the segmenter dictionary's counts, a large general corpus:
# corpus statistics, not a list of words): full weight up to GENERAL_FREQ_LOW, GENERAL_FLOOR from
# GENERAL_FREQ_HIGH, log-linear between. Chosen on one half of ../shared/eval/police-dev zh-hans,
# reported on the other (docs/search.md). Chinese only.
GENERAL_FREQ_LOW = 1000
GENERAL_FREQ_HIGH = 30000
GENERAL_FLOOR = 0.3

# Relatives: the words of a typed Chinese word's thesaurus class (Cilin level 4, "Bp36B": 鞭炮,
# 爆竹, 烟花; classes of at most thesaurus.MAX_GROUP words) that are not its synonyms, closest
# first, added like the synonyms (same bounds, a separate budget) at a lower weight, for typed
# words of two characters or more (a one-character word is in too many classes: 拍 lost a query
# of our own set): one a word, MAX_CLASS_TERMS a query. 0.5 is a default (below the synonyms'
# 0.7): our own set gave the same figures with 0.3, 0.5 and 0.7 and 1, 2 or 3 a word, police-dev
# (held out) too (docs/search.md "Relatives in the thesaurus's classes").
CLASS_WEIGHT = 0.5
CLASS_PER_WORD = 1
MAX_CLASS_TERMS = 4

# The English thesaurus (cms/search/thesaurus_en.py, WordNet 3.0; the same switch): the
# members of a query word's common senses' synsets ("wallet" → billfold) join its concept at
# WORDNET_WEIGHT when the index has them and they are not too common (the Chinese bounds:
# THESAURUS_MAX_DF_SHARE, THESAURUS_MIN_DOCS); at most WORDNET_PER_WORD a word and
# MAX_THESAURUS_TERMS a query. Chosen on one half of ../shared/eval/police-dev en and of
# stackfaq, checked on the other halves (docs/search.md "An English thesaurus: WordNet").
WORDNET_WEIGHT = 0.5
WORDNET_PER_WORD = 3


CHAR_WEIGHT = 0.5


# Chinese complements to the words, over the question side (question and paraphrases; a page's
# title and description): Han character bigrams (typos, phrases the dictionary splits
# differently) and pinyin syllable bigrams (homophones such as 身分证 and 户口薄; queries typed in
# pinyin). Weights chosen on ../shared/eval/police-dev (docs/search.md); the same bigrams over the
# answers added 1-2 points there but raised weak matches' scores, which the chat's confidence
# reads, so they were dropped.
GRAM_Q_WEIGHT = 0.5
PINYIN_WEIGHT = 0.5


MAX_GRAMS = 24


class _BestOfMatcher(DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher with its score fixed: Whoosh returns the max of both
    sub-matchers' scores even when only one of them is on the current document, so a document
    matching one weak synonym got the score of another document's strong match."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id < b_id:
            return a.score()
        if b_id < a_id:
            return b.score()
        return max(a.score(), b.score())

    def supports_block_quality(self):
        return False  # keep Whoosh's quality skipping away from this matcher


class BestOf(DisjunctionMax):
    """A concept: matches when any alternative matches, scored by the best one."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(
            subs, _BestOfMatcher, searcher, context, lambda q: q.estimate_size(reader), tiebreak=self.tiebreak
        )


def clean_query(text):
    """The query as searched: NFKC, control characters removed, white space collapsed, capped at
    MAX_INPUT_CHARS (a longer one is cut to its key terms by `_shorten`)."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_INPUT_CHARS]


def _shorten(searcher, text, lang):
    """A text over MAX_QUERY_CHARS as its most informative terms: the analyzed words that are in
    the index, rarest first (highest idf over the question side and the body), at most
    MAX_QUERY_TERMS, in the order the citizen wrote them. Words in no document are dropped; when
    none is known, the text is simply cut."""
    suffix = _suffix(lang)
    analyzer = _analyzers()[suffix]
    order = []
    for token in analyzer(text, mode="query"):
        if token.text not in order:
            order.append(token.text)
    rated = []
    for position, term in enumerate(order):
        df = max(_doc_frequency(searcher, f"{name}_{suffix}", term) for name in QUERY_FIELDS)
        if df:
            rated.append((df, position, term))
    if not rated:
        return text[:MAX_QUERY_CHARS]
    keep = sorted(rated)[:MAX_QUERY_TERMS]
    return " ".join(term for _df, _pos, term in sorted(keep, key=lambda r: r[1]))[:MAX_QUERY_CHARS]


def _other_script(text, lang):
    """True when `text` is plainly written in the other language of the site: Han characters on
    the English site; on the Chinese site, Latin words that are not pinyin."""
    if lang == "en":
        return analysis.has_han(text)
    if analysis.has_han(text):
        return False
    words = re.findall(r"[A-Za-z]+", text)
    return bool(words) and not all(analysis.split_pinyin(w) for w in words)


def _terms(text, lang):
    """Distinct analyzed terms of `text` in order, capped at MAX_QUERY_TERMS."""
    analyzer = _analyzers()[_suffix(lang)]
    seen = []
    for token in analyzer(text, mode="query"):
        if token.text not in seen:
            seen.append(token.text)
            if len(seen) >= MAX_QUERY_TERMS:
                break
    return seen


def _spelling(searcher, text):
    """For English: (corrected query text or "", extra terms) for words not in the index."""
    words = [t.text for t in _analyzers()["spell"](text)]
    if not words:
        return "", []
    reader = searcher.reader()
    corrector = None
    replacements = {}
    for word in dict.fromkeys(words[:MAX_QUERY_TERMS]):
        if len(word) < 4 or reader.doc_frequency("spell_en", word) > 0:
            continue
        if corrector is None:
            corrector = searcher.corrector("spell_en")
        found = corrector.suggest(word, limit=1, maxdist=1 if len(word) < 6 else 2, prefix=1)
        if found:
            replacements[word] = found[0]
    if not replacements:
        return "", []
    corrected = " ".join(replacements.get(w.lower(), w) for w in text.split())
    extra = []
    for new in replacements.values():
        extra += [t.text for t in _analyzers()["en"](new)]
    return corrected, extra


def _term_tokens(term, lang):
    """How one synonym term is looked up: its own token when the analyzer keeps it whole
    ("交通违法", "licenc"), otherwise all of its words ("police clearance")."""
    tokens = _terms(term, lang)
    whole = term.lower() if lang == "zh-hans" else None
    if whole and whole in tokens:
        return (whole,)
    if lang == "zh-hans":
        words = [w.lower() for w in analysis.cut(term) if w.lower() not in analysis.ZH_STOP_WORDS]
        return tuple(words) or tuple(tokens)
    return tuple(tokens)


def _concepts(searcher, text, lang):
    """The query as concepts, and the "did you mean" text.

    A concept is a list of alternatives [(tokens, weight)], scored by the best alternative: a
    word of the query, or a synonym set the query uses (its members, the typed one at full
    weight). Scoring a set once, by its best member, keeps an FAQ that happens to contain five
    words for "lost" from outranking the one about the thing that was lost."""
    correction = ""
    extra_terms = []
    if lang == "en" and not analysis.has_han(text):
        correction, extra_terms = _spelling(searcher, text)
    syn_text = f"{text} {correction}" if correction else text
    concepts = []
    covered = set()
    concept_of = {}  # typed term → index of its concept: sets sharing a typed term are merged
    for terms, matched in synonyms.matches(syn_text, lang, limit=MAX_EXPANSION_TERMS):
        alts = {}
        for term in terms:
            tokens = _term_tokens(term, lang)
            if tokens:
                alts[tokens] = max(alts.get(tokens, 0.0), 1.0 if term in matched else EXPANSION_WEIGHT)
        for term in matched:
            covered.update(_terms(term, lang))
        if not alts:
            continue
        target = next((concept_of[t] for t in matched if t in concept_of), None)
        if target is None:
            target = len(concepts)
            concepts.append({})
        for tokens, weight in alts.items():
            concepts[target][tokens] = max(concepts[target].get(tokens, 0.0), weight)
        for term in matched:
            concept_of.setdefault(term, target)
    concepts = [list(alts.items()) for alts in concepts]
    for token in _terms(text, lang):
        if token not in covered:
            concepts.append([((token,), 1.0)])
    for token in extra_terms:
        if token not in covered:
            concepts.append([((token,), CORRECTION_WEIGHT)])
    concepts = concepts[: MAX_QUERY_TERMS + MAX_EXPANSION_TERMS]
    concepts = _with_thesaurus(searcher, concepts, lang)
    if lang == "zh-hans":
        concepts = [_weighted_by_generality(alts) for alts in concepts]
    return concepts, correction


def general_weight(word):
    """1.0 for a Chinese word that is rare in general language, down to GENERAL_FLOOR for a common
    one (see GENERAL_FREQ_LOW); 1.0 for anything that is not Han."""
    return _general_weight(word, GENERAL_FREQ_LOW, GENERAL_FREQ_HIGH, GENERAL_FLOOR)


@functools.lru_cache(maxsize=20_000)
def _general_weight(word, low, high, floor):
    if floor >= 1.0 or not analysis.has_han(word):
        return 1.0
    freq = analysis.general_frequency(word)
    if freq <= low:
        return 1.0
    if freq >= high:
        return floor
    return 1.0 - math.log(freq / low) / math.log(high / low) * (1.0 - floor)


def _weighted_by_generality(alts):
    """A concept with its weights scaled by how specific the citizen's own word is: the typed
    alternatives (weight 1.0, one token each); the rarest of them decides."""
    typed = [tokens[0] for tokens, weight in alts if weight >= 1.0 and len(tokens) == 1]
    if not typed:
        return alts
    factor = max(general_weight(word) for word in typed)
    if factor >= 1.0:
        return alts
    return [(tokens, weight * factor) for tokens, weight in alts]


def _with_thesaurus(searcher, concepts, lang):
    """`concepts` with each typed word's thesaurus synonyms that are in the index added to its
    concept (its BestOf) as extra alternatives; see the bounds above. Chinese: HIT Cilin at
    THESAURUS_WEIGHT (words of two characters or more), then the word's class relatives at
    CLASS_WEIGHT; English: WordNet at WORDNET_WEIGHT (a multi-word synonym, "police officer", as
    all of its words)."""
    if not thesaurus.enabled():
        return concepts
    limit = max(THESAURUS_MIN_DOCS, int(searcher.doc_count() * THESAURUS_MAX_DF_SHARE))
    if lang == "en":
        lookup = thesaurus_en.synonyms
        return _expanded(searcher, concepts, "en", lookup, WORDNET_WEIGHT, WORDNET_PER_WORD, MAX_THESAURUS_TERMS, limit)

    def synonyms(word):
        return [(other,) for other in thesaurus.synonyms(word, lang) if len(other) >= 2]

    def relatives(word):
        if len(word) < 2:  # 拍 is in five classes (clap, photograph, flatter, collide …)
            return []
        return [(other,) for other in thesaurus.relatives(word, lang) if len(other) >= 2]

    suffix = _suffix(lang)
    concepts = _expanded(
        searcher, concepts, suffix, synonyms, THESAURUS_WEIGHT, THESAURUS_PER_WORD, MAX_THESAURUS_TERMS, limit
    )
    return _expanded(searcher, concepts, suffix, relatives, CLASS_WEIGHT, CLASS_PER_WORD, MAX_CLASS_TERMS, limit)


def _expanded(searcher, concepts, suffix, lookup, weight, per_word, max_terms, limit):
    """`concepts` with up to `per_word` of `lookup(word)` (tuples of tokens, best first) that are
    in the index added to each typed word's concept at `weight` × its own, at most `max_terms`
    in all; a word or an addition in more than `limit` documents is not expanded or added."""
    if not weight:
        return concepts
    added = 0
    out = []
    for alts in concepts:
        have = {tokens for tokens, _weight in alts}
        extra = []
        for tokens, typed_weight in alts:
            if added >= max_terms:
                break
            if typed_weight < 1.0 or len(tokens) != 1:
                continue
            found = lookup(tokens[0])
            if not found or _df(searcher, suffix, tokens[0]) > limit:
                continue
            used = 0
            for other in found:
                if other in have:
                    continue
                dfs = [_df(searcher, suffix, token) for token in other]
                if not all(dfs) or max(dfs) > limit:
                    continue
                extra.append((other, weight * typed_weight))
                have.add(other)
                used += 1
                added += 1
                if used >= per_word or added >= max_terms:
                    break
        out.append(alts + extra if extra else alts)
    return out


def _df(searcher, suffix, token):
    """The larger document frequency of `token` over the fields a query looks in."""
    return max(_doc_frequency(searcher, f"{name}_{suffix}", token) for name in QUERY_FIELDS)


def _token_query(token, suffix, weight, fields):
    parts = [Term(f"{name}_{suffix}", token, boost=FIELD_WEIGHTS[name] * weight) for name in fields]
    if suffix == "zh" and len(token) == 1 and analysis.has_han(token):
        # A one-character word ("寄", "拿", "掉") also matches the two-character words of an
        # FAQ's question that contain it ("邮寄", "拿到", "掉了"), at a lower weight.
        parts.append(Term("chars_zh", token, boost=CHAR_WEIGHT * weight))
    return Or(parts)


def _concept_query(alts, suffix, fields):
    options = []
    for tokens, weight in alts:
        if len(tokens) == 1:
            options.append(_token_query(tokens[0], suffix, weight, fields))
        else:
            options.append(And([_token_query(t, suffix, weight, fields) for t in tokens]))
    return options[0] if len(options) == 1 else BestOf(options)


def _build(concepts_by_lang, fields=QUERY_FIELDS, required=()):
    """OR of the concepts (per language); for a language in `required`, AND instead."""
    parts = []
    for lang, concepts in concepts_by_lang.items():
        suffix = _suffix(lang)
        clauses = [_concept_query(alts, suffix, fields) for alts in concepts]
        if clauses:
            parts.append(And(clauses) if lang in required and len(clauses) > 1 else Or(clauses))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Or(parts)


def _gram_query(text):
    """Character and pinyin bigrams of a Chinese-page query (folded), or None."""
    parts = []
    grams = list(dict.fromkeys(analysis.han_bigrams(text)))[:MAX_GRAMS]
    for g in grams:
        if GRAM_Q_WEIGHT:
            # A bigram that is a common word (多少, 时间) is weighted down as that word is.
            parts.append(Term("gramq_zh", g, boost=GRAM_Q_WEIGHT * general_weight(g)))
    if PINYIN_WEIGHT:
        for p in list(dict.fromkeys(analysis.pinyin_bigrams(text)))[:MAX_GRAMS]:
            parts.append(Term("py_zh", p, boost=PINYIN_WEIGHT))
    return Or(parts) if parts else None


def _char_fallback(text):
    """When nothing matched a Chinese query: its characters against the questions' characters."""
    chars = [c for c in dict.fromkeys(text) if analysis.has_han(c) and c not in analysis.ZH_STOP_WORDS]
    if not chars:
        return None
    return Or([Term("chars_zh", c) for c in chars[:MAX_QUERY_TERMS]])


def _doc_frequency(searcher, fieldname, token):
    """Document frequency, cached per searcher (citizens' words repeat from query to query)."""
    cache = searcher.__dict__.setdefault("_portal_df", {})
    key = (fieldname, token)
    if key not in cache:
        cache[key] = searcher.reader().doc_frequency(fieldname, token)
    return cache[key]
