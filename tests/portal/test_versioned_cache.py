"""portal.versioned_cache: per-process caches invalidated through a shared version, within this
process, across two processes (a subprocess) over the data directory's version files, and over
a real Redis (the scale-out path)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from portal import versioned_cache
from portal.versioned_cache import VersionedCache, bump

BASE_DIR = Path(__file__).resolve().parents[2]


class Source:
    """Shared data the cache is built from: counts how often it was read."""

    def __init__(self):
        self.value = "first"
        self.reads = 0

    def read(self):
        self.reads += 1
        return self.value


def unique(prefix="test"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def bump_in_another_process(name, extra_env=None):
    """Run `bump(name)` in a separate Python process with the test settings and this process's
    data directory (and `extra_env`)."""
    env = {
        **{key: value for key, value in os.environ.items() if key != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_TEST_DATA_DIR": str(settings.PORTAL_DATA_DIR),
        **(extra_env or {}),
    }
    code = (
        "import django, sys; django.setup(); "
        "from django.conf import settings; from portal.versioned_cache import bump; "
        "bump(sys.argv[1]); print(settings.REDIS_URL or 'files')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, name], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_value_is_built_once_and_again_after_a_bump():
    source = Source()
    cache = VersionedCache(unique())
    assert cache.get("k", source.read) == "first"
    assert cache.get("k", source.read) == "first"
    assert source.reads == 1
    source.value = "second"
    cache.bump()
    assert cache.get("k", source.read) == "second"
    assert source.reads == 2


def test_a_cache_follows_the_names_it_depends_on():
    base = unique("base")
    source = Source()
    cache = VersionedCache(unique(), depends_on=(base,))
    cache.get("k", source.read)
    bump(unique("unrelated"))
    cache.get("k", source.read)
    assert source.reads == 1
    bump(base)
    cache.get("k", source.read)
    assert source.reads == 2


def test_a_token_and_an_age_limit_also_decide():
    token = [1]
    source = Source()
    cache = VersionedCache(unique(), token=lambda: token[0])
    cache.get("k", source.read)
    token[0] = 2
    cache.get("k", source.read)
    assert source.reads == 2
    aged = VersionedCache(unique(), max_age=0.05)
    aged.get("k", source.read)
    aged.get("k", source.read)
    assert source.reads == 3
    time.sleep(0.06)
    aged.get("k", source.read)
    assert source.reads == 4


def test_least_recently_used_entries_are_dropped_beyond_the_limit():
    source = Source()
    cache = VersionedCache(unique(), max_entries=2)
    for key in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" comes
        cache.get(key, source.read)
    assert source.reads == 3
    cache.get("a", source.read)
    assert source.reads == 3
    cache.get("b", source.read)
    assert source.reads == 4


@pytest.mark.django_db
def test_inside_a_transaction_the_bump_is_local_until_the_commit(django_capture_on_commit_callbacks):
    """Other processes must not rebuild from rows that are not committed yet: the shared version
    moves when the transaction commits; this process rebuilds at once."""
    name = unique()
    source = Source()
    cache = VersionedCache(name)
    cache.get("k", source.read)
    shared_before = versioned_cache._read_shared(name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump(name)
        assert versioned_cache._read_shared(name) == shared_before
        cache.get("k", source.read)
        assert source.reads == 2
    assert len(callbacks) == 1
    callbacks[0]()
    assert versioned_cache._read_shared(name) != shared_before


def test_another_processs_bump_is_seen_within_the_check_interval(settings):
    """Two processes sharing the data directory (no Redis): a bump in a subprocess is seen here
    once the check interval has passed."""
    settings.VERSIONED_CACHE_CHECK_SECONDS = 0.3
    name = unique()
    source = Source()
    cache = VersionedCache(name)
    assert cache.get("k", source.read) == "first"
    source.value = "second"
    assert bump_in_another_process(name) == "files"
    time.sleep(0.35)
    assert cache.get("k", source.read) == "second"
    assert cache.get("k", source.read) == "second"
    assert source.reads == 2


def test_the_shared_version_is_read_at_most_once_per_interval(settings):
    settings.VERSIONED_CACHE_CHECK_SECONDS = 60
    name = unique()
    source = Source()
    cache = VersionedCache(name)
    cache.get("k", source.read)
    bump_in_another_process(name)
    for _ in range(50):
        cache.get("k", source.read)
    assert source.reads == 1  # the other process's bump waits for the next check
    settings.VERSIONED_CACHE_CHECK_SECONDS = 0
    cache.get("k", source.read)
    assert source.reads == 2


@pytest.mark.redis
def test_over_redis_a_bump_in_another_process_is_seen(settings, redis_url):
    """The scale-out path: the version lives in Redis (REDIS_URL), shared by every process of
    every host; a subprocess configured with the same Redis bumps it."""
    settings.REDIS_URL = redis_url
    settings.CACHES = {"default": {"BACKEND": "portal.cache.SharedClientRedisCache", "LOCATION": redis_url}}
    settings.VERSIONED_CACHE_CHECK_SECONDS = 0
    name = unique()
    source = Source()
    cache = VersionedCache(name)
    cache.get("k", source.read)
    cache.get("k", source.read)
    assert source.reads == 1
    env = {"REDIS_URL": redis_url, "PORTAL_TEST_DB_NAME": str(settings.PORTAL_DATA_DIR / "unused.sqlite3")}
    assert bump_in_another_process(name, env) == redis_url
    cache.get("k", source.read)
    assert source.reads == 2
    from django.core.cache import cache as django_cache

    assert django_cache.get(versioned_cache.KEY_PREFIX + name) == 1
    django_cache.delete(versioned_cache.KEY_PREFIX + name)


def test_an_unreadable_version_keeps_entries_for_a_bounded_time(settings, monkeypatch):
    """Redis down: answers go on from what is kept, and it is rebuilt after FALLBACK_SECONDS."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.SharedClientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.VERSIONED_CACHE_CHECK_SECONDS = 0
    monkeypatch.setattr(versioned_cache, "FALLBACK_SECONDS", 0.2)
    source = Source()
    cache = VersionedCache(unique())
    assert cache.get("k", source.read) == "first"
    assert cache.get("k", source.read) == "first"
    assert source.reads == 1
    time.sleep(0.25)
    cache.get("k", source.read)
    assert source.reads == 2
