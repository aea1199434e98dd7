"""Text analysis for search. Keep this module at this import path: Whoosh pickles the analyzer
into the index by module path (see docs/search.md)."""

import jieba


def segment_for_database(text):
    """Jieba-segmented, space-joined text for Wagtail's database backend (admin search)."""
    return " ".join(w for w in jieba.cut_for_search(text or "") if w.strip())
