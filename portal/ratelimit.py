"""Fixed-window rate limits kept in the cache (shared by all workers when REDIS_URL is set).

Every public write goes through `hit()`. Limits are named in settings.RATELIMITS as
(count, seconds); RATELIMIT_ENABLE=false turns every limit off (benchmarks, evaluation runs).
"""

import time

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, name, retry_after):
        super().__init__(f"rate limit {name} exceeded")
        self.name = name
        self.retry_after = retry_after


def hit(name, key, *, cost=1):
    """Count one use of limit `name` by `key` (usually the client address).

    Raises RateLimited once the count for the current window exceeds the limit.
    """
    if not settings.RATELIMIT_ENABLE:
        return
    count_max, period = settings.RATELIMITS[name]
    now = time.time()
    window = int(now // period)
    cache_key = f"rl:{name}:{window}:{key}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key, cost)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, cost, timeout=period + 1)
        count = cost
    if count > count_max:
        raise RateLimited(name, retry_after=int((window + 1) * period - now) + 1)


def is_limited(name, key):
    """True when `key` has already used up limit `name` (does not count a use)."""
    if not settings.RATELIMIT_ENABLE:
        return False
    count_max, period = settings.RATELIMITS[name]
    window = int(time.time() // period)
    return (cache.get(f"rl:{name}:{window}:{key}") or 0) >= count_max


def retry_after(name, key):
    """Seconds until `key` may use limit `name` again: 0 when it has not used it up (does not
    count a use). For a caller that must say how long to wait before it tries."""
    if not settings.RATELIMIT_ENABLE:
        return 0
    count_max, period = settings.RATELIMITS[name]
    now = time.time()
    window = int(now // period)
    if (cache.get(f"rl:{name}:{window}:{key}") or 0) < count_max:
        return 0
    return int((window + 1) * period - now) + 1


def reset(name, key):
    count_max, period = settings.RATELIMITS[name]
    window = int(time.time() // period)
    cache.delete(f"rl:{name}:{window}:{key}")
