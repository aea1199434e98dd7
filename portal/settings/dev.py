"""Development settings: what `make run` uses. Never for a public deployment."""

import secrets

from .base import *  # noqa: F403
from .base import PORTAL_DATA_DIR, SECRET_KEY, env_bool, env_list

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

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
