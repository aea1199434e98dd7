"""The one search index (Whoosh) over published FAQs and public pages, in both languages: the
facade every caller imports (the search page, the JSON API, the chatbot, the duty desk).

- `search(query, lang="zh-hans", kind=None, limit=10, all_languages=False, page_type=None,
  fallback=False)` → list[Hit]; `query(...)` returns an Outcome: the same hits plus the "did you
  mean" correction, the key terms searched when the input was too long, and the other language
  whose results these are (with `fallback`).
- `suggest(prefix, lang, limit)` → titles for autocomplete.
- `index_object(obj)`, `remove_object(obj)`: bring one FAQ or page up to date now.
- `rebuild(stdout=None)`, `clear()`, `content_version()`, `doc_count()`.

The work is done along its seams (docs/search.md):

| module | what |
|---|---|
| `store.py` | schema, opening, per-thread searchers, writing, rebuilding, recovery |
| `documents.py` | what is indexed for an FAQ or a page |
| `querying.py` | cleaning and cutting input, analysis, synonyms, spelling, fields and weights |
| `ranking.py` | filters, expiry, selecting concepts, BM25F over arrays, coverage |
| `snippets.py` | the highlighted snippet |

Only published, unexpired, public content is ever returned: drafts and private pages are never
indexed, and expiry is checked at query time against a stored `expires_at`.
"""

import logging
from dataclasses import dataclass, field

from whoosh.query import Or, Prefix
from whoosh.searching import TimeLimit

from . import analysis, scoring, semantic, store
from .documents import (  # noqa: F401  (re-exported)
    LANGS,
    MAX_BODY_CHARS,
    PAGE_MODELS,
    _all_docs,
    _docs_for,
    _faq_doc,
    _faq_page_urls,
    _page_doc,
    _page_type,
    _suffix,
)
from .querying import (  # noqa: F401  (re-exported)
    CHAR_WEIGHT,
    CORRECTION_WEIGHT,
    EXPANSION_WEIGHT,
    FIELD_WEIGHTS,
    GRAM_Q_WEIGHT,
    MAX_EXPANSION_TERMS,
    MAX_INPUT_CHARS,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    PINYIN_WEIGHT,
    QUERY_FIELDS,
    BestOf,
    _build,
    _char_fallback,
    _concepts,
    _doc_frequency,
    _gram_query,
    _other_script,
    _shorten,
    _terms,
    clean_query,
)
from .ranking import (  # noqa: F401  (re-exported)
    CANDIDATES,
    COMMON_MIN_DOCS,
    COMMON_SHARE,
    COVERAGE,
    QUERY_TIME_LIMIT,
    DeadlineCollector,
    _allowed,
    _collector,
    _expired_mask,
    _filter,
    _matching_concepts,
    _run,
)
from .snippets import SNIPPET_CHARS, _snippet  # noqa: F401  (re-exported)
from .store import (  # noqa: F401  (re-exported)
    INDEX_NAME,
    KINDS,
    PAGE_TYPES,
    SCHEMA_VERSION,
    _forget,
    _get_index,
    _recover,
    _searcher,
    clear,
    content_version,
    doc_count,
    index_dir,
    index_object,
    note_change,
    rebuild,
    remove_object,
    schema,
    sync,
)

logger = logging.getLogger(__name__)


MAX_LIMIT = 100


@dataclass
class Hit:
    kind: str
    key: str
    lang: str
    title: str
    url: str
    snippet: str
    score: float
    page_type: str | None = None
    object_id: int | None = None
    snippet_html: str = ""


@dataclass
class Outcome:
    hits: list = field(default_factory=list)
    correction: str = ""  # "did you mean" query text, or ""
    timed_out: bool = False
    searched: str = ""  # the text searched when the input was over MAX_QUERY_CHARS (its key terms), else ""
    fallback_lang: str = ""  # the other language whose results these are (the page language had none), else ""


