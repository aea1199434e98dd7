"""The one search index (Whoosh) over published FAQs and public pages, in both languages.

Used by the site search page, the JSON API, the chatbot and the duty desk, through five calls:

- `search(query, lang="zh-hans", kind=None, limit=10, all_languages=False, page_type=None)`
  → list[Hit]; `query(...)` returns the same hits plus the "did you mean" correction.
- `suggest(prefix, lang, limit)` → titles for autocomplete.
- `index_object(obj)`, `remove_object(obj)`: bring one FAQ or page up to date now.
- `rebuild(stdout=None)`: the whole index from the database.

Only published, unexpired, public content is ever returned: drafts and private pages are never
indexed, and expiry is checked at query time against a stored `expires_at` (so a notice leaves
the results the moment it expires, without any re-index); a rebuild drops expired documents.

How a query is made (see docs/search.md): the text is normalized and capped, analyzed with the
field's analyzer (rjieba words for Chinese, stems for English), capped again in terms, expanded
with the synonym sets, misspelled English words get their closest indexed word added, and every
term is looked up in the question/title, alternate phrasings, category and body fields with
decreasing weights. Terms are OR-ed with a coordination bonus: more matching terms rank higher,
but a question never needs every word to match. A deadline stops any query that runs too long.

Processes: each process keeps one searcher per thread and checks the index generation before
every query (a directory listing), opening a new searcher when any process has committed, so a
commit by another process is seen at once. Writers take Whoosh's file
lock, waiting up to WRITE_TIMEOUT seconds. A missing, outdated or unreadable index is rebuilt from
the database with a logged warning, under an exclusive file lock so that only one process
rebuilds.
"""

import fcntl
import functools
import logging
import threading
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from whoosh import index as whoosh_index
from whoosh.collectors import FilterCollector, TermsCollector, TopCollector, WrappingCollector
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.matching import DisjunctionMaxMatcher
from whoosh.query import And, DisjunctionMax, NumericRange, Or, Prefix, Term
from whoosh.scoring import BM25F
from whoosh.searching import TimeLimit
from whoosh.writing import CLEAR

from portal.sanitize import clean_html

from . import analysis, scoring, synonyms

logger = logging.getLogger(__name__)

# Bump when the schema or an analyzer changes: the index is then rebuilt at first use.
SCHEMA_VERSION = 6
INDEX_NAME = f"portal_v{SCHEMA_VERSION}"

LANGS = ("zh-hans", "en")
KINDS = ("faq", "page")
PAGE_TYPES = ("guide", "notice", "station", "standard")

# Bounds that make every query cheap, whatever the input (cf. Wagtail's CVE-2024-39317).
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
MAX_EXPANSION_TERMS = 8
MAX_LIMIT = 100
QUERY_TIME_LIMIT = 0.1  # seconds of matching; the best hits found so far are returned
MAX_BODY_CHARS = 20_000
WRITE_TIMEOUT = 30.0  # seconds a writer waits for another process's lock

# Field weights. A citizen's question is closest to an FAQ's question and its alternate
# phrasings; the answer and page body decide only when those tie.
FIELD_WEIGHTS = {"title": 3.0, "alt": 3.0, "category": 0.8, "body": 0.6}
# Fields a query looks in: the question side (question and alternate phrasings, or a page's title
# and description) and the body (answer or page text, with the category name). Two fields, not
# four, halve the matchers per query word; measured with no loss of quality.
QUERY_FIELDS = ("alt", "body")
# A query word in more than COMMON_SHARE of the documents (and more than COMMON_MIN_DOCS) only
# ranks, it does not select documents: that is what keeps queries of common words fast.
COMMON_SHARE = 0.05
COMMON_MIN_DOCS = 300
EXPANSION_WEIGHT = 0.7
CORRECTION_WEIGHT = 0.8
CHAR_WEIGHT = 0.5
COVERAGE = 1.0  # share of the score scaled by the share of the query's concepts matched (Lucene's coord)
CANDIDATES = 20  # documents re-ranked by coverage

SNIPPET_CHARS = 160


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


