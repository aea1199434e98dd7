"""Demo data for search, called by `manage.py seed_demo` (idempotent). The synonym sets that
used to be demo-only are now the built-in lexicon (cms/search/lexicon.py), installed for every
bureau by a migration; seed() only makes sure they are there (for a database whose built-in sets
were deleted).
"""

from django.db import transaction

from .lexicon import BUILTIN_SETS

STARTER_SETS = [(language, terms, note) for _key, language, terms, note in BUILTIN_SETS]


def seed(stdout=None):
    """Install any missing built-in synonym set; returns how many were created (0 after the
    migration)."""
    from cms.models import SynonymSet

    from .lexicon import install

    with transaction.atomic():
        created = install(SynonymSet)
    if stdout is not None:
        stdout.write(f"Search: {created} synonym sets created\n")
    return created
