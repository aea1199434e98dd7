"""The scale-out cache backend: Django's Redis cache with one client per process.

Django keeps cache objects per async context (each WebSocket consumer, each pool call copies
its own), and its RedisCache builds a new client, with a new connection pool, for each cache
object. Under `bench/chat_load.py` with Redis that meant new Redis connections (and DNS look-ups)
for most rate-limit and connection-count checks. redis-py's connection pool is thread-safe, so
every cache object of the process can share one client per server list and options.
"""

import threading

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

_clients = {}
_lock = threading.Lock()


class SharedClientRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
