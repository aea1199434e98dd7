"""Empty this host's nginx page cache (`PAGE_CACHE_DIR`) after a content change.

Debian's cache purge module (libnginx-mod-http-cache-purge 2.3) removes one exact cache key per
request; a publish changes the page, its listings, the home pages, feeds, the sitemap and every
`?page=N` variant, which no list of keys covers. nginx treats a cache file that has gone as a
miss (and writes a fresh one), so removing the files is a purge of everything, done by the
process that saw the change. The directory is shared by nginx and the app (same user, see
docs/deployment.md); when the setting is empty (no nginx in front) this does nothing.
"""

import logging
import os

from django.conf import settings

logger = logging.getLogger(__name__)


def purge(root=None):
    """Remove every cached response (under `root`, default PAGE_CACHE_DIR); return how many."""
    root = root or getattr(settings, "PAGE_CACHE_DIR", "")
    if not root:
        return 0
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
