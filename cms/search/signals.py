"""Keep the search index in step with the database, after each transaction commits.

Every change only records "this FAQ/page may have changed" in a per-thread set and registers
an on_commit callback; the first callback to run after the commit re-reads each recorded object
from the database and indexes it if it is published and public, or removes it otherwise
(`index.sync`). So an import of a hundred FAQs in one transaction costs one index commit, a
rolled-back change never reaches the index, and every path (publish, unpublish, delete, move,
privacy, translation) is handled by the same rule. Expiry needs no signal: it is checked at
query time, and a rebuild drops expired notices.
"""

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

_pending = threading.local()
_connected = False


def _items():
    items = getattr(_pending, "items", None)
    if items is None:
        items = _pending.items = {}
    return items


def schedule(kind, pk):
    """Re-sync object (`kind`, `pk`) with the index once the current transaction commits."""
    if pk is None:
        return
    from . import index

    index.note_change()
    _items()[(kind, pk)] = None
    transaction.on_commit(flush, robust=True)


def flush():
    """Sync every scheduled object now (runs after commit; also callable directly)."""
    items = list(_items())
    _items().clear()
    if not items:
        return
    from . import changelog, index

    try:
        changelog.record(items)  # other hosts' indexes and every page cache follow this log
    except Exception:
        logger.exception("search: could not write the change log for %d objects", len(items))
    try:
        index.sync(items)
    except Exception:
        # The content change itself has committed; a failed index update must not turn into an
        # error for the editor. The next rebuild (or the next change) repairs the index.
        logger.exception("search: could not update the index for %d objects", len(items))


def schedule_page_tree(page, include_self=True):
    if page is None or page.pk is None:
        return
    if include_self:
        schedule("page", page.pk)
    for pk in page.get_descendants().values_list("pk", flat=True):
        schedule("page", pk)


# --- Receivers ------------------------------------------------------------------------------


def _on_page_published(sender, instance, **kwargs):
    schedule("page", instance.pk)


def _on_page_unpublished(sender, instance, **kwargs):
    schedule_page_tree(instance)


def _on_page_moved(sender, instance, **kwargs):
    schedule_page_tree(instance)  # URLs of the page and its descendants changed


def _on_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    from cms.models import FAQ

    if isinstance(instance, FAQ):
        schedule("faq", instance.pk)
    elif isinstance(instance, Page):
        schedule("page", instance.pk)


def _on_faq_saved(sender, instance, **kwargs):
    # The row holds the live version (drafts live in revisions), so re-syncing on every save
    # covers publish, import upserts, translation copies and edits of live FAQs.
    schedule("faq", instance.pk)


def _on_faq_published(sender, instance, **kwargs):
    from cms.models import FAQ

    if isinstance(instance, FAQ):
        schedule("faq", instance.pk)


def _on_category_saved(sender, instance, **kwargs):
    for pk in instance.faqs.filter(live=True).values_list("pk", flat=True):
        schedule("faq", pk)


def _on_restriction_changed(sender, instance, **kwargs):
    page_id = getattr(instance, "page_id", None)
    if page_id is None:
        return
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        schedule_page_tree(page)


def _on_synonyms_changed(sender, instance, **kwargs):
    from . import changelog, index, synonyms

    index.note_change()
    transaction.on_commit(synonyms.invalidate, robust=True)
    transaction.on_commit(changelog.record_synonyms, robust=True)


def connect():
    """Connect the receivers (from SearchConfig.ready; idempotent)."""
    global _connected
    if _connected:
        return
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

    from cms.models import FAQ, FAQCategory, SynonymSet

    page_published.connect(_on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(_on_page_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(_on_page_moved, dispatch_uid="search_page_moved")
    published.connect(_on_faq_published, dispatch_uid="search_published")
    unpublished.connect(_on_faq_published, dispatch_uid="search_unpublished")
    post_delete.connect(_on_delete, dispatch_uid="search_deleted")
    post_save.connect(_on_faq_saved, sender=FAQ, dispatch_uid="search_faq_saved")
    post_save.connect(_on_category_saved, sender=FAQCategory, dispatch_uid="search_category_saved")
    post_save.connect(_on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(_on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
    post_save.connect(_on_synonyms_changed, sender=SynonymSet, dispatch_uid="search_synonyms_saved")
    post_delete.connect(_on_synonyms_changed, sender=SynonymSet, dispatch_uid="search_synonyms_deleted")
    from . import changelog

    changelog.connect()
    _connected = True
