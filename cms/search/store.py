"""The index's storage: schema, opening and per-thread searchers, writing, rebuilding and
recovery from an unreadable index (see docs/search.md "Several processes").

Each process keeps one searcher per thread and checks the index generation before every query
(a directory listing), opening a new searcher when any process has committed. Writers take
Whoosh's file lock, waiting up to WRITE_TIMEOUT seconds. A missing, outdated or unreadable index
is rebuilt from the database with a logged warning, under an exclusive file lock so that only one
process rebuilds.
"""

import fcntl
import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.scoring import BM25F
from whoosh.writing import CLEAR

from . import analysis, synonyms
from .documents import _all_docs, _docs_for

logger = logging.getLogger("cms.search.index")


# Bump when the schema or an analyzer changes: the index is then rebuilt at first use.
SCHEMA_VERSION = 11


INDEX_NAME = f"portal_v{SCHEMA_VERSION}"


KINDS = ("faq", "page")


PAGE_TYPES = ("guide", "notice", "station", "standard")


WRITE_TIMEOUT = 30.0  # seconds a writer waits for another process's lock


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
        "sem": STORED(),  # the document's embedding vectors (cms/search/semantic.py)
        "expires_at": NUMERIC(int, bits=64, stored=True),
        "spell_en": TEXT(analysis.EnglishSpellingAnalyzer()),
        "chars_zh": TEXT(analysis.HanCharAnalyzer()),
        "gramq_zh": TEXT(analysis.HanBigramAnalyzer()),
        "py_zh": TEXT(analysis.PinyinAnalyzer()),
    }
    for suffix, analyzer in (("zh", zh), ("en", en)):
        fields[f"title_{suffix}"] = TEXT(analyzer)
        fields[f"alt_{suffix}"] = TEXT(analyzer)
        fields[f"category_{suffix}"] = TEXT(analyzer)
        fields[f"body_{suffix}"] = TEXT(analyzer, stored=True)
    return Schema(**fields)


_ANALYZERS = {}


def _analyzers():
    if not _ANALYZERS:
        _ANALYZERS["zh"] = analysis.ChineseAnalyzer()
        _ANALYZERS["en"] = analysis.EnglishAnalyzer()
        _ANALYZERS["spell"] = analysis.EnglishSpellingAnalyzer()
    return _ANALYZERS


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


def _writer(ix):
    return ix.writer(timeout=WRITE_TIMEOUT)


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
