"""Wagtail's database search backend, taught to search Chinese (used by the admin's search).

SQLite FTS5 and PostgreSQL's "simple" parser keep a run of Han characters as one token, so
"身份证补办" matches nothing even though the models index a jieba-segmented `segmented_text`
field. This backend segments a Chinese query the same way and ORs the words, and answers a
Chinese autocomplete (what the admin's listings call) with that search; any other query goes
through unchanged. Configured in settings.WAGTAILSEARCH_BACKENDS.
"""

from modelsearch.backends.database import SearchBackend as _database_backend

from . import analysis


def segment_query(query):
    """(query, operator) for the database backend: Chinese queries segmented and OR-ed."""
    if isinstance(query, str) and analysis.has_han(query):
        words = [w.lower() for w in analysis.cut(query) if w.lower() not in analysis.ZH_STOP_WORDS]
        if words:
            return " ".join(dict.fromkeys(words)), "or"
    return query, None


class _ChineseAware:
    def search(self, query, model_or_queryset, *args, operator=None, **kwargs):
        query, forced = segment_query(query)
        return super().search(query, model_or_queryset, *args, operator=forced or operator, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, operator=None, **kwargs):
        # Autocomplete matches prefixes of the autocomplete fields' tokens, and an unsegmented
        # Chinese field is one long token: a Chinese query is a full-text search instead, over
        # the segmented fields (the admin's listings use autocomplete when a model has any).
        if isinstance(query, str) and analysis.has_han(query):
            return self.search(query, model_or_queryset, order_by_relevance=kwargs.get("order_by_relevance", True))
        return super().autocomplete(query, model_or_queryset, *args, operator=operator, **kwargs)


def SearchBackend(params):
    """The database backend for the current database vendor, with Chinese query segmentation."""
    backend = _database_backend(params)
    cls = type(f"Chinese{type(backend).__name__}", (_ChineseAware, type(backend)), {})
    backend.__class__ = cls
    return backend
