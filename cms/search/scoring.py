"""Scoring a query with arrays instead of Whoosh's matcher trees.

Whoosh builds a tree of Python matcher objects for every query and walks it document by
document; for a citizen's question expanded with synonyms (40 terms and more) that tree alone
cost several milliseconds even on a 200-document index, and tens of milliseconds on 10,000.
Here the same BM25F scores are computed with numpy over cached arrays:

- per index segment (segments are immutable, so this survives commits): each field's length
  of every document (as Whoosh stores it, one byte, decoded the same way), and each looked-up
  term's postings (document numbers and term frequencies);
- per searcher (one index generation): each term's BM25F contribution per document, from the
  segment arrays and the global statistics (idf, average field length) Whoosh would use.

`evaluate(scorer, q)` then scores the query built by `cms.search.index._build` (Term, Or, And and
the concept node BestOf) for every document at once: Or adds, And adds where every part
matches, BestOf takes the best alternative. The result is the same ranking Whoosh's matchers
give (tests/search/test_scoring.py compares them), at a small and bounded cost per term.
"""

import bisect
import threading
import time
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.query import And, DisjunctionMax, Or, Term
from whoosh.util.numeric import byte_to_length

K1 = 1.2  # Whoosh's BM25F defaults (the searcher uses BM25F())
B = 0.75

_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)

# Segment arrays shared by every searcher of this process, least recently used dropped first.
SEGMENT_CACHE_ENTRIES = 200_000  # document numbers and lengths kept (a few MB)
_segment_cache = OrderedDict()
_segment_cache_size = [0]
_segment_lock = threading.Lock()


def _cache_get(key):
    with _segment_lock:
        value = _segment_cache.get(key)
        if value is not None:
            _segment_cache.move_to_end(key)
        return value


def _cache_put(key, value, size):
    with _segment_lock:
        if key in _segment_cache:
            return
        _segment_cache[key] = (value, size)
        _segment_cache_size[0] += size
        while _segment_cache_size[0] > SEGMENT_CACHE_ENTRIES and len(_segment_cache) > 1:
            _old_key, (_old, old_size) = _segment_cache.popitem(last=False)
            _segment_cache_size[0] -= old_size


def clear_cache():
    with _segment_lock:
        _segment_cache.clear()
        _segment_cache_size[0] = 0


def _segment_key(reader):
    segment = reader.segment()
    return (id(reader.storage) if segment is None else segment.segment_id(),)


def _segment_lengths(reader, fieldname):
    """Each document's length of `fieldname` in this segment, decoded as Whoosh does."""
    key = ("len", *_segment_key(reader), fieldname)
    found = _cache_get(key)
    if found is not None:
        return found[0]
    count = reader.doc_count_all()
    raw = np.zeros(count, dtype=np.uint8)
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is not None:
        stored = min(column._count, count)
        data = column._dbfile.get(column._basepos, stored * column._fixedlen)
        raw[:stored] = np.frombuffer(data, dtype=np.uint8, count=stored)
    lengths = _LENGTHS[raw]
    _cache_put(key, lengths, count)
    return lengths


def _segment_postings(reader, fieldname, text):
    """(document numbers, term frequencies) of a term in this segment, deleted documents included
    (the searcher masks them), or None when the segment lacks the term."""
    key = ("post", *_segment_key(reader), fieldname, text)
    found = _cache_get(key)
    if found is not None:
        return found[0]
    if (fieldname, text) not in reader:
        _cache_put(key, (), 1)
        return ()
    btext = reader._text_to_bytes(fieldname, text)
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    ids, weights = [], []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # Whole blocks at a time (W3LeafMatcher): a fraction of the per-posting cost.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:  # any other codec: the public, slower way
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    value = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
    _cache_put(key, value, len(ids) + 1)
    return value


