"""The test settings plus what the app servers behind nginx use (tests/deploy)."""

from .nginx import *  # noqa: F403
from .test import *  # noqa: F403
