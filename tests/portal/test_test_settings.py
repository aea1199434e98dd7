"""The test settings keep the suite off any Redis it was not explicitly given."""

import json
import os
import subprocess
import sys

from tests.conftest import BASE_DIR

PRINT_BACKENDS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.CHANNEL_LAYERS['default']['BACKEND'], "
    "settings.REDIS_URL]))"
)


def backends(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PORTAL_TEST_DB_NAME"}}
    full_env.update(DJANGO_SETTINGS_MODULE="portal.settings.test", **env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_BACKENDS], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_exported_redis_url_does_not_reach_the_test_process():
    """With REDIS_URL in the shell, tests still use the locmem cache and in-memory channel layer
    (cache.clear() in a test must never flush a real Redis)."""
    cache, layer, redis_url = backends(REDIS_URL="redis://127.0.0.1:6379/9")
    assert cache == "django.core.cache.backends.locmem.LocMemCache"
    assert layer == "portal.channel_layers.PeriodicSweepChannelLayer"
    assert redis_url == ""


def test_a_server_started_by_the_redis_tests_uses_the_redis_it_was_given():
    cache, layer, redis_url = backends(REDIS_URL="redis://127.0.0.1:6379/9", PORTAL_TEST_DB_NAME="test_portal")
    assert cache == "portal.cache.SharedClientRedisCache"
    assert layer == "channels_redis.core.RedisChannelLayer"
    assert redis_url == "redis://127.0.0.1:6379/9"