def schema():
    zh = analysis.ChineseAnalyzer()
    en = analysis.EnglishAnalyzer()
    fields = {
        "doc_id": ID(unique=True, stored=True),
        "kind": ID(stored=True),
        "page_type": ID(stored=True),
        "lang": ID(stored=True),
        "key": ID(stored=True),
        "object_id": STORED(),
        "url": STORED(),
        "title": STORED(),
        "expires_at": NUMERIC(int, bits=64, stored=True),
        "spell_en": TEXT(analysis.EnglishSpellingAnalyzer()),
        "chars_zh": TEXT(analysis.HanCharAnalyzer()),
    }
    for suffix, analyzer in (("zh", zh), ("en", en)):
        fields[f"title_{suffix}"] = TEXT(analyzer)
        fields[f"alt_{suffix}"] = TEXT(analyzer)
        fields[f"category_{suffix}"] = TEXT(analyzer)
        fields[f"body_{suffix}"] = TEXT(analyzer, stored=True)
    return Schema(**fields)


def _suffix(lang):
    return "zh" if lang == "zh-hans" else "en"


_ANALYZERS = {}


def _analyzers():
    if not _ANALYZERS:
        _ANALYZERS["zh"] = analysis.ChineseAnalyzer()
        _ANALYZERS["en"] = analysis.EnglishAnalyzer()
        _ANALYZERS["spell"] = analysis.EnglishSpellingAnalyzer()
    return _ANALYZERS


# --- Opening, locking, recovering -----------------------------------------------------------

_open_lock = threading.Lock()
_ix = {"path": None, "index": None}
_local = threading.local()


def index_dir():
    return settings.SEARCH_INDEX_DIR


@contextmanager
def _rebuild_lock():
    """An exclusive lock across processes while the index is created or rebuilt."""
    path = index_dir()
    path.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".search-index.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _forget():
    """Drop this process's open index and searchers (after a rebuild or a failure)."""
    with _open_lock:
        _ix["index"] = None
        _ix["path"] = None
    _local.__dict__.clear()


def _get_index():
    path = index_dir()
    ix = _ix["index"]
    if ix is not None and _ix["path"] == path:
        return ix
    with _open_lock:
        if _ix["index"] is None or _ix["path"] != path:
            if not whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
                logger.warning("search: no index at %s, building it from the database", path)
                _rebuild_locked(create=True, only_if_missing=True)
            _ix["index"] = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
            _ix["path"] = path
        return _ix["index"]


def _searcher():
    """This thread's searcher, refreshed to the latest commit of any process."""
    ix = _get_index()
    searcher = getattr(_local, "searcher", None)
    if searcher is None or getattr(_local, "ix", None) is not ix or ix.latest_generation() != _local.generation:
        # Not Searcher.refresh(): it reuses the readers of unchanged segments, and so keeps
        # serving documents that another commit deleted from them. A fresh searcher is cheap.
        old = searcher
        searcher = ix.searcher(weighting=BM25F())
        searcher._portal_filters = {}
        _local.searcher = searcher
        _local.ix = ix
        _local.generation = searcher.reader().generation()
        if old is not None:
            try:
                old.close()
            except Exception:  # already closed or its files are gone: nothing to release
                logger.debug("search: closing an old searcher failed", exc_info=True)
    return searcher


def _index_errors():
    """Exceptions that mean the index files are missing, truncated or garbled."""
    import pickle
    import struct
    import zlib

    from whoosh.index import IndexError as WhooshIndexError

    return (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, WhooshIndexError, KeyError)


_last_recovery = {"at": -1e9}
RECOVERY_INTERVAL = 60.0  # seconds: a broken index is rebuilt at most this often per process


def _recover(exc):
    """Rebuild an unreadable index from the database (logged). Any other error is re-raised, so a
    bug never turns into a rebuild storm; and at most one rebuild a minute per process."""
    if not isinstance(exc, _index_errors()):
        raise exc
    now = time.monotonic()
    if now - _last_recovery["at"] < RECOVERY_INTERVAL:
        raise exc
    _last_recovery["at"] = now
    logger.warning("search: index at %s unreadable (%r); rebuilding it from the database", index_dir(), exc)
    _forget()
    _rebuild_locked(create=True)
    _forget()


# --- Documents ------------------------------------------------------------------------------


