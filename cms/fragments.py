"""What uncached page requests reuse across requests (issue "Uncached pages fast too").

Behind nginx (`settings.FRAGMENT_CACHE`, portal/settings/nginx.py) a page that misses nginx's
cache is still rendered by Django, and most of that work repeats what the previous request did
until the content changes. Three things are kept, all under the change log's latest row (the
*content version*: its id and creation time, `cms.search.changelog.latest_version`; the id alone
named another database's content in a Redis that outlived it): every publish, unpublish, move,
delete, privacy, FAQ, synonym, site-setting, site and document change writes a row once it
commits, so the key moves on every host at once and nothing needs to be told to forget anything.
Reading the version is one indexed query per request. With a shared cache (Redis) each process
keeps a copy of what it read (`LocalFront`), so a repeated page makes no Redis round trip.

- **Routes** (`serve`): host, language and path → the site, the live page (its specific
  instance, pickled) and its view restrictions; Wagtail's own routing costs one query per level
  of the path, the site, the locale and two for the restrictions. The restrictions are still
  checked on every request (Wagtail's `check_view_restrictions` hook), only their rows are reused.
- **HTML fragments** (`{% cachedfragment %}`, cms/templatetags/portal_tags.py): the parts of a
  page that depend on content only (a guide's body, a notice's text, the home page's lists).
  A fragment that holds notices also expires when the first of them does (`until`).
- **Navigation, language switch and footer data** (cms/templatetags/portal_tags.py).

Never cached: previews (`request.is_preview`, a draft's content), anything without the setting
(`make run` and the tests keep everything per request; SQLite reuses change-log ids after a
rolled-back transaction, so a test could see another test's fragments), and the parts that
depend on the time of the request (a station's "open now").
"""

import logging
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TTL = 3600


LOCAL_MAX_ENTRIES = 2000  # per process; a page reads 5-10 entries
LOCAL_MAX_AGE = 300.0  # seconds a process keeps its copy of an entry of the shared cache


class LocalFront:
    """A per-process copy in front of a shared cache (Redis): a page reads 5-10 fragments, each
    a network round trip to Redis, and the same ones again on the next request. Sound because
    every key names the content version (a change moves every key, on every host, at once): a
    copy can only be older than `LOCAL_MAX_AGE`, which matters only for what changes with time
    and is bounded by the shared entry's own TTL anyway (the holiday calendar's years; a
    fragment's `until` is checked after the read). Values are kept pickled, as Redis keeps
    them, so that each request gets its own objects (a route's page instance is modified while
    a request is served)."""

    def __init__(self, alias, max_entries=LOCAL_MAX_ENTRIES, max_age=LOCAL_MAX_AGE):
        self.alias = alias
        self.max_entries = max_entries
        self.max_age = max_age
        self.entries = OrderedDict()  # key -> (monotonic deadline, pickled value)
        self.lock = threading.Lock()

    def get(self, key, default=None):
        with self.lock:
            found = self.entries.get(key)
            if found is not None and found[0] > time.monotonic():
                self.entries.move_to_end(key)
                return pickle.loads(found[1])  # noqa: S301 (our own pickles, as in Redis)
        value = caches[self.alias].get(key)  # (Django's cache objects are per thread)
        if value is None:
            return default
        self._keep(key, value)
        return value

    def set(self, key, value, timeout=None):
        caches[self.alias].set(key, value, timeout)
        self._keep(key, value)

    def _keep(self, key, value):
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.entries[key] = (time.monotonic() + self.max_age, data)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


_fronts = {}


def fragment_cache():
    """The cross-request cache for fragments, or None (`make run`, the tests): the configured
    cache, behind a per-process copy when it is shared (Redis)."""
    alias = getattr(settings, "FRAGMENT_CACHE", "")
    if not alias:
        return None
    shared = caches[alias]
    if isinstance(shared, LocMemCache):
        return shared  # already in the process
    where = (alias, repr(settings.CACHES.get(alias)))  # a new copy when the settings change (tests)
    front = _fronts.get(where)
    if front is None:
        front = _fronts.setdefault(where, LocalFront(alias))
    return front


def content_version(request=None):
    """The change log's latest row (its id and creation time: `changelog.latest_version`), read
    once per request."""
    version = getattr(request, "_portal_content_version", None) if request is not None else None
    if version is None:
        from cms.search.changelog import latest_version

        version = latest_version()
        if request is not None:
            request._portal_content_version = version
    return version


def current_lang():
    lang = (get_language() or settings.LANGUAGE_CODE).lower()
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def fragment_key(name, request, lang=None, *parts):
    host = request.get_host() if request is not None else ""
    extra = ":".join(str(p) for p in parts)
    return f"portal:fragment:{name}:{host}:{lang or current_lang()}:{content_version(request)}:{extra}"


