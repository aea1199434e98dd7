"""Development settings: what `make run` uses. Never for a public deployment."""

import secrets

from .base import *  # noqa: F403
from .base import (
    PORTAL_DATA_DIR,
    PORTAL_SIGNING_KEY_FILE,
    PORTAL_SIGNING_OLD_KEYS_DIR,
    SECRET_KEY,
    env_bool,
    env_list,
)

DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

if not SECRET_KEY:
    # A generated key kept in the data directory, so sessions survive a restart.
    PORTAL_DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = PORTAL_DATA_DIR / "secret_key.txt"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

# The receipt signing key is generated into the data directory on first use.
PORTAL_SIGNING_KEY_FILE = PORTAL_SIGNING_KEY_FILE or str(PORTAL_DATA_DIR / "signing" / "receipt-key.pem")
PORTAL_SIGNING_OLD_KEYS_DIR = PORTAL_SIGNING_OLD_KEYS_DIR or str(PORTAL_DATA_DIR / "signing" / "previous")
PORTAL_SIGNING_KEY_GENERATE = True

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
