"""Django's Redis cache, with one connection pool per process instead of one per request.

Django keeps a cache object per request context, and under ASGI every HTTP request and every
WebSocket is a context of its own; each object made its own connection pool (Django ticket
#35651, open in 5.2). So each request and each Wall socket opened a connection to Redis (three
round trips before the first command) and held it while it lived: 500 members on the Wall held
500 connections. Here every cache object of a process with the same settings shares one pool,
and one client over it (redis-py's clients are safe to share between threads).
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        # What a pool is made from. The options come from the settings, made once a process.
        self._made_with = (self._pool_class, repr(sorted(self._pool_options.items())))

    def get_client(self, key=None, *, write=False):
        server = self._servers[self._get_connection_pool_index(write)]
        client = _clients.get((server, self._made_with))
        if client is None:
            with _clients_lock:
                client = _clients.get((server, self._made_with))
                if client is None:
                    pool = self._pool_class.from_url(server, **self._pool_options)
                    client = _clients[server, self._made_with] = self._client(
                        connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient

    def count_up(self, key: str, timeout: int, version=None) -> int:
        """Add one to the counter at `key`, which starts at 1 and lasts `timeout` seconds from
        then: one round trip (`add` then `incr` take three). Both commands run as one Redis
        transaction, so the counter cannot expire between them and come back without a timeout."""
        key = self.make_and_validate_key(key, version=version)
        with self._cache.get_client(key, write=True).pipeline(transaction=True) as pipeline:
            pipeline.set(key, 0, nx=True, ex=timeout)
            pipeline.incr(key)
            return pipeline.execute()[1]
