"""Shared set-up for the engine tests: the real page tree (tests/cms/tree.py), the real demo
FAQs (cms/demo/faqs.jsonl through cms.faq_import), the desk's real configuration (departments,
categories, routing: desk.demo.seed_configuration) and the real search index over them."""

from pathlib import Path

from django.core.cache import cache
from wagtail.models import Site

BASE_DIR = Path(__file__).resolve().parents[2]
DEMO_FAQS = BASE_DIR / "cms" / "demo" / "faqs.jsonl"


def build_content():
    """Create the content and rebuild the search index; returns the SiteTree."""
    from cms.faq_import import import_faqs
    from cms.search import index as search_index
    from desk.demo import seed_configuration
    from tests.cms.tree import build_site

    cache.clear()
    tree = build_site()
    import_faqs(DEMO_FAQS)
    seed_configuration()
    search_index.rebuild()
    return tree


def teardown_content():
    from cms.search import index as search_index

    Site.clear_site_root_paths_cache()
    cache.clear()
    search_index.clear()


def content_fixture(django_db_setup, django_db_blocker):
    """Module-scoped: build once inside an outer transaction that is rolled back at the end, so
    that every test (nested in a savepoint by the `db` fixture) sees the content and nothing is
    left behind for other test modules. The index lives on disk: cleared at the end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_content()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            teardown_content()