def _faq_page_urls():
    from cms.models import FAQIndexPage

    urls = {}
    for page in FAQIndexPage.objects.live().public().select_related("locale"):
        urls.setdefault(page.locale_id, page.get_url())
    return urls


def _faq_doc(faq, faq_urls):
    lang = faq.locale.language_code
    suffix = _suffix(lang)
    base = faq_urls.get(faq.locale_id)
    answer = faq.answer_text[:MAX_BODY_CHARS]
    category = faq.category.name if faq.category_id else ""
    doc = {
        "doc_id": f"faq:{faq.pk}",
        "kind": "faq",
        "page_type": "",
        "lang": lang,
        "key": faq.key,
        "object_id": faq.pk,
        "url": f"{base}#faq-{faq.key}" if base else "",
        "title": faq.question,
        f"title_{suffix}": faq.question,
        f"alt_{suffix}": "\n".join([faq.question, *faq.paraphrase_list]),
        f"category_{suffix}": category,
        f"body_{suffix}": f"{answer}\n{category}" if category else answer,
    }
    if suffix == "en":
        doc["spell_en"] = " ".join([faq.question, *faq.paraphrase_list, category, answer])
    else:
        doc["chars_zh"] = " ".join([faq.question, *faq.paraphrase_list])
    return doc


PAGE_MODELS = {}


def _page_models():
    if not PAGE_MODELS:
        from cms.models import NoticePage, ServiceGuidePage, StandardPage, StationPage

        PAGE_MODELS.update(
            {ServiceGuidePage: "guide", NoticePage: "notice", StationPage: "station", StandardPage: "standard"}
        )
    return PAGE_MODELS


def _page_type(page):
    for model, name in _page_models().items():
        if isinstance(page, model):
            return name
    return None


def _page_doc(page):
    lang = page.locale.language_code
    suffix = _suffix(lang)
    page_type = _page_type(page)
    summary = getattr(page, "summary", "") or ""
    body = " ".join(p for p in [summary, page.search_text()] if p)[:MAX_BODY_CHARS]
    category = getattr(page, "service_area", "") or ""
    if page_type == "notice":
        category = page.get_category_display()
    expires = getattr(page, "expires_at", None)
    doc = {
        "doc_id": f"page:{page.pk}",
        "kind": "page",
        "page_type": page_type,
        "lang": lang,
        "key": str(page.pk),
        "object_id": page.pk,
        "url": page.get_url() or "",
        "title": page.title,
        f"title_{suffix}": page.title,
        f"alt_{suffix}": "\n".join(p for p in [page.title, page.search_description] if p),
        f"category_{suffix}": category,
        f"body_{suffix}": f"{body}\n{category}" if category else body,
    }
    if expires is not None:
        doc["expires_at"] = int(expires.timestamp())
    if suffix == "en":
        doc["spell_en"] = " ".join([page.title, category, body])
    else:
        doc["chars_zh"] = page.title
    return doc


def _is_public_page(page):
    return page.live and not page.get_view_restrictions().exists()


def _published_faqs():
    from cms.models import FAQ

    return FAQ.objects.filter(live=True).select_related("category", "locale").order_by("pk")


def _public_pages(model):
    qs = model.objects.live().public().select_related("locale").order_by("pk")
    if hasattr(qs, "current"):
        qs = qs.current()
    return qs


# --- Writing --------------------------------------------------------------------------------


def _writer(ix):
    return ix.writer(timeout=WRITE_TIMEOUT)


def _docs_for(items):
    """(doc_id, document or None) for ("faq"|"page", pk) items, read from the database now."""
    from wagtail.models import Page

    from cms.models import FAQ

    faq_urls = None
    out = []
    for kind, pk in items:
        doc = None
        if kind == "faq":
            faq = FAQ.objects.filter(pk=pk, live=True).select_related("category", "locale").first()
            if faq is not None:
                faq_urls = faq_urls if faq_urls is not None else _faq_page_urls()
                doc = _faq_doc(faq, faq_urls)
        else:
            page = Page.objects.filter(pk=pk).select_related("locale").first()
            if page is not None:
                page = page.specific
                if _page_type(page) and _is_public_page(page):
                    doc = _page_doc(page)
        out.append((f"{kind}:{pk}", doc))
    return out