def cacheable(request):
    """True when this request may use fragments cached across requests."""
    return request is not None and not getattr(request, "is_preview", False) and fragment_cache() is not None


def cached_value(request, name, build, *parts):
    """`build()` kept across requests under the content version (any picklable value)."""
    cache = fragment_cache() if cacheable(request) else None
    if cache is None:
        return build()
    key = fragment_key(name, request, None, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TTL)
    return value


def holiday_calendar(request=None):
    """The holiday calendar (desk.deadlines.Calendar) for "open now" on this request: read once
    per request, and kept across requests under the content version (holiday schedule edits
    write the change log, below) with this year and the next loaded."""
    from desk.deadlines import Calendar

    calendar = getattr(request, "_holiday_calendar", None) if request is not None else None
    if calendar is not None:
        return calendar
    if not cacheable(request):
        calendar = Calendar()  # reads the years it is asked about
        if request is not None:
            request._holiday_calendar = calendar
        return calendar

    def build():
        calendar = Calendar()
        today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
        for year in (today.year, today.year + 1):
            calendar.years[year] = load_year(year)
        return calendar.years

    from desk.deadlines import load_year

    calendar = Calendar(years=dict(cached_value(request, "holidays", build)))
    if request is not None:
        request._holiday_calendar = calendar
    return calendar


# --- Routes ---------------------------------------------------------------------------------


def serve(request, path):
    """Wagtail's page view, with the route (site, page, view restrictions) reused under the
    content version. Everything after routing is Wagtail's own `serve`."""
    from wagtail import views as wagtail_views

    cache = fragment_cache()
    if cache is not None:
        key = fragment_key("route", request, None, request.path_info)
        found = cache.get(key)
        if found is not None:
            site, route = found
            request._wagtail_site = site
            request._wagtail_route_for_request = route
        else:
            from wagtail.models import Page, Site

            route = Page.route_for_request(request, path)
            if route is not None:
                page = route[0]
                page._portal_view_restrictions = list(page.get_view_restrictions())
                page.__dict__.pop("_cached_parent_obj", None)  # the ancestors need not travel
                page.prepare_for_cache()
                cache.set(key, (Site.find_for_request(request), route), TTL)
    return wagtail_views.serve(request, path)


# --- HTML fragments -------------------------------------------------------------------------


def changes_at(request, when):
    """Note that this response shows something that changes at `when` without any content
    change (a station's "open now"): behind nginx the page is not cached past it
    (portal.pagecache.GenerationGuardMiddleware)."""
    if request is None or when is None:
        return
    earliest = getattr(request, "_portal_changes_at", None)
    if earliest is None or when < earliest:
        request._portal_changes_at = when


def get_html(key):
    """A cached fragment's HTML, or None when missing or past its `until`."""
    found = fragment_cache().get(key)
    if found is None:
        return None
    html, until = found
    if until is not None and until <= timezone.now():
        return None
    return html


def set_html(key, html, until=None):
    fragment_cache().set(key, (html, until), TTL)


def earliest_expiry(notices):
    """The first `expires_at` still ahead among `notices` (a page, pages or None), or None."""
    now = timezone.now()
    if hasattr(notices, "expires_at"):
        notices = [notices]
    times = [n.expires_at for n in notices or () if getattr(n, "expires_at", None) and n.expires_at > now]
    return min(times) if times else None


# --- Changes that the change log did not hear of -------------------------------------------


def _record_after_commit(label):
    from django.db import transaction

    from cms.search.changelog import IndexChange, record

    transaction.on_commit(lambda: record(action=IndexChange.Action.SETTINGS, label=label), robust=True)


def _on_site_changed(sender, instance, **kwargs):
    _record_after_commit("wagtailcore.site")  # hostnames and root pages: the routes


def _on_document_changed(sender, instance, **kwargs):
    _record_after_commit("wagtaildocs.document")  # titles and files linked from notices and guides


def _on_holidays_changed(sender, instance, **kwargs):
    _record_after_commit("desk.holidayschedule")  # stations' "open now" and next opening


def connect():
    from wagtail.documents import get_document_model
    from wagtail.models import Site

    from desk.models import HolidayDate, HolidaySchedule

    for signal in (post_save, post_delete):
        signal.connect(_on_site_changed, sender=Site, dispatch_uid=f"fragments_site_{signal is post_save}")
        signal.connect(
            _on_document_changed,
            sender=get_document_model(),
            dispatch_uid=f"fragments_document_{signal is post_save}",
        )
        for model in (HolidaySchedule, HolidayDate):
            signal.connect(
                _on_holidays_changed, sender=model, dispatch_uid=f"fragments_{model.__name__}_{signal is post_save}"
            )