def _validate(lang, kind, page_type, limit):
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if kind not in (None, *KINDS):
        raise ValueError(f"unknown kind {kind!r}")
    if page_type not in (None, *PAGE_TYPES):
        raise ValueError(f"unknown page type {page_type!r}")
    return max(1, min(int(limit), MAX_LIMIT))


def query(
    text, lang="zh-hans", kind=None, limit=10, all_languages=False, page_type=None, snippets=True, fallback=False
):
    """Search and return an Outcome: hits, the "did you mean" text, whether time ran out, the
    text searched when the input was cut, and (with `fallback`) the other language whose results
    these are when the page language had none or the query is plainly in the other language."""
    limit = _validate(lang, kind, page_type, limit)
    if page_type:
        kind = "page"
    text = clean_query(text)
    if not text:
        return Outcome()
    for attempt in (1, 2):
        try:
            return _query_with_fallback(text, lang, kind, limit, all_languages, page_type, snippets, fallback)
        except Exception as exc:
            try:
                if attempt == 2:
                    raise
                _recover(exc)
            except Exception:
                logger.exception("search: query failed")
                return Outcome()
    return Outcome()


def _query_with_fallback(text, lang, kind, limit, all_languages, page_type, snippets, fallback):
    """Search the page language; when it finds nothing, or the query is plainly in the other
    language ("passport" on the Chinese site, "护照" on the English one), the other language's
    results, marked with `fallback_lang`. Over-long input is cut to its key terms first."""
    searched = ""
    if len(text) > MAX_QUERY_CHARS:
        searched = text = _shorten(_searcher(), text, lang)
    outcome = _query(text, lang, kind, limit, all_languages, page_type, snippets)
    outcome.searched = searched
    if all_languages or not fallback:
        return outcome
    other = LANGS[1] if lang == LANGS[0] else LANGS[0]
    if outcome.hits and not _other_script(text, lang):
        return outcome
    alternative = _query(text, other, kind, limit, False, page_type, snippets)
    if alternative.hits and (not outcome.hits or _other_script(text, lang)):
        alternative.searched = searched
        alternative.fallback_lang = other
        return alternative
    return outcome


def _first_stage(searcher, arrays, text, lang, kind, limit, all_languages, page_type):
    """The first stage: (ranked [(docnum, score)] best first, correction, timed out, concepts by
    language, the Chinese complements [(fieldname, text, boost)])."""
    langs = LANGS if all_languages else (lang,)
    text = analysis.fold(text)
    concepts_by_lang = {}
    correction = ""
    for one in langs:
        concepts, corr = _concepts(searcher, text, one)
        if concepts:
            concepts_by_lang[one] = concepts
        correction = correction or corr
    allowed = _allowed(searcher, arrays, lang, kind, page_type, all_languages)
    universe = int(allowed.sum())
    pool = max(limit, CANDIDATES)
    matching, required = _matching_concepts(searcher, arrays, concepts_by_lang, universe, pool, allowed)
    q = _build(matching, required=required)
    grams = None
    if "zh-hans" in langs:
        grams = _gram_query(text)
        if grams is not None:
            q = grams if q is None else Or([q, grams])
    gram_terms = [(t.fieldname, t.text, t.boost) for t in grams.subqueries] if grams is not None else []
    if q is None:
        return [], correction, False, concepts_by_lang, gram_terms
    ranked, timed_out = _run(arrays, q, pool, allowed, concepts_by_lang)
    if not ranked and "zh-hans" in langs and analysis.has_han(text):
        fallback = _char_fallback(text)
        if fallback is not None:
            ranked, timed_out = _run(arrays, fallback, pool, allowed, None)
    ranked = semantic.rerank(searcher, ranked, text)
    return ranked, correction, timed_out, concepts_by_lang, gram_terms


