"""Demo data for this app, called by `manage.py seed_demo` (idempotent)."""


def seed(stdout=None):
    """Create this app's demo data; a second run changes nothing."""
