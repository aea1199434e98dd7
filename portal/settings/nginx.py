"""Settings for the app servers behind nginx (deploy/nginx/portal.conf), shared by the
production settings and the tests that run the topology (`make serve-prod`)."""

from .base import DATABASES, env_bool, env_int, env_str

# nginx's page cache directory on this host: emptied after every content change
# (portal/pagecache.py, cms/search/changelog.py). Empty: no nginx cache to purge.
PAGE_CACHE_DIR = env_str("PAGE_CACHE_DIR", "")
# Seconds nginx keeps a page without a change (its proxy_cache_valid; `serve_prod --cache-valid`
# passes it on): a page whose "open now" changes sooner is stored only until then.
PAGE_CACHE_VALID = env_int("PAGE_CACHE_VALID", 600)

# Documents are sent by nginx after Django has checked them (privacy, collections): the view
# answers with X-Accel-Redirect to nginx's internal location for MEDIA_ROOT.
if env_bool("NGINX_SENDFILE", False):
    SENDFILE_BACKEND = "portal.sendfile_nginx"
    SENDFILE_URL = "/_protected_media/"

# Navigation, language switch and footer data cached across requests under the change log's
# version (cms/templatetags/portal_tags.py); the shared Redis cache when REDIS_URL is set.
FRAGMENT_CACHE = "default"

# The page server's threads live as long as its worker (gunicorn gthread), so each may keep its
# database connection between requests (`serve_prod` sets 60 for gunicorn only). Not for the
# ASGI server: there every request may run in a new thread, and connections would pile up.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
