"""Ranking: which documents a query may return (filters, expiry), which concepts select
documents, BM25F over arrays (cms.search.scoring) and the coverage re-ranking."""

import time

import numpy as np
from django.utils import timezone
from whoosh.collectors import FilterCollector, TermsCollector, TopCollector, WrappingCollector
from whoosh.query import And, NumericRange, Term
from whoosh.searching import TimeLimit

from . import analysis, scoring
from .documents import _suffix
from .querying import QUERY_FIELDS, _doc_frequency

QUERY_TIME_LIMIT = 0.1  # seconds of matching; the best hits found so far are returned


# A query word in more than COMMON_SHARE of the documents (and more than COMMON_MIN_DOCS) only
# ranks, it does not select documents: that is what keeps queries of common words fast.
COMMON_SHARE = 0.05


COMMON_MIN_DOCS = 300


# Share of the score scaled by the share of the query's concepts a document matches (Lucene's
# coord), per language of the query. 1.0 for both: 0.5 for Chinese ranked police-dev 2 points
# better but raised weak matches' scores tenfold, and the chat's confidence reads these scores.
COVERAGE = {"zh-hans": 1.0, "en": 1.0}


CANDIDATES = 20  # documents re-ranked by coverage


class DeadlineCollector(WrappingCollector):
    """Stops collecting once `seconds` have passed, checked at every collected document (no
    thread, no signal: safe in any worker thread). The hits collected so far remain available.

    It sits inside Whoosh's FilterCollector (see `_collector`): Whoosh's own TimeLimitCollector
    wraps the filter and calls its child's collect() directly, which skips the filter."""

    def __init__(self, child, seconds):
        super().__init__(child)
        self.seconds = seconds
        self.deadline = None

    def prepare(self, top_searcher, q, context):
        self.deadline = time.monotonic() + self.seconds
        super().prepare(top_searcher, q, context)

    def collect(self, sub_docnum):
        if time.monotonic() > self.deadline:
            raise TimeLimit
        return self.child.collect(sub_docnum)

    def results(self):
        return self.child.results()


def _collector(limit, allow, restrict, terms):
    collector = TopCollector(limit=limit)
    if terms:
        collector = TermsCollector(collector)
    collector = DeadlineCollector(collector, QUERY_TIME_LIMIT)
    if allow is not None or restrict:
        collector = FilterCollector(collector, allow=allow, restrict=restrict or None)
    return collector


def _filter(searcher, lang, kind, page_type, all_languages):
    key = (None if all_languages else lang, kind, page_type)
    if key == (None, None, None):
        return None
    cache = searcher._portal_filters
    if key not in cache:
        parts = []
        if not all_languages:
            parts.append(Term("lang", lang))
        if kind:
            parts.append(Term("kind", kind))
        if page_type:
            parts.append(Term("page_type", page_type))
        cache[key] = set(searcher.docs_for_query(And(parts) if len(parts) > 1 else parts[0]))
    return cache[key]


def _expired_mask(searcher):
    """Documents whose expiry has passed. The (expiry, docnum) pairs are read once per searcher
    (only notices with an expiry have the field); each query only compares them with now."""
    expiring = getattr(searcher, "_portal_expiring", None)
    if expiring is None:
        docnums = searcher.docs_for_query(NumericRange("expires_at", None, None))
        expiring = [(searcher.stored_fields(d).get("expires_at"), d) for d in docnums]
        expiring = [(ts, d) for ts, d in expiring if ts is not None]
        searcher._portal_expiring = expiring
    now = int(timezone.now().timestamp())
    return {d for ts, d in expiring if ts <= now}


def _allowed(searcher, arrays, lang, kind, page_type, all_languages):
    """The documents a query may return, as a boolean array: live, in the filter (language, kind,
    page type) and not expired."""
    key = (None if all_languages else lang, kind, page_type)
    allowed = arrays.live
    if key != (None, None, None):
        allowed = allowed & arrays.mask(("filter", *key), _filter(searcher, lang, kind, page_type, all_languages))
    expired = _expired_mask(searcher)
    if expired:
        allowed = allowed & ~arrays.mask(("expired", frozenset(expired)), expired)
    return allowed


def _concept_weights(concepts_by_lang):
    """[(alternatives, weight)] of every concept: the weight of its best alternative. (Weighting
    concepts by their rarity as well was measured and made no difference.)"""
    return [(alts, max(w for _t, w in alts)) for concepts in concepts_by_lang.values() for alts in concepts]