def sync(items):
    """Bring the documents of ("faq"|"page", pk) items up to date from the database: index the
    published, public ones; remove the others (unpublished, private, deleted)."""
    items = list(dict.fromkeys(items))
    if not items:
        return
    docs = _docs_for(items)
    for attempt in (1, 2):
        try:
            ix = _get_index()
            with _writer(ix) as writer:
                for doc_id, doc in docs:
                    if doc is None:
                        writer.delete_by_term("doc_id", doc_id)
                    else:
                        writer.update_document(**doc)
            return
        except Exception as exc:
            if attempt == 2 or _is_lock_error(exc):
                raise
            _recover(exc)  # re-raises anything that is not a broken index


def _is_lock_error(exc):
    from whoosh.index import LockError

    return isinstance(exc, LockError)


def _item(obj):
    from wagtail.models import Page

    from cms.models import FAQ

    if isinstance(obj, FAQ):
        return ("faq", obj.pk)
    if isinstance(obj, Page):
        return ("page", obj.pk)
    raise TypeError(f"cannot index {type(obj).__name__}")


def index_object(obj):
    """Index one FAQ or page now, as published (removed when it is not published and public)."""
    sync([_item(obj)])


def remove_object(obj):
    """Remove one FAQ or page from the index now."""
    item = _item(obj)
    ix = _get_index()
    with _writer(ix) as writer:
        writer.delete_by_term("doc_id", f"{item[0]}:{item[1]}")


def _all_docs():
    faq_urls = _faq_page_urls()
    for faq in _published_faqs().iterator(chunk_size=500):
        yield _faq_doc(faq, faq_urls)
    for model in _page_models():
        for page in _public_pages(model).iterator(chunk_size=200):
            yield _page_doc(page)


def _rebuild_locked(create=False, only_if_missing=False, stdout=None):
    """Rebuild from the database under the cross-process rebuild lock. Returns counts.

    An existing readable index is replaced in one commit (readers keep their old view until
    then); a missing or unreadable one is created afresh."""
    path = index_dir()
    with _rebuild_lock():
        if only_if_missing and whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
            return None
        ix = None
        if not create and whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
            try:
                ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
            except Exception as exc:
                logger.warning("search: cannot open index for rebuild (%r); creating a new one", exc)
                ix = None
        if ix is None:
            path.mkdir(parents=True, exist_ok=True)
            ix = whoosh_index.create_in(str(path), schema(), indexname=INDEX_NAME)
        counts = {}
        writer = ix.writer(timeout=WRITE_TIMEOUT, limitmb=128)
        try:
            for doc in _all_docs():
                writer.add_document(**doc)
                key = (doc["kind"], doc["lang"])
                counts[key] = counts.get(key, 0) + 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR, optimize=True)
        return counts


def rebuild(stdout=None):
    """Rebuild the index from the database. Returns {(kind, lang): count}; prints a summary to
    `stdout` when given."""
    started = time.monotonic()
    _forget()
    counts = _rebuild_locked(create=False)
    _forget()
    elapsed = time.monotonic() - started
    if stdout is not None:
        for (kind, lang), n in sorted(counts.items()):
            stdout.write(f"{kind:5} {lang:8} {n:6}\n")
        stdout.write(f"Indexed {sum(counts.values())} documents in {elapsed:.2f} s\n")
    return counts


def clear():
    """Empty the index (tests and benchmarks)."""
    _forget()
    with _rebuild_lock():
        index_dir().mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(index_dir()), schema(), indexname=INDEX_NAME)
    _forget()


_local_changes = [0]


def note_change():
    """Content may have changed in this process (called at once by the signals, before the
    transaction commits and the index hears): see `content_version`."""
    _local_changes[0] += 1


def content_version():
    """A value that changes whenever what a search returns may have changed: a commit to the
    index by any process, an edit of the synonym sets, and at once a content change made in this
    process. Caches of answers built from search results (the chatbot's) compare it."""
    return (_get_index().latest_generation(), synonyms.stamp(), _local_changes[0])


def doc_count():
    return _searcher().doc_count()


# --- Querying -------------------------------------------------------------------------------


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


