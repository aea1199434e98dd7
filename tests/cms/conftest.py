"""Fixtures for the public-site tests.

`site_tree`: the small bilingual tree of tests/cms/tree.py. It is built once per test module
inside an outer transaction that is rolled back when the module ends (like Django's
setUpTestData): each test still runs in its own savepoint, so tests may change content freely.
Building the tree publishes about thirty pages, which is too slow to repeat for every test.
"""

import sys

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.cms.tree import build_site


@pytest.fixture(scope="module")
def site_tree_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        cache.clear()  # Wagtail caches site root paths
        outer = transaction.atomic()
        outer.__enter__()
        try:
            tree = build_site()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield tree
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        cache.clear()


@pytest.fixture
def site_tree(site_tree_module, db):
    return site_tree_module