class Scorer:
    """A searcher's arrays: which documents are live, and each term's BM25F scores."""

    TERM_CACHE_ENTRIES = 4000

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = []
        for sub, offset in searcher.leaf_searchers():
            self.leaves.append((sub.reader(), offset))
        self.offsets = [offset for _reader, offset in self.leaves]
        self.size = searcher.doc_count_all()
        live = np.ones(self.size, dtype=bool)
        for reader, offset in self.leaves:
            if reader.has_deletions():
                deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
                live[deleted + offset] = False
        self.live = live
        # No lock: a searcher, and so its Scorer, belongs to one thread (cms.search.index._searcher).
        self._terms = OrderedDict()
        self._masks = {}

    def term(self, fieldname, text):
        """(document numbers, BM25F scores) of live documents containing the term."""
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        searcher = self.searcher
        parts_ids, parts_scores = [], []
        idf = avgfl = None
        for reader, offset in self.leaves:
            postings = _segment_postings(reader, fieldname, text)
            if not len(postings):
                continue
            ids, tf = postings
            if idf is None:
                idf = searcher.idf(fieldname, text)
                avgfl = searcher.avg_field_length(fieldname) or 1
            fl = _segment_lengths(reader, fieldname)[ids]
            scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
            global_ids = ids + offset
            keep = self.live[global_ids]
            parts_ids.append(global_ids[keep])
            parts_scores.append(scores[keep])
        if parts_ids:
            value = (np.concatenate(parts_ids), np.concatenate(parts_scores))
        else:
            value = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        self._terms[key] = value
        while len(self._terms) > self.TERM_CACHE_ENTRIES:
            self._terms.popitem(last=False)
        return value

    def docs(self, fieldname, text):
        return self.term(fieldname, text)[0]

    def mask(self, key, docnums):
        """A boolean array of `docnums` (a set of document numbers), cached under `key`."""
        found = self._masks.get(key)
        if found is None:
            found = np.zeros(self.size, dtype=bool)
            if docnums:
                found[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
            self._masks[key] = found
        return found


def document_value(scorer, docnum, name, compute):
    """`compute(stored fields)` of one document, kept with its segment's arrays (a segment never
    changes, so neither does the value): search's re-ranking reads a few numbers of each
    candidate without unpickling its whole stored text on every query."""
    offsets = scorer.offsets
    leaf = bisect.bisect_right(offsets, docnum) - 1
    reader, offset = scorer.leaves[leaf]
    key = (name, *_segment_key(reader), docnum - offset)
    found = _cache_get(key)
    if found is not None:
        return found[0]
    value = compute(reader.stored_fields(docnum - offset))
    _cache_put(key, value, 1)
    return value


def scorer_for(searcher):
    scorer = searcher.__dict__.get("_portal_scorer")
    if scorer is None:
        scorer = searcher._portal_scorer = Scorer(searcher)
    return scorer


def evaluate(scorer, q, deadline=None):
    """(scores, matches, timed out): the query's score and whether it matches, for every
    document. Past `deadline` (time.monotonic()), the remaining parts of the query are skipped:
    the answer is then what the parts scored so far give."""
    state = {"deadline": deadline, "timed_out": False}
    scores, matches = _evaluate(scorer, q, state)
    return scores, matches, state["timed_out"]


def _late(state):
    if state["deadline"] is not None and time.monotonic() > state["deadline"]:
        state["timed_out"] = True
    return state["timed_out"]


def _evaluate(scorer, q, state):
    n = scorer.size
    if isinstance(q, Term):
        scores = np.zeros(n)
        matches = np.zeros(n, dtype=bool)
        ids, values = scorer.term(q.fieldname, q.text)
        scores[ids] = values * q.boost
        matches[ids] = True
        return scores, matches
    subs = list(q.subqueries)
    if isinstance(q, DisjunctionMax):  # a concept (BestOf): its best alternative
        scores = np.zeros(n)
        matches = np.zeros(n, dtype=bool)
        for sub in subs:
            if _late(state):
                break
            sub_scores, sub_matches = _evaluate(scorer, sub, state)
            np.maximum(scores, np.where(sub_matches, sub_scores, 0.0), out=scores)
            matches |= sub_matches
    elif isinstance(q, And):
        scores = np.zeros(n)
        matches = np.ones(n, dtype=bool)
        for sub in subs:
            if _late(state):
                break
            sub_scores, sub_matches = _evaluate(scorer, sub, state)
            scores += sub_scores
            matches &= sub_matches
        scores[~matches] = 0.0
    elif isinstance(q, Or):
        scores = np.zeros(n)
        matches = np.zeros(n, dtype=bool)
        for sub in subs:
            if _late(state):
                break
            if isinstance(sub, Term):  # the common case, without a temporary array
                ids, values = scorer.term(sub.fieldname, sub.text)
                scores[ids] += values * sub.boost
                matches[ids] = True
            else:
                sub_scores, sub_matches = _evaluate(scorer, sub, state)
                scores += sub_scores
                matches |= sub_matches
    else:
        raise TypeError(f"cannot score {type(q).__name__}")
    if q.boost != 1.0:
        scores *= q.boost
    return scores, matches


def top(scores, allowed, count):
    """The `count` best allowed documents: [(docnum, score)], best first, ties by docnum."""
    docs = np.flatnonzero(allowed)
    if not len(docs):
        return []
    if len(docs) > count:
        best = np.argpartition(-scores[docs], count - 1)[:count]
        docs = docs[best]
    order = np.lexsort((docs, -scores[docs]))
    docs = docs[order]
    return [(int(d), float(s)) for d, s in zip(docs, scores[docs], strict=True)]