def _query(text, lang, kind, limit, all_languages, page_type, snippets):
    searcher = _searcher()
    arrays = scoring.scorer_for(searcher)
    ranked, correction, timed_out, concepts_by_lang, _grams = _first_stage(
        searcher, arrays, text, lang, kind, limit, all_languages, page_type
    )
    if timed_out:
        logger.warning("search: a query hit the time limit of %.2f s", QUERY_TIME_LIMIT)
    terms_by_lang = {
        one: [t for alts in concepts for tokens, _w in alts for t in tokens]
        for one, concepts in concepts_by_lang.items()
    }
    hits = []
    for docnum, score in ranked[:limit]:
        stored = searcher.stored_fields(docnum)
        hit_lang = stored["lang"]
        plain, html = ("", "")
        if snippets:
            plain, html = _snippet(stored, hit_lang, terms_by_lang.get(hit_lang, []))
        hits.append(
            Hit(
                kind=stored["kind"],
                key=stored["key"],
                lang=hit_lang,
                title=stored["title"],
                url=stored["url"],
                snippet=plain,
                snippet_html=html,
                score=round(score, 4),
                page_type=stored.get("page_type") or None,
                object_id=stored.get("object_id"),
            )
        )
    return Outcome(hits=hits, correction=correction, timed_out=timed_out)


def search(query_text, lang="zh-hans", kind=None, limit=10, all_languages=False, page_type=None, fallback=False):
    """Published, unexpired, public FAQs and pages matching `query_text`, best first (with
    `fallback`, possibly in the other language: see `query`)."""
    return query(query_text, lang, kind, limit, all_languages, page_type, fallback=fallback).hits


def suggest(prefix, lang="zh-hans", limit=6):
    """Autocomplete: up to `limit` {"title", "url", "kind"} whose question or title matches the
    words typed so far (the last English word may be incomplete)."""
    limit = _validate(lang, None, None, limit)
    text = clean_query(prefix)
    if not text:
        return []
    for attempt in (1, 2):
        try:
            return _suggest(text, lang, limit)
        except Exception as exc:
            try:
                if attempt == 2:
                    raise
                _recover(exc)
            except Exception:
                logger.exception("search: suggest failed")
                return []
    return []


def _suggest(text, lang, limit):
    searcher = _searcher()
    suffix = _suffix(lang)
    concepts, _corr = _concepts(searcher, text, lang)
    q = _build({lang: concepts}, fields=("alt",)) if concepts else None
    if lang == "en":
        words = text.lower().split()
        last = words[-1] if words else ""
        if len(last) >= 2 and last.isalpha():
            prefix = Or([Prefix(f"title_{suffix}", last[:12]), Prefix(f"alt_{suffix}", last[:12])], boost=0.5)
            q = Or([q, prefix]) if q is not None else prefix
    if q is None:
        return []
    collector = _collector(limit * 2, _filter(searcher, lang, None, None, False), _expired_mask(searcher), False)
    try:
        searcher.search_with_collector(q, collector)
    except TimeLimit:
        pass
    out = []
    seen = set()
    for r in collector.results():
        stored = r.fields()
        if stored["title"] in seen:
            continue
        seen.add(stored["title"])
        out.append({"title": stored["title"], "url": stored["url"], "kind": stored["kind"]})
        if len(out) >= limit:
            break
    return out


def document_frequencies(words, lang):
    """(number of documents, {word: in how many documents of `lang` it occurs}) for words as the
    chat's answer decision splits a question: each word analyzed like the query, its longest
    token counted in the query fields. A word no document has counts 0."""
    suffix = _suffix(lang)
    analyzer = store._analyzers()[suffix]
    try:
        searcher = _searcher()
    except Exception as exc:  # an unreadable index: nothing is known of any word
        _recover(exc)
        return 0, dict.fromkeys(words, 0)
    out = {}
    for word in words:
        tokens = [t.text for t in analyzer(word, mode="query")] or [word]
        token = max(tokens, key=len)
        out[word] = max(_doc_frequency(searcher, f"{name}_{suffix}", token) for name in QUERY_FIELDS)
    return searcher.doc_count(), out