def clean_query(text):
    """The query as searched: NFKC, control characters removed, white space collapsed, capped."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


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
    return concepts[: MAX_QUERY_TERMS + MAX_EXPANSION_TERMS], correction


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


def _char_fallback(text):
    """When nothing matched a Chinese query: its characters against the questions' characters."""
    chars = [c for c in dict.fromkeys(text) if analysis.has_han(c) and c not in analysis.ZH_STOP_WORDS]
    if not chars:
        return None
    return Or([Term("chars_zh", c) for c in chars[:MAX_QUERY_TERMS]])


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


def _validate(lang, kind, page_type, limit):
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if kind not in (None, *KINDS):
        raise ValueError(f"unknown kind {kind!r}")
    if page_type not in (None, *PAGE_TYPES):
        raise ValueError(f"unknown page type {page_type!r}")
    return max(1, min(int(limit), MAX_LIMIT))


def query(text, lang="zh-hans", kind=None, limit=10, all_languages=False, page_type=None, snippets=True):
    """Search and return an Outcome: hits, the "did you mean" text, whether time ran out."""
    limit = _validate(lang, kind, page_type, limit)
    if page_type:
        kind = "page"
    text = clean_query(text)
    if not text:
        return Outcome()
    for attempt in (1, 2):
        try:
            return _query(text, lang, kind, limit, all_languages, page_type, snippets)
        except Exception as exc:
            try:
                if attempt == 2:
                    raise
                _recover(exc)
            except Exception:
                logger.exception("search: query failed")
                return Outcome()
    return Outcome()


def _query(text, lang, kind, limit, all_languages, page_type, snippets):
    searcher = _searcher()
    arrays = scoring.scorer_for(searcher)
    langs = LANGS if all_languages else (lang,)
    concepts_by_lang = {}
    correction = ""
    for one in langs:
        concepts, corr = _concepts(searcher, text, one)
        if concepts:
            concepts_by_lang[one] = concepts
        correction = correction or corr
    terms_by_lang = {
        one: [t for alts in concepts for tokens, _w in alts for t in tokens]
        for one, concepts in concepts_by_lang.items()
    }
    allowed = _allowed(searcher, arrays, lang, kind, page_type, all_languages)
    universe = int(allowed.sum())
    pool = max(limit, CANDIDATES)
    matching, required = _matching_concepts(searcher, arrays, concepts_by_lang, universe, pool, allowed)
    q = _build(matching, required=required)
    if q is None:
        return Outcome(correction=correction)
    ranked, timed_out = _run(arrays, q, pool, allowed, concepts_by_lang)
    if not ranked and "zh-hans" in langs and analysis.has_han(text):
        fallback = _char_fallback(text)
        if fallback is not None:
            ranked, timed_out = _run(arrays, fallback, pool, allowed, None)
    if timed_out:
        logger.warning("search: a query hit the time limit of %.2f s", QUERY_TIME_LIMIT)
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
    query looks in: an array aligned with `docnums`."""
    docnums = np.asarray(docnums, dtype=np.int64)
    total = 0.0
    got = np.zeros(len(docnums))
    for lang, concepts in concepts_by_lang.items():
        suffix = _suffix(lang)
        for alts in concepts:
            weight = max(w for _t, w in alts)
            total += weight
            # (Any one-character word counts by its characters here, as in the query.)
            got += weight * _concept_docs(arrays, alts, suffix, chars_rule=lambda _t: True)[docnums]
    return got / total if total else np.ones(len(docnums))


def _doc_frequency(searcher, fieldname, token):
    """Document frequency, cached per searcher (citizens' words repeat from query to query)."""
    cache = searcher.__dict__.setdefault("_portal_df", {})
    key = (fieldname, token)
    if key not in cache:
        cache[key] = searcher.reader().doc_frequency(fieldname, token)
    return cache[key]


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
        scored = [(d, s * ((1 - COVERAGE) + COVERAGE * float(c))) for (d, s), c in zip(scored, cover, strict=True)]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored, timed_out


def search(query_text, lang="zh-hans", kind=None, limit=10, all_languages=False, page_type=None):
    """Published, unexpired, public FAQs and pages matching `query_text`, best first."""
    return query(query_text, lang, kind, limit, all_languages, page_type).hits


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
    analyzer = _analyzers()[suffix]
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
