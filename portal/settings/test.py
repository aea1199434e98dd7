"""Test settings: fast hashing, locmem cache, in-memory channel layer, own data directory.

The cache and the channel layer are pinned here: a REDIS_URL exported in the shell is ignored by
the test process (otherwise `cache.clear()` in a test would flush a real Redis). Only a server
process that the Redis tests start on purpose (tests/conftest.py: `asgi_server_factory(
extra_env={"REDIS_URL": …})`, which sets PORTAL_TEST_DB_NAME) uses the Redis it was given.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, PORTAL_DATA_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghijkl"  # noqa: S105 (tests only)
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "memory"

# Each test process gets its own data directory (media, search index) unless one is given.
if "PORTAL_TEST_DATA_DIR" in os.environ:
    PORTAL_DATA_DIR = Path(os.environ["PORTAL_TEST_DATA_DIR"])
else:
    PORTAL_DATA_DIR = Path(tempfile.mkdtemp(prefix="portal-test-"))
MEDIA_ROOT = PORTAL_DATA_DIR / "media"
SEARCH_INDEX_DIR = PORTAL_DATA_DIR / "search-index"
STATIC_ROOT = PORTAL_DATA_DIR / "static"
PORTAL_SIGNING_KEY_FILE = str(PORTAL_DATA_DIR / "signing" / "receipt-key.pem")
PORTAL_SIGNING_OLD_KEYS_DIR = str(PORTAL_DATA_DIR / "signing" / "previous")
PORTAL_SIGNING_KEY_GENERATE = True
PORTAL_BASE_URL = ""
# Tests run no collectstatic: the test server (browser tests) serves static files straight from
# the finders, and an existing (empty) STATIC_ROOT keeps WhiteNoise from warning.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so live-server (browser and two-process) tests can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(PORTAL_DATA_DIR / "test.sqlite3")}

LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}

# A server process started by the tests (tests/conftest.py: asgi_server) uses the test
# database that pytest created, by name.
if os.environ.get("PORTAL_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["PORTAL_TEST_DB_NAME"]
else:  # the test process itself: never the Redis of an exported REDIS_URL
    REDIS_URL = ""
    CHANNEL_LAYERS = {"default": {"BACKEND": "portal.channel_layers.PeriodicSweepChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("PORTAL_TEST_RATELIMIT_ENABLE") == "false":
    RATELIMIT_ENABLE = False
