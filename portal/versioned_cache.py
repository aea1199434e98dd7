"""Per-process caches invalidated through a shared version (docs/caching.md).

    patterns = VersionedCache("emergency-patterns")
    patterns.get("all", build)           # build() once; again after bump("emergency-patterns")
    bump("emergency-patterns")            # in a signal handler, after editors changed the rows

Each process keeps what it built; every entry remembers the versions of its cache's names
(`name` and `depends_on`) at the time it was built and is used while they are unchanged. The
versions are shared by every process and host:

- with `REDIS_URL` (the scale-out path): counters in the shared cache (Django's default cache,
  Redis), `INCR` on bump;
- without it (one host): small files under `PORTAL_DATA_DIR/versions/`, replaced atomically on
  bump (every process of the host shares the data directory).

A process reads a name's shared version at most every `VERSIONED_CACHE_CHECK_SECONDS` (0.5 s):
one Redis GET or one small file read per name and interval, whatever the traffic. `bump` takes
effect at once in the process that calls it (before its transaction commits) and is published to
the others when the transaction commits (at once outside a transaction), so another process
never rebuilds from rows that are not committed yet and keeps them as current.

When the shared version cannot be read (Redis down, unreadable file) the entries built meanwhile
are kept at most FALLBACK_SECONDS: a cache outage never stops an answer, and staleness is bounded.
"""

import logging
import os
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver

logger = logging.getLogger(__name__)

FALLBACK_SECONDS = 60.0  # an entry built while the shared version was unreadable lives this long
KEY_PREFIX = "portal:version:"
_UNREADABLE = object()

_lock = threading.Lock()
_seen = {}  # name -> (shared version, time.monotonic() of the read)
_local = {}  # name -> bumps made by this process (counted at once, and again on commit)


_check_every = []  # [seconds], read from the settings once (a lookup per call costs more than the rest)


def _check_seconds():
    if not _check_every:
        _check_every.append(float(getattr(settings, "VERSIONED_CACHE_CHECK_SECONDS", 0.5)))
    return _check_every[0]


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    """Tests change the interval or the store (REDIS_URL) at run time."""
    if setting in ("VERSIONED_CACHE_CHECK_SECONDS", "REDIS_URL", "CACHES", "PORTAL_DATA_DIR"):
        with _lock:
            _check_every.clear()
            _seen.clear()


def _uses_redis():
    return bool(getattr(settings, "REDIS_URL", ""))


def _version_file(name):
    return settings.PORTAL_DATA_DIR / "versions" / name


def _read_shared(name):
    try:
        if _uses_redis():
            return cache.get(KEY_PREFIX + name, 0)
        try:
            return _version_file(name).read_text()
        except FileNotFoundError:
            return ""
    except Exception:  # a cache or disk outage must never stop what the cache serves
        logger.warning("versioned cache: the version of %s cannot be read", name, exc_info=True)
        return _UNREADABLE


def _publish(name):
    """Move the shared version of `name` on (every process and host sees it)."""
    try:
        if _uses_redis():
            key = KEY_PREFIX + name
            cache.add(key, 0, timeout=None)
            try:
                cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, time.time_ns(), timeout=None)
        else:
            path = _version_file(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{name}.{uuid.uuid4().hex}")
            temporary.write_text(uuid.uuid4().hex)
            os.replace(temporary, path)
    except Exception:
        logger.exception("versioned cache: could not publish a new version of %s", name)
    _note_local(name)


def _note_local(name):
    with _lock:
        _local[name] = _local.get(name, 0) + 1
        _seen.pop(name, None)  # read the shared version again on the next use


def bump(name):
    """The data behind `name` changed: rebuild at once in this process, and in every other
    process once the current transaction commits (within VERSIONED_CACHE_CHECK_SECONDS)."""
    _note_local(name)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _publish(name), robust=True)
    else:  # (without opening a database connection: a bump needs none)
        _publish(name)


def version(name):
    """The version of `name` as this process sees it: (shared version, local bumps). The shared
    part is read at most every VERSIONED_CACHE_CHECK_SECONDS."""
    now = time.monotonic()
    with _lock:
        seen = _seen.get(name)
        local = _local.get(name, 0)
    if seen is None or now - seen[1] >= _check_seconds():
        shared = _read_shared(name)
        with _lock:
            _seen[name] = (shared, now)
    else:
        shared = seen[0]
    return (shared, local)


class VersionedCache:
    """A per-process cache of values built from shared data, valid while the shared versions of
    `name` and of every name in `depends_on` are unchanged.

    `token`: a callable returning a further cheap value the entries depend on (e.g. the search
    index's generation on this host). `max_age`: seconds (or a callable returning them) after which
    an entry is rebuilt anyway (for data that changes without a bump, e.g. a notice that
    expires). `max_entries`: the least recently used entries are dropped beyond this."""

    def __init__(self, name, *, depends_on=(), token=None, max_age=None, max_entries=None):
        self.name = name
        self.names = (name, *depends_on)
        self.token = token
        self.max_age = max_age
        self.max_entries = max_entries
        self._entries = OrderedDict()  # key -> (stamp, built at, value)
        self._lock = threading.Lock()
        self.stats = {"hits": 0, "misses": 0}

    def stamp(self):
        """What an entry built now depends on."""
        stamp = tuple(version(name) for name in self.names)
        if self.token is not None:
            stamp += (self.token(),)
        return stamp

    def _fresh(self, entry, stamp, now):
        entry_stamp, built_at, _value = entry
        if entry_stamp != stamp:
            return False
        age = now - built_at
        max_age = self.max_age() if callable(self.max_age) else self.max_age
        if max_age is not None and age >= max_age:
            return False
        unreadable = any(shared is _UNREADABLE for shared, _local in stamp[: len(self.names)])
        return not (unreadable and age >= FALLBACK_SECONDS)

    def get(self, key, build):
        """The value kept for `key`, or `build()` (kept for next time)."""
        stamp = self.stamp()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and self._fresh(entry, stamp, now):
                self._entries.move_to_end(key)
                self.stats["hits"] += 1
                return entry[2]
        value = build()  # outside the lock: building may take a search or a query
        with self._lock:
            self.stats["misses"] += 1
            # Stamped with the versions read *before* building: a bump during the build makes
            # the next call build again rather than keep what may predate the change.
            self._entries[key] = (stamp, now, value)
            self._entries.move_to_end(key)
            if self.max_entries is not None:
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def clear(self):
        """Forget every entry of this process (not a bump: other processes keep theirs)."""
        with self._lock:
            self._entries.clear()

    def bump(self):
        bump(self.name)
