"""Production settings: everything security-relevant comes from the environment."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, PORTAL_BASE_URL, PORTAL_SIGNING_KEY_FILE, SECRET_KEY, env_bool, env_int
from .nginx import *  # noqa: F403 (page cache purge, documents through nginx)

if not DEBUG and (not SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 50 characters) when DEBUG is off")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
if not PORTAL_BASE_URL:
    raise ImproperlyConfigured("PORTAL_BASE_URL must be set in production (the address in receipts and messages)")
if not validate_host(urlsplit(PORTAL_BASE_URL).hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured("PORTAL_BASE_URL's host must be one of ALLOWED_HOSTS")
if not PORTAL_SIGNING_KEY_FILE or not Path(PORTAL_SIGNING_KEY_FILE).is_file():
    raise ImproperlyConfigured("PORTAL_SIGNING_KEY_FILE must name the receipt signing key (docs/deployment.md)")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only `make serve-prod` on plain http://127.0.0.1 turns these off (SECURE_COOKIES=false).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
