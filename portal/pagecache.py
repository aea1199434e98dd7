"""Empty this host's nginx page cache (`PAGE_CACHE_DIR`) after a content change.

Debian's cache purge module (libnginx-mod-http-cache-purge 2.3) removes one exact cache key per
request; a publish changes the page, its listings, the home pages, feeds, the sitemap and every
`?page=N` variant, which no list of keys covers. nginx treats a cache file that has gone as a
miss (and writes a fresh one), so removing the files is a purge of everything, done by the
process that saw the change. The directory is shared by nginx and the app (same user, see
docs/deployment.md); when the setting is empty (no nginx in front) this does nothing.

A response rendered from the old content may still be on its way to nginx while the purge runs
(the render started before the change committed): stored after the purge, it would be served
for the cache's whole lifetime. So every purge first moves this host's *generation* (the cache
directory's modification time, shared by every process of the host through the file system),
and `GenerationGuardMiddleware` marks a response `X-Accel-Expires: 0` (nginx does not store it)
when the generation moved while it was being made. A response that passed that check just before
a purge is stored within milliseconds; the follower's second purge (`SETTLE` later) removes it.
"""

import logging
import math
import os
import time

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


def cache_dir():
    return getattr(settings, "PAGE_CACHE_DIR", "") or ""


def generation(root=None):
    """This host's cache generation (changes with every purge); None without a cache."""
    root = root or cache_dir()
    if not root:
        return None
    try:
        return os.stat(root).st_mtime_ns
    except OSError:
        return None


def purge(root=None):
    """Move the generation, then remove every cached response (under `root`, default
    PAGE_CACHE_DIR); return how many files were removed."""
    root = root or cache_dir()
    if not root:
        return 0
    try:
        now = time.time_ns()
        os.utime(root, ns=(now, now))
    except OSError:
        logger.exception("page cache: could not move the generation of %s", root)
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            try:
                os.unlink(os.path.join(dirpath, name))
                removed += 1
            except FileNotFoundError:
                pass
            except OSError:
                logger.exception("page cache: could not remove %s", name)
    return removed


class GenerationGuardMiddleware:
    """Outermost middleware: a response whose render overlapped a purge of this host's page
    cache is not stored by nginx (it may show the content from before the change). A page that
    shows something changing with the clock alone (a station's "open now", noted with
    `cms.fragments.changes_at`) is stored only until that moment when it comes before the
    cache's own lifetime (`PAGE_CACHE_VALID`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        root = cache_dir()
        if not root:
            return self.get_response(request)
        before = generation(root)
        response = self.get_response(request)
        if generation(root) != before:
            response["X-Accel-Expires"] = "0"
        elif "X-Accel-Expires" not in response:
            seconds = seconds_until_change(request)
            if seconds is not None:
                response["X-Accel-Expires"] = str(seconds)
        return response


def seconds_until_change(request, now=None):
    """Whole seconds (at least 1) until the page's time-dependent part changes, when that is
    sooner than nginx keeps a page anyway; None otherwise."""
    when = getattr(request, "_portal_changes_at", None)
    if when is None:
        return None
    seconds = math.ceil((when - (now or timezone.now())).total_seconds())
    if seconds >= getattr(settings, "PAGE_CACHE_VALID", 600):
        return None
    return max(seconds, 1)