def _token_docs(arrays, token, suffix, chars):
    """Which documents contain `token` in the fields a query looks in (and, for a one-character
    Chinese word when `chars`, in the questions' characters), as a boolean array."""
    found = np.zeros(arrays.size, dtype=bool)
    names = [f"{name}_{suffix}" for name in QUERY_FIELDS]
    if chars:
        names.append("chars_zh")
    for fieldname in names:
        found[arrays.docs(fieldname, token)] = True
    return found


def _concept_docs(arrays, alts, suffix, chars_rule=analysis.has_han):
    """Which documents a concept matches (any alternative with all of its tokens)."""
    out = np.zeros(arrays.size, dtype=bool)
    for tokens, _w in alts:
        docs = None
        for token in tokens:
            chars = suffix == "zh" and len(token) == 1 and chars_rule(token)
            ids = _token_docs(arrays, token, suffix, chars)
            docs = ids if docs is None else docs & ids
        if docs is not None:
            out |= docs
    return out


def _coverage(arrays, docnums, concepts_by_lang):
    """Share of the query's concepts (by weight) that each of `docnums` contains, in the fields a
    query looks in: an array aligned with `docnums`.

    When no concept of the query is in any document (a Chinese query typed in pinyin,
    "shenfenzheng buban", is found only by its pinyin bigrams), coverage cannot tell the
    documents apart and is 1 for all: it used to be 0 for all, which left every score 0 and the
    order to the document numbers."""
    docnums = np.asarray(docnums, dtype=np.int64)
    total = 0.0
    got = np.zeros(len(docnums))
    known = False
    for lang, concepts in concepts_by_lang.items():
        suffix = _suffix(lang)
        for alts in concepts:
            weight = max(w for _t, w in alts)
            total += weight
            # (Any one-character word counts by its characters here, as in the query.)
            docs = _concept_docs(arrays, alts, suffix, chars_rule=lambda _t: True)
            known = known or bool(docs.any())
            got += weight * docs[docnums]
    return got / total if total and known else np.ones(len(docnums))


def _matching_concepts(searcher, arrays, concepts_by_lang, universe, pool, allowed):
    """The concepts that select documents: all but the common ones (in more than COMMON_SHARE of
    `universe` documents and more than COMMON_MIN_DOCS); returns the concepts and the languages
    whose concepts are all required. Common words still count in the ranking (coverage); they just
    do not select documents on their own, so a query of common words does not rank half the index
    by one word.

    When every concept is common: the two rarest are required, and then, rarest first, every
    further concept that still leaves at least `pool` documents. The documents that match more of
    the query's words are the ones coverage ranks first anyway."""
    out = {}
    required = set()
    for lang, concepts in concepts_by_lang.items():
        suffix = _suffix(lang)
        rated = []
        for alts in concepts:
            df = max(
                (
                    _doc_frequency(searcher, f"{name}_{suffix}", t)
                    for toks, _w in alts
                    for t in toks
                    for name in QUERY_FIELDS
                ),
                default=0,
            )
            single_han = any(len(t) == 1 and analysis.has_han(t) for toks, _w in alts for t in toks)
            if df or single_han:  # a word in no document selects nothing (a one-character word: chars_zh)
                rated.append((df, alts))
        if not rated:
            out[lang] = concepts
            continue
        limit = max(COMMON_SHARE * universe, COMMON_MIN_DOCS)
        rare = [alts for df, alts in rated if df <= limit]
        if rare:
            out[lang] = rare
            continue
        ordered = [alts for _df, alts in sorted(rated, key=lambda pair: pair[0])]
        chosen = ordered[:2]
        required.add(lang)
        docs = allowed.copy()
        for alts in chosen:
            docs &= _concept_docs(arrays, alts, suffix)
        for alts in ordered[2:]:
            narrower = docs & _concept_docs(arrays, alts, suffix)
            if int(narrower.sum()) >= pool:
                chosen.append(alts)
                docs = narrower
        out[lang] = chosen
    return out, required


def _run(arrays, q, pool, allowed, concepts_by_lang):
    """The best `pool` allowed documents by BM25F, re-ranked by concept coverage:
    ([(docnum, score)], timed out?).

    A question's words are OR-ed, so that no word is required; coverage then makes a document
    that matches more of the question's concepts rank above one that matches a single concept
    very often (a plain sum of BM25 scores lets one rare word dominate)."""
    deadline = time.monotonic() + QUERY_TIME_LIMIT
    scores, matches, timed_out = scoring.evaluate(arrays, q, deadline)
    scored = scoring.top(scores, matches & allowed, pool)
    if concepts_by_lang and scored:
        cover = _coverage(arrays, [d for d, _s in scored], concepts_by_lang)
        share = COVERAGE[next(iter(concepts_by_lang))]
        scored = [(d, s * ((1 - share) + share * float(c))) for (d, s), c in zip(scored, cover, strict=True)]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored, timed_out
