"""Fixtures shared with the desk tests (the demo routing configuration)."""

from tests.desk.conftest import departments, desk_config  # noqa: F401
