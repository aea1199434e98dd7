"""Rate limits: counted per name and key, switchable off as a whole."""

import pytest
from django.core.cache import cache

from portal import ratelimit


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_limit_allows_up_to_count_then_refuses(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (3, 60)}
    for _ in range(3):
        ratelimit.hit("search", "198.51.100.1")
    with pytest.raises(ratelimit.RateLimited) as excinfo:
        ratelimit.hit("search", "198.51.100.1")
    assert 0 < excinfo.value.retry_after <= 61


def test_limits_are_per_key(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (1, 60)}
    ratelimit.hit("search", "198.51.100.1")
    ratelimit.hit("search", "198.51.100.2")  # another client is not affected
    assert ratelimit.is_limited("search", "198.51.100.1")


def test_ratelimit_enable_false_switches_every_limit_off(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (1, 60)}
    settings.RATELIMIT_ENABLE = False
    for _ in range(10):
        ratelimit.hit("search", "198.51.100.1")
    assert not ratelimit.is_limited("search", "198.51.100.1")


def test_retry_after_says_how_long_only_once_the_limit_is_used_up(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (2, 60)}
    ratelimit.hit("search", "198.51.100.1")
    assert ratelimit.retry_after("search", "198.51.100.1") == 0
    ratelimit.hit("search", "198.51.100.1")
    assert 0 < ratelimit.retry_after("search", "198.51.100.1") <= 61
    assert ratelimit.retry_after("search", "198.51.100.2") == 0
